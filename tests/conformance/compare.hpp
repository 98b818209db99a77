#pragma once
// Whether DuckLake's JSON query result holds the reference's answer: the same column names and
// DuckDB types, the same number of rows, and the same values, compared by their type: numbers as
// numbers (floating point within a relative tolerance, since sums may add in another order), NaN
// and infinities by name, NULLs, lists, structs and maps value by value, everything else by DuckDB's
// text of it. Rows are compared in order when the query orders them, as multisets otherwise.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "reference.hpp"

namespace ducklake::conformance {

struct CompareOptions {
  bool ordered = false;    // the rows' order is part of the answer
  bool rows_only = false;  // compare only the columns and the number of rows (SAMPLE, LIMIT without order)
};

// The first difference found, in words, or nullopt when the results agree.
std::optional<std::string> Difference(const ReferenceResult &expected, const nlohmann::json &actual,
                                      const CompareOptions &options);

// A value's text as the comparison sees it: for error messages and minimising.
std::string ValueText(const duckdb::Value &value);

// A row's canonical text (floating-point values rounded), the same for a reference row and for an
// API row of the same values; `types` are the API row's column types, from its column `offset` on.
std::string RowKey(const std::vector<duckdb::Value> &row);
std::string RowKey(const nlohmann::json &row, const std::vector<duckdb::LogicalType> &types, size_t offset = 0);

}  // namespace ducklake::conformance
