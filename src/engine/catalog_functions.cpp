#include "engine/catalog_functions.hpp"

#include <map>
#include <utility>

#include "common/error.hpp"
#include "duckdb/main/database_manager.hpp"
#include "duckdb/parser/keyword_helper.hpp"
#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "engine/type_mapping.hpp"

namespace ducklake {
namespace {

// What a function lists; kNothing for the kinds of object the lake does not have.
enum class CatalogKind { kDatabases, kSchemas, kTables, kColumns, kNothing, kSnapshots, kTableInfo };

struct CatalogFunctionInfo : public duckdb::TableFunctionInfo {
  CatalogFunctionInfo(CatalogKind kind, std::vector<std::string> names, std::vector<duckdb::LogicalType> types,
                      CatalogSource source, SnapshotSource snapshots)
      : kind(kind), names(std::move(names)), types(std::move(types)), source(std::move(source)),
        snapshots(std::move(snapshots)) {}
  CatalogKind kind;
  std::vector<std::string> names;  // the built-in's columns
  std::vector<duckdb::LogicalType> types;
  CatalogSource source;
  SnapshotSource snapshots;
};

struct CatalogRows : public duckdb::TableFunctionData {
  std::vector<std::vector<duckdb::Value>> rows;
};

struct CatalogScanState : public duckdb::GlobalTableFunctionState {
  size_t next = 0;
};

// One row by column name; the built-in's columns it does not name are NULL.
using NamedRow = std::map<std::string, duckdb::Value>;

// The database every lake schema belongs to: the one current_database() names.
constexpr int64_t kDatabaseOid = 0;

duckdb::Value Text(const std::optional<std::string> &text) {
  return text ? duckdb::Value(*text) : duckdb::Value(duckdb::LogicalType::VARCHAR);
}

duckdb::Value Tags(const std::map<std::string, std::string> &tags) {
  duckdb::vector<duckdb::Value> keys, values;
  for (const auto &[key, value] : tags) {
    keys.emplace_back(key);
    values.emplace_back(value);
  }
  return duckdb::Value::MAP(duckdb::LogicalType::VARCHAR, duckdb::LogicalType::VARCHAR, std::move(keys),
                            std::move(values));
}

std::string Quoted(const std::string &name) { return duckdb::KeywordHelper::WriteOptionallyQuoted(name); }

// The statement that would create the table as it is now.
std::string CreateTableSql(const CatalogTable &table) {
  std::string sql = "CREATE TABLE " + Quoted(table.schema) + "." + Quoted(table.name) + "(";
  for (size_t i = 0; i < table.columns.size(); i++) {
    const auto &column = table.columns[i];
    sql += (i ? ", " : "") + Quoted(column.name) + " " + TypeFromLakeColumn(column).ToString();
    if (!column.nullable) sql += " NOT NULL";
    if (column.default_value) sql += " DEFAULT " + duckdb::KeywordHelper::WriteQuoted(*column.default_value, '\'');
  }
  return sql + ");";
}

// numeric_precision, numeric_precision_radix and numeric_scale as DuckDB reports them: bits for
// binary numbers, digits for decimals.
void AddNumericShape(const duckdb::LogicalType &type, NamedRow &row) {
  using Id = duckdb::LogicalTypeId;
  static const std::map<Id, int32_t> kBits = {
      {Id::TINYINT, 8},   {Id::UTINYINT, 8},   {Id::SMALLINT, 16}, {Id::USMALLINT, 16},
      {Id::INTEGER, 32},  {Id::UINTEGER, 32},  {Id::BIGINT, 64},   {Id::UBIGINT, 64},
      {Id::HUGEINT, 128}, {Id::UHUGEINT, 128}, {Id::FLOAT, 24},    {Id::DOUBLE, 53}};
  if (type.id() == Id::DECIMAL) {
    row["numeric_precision"] = duckdb::Value::INTEGER(duckdb::DecimalType::GetWidth(type));
    row["numeric_precision_radix"] = duckdb::Value::INTEGER(10);
    row["numeric_scale"] = duckdb::Value::INTEGER(duckdb::DecimalType::GetScale(type));
    return;
  }
  auto bits = kBits.find(type.id());
  if (bits == kBits.end()) return;
  row["numeric_precision"] = duckdb::Value::INTEGER(bits->second);
  row["numeric_precision_radix"] = duckdb::Value::INTEGER(2);
  if (type.id() != Id::FLOAT && type.id() != Id::DOUBLE) row["numeric_scale"] = duckdb::Value::INTEGER(0);
}

std::vector<NamedRow> Rows(CatalogKind kind, const VisibleCatalog &catalog, const std::string &database) {
  std::vector<NamedRow> rows;
  const NamedRow in_database = {{"database_name", duckdb::Value(database)},
                                {"database_oid", duckdb::Value::BIGINT(kDatabaseOid)},
                                {"internal", duckdb::Value::BOOLEAN(false)}};
  switch (kind) {
    case CatalogKind::kDatabases: {
      auto row = in_database;
      row["tags"] = Tags({});
      row["type"] = duckdb::Value("ducklake");
      row["readonly"] = duckdb::Value::BOOLEAN(false);
      row["encrypted"] = duckdb::Value::BOOLEAN(false);
      rows.push_back(std::move(row));
      break;
    }
    case CatalogKind::kSchemas:
      for (const auto &schema : catalog.schemas) {
        auto row = in_database;
        row["oid"] = duckdb::Value::BIGINT(schema.id);
        row["schema_name"] = duckdb::Value(schema.name);
        row["tags"] = Tags({});
        rows.push_back(std::move(row));
      }
      break;
    case CatalogKind::kTables:
    case CatalogKind::kColumns: {
      std::map<std::string, int64_t> schema_ids;
      for (const auto &schema : catalog.schemas) schema_ids.emplace(schema.name, schema.id);
      for (const auto &table : catalog.tables) {
        auto in_table = in_database;
        in_table["schema_name"] = duckdb::Value(table.schema);
        in_table["table_name"] = duckdb::Value(table.name);
        in_table["table_oid"] = duckdb::Value::BIGINT(table.id);
        if (auto id = schema_ids.find(table.schema); id != schema_ids.end()) {
          in_table["schema_oid"] = duckdb::Value::BIGINT(id->second);
        }
        if (kind == CatalogKind::kTables) {
          auto row = in_table;
          row["comment"] = Text(table.comment);
          row["tags"] = Tags(table.tags);
          row["temporary"] = duckdb::Value::BOOLEAN(false);
          row["has_primary_key"] = duckdb::Value::BOOLEAN(false);
          row["estimated_size"] = duckdb::Value::BIGINT(table.record_count);
          row["column_count"] = duckdb::Value::BIGINT(static_cast<int64_t>(table.columns.size()));
          row["index_count"] = duckdb::Value::BIGINT(0);
          row["check_constraint_count"] = duckdb::Value::BIGINT(0);
          row["sql"] = duckdb::Value(CreateTableSql(table));
          rows.push_back(std::move(row));
          continue;
        }
        for (size_t i = 0; i < table.columns.size(); i++) {
          const auto &column = table.columns[i];
          auto type = TypeFromLakeColumn(column);
          auto row = in_table;
          auto comment = table.column_comments.find(column.id);
          row["column_name"] = duckdb::Value(column.name);
          row["column_index"] = duckdb::Value::INTEGER(static_cast<int32_t>(i + 1));
          row["comment"] = comment == table.column_comments.end() ? Text(std::nullopt) : Text(comment->second);
          row["column_default"] = Text(column.default_value);
          row["is_nullable"] = duckdb::Value::BOOLEAN(column.nullable);
          row["data_type"] = duckdb::Value(type.ToString());
          row["data_type_id"] = duckdb::Value::BIGINT(static_cast<int64_t>(type.id()));
          AddNumericShape(type, row);
          rows.push_back(std::move(row));
        }
      }
      break;
    }
    case CatalogKind::kTableInfo:
      for (const auto &table : catalog.tables) {
        NamedRow row;
        row["table_name"] = duckdb::Value(table.name);
        for (const auto &schema : catalog.schemas) {
          if (schema.name == table.schema) row["schema_id"] = duckdb::Value::BIGINT(schema.id);
        }
        row["table_id"] = duckdb::Value::BIGINT(table.id);
        row["table_uuid"] = duckdb::Value(table.uuid);
        row["file_count"] = duckdb::Value::BIGINT(table.file_count);
        row["file_size_bytes"] = duckdb::Value::BIGINT(table.file_size_bytes);
        row["delete_file_count"] = duckdb::Value::BIGINT(table.delete_file_count);
        row["delete_file_size_bytes"] = duckdb::Value::BIGINT(table.delete_file_size_bytes);
        rows.push_back(std::move(row));
      }
      break;
    case CatalogKind::kNothing:
    case CatalogKind::kSnapshots:
      break;
  }
  return rows;
}

std::vector<NamedRow> SnapshotRows(const std::vector<LakeSnapshot> &snapshots) {
  std::vector<NamedRow> rows;
  for (const auto &snapshot : snapshots) {
    NamedRow row;
    row["snapshot_id"] = duckdb::Value::BIGINT(snapshot.id);
    row["snapshot_time"] = duckdb::Value::TIMESTAMPTZ(duckdb::timestamp_tz_t(snapshot.unix_us));
    row["schema_version"] = duckdb::Value::BIGINT(snapshot.schema_version);
    row["changes"] = SnapshotChanges(snapshot.changes);
    row["author"] = Text(snapshot.author);
    row["commit_message"] = Text(snapshot.message);
    row["commit_extra_info"] = Text(snapshot.extra_info);
    rows.push_back(std::move(row));
  }
  return rows;
}

// A changes_made value as the extension names it ("s"."t": s.t).
std::string ChangeValue(const std::string &value) {
  std::string text;
  bool quoted = false;
  for (size_t i = 0; i < value.size(); i++) {
    char c = value[i];
    if (c == '"') {
      if (quoted && i + 1 < value.size() && value[i + 1] == '"') {
        text += '"';
        i++;
      } else {
        quoted = !quoted;
      }
    } else {
      text += c;
    }
  }
  return text;
}

duckdb::unique_ptr<duckdb::FunctionData> CatalogBind(duckdb::ClientContext &context,
                                                     duckdb::TableFunctionBindInput &input,
                                                     duckdb::vector<duckdb::LogicalType> &types,
                                                     duckdb::vector<std::string> &names) {
  const auto &info = input.info->Cast<CatalogFunctionInfo>();
  names.assign(info.names.begin(), info.names.end());
  types.assign(info.types.begin(), info.types.end());
  auto data = duckdb::make_uniq<CatalogRows>();
  std::vector<NamedRow> named_rows;
  if (info.kind == CatalogKind::kSnapshots) {
    const auto *snapshots = info.snapshots(context);
    if (!snapshots) return data;
    named_rows = SnapshotRows(*snapshots);
  } else {
    const VisibleCatalog *catalog = info.source(context);
    if (!catalog) return data;
    named_rows = Rows(info.kind, *catalog, duckdb::DatabaseManager::GetDefaultDatabase(context));
  }
  for (auto &named : named_rows) {
    std::vector<duckdb::Value> row;
    for (size_t i = 0; i < info.names.size(); i++) {
      auto value = named.find(info.names[i]);
      row.push_back(value == named.end() ? duckdb::Value(info.types[i]) : value->second.DefaultCastAs(info.types[i]));
    }
    data->rows.push_back(std::move(row));
  }
  return data;
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> CatalogInit(duckdb::ClientContext &,
                                                                 duckdb::TableFunctionInitInput &) {
  return duckdb::make_uniq<CatalogScanState>();
}

void CatalogScan(duckdb::ClientContext &, duckdb::TableFunctionInput &input, duckdb::DataChunk &output) {
  const auto &rows = input.bind_data->Cast<CatalogRows>().rows;
  auto &state = input.global_state->Cast<CatalogScanState>();
  duckdb::idx_t count = 0;
  for (; state.next < rows.size() && count < STANDARD_VECTOR_SIZE; state.next++, count++) {
    for (duckdb::idx_t column = 0; column < output.ColumnCount(); column++) {
      output.SetValue(column, count, rows[state.next][column]);
    }
  }
  output.SetCardinality(count);
}

void Register(duckdb::Connection &con, duckdb::TableFunction function,
              duckdb::shared_ptr<CatalogFunctionInfo> function_info) {
  function.function_info = std::move(function_info);
  RegisterSystemTableFunction(con, std::move(function));
}

}  // namespace

void RegisterSystemTableFunction(duckdb::Connection &con, duckdb::TableFunction function) {
  duckdb::CreateTableFunctionInfo info(function);
  info.on_conflict = duckdb::OnCreateConflict::REPLACE_ON_CONFLICT;
  con.BeginTransaction();
  duckdb::Catalog::GetSystemCatalog(*con.context).CreateTableFunction(*con.context, info);
  con.Commit();
}

duckdb::Value SnapshotChanges(const std::string &changes_made) {
  // The extension's names of the kinds of change, in the order its map lists them; kinds it does
  // not name (compacted_table) are left out.
  static const std::vector<std::pair<std::string, std::string>> kOrderedKinds = {
      {"created_schema", "schemas_created"},         {"created_table", "tables_created"},
      {"created_view", "views_created"},             {"inserted_into_table", "tables_inserted_into"},
      {"deleted_from_table", "tables_deleted_from"}, {"inlined_insert", "inlined_insert"},
      {"inlined_delete", "inlined_delete"},          {"flushed_inlined", "flushed_inlined"},
      {"altered_table", "tables_altered"},           {"altered_view", "views_altered"},
      {"dropped_table", "tables_dropped"},           {"dropped_view", "views_dropped"},
      {"dropped_schema", "schemas_dropped"}};
  static const std::map<std::string, std::string> kKinds(kOrderedKinds.begin(), kOrderedKinds.end());
  std::map<std::string, duckdb::vector<duckdb::Value>> values;
  // Changes are comma-separated kind:value pairs; a quoted name may hold a comma.
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= changes_made.size(); i++) {
    if (i < changes_made.size() && changes_made[i] == '"') quoted = !quoted;
    if (i < changes_made.size() && (quoted || changes_made[i] != ',')) continue;
    auto change = changes_made.substr(start, i - start);
    start = i + 1;
    auto colon = change.find(':');
    if (colon == std::string::npos) continue;
    auto kind = kKinds.find(change.substr(0, colon));
    if (kind == kKinds.end()) continue;
    values[kind->second].emplace_back(ChangeValue(change.substr(colon + 1)));
  }
  duckdb::vector<duckdb::Value> keys, lists;
  for (const auto &[ignored, kind] : kOrderedKinds) {
    if (!values.count(kind)) continue;
    keys.emplace_back(kind);
    lists.push_back(duckdb::Value::LIST(duckdb::LogicalType::VARCHAR, std::move(values[kind])));
  }
  return duckdb::Value::MAP(duckdb::LogicalType::VARCHAR, duckdb::LogicalType::LIST(duckdb::LogicalType::VARCHAR),
                            std::move(keys), std::move(lists));
}

void RegisterCatalogFunctions(duckdb::Connection &con, CatalogSource source, SnapshotSource snapshots) {
  const std::pair<const char *, CatalogKind> replaced[] = {
      {"duckdb_databases", CatalogKind::kDatabases}, {"duckdb_schemas", CatalogKind::kSchemas},
      {"duckdb_tables", CatalogKind::kTables},       {"duckdb_columns", CatalogKind::kColumns},
      {"duckdb_views", CatalogKind::kNothing},       {"duckdb_indexes", CatalogKind::kNothing},
      {"duckdb_sequences", CatalogKind::kNothing}};
  for (const auto &[name, kind] : replaced) {
    auto shape = con.Query(fmt::format("SELECT * FROM {}() LIMIT 0", name));
    if (shape->HasError()) throw MakeError(ErrorKind::kInternal, "{}: {}", name, shape->GetError());
    Register(con, duckdb::TableFunction(name, {}, CatalogScan, CatalogBind, CatalogInit),
             duckdb::make_shared_ptr<CatalogFunctionInfo>(
                 kind, std::vector<std::string>(shape->names.begin(), shape->names.end()),
                 std::vector<duckdb::LogicalType>(shape->types.begin(), shape->types.end()), source, snapshots));
  }
  using Type = duckdb::LogicalType;
  const std::tuple<const char *, CatalogKind, std::vector<std::string>, std::vector<Type>> lake_functions[] = {
      {"ducklake_snapshots",
       CatalogKind::kSnapshots,
       {"snapshot_id", "snapshot_time", "schema_version", "changes", "author", "commit_message", "commit_extra_info"},
       {Type::BIGINT, Type::TIMESTAMP_TZ, Type::BIGINT, Type::MAP(Type::VARCHAR, Type::LIST(Type::VARCHAR)),
        Type::VARCHAR, Type::VARCHAR, Type::VARCHAR}},
      {"ducklake_table_info",
       CatalogKind::kTableInfo,
       {"table_name", "schema_id", "table_id", "table_uuid", "file_count", "file_size_bytes", "delete_file_count",
        "delete_file_size_bytes"},
       {Type::VARCHAR, Type::BIGINT, Type::BIGINT, Type::UUID, Type::BIGINT, Type::BIGINT, Type::BIGINT, Type::BIGINT}}};
  for (const auto &[name, kind, names, types] : lake_functions) {
    Register(con, duckdb::TableFunction(name, {Type::VARCHAR}, CatalogScan, CatalogBind, CatalogInit),
             duckdb::make_shared_ptr<CatalogFunctionInfo>(kind, names, types, source, snapshots));
  }
}

bool IsCatalogFunction(const duckdb::TableFunction &function) {
  return function.function_info && dynamic_cast<CatalogFunctionInfo *>(function.function_info.get()) != nullptr;
}

}  // namespace ducklake
