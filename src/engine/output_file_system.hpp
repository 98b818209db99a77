#pragma once
// A write-only DuckDB FileSystem for "ducklake-output://<id>" paths: bytes DuckDB's COPY writers
// produce are handed to the ByteSink registered under <id>, so CSV, NDJSON and Parquet results
// stream to the client straight from DuckDB's own writers. Engine-private; thread-safe.

#include <mutex>
#include <string>
#include <unordered_map>

#include "duckdb/common/file_system.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

class OutputFileSystem : public duckdb::FileSystem {
 public:
  static constexpr const char *kPrefix = "ducklake-output://";

  // Makes `sink` the target of the returned path until Unregister. The sink must outlive that.
  std::string Register(const ByteSink &sink);
  void Unregister(const std::string &path);

  duckdb::unique_ptr<duckdb::FileHandle> OpenFile(const std::string &path, duckdb::FileOpenFlags flags,
                                                  duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  void Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes, duckdb::idx_t location) override;
  int64_t Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) override;
  int64_t GetFileSize(duckdb::FileHandle &handle) override;
  void FileSync(duckdb::FileHandle &handle) override;
  bool FileExists(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    return false;
  }
  bool DirectoryExists(const std::string &directory, duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    return false;
  }
  void RemoveFile(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener> opener) override {}
  bool CanHandleFile(const std::string &path) override { return path.rfind(kPrefix, 0) == 0; }
  bool CanSeek() override { return false; }
  bool OnDiskFile(duckdb::FileHandle &handle) override { return false; }
  std::string GetName() const override { return "OutputFileSystem"; }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, const ByteSink *> sinks_;
  uint64_t next_id_ = 0;
};

}  // namespace ducklake
