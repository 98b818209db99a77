#pragma once
// SqlTransaction: runs write statements (INSERT, CREATE TABLE [AS], DELETE, UPDATE, ALTER TABLE,
// DROP TABLE) against one base snapshot and commits them as one snapshot. Each statement writes its
// Parquet data and delete files at once and sees what the earlier ones did; nothing is visible to
// anyone else until Commit. Files of a transaction that does not commit are deleted. One thread at
// a time. Errors are ducklake::Error from the lake and the engine; a failed statement leaves the
// transaction as it was before it.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/table_format.hpp"
#include "common/access.hpp"
#include "engine/queries.hpp"
#include "engine/sql.hpp"
#include "lineage/job_run.hpp"

namespace ducklake {

class ScanCache;

// What one statement did, in the words of its result: rows_written, rows_deleted or rows_updated.
struct StatementOutcome {
  std::string count_name = "rows_written";
  int64_t count = 0;
};

// Reads a committed table as of a snapshot, or of `at` when given (an unknown snapshot is
// kNotFound, a time outside the lake's history kInvalidInput), through the scan cache.
std::optional<TableScan> ResolveCommitted(TableFormat &format, ScanCache &cache, int64_t snapshot_id, const std::string &schema,
                                          const std::string &table, const std::optional<TableVersion> &at);

// The namespaces and tables of a snapshot that `access` lets its caller read (all of them when
// `access` is null), for TableResolver::Catalog.
VisibleCatalog ReadableCatalog(TableFormat &format, int64_t snapshot_id, const Access *access);

// The lake's snapshots up to `snapshot_id`, oldest first, for TableResolver::Snapshots.
std::vector<LakeSnapshot> SnapshotsUpTo(TableFormat &format, int64_t snapshot_id);

class SqlTransaction {
 public:
  // File names end like this for the rows an UPDATE wrote and the delete files it wrote, so the
  // change feed can tell an update's pre- and post-images from plain deletes and inserts.
  static constexpr const char *kUpdateSuffix = "-update";
  static constexpr const char *kUpdateDeleteSuffix = "-update-delete";

  // `access` (may be null: everything) is what the caller may read and write. An INSERT of at most
  // `inline_row_limit` rows, and an UPDATE's new rows when as few, are kept in the catalog instead
  // of a Parquet file (0: never). Everything passed in must outlive the transaction.
  SqlTransaction(TableFormat &format, SqlParser &parser, QueryRunner &queries, ObjectStore &store, ScanCache &cache,
                 const Access *access = nullptr, int64_t inline_row_limit = 0);
  ~SqlTransaction();
  SqlTransaction(const SqlTransaction &) = delete;
  SqlTransaction &operator=(const SqlTransaction &) = delete;

  StatementOutcome Run(const Statement &statement, int64_t timeout_ms);

  // Adds to `run` the lake tables `statement` reads and writes, and how each column it writes
  // derives from what it reads (from the bound plan, against this transaction's view of the lake).
  // Call it before Run(statement); it reads no data. Errors are those the statement would raise.
  void DescribeLineage(const Statement &statement, JobRun &run);

  // Commits everything as one snapshot (no snapshot when nothing changed).
  CommitResult Commit(const CommitInfo &commit);

  // What the transaction keeps in the catalog: each table (namespace, name) and its rows.
  std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> KeptRows() const;

 private:
  struct PendingTable;
  class Resolver;

  PendingTable *FindPending(const std::string &schema, const std::string &table);
  PendingTable &Pending(const std::string &schema, const std::string &table);
  std::optional<TableScan> Scan(const std::string &schema, const std::string &table);
  std::string NewFileKey(const PendingTable &table, const char *kind);
  void AddFile(PendingTable &table, NewDataFile file);
  // Writes the rows a DELETE or UPDATE matches, once: their data file and position, and for an
  // UPDATE every column's new value. Returns them as a table to read.
  TableScan WriteMatches(PendingTable &table, const Statement &statement, int64_t timeout_ms);
  // Writes a delete file for each data file with matches, and deletes the matched rows kept in the
  // catalog; returns the delete files by data file key and the number of rows deleted.
  std::pair<std::map<std::string, NewDataFile>, int64_t> WriteDeletes(PendingTable &table, const Statement &statement,
                                                                      const TableScan &matches, int64_t timeout_ms);
  StatementOutcome Alter(const Statement &statement);
  // Whether a write of `rows` rows to `table` may keep them in the catalog.
  bool MayInline(const PendingTable &table, int64_t rows) const;

  TableFormat &format_;
  SqlParser &parser_;
  QueryRunner &queries_;
  ObjectStore &store_;
  ScanCache &cache_;
  const Access *access_;
  int64_t base_snapshot_ = 0;
  int64_t base_schema_version_ = 0;
  int64_t inline_row_limit_;
  std::vector<std::unique_ptr<PendingTable>> tables_;
  std::vector<std::string> written_keys_;     // every file this transaction wrote
  std::vector<std::string> superseded_keys_;  // written, then replaced by a later statement
  bool committed_ = false;
  int statements_run_ = 0;
};

}  // namespace ducklake
