#pragma once
// Renders query results as JSON: `{"columns":[{"name":..,"type":..}],"rows":[\n[..],\n[..]\n]}`.
// Numbers stay numbers (BIGINT beyond 2^53 and HUGEINT/DECIMAL become strings so no client loses
// precision), non-finite floats become the strings "NaN"/"Infinity"/"-Infinity", nested values become
// arrays and objects, everything else its canonical text. Each row starts a line of its own: JSON
// strings never hold a raw newline, so a client can cut the stream into whole rows at newlines and
// parse many at once (the Python client does). Engine-private.

#include <string>
#include <vector>

#include "duckdb/common/types/data_chunk.hpp"

namespace ducklake {

std::string JsonResultHeader(const std::vector<std::string> &names, const std::vector<duckdb::LogicalType> &types);
// Appends the chunk's rows; `first_row` says whether a row was written before (for commas).
void AppendJsonRows(duckdb::DataChunk &chunk, bool &first_row, std::string &out);
constexpr const char *kJsonResultFooter = "\n]}";

}  // namespace ducklake
