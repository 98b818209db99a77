#pragma once
// Commits: every change to the table format is one new snapshot, written in one metadata
// transaction (the caller writes data files first and passes them in; a failed commit leaves no
// catalog row behind, only files for the caller to discard). Concurrent commits race on the
// snapshot id; the loser re-validates against the new head and retries. Stateless over the
// MetaStore; thread-safe. Errors are ducklake::Error: kNotFound, kConflict (exists, not empty, a
// logical conflict, lost too many races), kInvalidInput (bad names, columns, tags), and
// CommitOutcomeUnknown when the database went away at COMMIT.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/error.hpp"
#include "common/schema.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

// What PATCHing a table's description changes (each part only when given). Kept as the DuckLake
// format keeps them: tags of the table and its columns, the comment under the tag "comment".
struct TableMetadataChange {
  std::optional<std::optional<std::string>> comment;                 // a new comment, or none
  std::optional<std::map<std::string, std::string>> tags;            // replaces every tag
  std::map<std::string, std::optional<std::string>> column_comments;  // column name -> comment or none
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

// Rows kept in the catalog, written out to Parquet by a flush (no logical change): the file holds
// the rows live at the flush, in row id order, with their row ids and the snapshots that inserted
// them, and replaces them in every snapshot (its catalog row begins with the first of those
// snapshots; a reader of an older one than the last reads only the rows inserted by then). Rows
// deleted before the flush stay in the catalog, for the snapshots that still see them.
struct InlinedFlush {
  NewDataFile file;
  std::vector<int64_t> row_ids;          // of the rows it holds, in file order
  std::vector<int64_t> begin_snapshots;  // each row's inserting snapshot
};

// One table's part of a transaction: everything it does to that table, applied in one snapshot.
struct TableChange {
  std::string namespace_name;
  std::string table_name;           // as the transaction found it (or the new table's name)
  std::optional<int64_t> table_id;  // the table the changes were made against; none: created here
  // The table as the transaction read it at its base (Catalog::GetTable's shape): the commit takes
  // it instead of reading it again when no schema version began since.
  std::optional<TableInfo> base_shape;
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
  // Rows to keep in the catalog instead of files (data inlining; see catalog/inlined_data.hpp).
  std::vector<InlinedRows> inlined_inserts;
  // Row ids of rows kept in the catalog that stop counting.
  std::vector<int64_t> inlined_deletes;
  // Rows kept in the catalog that move to a file; they must still be live (else kConflict).
  std::optional<InlinedFlush> flush;
  int64_t rows_deleted = 0;
};

// Changes made against `base_snapshot`. Committing re-checks them against the latest snapshot:
// inserts and deletes from different files do not conflict; deleting rows of a file someone else
// deleted from or rewrote, deleting rows kept in the catalog that someone else deleted or flushed, writing to or altering a table someone else altered, and dropping a
// table someone else wrote to do.
struct LakeTransaction {
  int64_t base_snapshot = 0;
  // The schema version of base_snapshot, when the changes' base_shape were read there. Every change
  // of a namespace, table or column begins a schema version: while the latest is still this one,
  // no table changed shape since.
  std::optional<int64_t> base_schema_version;
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

// A commit whose metadata transaction failed at COMMIT without saying whether it took effect (the
// database connection dropped): the snapshot may exist, so the caller must keep the files it wrote.
class CommitOutcomeUnknown : public Error {
 public:
  using Error::Error;
};

class Commits {
 public:
  explicit Commits(MetaStore &meta) : meta_(meta) {}

  CommitResult CreateNamespace(const std::string &name, const CommitInfo &commit);
  CommitResult DropNamespace(const std::string &name, const CommitInfo &commit);

  CommitResult CreateTable(const std::string &namespace_name, const std::string &table_name,
                           std::vector<ColumnDef> columns, const CommitInfo &commit);
  CommitResult DropTable(const std::string &namespace_name, const std::string &table_name,
                         const CommitInfo &commit);
  // Comments and tags of a table and its columns, in one new snapshot.
  CommitResult UpdateTableMetadata(const std::string &namespace_name, const std::string &table_name,
                                   const TableMetadataChange &change, const CommitInfo &commit);
  CommitResult RenameTable(const std::string &namespace_name, const std::string &table_name,
                           const std::string &new_name, const CommitInfo &commit);

  // Appends files to a table or replaces its contents, creating it first if asked to.
  CommitResult CommitWrite(const TableWrite &write, const CommitInfo &commit);

  // Commits a transaction as one snapshot (none when it changes nothing), or throws kConflict
  // (see LakeTransaction), kNotFound, kInvalidInput and changes nothing.
  CommitResult CommitTransaction(const LakeTransaction &transaction, const CommitInfo &commit);

 private:
  MetaStore &meta_;
};

}  // namespace ducklake
