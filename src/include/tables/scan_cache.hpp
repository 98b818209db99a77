#pragma once
// ScanCache: table scans (columns and files with statistics) by snapshot id and table. Snapshots
// never change, so entries never go stale; the size bound only caps memory. Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "engine/queries.hpp"

namespace ducklake {

class ScanCache {
 public:
  static constexpr size_t kMaxEntries = 4096;
  std::optional<TableScan> Get(int64_t snapshot_id, const std::string &table,
                               const std::function<std::optional<TableScan>()> &load);

 private:
  std::mutex mutex_;
  std::map<std::pair<int64_t, std::string>, std::optional<TableScan>> entries_;
};

}  // namespace ducklake
