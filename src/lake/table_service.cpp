#include "lake/table_service.hpp"

#include "common/error.hpp"
#include "common/ids.hpp"
#include "lake/names.hpp"

namespace ducklake {
namespace {

// Exposes the lake's tables as of one snapshot to the engine, through the scan cache.
class SnapshotResolver : public TableResolver {
 public:
  SnapshotResolver(Lake &lake, ScanCache &cache, int64_t snapshot_id)
      : lake_(lake), cache_(cache), snapshot_id_(snapshot_id) {}

  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table) override {
    return cache_.Get(snapshot_id_, LowerName(schema) + "." + LowerName(table), [&]() -> std::optional<TableScan> {
      auto info = lake_.FindTable(schema, table, snapshot_id_);
      if (!info) return std::nullopt;
      TableScan scan;
      scan.columns = info->columns;
      for (auto &file : lake_.TableFiles(info->id, snapshot_id_)) {
        scan.files.push_back({std::move(file.key), file.record_count, std::move(file.stats)});
      }
      return scan;
    });
  }

 private:
  Lake &lake_;
  ScanCache &cache_;
  int64_t snapshot_id_;
};

// Column ids as the lake assigns them on creation: depth-first, from 1.
int64_t AssignColumnIds(std::vector<ColumnDef> &columns, int64_t next_id = 1) {
  for (auto &column : columns) {
    column.id = next_id++;
    next_id = AssignColumnIds(column.children, next_id);
  }
  return next_id;
}

std::string NewDataFileKey(const std::string &prefix) { return prefix + "ducklake-" + NewUuid() + ".parquet"; }

}  // namespace

std::optional<TableScan> ScanCache::Get(int64_t snapshot_id, const std::string &table,
                                        const std::function<std::optional<TableScan>()> &load) {
  auto key = std::make_pair(snapshot_id, table);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
  }
  auto scan = load();
  std::lock_guard<std::mutex> lock(mutex_);
  // Snapshots never change, so entries never go stale; the bound only caps memory.
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(key, scan);
  return scan;
}

CommitResult TableService::CommitOrDiscard(const TableWrite &write, const CommitInfo &commit) {
  bool nothing_to_add = write.mode == WriteMode::kAppend && !write.create_columns;
  for (const auto &file : write.files) nothing_to_add = nothing_to_add && file.record_count == 0;
  std::vector<std::string> keys;
  for (const auto &file : write.files) keys.push_back(file.key);
  if (nothing_to_add) {
    // An empty append changes nothing: no snapshot, no file.
    store_.DeleteMany(keys);
    return CommitResult{lake_.LatestSnapshot(), 0, false};
  }
  try {
    return lake_.CommitWrite(write, commit);
  } catch (...) {
    // The files are not referenced by any snapshot: remove them now rather than leave orphans.
    try {
      store_.DeleteMany(keys);
    } catch (const Error &) {
      // A later cleanup finds unreferenced files; the original error matters more.
    }
    throw;
  }
}

std::vector<ColumnDef> TableService::ParseColumns(const std::vector<std::pair<std::string, std::string>> &columns) {
  std::vector<ColumnDef> parsed;
  for (const auto &[name, type] : columns) parsed.push_back(engine_.ParseColumnType(name, type));
  ValidateColumns(parsed);
  return parsed;
}

void TableService::SendWriteResult(const CommitResult &result, const QueryOptions &options, const ByteSink &sink) {
  SnapshotResolver no_tables(lake_, scans_, result.snapshot_id);
  QueryOptions result_options = options;
  result_options.limit.reset();
  engine_.Query(fmt::format("SELECT CAST({} AS BIGINT) AS rows_written, CAST({} AS BIGINT) AS snapshot_id",
                            result.rows_written, result.snapshot_id),
                no_tables, result_options, sink);
}

void TableService::RunSql(const SqlRequest &request, const ByteSink &sink) {
  auto statement = engine_.Parse(request.sql);
  if (statement.kind == StatementKind::kQuery) {
    int64_t snapshot_id = request.snapshot_id ? *request.snapshot_id : lake_.LatestSnapshot();
    if (request.snapshot_id) lake_.GetSnapshot(snapshot_id);  // 404 for an unknown snapshot
    SnapshotResolver resolver(lake_, scans_, snapshot_id);
    engine_.Query(statement.query_sql, resolver, request.options, sink);
    return;
  }
  if (request.snapshot_id) throw Error(ErrorKind::kInvalidInput, "writes cannot target an old snapshot");
  CommitResult result;
  if (statement.kind == StatementKind::kCreateTable) {
    result = lake_.CreateTable(statement.target_schema, statement.target_table, statement.columns, request.commit);
  } else {
    int64_t snapshot_id = lake_.LatestSnapshot();
    SnapshotResolver resolver(lake_, scans_, snapshot_id);
    TableWrite write;
    write.namespace_name = statement.target_schema;
    write.table_name = statement.target_table;
    std::vector<ColumnDef> target;
    std::string key;
    if (statement.kind == StatementKind::kInsert) {
      auto table = lake_.GetTable(statement.target_schema, statement.target_table, snapshot_id);
      target = table.columns;
      write.expected_table_id = table.id;
      key = NewDataFileKey(table.key_prefix);
    } else {
      lake_.GetNamespace(statement.target_schema, snapshot_id);
      if (lake_.FindTable(statement.target_schema, statement.target_table, snapshot_id)) {
        throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", statement.target_schema,
                        statement.target_table);
      }
      ValidateObjectName("table", statement.target_table);
      target = engine_.DescribeQuery(statement.query_sql, resolver);
      ValidateColumns(target);
      AssignColumnIds(target);
      write.create_columns = target;
      key = NewDataFileKey(lake_.NewTableKeyPrefix(statement.target_schema, statement.target_table));
    }
    auto file = engine_.WriteQuery(statement.query_sql, resolver, target, statement.insert_columns, key,
                                   request.options.timeout_ms);
    write.files.push_back({file.key, file.record_count, file.file_size_bytes, file.footer_size, file.stats});
    result = CommitOrDiscard(write, request.commit);
  }
  SendWriteResult(result, request.options, sink);
}

CommitResult TableService::Ingest(const IngestRequest &request) {
  int64_t snapshot_id = lake_.LatestSnapshot();
  lake_.GetNamespace(request.namespace_name, snapshot_id);
  TableWrite write;
  write.namespace_name = request.namespace_name;
  write.table_name = request.table_name;
  write.mode = request.mode;
  // Described from the sample when the upload is a stream, which can be read only once.
  auto described = engine_.DescribeUpload(request.sample_path.empty() ? request.upload_path : request.sample_path,
                                          request.format);
  std::vector<ColumnDef> target;
  std::string key;
  if (auto table = lake_.FindTable(request.namespace_name, request.table_name, snapshot_id)) {
    target = table->columns;
    write.expected_table_id = table->id;
    key = NewDataFileKey(table->key_prefix);
  } else {
    ValidateObjectName("table", request.table_name);
    target = described;
    ValidateColumns(target);
    AssignColumnIds(target);
    write.create_columns = target;
    key = NewDataFileKey(lake_.NewTableKeyPrefix(request.namespace_name, request.table_name));
  }
  auto file = engine_.WriteUpload(request.upload_path, request.format, target, key, described);
  write.files.push_back({file.key, file.record_count, file.file_size_bytes, file.footer_size, file.stats});
  return CommitOrDiscard(write, request.commit);
}

void TableService::Preview(const std::string &namespace_name, const std::string &table_name, int64_t limit,
                           const ByteSink &sink) {
  int64_t snapshot_id = lake_.LatestSnapshot();
  auto table = lake_.GetTable(namespace_name, table_name, snapshot_id);
  SnapshotResolver resolver(lake_, scans_, snapshot_id);
  QueryOptions options;
  options.limit = limit;
  // Names come from the catalog and were validated on creation; quoting keeps them literal.
  engine_.Query(fmt::format("SELECT * FROM \"{}\".\"{}\"", table.namespace_name, table.name), resolver, options,
                sink);
}

}  // namespace ducklake
