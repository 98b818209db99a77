#pragma once
// Engine: the embedded DuckDB, locked down (DESIGN.md "Engine sandbox"), that runs user SQL over
// lake tables and writes Parquet for the lake. It is three services, each in its own header, and
// callers hold the one they need: SqlParser (engine/sql.hpp: statements, types, constants),
// QueryRunner (engine/queries.hpp: queries over lake tables, Parquet writes) and FileReader
// (engine/file_reader.hpp: stored objects and uploads read by DuckDB's readers). DuckDB's own
// headers stay inside src/engine/.
//
// Thread-safe: every call runs on its own DuckDB connection. Errors are ducklake::Error:
// kInvalidInput (SQL that does not parse or bind, data that does not fit), kForbidden (refused by
// the sandbox), kTimeout (interrupted at its deadline), kInternal. Messages never contain server
// paths.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/file_reader.hpp"
#include "engine/queries.hpp"
#include "engine/sql.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

class BucketStores;

struct EngineOptions {
  std::string memory_limit = "1GB";
  int threads = 2;
  std::string staging_dir;  // local directory of uploads being ingested (absolute)
  BucketStores *buckets = nullptr;  // stores of other buckets, for BucketPath (must outlive the engine)
};

class Engine final : public SqlParser, public QueryRunner, public FileReader {
 public:
  // `store` holds the lake's files and must outlive the engine.
  Engine(ObjectStore &store, EngineOptions options);
  ~Engine() override;

  Statement Parse(const std::string &sql) override;
  ColumnDef ParseColumnType(const std::string &name, const std::string &sql_type) override;
  std::optional<std::string> EvaluateConstant(const std::string &expression, const ColumnDef &column) override;
  SqlQuery InsertQuery(const SqlQuery &query, const std::vector<ColumnDef> &target,
                       const std::vector<std::string> &source_columns) override;

  int64_t Query(const SqlQuery &query, TableResolver &resolver, const QueryOptions &options,
                const ByteSink &sink) override;
  void SendCounts(const std::vector<std::pair<std::string, int64_t>> &row, const QueryOptions &options,
                  const ByteSink &sink) override;
  std::vector<std::vector<std::optional<std::string>>> QueryRows(const SqlQuery &query, TableResolver &resolver,
                                                                 int64_t timeout_ms, size_t max_rows) override;
  QueryLineage Lineage(const SqlQuery &query, TableResolver &resolver) override;
  std::vector<ColumnDef> DescribeQuery(const SqlQuery &query, TableResolver &resolver) override;
  WrittenFile WriteQuery(const SqlQuery &query, TableResolver &resolver, const std::vector<ColumnDef> &target,
                         const std::vector<std::string> &source_columns, const std::string &key, int64_t timeout_ms,
                         bool preserve_order) override;
  std::optional<InlinedRows> CollectRows(const SqlQuery &query, TableResolver &resolver,
                                         const std::vector<ColumnDef> &target,
                                         const std::vector<std::string> &source_columns, size_t max_rows,
                                         int64_t timeout_ms) override;
  int64_t RunningQueries() const override;

  void ReadFile(const std::string &path, UploadFormat format, const QueryOptions &options, const ByteSink &sink,
                const ReadOptions &read_options) override;
  std::string RegisterInput(const ByteSource &source) override;
  void UnregisterInput(const std::string &path) override;
  UploadDescription DescribeUpload(const std::string &path, UploadFormat format, const ReadOptions &options) override;
  WrittenFile WriteUpload(const std::string &path, UploadFormat format, const ReadOptions &options,
                          const std::vector<ColumnDef> &target, const std::string &key,
                          const UploadDescription &described, bool by_position,
                          const std::function<bool()> &abandoned = {}) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ducklake
