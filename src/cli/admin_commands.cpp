// ducklake whoami | login | token | grant | group: who the client is, and what administrators manage.

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/command_context.hpp"

namespace ducklake::cli {
namespace {

// A line from the terminal with echo off, or from stdin when it is not a terminal.
std::string ReadSecretLine(const std::string &prompt) {
  bool tty = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  auto first = line.find_first_not_of(" \t\r");
  auto last = line.find_last_not_of(" \t\r");
  return first == std::string::npos ? "" : line.substr(first, last - first + 1);
}

// Writes a secret to a file only its owner can read, made that way from the start.
void WriteSecretFile(const std::string &path, const std::string &secret) {
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto temporary = path + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw UsageError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  auto line = secret + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) throw UsageError("cannot write " + path);
  std::filesystem::rename(temporary, path);
}

void AddTokenCommands(CLI::App &app, CommandContext &context) {
  auto *token = app.add_subcommand("token", "bearer tokens: ls, create, describe, rm (administrators)");
  token->group("Administration");
  token->require_subcommand(1);
  AddFormatOption(token, context);
  token->footer("Example:\n  ducklake token create --user etl --expires-in 2592000 --description nightly --token-out etl.token");

  auto *ls = token->add_subcommand("ls", "list tokens (never their secrets)");
  context.OnRun(ls, [&] {
    auto answer = context.Api().Get("/api/v1/tokens");
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    TablePrinter table({{"id"}, {"user"}, {"description"}, {"created_at"}, {"expires_at"}, {"revoked_at"}});
    for (const auto &item : answer["tokens"]) {
      table.AddRow({FieldText(item, "id"), FieldText(item, "user"), FieldText(item, "description"), FieldText(item, "created_at"),
                    FieldText(item, "expires_at"), FieldText(item, "revoked_at")});
    }
    table.Print(context.Format());
  });

  auto &user = context.Keep<std::string>();
  auto &description = context.Keep<std::string>();
  auto &expires_in = context.Keep<std::optional<int64_t>>();
  auto &token_out = context.Keep<std::string>();
  auto *create = token->add_subcommand("create", "make a token; its secret is shown once (or saved with --token-out)");
  create->add_option("--user", user, "whose token (default: yours)");
  create->add_option("--description", description, "what it is for");
  create->add_option("--expires-in", expires_in, "seconds until it expires")->check(CLI::Range(int64_t{1}, INT64_MAX));
  create->add_option("--token-out", token_out, "write the secret to this file (mode 0600) instead of stdout");
  context.OnRun(create, [&] {
    nlohmann::json body = nlohmann::json::object();
    if (!user.empty()) body["user"] = user;
    if (!description.empty()) body["description"] = description;
    if (expires_in) body["expires_in"] = *expires_in;
    auto answer = context.Api().Send("POST", "/api/v1/tokens", body);
    auto secret = answer.value("token", "");
    if (!token_out.empty()) {
      WriteSecretFile(token_out, secret);
      answer.erase("token");
      return context.PrintChange(answer, fmt::format("token {} for {} written to {}", FieldText(answer, "id"), FieldText(answer, "user"), token_out));
    }
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    // The one place a secret is printed: the server keeps only its hash, so this is its only showing.
    std::cerr << fmt::format("token {} for {} (shown once; --token-out FILE saves it instead):\n", FieldText(answer, "id"),
                             FieldText(answer, "user"));
    std::cout << secret << "\n";
  });

  auto &id = context.Keep<std::string>();
  auto *describe = token->add_subcommand("describe", "one token");
  describe->add_option("ID", id, "the token's id")->required();
  context.OnRun(describe, [&] {
    auto answer = context.Api().Get("/api/v1/tokens/" + Segment(id));
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto it = answer.begin(); it != answer.end(); ++it) fields.emplace_back(it.key(), CellText(it.value()));
    PrintFields(fields);
  });

  auto *rm = token->add_subcommand("rm", "revoke a token");
  rm->add_option("ID", id, "the token's id")->required();
  context.OnRun(rm, [&] {
    context.Api().Send("DELETE", "/api/v1/tokens/" + Segment(id));
    context.PrintChange(nullptr, "revoked token " + id);
  });
}

void AddGrantCommands(CLI::App &app, CommandContext &context) {
  auto *grant = app.add_subcommand("grant", "roles: ls, add, rm (administrators)");
  grant->group("Administration");
  grant->require_subcommand(1);
  AddFormatOption(grant, context);
  grant->footer("Examples:\n  ducklake grant add analysts reader --namespace sales\n  ducklake grant add etl writer --volume raw");

  auto &principal = context.Keep<std::string>();
  auto *ls = grant->add_subcommand("ls", "list grants");
  ls->add_option("--principal", principal, "only this user's or group's");
  context.OnRun(ls, [&] {
    Query target("/api/v1/grants");
    if (!principal.empty()) target.Add("principal", principal);
    auto answer = context.Api().Get(target.str());
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    TablePrinter table({{"id"}, {"principal"}, {"role"}, {"scope"}, {"on"}, {"created_by"}, {"created_at"}});
    for (const auto &item : answer["grants"]) {
      auto on = item.contains("namespace") ? FieldText(item, "namespace") : FieldText(item, "volume");
      table.AddRow({FieldText(item, "id"), FieldText(item, "principal"), FieldText(item, "role"), FieldText(item, "scope"), on,
                    FieldText(item, "created_by"), FieldText(item, "created_at")});
    }
    table.Print(context.Format());
  });

  auto &role = context.Keep<std::string>();
  auto &ns = context.Keep<std::string>();
  auto &volume = context.Keep<std::string>();
  auto *add = grant->add_subcommand("add", "grant a role on the lake, a namespace or a volume");
  add->add_option("PRINCIPAL", principal, "a user, or group:NAME")->required();
  add->add_option("ROLE", role, "reader, writer or admin")->required()->check(CLI::IsMember({"reader", "writer", "admin"}));
  auto *ns_option = add->add_option("--namespace", ns, "on this namespace");
  add->add_option("--volume", volume, "on this volume")->excludes(ns_option);
  context.OnRun(add, [&] {
    nlohmann::json body{{"principal", principal}, {"role", role}};
    if (!ns.empty()) body["namespace"] = ns;
    if (!volume.empty()) body["volume"] = volume;
    auto answer = context.Api().Send("POST", "/api/v1/grants", body);
    auto where = !ns.empty() ? "namespace " + ns : !volume.empty() ? "volume " + volume : std::string("the lake");
    context.PrintChange(answer, fmt::format("granted {} on {} to {} (grant {})", role, where, principal, FieldText(answer, "id")));
  });

  auto &id = context.Keep<std::string>();
  auto *rm = grant->add_subcommand("rm", "revoke a grant");
  rm->add_option("ID", id, "the grant's id")->required();
  context.OnRun(rm, [&] {
    context.Api().Send("DELETE", "/api/v1/grants/" + Segment(id));
    context.PrintChange(nullptr, "revoked grant " + id);
  });
}

void AddGroupCommands(CLI::App &app, CommandContext &context) {
  auto *group = app.add_subcommand("group", "groups of users: ls, add, rm (administrators)");
  group->group("Administration");
  group->require_subcommand(1);
  AddFormatOption(group, context);
  group->footer("Example:\n  ducklake group add analysts alice && ducklake grant add group:analysts reader --namespace sales");

  auto *ls = group->add_subcommand("ls", "list groups and their members");
  context.OnRun(ls, [&] {
    auto answer = context.Api().Get("/api/v1/groups");
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    TablePrinter table({{"group"}, {"members"}});
    for (const auto &item : answer["groups"]) {
      std::string members;
      for (const auto &member : item["members"]) members += (members.empty() ? "" : ", ") + CellText(member);
      table.AddRow({FieldText(item, "group"), members});
    }
    table.Print(context.Format());
  });

  auto &name = context.Keep<std::string>();
  auto &user = context.Keep<std::string>();
  for (bool adding : {true, false}) {
    auto *command = group->add_subcommand(adding ? "add" : "rm", adding ? "add a user to a group" : "remove a user from a group");
    command->add_option("GROUP", name, "the group")->required();
    command->add_option("USER", user, "the user")->required();
    context.OnRun(command, [&, adding] {
      context.Api().Send(adding ? "PUT" : "DELETE", "/api/v1/groups/" + Segment(name) + "/members/" + Segment(user));
      context.PrintChange(nullptr, fmt::format("{} {} {} group {}", adding ? "added" : "removed", user, adding ? "to" : "from", name));
    });
  }
}

void AddWhoamiCommand(CLI::App &app, CommandContext &context) {
  auto *whoami = app.add_subcommand("whoami", "the server, and who this client is on it");
  whoami->group("Administration");
  AddFormatOption(whoami, context);
  whoami->footer("Example:\n  ducklake whoami --profile prod");
  context.OnRun(whoami, [&] {
    auto answer = context.Api().Get("/api/v1/whoami");
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    std::string groups;
    for (const auto &group : answer.value("groups", nlohmann::json::array())) groups += (groups.empty() ? "" : ", ") + CellText(group);
    auto profile = ResolvedProfileName(context.connection);
    PrintFields({{"server", context.Api().endpoint().url},
                 {"profile", profile.empty() ? "(none)" : profile},
                 {"user", FieldText(answer, "user")},
                 {"authenticated", FieldText(answer, "authenticated")},
                 {"token", FieldText(answer, "token_id")},
                 {"groups", groups}});
  });
}

void AddLoginCommand(CLI::App &app, CommandContext &context) {
  auto *login = app.add_subcommand("login", "save a server and its token as a profile (~/.config/ducklake/config.toml)");
  login->group("Administration");
  auto &token_env = context.Keep<std::string>();
  auto &make_default = context.Keep<bool>(false);
  login->add_option("--token-env", token_env, "read the token from this environment variable instead of saving it");
  login->add_flag("--default", make_default, "make it the default profile (the first profile always is)");
  login->footer(
      "The token is read from --token-file, DUCKLAKE_TOKEN or a prompt (never echoed) and saved in\n"
      "~/.config/ducklake/tokens/PROFILE (mode 0600); config.toml names the file, never the token.\n"
      "Example:\n  ducklake login --profile prod --url https://lake.example.com");
  context.OnRun(login, [&] {
    const char *profile_env = std::getenv("DUCKLAKE_PROFILE");
    auto name = !context.connection.profile.empty() ? context.connection.profile
                : profile_env && *profile_env       ? std::string(profile_env)
                                                    : std::string("default");
    for (char c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') throw UsageError("a profile name takes letters, digits, - and _");
    }
    auto file = LoadProfiles();
    Profile profile;
    if (const auto *existing = file.Find(name)) profile = *existing;
    profile.name = name;
    if (!context.connection.url.empty()) profile.url = context.connection.url;
    if (profile.url.empty()) profile.url = std::getenv("DUCKLAKE_URL") ? std::getenv("DUCKLAKE_URL") : kDefaultUrl;
    std::string token;
    if (!token_env.empty()) {
      const char *value = std::getenv(token_env.c_str());
      if (!value || !*value) throw UsageError("$" + token_env + " is not set");
      token = value;
    } else if (!context.connection.token_file.empty()) {
      token = ReadTokenFile(context.connection.token_file);
    } else if (std::getenv("DUCKLAKE_TOKEN") && *std::getenv("DUCKLAKE_TOKEN")) {
      token = std::getenv("DUCKLAKE_TOKEN");
    } else {
      token = ReadSecretLine("Token for " + profile.url + " (empty for a server without authentication): ");
    }
    // Checked before anything is saved.
    Endpoint endpoint;
    endpoint.url = profile.url;
    while (!endpoint.url.empty() && endpoint.url.back() == '/') endpoint.url.pop_back();
    endpoint.ca_bundle = profile.ca_bundle;
    endpoint.verbose = context.connection.verbose;
    if (!token.empty()) endpoint.token = token;
    auto whoami = ApiClient(endpoint).Get("/api/v1/whoami");
    profile.token_file.clear();
    profile.token_env.clear();
    if (!token_env.empty()) {
      profile.token_env = token_env;
    } else if (!token.empty()) {
      profile.token_file = ConfigDir() + "/tokens/" + name;
      WriteSecretFile(profile.token_file, token);
    }
    bool found = false;
    for (auto &existing : file.profiles) {
      if (existing.name == name) existing = profile, found = true;
    }
    if (!found) file.profiles.push_back(profile);
    if (make_default || file.default_profile.empty()) file.default_profile = name;
    SaveProfiles(file);
    std::cout << fmt::format("logged in to {} as {} (profile {}{})\n", profile.url, whoami.value("user", "?"), name,
                             file.default_profile == name ? ", the default" : "");
  });
}

}  // namespace

void AddAdminCommands(CLI::App &app, CommandContext &context) {
  AddTokenCommands(app, context);
  AddGrantCommands(app, context);
  AddGroupCommands(app, context);
  AddWhoamiCommand(app, context);
  AddLoginCommand(app, context);
}

}  // namespace ducklake::cli
