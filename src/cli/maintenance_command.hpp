#pragma once
// `ducklake maintenance …` through the API (POST /api/v1/maintenance/…, …/reconcile) when asked
// for a server (--remote, --url, --profile or DUCKLAKE_URL) instead of a lake opened directly. The
// operations and their flags are the server command's; this reads them from it.

#include <CLI/CLI.hpp>

#include "cli/command_context.hpp"

namespace ducklake::cli {

class RemoteMaintenance {
 public:
  void Register(CLI::App &maintenance, CommandContext &context);
  bool Requested(const CommandContext &context) const;
  void Run(CommandContext &context);

 private:
  CLI::App *maintenance_ = nullptr;
  bool remote_ = false;
};

}  // namespace ducklake::cli
