#include "cli/client_commands.hpp"

#include <unistd.h>

#include <iostream>

#include "cli/command_context.hpp"
#include "cli/maintenance_command.hpp"
#include "common/error.hpp"

namespace ducklake {

using namespace cli;

struct ClientCommands::State {
  CommandContext context;
  cli::RemoteMaintenance maintenance;
};

namespace {

int ExitCodeOfStatus(int status) {
  switch (status) {
    case 0: return kExitFailure;  // network
    case 401:
    case 403: return kExitAuth;
    case 404: return kExitNotFound;
    case 409:
    case 412: return kExitConflict;
    case 429:
    case 503:
    case 504: return kExitFailure;
    default: return status >= 400 && status < 500 ? kExitUsage : kExitFailure;
  }
}

}  // namespace

ClientCommands::ClientCommands(CLI::App &app) : state_(std::make_unique<State>()) {
  auto &context = state_->context;
  app.fallthrough();
  // DUCKLAKE_PROFILE is read with the profiles (profile.cpp), so a default profile can yield to it.
  app.add_option("--profile", context.connection.profile, "a profile of ~/.config/ducklake/config.toml [$DUCKLAKE_PROFILE]");
  app.add_option("--url", context.connection.url, "server URL [$DUCKLAKE_URL; default http://127.0.0.1:8080]");
  app.add_option("--token-file", context.connection.token_file, "file holding the bearer token [$DUCKLAKE_TOKEN]");
  app.add_flag("-v,--verbose", context.connection.verbose, "show the HTTP exchange on stderr (never the token)");
  app.footer(
      "Examples:\n"
      "  ducklake sql \"SELECT * FROM sales.orders LIMIT 10\"\n"
      "  ducklake cp -r ./landing dl://raw/2026/12/\n"
      "Exit codes: 0 ok, 1 server/network, 2 usage, 3 not found, 4 conflict, 5 auth, 130 Ctrl-C.\n"
      "`ducklake COMMAND --help`: its flags and an example. docs/CLI.md has it all.");
  AddCatalogCommands(app, context);
  AddObjectCommands(app, context);
  AddIngestCommand(app, context);
  AddSqlCommand(app, context);
  AddLineageCommands(app, context);
  AddAdminCommands(app, context);
  AddCompletionCommand(app, context);
}

ClientCommands::~ClientCommands() = default;

void ClientCommands::AddRemoteMaintenance(CLI::App &maintenance) {
  state_->maintenance.Register(maintenance, state_->context);
}

bool ClientCommands::Selected() const { return static_cast<bool>(state_->context.chosen) || RemoteMaintenance(); }

bool ClientCommands::RemoteMaintenance() const { return state_->maintenance.Requested(state_->context); }

int ClientCommands::Run() {
  InstallInterruptHandler();
  try {
    if (RemoteMaintenance()) {
      state_->maintenance.Run(state_->context);
    } else {
      state_->context.chosen();
    }
    std::cout.flush();
    return kExitOk;
  } catch (const StdoutClosed &) {
    return kExitOk;
  } catch (const Interrupted &) {
    // On a terminal the line holds "^C" (or a progress bar) that the message must not follow.
    std::cerr << (Terminal::Get().stderr_tty ? "\n" : "") << "ducklake: interrupted\n";
    return kExitInterrupted;
  } catch (const ApiError &error) {
    std::cerr << "ducklake: " << error.what() << "\n";
    return ExitCodeOfStatus(error.status());
  } catch (const UsageError &error) {
    std::cerr << "ducklake: " << error.what() << "\n";
    return kExitUsage;
  } catch (const NotFoundError &error) {
    std::cerr << "ducklake: " << error.what() << "\n";
    return kExitNotFound;
  } catch (const std::exception &error) {
    std::cerr << "ducklake: " << error.what() << "\n";
    return kExitFailure;
  }
}

namespace cli {

ApiClient &CommandContext::Api() {
  if (!api_) api_ = std::make_unique<ApiClient>(ResolvedEndpoint());
  return *api_;
}

OutputFormat CommandContext::Format() const { return format.empty() ? OutputFormat::kTable : ParseOutputFormat(format); }

void CommandContext::PrintChange(const nlohmann::json &answer, const std::string &line) const {
  if (Format() == OutputFormat::kJson) return PrintJson(answer.is_null() ? nlohmann::json::object() : answer);
  std::cout << line << "\n";
}

void CommandContext::OnRun(CLI::App *command, std::function<void()> action) {
  command->callback([this, action = std::move(action)] { chosen = action; });
}

void AddFormatOption(CLI::App *command, CommandContext &context, const std::string &choices) {
  command->add_option("--format", context.format, choices);
}

std::pair<std::string, std::string> SplitTableName(const std::string &text) {
  auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text.size() || text.find('.', dot + 1) != std::string::npos) {
    throw UsageError("name a table as NAMESPACE.TABLE, not '" + text + "'");
  }
  return {text.substr(0, dot), text.substr(dot + 1)};
}

}  // namespace cli
}  // namespace ducklake
