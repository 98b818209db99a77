#pragma once
// History: the snapshots of the table format and what each did, for time travel, the change feed
// and the API's history views. Snapshots never change once committed, so every answer about an
// older snapshot stays true. Stateless over the MetaStore; thread-safe. Errors are ducklake::Error:
// kNotFound (snapshot or table), kInvalidInput (a time before the first snapshot or in the future).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/inlined_data.hpp"
#include "common/schema.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

// One data file over its whole life in a table, with every delete file it has had.
struct DataFileVersions {
  struct Deletes {
    std::string key;
    int64_t begin_snapshot = 0;
    std::optional<int64_t> end_snapshot;
  };
  std::string key;
  int64_t record_count = 0;
  int64_t begin_snapshot = 0;
  std::optional<int64_t> end_snapshot;
  std::vector<Deletes> deletes;
  std::optional<int64_t> row_id_start;
  std::optional<int64_t> partial_max;  // see DataFile::partial_max
};

struct SnapshotInfo {
  int64_t id = 0;
  std::string time;     // RFC 3339, to the millisecond
  int64_t unix_us = 0;  // the same, as the catalog holds it
  int64_t schema_version = 0;
  std::string changes;
  std::optional<std::string> author;
  std::optional<std::string> message;
  std::optional<std::string> extra_info;  // the committer's commit_extra_info
};

// One snapshot as seen from one table: what it did there.
struct TableSnapshot {
  SnapshotInfo snapshot;
  // create, insert, delete, update, overwrite, alter, rename, drop, compact
  std::string operation;
  int64_t rows_added = 0;
  int64_t rows_deleted = 0;
};

class History {
 public:
  explicit History(MetaStore &meta) : meta_(meta) {}

  int64_t LatestSnapshot();
  // The latest snapshot and its schema version, in one read.
  struct Head {
    int64_t snapshot_id = 0;
    int64_t schema_version = 0;
  };
  Head LatestHead();
  // The oldest snapshot not yet expired.
  int64_t OldestSnapshot();
  SnapshotInfo GetSnapshot(int64_t snapshot_id);
  // Newest first, at most `limit`, only ids below `before` when given.
  std::vector<SnapshotInfo> ListSnapshots(size_t limit, std::optional<int64_t> before);
  // The snapshot current at `unix_ms`: kInvalidInput if that is before the first snapshot or in
  // the future.
  int64_t SnapshotAt(int64_t unix_ms);

  // The snapshots that changed a table (as it is named now), newest first.
  std::vector<TableSnapshot> TableHistory(const std::string &namespace_name, const std::string &table_name);
  // The same for a table by id, only snapshots in (after, up_to].
  std::vector<TableSnapshot> TableHistory(int64_t table_id, int64_t after, int64_t up_to);
  // Every data file the table has had (still in the catalog, i.e. not expired), in file order.
  std::vector<DataFileVersions> TableFileHistory(int64_t table_id);
  // The table's rows kept in the catalog (data inlining) that snapshots after `after` up to `up_to`
  // inserted or ended, by row id, with values by `columns`.
  std::vector<StoredRow> TableRowHistory(int64_t table_id, int64_t after, int64_t up_to,
                                         const std::vector<ColumnDef> &columns);

 private:
  MetaStore &meta_;
};

}  // namespace ducklake
