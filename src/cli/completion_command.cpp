// ducklake completion bash|zsh: a completion script made from the command line's own definition,
// so it never lags behind a new command or flag. dl:// paths complete from the server (volumes,
// then folders and objects) through a hidden command, `ducklake __complete PATH`.

#include <iostream>
#include <set>

#include <fmt/format.h>

#include "cli/command_context.hpp"
#include "cli/transfers.hpp"

namespace ducklake::cli {
namespace {

// One `case` arm per command path: "ducklake", "ducklake table", "ducklake table ls", ...
void Collect(const CLI::App &command, const std::string &path, std::string &cases) {
  std::vector<std::string> words;
  for (const auto *sub : command.get_subcommands([](const CLI::App *app) { return !app->get_name().empty() && app->get_name()[0] != '_'; })) {
    words.push_back(sub->get_name());
  }
  for (const auto *option : command.get_options()) {
    for (const auto &name : option->get_lnames()) words.push_back("--" + name);
    for (const auto &name : option->get_snames()) words.push_back("-" + name);
  }
  std::string list;
  for (const auto &word : words) list += (list.empty() ? "" : " ") + word;
  cases += fmt::format("    \"{}\") words=\"{}\" ;;\n", path, list);
  for (const auto *sub : command.get_subcommands([](const CLI::App *) { return true; })) {
    if (sub->get_name().empty() || sub->get_name()[0] == '_') continue;
    Collect(*sub, path + " " + sub->get_name(), cases);
  }
}

std::string BashScript(const CLI::App &app) {
  std::string cases;
  Collect(app, "ducklake", cases);
  return fmt::format(R"(# ducklake completion for bash: source <(ducklake completion bash)
_ducklake() {{
  local cur path word words i typed
  cur="${{COMP_WORDS[COMP_CWORD]}}"
  # bash splits words at ':', so dl://… is taken from the line itself.
  typed="${{COMP_LINE:0:COMP_POINT}}"
  typed="${{typed##* }}"
  path="ducklake"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${{COMP_WORDS[i]}}"
    [[ "$word" == -* ]] && continue
    case "$path $word" in
{}    esac
  done
  if [[ "$typed" == dl:* ]]; then
    local IFS=$'\n' before="${{typed%"${{typed##*:}}"}}"
    COMPREPLY=($(ducklake __complete "$typed" 2>/dev/null))
    COMPREPLY=("${{COMPREPLY[@]#"$before"}}")
    compopt -o nospace 2>/dev/null
    return
  fi
  case "$path" in
{}  esac
  if [[ -n "$words" ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
  if [[ ${{#COMPREPLY[@]}} -eq 0 ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}}
complete -o default -F _ducklake ducklake
)",
                     [&] {
                       // Path steps: a word extends the path when that command exists.
                       std::string steps;
                       std::vector<std::pair<std::string, const CLI::App *>> stack{{"ducklake", &app}};
                       while (!stack.empty()) {
                         auto [path, command] = stack.back();
                         stack.pop_back();
                         for (const auto *sub : command->get_subcommands([](const CLI::App *) { return true; })) {
                           if (sub->get_name().empty() || sub->get_name()[0] == '_') continue;
                           auto next = path + " " + sub->get_name();
                           steps += fmt::format("      \"{}\") path=\"{}\" ;;\n", next, next);
                           stack.emplace_back(next, sub);
                         }
                       }
                       return steps;
                     }(),
                     cases);
}

}  // namespace

void AddCompletionCommand(CLI::App &app, CommandContext &context) {
  auto *completion = app.add_subcommand("completion", "print a shell completion script (bash or zsh)");
  completion->group("Administration");
  auto &shell = context.Keep<std::string>();
  completion->add_option("SHELL", shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  completion->footer(
      "Examples:\n  source <(ducklake completion bash)          # in ~/.bashrc\n"
      "  ducklake completion zsh > \"${fpath[1]}/_ducklake\"");
  context.OnRun(completion, [&app, &shell] {
    if (shell == "zsh") std::cout << "#compdef ducklake\nautoload -U +X bashcompinit && bashcompinit\n";
    std::cout << BashScript(app);
  });

  // Hidden: what a dl:// word can become, one candidate per line.
  auto *complete = app.add_subcommand("__complete", "");
  complete->group("");
  auto &word = context.Keep<std::string>();
  complete->add_option("WORD", word)->required();
  context.OnRun(complete, [&context, &word] {
    auto rest = word.substr(word.find(':') + 1);
    while (!rest.empty() && rest[0] == '/') rest.erase(0, 1);
    auto slash = rest.find('/');
    if (slash == std::string::npos) {
      auto volumes = context.Api().Get("/api/v1/volumes");
      for (const auto &volume : volumes["volumes"]) {
        auto name = volume.value("name", "");
        if (name.rfind(rest, 0) == 0) std::cout << "dl://" << name << "/\n";
      }
      return;
    }
    auto volume = rest.substr(0, slash);
    auto prefix = rest.substr(slash + 1);
    auto page = context.Api().Get(Query("/api/v1/volumes/" + Segment(volume) + "/objects")
                                      .Add("prefix", prefix)
                                      .Add("delimiter", "/")
                                      .Add("limit", 200)
                                      .str());
    for (const auto &folder : page["folders"]) std::cout << "dl://" << volume << "/" << folder.get<std::string>() << "\n";
    for (const auto &object : page["objects"]) std::cout << "dl://" << volume << "/" << object.value("key", "") << "\n";
  });
}

}  // namespace ducklake::cli
