#pragma once
// ScanCache: table scans (columns and files with statistics) by snapshot id and table, and what a
// writer needs of a table (its shape: id, names, columns, key prefix) by schema version and table.
// Snapshots never change, and a table's shape changes only with a new schema version, so entries
// never go stale; the size bound only caps memory. Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "catalog/catalog.hpp"
#include "engine/queries.hpp"

namespace ducklake {

class ScanCache {
 public:
  static constexpr size_t kMaxEntries = 4096;
  std::optional<TableScan> Get(int64_t snapshot_id, const std::string &table,
                               const std::function<std::optional<TableScan>()> &load);
  // `load` may throw (an unknown table): nothing is kept then.
  TableInfo Shape(int64_t schema_version, const std::string &table, const std::function<TableInfo()> &load);

 private:
  std::mutex mutex_;
  std::map<std::pair<int64_t, std::string>, std::optional<TableScan>> entries_;
  std::map<std::pair<int64_t, std::string>, TableInfo> shapes_;
};

}  // namespace ducklake
