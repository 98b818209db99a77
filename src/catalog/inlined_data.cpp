#include "catalog/inlined_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "catalog/names.hpp"
#include "common/error.hpp"

namespace ducklake {
namespace inlined_data {
namespace {

const char *const kOwnColumns[] = {"row_id", "begin_snapshot", "end_snapshot"};
constexpr size_t kOwnColumnCount = 3;

enum class Storage { kInteger, kFloat, kText };

Storage StorageOf(const std::string &type) {
  static const std::map<std::string, Storage> kinds = {
      {"boolean", Storage::kInteger}, {"int8", Storage::kInteger},    {"int16", Storage::kInteger},
      {"int32", Storage::kInteger},   {"int64", Storage::kInteger},   {"uint8", Storage::kInteger},
      {"uint16", Storage::kInteger},  {"uint32", Storage::kInteger},  {"float32", Storage::kFloat},
      {"float64", Storage::kFloat},
  };
  auto it = kinds.find(type);
  return it == kinds.end() ? Storage::kText : it->second;
}

// The column type an inlined-data table gives a lake column in the metadata database. SQLite keeps
// floating-point values as text: its REAL columns cannot hold -0.0.
std::string DatabaseType(const std::string &dialect, const std::string &type) {
  if (dialect != "postgresql" && StorageOf(type) == Storage::kFloat) return "VARCHAR";
  static const std::map<std::string, std::pair<const char *, const char *>> types = {
      // lake type -> (PostgreSQL, SQLite as DuckDB names it)
      {"boolean", {"BOOLEAN", "BOOLEAN"}}, {"int8", {"SMALLINT", "TINYINT"}},  {"int16", {"SMALLINT", "SMALLINT"}},
      {"int32", {"INTEGER", "INTEGER"}},   {"int64", {"BIGINT", "BIGINT"}},    {"uint8", {"SMALLINT", "UTINYINT"}},
      {"uint16", {"INTEGER", "USMALLINT"}}, {"uint32", {"BIGINT", "UINTEGER"}}, {"float32", {"REAL", "FLOAT"}},
      {"float64", {"DOUBLE PRECISION", "DOUBLE"}},
  };
  auto it = types.find(type);
  if (it == types.end()) return "VARCHAR";
  return dialect == "postgresql" ? it->second.first : it->second.second;
}

std::string QuoteName(const std::string &name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

SqlValue Bind(const std::string &dialect, const std::string &type, const std::optional<std::string> &text) {
  if (!text) return SqlValue();
  if (dialect != "postgresql" && StorageOf(type) == Storage::kFloat) return *text;
  switch (StorageOf(type)) {
    case Storage::kInteger:
      if (type == "boolean") return int64_t{*text == "true" || *text == "1"};
      return static_cast<int64_t>(std::stoll(*text));
    case Storage::kFloat: {
      double value = std::strtod(text->c_str(), nullptr);
      if (std::isnan(value)) return std::string("nan");  // PostgreSQL reads it as NaN
      return value;
    }
    case Storage::kText:
      break;
  }
  return *text;
}

std::optional<std::string> Text(const SqlValue &value) {
  if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
  if (auto *integer = std::get_if<int64_t>(&value)) return std::to_string(*integer);
  if (auto *real = std::get_if<double>(&value)) return fmt::format("{}", *real);  // shortest exact text
  return std::get<std::string>(value);
}

struct InlinedTable {
  std::string name;
  int64_t schema_version = 0;
};

std::vector<InlinedTable> TablesOf(MetaTransaction &txn, int64_t table_id) {
  std::vector<InlinedTable> tables;
  for (const auto &row : txn.Query("SELECT table_name, schema_version FROM ducklake_inlined_data_tables WHERE "
                                   "table_id = ? ORDER BY schema_version",
                                   {table_id})) {
    auto name = row.String(0);
    // Only names of the format's pattern reach SQL text.
    if (name.rfind(kTablePrefix, 0) != 0 || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") !=
                                                std::string::npos) {
      throw MakeError(ErrorKind::kInternal, "the catalog lists an inlined-data table named '{}'", name);
    }
    tables.push_back({std::move(name), row.Int(1)});
  }
  return tables;
}

std::vector<int64_t> ColumnIdsAt(MetaTransaction &txn, int64_t table_id, int64_t schema_version) {
  std::vector<int64_t> ids;
  for (const auto &column : ColumnsAt(txn, table_id, schema_version)) ids.push_back(column.id);
  return ids;
}

std::string TableName(int64_t table_id, int64_t schema_version) {
  return kTablePrefix + std::to_string(table_id) + "_" + std::to_string(schema_version);
}

// Creates the inlined-data table of a table and schema version, with `columns`, unless it exists.
std::string CreateTable(MetaTransaction &txn, const std::string &dialect, int64_t table_id, int64_t schema_version,
                        const std::vector<ColumnDef> &columns) {
  auto name = TableName(table_id, schema_version);
  if (txn.Query("SELECT 1 FROM ducklake_inlined_data_tables WHERE table_name = ?", {name}).empty()) {
    std::string definition = "row_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT";
    for (const auto &column : columns) {
      definition += ", " + QuoteName(column.name) + " " + DatabaseType(dialect, column.type);
    }
    // It may be there, unlisted (see Unlist).
    txn.Execute(fmt::format("CREATE TABLE IF NOT EXISTS {} ({})", name, definition));
    txn.Execute("INSERT INTO ducklake_inlined_data_tables VALUES (?, ?, ?)", {table_id, name, schema_version});
  }
  return name;
}

}  // namespace

namespace {

// JSON inside a nested type: DuckDB's text of such a value does not cast back.
bool HoldsNestedJson(const ColumnDef &column) {
  for (const auto &child : column.children) {
    if (child.type == "json" || HoldsNestedJson(child)) return true;
  }
  return false;
}

}  // namespace

std::vector<ColumnDef> ColumnsAt(MetaTransaction &txn, int64_t table_id, int64_t schema_version) {
  // Where the version began (ducklake_schema_versions; catalogs without that row: its first snapshot).
  auto begin = txn.Query("SELECT coalesce((SELECT max(begin_snapshot) FROM ducklake_schema_versions WHERE "
                         "schema_version = ?), (SELECT min(snapshot_id) FROM ducklake_snapshot WHERE schema_version = ?))",
                         {schema_version, schema_version});
  if (begin.empty() || begin[0].IsNull(0)) {
    throw MakeError(ErrorKind::kInternal, "the catalog has no schema version {}", schema_version);
  }
  int64_t at = begin[0].Int(0);
  std::vector<ColumnDef> columns;
  for (const auto &row : txn.Query("SELECT column_id, column_name, column_type FROM ducklake_column WHERE table_id = ? "
                                   "AND parent_column IS NULL AND begin_snapshot <= ? AND (end_snapshot IS NULL OR "
                                   "end_snapshot > ?) ORDER BY column_order",
                                   {table_id, at, at})) {
    ColumnDef column;
    column.id = row.Int(0);
    column.name = row.String(1);
    column.type = row.String(2);
    columns.push_back(std::move(column));
  }
  return columns;
}

void Replace(MetaTransaction &txn, const std::string &dialect, int64_t table_id, int64_t schema_version,
             const std::vector<ColumnDef> &columns, const std::vector<StoredRow> &rows) {
  auto name = TableName(table_id, schema_version);
  if (!txn.Query("SELECT 1 FROM ducklake_inlined_data_tables WHERE table_name = ?", {name}).empty()) {
    txn.Execute("DELETE FROM ducklake_inlined_data_tables WHERE table_name = ?", {name});
    txn.Execute("DROP TABLE IF EXISTS " + name);
  }
  CreateTable(txn, dialect, table_id, schema_version, columns);
  std::string placeholders = "?, ?, ?";
  for (size_t c = 0; c < columns.size(); c++) placeholders += ", ?";
  auto sql = fmt::format("INSERT INTO {} VALUES ({})", name, placeholders);
  for (const auto &row : rows) {
    std::vector<SqlValue> params = {row.row_id, row.begin_snapshot,
                                    row.end_snapshot ? SqlValue(*row.end_snapshot) : SqlValue()};
    for (size_t c = 0; c < columns.size(); c++) params.push_back(Bind(dialect, columns[c].type, row.values.at(c)));
    txn.Execute(sql, params);
  }
}

bool CanHold(const std::vector<ColumnDef> &columns) {
  for (const auto &column : columns) {
    for (const char *own : kOwnColumns) {
      if (LowerName(column.name) == own) return false;
    }
    if (HoldsNestedJson(column)) return false;
  }
  return true;
}

void Insert(MetaTransaction &txn, const std::string &dialect, int64_t table_id, int64_t schema_version,
            const std::vector<ColumnDef> &table_columns, int64_t snapshot_id, const InlinedRows &rows,
            int64_t first_row_id) {
  if (rows.rows.empty()) return;
  auto name = CreateTable(txn, dialect, table_id, schema_version, table_columns);
  // Where each table column's value is in the rows (by column id).
  std::vector<std::optional<size_t>> source(table_columns.size());
  for (size_t t = 0; t < table_columns.size(); t++) {
    for (size_t i = 0; i < rows.columns.size(); i++) {
      if (rows.columns[i].id == table_columns[t].id) source[t] = i;
    }
  }
  std::string placeholders = "?, ?, NULL";
  for (size_t t = 0; t < table_columns.size(); t++) placeholders += ", ?";
  auto sql = fmt::format("INSERT INTO {} VALUES ({})", name, placeholders);
  int64_t next_row_id = first_row_id;
  for (size_t r = 0; r < rows.rows.size(); r++) {
    const auto &row = rows.rows[r];
    auto kept_id = r < rows.row_ids.size() ? rows.row_ids[r] : std::nullopt;
    std::vector<SqlValue> params = {kept_id ? *kept_id : next_row_id++, snapshot_id};
    for (size_t t = 0; t < table_columns.size(); t++) {
      // A column the rows lack (added after they were written) has its default, as in a file.
      params.push_back(Bind(dialect, table_columns[t].type,
                            source[t] ? row.at(*source[t]) : table_columns[t].default_value));
    }
    txn.Execute(sql, params);
  }
}

namespace {

// Runs `statement` (with `{table}` to fill in) on every inlined-data table of a table; returns the
// rows changed.
int64_t OnEveryTable(MetaTransaction &txn, int64_t table_id, const std::string &statement,
                     const std::vector<SqlValue> &params) {
  int64_t changed = 0;
  for (const auto &table : TablesOf(txn, table_id)) {
    changed += txn.Execute(fmt::format(fmt::runtime(statement), fmt::arg("table", table.name)), params);
  }
  return changed;
}

// Runs `statement` (with `{table}` and `{ids}` to fill in, and `leading` parameters before the ids)
// on every inlined-data table of a table, for the row ids in slices (a statement's parameters are
// limited: SQLite's 32766); returns the rows changed.
int64_t ForRowIds(MetaTransaction &txn, int64_t table_id, const std::vector<int64_t> &row_ids,
                  const std::string &statement, const std::vector<SqlValue> &leading) {
  constexpr size_t kSlice = 1000;
  int64_t changed = 0;
  if (row_ids.empty()) return changed;
  for (const auto &table : TablesOf(txn, table_id)) {
    for (size_t start = 0; start < row_ids.size(); start += kSlice) {
      size_t end = std::min(row_ids.size(), start + kSlice);
      std::string list;
      auto params = leading;
      for (size_t i = start; i < end; i++) {
        list += i == start ? "?" : ", ?";
        params.push_back(row_ids[i]);
      }
      changed += txn.Execute(fmt::format(fmt::runtime(statement), fmt::arg("table", table.name), fmt::arg("ids", list)),
                             params);
    }
  }
  return changed;
}

}  // namespace

int64_t End(MetaTransaction &txn, int64_t table_id, const std::vector<int64_t> &row_ids, int64_t snapshot_id) {
  return ForRowIds(txn, table_id, row_ids,
                   "UPDATE {table} SET end_snapshot = ? WHERE end_snapshot IS NULL AND row_id IN ({ids})",
                   {snapshot_id});
}

void RemoveLive(MetaTransaction &txn, int64_t table_id, const std::vector<int64_t> &row_ids) {
  ForRowIds(txn, table_id, row_ids, "DELETE FROM {table} WHERE end_snapshot IS NULL AND row_id IN ({ids})", {});
}

int64_t EndAll(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id) {
  return OnEveryTable(txn, table_id, "UPDATE {table} SET end_snapshot = ? WHERE end_snapshot IS NULL", {snapshot_id});
}

std::vector<StoredRow> Rows(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id,
                            const std::vector<ColumnDef> &columns, std::optional<int64_t> changed_after) {
  std::vector<StoredRow> rows;
  for (const auto &table : TablesOf(txn, table_id)) {
    auto ids = ColumnIdsAt(txn, table_id, table.schema_version);
    // Which stored column holds each asked-for column.
    std::vector<std::optional<size_t>> source(columns.size());
    for (size_t c = 0; c < columns.size(); c++) {
      for (size_t i = 0; i < ids.size(); i++) {
        if (ids[i] == columns[c].id) source[c] = kOwnColumnCount + i;
      }
    }
    for (auto &row : txn.Query(fmt::format("SELECT * FROM {} WHERE begin_snapshot <= ? AND (end_snapshot IS NULL OR "
                                           "end_snapshot > ?)",
                                           table.name),
                               {snapshot_id, changed_after.value_or(snapshot_id)})) {
      if (row.values.size() != kOwnColumnCount + ids.size()) {
        throw MakeError(ErrorKind::kInternal, "inlined-data table {} does not have the columns of its schema version",
                        table.name);
      }
      StoredRow stored;
      stored.row_id = row.Int(0);
      stored.begin_snapshot = row.Int(1);
      stored.end_snapshot = row.OptionalInt(2);
      // A column added after the row's schema version has its default, as in a file.
      for (size_t c = 0; c < columns.size(); c++) {
        stored.values.push_back(source[c] ? Text(row.values[*source[c]]) : columns[c].default_value);
      }
      rows.push_back(std::move(stored));
    }
  }
  std::sort(rows.begin(), rows.end(), [](const StoredRow &a, const StoredRow &b) { return a.row_id < b.row_id; });
  return rows;
}

std::vector<std::string> TableNames(MetaTransaction &txn, int64_t table_id) {
  std::vector<std::string> names;
  for (auto &table : TablesOf(txn, table_id)) names.push_back(std::move(table.name));
  return names;
}

std::vector<RowSpan> Spans(MetaTransaction &txn, int64_t table_id) {
  std::vector<RowSpan> spans;
  for (const auto &table : TablesOf(txn, table_id)) {
    for (const auto &row : txn.Query(fmt::format("SELECT begin_snapshot, end_snapshot, count(*) FROM {} GROUP BY "
                                                 "begin_snapshot, end_snapshot",
                                                 table.name))) {
      spans.push_back({row.Int(0), row.OptionalInt(1), row.Int(2)});
    }
  }
  return spans;
}

std::vector<ColumnDef> KeptColumns(MetaTransaction &txn, int64_t table_id) {
  std::vector<ColumnDef> columns;
  for (const auto &table : TablesOf(txn, table_id)) {  // oldest schema version first
    for (auto &column : ColumnsAt(txn, table_id, table.schema_version)) {
      auto same = std::find_if(columns.begin(), columns.end(), [&](const ColumnDef &c) { return c.id == column.id; });
      if (same == columns.end()) {
        columns.push_back(std::move(column));
      } else {
        *same = std::move(column);
      }
    }
  }
  return columns;
}

bool ChangedAfter(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id) {
  for (const auto &table : TablesOf(txn, table_id)) {
    if (!txn.Query(fmt::format("SELECT 1 FROM {} WHERE begin_snapshot > ? OR end_snapshot > ? LIMIT 1", table.name),
                   {snapshot_id, snapshot_id})
             .empty()) {
      return true;
    }
  }
  return false;
}

int64_t CountAt(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id) {
  int64_t count = 0;
  for (const auto &table : TablesOf(txn, table_id)) {
    count += txn.Query(fmt::format("SELECT count(*) FROM {} WHERE begin_snapshot <= ? AND (end_snapshot IS NULL OR "
                                   "end_snapshot > ?)",
                                   table.name),
                       {snapshot_id, snapshot_id})
                 .at(0)
                 .Int(0);
  }
  return count;
}

int64_t Purge(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id) {
  return OnEveryTable(txn, table_id, "DELETE FROM {table} WHERE end_snapshot IS NOT NULL AND end_snapshot <= ?",
                      {snapshot_id});
}

void UnlistEmpty(MetaTransaction &txn, int64_t table_id) {
  for (const auto &table : TablesOf(txn, table_id)) {
    if (txn.Query(fmt::format("SELECT 1 FROM {} LIMIT 1", table.name)).empty()) {
      txn.Execute("DELETE FROM ducklake_inlined_data_tables WHERE table_name = ?", {table.name});
    }
  }
}

}  // namespace inlined_data
}  // namespace ducklake
