// The binary's --help: one line a flag (its environment variable at the end of the description),
// and the "Limits" group (of `serve` and `maintenance`) folded into one line unless --help-all asks
// for everything, so that every command's help fits on a screen.

#include <CLI/CLI.hpp>

#include "cli/client_commands.hpp"

namespace ducklake {
namespace {

class CompactFormatter : public CLI::Formatter {
 public:
  CompactFormatter() { column_width(36); }

  std::string make_option_opts(const CLI::Option *option) const override {
    if (!option->get_option_text().empty()) return " " + option->get_option_text();
    if (option->get_type_size() == 0 || option->get_type_name().empty()) return "";
    // "INT:INT in [1 - 64]" is the type and its check: the description says the range.
    auto type = option->get_type_name();
    std::string text = " " + get_label(type.substr(0, type.find(':')));
    if (option->get_expected_max() == CLI::detail::expected_max_vector_size) text += " ...";
    return text;
  }

  std::string make_option_desc(const CLI::Option *option) const override {
    auto text = option->get_description();
    if (!option->get_envname().empty()) text += " [$" + option->get_envname() + "]";
    return text;
  }

  std::string make_help(const CLI::App *app, std::string name, CLI::AppFormatMode mode) const override {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    return make_description(app) + make_usage(app, name) + make_positionals(app) + Groups(app, mode) +
           make_subcommands(app, mode) + "\n" + make_footer(app);
  }

 private:
  // The option groups; without --help-all the folded group is one line that says how to see it.
  std::string Groups(const CLI::App *app, CLI::AppFormatMode mode) const {
    std::string out;
    size_t folded = 0;
    for (const auto &group : app->get_groups()) {
      auto options = app->get_options([&group](const CLI::Option *option) {
        return option->get_group() == group && option->nonpositional();
      });
      if (options.empty() || group.empty()) continue;
      if (group == kFoldedGroup && mode != CLI::AppFormatMode::All) {
        folded = options.size();
        continue;
      }
      out += (out.empty() ? "" : "\n") + make_group(group, false, options);
    }
    if (folded > 0) out += "\n" + std::string(kFoldedGroup) + ": " + std::to_string(folded) + " more flags (--help-all shows them)\n";
    return out;
  }

  static constexpr const char *kFoldedGroup = "Limits";
};

}  // namespace

void ConfigureHelp(CLI::App &app) {
  app.formatter(std::make_shared<CompactFormatter>());
}

}  // namespace ducklake
