#pragma once
// Lake: the DuckLake table format over a MetaStore. Reads take a snapshot id and see the catalog as
// of that snapshot. Every change is one new snapshot, committed in one metadata transaction (the
// caller writes data files first and passes them in). Thread-safe; concurrent commits race on the
// snapshot id and the loser re-validates and retries. Errors are ducklake::Error: kNotFound,
// kConflict (exists, not empty, lost too many races), kInvalidInput (bad names or columns).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
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
  std::optional<std::string> comment;
  std::map<std::string, std::string> tags;          // the table's tags (the comment aside)
  std::map<int64_t, std::string> column_comments;   // by column id
};

// What PATCHing a table's description changes (each part only when given). Kept as the DuckLake
// format keeps them: tags of the table and its columns, the comment under the tag "comment".
struct TableMetadataChange {
  std::optional<std::optional<std::string>> comment;                 // a new comment, or none
  std::optional<std::map<std::string, std::string>> tags;            // replaces every tag
  std::map<std::string, std::optional<std::string>> column_comments;  // column name -> comment or none
};

// A table found by SearchTables, with the columns whose names matched.
struct TableHit {
  std::string namespace_name;
  std::string name;
  std::vector<std::string> matched_columns;
};

struct TableSearch {
  std::string text;  // matched case-insensitively in namespace, table and column names, tags, comments
  std::optional<std::pair<std::string, std::optional<std::string>>> tag;  // name [= value]
  std::optional<std::pair<std::string, std::string>> after;  // (namespace, table) of the last result
  size_t limit = 100;
};

struct DataFile {
  int64_t id = 0;
  std::string key;  // object-store key
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t footer_size = 0;
  int64_t row_id_start = 0;
  int64_t begin_snapshot = 0;
  std::vector<ColumnStats> stats;
  std::string delete_key;  // the positional delete file in force, empty when none
  int64_t delete_count = 0;
  // Written against the table's columns as of the snapshot asked for (no schema change since):
  // its Parquet columns are the table's columns by name and type.
  bool has_current_columns = false;
};

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
};

// A Parquet file the caller has written and wants to add to a table. For a delete file,
// record_count is the number of deleted positions it lists.
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
  // create, insert, delete, update, overwrite, alter, rename, drop, compact
  std::string operation;
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
  // The table the files were written for, and the snapshot whose columns they were written against
  // (default: the latest); a drop or a schema change since then is a conflict.
  std::optional<int64_t> expected_table_id;
  std::vector<NewDataFile> files;
  std::optional<int64_t> base_snapshot;
};

// One table's part of a transaction: everything it does to that table, applied in one snapshot.
struct TableChange {
  std::string namespace_name;
  std::string table_name;           // as the transaction found it (or the new table's name)
  std::optional<int64_t> table_id;  // the table the changes were made against; none: created here
  std::optional<std::vector<ColumnDef>> create_columns;  // create the table with these columns
  std::string create_folder;  // ... with its files under this folder of the namespace (default "<name>/")
  std::optional<std::vector<ColumnDef>> columns;  // the columns after ALTERs (ids kept; new ones above all old)
  std::optional<std::string> new_name;
  bool dropped = false;
  bool replace_contents = false;  // the table's files so far stop counting (overwrite)
  bool updated = false;           // deletes and inserts are an UPDATE's (for the change feed)
  bool compacted = false;         // added files hold the same rows as removed_files (no logical change)
  std::vector<std::string> removed_files;  // data file keys that stop counting, with their delete files
  std::vector<NewDataFile> added_files;
  // Added files written before an ALTER of this transaction: their columns are not the new ones.
  std::set<std::string> added_with_old_columns;
  // Data file key -> its new delete file, listing every deleted position (old ones too).
  std::map<std::string, NewDataFile> deletes;
  int64_t rows_deleted = 0;
};

// Changes made against `base_snapshot`. Committing re-checks them against the latest snapshot:
// inserts and deletes from different files do not conflict; deleting rows of a file someone else
// deleted from or rewrote, writing to or altering a table someone else altered, and dropping a
// table someone else wrote to do.
struct LakeTransaction {
  int64_t base_snapshot = 0;
  std::vector<TableChange> tables;
};

// What a commit did to one table.
struct TableOutcome {
  std::string namespace_name;
  std::string table_name;          // after the commit
  std::string previous_name;       // when the commit renamed it
  std::vector<ColumnDef> columns;  // after the commit (none when dropped)
  std::string key_prefix;          // where its data files are
  // In OpenLineage's words: CREATE, ALTER, RENAME, OVERWRITE, DROP; empty for plain writes.
  std::string lifecycle;
  int64_t rows_added = 0;
  int64_t rows_deleted = 0;
  int64_t bytes_added = 0;
};

struct CommitResult {
  int64_t snapshot_id = 0;
  int64_t rows_written = 0;
  int64_t rows_deleted = 0;
  bool created_table = false;
  std::vector<TableOutcome> tables;  // each table the snapshot changed
};

struct CommitInfo {
  std::string author = "anonymous";
  std::optional<std::string> message;
  // Runs inside the metadata transaction that creates the snapshot, just before it commits (with
  // the result so far): what it writes is kept exactly when the snapshot is. It may throw, which
  // abandons the commit.
  std::function<void(MetaTransaction &txn, const CommitResult &result)> in_transaction;
};

// What expiring snapshots did (or, in a dry run, would do).
struct ExpireResult {
  std::vector<int64_t> expired_snapshots;
  std::vector<std::string> scheduled_files;  // keys no kept snapshot reads any more
};

// A commit whose metadata transaction failed at COMMIT without saying whether it took effect (the
// database connection dropped): the snapshot may exist, so the caller must keep the files it wrote.
class CommitOutcomeUnknown : public Error {
 public:
  using Error::Error;
};

class Lake {
 public:
  explicit Lake(MetaStore &meta) : meta_(meta) {}

  int64_t LatestSnapshot();
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

  std::vector<NamespaceInfo> ListNamespaces(int64_t snapshot_id);
  NamespaceInfo GetNamespace(const std::string &name, int64_t snapshot_id);
  CommitResult CreateNamespace(const std::string &name, const CommitInfo &commit);
  CommitResult DropNamespace(const std::string &name, const CommitInfo &commit);

  std::vector<TableInfo> ListTables(const std::string &namespace_name, int64_t snapshot_id);
  // Tables of the latest snapshot matching `search`, ordered by namespace and name.
  std::vector<TableHit> SearchTables(const TableSearch &search);
  TableInfo GetTable(const std::string &namespace_name, const std::string &table_name, int64_t snapshot_id);
  std::optional<TableInfo> FindTable(const std::string &namespace_name, const std::string &table_name,
                                     int64_t snapshot_id);
  CommitResult CreateTable(const std::string &namespace_name, const std::string &table_name,
                           std::vector<ColumnDef> columns, const CommitInfo &commit);
  CommitResult DropTable(const std::string &namespace_name, const std::string &table_name,
                         const CommitInfo &commit);
  // Comments and tags of a table and its columns, in one new snapshot.
  CommitResult UpdateTableMetadata(const std::string &namespace_name, const std::string &table_name,
                                   const TableMetadataChange &change, const CommitInfo &commit);
  CommitResult RenameTable(const std::string &namespace_name, const std::string &table_name,
                           const std::string &new_name, const CommitInfo &commit);

  // The data files of a table visible at a snapshot, with their column statistics, in file order.
  std::vector<DataFile> TableFiles(int64_t table_id, int64_t snapshot_id);
  // Every data file the table has had (still in the catalog, i.e. not expired), in file order.
  std::vector<DataFileVersions> TableFileHistory(int64_t table_id);

  // Appends files to a table or replaces its contents, creating it first if asked to.
  CommitResult CommitWrite(const TableWrite &write, const CommitInfo &commit);

  // Commits a transaction as one snapshot (none when it changes nothing), or throws kConflict
  // (see LakeTransaction), kNotFound, kInvalidInput and changes nothing.
  CommitResult CommitTransaction(const LakeTransaction &transaction, const CommitInfo &commit);

  // The highest column id a table has ever used (ids are never reused).
  int64_t MaxColumnId(int64_t table_id);

  // Forgets snapshots older than `older_than_unix_ms` (when given) except the newest `keep_last`
  // (at least 1), and schedules the files only they read for deletion. Time travel to them ends.
  ExpireResult ExpireSnapshots(std::optional<int64_t> older_than_unix_ms, int64_t keep_last, bool dry_run);

  // Keys of files scheduled for deletion at least `min_age_ms` ago; ForgetScheduledFiles drops
  // them from the schedule once they are gone from the store.
  std::vector<std::string> ScheduledFiles(int64_t min_age_ms);
  void ForgetScheduledFiles(const std::vector<std::string> &keys);

  // Every object key the catalog refers to (data, delete and scheduled files), and the prefix all
  // lake files live under.
  std::vector<std::string> ReferencedKeys();
  std::string DataPath();

  // Where the data files of a table about to be created in `namespace_name` will go: the lake's
  // data path, the namespace's path and the table name ("warehouse/<ns>/<table>/").
  std::string NewTableKeyPrefix(const std::string &namespace_name, const std::string &table_name);

 private:
  MetaStore &meta_;
};

}  // namespace ducklake
