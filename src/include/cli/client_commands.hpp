#pragma once
// The client side of the `ducklake` binary: commands that speak only DuckLake's REST API, so they
// work against any server, local or remote (docs/CLI.md).
//
// AddClientCommands registers them on the binary's command line; after parsing, Selected() says
// whether one of them was chosen and Run() runs it and returns the process exit code (ExitCode in
// common/error.hpp: usage, not found, conflict, auth, server or network, interrupted).
// `maintenance` is the server's command (it opens the lake itself); AddRemoteMaintenance gives it
// --url/--profile/--remote, with which it runs through the API instead.

#include <memory>

namespace CLI {
class App;
}

namespace ducklake {

// Sets the binary's help format (one line a flag, --help-all for the rarely needed ones); call
// before any command is added, so that every one inherits it.
void ConfigureHelp(CLI::App &app);

class ClientCommands {
 public:
  explicit ClientCommands(CLI::App &app);
  ~ClientCommands();
  void AddRemoteMaintenance(CLI::App &maintenance);
  bool Selected() const;
  // True when `maintenance` was asked to run through the API.
  bool RemoteMaintenance() const;
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ducklake
