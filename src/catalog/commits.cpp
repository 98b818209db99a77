#include "catalog/commits.hpp"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>

#include "catalog/history.hpp"
#include "catalog/inlined_data.hpp"
#include "catalog/snapshot_view.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"

namespace ducklake {

using namespace catalog_rows;

namespace {

constexpr int kMaxCommitAttempts = 8;
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


// The snapshot being built by one commit attempt.
struct SnapshotDraft {
  int64_t id = 0;
  int64_t schema_version = 0;
  int64_t next_catalog_id = 0;
  int64_t next_file_id = 0;
  bool schema_changed = false;
  std::vector<std::string> changes;
  // Recorded in dl_snapshot_update: tables whose inserts and deletes here are an UPDATE's.
  std::vector<int64_t> updated_tables;
  std::string dialect;  // the metadata database's
  // Writes that need the snapshot's final schema version (known once every change is applied).
  std::vector<std::function<void(MetaTransaction &txn, int64_t schema_version)>> with_schema_version;
  CommitResult result;
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
  inlined_data::EndAll(txn, table_id, snapshot_id);  // so that expiry purges them with the rest
}

SqlValue OptionalFlag(const std::optional<bool> &flag) { return flag ? SqlValue(int64_t{*flag}) : SqlValue(); }

// A table's statistics as the format's writers keep them: record_count and file_size_bytes add up the
// rows and bytes of every file ever added (deletes and compaction change neither, as in the official
// extension), next_row_id is the next unused row id; per column, whether any value added was NULL or
// NaN, and bounds of every value added (none once a NaN was seen: NaN has no place in their order).
// A table gets its row with its first data, not before.
void AddTableStats(MetaTransaction &txn, const TableInfo &table, const std::vector<NewDataFile> &added,
                   bool has_stats_row, int64_t next_row_id, bool compacted) {
  int64_t rows_added = 0, bytes_added = 0;
  if (!compacted) {
    for (const auto &file : added) {
      rows_added += file.record_count;
      bytes_added += file.file_size_bytes;
    }
  }
  if (!has_stats_row) {
    if (added.empty()) return;
    txn.Execute("INSERT INTO ducklake_table_stats VALUES (?, ?, ?, ?)", {table.id, rows_added, next_row_id, bytes_added});
  } else {
    txn.Execute("UPDATE ducklake_table_stats SET record_count = record_count + ?, next_row_id = ?, "
                "file_size_bytes = file_size_bytes + ? WHERE table_id = ?",
                {rows_added, next_row_id, bytes_added, table.id});
  }
  if (compacted || added.empty()) return;
  // Every column's statistics so far, in one read; each column then gets one write.
  std::map<int64_t, SqlRow> known;
  for (auto &row : txn.Query("SELECT column_id, contains_null, contains_nan, min_value, max_value FROM "
                             "ducklake_table_column_stats WHERE table_id = ?",
                             {table.id})) {
    auto id = row.Int(0);
    known.emplace(id, std::move(row));
  }
  for (const auto &file : added) {
    for (const auto &stats : file.stats) {
      const ColumnDef *column = FindColumnById(table.columns, stats.column_id);
      if (!column) continue;
      bool contains_null = stats.null_count > 0;
      auto contains_nan = stats.contains_nan;
      auto min_value = stats.min_value;
      auto max_value = stats.max_value;
      auto old = known.find(stats.column_id);
      if (old != known.end()) {
        const auto &row = old->second;
        contains_null = contains_null || (!row.IsNull(1) && row.Int(1) != 0);
        if (contains_nan && !row.IsNull(2)) contains_nan = *contains_nan || row.Int(2) != 0;
        auto old_min = row.OptionalString(3);
        auto old_max = row.OptionalString(4);
        if (old_min && (!min_value || CompareStatValues(column->type, *old_min, *min_value) < 0)) min_value = old_min;
        if (old_max && (!max_value || CompareStatValues(column->type, *old_max, *max_value) > 0)) max_value = old_max;
      }
      if (contains_nan.value_or(false)) min_value.reset(), max_value.reset();
      auto optional_text = [](const std::optional<std::string> &v) { return v ? SqlValue(*v) : SqlValue(); };
      std::vector<SqlValue> values = {static_cast<int64_t>(contains_null), OptionalFlag(contains_nan),
                                      optional_text(min_value), optional_text(max_value), table.id, stats.column_id};
      if (old != known.end()) {
        txn.Execute("UPDATE ducklake_table_column_stats SET contains_null = ?, contains_nan = ?, min_value = ?, "
                    "max_value = ? WHERE table_id = ? AND column_id = ?",
                    values);
      } else {
        txn.Execute("INSERT INTO ducklake_table_column_stats (contains_null, contains_nan, min_value, max_value, "
                    "table_id, column_id) VALUES (?, ?, ?, ?, ?, ?)",
                    values);
      }
      // What a later file of the same commit merges with.
      SqlRow merged;
      merged.values = {stats.column_id, values[0], values[1], values[2], values[3]};
      known[stats.column_id] = std::move(merged);
    }
  }
}

// Commits what `apply` drafts as the next snapshot. With `base_snapshot`, a base that was expired
// meanwhile is a conflict (what was read from it may be wrong).
template <typename Apply>
CommitResult Commit(MetaStore &meta, const CommitInfo &commit, Apply &&apply,
                    std::optional<int64_t> base_snapshot = std::nullopt) {
  for (int attempt = 1;; attempt++) {
    auto txn = meta.Begin(TransactionMode::kWrite);
    auto head = txn->Query(
        "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id, (SELECT count(*) FROM ducklake_snapshot "
        "WHERE snapshot_id = ?) FROM ducklake_snapshot ORDER BY snapshot_id DESC LIMIT 1",
        {base_snapshot.value_or(-1)});
    if (base_snapshot && head.at(0).Int(4) == 0) {
      throw MakeError(ErrorKind::kConflict, "snapshot {} was expired while the transaction ran; retry", *base_snapshot);
    }
    SnapshotDraft draft;
    draft.id = head.at(0).Int(0) + 1;
    draft.schema_version = head[0].Int(1);
    draft.next_catalog_id = head[0].Int(2);
    draft.next_file_id = head[0].Int(3);
    draft.dialect = meta.Dialect();
    // Reads inside the commit see the latest committed state plus this draft's own rows.
    SnapshotView catalog(*txn, draft.id);
    apply(*txn, catalog, draft);
    if (draft.schema_changed) draft.schema_version++;
    for (const auto &write : draft.with_schema_version) write(*txn, draft.schema_version);
    try {
      // To the millisecond, as the API shows snapshot times: a time read there finds its snapshot.
      txn->Execute("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                   {draft.id, FormatCatalogTime(NowUnixMs() * 1000), draft.schema_version, draft.next_catalog_id, draft.next_file_id});
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
    for (auto table_id : draft.updated_tables) {
      txn->Execute("INSERT INTO dl_snapshot_update VALUES (?, ?)", {draft.id, table_id});
    }
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

CommitResult Commits::CreateNamespace(const std::string &name, const CommitInfo &commit) {
  ValidateObjectName("namespace", name);
  return Commit(meta_, commit, [&](MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft) {
    if (catalog.FindSchema(name)) throw MakeError(ErrorKind::kConflict, "namespace '{}' already exists", name);
    txn.Execute("INSERT INTO ducklake_schema VALUES (?, ?, ?, NULL, ?, ?, ?)",
                {draft.next_catalog_id++, NewUuid(), draft.id, name, name + "/", int64_t{1}});
    draft.schema_changed = true;
    draft.changes.push_back("created_schema:" + QuoteIdentifier(name));
  });
}

CommitResult Commits::DropNamespace(const std::string &name, const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft) {
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

CommitResult Commits::CreateTable(const std::string &namespace_name, const std::string &table_name,
                               std::vector<ColumnDef> columns, const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft) {
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

CommitResult Commits::DropTable(const std::string &namespace_name, const std::string &table_name,
                             const CommitInfo &commit) {
  return Commit(meta_, commit, [&](MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft) {
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

CommitResult Commits::UpdateTableMetadata(const std::string &namespace_name, const std::string &table_name,
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
  return Commit(meta_, commit, [&](MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft) {
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

CommitResult Commits::RenameTable(const std::string &namespace_name, const std::string &table_name,
                               const std::string &new_name, const CommitInfo &commit) {
  ValidateObjectName("table", new_name);
  return Commit(meta_, commit, [&](MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft) {
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

CommitResult Commits::CommitWrite(const TableWrite &write, const CommitInfo &commit) {
  LakeTransaction transaction;
  auto &change = transaction.tables.emplace_back();
  change.namespace_name = write.namespace_name;
  change.table_name = write.table_name;
  change.table_id = write.expected_table_id;
  change.create_columns = write.create_columns;
  change.replace_contents = write.mode == WriteMode::kOverwrite;
  change.added_files = write.files;
  transaction.base_snapshot = write.base_snapshot ? *write.base_snapshot : History(meta_).LatestSnapshot();
  return CommitTransaction(transaction, commit);
}

namespace {

// Whether any of `catalog_tables` has a row of the table that began or ended after `snapshot_id`.
bool ChangedSince(MetaTransaction &txn, std::initializer_list<const char *> catalog_tables, int64_t table_id,
                  int64_t snapshot_id) {
  std::string sql;
  std::vector<SqlValue> params;
  for (const char *catalog_table : catalog_tables) {
    sql += fmt::format("{}SELECT 1 FROM {} WHERE table_id = ? AND (begin_snapshot > ? OR end_snapshot > ?)",
                       sql.empty() ? "" : " UNION ALL ", catalog_table);
    params.insert(params.end(), {table_id, snapshot_id, snapshot_id});
  }
  return !txn.Query("SELECT 1 FROM (" + sql + ") AS changed LIMIT 1", params).empty();
}

bool ChangesAnything(const TableChange &change) {
  if (change.create_columns || change.columns || change.new_name || change.dropped || change.replace_contents ||
      !change.removed_files.empty() || !change.deletes.empty() || !change.inlined_deletes.empty() || change.flush) {
    return true;
  }
  for (const auto &rows : change.inlined_inserts) {
    if (!rows.rows.empty()) return true;
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

void InsertDataFile(MetaTransaction &txn, int64_t begin_snapshot, int64_t table_id, int64_t file_id,
                    const std::string &path, const NewDataFile &file, int64_t row_id_start) {
  txn.Execute("INSERT INTO ducklake_data_file (data_file_id, table_id, begin_snapshot, end_snapshot, file_order, "
              "path, path_is_relative, file_format, record_count, file_size_bytes, footer_size, row_id_start) "
              "VALUES (?, ?, ?, NULL, NULL, ?, ?, 'parquet', ?, ?, ?, ?)",
              {file_id, table_id, begin_snapshot, path, int64_t{1}, file.record_count, file.file_size_bytes,
               file.footer_size, row_id_start});
  for (const auto &stats : file.stats) {
    txn.Execute("INSERT INTO ducklake_file_column_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                {file_id, table_id, stats.column_id, stats.column_size_bytes, stats.value_count, stats.null_count,
                 stats.min_value ? SqlValue(*stats.min_value) : SqlValue(),
                 stats.max_value ? SqlValue(*stats.max_value) : SqlValue(), OptionalFlag(stats.contains_nan)});
  }
}

void EndDataFile(MetaTransaction &txn, int64_t snapshot_id, const LiveFile &file) {
  txn.Execute("UPDATE ducklake_data_file SET end_snapshot = ? WHERE data_file_id = ?", {snapshot_id, file.data_file_id});
  if (file.delete_file_id) {
    txn.Execute("UPDATE ducklake_delete_file SET end_snapshot = ? WHERE delete_file_id = ?",
                {snapshot_id, *file.delete_file_id});
  }
}

// A flush: the file replaces the rows it holds in every snapshot (see InlinedFlush).
void ApplyFlush(MetaTransaction &txn, SnapshotDraft &draft, int64_t table_id,
                const std::function<std::string(const std::string &)> &relative_path, const InlinedFlush &flush,
                const std::string &quoted_name) {
  const auto &rows = flush.row_ids;
  if (rows.empty()) return;
  // The rows must still be live: none deleted or flushed since they were read. (A row id can have
  // several versions, an UPDATE's; only its live one moves.)
  std::set<std::pair<int64_t, int64_t>> expected;
  for (size_t i = 0; i < rows.size(); i++) expected.insert({rows[i], flush.begin_snapshots[i]});
  size_t live = 0;
  for (const auto &row : inlined_data::Rows(txn, table_id, draft.id, {})) {
    live += expected.count({row.row_id, row.begin_snapshot});
  }
  if (live != expected.size()) {
    throw MakeError(ErrorKind::kConflict, "rows of table '{}' were deleted or flushed concurrently; flush again",
                    quoted_name);
  }
  inlined_data::RemoveLive(txn, table_id, rows);
  inlined_data::UnlistEmpty(txn, table_id);
  int64_t first = *std::min_element(flush.begin_snapshots.begin(), flush.begin_snapshots.end());
  int64_t last = *std::max_element(flush.begin_snapshots.begin(), flush.begin_snapshots.end());
  int64_t file_id = draft.next_file_id++;
  InsertDataFile(txn, first, table_id, file_id, relative_path(flush.file.key), flush.file,
                 *std::min_element(rows.begin(), rows.end()));
  txn.Execute("UPDATE ducklake_data_file SET partial_file_info = ? WHERE data_file_id = ?",
              {fmt::format("partial_max:{}", last), file_id});
  std::map<int64_t, int64_t> per_snapshot = {{draft.id, 0}};  // the flush's own snapshot: no rows
  for (auto snapshot : flush.begin_snapshots) per_snapshot[snapshot]++;
  for (const auto &[snapshot, count] : per_snapshot) {
    txn.Execute("INSERT INTO dl_flushed_rows VALUES (?, ?, ?)", {file_id, snapshot, count});
  }
}

// Applies what a change does to a table's rows (files, deletes, rows kept in the catalog,
// statistics) to the table `table`, as of the draft. `lifecycle`: what the change did to the table
// itself, in OpenLineage's words (CREATE, ALTER, RENAME; empty for none); `previous_name`: its name
// before a rename.
void ApplyRowChanges(MetaTransaction &txn, SnapshotDraft &draft, const TableChange &change, const TableInfo &table,
                     int64_t base_snapshot, const std::string &quoted_name, std::string lifecycle,
                     const std::string &previous_name) {
  const int64_t table_id = table.id;
  const auto id_text = std::to_string(table_id);
  const std::string &table_prefix = table.key_prefix;
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
    inlined_data::EndAll(txn, table_id, draft.id);
  }
  if (!change.inlined_deletes.empty() &&
      inlined_data::End(txn, table_id, change.inlined_deletes, draft.id) !=
          static_cast<int64_t>(change.inlined_deletes.size())) {
    throw MakeError(ErrorKind::kConflict, "rows of table '{}' were deleted or flushed concurrently", quoted_name);
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
  bool has_stats_row = !stats_row.empty();
  std::map<std::string, int64_t> added_ids;
  int64_t rows_added = 0;
  for (const auto &file : change.added_files) {
    int64_t file_id = draft.next_file_id++;
    InsertDataFile(txn, draft.id, table_id, file_id, relative_path(file.key), file, next_row_id);
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
  // Rows kept in the catalog count as a file's would; they go in once the schema version is known.
  auto counted = change.added_files;
  int64_t rows_inlined = 0;
  for (const auto &rows : change.inlined_inserts) {
    if (rows.rows.empty()) continue;
    NewDataFile file;
    file.record_count = static_cast<int64_t>(rows.rows.size());
    file.stats = rows.stats;
    counted.push_back(std::move(file));
    draft.with_schema_version.push_back(
        [table_id, columns = table.columns, snapshot = draft.id, dialect = draft.dialect, &rows,
         first_row_id = next_row_id](MetaTransaction &txn, int64_t schema_version) {
          inlined_data::Insert(txn, dialect, table_id, schema_version, columns, snapshot, rows, first_row_id);
        });
    next_row_id += file.record_count;
    rows_inlined += file.record_count;
  }
  rows_added += rows_inlined;
  AddTableStats(txn, table, counted, has_stats_row, next_row_id, change.compacted);
  draft.result.rows_written += change.compacted ? 0 : rows_added;
  draft.result.rows_deleted += change.rows_deleted;
  int64_t bytes_added = 0;
  for (const auto &file : change.added_files) bytes_added += file.file_size_bytes;
  if (lifecycle.empty() && change.replace_contents) lifecycle = "OVERWRITE";
  draft.result.tables.push_back({table.namespace_name, table.name, previous_name, table.columns, table.key_prefix,
                                 lifecycle, change.compacted ? 0 : rows_added, change.rows_deleted, bytes_added});
  if (change.flush) {
    ApplyFlush(txn, draft, table_id, relative_path, *change.flush, quoted_name);
    draft.changes.push_back("flushed_inlined:" + id_text);
    return;
  }
  if (change.compacted) {
    draft.changes.push_back("compacted_table:" + id_text);
    return;
  }
  // In the official extension's order: inserts before deletes, files before rows kept in the catalog.
  if (!change.added_files.empty()) draft.changes.push_back("inserted_into_table:" + id_text);
  if (change.replace_contents || !change.deletes.empty() || !change.removed_files.empty()) {
    draft.changes.push_back("deleted_from_table:" + id_text);
  }
  if (rows_inlined > 0) draft.changes.push_back("inlined_insert:" + id_text);
  if (!change.inlined_deletes.empty()) draft.changes.push_back("inlined_delete:" + id_text);
  if (change.updated) draft.updated_tables.push_back(table_id);
}

// Applies one table's changes. `schema_unchanged`: no schema version began since the transaction's
// base, so no table changed shape since.
void ApplyTableChange(MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft, const TableChange &change,
                      int64_t base_snapshot, bool schema_unchanged) {
  auto quoted_name = fmt::format("{}.{}", change.namespace_name, change.table_name);
  if (schema_unchanged && change.table_id && change.base_shape && !change.columns && !change.new_name &&
      !change.dropped) {
    ApplyRowChanges(txn, draft, change, *change.base_shape, base_snapshot, quoted_name, "", "");
    return;
  }
  auto schema = catalog.GetSchema(change.namespace_name);
  std::optional<TableRow> row;
  bool created = false;
  std::string previous_name;
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
    bool schema_changed =
        !schema_unchanged && ChangedSince(txn, {"ducklake_table", "ducklake_column"}, table_id, base_snapshot);
    // Files written against the old columns would need their field ids mapped forever after.
    if ((change.columns || change.new_name || change.dropped || !change.added_files.empty() ||
         !change.inlined_inserts.empty()) &&
        schema_changed) {
      throw MakeError(ErrorKind::kConflict, "table '{}' was altered concurrently; retry", quoted_name);
    }
    if (change.dropped && (ChangedSince(txn, {"ducklake_data_file", "ducklake_delete_file"}, table_id, base_snapshot) ||
                           inlined_data::ChangedAfter(txn, table_id, base_snapshot))) {
      throw MakeError(ErrorKind::kConflict, "table '{}' was written to concurrently; the drop was not applied",
                      quoted_name);
    }
  }
  if (change.dropped) {
    EndTableRows(txn, table_id, draft.id);
    draft.schema_changed = true;
    draft.changes.push_back("dropped_table:" + id_text);
    draft.result.tables.push_back(
        {schema.name, row->name, "", {}, Catalog::kDataKeyPrefix + schema.path + row->path, "DROP"});
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
    // As the official extension records a rename: the table under its new name.
    draft.changes.push_back("created_table:" + QuoteIdentifier(schema.name) + "." + QuoteIdentifier(row->name));
  }
  if (change.columns) {
    ApplyColumns(txn, table_id, draft.id, catalog.Columns(table_id), *change.columns);
    draft.schema_changed = true;
    draft.changes.push_back("altered_table:" + id_text);
  }

  std::string lifecycle = created ? "CREATE" : change.columns ? "ALTER" : !previous_name.empty() ? "RENAME" : "";
  ApplyRowChanges(txn, draft, change, catalog.Shape(schema, *row), base_snapshot, quoted_name, lifecycle,
                  previous_name);
}

}  // namespace

CommitResult Commits::CommitTransaction(const LakeTransaction &transaction, const CommitInfo &commit) {
  bool changes_anything = false;
  for (const auto &change : transaction.tables) changes_anything = changes_anything || ChangesAnything(change);
  // Nothing to record: no snapshot.
  if (!changes_anything) return CommitResult{History(meta_).LatestSnapshot(), 0, 0, false};
  return Commit(
      meta_, commit,
      [&](MetaTransaction &txn, SnapshotView &catalog, SnapshotDraft &draft) {
    bool schema_unchanged = transaction.base_schema_version == draft.schema_version;
    // Drops first: a transaction may drop a table and give its name to another one.
    for (bool drops : {true, false}) {
      for (const auto &change : transaction.tables) {
        if (change.dropped == drops) {
          ApplyTableChange(txn, catalog, draft, change, transaction.base_snapshot, schema_unchanged);
        }
      }
    }
      },
      transaction.base_snapshot);
}

}  // namespace ducklake
