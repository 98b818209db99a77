#include "cli/maintenance_command.hpp"

#include <cstdlib>

namespace ducklake::cli {
namespace {

bool Given(CLI::App &command, const std::string &name) {
  auto *option = command.get_option_no_throw(name);
  return option && option->count() > 0;
}

template <typename T>
T ValueOf(CLI::App &command, const std::string &name) {
  return command.get_option(name)->as<T>();
}

}  // namespace

void RemoteMaintenance::Register(CLI::App &maintenance, CommandContext &context) {
  maintenance_ = &maintenance;
  // The client's flags (--url, --profile, ...) belong to the whole command line: accepted after
  // the operation too.
  maintenance.fallthrough();
  maintenance.add_flag("--remote", remote_, "run through the API of the server --url/--profile name (default profile)");
  for (auto *operation : maintenance.get_subcommands({})) {
    operation->fallthrough();
    operation->add_flag("--remote", remote_, "run through the API of the server --url/--profile name (default profile)");
  }
  maintenance.footer(
      "Examples:\n"
      "  ducklake maintenance compact --data-dir /var/lib/ducklake     (the lake, opened here)\n"
      "  ducklake maintenance expire --keep-last 100 --profile prod     (through the server's API)");
}

bool RemoteMaintenance::Requested(const CommandContext &context) const {
  if (!maintenance_ || !maintenance_->parsed()) return false;
  auto set = [](const char *name) {
    const char *value = std::getenv(name);
    return value && *value;
  };
  return remote_ || !context.connection.url.empty() || !context.connection.profile.empty() || set("DUCKLAKE_URL") ||
         set("DUCKLAKE_PROFILE");
}

void RemoteMaintenance::Run(CommandContext &context) {
  for (const char *local : {"--data-dir", "--metadata", "--storage"}) {
    if (Given(*maintenance_, local)) {
      throw UsageError(std::string(local) + " opens the lake here; it cannot go with a server (--remote, --url, --profile)");
    }
  }
  auto selected = maintenance_->get_subcommands();
  if (selected.empty()) throw UsageError("say which maintenance operation: compact, expire, cleanup, flush or reconcile");
  auto &operation = *selected.front();
  auto name = operation.get_name();
  bool dry_run = Given(*maintenance_, "--dry-run") || Given(operation, "--dry-run");
  nlohmann::json body = nlohmann::json::object();
  if (dry_run) body["dry_run"] = true;
  std::string target = "/api/v1/maintenance/" + name;
  if (name == "compact" || name == "flush") {
    if (Given(operation, "--namespace")) body["namespace"] = ValueOf<std::string>(operation, "--namespace");
    if (Given(operation, "--table")) body["table"] = ValueOf<std::string>(operation, "--table");
  }
  if (name == "compact") {
    if (Given(operation, "--target-file-bytes")) body["target_file_bytes"] = ValueOf<int64_t>(operation, "--target-file-bytes");
  } else if (name == "expire") {
    if (Given(operation, "--older-than")) body["older_than"] = ValueOf<std::string>(operation, "--older-than");
    if (Given(operation, "--keep-last")) body["keep_last"] = ValueOf<int64_t>(operation, "--keep-last");
  } else if (name == "cleanup") {
    if (Given(operation, "--orphan-min-age")) body["orphan_min_age_seconds"] = ValueOf<int64_t>(operation, "--orphan-min-age");
    if (Given(operation, "--scheduled-min-age")) {
      body["scheduled_min_age_seconds"] = ValueOf<int64_t>(operation, "--scheduled-min-age");
    }
  } else if (name == "reconcile") {
    target = "/api/v1/volumes/" + Segment(ValueOf<std::string>(operation, "--volume")) + "/reconcile";
  }
  PrintJson(context.Api().Send("POST", target, body));
}

}  // namespace ducklake::cli
