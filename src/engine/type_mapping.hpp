#pragma once
// Mapping between DuckDB logical types and the DuckLake format's type names. Engine-private.

#include "common/schema.hpp"
#include "duckdb/common/types.hpp"

namespace ducklake {

// The lake column for a DuckDB type; kInvalidInput for types the lake cannot store.
ColumnDef LakeColumnFromType(const std::string &name, const duckdb::LogicalType &type);

// The DuckDB type of a lake column.
duckdb::LogicalType TypeFromLakeColumn(const ColumnDef &column);

// The type a lake column's values have in its Parquet files: the column's own type, except for
// types Parquet cannot hold without loss, which are stored as their text (at any depth):
// 128-bit integers (DuckDB's writer would make them DOUBLE), INTERVAL (Parquet's interval is
// unsigned and has millisecond precision) and TIME WITH TIME ZONE (the writer drops the offset).
duckdb::LogicalType StorageType(const duckdb::LogicalType &type);

// Whether values of `type` read by name from a Parquet file the lake wrote have another type than
// `type` (see StorageType; TIMESTAMP_S and TIMESTAMP_MS read back as TIMESTAMP) and need a cast.
bool ReadsBackAsOtherType(const duckdb::LogicalType &type);

// Whether a lake column's Parquet min/max statistics order its values as the column does (false
// for values stored as text by StorageType, whose text order is not their order).
bool StatisticsOrderValues(const ColumnDef &column);

}  // namespace ducklake
