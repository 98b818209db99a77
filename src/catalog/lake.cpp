#include "catalog/lake.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"
#include "catalog/names.hpp"

namespace ducklake {
namespace {

constexpr int kMaxCommitAttempts = 8;
constexpr const char *kVisible = "begin_snapshot <= ? AND (end_snapshot IS NULL OR end_snapshot > ?)";

// The DuckLake format keeps comments as the tag of this name.
constexpr const char *kCommentTag = "comment";
constexpr size_t kMaxTableTags = 50;
constexpr size_t kMaxTagBytes = 4096;

void ValidateTagText(const std::string &text, const char *what) {
  if (text.size() > kMaxTagBytes) throw MakeError(ErrorKind::kInvalidInput, "{} is longer than {} bytes", what, kMaxTagBytes);
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\t' && c != '\n') {
      throw MakeError(ErrorKind::kInvalidInput, "{} contains a control character", what);
    }
  }
}

// kVisible for a table referenced through an alias in a join.
std::string VisibleAs(const std::string &alias) {
  return fmt::format("{0}.begin_snapshot <= ? AND ({0}.end_snapshot IS NULL OR {0}.end_snapshot > ?)", alias);
}

// The snapshot being built by one commit attempt.
struct SnapshotDraft {
  int64_t id = 0;
  int64_t schema_version = 0;
  int64_t next_catalog_id = 0;
  int64_t next_file_id = 0;
  bool schema_changed = false;
  std::vector<std::string> changes;
  // Recorded in commit_extra_info: tables whose deletes and inserts here are an UPDATE's.
  std::vector<std::string> updated_tables;
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

  std::optional<TableRow> FindTableById(int64_t table_id) {
    auto rows = txn_.Query(fmt::format("SELECT table_id, table_uuid, schema_id, table_name, path, begin_snapshot FROM "
                                       "ducklake_table WHERE table_id = ? AND {}",
                                       kVisible),
                           {table_id, snapshot_, snapshot_});
    if (rows.empty()) return std::nullopt;
    const auto &row = rows[0];
    return TableRow{row.Int(0), row.String(1), row.Int(2), row.String(3), row.String(4), row.Int(5)};
  }

  // Rows visible at this snapshot: data file rows minus the positions their delete files list.
  int64_t LiveRows(int64_t table_id) {
    auto rows = txn_.Query(
        fmt::format("SELECT (SELECT coalesce(sum(record_count), 0) FROM ducklake_data_file WHERE table_id = ? AND {0}) "
                    "- (SELECT coalesce(sum(delete_count), 0) FROM ducklake_delete_file WHERE table_id = ? AND {0})",
                    kVisible),
        {table_id, snapshot_, snapshot_, table_id, snapshot_, snapshot_});
    return rows[0].Int(0);
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
    auto totals = txn_.Query(fmt::format("SELECT count(*), coalesce(sum(file_size_bytes), 0) FROM ducklake_data_file "
                                         "WHERE table_id = ? AND {}",
                                         kVisible),
                             {table.id, snapshot_, snapshot_});
    info.file_count = totals[0].Int(0);
    info.file_size_bytes = totals[0].Int(1);
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

// Inserts a column version and its children, with the ids they carry.
void InsertColumnRows(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id, const ColumnDef &column,
                      int64_t order, std::optional<int64_t> parent) {
  auto optional_text = [](const std::optional<std::string> &v) { return v ? SqlValue(*v) : SqlValue(); };
  txn.Execute("INSERT INTO ducklake_column (column_id, begin_snapshot, end_snapshot, table_id, column_order, "
              "column_name, column_type, initial_default, default_value, nulls_allowed, parent_column) "
              "VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
              {column.id, snapshot_id, table_id, order, column.name, column.type, optional_text(column.default_value),
               optional_text(column.default_value), static_cast<int64_t>(column.nullable),
               parent ? SqlValue(*parent) : SqlValue()});
  int64_t child_order = 1;
  for (const auto &child : column.children) {
    InsertColumnRows(txn, table_id, snapshot_id, child, child_order++, column.id);
  }
}

void EndColumnRows(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id, const ColumnDef &column) {
  txn.Execute("UPDATE ducklake_column SET end_snapshot = ? WHERE table_id = ? AND column_id = ? AND end_snapshot IS NULL",
              {snapshot_id, table_id, column.id});
  for (const auto &child : column.children) EndColumnRows(txn, table_id, snapshot_id, child);
}

bool SameColumn(const ColumnDef &a, const ColumnDef &b) {
  return a.name == b.name && a.type == b.type && a.nullable == b.nullable && a.default_value == b.default_value;
}

// Moves a table's columns from `old_columns` to `new_columns` (top-level columns matched by id):
// dropped ones end, changed ones get a new version with the same id, new ones begin.
void ApplyColumns(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id, const std::vector<ColumnDef> &old_columns,
                  const std::vector<ColumnDef> &new_columns) {
  ValidateColumns(new_columns);
  if (new_columns.empty()) throw Error(ErrorKind::kInvalidInput, "a table needs at least one column");
  std::map<int64_t, const ColumnDef *> old_by_id;
  for (const auto &column : old_columns) old_by_id[column.id] = &column;
  std::set<int64_t> kept;
  int64_t order = 1;
  for (const auto &column : new_columns) {
    auto it = old_by_id.find(column.id);
    if (it == old_by_id.end()) {
      InsertColumnRows(txn, table_id, snapshot_id, column, order, std::nullopt);
    } else {
      kept.insert(column.id);
      if (!SameColumn(*it->second, column)) {
        txn.Execute("UPDATE ducklake_column SET end_snapshot = ? WHERE table_id = ? AND column_id = ? AND "
                    "end_snapshot IS NULL",
                    {snapshot_id, table_id, column.id});
        ColumnDef version = column;
        version.children.clear();  // children keep their rows; only this column changed
        InsertColumnRows(txn, table_id, snapshot_id, version, order, std::nullopt);
      }
    }
    order++;
  }
  for (const auto &column : old_columns) {
    if (!kept.count(column.id)) EndColumnRows(txn, table_id, snapshot_id, column);
  }
}

const ColumnDef *FindColumnById(const std::vector<ColumnDef> &columns, int64_t id) {
  for (const auto &column : columns) {
    if (column.id == id) return &column;
    if (auto found = FindColumnById(column.children, id)) return found;
  }
  return nullptr;
}

// `folder`: where its files go under the namespace's path (default: "<name>/").
TableRow CreateTableRows(MetaTransaction &txn, SnapshotDraft &draft, const SchemaRow &schema,
                         const std::string &name, std::vector<ColumnDef> &columns, const std::string &folder = "") {
  ValidateObjectName("table", name);
  ValidateColumns(columns);
  if (columns.empty()) throw Error(ErrorKind::kInvalidInput, "a table needs at least one column");
  TableRow table{draft.next_catalog_id++, NewUuid(), schema.id, name, folder.empty() ? name + "/" : folder, draft.id};
  txn.Execute("INSERT INTO ducklake_table VALUES (?, ?, ?, NULL, ?, ?, ?, ?)",
              {table.id, table.uuid, draft.id, schema.id, name, table.path, int64_t{1}});
  // Columns come numbered when files were written against them already.
  if (std::any_of(columns.begin(), columns.end(), [](const ColumnDef &column) { return column.id == 0; })) {
    AssignColumnIds(columns);
  }
  int64_t order = 1;
  for (const auto &column : columns) InsertColumnRows(txn, table.id, draft.id, column, order++, std::nullopt);
  txn.Execute("INSERT INTO ducklake_table_stats VALUES (?, 0, 0, 0)", {table.id});
  draft.schema_changed = true;
  draft.result.created_table = true;
  draft.changes.push_back("created_table:" + QuoteIdentifier(schema.name) + "." + QuoteIdentifier(name));
  return table;
}

void EndTableRows(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id) {
  for (const char *catalog_table : {"ducklake_table", "ducklake_column", "ducklake_data_file", "ducklake_delete_file"}) {
    txn.Execute(fmt::format("UPDATE {} SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL", catalog_table),
                {snapshot_id, table_id});
  }
}

void RefreshTableStats(MetaTransaction &txn, Catalog &catalog, const TableInfo &table, int64_t snapshot_id,
                       const std::vector<NewDataFile> &added, bool replaced) {
  auto totals = txn.Query(fmt::format("SELECT coalesce(sum(file_size_bytes), 0) FROM ducklake_data_file WHERE "
                                      "table_id = ? AND {}",
                                      kVisible),
                          {table.id, snapshot_id, snapshot_id});
  txn.Execute("UPDATE ducklake_table_stats SET record_count = ?, file_size_bytes = ? WHERE table_id = ?",
              {catalog.LiveRows(table.id), totals[0].Int(0), table.id});
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
                   {draft.id, FormatRfc3339Ms(NowUnixMs()), draft.schema_version, draft.next_catalog_id, draft.next_file_id});
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
    std::string extra;
    for (const auto &table : draft.updated_tables) extra += (extra.empty() ? "" : ",") + ("updated_table:" + table);
    txn->Execute("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, ?)",
                 {draft.id, changes, commit.author, commit.message ? SqlValue(*commit.message) : SqlValue(),
                  extra.empty() ? SqlValue() : SqlValue(extra)});
    if (draft.schema_changed) {
      txn->Execute("INSERT INTO ducklake_schema_versions VALUES (?, ?)", {draft.id, draft.schema_version});
    }
    draft.result.snapshot_id = draft.id;
    if (commit.in_transaction) commit.in_transaction(*txn, draft.result);
    try {
      txn->Commit();
    } catch (const Error &error) {
      if (error.kind() == ErrorKind::kUnavailable) {
        throw CommitOutcomeUnknown(ErrorKind::kUnavailable,
                                   std::string("the metadata database went away during the commit; whether it "
                                               "took effect is unknown: ") +
                                       error.what());
      }
      throw;
    }
    draft.result.snapshot_id = draft.id;
    return draft.result;
  }
}

}  // namespace

std::vector<TableHit> Lake::SearchTables(const TableSearch &search) {
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

std::string Lake::DataPath() {
  auto txn = meta_.Begin(TransactionMode::kRead);
  return Catalog(*txn, 0).DataPath();
}

std::string Lake::NewTableKeyPrefix(const std::string &namespace_name, const std::string &table_name) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  Catalog catalog(*txn, std::numeric_limits<int64_t>::max());
  // The same path CreateTableRows gives the table: namespace path as stored, table name as given.
  return catalog.DataPath() + catalog.GetSchema(namespace_name).path + table_name + "/";
}

int64_t Lake::OldestSnapshot() {
  auto rows = meta_.Begin(TransactionMode::kRead)->Query("SELECT min(snapshot_id) FROM ducklake_snapshot");
  return rows.at(0).Int(0);
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
         ", s.schema_version, c.changes_made, c.author, c.commit_message, c.commit_extra_info FROM ducklake_snapshot s "
         "LEFT JOIN ducklake_snapshot_changes c ON c.snapshot_id = s.snapshot_id ";
}

SnapshotInfo SnapshotFromRow(const SqlRow &row) {
  return {row.Int(0), row.String(1), row.Int(2), row.String(3), row.OptionalString(4), row.OptionalString(5)};
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
  if (unix_ms > NowUnixMs()) throw Error(ErrorKind::kInvalidInput, "as_of is in the future");
  bool postgres = meta_.Dialect() == "postgresql";
  auto rows = meta_.Begin(TransactionMode::kRead)
                  ->Query(std::string("SELECT max(snapshot_id) FROM ducklake_snapshot WHERE snapshot_time <= ") +
                              (postgres ? "CAST(? AS TIMESTAMPTZ)" : "?"),
                          {FormatRfc3339Ms(unix_ms)});
  if (rows.empty() || rows[0].IsNull(0)) throw Error(ErrorKind::kInvalidInput, "as_of is before the first snapshot");
  return rows[0].Int(0);
}

std::vector<TableSnapshot> Lake::TableHistory(const std::string &namespace_name, const std::string &table_name) {
  auto latest = LatestSnapshot();
  return TableHistory(GetTable(namespace_name, table_name, latest).id, -1, latest);
}

std::vector<TableSnapshot> Lake::TableHistory(int64_t table_id, int64_t after, int64_t up_to) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto id = std::to_string(table_id);
  // Every snapshot that began or ended a version of the table row, a column, a data or delete file,
  // a tag or a comment.
  std::string touched;
  const std::pair<const char *, const char *> catalog_tables[] = {
      {"ducklake_table", "table_id"},       {"ducklake_column", "table_id"}, {"ducklake_data_file", "table_id"},
      {"ducklake_delete_file", "table_id"}, {"ducklake_tag", "object_id"},   {"ducklake_column_tag", "table_id"}};
  for (const auto &[catalog_table, id_column] : catalog_tables) {
    touched += fmt::format("{0}SELECT begin_snapshot FROM {1} WHERE {2} = ? UNION SELECT end_snapshot FROM {1} "
                           "WHERE {2} = ?",
                           touched.empty() ? "" : " UNION ", catalog_table, id_column);
  }
  std::vector<SqlValue> params(2 * std::size(catalog_tables), table_id);
  params.emplace_back(after);
  params.emplace_back(up_to);
  auto rows = txn->Query(SnapshotSelect(meta_.Dialect()) + "WHERE s.snapshot_id IN (" + touched +
                             ") AND s.snapshot_id > ? AND s.snapshot_id <= ? ORDER BY s.snapshot_id DESC",
                         params);
  auto created = txn->Query("SELECT min(begin_snapshot) FROM ducklake_table WHERE table_id = ?", {table_id});
  int64_t created_snapshot = created.empty() || created[0].IsNull(0) ? -1 : created[0].Int(0);
  std::vector<TableSnapshot> history;
  auto has = [](const std::string &list, const std::string &entry) {
    for (size_t pos = list.find(entry); pos != std::string::npos; pos = list.find(entry, pos + 1)) {
      size_t end = pos + entry.size();
      if ((pos == 0 || list[pos - 1] == ',') && (end == list.size() || list[end] == ',')) return true;
    }
    return false;
  };
  // Live rows as of any snapshot, from the table's file events: a data file adds its rows when it
  // begins and takes them back when it ends; a delete file the other way round.
  std::map<int64_t, int64_t> live_delta, added_at;
  for (const auto &row : txn->Query("SELECT begin_snapshot, end_snapshot, record_count FROM ducklake_data_file "
                                    "WHERE table_id = ?",
                                    {table_id})) {
    live_delta[row.Int(0)] += row.Int(2);
    added_at[row.Int(0)] += row.Int(2);
    if (!row.IsNull(1)) live_delta[row.Int(1)] -= row.Int(2);
  }
  for (const auto &row : txn->Query("SELECT begin_snapshot, end_snapshot, delete_count FROM ducklake_delete_file "
                                    "WHERE table_id = ?",
                                    {table_id})) {
    live_delta[row.Int(0)] -= row.Int(2);
    if (!row.IsNull(1)) live_delta[row.Int(1)] += row.Int(2);
  }
  auto live_at = [&](int64_t snapshot_id) {
    int64_t live = 0;
    for (auto it = live_delta.begin(); it != live_delta.end() && it->first <= snapshot_id; ++it) live += it->second;
    return live;
  };
  std::set<int64_t> renames;  // a new version of the table row after the first: a new name
  for (const auto &row : txn->Query("SELECT begin_snapshot FROM ducklake_table WHERE table_id = ?", {table_id})) {
    renames.insert(row.Int(0));
  }
  std::set<int64_t> column_changes;
  for (const auto &row : txn->Query("SELECT begin_snapshot, end_snapshot FROM ducklake_column WHERE table_id = ?",
                                    {table_id})) {
    column_changes.insert(row.Int(0));
    if (!row.IsNull(1)) column_changes.insert(row.Int(1));
  }
  for (const auto &row : rows) {
    TableSnapshot entry;
    entry.snapshot = SnapshotFromRow(row);
    auto snapshot_id = entry.snapshot.id;
    const auto &changes = entry.snapshot.changes;
    auto extra = row.OptionalString(6).value_or("");
    if (snapshot_id == created_snapshot) {
      entry.operation = "create";
    } else if (has(changes, "dropped_table:" + id)) {
      entry.operation = "drop";
    } else if (has(changes, "compacted_table:" + id)) {
      entry.operation = "compact";
    } else if (has(extra, "updated_table:" + id)) {
      entry.operation = "update";
    } else if (has(changes, "deleted_from_table:" + id) && has(changes, "inserted_into_table:" + id)) {
      entry.operation = "overwrite";
    } else if (has(changes, "deleted_from_table:" + id)) {
      entry.operation = "delete";
    } else if (has(changes, "inserted_into_table:" + id)) {
      entry.operation = "insert";
    } else if (renames.count(snapshot_id) && !column_changes.count(snapshot_id)) {
      entry.operation = "rename";
    } else {
      entry.operation = "alter";  // columns, or the comments and tags of the table and its columns
    }
    if (entry.operation != "compact") {
      // Rows added are the new files' rows; rows deleted follow from the live counts on both sides.
      entry.rows_added = added_at.count(snapshot_id) ? added_at[snapshot_id] : 0;
      entry.rows_deleted = live_at(snapshot_id - 1) + entry.rows_added - live_at(snapshot_id);
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
    draft.changes.push_back("created_schema:" + QuoteIdentifier(name));
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

namespace {

// `?` as a point in time in the dialect's snapshot_time type.
std::string TimeParameter(const std::string &dialect) {
  return dialect == "postgresql" ? "CAST(? AS TIMESTAMPTZ)" : "?";
}


}  // namespace

ExpireResult Lake::ExpireSnapshots(std::optional<int64_t> older_than_unix_ms, int64_t keep_last, bool dry_run) {
  if (keep_last < 1) throw Error(ErrorKind::kInvalidInput, "keep_last must be at least 1");
  auto txn = meta_.Begin(dry_run ? TransactionMode::kRead : TransactionMode::kWrite);
  const auto dialect = meta_.Dialect();
  // The kept snapshots are always the newest ones: expiring a prefix keeps visibility ranges simple.
  auto kept_rows = txn->Query("SELECT snapshot_id FROM ducklake_snapshot ORDER BY snapshot_id DESC LIMIT ?", {keep_last});
  int64_t oldest_kept = kept_rows.back().Int(0);
  if (older_than_unix_ms) {
    auto newer = txn->Query("SELECT min(snapshot_id) FROM ducklake_snapshot WHERE snapshot_time >= " +
                                TimeParameter(dialect),
                            {FormatRfc3339Ms(*older_than_unix_ms)});
    if (!newer.empty() && !newer[0].IsNull(0)) oldest_kept = std::min(oldest_kept, newer[0].Int(0));
  }
  ExpireResult result;
  for (const auto &row : txn->Query("SELECT snapshot_id FROM ducklake_snapshot WHERE snapshot_id < ? ORDER BY snapshot_id",
                                    {oldest_kept})) {
    result.expired_snapshots.push_back(row.Int(0));
  }
  // A file no kept snapshot can see: it stopped counting at or before the oldest kept one.
  constexpr const char *file_paths =
      "SELECT {0}.{1}, m.value, s.path || t.path || {0}.path FROM {2} {0} "
      "JOIN (SELECT DISTINCT table_id, schema_id, path FROM ducklake_table) t ON t.table_id = {0}.table_id "
      "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
      "JOIN ducklake_metadata m ON m.key = 'data_path' AND m.scope IS NULL "
      "WHERE {0}.end_snapshot IS NOT NULL AND {0}.end_snapshot <= ?";
  std::vector<std::pair<int64_t, std::string>> data_files, delete_files;
  for (const auto &row : txn->Query(fmt::format(fmt::runtime(file_paths), "f", "data_file_id", "ducklake_data_file"), {oldest_kept})) {
    data_files.emplace_back(row.Int(0), row.String(2));
    result.scheduled_files.push_back(row.String(1) + row.String(2));
  }
  for (const auto &row :
       txn->Query(fmt::format(fmt::runtime(file_paths), "d", "delete_file_id", "ducklake_delete_file"), {oldest_kept})) {
    delete_files.emplace_back(row.Int(0), row.String(2));
    result.scheduled_files.push_back(row.String(1) + row.String(2));
  }
  if (dry_run || (result.expired_snapshots.empty() && result.scheduled_files.empty())) return result;
  auto now = FormatRfc3339Ms(NowUnixMs());
  for (const auto &[id, path] : data_files) {
    txn->Execute("INSERT INTO ducklake_files_scheduled_for_deletion VALUES (?, ?, ?, " + TimeParameter(dialect) + ")",
                 {id, path, int64_t{1}, now});
    txn->Execute("DELETE FROM ducklake_file_column_stats WHERE data_file_id = ?", {id});
    txn->Execute("DELETE FROM ducklake_data_file WHERE data_file_id = ?", {id});
    txn->Execute("DELETE FROM dl_data_file_old_columns WHERE data_file_id = ?", {id});
  }
  for (const auto &[id, path] : delete_files) {
    txn->Execute("INSERT INTO ducklake_files_scheduled_for_deletion VALUES (?, ?, ?, " + TimeParameter(dialect) + ")",
                 {id, path, int64_t{1}, now});
    txn->Execute("DELETE FROM ducklake_delete_file WHERE delete_file_id = ?", {id});
  }
  // Catalog versions no kept snapshot sees; a dropped table's statistics go with its last row.
  txn->Execute("DELETE FROM ducklake_table_stats WHERE table_id IN (SELECT table_id FROM ducklake_table WHERE "
               "end_snapshot <= ?) AND table_id NOT IN (SELECT table_id FROM ducklake_table WHERE end_snapshot IS NULL "
               "OR end_snapshot > ?)",
               {oldest_kept, oldest_kept});
  txn->Execute("DELETE FROM ducklake_table_column_stats WHERE table_id NOT IN (SELECT table_id FROM ducklake_table_stats)");
  // Old column versions of live tables stay: they hold the highest column id ever used, and ids of
  // dropped columns must never come back (files written with them would be read as the new ones).
  txn->Execute("DELETE FROM ducklake_column WHERE end_snapshot IS NOT NULL AND end_snapshot <= ? AND table_id NOT IN "
               "(SELECT table_id FROM ducklake_table WHERE end_snapshot IS NULL OR end_snapshot > ?)",
               {oldest_kept, oldest_kept});
  for (const char *catalog_table : {"ducklake_table", "ducklake_schema"}) {
    txn->Execute(fmt::format("DELETE FROM {} WHERE end_snapshot IS NOT NULL AND end_snapshot <= ?", catalog_table),
                 {oldest_kept});
  }
  for (const char *catalog_table : {"ducklake_snapshot_changes", "ducklake_snapshot"}) {
    txn->Execute(fmt::format("DELETE FROM {} WHERE snapshot_id < ?", catalog_table), {oldest_kept});
  }
  txn->Commit();
  return result;
}

std::vector<std::string> Lake::ScheduledFiles(int64_t min_age_ms) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query("SELECT m.value || f.path FROM ducklake_files_scheduled_for_deletion f JOIN ducklake_metadata "
                         "m ON m.key = 'data_path' AND m.scope IS NULL WHERE f.schedule_start <= " +
                             TimeParameter(meta_.Dialect()) + " ORDER BY f.path",
                         {FormatRfc3339Ms(NowUnixMs() - min_age_ms)});
  std::vector<std::string> keys;
  for (const auto &row : rows) keys.push_back(row.String(0));
  return keys;
}

void Lake::ForgetScheduledFiles(const std::vector<std::string> &keys) {
  if (keys.empty()) return;
  auto txn = meta_.Begin(TransactionMode::kWrite);
  auto data_path = Catalog(*txn, 0).DataPath();
  for (const auto &key : keys) {
    if (key.rfind(data_path, 0) != 0) continue;
    txn->Execute("DELETE FROM ducklake_files_scheduled_for_deletion WHERE path = ?", {key.substr(data_path.size())});
  }
  txn->Commit();
}

std::vector<std::string> Lake::ReferencedKeys() {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query(
      "SELECT m.value || s.path || t.path || f.path FROM ducklake_data_file f "
      "JOIN (SELECT DISTINCT table_id, schema_id, path FROM ducklake_table) t ON t.table_id = f.table_id "
      "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
      "JOIN ducklake_metadata m ON m.key = 'data_path' AND m.scope IS NULL "
      "UNION SELECT m.value || s.path || t.path || d.path FROM ducklake_delete_file d "
      "JOIN (SELECT DISTINCT table_id, schema_id, path FROM ducklake_table) t ON t.table_id = d.table_id "
      "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
      "JOIN ducklake_metadata m ON m.key = 'data_path' AND m.scope IS NULL "
      "UNION SELECT m.value || f.path FROM ducklake_files_scheduled_for_deletion f "
      "JOIN ducklake_metadata m ON m.key = 'data_path' AND m.scope IS NULL");
  std::vector<std::string> keys;
  for (const auto &row : rows) keys.push_back(row.String(0));
  return keys;
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
    auto row = CreateTableRows(txn, draft, schema, table_name, fresh_columns);
    auto table = catalog.Describe(schema, row);
    draft.result.tables.push_back({schema.name, row.name, "", table.columns, table.key_prefix, "CREATE"});
  });
}

CommitResult Lake::DropTable(const std::string &namespace_name, const std::string &table_name,
                             const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    auto schema = catalog.GetSchema(namespace_name);
    auto table = catalog.FindTable(schema.id, table_name);
    if (!table) throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", namespace_name, table_name);
    auto description = catalog.Describe(schema, *table);
    EndTableRows(txn, table->id, draft.id);
    draft.schema_changed = true;
    draft.changes.push_back("dropped_table:" + std::to_string(table->id));
    draft.result.tables.push_back({schema.name, table->name, "", {}, description.key_prefix, "DROP"});
  });
}

CommitResult Lake::UpdateTableMetadata(const std::string &namespace_name, const std::string &table_name,
                                       const TableMetadataChange &change, const CommitInfo &commit) {
  if (change.comment && *change.comment) ValidateTagText(**change.comment, "comment");
  if (change.tags) {
    if (change.tags->size() > kMaxTableTags) {
      throw MakeError(ErrorKind::kInvalidInput, "a table has at most {} tags", kMaxTableTags);
    }
    for (const auto &[key, value] : *change.tags) {
      if (key.empty() || key == kCommentTag) {
        throw Error(ErrorKind::kInvalidInput, "a tag name must be non-empty and not 'comment' (set the comment itself)");
      }
      ValidateTagText(key, "a tag name");
      ValidateTagText(value, "a tag value");
    }
  }
  for (const auto &[column, comment] : change.column_comments) {
    if (comment) ValidateTagText(*comment, "a column comment");
  }
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    auto schema = catalog.GetSchema(namespace_name);
    auto table = catalog.FindTable(schema.id, table_name);
    if (!table) throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", namespace_name, table_name);
    auto description = catalog.Describe(schema, *table);
    // A tag row is versioned like every catalog row: the old one ends where the new one begins.
    auto set_tag = [&](const std::string &key, const std::optional<std::string> &value) {
      txn.Execute("UPDATE ducklake_tag SET end_snapshot = ? WHERE object_id = ? AND key = ? AND end_snapshot IS NULL",
                  {draft.id, table->id, key});
      if (value) {
        txn.Execute("INSERT INTO ducklake_tag (object_id, begin_snapshot, end_snapshot, key, value) VALUES "
                    "(?, ?, NULL, ?, ?)",
                    {table->id, draft.id, key, *value});
      }
    };
    if (change.comment) set_tag(kCommentTag, *change.comment);
    if (change.tags) {
      for (const auto &[key, value] : description.tags) {
        if (!change.tags->count(key)) set_tag(key, std::nullopt);
      }
      for (const auto &[key, value] : *change.tags) set_tag(key, value);
    }
    for (const auto &[name, comment] : change.column_comments) {
      auto column = std::find_if(description.columns.begin(), description.columns.end(),
                                 [&](const ColumnDef &c) { return LowerName(c.name) == LowerName(name); });
      if (column == description.columns.end()) {
        throw MakeError(ErrorKind::kInvalidInput, "table '{}.{}' has no column '{}'", schema.name, table->name, name);
      }
      txn.Execute("UPDATE ducklake_column_tag SET end_snapshot = ? WHERE table_id = ? AND column_id = ? AND key = ? "
                  "AND end_snapshot IS NULL",
                  {draft.id, table->id, column->id, kCommentTag});
      if (comment) {
        txn.Execute("INSERT INTO ducklake_column_tag (table_id, column_id, begin_snapshot, end_snapshot, key, value) "
                    "VALUES (?, ?, ?, NULL, ?, ?)",
                    {table->id, column->id, draft.id, kCommentTag, *comment});
      }
    }
    draft.changes.push_back("altered_table:" + std::to_string(table->id));
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
    auto previous = table->name;
    table->name = new_name;
    auto description = catalog.Describe(schema, *table);
    draft.result.tables.push_back({schema.name, new_name, previous, description.columns, description.key_prefix, "RENAME"});
  });
}

std::vector<DataFile> Lake::TableFiles(int64_t table_id, int64_t snapshot_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query(
      fmt::format("SELECT f.data_file_id, m.value || s.path || t.path, f.path, f.record_count, f.file_size_bytes, "
                  "f.footer_size, f.row_id_start, f.begin_snapshot, d.path, d.delete_count, o.data_file_id "
                  "FROM ducklake_data_file f LEFT JOIN dl_data_file_old_columns o ON o.data_file_id = f.data_file_id "
                  "JOIN ducklake_table t ON t.table_id = f.table_id AND {} "
                  "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
                  "JOIN ducklake_metadata m ON m.key = 'data_path' AND m.scope IS NULL "
                  "LEFT JOIN ducklake_delete_file d ON d.data_file_id = f.data_file_id AND {} "
                  "WHERE f.table_id = ? AND {} ORDER BY f.file_order, f.data_file_id",
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
    auto prefix = row.String(1);
    DataFile file;
    file.id = row.Int(0);
    file.key = prefix + row.String(2);
    file.record_count = row.Int(3);
    file.file_size_bytes = row.Int(4);
    file.footer_size = row.Int(5);
    file.row_id_start = row.Int(6);
    file.begin_snapshot = row.Int(7);
    // Commits that add files conflict with concurrent schema changes, so a file committed with or
    // after the last change was written against the columns it made, unless marked otherwise.
    file.has_current_columns = file.begin_snapshot >= schema_changed_at && row.IsNull(10);
    if (!row.IsNull(8)) {
      file.delete_key = prefix + row.String(8);
      file.delete_count = row.Int(9);
    }
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
    column.contains_nan = row.OptionalInt(7).value_or(0) != 0;
    files[it->second].stats.push_back(std::move(column));
  }
  return files;
}

std::vector<DataFileVersions> Lake::TableFileHistory(int64_t table_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  const std::string prefix_sql =
      "SELECT m.value || s.path || t.path FROM (SELECT DISTINCT schema_id, path FROM ducklake_table WHERE table_id = ?) "
      "t JOIN ducklake_schema s ON s.schema_id = t.schema_id JOIN ducklake_metadata m ON m.key = 'data_path' AND "
      "m.scope IS NULL";
  auto prefix_rows = txn->Query(prefix_sql, {table_id});
  if (prefix_rows.empty()) return {};
  auto prefix = prefix_rows[0].String(0);
  std::vector<DataFileVersions> files;
  std::map<int64_t, size_t> index;
  for (const auto &row : txn->Query("SELECT data_file_id, path, record_count, begin_snapshot, end_snapshot FROM "
                                    "ducklake_data_file WHERE table_id = ? ORDER BY file_order, data_file_id",
                                    {table_id})) {
    index[row.Int(0)] = files.size();
    files.push_back({prefix + row.String(1), row.Int(2), row.Int(3), row.OptionalInt(4), {}});
  }
  for (const auto &row : txn->Query("SELECT data_file_id, path, begin_snapshot, end_snapshot FROM ducklake_delete_file "
                                    "WHERE table_id = ? ORDER BY begin_snapshot",
                                    {table_id})) {
    auto it = index.find(row.Int(0));
    if (it != index.end()) files[it->second].deletes.push_back({prefix + row.String(1), row.Int(2), row.OptionalInt(3)});
  }
  return files;
}

CommitResult Lake::CommitWrite(const TableWrite &write, const CommitInfo &commit) {
  LakeTransaction transaction;
  auto &change = transaction.tables.emplace_back();
  change.namespace_name = write.namespace_name;
  change.table_name = write.table_name;
  change.table_id = write.expected_table_id;
  change.create_columns = write.create_columns;
  change.replace_contents = write.mode == WriteMode::kOverwrite;
  change.added_files = write.files;
  transaction.base_snapshot = write.base_snapshot ? *write.base_snapshot : LatestSnapshot();
  return CommitTransaction(transaction, commit);
}

int64_t Lake::MaxColumnId(int64_t table_id) {
  auto rows = meta_.Begin(TransactionMode::kRead)
                  ->Query("SELECT coalesce(max(column_id), 0) FROM ducklake_column WHERE table_id = ?", {table_id});
  return rows[0].Int(0);
}

namespace {

bool ChangedSince(MetaTransaction &txn, const char *catalog_table, int64_t table_id, int64_t snapshot_id) {
  return !txn.Query(fmt::format("SELECT 1 FROM {} WHERE table_id = ? AND (begin_snapshot > ? OR end_snapshot > ?) "
                                "LIMIT 1",
                                catalog_table),
                    {table_id, snapshot_id, snapshot_id})
              .empty();
}

bool ChangesAnything(const TableChange &change) {
  if (change.create_columns || change.columns || change.new_name || change.dropped || change.replace_contents ||
      !change.removed_files.empty() || !change.deletes.empty()) {
    return true;
  }
  for (const auto &file : change.added_files) {
    if (file.record_count > 0) return true;
  }
  return false;
}

// A data file that counts at the snapshot being drafted, with the delete file in force for it.
struct LiveFile {
  int64_t data_file_id = 0;
  std::optional<int64_t> delete_file_id;
  int64_t delete_begin_snapshot = 0;
};

std::map<std::string, LiveFile> LiveFiles(MetaTransaction &txn, int64_t table_id, const std::string &table_prefix) {
  auto rows = txn.Query("SELECT f.data_file_id, f.path, d.delete_file_id, d.begin_snapshot FROM ducklake_data_file f "
                        "LEFT JOIN ducklake_delete_file d ON d.data_file_id = f.data_file_id AND d.end_snapshot IS NULL "
                        "WHERE f.table_id = ? AND f.end_snapshot IS NULL",
                        {table_id});
  std::map<std::string, LiveFile> files;
  for (const auto &row : rows) {
    files[table_prefix + row.String(1)] = {row.Int(0), row.OptionalInt(2), row.OptionalInt(3).value_or(0)};
  }
  return files;
}

void InsertDataFile(MetaTransaction &txn, SnapshotDraft &draft, int64_t table_id, int64_t file_id, int64_t file_order,
                    const std::string &path, const NewDataFile &file, int64_t row_id_start) {
  txn.Execute("INSERT INTO ducklake_data_file (data_file_id, table_id, begin_snapshot, end_snapshot, file_order, "
              "path, path_is_relative, file_format, record_count, file_size_bytes, footer_size, row_id_start) "
              "VALUES (?, ?, ?, NULL, ?, ?, ?, 'parquet', ?, ?, ?, ?)",
              {file_id, table_id, draft.id, file_order, path, int64_t{1}, file.record_count, file.file_size_bytes,
               file.footer_size, row_id_start});
  for (const auto &stats : file.stats) {
    txn.Execute("INSERT INTO ducklake_file_column_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                {file_id, table_id, stats.column_id, stats.column_size_bytes, stats.value_count, stats.null_count,
                 stats.min_value ? SqlValue(*stats.min_value) : SqlValue(),
                 stats.max_value ? SqlValue(*stats.max_value) : SqlValue(), static_cast<int64_t>(stats.contains_nan)});
  }
}

void EndDataFile(MetaTransaction &txn, int64_t snapshot_id, const LiveFile &file) {
  txn.Execute("UPDATE ducklake_data_file SET end_snapshot = ? WHERE data_file_id = ?", {snapshot_id, file.data_file_id});
  if (file.delete_file_id) {
    txn.Execute("UPDATE ducklake_delete_file SET end_snapshot = ? WHERE delete_file_id = ?",
                {snapshot_id, *file.delete_file_id});
  }
}

void ApplyTableChange(MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft, const TableChange &change,
                      int64_t base_snapshot) {
  auto schema = catalog.GetSchema(change.namespace_name);
  std::optional<TableRow> row;
  bool created = false;
  std::string previous_name;
  auto quoted_name = fmt::format("{}.{}", change.namespace_name, change.table_name);
  if (change.table_id) {
    row = catalog.FindTableById(*change.table_id);
    if (!row) throw MakeError(ErrorKind::kConflict, "table '{}' was dropped or replaced concurrently", quoted_name);
  } else {
    row = catalog.FindTable(schema.id, change.table_name);
    if (row && change.create_columns) {
      throw MakeError(ErrorKind::kConflict, "table '{}' was created concurrently; retry the write", quoted_name);
    }
    if (!row && !change.create_columns) throw MakeError(ErrorKind::kNotFound, "table '{}' not found", quoted_name);
    if (!row) {
      auto columns = *change.create_columns;
      row = CreateTableRows(txn, draft, schema, change.table_name, columns, change.create_folder);
      created = true;
    }
  }
  const int64_t table_id = row->id;
  const auto id_text = std::to_string(table_id);
  if (change.table_id) {
    bool schema_changed = ChangedSince(txn, "ducklake_table", table_id, base_snapshot) ||
                          ChangedSince(txn, "ducklake_column", table_id, base_snapshot);
    // Files written against the old columns would need their field ids mapped forever after.
    if ((change.columns || change.new_name || change.dropped || !change.added_files.empty()) && schema_changed) {
      throw MakeError(ErrorKind::kConflict, "table '{}' was altered concurrently; retry", quoted_name);
    }
    if (change.dropped && (ChangedSince(txn, "ducklake_data_file", table_id, base_snapshot) ||
                           ChangedSince(txn, "ducklake_delete_file", table_id, base_snapshot))) {
      throw MakeError(ErrorKind::kConflict, "table '{}' was written to concurrently; the drop was not applied",
                      quoted_name);
    }
  }
  if (change.dropped) {
    EndTableRows(txn, table_id, draft.id);
    draft.schema_changed = true;
    draft.changes.push_back("dropped_table:" + id_text);
    draft.result.tables.push_back(
        {schema.name, row->name, "", {}, catalog.DataPath() + schema.path + row->path, "DROP"});
    return;
  }
  if (change.new_name && *change.new_name != row->name) {
    ValidateObjectName("table", *change.new_name);
    if (LowerName(*change.new_name) != LowerName(row->name) && catalog.FindTable(schema.id, *change.new_name)) {
      throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", schema.name, *change.new_name);
    }
    // The format versions a table row: end the old name and start the new one with the same id and path.
    txn.Execute("UPDATE ducklake_table SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
                {draft.id, table_id});
    txn.Execute("INSERT INTO ducklake_table VALUES (?, ?, ?, NULL, ?, ?, ?, ?)",
                {table_id, row->uuid, draft.id, schema.id, *change.new_name, row->path, int64_t{1}});
    previous_name = row->name;
    row->name = *change.new_name;
    draft.schema_changed = true;
    draft.changes.push_back("altered_table:" + id_text);
  }
  if (change.columns) {
    ApplyColumns(txn, table_id, draft.id, catalog.Columns(table_id), *change.columns);
    draft.schema_changed = true;
    if (!change.new_name) draft.changes.push_back("altered_table:" + id_text);
  }

  auto table = catalog.Describe(schema, *row);
  const std::string table_prefix = catalog.DataPath() + schema.path + row->path;
  auto relative_path = [&](const std::string &key) {
    if (key.rfind(table_prefix, 0) != 0) {
      throw MakeError(ErrorKind::kInternal, "file '{}' is outside the table's folder", key);
    }
    return key.substr(table_prefix.size());
  };
  if (change.replace_contents) {
    txn.Execute("UPDATE ducklake_data_file SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
                {draft.id, table_id});
    txn.Execute("UPDATE ducklake_delete_file SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
                {draft.id, table_id});
    draft.changes.push_back("deleted_from_table:" + id_text);
  }
  std::map<std::string, LiveFile> live;
  if (!change.removed_files.empty() || !change.deletes.empty()) live = LiveFiles(txn, table_id, table_prefix);
  auto live_file = [&](const std::string &key) -> LiveFile & {
    auto it = live.find(key);
    if (it == live.end()) {
      throw MakeError(ErrorKind::kConflict, "rows of table '{}' were rewritten or deleted concurrently", quoted_name);
    }
    if (it->second.delete_file_id && it->second.delete_begin_snapshot > base_snapshot) {
      throw MakeError(ErrorKind::kConflict, "rows of table '{}' were deleted concurrently", quoted_name);
    }
    return it->second;
  };
  for (const auto &key : change.removed_files) {
    EndDataFile(txn, draft.id, live_file(key));
    live.erase(key);
  }

  auto stats_row = txn.Query("SELECT next_row_id FROM ducklake_table_stats WHERE table_id = ?", {table_id});
  int64_t next_row_id = stats_row.empty() ? 0 : stats_row[0].Int(0);
  auto order_row = txn.Query("SELECT coalesce(max(file_order), 0) FROM ducklake_data_file WHERE table_id = ?",
                             {table_id});
  int64_t file_order = order_row[0].Int(0);
  std::map<std::string, int64_t> added_ids;
  int64_t rows_added = 0;
  for (const auto &file : change.added_files) {
    int64_t file_id = draft.next_file_id++;
    InsertDataFile(txn, draft, table_id, file_id, ++file_order, relative_path(file.key), file, next_row_id);
    if (change.added_with_old_columns.count(file.key)) {
      txn.Execute("INSERT INTO dl_data_file_old_columns VALUES (?)", {file_id});
    }
    added_ids[file.key] = file_id;
    next_row_id += file.record_count;
    rows_added += file.record_count;
  }
  for (const auto &[data_key, delete_file] : change.deletes) {
    int64_t data_file_id;
    if (auto added = added_ids.find(data_key); added != added_ids.end()) {
      data_file_id = added->second;
    } else {
      auto &file = live_file(data_key);
      data_file_id = file.data_file_id;
      if (file.delete_file_id) {
        txn.Execute("UPDATE ducklake_delete_file SET end_snapshot = ? WHERE delete_file_id = ?",
                    {draft.id, *file.delete_file_id});
      }
    }
    txn.Execute("INSERT INTO ducklake_delete_file VALUES (?, ?, ?, NULL, ?, ?, ?, 'parquet', ?, ?, ?, NULL)",
                {draft.next_file_id++, table_id, draft.id, data_file_id, relative_path(delete_file.key), int64_t{1},
                 delete_file.record_count, delete_file.file_size_bytes, delete_file.footer_size});
  }
  txn.Execute("UPDATE ducklake_table_stats SET next_row_id = ? WHERE table_id = ?", {next_row_id, table_id});
  RefreshTableStats(txn, catalog, table, draft.id, change.added_files, change.replace_contents);
  draft.result.rows_written += change.compacted ? 0 : rows_added;
  draft.result.rows_deleted += change.rows_deleted;
  int64_t bytes_added = 0;
  for (const auto &file : change.added_files) bytes_added += file.file_size_bytes;
  std::string lifecycle = created                  ? "CREATE"
                          : change.columns         ? "ALTER"
                          : !previous_name.empty() ? "RENAME"
                          : change.replace_contents ? "OVERWRITE"
                                                    : "";
  draft.result.tables.push_back({schema.name, row->name, previous_name, table.columns, table.key_prefix, lifecycle,
                                 change.compacted ? 0 : rows_added, change.rows_deleted, bytes_added});
  if (change.compacted) {
    draft.changes.push_back("compacted_table:" + id_text);
    return;
  }
  if (!change.deletes.empty() || !change.removed_files.empty()) draft.changes.push_back("deleted_from_table:" + id_text);
  if (!change.added_files.empty()) draft.changes.push_back("inserted_into_table:" + id_text);
  if (change.updated) draft.updated_tables.push_back(id_text);
}

}  // namespace

CommitResult Lake::CommitTransaction(const LakeTransaction &transaction, const CommitInfo &commit) {
  bool changes_anything = false;
  for (const auto &change : transaction.tables) changes_anything = changes_anything || ChangesAnything(change);
  // Nothing to record: no snapshot.
  if (!changes_anything) return CommitResult{LatestSnapshot(), 0, 0, false};
  return Commit(meta_, commit, [&](MetaTransaction &txn, Catalog &catalog, SnapshotDraft &draft) {
    // The base's view of the catalog is incomplete once it is expired: what was read may be wrong.
    if (txn.Query("SELECT 1 FROM ducklake_snapshot WHERE snapshot_id = ?", {transaction.base_snapshot}).empty()) {
      throw MakeError(ErrorKind::kConflict, "snapshot {} was expired while the transaction ran; retry",
                      transaction.base_snapshot);
    }
    // Drops first: a transaction may drop a table and give its name to another one.
    for (bool drops : {true, false}) {
      for (const auto &change : transaction.tables) {
        if (change.dropped == drops) ApplyTableChange(txn, catalog, draft, change, transaction.base_snapshot);
      }
    }
  });
}

}  // namespace ducklake
