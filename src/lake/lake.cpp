#include "lake/lake.hpp"

#include <fmt/chrono.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <map>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "lake/names.hpp"

namespace ducklake {
namespace {

constexpr int kMaxCommitAttempts = 8;
constexpr const char *kVisible = "begin_snapshot <= ? AND (end_snapshot IS NULL OR end_snapshot > ?)";

// kVisible for a table referenced through an alias in a join.
std::string VisibleAs(const std::string &alias) {
  return fmt::format("{0}.begin_snapshot <= ? AND ({0}.end_snapshot IS NULL OR {0}.end_snapshot > ?)", alias);
}

std::string Quoted(const std::string &name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string NowUtc() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

// The snapshot being built by one commit attempt.
struct SnapshotDraft {
  int64_t id = 0;
  int64_t schema_version = 0;
  int64_t next_catalog_id = 0;
  int64_t next_file_id = 0;
  bool schema_changed = false;
  std::vector<std::string> changes;
  CommitResult result;
};

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

class Catalog {
 public:
  Catalog(MetaTransaction &txn, int64_t snapshot) : txn_(txn), snapshot_(snapshot) {}

  std::string DataPath() {
    auto rows = txn_.Query("SELECT value FROM ducklake_metadata WHERE key = 'data_path' AND scope IS NULL");
    return rows.empty() ? "warehouse/" : rows[0].String(0);
  }

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

  TableInfo Describe(const SchemaRow &schema, const TableRow &table) {
    TableInfo info;
    info.id = table.id;
    info.uuid = table.uuid;
    info.namespace_name = schema.name;
    info.name = table.name;
    info.columns = Columns(table.id);
    // A rename starts a new version of the table row; the table was created with its first one.
    info.created_snapshot =
        txn_.Query("SELECT min(begin_snapshot) FROM ducklake_table WHERE table_id = ?", {table.id})[0].Int(0);
    info.snapshot_id = snapshot_;
    info.key_prefix = DataPath() + schema.path + table.path;
    auto totals = txn_.Query(fmt::format("SELECT count(*), coalesce(sum(record_count), 0), "
                                         "coalesce(sum(file_size_bytes), 0) FROM ducklake_data_file "
                                         "WHERE table_id = ? AND {}",
                                         kVisible),
                             {table.id, snapshot_, snapshot_});
    info.file_count = totals[0].Int(0);
    info.record_count = totals[0].Int(1);
    info.file_size_bytes = totals[0].Int(2);
    return info;
  }

 private:
  MetaTransaction &txn_;
  int64_t snapshot_;
};

int64_t InsertColumns(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id, std::vector<ColumnDef> &columns,
                      std::optional<int64_t> parent, int64_t next_column_id) {
  int64_t order = 1;
  for (auto &column : columns) {
    column.id = next_column_id++;
    txn.Execute("INSERT INTO ducklake_column (column_id, begin_snapshot, end_snapshot, table_id, column_order, "
                "column_name, column_type, initial_default, default_value, nulls_allowed, parent_column) "
                "VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                {column.id, snapshot_id, table_id, order++, column.name, column.type,
                 column.default_value ? SqlValue(*column.default_value) : SqlValue(),
                 column.default_value ? SqlValue(*column.default_value) : SqlValue(),
                 static_cast<int64_t>(column.nullable), parent ? SqlValue(*parent) : SqlValue()});
    next_column_id = InsertColumns(txn, table_id, snapshot_id, column.children, column.id, next_column_id);
  }
  return next_column_id;
}

const ColumnDef *FindColumnById(const std::vector<ColumnDef> &columns, int64_t id) {
  for (const auto &column : columns) {
    if (column.id == id) return &column;
    if (auto found = FindColumnById(column.children, id)) return found;
  }
  return nullptr;
}

TableRow CreateTableRows(MetaTransaction &txn, SnapshotDraft &draft, const SchemaRow &schema,
                         const std::string &name, std::vector<ColumnDef> &columns) {
  ValidateObjectName("table", name);
  ValidateColumns(columns);
  if (columns.empty()) throw Error(ErrorKind::kInvalidInput, "a table needs at least one column");
  TableRow table{draft.next_catalog_id++, NewUuid(), schema.id, name, name + "/", draft.id};
  txn.Execute("INSERT INTO ducklake_table VALUES (?, ?, ?, NULL, ?, ?, ?, ?)",
              {table.id, table.uuid, draft.id, schema.id, name, table.path, int64_t{1}});
  InsertColumns(txn, table.id, draft.id, columns, std::nullopt, 1);
  txn.Execute("INSERT INTO ducklake_table_stats VALUES (?, 0, 0, 0)", {table.id});
  draft.schema_changed = true;
  draft.result.created_table = true;
  draft.changes.push_back("created_table:" + Quoted(schema.name) + "." + Quoted(name));
  return table;
}

void EndTableRows(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id) {
  for (const char *catalog_table : {"ducklake_table", "ducklake_column", "ducklake_data_file", "ducklake_delete_file"}) {
    txn.Execute(fmt::format("UPDATE {} SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL", catalog_table),
                {snapshot_id, table_id});
  }
}

void RefreshTableStats(MetaTransaction &txn, const TableInfo &table, int64_t snapshot_id,
                       const std::vector<NewDataFile> &added, bool replaced) {
  auto totals = txn.Query(fmt::format("SELECT coalesce(sum(record_count), 0), coalesce(sum(file_size_bytes), 0) "
                                      "FROM ducklake_data_file WHERE table_id = ? AND {}",
                                      kVisible),
                          {table.id, snapshot_id, snapshot_id});
  txn.Execute("UPDATE ducklake_table_stats SET record_count = ?, file_size_bytes = ? WHERE table_id = ?",
              {totals[0].Int(0), totals[0].Int(1), table.id});
  if (replaced) txn.Execute("DELETE FROM ducklake_table_column_stats WHERE table_id = ?", {table.id});
  for (const auto &file : added) {
    for (const auto &stats : file.stats) {
      const ColumnDef *column = FindColumnById(table.columns, stats.column_id);
      if (!column) continue;
      auto rows = txn.Query("SELECT contains_null, contains_nan, min_value, max_value FROM "
                            "ducklake_table_column_stats WHERE table_id = ? AND column_id = ?",
                            {table.id, stats.column_id});
      bool contains_null = stats.null_count > 0;
      bool contains_nan = stats.contains_nan;
      auto min_value = stats.min_value;
      auto max_value = stats.max_value;
      if (!rows.empty()) {
        const auto &row = rows[0];
        contains_null = contains_null || (!row.IsNull(0) && row.Int(0) != 0);
        contains_nan = contains_nan || (!row.IsNull(1) && row.Int(1) != 0);
        auto old_min = row.OptionalString(2);
        auto old_max = row.OptionalString(3);
        if (old_min && (!min_value || CompareStatValues(column->type, *old_min, *min_value) < 0)) min_value = old_min;
        if (old_max && (!max_value || CompareStatValues(column->type, *old_max, *max_value) > 0)) max_value = old_max;
        txn.Execute("DELETE FROM ducklake_table_column_stats WHERE table_id = ? AND column_id = ?",
                    {table.id, stats.column_id});
      }
      auto optional_text = [](const std::optional<std::string> &v) { return v ? SqlValue(*v) : SqlValue(); };
      txn.Execute("INSERT INTO ducklake_table_column_stats VALUES (?, ?, ?, ?, ?, ?, NULL)",
                  {table.id, stats.column_id, static_cast<int64_t>(contains_null),
                   static_cast<int64_t>(contains_nan), optional_text(min_value), optional_text(max_value)});
    }
  }
}

template <typename Apply>
CommitResult Commit(MetaStore &meta, const CommitInfo &commit, Apply &&apply) {
  for (int attempt = 1;; attempt++) {
    auto txn = meta.Begin(TransactionMode::kWrite);
    auto head = txn->Query(
        "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
        "ORDER BY snapshot_id DESC LIMIT 1");
    SnapshotDraft draft;
    draft.id = head.at(0).Int(0) + 1;
    draft.schema_version = head[0].Int(1);
    draft.next_catalog_id = head[0].Int(2);
    draft.next_file_id = head[0].Int(3);
    // Reads inside the commit see the latest committed state plus this draft's own rows.
    Catalog catalog(*txn, draft.id);
    apply(*txn, catalog, draft);
    if (draft.schema_changed) draft.schema_version++;
    try {
      txn->Execute("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                   {draft.id, NowUtc(), draft.schema_version, draft.next_catalog_id, draft.next_file_id});
    } catch (const Error &error) {
      // Another writer took this snapshot id: start over on the new head, re-validating.
      if (error.kind() == ErrorKind::kConflict && attempt < kMaxCommitAttempts) continue;
      if (error.kind() == ErrorKind::kConflict) {
        throw Error(ErrorKind::kConflict, "too many concurrent commits; try again");
      }
      throw;
    }
    std::string changes;
    for (const auto &change : draft.changes) changes += (changes.empty() ? "" : ",") + change;
    txn->Execute("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, NULL)",
                 {draft.id, changes, commit.author, commit.message ? SqlValue(*commit.message) : SqlValue()});
    if (draft.schema_changed) {
      txn->Execute("INSERT INTO ducklake_schema_versions VALUES (?, ?)", {draft.id, draft.schema_version});
    }
    txn->Commit();
    draft.result.snapshot_id = draft.id;
    return draft.result;
  }
}

}  // namespace

std::string Lake::NewTableKeyPrefix(const std::string &namespace_name, const std::string &table_name) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  Catalog catalog(*txn, std::numeric_limits<int64_t>::max());
  // The same path CreateTableRows gives the table: namespace path as stored, table name as given.
  return catalog.DataPath() + catalog.GetSchema(namespace_name).path + table_name + "/";
}

int64_t Lake::LatestSnapshot() {
  auto rows = meta_.Begin(TransactionMode::kRead)->Query("SELECT max(snapshot_id) FROM ducklake_snapshot");
  return rows.at(0).Int(0);
}

namespace {

// Snapshot times as canonical UTC text ("2026-11-25T10:00:00.123Z") in both dialects: SQLite
// stores that text, PostgreSQL a timestamptz.
std::string SnapshotTimeColumn(const std::string &dialect) {
  return dialect == "postgresql" ? "to_char(s.snapshot_time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                                 : "s.snapshot_time";
}

std::string SnapshotSelect(const std::string &dialect) {
  return "SELECT s.snapshot_id, " + SnapshotTimeColumn(dialect) +
         ", s.schema_version, c.changes_made, c.author, c.commit_message FROM ducklake_snapshot s "
         "LEFT JOIN ducklake_snapshot_changes c ON c.snapshot_id = s.snapshot_id ";
}

SnapshotInfo SnapshotFromRow(const SqlRow &row) {
  return {row.Int(0), row.String(1), row.Int(2), row.String(3), row.OptionalString(4), row.OptionalString(5)};
}

std::string CanonicalTime(int64_t unix_ms) {
  auto seconds = static_cast<std::time_t>(unix_ms / 1000);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(seconds), unix_ms % 1000);
}

}  // namespace

SnapshotInfo Lake::GetSnapshot(int64_t snapshot_id) {
  auto rows = meta_.Begin(TransactionMode::kRead)
                  ->Query(SnapshotSelect(meta_.Dialect()) + "WHERE s.snapshot_id = ?", {snapshot_id});
  if (rows.empty()) throw MakeError(ErrorKind::kNotFound, "snapshot {} not found", snapshot_id);
  return SnapshotFromRow(rows[0]);
}

std::vector<SnapshotInfo> Lake::ListSnapshots(size_t limit, std::optional<int64_t> before) {
  auto rows = meta_.Begin(TransactionMode::kRead)
                  ->Query(SnapshotSelect(meta_.Dialect()) + "WHERE s.snapshot_id < ? ORDER BY s.snapshot_id DESC LIMIT ?",
                          {before.value_or(std::numeric_limits<int64_t>::max()), static_cast<int64_t>(limit)});
  std::vector<SnapshotInfo> snapshots;
  for (const auto &row : rows) snapshots.push_back(SnapshotFromRow(row));
  return snapshots;
}

int64_t Lake::SnapshotAt(int64_t unix_ms) {
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  if (unix_ms > now_ms) throw Error(ErrorKind::kInvalidInput, "as_of is in the future");
  bool postgres = meta_.Dialect() == "postgresql";
  auto rows = meta_.Begin(TransactionMode::kRead)
                  ->Query(std::string("SELECT max(snapshot_id) FROM ducklake_snapshot WHERE snapshot_time <= ") +
                              (postgres ? "CAST(? AS TIMESTAMPTZ)" : "?"),
                          {CanonicalTime(unix_ms)});
  if (rows.empty() || rows[0].IsNull(0)) throw Error(ErrorKind::kInvalidInput, "as_of is before the first snapshot");
  return rows[0].Int(0);
}

std::vector<TableSnapshot> Lake::TableHistory(const std::string &namespace_name, const std::string &table_name) {
  auto table = GetTable(namespace_name, table_name, LatestSnapshot());
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto id = std::to_string(table.id);
  // Every snapshot that began or ended a version of the table row or one of its data files.
  auto rows = txn->Query(
      SnapshotSelect(meta_.Dialect()) +
          "WHERE s.snapshot_id IN (SELECT begin_snapshot FROM ducklake_table WHERE table_id = ? UNION "
          "SELECT end_snapshot FROM ducklake_table WHERE table_id = ? UNION "
          "SELECT begin_snapshot FROM ducklake_data_file WHERE table_id = ? UNION "
          "SELECT end_snapshot FROM ducklake_data_file WHERE table_id = ?) ORDER BY s.snapshot_id DESC",
      {table.id, table.id, table.id, table.id});
  std::vector<TableSnapshot> history;
  for (const auto &row : rows) {
    TableSnapshot entry;
    entry.snapshot = SnapshotFromRow(row);
    auto snapshot_id = entry.snapshot.id;
    auto counts = txn->Query(
        "SELECT (SELECT coalesce(sum(record_count), 0) FROM ducklake_data_file WHERE table_id = ? AND "
        "begin_snapshot = ?), (SELECT coalesce(sum(record_count), 0) FROM ducklake_data_file WHERE table_id = ? "
        "AND end_snapshot = ?)",
        {table.id, snapshot_id, table.id, snapshot_id});
    entry.rows_added = counts[0].Int(0);
    entry.rows_deleted = counts[0].Int(1);
    const auto &changes = entry.snapshot.changes;
    if (changes.find("created_table:") != std::string::npos && snapshot_id == table.created_snapshot) {
      entry.operation = "create";
    } else if (changes.find("dropped_table:" + id) != std::string::npos) {
      entry.operation = "drop";
    } else if (changes.find("deleted_from_table:" + id) != std::string::npos) {
      entry.operation = "overwrite";
    } else if (changes.find("inserted_into_table:" + id) != std::string::npos) {
      entry.operation = "insert";
    } else {
      entry.operation = "rename";
    }
    history.push_back(std::move(entry));
  }
  return history;
}

std::vector<NamespaceInfo> Lake::ListNamespaces(int64_t snapshot_id) {
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

NamespaceInfo Lake::GetNamespace(const std::string &name, int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  Catalog catalog(*txn, snapshot_id);
  auto schema = catalog.GetSchema(name);
  return {schema.id, schema.name, schema.begin_snapshot, static_cast<int64_t>(catalog.Tables(schema.id).size())};
}

CommitResult Lake::CreateNamespace(const std::string &name, const CommitInfo &commit) {
  ValidateObjectName("namespace", name);
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    if (catalog.FindSchema(name)) throw MakeError(ErrorKind::kConflict, "namespace '{}' already exists", name);
    txn.Execute("INSERT INTO ducklake_schema VALUES (?, ?, ?, NULL, ?, ?, ?)",
                {draft.next_catalog_id++, NewUuid(), draft.id, name, name + "/", int64_t{1}});
    draft.schema_changed = true;
    draft.changes.push_back("created_schema:" + Quoted(name));
  });
}

CommitResult Lake::DropNamespace(const std::string &name, const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    auto schema = catalog.GetSchema(name);
    auto tables = catalog.Tables(schema.id);
    if (!tables.empty()) {
      throw MakeError(ErrorKind::kConflict, "namespace '{}' is not empty ({} tables)", schema.name, tables.size());
    }
    txn.Execute("UPDATE ducklake_schema SET end_snapshot = ? WHERE schema_id = ?", {draft.id, schema.id});
    draft.schema_changed = true;
    draft.changes.push_back("dropped_schema:" + std::to_string(schema.id));
  });
}

std::vector<TableInfo> Lake::ListTables(const std::string &namespace_name, int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  Catalog catalog(*txn, snapshot_id);
  auto schema = catalog.GetSchema(namespace_name);
  std::vector<TableInfo> tables;
  for (const auto &table : catalog.Tables(schema.id)) tables.push_back(catalog.Describe(schema, table));
  return tables;
}

std::optional<TableInfo> Lake::FindTable(const std::string &namespace_name, const std::string &table_name,
                                         int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  Catalog catalog(*txn, snapshot_id);
  auto schema = catalog.FindSchema(namespace_name);
  if (!schema) return std::nullopt;
  auto table = catalog.FindTable(schema->id, table_name);
  if (!table) return std::nullopt;
  return catalog.Describe(*schema, *table);
}

TableInfo Lake::GetTable(const std::string &namespace_name, const std::string &table_name, int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  Catalog catalog(*txn, snapshot_id);
  auto schema = catalog.GetSchema(namespace_name);
  auto table = catalog.FindTable(schema.id, table_name);
  if (!table) throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", namespace_name, table_name);
  return catalog.Describe(schema, *table);
}

CommitResult Lake::CreateTable(const std::string &namespace_name, const std::string &table_name,
                               std::vector<ColumnDef> columns, const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    auto schema = catalog.GetSchema(namespace_name);
    if (catalog.FindTable(schema.id, table_name)) {
      throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", schema.name, table_name);
    }
    auto fresh_columns = columns;
    CreateTableRows(txn, draft, schema, table_name, fresh_columns);
  });
}

CommitResult Lake::DropTable(const std::string &namespace_name, const std::string &table_name,
                             const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    auto schema = catalog.GetSchema(namespace_name);
    auto table = catalog.FindTable(schema.id, table_name);
    if (!table) throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", namespace_name, table_name);
    EndTableRows(txn, table->id, draft.id);
    draft.schema_changed = true;
    draft.changes.push_back("dropped_table:" + std::to_string(table->id));
  });
}

CommitResult Lake::RenameTable(const std::string &namespace_name, const std::string &table_name,
                               const std::string &new_name, const CommitInfo &commit) {
  ValidateObjectName("table", new_name);
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    auto schema = catalog.GetSchema(namespace_name);
    auto table = catalog.FindTable(schema.id, table_name);
    if (!table) throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", namespace_name, table_name);
    if (LowerName(new_name) != LowerName(table->name) && catalog.FindTable(schema.id, new_name)) {
      throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", schema.name, new_name);
    }
    // The format versions a table row: end the old name and start the new one with the same id and path.
    txn.Execute("UPDATE ducklake_table SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
                {draft.id, table->id});
    txn.Execute("INSERT INTO ducklake_table VALUES (?, ?, ?, NULL, ?, ?, ?, ?)",
                {table->id, table->uuid, draft.id, schema.id, new_name, table->path, int64_t{1}});
    draft.schema_changed = true;
    draft.changes.push_back("altered_table:" + std::to_string(table->id));
  });
}

std::vector<DataFile> Lake::TableFiles(int64_t table_id, int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query(
      fmt::format("SELECT f.data_file_id, m.value || s.path || t.path || f.path, f.record_count, f.file_size_bytes, "
                  "f.footer_size, f.row_id_start FROM ducklake_data_file f "
                  "JOIN ducklake_table t ON t.table_id = f.table_id AND {} "
                  "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
                  "JOIN ducklake_metadata m ON m.key = 'data_path' AND m.scope IS NULL "
                  "WHERE f.table_id = ? AND {} ORDER BY f.file_order, f.data_file_id",
                  VisibleAs("t"), VisibleAs("f")),
      {snapshot_id, snapshot_id, table_id, snapshot_id, snapshot_id});
  std::vector<DataFile> files;
  std::map<int64_t, size_t> index;
  for (const auto &row : rows) {
    index[row.Int(0)] = files.size();
    files.push_back({row.Int(0), row.String(1), row.Int(2), row.Int(3), row.Int(4), row.Int(5), {}});
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
    column.contains_nan = row.OptionalInt(7).value_or(0) != 0;
    files[it->second].stats.push_back(std::move(column));
  }
  return files;
}

CommitResult Lake::CommitWrite(const TableWrite &write, const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    auto schema = catalog.GetSchema(write.namespace_name);
    auto table_row = catalog.FindTable(schema.id, write.table_name);
    if (!table_row) {
      if (!write.create_columns) {
        throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", write.namespace_name, write.table_name);
      }
      auto columns = *write.create_columns;
      table_row = CreateTableRows(txn, draft, schema, write.table_name, columns);
    } else if (write.expected_table_id && *write.expected_table_id != table_row->id) {
      throw MakeError(ErrorKind::kConflict, "table '{}.{}' was replaced while the data was written",
                      write.namespace_name, write.table_name);
    } else if (write.create_columns && !write.expected_table_id) {
      // The caller inferred columns for a table that did not exist; someone created it meanwhile.
      throw MakeError(ErrorKind::kConflict, "table '{}.{}' was created concurrently; retry the write",
                      write.namespace_name, write.table_name);
    }
    auto table = catalog.Describe(schema, *table_row);
    bool replaced = write.mode == WriteMode::kOverwrite;
    if (replaced) {
      txn.Execute("UPDATE ducklake_data_file SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
                  {draft.id, table.id});
      txn.Execute("UPDATE ducklake_delete_file SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
                  {draft.id, table.id});
    }
    auto stats_row = txn.Query("SELECT next_row_id FROM ducklake_table_stats WHERE table_id = ?", {table.id});
    int64_t next_row_id = stats_row.empty() ? 0 : stats_row[0].Int(0);
    auto order_row = txn.Query("SELECT coalesce(max(file_order), 0) FROM ducklake_data_file WHERE table_id = ?",
                               {table.id});
    int64_t file_order = order_row[0].Int(0);
    const std::string table_prefix = catalog.DataPath() + schema.path + table_row->path;
    for (const auto &file : write.files) {
      if (file.key.rfind(table_prefix, 0) != 0) {
        throw MakeError(ErrorKind::kInternal, "data file '{}' is outside the table's folder", file.key);
      }
      int64_t file_id = draft.next_file_id++;
      txn.Execute("INSERT INTO ducklake_data_file (data_file_id, table_id, begin_snapshot, end_snapshot, file_order, "
                  "path, path_is_relative, file_format, record_count, file_size_bytes, footer_size, row_id_start) "
                  "VALUES (?, ?, ?, NULL, ?, ?, ?, 'parquet', ?, ?, ?, ?)",
                  {file_id, table.id, draft.id, ++file_order, file.key.substr(table_prefix.size()), int64_t{1},
                   file.record_count, file.file_size_bytes, file.footer_size, next_row_id});
      next_row_id += file.record_count;
      for (const auto &stats : file.stats) {
        txn.Execute("INSERT INTO ducklake_file_column_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    {file_id, table.id, stats.column_id, stats.column_size_bytes, stats.value_count,
                     stats.null_count, stats.min_value ? SqlValue(*stats.min_value) : SqlValue(),
                     stats.max_value ? SqlValue(*stats.max_value) : SqlValue(),
                     static_cast<int64_t>(stats.contains_nan)});
      }
      draft.result.rows_written += file.record_count;
    }
    txn.Execute("UPDATE ducklake_table_stats SET next_row_id = ? WHERE table_id = ?", {next_row_id, table.id});
    RefreshTableStats(txn, table, draft.id, write.files, replaced);
    if (replaced) draft.changes.push_back("deleted_from_table:" + std::to_string(table.id));
    draft.changes.push_back("inserted_into_table:" + std::to_string(table.id));
  });
}

}  // namespace ducklake
