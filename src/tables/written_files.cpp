#include "tables/written_files.hpp"

#include "common/error.hpp"
#include "common/ids.hpp"

namespace ducklake {
namespace {

constexpr const char *kExtension = ".parquet";

}  // namespace

std::string NewFileKey(const std::string &table_prefix, const std::string &suffix) {
  return table_prefix + "ducklake-" + NewUuid() + suffix + kExtension;
}

bool FileKeyHasSuffix(const std::string &key, const std::string &suffix) {
  auto ending = suffix + kExtension;
  return key.size() >= ending.size() && key.compare(key.size() - ending.size(), ending.size(), ending) == 0;
}

NewDataFile ToNewDataFile(const WrittenFile &file) {
  return {file.key, file.record_count, file.file_size_bytes, file.footer_size, file.stats};
}

const std::vector<ColumnDef> &DeleteFileColumns() {
  static const std::vector<ColumnDef> columns = {
      {2147483646, "file_path", "varchar", false, std::nullopt, {}},
      {2147483645, "pos", "int64", false, std::nullopt, {}},
  };
  return columns;
}

ScanFile ToScanFile(const DataFile &file) {
  return {file.key,         file.record_count,        file.stats, file.delete_key, file.has_current_columns,
          file.row_id_start, std::nullopt, file.max_row_snapshot};
}

ScanRow ToScanRow(StoredRow row) {
  return {std::move(row.values), row.row_id, row.begin_snapshot, row.row_id, false};
}

void DiscardFiles(ObjectStore &store, const std::vector<std::string> &keys) {
  if (keys.empty()) return;
  try {
    store.DeleteMany(keys);
  } catch (const Error &) {
    // Unreferenced: cleanup finds them.
  }
}

void RequireFilesStored(ObjectStore &store, const std::vector<std::string> &keys, const std::string &writer) {
  for (const auto &key : keys) {
    try {
      store.Head(key);
    } catch (const Error &error) {
      if (error.kind() != ErrorKind::kNotFound) throw;
      throw MakeError(ErrorKind::kConflict,
                      "a file written by {} disappeared before its commit (was cleanup run with a grace period "
                      "shorter than the write?); nothing changed",
                      writer);
    }
  }
}

}  // namespace ducklake
