#include "catalog/retention.hpp"

#include <algorithm>

#include "catalog/inlined_data.hpp"
#include "catalog/snapshot_view.hpp"
#include "common/error.hpp"
#include "common/time.hpp"

namespace ducklake {

using namespace catalog_rows;

namespace {

// `?` as a point in time in the dialect's snapshot_time type.
std::string TimeParameter(const std::string &dialect) {
  return dialect == "postgresql" ? "CAST(? AS TIMESTAMPTZ)" : "?";
}


}  // namespace

ExpireResult Retention::ExpireSnapshots(std::optional<int64_t> older_than_unix_ms, int64_t keep_last, bool dry_run) {
  if (keep_last < 1) throw Error(ErrorKind::kInvalidInput, "keep_last must be at least 1");
  auto txn = meta_.Begin(dry_run ? TransactionMode::kRead : TransactionMode::kWrite);
  const auto dialect = meta_.Dialect();
  // The kept snapshots are always the newest ones: expiring a prefix keeps visibility ranges simple.
  auto kept_rows = txn->Query("SELECT snapshot_id FROM ducklake_snapshot ORDER BY snapshot_id DESC LIMIT ?", {keep_last});
  int64_t oldest_kept = kept_rows.back().Int(0);
  if (older_than_unix_ms) {
    auto newer = txn->Query("SELECT min(snapshot_id) FROM ducklake_snapshot WHERE snapshot_time >= " +
                                TimeParameter(dialect),
                            {FormatCatalogTime(*older_than_unix_ms * 1000)});
    if (!newer.empty() && !newer[0].IsNull(0)) oldest_kept = std::min(oldest_kept, newer[0].Int(0));
  }
  ExpireResult result;
  for (const auto &row : txn->Query("SELECT snapshot_id FROM ducklake_snapshot WHERE snapshot_id < ? ORDER BY snapshot_id",
                                    {oldest_kept})) {
    result.expired_snapshots.push_back(row.Int(0));
  }
  // A file no kept snapshot can see: it stopped counting at or before the oldest kept one.
  constexpr const char *file_paths =
      "SELECT {0}.{1}, s.path || t.path || {0}.path FROM {2} {0} "
      "JOIN (SELECT DISTINCT table_id, schema_id, path FROM ducklake_table) t ON t.table_id = {0}.table_id "
      "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
      "WHERE {0}.end_snapshot IS NOT NULL AND {0}.end_snapshot <= ?";
  std::vector<std::pair<int64_t, std::string>> data_files, delete_files;
  for (const auto &row : txn->Query(fmt::format(fmt::runtime(file_paths), "f", "data_file_id", "ducklake_data_file"), {oldest_kept})) {
    data_files.emplace_back(row.Int(0), row.String(1));
    result.scheduled_files.push_back(Catalog::kDataKeyPrefix + row.String(1));
  }
  for (const auto &row :
       txn->Query(fmt::format(fmt::runtime(file_paths), "d", "delete_file_id", "ducklake_delete_file"), {oldest_kept})) {
    delete_files.emplace_back(row.Int(0), row.String(1));
    result.scheduled_files.push_back(Catalog::kDataKeyPrefix + row.String(1));
  }
  if (dry_run || (result.expired_snapshots.empty() && result.scheduled_files.empty())) return result;
  auto now = FormatCatalogTime(NowUnixUs());
  for (const auto &[id, path] : data_files) {
    txn->Execute("INSERT INTO ducklake_files_scheduled_for_deletion VALUES (?, ?, ?, " + TimeParameter(dialect) + ")",
                 {id, path, int64_t{1}, now});
    txn->Execute("DELETE FROM ducklake_file_column_stats WHERE data_file_id = ?", {id});
    txn->Execute("DELETE FROM ducklake_data_file WHERE data_file_id = ?", {id});
    txn->Execute("DELETE FROM dl_data_file_old_columns WHERE data_file_id = ?", {id});
    txn->Execute("DELETE FROM dl_flushed_rows WHERE data_file_id = ?", {id});
  }
  // Rows kept in the catalog that no kept snapshot sees.
  for (const auto &row : txn->Query("SELECT DISTINCT table_id FROM ducklake_inlined_data_tables")) {
    inlined_data::Purge(*txn, row.Int(0), oldest_kept);
    inlined_data::UnlistEmpty(*txn, row.Int(0));
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
  for (const char *catalog_table : {"ducklake_snapshot_changes", "dl_snapshot_update", "ducklake_snapshot"}) {
    txn->Execute(fmt::format("DELETE FROM {} WHERE snapshot_id < ?", catalog_table), {oldest_kept});
  }
  txn->Commit();
  return result;
}

std::vector<std::string> Retention::ScheduledFiles(int64_t min_age_ms) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query("SELECT f.path FROM ducklake_files_scheduled_for_deletion f WHERE f.schedule_start <= " +
                             TimeParameter(meta_.Dialect()) + " ORDER BY f.path",
                         {FormatCatalogTime(NowUnixUs() - min_age_ms * 1000)});
  std::vector<std::string> keys;
  for (const auto &row : rows) keys.push_back(Catalog::kDataKeyPrefix + row.String(0));
  return keys;
}

void Retention::ForgetScheduledFiles(const std::vector<std::string> &keys) {
  if (keys.empty()) return;
  auto txn = meta_.Begin(TransactionMode::kWrite);
  const std::string data_path = Catalog::kDataKeyPrefix;
  for (const auto &key : keys) {
    if (key.rfind(data_path, 0) != 0) continue;
    txn->Execute("DELETE FROM ducklake_files_scheduled_for_deletion WHERE path = ?", {key.substr(data_path.size())});
  }
  txn->Commit();
}

std::vector<std::string> Retention::ReferencedKeys() {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query(
      "SELECT s.path || t.path || f.path FROM ducklake_data_file f "
      "JOIN (SELECT DISTINCT table_id, schema_id, path FROM ducklake_table) t ON t.table_id = f.table_id "
      "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
      "UNION SELECT s.path || t.path || d.path FROM ducklake_delete_file d "
      "JOIN (SELECT DISTINCT table_id, schema_id, path FROM ducklake_table) t ON t.table_id = d.table_id "
      "JOIN ducklake_schema s ON s.schema_id = t.schema_id "
      "UNION SELECT f.path FROM ducklake_files_scheduled_for_deletion f");
  std::vector<std::string> keys;
  for (const auto &row : rows) keys.push_back(Catalog::kDataKeyPrefix + row.String(0));
  return keys;
}

}  // namespace ducklake
