#pragma once
// The files the lake's writers produce (SQL writes, ingest, compaction): how they are named, how
// the engine's answer becomes a catalog entry, and what happens to them when the commit does not.

#include <string>
#include <vector>

#include "engine/queries.hpp"
#include "catalog/table_format.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

// A new, unique key for a Parquet file in a table's folder: "<prefix>ducklake-<uuid><suffix>.parquet".
std::string NewFileKey(const std::string &table_prefix, const std::string &suffix = "");
// Whether NewFileKey gave `key` this suffix.
bool FileKeyHasSuffix(const std::string &key, const std::string &suffix);

// The columns of a positional delete file as the DuckLake format defines them, with the field ids
// the official extension gives them.
const std::vector<ColumnDef> &DeleteFileColumns();

NewDataFile ToNewDataFile(const WrittenFile &file);
ScanFile ToScanFile(const DataFile &file);
ScanRow ToScanRow(StoredRow row);

// Deletes files no snapshot references, best effort: what fails is left to cleanup's orphan sweep,
// and the caller's own error matters more.
void DiscardFiles(ObjectStore &store, const std::vector<std::string> &keys);

// Throws kConflict naming `writer` if a file is gone from the store: a write that outlasted an
// orphan sweep's grace period must not commit a snapshot that points at missing objects.
void RequireFilesStored(ObjectStore &store, const std::vector<std::string> &keys, const std::string &writer);

}  // namespace ducklake
