#include <malloc.h>

#include <iostream>

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
