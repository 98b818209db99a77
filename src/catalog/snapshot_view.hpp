#pragma once
// Catalog rows as one snapshot sees them, read inside a metadata transaction: what every part of
// the table format (catalog reads, commits, history, retention) builds on. Private to catalog/.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/inlined_data.hpp"
#include "catalog/names.hpp"
#include "common/error.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {
namespace catalog_rows {

constexpr const char *kVisible = "begin_snapshot <= ? AND (end_snapshot IS NULL OR end_snapshot > ?)";

// The DuckLake format keeps comments as the tag of this name.
constexpr const char *kCommentTag = "comment";

// kVisible for a table referenced through an alias in a join.
inline std::string VisibleAs(const std::string &alias) {
  return fmt::format("{0}.begin_snapshot <= ? AND ({0}.end_snapshot IS NULL OR {0}.end_snapshot > ?)", alias);
}


struct SchemaRow {
  int64_t id;
  std::string name;
  std::string path;
  int64_t begin_snapshot;
};

struct TableRow {
  int64_t id;
  std::string uuid;
  int64_t schema_id;
  std::string name;
  std::string path;
  int64_t begin_snapshot;
};

class SnapshotView {
 public:
  SnapshotView(MetaTransaction &txn, int64_t snapshot) : txn_(txn), snapshot_(snapshot) {}

  std::optional<SchemaRow> FindSchema(const std::string &name) {
    auto rows = txn_.Query(fmt::format("SELECT schema_id, schema_name, path, begin_snapshot FROM ducklake_schema "
                                       "WHERE lower(schema_name) = ? AND {}",
                                       kVisible),
                           {LowerName(name), snapshot_, snapshot_});
    if (rows.empty()) return std::nullopt;
    return SchemaRow{rows[0].Int(0), rows[0].String(1), rows[0].String(2), rows[0].Int(3)};
  }

  SchemaRow GetSchema(const std::string &name) {
    auto schema = FindSchema(name);
    if (!schema) throw MakeError(ErrorKind::kNotFound, "namespace '{}' not found", name);
    return *schema;
  }

  std::vector<TableRow> Tables(int64_t schema_id, const std::optional<std::string> &name = std::nullopt) {
    std::string sql = fmt::format(
        "SELECT table_id, table_uuid, schema_id, table_name, path, begin_snapshot FROM ducklake_table "
        "WHERE schema_id = ? AND {}",
        kVisible);
    std::vector<SqlValue> params = {schema_id, snapshot_, snapshot_};
    if (name) {
      sql += " AND lower(table_name) = ?";
      params.emplace_back(LowerName(*name));
    }
    sql += " ORDER BY table_name";
    std::vector<TableRow> tables;
    for (const auto &row : txn_.Query(sql, params)) {
      tables.push_back({row.Int(0), row.String(1), row.Int(2), row.String(3), row.String(4), row.Int(5)});
    }
    return tables;
  }

  std::optional<TableRow> FindTableById(int64_t table_id) {
    auto rows = txn_.Query(fmt::format("SELECT table_id, table_uuid, schema_id, table_name, path, begin_snapshot FROM "
                                       "ducklake_table WHERE table_id = ? AND {}",
                                       kVisible),
                           {table_id, snapshot_, snapshot_});
    if (rows.empty()) return std::nullopt;
    const auto &row = rows[0];
    return TableRow{row.Int(0), row.String(1), row.Int(2), row.String(3), row.String(4), row.Int(5)};
  }

  // Rows visible at this snapshot: data file rows minus the positions their delete files list (and,
  // of a flush's file, minus the rows later snapshots inserted), and the rows kept in the catalog.
  int64_t LiveRows(int64_t table_id) {
    auto rows = txn_.Query(
        fmt::format("SELECT (SELECT coalesce(sum(record_count), 0) FROM ducklake_data_file WHERE table_id = ? AND {0}) "
                    "- (SELECT coalesce(sum(delete_count), 0) FROM ducklake_delete_file WHERE table_id = ? AND {0}) "
                    "- (SELECT coalesce(sum(r.row_count), 0) FROM dl_flushed_rows r JOIN ducklake_data_file f ON "
                    "f.data_file_id = r.data_file_id WHERE f.table_id = ? AND {1} AND r.snapshot_id > ?)",
                    kVisible, VisibleAs("f")),
        {table_id, snapshot_, snapshot_, table_id, snapshot_, snapshot_, table_id, snapshot_, snapshot_, snapshot_});
    // Likewise for a file the extension merged from several snapshots' files.
    int64_t later = 0;
    for (const auto &row : txn_.Query(fmt::format("SELECT partial_file_info FROM ducklake_data_file WHERE table_id = ? "
                                                  "AND partial_file_info IS NOT NULL AND {}",
                                                  kVisible),
                                      {table_id, snapshot_, snapshot_})) {
      for (const auto &[snapshot, count] : MergedSnapshotRows(row.OptionalString(0))) {
        if (snapshot > snapshot_) later += count;
      }
    }
    return rows[0].Int(0) - later + inlined_data::CountAt(txn_, table_id, snapshot_);
  }

  std::optional<TableRow> FindTable(int64_t schema_id, const std::string &name) {
    auto tables = Tables(schema_id, name);
    if (tables.empty()) return std::nullopt;
    return tables[0];
  }

  std::vector<ColumnDef> Columns(int64_t table_id) {
    auto rows = txn_.Query(fmt::format("SELECT column_id, column_name, column_type, nulls_allowed, default_value, "
                                       "parent_column FROM ducklake_column WHERE table_id = ? AND {} "
                                       "ORDER BY column_order",
                                       kVisible),
                           {table_id, snapshot_, snapshot_});
    std::map<int64_t, std::vector<const SqlRow *>> by_parent;
    for (const auto &row : rows) by_parent[row.IsNull(5) ? -1 : row.Int(5)].push_back(&row);
    std::function<std::vector<ColumnDef>(int64_t)> build = [&](int64_t parent) {
      std::vector<ColumnDef> columns;
      for (const auto *row : by_parent[parent]) {
        ColumnDef column;
        column.id = row->Int(0);
        column.name = row->String(1);
        column.type = row->String(2);
        column.nullable = row->IsNull(3) || row->Int(3) != 0;
        column.default_value = row->OptionalString(4);
        column.children = build(column.id);
        columns.push_back(std::move(column));
      }
      return columns;
    };
    return build(-1);
  }

  // What a writer needs of a table: its id, names, columns and key prefix (Describe without the
  // counts, tags and comments, which take a query each).
  TableInfo Shape(const SchemaRow &schema, const TableRow &table) {
    TableInfo info;
    info.id = table.id;
    info.uuid = table.uuid;
    info.namespace_name = schema.name;
    info.name = table.name;
    info.columns = Columns(table.id);
    info.snapshot_id = snapshot_;
    info.key_prefix = Catalog::kDataKeyPrefix + schema.path + table.path;
    return info;
  }

  TableInfo Describe(const SchemaRow &schema, const TableRow &table) {
    TableInfo info = Shape(schema, table);
    // A rename starts a new version of the table row; the table was created with its first one.
    info.created_snapshot =
        txn_.Query("SELECT min(begin_snapshot) FROM ducklake_table WHERE table_id = ?", {table.id})[0].Int(0);
    // How many live data files (and delete files) the table has, and their bytes.
    auto totals = [&](const char *catalog_table) {
      auto rows = txn_.Query(fmt::format("SELECT count(*), coalesce(sum(file_size_bytes), 0) FROM {} WHERE "
                                         "table_id = ? AND {}",
                                         catalog_table, kVisible),
                             {table.id, snapshot_, snapshot_});
      return std::pair<int64_t, int64_t>{rows[0].Int(0), rows[0].Int(1)};
    };
    std::tie(info.file_count, info.file_size_bytes) = totals("ducklake_data_file");
    std::tie(info.delete_file_count, info.delete_file_size_bytes) = totals("ducklake_delete_file");
    info.record_count = LiveRows(table.id);
    for (const auto &row : txn_.Query(fmt::format("SELECT key, value FROM ducklake_tag WHERE object_id = ? AND {}",
                                                  kVisible),
                                      {table.id, snapshot_, snapshot_})) {
      if (row.String(0) == kCommentTag) {
        info.comment = row.String(1);
      } else {
        info.tags[row.String(0)] = row.String(1);
      }
    }
    for (const auto &row : txn_.Query(fmt::format("SELECT column_id, value FROM ducklake_column_tag WHERE "
                                                  "table_id = ? AND key = ? AND {}",
                                                  kVisible),
                                      {table.id, kCommentTag, snapshot_, snapshot_})) {
      info.column_comments[row.Int(0)] = row.String(1);
    }
    return info;
  }

 private:
  MetaTransaction &txn_;
  int64_t snapshot_;
};

}  // namespace catalog_rows
}  // namespace ducklake
