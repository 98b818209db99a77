#include "storage/local_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>

#include "common/error.hpp"
#include "common/ids.hpp"

namespace ducklake {
namespace fs = std::filesystem;
namespace {

constexpr const char *kTempDir = ".tmp";
constexpr size_t kCopyBufferBytes = 1 << 20;

[[noreturn]] void ThrowIo(const std::string &what, const std::string &key, int error_number) {
  if (error_number == ENOENT) throw MakeError(ErrorKind::kNotFound, "object '{}' not found", key);
  if (error_number == ENOTDIR || error_number == EISDIR || error_number == EEXIST) {
    throw MakeError(ErrorKind::kConflict, "object '{}' conflicts with an existing key prefix", key);
  }
  if (error_number == ENOSPC || error_number == EDQUOT) {
    throw MakeError(ErrorKind::kUnavailable, "object store is full while {} '{}'", what, key);
  }
  throw MakeError(ErrorKind::kUnavailable, "object store failed {} '{}': {}", what, key, std::strerror(error_number));
}

ObjectInfo InfoFromStat(const std::string &key, const struct stat &st) {
  ObjectInfo info;
  info.key = key;
  info.size = static_cast<uint64_t>(st.st_size);
  info.modified_unix_ms = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  info.etag = fmt::format("{:x}-{:x}-{:x}{:09x}", static_cast<uint64_t>(st.st_ino), info.size,
                          static_cast<uint64_t>(st.st_mtim.tv_sec), static_cast<uint64_t>(st.st_mtim.tv_nsec));
  return info;
}

void WriteAll(int fd, const char *data, size_t size, const std::string &key) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      ThrowIo("writing", key, errno);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
}

class LocalWriter : public ObjectWriter {
 public:
  LocalWriter(std::string key, std::string temp_path, std::string final_path)
      : key_(std::move(key)), temp_path_(std::move(temp_path)), final_path_(std::move(final_path)) {
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) ThrowIo("creating", key_, errno);
  }

  ~LocalWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_path_.c_str());
  }

  void Append(const char *data, size_t size) override { WriteAll(fd_, data, size, key_); }

  ObjectInfo Commit() override {
    if (::fsync(fd_) != 0) ThrowIo("syncing", key_, errno);
    ::close(fd_);
    fd_ = -1;
    std::error_code ec;
    fs::create_directories(fs::path(final_path_).parent_path(), ec);
    if (ec) ThrowIo("creating the folder of", key_, ec.value());
    if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) ThrowIo("publishing", key_, errno);
    committed_ = true;
    struct stat st {};
    if (::stat(final_path_.c_str(), &st) != 0) ThrowIo("reading", key_, errno);
    return InfoFromStat(key_, st);
  }

 private:
  std::string key_;
  std::string temp_path_;
  std::string final_path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

LocalStore::LocalStore(std::string root) {
  std::error_code ec;
  fs::create_directories(fs::path(root) / kTempDir, ec);
  if (ec) throw MakeError(ErrorKind::kUnavailable, "cannot create the object store directory: {}", ec.message());
  root_ = fs::canonical(root).string();
}

std::string LocalStore::PathOf(const std::string &key) const {
  ValidateKey(key);
  if (key == kTempDir || key.rfind(std::string(kTempDir) + "/", 0) == 0) {
    throw MakeError(ErrorKind::kInvalidInput, "object key '{}' is reserved", key);
  }
  return root_ + "/" + key;
}

std::unique_ptr<ObjectWriter> LocalStore::Put(const std::string &key) {
  auto path = PathOf(key);
  if (key.back() == '/') throw Error(ErrorKind::kInvalidInput, "object key must not end with '/'");
  return std::make_unique<LocalWriter>(key, root_ + "/" + kTempDir + "/" + NewUuid(), path);
}

ObjectInfo LocalStore::Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) {
  auto path = PathOf(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowIo("opening", key, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) ThrowIo("reading", key, errno);
  if (S_ISDIR(st.st_mode)) throw MakeError(ErrorKind::kNotFound, "object '{}' not found", key);
  auto info = InfoFromStat(key, st);
  uint64_t offset = range ? range->offset : 0;
  if (offset > info.size) throw MakeError(ErrorKind::kInvalidInput, "range starts past the end of '{}'", key);
  uint64_t remaining = info.size - offset;
  if (range && range->length) remaining = std::min(remaining, *range->length);
  std::vector<char> buffer(std::min<uint64_t>(kCopyBufferBytes, std::max<uint64_t>(remaining, 1)));
  while (remaining > 0) {
    ssize_t got = ::pread(fd, buffer.data(), std::min<uint64_t>(buffer.size(), remaining), static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      ThrowIo("reading", key, errno);
    }
    if (got == 0) break;  // truncated underneath us; the caller sees fewer bytes
    if (!sink(buffer.data(), static_cast<size_t>(got))) break;
    offset += static_cast<uint64_t>(got);
    remaining -= static_cast<uint64_t>(got);
  }
  return info;
}

ObjectInfo LocalStore::Head(const std::string &key) {
  auto path = PathOf(key);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) ThrowIo("reading", key, errno);
  if (S_ISDIR(st.st_mode)) throw MakeError(ErrorKind::kNotFound, "object '{}' not found", key);
  return InfoFromStat(key, st);
}

namespace {

// A folder's entries in key order: sub-folders sort as "<name>/", so a depth-first walk visits
// keys in byte order ("a-c" before "a/b").
std::vector<std::pair<std::string, bool>> SortedEntries(const fs::path &folder) {
  std::vector<std::pair<std::string, bool>> entries;  // (name, or name + "/" for a folder; is folder)
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    auto name = it->path().filename().string();
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      entries.emplace_back(name + "/", true);
    } else if (it->is_regular_file(type_ec)) {
      entries.emplace_back(name, false);
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw MakeError(ErrorKind::kUnavailable, "object store listing failed: {}", ec.message());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

bool HoldsAFile(const fs::path &folder) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) return true;
  }
  return false;
}

}  // namespace

ListPage LocalStore::List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                          size_t limit) {
  if (!prefix.empty()) PathOf(prefix.back() == '/' ? prefix + "x" : prefix);  // validates the prefix
  // A depth-first walk in key order that skips folders wholly outside the prefix or before the
  // cursor, and stops one entry past the page: a page costs the folders on its path, not the store.
  ListPage page;
  std::string last_emitted;
  bool full = false;
  auto emit = [&](const std::string &key, bool common_prefix) {
    if (page.objects.size() + page.common_prefixes.size() >= limit) {
      page.next_cursor = last_emitted;
      full = true;
      return;
    }
    last_emitted = key;
    if (common_prefix) {
      page.common_prefixes.push_back(key);
    } else {
      page.objects.push_back(Head(key));
    }
  };
  std::function<void(const std::string &)> walk = [&](const std::string &folder_key) {
    for (const auto &[name, is_folder] : SortedEntries(fs::path(root_) / folder_key)) {
      if (full) return;
      auto key = folder_key + name;
      if (is_folder) {
        if (folder_key.empty() && key == std::string(kTempDir) + "/") continue;
        bool under_prefix = key.compare(0, prefix.size(), prefix) == 0;
        if (!under_prefix && prefix.compare(0, key.size(), key) != 0) continue;  // no key here has the prefix
        // Every key in here sorts before the cursor unless the cursor lies inside.
        if (key < cursor && cursor.compare(0, key.size(), key) != 0) continue;
        if (delimiter == "/" && under_prefix && key.size() > prefix.size()) {
          // A folder below the prefix is one common prefix (if it holds a file).
          if (key > cursor && HoldsAFile(fs::path(root_) / key)) emit(key, true);
          continue;
        }
        walk(key);
      } else if (key.compare(0, prefix.size(), prefix) == 0) {
        auto found = delimiter.empty() ? std::string::npos : key.find(delimiter, prefix.size());
        if (found == std::string::npos) {
          if (key > cursor) emit(key, false);
        } else {
          // Keys sharing a common prefix are adjacent in key order: emit it once.
          auto common = key.substr(0, found + delimiter.size());
          if (common > cursor && common != last_emitted) emit(common, true);
        }
      }
    }
  };
  walk("");
  return page;
}

void LocalStore::Delete(const std::string &key) {
  auto path = PathOf(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) ThrowIo("deleting", key, errno);
  // Empty folders are an artefact of this backend, not objects: remove them up to the root.
  fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  while (parent.string().size() > root_.size() && fs::is_empty(parent, ec) && !ec) {
    if (!fs::remove(parent, ec)) break;
    parent = parent.parent_path();
  }
}

void LocalStore::DeleteMany(const std::vector<std::string> &keys) {
  for (const auto &key : keys) ValidateKey(key);
  for (const auto &key : keys) Delete(key);
}

ObjectInfo LocalStore::Copy(const std::string &from_key, const std::string &to_key) {
  auto writer = Put(to_key);
  Get(from_key, std::nullopt, [&writer](const char *data, size_t size) {
    writer->Append(data, size);
    return true;
  });
  return writer->Commit();
}

void LocalStore::Ping() {
  struct stat st {};
  if (::stat(root_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw Error(ErrorKind::kUnavailable, "object store directory is not reachable");
  }
}

}  // namespace ducklake
