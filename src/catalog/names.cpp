#include "catalog/names.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/error.hpp"

namespace ducklake {
namespace {

constexpr size_t kMaxObjectName = 63;
constexpr size_t kMaxColumnName = 255;

}  // namespace

std::string LowerName(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

namespace {

std::string Quote(const std::string &text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  return out + quote;
}

}  // namespace

std::string QuoteIdentifier(const std::string &name) { return Quote(name, '"'); }

std::string QuoteLiteral(const std::string &text) { return Quote(text, '\''); }

void ValidateObjectName(const std::string &what, const std::string &name) {
  static const std::set<std::string> kReserved = {"temp", "main", "information_schema", "pg_catalog", "system"};
  bool valid = !name.empty() && name.size() <= kMaxObjectName &&
               (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
               std::all_of(name.begin(), name.end(),
                           [](unsigned char c) { return std::isalnum(c) || c == '_'; });
  if (!valid) {
    throw MakeError(ErrorKind::kInvalidInput,
                    "invalid {} name '{}': use a letter or '_' followed by letters, digits or '_' (at most {})",
                    what, name.substr(0, kMaxObjectName + 1), kMaxObjectName);
  }
  if (kReserved.count(LowerName(name))) throw MakeError(ErrorKind::kInvalidInput, "{} name '{}' is reserved", what, name);
}

void ValidateColumns(const std::vector<ColumnDef> &columns) {
  std::set<std::string> seen;
  for (const auto &column : columns) {
    if (column.name.empty() || column.name.size() > kMaxColumnName) {
      throw MakeError(ErrorKind::kInvalidInput, "column names must have 1 to {} characters", kMaxColumnName);
    }
    if (!seen.insert(LowerName(column.name)).second) {
      throw MakeError(ErrorKind::kInvalidInput, "duplicate column name '{}'", column.name);
    }
    // Columns the Parquet reader adds itself, and the ones DuckLake's scans add.
    static const std::set<std::string> kReservedColumns = {"file_row_number", "__ducklake_file", "__ducklake_pos",
                                                           "__ducklake_rowid", kRowIdColumnName};
    if (kReservedColumns.count(LowerName(column.name))) {
      throw MakeError(ErrorKind::kInvalidInput, "column name '{}' is reserved", column.name);
    }
    ValidateColumns(column.children);
  }
}

}  // namespace ducklake
