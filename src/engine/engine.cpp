// The one translation unit that includes duckdb.hpp (it costs ~9 s to compile): everything that
// needs DuckDB's full API lives behind Engine's interface here.

#include "engine/engine.hpp"

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "common/error.hpp"
#include "common/time.hpp"
#include "common/ids.hpp"
#include "duckdb.hpp"
#include "duckdb/common/arrow/arrow_appender.hpp"
#include "duckdb/common/arrow/arrow_converter.hpp"
#include "duckdb/catalog/catalog_entry/table_function_catalog_entry.hpp"
#include "duckdb/common/multi_file/multi_file_states.hpp"
#include "duckdb/function/replacement_scan.hpp"
#include "duckdb/optimizer/optimizer_extension.hpp"
#include "duckdb/parser/parsed_data/create_table_info.hpp"
#include "duckdb/parser/expression/cast_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/expression/columnref_expression.hpp"
#include "duckdb/parser/expression/subquery_expression.hpp"
#include "duckdb/parser/parsed_data/alter_table_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/parsed_expression_iterator.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/alter_statement.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "duckdb/parser/statement/delete_statement.hpp"
#include "duckdb/parser/statement/drop_statement.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/multi_statement.hpp"
#include "duckdb/parser/parsed_data/create_type_info.hpp"
#include "duckdb/parser/tableref/pivotref.hpp"
#include "duckdb/parser/statement/select_statement.hpp"
#include "duckdb/parser/statement/update_statement.hpp"
#include "duckdb/parser/tableref/at_clause.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"
#include "duckdb/parser/tableref/expressionlistref.hpp"
#include "duckdb/parser/tableref/subqueryref.hpp"
#include "duckdb/planner/filter/conjunction_filter.hpp"
#include "duckdb/planner/filter/constant_filter.hpp"
#include "duckdb/planner/filter/in_filter.hpp"
#include "duckdb/planner/filter/optional_filter.hpp"
#include "duckdb/planner/expression/bound_columnref_expression.hpp"
#include "duckdb/planner/expression_iterator.hpp"
#include "duckdb/planner/operator/logical_aggregate.hpp"
#include "duckdb/planner/operator/logical_expression_get.hpp"
#include "duckdb/planner/operator/logical_get.hpp"
#include "duckdb/planner/operator/logical_join.hpp"
#include "duckdb/planner/operator/logical_limit.hpp"
#include "duckdb/planner/operator/logical_top_n.hpp"
#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "duckdb/optimizer/optimizer.hpp"
#include "duckdb/planner/planner.hpp"
#include "engine/arrow_ipc_writer.hpp"
#include "engine/catalog_functions.hpp"
#include "engine/column_lineage.hpp"
#include "engine/input_file_system.hpp"
#include "engine/json_result.hpp"
#include "engine/output_file_system.hpp"
#include "engine/query_watchdog.hpp"
#include "engine/store_file_system.hpp"
#include "engine/type_mapping.hpp"

namespace ducklake {

// Always the parse of its SqlQuery's text (see SqlQuery): each use works on a copy.
struct SqlQuery::Tree {
  duckdb::unique_ptr<duckdb::SQLStatement> statement;
};

namespace {

// Lake data files are written with PRESERVE_ORDER false: row order inside a table is not part of
// its contents, and keeping it makes DuckDB buffer whole row groups per thread (in a 2-thread
// CSV ingest, about 385 MB of RSS instead of 236 MB).
constexpr size_t kOutputBufferBytes = 256 * 1024;
constexpr duckdb::idx_t kArrowBatchRows = 65536;
// Parquet text bounds this long may be cut short (DuckDB's writer truncates them to 256 bytes).
constexpr size_t kMaxExactTextBound = 256;

// `sql`, one statement, as text that can go inside `COPY (...) TO` or a subquery: without the
// semicolons that may end it, and with a line comment at its end closed by a newline.
std::string WrappableText(const std::string &sql) {
  size_t end = sql.size();
  if (sql.find(';') != std::string::npos) {
    auto tokens = duckdb::Parser::Tokenize(sql);  // comments are not tokens
    for (size_t i = tokens.size(); i-- > 0;) {
      if (tokens[i].type != duckdb::SimplifiedTokenType::SIMPLIFIED_TOKEN_OPERATOR || sql[tokens[i].start] != ';') break;
      end = tokens[i].start;
    }
  }
  return sql.substr(0, end) + (sql.find("--") == std::string::npos ? "" : "\n");
}

// Table functions user SQL may call. File readers are absent on purpose: lake tables are the only
// way to read data, so grants and snapshots cannot be bypassed.
const std::set<std::string> kAllowedTableFunctions = {
    "range", "generate_series", "unnest", "repeat", "repeat_row", "json_each", "json_tree", "duckdb_functions",
    "duckdb_types", "duckdb_keywords", "pragma_version", "test_all_types"};

std::string QuoteIdentifier(const std::string &name) { return duckdb::KeywordHelper::WriteQuoted(name, '"'); }
std::string QuoteLiteral(const std::string &text) { return duckdb::KeywordHelper::WriteQuoted(text, '\''); }

std::string Lower(const std::string &text) { return duckdb::StringUtil::Lower(text); }

// A file handed to DuckDB: which resolved table it belongs to, and as what.
struct FileRole {
  std::string table_key;
  bool is_delete_file = false;
  size_t file_index = 0;  // into the table's TableScan::files
};

// A table reference with an AT clause, renamed to a token for the replacement scan.
struct VersionedRef {
  std::string schema;
  std::string table;
  TableVersion version;
};

// What one request has bound: the lake tables it referenced and the files handed to DuckDB.
struct RequestState {
  TableResolver *resolver = nullptr;
  // "schema.table" (lower case), "@<token>" for versioned references.
  std::map<std::string, std::optional<TableScan>> tables;
  // store path -> its roles (one file can belong to several versions of a table in one request)
  std::unordered_map<std::string, std::vector<FileRole>> files;
  std::map<std::string, std::set<size_t>> kept_files;      // after pruning; absent = all
  duckdb::idx_t estimated_rows = 0;  // the optimiser's estimate of the planned query's result rows
  // The most rows the planned query can give, from the catalog's row counts; none when not known.
  std::optional<uint64_t> max_rows;
  // A query bound once (Impl::QueryOnce): the plan DuckDB is about to run is checked in the
  // optimizer, which records here that it did. When the check of the first binding finds files to
  // leave out (or columns to shield), it stops the statement before its scans open any file and asks
  // for a second binding with kept_files.
  enum class OptimizerCheck { kOff, kFirstBinding, kPrunedBinding } optimizer_check = OptimizerCheck::kOff;
  bool plan_checked = false;
  bool bind_again = false;
  // Floating-point columns a filter compares with zero for equality, by table key: DuckDB's Parquet
  // reader skips row groups whose maximum is -0.0 for `= 0` (its writer records -0.0 as a maximum,
  // which the Parquet format forbids), so such columns are read through an expression it cannot
  // push a filter into.
  std::map<std::string, std::set<std::string>> shielded_columns;
  std::map<std::string, VersionedRef> versioned_refs;      // token -> reference
  std::exception_ptr resolver_error;                       // thrown by the resolver inside DuckDB
  // Binding for lineage only: lake tables become kLineageScan calls (their columns, no rows).
  bool lineage_scan = false;
  std::map<std::string, TableReference> references;  // table key -> the table as the SQL named it
  std::optional<VisibleCatalog> catalog;  // read once, when a catalog function first binds
  std::optional<std::vector<LakeSnapshot>> snapshots;  // likewise, for ducklake_snapshots()
};

// The table function a lake table becomes when a statement is bound for its lineage.
constexpr const char *kLineageScan = "__ducklake_lineage_scan";
// The table function giving a lake table's TableScan::rows (its argument: the table's key in
// RequestState::tables): one VARCHAR column per table column, then the row id, the inserting
// snapshot, kFileColumn and kPositionColumn.
constexpr const char *kRowsScan = "__ducklake_rows";

std::string TableKey(const std::string &schema, const std::string &table) { return Lower(schema) + "." + Lower(table); }

// SQL reading a lake table: its files, minus the rows their delete files list. Files written
// before a schema change are read by field id (mapped to today's columns); the others by name.
// `shielded`: columns (lower case) whose values reach the query through an expression DuckDB cannot
// push into the Parquet reader (see RequestState::shielded_columns).
std::string ScanSql(const std::string &key, const TableScan &scan, const std::set<size_t> *kept,
                    const std::set<std::string> *shielded) {
  std::string schema_map, columns, data_columns;
  for (const auto &column : scan.columns) {
    std::string default_value =
        column.default_value ? "CAST(" + QuoteLiteral(*column.default_value) + " AS VARCHAR)" : "CAST(NULL AS VARCHAR)";
    schema_map += (schema_map.empty() ? "" : ", ") +
                  fmt::format("{}: {{name: {}, type: {}, default_value: {}}}", column.id, QuoteLiteral(column.name),
                              QuoteLiteral(SchemaOptionType(TypeFromLakeColumn(column)).ToString()), default_value);
    // Read by name, a value stored as another type (see StorageType) is cast back to the column's.
    auto name = QuoteIdentifier(column.name);
    auto type = TypeFromLakeColumn(column);
    bool shield = shielded && shielded->count(Lower(column.name));
    auto read = [&](const std::string &qualifier) {
      auto value = ReadsBackAsOtherType(type) ? fmt::format("CAST({}{} AS {})", qualifier, name, type.ToString())
                                              : qualifier + name;
      if (shield) return fmt::format("CASE WHEN {0} IS NULL THEN NULL ELSE {0} END AS {1}", value, name);
      return value == qualifier + name ? value : value + " AS " + name;
    };
    columns += (columns.empty() ? "" : ", ") + read("");
    data_columns += (data_columns.empty() ? "" : ", ") + read("d.");
  }
  // A file's own column of row ids, where it has one (read by field id; NULL where it has none).
  constexpr const char *kFileRowIdColumn = "__ducklake_file_rowid";
  if (scan.with_row_ids) {
    schema_map += fmt::format(", {}: {{name: {}, type: 'BIGINT', default_value: CAST(NULL AS VARCHAR)}}", kRowIdFieldId,
                              QuoteLiteral(kFileRowIdColumn));
  }
  std::string row_id_starts;  // CASE branches: file -> its row_id_start
  // [by field id][with deletes]: the file list and, with deletes, their delete files.
  std::string files[2][2], deletes[2], delete_pairs[2];
  std::vector<size_t> limited;  // files of which only the rows of some snapshots count
  for (size_t i = 0; i < scan.files.size(); i++) {
    if (kept && !kept->count(i)) continue;
    const auto &file = scan.files[i];
    if (scan.only_deleted && file.delete_key.empty()) continue;
    if (file.min_row_snapshot || file.max_row_snapshot) {
      limited.push_back(i);
      if (scan.with_row_ids && file.row_id_start) {
        row_id_starts += fmt::format(" WHEN {} THEN {}", QuoteLiteral(Engine::FileLocation(file.key)), *file.row_id_start);
      }
      continue;
    }
    int by_id = file.has_current_columns && !scan.with_row_ids ? 0 : 1;
    if (scan.with_row_ids && file.row_id_start) {
      row_id_starts += fmt::format(" WHEN {} THEN {}", QuoteLiteral(Engine::FileLocation(file.key)), *file.row_id_start);
    }
    int dirty = file.delete_key.empty() ? 0 : 1;
    auto &list = files[by_id][dirty];
    list += (list.empty() ? "" : ", ") + QuoteLiteral(Engine::FileLocation(file.key));
    if (dirty) {
      auto delete_location = QuoteLiteral(Engine::FileLocation(file.delete_key));
      deletes[by_id] += (deletes[by_id].empty() ? "" : ", ") + delete_location;
      delete_pairs[by_id] += fmt::format("{}({}, {})", delete_pairs[by_id].empty() ? "" : ", ", delete_location,
                                         QuoteLiteral(Engine::FileLocation(file.key)));
    }
  }
  // The reader's own columns: the file under kFileColumn (a name no lake column may have, unlike
  // DuckDB's default "filename") and file_row_number (a reserved column name).
  const auto file_option = fmt::format("filename = {}, file_row_number = true", QuoteLiteral(Engine::kFileColumn));
  auto position_columns = [&](const std::string &qualifier) {
    if (!scan.with_positions) return std::string();
    auto columns = fmt::format(", {0}{1}, {0}file_row_number AS {2}", qualifier, QuoteIdentifier(Engine::kFileColumn),
                               QuoteIdentifier(Engine::kPositionColumn));
    if (scan.with_row_ids) {
      auto numbered = row_id_starts.empty()
                          ? std::string("CAST(NULL AS BIGINT)")
                          : fmt::format("CASE {0}{1}{2} END + {0}file_row_number", qualifier,
                                        QuoteIdentifier(Engine::kFileColumn), row_id_starts);
      columns += fmt::format(", coalesce({}{}, {}) AS {}, CAST(NULL AS BIGINT) AS {}", qualifier,
                             QuoteIdentifier(kFileRowIdColumn), numbered, QuoteIdentifier(Engine::kRowIdColumn),
                             QuoteIdentifier(Engine::kSnapshotColumn));
    }
    return columns;
  };
  std::vector<std::string> parts;
  // Reads `file_list` (with `mapping`), minus (only_deleted: just) the positions their delete files
  // list, keeping the rows `where` (over the data file's columns, qualified "d.") accepts.
  auto file_parts = [&](const std::string &file_list, const std::string &delete_list, const std::string &pair_list,
                        const std::string &mapping, const std::string &where) {
    if (delete_list.empty()) {
      parts.push_back(fmt::format("SELECT {}{} FROM read_parquet([{}]{}{}) AS d{}", columns, position_columns(""),
                                  file_list, mapping, scan.with_positions ? ", " + file_option : "", where));
      return;
    }
    // A delete file's positions belong to the data file the catalog pairs it with (its file_path
    // column is a path only its writer knows how to resolve).
    parts.push_back(fmt::format(
        "SELECT {0}{1} FROM read_parquet([{2}]{3}, {4}) AS d "
        "{5} JOIN (SELECT p.data_file, x.pos FROM read_parquet([{6}], {4}) AS x JOIN (VALUES {7}) AS "
        "p(delete_file, data_file) ON x.{8} = p.delete_file) AS x ON d.{8} = x.data_file AND d.file_row_number = x.pos{9}",
        data_columns, position_columns("d."), file_list, mapping, file_option, scan.only_deleted ? "SEMI" : "ANTI",
        delete_list, pair_list, QuoteIdentifier(Engine::kFileColumn), where));
  };
  for (int by_id = 0; by_id < 2; by_id++) {
    std::string mapping = by_id ? ", schema = MAP {" + schema_map + "}" : "";
    if (!files[by_id][0].empty()) file_parts(files[by_id][0], "", "", mapping, "");
    if (!files[by_id][1].empty()) file_parts(files[by_id][1], deletes[by_id], delete_pairs[by_id], mapping, "");
  }
  // A flush's file read for some snapshots only: its rows' snapshots, by field id, say which count.
  constexpr const char *kFileSnapshotColumn = "__ducklake_file_snapshot";
  for (size_t i : limited) {
    const auto &file = scan.files[i];
    auto mapping = fmt::format(", schema = MAP {{{}, {}: {{name: {}, type: 'BIGINT', default_value: CAST(NULL AS "
                               "VARCHAR)}}}}",
                               schema_map, kSnapshotIdFieldId, QuoteLiteral(kFileSnapshotColumn));
    auto where = fmt::format(" WHERE d.{} BETWEEN {} AND {}", QuoteIdentifier(kFileSnapshotColumn),
                             file.min_row_snapshot.value_or(0),
                             file.max_row_snapshot.value_or(std::numeric_limits<int64_t>::max()));
    auto location = QuoteLiteral(Engine::FileLocation(file.key));
    if (file.delete_key.empty()) {
      file_parts(location, "", "", mapping, where);
    } else {
      auto delete_location = QuoteLiteral(Engine::FileLocation(file.delete_key));
      file_parts(location, delete_location, fmt::format("({}, {})", delete_location, location), mapping, where);
    }
  }
  if (!scan.rows.empty() && !scan.only_deleted) {
    // Rows kept in the catalog: their text cast back to the columns' types, exactly.
    std::string values;
    for (size_t c = 0; c < scan.columns.size(); c++) {
      values += fmt::format("{}CAST(v{} AS {}) AS {}", c ? ", " : "", c, Engine::SqlType(scan.columns[c]),
                            QuoteIdentifier(scan.columns[c].name));
    }
    if (scan.with_positions) {
      values += fmt::format(", file AS {}, pos AS {}", QuoteIdentifier(Engine::kFileColumn),
                            QuoteIdentifier(Engine::kPositionColumn));
      if (scan.with_row_ids) {
        values += fmt::format(", row_id AS {}, snapshot AS {}", QuoteIdentifier(Engine::kRowIdColumn),
                              QuoteIdentifier(Engine::kSnapshotColumn));
      }
    }
    parts.push_back(fmt::format("SELECT {} FROM {}({})", values, kRowsScan, QuoteLiteral(key)));
  }
  if (parts.empty()) {
    std::string empty_list;
    for (const auto &column : scan.columns) {
      empty_list += (empty_list.empty() ? "" : ", ") +
                    fmt::format("CAST(NULL AS {}) AS {}", Engine::SqlType(column), QuoteIdentifier(column.name));
    }
    if (scan.with_positions) {
      empty_list += fmt::format(", CAST(NULL AS VARCHAR) AS {}, CAST(NULL AS BIGINT) AS {}",
                                QuoteIdentifier(Engine::kFileColumn), QuoteIdentifier(Engine::kPositionColumn));
    }
    if (scan.with_positions && scan.with_row_ids) {
      empty_list += fmt::format(", CAST(NULL AS BIGINT) AS {}, CAST(NULL AS BIGINT) AS {}",
                                QuoteIdentifier(Engine::kRowIdColumn), QuoteIdentifier(Engine::kSnapshotColumn));
    }
    // No rows, but not in a form the optimiser folds into an empty result: DuckDB 1.4 then drops the
    // left rows of an ASOF LEFT JOIN against the table.
    return "SELECT " + empty_list + " FROM range(0)";
  }
  std::string sql;
  for (const auto &part : parts) sql += (sql.empty() ? "" : " UNION ALL ") + part;
  return sql;
}

// Calls `on_ref` for every table reference and `on_expression` for every expression of a query,
// in its CTEs and subqueries too (either may be null).
void VisitQueryTree(duckdb::QueryNode &node, const std::function<void(duckdb::TableRef &)> &on_ref,
                    const std::function<void(duckdb::ParsedExpression &)> &on_expression) {
  std::function<void(duckdb::unique_ptr<duckdb::ParsedExpression> &)> visit_expression =
      [&](duckdb::unique_ptr<duckdb::ParsedExpression> &expression) {
        if (!expression) return;
        if (on_expression) on_expression(*expression);
        if (expression->GetExpressionClass() == duckdb::ExpressionClass::SUBQUERY) {
          VisitQueryTree(*expression->Cast<duckdb::SubqueryExpression>().subquery->node, on_ref, on_expression);
        }
        duckdb::ParsedExpressionIterator::EnumerateChildren(
            *expression, [&](duckdb::unique_ptr<duckdb::ParsedExpression> &child) { visit_expression(child); });
      };
  // EnumerateQueryNodeChildren visits the node's CTEs too.
  duckdb::ParsedExpressionIterator::EnumerateQueryNodeChildren(node, visit_expression, [&](duckdb::TableRef &ref) {
    if (on_ref) on_ref(ref);
  });
}

// A PIVOT without IN (...) as the parser gives it: CREATE TYPE __pivot_enum_... AS ENUM (<query>) for
// each pivoted column, then the query (see Engine::Impl::ExpandPivotEnums).
bool IsPivotQuery(duckdb::SQLStatement &statement) {
  auto &parts = statement.Cast<duckdb::MultiStatement>().statements;
  if (parts.size() < 2 || parts.back()->type != duckdb::StatementType::SELECT_STATEMENT) return false;
  for (size_t i = 0; i + 1 < parts.size(); i++) {
    if (parts[i]->type != duckdb::StatementType::CREATE_STATEMENT) return false;
    auto &info = *parts[i]->Cast<duckdb::CreateStatement>().info;
    if (info.type != duckdb::CatalogType::TYPE_ENTRY) return false;
    auto &type_info = info.Cast<duckdb::CreateTypeInfo>();
    if (!type_info.query || type_info.name.rfind("__pivot_enum_", 0) != 0) return false;
  }
  return true;
}

// The list of `VALUES ...` or `SELECT * FROM (VALUES ...)`, the way the parser gives an INSERT's VALUES
// back; null for any other query.
duckdb::ExpressionListRef *PlainValuesList(duckdb::QueryNode &query) {
  if (query.type != duckdb::QueryNodeType::SELECT_NODE || !query.modifiers.empty() || !query.cte_map.map.empty()) {
    return nullptr;
  }
  auto &node = query.Cast<duckdb::SelectNode>();
  if (node.where_clause || node.qualify || node.having || !node.groups.grouping_sets.empty() ||
      node.aggregate_handling != duckdb::AggregateHandling::STANDARD_HANDLING || node.select_list.size() != 1 ||
      node.select_list[0]->ToString() != "*" || !node.from_table) {
    return nullptr;
  }
  switch (node.from_table->type) {
    case duckdb::TableReferenceType::EXPRESSION_LIST:
      return &node.from_table->Cast<duckdb::ExpressionListRef>();
    case duckdb::TableReferenceType::SUBQUERY:
      return PlainValuesList(*node.from_table->Cast<duckdb::SubqueryRef>().subquery->node);
    default:
      return nullptr;
  }
}

// COPY's FIELD_IDS for `columns`: each column and each nested child (list element, struct field, map
// key and value) with its lake column id, by which the format's readers match Parquet columns.
std::string FieldIds(const std::vector<ColumnDef> &columns) {
  std::string text;
  for (const auto &column : columns) {
    text += (text.empty() ? "" : ", ") + QuoteIdentifier(column.name) + ": ";
    text += column.children.empty()
                ? std::to_string(column.id)
                : fmt::format("{{__duckdb_field_id: {}, {}}}", column.id, FieldIds(column.children));
  }
  return text;
}

// A value of lake column `column` as its Parquet file stores it (see StorageType).
std::string StoredValue(const std::string &value_sql, const ColumnDef &column) {
  auto type = TypeFromLakeColumn(column);
  auto cast = fmt::format("CAST({} AS {})", value_sql, type.ToString());
  auto stored = StorageType(type);
  return stored == type ? cast : fmt::format("CAST({} AS {})", cast, stored.ToString());
}

// Interrupts a query at its timeout, or once `abandoned` says nobody waits for it any more.
class Deadline : public QueryWatchdog::Deadline {
 public:
  Deadline(QueryWatchdog &watchdog, duckdb::ClientContext &context, int64_t timeout_ms,
           std::function<bool()> abandoned = {})
      : QueryWatchdog::Deadline(watchdog, timeout_ms, std::move(abandoned), [&context] { context.Interrupt(); }) {}
};

}  // namespace

class Engine::Impl {
 public:
  Impl(ObjectStore &store, EngineOptions options) : store_(store), options_(std::move(options)) {
    duckdb::DBConfig config;
    config.options.autoinstall_known_extensions = false;
    config.options.autoload_known_extensions = false;
    // DuckDB's database is scratch here (lake data lives in Parquet files and the metadata
    // database): an internal error in one query must fail that query, not every later one.
    config.options.disable_database_invalidation = true;
    config.replacement_scans.emplace_back(ReplacementScan, duckdb::make_uniq<ScanData>(this));
    db_ = std::make_unique<duckdb::DuckDB>(nullptr, &config);
    // Registered on the database itself: DuckDB 1.4 does not take optimizer extensions from the
    // configuration it is opened with.
    duckdb::OptimizerExtension check;
    check.optimize_function = CheckInOptimizer;
    check.optimizer_info = duckdb::make_shared_ptr<CheckInfo>(this);
    duckdb::DBConfig::GetConfig(*db_->instance).optimizer_extensions.push_back(std::move(check));
    auto &fs = db_->instance->GetFileSystem();
    fs.RegisterSubSystem(duckdb::make_uniq<StoreFileSystem>(store_, options_.buckets));
    auto output = duckdb::make_uniq<OutputFileSystem>();
    output_fs_ = output.get();
    fs.RegisterSubSystem(std::move(output));
    auto input = duckdb::make_uniq<InputFileSystem>(options_.staging_dir);
    input_fs_ = input.get();
    fs.RegisterSubSystem(std::move(input));

    duckdb::Connection con(*db_);
    RegisterLineageScan(con);
    RegisterRowsScan(con);
    RegisterTableChanges(con);
    KeepNestedFiltersAboveParquetScans(con);
    RegisterCatalogFunctions(
        con, [this](duckdb::ClientContext &context) { return CatalogOf(context); },
        [this](duckdb::ClientContext &context) { return SnapshotsOf(context); });
    std::string staging = options_.staging_dir.empty() ? "" : ", " + QuoteLiteral(options_.staging_dir + "/");
    for (const auto &setting : {
             fmt::format("SET memory_limit = {}", QuoteLiteral(options_.memory_limit)),
             fmt::format("SET threads = {}", options_.threads),
             std::string("SET preserve_insertion_order = true"),
             // Lake data files are immutable (new name per write), so their footers can be cached.
             std::string("SET parquet_metadata_cache = true"),
             fmt::format("SET allowed_directories = [{}, {}, {}, {}{}]", QuoteLiteral(StoreFileSystem::kPrefix),
                         QuoteLiteral(StoreFileSystem::kBucketPrefix), QuoteLiteral(OutputFileSystem::kPrefix),
                         QuoteLiteral(InputFileSystem::kPrefix), staging),
             std::string("SET enable_external_access = false"),
             std::string("SET lock_configuration = true"),
         }) {
      auto result = con.Query(setting);
      if (result->HasError()) {
        throw MakeError(ErrorKind::kInvalidInput, "engine setting rejected: {}", result->GetError());
      }
    }
  }

  // --- request scoping ---------------------------------------------------------------------------

  class Session {
   public:
    Session(Impl &impl, TableResolver *resolver) : impl_(impl), connection_(*impl.db_) {
      state_.resolver = resolver;
      std::lock_guard<std::mutex> lock(impl_.states_mutex_);
      impl_.states_[connection_.context.get()] = &state_;
      impl_.running_++;
    }
    ~Session() {
      std::lock_guard<std::mutex> lock(impl_.states_mutex_);
      impl_.states_.erase(connection_.context.get());
      impl_.running_--;
    }
    duckdb::Connection &connection() { return connection_; }
    duckdb::ClientContext &context() { return *connection_.context; }
    RequestState &state() { return state_; }

   private:
    Impl &impl_;
    duckdb::Connection connection_;
    RequestState state_;
  };

  struct ImplInfo : public duckdb::TableFunctionInfo {
    explicit ImplInfo(Impl *impl) : impl(impl) {}
    Impl *impl;
  };

  // ducklake_table_changes(lake, schema, table, start, end), as the DuckLake extension has it: replaced
  // while it binds by the query the request's resolver makes of it (TableResolver::TableChanges).
  void RegisterTableChanges(duckdb::Connection &con) {
    using Type = duckdb::LogicalType;
    duckdb::TableFunction function("ducklake_table_changes",
                                   {Type::VARCHAR, Type::VARCHAR, Type::VARCHAR, Type::BIGINT, Type::BIGINT}, nullptr);
    function.bind_replace = TableChangesReplace;
    function.function_info = duckdb::make_shared_ptr<ImplInfo>(this);
    RegisterSystemTableFunction(con, std::move(function));
  }

  static duckdb::unique_ptr<duckdb::TableRef> TableChangesReplace(duckdb::ClientContext &context,
                                                                  duckdb::TableFunctionBindInput &input) {
    auto &impl = *input.info->Cast<ImplInfo>().impl;
    for (const auto &value : input.inputs) {
      if (value.IsNull()) {
        throw duckdb::BinderException("ducklake_table_changes needs a lake, a schema, a table and two snapshot ids");
      }
    }
    RequestState *state = impl.StateOf(context);
    std::optional<std::string> sql;
    if (state && state->resolver) {
      try {
        sql = state->resolver->TableChanges(input.inputs[1].ToString(), input.inputs[2].ToString(),
                                            input.inputs[3].GetValue<int64_t>(), input.inputs[4].GetValue<int64_t>());
      } catch (const Error &) {
        // DuckDB would turn it into a binder error; the caller rethrows the original.
        state->resolver_error = std::current_exception();
        throw duckdb::BinderException("the table's changes could not be read");
      }
    }
    if (!sql) throw duckdb::BinderException("ducklake_table_changes is not available in this statement");
    duckdb::Parser parser;
    parser.ParseQuery(*sql);
    auto select = duckdb::unique_ptr_cast<duckdb::SQLStatement, duckdb::SelectStatement>(
        std::move(parser.statements[0]));
    return duckdb::make_uniq<duckdb::SubqueryRef>(std::move(select), "ducklake_table_changes");
  }

  struct ScanData : public duckdb::ReplacementScanData {
    explicit ScanData(Impl *impl) : impl(impl) {}
    Impl *impl;
  };

  static duckdb::unique_ptr<duckdb::TableRef> ReplacementScan(duckdb::ClientContext &context,
                                                              duckdb::ReplacementScanInput &input,
                                                              duckdb::optional_ptr<duckdb::ReplacementScanData> data) {
    auto &impl = *data->Cast<ScanData>().impl;
    RequestState *state = impl.StateOf(context);
    if (!state || !state->resolver) return nullptr;
    std::string key, schema = input.schema_name, table = input.table_name;
    std::optional<TableVersion> version;
    if (auto ref = state->versioned_refs.find(input.table_name); ref != state->versioned_refs.end()) {
      key = "@" + ref->first;
      schema = ref->second.schema;
      table = ref->second.table;
      version = ref->second.version;
    } else {
      if (input.schema_name.empty() || !input.catalog_name.empty()) return nullptr;
      key = TableKey(schema, table);
    }
    state->references.emplace(key, TableReference{schema, table, version});
    auto cached = state->tables.find(key);
    if (cached == state->tables.end()) {
      std::optional<TableScan> scan;
      try {
        scan = state->resolver->Resolve(schema, table, version);
      } catch (const Error &) {
        // DuckDB would turn it into a binder error; the caller rethrows the original.
        state->resolver_error = std::current_exception();
        return nullptr;
      }
      if (!scan && version) {
        // Not a name DuckDB should report: the table is known, but not at that version.
        auto at = version->snapshot_id ? fmt::format("VERSION => {}", *version->snapshot_id)
                                       : fmt::format("TIMESTAMP => '{}'", FormatRfc3339Ms(version->unix_ms.value_or(0)));
        state->resolver_error = std::make_exception_ptr(
            MakeError(ErrorKind::kNotFound, "table '{}.{}' does not exist at {}", schema, table, at));
        return nullptr;
      }
      cached = state->tables.emplace(key, std::move(scan)).first;
      if (cached->second) {
        const auto &files = cached->second->files;
        for (size_t i = 0; i < files.size(); i++) {
          state->files[StoreFileSystem::PathOf(files[i].key)].push_back({key, false, i});
          if (!files[i].delete_key.empty()) {
            state->files[StoreFileSystem::PathOf(files[i].delete_key)].push_back({key, true, i});
          }
        }
      }
    }
    if (!cached->second) return nullptr;
    auto kept = state->kept_files.find(key);
    auto shielded = state->shielded_columns.find(key);
    auto sql = state->lineage_scan
                   ? fmt::format("SELECT * FROM {}({})", kLineageScan, QuoteLiteral(key))
                   : ScanSql(key, *cached->second, kept == state->kept_files.end() ? nullptr : &kept->second,
                             shielded == state->shielded_columns.end() ? nullptr : &shielded->second);
    duckdb::Parser parser;
    parser.ParseQuery(sql);
    auto select = duckdb::unique_ptr_cast<duckdb::SQLStatement, duckdb::SelectStatement>(
        std::move(parser.statements[0]));
    return duckdb::make_uniq<duckdb::SubqueryRef>(std::move(select), table);
  }

  RequestState *StateOf(duckdb::ClientContext &context) {
    std::lock_guard<std::mutex> lock(states_mutex_);
    auto it = states_.find(&context);
    return it == states_.end() ? nullptr : it->second;
  }

  // What the catalog functions show the request on `context`: what its resolver lets it see, read
  // once per request into `slot` by `read`.
  template <typename T>
  const T *ReadOnce(duckdb::ClientContext &context, std::optional<T> RequestState::*slot,
                    T (TableResolver::*read)(), const char *what) {
    RequestState *state = StateOf(context);
    if (!state || !state->resolver) return nullptr;
    if (!(state->*slot)) {
      try {
        state->*slot = (state->resolver->*read)();
      } catch (const Error &) {
        // DuckDB would turn it into a binder error; the caller rethrows the original.
        state->resolver_error = std::current_exception();
        throw duckdb::BinderException(std::string("the lake's ") + what + " could not be read");
      }
    }
    return &*(state->*slot);
  }

  const VisibleCatalog *CatalogOf(duckdb::ClientContext &context) {
    return ReadOnce(context, &RequestState::catalog, &TableResolver::Catalog, "catalog");
  }

  const std::vector<LakeSnapshot> *SnapshotsOf(duckdb::ClientContext &context) {
    return ReadOnce(context, &RequestState::snapshots, &TableResolver::Snapshots, "snapshots");
  }

  // DuckDB 1.4.4's Parquet reader fails ("Out of buffer") on some files when a filter expression
  // over a LIST column (`l IS DISTINCT FROM [...]`) is pushed into the scan and other columns are
  // read for the rows it keeps. Expressions over nested columns are therefore not pushed into
  // Parquet scans; DuckDB filters their rows above the scan instead. (Its other way, a table
  // function's supports_pushdown_type, plans a filter with the wrong column types.)
  static inline duckdb::table_function_pushdown_expression_t parquet_pushdown_expression_ = nullptr;

  static bool PushdownExpression(duckdb::ClientContext &context, const duckdb::LogicalGet &get,
                                 duckdb::Expression &expression) {
    bool nested = false;
    duckdb::ExpressionIterator::VisitExpression<duckdb::BoundColumnRefExpression>(
        expression, [&](const duckdb::BoundColumnRefExpression &column) { nested = nested || column.return_type.IsNested(); });
    if (nested) return false;
    return parquet_pushdown_expression_ && parquet_pushdown_expression_(context, get, expression);
  }

  void KeepNestedFiltersAboveParquetScans(duckdb::Connection &con) {
    con.BeginTransaction();
    auto &context = *con.context;
    auto &entry = duckdb::Catalog::GetSystemCatalog(context).GetEntry<duckdb::TableFunctionCatalogEntry>(
        context, DEFAULT_SCHEMA, "read_parquet");
    for (auto &function : entry.functions.functions) {
      if (function.pushdown_expression == PushdownExpression) continue;
      parquet_pushdown_expression_ = function.pushdown_expression;
      function.pushdown_expression = PushdownExpression;
    }
    con.Commit();
  }

  // --- lineage ---------------------------------------------------------------------------------------

  struct LineageScanInfo : public duckdb::TableFunctionInfo {
    explicit LineageScanInfo(Impl *impl) : impl(impl) {}
    Impl *impl;
  };

  // A lake table in a statement bound for lineage: its columns, and no rows.
  static duckdb::unique_ptr<duckdb::FunctionData> LineageScanBind(duckdb::ClientContext &context,
                                                                  duckdb::TableFunctionBindInput &input,
                                                                  duckdb::vector<duckdb::LogicalType> &types,
                                                                  duckdb::vector<std::string> &names) {
    auto *state = input.info->Cast<LineageScanInfo>().impl->StateOf(context);
    if (!state || !state->lineage_scan) {
      throw duckdb::PermissionException("table function '%s' is not allowed", kLineageScan);
    }
    auto it = state->tables.find(input.inputs[0].ToString());
    if (it == state->tables.end() || !it->second) throw duckdb::BinderException("no such lake table");
    for (const auto &column : it->second->columns) {
      names.push_back(column.name);
      types.push_back(TypeFromLakeColumn(column));
    }
    return duckdb::make_uniq<duckdb::TableFunctionData>();
  }

  static void LineageScanRows(duckdb::ClientContext &, duckdb::TableFunctionInput &, duckdb::DataChunk &output) {
    output.SetCardinality(0);
  }

  // --- rows kept in the catalog ------------------------------------------------------------------

  struct RowsScanData : public duckdb::TableFunctionData {
    const TableScan *scan = nullptr;  // owned by the request's state, which outlives the statement
  };
  struct RowsScanState : public duckdb::GlobalTableFunctionState {
    size_t next = 0;
  };

  static duckdb::unique_ptr<duckdb::FunctionData> RowsScanBind(duckdb::ClientContext &context,
                                                               duckdb::TableFunctionBindInput &input,
                                                               duckdb::vector<duckdb::LogicalType> &types,
                                                               duckdb::vector<std::string> &names) {
    auto *state = input.info->Cast<ImplInfo>().impl->StateOf(context);
    auto it = state ? state->tables.find(input.inputs[0].ToString()) : decltype(state->tables)::iterator();
    // Only the scans this request resolved (each through its resolver's checks) have rows here.
    if (!state || it == state->tables.end() || !it->second) {
      throw duckdb::PermissionException("table function '%s' is not allowed", kRowsScan);
    }
    auto data = duckdb::make_uniq<RowsScanData>();
    data->scan = &*it->second;
    for (size_t c = 0; c < data->scan->columns.size(); c++) {
      names.push_back("v" + std::to_string(c));
      types.push_back(duckdb::LogicalType::VARCHAR);
    }
    for (const char *name : {"row_id", "snapshot", "file", "pos"}) names.push_back(name);
    types.insert(types.end(), {duckdb::LogicalType::BIGINT, duckdb::LogicalType::BIGINT, duckdb::LogicalType::VARCHAR,
                               duckdb::LogicalType::BIGINT});
    return std::move(data);
  }

  static duckdb::unique_ptr<duckdb::GlobalTableFunctionState> RowsScanInit(duckdb::ClientContext &,
                                                                           duckdb::TableFunctionInitInput &) {
    return duckdb::make_uniq<RowsScanState>();
  }

  static void RowsScanRows(duckdb::ClientContext &, duckdb::TableFunctionInput &input, duckdb::DataChunk &output) {
    const auto &scan = *input.bind_data->Cast<RowsScanData>().scan;
    auto &state = input.global_state->Cast<RowsScanState>();
    const size_t width = scan.columns.size();
    duckdb::idx_t count = 0;
    for (; count < STANDARD_VECTOR_SIZE && state.next < scan.rows.size(); count++, state.next++) {
      const auto &row = scan.rows[state.next];
      for (size_t c = 0; c < width; c++) {
        const auto &value = c < row.values.size() ? row.values[c] : std::nullopt;
        output.SetValue(c, count, value ? duckdb::Value(*value) : duckdb::Value(duckdb::LogicalType::VARCHAR));
      }
      output.SetValue(width, count, row.row_id ? duckdb::Value::BIGINT(*row.row_id) : duckdb::Value(duckdb::LogicalType::BIGINT));
      output.SetValue(width + 1, count,
                      row.pending ? duckdb::Value(duckdb::LogicalType::BIGINT) : duckdb::Value::BIGINT(row.begin_snapshot));
      output.SetValue(width + 2, count, duckdb::Value(row.pending ? Engine::kPendingRows : Engine::kInlinedRows));
      output.SetValue(width + 3, count, duckdb::Value::BIGINT(row.position));
    }
    output.SetCardinality(count);
  }

  void RegisterRowsScan(duckdb::Connection &con) {
    duckdb::TableFunction function(kRowsScan, {duckdb::LogicalType::VARCHAR}, RowsScanRows, RowsScanBind, RowsScanInit);
    function.function_info = duckdb::make_shared_ptr<ImplInfo>(this);
    duckdb::CreateTableFunctionInfo info(function);
    con.BeginTransaction();
    duckdb::Catalog::GetSystemCatalog(*con.context).CreateTableFunction(*con.context, info);
    con.Commit();
  }

  void RegisterLineageScan(duckdb::Connection &con) {
    duckdb::TableFunction function(kLineageScan, {duckdb::LogicalType::VARCHAR}, LineageScanRows, LineageScanBind);
    function.function_info = duckdb::make_shared_ptr<LineageScanInfo>(this);
    duckdb::CreateTableFunctionInfo info(function);
    con.BeginTransaction();
    duckdb::Catalog::GetSystemCatalog(*con.context).CreateTableFunction(*con.context, info);
    con.Commit();
  }

  // Binds `sql` (one SELECT) without optimising it, so that every column binding is still there,
  // and follows each result column back to the lake columns it comes from.
  QueryLineage Lineage(Session &session, const SqlQuery &query) {
    auto &state = session.state();
    state.lineage_scan = true;
    auto statements = StatementsOf(query);
    ExpandPivotEnums(session, statements[0]);
    if (statements[0]->type != duckdb::StatementType::SELECT_STATEMENT) {
      throw Error(ErrorKind::kForbidden, "only queries (SELECT) are allowed here");
    }
    RewriteLakeReferences(session, *statements[0]);
    duckdb::unique_ptr<duckdb::LogicalOperator> plan;
    QueryLineage lineage;
    Bind(session, [&] {
      session.context().RunFunctionInTransaction([&] {
        duckdb::Planner planner(session.context());
        planner.CreatePlan(std::move(statements[0]));
        plan = std::move(planner.plan);
        lineage.column_names.assign(planner.names.begin(), planner.names.end());
      });
      return 0;
    });
    std::map<std::string, std::set<size_t>> no_pruning;
    CheckPlan(*plan, state, no_pruning);
    std::map<std::string, size_t> table_indexes;
    PlanLineage analysis([&](const duckdb::LogicalGet &get) -> std::optional<size_t> {
      if (get.function.name != kLineageScan || get.parameters.empty()) return std::nullopt;
      auto key = get.parameters[0].ToString();
      auto [it, inserted] = table_indexes.emplace(key, lineage.tables.size());
      if (inserted) lineage.tables.push_back(state.references.at(key));
      return it->second;
    });
    analysis.Analyse(*plan);
    lineage.columns = analysis.Columns();
    lineage.indirect = analysis.Indirect();
    return lineage;
  }

  // --- errors --------------------------------------------------------------------------------------

  std::string Sanitize(std::string message) const {
    for (const std::string &secret : {std::string(StoreFileSystem::kPrefix), std::string(StoreFileSystem::kBucketPrefix),
                                      std::string(OutputFileSystem::kPrefix),
                                      std::string(InputFileSystem::kPrefix),
                                      options_.staging_dir + "/", options_.staging_dir}) {
      if (secret.empty()) continue;
      for (size_t pos = message.find(secret); pos != std::string::npos; pos = message.find(secret, pos)) {
        message.erase(pos, secret.size());
      }
    }
    return message;
  }

  // A table or namespace the statement names by a name the lake could have. Anything else that
  // is "missing" (a file path, which the sandbox reads as a table name) stays a refusal.
  static bool IsMissingRelation(const duckdb::ErrorData &error) {
    const auto &info = error.ExtraInfo();
    auto subtype = info.find("error_subtype");
    auto type = info.find("type");
    auto name = info.find("name");
    if (subtype == info.end() || subtype->second != "MISSING_ENTRY" || type == info.end() || name == info.end()) {
      return false;
    }
    if (type->second != "Table" && type->second != "View" && type->second != "Schema") return false;
    const auto &text = name->second;
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    return !text.empty() && text.size() <= 63 && !std::isdigit(static_cast<unsigned char>(text[0])) &&
           std::all_of(text.begin(), text.end(), word);
  }

  [[noreturn]] void ThrowDuckDb(const duckdb::ErrorData &error, Deadline *deadline) const {
    if (deadline && deadline->Expired()) throw Error(ErrorKind::kTimeout, "the query ran past its timeout");
    if (deadline && deadline->Abandoned()) throw Error(ErrorKind::kInvalidInput, "the client stopped waiting for the result");
    auto message = Sanitize(error.Message());
    switch (error.Type()) {
      case duckdb::ExceptionType::PERMISSION:
        throw Error(ErrorKind::kForbidden, message);
      case duckdb::ExceptionType::INTERRUPT:
        throw Error(ErrorKind::kTimeout, "the query was interrupted");
      case duckdb::ExceptionType::OUT_OF_MEMORY:
        throw Error(ErrorKind::kTooLarge, message);
      case duckdb::ExceptionType::IO:
      case duckdb::ExceptionType::INTERNAL:
      case duckdb::ExceptionType::FATAL:
        throw Error(ErrorKind::kInternal, message);
      case duckdb::ExceptionType::CATALOG:
        // A table or namespace that is not there is a 404, as for a write; a function or type that
        // is not there is a mistake in the statement.
        if (IsMissingRelation(error)) throw Error(ErrorKind::kNotFound, message);
        throw Error(ErrorKind::kInvalidInput, message);
      default:
        throw Error(ErrorKind::kInvalidInput, message);
    }
  }

  template <typename Action>
  auto Guard(Deadline *deadline, Action &&action) -> decltype(action()) {
    try {
      return action();
    } catch (const Error &) {
      throw;
    } catch (const std::exception &exception) {
      ThrowDuckDb(duckdb::ErrorData(exception), deadline);
    }
  }

  std::unique_ptr<duckdb::MaterializedQueryResult> Run(duckdb::Connection &con, const std::string &sql,
                                                       Deadline *deadline = nullptr) {
    auto result = Guard(deadline, [&] { return con.Query(sql); });
    if (result->HasError()) ThrowDuckDb(result->GetErrorObject(), deadline);
    return result;
  }

  // --- sandbox and pruning -------------------------------------------------------------------------

  // Whether a filter may test a value for equality with zero (conservatively: true for filters whose
  // constants it cannot see).
  static bool TestsEqualityWithZero(const duckdb::TableFilter &filter) {
    auto is_zero = [](const duckdb::Value &value) {
      return !value.IsNull() && value.type().IsNumeric() && value.GetValue<double>() == 0;
    };
    switch (filter.filter_type) {
      case duckdb::TableFilterType::CONSTANT_COMPARISON: {
        auto &constant = filter.Cast<duckdb::ConstantFilter>();
        return constant.comparison_type == duckdb::ExpressionType::COMPARE_EQUAL && is_zero(constant.constant);
      }
      case duckdb::TableFilterType::IN_FILTER: {
        for (const auto &value : filter.Cast<duckdb::InFilter>().values) {
          if (is_zero(value)) return true;
        }
        return false;
      }
      case duckdb::TableFilterType::CONJUNCTION_AND: {
        for (const auto &child : filter.Cast<duckdb::ConjunctionAndFilter>().child_filters) {
          if (TestsEqualityWithZero(*child)) return true;
        }
        return false;
      }
      case duckdb::TableFilterType::CONJUNCTION_OR: {
        for (const auto &child : filter.Cast<duckdb::ConjunctionOrFilter>().child_filters) {
          if (TestsEqualityWithZero(*child)) return true;
        }
        return false;
      }
      case duckdb::TableFilterType::OPTIONAL_FILTER: {
        const auto &child = filter.Cast<duckdb::OptionalFilter>().child_filter;
        return !child || TestsEqualityWithZero(*child);
      }
      case duckdb::TableFilterType::IS_NULL:
      case duckdb::TableFilterType::IS_NOT_NULL:
        return false;
      default:
        return true;
    }
  }

  // Whether a file whose column has `stats` may hold rows that pass `filter`. Only bounds that order
  // values as DuckDB compares them are used: not those of floating-point columns that may hold NaN
  // (NaN is above every number, and Parquet bounds leave it out) or compared with zero (-0.0 = 0.0),
  // not text maxima that may have been cut short (Parquet truncates long bounds), and none of BLOBs
  // (their bounds are hex), UUIDs or of values stored as text (see StorageType).
  static bool FileMayMatch(const duckdb::TableFilter &filter, const ColumnStats &stats, const ColumnDef &column) {
    switch (filter.filter_type) {
      case duckdb::TableFilterType::CONSTANT_COMPARISON: {
        auto &constant_filter = filter.Cast<duckdb::ConstantFilter>();
        const auto &c = constant_filter.constant;
        auto type = TypeFromLakeColumn(column);
        std::optional<std::string> min_text = stats.min_value, max_text = stats.max_value;
        switch (type.id()) {
          case duckdb::LogicalTypeId::FLOAT:
          case duckdb::LogicalTypeId::DOUBLE: {
            if (stats.contains_nan.value_or(true) || c.IsNull()) return true;
            double number = c.GetValue<double>();
            if (std::isnan(number) || number == 0) return true;
            break;
          }
          case duckdb::LogicalTypeId::VARCHAR:
            if (type.IsJSONType()) return true;
            if (max_text && max_text->size() >= kMaxExactTextBound) max_text.reset();
            break;
          case duckdb::LogicalTypeId::BLOB:
          case duckdb::LogicalTypeId::UUID:
            return true;
          default:
            if (!StatisticsOrderValues(column)) return true;
            break;
        }
        auto bound = [&](const std::optional<std::string> &text) -> std::optional<duckdb::Value> {
          if (!text) return std::nullopt;
          duckdb::Value value;
          std::string error;
          if (!duckdb::Value(*text).DefaultTryCastAs(c.type(), value, &error)) return std::nullopt;
          return value;
        };
        auto min_value = bound(min_text), max_value = bound(max_text);
        switch (constant_filter.comparison_type) {
          case duckdb::ExpressionType::COMPARE_EQUAL:
            return (!min_value || *min_value <= c) && (!max_value || c <= *max_value);
          case duckdb::ExpressionType::COMPARE_GREATERTHAN: return !max_value || *max_value > c;
          case duckdb::ExpressionType::COMPARE_GREATERTHANOREQUALTO: return !max_value || *max_value >= c;
          case duckdb::ExpressionType::COMPARE_LESSTHAN: return !min_value || *min_value < c;
          case duckdb::ExpressionType::COMPARE_LESSTHANOREQUALTO: return !min_value || *min_value <= c;
          default: return true;
        }
      }
      case duckdb::TableFilterType::CONJUNCTION_AND: {
        for (const auto &child : filter.Cast<duckdb::ConjunctionAndFilter>().child_filters) {
          if (!FileMayMatch(*child, stats, column)) return false;
        }
        return true;
      }
      default:
        return true;
    }
  }

  static const ColumnDef *ColumnByName(const std::vector<ColumnDef> &columns, const std::string &name) {
    for (const auto &column : columns) {
      if (Lower(column.name) == Lower(name)) return &column;
    }
    return nullptr;
  }

  // The files a Parquet scan reads. They are in its bind data, which the optimiser keeps when it
  // copies a scan (late materialisation does, and leaves the copy's parameters empty).
  static std::vector<std::string> ScanLocations(const duckdb::LogicalGet &get) {
    std::vector<std::string> locations;
    if (auto *bound = dynamic_cast<duckdb::MultiFileBindData *>(get.bind_data.get()); bound && bound->file_list) {
      for (const auto &file : bound->file_list->GetAllFiles()) locations.push_back(file.path);
    }
    return locations;
  }

  void CheckGet(duckdb::LogicalGet &get, RequestState &state, std::map<std::string, std::set<size_t>> &kept) {
    const auto &name = get.function.name;
    if (name == "read_parquet" || name == "parquet_scan") {
      // Only file lists of one table this request resolved may be read: all its data files or all
      // its delete files.
      auto locations = ScanLocations(get);
      // A list can belong to several resolved tables (a file shared by two versions of a table): it
      // is allowed if one table holds all of it, and kept for each such table (pruning only ever
      // keeps more files than needed, never fewer).
      bool allowed = false;
      auto first = locations.empty() ? state.files.end() : state.files.find(locations[0]);
      const std::vector<FileRole> no_roles;
      for (const auto &candidate : first == state.files.end() ? no_roles : first->second) {
        std::vector<size_t> indexes;
        for (const auto &location : locations) {
          const FileRole *match = nullptr;
          if (auto it = state.files.find(location); it != state.files.end()) {
            for (const auto &other : it->second) {
              if (other.table_key == candidate.table_key && other.is_delete_file == candidate.is_delete_file) {
                match = &other;
                break;
              }
            }
          }
          if (!match) break;
          indexes.push_back(match->file_index);
        }
        if (indexes.size() != locations.size()) continue;
        allowed = true;
        if (candidate.is_delete_file) continue;
        const auto &scan = *state.tables.at(candidate.table_key);
        auto &table_kept = kept[candidate.table_key];
        for (auto i : indexes) {
          bool may_match = true;
          for (const auto &entry : get.table_filters.filters) {
            // Filters are keyed by the column's index among the function's columns (not its position
            // in the projection); the reader's own columns are not lake columns and have no statistics.
            if (entry.first >= get.names.size()) continue;
            const auto *column = ColumnByName(scan.columns, get.names[entry.first]);
            if (!column) continue;
            if ((column->type == "float32" || column->type == "float64") && TestsEqualityWithZero(*entry.second)) {
              state.shielded_columns[candidate.table_key].insert(Lower(column->name));
            }
            for (const auto &stats : scan.files[i].stats) {
              if (stats.column_id == column->id && !FileMayMatch(*entry.second, stats, *column)) may_match = false;
            }
          }
          if (may_match) table_kept.insert(i);
        }
      }
      if (!allowed) {
        throw Error(ErrorKind::kForbidden, "reading files directly is not allowed; query lake tables by name");
      }
      return;
    }
    if (name == kLineageScan && state.lineage_scan) return;
    if (name == kRowsScan) return;  // its bind admits only the rows of tables the request resolved
    if (IsCatalogFunction(get.function)) return;
    if (!kAllowedTableFunctions.count(name)) {
      throw MakeError(ErrorKind::kForbidden, "table function '{}' is not allowed", name);
    }
  }

  void CheckPlan(duckdb::LogicalOperator &op, RequestState &state, std::map<std::string, std::set<size_t>> &kept) {
    switch (op.type) {
      case duckdb::LogicalOperatorType::LOGICAL_GET:
        CheckGet(op.Cast<duckdb::LogicalGet>(), state, kept);
        break;
      case duckdb::LogicalOperatorType::LOGICAL_PROJECTION:
      case duckdb::LogicalOperatorType::LOGICAL_FILTER:
      case duckdb::LogicalOperatorType::LOGICAL_AGGREGATE_AND_GROUP_BY:
      case duckdb::LogicalOperatorType::LOGICAL_WINDOW:
      case duckdb::LogicalOperatorType::LOGICAL_UNNEST:
      case duckdb::LogicalOperatorType::LOGICAL_LIMIT:
      case duckdb::LogicalOperatorType::LOGICAL_ORDER_BY:
      case duckdb::LogicalOperatorType::LOGICAL_TOP_N:
      case duckdb::LogicalOperatorType::LOGICAL_COPY_TO_FILE:
      case duckdb::LogicalOperatorType::LOGICAL_DISTINCT:
      case duckdb::LogicalOperatorType::LOGICAL_SAMPLE:
      case duckdb::LogicalOperatorType::LOGICAL_PIVOT:
      case duckdb::LogicalOperatorType::LOGICAL_CHUNK_GET:
      case duckdb::LogicalOperatorType::LOGICAL_DELIM_GET:
      case duckdb::LogicalOperatorType::LOGICAL_EXPRESSION_GET:
      case duckdb::LogicalOperatorType::LOGICAL_DUMMY_SCAN:
      case duckdb::LogicalOperatorType::LOGICAL_EMPTY_RESULT:
      case duckdb::LogicalOperatorType::LOGICAL_CTE_REF:
      case duckdb::LogicalOperatorType::LOGICAL_JOIN:
      case duckdb::LogicalOperatorType::LOGICAL_DELIM_JOIN:
      case duckdb::LogicalOperatorType::LOGICAL_COMPARISON_JOIN:
      case duckdb::LogicalOperatorType::LOGICAL_ANY_JOIN:
      case duckdb::LogicalOperatorType::LOGICAL_CROSS_PRODUCT:
      case duckdb::LogicalOperatorType::LOGICAL_POSITIONAL_JOIN:
      case duckdb::LogicalOperatorType::LOGICAL_ASOF_JOIN:
      case duckdb::LogicalOperatorType::LOGICAL_DEPENDENT_JOIN:
      case duckdb::LogicalOperatorType::LOGICAL_UNION:
      case duckdb::LogicalOperatorType::LOGICAL_EXCEPT:
      case duckdb::LogicalOperatorType::LOGICAL_INTERSECT:
      case duckdb::LogicalOperatorType::LOGICAL_RECURSIVE_CTE:
      case duckdb::LogicalOperatorType::LOGICAL_MATERIALIZED_CTE:
        break;
      default:
        throw MakeError(ErrorKind::kForbidden, "operation '{}' is not allowed in a query",
                        duckdb::LogicalOperatorToString(op.type));
    }
    for (auto &child : op.children) CheckPlan(*child, state, kept);
  }

  struct CheckInfo : public duckdb::OptimizerExtensionInfo {
    explicit CheckInfo(Impl *impl) : impl(impl) {}
    Impl *impl;
  };

  // Runs after DuckDB's own optimisers on every plan; checks the plans of queries bound once
  // (RequestState::optimizer_check): what it refuses never starts.
  static void CheckInOptimizer(duckdb::OptimizerExtensionInput &input, duckdb::unique_ptr<duckdb::LogicalOperator> &plan) {
    auto &impl = *static_cast<CheckInfo &>(*input.info).impl;
    RequestState *state = impl.StateOf(input.context);
    if (!state || state->optimizer_check == RequestState::OptimizerCheck::kOff) return;
    std::map<std::string, std::set<size_t>> kept;
    try {
      impl.CheckPlan(*plan, *state, kept);
    } catch (const Error &error) {
      // DuckDB would make it an optimizer error; the caller rethrows the original.
      state->resolver_error = std::current_exception();
      throw duckdb::PermissionException(error.what());
    }
    state->plan_checked = true;
    if (state->optimizer_check == RequestState::OptimizerCheck::kPrunedBinding) return;
    bool prunes = !state->shielded_columns.empty();
    for (const auto &[key, files] : kept) prunes = prunes || files.size() < state->tables.at(key)->files.size();
    if (prunes) {
      state->kept_files = std::move(kept);
      state->bind_again = true;
      throw duckdb::InvalidInputException("the query is bound again without the files statistics rule out");
    }
  }

  // The most rows a checked plan can give, from what the catalog says each lake scan holds; none when
  // a part of it cannot say (a table function, a recursive CTE, UNNEST, ...). Pruning keeps only
  // fewer files, so the bound also holds for the plan that runs.
  static std::optional<uint64_t> MaxRows(const duckdb::LogicalOperator &op, const RequestState &state) {
    using Type = duckdb::LogicalOperatorType;
    auto child = [&](size_t i) { return i < op.children.size() ? MaxRows(*op.children[i], state) : std::nullopt; };
    auto times = [](uint64_t a, uint64_t b) {
      uint64_t product;
      return __builtin_mul_overflow(a, b, &product) ? UINT64_MAX : product;
    };
    switch (op.type) {
      case Type::LOGICAL_GET: {
        auto &get = op.Cast<duckdb::LogicalGet>();
        if (get.function.name == kRowsScan) return get.bind_data->Cast<RowsScanData>().scan->rows.size();
        if (get.function.name != "read_parquet" && get.function.name != "parquet_scan") return std::nullopt;
        uint64_t rows = 0;
        for (const auto &location : ScanLocations(get)) {
          auto roles = state.files.find(location);
          if (roles == state.files.end() || roles->second.empty() || roles->second[0].is_delete_file) return std::nullopt;
          const auto &role = roles->second[0];
          rows += static_cast<uint64_t>(state.tables.at(role.table_key)->files[role.file_index].record_count);
        }
        return rows;
      }
      case Type::LOGICAL_DUMMY_SCAN:
        return 1;
      case Type::LOGICAL_EMPTY_RESULT:
        return 0;
      case Type::LOGICAL_EXPRESSION_GET:
        return op.Cast<duckdb::LogicalExpressionGet>().expressions.size();
      case Type::LOGICAL_PROJECTION:
      case Type::LOGICAL_FILTER:
      case Type::LOGICAL_ORDER_BY:
      case Type::LOGICAL_WINDOW:
      case Type::LOGICAL_DISTINCT:
      case Type::LOGICAL_SAMPLE:
      case Type::LOGICAL_EXCEPT:
      case Type::LOGICAL_INTERSECT:
        return child(0);
      case Type::LOGICAL_LIMIT: {
        auto rows = child(0);
        auto &limit = op.Cast<duckdb::LogicalLimit>().limit_val;
        if (limit.Type() != duckdb::LimitNodeType::CONSTANT_VALUE) return rows;
        return rows ? std::min<uint64_t>(*rows, limit.GetConstantValue()) : limit.GetConstantValue();
      }
      case Type::LOGICAL_TOP_N: {
        auto rows = child(0);
        auto limit = op.Cast<duckdb::LogicalTopN>().limit;
        return rows ? std::min<uint64_t>(*rows, limit) : limit;
      }
      case Type::LOGICAL_AGGREGATE_AND_GROUP_BY: {
        auto &aggregate = op.Cast<duckdb::LogicalAggregate>();
        if (aggregate.groups.empty()) return 1;
        auto rows = child(0);  // each grouping set gives at most one row per input row
        return rows ? std::optional<uint64_t>(times(*rows, std::max<uint64_t>(1, aggregate.grouping_sets.size())))
                    : std::nullopt;
      }
      case Type::LOGICAL_UNION: {
        auto left = child(0), right = child(1);
        if (!left || !right) return std::nullopt;
        return *left + *right < *left ? UINT64_MAX : *left + *right;
      }
      case Type::LOGICAL_COMPARISON_JOIN:
      case Type::LOGICAL_ANY_JOIN:
      case Type::LOGICAL_ASOF_JOIN:
      case Type::LOGICAL_CROSS_PRODUCT:
      case Type::LOGICAL_POSITIONAL_JOIN: {
        auto left = child(0), right = child(1);
        if (!left || !right) return std::nullopt;
        if (op.type != Type::LOGICAL_CROSS_PRODUCT && op.type != Type::LOGICAL_POSITIONAL_JOIN) {
          auto join_type = op.Cast<duckdb::LogicalJoin>().join_type;
          if (join_type == duckdb::JoinType::SEMI || join_type == duckdb::JoinType::ANTI ||
              join_type == duckdb::JoinType::MARK) {
            return left;
          }
        }
        // An outer join keeps a row without a match: at most one row per pair, or per row of a side.
        return times(std::max<uint64_t>(1, *left), std::max<uint64_t>(1, *right));
      }
      default:
        return std::nullopt;
    }
  }

  // The bound and optimised plan of a statement, as DuckDB plans it before running it. (Not
  // ClientContext::ExtractPlan: it checks column bindings against operator types it has not yet
  // recomputed after optimising, and fails with an internal error on plans the optimiser reshaped,
  // such as top-N, LIMIT with OFFSET, or two aggregates merged into one.)
  duckdb::unique_ptr<duckdb::LogicalOperator> PlanOf(Session &session, duckdb::unique_ptr<duckdb::SQLStatement> statement) {
    auto &context = session.context();
    duckdb::unique_ptr<duckdb::LogicalOperator> plan;
    Guard(nullptr, [&] {
      context.RunFunctionInTransaction([&] {
        duckdb::Planner planner(context);
        planner.CreatePlan(std::move(statement));
        plan = std::move(planner.plan);
        if (duckdb::ClientConfig::GetConfig(context).enable_optimizer && plan->RequireOptimizer()) {
          duckdb::Optimizer optimizer(*planner.binder, context);
          plan = optimizer.Optimize(std::move(plan));
        }
        plan->ResolveOperatorTypes();
        session.state().estimated_rows = plan->EstimateCardinality(context);
      });
      return 0;
    });
    return plan;
  }

  // The type named by SQL text, with the names DuckDB's catalog defines (JSON, at any depth) bound:
  // the parser leaves them as unbound user types.
  duckdb::LogicalType BindType(const std::string &sql_type) {
    Session session(*this, nullptr);
    duckdb::LogicalType type;
    session.context().RunFunctionInTransaction(
        [&] { type = duckdb::TransformStringToLogicalType(sql_type, session.context()); });
    return type;
  }

  // A column type of a parsed statement, bound (see BindType).
  duckdb::LogicalType BindType(const duckdb::LogicalType &parsed) {
    std::function<bool(const duckdb::LogicalType &)> has_user_type = [&](const duckdb::LogicalType &type) {
      switch (type.id()) {
        case duckdb::LogicalTypeId::USER:
          return true;
        case duckdb::LogicalTypeId::LIST:
          return has_user_type(duckdb::ListType::GetChildType(type));
        case duckdb::LogicalTypeId::ARRAY:
          return has_user_type(duckdb::ArrayType::GetChildType(type));
        case duckdb::LogicalTypeId::MAP:
          return has_user_type(duckdb::MapType::KeyType(type)) || has_user_type(duckdb::MapType::ValueType(type));
        case duckdb::LogicalTypeId::STRUCT:
          for (const auto &child : duckdb::StructType::GetChildTypes(type)) {
            if (has_user_type(child.second)) return true;
          }
          return false;
        default:
          return false;
      }
    };
    if (!has_user_type(parsed)) return parsed;
    return Guard(nullptr, [&] { return BindType(parsed.ToString()); });
  }

  // Runs a step that binds lake tables; an error the resolver raised inside DuckDB is rethrown as is.
  template <typename Action>
  auto Bind(Session &session, Action &&action) -> decltype(action()) {
    try {
      return Guard(nullptr, action);
    } catch (const Error &) {
      if (session.state().resolver_error) std::rethrow_exception(session.state().resolver_error);
      throw;
    }
  }

  // Evaluates an expression without lake tables (and nothing the sandbox forbids) to one value.
  // `foldable`: it must also give the same value every time (a column default, unlike now()).
  duckdb::Value EvaluateConstant(const std::string &expression, const std::string &sql_type, bool foldable) {
    Session session(*this, nullptr);
    auto sql = fmt::format("SELECT CAST(({}) AS {})", expression, sql_type);
    auto plan = PlanOf(session, std::move(ParseStatements(sql)[0]));
    std::map<std::string, std::set<size_t>> kept;
    CheckPlan(*plan, session.state(), kept);
    if (foldable && (plan->type != duckdb::LogicalOperatorType::LOGICAL_PROJECTION || plan->expressions.size() != 1 ||
                     !plan->expressions[0]->IsFoldable())) {
      throw MakeError(ErrorKind::kInvalidInput, "'{}' is not a constant", expression);
    }
    auto result = Run(session.connection(), sql);
    if (result->RowCount() != 1) throw Error(ErrorKind::kInvalidInput, "expected one constant value");
    return result->GetValue(0, 0);
  }

  // Rewrites lake table references before binding, as the replacement scan needs them: each
  // `ns.t AT (...)` gets a token the replacement scan resolves to that version, and a column named
  // as `ns.t.column` (a lake table referenced without an alias) loses its namespace, since DuckDB
  // binds a replaced table by its name alone. Returns whether the statement changed.
  bool RewriteLakeReferences(Session &session, duckdb::SQLStatement &statement) {
    auto &root = *statement.Cast<duckdb::SelectStatement>().node;
    bool changed = false;
    std::set<std::pair<std::string, std::string>> unaliased;  // (namespace, table), lower case
    VisitQueryTree(root, [&](duckdb::TableRef &ref) {
      if (ref.type != duckdb::TableReferenceType::BASE_TABLE) return;
      auto &base = ref.Cast<duckdb::BaseTableRef>();
      if (base.alias.empty() && !base.schema_name.empty() && base.catalog_name.empty()) {
        unaliased.emplace(Lower(base.schema_name), Lower(base.table_name));
      }
      if (!base.at_clause) return;
      auto unit = Lower(base.at_clause->Unit());
      auto expression = base.at_clause->ExpressionMutable()->ToString();
      TableVersion version;
      if (unit == "version") {
        auto value = EvaluateConstant(expression, "BIGINT", false);
        if (value.IsNull()) throw Error(ErrorKind::kInvalidInput, "AT (VERSION => ...) needs a snapshot id");
        version.snapshot_id = value.GetValue<int64_t>();
      } else if (unit == "timestamp") {
        auto value = EvaluateConstant("epoch_ms(CAST((" + expression + ") AS TIMESTAMPTZ))", "BIGINT", false);
        if (value.IsNull()) throw Error(ErrorKind::kInvalidInput, "AT (TIMESTAMP => ...) needs a timestamp");
        version.unix_ms = value.GetValue<int64_t>();
      } else {
        throw MakeError(ErrorKind::kInvalidInput, "AT ({} => ...) is not supported; use VERSION or TIMESTAMP",
                        base.at_clause->Unit());
      }
      if (base.schema_name.empty() || !base.catalog_name.empty()) {
        throw Error(ErrorKind::kInvalidInput, "AT (...) needs a lake table named as namespace.table");
      }
      auto token = fmt::format("__ducklake_version_{}", session.state().versioned_refs.size());
      session.state().versioned_refs[token] = {base.schema_name, base.table_name, version};
      if (base.alias.empty()) base.alias = base.table_name;
      base.table_name = token;
      base.schema_name.clear();
      base.at_clause.reset();
      changed = true;
    }, nullptr);
    if (!unaliased.empty()) {
      VisitQueryTree(root, nullptr, [&](duckdb::ParsedExpression &expression) {
        if (expression.GetExpressionClass() != duckdb::ExpressionClass::COLUMN_REF) return;
        auto &names = expression.Cast<duckdb::ColumnRefExpression>().column_names;
        if (names.size() >= 3 && unaliased.count({Lower(names[0]), Lower(names[1])})) {
          names.erase(names.begin());
          changed = true;
        }
      });
    }
    return changed;
  }

  // PIVOT ... ON c without IN (...): DuckDB's parser turns it into temporary ENUM types of the
  // pivoted columns' values (CREATE TYPE __pivot_enum_... AS ENUM (SELECT DISTINCT ...)) and the
  // query, which its binder then gives the ENUMs' values. The sandbox allows no CREATE TYPE, so the
  // values are read here with those types' own queries (checked and run like any query) and written
  // into the PIVOT, as the binder would. Replaces `statement` by the query; returns whether it did.
  bool ExpandPivotEnums(Session &session, duckdb::unique_ptr<duckdb::SQLStatement> &statement) {
    if (statement->type != duckdb::StatementType::MULTI_STATEMENT) return false;
    auto &parts = statement->Cast<duckdb::MultiStatement>().statements;
    if (!IsPivotQuery(*statement)) {
      throw Error(ErrorKind::kForbidden, "several statements in one are not allowed (a PIVOT without IN (...) is "
                                         "allowed in queries only; elsewhere list its values)");
    }
    std::map<std::string, std::vector<std::string>> values;  // ENUM name -> its values, in order
    bool lineage_scan = session.state().lineage_scan;
    session.state().lineage_scan = false;  // the values are the data's, even when binding for lineage
    for (size_t i = 0; i + 1 < parts.size(); i++) {
      auto &info = parts[i]->Cast<duckdb::CreateStatement>().info->Cast<duckdb::CreateTypeInfo>();
      auto enum_sql = Prepare(session, info.query->ToString()).first;
      auto result = Run(session.connection(), enum_sql);
      auto &list = values[info.name];
      for (duckdb::idx_t row = 0; row < result->RowCount(); row++) {
        auto value = result->GetValue(0, row);
        if (!value.IsNull()) list.push_back(value.ToString());
      }
    }
    session.state().lineage_scan = lineage_scan;
    auto query = std::move(parts.back());
    VisitQueryTree(*query->Cast<duckdb::SelectStatement>().node, [&](duckdb::TableRef &ref) {
      if (ref.type != duckdb::TableReferenceType::PIVOT) return;
      for (auto &pivot : ref.Cast<duckdb::PivotRef>().pivots) {
        auto found = values.find(pivot.pivot_enum);
        if (found == values.end()) continue;
        for (const auto &text : found->second) {
          duckdb::PivotColumnEntry entry;
          entry.values.emplace_back(text);
          entry.alias = text;
          pivot.entries.push_back(std::move(entry));
        }
        pivot.pivot_enum.clear();
      }
    }, nullptr);
    statement = std::move(query);
    return true;
  }

  // INSERT ... VALUES as DuckDB runs it: each value is cast to its target column's type (and DEFAULT
  // becomes the column's default), rather than each column of the list first getting one type that
  // all its values must share ('  123 ' and 456 in one column) and then a second cast (REAL values
  // rounded twice, through DOUBLE). Returns the list so rewritten, or nullopt when `sql` is not a
  // plain VALUES list or its width does not fit (the caller's checks report that).
  std::optional<std::string> TypedValuesList(const SqlQuery &query, const std::vector<ColumnDef> &target,
                                             const std::vector<std::string> &source_columns) {
    auto statements = StatementsOf(query);
    if (statements[0]->type != duckdb::StatementType::SELECT_STATEMENT) return std::nullopt;
    auto *values = PlainValuesList(*statements[0]->Cast<duckdb::SelectStatement>().node);
    if (!values) return std::nullopt;
    auto &rows = values->values;
    size_t width = rows.empty() ? 0 : rows[0].size();
    if (width != (source_columns.empty() ? target.size() : source_columns.size())) return std::nullopt;
    std::vector<const ColumnDef *> column_of(width);
    for (size_t i = 0; i < width; i++) {
      column_of[i] = source_columns.empty() ? &target[i] : ColumnByName(target, source_columns[i]);
      if (!column_of[i]) return std::nullopt;
    }
    for (auto &row : rows) {
      if (row.size() != width) return std::nullopt;
      for (size_t i = 0; i < width; i++) {
        auto &value = row[i];
        const auto &column = *column_of[i];
        if (value->GetExpressionType() == duckdb::ExpressionType::VALUE_DEFAULT) {
          value = duckdb::make_uniq<duckdb::ConstantExpression>(column.default_value ? duckdb::Value(*column.default_value)
                                                                                     : duckdb::Value());
        }
        value = duckdb::make_uniq<duckdb::CastExpression>(TypeFromLakeColumn(column), std::move(value));
      }
    }
    return statements[0]->ToString();
  }

  // The statement of a query (one SELECT) as it is to be bound, and in `final_sql` its text: PIVOT
  // values read and lake references rewritten (see ExpandPivotEnums and RewriteLakeReferences).
  duckdb::unique_ptr<duckdb::SQLStatement> Rewrite(Session &session, const SqlQuery &query, std::string &final_sql) {
    auto statements = StatementsOf(query);
    bool rewritten = ExpandPivotEnums(session, statements[0]);
    if (statements[0]->type != duckdb::StatementType::SELECT_STATEMENT) {
      throw Error(ErrorKind::kForbidden, "only queries (SELECT) are allowed here");
    }
    if (RewriteLakeReferences(session, *statements[0]) || rewritten) {
      // What runs is this text: the plan checked must be the plan of this text.
      final_sql = statements[0]->ToString();
      statements = ParseStatements(final_sql);
    } else {
      final_sql = WrappableText(query.sql());
    }
    return std::move(statements[0]);
  }

  // Binds `sql` (one SELECT), refuses what the sandbox forbids, and prunes lake files by statistics.
  // Returns the SQL to run (versioned references rewritten) and the number of result columns.
  std::pair<std::string, size_t> Prepare(Session &session, const SqlQuery &query) {
    std::string final_sql;
    auto statement = Rewrite(session, query, final_sql);
    auto plan = Bind(session, [&] { return PlanOf(session, std::move(statement)); });
    std::map<std::string, std::set<size_t>> kept;
    CheckPlan(*plan, session.state(), kept);
    session.state().kept_files = std::move(kept);
    session.state().max_rows = MaxRows(*plan, session.state());
    return {final_sql, plan->types.size()};
  }

  // The names and types of a prepared query's result columns.
  std::pair<std::vector<std::string>, std::vector<duckdb::LogicalType>> ResultShape(Session &session,
                                                                                     const std::string &sql) {
    auto prepared = Guard(nullptr, [&] { return session.connection().Prepare(sql); });
    if (prepared->HasError()) ThrowDuckDb(prepared->error, nullptr);
    std::vector<std::string> names(prepared->GetNames().begin(), prepared->GetNames().end());
    std::vector<duckdb::LogicalType> types(prepared->GetTypes().begin(), prepared->GetTypes().end());
    return {names, types};
  }

  // What the lake records about a Parquet file, from the answer of the COPY (RETURN_STATS) that
  // wrote it: no second look at the object store.
  // Runs `final_sql` (already checked) and streams its rows to `sink` in `options.format`.
  // Returns how many rows the result had.
  int64_t StreamResult(Session &session, std::string final_sql, const QueryOptions &options, const ByteSink &sink);
  // Sends the rows of a started query in a format that is written here (json, arrow), up to the cap.
  int64_t SendRows(Session &session, duckdb::QueryResult &result, const QueryOptions &options, Deadline &deadline,
                   const ByteSink &sink);
  // A query in a format written here, bound once: checked in the optimizer on the plan that runs,
  // and bound a second time only when statistics rule out files (as Prepare would prune them).
  int64_t QueryOnce(Session &session, const SqlQuery &query, const QueryOptions &options, const ByteSink &sink);
  // Writes a result as JSON or Arrow: `first`, then what `fetch` gives until null or an empty chunk.
  // `context` (interrupted when the sink refuses bytes) may be null for JSON, not for Arrow.
  using ChunkSource = std::function<duckdb::unique_ptr<duckdb::DataChunk>()>;
  int64_t WriteChunks(ResultFormat format, const duckdb::vector<std::string> &names,
                      const duckdb::vector<duckdb::LogicalType> &types, duckdb::ClientContext *context,
                      duckdb::unique_ptr<duckdb::DataChunk> first, const ChunkSource &fetch, const ByteSink &sink);

  WrittenFile DescribeWrittenFile(duckdb::MaterializedQueryResult &copy_result, const std::string &key,
                                  const std::vector<ColumnDef> &target);

  // The statement of `query`: a copy of its parse tree (the rewrites here edit it), or the parse of
  // its text when it has none.
  std::vector<duckdb::unique_ptr<duckdb::SQLStatement>> StatementsOf(const SqlQuery &query) {
    if (!query.tree()) return ParseStatements(query.sql());
    std::vector<duckdb::unique_ptr<duckdb::SQLStatement>> statements;
    statements.push_back(query.tree()->statement->Copy());
    return statements;
  }

  // `sql` as a query that carries its parse tree (`parsed`, DuckDB's parse of exactly `sql`).
  static SqlQuery QueryOf(std::string sql, duckdb::unique_ptr<duckdb::SQLStatement> parsed) {
    auto tree = std::make_shared<SqlQuery::Tree>();
    tree->statement = std::move(parsed);
    return SqlQuery(std::move(sql), std::move(tree));
  }

  SqlQuery ParsedQuery(std::string sql) {
    auto parsed = std::move(ParseStatements(sql)[0]);
    return QueryOf(std::move(sql), std::move(parsed));
  }

  std::vector<duckdb::unique_ptr<duckdb::SQLStatement>> ParseStatements(const std::string &sql) {
    duckdb::Parser parser;
    Guard(nullptr, [&] {
      parser.ParseQuery(sql);
      return 0;
    });
    if (parser.statements.empty()) throw Error(ErrorKind::kInvalidInput, "no SQL statement given");
    if (parser.statements.size() > 1) throw Error(ErrorKind::kInvalidInput, "send one SQL statement per request");
    return std::move(parser.statements);
  }

  ObjectStore &store_;
  EngineOptions options_;
  std::unique_ptr<duckdb::DuckDB> db_;
  OutputFileSystem *output_fs_ = nullptr;
  InputFileSystem *input_fs_ = nullptr;
  std::mutex states_mutex_;
  std::unordered_map<duckdb::ClientContext *, RequestState *> states_;
  std::atomic<int64_t> running_{0};
  QueryWatchdog watchdog_;
};

Engine::Engine(ObjectStore &store, EngineOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {}
Engine::~Engine() = default;

int64_t Engine::RunningQueries() const { return impl_->running_.load(); }

std::string SqlParser::SqlType(const ColumnDef &column) { return TypeFromLakeColumn(column).ToString(); }

ColumnDef Engine::ParseColumnType(const std::string &name, const std::string &sql_type) {
  duckdb::LogicalType type;
  try {
    type = impl_->BindType(sql_type);
  } catch (const std::exception &) {
    throw MakeError(ErrorKind::kInvalidInput, "column '{}': unknown type '{}'", name, sql_type);
  }
  if (type.id() == duckdb::LogicalTypeId::USER || type.id() == duckdb::LogicalTypeId::INVALID) {
    throw MakeError(ErrorKind::kInvalidInput, "column '{}': unknown type '{}'", name, sql_type);
  }
  return LakeColumnFromType(name, type);
}

std::string QueryRunner::FileLocation(const std::string &key) { return StoreFileSystem::PathOf(key); }

namespace {

// DELETE/UPDATE target: a lake table named as namespace.table, with an optional alias.
void ParseTarget(duckdb::TableRef &ref, const char *verb, Statement &statement) {
  if (ref.type != duckdb::TableReferenceType::BASE_TABLE) {
    throw MakeError(ErrorKind::kInvalidInput, "{} needs a lake table named as namespace.table", verb);
  }
  auto &base = ref.Cast<duckdb::BaseTableRef>();
  if (base.schema_name.empty() || !base.catalog_name.empty() || base.at_clause) {
    throw MakeError(ErrorKind::kInvalidInput, "{} needs a lake table named as namespace.table", verb);
  }
  statement.target_schema = base.schema_name;
  statement.target_table = base.table_name;
  statement.target_alias = base.alias.empty() ? base.table_name : base.alias;
}

}  // namespace

Statement Engine::Parse(const std::string &sql) {
  auto statements = impl_->ParseStatements(sql);
  auto &parsed = *statements[0];
  Statement statement;
  switch (parsed.type) {
    case duckdb::StatementType::SELECT_STATEMENT:
    case duckdb::StatementType::MULTI_STATEMENT: {
      if (parsed.type == duckdb::StatementType::MULTI_STATEMENT && !IsPivotQuery(parsed)) break;
      statement.kind = StatementKind::kQuery;
      statement.query = Impl::QueryOf(sql, std::move(statements[0]));
      return statement;
    }
    case duckdb::StatementType::INSERT_STATEMENT: {
      auto &insert = parsed.Cast<duckdb::InsertStatement>();
      if (insert.schema.empty() || !insert.catalog.empty()) {
        throw Error(ErrorKind::kInvalidInput, "INSERT needs a lake table named as namespace.table");
      }
      if (insert.on_conflict_info || !insert.returning_list.empty() || !insert.cte_map.map.empty() ||
          (!insert.select_statement && !insert.default_values)) {
        throw Error(ErrorKind::kInvalidInput,
                    "INSERT into lake tables supports INSERT INTO ns.t [(columns)] SELECT/VALUES/DEFAULT VALUES only "
                    "(no ON CONFLICT, RETURNING or leading WITH)");
      }
      statement.kind = StatementKind::kInsert;
      statement.target_schema = insert.schema;
      statement.target_table = insert.table;
      statement.insert_columns = insert.columns;
      // The query part's own text, parsed once more so that its tree is the parse of that text.
      if (!insert.default_values) statement.query = impl_->ParsedQuery(insert.select_statement->ToString());
      return statement;
    }
    case duckdb::StatementType::CREATE_STATEMENT: {
      auto &create = parsed.Cast<duckdb::CreateStatement>();
      if (create.info->type != duckdb::CatalogType::TABLE_ENTRY) break;
      auto &info = create.info->Cast<duckdb::CreateTableInfo>();
      if (info.schema.empty() || !info.catalog.empty() || info.temporary) {
        throw Error(ErrorKind::kInvalidInput, "CREATE TABLE needs a lake table named as namespace.table");
      }
      if (info.on_conflict != duckdb::OnCreateConflict::ERROR_ON_CONFLICT || !info.constraints.empty()) {
        throw Error(ErrorKind::kInvalidInput,
                    "CREATE TABLE for lake tables supports neither OR REPLACE/IF NOT EXISTS nor constraints");
      }
      statement.target_schema = info.schema;
      statement.target_table = info.table;
      if (info.query) {
        statement.kind = StatementKind::kCreateTableAs;
        statement.query = impl_->ParsedQuery(info.query->ToString());
      } else {
        statement.kind = StatementKind::kCreateTable;
        if (info.columns.LogicalColumnCount() != info.columns.PhysicalColumnCount()) {
          throw Error(ErrorKind::kInvalidInput, "lake tables have no generated columns");
        }
        for (auto &column : info.columns.Logical()) {
          auto lake_column = LakeColumnFromType(column.Name(), impl_->BindType(column.Type()));
          if (column.HasDefaultValue()) {
            lake_column.default_value = EvaluateConstant(column.DefaultValue().ToString(), lake_column);
          }
          statement.columns.push_back(std::move(lake_column));
        }
      }
      return statement;
    }
    case duckdb::StatementType::DELETE_STATEMENT: {
      auto &del = parsed.Cast<duckdb::DeleteStatement>();
      if (!del.returning_list.empty() || !del.cte_map.map.empty()) {
        throw Error(ErrorKind::kInvalidInput,
                    "DELETE on lake tables supports DELETE FROM ns.t [USING ...] [WHERE ...] (no RETURNING, no WITH)");
      }
      statement.kind = StatementKind::kDelete;
      ParseTarget(*del.table, "DELETE", statement);
      if (del.condition) statement.condition_sql = del.condition->ToString();
      for (const auto &table : del.using_clauses) {
        statement.from_sql += (statement.from_sql.empty() ? "" : ", ") + table->ToString();
      }
      return statement;
    }
    case duckdb::StatementType::UPDATE_STATEMENT: {
      auto &update = parsed.Cast<duckdb::UpdateStatement>();
      if (!update.returning_list.empty() || !update.cte_map.map.empty() || !update.set_info) {
        throw Error(ErrorKind::kInvalidInput,
                    "UPDATE on lake tables supports UPDATE ns.t SET ... [FROM ...] [WHERE ...] (no RETURNING, no WITH)");
      }
      statement.kind = StatementKind::kUpdate;
      ParseTarget(*update.table, "UPDATE", statement);
      auto &set = *update.set_info;
      if (set.condition) statement.condition_sql = set.condition->ToString();
      if (update.from_table) statement.from_sql = update.from_table->ToString();
      for (size_t i = 0; i < set.columns.size(); i++) {
        bool is_default = set.expressions[i]->GetExpressionType() == duckdb::ExpressionType::VALUE_DEFAULT;
        statement.assignments.emplace_back(set.columns[i], is_default ? kDefaultAssignment : set.expressions[i]->ToString());
      }
      return statement;
    }
    case duckdb::StatementType::ALTER_STATEMENT: {
      auto &info = *parsed.Cast<duckdb::AlterStatement>().info;
      if (info.type != duckdb::AlterType::ALTER_TABLE) break;
      if (info.schema.empty() || !info.catalog.empty()) {
        throw Error(ErrorKind::kInvalidInput, "ALTER TABLE needs a lake table named as namespace.table");
      }
      statement.kind = StatementKind::kAlterTable;
      statement.target_schema = info.schema;
      statement.target_table = info.name;
      auto &alter = info.Cast<duckdb::AlterTableInfo>();
      auto &alteration = statement.alteration;
      switch (alter.alter_table_type) {
        case duckdb::AlterTableType::ADD_COLUMN: {
          auto &add = alter.Cast<duckdb::AddColumnInfo>();
          alteration.kind = AlterKind::kAddColumn;
          alteration.if_exists = add.if_column_not_exists;
          alteration.new_column = LakeColumnFromType(add.new_column.Name(), impl_->BindType(add.new_column.Type()));
          if (add.new_column.HasDefaultValue()) {
            alteration.new_column.default_value =
                EvaluateConstant(add.new_column.DefaultValue().ToString(), alteration.new_column);
          }
          return statement;
        }
        case duckdb::AlterTableType::REMOVE_COLUMN: {
          auto &remove = alter.Cast<duckdb::RemoveColumnInfo>();
          alteration.kind = AlterKind::kDropColumn;
          alteration.column = remove.removed_column;
          alteration.if_exists = remove.if_column_exists;
          return statement;
        }
        case duckdb::AlterTableType::RENAME_COLUMN: {
          auto &rename = alter.Cast<duckdb::RenameColumnInfo>();
          alteration.kind = AlterKind::kRenameColumn;
          alteration.column = rename.old_name;
          alteration.new_name = rename.new_name;
          return statement;
        }
        case duckdb::AlterTableType::ALTER_COLUMN_TYPE: {
          auto &change = alter.Cast<duckdb::ChangeColumnTypeInfo>();
          // Without USING the parser supplies CAST(column AS type); anything else would rewrite data.
          bool plain_cast = !change.expression ||
                            (change.expression->GetExpressionClass() == duckdb::ExpressionClass::CAST &&
                             change.expression->Cast<duckdb::CastExpression>().child->GetExpressionClass() ==
                                 duckdb::ExpressionClass::COLUMN_REF);
          if (!plain_cast) throw Error(ErrorKind::kInvalidInput, "ALTER COLUMN ... TYPE ... USING is not supported");
          alteration.kind = AlterKind::kSetType;
          alteration.column = change.column_name;
          alteration.new_column = LakeColumnFromType(change.column_name, impl_->BindType(change.target_type));
          return statement;
        }
        case duckdb::AlterTableType::RENAME_TABLE: {
          alteration.kind = AlterKind::kRenameTable;
          alteration.new_name = alter.Cast<duckdb::RenameTableInfo>().new_table_name;
          return statement;
        }
        default:
          throw Error(ErrorKind::kInvalidInput,
                      "lake tables support ADD COLUMN, DROP COLUMN, RENAME COLUMN, ALTER COLUMN ... TYPE and "
                      "RENAME TO");
      }
    }
    case duckdb::StatementType::DROP_STATEMENT: {
      auto &info = *parsed.Cast<duckdb::DropStatement>().info;
      if (info.type != duckdb::CatalogType::TABLE_ENTRY) break;
      if (info.schema.empty() || !info.catalog.empty()) {
        throw Error(ErrorKind::kInvalidInput, "DROP TABLE needs a lake table named as namespace.table");
      }
      statement.kind = StatementKind::kDropTable;
      statement.target_schema = info.schema;
      statement.target_table = info.name;
      statement.if_exists = info.if_not_found == duckdb::OnEntryNotFound::RETURN_NULL;
      return statement;
    }
    default:
      break;
  }
  throw MakeError(ErrorKind::kForbidden, "{} statements are not allowed",
                  duckdb::StatementTypeToString(parsed.type));
}

SqlQuery Engine::InsertQuery(const SqlQuery &query, const std::vector<ColumnDef> &target,
                             const std::vector<std::string> &source_columns) {
  if (query.empty()) {
    // DEFAULT VALUES: one row of every column's default.
    std::string defaults;
    for (size_t i = 0; i < target.size(); i++) defaults += i ? ", DEFAULT" : "DEFAULT";
    return impl_->TypedValuesList("VALUES (" + defaults + ")", target, {}).value();
  }
  // A rewritten list is new text: it is parsed where it runs.
  if (auto typed = impl_->TypedValuesList(query, target, source_columns)) return SqlQuery(std::move(*typed));
  return query;
}

std::optional<std::string> Engine::EvaluateConstant(const std::string &expression, const ColumnDef &column) {
  auto value = impl_->EvaluateConstant(expression, SqlType(column), true);
  if (value.IsNull()) return std::nullopt;
  return value.ToString();
}

std::vector<std::vector<std::optional<std::string>>> Engine::QueryRows(const SqlQuery &query, TableResolver &resolver,
                                                                     int64_t timeout_ms, size_t max_rows) {
  Impl::Session session(*impl_, &resolver);
  auto [final_sql, column_count] = impl_->Prepare(session, query);
  Deadline deadline(impl_->watchdog_, session.context(), timeout_ms);
  auto result = impl_->Run(session.connection(), final_sql, &deadline);
  if (result->RowCount() > max_rows) throw Error(ErrorKind::kInternal, "a bookkeeping query returned too many rows");
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (duckdb::idx_t row = 0; row < result->RowCount(); row++) {
    auto &out = rows.emplace_back();
    for (duckdb::idx_t column = 0; column < column_count; column++) {
      auto value = result->GetValue(column, row);
      out.push_back(value.IsNull() ? std::nullopt : std::optional<std::string>(value.ToString()));
    }
  }
  return rows;
}

QueryLineage Engine::Lineage(const SqlQuery &query, TableResolver &resolver) {
  Impl::Session session(*impl_, &resolver);
  return impl_->Lineage(session, query);
}

std::vector<ColumnDef> Engine::DescribeQuery(const SqlQuery &query, TableResolver &resolver) {
  Impl::Session session(*impl_, &resolver);
  auto final_sql = impl_->Prepare(session, query).first;
  auto [names, types] = impl_->ResultShape(session, final_sql);
  std::vector<ColumnDef> columns;
  for (size_t i = 0; i < names.size(); i++) columns.push_back(LakeColumnFromType(names[i], types[i]));
  return columns;
}

namespace {

// The reader options of `options` as SQL (", name = value", ...).
std::string ReaderOptionsSql(UploadFormat format, const ReadOptions &options) {
  std::string sql;
  auto add = [&sql](const char *name, const std::string &value) { sql += fmt::format(", {} = {}", name, value); };
  bool csv = format == UploadFormat::kCsv;
  bool json = format == UploadFormat::kJson || format == UploadFormat::kNdjson;
  if (!csv && (options.header || options.delimiter || options.quote || options.escape || options.comment ||
               options.skip || !options.null_strings.empty())) {
    throw Error(ErrorKind::kInvalidInput, "header, delimiter, quote, escape, comment, skip and nullstr are for CSV");
  }
  if (!csv && !json && !options.empty()) throw Error(ErrorKind::kInvalidInput, "Parquet files take no reader options");
  if (options.header) add("header", *options.header ? "true" : "false");
  if (options.delimiter) add("delim", QuoteLiteral(*options.delimiter));
  if (options.quote) add("quote", QuoteLiteral(*options.quote));
  if (options.escape) add("escape", QuoteLiteral(*options.escape));
  if (options.comment) add("comment", QuoteLiteral(*options.comment));
  if (options.skip) add("skip", std::to_string(*options.skip));
  if (!options.null_strings.empty()) {
    std::string list;
    for (const auto &text : options.null_strings) list += (list.empty() ? "" : ", ") + QuoteLiteral(text);
    add("nullstr", "[" + list + "]");
  }
  if (options.date_format) add("dateformat", QuoteLiteral(*options.date_format));
  if (options.timestamp_format) add("timestampformat", QuoteLiteral(*options.timestamp_format));
  if (!options.columns.empty()) {
    std::string columns;
    for (const auto &[name, type] : options.columns) {
      columns += (columns.empty() ? "" : ", ") + fmt::format("{}: {}", QuoteLiteral(name), QuoteLiteral(type));
    }
    add("columns", "{" + columns + "}");
  }
  return sql;
}

// The table function reading an upload: DuckDB's own reader with its defaults (so an upload reads as
// read_csv/read_json read the same bytes), then `options`, then `extra_options` (SQL).
std::string UploadReader(const std::string &path, UploadFormat format, const ReadOptions &options,
                         const std::string &extra_options = "") {
  auto literal = QuoteLiteral(path);
  auto option_sql = ReaderOptionsSql(format, options) + extra_options;
  switch (format) {
    case UploadFormat::kCsv:
      return fmt::format("read_csv({}{})", literal, option_sql);
    case UploadFormat::kParquet:
      return fmt::format("read_parquet({}{})", literal, option_sql);
    case UploadFormat::kJson:
      return fmt::format("read_json({}{})", literal, option_sql);
    case UploadFormat::kNdjson:
      return fmt::format("read_json({}, format = 'newline_delimited'{})", literal, option_sql);
  }
  throw Error(ErrorKind::kInternal, "unknown upload format");
}

}  // namespace

int64_t Engine::Query(const SqlQuery &query, TableResolver &resolver, const QueryOptions &options,
                      const ByteSink &sink) {
  Impl::Session session(*impl_, &resolver);
  if (options.format == ResultFormat::kJson || options.format == ResultFormat::kArrow) {
    return impl_->QueryOnce(session, query, options, sink);
  }
  auto final_sql = impl_->Prepare(session, query).first;
  return impl_->StreamResult(session, final_sql, options, sink);
}

void Engine::ReadFile(const std::string &path, UploadFormat format, const QueryOptions &options,
                      const ByteSink &sink, const ReadOptions &read_options) {
  Impl::Session session(*impl_, nullptr);
  impl_->StreamResult(session, "SELECT * FROM " + UploadReader(path, format, read_options), options, sink);
}

std::string FileReader::ObjectPath(const std::string &key) { return StoreFileSystem::PathOf(key); }

std::string FileReader::BucketPath(const std::string &bucket, const std::string &key) {
  return StoreFileSystem::BucketPathOf(bucket, key);
}

int64_t Engine::Impl::StreamResult(Session &session, std::string final_sql, const QueryOptions &options,
                                   const ByteSink &sink) {
  Deadline deadline(watchdog_, session.context(), options.timeout_ms, options.abandoned);
  auto &con = session.connection();

  if (options.format == ResultFormat::kCsv || options.format == ResultFormat::kParquet ||
      options.format == ResultFormat::kNdjson) {
    // DuckDB's COPY names duplicate columns a, a_1 itself, so the cap can wrap the query. Only when
    // the result may exceed it: DuckDB runs a LIMIT over an ordered result by gathering its rows
    // first, on one thread (half the streaming speed, and memory for the whole result).
    const auto &max_rows = session.state().max_rows;
    if (options.limit && !(max_rows && *max_rows <= static_cast<uint64_t>(*options.limit))) {
      final_sql = fmt::format("SELECT * FROM ({}) LIMIT {}", final_sql, *options.limit);
    }
    // DuckDB's own writers produce these; the output file system hands their bytes to the sink.
    auto path = output_fs_->Register(sink);
    struct Unregister {
      OutputFileSystem *fs;
      std::string path;
      ~Unregister() { fs->Unregister(path); }
    } unregister{output_fs_, path};
    const char *copy_options = options.format == ResultFormat::kCsv       ? "FORMAT csv, HEADER true"
                               : options.format == ResultFormat::kParquet ? "FORMAT parquet"
                                                                          : "FORMAT json";
    auto copied = Run(con, fmt::format("COPY ({}) TO {} ({})", final_sql, QuoteLiteral(path), copy_options), &deadline);
    return copied->GetValue(0, 0).GetValue<int64_t>();  // COPY answers with the rows it wrote
  }

  auto result = Guard(&deadline, [&] { return con.SendQuery(final_sql); });
  return SendRows(session, *result, options, deadline, sink);
}

int64_t Engine::Impl::SendRows(Session &session, duckdb::QueryResult &result, const QueryOptions &options,
                               Deadline &deadline, const ByteSink &sink) {
  if (result.HasError()) ThrowDuckDb(result.GetErrorObject(), &deadline);
  // The row cap is kept here rather than by wrapping the query, which would rename duplicate columns.
  int64_t rows_left = options.limit.value_or(-1);
  auto fetch = [&]() -> duckdb::unique_ptr<duckdb::DataChunk> {
    if (rows_left == 0) return nullptr;
    auto chunk = Guard(&deadline, [&] { return result.Fetch(); });
    if (!chunk && result.HasError()) ThrowDuckDb(result.GetErrorObject(), &deadline);
    if (chunk && rows_left > 0) {
      if (static_cast<int64_t>(chunk->size()) > rows_left) chunk->SetCardinality(static_cast<duckdb::idx_t>(rows_left));
      rows_left -= static_cast<int64_t>(chunk->size());
    }
    return chunk;
  };
  auto first = fetch();  // errors at the start of execution surface before any byte is sent
  return WriteChunks(options.format, result.names, result.types, &session.context(), std::move(first), fetch, sink);
}

int64_t Engine::Impl::QueryOnce(Session &session, const SqlQuery &query, const QueryOptions &options,
                                const ByteSink &sink) {
  std::string final_sql;
  auto statement = Rewrite(session, query, final_sql);
  Deadline deadline(watchdog_, session.context(), options.timeout_ms, options.abandoned);
  auto &state = session.state();
  state.optimizer_check = RequestState::OptimizerCheck::kFirstBinding;
  // Null when the optimizer stopped the statement to have it bound again with fewer files.
  auto pend = [&](auto &&statement_or_sql) {
    return Bind(session, [&] {
      auto pending = Guard(&deadline, [&] { return session.connection().PendingQuery(std::move(statement_or_sql), true); });
      if (!pending->HasError()) return pending;
      if (state.bind_again) return duckdb::unique_ptr<duckdb::PendingQueryResult>();
      ThrowDuckDb(pending->GetErrorObject(), &deadline);
    });
  };
  auto pending = pend(std::move(statement));
  if (!pending) {
    // Files the statistics rule out, and float columns compared with zero, change the scans: bound
    // again with them, as Prepare does (and checked again).
    state.bind_again = false;
    state.optimizer_check = RequestState::OptimizerCheck::kPrunedBinding;
    state.plan_checked = false;
    pending = pend(final_sql);
  }
  // Fail closed: a plan that did not pass the optimizer (which checks it) does not run. A pending
  // statement is closed before it goes: its connection still points at it.
  if (!pending || !state.plan_checked) {
    if (pending) pending->Close();
    throw Error(ErrorKind::kInternal, "the query's plan was not checked");
  }
  auto result = Guard(&deadline, [&] { return pending->Execute(); });
  return SendRows(session, *result, options, deadline, sink);
}

int64_t Engine::Impl::WriteChunks(ResultFormat format, const duckdb::vector<std::string> &names,
                                  const duckdb::vector<duckdb::LogicalType> &types, duckdb::ClientContext *context,
                                  duckdb::unique_ptr<duckdb::DataChunk> first, const ChunkSource &fetch,
                                  const ByteSink &sink) {
  auto send = [&](const char *data, size_t size) {
    if (!sink(data, size)) {
      if (context) context->Interrupt();
      throw Error(ErrorKind::kInvalidInput, "the client stopped reading the result");
    }
    return true;
  };

  if (format == ResultFormat::kArrow) {
    // Chunks are gathered into record batches of kArrowBatchRows: fewer, larger IPC messages.
    auto properties = context->GetClientProperties();
    duckdb::unordered_map<duckdb::idx_t, const duckdb::shared_ptr<duckdb::ArrowTypeExtensionData>> no_extensions;
    ArrowIpcWriter writer(send);
    ArrowSchema schema;
    duckdb::ArrowConverter::ToArrowSchema(&schema, types, names, properties);
    writer.WriteSchema(schema);
    schema.release(&schema);
    auto new_batch = [&] {
      return duckdb::make_uniq<duckdb::ArrowAppender>(types, kArrowBatchRows, properties, no_extensions);
    };
    auto flush = [&writer](duckdb::ArrowAppender &appender) {
      auto array = appender.Finalize();
      writer.WriteBatch(array);
      array.release(&array);
    };
    auto batch = new_batch();
    int64_t rows = 0;
    for (auto chunk = std::move(first); chunk && chunk->size() > 0; chunk = fetch()) {
      rows += static_cast<int64_t>(chunk->size());
      batch->Append(*chunk, 0, chunk->size(), chunk->size());
      if (batch->RowCount() >= kArrowBatchRows) {
        flush(*batch);
        batch = new_batch();
      }
    }
    if (batch->RowCount() > 0) flush(*batch);
    writer.Finish();
    return rows;
  }

  std::string buffer = JsonResultHeader(names, types);
  bool first_row = true;
  int64_t rows = 0;
  for (auto chunk = std::move(first); chunk && chunk->size() > 0; chunk = fetch()) {
    rows += static_cast<int64_t>(chunk->size());
    AppendJsonRows(*chunk, first_row, buffer);
    if (buffer.size() >= kOutputBufferBytes) {
      send(buffer.data(), buffer.size());
      buffer.clear();
    }
  }
  buffer += kJsonResultFooter;
  send(buffer.data(), buffer.size());
  return rows;
}

void Engine::SendCounts(const std::vector<std::pair<std::string, int64_t>> &row, const QueryOptions &options,
                        const ByteSink &sink) {
  if (options.format != ResultFormat::kJson && options.format != ResultFormat::kArrow) {
    // DuckDB's own writers make the other formats, from the query.
    std::string select;
    for (const auto &[name, count] : row) {
      select += fmt::format("{}CAST({} AS BIGINT) AS {}", select.empty() ? "SELECT " : ", ", count, QuoteIdentifier(name));
    }
    QueryOptions unlimited = options;
    unlimited.limit.reset();
    Impl::Session session(*impl_, nullptr);
    impl_->StreamResult(session, select, unlimited, sink);
    return;
  }
  duckdb::vector<std::string> names;
  duckdb::vector<duckdb::LogicalType> types;
  for (const auto &column : row) {
    names.push_back(column.first);
    types.push_back(duckdb::LogicalType::BIGINT);
  }
  auto chunk = duckdb::make_uniq<duckdb::DataChunk>();
  chunk->Initialize(duckdb::Allocator::DefaultAllocator(), types);
  for (size_t i = 0; i < row.size(); i++) chunk->SetValue(i, 0, duckdb::Value::BIGINT(row[i].second));
  chunk->SetCardinality(1);
  auto none = [] { return duckdb::unique_ptr<duckdb::DataChunk>(); };
  if (options.format == ResultFormat::kJson) {
    impl_->WriteChunks(options.format, names, types, nullptr, std::move(chunk), none, sink);
    return;
  }
  Impl::Session session(*impl_, nullptr);  // Arrow takes its options from a connection's settings
  impl_->WriteChunks(options.format, names, types, &session.context(), std::move(chunk), none, sink);
}

namespace {

// The SELECT list giving `target`'s columns from a query's columns q.c0, q.c1, ...: by position, or
// through INSERT's column list `source_columns`; target columns not named get their default.
// `value_of` turns the value's SQL into the column's.
std::string TargetProjection(const std::vector<ColumnDef> &target, const std::vector<std::string> &source_columns,
                             size_t column_count,
                             const std::function<std::string(const std::string &, const ColumnDef &)> &value_of) {
  std::vector<std::optional<size_t>> source_of(target.size());
  if (source_columns.empty()) {
    if (column_count != target.size()) {
      throw MakeError(ErrorKind::kInvalidInput, "the table has {} columns but the query produces {}", target.size(),
                      column_count);
    }
    for (size_t i = 0; i < target.size(); i++) source_of[i] = i;
  } else {
    if (column_count != source_columns.size()) {
      throw MakeError(ErrorKind::kInvalidInput, "{} columns were named but the query produces {}",
                      source_columns.size(), column_count);
    }
    for (size_t i = 0; i < source_columns.size(); i++) {
      bool found = false;
      for (size_t t = 0; t < target.size(); t++) {
        if (Lower(target[t].name) == Lower(source_columns[i])) {
          if (source_of[t]) throw MakeError(ErrorKind::kInvalidInput, "column '{}' named twice", source_columns[i]);
          source_of[t] = i;
          found = true;
        }
      }
      if (!found) throw MakeError(ErrorKind::kInvalidInput, "the table has no column '{}'", source_columns[i]);
    }
  }
  std::string projection;
  for (size_t t = 0; t < target.size(); t++) {
    std::string value = source_of[t]                ? fmt::format("q.c{}", *source_of[t])
                        : target[t].default_value ? QuoteLiteral(*target[t].default_value)
                                                  : "NULL";
    projection += (t ? ", " : "") + fmt::format("{} AS {}", value_of(value, target[t]), QuoteIdentifier(target[t].name));
  }
  return projection;
}

std::string PositionalNames(size_t column_count) {
  std::string positional;
  for (size_t i = 0; i < column_count; i++) positional += (i ? ", " : "") + fmt::format("c{}", i);
  return positional;
}

}  // namespace

WrittenFile Engine::WriteQuery(const SqlQuery &query, TableResolver &resolver, const std::vector<ColumnDef> &target,
                               const std::vector<std::string> &source_columns, const std::string &key,
                               int64_t timeout_ms, bool preserve_order) {
  Impl::Session session(*impl_, &resolver);
  // Binding is the expensive part of a small write: the column count comes from the checked plan.
  auto [query_sql, column_count] = impl_->Prepare(session, query);
  auto projection = TargetProjection(target, source_columns, column_count, StoredValue);
  auto positional = PositionalNames(column_count);
  auto field_ids = FieldIds(target);
  Deadline deadline(impl_->watchdog_, session.context(), timeout_ms);
  try {
    auto result = impl_->Run(session.connection(),
                             fmt::format("COPY (SELECT {} FROM ({}) AS q({})) TO {} (FORMAT parquet, PRESERVE_ORDER {}, RETURN_STATS true, FIELD_IDS {{{}}})",
                                         projection, query_sql, positional,
                                         QuoteLiteral(StoreFileSystem::PathOf(key)), preserve_order, field_ids),
                             &deadline);
    return impl_->DescribeWrittenFile(*result, key, target);
  } catch (...) {
    impl_->store_.Delete(key);
    throw;
  }
}


// CollectRows gives up before running a query whose estimated rows pass this many times its limit
// (estimates can be off by this much: a filter the optimiser cannot judge).
constexpr duckdb::idx_t kCollectEstimateFactor = 100;

std::optional<InlinedRows> Engine::CollectRows(const SqlQuery &query, TableResolver &resolver,
                                               const std::vector<ColumnDef> &target,
                                               const std::vector<std::string> &source_columns, size_t max_rows,
                                               int64_t timeout_ms) {
  Impl::Session session(*impl_, &resolver);
  auto [query_sql, column_count] = impl_->Prepare(session, query);
  // Far more rows expected: a file is written at once. Tried and found too many, the query would run
  // twice, and a sort or an aggregate over a big table does all its work before its first row.
  if (session.state().estimated_rows > kCollectEstimateFactor * max_rows) return std::nullopt;
  auto projection = TargetProjection(target, source_columns, column_count,
                                     [](const std::string &value, const ColumnDef &column) {
                                       return fmt::format("CAST({} AS {})", value, SqlType(column));
                                     });
  Deadline deadline(impl_->watchdog_, session.context(), timeout_ms);
  auto result = impl_->Run(session.connection(),
                           fmt::format("SELECT {} FROM ({}) AS q({}) LIMIT {}", projection, query_sql,
                                       PositionalNames(column_count), max_rows + 1),
                           &deadline);
  if (result->RowCount() > max_rows) return std::nullopt;
  InlinedRows rows;
  rows.columns = target;
  rows.rows.resize(result->RowCount());
  for (size_t c = 0; c < target.size(); c++) {
    const auto &column = target[c];
    ColumnStats stats;
    stats.column_id = column.id;
    bool is_float = column.type == "float32" || column.type == "float64";
    bool ordered = StatisticsOrderValues(column) && column.children.empty();
    if (is_float) stats.contains_nan = false;
    std::optional<duckdb::Value> min_value, max_value;
    for (duckdb::idx_t r = 0; r < result->RowCount(); r++) {
      auto value = result->GetValue(c, r);
      if (value.IsNull()) {
        rows.rows[r].push_back(std::nullopt);
        stats.null_count++;
        continue;
      }
      rows.rows[r].push_back(value.ToString());
      stats.value_count++;
      if (is_float && std::isnan(value.GetValue<double>())) {
        stats.contains_nan = true;
        continue;
      }
      if (!ordered) continue;
      if (!min_value || value < *min_value) min_value = value;
      if (!max_value || *max_value < value) max_value = value;
    }
    if (min_value) stats.min_value = min_value->ToString();
    if (max_value) stats.max_value = max_value->ToString();
    rows.stats.push_back(std::move(stats));
  }
  return rows;
}

WrittenFile Engine::Impl::DescribeWrittenFile(duckdb::MaterializedQueryResult &copy_result, const std::string &key,
                                              const std::vector<ColumnDef> &target) {
  if (copy_result.RowCount() != 1) throw Error(ErrorKind::kInternal, "the Parquet writer reported no file");
  WrittenFile file;
  file.key = key;
  file.record_count = copy_result.GetValue(1, 0).GetValue<int64_t>();
  file.file_size_bytes = copy_result.GetValue(2, 0).GetValue<int64_t>();
  file.footer_size = copy_result.GetValue(3, 0).GetValue<int64_t>();
  // column_statistics: MAP(column path -> MAP(statistic -> value)); paths are quoted identifiers,
  // nested leaves joined with '.'.
  std::map<std::string, std::map<std::string, std::string>> by_path;
  auto statistics = copy_result.GetValue(4, 0);
  if (!statistics.IsNull()) {
    for (const auto &entry : duckdb::ListValue::GetChildren(statistics)) {
      const auto &pair = duckdb::StructValue::GetChildren(entry);
      auto &values = by_path[pair[0].ToString()];
      for (const auto &inner : duckdb::ListValue::GetChildren(pair[1])) {
        const auto &stat = duckdb::StructValue::GetChildren(inner);
        if (!stat[1].IsNull()) values[stat[0].ToString()] = stat[1].ToString();
      }
    }
  }
  auto number = [](const std::map<std::string, std::string> &values, const char *name) -> int64_t {
    auto it = values.find(name);
    return it == values.end() ? 0 : std::stoll(it->second);
  };
  for (const auto &column : target) {
    if (column.id >= kFirstReservedFieldId) continue;  // the format's own columns (row ids) have none
    ColumnStats stats;
    stats.column_id = column.id;
    auto path = QuoteIdentifier(column.name);
    if (!column.children.empty()) {
      // Nested columns contribute the sizes of their leaves; bounds are kept for leaves only.
      for (const auto &[leaf, values] : by_path) {
        if (leaf.rfind(path + ".", 0) == 0) stats.column_size_bytes += number(values, "column_size_bytes");
      }
    } else if (auto it = by_path.find(path); it != by_path.end()) {
      const auto &values = it->second;
      stats.column_size_bytes = number(values, "column_size_bytes");
      stats.null_count = number(values, "null_count");
      if (StatisticsOrderValues(column)) {
        if (values.count("min")) stats.min_value = values.at("min");
        if (values.count("max")) stats.max_value = values.at("max");
      }
      // The writer says whether a floating-point column holds NaN; without a word, it may.
      if (column.type == "float32" || column.type == "float64") {
        auto has_nan = values.find("has_nan");
        stats.contains_nan = has_nan == values.end() || has_nan->second != "false";
      }
    }
    stats.value_count = file.record_count - stats.null_count;
    file.stats.push_back(std::move(stats));
  }
  return file;
}

std::string Engine::RegisterInput(const ByteSource &source) { return impl_->input_fs_->Register(source); }

void Engine::UnregisterInput(const std::string &path) { impl_->input_fs_->Unregister(path); }

UploadDescription Engine::DescribeUpload(const std::string &path, UploadFormat format, const ReadOptions &options) {
  Impl::Session session(*impl_, nullptr);
  auto &con = session.connection();
  auto result = impl_->Run(con, fmt::format("DESCRIBE SELECT * FROM {}", UploadReader(path, format, options)));
  UploadDescription description;
  for (duckdb::idx_t row = 0; row < result->RowCount(); row++) {
    auto name = result->GetValue(0, row).ToString();
    auto type = result->GetValue(1, row).ToString();
    description.columns.push_back(ParseColumnType(name, type));
    description.sql_types.push_back(type);
  }
  if (description.columns.empty()) throw Error(ErrorKind::kInvalidInput, "the upload has no columns");
  if (format == UploadFormat::kCsv) {
    // The sniffer again, for what DESCRIBE does not tell: the dialect, and whether there is a header.
    auto sniffed = impl_->Run(con, fmt::format("SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, "
                                               "HasHeader, DateFormat, TimestampFormat FROM sniff_csv({}{}, "
                                               "force_match = false)",
                                               QuoteLiteral(path), ReaderOptionsSql(format, options)));
    if (sniffed->RowCount() != 1) throw Error(ErrorKind::kInternal, "the CSV sniffer gave no answer");
    auto text = [&](duckdb::idx_t column) {
      auto value = sniffed->GetValue(column, 0).ToString();
      return value == "(empty)" ? std::string() : value;  // how sniff_csv shows "none" (no quote, ...)
    };
    auto optional_text = [&](duckdb::idx_t column) -> std::optional<std::string> {
      auto value = sniffed->GetValue(column, 0);
      return value.IsNull() ? std::nullopt : std::optional<std::string>(value.ToString());
    };
    CsvDialect dialect;
    dialect.delimiter = text(0);
    dialect.quote = text(1);
    dialect.escape = text(2);
    dialect.newline = text(3);
    dialect.comment = text(4);
    dialect.skip = sniffed->GetValue(5, 0).GetValue<int64_t>();
    dialect.header = sniffed->GetValue(6, 0).GetValue<bool>();
    dialect.date_format = optional_text(7);
    dialect.timestamp_format = optional_text(8);
    description.dialect = std::move(dialect);
  }
  return description;
}

WrittenFile Engine::WriteUpload(const std::string &path, UploadFormat format, const ReadOptions &options,
                                const std::vector<ColumnDef> &target, const std::string &key,
                                const UploadDescription &described, bool by_position,
                                const std::function<bool()> &abandoned) {
  Impl::Session session(*impl_, nullptr);
  auto &con = session.connection();
  const auto &uploaded = described.columns;
  // Which upload column feeds each target column.
  std::vector<const ColumnDef *> source_of(target.size(), nullptr);
  if (by_position) {
    if (uploaded.size() > target.size()) {
      throw MakeError(ErrorKind::kInvalidInput, "the upload has {} columns, the table only {}", uploaded.size(),
                      target.size());
    }
    for (size_t i = 0; i < uploaded.size(); i++) source_of[i] = &uploaded[i];
  } else {
    for (const auto &column : uploaded) {
      if (!Impl::ColumnByName(target, column.name)) {
        throw MakeError(ErrorKind::kInvalidInput, "the table has no column '{}' (found in the upload)", column.name);
      }
    }
    for (size_t t = 0; t < target.size(); t++) source_of[t] = Impl::ColumnByName(uploaded, target[t].name);
  }
  // The table's types are enforced while reading (unless the caller named the file's columns), so a
  // value that does not fit fails with its line and column.
  std::string types_option, projection;
  for (size_t t = 0; t < target.size(); t++) {
    const auto *source = source_of[t];
    if (source) {
      types_option += (types_option.empty() ? "" : ", ") +
                      fmt::format("{}: {}", QuoteLiteral(source->name), QuoteLiteral(SqlType(target[t])));
    }
    std::string value = source                    ? QuoteIdentifier(source->name)
                        : target[t].default_value ? QuoteLiteral(*target[t].default_value)
                                                  : "NULL";
    projection += (t ? ", " : "") + fmt::format("{} AS {}", StoredValue(value, target[t]), QuoteIdentifier(target[t].name));
  }
  auto field_ids = FieldIds(target);
  std::string extra_options;
  if (options.columns.empty() && !types_option.empty()) {
    extra_options = format == UploadFormat::kCsv ? ", types = {" + types_option + "}"
                    : format == UploadFormat::kParquet ? ""
                                                       : ", columns = {" + types_option + "}";
  }
  if (described.dialect) {
    // The dialect as it was sniffed without the table's types, which could otherwise change the
    // sniffer's mind (a header row of text reads as data when every column is VARCHAR).
    const auto &dialect = *described.dialect;
    auto fix = [&](const char *name, bool set_by_caller, const std::string &value_sql) {
      if (!set_by_caller) extra_options += fmt::format(", {} = {}", name, value_sql);
    };
    fix("header", options.header.has_value(), dialect.header ? "true" : "false");
    fix("delim", options.delimiter.has_value(), QuoteLiteral(dialect.delimiter));
    fix("quote", options.quote.has_value(), QuoteLiteral(dialect.quote));
    fix("escape", options.escape.has_value(), QuoteLiteral(dialect.escape));
    fix("skip", options.skip.has_value(), std::to_string(dialect.skip));
  }
  if (path.rfind(InputFileSystem::kPrefix, 0) == 0) impl_->input_fs_->Seal(path);
  Deadline deadline(impl_->watchdog_, session.context(), 0, abandoned);
  try {
    auto result = impl_->Run(con, fmt::format("COPY (SELECT {} FROM {}) TO {} (FORMAT parquet, PRESERVE_ORDER false, RETURN_STATS true, FIELD_IDS {{{}}})",
                                              projection, UploadReader(path, format, options, extra_options),
                                              QuoteLiteral(StoreFileSystem::PathOf(key)), field_ids),
                             &deadline);
    return impl_->DescribeWrittenFile(*result, key, target);
  } catch (...) {
    impl_->store_.Delete(key);
    throw;
  }
}

bool ReadOptions::empty() const {
  return !header && !delimiter && !quote && !escape && !comment && !skip && null_strings.empty() && !date_format &&
         !timestamp_format && columns.empty();
}

}  // namespace ducklake
