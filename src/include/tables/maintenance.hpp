#pragma once
// Maintenance: the lake's housekeeping. Flush writes rows kept in the catalog out to Parquet;
// Compact merges runs of small adjacent data files (applying their deletes) in one snapshot per table; Expire forgets old snapshots and schedules the files
// only they read; Cleanup deletes scheduled files and orphans (objects under the data path that no
// catalog row names, e.g. from a writer killed before it committed). Every operation has a dry run
// that reports what it would do and changes nothing. Thread-safe; safe to run while the lake
// serves: compaction commits like any writer (a concurrent delete makes it fail with kConflict and
// leave no file behind), and cleanup spares orphans younger than a grace period, which in-flight
// writes are.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <functional>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <vector>

#include "tables/table_service.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

struct CompactOptions {
  std::optional<std::string> namespace_name;  // default: every namespace
  std::optional<std::string> table_name;      // default: every table (needs namespace_name)
  int64_t target_file_bytes = 128LL << 20;    // files below this are merged into files up to it
  bool dry_run = false;
  int64_t timeout_ms = 3600000;
};

struct CompactedTable {
  std::string namespace_name;
  std::string table_name;
  int64_t files_before = 0;  // data files merged
  int64_t files_after = 0;   // files they became
  int64_t snapshot_id = 0;   // 0 in a dry run
};

struct FlushOptions {
  std::optional<std::string> namespace_name;  // default: every namespace
  std::optional<std::string> table_name;      // default: every table (needs namespace_name)
  bool dry_run = false;
  int64_t timeout_ms = 3600000;
};

struct FlushedTable {
  std::string namespace_name;
  std::string table_name;
  int64_t rows = 0;          // live rows moved from the catalog into Parquet
  int64_t snapshot_id = 0;   // 0 in a dry run
};

struct CleanupOptions {
  // Scheduled files are deleted once scheduled this long ago (a query still reading an expired
  // snapshot keeps working meanwhile).
  int64_t scheduled_min_age_ms = 0;
  int64_t orphan_min_age_ms = 3600 * 1000;  // orphans deleted once this old (in-flight writes are younger)
  bool dry_run = false;
};

struct CleanupResult {
  std::vector<std::string> deleted_scheduled;
  std::vector<std::string> deleted_orphans;
};

class Maintenance {
 public:
  Maintenance(TableService &tables, ObjectStore &store) : tables_(tables), store_(store) {}

  std::vector<CompactedTable> Compact(const CompactOptions &options, const CommitInfo &commit);
  ExpireResult Expire(std::optional<int64_t> older_than_unix_ms, int64_t keep_last, bool dry_run);
  CleanupResult Cleanup(const CleanupOptions &options);
  // Writes the rows kept in the catalog (data inlining) out to one Parquet file per table, in one
  // snapshot per table that changes no table's contents, as of any snapshot (see InlinedFlush). A
  // concurrent delete of those rows makes a table's flush fail with kConflict, leaving no file.
  std::vector<FlushedTable> Flush(const FlushOptions &options, const CommitInfo &commit);

 private:
  std::optional<CompactedTable> CompactTable(const TableInfo &table, const CompactOptions &options,
                                             const CommitInfo &commit);
  // Writes each run of files as one file and commits them in place of the run's files.
  CommitResult CompactRuns(const TableInfo &table, const std::vector<std::vector<const DataFile *>> &runs,
                           const CompactOptions &options, const CommitInfo &commit, LakeTransaction &transaction,
                           std::vector<std::string> &written);

  std::optional<FlushedTable> FlushTable(const TableInfo &table, const FlushOptions &options, const CommitInfo &commit);
  // Runs `rewrite` of a table (compaction, flush: its rows unchanged, new files in `written`) as the
  // OpenLineage job "<name>.<ns>.<table>" of type `job_type`; the files are deleted again when it
  // fails before its snapshot may exist. Returns the snapshot.
  int64_t RewriteTable(const TableInfo &table, const std::string &name, const std::string &job_type,
                       const CommitInfo &commit,
                       const std::function<CommitResult(const CommitInfo &, std::vector<std::string> &)> &rewrite);
  // The tables an operation on `namespace_name` [and `table_name`] covers, at the latest snapshot.
  std::vector<TableInfo> Targets(const std::optional<std::string> &namespace_name,
                                 const std::optional<std::string> &table_name, const char *operation);

  TableService &tables_;
  ObjectStore &store_;
};

// Flushes a table in the background once this server kept `threshold` rows of it in the catalog
// since it last flushed it, so that reads never go through many more of them. One thread, one
// table at a time; a flush that fails (a write deleted the same rows meanwhile: kConflict) is logged
// and tried again with the table's next kept rows. Kept() is thread-safe and never blocks on a
// flush; the destructor waits for the flush in progress.
class KeptRowsFlusher {
 public:
  KeptRowsFlusher(Maintenance &maintenance, int64_t threshold);
  ~KeptRowsFlusher();

  void Kept(const std::string &namespace_name, const std::string &table_name, int64_t rows);

 private:
  void Run();

  Maintenance &maintenance_;
  const int64_t threshold_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::pair<std::string, std::string>, int64_t> kept_;  // since the table's last flush here
  std::vector<std::pair<std::string, std::string>> due_;
  bool stopping_ = false;
  std::thread thread_;
};

// What background maintenance does on each run: flush the rows kept in the catalog, compact every
// table, expire snapshots older than the retention (keeping the latest), delete what that scheduled
// and orphans past the grace period.
struct MaintenancePolicy {
  int64_t interval_ms = 0;
  int64_t snapshot_retention_ms = 7LL * 86400 * 1000;
  int64_t orphan_min_age_ms = CleanupOptions{}.orphan_min_age_ms;
  int64_t scheduled_min_age_ms = 3600 * 1000;
};

// Runs the policy on its own thread every interval until destroyed (which waits for a run in
// progress). A failed run is logged and retried at the next interval.
class MaintenanceScheduler {
 public:
  MaintenanceScheduler(Maintenance &maintenance, MaintenancePolicy policy);
  ~MaintenanceScheduler();

 private:
  void RunOnce();

  Maintenance &maintenance_;
  MaintenancePolicy policy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ducklake
