#pragma once
// The server side of the `ducklake` binary: `serve` (flags and DUCKLAKE_* variables into a Config,
// the backends opened, the server run until SIGTERM/SIGINT) and `maintenance` (the same operations
// as the API, run against the lake directly). Run() returns the process exit code (ExitCode).

#include <memory>

namespace CLI {
class App;
}

namespace ducklake {

class ServerCommands {
 public:
  explicit ServerCommands(CLI::App &app);
  ~ServerCommands();
  CLI::App &maintenance();
  int Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ducklake
