#include "tables/scan_cache.hpp"

namespace ducklake {
namespace {

// The entry of `key` in `entries`, loaded (outside the lock) when it is not there yet.
template <typename Value>
Value Cached(std::mutex &mutex, std::map<std::pair<int64_t, std::string>, Value> &entries,
             std::pair<int64_t, std::string> key, const std::function<Value()> &load) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = entries.find(key);
    if (it != entries.end()) return it->second;
  }
  auto value = load();
  std::lock_guard<std::mutex> lock(mutex);
  if (entries.size() >= ScanCache::kMaxEntries) entries.clear();
  entries.emplace(std::move(key), value);
  return value;
}

}  // namespace

std::optional<TableScan> ScanCache::Get(int64_t snapshot_id, const std::string &table,
                                        const std::function<std::optional<TableScan>()> &load) {
  return Cached(mutex_, entries_, {snapshot_id, table}, load);
}

TableInfo ScanCache::Shape(int64_t schema_version, const std::string &table, const std::function<TableInfo()> &load) {
  return Cached(mutex_, shapes_, {schema_version, table}, load);
}

}  // namespace ducklake
