#include "tables/maintenance.hpp"

#include <chrono>
#include <set>

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

  LakeTransaction transaction;
  transaction.base_snapshot = table.snapshot_id;
  auto &change = transaction.tables.emplace_back();
  change.namespace_name = table.namespace_name;
  change.table_name = table.name;
  change.table_id = table.id;
  change.compacted = true;  // the runs' files are added by CompactRuns
  std::vector<std::string> written;
  // Compaction reads the table and writes it back, its rows unchanged: each column is its own origin.
  auto job = NewJobRun("compact." + table.namespace_name + "." + table.name, "COMPACTION", commit);
  job.inputs.push_back(TableDataset(table.namespace_name, table.name));
  job.inputs[0].snapshot_id = table.snapshot_id;
  job.outputs.push_back(TableDataset(table.namespace_name, table.name));
  for (const auto &column : table.columns) {
    job.outputs[0].column_lineage[column.name].push_back({0, column.name, "DIRECT", "IDENTITY", false});
  }
  try {
    report.snapshot_id =
        RunWithLineage(tables_.lineage(), store_, job, commit, [&](const CommitInfo &with_lineage) {
          return CompactRuns(table, runs, options, with_lineage, transaction, written);
        }).snapshot_id;
  } catch (const CommitOutcomeUnknown &) {
    throw;  // the snapshot may reference the files
  } catch (...) {
    DiscardFiles(store_, written);
    throw;
  }
  return report;
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

std::vector<CompactedTable> Maintenance::Compact(const CompactOptions &options, const CommitInfo &commit) {
  if (options.target_file_bytes < 1) throw Error(ErrorKind::kInvalidInput, "target_file_bytes must be positive");
  if (options.table_name && !options.namespace_name) {
    throw Error(ErrorKind::kInvalidInput, "a table to compact needs its namespace");
  }
  auto &format = tables_.format();
  auto snapshot_id = format.history.LatestSnapshot();
  std::vector<TableInfo> targets;
  if (options.table_name) {
    targets.push_back(format.catalog.GetTable(*options.namespace_name, *options.table_name, snapshot_id));
  } else {
    std::vector<std::string> namespaces;
    if (options.namespace_name) {
      namespaces.push_back(format.catalog.GetNamespace(*options.namespace_name, snapshot_id).name);
    } else {
      for (const auto &ns : format.catalog.ListNamespaces(snapshot_id)) namespaces.push_back(ns.name);
    }
    for (const auto &ns : namespaces) {
      for (auto &table : format.catalog.ListTables(ns, snapshot_id)) targets.push_back(std::move(table));
    }
  }
  std::vector<CompactedTable> compacted;
  for (const auto &table : targets) {
    if (auto report = CompactTable(table, options, commit)) compacted.push_back(*report);
  }
  return compacted;
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
    auto compacted = maintenance_.Compact(CompactOptions{}, commit);
    auto expired = maintenance_.Expire(NowUnixMs() - policy_.snapshot_retention_ms, 1, false);
    CleanupOptions cleanup;
    cleanup.orphan_min_age_ms = policy_.orphan_min_age_ms;
    cleanup.scheduled_min_age_ms = policy_.scheduled_min_age_ms;
    auto cleaned = maintenance_.Cleanup(cleanup);
    Log(LogLevel::kInfo, "maintenance ran",
        {{"compacted_tables", std::to_string(compacted.size())},
         {"expired_snapshots", std::to_string(expired.expired_snapshots.size())},
         {"deleted_files", std::to_string(cleaned.deleted_scheduled.size() + cleaned.deleted_orphans.size())}});
  } catch (const Error &error) {
    Log(LogLevel::kWarn, "maintenance failed", {{"error", error.what()}});
  }
}

}  // namespace ducklake
