#include "lake/table_service.hpp"

#include "common/error.hpp"
#include "lake/names.hpp"
#include "lake/written_files.hpp"

namespace ducklake {
namespace {

// Exposes the lake's tables as of one snapshot to the engine, through the scan cache.
class SnapshotResolver : public TableResolver {
 public:
  SnapshotResolver(Lake &lake, ScanCache &cache, int64_t snapshot_id)
      : lake_(lake), cache_(cache), snapshot_id_(snapshot_id) {}

  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                   const std::optional<TableVersion> &at) override {
    return ResolveCommitted(lake_, cache_, snapshot_id_, schema, table, at);
  }

 private:
  Lake &lake_;
  ScanCache &cache_;
  int64_t snapshot_id_;
};

// Tables made up for one internal query: "__changes"."<name>" -> a given scan.
class FixedResolver : public TableResolver {
 public:
  static constexpr const char *kSchema = "__changes";

  std::string Add(TableScan scan) {
    auto name = "t" + std::to_string(scans_.size());
    scans_.emplace(name, std::move(scan));
    return std::string("\"") + kSchema + "\".\"" + name + "\"";
  }

  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                   const std::optional<TableVersion> &at) override {
    if (at || schema != kSchema) return std::nullopt;
    auto it = scans_.find(table);
    if (it == scans_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, TableScan> scans_;
};

bool IsUpdateFile(const std::string &key, bool delete_file) {
  return FileKeyHasSuffix(key, delete_file ? SqlTransaction::kUpdateDeleteSuffix : SqlTransaction::kUpdateSuffix);
}

bool Visible(int64_t begin_snapshot, const std::optional<int64_t> &end_snapshot, int64_t snapshot_id) {
  return begin_snapshot <= snapshot_id && (!end_snapshot || *end_snapshot > snapshot_id);
}

// A data file as a snapshot saw it. The feed reads files of many snapshots with the columns of one:
// always by field id.
ScanFile ScanFileAt(const DataFileVersions &file, int64_t snapshot_id) {
  ScanFile scan{file.key, file.record_count, {}, "", false};
  for (const auto &deletes : file.deletes) {
    if (Visible(deletes.begin_snapshot, deletes.end_snapshot, snapshot_id)) scan.delete_key = deletes.key;
  }
  return scan;
}

}  // namespace

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
  } catch (const CommitOutcomeUnknown &) {
    throw;  // the snapshot may reference the files
  } catch (...) {
    DiscardFiles(store_, keys);  // no snapshot references them
    throw;
  }
}

std::vector<ColumnDef> TableService::ParseColumns(const std::vector<std::pair<std::string, std::string>> &columns) {
  std::vector<ColumnDef> parsed;
  for (const auto &[name, type] : columns) parsed.push_back(engine_.ParseColumnType(name, type));
  ValidateColumns(parsed);
  return parsed;
}

void TableService::SendWriteResult(const StatementOutcome &outcome, const CommitResult &result,
                                   const QueryOptions &options, const ByteSink &sink) {
  SnapshotResolver no_tables(lake_, scans_, result.snapshot_id);
  QueryOptions result_options = options;
  result_options.limit.reset();
  engine_.Query(fmt::format("SELECT CAST({} AS BIGINT) AS {}, CAST({} AS BIGINT) AS snapshot_id", outcome.count,
                            outcome.count_name, result.snapshot_id),
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
  SqlTransaction transaction(lake_, engine_, store_, scans_);
  auto outcome = transaction.Run(statement, request.options.timeout_ms);
  auto result = transaction.Commit(request.commit);
  SendWriteResult(outcome, result, request.options, sink);
}

TransactionResult TableService::RunTransaction(const TransactionRequest &request) {
  if (request.statements.empty()) throw Error(ErrorKind::kInvalidInput, "\"statements\" is empty");
  SqlTransaction transaction(lake_, engine_, store_, scans_);
  TransactionResult result;
  for (size_t i = 0; i < request.statements.size(); i++) {
    try {
      result.statements.push_back(transaction.Run(engine_.Parse(request.statements[i]), request.timeout_ms));
    } catch (const Error &error) {
      throw Error(error.kind(), fmt::format("statement {}: {}", i + 1, error.what()));
    }
  }
  result.commit = transaction.Commit(request.commit);
  return result;
}

void TableService::Changes(const ChangesRequest &request, const ByteSink &sink) {
  int64_t to = request.to_snapshot ? request.to_snapshot.value() : lake_.LatestSnapshot();
  if (request.to_snapshot) lake_.GetSnapshot(to);
  // Without `from`, from the oldest snapshot kept: changes before it cannot be told any more.
  int64_t from = request.from_snapshot.value_or(-1);
  if (!request.from_snapshot) from = std::max<int64_t>(from, lake_.OldestSnapshot());
  if (request.from_snapshot && from >= 0) lake_.GetSnapshot(from);
  if (from > to) throw Error(ErrorKind::kInvalidInput, "'from' must not be after 'to'");
  auto table = lake_.GetTable(request.namespace_name, request.table_name, to);
  auto history = lake_.TableHistory(table.id, from, to);
  auto files = lake_.TableFileHistory(table.id);
  std::reverse(history.begin(), history.end());
  FixedResolver resolver;
  std::string select_list;
  for (const auto &column : table.columns) select_list += ", t." + QuoteIdentifier(column.name);
  auto part = [&](int64_t snapshot_id, const char *change_type, const std::string &from_clause) {
    return fmt::format("SELECT CAST({} AS BIGINT) AS snapshot_id, CAST('{}' AS VARCHAR) AS change_type{} FROM {}",
                       snapshot_id, change_type, select_list, from_clause);
  };
  std::vector<std::string> parts;
  size_t counted = 0;
  for (const auto &entry : history) {
    const auto &operation = entry.operation;
    if (operation == "compact" || operation == "alter" || operation == "rename") continue;
    if (++counted > kMaxChangeSnapshots) {
      throw MakeError(ErrorKind::kInvalidInput, "the range spans more than {} changes; narrow 'from' and 'to'",
                      kMaxChangeSnapshots);
    }
    auto snapshot_id = entry.snapshot.id;
    // Index 0: plain inserts and deletes; 1: what an UPDATE wrote (see SqlTransaction::kUpdateSuffix).
    TableScan inserted[2], old_side[2], new_side[2];
    for (int kind = 0; kind < 2; kind++) {
      inserted[kind] = {table.columns, {}, false};
      old_side[kind] = new_side[kind] = {table.columns, {}, true};
    }
    for (const auto &file : files) {
      bool before = Visible(file.begin_snapshot, file.end_snapshot, snapshot_id - 1);
      bool after = Visible(file.begin_snapshot, file.end_snapshot, snapshot_id);
      if (after && file.begin_snapshot == snapshot_id) {
        inserted[IsUpdateFile(file.key, false)].files.push_back(ScanFileAt(file, snapshot_id));
      }
      if (!before) continue;
      auto old_file = ScanFileAt(file, snapshot_id - 1);
      if (!after) {
        old_side[0].files.push_back(std::move(old_file));  // the whole file went (overwrite, drop)
        continue;
      }
      auto new_file = ScanFileAt(file, snapshot_id);
      if (new_file.delete_key == old_file.delete_key) continue;
      int kind = IsUpdateFile(new_file.delete_key, true);
      old_side[kind].files.push_back(std::move(old_file));
      new_side[kind].files.push_back(std::move(new_file));
    }
    for (int kind = 0; kind < 2; kind++) {
      if (!inserted[kind].files.empty()) {
        parts.push_back(part(snapshot_id, kind ? "update_postimage" : "insert", resolver.Add(inserted[kind]) + " AS t"));
      }
      if (!old_side[kind].files.empty()) {
        // Rows of the touched files that were there before and are not any more, by position.
        parts.push_back(part(snapshot_id, kind ? "update_preimage" : "delete",
                             fmt::format("{0} AS t ANTI JOIN {1} AS n ON t.{2} = n.{2} AND t.{3} = n.{3}",
                                         resolver.Add(old_side[kind]), resolver.Add(new_side[kind]),
                                         QuoteIdentifier(Engine::kFileColumn), QuoteIdentifier(Engine::kPositionColumn))));
      }
    }
  }
  std::string sql;
  if (parts.empty()) {
    sql = part(0, "insert", resolver.Add(TableScan{table.columns, {}, false}) + " AS t") + " LIMIT 0";
  } else {
    for (const auto &p : parts) sql += (sql.empty() ? "" : " UNION ALL ") + p;
    // Per snapshot, rows that went before rows that came.
    sql = "SELECT * FROM (" + sql + ") ORDER BY snapshot_id, change_type IN ('insert', 'update_postimage')";
  }
  engine_.Query(sql, resolver, request.options, sink);
}

CommitResult TableService::Ingest(const IngestRequest &request) {
  int64_t snapshot_id = lake_.LatestSnapshot();
  lake_.GetNamespace(request.namespace_name, snapshot_id);
  TableWrite write;
  write.namespace_name = request.namespace_name;
  write.table_name = request.table_name;
  write.mode = request.mode;
  write.base_snapshot = snapshot_id;
  // Described from the sample when the upload is a stream, which can be read only once.
  auto described = engine_.DescribeUpload(request.sample_path.empty() ? request.upload_path : request.sample_path,
                                          request.format);
  std::vector<ColumnDef> target;
  std::string key;
  if (auto table = lake_.FindTable(request.namespace_name, request.table_name, snapshot_id)) {
    target = table->columns;
    write.expected_table_id = table->id;
    key = NewFileKey(table->key_prefix);
  } else {
    ValidateObjectName("table", request.table_name);
    target = described;
    ValidateColumns(target);
    AssignColumnIds(target);
    write.create_columns = target;
    key = NewFileKey(lake_.NewTableKeyPrefix(request.namespace_name, request.table_name));
  }
  auto file = engine_.WriteUpload(request.upload_path, request.format, target, key, described);
  write.files.push_back(ToNewDataFile(file));
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
