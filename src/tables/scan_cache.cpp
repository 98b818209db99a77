#include "tables/scan_cache.hpp"

namespace ducklake {

std::optional<TableScan> ScanCache::Get(int64_t snapshot_id, const std::string &table,
                                        const std::function<std::optional<TableScan>()> &load) {
  auto key = std::make_pair(snapshot_id, table);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
  }
  auto scan = load();
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(key, scan);
  return scan;
}

}  // namespace ducklake
