#pragma once
// What the client commands print, and how: tables, JSON, CSV, progress bars.
//
// On a terminal (stdout a TTY), tables are aligned with a bold header, sizes and counts made
// readable (1.5 GiB, 12,345) and long cells cut to fit; NO_COLOR or TERM=dumb turns colour off.
// Anywhere else (a pipe, a file), output is for scripts: the same columns, exact values, no colour,
// no cutting. Progress bars go to stderr and only when stderr is a terminal. Printing is not
// thread-safe; Progress is.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ducklake::cli {

enum class OutputFormat { kTable, kJson, kCsv };
OutputFormat ParseOutputFormat(const std::string &name);  // table | json | csv (UsageError otherwise)

struct Terminal {
  bool stdout_tty = false;
  bool stderr_tty = false;
  bool color = false;
  int width = 100;  // of stdout's terminal
  static const Terminal &Get();
};

std::string HumanBytes(uint64_t bytes);     // 1023 B, 1.5 KiB, 3.2 GiB
std::string HumanCount(int64_t count);      // 12,345,678
std::string HumanDuration(double seconds);  // 850 ms, 12.3 s, 4m05s, 2h03m
std::string CsvField(const std::string &value);

// How a column's values look on a terminal.
enum class ColumnKind { kText, kBytes, kCount, kNumber };

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::kText;
};

// A table of text cells (exact values); rendering decides how each looks.
class TablePrinter {
 public:
  explicit TablePrinter(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void AddRow(std::vector<std::string> cells);
  size_t size() const { return rows_.size(); }
  // Prints in the format: table (as described above), csv (header + rows) or json (an array of
  // objects with the exact values; numbers stay numbers).
  void Print(OutputFormat format) const;
  // A note under a table on a terminal ("3 rows"); nothing for scripts.
  static void Footer(const std::string &text);

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Text of a JSON value in a table cell: strings as they are, null as "", the rest as JSON.
std::string CellText(const nlohmann::json &value);
// CellText of an object's field; "" when it has none.
std::string FieldText(const nlohmann::json &object, const char *field);

// Prints a JSON answer as it is (indented on a terminal) — what --format json prints.
void PrintJson(const nlohmann::json &value);

// "key: value" lines for one thing (describe, stat): aligned keys on a terminal.
void PrintFields(const std::vector<std::pair<std::string, std::string>> &fields);

// A progress line on stderr: "label  [#####      ] 45%  1.2 GiB / 2.7 GiB  310 MiB/s  ETA 5 s".
// Counts bytes (or rows, for a query); total 0 means unknown (no bar, no ETA). Add() may be
// called from any thread; the line is redrawn at most ten times a second, and removed by Finish()
// or the destructor. Does nothing unless stderr is a terminal.
class Progress {
 public:
  enum class Unit { kBytes, kRows };
  Progress(std::string label, uint64_t total, Unit unit = Unit::kBytes);
  ~Progress();
  void Add(uint64_t amount);
  void Set(uint64_t done);
  void AddTotal(uint64_t amount);
  void Finish();

 private:
  void Draw(bool force);
  std::string label_;
  std::atomic<uint64_t> total_;
  std::atomic<uint64_t> done_{0};
  Unit unit_;
  bool enabled_;
  std::mutex draw_mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
  bool finished_ = false;
};

// Writes bytes to stdout (unbuffered by iostreams); StdoutClosed when nobody reads them any more.
void WriteStdout(const char *data, size_t size);

// Colour helpers: the text unchanged when colour is off.
std::string Bold(const std::string &text);
std::string Dim(const std::string &text);
std::string Red(const std::string &text);
std::string Green(const std::string &text);
std::string Yellow(const std::string &text);
std::string Cyan(const std::string &text);

// The display width of UTF-8 text (code points; wide East Asian characters are not measured).
size_t DisplayWidth(const std::string &text);

}  // namespace ducklake::cli
