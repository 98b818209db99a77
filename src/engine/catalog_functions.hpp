#pragma once
// DuckDB's catalog functions, replaced by ones that show the lake as the caller may see it:
// duckdb_databases(), duckdb_schemas(), duckdb_tables(), duckdb_columns(), and (the lake has none)
// duckdb_views(), duckdb_indexes(), duckdb_sequences(). The information_schema and pg_catalog views
// DuckDB defines over them follow. Each replacement keeps its built-in's columns, so those views
// still bind. Engine-private; the functions are thread-safe.

#include <functional>

#include "duckdb.hpp"
#include "engine/engine.hpp"

namespace ducklake {

// The catalog a connection's current request may see; null shows nothing. Called while a statement
// binds; may throw a DuckDB exception to fail the bind.
using CatalogSource = std::function<const VisibleCatalog *(duckdb::ClientContext &context)>;

// Replaces the built-ins in `con`'s database, for every connection; call once, before user SQL runs.
void RegisterCatalogFunctions(duckdb::Connection &con, CatalogSource source);

// Whether a bound table function is one of the replacements.
bool IsCatalogFunction(const duckdb::TableFunction &function);

}  // namespace ducklake
