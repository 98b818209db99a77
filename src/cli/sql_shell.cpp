// The interactive SQL shell of `ducklake sql`: libedit for line editing and history.

#include <editline/readline.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/sql_runner.hpp"

namespace ducklake::cli {
namespace {

std::string HistoryPath() {
  const char *state = std::getenv("XDG_STATE_HOME");
  const char *home = std::getenv("HOME");
  std::string base = state && *state ? state : std::string(home ? home : ".") + "/.local/state";
  std::filesystem::create_directories(base + "/ducklake");
  return base + "/ducklake/sql_history";
}

std::string Trim(const std::string &text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  auto last = text.find_last_not_of(" \t\r\n;");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> Words(const std::string &text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

void PrintHelp() {
  std::cout << "Statements end with ';' and may span lines. Ctrl-C cancels a running statement, Ctrl-D leaves.\n"
               ".tables [NS]          the tables (of one namespace)\n"
               ".schema NS.TABLE      a table's columns as CREATE TABLE\n"
               ".mode MODE            table, csv, json, ndjson\n"
               ".timer on|off         show how long each statement took\n"
               ".snapshot N|latest    read the lake as of snapshot N\n"
               ".maxrows N            rows a table shows (0: all)\n"
               ".quit                 leave (also .exit)\n";
}

// SQL quoting of a string literal.
std::string Literal(const std::string &text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// One byte of the terminal; EOF at its end, kInterruptedKey after Ctrl-C.
constexpr int kInterruptedKey = -2;
int ReadByte() {
  for (;;) {
    unsigned char c;
    auto n = ::read(STDIN_FILENO, &c, 1);
    if (n == 1) return c;
    if (n == 0 || errno != EINTR) return EOF;
    if (InterruptRequested()) return kInterruptedKey;
  }
}

// Reads a key for libedit: a character (libedit takes what this returns as one, so UTF-8 is decoded
// here). Ctrl-C at the prompt empties the line and ends it, so the shell drops what was being typed
// and prompts again (libedit's own signal handling would leave it waiting).
int ReadKey(FILE *) {
  int first = ReadByte();
  if (first == kInterruptedKey) {
    rl_replace_line("", 0);
    return '\n';
  }
  if (first == EOF || first < 0x80) return first;
  int length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
  int code = first & (0xFF >> (length + 1));
  for (int i = 1; i < length; i++) {
    int next = ReadByte();
    if (next < 0) return next == kInterruptedKey ? (rl_replace_line("", 0), '\n') : EOF;
    code = (code << 6) | (next & 0x3F);
  }
  return length == 1 ? 0xFFFD : code;
}

// Runs a dot command; false when the shell should end.
bool DotCommand(CommandContext &context, SqlOptions &options, const std::string &line) {
  auto words = Words(line);
  const auto &command = words[0];
  auto argument = words.size() > 1 ? words[1] : "";
  SqlOptions table_options = options;
  table_options.format = "table";
  table_options.snapshot = options.snapshot;
  table_options.timer = false;
  if (command == ".quit" || command == ".exit") return false;
  if (command == ".help") {
    PrintHelp();
  } else if (command == ".tables") {
    std::string sql =
        "SELECT table_schema AS namespace, table_name AS \"table\" FROM information_schema.tables";
    if (!argument.empty()) sql += " WHERE table_schema = " + Literal(argument);
    RunStatement(context, sql + " ORDER BY 1, 2", table_options);
  } else if (command == ".schema") {
    auto [ns, table] = SplitTableName(argument);
    auto result = context.Api().Send(
        "POST", "/api/v1/query",
        nlohmann::json{{"sql", "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = " +
                                   Literal(ns) + " AND table_name = " + Literal(table) + " ORDER BY ordinal_position"}});
    if (result["rows"].empty()) throw ApiError(404, "table '" + argument + "' not found");
    std::cout << "CREATE TABLE " << ns << "." << table << " (\n";
    for (size_t i = 0; i < result["rows"].size(); i++) {
      const auto &row = result["rows"][i];
      std::cout << "  " << row[0].get<std::string>() << " " << row[1].get<std::string>()
                << (i + 1 < result["rows"].size() ? ",\n" : "\n");
    }
    std::cout << ");\n";
  } else if (command == ".mode") {
    static const std::vector<std::string> kModes = {"table", "csv", "json", "ndjson"};
    if (std::find(kModes.begin(), kModes.end(), argument) == kModes.end()) {
      throw UsageError(".mode takes table, csv, json or ndjson");
    }
    options.format = argument;
  } else if (command == ".timer") {
    if (argument != "on" && argument != "off") throw UsageError(".timer takes on or off");
    options.timer = argument == "on";
  } else if (command == ".snapshot") {
    if (argument == "latest") {
      options.snapshot.reset();
    } else {
      char *end = nullptr;
      auto value = std::strtoll(argument.c_str(), &end, 10);
      if (argument.empty() || *end != '\0' || value < 0) throw UsageError(".snapshot takes a snapshot id or latest");
      options.snapshot = value;
    }
  } else if (command == ".maxrows") {
    char *end = nullptr;
    auto value = std::strtoll(argument.c_str(), &end, 10);
    if (argument.empty() || *end != '\0' || value < 0) throw UsageError(".maxrows takes a number");
    options.max_rows = static_cast<size_t>(value);
  } else {
    throw UsageError("unknown command " + command + " (.help lists them)");
  }
  return true;
}

}  // namespace

void RunShell(CommandContext &context, SqlOptions options) {
  auto history = HistoryPath();
  // libedit edits characters of the locale's encoding and drops bytes it cannot read: UTF-8 even
  // when the environment names no locale.
  if (const char *locale = setlocale(LC_CTYPE, ""); !locale || std::string(locale) == "C" || std::string(locale) == "POSIX") {
    setlocale(LC_CTYPE, "C.UTF-8");
  }
  rl_catch_signals = 0;
  rl_getc_function = ReadKey;
  using_history();
  stifle_history(2000);
  read_history(history.c_str());
  auto endpoint = context.ResolvedEndpoint();
  std::cout << "DuckLake SQL on " << endpoint.url << ". End statements with ';', .help for more.\n";
  std::string buffer;
  for (;;) {
    ClearInterrupt();
    char *raw = readline(buffer.empty() ? "ducklake> " : "     ...> ");
    if (!raw) {
      if (InterruptRequested() && !buffer.empty()) {
        buffer.clear();  // Ctrl-C drops the statement being typed
        std::cout << "\n";
        continue;
      }
      std::cout << "\n";
      break;
    }
    std::string line(raw);
    std::free(raw);
    if (InterruptRequested()) {
      if (!buffer.empty()) std::cout << "^C\n";
      buffer.clear();
      continue;
    }
    if (buffer.empty() && Trim(line).empty()) continue;
    if (buffer.empty() && Trim(line)[0] == '.') {
      add_history(line.c_str());
      try {
        if (!DotCommand(context, options, Trim(line))) break;
      } catch (const std::exception &error) {
        std::cerr << Red("Error: ") << error.what() << "\n";
      }
      continue;
    }
    buffer += (buffer.empty() ? "" : "\n") + line;
    if (!EndsStatement(buffer)) continue;
    add_history(buffer.c_str());
    write_history(history.c_str());
    auto statements = SplitStatements(buffer);
    buffer.clear();
    for (const auto &statement : statements) {
      try {
        RunStatement(context, statement, options);
      } catch (const Interrupted &) {
        std::cerr << Yellow("cancelled") << "\n";
        break;
      } catch (const std::exception &error) {
        std::cerr << Red("Error: ") << error.what() << "\n";
        break;
      }
    }
  }
  write_history(history.c_str());
  ::chmod(history.c_str(), 0600);  // statements may hold values nobody else should read
}

}  // namespace ducklake::cli
