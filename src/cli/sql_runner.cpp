#include "cli/sql_runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/result_printer.hpp"
#include "common/ids.hpp"

namespace ducklake::cli {
namespace {

bool Binary(const std::string &format) { return format == "parquet" || format == "arrow"; }

std::string FormatOfFile(const std::string &path) {
  auto extension = std::filesystem::path(path).extension().string();
  if (extension == ".parquet") return "parquet";
  if (extension == ".arrow" || extension == ".arrows" || extension == ".ipc") return "arrow";
  if (extension == ".json") return "json";
  if (extension == ".ndjson" || extension == ".jsonl") return "ndjson";
  return "csv";
}

// The tag of a dollar quote starting at `i` ("$$" or "$tag$"), or "" when none starts there.
std::string DollarTag(const std::string &text, size_t i) {
  if (text[i] != '$') return "";
  size_t end = i + 1;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) end++;
  if (end >= text.size() || text[end] != '$') return "";
  if (end > i + 1 && std::isdigit(static_cast<unsigned char>(text[i + 1]))) return "";  // $1 is a parameter
  return text.substr(i, end - i + 1);
}

// Scans SQL text as DuckDB's tokenizer does, calling `on_semicolon(position)` for each ';' outside
// quotes ('…', E'…' with backslash escapes, "…", $tag$…$tag$) and comments (-- and /* */).
template <typename OnSemicolon>
void Scan(const std::string &text, OnSemicolon on_semicolon) {
  enum { kCode, kSingle, kEscaped, kDouble, kDollar, kLineComment, kBlockComment } state = kCode;
  std::string tag;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (state) {
      case kCode:
        if (c == '\'') {
          bool escape_string = i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e') &&
                               (i == 1 || !(std::isalnum(static_cast<unsigned char>(text[i - 2])) || text[i - 2] == '_'));
          state = escape_string ? kEscaped : kSingle;
        } else if (c == '"') {
          state = kDouble;
        } else if (c == '-' && next == '-') {
          state = kLineComment, i++;
        } else if (c == '/' && next == '*') {
          state = kBlockComment, i++;
        } else if (c == '$' && !(tag = DollarTag(text, i)).empty()) {
          state = kDollar, i += tag.size() - 1;
        } else if (c == ';') {
          on_semicolon(i);
        }
        break;
      case kSingle:
        if (c == '\'') state = kCode;  // '' is two quotes in a row: leaves and re-enters
        break;
      case kEscaped:
        if (c == '\\') i++;
        else if (c == '\'') state = kCode;
        break;
      case kDouble:
        if (c == '"') state = kCode;
        break;
      case kDollar:
        if (c == '$' && text.compare(i, tag.size(), tag) == 0) state = kCode, i += tag.size() - 1;
        break;
      case kLineComment:
        if (c == '\n') state = kCode;
        break;
      case kBlockComment:
        if (c == '*' && next == '/') state = kCode, i++;
        break;
    }
  }
}

bool Blank(const std::string &text) {
  // Only whitespace and comments.
  bool blank = true;
  std::string code;
  enum { kCode, kLine, kBlock } state = kCode;
  for (size_t i = 0; i < text.size() && blank; i++) {
    char c = text[i], next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (state == kLine) {
      if (c == '\n') state = kCode;
    } else if (state == kBlock) {
      if (c == '*' && next == '/') state = kCode, i++;
    } else if (c == '-' && next == '-') {
      state = kLine, i++;
    } else if (c == '/' && next == '*') {
      state = kBlock, i++;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      blank = false;
    }
  }
  return blank;
}

}  // namespace

std::vector<std::string> SplitStatements(const std::string &text) {
  std::vector<std::string> statements;
  size_t start = 0;
  Scan(text, [&](size_t position) {
    auto statement = text.substr(start, position - start);
    if (!Blank(statement)) statements.push_back(statement);
    start = position + 1;
  });
  auto rest = text.substr(start);
  if (!Blank(rest)) statements.push_back(rest);
  return statements;
}

bool EndsStatement(const std::string &text) {
  size_t last = std::string::npos;
  Scan(text, [&](size_t position) { last = position; });
  return last != std::string::npos && Blank(text.substr(last + 1));
}

SqlOutcome RunStatement(CommandContext &context, const std::string &sql, const SqlOptions &options) {
  auto start = std::chrono::steady_clock::now();
  bool tty = Terminal::Get().stdout_tty;
  std::string format = options.format;
  if (format.empty()) format = !options.output.empty() ? FormatOfFile(options.output) : tty ? "table" : "csv";
  static const std::vector<std::string> kFormats = {"table", "json", "ndjson", "csv", "parquet", "arrow"};
  if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
    throw UsageError("--format must be table, json, ndjson, csv, parquet or arrow, not '" + format + "'");
  }
  if (format == "table" && !options.output.empty()) throw UsageError("a table is for the terminal: save csv, json, ndjson, parquet or arrow");
  if (Binary(format) && options.output.empty() && tty) {
    throw UsageError(format + " is binary: save it with -o FILE or pipe it");
  }
  nlohmann::json body{{"sql", sql}, {"format", format == "table" ? "json" : format}};
  if (options.snapshot) body["snapshot"] = *options.snapshot;
  if (!options.as_of.empty()) body["as_of"] = options.as_of;
  if (options.limit) body["limit"] = *options.limit;
  if (options.timeout_ms) body["timeout_ms"] = *options.timeout_ms;

  SqlOutcome outcome;
  Progress progress("query", 0, Binary(format) ? Progress::Unit::kBytes : Progress::Unit::kRows);
  ApiRequest request;
  request.method = "POST";
  request.target = "/api/v1/query";
  request.body = body.dump();
  request.headers.emplace_back("Content-Type", "application/json");

  std::optional<ResultPrinter> printer;
  int fd = -1;
  std::string partial;
  int64_t lines = 0;
  bool ends_with_newline = true;
  if (format == "table") {
    printer.emplace(OutputFormat::kTable, options.max_rows);
    request.sink = [&](const char *data, size_t size) {
      auto before = printer->rows();
      printer->Feed(data, size);
      progress.Add(static_cast<uint64_t>(printer->rows() - before));
    };
  } else {
    if (!options.output.empty()) {
      partial = options.output + ".ducklake-partial-" + RandomHex(4);
      fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) throw UsageError(fmt::format("cannot write {}: {}", options.output, std::strerror(errno)));
    }
    request.sink = [&](const char *data, size_t size) {
      if (Binary(format)) {
        progress.Add(size);
      } else {
        int64_t newlines = std::count(data, data + size, '\n');
        lines += newlines;
        progress.Add(static_cast<uint64_t>(newlines));
      }
      if (size > 0) ends_with_newline = data[size - 1] == '\n';
      if (fd < 0) return WriteStdout(data, size);
      while (size > 0) {
        auto n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", options.output, std::strerror(errno)));
        data += n;
        size -= static_cast<size_t>(n);
      }
    };
  }
  try {
    auto response = context.Api().Perform(request);
    outcome.snapshot = response.headers.count("x-ducklake-snapshot") ? response.headers["x-ducklake-snapshot"] : "";
    progress.Finish();
    if (printer) {
      printer->Finish();
      outcome.rows = printer->rows();
    } else if (format == "csv") {
      outcome.rows = std::max<int64_t>(lines - 1, 0);
    } else if (format == "ndjson") {
      outcome.rows = lines;
    }
    if (fd >= 0) {
      if (::close(fd) != 0) throw std::runtime_error(fmt::format("cannot write {}: {}", options.output, std::strerror(errno)));
      fd = -1;
      std::filesystem::rename(partial, options.output);
      partial.clear();
    }
  } catch (...) {
    progress.Finish();
    if (fd >= 0) ::close(fd);
    if (!partial.empty()) std::filesystem::remove(partial);
    throw;
  }
  // A JSON result has no final newline: printed, it gets one, so that results in a row stay apart.
  if (options.output.empty() && !printer && !Binary(format) && !ends_with_newline) WriteStdout("\n", 1);
  std::cout.flush();
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.timer || (!options.output.empty() && Terminal::Get().stderr_tty)) {
    std::string line = fmt::format("{} · snapshot {}", HumanDuration(outcome.seconds), outcome.snapshot);
    if (!options.output.empty()) {
      line = fmt::format("wrote {} ({}) · ", options.output, HumanBytes(std::filesystem::file_size(options.output))) + line;
    }
    std::cerr << Dim(line) << "\n";
  }
  return outcome;
}

}  // namespace ducklake::cli
