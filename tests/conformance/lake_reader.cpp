#include "lake_reader.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "catalog/inlined_data.hpp"
#include "duckdb.hpp"
#include "meta/meta_store.hpp"

namespace ducklake::conformance {
namespace {

std::string Quote(const std::string &name) { return duckdb::KeywordHelper::WriteQuoted(name, '"'); }
std::string Literal(const std::string &text) { return duckdb::KeywordHelper::WriteQuoted(text, '\''); }

// The database a catalog is attached as while its rows are copied (plain DuckDB, no extension).
constexpr const char *kCatalogCopy = "lake_catalog_copy";

struct CatalogTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<duckdb::LogicalType> types;
};

duckdb::Value FromMeta(const SqlValue &value) {
  if (auto v = std::get_if<int64_t>(&value)) return duckdb::Value::BIGINT(*v);
  if (auto v = std::get_if<double>(&value)) return duckdb::Value::DOUBLE(*v);
  if (auto v = std::get_if<std::string>(&value)) return duckdb::Value(*v);
  return duckdb::Value();
}

SqlValue ToMeta(const duckdb::Value &value) {
  if (value.IsNull()) return std::monostate{};
  switch (value.type().id()) {
    case duckdb::LogicalTypeId::BOOLEAN:
      return static_cast<int64_t>(value.GetValue<bool>());
    case duckdb::LogicalTypeId::TINYINT:
    case duckdb::LogicalTypeId::SMALLINT:
    case duckdb::LogicalTypeId::INTEGER:
    case duckdb::LogicalTypeId::BIGINT:
    case duckdb::LogicalTypeId::UTINYINT:
    case duckdb::LogicalTypeId::USMALLINT:
    case duckdb::LogicalTypeId::UINTEGER:
      return value.GetValue<int64_t>();
    case duckdb::LogicalTypeId::FLOAT:
    case duckdb::LogicalTypeId::DOUBLE:
      return value.GetValue<double>();
    default:
      return value.ToString();
  }
}

// The DuckDB type of a lake column (a ducklake_column row of `table_id` as of `at`, with its
// children): how the extension types an inlined-data table's columns.
std::string DuckDbType(MetaTransaction &txn, int64_t table_id, int64_t at, int64_t column_id, const std::string &type) {
  static const std::map<std::string, std::string> names = {
      {"boolean", "BOOLEAN"},     {"int8", "TINYINT"},     {"int16", "SMALLINT"},      {"int32", "INTEGER"},
      {"int64", "BIGINT"},        {"int128", "HUGEINT"},   {"uint8", "UTINYINT"},      {"uint16", "USMALLINT"},
      {"uint32", "UINTEGER"},     {"uint64", "UBIGINT"},   {"uint128", "UHUGEINT"},    {"float32", "FLOAT"},
      {"float64", "DOUBLE"},      {"varchar", "VARCHAR"},  {"blob", "BLOB"},           {"date", "DATE"},
      {"time", "TIME"},           {"timetz", "TIMETZ"},    {"timestamp", "TIMESTAMP"}, {"timestamptz", "TIMESTAMPTZ"},
      {"timestamp_s", "TIMESTAMP_S"}, {"timestamp_ms", "TIMESTAMP_MS"}, {"timestamp_ns", "TIMESTAMP_NS"},
      {"interval", "INTERVAL"},   {"uuid", "UUID"},        {"json", "JSON"}};
  if (auto it = names.find(type); it != names.end()) return it->second;
  if (type.rfind("decimal", 0) == 0) return "DECIMAL" + type.substr(7);
  auto children = txn.Query("SELECT column_id, column_name, column_type FROM ducklake_column WHERE table_id = ? AND "
                            "parent_column = ? AND begin_snapshot <= ? AND (end_snapshot IS NULL OR end_snapshot > ?) "
                            "ORDER BY column_order",
                            {table_id, column_id, at, at});
  auto child = [&](size_t i) { return DuckDbType(txn, table_id, at, children.at(i).Int(0), children.at(i).String(2)); };
  if (type == "list") return child(0) + "[]";
  if (type == "map") return "MAP(" + child(0) + ", " + child(1) + ")";
  if (type == "struct") {
    std::string fields;
    for (size_t i = 0; i < children.size(); i++) fields += (i ? ", " : "") + Quote(children[i].String(1)) + " " + child(i);
    return "STRUCT(" + fields + ")";
  }
  throw std::runtime_error("lake reader: no DuckDB type for the lake type " + type);
}

bool IsInlinedDataTable(const std::string &name) {
  return name.rfind(inlined_data::kTablePrefix, 0) == 0 && name != "ducklake_inlined_data_tables";
}

}  // namespace

struct LakeReader::Impl {
  std::unique_ptr<duckdb::DuckDB> db;
  std::unique_ptr<duckdb::Connection> connection;
  std::string lake_name, file;

  duckdb::unique_ptr<duckdb::MaterializedQueryResult> Must(const std::string &sql) {
    auto result = connection->Query(sql);
    if (result->HasError()) throw std::runtime_error("lake reader: " + result->GetError() + "\n  in: " + sql);
    return result;
  }

  // The DuckLake tables of the catalog attached as kCatalogCopy, with the extension's columns.
  std::vector<CatalogTable> Tables() {
    auto result = Must(std::string("SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = ") +
                       Literal(kCatalogCopy) + " AND table_name LIKE 'ducklake\\_%' ESCAPE '\\' "
                       "ORDER BY table_name, column_index");
    std::vector<CatalogTable> tables;
    for (duckdb::idx_t row = 0; row < result->RowCount(); row++) {
      auto name = result->GetValue(0, row).ToString();
      if (tables.empty() || tables.back().name != name) tables.push_back({name, {}, {}});
      tables.back().columns.push_back(result->GetValue(1, row).ToString());
      tables.back().types.push_back(duckdb::TransformStringToLogicalType(result->GetValue(2, row).ToString()));
    }
    return tables;
  }
};

LakeReader::LakeReader(const std::string &extension_path) : impl_(std::make_unique<Impl>()) {
  duckdb::DBConfig config;
  config.options.allow_unsigned_extensions = true;
  impl_->db = std::make_unique<duckdb::DuckDB>(nullptr, &config);
  impl_->connection = std::make_unique<duckdb::Connection>(*impl_->db);
  impl_->Must("LOAD " + Literal(extension_path));
}

LakeReader::~LakeReader() = default;

std::optional<std::string> LakeReader::DefaultExtensionPath() {
  if (const char *path = std::getenv("DUCKLAKE_REFERENCE_EXTENSION"); path && *path) return std::string(path);
  for (auto dir = std::filesystem::current_path(); !dir.empty(); dir = dir.parent_path()) {
    auto candidate = dir.parent_path() / "shared" / "ducklake-extension" / "ducklake.duckdb_extension";
    if (std::filesystem::exists(candidate)) return candidate.string();
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

void LakeReader::CopyIn(MetaStore &catalog, const std::string &file, const std::string &name,
                        const std::string &data_path, const std::string &options) {
  auto &impl = *impl_;
  std::filesystem::remove(file);
  std::filesystem::remove(file + ".wal");
  // The extension makes the file with its own DDL; its rows are then replaced by DuckLake's.
  impl.Must("ATTACH " + Literal("ducklake:" + file) + " AS " + Quote(name) + " (DATA_PATH " + Literal(data_path) + ")");
  impl.Must("DETACH " + Quote(name));
  impl.Must("ATTACH " + Literal(file) + " AS " + kCatalogCopy);
  auto txn = catalog.Begin(TransactionMode::kRead);
  for (const auto &table : impl.Tables()) {
    if (IsInlinedDataTable(table.name)) continue;
    impl.Must("DELETE FROM " + std::string(kCatalogCopy) + ".main." + Quote(table.name));
    std::string select = "SELECT ";
    for (size_t i = 0; i < table.columns.size(); i++) select += (i ? ", " : "") + Quote(table.columns[i]);
    auto rows = txn->Query(select + " FROM " + table.name);
    duckdb::Appender appender(*impl.connection, kCatalogCopy, "main", table.name);
    for (const auto &row : rows) {
      appender.BeginRow();
      for (size_t i = 0; i < row.values.size(); i++) {
        appender.Append(FromMeta(row.values[i]).DefaultCastAs(table.types[i]));
      }
      appender.EndRow();
    }
    appender.Close();
  }
  impl.Must(std::string("DETACH ") + kCatalogCopy);
  // The inlined-data tables, with the DuckDB types of the lake table's columns at their schema
  // version, as the extension itself describes the table at that version.
  struct Inlined {
    std::string name;
    std::vector<std::string> columns;
    std::vector<duckdb::LogicalType> types;
  };
  std::vector<Inlined> inlined;
  auto listed = txn->Query("SELECT i.table_name, i.schema_version, coalesce((SELECT max(v.begin_snapshot) FROM "
                           "ducklake_schema_versions v WHERE v.schema_version = i.schema_version), (SELECT "
                           "min(s.snapshot_id) FROM ducklake_snapshot s WHERE s.schema_version = i.schema_version)), "
                           "i.table_id FROM ducklake_inlined_data_tables i");
  if (!listed.empty()) {
    for (const auto &row : listed) {
      int64_t at = row.Int(2), table_id = row.Int(3);
      Inlined table{row.String(0), {"row_id", "begin_snapshot", "end_snapshot"},
                    {duckdb::LogicalType::BIGINT, duckdb::LogicalType::BIGINT, duckdb::LogicalType::BIGINT}};
      for (const auto &column : inlined_data::ColumnsAt(*txn, table_id, row.Int(1))) {
        table.columns.push_back(column.name);
        auto type = DuckDbType(*txn, table_id, at, column.id, column.type);
        table.types.push_back(impl.Must("SELECT NULL::" + type)->types[0]);
      }
      inlined.push_back(std::move(table));
    }
    impl.Must("ATTACH " + Literal(file) + " AS " + kCatalogCopy);
    for (const auto &table : inlined) {
      std::string definition;
      for (size_t i = 0; i < table.columns.size(); i++) {
        definition += (i ? ", " : "") + Quote(table.columns[i]) + " " + table.types[i].ToString();
      }
      impl.Must("CREATE TABLE " + std::string(kCatalogCopy) + ".main." + Quote(table.name) + " (" + definition + ")");
      duckdb::Appender appender(*impl.connection, kCatalogCopy, "main", table.name);
      for (const auto &row : txn->Query("SELECT * FROM " + table.name)) {
        appender.BeginRow();
        for (size_t i = 0; i < row.values.size(); i++) {
          appender.Append(FromMeta(row.values[i]).DefaultCastAs(table.types.at(i)));
        }
        appender.EndRow();
      }
      appender.Close();
    }
    impl.Must(std::string("DETACH ") + kCatalogCopy);
  }
  impl.Must("ATTACH " + Literal("ducklake:" + file) + " AS " + Quote(name) + " (DATA_PATH " + Literal(data_path) +
            options + ")");
  impl.Must("USE " + Quote(name));
  impl.lake_name = name;
  impl.file = file;
}

void LakeReader::CopyOut(MetaStore &catalog) {
  auto &impl = *impl_;
  impl.Must("USE memory");
  impl.Must("DETACH " + Quote(impl.lake_name));
  impl.Must("ATTACH " + Literal(impl.file) + " AS " + kCatalogCopy + " (READ_ONLY)");
  auto txn = catalog.Begin(TransactionMode::kWrite);
  // DuckLake's own inlined-data tables go; the copy's replace them (after the format's tables, whose
  // columns say what their values are).
  for (const auto &row : txn->Query("SELECT table_name FROM ducklake_inlined_data_tables")) {
    if (IsInlinedDataTable(row.String(0))) txn->Execute("DROP TABLE IF EXISTS " + row.String(0));
  }
  auto tables = impl.Tables();
  for (const auto &table : tables) {
    if (IsInlinedDataTable(table.name)) continue;
    txn->Execute("DELETE FROM " + table.name);
    std::string insert = "INSERT INTO " + table.name + " (";
    std::string marks;
    for (size_t i = 0; i < table.columns.size(); i++) {
      insert += (i ? ", " : "") + Quote(table.columns[i]);
      marks += i ? ", ?" : "?";
    }
    insert += ") VALUES (" + marks + ")";
    auto rows = impl.Must("SELECT * FROM " + std::string(kCatalogCopy) + ".main." + Quote(table.name));
    for (duckdb::idx_t row = 0; row < rows->RowCount(); row++) {
      std::vector<SqlValue> params;
      for (duckdb::idx_t column = 0; column < rows->ColumnCount(); column++) {
        params.push_back(ToMeta(rows->GetValue(column, row)));
      }
      txn->Execute(insert, params);
    }
  }
  auto listed = impl.Must("SELECT table_name, table_id, schema_version FROM " + std::string(kCatalogCopy) +
                          ".main.ducklake_inlined_data_tables");
  txn->Execute("DELETE FROM ducklake_inlined_data_tables");
  for (duckdb::idx_t i = 0; i < listed->RowCount(); i++) {
    auto table_name = listed->GetValue(0, i).ToString();
    auto table_id = listed->GetValue(1, i).GetValue<int64_t>();
    auto schema_version = listed->GetValue(2, i).GetValue<int64_t>();
    auto columns = inlined_data::ColumnsAt(*txn, table_id, schema_version);
    auto rows = impl.Must("SELECT * FROM " + std::string(kCatalogCopy) + ".main." + Quote(table_name));
    std::vector<StoredRow> stored;
    for (duckdb::idx_t r = 0; r < rows->RowCount(); r++) {
      StoredRow row;
      row.row_id = rows->GetValue(0, r).GetValue<int64_t>();
      row.begin_snapshot = rows->GetValue(1, r).GetValue<int64_t>();
      if (!rows->GetValue(2, r).IsNull()) row.end_snapshot = rows->GetValue(2, r).GetValue<int64_t>();
      for (duckdb::idx_t c = 3; c < rows->ColumnCount(); c++) {
        auto value = rows->GetValue(c, r);
        row.values.push_back(value.IsNull() ? std::nullopt : std::optional<std::string>(value.ToString()));
      }
      stored.push_back(std::move(row));
    }
    inlined_data::Replace(*txn, catalog.Dialect(), table_id, schema_version, columns, stored);
  }
  txn->Commit();
  impl.Must(std::string("DETACH ") + kCatalogCopy);
}

ReferenceResult LakeReader::Run(const std::string &sql) { return Reference::RunOn(*impl_->connection, sql); }

}  // namespace ducklake::conformance
