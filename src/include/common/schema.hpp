#pragma once
// The schema vocabulary shared by the lake (which stores it) and the engine (which maps it to
// DuckDB types): column definitions of lake tables, in the DuckLake table format's type names ("int32",
// "varchar", "decimal(18,3)", "struct", "list", "map", ...). Nested types carry children, stored in
// the catalog with parent_column.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ducklake {

struct ColumnDef {
  int64_t id = 0;  // column id (the Parquet field id); assigned by the lake
  std::string name;
  std::string type;  // DuckLake type name
  bool nullable = true;
  std::optional<std::string> default_value;
  std::vector<ColumnDef> children;  // struct fields, the list element, the map key and value
};

// The field id and name the format gives a data file's column of row ids: written where rows keep
// the ids they had in another file (an UPDATE's new rows); a file without it numbers its rows from
// its row_id_start. Field ids from kFirstReservedFieldId up belong to the format, never to a column.
constexpr int64_t kRowIdFieldId = 2147483540;
constexpr const char *kRowIdColumnName = "_ducklake_internal_row_id";
constexpr int64_t kFirstReservedFieldId = 2147483520;
// The field id and name of a data file's column of the snapshots that inserted its rows: written by
// a flush, whose file holds rows that snapshots inserted into the catalog one by one.
constexpr int64_t kSnapshotIdFieldId = 2147483539;
constexpr const char *kSnapshotIdColumnName = "_ducklake_internal_snapshot_id";

// Per-column statistics of one data file, as the DuckLake format records them. Min and max are
// text in the type's canonical form.
struct ColumnStats {
  int64_t column_id = 0;
  std::optional<std::string> min_value;
  std::optional<std::string> max_value;
  int64_t null_count = 0;
  int64_t value_count = 0;
  int64_t column_size_bytes = 0;
  // Whether a floating-point column holds NaN (true when unknown); nullopt for other columns.
  std::optional<bool> contains_nan;
};

// Rows kept in the catalog instead of a Parquet file: the format's data inlining, for commits of
// a few rows (DuckLake's data_inlining_row_limit). Values are text as DuckDB casts them to VARCHAR
// (NULL as nullopt), one per column of `columns`; the engine casts them back, exactly.
struct InlinedRows {
  std::vector<ColumnDef> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  // Each row's lake row id when it keeps one it already had (an UPDATE's new rows); empty for new
  // rows, which the commit numbers.
  std::vector<std::optional<int64_t>> row_ids;
  std::vector<ColumnStats> stats;  // by column, as a data file's
};

// Numbers columns as the lake does on creation: depth-first from `next_id`; returns the next free id.
int64_t AssignColumnIds(std::vector<ColumnDef> &columns, int64_t next_id = 1);

// Orders two statistics values of the given DuckLake type: <0, 0, >0. Numeric types compare as
// numbers, everything else as text (the canonical text forms of dates and times sort correctly).
int CompareStatValues(const std::string &type, const std::string &left, const std::string &right);

}  // namespace ducklake
