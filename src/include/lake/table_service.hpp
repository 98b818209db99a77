#pragma once
// TableService: SQL and ingest on the lake. It binds each request to a snapshot, lets the engine
// read the lake tables a statement names, and turns writes (INSERT, CREATE TABLE [AS], uploads)
// into Parquet files plus one snapshot commit. A failed write leaves neither a snapshot nor a data
// file behind. Thread-safe. Errors are ducklake::Error from the lake and the engine.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "lake/lake.hpp"

namespace ducklake {

struct SqlRequest {
  std::string sql;
  QueryOptions options;
  std::optional<int64_t> snapshot_id;  // default: the latest
  CommitInfo commit;
};

struct IngestRequest {
  std::string namespace_name;
  std::string table_name;
  std::string upload_path;  // a staged local file, or a stream registered with Engine::RegisterInput
  std::string sample_path;  // for a stream: a staged file with its first bytes, to infer columns from
  UploadFormat format = UploadFormat::kCsv;
  WriteMode mode = WriteMode::kAppend;
  CommitInfo commit;
};

// Table scans (columns and files with statistics) by snapshot id and table. Thread-safe.
class ScanCache {
 public:
  static constexpr size_t kMaxEntries = 4096;
  std::optional<TableScan> Get(int64_t snapshot_id, const std::string &table,
                               const std::function<std::optional<TableScan>()> &load);

 private:
  std::mutex mutex_;
  std::map<std::pair<int64_t, std::string>, std::optional<TableScan>> entries_;
};

class TableService {
 public:
  TableService(Lake &lake, Engine &engine, ObjectStore &store) : lake_(lake), engine_(engine), store_(store) {}

  // Runs one statement. Queries stream their result to `sink`; writes commit and then send a
  // one-row result (rows_written, snapshot_id) in the requested format.
  void RunSql(const SqlRequest &request, const ByteSink &sink);

  CommitResult Ingest(const IngestRequest &request);

  // The first `limit` rows of a table as a query result.
  void Preview(const std::string &namespace_name, const std::string &table_name, int64_t limit,
               const ByteSink &sink);

  // Column definitions from user-supplied names and SQL types (e.g. "DECIMAL(18,2)", "INTEGER[]").
  std::vector<ColumnDef> ParseColumns(const std::vector<std::pair<std::string, std::string>> &columns);

 private:
  void SendWriteResult(const CommitResult &result, const QueryOptions &options, const ByteSink &sink);
  CommitResult CommitOrDiscard(const TableWrite &write, const CommitInfo &commit);

  Lake &lake_;
  Engine &engine_;
  ObjectStore &store_;
  ScanCache scans_;
};

}  // namespace ducklake
