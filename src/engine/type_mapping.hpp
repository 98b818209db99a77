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
// TIMESTAMP_S and TIMESTAMP_MS are stored as TIMESTAMP, as the writer would, but cast by the engine:
// the writer's own conversion fails on infinity.
duckdb::LogicalType StorageType(const duckdb::LogicalType &type);

// Whether values of `type` read from a Parquet file the lake wrote have another type than `type`
// (see StorageType and SchemaOptionType) and need a cast.
bool ReadsBackAsOtherType(const duckdb::LogicalType &type);

// The type to name for a column in read_parquet's `schema` option: `type`, with JSON as VARCHAR.
// The option's type names are parsed without DuckDB's catalog, which defines JSON: named JSON, the
// column would be an unbound type that fails in joins with an internal error.
duckdb::LogicalType SchemaOptionType(const duckdb::LogicalType &type);

// Whether a lake column's Parquet min/max statistics order its values as the column does (false
// for values stored as text by StorageType, whose text order is not their order).
bool StatisticsOrderValues(const ColumnDef &column);

}  // namespace ducklake
