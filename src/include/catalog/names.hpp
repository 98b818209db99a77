#pragma once
// Validation of the names users give to lake objects.

#include <string>
#include <vector>

#include "common/schema.hpp"

namespace ducklake {

// Throws kInvalidInput unless `name` is a valid namespace or table name: an ASCII letter or '_'
// followed by letters, digits or '_', at most 63 characters, and not a name DuckDB reserves.
void ValidateObjectName(const std::string &what, const std::string &name);

// Throws kInvalidInput for an empty, over-long or duplicate (case-insensitive) column name.
void ValidateColumns(const std::vector<ColumnDef> &columns);

// Lower-cases ASCII letters: lake names match case-insensitively, as SQL identifiers do.
std::string LowerName(std::string name);

// SQL text for a name ("a""b") and for a string ('it''s'), for the statements the lake builds.
std::string QuoteIdentifier(const std::string &name);
std::string QuoteLiteral(const std::string &text);

}  // namespace ducklake
