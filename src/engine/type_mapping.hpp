#pragma once
// Mapping between DuckDB logical types and the DuckLake format's type names. Engine-private.

#include "common/schema.hpp"
#include "duckdb/common/types.hpp"

namespace ducklake {

// The lake column for a DuckDB type; kInvalidInput for types the lake cannot store.
ColumnDef LakeColumnFromType(const std::string &name, const duckdb::LogicalType &type);

// The DuckDB type of a lake column.
duckdb::LogicalType TypeFromLakeColumn(const ColumnDef &column);

// The type a lake column's values have in its Parquet files: the column's own type, except that
// 128-bit integers (at any depth) are stored as their decimal text. Parquet has no 128-bit integer,
// and DuckDB's writer would turn them into DOUBLE and lose digits.
duckdb::LogicalType StorageType(const duckdb::LogicalType &type);

// Whether a lake column's Parquet min/max statistics order its values as the column does (false
// for values stored as text by StorageType, whose text order is not their numeric order).
bool StatisticsOrderValues(const ColumnDef &column);

}  // namespace ducklake
