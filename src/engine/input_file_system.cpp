#include "engine/input_file_system.hpp"

#include <filesystem>

#include "common/ids.hpp"

namespace ducklake {

// One registered upload: its source, and the spool of what opens before the last took from it.
struct InputFileSystem::Stream {
  const ByteSource *source = nullptr;
  std::string spool_path;
  std::FILE *spool = nullptr;  // opened on first use; what the source gave so far, while not sealed
  uint64_t spooled = 0;        // bytes in the spool (= bytes taken from the source, while not sealed)
  bool sealed = false;         // the next open is the last
  bool last_opened = false;    // the last open happened: the source has moved past the spool
  bool open = false;           // a handle is open

  ~Stream() {
    if (spool) std::fclose(spool);
    if (!spool_path.empty()) std::filesystem::remove(spool_path);
  }
};

namespace {

class InputHandle : public duckdb::FileHandle {
 public:
  InputHandle(duckdb::FileSystem &fs, const std::string &path, duckdb::FileOpenFlags flags,
              std::shared_ptr<InputFileSystem::Stream> stream, std::mutex &mutex)
      : FileHandle(fs, path, flags), stream(std::move(stream)), mutex(mutex) {}
  ~InputHandle() override { Close(); }
  void Close() override {
    std::lock_guard<std::mutex> lock(mutex);
    stream->open = false;
  }

  std::shared_ptr<InputFileSystem::Stream> stream;
  std::mutex &mutex;  // the file system's, which guards the stream's bookkeeping
  uint64_t position = 0;
};

}  // namespace

std::string InputFileSystem::Register(const ByteSource &source) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto path = kPrefix + std::to_string(next_id_++);
  auto stream = std::make_shared<Stream>();
  stream->source = &source;
  auto dir = spool_dir_.empty() ? std::filesystem::temp_directory_path().string() : spool_dir_;
  stream->spool_path = dir + "/" + NewUuid() + ".spool";
  streams_[path] = std::move(stream);
  return path;
}

void InputFileSystem::Unregister(const std::string &path) {
  std::lock_guard<std::mutex> lock(mutex_);
  streams_.erase(path);  // an open handle keeps the stream (and its spool) until it closes
}

void InputFileSystem::Seal(const std::string &path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = streams_.find(path); it != streams_.end()) it->second->sealed = true;
}

duckdb::unique_ptr<duckdb::FileHandle> InputFileSystem::OpenFile(const std::string &path, duckdb::FileOpenFlags flags,
                                                                 duckdb::optional_ptr<duckdb::FileOpener>) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = streams_.find(path);
  if (it == streams_.end() || flags.OpenForWriting()) throw duckdb::PermissionException("cannot open \"%s\"", path);
  auto &stream = *it->second;
  // Once the last open read past the spool, the start of the stream is gone.
  if (stream.open || stream.last_opened) throw duckdb::PermissionException("\"%s\" can be read only once", path);
  stream.open = true;
  if (stream.sealed) stream.last_opened = true;
  return duckdb::make_uniq<InputHandle>(*this, path, flags, it->second, mutex_);
}

int64_t InputFileSystem::Read(duckdb::FileHandle &handle, void *buffer, int64_t nr_bytes) {
  auto &input = handle.Cast<InputHandle>();
  auto &stream = *input.stream;
  auto *out = static_cast<char *>(buffer);
  size_t total = 0;
  auto wanted = static_cast<size_t>(nr_bytes);
  // Only this handle's thread reads or writes the spool while it is open; the lock guards the flags.
  bool keep = [&] {
    std::lock_guard<std::mutex> lock(input.mutex);
    return !stream.sealed;
  }();
  // First what earlier opens took, from the spool.
  if (input.position < stream.spooled) {
    auto take = static_cast<size_t>(std::min<uint64_t>(wanted, stream.spooled - input.position));
    if (std::fseek(stream.spool, static_cast<long>(input.position), SEEK_SET) != 0 ||
        std::fread(out, 1, take, stream.spool) != take) {
      throw duckdb::IOException("cannot read the upload's spool");
    }
    input.position += take;
    total += take;
  }
  // Then the source. A reader treats a short read as the end: fill the request unless it ends.
  while (total < wanted) {
    size_t got;
    try {
      got = (*stream.source)(out + total, wanted - total);
    } catch (const std::exception &error) {
      throw duckdb::IOException("the upload was interrupted: %s", error.what());
    }
    if (got == 0) break;
    if (keep) {
      if (!stream.spool && !(stream.spool = std::fopen(stream.spool_path.c_str(), "w+b"))) {
        throw duckdb::IOException("cannot spool the upload");
      }
      if (std::fseek(stream.spool, 0, SEEK_END) != 0 || std::fwrite(out + total, 1, got, stream.spool) != got) {
        throw duckdb::IOException("cannot spool the upload (disk full?)");
      }
      stream.spooled += got;
    }
    input.position += got;
    total += got;
  }
  return static_cast<int64_t>(total);
}

bool InputFileSystem::FileExists(const std::string &filename, duckdb::optional_ptr<duckdb::FileOpener>) {
  std::lock_guard<std::mutex> lock(mutex_);
  return streams_.count(filename) > 0;
}

}  // namespace ducklake
