#pragma once
// The lake-reader suite: DuckLake's catalog read by the official DuckLake extension, the format's
// reference reader. A scripted history goes through DuckLake's API (CSV ingest, INSERT, DELETE,
// UPDATE, ALTER, nested types, an empty table, compaction, expire); the catalog is copied into a
// DuckDB file and attached by the extension (see LakeReader), and then the API and the extension
// answer the same statements: every table now, and at every snapshot by version and by time,
// ducklake_snapshots(), ducklake_table_info() and ducklake_table_changes() over the whole history,
// and the extension must see DuckLake's UPDATE as an update (row ids kept). Then
// the extension writes (INSERT, UPDATE, DELETE, ADD COLUMN), its catalog is copied back, and the
// same comparisons run again, so DuckLake must read what the extension wrote.

#include <string>

#include "checker.hpp"

namespace ducklake::conformance {

struct LakeReaderOptions {
  std::string extension;    // ducklake.duckdb_extension
  std::string catalog_url;  // the server's metadata database ("sqlite:…", "postgresql://…")
  std::string data_path;    // the directory the server's lake data is under (its data_path)
  std::string scratch;      // where the catalog's DuckDB copy is made
};

void RunLakeReaderSuite(ApiClient &api, const LakeReaderOptions &options, Report &report);

}  // namespace ducklake::conformance
