#include "catalog/catalog.hpp"

#include <algorithm>
#include <charconv>

#include <limits>
#include <map>

#include "catalog/snapshot_view.hpp"
#include "common/error.hpp"
#include "common/time.hpp"

namespace ducklake {

using namespace catalog_rows;

std::vector<TableHit> Catalog::SearchTables(const TableSearch &search) {
  // Current rows only: end_snapshot IS NULL is "as of the latest snapshot" in the DuckLake format.
  std::string sql =
      "SELECT s.schema_name, t.table_name, t.table_id FROM ducklake_table t JOIN ducklake_schema s ON s.schema_id = "
      "t.schema_id WHERE t.end_snapshot IS NULL AND s.end_snapshot IS NULL";
  std::vector<SqlValue> params;
  std::string pattern = LikeContains(search.text);
  if (!search.text.empty()) {
    sql +=
        " AND (lower(t.table_name) LIKE ? ESCAPE '\\' OR lower(s.schema_name) LIKE ? ESCAPE '\\' OR EXISTS "
        "(SELECT 1 FROM ducklake_column c WHERE c.table_id = t.table_id AND c.end_snapshot IS NULL AND "
        "lower(c.column_name) LIKE ? ESCAPE '\\') OR EXISTS (SELECT 1 FROM ducklake_tag g WHERE g.object_id = "
        "t.table_id AND g.end_snapshot IS NULL AND (lower(g.key) LIKE ? ESCAPE '\\' OR lower(g.value) LIKE ? "
        "ESCAPE '\\')) OR EXISTS (SELECT 1 FROM ducklake_column_tag g WHERE g.table_id = t.table_id AND "
        "g.end_snapshot IS NULL AND lower(g.value) LIKE ? ESCAPE '\\'))";
    params.insert(params.end(), 6, pattern);
  }
  if (search.tag) {
    sql += " AND EXISTS (SELECT 1 FROM ducklake_tag g WHERE g.object_id = t.table_id AND g.end_snapshot IS NULL "
           "AND g.key = ?";
    params.push_back(search.tag->first);
    if (search.tag->second) {
      sql += " AND g.value = ?";
      params.push_back(*search.tag->second);
    }
    sql += ")";
  }
  if (search.after) {
    sql += " AND (s.schema_name > ? OR (s.schema_name = ? AND t.table_name > ?))";
    params.insert(params.end(), {search.after->first, search.after->first, search.after->second});
  }
  sql += " ORDER BY s.schema_name, t.table_name LIMIT ?";
  params.push_back(static_cast<int64_t>(search.limit));
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::vector<TableHit> hits;
  for (const auto &row : txn->Query(sql, params)) {
    TableHit hit{row.String(0), row.String(1), {}};
    if (!search.text.empty()) {
      for (const auto &column : txn->Query(
               "SELECT column_name FROM ducklake_column WHERE table_id = ? AND end_snapshot IS NULL AND "
               "parent_column IS NULL AND lower(column_name) LIKE ? ESCAPE '\\' ORDER BY column_order",
               {row.Int(2), pattern})) {
        hit.matched_columns.push_back(column.String(0));
      }
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

void Catalog::RecordDataPath(const std::string &url) {
  auto txn = meta_.Begin(TransactionMode::kWrite);
  if (txn->Execute("UPDATE ducklake_metadata SET value = ? WHERE key = 'data_path' AND scope IS NULL AND value <> ?",
                   {url, url}) > 0) {
    txn->Commit();
  }
}

std::string Catalog::DataPathUrl() {
  auto rows = meta_.Begin(TransactionMode::kRead)
                  ->Query("SELECT value FROM ducklake_metadata WHERE key = 'data_path' AND scope IS NULL");
  return rows.empty() ? kDataKeyPrefix : rows[0].String(0);
}

std::string Catalog::NewTableKeyPrefix(const std::string &namespace_name, const std::string &table_name) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  SnapshotView catalog(*txn, std::numeric_limits<int64_t>::max());
  // The same path CreateTableRows gives the table: namespace path as stored, table name as given.
  return kDataKeyPrefix + catalog.GetSchema(namespace_name).path + table_name + "/";
}

std::vector<NamespaceInfo> Catalog::ListNamespaces(int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query(fmt::format("SELECT s.schema_id, s.schema_name, s.begin_snapshot, (SELECT count(*) FROM "
                                     "ducklake_table t WHERE t.schema_id = s.schema_id AND {}) FROM ducklake_schema s WHERE "
                                     "{} ORDER BY s.schema_name",
                                     VisibleAs("t"), VisibleAs("s")),
                         {snapshot_id, snapshot_id, snapshot_id, snapshot_id});
  std::vector<NamespaceInfo> namespaces;
  for (const auto &row : rows) namespaces.push_back({row.Int(0), row.String(1), row.Int(2), row.Int(3)});
  return namespaces;
}

NamespaceInfo Catalog::GetNamespace(const std::string &name, int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  SnapshotView catalog(*txn, snapshot_id);
  auto schema = catalog.GetSchema(name);
  return {schema.id, schema.name, schema.begin_snapshot, static_cast<int64_t>(catalog.Tables(schema.id).size())};
}

std::vector<TableInfo> Catalog::ListTables(const std::string &namespace_name, int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  SnapshotView catalog(*txn, snapshot_id);
  auto schema = catalog.GetSchema(namespace_name);
  std::vector<TableInfo> tables;
  for (const auto &table : catalog.Tables(schema.id)) tables.push_back(catalog.Describe(schema, table));
  return tables;
}

std::optional<TableInfo> Catalog::FindTable(const std::string &namespace_name, const std::string &table_name,
                                         int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  SnapshotView catalog(*txn, snapshot_id);
  auto schema = catalog.FindSchema(namespace_name);
  if (!schema) return std::nullopt;
  auto table = catalog.FindTable(schema->id, table_name);
  if (!table) return std::nullopt;
  return catalog.Describe(*schema, *table);
}

TableInfo Catalog::GetTable(const std::string &namespace_name, const std::string &table_name, int64_t snapshot_id,
                           bool shape_only) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  SnapshotView catalog(*txn, snapshot_id);
  auto schema = catalog.GetSchema(namespace_name);
  auto table = catalog.FindTable(schema.id, table_name);
  if (!table) throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", namespace_name, table_name);
  return shape_only ? catalog.Shape(schema, *table) : catalog.Describe(schema, *table);
}

std::vector<std::pair<int64_t, int64_t>> MergedSnapshotRows(const std::optional<std::string> &partial_file_info) {
  std::vector<std::pair<int64_t, int64_t>> rows;
  if (!partial_file_info || partial_file_info->empty() || partial_file_info->rfind("partial_max:", 0) == 0) return rows;
  const auto &info = *partial_file_info;
  auto malformed = [&] { return MakeError(ErrorKind::kInternal, "the catalog has a file with partial_file_info '{}'", info); };
  int64_t before = 0;
  for (size_t start = 0; start <= info.size();) {
    auto end = info.find('|', start);
    if (end == std::string::npos) end = info.size();
    auto entry = info.substr(start, end - start);
    auto colon = entry.find(':');
    if (colon == std::string::npos) throw malformed();
    int64_t snapshot = 0, up_to = 0;
    auto parse = [&](const std::string &text, int64_t &value) {
      auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || ptr != text.data() + text.size() || text.empty()) throw malformed();
    };
    parse(entry.substr(0, colon), snapshot);
    parse(entry.substr(colon + 1), up_to);
    if ((!rows.empty() && snapshot <= rows.back().first) || up_to < before) throw malformed();
    rows.emplace_back(snapshot, up_to - before);  // the list counts rows up to each snapshot
    before = up_to;
    start = end + 1;
  }
  return rows;
}

std::optional<int64_t> PartialMax(const std::optional<std::string> &partial_file_info) {
  static const std::string kPrefix = "partial_max:";
  if (partial_file_info && partial_file_info->rfind(kPrefix, 0) == 0) {
    try {
      return std::stoll(partial_file_info->substr(kPrefix.size()));
    } catch (const std::exception &) {
      throw MakeError(ErrorKind::kInternal, "the catalog has a file with partial_file_info '{}'", *partial_file_info);
    }
  }
  auto merged = MergedSnapshotRows(partial_file_info);
  if (merged.empty()) return std::nullopt;
  return merged.back().first;
}

TableContents Catalog::Contents(int64_t table_id, int64_t snapshot_id, const std::vector<ColumnDef> &columns) {
  // One read: a flush moves rows from the catalog into a file in one commit.
  auto txn = meta_.Begin(TransactionMode::kRead);
  TableContents contents;
  contents.files = FilesAt(*txn, table_id, snapshot_id);
  contents.rows = inlined_data::Rows(*txn, table_id, snapshot_id, columns);
  return contents;
}

std::pair<std::vector<ColumnDef>, std::vector<StoredRow>> Catalog::LiveKeptRows(int64_t table_id, int64_t snapshot_id,
                                                                                std::vector<ColumnDef> columns) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  for (auto &kept : inlined_data::KeptColumns(*txn, table_id)) {
    bool current = std::any_of(columns.begin(), columns.end(), [&](const ColumnDef &c) { return c.id == kept.id; });
    // A nested column's children are not kept with it (ColumnsAt): its values cannot be written back.
    bool nested = kept.type == "struct" || kept.type == "list" || kept.type == "map";
    if (current || nested) continue;
    kept.name = kDroppedColumnPrefix + std::to_string(kept.id);
    columns.push_back(std::move(kept));
  }
  auto rows = inlined_data::Rows(*txn, table_id, snapshot_id, columns);
  return {std::move(columns), std::move(rows)};
}

std::vector<DataFile> Catalog::TableFiles(int64_t table_id, int64_t snapshot_id) {
  return FilesAt(*meta_.Begin(TransactionMode::kRead), table_id, snapshot_id);
}

std::vector<DataFile> Catalog::FilesAt(MetaTransaction &read, int64_t table_id, int64_t snapshot_id) {
  auto *txn = &read;
  auto rows = txn->Query(
      fmt::format("SELECT f.data_file_id, s.path || t.path, f.path, f.record_count, f.file_size_bytes, "
                  "f.footer_size, f.row_id_start, f.begin_snapshot, d.path, d.delete_count, o.data_file_id, "
                  "f.partial_file_info "
                  "FROM ducklake_data_file f LEFT JOIN dl_data_file_old_columns o ON o.data_file_id = f.data_file_id "
                  "JOIN ducklake_table t ON t.table_id = f.table_id AND {} "
                  "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
                  "LEFT JOIN ducklake_delete_file d ON d.data_file_id = f.data_file_id AND {} "
                  "WHERE f.table_id = ? AND {} ORDER BY f.data_file_id",
                  VisibleAs("t"), VisibleAs("d"), VisibleAs("f")),
      {snapshot_id, snapshot_id, snapshot_id, snapshot_id, table_id, snapshot_id, snapshot_id});
  // The table's last schema change as of the snapshot: a column version begun or ended.
  auto changed = txn->Query("SELECT max(CASE WHEN end_snapshot IS NOT NULL AND end_snapshot <= ? THEN end_snapshot "
                            "ELSE begin_snapshot END) FROM ducklake_column WHERE table_id = ? AND begin_snapshot <= ?",
                            {snapshot_id, table_id, snapshot_id});
  int64_t schema_changed_at = changed.empty() || changed[0].IsNull(0) ? 0 : changed[0].Int(0);
  std::vector<DataFile> files;
  std::map<int64_t, size_t> index;
  for (const auto &row : rows) {
    index[row.Int(0)] = files.size();
    auto prefix = kDataKeyPrefix + row.String(1);
    DataFile file;
    file.id = row.Int(0);
    file.key = prefix + row.String(2);
    file.record_count = row.Int(3);
    file.file_size_bytes = row.Int(4);
    file.footer_size = row.Int(5);
    file.row_id_start = row.OptionalInt(6);
    file.begin_snapshot = row.Int(7);
    file.partial_max = PartialMax(row.OptionalString(11));
    // Commits that add files conflict with concurrent schema changes, so a file committed with or
    // after the last change was written against the columns it made, unless marked otherwise. Not
    // so a file of rows of several snapshots (a flush, a merge): written later, with the columns of
    // then, and dated from its first rows.
    file.has_current_columns = file.begin_snapshot >= schema_changed_at && row.IsNull(10) && !file.partial_max;
    if (!row.IsNull(8)) {
      file.delete_key = prefix + row.String(8);
      file.delete_count = row.Int(9);
    }
    if (file.partial_max && *file.partial_max > snapshot_id) file.max_row_snapshot = snapshot_id;
    files.push_back(std::move(file));
  }
  if (files.empty()) return files;
  auto stats = txn->Query(
      fmt::format("SELECT st.data_file_id, st.column_id, st.min_value, st.max_value, st.null_count, st.value_count, "
                  "st.column_size_bytes, st.contains_nan FROM ducklake_file_column_stats st JOIN ducklake_data_file f "
                  "ON f.data_file_id = st.data_file_id WHERE f.table_id = ? AND {}",
                  VisibleAs("f")),
      {table_id, snapshot_id, snapshot_id});
  for (const auto &row : stats) {
    auto it = index.find(row.Int(0));
    if (it == index.end()) continue;
    ColumnStats column;
    column.column_id = row.Int(1);
    column.min_value = row.OptionalString(2);
    column.max_value = row.OptionalString(3);
    column.null_count = row.OptionalInt(4).value_or(0);
    column.value_count = row.OptionalInt(5).value_or(0);
    column.column_size_bytes = row.OptionalInt(6).value_or(0);
    if (auto nan = row.OptionalInt(7)) column.contains_nan = *nan != 0;
    files[it->second].stats.push_back(std::move(column));
  }
  return files;
}

int64_t Catalog::MaxColumnId(int64_t table_id) {
  auto rows = meta_.Begin(TransactionMode::kRead)
                  ->Query("SELECT coalesce(max(column_id), 0) FROM ducklake_column WHERE table_id = ?", {table_id});
  return rows[0].Int(0);
}

}  // namespace ducklake
