#pragma once
// QueryRunner: queries over lake tables, run in the engine's sandbox (DESIGN.md "Engine sandbox").
// It knows nothing of the catalog: a TableResolver supplies the files and columns behind each
// `namespace.table` a query names.

#include <cstdint>
#include <map>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/schema.hpp"
#include "engine/sql.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

// One data file of a lake table as the engine reads it.
struct ScanFile {
  std::string key;  // object-store key
  int64_t record_count = 0;
  std::vector<ColumnStats> stats;
  std::string delete_key;  // its positional delete file (DuckLake format), empty when none
  // The file's columns are the table's by name and type (no schema change since it was written):
  // it can be read without mapping field ids, which is about twice as fast.
  bool has_current_columns = false;
  // The row id of its first row (rows without ids of their own number on from it); none for a file
  // not yet committed.
  std::optional<int64_t> row_id_start;
  // Only the rows inserted by snapshots in this range count (a flush's file read as of a snapshot
  // before its last row, or one snapshot's rows for the change feed): its rows carry their snapshot.
  std::optional<int64_t> min_row_snapshot;
  std::optional<int64_t> max_row_snapshot;
};

// A row of a lake table kept in the catalog (data inlining), as the engine reads it.
struct ScanRow {
  std::vector<std::optional<std::string>> values;  // per TableScan::columns, as InlinedRows has them
  std::optional<int64_t> row_id;  // none for a row not committed yet
  int64_t begin_snapshot = 0;     // the snapshot that inserted it (0 when not committed yet)
  // How a DELETE names it under kPositionColumn: its row id, or (not committed yet) its place among
  // the rows of its kind.
  int64_t position = 0;
  bool pending = false;  // written by the transaction reading it, not committed yet
};

// A lake table as the engine reads it: files are read by Parquet field id (= column id), so a
// file written before a rename, an added column or a widened type reads with today's columns.
struct TableScan {
  std::vector<ColumnDef> columns;
  std::vector<ScanFile> files;
  // Adds the columns kFileColumn and kPositionColumn (a row's data file and its position there).
  bool with_positions = false;
  // Only the rows the files' delete files name (none of a file without one): what was deleted, for
  // the change feed, read without scanning what is left against it.
  bool only_deleted = false;
  // With positions, adds kRowIdColumn too: a row's lake row id (its file's column of row ids, or
  // row_id_start + position), NULL in a file not yet committed, and kSnapshotColumn (the snapshot
  // that inserted a row kept in the catalog, NULL for file rows). Files are then read by field id.
  bool with_row_ids = false;
  // The table's rows kept in the catalog, read with its files. With positions their kFileColumn is
  // kInlinedRows (committed) or kPendingRows (this transaction's); with row ids, kSnapshotColumn
  // is the snapshot that inserted each of them.
  std::vector<ScanRow> rows;
};

// `AT (VERSION => n)` or `AT (TIMESTAMP => t)` on a table reference.
struct TableVersion {
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> unix_ms;
};

// A lake table as DuckDB's catalog functions show it.
struct CatalogTable {
  int64_t id = 0;
  std::string schema;
  std::string name;
  std::vector<ColumnDef> columns;
  std::optional<std::string> comment;
  std::map<std::string, std::string> tags;
  std::map<int64_t, std::string> column_comments;  // by column id
  int64_t record_count = 0;
  // For ducklake_table_info(): the table's uuid and its live data and delete files.
  std::string uuid;
  int64_t file_count = 0;
  int64_t file_size_bytes = 0;
  int64_t delete_file_count = 0;
  int64_t delete_file_size_bytes = 0;
};

// A snapshot as ducklake_snapshots() shows it.
struct LakeSnapshot {
  int64_t id = 0;
  int64_t unix_us = 0;
  int64_t schema_version = 0;
  std::string changes;  // the format's changes_made
  std::optional<std::string> author;
  std::optional<std::string> message;
  std::optional<std::string> extra_info;
};

// What a caller may see of the lake: the namespaces and the tables in them.
struct VisibleCatalog {
  struct Schema {
    int64_t id = 0;
    std::string name;
  };
  std::vector<Schema> schemas;
  std::vector<CatalogTable> tables;
};

class TableResolver {
 public:
  virtual ~TableResolver() = default;
  // The table `schema.table` as of the request's snapshot, or as of `at` when the statement names a
  // version; nullopt if there is no such table. May throw ducklake::Error (it reaches the caller).
  virtual std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                           const std::optional<TableVersion> &at) = 0;
  // The namespaces and tables the caller may read, as of the request's snapshot: all that DuckDB's
  // catalog functions (duckdb_tables(), information_schema.columns, ...) show. The lake's own
  // queries show none. May throw ducklake::Error.
  virtual VisibleCatalog Catalog() { return {}; }
  // The lake's snapshots up to the request's, oldest first, for ducklake_snapshots(). The lake's own
  // queries show none. May throw ducklake::Error.
  virtual std::vector<LakeSnapshot> Snapshots() { return {}; }
  // ducklake_table_changes(lake, schema, table, start, end): a query, over tables this resolver
  // resolves, of the rows snapshots start to end (both included) inserted and deleted, with their
  // row ids; a row id deleted and inserted by one snapshot is an update_preimage/update_postimage
  // pair, as the DuckLake extension tells them. Columns: snapshot_id, rowid, change_type and the
  // table's as of `end`. nullopt where the resolver has no history to offer. May throw
  // ducklake::Error.
  virtual std::optional<std::string> TableChanges(const std::string &schema, const std::string &table, int64_t start,
                                                  int64_t end) {
    return std::nullopt;
  }
};

enum class ResultFormat { kJson, kNdjson, kCsv, kParquet, kArrow };

struct QueryOptions {
  ResultFormat format = ResultFormat::kJson;
  std::optional<int64_t> limit;
  int64_t timeout_ms = 300000;
  // Asked from another thread every kAbandonPollMs while a query runs: true once nobody waits for
  // its result (the client went away). The query is then interrupted, as at its timeout. Empty:
  // never asked. Must be cheap and thread-safe.
  std::function<bool()> abandoned;
  static constexpr int64_t kAbandonPollMs = 250;
};

// A Parquet file the engine wrote, with what the lake records about it.
struct WrittenFile {
  std::string key;
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t footer_size = 0;
  std::vector<ColumnStats> stats;  // by column id of the target columns
};

// Where a result column's values come from, in OpenLineage's words. Direct origins (the column's
// value is computed from it): IDENTITY, TRANSFORMATION, AGGREGATION. Indirect origins (the column
// decides which rows there are): JOIN, FILTER, GROUP_BY, SORT, WINDOW.
struct ColumnOrigin {
  static constexpr const char *kIdentity = "IDENTITY";
  static constexpr const char *kTransformation = "TRANSFORMATION";
  static constexpr const char *kAggregation = "AGGREGATION";
  static constexpr const char *kJoin = "JOIN";
  static constexpr const char *kFilter = "FILTER";
  static constexpr const char *kGroupBy = "GROUP_BY";
  static constexpr const char *kSort = "SORT";
  static constexpr const char *kWindow = "WINDOW";

  size_t table = 0;  // index into QueryLineage::tables
  std::string column;
  std::string subtype;
  bool masking = false;  // the value no longer shows the input (a hash of it)
};

// A lake table a statement reads, as it names it.
struct TableReference {
  std::string schema;
  std::string table;
  std::optional<TableVersion> at;
};

// What a query reads and how its result columns derive from it (from DuckDB's bound plan).
struct QueryLineage {
  std::vector<TableReference> tables;
  std::vector<std::string> column_names;
  std::vector<std::vector<ColumnOrigin>> columns;  // per result column
  std::vector<ColumnOrigin> indirect;
};

class QueryRunner {
 public:
  virtual ~QueryRunner() = default;

  // The columns TableScan::with_positions adds: the data file (as FileLocation(key)) and the row's
  // position in it, from 0.
  static constexpr const char *kFileColumn = "__ducklake_file";
  static constexpr const char *kPositionColumn = "__ducklake_pos";
  static constexpr const char *kRowIdColumn = "__ducklake_rowid";
  static constexpr const char *kSnapshotColumn = "__ducklake_snapshot";
  // kFileColumn of the rows TableScan::rows holds, committed and not.
  static constexpr const char *kInlinedRows = "__ducklake_inlined";
  static constexpr const char *kPendingRows = "__ducklake_pending";
  static std::string FileLocation(const std::string &key);

  // Runs a query and streams its result in `options.format` to `sink`. Nothing reaches the sink
  // before the query has bound and produced its first rows, so errors before that throw cleanly.
  // Returns the number of rows the result had.
  virtual int64_t Query(const SqlQuery &query, TableResolver &resolver, const QueryOptions &options,
                        const ByteSink &sink) = 0;

  // Sends, as Query would send `SELECT CAST(count AS BIGINT) AS name, ...`, one row of counts (what
  // a write answers) without running a query for it.
  virtual void SendCounts(const std::vector<std::pair<std::string, int64_t>> &row, const QueryOptions &options,
                          const ByteSink &sink) = 0;

  // Runs a query with a small result and returns its rows as text (NULL as nullopt); more than
  // `max_rows` rows is kInternal. For the lake's own bookkeeping queries.
  virtual std::vector<std::vector<std::optional<std::string>>> QueryRows(const SqlQuery &query,
                                                                         TableResolver &resolver,
                                                                         int64_t timeout_ms, size_t max_rows) = 0;

  // The lake tables a query reads and where each result column comes from. Binds the query (with
  // the sandbox's checks) but reads no data.
  virtual QueryLineage Lineage(const SqlQuery &query, TableResolver &resolver) = 0;

  // The result columns of a query, in lake types (for CREATE TABLE AS).
  virtual std::vector<ColumnDef> DescribeQuery(const SqlQuery &query, TableResolver &resolver) = 0;

  // Runs a query and writes its rows, cast to `target` (matched by position, or by name through
  // `source_columns`; target columns not named get their default), as one Parquet file at `key`.
  // With `preserve_order` the file keeps the query's row order. On any error nothing is left at `key`.
  virtual WrittenFile WriteQuery(const SqlQuery &query, TableResolver &resolver, const std::vector<ColumnDef> &target,
                                 const std::vector<std::string> &source_columns, const std::string &key,
                                 int64_t timeout_ms, bool preserve_order) = 0;

  // Runs a query as WriteQuery would and, when it produces at most `max_rows` rows, returns them as
  // text with their statistics instead of writing a file (data inlining); nullopt when there are
  // more. The query runs only as far as max_rows + 1 rows, and not at all when the optimiser expects
  // far more rows than max_rows (nullopt).
  virtual std::optional<InlinedRows> CollectRows(const SqlQuery &query, TableResolver &resolver,
                                                 const std::vector<ColumnDef> &target,
                                                 const std::vector<std::string> &source_columns, size_t max_rows,
                                                 int64_t timeout_ms) = 0;

  // How many queries run at this moment.
  virtual int64_t RunningQueries() const = 0;
};

}  // namespace ducklake
