#include <malloc.h>

#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/client_commands.hpp"
#include "common/error.hpp"
#include "server/serve_command.hpp"

int main(int argc, char **argv) {
  // glibc gives each thread that allocates an arena of its own (up to 8 per core) and keeps freed
  // memory in it. Streams hand buffers between HTTP, store and engine threads, so with many
  // arenas every large transfer left memory behind in another one; two bound that.
  mallopt(M_ARENA_MAX, 2);
  CLI::App app{"DuckLake: a data lakehouse. `ducklake serve` runs the server; the other commands are its client.",
               "ducklake"};
  app.require_subcommand(1);
  ducklake::ConfigureHelp(app);
  ducklake::ServerCommands server(app);
  ducklake::ClientCommands client(app);
  client.AddRemoteMaintenance(server.maintenance());
  // CLI11 would only say that a command is required.
  auto known = [&app](const std::string &name) {
    for (const auto *command : app.get_subcommands({})) {
      if (command->get_name() == name) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
    std::cerr << "ducklake: unknown command '" << argv[1] << "' (ducklake --help lists them)\n";
    return ducklake::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &) {
    std::cout << app.help();
    return ducklake::kExitOk;
  } catch (const CLI::CallForAllHelp &) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return ducklake::kExitOk;
  } catch (const CLI::ParseError &error) {
    std::cerr << "ducklake: " << error.what() << " (ducklake --help)\n";
    return ducklake::kExitUsage;
  }
  if (client.Selected()) return client.Run();
  return server.Run();
}
