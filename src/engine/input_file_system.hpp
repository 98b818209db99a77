#pragma once
// A read-only, sequential DuckDB FileSystem for "ducklake-input://<id>" paths: DuckDB's readers
// (read_csv, read_json) pull an upload's bytes from the ByteSource registered under <id> while the
// upload is still arriving, so ingest overlaps the transfer. It presents itself as a pipe (no
// seeking, no size), which DuckDB's CSV and JSON readers support. Engine-private; thread-safe.

#include <mutex>
#include <string>
#include <unordered_map>

#include "duckdb/common/file_system.hpp"
#include "engine/engine.hpp"

namespace ducklake {

class InputFileSystem : public duckdb::FileSystem {
 public:
  static constexpr const char *kPrefix = "ducklake-input://";

  // Makes `source` readable at the returned path until Unregister. The source must outlive that.
  std::string Register(const ByteSource &source);
  void Unregister(const std::string &path);

  duckdb::unique_ptr<duckdb::FileHandle> OpenFile(const std::string &path, duckdb::FileOpenFlags flags,
                                                  duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  int64_t Read(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) override;
  int64_t GetFileSize(duckdb::FileHandle &handle) override { return 0; }
  bool FileExists(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  bool IsPipe(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    return true;
  }
  duckdb::vector<duckdb::OpenFileInfo> Glob(const std::string &path, duckdb::FileOpener *opener) override {
    return {duckdb::OpenFileInfo(path)};
  }
  bool CanHandleFile(const std::string &path) override { return path.rfind(kPrefix, 0) == 0; }
  bool CanSeek() override { return false; }
  bool OnDiskFile(duckdb::FileHandle &handle) override { return false; }
  std::string GetName() const override { return "InputFileSystem"; }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, const ByteSource *> sources_;
  uint64_t next_id_ = 0;
};

}  // namespace ducklake
