#include "compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ducklake::conformance {
namespace {

using duckdb::LogicalType;
using duckdb::LogicalTypeId;
using duckdb::Value;
using Json = nlohmann::json;

// Relative tolerance of floating-point values: aggregates may add in another order.
constexpr double kDoubleTolerance = 1e-9;
constexpr double kFloatTolerance = 1e-6;
// Past this many rows a failed sorted comparison is not retried by matching rows one by one.
constexpr size_t kMaxMatchedRows = 5000;

bool IsInteger(LogicalTypeId id) {
  switch (id) {
    case LogicalTypeId::TINYINT:
    case LogicalTypeId::SMALLINT:
    case LogicalTypeId::INTEGER:
    case LogicalTypeId::BIGINT:
    case LogicalTypeId::HUGEINT:
    case LogicalTypeId::UTINYINT:
    case LogicalTypeId::USMALLINT:
    case LogicalTypeId::UINTEGER:
    case LogicalTypeId::UBIGINT:
    case LogicalTypeId::UHUGEINT:
      return true;
    default:
      return false;
  }
}

bool IsFloat(LogicalTypeId id) { return id == LogicalTypeId::FLOAT || id == LogicalTypeId::DOUBLE; }

// The JSON form of a non-finite number: "NaN", "Infinity", "-Infinity".
std::optional<double> JsonNumber(const Json &json) {
  if (json.is_number()) return json.get<double>();
  if (!json.is_string()) return std::nullopt;
  const auto &text = json.get_ref<const std::string &>();
  if (text == "NaN") return std::nan("");
  if (text == "Infinity") return HUGE_VAL;
  if (text == "-Infinity") return -HUGE_VAL;
  return std::nullopt;
}

std::string FloatKey(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  return fmt::format("{:.6g}", value);
}

const std::vector<Value> &ChildrenOf(const Value &value) {
  return value.type().id() == LogicalTypeId::ARRAY ? duckdb::ArrayValue::GetChildren(value)
                                                   : duckdb::ListValue::GetChildren(value);
}

// Canonical text of a reference value, for sorting rows (floats rounded).
std::string Key(const Value &value) {
  if (value.IsNull()) return "NULL";
  auto id = value.type().id();
  if (IsFloat(id)) return FloatKey(value.GetValue<double>());
  switch (id) {
    case LogicalTypeId::LIST:
    case LogicalTypeId::ARRAY: {
      std::string key = "[";
      for (const auto &child : ChildrenOf(value)) key += Key(child) + ",";
      return key + "]";
    }
    case LogicalTypeId::STRUCT: {
      std::string key = "{";
      for (const auto &child : duckdb::StructValue::GetChildren(value)) key += Key(child) + ",";
      return key + "}";
    }
    case LogicalTypeId::MAP: {
      std::string key = "{";
      for (const auto &entry : duckdb::ListValue::GetChildren(value)) {
        const auto &pair = duckdb::StructValue::GetChildren(entry);
        key += Key(pair[0]) + "=" + Key(pair[1]) + ",";
      }
      return key + "}";
    }
    default:
      return value.ToString();
  }
}

// The same canonical text of an API value of type `type`.
std::string Key(const Json &json, const LogicalType &type) {
  if (json.is_null()) return "NULL";
  auto id = type.id();
  if (IsFloat(id)) {
    auto number = JsonNumber(json);
    return number ? FloatKey(*number) : json.dump();
  }
  if (json.is_string()) return json.get<std::string>();
  switch (id) {
    case LogicalTypeId::LIST:
    case LogicalTypeId::ARRAY: {
      if (!json.is_array()) return json.dump();
      const auto &child_type =
          id == LogicalTypeId::LIST ? duckdb::ListType::GetChildType(type) : duckdb::ArrayType::GetChildType(type);
      std::string key = "[";
      for (const auto &child : json) key += Key(child, child_type) + ",";
      return key + "]";
    }
    case LogicalTypeId::STRUCT: {
      const auto &child_types = duckdb::StructType::GetChildTypes(type);
      std::string key = "{";
      if (duckdb::StructType::IsUnnamed(type)) {
        if (!json.is_array() || json.size() != child_types.size()) return json.dump();
        for (size_t i = 0; i < child_types.size(); i++) key += Key(json[i], child_types[i].second) + ",";
        return key + "}";
      }
      if (!json.is_object()) return json.dump();
      for (const auto &[name, child_type] : child_types) {
        key += (json.contains(name) ? Key(json[name], child_type) : "?") + ",";
      }
      return key + "}";
    }
    case LogicalTypeId::MAP: {
      if (!json.is_array()) return json.dump();
      std::string key = "{";
      for (const auto &entry : json) {
        if (!entry.is_object() || !entry.contains("key") || !entry.contains("value")) return json.dump();
        key += Key(entry["key"], duckdb::MapType::KeyType(type)) + "=" +
               Key(entry["value"], duckdb::MapType::ValueType(type)) + ",";
      }
      return key + "}";
    }
    case LogicalTypeId::BOOLEAN:
      return json.is_boolean() ? (json.get<bool>() ? "true" : "false") : json.dump();
    default:
      return json.dump();  // integers (numbers below 2^53) and anything unexpected
  }
}

bool CloseEnough(double expected, double actual, double tolerance) {
  if (std::isnan(expected) || std::isnan(actual)) return std::isnan(expected) && std::isnan(actual);
  if (std::isinf(expected) || std::isinf(actual)) return expected == actual;
  return std::fabs(expected - actual) <= tolerance * std::max(std::fabs(expected), std::fabs(actual)) + 1e-300;
}

// Whether the API value holds the reference value; `why` says how it does not.
bool Same(const Value &expected, const Json &actual, std::string &why) {
  auto mismatch = [&](const std::string &what) {
    why = fmt::format("{} expected, got {}", what, actual.dump().substr(0, 200));
    return false;
  };
  if (expected.IsNull()) return actual.is_null() || mismatch("NULL");
  if (actual.is_null()) return mismatch(ValueText(expected));
  auto id = expected.type().id();
  if (IsFloat(id)) {
    auto number = JsonNumber(actual);
    double tolerance = id == LogicalTypeId::FLOAT ? kFloatTolerance : kDoubleTolerance;
    return (number && CloseEnough(expected.GetValue<double>(), *number, tolerance)) || mismatch(ValueText(expected));
  }
  if (IsInteger(id)) {
    auto text = actual.is_string() ? actual.get<std::string>() : actual.is_number_integer() ? actual.dump() : "";
    return text == expected.ToString() || mismatch(expected.ToString());
  }
  switch (id) {
    case LogicalTypeId::BOOLEAN:
      return (actual.is_boolean() && actual.get<bool>() == expected.GetValue<bool>()) || mismatch(expected.ToString());
    case LogicalTypeId::LIST:
    case LogicalTypeId::ARRAY: {
      const auto &children = ChildrenOf(expected);
      if (!actual.is_array() || actual.size() != children.size()) return mismatch(ValueText(expected));
      for (size_t i = 0; i < children.size(); i++) {
        if (!Same(children[i], actual[i], why)) return false;
      }
      return true;
    }
    case LogicalTypeId::STRUCT: {
      const auto &children = duckdb::StructValue::GetChildren(expected);
      const auto &types = duckdb::StructType::GetChildTypes(expected.type());
      if (duckdb::StructType::IsUnnamed(expected.type())) {  // an array, in field order
        if (!actual.is_array() || actual.size() != children.size()) return mismatch(ValueText(expected));
        for (size_t i = 0; i < children.size(); i++) {
          if (!Same(children[i], actual[i], why)) return false;
        }
        return true;
      }
      if (!actual.is_object() || actual.size() != children.size()) return mismatch(ValueText(expected));
      for (size_t i = 0; i < children.size(); i++) {
        if (!actual.contains(types[i].first)) return mismatch(ValueText(expected));
        if (!Same(children[i], actual[types[i].first], why)) return false;
      }
      return true;
    }
    case LogicalTypeId::MAP: {
      const auto &entries = duckdb::ListValue::GetChildren(expected);
      if (!actual.is_array() || actual.size() != entries.size()) return mismatch(ValueText(expected));
      for (size_t i = 0; i < entries.size(); i++) {
        const auto &pair = duckdb::StructValue::GetChildren(entries[i]);
        const auto &entry = actual[i];
        if (!entry.is_object() || !entry.contains("key") || !entry.contains("value")) {
          return mismatch(ValueText(expected));
        }
        if (!Same(pair[0], entry["key"], why) || !Same(pair[1], entry["value"], why)) return false;
      }
      return true;
    }
    default:
      return (actual.is_string() && actual.get<std::string>() == expected.ToString()) ||
             mismatch(ValueText(expected));
  }
}

std::string RowText(const std::vector<Value> &row) {
  std::string text = "(";
  for (size_t i = 0; i < row.size(); i++) text += (i ? ", " : "") + ValueText(row[i]);
  return text + ")";
}

}  // namespace

std::string ValueText(const Value &value) { return value.IsNull() ? "NULL" : value.ToSQLString(); }

std::string RowKey(const std::vector<Value> &row) {
  std::string key;
  for (const auto &value : row) key += Key(value) + "\x1f";
  return key;
}

std::string RowKey(const Json &row, const std::vector<LogicalType> &types, size_t offset) {
  std::string key;
  for (size_t c = 0; c < types.size() && c + offset < row.size(); c++) key += Key(row[c + offset], types[c]) + "\x1f";
  return key;
}

std::optional<std::string> Difference(const ReferenceResult &expected, const Json &actual,
                                      const CompareOptions &options) {
  if (!actual.is_object() || !actual.contains("columns") || !actual.contains("rows") || !actual["rows"].is_array()) {
    return "the API's answer is not a query result: " + actual.dump().substr(0, 300);
  }
  const auto &columns = actual["columns"];
  if (columns.size() != expected.names.size()) {
    return fmt::format("{} columns expected, got {}", expected.names.size(), columns.size());
  }
  for (size_t i = 0; i < columns.size(); i++) {
    auto type = expected.types[i].ToString();
    if (columns[i].value("name", "") != expected.names[i] || columns[i].value("type", "") != type) {
      return fmt::format("column {}: {} {} expected, got {} {}", i + 1, expected.names[i], type,
                         columns[i].value("name", "?"), columns[i].value("type", "?"));
    }
  }
  const auto &rows = actual["rows"];
  if (rows.size() != expected.rows.size()) {
    return fmt::format("{} rows expected, got {}", expected.rows.size(), rows.size());
  }
  if (options.rows_only) return std::nullopt;

  // Pairs of (expected row, actual row) to compare: in order, or both sorted by canonical text.
  std::vector<size_t> expected_order(rows.size()), actual_order(rows.size());
  for (size_t i = 0; i < rows.size(); i++) expected_order[i] = actual_order[i] = i;
  if (!options.ordered) {
    std::vector<std::string> expected_keys, actual_keys;
    for (const auto &row : expected.rows) expected_keys.push_back(RowKey(row));
    for (const auto &row : rows) actual_keys.push_back(RowKey(row, expected.types));
    std::sort(expected_order.begin(), expected_order.end(),
              [&](size_t a, size_t b) { return expected_keys[a] < expected_keys[b]; });
    std::sort(actual_order.begin(), actual_order.end(),
              [&](size_t a, size_t b) { return actual_keys[a] < actual_keys[b]; });
  }
  auto same_row = [&](size_t e, size_t a, std::string &why) {
    const auto &row = rows[a];
    if (!row.is_array() || row.size() != expected.names.size()) {
      why = "a row of the wrong shape: " + row.dump().substr(0, 200);
      return false;
    }
    for (size_t c = 0; c < row.size(); c++) {
      if (!Same(expected.rows[e][c], row[c], why)) {
        why = fmt::format("column {}: {}", expected.names[c], why);
        return false;
      }
    }
    return true;
  };
  std::string why;
  for (size_t i = 0; i < rows.size(); i++) {
    if (same_row(expected_order[i], actual_order[i], why)) continue;
    std::string first_difference = fmt::format("row {} {}: {}", options.ordered ? i + 1 : expected_order[i] + 1,
                                               RowText(expected.rows[expected_order[i]]), why);
    if (options.ordered || rows.size() > kMaxMatchedRows) return first_difference;
    // Rounded keys of nearly equal floats may sort apart: match rows one by one before giving up.
    std::vector<bool> taken(rows.size(), false);
    for (size_t e = 0; e < rows.size(); e++) {
      bool found = false;
      for (size_t a = 0; a < rows.size() && !found; a++) {
        if (!taken[a] && same_row(e, a, why)) taken[a] = found = true;
      }
      if (!found) return fmt::format("row {} has no match in the API's answer", RowText(expected.rows[e]));
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace ducklake::conformance
