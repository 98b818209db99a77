#pragma once
// TableService: SQL and ingest on the lake. It binds each request to a snapshot, lets the engine
// read the lake tables a statement names, and turns writes (INSERT, CREATE TABLE [AS], DELETE,
// UPDATE, ALTER TABLE, DROP TABLE, uploads) into Parquet files plus one snapshot commit. A failed
// write leaves neither a snapshot nor a data file behind. Thread-safe. Errors are ducklake::Error
// from the lake and the engine.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "common/access.hpp"
#include "tables/job_lineage.hpp"
#include "catalog/table_format.hpp"
#include "tables/scan_cache.hpp"
#include "tables/sql_transaction.hpp"

namespace ducklake {

// A request body as it arrives: calls its argument with each piece, in order, and returns at the
// end of the body; throws when the body cannot be read whole (too large, cut off).
using BodyReader = std::function<void(const std::function<void(const char *, size_t)> &piece)>;

struct SqlRequest {
  std::string sql;
  std::optional<Statement> statement;  // `sql` as TableService::Parse read it, when the caller has parsed it
  QueryOptions options;
  std::optional<int64_t> snapshot_id;  // default: the latest
  bool snapshot_pinned = false;        // set by TableService::PinSnapshot: snapshot_id exists
  CommitInfo commit;
  std::optional<std::string> job_name;  // lineage job of a write (default: JobNameOf the statement)
  const Access *access = nullptr;       // what the caller may read and write (null: everything)
};

struct TransactionRequest {
  std::vector<std::string> statements;
  std::vector<Statement> parsed;  // each of `statements` as TableService::Parse read it, or empty
  int64_t timeout_ms = 300000;  // per statement
  CommitInfo commit;
  std::optional<std::string> job_name;  // default: "transaction.<first table written>"
  const Access *access = nullptr;
};

struct TransactionResult {
  CommitResult commit;
  std::vector<StatementOutcome> statements;
};

struct IngestRequest {
  std::string namespace_name;
  std::string table_name;
  std::string upload_path;  // a staged local file, or a stream registered with FileReader::RegisterInput
  UploadFormat format = UploadFormat::kCsv;
  ReadOptions read_options;  // what the caller says of the file (none: what DuckDB's reader detects)
  WriteMode mode = WriteMode::kAppend;
  bool create_only = false;  // the table must not exist yet (409 when it does, also when made concurrently)
  CommitInfo commit;
  std::optional<LineageDataset> source;  // the object read, for lineage (none: a client's upload)
  std::optional<std::string> job_name;   // default: "ingest.<namespace>.<table>"
  std::function<bool()> abandoned;       // the caller went away: stop reading, commit nothing
};

// What an ingest would do, found without writing anything.
struct IngestPlan {
  UploadDescription upload;          // the file as DuckDB's reader reads it
  std::optional<TableInfo> table;    // the table appended to or overwritten; none: it would be created
  std::vector<ColumnDef> columns;    // the table's columns after the ingest
  bool by_position = false;          // the file's columns feed the table's in order (a CSV without header)
};

// Rows a table gained and lost between two snapshots.
struct ChangesRequest {
  std::string namespace_name;
  std::string table_name;
  std::optional<int64_t> from_snapshot;  // exclusive; default: before the table existed
  std::optional<int64_t> to_snapshot;    // inclusive; default: the latest
  QueryOptions options;
};

class TableService {
 public:
  // The most snapshots one change-feed request may span (each adds to one query).
  static constexpr size_t kMaxChangeSnapshots = 1000;
  // As DuckLake 1.0 has it.
  static constexpr int64_t kDefaultInlineRowLimit = 10;

  // `lineage` (may be null) records every write as an OpenLineage job. Uploads that are not
  // streamed are staged as files under `staging_directory` (default: the system's temporary
  // directory) while they are read.
  // SQL writes of at most `inline_row_limit` rows keep them in the catalog (data inlining; 0: never).
  TableService(TableFormat &format, Engine &engine, ObjectStore &store, LineageRecorder *lineage = nullptr,
               std::string staging_directory = "", int64_t inline_row_limit = kDefaultInlineRowLimit)
      : format_(format), engine_(engine), store_(store), lineage_(lineage),
        staging_directory_(std::move(staging_directory)), inline_row_limit_(inline_row_limit) {}

  // Reads `sql` as one statement and says what it is (kInvalidInput when it is malformed or refused):
  // callers parse once and pass the result on in SqlRequest::statement.
  Statement Parse(const std::string &sql);

  // Runs one statement. Queries stream their result to `sink`; writes commit and then send a
  // one-row result (rows_written / rows_deleted / rows_updated, snapshot_id) in the requested format.
  // Returns the number of rows of a query's result (none for a write).
  std::optional<int64_t> RunSql(const SqlRequest &request, const ByteSink &sink);

  // Fixes the snapshot a query will read before it runs, so that the caller can name it first (a
  // response header, an export's record): `request.snapshot_id`, which must exist (kNotFound
  // otherwise), or else the latest. RunSql then reads that snapshot without looking it up again.
  int64_t PinSnapshot(SqlRequest &request);

  // Runs write statements in order and commits them as one snapshot, or changes nothing.
  TransactionResult RunTransaction(const TransactionRequest &request);

  // Called after each commit that kept rows in the catalog (data inlining), with the table's
  // namespace and name and how many rows: for a flush to follow once enough gathered. Set it before
  // serving; it must be quick and thread-safe (it runs on the writer's thread).
  using RowsKept = std::function<void(const std::string &namespace_name, const std::string &table_name, int64_t rows)>;
  void OnRowsKept(RowsKept callback) { rows_kept_ = std::move(callback); }

  // Runs `work` on an upload as `read_body` delivers it, with the request's upload_path set. CSV and
  // NDJSON bodies larger than a sample stream through a bounded pipe into the engine, which reads
  // them on a worker thread while they arrive, so memory stays bounded; other bodies are staged as a
  // file first. kInvalidInput for an empty body; a body that fails to arrive whole fails `work`
  // too, so nothing it saw is committed.
  void WithUpload(IngestRequest request, const BodyReader &read_body,
                  const std::function<void(const IngestRequest &)> &work);
  // The first `limit` rows of an upload as the ingest would read them, as a query result.
  void PreviewUpload(const IngestRequest &request, int64_t limit, const ByteSink &sink);

  // Reads an upload into its table (created if missing) as one snapshot. Columns are matched by name,
  // or in order for a CSV file without a header row appended to an existing table.
  CommitResult Ingest(const IngestRequest &request);
  // What Ingest would do with the request (kInvalidInput where it would fail to match the table);
  // writes nothing and records no lineage.
  IngestPlan PlanIngest(const IngestRequest &request);

  // Namespaces, and the comments and tags of a table: catalog changes without data (and so
  // without lineage).
  CommitResult CreateNamespace(const std::string &name, const CommitInfo &commit);
  // After the commit, the listener set by OnNamespaceDropped runs with the name.
  CommitResult DropNamespace(const std::string &name, const CommitInfo &commit);
  // What else goes with a dropped namespace (the assembly revokes its grants). Set before serving.
  void OnNamespaceDropped(std::function<void(const std::string &name)> listener) {
    on_namespace_dropped_ = std::move(listener);
  }
  CommitResult UpdateTableMetadata(const std::string &namespace_name, const std::string &table_name,
                                   const TableMetadataChange &change, const CommitInfo &commit);
  // Throws kNotFound unless the namespace exists at the latest snapshot.
  void RequireNamespace(const std::string &name);

  // Catalog changes made without SQL (the REST API's), each a lineage job like the SQL ones.
  CommitResult CreateTable(const std::string &namespace_name, const std::string &table_name,
                           std::vector<ColumnDef> columns, const CommitInfo &commit);
  CommitResult RenameTable(const std::string &namespace_name, const std::string &table_name,
                           const std::string &new_name, const CommitInfo &commit);
  CommitResult DropTable(const std::string &namespace_name, const std::string &table_name, const CommitInfo &commit);

  // What a query reads and where its columns come from (for exports), as of the latest snapshot.
  void DescribeQueryLineage(const SqlQuery &query, int64_t snapshot_id, JobRun &run, const Access *access);

  // The first `limit` rows of a table as a query result.
  void Preview(const std::string &namespace_name, const std::string &table_name, int64_t limit,
               const ByteSink &sink);

  // The change feed: (snapshot_id, change_type, the table's columns as of `to`) for every row
  // inserted (insert, update_postimage) or deleted (delete, update_preimage), by snapshot.
  void Changes(const ChangesRequest &request, const ByteSink &sink);

  // Column definitions from user-supplied names and SQL types (e.g. "DECIMAL(18,2)", "INTEGER[]").
  std::vector<ColumnDef> ParseColumns(const std::vector<std::pair<std::string, std::string>> &columns);

  // What the catalog holds at a snapshot, and the snapshots themselves: for read-only views.
  Catalog &catalog() { return format_.catalog; }
  History &history() { return format_.history; }

  TableFormat &format() { return format_; }
  LineageRecorder *lineage() { return lineage_; }
  ObjectStore &store() { return store_; }
  QueryRunner &queries() { return engine_; }
  ScanCache &scans() { return scans_; }

 private:
  // The snapshot a query reads: `requested` once it is known to exist, or else the latest.
  int64_t ReadSnapshot(const std::optional<int64_t> &requested);
  CommitResult CommitOrDiscard(const TableWrite &write, const CommitInfo &commit);

  TableFormat &format_;
  Engine &engine_;
  ObjectStore &store_;
  LineageRecorder *lineage_;
  std::string staging_directory_;
  int64_t inline_row_limit_;
  RowsKept rows_kept_;
  // Tells rows_kept_ what a committed transaction kept.
  void ReportKeptRows(const SqlTransaction &transaction);
  std::function<void(const std::string &name)> on_namespace_dropped_;
  ScanCache scans_;
};

}  // namespace ducklake
