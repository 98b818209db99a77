#include "engine/json_result.hpp"

#include <fmt/format.h>

#include <cmath>

#include "common/json.hpp"
#include "duckdb/common/types/date.hpp"
#include "duckdb/common/types/timestamp.hpp"
#include "duckdb/common/types/value.hpp"
#include "duckdb/common/types/vector.hpp"

namespace ducklake {
namespace {

using duckdb::LogicalTypeId;
using duckdb::Value;

constexpr int64_t kMaxSafeJsonInteger = (int64_t{1} << 53);

// JSON has no NaN or infinity: they are the strings "NaN", "Infinity" and "-Infinity" (null is NULL).
// A whole double keeps a ".0" ("-0.0", "1.0"), so typed clients read a float where DuckDB has one
// and the sign of zero survives.
void AppendJsonNumber(double value, std::string &out) {
  if (std::isfinite(value)) {
    auto start = out.size();
    fmt::format_to(std::back_inserter(out), "{}", value);
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
  } else if (std::isnan(value)) {
    out += "\"NaN\"";
  } else {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  }
}

void AppendValue(const Value &value, std::string &out);

void AppendArray(const duckdb::vector<Value> &values, std::string &out) {
  out += '[';
  for (size_t i = 0; i < values.size(); i++) {
    if (i) out += ',';
    AppendValue(values[i], out);
  }
  out += ']';
}

void AppendValue(const Value &value, std::string &out) {
  if (value.IsNull()) {
    out += "null";
    return;
  }
  const auto &type = value.type();
  switch (type.id()) {
    case LogicalTypeId::BOOLEAN:
      out += value.GetValue<bool>() ? "true" : "false";
      return;
    case LogicalTypeId::TINYINT:
    case LogicalTypeId::SMALLINT:
    case LogicalTypeId::INTEGER:
    case LogicalTypeId::UTINYINT:
    case LogicalTypeId::USMALLINT:
    case LogicalTypeId::UINTEGER:
      fmt::format_to(std::back_inserter(out), "{}", value.GetValue<int64_t>());
      return;
    case LogicalTypeId::BIGINT: {
      auto v = value.GetValue<int64_t>();
      if (v > -kMaxSafeJsonInteger && v < kMaxSafeJsonInteger) {
        fmt::format_to(std::back_inserter(out), "{}", v);
      } else {
        fmt::format_to(std::back_inserter(out), "\"{}\"", v);
      }
      return;
    }
    case LogicalTypeId::FLOAT:
    case LogicalTypeId::DOUBLE: {
      AppendJsonNumber(value.GetValue<double>(), out);
      return;
    }
    case LogicalTypeId::LIST:
    case LogicalTypeId::ARRAY: {
      AppendArray(type.id() == LogicalTypeId::LIST ? duckdb::ListValue::GetChildren(value)
                                                   : duckdb::ArrayValue::GetChildren(value),
                  out);
      return;
    }
    case LogicalTypeId::STRUCT: {
      const auto &children = duckdb::StructValue::GetChildren(value);
      const auto &child_types = duckdb::StructType::GetChildTypes(type);
      if (duckdb::StructType::IsUnnamed(type)) {
        // row(...) and tuples have no field names: an array (an object would repeat the key "").
        AppendArray(children, out);
        return;
      }
      out += '{';
      for (size_t i = 0; i < children.size(); i++) {
        if (i) out += ',';
        AppendJsonString(child_types[i].first, out);
        out += ':';
        AppendValue(children[i], out);
      }
      out += '}';
      return;
    }
    case LogicalTypeId::MAP: {
      // Keys of any type: a list of {"key":..,"value":..} keeps them all.
      const auto &entries = duckdb::ListValue::GetChildren(value);
      out += '[';
      for (size_t i = 0; i < entries.size(); i++) {
        if (i) out += ',';
        const auto &pair = duckdb::StructValue::GetChildren(entries[i]);
        out += "{\"key\":";
        AppendValue(pair[0], out);
        out += ",\"value\":";
        AppendValue(pair[1], out);
        out += '}';
      }
      out += ']';
      return;
    }
    default:
      AppendJsonString(value.ToString(), out);
  }
}

}  // namespace

std::string JsonResultHeader(const std::vector<std::string> &names, const std::vector<duckdb::LogicalType> &types) {
  std::string out = "{\"columns\":[";
  for (size_t i = 0; i < names.size(); i++) {
    if (i) out += ',';
    out += "{\"name\":";
    AppendJsonString(names[i], out);
    out += ",\"type\":";
    AppendJsonString(types[i].ToString(), out);
    out += '}';
  }
  out += "],\"rows\":[";
  return out;
}

void AppendJsonRows(duckdb::DataChunk &chunk, bool &first_row, std::string &out) {
  // The common scalar types are read straight from their vectors; anything else goes through
  // Value, which is general but an order of magnitude slower.
  auto count = chunk.size();
  std::vector<duckdb::UnifiedVectorFormat> formats(chunk.ColumnCount());
  for (duckdb::idx_t column = 0; column < chunk.ColumnCount(); column++) {
    chunk.data[column].ToUnifiedFormat(count, formats[column]);
  }
  for (duckdb::idx_t row = 0; row < count; row++) {
    out += first_row ? "\n[" : ",\n[";
    first_row = false;
    for (duckdb::idx_t column = 0; column < chunk.ColumnCount(); column++) {
      if (column) out += ',';
      const auto &format = formats[column];
      auto index = format.sel->get_index(row);
      if (!format.validity.RowIsValid(index)) {
        out += "null";
        continue;
      }
      switch (chunk.data[column].GetType().id()) {
        case LogicalTypeId::INTEGER:
          fmt::format_to(std::back_inserter(out), "{}", reinterpret_cast<const int32_t *>(format.data)[index]);
          break;
        case LogicalTypeId::BIGINT: {
          auto v = reinterpret_cast<const int64_t *>(format.data)[index];
          if (v > -kMaxSafeJsonInteger && v < kMaxSafeJsonInteger) {
            fmt::format_to(std::back_inserter(out), "{}", v);
          } else {
            fmt::format_to(std::back_inserter(out), "\"{}\"", v);
          }
          break;
        }
        case LogicalTypeId::DOUBLE: {
          AppendJsonNumber(reinterpret_cast<const double *>(format.data)[index], out);
          break;
        }
        case LogicalTypeId::BOOLEAN:
          out += reinterpret_cast<const bool *>(format.data)[index] ? "true" : "false";
          break;
        case LogicalTypeId::VARCHAR: {
          if (chunk.data[column].GetType().IsJSONType()) {
            AppendValue(chunk.GetValue(column, row), out);
            break;
          }
          const auto &text = reinterpret_cast<const duckdb::string_t *>(format.data)[index];
          AppendJsonString(std::string(text.GetData(), text.GetSize()), out);
          break;
        }
        case LogicalTypeId::TIMESTAMP:
          AppendJsonString(duckdb::Timestamp::ToString(reinterpret_cast<const duckdb::timestamp_t *>(format.data)[index]),
                           out);
          break;
        case LogicalTypeId::DATE:
          AppendJsonString(duckdb::Date::ToString(reinterpret_cast<const duckdb::date_t *>(format.data)[index]), out);
          break;
        default:
          AppendValue(chunk.GetValue(column, row), out);
      }
    }
    out += ']';
  }
}

}  // namespace ducklake
