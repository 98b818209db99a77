#include "lake_reader.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

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
  for (const auto &table : impl.Tables()) {
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
  txn->Commit();
  impl.Must(std::string("DETACH ") + kCatalogCopy);
}

ReferenceResult LakeReader::Run(const std::string &sql) { return Reference::RunOn(*impl_->connection, sql); }

}  // namespace ducklake::conformance
