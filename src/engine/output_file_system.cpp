#include "engine/output_file_system.hpp"

namespace ducklake {
namespace {

// DuckDB's writers make many small writes; they reach the sink in pieces of kFlushBytes.
constexpr size_t kFlushBytes = 1 << 20;

class OutputHandle : public duckdb::FileHandle {
 public:
  OutputHandle(duckdb::FileSystem &fs, const std::string &path, duckdb::FileOpenFlags flags, const ByteSink &sink)
      : FileHandle(fs, path, flags), sink(sink) {}
  void Close() override { Flush(); }

  void Append(const char *data, size_t size) {
    buffer.append(data, size);
    written += static_cast<int64_t>(size);
    if (buffer.size() >= kFlushBytes) Flush();
  }

  void Flush() {
    if (buffer.empty()) return;
    bool open = sink(buffer.data(), buffer.size());
    buffer.clear();
    if (!open) throw duckdb::IOException("the client stopped reading the result");
  }

  const ByteSink &sink;
  std::string buffer;
  int64_t written = 0;
};

}  // namespace

std::string OutputFileSystem::Register(const ByteSink &sink) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto path = kPrefix + std::to_string(next_id_++);
  sinks_[path] = &sink;
  return path;
}

void OutputFileSystem::Unregister(const std::string &path) {
  std::lock_guard<std::mutex> lock(mutex_);
  sinks_.erase(path);
}

duckdb::unique_ptr<duckdb::FileHandle> OutputFileSystem::OpenFile(const std::string &path,
                                                                  duckdb::FileOpenFlags flags,
                                                                  duckdb::optional_ptr<duckdb::FileOpener>) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sinks_.find(path);
  if (it == sinks_.end() || flags.OpenForReading()) {
    throw duckdb::PermissionException("cannot open \"%s\"", path);
  }
  return duckdb::make_uniq<OutputHandle>(*this, path, flags, *it->second);
}

void OutputFileSystem::Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes, duckdb::idx_t location) {
  auto &output = handle.Cast<OutputHandle>();
  if (static_cast<int64_t>(location) != output.written) {
    throw duckdb::IOException("result output is sequential; cannot write at an offset");
  }
  Write(handle, buffer, nr_bytes);
}

int64_t OutputFileSystem::Write(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) {
  handle.Cast<OutputHandle>().Append(static_cast<const char *>(buffer), static_cast<size_t>(nr_bytes));
  return nr_bytes;
}

void OutputFileSystem::FileSync(duckdb::FileHandle &handle) { handle.Cast<OutputHandle>().Flush(); }

int64_t OutputFileSystem::GetFileSize(duckdb::FileHandle &handle) { return handle.Cast<OutputHandle>().written; }

}  // namespace ducklake
