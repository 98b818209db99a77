#include "engine/type_mapping.hpp"

#include "common/error.hpp"
#include "duckdb/common/types/decimal.hpp"

namespace ducklake {
namespace {

using duckdb::LogicalType;
using duckdb::LogicalTypeId;

struct SimpleType {
  LogicalTypeId id;
  const char *lake_name;
};

const SimpleType kSimpleTypes[] = {
    {LogicalTypeId::BOOLEAN, "boolean"},      {LogicalTypeId::TINYINT, "int8"},
    {LogicalTypeId::SMALLINT, "int16"},       {LogicalTypeId::INTEGER, "int32"},
    {LogicalTypeId::BIGINT, "int64"},         {LogicalTypeId::HUGEINT, "int128"},
    {LogicalTypeId::UTINYINT, "uint8"},       {LogicalTypeId::USMALLINT, "uint16"},
    {LogicalTypeId::UINTEGER, "uint32"},      {LogicalTypeId::UBIGINT, "uint64"},
    {LogicalTypeId::UHUGEINT, "uint128"},     {LogicalTypeId::FLOAT, "float32"},
    {LogicalTypeId::DOUBLE, "float64"},       {LogicalTypeId::DATE, "date"},
    {LogicalTypeId::TIME, "time"},            {LogicalTypeId::TIME_TZ, "timetz"},
    {LogicalTypeId::TIMESTAMP, "timestamp"},  {LogicalTypeId::TIMESTAMP_TZ, "timestamptz"},
    {LogicalTypeId::TIMESTAMP_SEC, "timestamp_s"}, {LogicalTypeId::TIMESTAMP_MS, "timestamp_ms"},
    {LogicalTypeId::TIMESTAMP_NS, "timestamp_ns"}, {LogicalTypeId::INTERVAL, "interval"},
    {LogicalTypeId::BLOB, "blob"},            {LogicalTypeId::UUID, "uuid"},
};

}  // namespace

ColumnDef LakeColumnFromType(const std::string &name, const LogicalType &type) {
  ColumnDef column;
  column.name = name;
  if (type.IsJSONType()) {
    column.type = "json";
    return column;
  }
  switch (type.id()) {
    case LogicalTypeId::VARCHAR:
      // The DuckLake format has no place for a collation; dropping it would change comparisons.
      if (!duckdb::StringType::GetCollation(type).empty()) {
        throw MakeError(ErrorKind::kInvalidInput, "column '{}': collations (COLLATE {}) are not supported in lake tables",
                        name, duckdb::StringType::GetCollation(type));
      }
      column.type = "varchar";
      return column;
    case LogicalTypeId::ENUM:
      column.type = "varchar";
      return column;
    case LogicalTypeId::DECIMAL:
      column.type = fmt::format("decimal({},{})", duckdb::DecimalType::GetWidth(type), duckdb::DecimalType::GetScale(type));
      return column;
    case LogicalTypeId::STRUCT:
      column.type = "struct";
      for (const auto &child : duckdb::StructType::GetChildTypes(type)) {
        column.children.push_back(LakeColumnFromType(child.first, child.second));
      }
      return column;
    case LogicalTypeId::LIST:
    case LogicalTypeId::ARRAY:
      column.type = "list";
      column.children.push_back(LakeColumnFromType(
          "element", type.id() == LogicalTypeId::LIST ? duckdb::ListType::GetChildType(type)
                                                        : duckdb::ArrayType::GetChildType(type)));
      return column;
    case LogicalTypeId::MAP:
      column.type = "map";
      column.children.push_back(LakeColumnFromType("key", duckdb::MapType::KeyType(type)));
      column.children.push_back(LakeColumnFromType("value", duckdb::MapType::ValueType(type)));
      return column;
    default:
      break;
  }
  for (const auto &simple : kSimpleTypes) {
    if (simple.id == type.id()) {
      column.type = simple.lake_name;
      return column;
    }
  }
  throw MakeError(ErrorKind::kInvalidInput, "column '{}' has type {}, which a lake table cannot store", name,
                  type.ToString());
}

LogicalType TypeFromLakeColumn(const ColumnDef &column) {
  const auto &type = column.type;
  if (type == "varchar") return LogicalType::VARCHAR;
  if (type == "json") return LogicalType::JSON();
  if (type.rfind("decimal(", 0) == 0) {
    unsigned width = 0, scale = 0;
    if (sscanf(type.c_str(), "decimal(%u,%u)", &width, &scale) != 2 || width < 1 || width > 38 || scale > width) {
      throw MakeError(ErrorKind::kInternal, "malformed decimal type '{}' in the catalog", type);
    }
    return LogicalType::DECIMAL(static_cast<uint8_t>(width), static_cast<uint8_t>(scale));
  }
  if (type == "struct") {
    duckdb::child_list_t<LogicalType> children;
    for (const auto &child : column.children) children.emplace_back(child.name, TypeFromLakeColumn(child));
    return LogicalType::STRUCT(std::move(children));
  }
  if (type == "list" && column.children.size() == 1) return LogicalType::LIST(TypeFromLakeColumn(column.children[0]));
  if (type == "map" && column.children.size() == 2) {
    return LogicalType::MAP(TypeFromLakeColumn(column.children[0]), TypeFromLakeColumn(column.children[1]));
  }
  for (const auto &simple : kSimpleTypes) {
    if (type == simple.lake_name) return LogicalType(simple.id);
  }
  throw MakeError(ErrorKind::kInternal, "unknown column type '{}' in the catalog", type);
}

namespace {

bool StoredAsText(LogicalTypeId id) {
  return id == LogicalTypeId::HUGEINT || id == LogicalTypeId::UHUGEINT || id == LogicalTypeId::INTERVAL ||
         id == LogicalTypeId::TIME_TZ;
}

// Whether `predicate` holds for `type` or any type inside it.
bool AnyPart(const LogicalType &type, bool (*predicate)(const LogicalType &)) {
  if (predicate(type)) return true;
  switch (type.id()) {
    case LogicalTypeId::LIST:
      return AnyPart(duckdb::ListType::GetChildType(type), predicate);
    case LogicalTypeId::MAP:
      return AnyPart(duckdb::MapType::KeyType(type), predicate) || AnyPart(duckdb::MapType::ValueType(type), predicate);
    case LogicalTypeId::STRUCT:
      for (const auto &child : duckdb::StructType::GetChildTypes(type)) {
        if (AnyPart(child.second, predicate)) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace

LogicalType StorageType(const LogicalType &type) {
  if (StoredAsText(type.id())) return LogicalType::VARCHAR;
  // The Parquet writer converts these to microseconds itself, and fails on infinity doing so.
  if (type.id() == LogicalTypeId::TIMESTAMP_SEC || type.id() == LogicalTypeId::TIMESTAMP_MS) return LogicalType::TIMESTAMP;
  switch (type.id()) {
    case LogicalTypeId::LIST:
      return LogicalType::LIST(StorageType(duckdb::ListType::GetChildType(type)));
    case LogicalTypeId::MAP:
      return LogicalType::MAP(StorageType(duckdb::MapType::KeyType(type)), StorageType(duckdb::MapType::ValueType(type)));
    case LogicalTypeId::STRUCT: {
      auto children = duckdb::StructType::GetChildTypes(type);
      for (auto &child : children) child.second = StorageType(child.second);
      return LogicalType::STRUCT(std::move(children));
    }
    default:
      return type;  // lake columns hold no other types with children (see TypeFromLakeColumn)
  }
}

bool ReadsBackAsOtherType(const LogicalType &type) {
  return AnyPart(type, [](const LogicalType &part) {
    auto id = part.id();
    return StoredAsText(id) || id == LogicalTypeId::TIMESTAMP_SEC || id == LogicalTypeId::TIMESTAMP_MS ||
           part.IsJSONType();
  });
}

LogicalType SchemaOptionType(const LogicalType &type) {
  if (type.IsJSONType()) return LogicalType::VARCHAR;
  switch (type.id()) {
    case LogicalTypeId::LIST:
      return LogicalType::LIST(SchemaOptionType(duckdb::ListType::GetChildType(type)));
    case LogicalTypeId::MAP:
      return LogicalType::MAP(SchemaOptionType(duckdb::MapType::KeyType(type)),
                              SchemaOptionType(duckdb::MapType::ValueType(type)));
    case LogicalTypeId::STRUCT: {
      auto children = duckdb::StructType::GetChildTypes(type);
      for (auto &child : children) child.second = SchemaOptionType(child.second);
      return LogicalType::STRUCT(std::move(children));
    }
    default:
      return type;
  }
}

bool StatisticsOrderValues(const ColumnDef &column) {
  return !StoredAsText(TypeFromLakeColumn(column).id());
}

}  // namespace ducklake
