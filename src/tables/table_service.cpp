#include "tables/table_service.hpp"

#include <set>

#include "common/error.hpp"
#include "catalog/names.hpp"
#include "tables/written_files.hpp"

namespace ducklake {
namespace {

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

// A data file as a snapshot saw it. The feed reads files of many snapshots with the columns of
// one: by field id, unless the file was written with those very columns (`current`: such files,
// as the catalog knows them at that one snapshot), which reads far faster (DuckDB filters a file
// read by name on the positions it is joined with, and reads a mapped file whole).
ScanFile ScanFileAt(const DataFileVersions &file, int64_t snapshot_id, const std::set<std::string> &current) {
  ScanFile scan{file.key, file.record_count, {}, "", current.count(file.key) > 0, file.row_id_start};
  for (const auto &deletes : file.deletes) {
    if (Visible(deletes.begin_snapshot, deletes.end_snapshot, snapshot_id)) scan.delete_key = deletes.key;
  }
  if (file.partial_max && *file.partial_max > snapshot_id) scan.max_row_snapshot = snapshot_id;
  return scan;
}

// The rows of `file` that `snapshot_id` inserted, if it inserted any: the whole file where it begins,
// or (a flush's file) the rows that carry the snapshot.
std::optional<ScanFile> InsertedAt(const DataFileVersions &file, int64_t snapshot_id,
                                   const std::set<std::string> &current) {
  if (!Visible(file.begin_snapshot, file.end_snapshot, snapshot_id)) return std::nullopt;
  if (file.partial_max) {
    if (snapshot_id > *file.partial_max) return std::nullopt;
    auto scan = ScanFileAt(file, snapshot_id, current);
    scan.min_row_snapshot = scan.max_row_snapshot = snapshot_id;
    return scan;
  }
  if (file.begin_snapshot != snapshot_id) return std::nullopt;
  return ScanFileAt(file, snapshot_id, current);
}

// What one snapshot did to a table's data files and rows kept in the catalog: what both change feeds
// read, each in its own words.
struct SnapshotChanges {
  std::vector<ScanFile> inserted;  // the rows it inserted into files (whole files, or a flush's rows of it)
  std::vector<ScanFile> gone;      // files that stopped counting whole, as before it (their rows left)
  // Files whose delete file it replaced, as before it and after it: their rows deleted are the
  // difference.
  std::vector<std::pair<ScanFile, ScanFile>> redeleted;
  std::vector<ScanRow> kept_in, kept_out;  // rows kept in the catalog it inserted, and ended
};

SnapshotChanges ChangesAt(int64_t snapshot_id, const std::vector<DataFileVersions> &files,
                          const std::vector<StoredRow> &rows, const std::set<std::string> &current) {
  SnapshotChanges changes;
  for (const auto &file : files) {
    bool before = Visible(file.begin_snapshot, file.end_snapshot, snapshot_id - 1);
    bool after = Visible(file.begin_snapshot, file.end_snapshot, snapshot_id);
    if (auto added = InsertedAt(file, snapshot_id, current)) changes.inserted.push_back(std::move(*added));
    if (!before) continue;
    auto old_file = ScanFileAt(file, snapshot_id - 1, current);
    if (!after) {
      changes.gone.push_back(std::move(old_file));
      continue;
    }
    auto new_file = ScanFileAt(file, snapshot_id, current);
    if (new_file.delete_key != old_file.delete_key) changes.redeleted.emplace_back(std::move(old_file), std::move(new_file));
  }
  for (const auto &row : rows) {
    if (row.begin_snapshot == snapshot_id) changes.kept_in.push_back(ToScanRow(row));
    if (row.end_snapshot == snapshot_id) changes.kept_out.push_back(ToScanRow(row));
  }
  return changes;
}

// ducklake_table_changes() of `table` (as of `end`) over snapshots start..end: see
// TableResolver::TableChanges. Its scans are added to `scans`.
std::string ExtensionChangesSql(TableFormat &format, FixedResolver &scans, const TableInfo &table, int64_t start,
                                int64_t end) {
  auto history = format.history.TableHistory(table.id, start - 1, end);
  auto files = format.history.TableFileHistory(table.id);
  auto rows = format.history.TableRowHistory(table.id, start - 1, end, table.columns);
  std::string columns;
  for (const auto &column : table.columns) columns += ", t." + QuoteIdentifier(column.name);
  const auto row_id = QuoteIdentifier(QueryRunner::kRowIdColumn);
  const auto file = QuoteIdentifier(QueryRunner::kFileColumn);
  const auto position = QuoteIdentifier(QueryRunner::kPositionColumn);
  auto part = [&](int64_t snapshot_id, const char *change, const std::string &from) {
    return fmt::format("SELECT CAST({} AS BIGINT) AS snapshot_id, t.{} AS rowid, CAST('{}' AS VARCHAR) AS change_type{} "
                       "FROM {}",
                       snapshot_id, row_id, change, columns, from);
  };
  auto scan = [&](bool only_deleted) { return TableScan{table.columns, {}, true, only_deleted, true}; };
  std::vector<std::string> parts;
  size_t counted = 0;
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->operation == "alter" || it->operation == "rename" || it->operation == "flush") continue;
    if (++counted > TableService::kMaxChangeSnapshots) {
      throw MakeError(ErrorKind::kInvalidInput, "the range spans more than {} changes; narrow it",
                      TableService::kMaxChangeSnapshots);
    }
    auto snapshot_id = it->snapshot.id;
    auto changes = ChangesAt(snapshot_id, files, rows, {});
    TableScan inserted = scan(false), gone = scan(false), deleted_now = scan(true), deleted_before = scan(true);
    TableScan inlined_in = scan(false), inlined_out = scan(false);
    inlined_in.rows = std::move(changes.kept_in);
    inlined_out.rows = std::move(changes.kept_out);
    inserted.files = std::move(changes.inserted);
    gone.files = std::move(changes.gone);
    for (auto &[old_file, new_file] : changes.redeleted) {
      deleted_before.files.push_back(std::move(old_file));
      deleted_now.files.push_back(std::move(new_file));
    }
    if (!inlined_in.rows.empty()) parts.push_back(part(snapshot_id, "insert", scans.Add(inlined_in) + " AS t"));
    if (!inlined_out.rows.empty()) parts.push_back(part(snapshot_id, "delete", scans.Add(inlined_out) + " AS t"));
    if (!inserted.files.empty()) parts.push_back(part(snapshot_id, "insert", scans.Add(inserted) + " AS t"));
    if (!gone.files.empty()) parts.push_back(part(snapshot_id, "delete", scans.Add(gone) + " AS t"));
    if (!deleted_now.files.empty()) {
      parts.push_back(part(snapshot_id, "delete",
                           fmt::format("{0} AS t ANTI JOIN {1} AS n ON t.{2} = n.{2} AND t.{3} = n.{3}",
                                       scans.Add(deleted_now), scans.Add(deleted_before), file, position)));
    }
  }
  if (parts.empty()) return part(0, "insert", scans.Add(scan(false)) + " AS t") + " LIMIT 0";
  std::string all;
  for (const auto &p : parts) all += (all.empty() ? "" : " UNION ALL ") + p;
  std::string names;
  for (const auto &column : table.columns) names += ", " + QuoteIdentifier(column.name);
  // A row id both deleted and inserted by one snapshot: the row was updated.
  return fmt::format(
      "SELECT snapshot_id, rowid, CASE WHEN count(*) OVER (PARTITION BY snapshot_id, rowid) > 1 THEN "
      "CASE change_type WHEN 'insert' THEN 'update_postimage' ELSE 'update_preimage' END ELSE change_type END "
      "AS change_type{} FROM ({})",
      names, all);
}

// Exposes the lake's tables as of one snapshot to the engine, through the scan cache.
class SnapshotResolver : public TableResolver {
 public:
  SnapshotResolver(TableFormat &format, ScanCache &cache, int64_t snapshot_id, const Access *access = nullptr)
      : format_(format), cache_(cache), snapshot_id_(snapshot_id), access_(access) {}

  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                   const std::optional<TableVersion> &at) override {
    // The scans of ducklake_table_changes() calls (authorised when they were made).
    if (schema == FixedResolver::kSchema) return changes_.Resolve(schema, table, at);
    // Every lake table a query names is resolved here, wherever it stands in the statement.
    RequireNamespace(access_, schema, Role::kReader);
    return ResolveCommitted(format_, cache_, snapshot_id_, schema, table, at);
  }

  VisibleCatalog Catalog() override { return ReadableCatalog(format_, snapshot_id_, access_); }
  std::vector<LakeSnapshot> Snapshots() override { return SnapshotsUpTo(format_, snapshot_id_); }

  std::optional<std::string> TableChanges(const std::string &schema, const std::string &table, int64_t start,
                                          int64_t end) override {
    RequireNamespace(access_, schema, Role::kReader);
    if (end > snapshot_id_) throw MakeError(ErrorKind::kInvalidInput, "snapshot {} is after the one read ({})", end, snapshot_id_);
    if (start > end) throw Error(ErrorKind::kInvalidInput, "the start snapshot must not be after the end snapshot");
    format_.history.GetSnapshot(end);  // kNotFound for an unknown or expired one
    return ExtensionChangesSql(format_, changes_, format_.catalog.GetTable(schema, table, end), start, end);
  }

 private:
  TableFormat &format_;
  ScanCache &cache_;
  int64_t snapshot_id_;
  const Access *access_;
  FixedResolver changes_;
};


}  // namespace

CommitResult TableService::CommitOrDiscard(const TableWrite &write, const CommitInfo &commit) {
  bool nothing_to_add = write.mode == WriteMode::kAppend && !write.create_columns;
  for (const auto &file : write.files) nothing_to_add = nothing_to_add && file.record_count == 0;
  std::vector<std::string> keys;
  for (const auto &file : write.files) keys.push_back(file.key);
  if (nothing_to_add) {
    // An empty append changes nothing: no snapshot, no file.
    store_.DeleteMany(keys);
    return CommitResult{format_.history.LatestSnapshot(), 0, false};
  }
  try {
    return format_.commits.CommitWrite(write, commit);
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

Statement TableService::Parse(const std::string &sql) { return engine_.Parse(sql); }

int64_t TableService::PinSnapshot(SqlRequest &request) {
  if (!request.snapshot_pinned) {
    request.snapshot_id = ReadSnapshot(request.snapshot_id);
    request.snapshot_pinned = true;
  }
  return *request.snapshot_id;
}

int64_t TableService::ReadSnapshot(const std::optional<int64_t> &requested) {
  if (!requested) return format_.history.LatestSnapshot();
  format_.history.GetSnapshot(*requested);  // 404 for an unknown snapshot
  return *requested;
}

std::optional<int64_t> TableService::RunSql(const SqlRequest &request, const ByteSink &sink) {
  auto statement = request.statement ? *request.statement : engine_.Parse(request.sql);
  if (statement.kind == StatementKind::kQuery) {
    int64_t snapshot_id = request.snapshot_pinned ? *request.snapshot_id : ReadSnapshot(request.snapshot_id);
    SnapshotResolver resolver(format_, scans_, snapshot_id, request.access);
    return engine_.Query(statement.query, resolver, request.options, sink);
  }
  if (request.snapshot_id) throw Error(ErrorKind::kInvalidInput, "writes cannot target an old snapshot");
  SqlTransaction transaction(format_, engine_, engine_, store_, scans_, request.access, inline_row_limit_);
  auto run = NewJobRun("", "QUERY", request.commit, request.job_name);
  run.sql = request.sql;
  if (lineage_) {
    transaction.DescribeLineage(statement, run);  // its first output is the statement's table
    if (!request.job_name) run.job_name = JobNameOf(statement, run.outputs.at(0).name);
  }
  StatementOutcome outcome;
  auto result = RunWithLineage(lineage_, store_, run, request.commit, [&](const CommitInfo &commit) {
    outcome = transaction.Run(statement, request.options.timeout_ms);
    return transaction.Commit(commit);
  });
  ReportKeptRows(transaction);
  engine_.SendCounts({{outcome.count_name, outcome.count}, {"snapshot_id", result.snapshot_id}}, request.options, sink);
  return std::nullopt;
}

void TableService::ReportKeptRows(const SqlTransaction &transaction) {
  if (!rows_kept_) return;
  for (const auto &[table, rows] : transaction.KeptRows()) rows_kept_(table.first, table.second, rows);
}

TransactionResult TableService::RunTransaction(const TransactionRequest &request) {
  if (request.statements.empty()) throw Error(ErrorKind::kInvalidInput, "\"statements\" is empty");
  auto numbered = [](size_t i, const Error &error) {
    return Error(error.kind(), fmt::format("statement {}: {}", i + 1, error.what()));
  };
  bool parsed = request.parsed.size() == request.statements.size();
  std::vector<Statement> statements = parsed ? request.parsed : std::vector<Statement>{};
  std::string sql;
  for (size_t i = 0; i < request.statements.size(); i++) {
    if (!parsed) {
      try {
        statements.push_back(engine_.Parse(request.statements[i]));
      } catch (const Error &error) {
        throw numbered(i, error);
      }
    }
    sql += (sql.empty() ? "" : ";\n") + request.statements[i];
  }
  SqlTransaction transaction(format_, engine_, engine_, store_, scans_, request.access, inline_row_limit_);
  const auto &first = statements.front();
  auto first_table = format_.catalog.FindTable(first.target_schema, first.target_table, format_.history.LatestSnapshot());
  auto run = NewJobRun("transaction." + (first_table ? first_table->namespace_name + "." + first_table->name
                                                     : first.target_schema + "." + first.target_table),
                       "QUERY", request.commit, request.job_name);
  run.sql = sql;
  TransactionResult result;
  result.commit = RunWithLineage(lineage_, store_, run, request.commit, [&](const CommitInfo &commit) {
    for (size_t i = 0; i < statements.size(); i++) {
      try {
        if (lineage_) transaction.DescribeLineage(statements[i], run);
        result.statements.push_back(transaction.Run(statements[i], request.timeout_ms));
      } catch (const Error &error) {
        throw numbered(i, error);
      }
    }
    return transaction.Commit(commit);
  });
  ReportKeptRows(transaction);
  return result;
}

CommitResult TableService::CreateNamespace(const std::string &name, const CommitInfo &commit) {
  return format_.commits.CreateNamespace(name, commit);
}

CommitResult TableService::DropNamespace(const std::string &name, const CommitInfo &commit) {
  auto result = format_.commits.DropNamespace(name, commit);
  if (on_namespace_dropped_) on_namespace_dropped_(name);
  return result;
}

CommitResult TableService::UpdateTableMetadata(const std::string &namespace_name, const std::string &table_name,
                                               const TableMetadataChange &change, const CommitInfo &commit) {
  return format_.commits.UpdateTableMetadata(namespace_name, table_name, change, commit);
}

void TableService::RequireNamespace(const std::string &name) {
  format_.catalog.GetNamespace(name, format_.history.LatestSnapshot());
}

CommitResult TableService::CreateTable(const std::string &namespace_name, const std::string &table_name,
                                       std::vector<ColumnDef> columns, const CommitInfo &commit) {
  auto run = NewJobRun("create_table." + namespace_name + "." + table_name, "DDL", commit);
  run.outputs.push_back(TableDataset(format_.catalog.GetNamespace(namespace_name, format_.history.LatestSnapshot()).name, table_name));
  return RunWithLineage(lineage_, store_, run, commit, [&](const CommitInfo &with_lineage) {
    return format_.commits.CreateTable(namespace_name, table_name, columns, with_lineage);
  });
}

CommitResult TableService::RenameTable(const std::string &namespace_name, const std::string &table_name,
                                       const std::string &new_name, const CommitInfo &commit) {
  auto table = format_.catalog.GetTable(namespace_name, table_name, format_.history.LatestSnapshot());
  auto run = NewJobRun("alter." + table.namespace_name + "." + table.name, "DDL", commit);
  run.outputs.push_back(TableDataset(table.namespace_name, table.name));
  return RunWithLineage(lineage_, store_, run, commit, [&](const CommitInfo &with_lineage) {
    return format_.commits.RenameTable(namespace_name, table_name, new_name, with_lineage);
  });
}

CommitResult TableService::DropTable(const std::string &namespace_name, const std::string &table_name,
                                     const CommitInfo &commit) {
  auto table = format_.catalog.GetTable(namespace_name, table_name, format_.history.LatestSnapshot());
  auto run = NewJobRun("drop." + table.namespace_name + "." + table.name, "DDL", commit);
  run.outputs.push_back(TableDataset(table.namespace_name, table.name));
  return RunWithLineage(lineage_, store_, run, commit, [&](const CommitInfo &with_lineage) {
    return format_.commits.DropTable(namespace_name, table_name, with_lineage);
  });
}

void TableService::DescribeQueryLineage(const SqlQuery &query, int64_t snapshot_id, JobRun &run,
                                        const Access *access) {
  SnapshotResolver resolver(format_, scans_, snapshot_id, access);
  auto lineage = engine_.Lineage(query, resolver);
  AddQueryLineage(
      run, 0, lineage, lineage.column_names,
      [&](const TableReference &reference) -> std::pair<std::string, std::string> {
        if (auto info = format_.catalog.FindTable(reference.schema, reference.table, snapshot_id)) {
          return {info->namespace_name, info->name};
        }
        return {reference.schema, reference.table};
      },
      [&](const TableReference &reference) -> std::optional<int64_t> {
        if (reference.at && reference.at->snapshot_id) return *reference.at->snapshot_id;
        return snapshot_id;
      });
}

void TableService::Changes(const ChangesRequest &request, const ByteSink &sink) {
  int64_t to = request.to_snapshot ? request.to_snapshot.value() : format_.history.LatestSnapshot();
  if (request.to_snapshot) format_.history.GetSnapshot(to);
  // Without `from`, from the oldest snapshot kept: changes before it cannot be told any more.
  int64_t from = request.from_snapshot.value_or(-1);
  if (!request.from_snapshot) from = std::max<int64_t>(from, format_.history.OldestSnapshot());
  if (request.from_snapshot && from >= 0) format_.history.GetSnapshot(from);
  if (from > to) throw Error(ErrorKind::kInvalidInput, "'from' must not be after 'to'");
  auto table = format_.catalog.GetTable(request.namespace_name, request.table_name, to);
  auto history = format_.history.TableHistory(table.id, from, to);
  auto files = format_.history.TableFileHistory(table.id);
  auto rows = format_.history.TableRowHistory(table.id, from, to, table.columns);
  std::set<std::string> current;
  for (const auto &file : format_.catalog.TableFiles(table.id, to)) {
    if (file.has_current_columns) current.insert(file.key);
  }
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
    if (operation == "compact" || operation == "alter" || operation == "rename" || operation == "flush") continue;
    if (++counted > kMaxChangeSnapshots) {
      throw MakeError(ErrorKind::kInvalidInput, "the range spans more than {} changes; narrow 'from' and 'to'",
                      kMaxChangeSnapshots);
    }
    auto snapshot_id = entry.snapshot.id;
    // Index 0: plain inserts and deletes; 1: what an UPDATE wrote (see SqlTransaction::kUpdateSuffix).
    // A file's deleted rows are those its new delete file names and its old one did not. For a file
    // read by name, both sides are read as just the rows they name, so the cost goes with the
    // deletes; a file read by field id (written before a schema change) is read whole on both sides
    // (new_side: what is left), as DuckDB does not narrow such a read to the positions it is
    // joined with.
    TableScan inserted[2], deleted_now[2], deleted_before[2], old_side[2], new_side[2],
        gone{table.columns, {}, false};
    for (int kind = 0; kind < 2; kind++) {
      inserted[kind] = {table.columns, {}, false};
      deleted_now[kind] = deleted_before[kind] = {table.columns, {}, true, true};
      old_side[kind] = new_side[kind] = {table.columns, {}, true};
    }
    auto changes = ChangesAt(snapshot_id, files, rows, current);
    for (auto &file : changes.inserted) {
      int kind = IsUpdateFile(file.key, false);
      inserted[kind].files.push_back(std::move(file));
    }
    gone.files = std::move(changes.gone);  // whole files went (overwrite, drop): their rows left
    for (auto &[old_file, new_file] : changes.redeleted) {
      int kind = IsUpdateFile(new_file.delete_key, true);
      bool by_name = new_file.has_current_columns;
      (by_name ? deleted_before : old_side)[kind].files.push_back(std::move(old_file));
      (by_name ? deleted_now : new_side)[kind].files.push_back(std::move(new_file));
    }
    TableScan kept_in{table.columns, {}, false}, kept_out{table.columns, {}, false};  // rows kept in the catalog
    kept_in.rows = std::move(changes.kept_in);
    kept_out.rows = std::move(changes.kept_out);
    // Rows on the first side and not on the second, by file and position.
    auto difference = [&](TableScan first, TableScan second, bool with_row_ids) {
      first.with_row_ids = second.with_row_ids = with_row_ids;
      return fmt::format("{0} AS t ANTI JOIN {1} AS n ON t.{2} = n.{2} AND t.{3} = n.{3}", resolver.Add(first),
                         resolver.Add(second), QuoteIdentifier(QueryRunner::kFileColumn),
                         QuoteIdentifier(QueryRunner::kPositionColumn));
    };
    if (operation != "update") {
      if (!gone.files.empty()) parts.push_back(part(snapshot_id, "delete", resolver.Add(gone) + " AS t"));
      if (!kept_out.rows.empty()) parts.push_back(part(snapshot_id, "delete", resolver.Add(kept_out) + " AS t"));
      if (!kept_in.rows.empty()) parts.push_back(part(snapshot_id, "insert", resolver.Add(kept_in) + " AS t"));
      for (int kind = 0; kind < 2; kind++) {
        if (!inserted[kind].files.empty()) parts.push_back(part(snapshot_id, "insert", resolver.Add(inserted[kind]) + " AS t"));
        if (!deleted_now[kind].files.empty()) {
          parts.push_back(part(snapshot_id, "delete", difference(deleted_now[kind], deleted_before[kind], false)));
        }
        if (!old_side[kind].files.empty()) {
          parts.push_back(part(snapshot_id, "delete", difference(old_side[kind], new_side[kind], false)));
        }
      }
      continue;
    }
    // An UPDATE: a row id that went and came here was updated, wherever its two images are (files,
    // the catalog, a flush's file); so was every row of an update's own files (before row ids were
    // kept, their new rows had new ones).
    std::vector<std::string> sides;
    auto side = [&](bool came, bool update_file, const std::string &from) {
      sides.push_back(fmt::format("SELECT t.{} AS rowid, {} AS came, {} AS update_file{} FROM {}",
                                  QuoteIdentifier(QueryRunner::kRowIdColumn), came, update_file, select_list, from));
    };
    auto with_row_ids = [](TableScan scan) {
      scan.with_positions = scan.with_row_ids = true;
      return scan;
    };
    if (!gone.files.empty()) side(false, false, resolver.Add(with_row_ids(gone)) + " AS t");
    if (!kept_out.rows.empty()) side(false, false, resolver.Add(with_row_ids(kept_out)) + " AS t");
    if (!kept_in.rows.empty()) side(true, false, resolver.Add(with_row_ids(kept_in)) + " AS t");
    for (int kind = 0; kind < 2; kind++) {
      if (!inserted[kind].files.empty()) side(true, kind == 1, resolver.Add(with_row_ids(inserted[kind])) + " AS t");
      if (!deleted_now[kind].files.empty()) side(false, kind == 1, difference(deleted_now[kind], deleted_before[kind], true));
      if (!old_side[kind].files.empty()) side(false, kind == 1, difference(old_side[kind], new_side[kind], true));
    }
    std::string all;
    for (const auto &one : sides) all += (all.empty() ? "" : " UNION ALL ") + one;
    std::string names;
    for (const auto &column : table.columns) names += ", " + QuoteIdentifier(column.name);
    parts.push_back(fmt::format(
        "SELECT CAST({} AS BIGINT) AS snapshot_id, CAST(CASE WHEN update_file OR (rowid IS NOT NULL AND count(*) OVER "
        "(PARTITION BY rowid) > 1) THEN CASE WHEN came THEN 'update_postimage' ELSE 'update_preimage' END WHEN came "
        "THEN 'insert' ELSE 'delete' END AS VARCHAR) AS change_type{} FROM ({}) AS t",
        snapshot_id, names, all));
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

IngestPlan TableService::PlanIngest(const IngestRequest &request) {
  int64_t snapshot_id = format_.history.LatestSnapshot();
  format_.catalog.GetNamespace(request.namespace_name, snapshot_id);
  IngestPlan plan;
  plan.table = format_.catalog.FindTable(request.namespace_name, request.table_name, snapshot_id);
  if (!plan.table) ValidateObjectName("table", request.table_name);
  if (plan.table && request.create_only) {
    throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", plan.table->namespace_name, plan.table->name);
  }
  plan.upload = engine_.DescribeUpload(request.upload_path, request.format, request.read_options);
  if (plan.table) {
    plan.columns = plan.table->columns;
    // A file without a header names its columns column0, column1, ...: its columns are the table's
    // in order, as in DuckDB's COPY ... FROM.
    plan.by_position = plan.upload.dialect && !plan.upload.dialect->header && request.read_options.columns.empty();
    if (plan.by_position && plan.upload.columns.size() > plan.columns.size()) {
      throw MakeError(ErrorKind::kInvalidInput, "the upload has {} columns, the table only {}",
                      plan.upload.columns.size(), plan.columns.size());
    }
    if (!plan.by_position) {
      for (const auto &column : plan.upload.columns) {
        bool found = false;
        for (const auto &table_column : plan.columns) found = found || LowerName(table_column.name) == LowerName(column.name);
        if (!found) {
          throw MakeError(ErrorKind::kInvalidInput, "the table has no column '{}' (found in the upload)", column.name);
        }
      }
    }
  } else {
    plan.columns = plan.upload.columns;
    ValidateColumns(plan.columns);
  }
  return plan;
}

CommitResult TableService::Ingest(const IngestRequest &request) {
  int64_t snapshot_id = format_.history.LatestSnapshot();
  auto namespace_info = format_.catalog.GetNamespace(request.namespace_name, snapshot_id);
  TableWrite write;
  write.namespace_name = request.namespace_name;
  write.table_name = request.table_name;
  write.mode = request.mode;
  write.base_snapshot = snapshot_id;
  auto existing = format_.catalog.FindTable(request.namespace_name, request.table_name, snapshot_id);
  if (!existing) ValidateObjectName("table", request.table_name);
  if (existing && request.create_only) {
    throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", existing->namespace_name, existing->name);
  }
  std::string table_name = existing ? existing->name : request.table_name;
  auto run = NewJobRun("ingest." + namespace_info.name + "." + table_name, "INGEST", request.commit, request.job_name);
  run.outputs.push_back(TableDataset(namespace_info.name, table_name));
  if (request.source) run.inputs.push_back(*request.source);
  // From here on every failure, an unreadable upload included, is the job's FAIL.
  return RunWithLineage(lineage_, store_, run, request.commit, [&](const CommitInfo &commit) {
    auto plan = PlanIngest(request);
    std::string key;
    if (plan.table) {
      write.expected_table_id = plan.table->id;
      key = NewFileKey(plan.table->key_prefix);
    } else {
      AssignColumnIds(plan.columns);
      write.create_columns = plan.columns;
      key = NewFileKey(format_.catalog.NewTableKeyPrefix(request.namespace_name, request.table_name));
    }
    if (request.source) {
      // Each column the object has is its table column's origin.
      run.inputs[0].columns = plan.upload.columns;
      for (size_t t = 0; t < plan.columns.size(); t++) {
        const auto &column = plan.columns[t];
        for (size_t u = 0; u < plan.upload.columns.size(); u++) {
          const auto &found = plan.upload.columns[u];
          if (plan.by_position ? u == t : LowerName(found.name) == LowerName(column.name)) {
            run.outputs[0].column_lineage[column.name].push_back({0, found.name, "DIRECT", "IDENTITY", false});
          }
        }
      }
    }
    auto file = engine_.WriteUpload(request.upload_path, request.format, request.read_options, plan.columns, key,
                                    plan.upload, plan.by_position, request.abandoned);
    if (file.record_count > 0) {
      write.files.push_back(ToNewDataFile(file));
    } else {
      DiscardFiles(store_, {file.key});  // a file of no rows (a header-only CSV) adds nothing
    }
    return CommitOrDiscard(write, commit);
  });
}

void TableService::Preview(const std::string &namespace_name, const std::string &table_name, int64_t limit,
                           const ByteSink &sink) {
  int64_t snapshot_id = format_.history.LatestSnapshot();
  auto table = format_.catalog.GetTable(namespace_name, table_name, snapshot_id);
  SnapshotResolver resolver(format_, scans_, snapshot_id);
  QueryOptions options;
  options.limit = limit;
  // Names come from the catalog and were validated on creation; quoting keeps them literal.
  engine_.Query(fmt::format("SELECT * FROM \"{}\".\"{}\"", table.namespace_name, table.name), resolver, options,
                sink);
}

}  // namespace ducklake
