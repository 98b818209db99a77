#include "engine/input_file_system.hpp"

namespace ducklake {
namespace {

class InputHandle : public duckdb::FileHandle {
 public:
  InputHandle(duckdb::FileSystem &fs, const std::string &path, duckdb::FileOpenFlags flags, const ByteSource &source)
      : FileHandle(fs, path, flags), source(source) {}
  void Close() override {}

  const ByteSource &source;
};

}  // namespace

std::string InputFileSystem::Register(const ByteSource &source) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto path = kPrefix + std::to_string(next_id_++);
  sources_[path] = &source;
  return path;
}

void InputFileSystem::Unregister(const std::string &path) {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_.erase(path);
}

duckdb::unique_ptr<duckdb::FileHandle> InputFileSystem::OpenFile(const std::string &path, duckdb::FileOpenFlags flags,
                                                                 duckdb::optional_ptr<duckdb::FileOpener>) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sources_.find(path);
  // A stream can be read once: a second open would see the middle of it.
  if (it == sources_.end() || flags.OpenForWriting()) throw duckdb::PermissionException("cannot open \"%s\"", path);
  auto handle = duckdb::make_uniq<InputHandle>(*this, path, flags, *it->second);
  sources_.erase(it);
  return std::move(handle);
}

int64_t InputFileSystem::Read(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) {
  auto &input = handle.Cast<InputHandle>();
  auto *out = static_cast<char *>(buffer);
  size_t total = 0;
  // Fill the request unless the stream ends: readers treat a short read as the end.
  while (total < static_cast<size_t>(nr_bytes)) {
    size_t got;
    try {
      got = input.source(out + total, static_cast<size_t>(nr_bytes) - total);
    } catch (const std::exception &error) {
      throw duckdb::IOException("the upload was interrupted: %s", error.what());
    }
    if (got == 0) break;
    total += got;
  }
  return static_cast<int64_t>(total);
}

bool InputFileSystem::FileExists(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener>) {
  std::lock_guard<std::mutex> lock(mutex_);
  return sources_.count(filename) > 0;
}

}  // namespace ducklake
