#pragma once
// `ducklake serve`: parses flags and DUCKLAKE_* variables into a Config, opens the backends and runs
// the server until SIGTERM/SIGINT. Returns the process exit code (2 for bad flags or values).

namespace ducklake {

int RunCli(int argc, char **argv);

}  // namespace ducklake
