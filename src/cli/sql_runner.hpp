#pragma once
// Runs SQL through POST /api/v1/query and prints or saves the result as it streams in; shared by
// `ducklake sql` and its interactive shell.

#include <optional>
#include <string>
#include <vector>

#include "cli/command_context.hpp"

namespace ducklake::cli {

struct SqlOptions {
  std::string format;  // table | json | ndjson | csv | parquet | arrow ("" = table on a terminal, else csv)
  std::string output;  // -o FILE ("" = stdout)
  std::optional<int64_t> snapshot;
  std::string as_of;
  std::optional<int64_t> limit;
  std::optional<int64_t> timeout_ms;
  size_t max_rows = 40;  // rows a table on the terminal shows
  bool timer = false;
};

struct SqlOutcome {
  int64_t rows = -1;  // -1 when not counted (binary formats)
  std::string snapshot;  // X-DuckLake-Snapshot
  double seconds = 0;
};

// Runs one statement. Ctrl-C throws Interrupted after the request is abandoned (the server then
// stops the query); a file given with -o is written beside and renamed into place only when whole.
SqlOutcome RunStatement(CommandContext &context, const std::string &sql, const SqlOptions &options);

// Splits SQL text into statements at semicolons outside quotes and comments; empty ones dropped.
std::vector<std::string> SplitStatements(const std::string &text);
// Whether the text ends a statement (its last token outside quotes and comments is ';').
bool EndsStatement(const std::string &text);

// The interactive shell (history, multi-line statements, dot commands); returns at .quit or EOF.
void RunShell(CommandContext &context, SqlOptions options);

}  // namespace ducklake::cli
