#include "storage/local_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>

#include "common/error.hpp"
#include "common/ids.hpp"

namespace ducklake {
namespace fs = std::filesystem;
namespace {

constexpr const char *kTempDir = ".tmp";
constexpr const char *kUploadsDir = ".uploads";
constexpr const char *kUploadKeyFile = "key";
constexpr size_t kUploadIdBytes = 16;
constexpr size_t kCopyBufferBytes = 1 << 20;

bool IsReserved(const std::string &key) {
  for (const std::string reserved : {kTempDir, kUploadsDir}) {
    if (key == reserved || key.rfind(reserved + "/", 0) == 0) return true;
  }
  return false;
}

// Upload ids become path components, so only the exact shape CreateMultipart makes is accepted.
bool IsUploadId(const std::string &upload_id) {
  return upload_id.size() == 2 * kUploadIdBytes && std::all_of(upload_id.begin(), upload_id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Zero-padded, so a part's file name is its number and nothing else is mistaken for a part.
std::string PartFileName(int part_number) { return fmt::format("{:05d}", part_number); }
std::optional<int> PartNumberOf(const std::string &file_name) {
  bool digits = std::all_of(file_name.begin(), file_name.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (file_name.size() != 5 || !digits) return std::nullopt;
  return std::stoi(file_name);
}

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

// Writes a temporary file and renames it to `final_path` on Commit. With `expected_size` it writes
// a multipart part: Commit insists on exactly that many bytes and does not create folders, so a
// part cannot bring back the folder of an upload that was completed or aborted meanwhile.
class LocalWriter : public ObjectWriter {
 public:
  LocalWriter(std::string key, std::string temp_path, std::string final_path,
              std::optional<uint64_t> expected_size = std::nullopt)
      : key_(std::move(key)),
        temp_path_(std::move(temp_path)),
        final_path_(std::move(final_path)),
        expected_size_(expected_size) {
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) ThrowIo("creating", key_, errno);
  }

  ~LocalWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_path_.c_str());
  }

  void Append(const char *data, size_t size) override {
    size_ += size;
    // Bytes past a part's size are only counted: Commit rejects the part anyway.
    if (expected_size_ && size_ > *expected_size_) return;
    // Callers append what arrives (4 KiB reads from a socket); one write per MiB instead of one
    // per piece.
    if (pending_.size() + size > kCopyBufferBytes) Flush();
    if (size >= kCopyBufferBytes) {
      WriteAll(fd_, data, size, key_);
    } else {
      if (pending_.capacity() == 0) pending_.reserve(kCopyBufferBytes);
      pending_.append(data, size);
    }
  }

  ObjectInfo Commit() override {
    if (expected_size_ && size_ != *expected_size_) {
      throw MakeError(ErrorKind::kInvalidInput, "a part of '{}' was announced as {} bytes but {} were sent", key_,
                      *expected_size_, size_);
    }
    Flush();
    if (::fsync(fd_) != 0) ThrowIo("syncing", key_, errno);
    // Stat before publishing: after the rename a concurrent writer may already have replaced it.
    struct stat st {};
    if (::fstat(fd_, &st) != 0) ThrowIo("reading", key_, errno);
    ::close(fd_);
    fd_ = -1;
    if (!expected_size_) {
      std::error_code ec;
      fs::create_directories(fs::path(final_path_).parent_path(), ec);
      if (ec) ThrowIo("creating the folder of", key_, ec.value());
    }
    if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
      if (expected_size_ && errno == ENOENT) throw MakeError(ErrorKind::kNotFound, "upload of '{}' not found", key_);
      ThrowIo("publishing", key_, errno);
    }
    committed_ = true;
    return InfoFromStat(key_, st);
  }

 private:
  void Flush() {
    WriteAll(fd_, pending_.data(), pending_.size(), key_);
    pending_.clear();
  }

  std::string key_;
  std::string temp_path_;
  std::string final_path_;
  std::optional<uint64_t> expected_size_;
  uint64_t size_ = 0;
  int fd_ = -1;
  bool committed_ = false;
  std::string pending_;  // appended, not yet written
};

}  // namespace

LocalStore::LocalStore(std::string root) {
  std::error_code ec;
  fs::create_directories(fs::path(root) / kTempDir, ec);
  if (!ec) fs::create_directories(fs::path(root) / kUploadsDir, ec);
  if (ec) throw MakeError(ErrorKind::kUnavailable, "cannot create the object store directory: {}", ec.message());
  root_ = fs::canonical(root).string();
}

std::string LocalStore::PathOf(const std::string &key) const {
  ValidateKey(key);
  if (IsReserved(key)) throw MakeError(ErrorKind::kInvalidInput, "object key '{}' is reserved", key);
  return root_ + "/" + key;
}

std::string LocalStore::WritablePathOf(const std::string &key) const {
  auto path = PathOf(key);
  if (key.back() == '/') throw Error(ErrorKind::kInvalidInput, "object key must not end with '/'");
  return path;
}

std::string LocalStore::NewTempPath() const { return root_ + "/" + kTempDir + "/" + NewUuid(); }

std::unique_ptr<ObjectWriter> LocalStore::Put(const std::string &key) {
  auto path = WritablePathOf(key);
  return std::make_unique<LocalWriter>(key, NewTempPath(), path);
}

namespace {

// An object opened for reading: its descriptor, its info, and the bytes [offset, offset + remaining)
// to read. Reads go by offset (pread), so a file replaced by rename keeps being read whole.
class LocalReader : public ObjectReader {
 public:
  LocalReader(const std::string &path, const std::string &key, std::optional<ByteRange> range) : key_(key) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) ThrowIo("opening", key, errno);
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
      int error = S_ISDIR(st.st_mode) ? ENOENT : errno;
      ::close(fd_);
      if (error == ENOENT) throw MakeError(ErrorKind::kNotFound, "object '{}' not found", key);
      ThrowIo("reading", key, error);
    }
    info_ = InfoFromStat(key, st);
    offset_ = range ? range->offset : 0;
    if (offset_ > info_.size) {
      ::close(fd_);
      throw MakeError(ErrorKind::kInvalidInput, "range starts past the end of '{}'", key);
    }
    remaining_ = info_.size - offset_;
    if (range && range->length) remaining_ = std::min(remaining_, *range->length);
  }
  ~LocalReader() override { ::close(fd_); }

  std::string_view Next() override {
    if (remaining_ == 0) return {};
    if (buffer_.empty()) buffer_.resize(std::min<uint64_t>(kCopyBufferBytes, remaining_));
    while (true) {
      ssize_t got = ::pread(fd_, buffer_.data(), std::min<uint64_t>(buffer_.size(), remaining_), static_cast<off_t>(offset_));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) ThrowIo("reading", key_, errno);
      if (got == 0) {
        remaining_ = 0;  // truncated underneath us; the caller sees fewer bytes
        return {};
      }
      offset_ += static_cast<uint64_t>(got);
      remaining_ -= static_cast<uint64_t>(got);
      return {buffer_.data(), static_cast<size_t>(got)};
    }
  }

  ObjectInfo Info() override { return info_; }

 private:
  std::string key_;
  int fd_ = -1;
  ObjectInfo info_;
  uint64_t offset_ = 0;
  uint64_t remaining_ = 0;
  std::vector<char> buffer_;
};

}  // namespace

std::unique_ptr<ObjectReader> LocalStore::Open(const std::string &key, std::optional<ByteRange> range) {
  return std::make_unique<LocalReader>(PathOf(key), key, range);
}

ObjectInfo LocalStore::Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) {
  LocalReader reader(PathOf(key), key, range);
  for (auto bytes = reader.Next(); !bytes.empty(); bytes = reader.Next()) {
    if (!sink(bytes.data(), bytes.size())) break;
  }
  return reader.Info();
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
        if (folder_key.empty() && IsReserved(key)) continue;
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

std::string LocalStore::UploadFolder(const std::string &key, const std::string &upload_id) const {
  auto not_found = [&] { return MakeError(ErrorKind::kNotFound, "upload '{}' of '{}' not found", upload_id, key); };
  if (!IsUploadId(upload_id)) throw not_found();
  auto folder = root_ + "/" + kUploadsDir + "/" + upload_id;
  int fd = ::open((folder + "/" + kUploadKeyFile).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw not_found();
  char buffer[1025];  // one byte more than the longest key, so a longer file cannot match
  size_t length = 0;
  ssize_t got;
  while (length < sizeof(buffer) && (got = ::read(fd, buffer + length, sizeof(buffer) - length)) != 0) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int error_number = errno;
      ::close(fd);
      ThrowIo("reading the upload of", key, error_number);
    }
    length += static_cast<size_t>(got);
  }
  ::close(fd);
  if (std::string_view(buffer, length) != key) throw not_found();
  return folder;
}

std::string LocalStore::CreateMultipart(const std::string &key) {
  WritablePathOf(key);
  auto upload_id = RandomHex(kUploadIdBytes);
  auto folder = root_ + "/" + kUploadsDir + "/" + upload_id;
  if (::mkdir(folder.c_str(), 0755) != 0) ThrowIo("starting an upload of", key, errno);
  try {
    LocalWriter writer(key, NewTempPath(), folder + "/" + kUploadKeyFile);
    writer.Append(key.data(), key.size());
    writer.Commit();
  } catch (const Error &) {
    ::rmdir(folder.c_str());
    throw;
  }
  return upload_id;
}

std::unique_ptr<ObjectWriter> LocalStore::PutPart(const std::string &key, const std::string &upload_id, int part_number,
                                                  uint64_t size) {
  WritablePathOf(key);
  if (part_number < 1 || part_number > kMaxPartNumber) {
    throw MakeError(ErrorKind::kInvalidInput, "part number {} is outside 1..{}", part_number, kMaxPartNumber);
  }
  auto folder = UploadFolder(key, upload_id);
  return std::make_unique<LocalWriter>(key, NewTempPath(), folder + "/" + PartFileName(part_number), size);
}

std::vector<PartInfo> LocalStore::ListParts(const std::string &key, const std::string &upload_id) {
  WritablePathOf(key);
  auto folder = UploadFolder(key, upload_id);
  std::vector<PartInfo> parts;
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    auto number = PartNumberOf(it->path().filename().string());
    struct stat st {};
    // A part replaced or an upload ended while listing is simply not (or no longer) there.
    if (!number || ::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    auto info = InfoFromStat(key, st);
    parts.push_back(PartInfo{*number, info.etag, info.size});
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw MakeError(ErrorKind::kUnavailable, "object store listing failed: {}", ec.message());
  }
  std::sort(parts.begin(), parts.end(), [](const PartInfo &a, const PartInfo &b) { return a.number < b.number; });
  return parts;
}

ObjectInfo LocalStore::CompleteMultipart(const std::string &key, const std::string &upload_id,
                                         const std::vector<PartInfo> &parts) {
  auto final_path = WritablePathOf(key);
  auto folder = UploadFolder(key, upload_id);
  if (parts.empty()) throw Error(ErrorKind::kInvalidInput, "a multipart upload needs at least one part");
  // Every check comes before any change, so a caller can fix the list and complete again.
  auto check = [&](const PartInfo &part, const struct stat &st, bool last) {
    auto info = InfoFromStat(key, st);
    if (info.etag != part.etag) {
      throw MakeError(ErrorKind::kInvalidInput, "part {} of '{}' does not have the given etag", part.number, key);
    }
    if (!last && info.size < kMinPartSize) {
      throw MakeError(ErrorKind::kInvalidInput, "part {} of '{}' is smaller than {} bytes and not the last",
                      part.number, key, kMinPartSize);
    }
  };
  auto part_path = [&](const PartInfo &part) { return folder + "/" + PartFileName(part.number); };
  for (size_t i = 0; i < parts.size(); i++) {
    const auto &part = parts[i];
    if (part.number < 1 || part.number > kMaxPartNumber || (i > 0 && part.number <= parts[i - 1].number)) {
      throw MakeError(ErrorKind::kInvalidInput, "parts of '{}' must be numbered 1..{} in ascending order", key,
                      kMaxPartNumber);
    }
    struct stat st {};
    if (::stat(part_path(part).c_str(), &st) != 0) {
      if (errno != ENOENT) ThrowIo("reading a part of", key, errno);
      throw MakeError(ErrorKind::kInvalidInput, "part {} of '{}' was not uploaded", part.number, key);
    }
    check(part, st, i + 1 == parts.size());
  }

  LocalWriter writer(key, NewTempPath(), final_path);
  std::vector<char> buffer(kCopyBufferBytes);
  for (size_t i = 0; i < parts.size(); i++) {
    int fd = ::open(part_path(parts[i]).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) ThrowIo("reading a part of", key, errno);
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    // The part may have been re-sent since the checks; what is read is what is checked.
    struct stat st {};
    if (::fstat(fd, &st) != 0) ThrowIo("reading a part of", key, errno);
    check(parts[i], st, i + 1 == parts.size());
    uint64_t remaining = static_cast<uint64_t>(st.st_size);
    while (remaining > 0) {
      ssize_t got = ::read(fd, buffer.data(), std::min<uint64_t>(buffer.size(), remaining));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) ThrowIo("reading a part of", key, errno);
      if (got == 0) throw MakeError(ErrorKind::kInternal, "part {} of '{}' shrank while joining", parts[i].number, key);
      writer.Append(buffer.data(), static_cast<size_t>(got));
      remaining -= static_cast<uint64_t>(got);
    }
  }
  // Taking the upload folder away first decides races with another completion or an abort:
  // whoever moves it owns the upload.
  auto claimed = NewTempPath();
  if (::rename(folder.c_str(), claimed.c_str()) != 0) {
    if (errno == ENOENT) throw MakeError(ErrorKind::kNotFound, "upload '{}' of '{}' not found", upload_id, key);
    ThrowIo("completing the upload of", key, errno);
  }
  ObjectInfo info;
  try {
    info = writer.Commit();
  } catch (const Error &) {
    ::rename(claimed.c_str(), folder.c_str());  // best effort: the caller may retry
    throw;
  }
  std::error_code ec;
  fs::remove_all(claimed, ec);  // leftovers in .tmp are invisible
  return info;
}

void LocalStore::AbortMultipart(const std::string &key, const std::string &upload_id) {
  WritablePathOf(key);
  std::string folder;
  try {
    folder = UploadFolder(key, upload_id);
  } catch (const Error &error) {
    if (error.kind() == ErrorKind::kNotFound) return;
    throw;
  }
  auto claimed = NewTempPath();
  if (::rename(folder.c_str(), claimed.c_str()) != 0) {
    if (errno == ENOENT) return;
    ThrowIo("aborting the upload of", key, errno);
  }
  std::error_code ec;
  fs::remove_all(claimed, ec);
}

std::optional<std::string> LocalStore::PresignUrl(const std::string &method, const std::string &key,
                                                  std::chrono::seconds, const PresignOptions &) {
  PathOf(key);
  if (method != "GET" && method != "PUT") {
    throw MakeError(ErrorKind::kInvalidInput, "cannot presign method '{}'", method);
  }
  return std::nullopt;
}

}  // namespace ducklake
