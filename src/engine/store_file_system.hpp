#pragma once
// A DuckDB FileSystem for "ducklake-store://<key>" paths over the lake's ObjectStore, and
// "ducklake-bucket://<bucket>/<key>" paths over the stores of BucketStores: DuckDB reads Parquet
// files with positional (range) reads and writes new ones as streamed, atomic object writes that
// become visible when DuckDB closes the file. The ETag is the version tag, so DuckDB's
// caches never serve bytes of an overwritten object. Engine-private; thread-safe.
//
// Lake objects ("ducklake-store://") are immutable: every data and delete file is written once
// under a new UUID name and never rewritten. So the size and ETag of the ones opened for reading
// are kept (the most recent kInfoCacheEntries) and later scans skip the HEAD request, a round trip
// per file per query on S3. Bucket objects belong to users and can change: never cached.

#include <list>
#include <mutex>
#include <unordered_map>

#include "duckdb/common/file_system.hpp"
#include "storage/bucket_stores.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

class StoreFileSystem : public duckdb::FileSystem {
 public:
  static constexpr const char *kPrefix = "ducklake-store://";
  static constexpr const char *kBucketPrefix = "ducklake-bucket://";
  static constexpr size_t kInfoCacheEntries = 65536;

  // `buckets` may be null (no bucket paths then).
  StoreFileSystem(ObjectStore &store, BucketStores *buckets) : store_(store), buckets_(buckets) {}

  static std::string PathOf(const std::string &key) { return kPrefix + key; }
  static std::string BucketPathOf(const std::string &bucket, const std::string &key) {
    return kBucketPrefix + bucket + "/" + key;
  }

  duckdb::unique_ptr<duckdb::FileHandle> OpenFile(const std::string &path, duckdb::FileOpenFlags flags,
                                                  duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  void Read(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes, duckdb::idx_t location) override;
  int64_t Read(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) override;
  void Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes, duckdb::idx_t location) override;
  int64_t Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) override;
  int64_t GetFileSize(duckdb::FileHandle &handle) override;
  duckdb::timestamp_t GetLastModifiedTime(duckdb::FileHandle &handle) override;
  std::string GetVersionTag(duckdb::FileHandle &handle) override;
  void FileSync(duckdb::FileHandle &handle) override {}
  bool FileExists(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  bool DirectoryExists(const std::string &directory, duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    return false;
  }
  void RemoveFile(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  duckdb::vector<duckdb::OpenFileInfo> Glob(const std::string &path, duckdb::FileOpener *opener) override;
  void Seek(duckdb::FileHandle &handle, duckdb::idx_t location) override;
  duckdb::idx_t SeekPosition(duckdb::FileHandle &handle) override;
  bool CanHandleFile(const std::string &path) override {
    return path.rfind(kPrefix, 0) == 0 || path.rfind(kBucketPrefix, 0) == 0;
  }
  bool CanSeek() override { return true; }
  bool OnDiskFile(duckdb::FileHandle &handle) override { return false; }
  std::string GetName() const override { return "StoreFileSystem"; }

 private:
  struct Target {
    ObjectStore &store;
    std::string key;
  };
  Target Resolve(const std::string &path);
  // Head() of a lake object through the cache; of any other object straight from its store.
  ObjectInfo HeadOf(const Target &target);
  void ForgetInfo(const std::string &key);

  ObjectStore &store_;
  BucketStores *buckets_;

  std::mutex info_mutex_;
  std::list<ObjectInfo> info_lru_;  // most recently used first
  std::unordered_map<std::string, std::list<ObjectInfo>::iterator> info_by_key_;
};

}  // namespace ducklake
