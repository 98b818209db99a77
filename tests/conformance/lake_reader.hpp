#pragma once
// The official DuckLake extension of DuckDB (a loadable `ducklake.duckdb_extension` built for the
// DuckDB the server links) as a second reader and writer of a lake DuckLake serves. The extension
// can keep its catalog only in a DuckDB database file here (there is no sqlite or postgres extension
// for this DuckDB), so the catalog travels: CopyIn copies every `ducklake_*` table of DuckLake's
// metadata database into a DuckDB file made by the extension (with the extension's column types),
// and CopyOut copies them back, replacing DuckLake's rows in one transaction. Both sides share the
// lake's data directory, so no Parquet file is copied. Not thread-safe. SQL errors are answers
// (ReferenceResult::error); a catalog that cannot be copied throws std::runtime_error.

#include <memory>
#include <optional>
#include <string>

#include "reference.hpp"

namespace ducklake {
class MetaStore;
}

namespace ducklake::conformance {

class LakeReader {
 public:
  // Loads the extension at `extension_path` into a fresh in-memory DuckDB.
  explicit LakeReader(const std::string &extension_path);
  ~LakeReader();

  // DUCKLAKE_REFERENCE_EXTENSION, or the extension's usual place beside a checkout
  // (../shared/ducklake-extension/ of the working directory or a folder above it), if it is there.
  static std::optional<std::string> DefaultExtensionPath();

  // Copies `catalog`'s DuckLake tables (inlined data tables included) into a new DuckDB file at
  // `file` and attaches it as `name` with DATA_PATH `data_path`, made the default database.
  // `options`: more ATTACH options (", DATA_INLINING_ROW_LIMIT 10").
  void CopyIn(MetaStore &catalog, const std::string &file, const std::string &name, const std::string &data_path,
              const std::string &options = "");
  // Detaches the lake and copies its catalog back into `catalog`: every DuckLake table's rows are
  // replaced, and inlined data tables the extension made are created there, in one transaction.
  void CopyOut(MetaStore &catalog);

  ReferenceResult Run(const std::string &sql);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ducklake::conformance
