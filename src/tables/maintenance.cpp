#include "tables/maintenance.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "catalog/names.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "tables/job_lineage.hpp"
#include "tables/written_files.hpp"

namespace ducklake {
namespace {

// One table made of the given files: what a compaction run reads.
class RunResolver : public TableResolver {
 public:
  explicit RunResolver(TableScan scan) : scan_(std::move(scan)) {}
  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                   const std::optional<TableVersion> &at) override {
    if (at || schema != "__compaction" || table != "run") return std::nullopt;
    return scan_;
  }

 private:
  TableScan scan_;
};

// A transaction changing `table` as the snapshot it was read at has it.
LakeTransaction TransactionOn(const TableInfo &table) {
  LakeTransaction transaction;
  transaction.base_snapshot = table.snapshot_id;
  auto &change = transaction.tables.emplace_back();
  change.namespace_name = table.namespace_name;
  change.table_name = table.name;
  change.table_id = table.id;
  return transaction;
}

}  // namespace

std::optional<CompactedTable> Maintenance::CompactTable(const TableInfo &table, const CompactOptions &options,
                                                        const CommitInfo &commit) {
  auto &format = tables_.format();
  auto files = format.catalog.TableFiles(table.id, table.snapshot_id);
  // Runs of adjacent small files (in file order), each at most the target size.
  std::vector<std::vector<const DataFile *>> runs;
  std::vector<const DataFile *> run;
  int64_t run_bytes = 0;
  auto close_run = [&] {
    if (run.size() >= 2) runs.push_back(run);
    run.clear();
    run_bytes = 0;
  };
  for (const auto &file : files) {
    if (file.file_size_bytes >= options.target_file_bytes) {
      close_run();
      continue;
    }
    if (run_bytes + file.file_size_bytes > options.target_file_bytes) close_run();
    run.push_back(&file);
    run_bytes += file.file_size_bytes;
  }
  close_run();
  if (runs.empty()) return std::nullopt;
  CompactedTable report{table.namespace_name, table.name, 0, static_cast<int64_t>(runs.size()), 0};
  for (const auto &merged : runs) report.files_before += static_cast<int64_t>(merged.size());
  if (options.dry_run) return report;

  auto transaction = TransactionOn(table);
  auto &change = transaction.tables.back();
  change.compacted = true;  // the runs' files are added by CompactRuns
  report.snapshot_id = RewriteTable(table, "compact", "COMPACTION", commit,
                                    [&](const CommitInfo &with_lineage, std::vector<std::string> &written) {
                                      return CompactRuns(table, runs, options, with_lineage, transaction, written);
                                    });
  return report;
}

int64_t Maintenance::RewriteTable(
    const TableInfo &table, const std::string &name, const std::string &job_type, const CommitInfo &commit,
    const std::function<CommitResult(const CommitInfo &, std::vector<std::string> &)> &rewrite) {
  std::vector<std::string> written;
  // The table is read and written back, its rows unchanged: each column is its own origin.
  auto job = NewJobRun(name + "." + table.namespace_name + "." + table.name, job_type, commit);
  job.inputs.push_back(TableDataset(table.namespace_name, table.name));
  job.inputs[0].snapshot_id = table.snapshot_id;
  job.outputs.push_back(TableDataset(table.namespace_name, table.name));
  for (const auto &column : table.columns) {
    job.outputs[0].column_lineage[column.name].push_back({0, column.name, "DIRECT", "IDENTITY", false});
  }
  try {
    return RunWithLineage(tables_.lineage(), store_, job, commit, [&](const CommitInfo &with_lineage) {
             return rewrite(with_lineage, written);
           }).snapshot_id;
  } catch (const CommitOutcomeUnknown &) {
    throw;  // the snapshot may reference the files
  } catch (...) {
    DiscardFiles(store_, written);
    throw;
  }
}

CommitResult Maintenance::CompactRuns(const TableInfo &table, const std::vector<std::vector<const DataFile *>> &runs,
                                      const CompactOptions &options, const CommitInfo &commit,
                                      LakeTransaction &transaction, std::vector<std::string> &written) {
  auto &change = transaction.tables.back();
  for (const auto &merged : runs) {
    TableScan scan;
    scan.columns = table.columns;
    for (const auto *file : merged) {
      scan.files.push_back(ToScanFile(*file));
      change.removed_files.push_back(file->key);
    }
    RunResolver resolver(std::move(scan));
    auto key = NewFileKey(table.key_prefix);
    written.push_back(key);
    auto file = tables_.queries().WriteQuery("SELECT * FROM \"__compaction\".\"run\"", resolver, table.columns, {},
                                            key, options.timeout_ms, true);
    change.added_files.push_back(ToNewDataFile(file));
  }
  // Compaction can outlast cleanup's grace period (a sweep by another server or the CLI).
  RequireFilesStored(store_, written, fmt::format("the compaction of '{}.{}'", table.namespace_name, table.name));
  return tables_.format().commits.CommitTransaction(transaction, commit);
}

std::vector<TableInfo> Maintenance::Targets(const std::optional<std::string> &namespace_name,
                                            const std::optional<std::string> &table_name, const char *operation) {
  if (table_name && !namespace_name) {
    throw MakeError(ErrorKind::kInvalidInput, "a table to {} needs its namespace", operation);
  }
  auto &format = tables_.format();
  auto snapshot_id = format.history.LatestSnapshot();
  std::vector<TableInfo> targets;
  if (table_name) {
    targets.push_back(format.catalog.GetTable(*namespace_name, *table_name, snapshot_id));
    return targets;
  }
  std::vector<std::string> namespaces;
  if (namespace_name) {
    namespaces.push_back(format.catalog.GetNamespace(*namespace_name, snapshot_id).name);
  } else {
    for (const auto &ns : format.catalog.ListNamespaces(snapshot_id)) namespaces.push_back(ns.name);
  }
  for (const auto &ns : namespaces) {
    for (auto &table : format.catalog.ListTables(ns, snapshot_id)) targets.push_back(std::move(table));
  }
  return targets;
}

std::vector<CompactedTable> Maintenance::Compact(const CompactOptions &options, const CommitInfo &commit) {
  if (options.target_file_bytes < 1) throw Error(ErrorKind::kInvalidInput, "target_file_bytes must be positive");
  auto targets = Targets(options.namespace_name, options.table_name, "compact");
  std::vector<CompactedTable> compacted;
  for (const auto &table : targets) {
    if (auto report = CompactTable(table, options, commit)) compacted.push_back(*report);
  }
  return compacted;
}

std::vector<FlushedTable> Maintenance::Flush(const FlushOptions &options, const CommitInfo &commit) {
  std::vector<FlushedTable> flushed;
  for (const auto &table : Targets(options.namespace_name, options.table_name, "flush")) {
    if (auto report = FlushTable(table, options, commit)) flushed.push_back(*report);
  }
  return flushed;
}

std::optional<FlushedTable> Maintenance::FlushTable(const TableInfo &table, const FlushOptions &options,
                                                    const CommitInfo &commit) {
  auto &format = tables_.format();
  // The rows live now; deleted ones stay in the catalog for the snapshots that still see them.
  auto [file_columns, rows] = format.catalog.LiveKeptRows(table.id, table.snapshot_id, table.columns);
  if (rows.empty()) return std::nullopt;
  FlushedTable report{table.namespace_name, table.name, static_cast<int64_t>(rows.size()), 0};
  if (options.dry_run) return report;

  auto transaction = TransactionOn(table);
  auto &change = transaction.tables.back();
  auto &flush = change.flush.emplace();
  TableScan scan;
  scan.columns = file_columns;
  scan.with_positions = scan.with_row_ids = true;
  for (auto &row : rows) {
    flush.row_ids.push_back(row.row_id);
    flush.begin_snapshots.push_back(row.begin_snapshot);
    scan.rows.push_back(ToScanRow(std::move(row)));
  }
  report.snapshot_id = RewriteTable(
      table, "flush", "FLUSH", commit, [&](const CommitInfo &with_lineage, std::vector<std::string> &written) {
        // The rows in row id order, with their row ids and the snapshots that inserted them.
        auto columns = file_columns;
        std::string select_list;
        for (const auto &column : columns) select_list += QuoteIdentifier(column.name) + ", ";
        select_list += QuoteIdentifier(QueryRunner::kRowIdColumn) + ", " + QuoteIdentifier(QueryRunner::kSnapshotColumn);
        columns.push_back({kRowIdFieldId, kRowIdColumnName, "int64", true, {}, {}});
        columns.push_back({kSnapshotIdFieldId, kSnapshotIdColumnName, "int64", true, {}, {}});
        RunResolver resolver(std::move(scan));
        auto key = NewFileKey(table.key_prefix);
        written.push_back(key);
        flush.file = ToNewDataFile(tables_.queries().WriteQuery(
            fmt::format("SELECT {} FROM \"__compaction\".\"run\" ORDER BY {}", select_list,
                        QuoteIdentifier(QueryRunner::kRowIdColumn)),
            resolver, columns, {}, key, options.timeout_ms, true));
        RequireFilesStored(store_, written, fmt::format("the flush of '{}.{}'", table.namespace_name, table.name));
        return format.commits.CommitTransaction(transaction, with_lineage);
      });
  return report;
}

ExpireResult Maintenance::Expire(std::optional<int64_t> older_than_unix_ms, int64_t keep_last, bool dry_run) {
  return tables_.format().retention.ExpireSnapshots(older_than_unix_ms, keep_last, dry_run);
}

CleanupResult Maintenance::Cleanup(const CleanupOptions &options) {
  auto &format = tables_.format();
  CleanupResult result;
  result.deleted_scheduled = format.retention.ScheduledFiles(options.scheduled_min_age_ms);
  // Orphans: listed before the catalog is read, so a file committed in between counts as referenced.
  std::vector<ObjectInfo> objects;
  const std::string prefix = Catalog::kDataKeyPrefix;
  std::string cursor;
  do {
    auto page = store_.List(prefix, "", cursor, 1000);
    objects.insert(objects.end(), page.objects.begin(), page.objects.end());
    cursor = page.next_cursor;
  } while (!cursor.empty());
  auto referenced_keys = format.retention.ReferencedKeys();
  std::set<std::string> referenced(referenced_keys.begin(), referenced_keys.end());
  auto cutoff = NowUnixMs() - options.orphan_min_age_ms;
  for (const auto &object : objects) {
    if (referenced.count(object.key)) continue;
    // A zero grace period takes every orphan, whatever the store's clock says (S3 servers may round
    // modification times up to the next second).
    if (options.orphan_min_age_ms > 0 && object.modified_unix_ms > cutoff) continue;
    result.deleted_orphans.push_back(object.key);
  }
  if (options.dry_run) return result;
  store_.DeleteMany(result.deleted_scheduled);
  format.retention.ForgetScheduledFiles(result.deleted_scheduled);
  store_.DeleteMany(result.deleted_orphans);
  return result;
}

MaintenanceScheduler::MaintenanceScheduler(Maintenance &maintenance, MaintenancePolicy policy)
    : maintenance_(maintenance), policy_(policy) {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(policy_.interval_ms), [this] { return stopping_; })) {
      lock.unlock();
      RunOnce();
      lock.lock();
    }
  });
}

KeptRowsFlusher::KeptRowsFlusher(Maintenance &maintenance, int64_t threshold)
    : maintenance_(maintenance), threshold_(threshold), thread_([this] { Run(); }) {}

KeptRowsFlusher::~KeptRowsFlusher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void KeptRowsFlusher::Kept(const std::string &namespace_name, const std::string &table_name, int64_t rows) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto &count = kept_[{namespace_name, table_name}];
    count += rows;
    if (count < threshold_) return;
    count = 0;
    if (std::find(due_.begin(), due_.end(), std::pair{namespace_name, table_name}) != due_.end()) return;
    due_.emplace_back(namespace_name, table_name);
  }
  wake_.notify_all();
}

void KeptRowsFlusher::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !due_.empty(); });
    if (stopping_) return;
    auto [namespace_name, table_name] = due_.front();
    due_.erase(due_.begin());
    lock.unlock();
    FlushOptions options;
    options.namespace_name = namespace_name;
    options.table_name = table_name;
    CommitInfo commit;
    commit.author = "ducklake maintenance";
    try {
      maintenance_.Flush(options, commit);
    } catch (const Error &error) {
      // A conflict or a table gone: its next rows try again.
      Log(LogLevel::kInfo, "flush of kept rows did not happen",
          {{"table", namespace_name + "." + table_name}, {"error", error.what()}});
    } catch (const std::exception &error) {
      // Out of memory, or a bug: the server goes on, the rows stay in the catalog.
      Log(LogLevel::kError, "flush of kept rows failed",
          {{"table", namespace_name + "." + table_name}, {"error", error.what()}});
    }
    lock.lock();
  }
}

MaintenanceScheduler::~MaintenanceScheduler() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void MaintenanceScheduler::RunOnce() {
  CommitInfo commit;
  commit.author = "ducklake maintenance";
  try {
    auto flushed = maintenance_.Flush(FlushOptions{}, commit);
    auto compacted = maintenance_.Compact(CompactOptions{}, commit);
    auto expired = maintenance_.Expire(NowUnixMs() - policy_.snapshot_retention_ms, 1, false);
    CleanupOptions cleanup;
    cleanup.orphan_min_age_ms = policy_.orphan_min_age_ms;
    cleanup.scheduled_min_age_ms = policy_.scheduled_min_age_ms;
    auto cleaned = maintenance_.Cleanup(cleanup);
    Log(LogLevel::kInfo, "maintenance ran",
        {{"flushed_tables", std::to_string(flushed.size())},
         {"compacted_tables", std::to_string(compacted.size())},
         {"expired_snapshots", std::to_string(expired.expired_snapshots.size())},
         {"deleted_files", std::to_string(cleaned.deleted_scheduled.size() + cleaned.deleted_orphans.size())}});
  } catch (const Error &error) {
    Log(LogLevel::kWarn, "maintenance failed", {{"error", error.what()}});
  }
}

}  // namespace ducklake
