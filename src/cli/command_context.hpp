#pragma once
// What every client command shares: the connection flags, the output format, the API client, and
// the way a command is registered (it sets the action that runs after the command line parsed).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/api_client.hpp"
#include "cli/profile.hpp"
#include "cli/terminal.hpp"

namespace ducklake::cli {

class CommandContext {
 public:
  ConnectionFlags connection;
  std::string format;  // --format as given ("" = the command's default)

  // The API client for the resolved endpoint, made on first use (for the main thread).
  ApiClient &Api();
  Endpoint ResolvedEndpoint() const { return ResolveEndpoint(connection); }
  // --format for commands that print table | json | csv.
  OutputFormat Format() const;
  // What a command that changed something prints: the API's answer with --format json (`{}` for
  // an answer without a body), else `line`.
  void PrintChange(const nlohmann::json &answer, const std::string &line) const;

  // Storage for an option's value that lives as long as the command line (CLI11 keeps pointers).
  template <typename T, typename... Args>
  T &Keep(Args &&...args) {
    auto value = std::make_shared<T>(std::forward<Args>(args)...);
    kept_.push_back(value);
    return *value;
  }

  // Registers `action` to run when `command` is the one chosen.
  void OnRun(CLI::App *command, std::function<void()> action);
  std::function<void()> chosen;

 private:
  std::unique_ptr<ApiClient> api_;
  std::vector<std::shared_ptr<void>> kept_;
};

// Adds --format to a command that prints data (and its subcommands get it by fallthrough).
void AddFormatOption(CLI::App *command, CommandContext &context, const std::string &choices = "table, json or csv");

// Command groups, each in its own file.
void AddCatalogCommands(CLI::App &app, CommandContext &context);   // ns, table, volume
void AddObjectCommands(CLI::App &app, CommandContext &context);    // ls, cp, mv, rm, cat, stat, mirror
void AddIngestCommand(CLI::App &app, CommandContext &context);     // ingest
void AddSqlCommand(CLI::App &app, CommandContext &context);        // sql (and its shell)
void AddLineageCommands(CLI::App &app, CommandContext &context);   // lineage, runs
void AddAdminCommands(CLI::App &app, CommandContext &context);     // token, grant, group, whoami, login
void AddCompletionCommand(CLI::App &app, CommandContext &context);  // completion

// `ns.table` split in two (UsageError when it is not that).
std::pair<std::string, std::string> SplitTableName(const std::string &text);

}  // namespace ducklake::cli
