#pragma once
// A read-only, sequential DuckDB FileSystem for "ducklake-input://<id>" paths: DuckDB's readers
// (read_csv, read_json, sniff_csv) pull an upload's bytes from the ByteSource registered under <id>
// while the upload is still arriving, so ingest overlaps the transfer. It presents itself as a pipe
// (no seeking, no size), which DuckDB's CSV and JSON readers support.
//
// A stream can be opened more than once, and every open reads it from its first byte: the bytes
// earlier opens took from the source are kept in a spool file and read again from there. So a
// reader that first sniffs the upload (to learn its dialect and columns) and then reads it sees the
// same bytes both times, as it would in a file. The spool holds only what the opens before the
// last took (the sniffer's sample): the last open, announced by Seal, reads on from the source
// without keeping anything. Engine-private; thread-safe; one open at a time per stream.

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "duckdb/common/file_system.hpp"
#include "engine/engine.hpp"

namespace ducklake {

class InputFileSystem : public duckdb::FileSystem {
 public:
  static constexpr const char *kPrefix = "ducklake-input://";

  // `spool_dir`: a local directory for the spool files (absolute; the system's temporary directory
  // when empty).
  explicit InputFileSystem(std::string spool_dir) : spool_dir_(std::move(spool_dir)) {}

  // Makes `source` readable at the returned path until Unregister, which removes its spool. The
  // source must outlive that.
  std::string Register(const ByteSource &source);
  void Unregister(const std::string &path);
  // The next open of `path` is its last: it keeps no copy of what it reads. Opens after that one
  // fail (PermissionException).
  void Seal(const std::string &path);

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

  struct Stream;

 private:
  std::string spool_dir_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Stream>> streams_;
  uint64_t next_id_ = 0;
};

}  // namespace ducklake
