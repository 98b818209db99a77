#pragma once
// Lake: the DuckLake table format over a MetaStore. Reads take a snapshot id and see the catalog as
// of that snapshot. Every change is one new snapshot, committed in one metadata transaction (the
// caller writes data files first and passes them in). Thread-safe; concurrent commits race on the
// snapshot id and the loser re-validates and retries. Errors are ducklake::Error: kNotFound,
// kConflict (exists, not empty, lost too many races), kInvalidInput (bad names or columns).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/schema.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

struct NamespaceInfo {
  int64_t id = 0;
  std::string name;
  int64_t created_snapshot = 0;
  int64_t table_count = 0;
};

struct TableInfo {
  int64_t id = 0;
  std::string uuid;
  std::string namespace_name;
  std::string name;
  std::vector<ColumnDef> columns;
  int64_t created_snapshot = 0;
  int64_t snapshot_id = 0;    // the snapshot this description is of
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t file_count = 0;
  std::string key_prefix;     // object-store prefix of the table's data files, ending in '/'
};

struct DataFile {
  int64_t id = 0;
  std::string key;  // object-store key
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t footer_size = 0;
  int64_t row_id_start = 0;
  std::vector<ColumnStats> stats;
};

// A Parquet file the caller has written and wants to add to a table.
struct NewDataFile {
  std::string key;
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t footer_size = 0;
  std::vector<ColumnStats> stats;  // by column id
};

struct SnapshotInfo {
  int64_t id = 0;
  std::string time;
  int64_t schema_version = 0;
  std::string changes;
  std::optional<std::string> author;
  std::optional<std::string> message;
};

// One snapshot as seen from one table: what it did there.
struct TableSnapshot {
  SnapshotInfo snapshot;
  std::string operation;  // create, insert, overwrite, rename, drop
  int64_t rows_added = 0;
  int64_t rows_deleted = 0;
};

enum class WriteMode { kAppend, kOverwrite };

struct TableWrite {
  std::string namespace_name;
  std::string table_name;
  // When set and the table does not exist, it is created with these columns in the same snapshot.
  std::optional<std::vector<ColumnDef>> create_columns;
  WriteMode mode = WriteMode::kAppend;
  // The table's columns the files were written against; a schema change in between is a conflict.
  std::optional<int64_t> expected_table_id;
  std::vector<NewDataFile> files;
};

struct CommitInfo {
  std::string author = "anonymous";
  std::optional<std::string> message;
};

struct CommitResult {
  int64_t snapshot_id = 0;
  int64_t rows_written = 0;
  bool created_table = false;
};

class Lake {
 public:
  explicit Lake(MetaStore &meta) : meta_(meta) {}

  int64_t LatestSnapshot();
  SnapshotInfo GetSnapshot(int64_t snapshot_id);
  // Newest first, at most `limit`, only ids below `before` when given.
  std::vector<SnapshotInfo> ListSnapshots(size_t limit, std::optional<int64_t> before);
  // The snapshot current at `unix_ms`: kInvalidInput if that is before the first snapshot or in
  // the future.
  int64_t SnapshotAt(int64_t unix_ms);
  // The snapshots that changed a table (as it is named now), newest first.
  std::vector<TableSnapshot> TableHistory(const std::string &namespace_name, const std::string &table_name);

  std::vector<NamespaceInfo> ListNamespaces(int64_t snapshot_id);
  NamespaceInfo GetNamespace(const std::string &name, int64_t snapshot_id);
  CommitResult CreateNamespace(const std::string &name, const CommitInfo &commit);
  CommitResult DropNamespace(const std::string &name, const CommitInfo &commit);

  std::vector<TableInfo> ListTables(const std::string &namespace_name, int64_t snapshot_id);
  TableInfo GetTable(const std::string &namespace_name, const std::string &table_name, int64_t snapshot_id);
  std::optional<TableInfo> FindTable(const std::string &namespace_name, const std::string &table_name,
                                     int64_t snapshot_id);
  CommitResult CreateTable(const std::string &namespace_name, const std::string &table_name,
                           std::vector<ColumnDef> columns, const CommitInfo &commit);
  CommitResult DropTable(const std::string &namespace_name, const std::string &table_name,
                         const CommitInfo &commit);
  CommitResult RenameTable(const std::string &namespace_name, const std::string &table_name,
                           const std::string &new_name, const CommitInfo &commit);

  // The data files of a table visible at a snapshot, with their column statistics, in file order.
  std::vector<DataFile> TableFiles(int64_t table_id, int64_t snapshot_id);

  // Appends files to a table or replaces its contents, creating it first if asked to.
  CommitResult CommitWrite(const TableWrite &write, const CommitInfo &commit);

  // Where the data files of a table about to be created in `namespace_name` will go: the lake's
  // data path, the namespace's path and the table name ("warehouse/<ns>/<table>/").
  std::string NewTableKeyPrefix(const std::string &namespace_name, const std::string &table_name);

 private:
  MetaStore &meta_;
};

}  // namespace ducklake
