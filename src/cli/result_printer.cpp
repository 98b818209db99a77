#include "cli/result_printer.hpp"

#include <iostream>

#include "cli/api_client.hpp"

namespace ducklake::cli {
namespace {

bool NumericType(const std::string &type) {
  static const char *kNumeric[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                                   "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"};
  for (const char *numeric : kNumeric) {
    if (type.rfind(numeric, 0) == 0 && type.find('[') == std::string::npos) return true;
  }
  return false;
}

constexpr const char *kNull = "NULL";

}  // namespace

ResultPrinter::ResultPrinter(OutputFormat format, size_t max_rows) : format_(format), max_rows_(max_rows) {}

void ResultPrinter::Feed(const char *data, size_t size) {
  for (size_t i = 0; i < size; i++) {
    char c = data[i];
    if (done_) continue;  // what follows the rows (nothing today) is not shown
    pending_ += c;
    if (!in_rows_) {
      // The header ends where the rows begin; it is small, so looking at its end is cheap.
      if (c == '[' && pending_.size() >= 8 && pending_.compare(pending_.size() - 8, 8, "\"rows\":[") == 0) {
        OnHeader(pending_);
        pending_.clear();
        in_rows_ = true;
      }
      continue;
    }
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '[' || c == '{') {
      depth_++;
    } else if (c == ']' || c == '}') {
      if (depth_ == 0) {  // the end of the rows array
        done_ = true;
        pending_.clear();
        continue;
      }
      depth_--;
      if (depth_ == 0) {
        // Drops the ',' that separated this row from the one before.
        auto start = pending_.find('[');
        OnRow(pending_.substr(start));
        pending_.clear();
      }
    }
  }
}

void ResultPrinter::OnHeader(const std::string &text) {
  auto header = nlohmann::json::parse(text + "]}", nullptr, false);
  if (!header.is_object() || !header.contains("columns")) throw ApiError(0, "the server's result is not DuckLake's JSON result");
  for (const auto &column : header["columns"]) {
    auto type = column.value("type", "");
    columns_.push_back({column.value("name", ""), NumericType(type) ? ColumnKind::kNumber : ColumnKind::kText});
    types_.push_back(type);
  }
  if (format_ == OutputFormat::kCsv) {
    std::string line;
    for (size_t c = 0; c < columns_.size(); c++) line += (c ? "," : "") + CsvField(columns_[c].name);
    std::cout << line << "\n";
  }
}

std::vector<std::string> ResultPrinter::Cells(const nlohmann::json &row) const {
  std::vector<std::string> cells;
  cells.reserve(row.size());
  for (const auto &value : row) cells.push_back(value.is_null() ? kNull : CellText(value));
  return cells;
}

void ResultPrinter::OnRow(const std::string &text) {
  auto row = nlohmann::json::parse(text, nullptr, false);
  if (!row.is_array()) throw ApiError(0, "the server's result has a malformed row");
  row_count_++;
  if (format_ == OutputFormat::kCsv) {
    std::string line;
    size_t c = 0;
    for (const auto &value : row) line += (c++ ? "," : "") + (value.is_null() ? "" : CsvField(CellText(value)));
    std::cout << line << "\n";
    return;
  }
  if (max_rows_ == 0 || head_.size() < (max_rows_ + 1) / 2) {
    head_.push_back(Cells(row));
    return;
  }
  tail_.push_back(Cells(row));
  if (tail_.size() > max_rows_ / 2) tail_.pop_front();
}

void ResultPrinter::Finish() {
  if (!done_) throw ApiError(0, "the result was cut off: the server stopped while sending it");
  if (format_ == OutputFormat::kCsv) return;
  TablePrinter table(columns_);
  for (auto &row : head_) table.AddRow(row);
  int64_t shown = static_cast<int64_t>(head_.size() + tail_.size());
  if (shown < row_count_) table.AddRow(std::vector<std::string>(columns_.size(), "…"));
  for (auto &row : tail_) table.AddRow(row);
  table.Print(OutputFormat::kTable);
  auto rows = row_count_ == 1 ? std::string("1 row") : HumanCount(row_count_) + " rows";
  if (shown < row_count_) rows += " (" + HumanCount(shown) + " shown)";
  TablePrinter::Footer(rows);
}

}  // namespace ducklake::cli
