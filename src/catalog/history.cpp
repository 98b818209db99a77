#include "catalog/history.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/inlined_data.hpp"
#include "catalog/snapshot_view.hpp"
#include "common/error.hpp"
#include "common/time.hpp"

namespace ducklake {

using namespace catalog_rows;

int64_t History::OldestSnapshot() {
  auto rows = meta_.ReadOnce("SELECT min(snapshot_id) FROM ducklake_snapshot");
  return rows.at(0).Int(0);
}

int64_t History::LatestSnapshot() {
  auto rows = meta_.ReadOnce("SELECT max(snapshot_id) FROM ducklake_snapshot");
  return rows.at(0).Int(0);
}

History::Head History::LatestHead() {
  auto rows = meta_.ReadOnce("SELECT snapshot_id, schema_version FROM ducklake_snapshot ORDER BY snapshot_id DESC LIMIT 1");
  return {rows.at(0).Int(0), rows.at(0).Int(1)};
}

namespace {

// Snapshot times as UTC text in both dialects: SQLite stores the format's text of them (see
// FormatCatalogTime), PostgreSQL a timestamptz.
std::string SnapshotTimeColumn(const std::string &dialect) {
  return dialect == "postgresql" ? "to_char(s.snapshot_time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                                 : "s.snapshot_time";
}

std::string SnapshotSelect(const std::string &dialect) {
  return "SELECT s.snapshot_id, " + SnapshotTimeColumn(dialect) +
         ", s.schema_version, c.changes_made, c.author, c.commit_message, c.commit_extra_info FROM ducklake_snapshot s "
         "LEFT JOIN ducklake_snapshot_changes c ON c.snapshot_id = s.snapshot_id ";
}

SnapshotInfo SnapshotFromRow(const SqlRow &row) {
  auto unix_us = ParseCatalogTime(row.String(1));
  return {row.Int(0),         FormatRfc3339Ms(unix_us / 1000), unix_us,
          row.Int(2),         row.String(3),                  row.OptionalString(4),
          row.OptionalString(5), row.OptionalString(6)};
}


}  // namespace

SnapshotInfo History::GetSnapshot(int64_t snapshot_id) {
  auto rows = meta_.ReadOnce(SnapshotSelect(meta_.Dialect()) + "WHERE s.snapshot_id = ?", {snapshot_id});
  if (rows.empty()) throw MakeError(ErrorKind::kNotFound, "snapshot {} not found", snapshot_id);
  return SnapshotFromRow(rows[0]);
}

std::vector<SnapshotInfo> History::ListSnapshots(size_t limit, std::optional<int64_t> before) {
  auto rows = meta_.ReadOnce(SnapshotSelect(meta_.Dialect()) + "WHERE s.snapshot_id < ? ORDER BY s.snapshot_id DESC LIMIT ?",
                             {before.value_or(std::numeric_limits<int64_t>::max()), static_cast<int64_t>(limit)});
  std::vector<SnapshotInfo> snapshots;
  for (const auto &row : rows) snapshots.push_back(SnapshotFromRow(row));
  return snapshots;
}

int64_t History::SnapshotAt(int64_t unix_ms) {
  if (unix_ms > NowUnixMs()) throw Error(ErrorKind::kInvalidInput, "as_of is in the future");
  bool postgres = meta_.Dialect() == "postgresql";
  auto rows = meta_.ReadOnce(std::string("SELECT max(snapshot_id) FROM ducklake_snapshot WHERE snapshot_time <= ") +
                                 (postgres ? "CAST(? AS TIMESTAMPTZ)" : "?"),
                             {FormatCatalogTime(unix_ms * 1000)});
  if (rows.empty() || rows[0].IsNull(0)) throw Error(ErrorKind::kInvalidInput, "as_of is before the first snapshot");
  return rows[0].Int(0);
}

std::vector<TableSnapshot> History::TableHistory(const std::string &namespace_name, const std::string &table_name) {
  auto latest = LatestSnapshot();
  return TableHistory(Catalog(meta_).GetTable(namespace_name, table_name, latest).id, -1, latest);
}

std::vector<TableSnapshot> History::TableHistory(int64_t table_id, int64_t after, int64_t up_to) {
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
  // The snapshots whose rows a flush's file holds, and the flush's own (its file begins earlier).
  touched += " UNION SELECT r.snapshot_id FROM dl_flushed_rows r JOIN ducklake_data_file f ON f.data_file_id = "
             "r.data_file_id WHERE f.table_id = ?";
  // Likewise for a file the extension merged from several snapshots' files (it drops theirs).
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> merged;  // file -> (snapshot, rows)
  for (const auto &row : txn->Query("SELECT data_file_id, partial_file_info FROM ducklake_data_file WHERE table_id = ? "
                                    "AND partial_file_info IS NOT NULL",
                                    {table_id})) {
    auto rows = MergedSnapshotRows(row.OptionalString(1));
    for (const auto &entry : rows) touched += " UNION SELECT " + std::to_string(entry.first);
    if (!rows.empty()) merged[row.Int(0)] = std::move(rows);
  }
  for (const auto &name : inlined_data::TableNames(*txn, table_id)) {
    touched += fmt::format(" UNION SELECT begin_snapshot FROM {0} UNION SELECT end_snapshot FROM {0}", name);
  }
  std::vector<SqlValue> params(2 * std::size(catalog_tables) + 1, table_id);
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
  // A flush's file adds its rows where the snapshots that inserted them did.
  auto flushed = std::move(merged);  // file -> (snapshot, rows)
  for (const auto &row : txn->Query("SELECT r.data_file_id, r.snapshot_id, r.row_count FROM dl_flushed_rows r JOIN "
                                    "ducklake_data_file f ON f.data_file_id = r.data_file_id WHERE f.table_id = ?",
                                    {table_id})) {
    flushed[row.Int(0)].emplace_back(row.Int(1), row.Int(2));
  }
  for (const auto &row : txn->Query("SELECT begin_snapshot, end_snapshot, record_count, data_file_id FROM "
                                    "ducklake_data_file WHERE table_id = ?",
                                    {table_id})) {
    if (auto it = flushed.find(row.Int(3)); it != flushed.end()) {
      for (const auto &[snapshot, count] : it->second) {
        live_delta[snapshot] += count;
        added_at[snapshot] += count;
      }
    } else {
      live_delta[row.Int(0)] += row.Int(2);
      added_at[row.Int(0)] += row.Int(2);
    }
    if (!row.IsNull(1)) live_delta[row.Int(1)] -= row.Int(2);
  }
  for (const auto &row : txn->Query("SELECT begin_snapshot, end_snapshot, delete_count FROM ducklake_delete_file "
                                    "WHERE table_id = ?",
                                    {table_id})) {
    live_delta[row.Int(0)] -= row.Int(2);
    if (!row.IsNull(1)) live_delta[row.Int(1)] += row.Int(2);
  }
  for (const auto &span : inlined_data::Spans(*txn, table_id)) {
    live_delta[span.begin_snapshot] += span.rows;
    added_at[span.begin_snapshot] += span.rows;
    if (span.end_snapshot) live_delta[*span.end_snapshot] -= span.rows;
  }
  auto live_at = [&](int64_t snapshot_id) {
    int64_t live = 0;
    for (auto it = live_delta.begin(); it != live_delta.end() && it->first <= snapshot_id; ++it) live += it->second;
    return live;
  };
  std::set<int64_t> updates;
  for (const auto &row : txn->Query("SELECT snapshot_id FROM dl_snapshot_update WHERE table_id = ?", {table_id})) {
    updates.insert(row.Int(0));
  }
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
  // Rows a snapshot added or deleted, in files or in the catalog (data inlining).
  auto inserted = [&](const std::string &changes) {
    return has(changes, "inserted_into_table:" + id) || has(changes, "inlined_insert:" + id);
  };
  auto deleted = [&](const std::string &changes) {
    return has(changes, "deleted_from_table:" + id) || has(changes, "inlined_delete:" + id);
  };
  for (const auto &row : rows) {
    TableSnapshot entry;
    entry.snapshot = SnapshotFromRow(row);
    auto snapshot_id = entry.snapshot.id;
    const auto &changes = entry.snapshot.changes;
    if (snapshot_id == created_snapshot) {
      entry.operation = "create";
    } else if (has(changes, "dropped_table:" + id)) {
      entry.operation = "drop";
    } else if (has(changes, "compacted_table:" + id)) {
      entry.operation = "compact";
    } else if (updates.count(snapshot_id)) {
      entry.operation = "update";
    } else if (has(changes, "flushed_inlined:" + id)) {
      entry.operation = "flush";
    } else if (deleted(changes) && inserted(changes)) {
      entry.operation = "overwrite";
    } else if (deleted(changes)) {
      entry.operation = "delete";
    } else if (inserted(changes)) {
      entry.operation = "insert";
    } else if (renames.count(snapshot_id) && !column_changes.count(snapshot_id)) {
      entry.operation = "rename";
    } else {
      entry.operation = "alter";  // columns, or the comments and tags of the table and its columns
    }
    if (entry.operation != "compact" && entry.operation != "flush") {
      // Rows added are the new files' rows; rows deleted follow from the live counts on both sides.
      entry.rows_added = added_at.count(snapshot_id) ? added_at[snapshot_id] : 0;
      entry.rows_deleted = live_at(snapshot_id - 1) + entry.rows_added - live_at(snapshot_id);
    }
    history.push_back(std::move(entry));
  }
  return history;
}

std::vector<StoredRow> History::TableRowHistory(int64_t table_id, int64_t after, int64_t up_to,
                                                const std::vector<ColumnDef> &columns) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = inlined_data::Rows(*txn, table_id, up_to, columns, after);
  rows.erase(std::remove_if(rows.begin(), rows.end(),
                            [&](const StoredRow &row) {
                              bool inserted = row.begin_snapshot > after;
                              bool ended = row.end_snapshot && *row.end_snapshot > after && *row.end_snapshot <= up_to;
                              return !inserted && !ended;
                            }),
             rows.end());
  return rows;
}

std::vector<DataFileVersions> History::TableFileHistory(int64_t table_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  const std::string prefix_sql =
      "SELECT s.path || t.path FROM (SELECT DISTINCT schema_id, path FROM ducklake_table WHERE table_id = ?) "
      "t JOIN ducklake_schema s ON s.schema_id = t.schema_id";
  auto prefix_rows = txn->Query(prefix_sql, {table_id});
  if (prefix_rows.empty()) return {};
  auto prefix = Catalog::kDataKeyPrefix + prefix_rows[0].String(0);
  std::vector<DataFileVersions> files;
  std::map<int64_t, size_t> index;
  for (const auto &row : txn->Query("SELECT data_file_id, path, record_count, begin_snapshot, end_snapshot, "
                                    "row_id_start, partial_file_info FROM ducklake_data_file WHERE table_id = ? "
                                    "ORDER BY data_file_id",
                                    {table_id})) {
    index[row.Int(0)] = files.size();
    files.push_back({prefix + row.String(1), row.Int(2), row.Int(3), row.OptionalInt(4), {}, row.OptionalInt(5),
                     PartialMax(row.OptionalString(6))});
  }
  for (const auto &row : txn->Query("SELECT data_file_id, path, begin_snapshot, end_snapshot FROM ducklake_delete_file "
                                    "WHERE table_id = ? ORDER BY begin_snapshot",
                                    {table_id})) {
    auto it = index.find(row.Int(0));
    if (it != index.end()) files[it->second].deletes.push_back({prefix + row.String(1), row.Int(2), row.OptionalInt(3)});
  }
  return files;
}

}  // namespace ducklake
