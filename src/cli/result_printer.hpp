#pragma once
// Prints a query result (DuckLake's JSON result format, `{"columns":[…],"rows":[[…],…]}`) while it
// streams in, in constant memory whatever its size.
//
//   - table: an aligned table of the first and last `max_rows / 2` rows (DuckDB's shell does the
//     same), with "N rows (M shown)" under it; numbers right-aligned, NULL shown as NULL;
//   - csv: a header line, then each row as it arrives.
// Feed() takes the body piece by piece (any split); Finish() checks the result was whole (a
// cut-off stream throws ApiError) and prints what is kept. One printer is one result; not
// thread-safe.

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/terminal.hpp"

namespace ducklake::cli {

class ResultPrinter {
 public:
  ResultPrinter(OutputFormat format, size_t max_rows);
  void Feed(const char *data, size_t size);
  void Finish();
  int64_t rows() const { return row_count_; }

 private:
  void OnHeader(const std::string &text);
  void OnRow(const std::string &text);
  std::vector<std::string> Cells(const nlohmann::json &row) const;

  OutputFormat format_;
  size_t max_rows_;
  // The splitter: the text up to `"rows":[`, then one row (a JSON array) at a time.
  std::string pending_;
  bool in_rows_ = false;
  bool done_ = false;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  std::vector<Column> columns_;
  std::vector<std::string> types_;
  std::vector<std::vector<std::string>> head_;
  std::deque<std::vector<std::string>> tail_;
  int64_t row_count_ = 0;
};

}  // namespace ducklake::cli
