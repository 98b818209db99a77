#pragma once
// Mapping between DuckDB logical types and the DuckLake format's type names. Engine-private.

#include "common/schema.hpp"
#include "duckdb/common/types.hpp"

namespace ducklake {

// The lake column for a DuckDB type; kInvalidInput for types the lake cannot store.
ColumnDef LakeColumnFromType(const std::string &name, const duckdb::LogicalType &type);

// The DuckDB type of a lake column.
duckdb::LogicalType TypeFromLakeColumn(const ColumnDef &column);

}  // namespace ducklake
