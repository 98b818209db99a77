#include "engine/store_file_system.hpp"

#include <cstring>

#include "common/error.hpp"

namespace ducklake {
namespace {

// DuckDB reports its own exception types; keep the store's message, which names no server path.
template <typename Action>
auto Translate(Action &&action) -> decltype(action()) {
  try {
    return action();
  } catch (const Error &error) {
    if (error.kind() == ErrorKind::kNotFound) throw duckdb::IOException("No files found that match the pattern");
    throw duckdb::IOException(error.what());
  }
}

class StoreHandle : public duckdb::FileHandle {
 public:
  StoreHandle(duckdb::FileSystem &fs, const std::string &path, duckdb::FileOpenFlags flags)
      : FileHandle(fs, path, flags) {}

  void Close() override {
    if (writer) {
      auto committed = std::move(writer);
      Translate([&] { return committed->Commit(); });
    }
  }

  ObjectStore *store = nullptr;
  std::string key;
  ObjectInfo info;                        // for reads
  std::unique_ptr<ObjectWriter> writer;   // for writes
  uint64_t position = 0;
};

}  // namespace

StoreFileSystem::Target StoreFileSystem::Resolve(const std::string &path) {
  if (path.rfind(kPrefix, 0) == 0) return {store_, path.substr(std::strlen(kPrefix))};
  auto rest = path.substr(std::strlen(kBucketPrefix));
  auto slash = rest.find('/');
  if (!buckets_ || slash == std::string::npos) throw duckdb::IOException("No files found that match the pattern");
  return {Translate([&]() -> ObjectStore & { return buckets_->Open(rest.substr(0, slash)); }), rest.substr(slash + 1)};
}

ObjectInfo StoreFileSystem::HeadOf(const Target &target) {
  if (&target.store != &store_) return target.store.Head(target.key);
  {
    std::lock_guard<std::mutex> lock(info_mutex_);
    auto found = info_by_key_.find(target.key);
    if (found != info_by_key_.end()) {
      info_lru_.splice(info_lru_.begin(), info_lru_, found->second);
      return *found->second;
    }
  }
  auto info = store_.Head(target.key);
  info.key = target.key;
  std::lock_guard<std::mutex> lock(info_mutex_);
  if (info_by_key_.count(target.key) == 0) {
    info_lru_.push_front(info);
    info_by_key_.emplace(target.key, info_lru_.begin());
    if (info_lru_.size() > kInfoCacheEntries) {
      info_by_key_.erase(info_lru_.back().key);
      info_lru_.pop_back();
    }
  }
  return info;
}

void StoreFileSystem::ForgetInfo(const std::string &key) {
  std::lock_guard<std::mutex> lock(info_mutex_);
  auto found = info_by_key_.find(key);
  if (found == info_by_key_.end()) return;
  info_lru_.erase(found->second);
  info_by_key_.erase(found);
}

duckdb::unique_ptr<duckdb::FileHandle> StoreFileSystem::OpenFile(const std::string &path, duckdb::FileOpenFlags flags,
                                                                 duckdb::optional_ptr<duckdb::FileOpener>) {
  auto handle = duckdb::make_uniq<StoreHandle>(*this, path, flags);
  auto target = Resolve(path);
  handle->store = &target.store;
  handle->key = target.key;
  if (flags.OpenForWriting()) {
    if (flags.OpenForReading()) throw duckdb::IOException("lake objects are opened either to read or to write");
    handle->writer = Translate([&] { return handle->store->Put(handle->key); });
  } else {
    try {
      handle->info = HeadOf(target);
    } catch (const Error &error) {
      if (error.kind() == ErrorKind::kNotFound && flags.ReturnNullIfNotExists()) return nullptr;
      Translate([&]() -> int { throw; });
    }
  }
  return std::move(handle);
}

void StoreFileSystem::Read(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes, duckdb::idx_t location) {
  auto &store_handle = handle.Cast<StoreHandle>();
  auto *out = static_cast<char *>(buffer);
  uint64_t copied = 0;
  Translate([&] {
    return store_handle.store->Get(store_handle.key, ByteRange{location, static_cast<uint64_t>(nr_bytes)},
                                   [&](const char *data, size_t size) {
                                     std::memcpy(out + copied, data, size);
                                     copied += size;
                                     return true;
                                   });
  });
  if (copied != static_cast<uint64_t>(nr_bytes)) {
    throw duckdb::IOException("short read of a lake object (it changed or was truncated)");
  }
}

int64_t StoreFileSystem::Read(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) {
  auto &store_handle = handle.Cast<StoreHandle>();
  auto available = store_handle.info.size - std::min(store_handle.position, store_handle.info.size);
  auto count = std::min<uint64_t>(available, static_cast<uint64_t>(nr_bytes));
  if (count == 0) return 0;
  Read(handle, buffer, static_cast<int64_t>(count), store_handle.position);
  store_handle.position += count;
  return static_cast<int64_t>(count);
}

void StoreFileSystem::Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes, duckdb::idx_t location) {
  if (location != handle.Cast<StoreHandle>().position) {
    throw duckdb::IOException("lake objects are written sequentially");
  }
  Write(handle, buffer, nr_bytes);
}

int64_t StoreFileSystem::Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) {
  auto &store_handle = handle.Cast<StoreHandle>();
  if (!store_handle.writer) throw duckdb::IOException("lake object is not open for writing");
  Translate([&] {
    store_handle.writer->Append(static_cast<const char *>(buffer), static_cast<size_t>(nr_bytes));
    return 0;
  });
  store_handle.position += static_cast<uint64_t>(nr_bytes);
  return nr_bytes;
}

int64_t StoreFileSystem::GetFileSize(duckdb::FileHandle &handle) {
  auto &store_handle = handle.Cast<StoreHandle>();
  return static_cast<int64_t>(store_handle.writer ? store_handle.position : store_handle.info.size);
}

duckdb::timestamp_t StoreFileSystem::GetLastModifiedTime(duckdb::FileHandle &handle) {
  return duckdb::Timestamp::FromEpochMs(handle.Cast<StoreHandle>().info.modified_unix_ms);
}

std::string StoreFileSystem::GetVersionTag(duckdb::FileHandle &handle) { return handle.Cast<StoreHandle>().info.etag; }

bool StoreFileSystem::FileExists(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener>) {
  try {
    auto target = Resolve(filename);
    target.store.Head(target.key);
    return true;
  } catch (const Error &error) {
    if (error.kind() == ErrorKind::kNotFound) return false;
    throw duckdb::IOException(error.what());
  }
}

void StoreFileSystem::RemoveFile(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener>) {
  auto target = Resolve(filename);
  if (&target.store == &store_) ForgetInfo(target.key);
  Translate([&] {
    target.store.Delete(target.key);
    return 0;
  });
}

duckdb::vector<duckdb::OpenFileInfo> StoreFileSystem::Glob(const std::string &path, duckdb::FileOpener *) {
  // Lake scans name their files exactly; patterns would let SQL enumerate the store.
  if (path.find_first_of("*?[") != std::string::npos) {
    throw duckdb::PermissionException("patterns are not allowed in lake object paths");
  }
  return {duckdb::OpenFileInfo(path)};
}

void StoreFileSystem::Seek(duckdb::FileHandle &handle, duckdb::idx_t location) {
  auto &store_handle = handle.Cast<StoreHandle>();
  if (store_handle.writer && location != store_handle.position) {
    throw duckdb::IOException("lake objects are written sequentially");
  }
  store_handle.position = location;
}

duckdb::idx_t StoreFileSystem::SeekPosition(duckdb::FileHandle &handle) {
  return handle.Cast<StoreHandle>().position;
}

}  // namespace ducklake
