#pragma once
// DuckDB's catalog functions, replaced by ones that show the lake as the caller may see it:
// duckdb_databases(), duckdb_schemas(), duckdb_tables(), duckdb_columns(), and (the lake has none)
// duckdb_views(), duckdb_indexes(), duckdb_sequences(). The information_schema and pg_catalog views
// DuckDB defines over them follow. Each replacement keeps its built-in's columns, so those views
// still bind. Beside them, the DuckLake extension's ducklake_snapshots(lake) and
// ducklake_table_info(lake), with its columns (the lake's name is taken whatever it is: a server
// has one lake). Engine-private; the functions are thread-safe.

#include <functional>

#include "duckdb.hpp"
#include "engine/engine.hpp"

namespace ducklake {

// The catalog a connection's current request may see; null shows nothing. Called while a statement
// binds; may throw a DuckDB exception to fail the bind.
using CatalogSource = std::function<const VisibleCatalog *(duckdb::ClientContext &context)>;
// The snapshots a connection's current request may see, as CatalogSource.
using SnapshotSource = std::function<const std::vector<LakeSnapshot> *(duckdb::ClientContext &context)>;

// Replaces the built-ins in `con`'s database and adds the DuckLake ones, for every connection; call
// once, before user SQL runs.
void RegisterCatalogFunctions(duckdb::Connection &con, CatalogSource source, SnapshotSource snapshots);

// The map ducklake_snapshots() makes of a snapshot's changes_made: each kind of change (in the
// extension's words: tables_created, tables_inserted_into, ...) to its tables, schemas or ids.
duckdb::Value SnapshotChanges(const std::string &changes_made);

// Adds `function` to the system catalog of `con`'s database, replacing one of the same name.
void RegisterSystemTableFunction(duckdb::Connection &con, duckdb::TableFunction function);

// Whether a bound table function is one of the replacements.
bool IsCatalogFunction(const duckdb::TableFunction &function);

}  // namespace ducklake
