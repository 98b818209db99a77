#pragma once
// Engine: the embedded DuckDB, locked down (DESIGN.md "Engine sandbox"), that runs user SQL over
// lake tables and writes Parquet for the lake. It knows nothing of the catalog: a TableResolver
// supplies the files and columns behind each `namespace.table` a statement names. Thread-safe:
// every call runs on its own DuckDB connection. Errors are ducklake::Error: kInvalidInput (SQL
// that does not parse or bind, data that does not fit), kForbidden (refused by the sandbox),
// kTimeout (interrupted at its deadline), kInternal. Messages never contain server paths.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/schema.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

class BucketStores;

struct EngineOptions {
  std::string memory_limit = "1GB";
  int threads = 2;
  std::string staging_dir;  // local directory of uploads being ingested (absolute)
  BucketStores *buckets = nullptr;  // stores of other buckets, for BucketPath (must outlive the engine)
};

// One data file of a lake table as the engine reads it.
struct ScanFile {
  std::string key;  // object-store key
  int64_t record_count = 0;
  std::vector<ColumnStats> stats;
  std::string delete_key;  // its positional delete file (DuckLake format), empty when none
  // The file's columns are the table's by name and type (no schema change since it was written):
  // it can be read without mapping field ids, which is about twice as fast.
  bool has_current_columns = false;
};

// A lake table as the engine reads it: files are read by Parquet field id (= column id), so a
// file written before a rename, an added column or a widened type reads with today's columns.
struct TableScan {
  std::vector<ColumnDef> columns;
  std::vector<ScanFile> files;
  // Adds the columns kFileColumn and kPositionColumn (a row's data file and its position there).
  bool with_positions = false;
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
};

enum class StatementKind {
  kQuery,          // SELECT ...
  kInsert,         // INSERT INTO ns.t [(columns)] <query> | DEFAULT VALUES
  kCreateTableAs,  // CREATE TABLE ns.t AS <query>
  kCreateTable,    // CREATE TABLE ns.t (column definitions)
  kDelete,         // DELETE FROM ns.t [AS a] [USING tables] [WHERE condition]
  kUpdate,         // UPDATE ns.t [AS a] SET c = expression | DEFAULT, ... [FROM tables] [WHERE condition]
  kAlterTable,     // ALTER TABLE ns.t ... (one alteration)
  kDropTable,      // DROP TABLE [IF EXISTS] ns.t
};

enum class AlterKind { kAddColumn, kDropColumn, kRenameColumn, kSetType, kRenameTable };

struct Alteration {
  AlterKind kind = AlterKind::kAddColumn;
  std::string column;      // the column altered (all but kAddColumn, kRenameTable)
  std::string new_name;    // kRenameColumn, kRenameTable
  ColumnDef new_column;    // kAddColumn (default_value is a constant, as text); kSetType (type)
  bool if_exists = false;  // ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS
};

struct Statement {
  StatementKind kind = StatementKind::kQuery;
  std::string target_schema;
  std::string target_table;
  std::string target_alias;                 // DELETE/UPDATE: how the condition names the table
  std::vector<std::string> insert_columns;  // INSERT's column list, empty for all
  std::vector<ColumnDef> columns;           // CREATE TABLE's column definitions
  std::string query_sql;                    // the query part, as SQL (empty: INSERT ... DEFAULT VALUES)
  std::string condition_sql;                // DELETE/UPDATE: WHERE condition, empty for all rows
  std::string from_sql;                     // DELETE ... USING / UPDATE ... FROM: the other tables (a FROM list)
  std::vector<std::pair<std::string, std::string>> assignments;  // UPDATE: column, expression SQL (or kDefault)
  Alteration alteration;                    // kAlterTable
  bool if_exists = false;                   // kDropTable
};

// UPDATE's assignment of a column's default (SET c = DEFAULT).
constexpr const char *kDefaultAssignment = "DEFAULT";

enum class ResultFormat { kJson, kNdjson, kCsv, kParquet, kArrow };

struct QueryOptions {
  ResultFormat format = ResultFormat::kJson;
  std::optional<int64_t> limit;
  int64_t timeout_ms = 300000;
};

enum class UploadFormat { kCsv, kParquet, kJson, kNdjson };

// How to read an upload. Each field given overrides what DuckDB's reader (read_csv, read_json)
// detects by itself; with none given, an upload reads exactly as read_csv/read_json read the same
// bytes. Values the reader cannot use are kInvalidInput.
struct ReadOptions {
  std::optional<bool> header;                   // CSV: the first row names the columns
  std::optional<std::string> delimiter;         // CSV
  std::optional<std::string> quote;             // CSV
  std::optional<std::string> escape;            // CSV
  std::optional<std::string> comment;           // CSV: lines starting with it are skipped
  std::optional<int64_t> skip;                  // CSV: lines skipped at the start
  std::vector<std::string> null_strings;        // CSV: values read as NULL
  std::optional<std::string> date_format;       // CSV, JSON: strftime-style, e.g. "%d/%m/%Y"
  std::optional<std::string> timestamp_format;  // CSV, JSON
  std::vector<std::pair<std::string, std::string>> columns;  // the file's columns (name, SQL type)

  bool empty() const;
};

// A CSV file's dialect as DuckDB's sniffer detected it (or ReadOptions set it).
struct CsvDialect {
  std::string delimiter;
  std::string quote;
  std::string escape;
  std::string newline;  // "\n", "\r\n", "\r", or "mix"
  std::string comment;
  int64_t skip = 0;
  bool header = false;
  std::optional<std::string> date_format;
  std::optional<std::string> timestamp_format;
};

// What DuckDB's reader makes of an upload.
struct UploadDescription {
  std::vector<ColumnDef> columns;     // the columns as read, in lake types
  std::vector<std::string> sql_types;  // the same columns' DuckDB types, as SQL
  std::optional<CsvDialect> dialect;  // CSV only
};

// Supplies a streamed upload: fills up to `size` bytes and returns how many, 0 at the end; throws
// if the upload failed.
using ByteSource = std::function<size_t(char *data, size_t size)>;

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

class Engine {
 public:
  // The columns TableScan::with_positions adds: the data file (as FileLocation(key)) and the row's
  // position in it, from 0.
  static constexpr const char *kFileColumn = "__ducklake_file";
  static constexpr const char *kPositionColumn = "__ducklake_pos";
  static std::string FileLocation(const std::string &key);

  Engine(ObjectStore &store, EngineOptions options);
  ~Engine();

  // Parses one statement and classifies it; anything but the kinds above is kForbidden.
  Statement Parse(const std::string &sql);

  // Runs a query and streams its result in `options.format` to `sink`. Nothing reaches the sink
  // before the query has bound and produced its first rows, so errors before that throw cleanly.
  // Returns the number of rows the result had.
  int64_t Query(const std::string &sql, TableResolver &resolver, const QueryOptions &options, const ByteSink &sink);

  // Streams the rows of a CSV, Parquet, JSON or NDJSON file (a path from ObjectPath or
  // RegisterInput) like Query.
  void ReadFile(const std::string &path, UploadFormat format, const QueryOptions &options, const ByteSink &sink,
                const ReadOptions &read_options = {});
  // The engine's path of an object-store key, for ReadFile, DescribeUpload and WriteUpload; and
  // of a key in another bucket (EngineOptions::buckets).
  static std::string ObjectPath(const std::string &key);
  static std::string BucketPath(const std::string &bucket, const std::string &key);

  // The lake tables a query reads and where each result column comes from. Binds the query (with
  // the sandbox's checks) but reads no data.
  QueryLineage Lineage(const std::string &sql, TableResolver &resolver);

  // The result columns of a query, in lake types (for CREATE TABLE AS).
  std::vector<ColumnDef> DescribeQuery(const std::string &sql, TableResolver &resolver);

  // Runs a query with a small result and returns its rows as text (NULL as nullopt); more than
  // `max_rows` rows is kInternal. For the lake's own bookkeeping queries.
  std::vector<std::vector<std::optional<std::string>>> QueryRows(const std::string &sql, TableResolver &resolver,
                                                                 int64_t timeout_ms, size_t max_rows = 100000);

  // The value of a constant SQL expression cast to the lake column type, as text (nullopt: NULL).
  std::optional<std::string> EvaluateConstant(const std::string &expression, const ColumnDef &column);

  // The query part of `INSERT INTO t [(source_columns)] <query_sql>` as DuckDB runs it against the
  // target's columns: in a VALUES list each value is cast to its column's type and DEFAULT becomes
  // the column's default (DuckDB does not first find one type that all values of a column share).
  // An empty query is DEFAULT VALUES (one row of defaults). Any other query comes back as it is.
  std::string InsertQuery(const std::string &query_sql, const std::vector<ColumnDef> &target,
                          const std::vector<std::string> &source_columns);

  // Runs `sql` and writes its rows, cast to `target` (matched by position, or by name through
  // `source_columns`; target columns not named get their default), as one Parquet file at `key`.
  // With `preserve_order` the file keeps the query's row order.
  WrittenFile WriteQuery(const std::string &sql, TableResolver &resolver, const std::vector<ColumnDef> &target,
                         const std::vector<std::string> &source_columns, const std::string &key,
                         int64_t timeout_ms, bool preserve_order = false);

  // Makes a streamed upload readable at the returned path until UnregisterInput. It reads like a file
  // that cannot seek: DescribeUpload, ReadFile and WriteUpload each read it from its first byte, but
  // only bytes that a describe or a read before WriteUpload took are kept (in the staging directory),
  // and WriteUpload must be the last read.
  std::string RegisterInput(const ByteSource &source);
  void UnregisterInput(const std::string &path);

  // What DuckDB's reader makes of an uploaded file with `options`: its columns and, for CSV, dialect.
  UploadDescription DescribeUpload(const std::string &path, UploadFormat format, const ReadOptions &options = {});

  // Reads an uploaded file into one Parquet file at `key`. Its columns are matched to `target` by
  // name (missing ones get their default), or, with `by_position`, in order. Rows that do not fit:
  // kInvalidInput naming the line and column. `described` is DescribeUpload's answer for the same
  // file and options.
  WrittenFile WriteUpload(const std::string &path, UploadFormat format, const ReadOptions &options,
                          const std::vector<ColumnDef> &target, const std::string &key,
                          const UploadDescription &described, bool by_position = false);

  // The DuckDB type of a lake column as SQL text, and the lake column for a DuckDB type name.
  static std::string SqlType(const ColumnDef &column);
  ColumnDef ParseColumnType(const std::string &name, const std::string &sql_type);

  int64_t RunningQueries() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ducklake
