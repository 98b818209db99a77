#include "tables/sql_transaction.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "common/error.hpp"
#include "catalog/inlined_data.hpp"
#include "catalog/names.hpp"
#include "tables/scan_cache.hpp"
#include "tables/job_lineage.hpp"
#include "tables/written_files.hpp"

namespace ducklake {
namespace {

// WriteDeletes reads one row per data file with matches; a statement touching more files than this
// fails rather than holding them all in memory.
constexpr size_t kMaxMatchedFiles = 100000;

int IntegerRank(const std::string &type, bool &is_unsigned) {
  static const std::vector<std::string> signed_types = {"int8", "int16", "int32", "int64", "int128"};
  static const std::vector<std::string> unsigned_types = {"uint8", "uint16", "uint32", "uint64", "uint128"};
  for (size_t i = 0; i < signed_types.size(); i++) {
    if (type == signed_types[i]) {
      is_unsigned = false;
      return static_cast<int>(i);
    }
    if (type == unsigned_types[i]) {
      is_unsigned = true;
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Type changes every old value survives unchanged, so old files need no rewrite.
bool IsWidening(const std::string &from, const std::string &to) {
  if (from == to) return true;
  if (from == "float32" && to == "float64") return true;
  bool from_unsigned = false, to_unsigned = false;
  int from_rank = IntegerRank(from, from_unsigned), to_rank = IntegerRank(to, to_unsigned);
  if (from_rank < 0 || to_rank < 0) return false;
  if (from_unsigned == to_unsigned) return to_rank > from_rank;
  return from_unsigned && to_rank > from_rank;  // uint8 -> int16, never int -> uint
}

// " AS alias" for a DELETE's or UPDATE's target, or nothing when the statement gave it no alias, so
// that its condition may name columns as ns.t.column, as DuckDB lets it.
std::string TargetAlias(const Statement &statement, const std::string &table_name) {
  if (LowerName(statement.target_alias) == LowerName(table_name)) return "";
  return " AS " + QuoteIdentifier(statement.target_alias);
}

ColumnDef *ColumnNamed(std::vector<ColumnDef> &columns, const std::string &name) {
  for (auto &column : columns) {
    if (LowerName(column.name) == LowerName(name)) return &column;
  }
  return nullptr;
}

// A row's values (by `from`) as values by `to`, matched by column id; a column `from` lacks has its
// default (NULL without one), as in a file.
std::vector<std::optional<std::string>> ValuesFor(const std::vector<std::optional<std::string>> &values,
                                                  const std::vector<ColumnDef> &from,
                                                  const std::vector<ColumnDef> &to) {
  std::vector<std::optional<std::string>> mapped(to.size());
  for (size_t t = 0; t < to.size(); t++) {
    mapped[t] = to[t].default_value;
    for (size_t f = 0; f < from.size() && f < values.size(); f++) {
      if (from[f].id == to[t].id) mapped[t] = values[f];
    }
  }
  return mapped;
}

}  // namespace

VisibleCatalog ReadableCatalog(TableFormat &format, int64_t snapshot_id, const Access *access) {
  VisibleCatalog catalog;
  for (const auto &space : format.catalog.ListNamespaces(snapshot_id)) {
    if (access && !access->HasNamespace(space.name, Role::kReader)) continue;
    catalog.schemas.push_back({space.id, space.name});
    for (auto &table : format.catalog.ListTables(space.name, snapshot_id)) {
      catalog.tables.push_back({table.id, table.namespace_name, table.name, std::move(table.columns),
                                std::move(table.comment), std::move(table.tags), std::move(table.column_comments),
                                table.record_count, table.uuid, table.file_count, table.file_size_bytes,
                                table.delete_file_count, table.delete_file_size_bytes});
    }
  }
  return catalog;
}

std::vector<LakeSnapshot> SnapshotsUpTo(TableFormat &format, int64_t snapshot_id) {
  std::vector<LakeSnapshot> snapshots;
  auto listed = format.history.ListSnapshots(std::numeric_limits<int64_t>::max(), snapshot_id + 1);
  for (auto it = listed.rbegin(); it != listed.rend(); ++it) {
    snapshots.push_back({it->id, it->unix_us, it->schema_version, it->changes, it->author, it->message, it->extra_info});
  }
  return snapshots;
}

std::optional<TableScan> ResolveCommitted(TableFormat &format, ScanCache &cache, int64_t snapshot_id, const std::string &schema,
                                          const std::string &table, const std::optional<TableVersion> &at) {
  if (at) {
    if (at->snapshot_id) {
      format.history.GetSnapshot(*at->snapshot_id);  // kNotFound for an unknown one
      snapshot_id = *at->snapshot_id;
    } else {
      snapshot_id = format.history.SnapshotAt(*at->unix_ms);
    }
  }
  return cache.Get(snapshot_id, LowerName(schema) + "." + LowerName(table), [&]() -> std::optional<TableScan> {
    auto info = format.catalog.FindTable(schema, table, snapshot_id);
    if (!info) return std::nullopt;
    TableScan scan;
    scan.columns = info->columns;
    auto contents = format.catalog.Contents(info->id, snapshot_id, info->columns);
    for (auto &file : contents.files) scan.files.push_back(ToScanFile(file));
    for (auto &row : contents.rows) scan.rows.push_back(ToScanRow(std::move(row)));
    return scan;
  });
}

// A table this transaction has touched: its state as the transaction sees it, and the change to commit.
struct SqlTransaction::PendingTable {
  TableChange change;
  std::string schema;
  std::string name;                // current name inside the transaction
  std::vector<ColumnDef> columns;  // current columns inside the transaction
  std::string key_prefix;
  int64_t next_column_id = 1;
  int alterations = 0;                       // ALTER TABLEs run on it in this transaction
  std::map<std::string, int> written_after;  // added file -> alterations before it was written
};

// Lake tables as this transaction sees them; time-travel references see committed snapshots only.
class SqlTransaction::Resolver : public TableResolver {
 public:
  // "__dml"."matches": the rows a DELETE or UPDATE matched (see WriteMatches).
  static constexpr const char *kMatches = "\"__dml\".\"matches\"";

  // `with_positions`: the table whose rows are read with their positions (and, `with_row_ids`, their
  // row ids).
  Resolver(SqlTransaction &transaction, const PendingTable *with_positions = nullptr,
           const TableScan *matches = nullptr, bool with_row_ids = false)
      : transaction_(transaction), with_positions_(with_positions), matches_(matches), with_row_ids_(with_row_ids) {}

  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                   const std::optional<TableVersion> &at) override {
    if (matches_ && !at && schema == "__dml" && table == "matches") return *matches_;
    // Every lake table a statement names is resolved here, wherever it stands in the statement
    // (join, subquery, CTE, time travel): the one place reads are allowed or refused.
    RequireNamespace(transaction_.access_, schema, Role::kReader);
    if (at) {
      return ResolveCommitted(transaction_.format_, transaction_.cache_, transaction_.base_snapshot_, schema, table, at);
    }
    auto scan = transaction_.Scan(schema, table);
    if (scan && with_positions_ && transaction_.FindPending(schema, table) == with_positions_) {
      scan->with_positions = true;
      scan->with_row_ids = with_row_ids_;
    }
    return scan;
  }

  // As the transaction began: tables it creates or alters are not shown as they are inside it.
  VisibleCatalog Catalog() override {
    return ReadableCatalog(transaction_.format_, transaction_.base_snapshot_, transaction_.access_);
  }
  std::vector<LakeSnapshot> Snapshots() override { return SnapshotsUpTo(transaction_.format_, transaction_.base_snapshot_); }

 private:
  SqlTransaction &transaction_;
  const PendingTable *with_positions_;
  const TableScan *matches_;
  bool with_row_ids_;
};

SqlTransaction::SqlTransaction(TableFormat &format, SqlParser &parser, QueryRunner &queries, ObjectStore &store,
                               ScanCache &cache, const Access *access, int64_t inline_row_limit)
    : format_(format), parser_(parser), queries_(queries), store_(store), cache_(cache), access_(access),
      inline_row_limit_(inline_row_limit) {
  auto head = format.history.LatestHead();
  base_snapshot_ = head.snapshot_id;
  base_schema_version_ = head.schema_version;
}

SqlTransaction::~SqlTransaction() { DiscardFiles(store_, committed_ ? superseded_keys_ : written_keys_); }

SqlTransaction::PendingTable *SqlTransaction::FindPending(const std::string &schema, const std::string &table) {
  for (auto &pending : tables_) {
    if (LowerName(pending->schema) == LowerName(schema) && LowerName(pending->name) == LowerName(table) &&
        !pending->change.dropped) {
      return pending.get();
    }
  }
  return nullptr;
}

SqlTransaction::PendingTable &SqlTransaction::Pending(const std::string &schema, const std::string &table) {
  if (auto *pending = FindPending(schema, table)) return *pending;
  for (const auto &other : tables_) {
    // Renamed or dropped earlier in this transaction: the old name is gone.
    if (LowerName(other->schema) == LowerName(schema) && LowerName(other->change.table_name) == LowerName(table)) {
      throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", schema, table);
    }
  }
  auto info = cache_.Shape(base_schema_version_, LowerName(schema) + "." + LowerName(table),
                           [&] { return format_.catalog.GetTable(schema, table, base_snapshot_, true); });
  auto pending = std::make_unique<PendingTable>();
  pending->change.namespace_name = info.namespace_name;
  pending->change.table_name = info.name;
  pending->change.table_id = info.id;
  pending->change.base_shape = info;
  pending->schema = info.namespace_name;
  pending->name = info.name;
  pending->columns = info.columns;
  pending->key_prefix = info.key_prefix;
  pending->next_column_id = 0;  // known when an ALTER needs it
  tables_.push_back(std::move(pending));
  return *tables_.back();
}

std::optional<TableScan> SqlTransaction::Scan(const std::string &schema, const std::string &table) {
  auto *pending = FindPending(schema, table);
  if (!pending) {
    for (const auto &other : tables_) {
      if (LowerName(other->schema) == LowerName(schema) && LowerName(other->change.table_name) == LowerName(table)) {
        return std::nullopt;  // renamed or dropped by this transaction
      }
    }
    return ResolveCommitted(format_, cache_, base_snapshot_, schema, table, std::nullopt);
  }
  const auto &change = pending->change;
  TableScan scan;
  scan.columns = pending->columns;
  if (change.table_id && !change.replace_contents) {
    auto committed = ResolveCommitted(format_, cache_, base_snapshot_, pending->schema, change.table_name, std::nullopt);
    if (committed) {
      scan.files = std::move(committed->files);
      std::set<int64_t> deleted(change.inlined_deletes.begin(), change.inlined_deletes.end());
      for (auto &row : committed->rows) {
        if (row.row_id && deleted.count(*row.row_id)) continue;
        row.values = ValuesFor(row.values, committed->columns, scan.columns);
        scan.rows.push_back(std::move(row));
      }
    }
  }
  int64_t position = 0;
  for (const auto &batch : change.inlined_inserts) {
    for (size_t r = 0; r < batch.rows.size(); r++) {
      ScanRow row;
      row.values = ValuesFor(batch.rows[r], batch.columns, scan.columns);
      row.row_id = r < batch.row_ids.size() ? batch.row_ids[r] : std::nullopt;
      row.position = position++;
      row.pending = true;
      scan.rows.push_back(std::move(row));
    }
  }
  scan.files.erase(std::remove_if(scan.files.begin(), scan.files.end(),
                                  [&](const ScanFile &file) {
                                    return std::find(change.removed_files.begin(), change.removed_files.end(),
                                                     file.key) != change.removed_files.end();
                                  }),
                   scan.files.end());
  // Files written before an ALTER of this transaction have the columns of before it.
  if (pending->alterations > 0) {
    for (auto &file : scan.files) file.has_current_columns = false;
  }
  for (const auto &file : change.added_files) {
    bool current = pending->written_after[file.key] == pending->alterations;
    scan.files.push_back({file.key, file.record_count, file.stats, "", current});
  }
  for (auto &file : scan.files) {
    if (auto it = change.deletes.find(file.key); it != change.deletes.end()) file.delete_key = it->second.key;
  }
  return scan;
}

std::string SqlTransaction::NewFileKey(const PendingTable &table, const char *kind) {
  auto key = ducklake::NewFileKey(table.key_prefix, kind);
  written_keys_.push_back(key);
  return key;
}

bool SqlTransaction::MayInline(const PendingTable &table, int64_t rows) const {
  return rows <= inline_row_limit_ && inlined_data::CanHold(table.columns);
}

void SqlTransaction::AddFile(PendingTable &table, NewDataFile file) {
  table.written_after[file.key] = table.alterations;
  table.change.added_files.push_back(std::move(file));
}

TableScan SqlTransaction::WriteMatches(PendingTable &table, const Statement &statement, int64_t timeout_ms) {
  // The matches are written once, so the condition (and UPDATE's expressions) are evaluated once:
  // deleted and re-inserted rows are the same rows even for random() or now().
  std::vector<ColumnDef> columns = {{DeleteFileColumns()[0].id, QueryRunner::kFileColumn, "varchar", false, {}, {}},
                                    {DeleteFileColumns()[1].id, QueryRunner::kPositionColumn, "int64", false, {}, {}}};
  auto alias = QuoteIdentifier(statement.target_alias);
  auto position = alias + "." + QuoteIdentifier(QueryRunner::kFileColumn) + ", " + alias + "." +
                  QuoteIdentifier(QueryRunner::kPositionColumn);
  std::string select_list = position;
  bool update = statement.kind == StatementKind::kUpdate;
  if (update) {
    // An UPDATE's new rows keep the row ids of the rows they replace, as the format's readers expect.
    select_list += ", " + alias + "." + QuoteIdentifier(QueryRunner::kRowIdColumn);
    columns.push_back({kRowIdFieldId, QueryRunner::kRowIdColumn, "int64", true, {}, {}});
    std::map<std::string, std::string> assigned;
    for (const auto &[column, expression] : statement.assignments) {
      if (!ColumnNamed(table.columns, column)) {
        throw MakeError(ErrorKind::kInvalidInput, "table '{}.{}' has no column '{}'", table.schema, table.name, column);
      }
      if (!assigned.emplace(LowerName(column), expression).second) {
        throw MakeError(ErrorKind::kInvalidInput, "column '{}' is assigned twice", column);
      }
    }
    for (const auto &column : table.columns) {
      auto it = assigned.find(LowerName(column.name));
      std::string value = alias + "." + QuoteIdentifier(column.name);
      if (it != assigned.end()) {
        value = it->second != kDefaultAssignment ? "(" + it->second + ")"
                : column.default_value           ? QuoteLiteral(*column.default_value)
                                                 : std::string("NULL");
      }
      select_list += ", " + value;
      columns.push_back(column);
    }
  }
  // With other tables (USING, FROM), a row may match several of theirs: it is deleted or updated
  // once (an UPDATE takes one of the matches, as DuckDB does).
  std::string distinct = statement.from_sql.empty() ? "" : "DISTINCT ON (" + position + ") ";
  Resolver resolver(*this, &table, nullptr, update);
  auto written = queries_.WriteQuery(
      fmt::format("SELECT {}{} FROM {}.{}{}{} WHERE {}", distinct, select_list, QuoteIdentifier(table.schema),
                  QuoteIdentifier(table.name), TargetAlias(statement, table.name),
                  statement.from_sql.empty() ? "" : ", " + statement.from_sql,
                  statement.condition_sql.empty() ? std::string("true") : statement.condition_sql),
      resolver, columns, {}, NewFileKey(table, "-matches"), timeout_ms, false);
  superseded_keys_.push_back(written.key);  // needed only while the statement runs
  return TableScan{columns, {{written.key, written.record_count, {}, "", true}}, false};
}

std::pair<std::map<std::string, NewDataFile>, int64_t> SqlTransaction::WriteDeletes(PendingTable &table,
                                                                                    const Statement &statement,
                                                                                    const TableScan &matches,
                                                                                    int64_t timeout_ms) {
  Resolver resolver(*this, &table, &matches);
  auto target = QuoteIdentifier(table.schema) + "." + QuoteIdentifier(table.name);
  auto file_column = QuoteIdentifier(QueryRunner::kFileColumn);
  auto position_column = QuoteIdentifier(QueryRunner::kPositionColumn);
  auto counts = queries_.QueryRows(
      fmt::format("SELECT {}, count(*) FROM {} GROUP BY 1", file_column, Resolver::kMatches), resolver, timeout_ms,
      kMaxMatchedFiles);
  auto scan = Scan(table.schema, table.name);
  std::map<std::string, const ScanFile *> by_location;
  for (const auto &file : scan->files) by_location[QueryRunner::FileLocation(file.key)] = &file;
  std::map<std::string, NewDataFile> deletes;
  int64_t deleted = 0;
  // Delete files name their data file as the format's other readers find it (DuckLake pairs them by
  // the catalog).
  const auto data_path = format_.catalog.DataPathUrl();
  for (const auto &row : counts) {
    const auto matched_in = row.at(0).value_or("");
    if (matched_in == QueryRunner::kInlinedRows || matched_in == QueryRunner::kPendingRows) {
      // Rows kept in the catalog: committed ones end by row id at commit, this transaction's go now.
      auto positions = queries_.QueryRows(
          fmt::format("SELECT {} FROM {} WHERE {} = {}", position_column, Resolver::kMatches, file_column,
                      QuoteLiteral(matched_in)),
          resolver, timeout_ms, std::numeric_limits<size_t>::max());
      std::set<int64_t> matched;
      for (const auto &position : positions) matched.insert(std::stoll(position.at(0).value_or("0")));
      if (matched_in == QueryRunner::kInlinedRows) {
        table.change.inlined_deletes.insert(table.change.inlined_deletes.end(), matched.begin(), matched.end());
      } else {
        int64_t index = 0;
        for (auto &batch : table.change.inlined_inserts) {
          size_t kept = 0;
          for (size_t r = 0; r < batch.rows.size(); r++, index++) {
            if (matched.count(index)) continue;
            if (kept != r) {
              if (r < batch.row_ids.size()) batch.row_ids[kept] = batch.row_ids[r];
              batch.rows[kept] = std::move(batch.rows[r]);
            }
            kept++;
          }
          batch.rows.resize(kept);
          if (batch.row_ids.size() > kept) batch.row_ids.resize(kept);
        }
      }
      deleted += static_cast<int64_t>(matched.size());
      continue;
    }
    auto found = by_location.find(matched_in);
    if (found == by_location.end()) {
      throw Error(ErrorKind::kInternal, "a matching row came from a file the table does not have");
    }
    const ScanFile *file = found->second;
    // The file's delete file lists what was deleted before (every position not visible now) and
    // the positions matched now.
    auto location = QuoteLiteral(QueryRunner::FileLocation(file->key));
    auto sql = fmt::format(
        "SELECT {0} AS file_path, pos FROM (SELECT r.pos FROM range({1}) AS r(pos) ANTI JOIN (SELECT {2} FROM {3} "
        "WHERE {4} = {5}) AS v ON r.pos = v.{2} UNION ALL SELECT {2} FROM {6} WHERE {4} = {5}) ORDER BY pos",
        QuoteLiteral(data_path + file->key.substr(Catalog::kDataKeyPrefix.size())), file->record_count, position_column,
        target, file_column, location,
        Resolver::kMatches);
    auto written = queries_.WriteQuery(
        sql, resolver, DeleteFileColumns(), {},
        NewFileKey(table, statement.kind == StatementKind::kUpdate ? kUpdateDeleteSuffix : "-delete"), timeout_ms,
        true);
    deleted += std::stoll(row.at(1).value_or("0"));
    deletes[file->key] = ToNewDataFile(written);
  }
  return {deletes, deleted};
}

StatementOutcome SqlTransaction::Run(const Statement &statement, int64_t timeout_ms) {
  statements_run_++;
  if (statement.kind != StatementKind::kQuery) RequireNamespace(access_, statement.target_schema, Role::kWriter);
  StatementOutcome outcome;
  switch (statement.kind) {
    case StatementKind::kQuery:
      throw Error(ErrorKind::kInvalidInput, "a transaction holds writes only; run queries on their own");
    case StatementKind::kCreateTable:
    case StatementKind::kCreateTableAs: {
      format_.catalog.GetNamespace(statement.target_schema, base_snapshot_);
      if (Scan(statement.target_schema, statement.target_table)) {
        throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", statement.target_schema,
                        statement.target_table);
      }
      ValidateObjectName("table", statement.target_table);
      auto pending = std::make_unique<PendingTable>();
      pending->schema = statement.target_schema;
      pending->name = statement.target_table;
      pending->change.namespace_name = statement.target_schema;
      pending->change.table_name = statement.target_table;
      pending->key_prefix = format_.catalog.NewTableKeyPrefix(statement.target_schema, statement.target_table);
      pending->change.create_folder = statement.target_table + "/";
      if (statement.kind == StatementKind::kCreateTable) {
        pending->columns = statement.columns;
      } else {
        Resolver resolver(*this);
        pending->columns = queries_.DescribeQuery(statement.query, resolver);
      }
      ValidateColumns(pending->columns);
      if (pending->columns.empty()) throw Error(ErrorKind::kInvalidInput, "a table needs at least one column");
      pending->next_column_id = AssignColumnIds(pending->columns);
      pending->change.create_columns = pending->columns;
      if (statement.kind == StatementKind::kCreateTableAs) {
        Resolver resolver(*this);
        auto file = queries_.WriteQuery(statement.query, resolver, pending->columns, {}, NewFileKey(*pending, ""),
                                        timeout_ms, false);
        outcome.count = file.record_count;
        AddFile(*pending, ToNewDataFile(file));
      }
      tables_.push_back(std::move(pending));
      return outcome;
    }
    case StatementKind::kInsert: {
      auto &table = Pending(statement.target_schema, statement.target_table);
      Resolver resolver(*this);
      if (MayInline(table, 1)) {
        auto rows = queries_.CollectRows(parser_.InsertQuery(statement.query, table.columns, statement.insert_columns),
                                         resolver, table.columns, statement.insert_columns,
                                         static_cast<size_t>(inline_row_limit_), timeout_ms);
        if (rows) {
          outcome.count = static_cast<int64_t>(rows->rows.size());
          if (!rows->rows.empty()) table.change.inlined_inserts.push_back(std::move(*rows));
          return outcome;
        }
      }
      auto file = queries_.WriteQuery(parser_.InsertQuery(statement.query, table.columns, statement.insert_columns),
                                     resolver, table.columns, statement.insert_columns, NewFileKey(table, ""),
                                      timeout_ms, false);
      outcome.count = file.record_count;
      if (file.record_count > 0) {
        AddFile(table, ToNewDataFile(file));
      } else {
        superseded_keys_.push_back(file.key);
      }
      return outcome;
    }
    case StatementKind::kDelete:
    case StatementKind::kUpdate: {
      auto &table = Pending(statement.target_schema, statement.target_table);
      auto matches = WriteMatches(table, statement, timeout_ms);
      std::optional<WrittenFile> new_rows;
      std::optional<InlinedRows> inlined_update;
      if (statement.kind == StatementKind::kUpdate) {
        std::string select_list;
        auto columns = table.columns;
        for (const auto &column : table.columns) {
          select_list += (select_list.empty() ? "" : ", ") + QuoteIdentifier(column.name);
        }
        select_list += ", " + QuoteIdentifier(QueryRunner::kRowIdColumn);
        columns.push_back({kRowIdFieldId, kRowIdColumnName, "int64", true, {}, {}});
        Resolver resolver(*this, nullptr, &matches);
        auto new_rows_query = fmt::format("SELECT {} FROM {}", select_list, Resolver::kMatches);
        if (MayInline(table, matches.files.at(0).record_count)) {
          // Kept in the catalog like an INSERT's, with the row ids of the rows they replace.
          auto rows = queries_.CollectRows(new_rows_query, resolver, columns, {},
                                           static_cast<size_t>(inline_row_limit_), timeout_ms);
          if (!rows) throw Error(ErrorKind::kInternal, "an UPDATE's new rows outnumber its matches");
          for (auto &values : rows->rows) {
            auto id = values.back();
            values.pop_back();
            rows->row_ids.push_back(id ? std::optional<int64_t>(std::stoll(*id)) : std::nullopt);
          }
          rows->columns.pop_back();
          rows->stats.pop_back();
          inlined_update = std::move(*rows);
        } else {
          new_rows = queries_.WriteQuery(new_rows_query, resolver, columns, {}, NewFileKey(table, kUpdateSuffix),
                                         timeout_ms, false);
        }
      }
      auto [deletes, deleted] = WriteDeletes(table, statement, matches, timeout_ms);
      for (auto &[data_key, file] : deletes) {
        if (auto old = table.change.deletes.find(data_key); old != table.change.deletes.end()) {
          superseded_keys_.push_back(old->second.key);
        }
        table.change.deletes[data_key] = std::move(file);
      }
      table.change.rows_deleted += deleted;
      outcome.count = deleted;
      outcome.count_name = "rows_deleted";
      if (inlined_update) {
        outcome.count_name = "rows_updated";
        if (!inlined_update->rows.empty()) {
          table.change.inlined_inserts.push_back(std::move(*inlined_update));
          table.change.updated = true;
        }
      }
      if (new_rows) {
        outcome.count_name = "rows_updated";
        if (new_rows->record_count > 0) {
          AddFile(table, ToNewDataFile(*new_rows));
          table.change.updated = true;
        } else {
          superseded_keys_.push_back(new_rows->key);
        }
      }
      return outcome;
    }
    case StatementKind::kAlterTable:
      return Alter(statement);
    case StatementKind::kDropTable: {
      if (!Scan(statement.target_schema, statement.target_table)) {
        format_.catalog.GetNamespace(statement.target_schema, base_snapshot_);
        if (statement.if_exists) return outcome;
        throw MakeError(ErrorKind::kNotFound, "table '{}.{}' not found", statement.target_schema,
                        statement.target_table);
      }
      auto &table = Pending(statement.target_schema, statement.target_table);
      if (!table.change.table_id) {
        // Created by this transaction: it never existed for anyone else.
        for (const auto &file : table.change.added_files) superseded_keys_.push_back(file.key);
        for (const auto &[key, file] : table.change.deletes) superseded_keys_.push_back(file.key);
        tables_.erase(std::find_if(tables_.begin(), tables_.end(), [&](const auto &p) { return p.get() == &table; }));
        return outcome;
      }
      table.change.dropped = true;
      // What this transaction wrote for the table goes with it.
      for (const auto &file : table.change.added_files) superseded_keys_.push_back(file.key);
      for (const auto &[key, file] : table.change.deletes) superseded_keys_.push_back(file.key);
      table.change.added_files.clear();
      table.change.deletes.clear();
      table.change.inlined_inserts.clear();
      table.change.inlined_deletes.clear();
      return outcome;
    }
  }
  throw Error(ErrorKind::kInternal, "unknown statement kind");
}

void SqlTransaction::DescribeLineage(const Statement &statement, JobRun &run) {
  if (statement.kind != StatementKind::kQuery) RequireNamespace(access_, statement.target_schema, Role::kWriter);
  // Tables as the catalog spells them (SQL names them case-insensitively).
  auto canonical = [&](const std::string &schema, const std::string &table) -> std::pair<std::string, std::string> {
    if (auto *pending = FindPending(schema, table)) return {pending->schema, pending->name};
    if (auto info = format_.catalog.FindTable(schema, table, base_snapshot_)) return {info->namespace_name, info->name};
    return {schema, table};
  };
  // The target's columns as this transaction sees them (no file listing: that is for reading).
  const std::vector<ColumnDef> *target_columns = nullptr;
  if (statement.kind == StatementKind::kInsert || statement.kind == StatementKind::kDelete ||
      statement.kind == StatementKind::kUpdate) {
    target_columns = &Pending(statement.target_schema, statement.target_table).columns;  // kNotFound if missing
  }
  std::pair<std::string, std::string> target = canonical(statement.target_schema, statement.target_table);
  if (statement.kind == StatementKind::kCreateTable || statement.kind == StatementKind::kCreateTableAs) {
    target = {format_.catalog.GetNamespace(statement.target_schema, base_snapshot_).name, statement.target_table};
  }
  size_t output_index = OutputIndex(run, TableDataset(target.first, target.second));

  SqlQuery query;
  std::vector<std::string> written;  // the output column of each result column
  auto target_ref = QuoteIdentifier(statement.target_schema) + "." + QuoteIdentifier(statement.target_table) +
                    TargetAlias(statement, statement.target_table);
  auto where = (statement.from_sql.empty() ? std::string() : ", " + statement.from_sql) +
               (statement.condition_sql.empty() ? std::string() : " WHERE " + statement.condition_sql);
  switch (statement.kind) {
    case StatementKind::kInsert: {
      query = parser_.InsertQuery(statement.query, *target_columns, statement.insert_columns);
      if (!statement.insert_columns.empty()) {
        written = statement.insert_columns;
      } else {
        for (const auto &column : *target_columns) written.push_back(column.name);
      }
      break;
    }
    case StatementKind::kCreateTableAs:
      query = statement.query;
      break;
    case StatementKind::kUpdate: {
      std::string select_list;
      for (const auto &[column, expression] : statement.assignments) {
        if (expression == kDefaultAssignment) continue;  // a constant: no lineage
        select_list += (select_list.empty() ? "" : ", ") + ("(" + expression + ")");
        written.push_back(column);
      }
      if (select_list.empty()) select_list = "1";
      query = "SELECT " + select_list + " FROM " + target_ref + where;
      break;
    }
    case StatementKind::kDelete:
      query = "SELECT 1 FROM " + target_ref + where;
      break;
    default:
      return;  // schema changes read nothing
  }
  Resolver resolver(*this);
  auto lineage = queries_.Lineage(query, resolver);
  if (statement.kind == StatementKind::kCreateTableAs) written = lineage.column_names;
  if (target_columns) {
    // Columns as the table spells them (SQL names them case-insensitively).
    auto columns = *target_columns;
    for (auto &name : written) {
      if (auto *column = ColumnNamed(columns, name)) name = column->name;
    }
  }
  AddQueryLineage(
      run, output_index, lineage, written,
      [&](const TableReference &reference) { return canonical(reference.schema, reference.table); },
      [&](const TableReference &reference) -> std::optional<int64_t> {
        if (reference.at && reference.at->snapshot_id) return *reference.at->snapshot_id;
        if (FindPending(reference.schema, reference.table)) return std::nullopt;  // not committed yet
        return base_snapshot_;
      });
}

StatementOutcome SqlTransaction::Alter(const Statement &statement) {
  auto &table = Pending(statement.target_schema, statement.target_table);
  const auto &alteration = statement.alteration;
  auto columns = table.columns;
  auto column = alteration.kind == AlterKind::kAddColumn || alteration.kind == AlterKind::kRenameTable
                    ? nullptr
                    : ColumnNamed(columns, alteration.column);
  if (!column && alteration.kind != AlterKind::kAddColumn && alteration.kind != AlterKind::kRenameTable) {
    if (alteration.kind == AlterKind::kDropColumn && alteration.if_exists) return {};
    throw MakeError(ErrorKind::kInvalidInput, "table '{}.{}' has no column '{}'", table.schema, table.name,
                    alteration.column);
  }
  if (table.next_column_id == 0) table.next_column_id = format_.catalog.MaxColumnId(*table.change.table_id) + 1;
  auto next_column_id = table.next_column_id;
  switch (alteration.kind) {
    case AlterKind::kAddColumn: {
      if (ColumnNamed(columns, alteration.new_column.name)) {
        if (alteration.if_exists) return {};
        throw MakeError(ErrorKind::kConflict, "table '{}.{}' already has a column '{}'", table.schema, table.name,
                        alteration.new_column.name);
      }
      std::vector<ColumnDef> added = {alteration.new_column};
      next_column_id = AssignColumnIds(added, next_column_id);
      columns.push_back(std::move(added[0]));
      break;
    }
    case AlterKind::kDropColumn:
      if (columns.size() == 1) throw Error(ErrorKind::kInvalidInput, "cannot drop the only column of a table");
      columns.erase(columns.begin() + (column - columns.data()));
      break;
    case AlterKind::kRenameColumn:
      if (LowerName(alteration.new_name) != LowerName(column->name) && ColumnNamed(columns, alteration.new_name)) {
        throw MakeError(ErrorKind::kConflict, "table '{}.{}' already has a column '{}'", table.schema, table.name,
                        alteration.new_name);
      }
      column->name = alteration.new_name;
      break;
    case AlterKind::kSetType:
      if (!column->children.empty() || !alteration.new_column.children.empty() ||
          !IsWidening(column->type, alteration.new_column.type)) {
        throw MakeError(ErrorKind::kInvalidInput,
                        "column '{}' cannot change from {} to {} without rewriting data; only widening (int8 to "
                        "int16/int32/int64, int32 to int64, float32 to float64, ...) is supported",
                        column->name, column->type, alteration.new_column.type);
      }
      column->type = alteration.new_column.type;
      break;
    case AlterKind::kRenameTable: {
      ValidateObjectName("table", alteration.new_name);
      if (LowerName(alteration.new_name) != LowerName(table.name) && Scan(table.schema, alteration.new_name)) {
        throw MakeError(ErrorKind::kConflict, "table '{}.{}' already exists", table.schema, alteration.new_name);
      }
      table.name = alteration.new_name;
      if (table.change.table_id) {
        table.change.new_name = alteration.new_name;
      } else {
        // Created here: it is created under its final name, its files stay where they were written.
        table.change.table_name = alteration.new_name;
      }
      return {};
    }
  }
  ValidateColumns(columns);
  table.alterations++;
  table.columns = std::move(columns);
  table.next_column_id = next_column_id;
  if (table.change.table_id) {
    table.change.columns = table.columns;
  } else {
    table.change.create_columns = table.columns;
  }
  return {};
}

std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> SqlTransaction::KeptRows() const {
  std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> kept;
  for (const auto &table : tables_) {
    int64_t rows = 0;
    for (const auto &batch : table->change.inlined_inserts) rows += static_cast<int64_t>(batch.rows.size());
    if (rows > 0 && !table->change.dropped) kept.push_back({{table->schema, table->name}, rows});
  }
  return kept;
}

CommitResult SqlTransaction::Commit(const CommitInfo &commit) {
  LakeTransaction transaction;
  transaction.base_snapshot = base_snapshot_;
  transaction.base_schema_version = base_schema_version_;
  for (const auto &table : tables_) {
    auto &change = transaction.tables.emplace_back(table->change);
    for (const auto &[key, alterations] : table->written_after) {
      if (alterations < table->alterations) change.added_with_old_columns.insert(key);
    }
  }
  if (statements_run_ > 1) {
    // A transaction of many statements can outlast an orphan sweep's grace period; its files must
    // still be there, or the snapshot would point at missing objects. (One statement is bounded by
    // its timeout, far below the grace period; it skips the round trips.)
    std::vector<std::string> keys;
    for (const auto &change : transaction.tables) {
      for (const auto &file : change.added_files) keys.push_back(file.key);
      for (const auto &[data_key, file] : change.deletes) keys.push_back(file.key);
    }
    RequireFilesStored(store_, keys, "this transaction");
  }
  try {
    auto result = format_.commits.CommitTransaction(transaction, commit);
    committed_ = true;
    // Before the caller answers: whoever sees the result sees the store without them.
    DiscardFiles(store_, superseded_keys_);
    superseded_keys_.clear();
    return result;
  } catch (const CommitOutcomeUnknown &) {
    // The snapshot may reference every file written: none may be deleted (cleanup decides later).
    committed_ = true;
    superseded_keys_.clear();
    throw;
  }
}

}  // namespace ducklake
