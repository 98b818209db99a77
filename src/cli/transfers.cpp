#include "cli/transfers.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "cli/errors.hpp"
#include "common/digest.hpp"
#include "common/ids.hpp"

namespace ducklake::cli {
namespace {

constexpr uint64_t kMinPartSize = 5ULL << 20;
constexpr uint64_t kMaxParts = 10000;
constexpr size_t kReadBuffer = 1 << 20;

// A local file opened for reading, closed with its scope.
class InputFile {
 public:
  explicit InputFile(const std::string &path) : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw NotFoundError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  }
  ~InputFile() { ::close(fd_); }
  InputFile(const InputFile &) = delete;
  InputFile &operator=(const InputFile &) = delete;
  // Reads at `offset`; 0 at the end.
  size_t ReadAt(char *buffer, size_t size, uint64_t offset) {
    for (;;) {
      auto n = ::pread(fd_, buffer, size, static_cast<off_t>(offset));
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) throw std::runtime_error(fmt::format("cannot read {}: {}", path_, std::strerror(errno)));
    }
  }

 private:
  std::string path_;
  int fd_;
};

// Makes `request`'s body [offset, offset + length) of a file, which it can send again.
void SetFileBody(ApiRequest &request, std::shared_ptr<InputFile> file, uint64_t offset, uint64_t length) {
  auto position = std::make_shared<uint64_t>(0);
  request.body_size = static_cast<int64_t>(length);
  request.body_reader = [file, offset, length, position](char *buffer, size_t size) -> size_t {
    if (*position >= length) return 0;
    auto n = file->ReadAt(buffer, std::min<uint64_t>(size, length - *position), offset + *position);
    if (n == 0) throw std::runtime_error("the file got shorter while it was being sent");
    *position += n;
    return n;
  };
  request.rewind = [position] { *position = 0; };
}

std::string HexSha256Of(InputFile &file, uint64_t size) {
  Digest digest(DigestAlgorithm::kSha256);
  std::vector<char> buffer(kReadBuffer);
  uint64_t offset = 0;
  while (offset < size) {
    if (InterruptRequested()) throw Interrupted();
    auto n = file.ReadAt(buffer.data(), buffer.size(), offset);
    if (n == 0) break;
    digest.Update(buffer.data(), n);
    offset += n;
  }
  return HexEncode(digest.Finish());
}

}  // namespace

bool IsLakePath(const std::string &text) { return text.rfind("dl://", 0) == 0; }

LakePath ParseLakePath(const std::string &text) {
  if (!IsLakePath(text)) throw UsageError("not a volume path (dl://VOLUME/KEY): '" + text + "'");
  auto rest = text.substr(5);
  auto slash = rest.find('/');
  LakePath path;
  path.volume = rest.substr(0, slash);
  path.key = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (path.volume.empty()) throw UsageError("name the volume: dl://VOLUME/KEY, not '" + text + "'");
  // "." and ".." are no key's segments (the server refuses them too); sent, an HTTP client would
  // resolve them against the URL and reach another route.
  for (const auto &part : {path.volume, path.key}) {
    size_t start = 0;
    for (;;) {
      auto end = part.find('/', start);
      auto segment = part.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (segment == "." || segment == "..") throw UsageError("'.' and '..' cannot be part of a volume path: '" + text + "'");
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return path;
}

std::string ObjectPath(const std::string &volume, const std::string &key) {
  return "/api/v1/volumes/" + Segment(volume) + "/objects/" + KeyPath(key);
}

void ListObjects(ApiClient &api, const std::string &volume, const std::string &prefix,
                 const std::function<void(const RemoteObject &)> &each) {
  std::optional<std::string> cursor;
  do {
    Query target("/api/v1/volumes/" + Segment(volume) + "/objects");
    target.Add("prefix", prefix).Add("limit", 1000).AddIf("cursor", cursor);
    auto page = api.Get(target.str());
    for (const auto &item : page["objects"]) {
      RemoteObject object;
      object.key = item.value("key", "");
      object.size = item.value("size", uint64_t{0});
      object.etag = item.value("etag", "");
      if (item.contains("sha256") && item["sha256"].is_string()) object.sha256 = item["sha256"].get<std::string>();
      each(object);
    }
    cursor.reset();
    if (page.contains("next_cursor") && page["next_cursor"].is_string()) cursor = page["next_cursor"].get<std::string>();
  } while (cursor);
}

std::string FileSha256(const std::string &path) {
  InputFile file(path);
  return HexSha256Of(file, std::filesystem::file_size(path));
}

Transfers::Transfers(Endpoint endpoint, TransferOptions options, Progress *progress)
    : endpoint_(std::move(endpoint)), options_(options), progress_(progress) {
  int workers = std::clamp(options_.parallel, 1, 64);
  for (int i = 0; i < workers; i++) workers_.emplace_back([this] { Work(); });
}

Transfers::~Transfers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  for (auto &worker : workers_) worker.join();
}

void Transfers::Enqueue(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void Transfers::Work() {
  std::unique_ptr<ApiClient> api;
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      running_++;
    }
    try {
      if (!api) api = std::make_unique<ApiClient>(endpoint_);
      if (InterruptRequested()) throw Interrupted();
      job(*api);
    } catch (...) {
      Fail(std::current_exception());
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      running_--;
    }
    idle_.notify_all();
  }
}

void Transfers::Fail(std::exception_ptr error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!failure_) failure_ = error;
  queue_.clear();  // nothing new starts; running jobs see the failure through their next check
}

void Transfers::Wait() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
  }
  if (failure_ || InterruptRequested()) {
    CleanUp();
    if (failure_) std::rethrow_exception(failure_);
    throw Interrupted();
  }
}

void Transfers::TrackUpload(const LakePath &target, const std::string &upload_id, bool open) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (open) {
    open_uploads_.insert({target.volume, upload_id});
  } else {
    open_uploads_.erase({target.volume, upload_id});
  }
}

void Transfers::TrackPartial(const std::string &path, bool open) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (open) {
    partial_files_.insert(path);
  } else {
    partial_files_.erase(path);
  }
}

void Transfers::CleanUp() {
  for (const auto &path : partial_files_) std::filesystem::remove(path);
  partial_files_.clear();
  if (open_uploads_.empty()) return;
  // The abort must get through even after Ctrl-C.
  bool interrupted = InterruptRequested();
  ClearInterrupt();
  ApiClient api(endpoint_);
  for (const auto &[volume, upload_id] : open_uploads_) {
    try {
      api.Send("DELETE", "/api/v1/volumes/" + Segment(volume) + "/uploads/" + Segment(upload_id));
    } catch (const std::exception &) {
      // Listed by GET …/uploads; the server's maintenance does not keep them forever either.
    }
  }
  open_uploads_.clear();
  if (interrupted) RequestInterrupt();
}

std::function<void(uint64_t, uint64_t)> Transfers::Counter(bool upload) {
  if (!progress_) return nullptr;
  auto last = std::make_shared<uint64_t>(0);
  return [this, upload, last](uint64_t sent, uint64_t received) {
    uint64_t now = upload ? sent : received;
    if (now > *last) {
      progress_->Add(now - *last);
      *last = now;
    }
  };
}

void Transfers::Upload(const std::string &local_path, uint64_t size, const LakePath &target) {
  Enqueue([this, local_path, size, target](ApiClient &api) {
    if (size >= options_.multipart_threshold) return UploadMultipart(api, local_path, size, target);
    auto file = std::make_shared<InputFile>(local_path);
    auto sha256 = HexSha256Of(*file, size);
    ApiRequest request;
    request.method = "PUT";
    request.target = ObjectPath(target.volume, target.key);
    request.headers.emplace_back("X-DuckLake-SHA256", sha256);
    SetFileBody(request, file, 0, size);
    request.progress = Counter(true);
    api.Perform(request);
    files_done_++;
  });
}

void Transfers::UploadMultipart(ApiClient &api, const std::string &local_path, uint64_t size, const LakePath &target) {
  uint64_t part_size = std::max(options_.part_size, kMinPartSize);
  part_size = std::max(part_size, (size + kMaxParts - 1) / kMaxParts);
  uint64_t parts = (size + part_size - 1) / part_size;
  auto created = api.Send("POST", "/api/v1/volumes/" + Segment(target.volume) + "/uploads",
                          nlohmann::json{{"key", target.key}});
  auto upload_id = created.at("upload_id").get<std::string>();
  TrackUpload(target, upload_id, true);
  auto upload_path = "/api/v1/volumes/" + Segment(target.volume) + "/uploads/" + Segment(upload_id);
  auto file = std::make_shared<InputFile>(local_path);
  // Parts and the file's digest run as jobs of their own; the last to finish completes the upload.
  struct Shared {
    std::atomic<uint64_t> remaining;
    std::string sha256;
  };
  auto shared = std::make_shared<Shared>();
  shared->remaining = parts + 1;
  auto finish_one = [this, shared, upload_path, target, upload_id](ApiClient &client) {
    if (--shared->remaining > 0) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (failure_) return;
    }
    client.Send("POST", upload_path, nlohmann::json{{"sha256", shared->sha256}});
    TrackUpload(target, upload_id, false);
    files_done_++;
  };
  Enqueue([file, size, shared, finish_one](ApiClient &client) {
    shared->sha256 = HexSha256Of(*file, size);
    finish_one(client);
  });
  for (uint64_t part = 0; part < parts; part++) {
    Enqueue([this, file, part, part_size, size, upload_path, finish_one](ApiClient &client) {
      uint64_t offset = part * part_size;
      uint64_t length = std::min(part_size, size - offset);
      ApiRequest request;
      request.method = "PUT";
      request.target = upload_path + "/parts/" + std::to_string(part + 1);
      SetFileBody(request, file, offset, length);
      request.progress = Counter(true);
      client.Perform(request);
      finish_one(client);
    });
  }
}

void Transfers::Download(const LakePath &source, std::optional<std::string> expected_sha256, const std::string &local_path) {
  Enqueue([this, source, expected_sha256, local_path](ApiClient &api) {
    auto parent = std::filesystem::path(local_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    // Beside the target, so the rename that makes it whole stays on one file system.
    auto partial = local_path + ".ducklake-partial-" + RandomHex(4);
    TrackPartial(partial, true);
    int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw UsageError(fmt::format("cannot write {}: {}", partial, std::strerror(errno)));
    Digest digest(DigestAlgorithm::kSha256);
    ApiRequest request;
    request.target = ObjectPath(source.volume, source.key);
    request.progress = Counter(false);
    request.sink = [fd, &digest, &partial](const char *data, size_t size) {
      digest.Update(data, size);
      while (size > 0) {
        auto n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", partial, std::strerror(errno)));
        data += n;
        size -= static_cast<size_t>(n);
      }
    };
    try {
      api.Perform(request);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) throw std::runtime_error(fmt::format("cannot write {}: {}", partial, std::strerror(errno)));
    auto got = HexEncode(digest.Finish());
    if (expected_sha256 && got != *expected_sha256) {
      throw ApiError(0, fmt::format("{} arrived with SHA-256 {}, not the object's {}", source.str(), got, *expected_sha256));
    }
    std::filesystem::rename(partial, local_path);
    TrackPartial(partial, false);
    files_done_++;
  });
}

void Transfers::Copy(const LakePath &source, const LakePath &target, bool move) {
  Enqueue([this, source, target, move](ApiClient &api) {
    Query query(ObjectPath(source.volume, source.key));
    query.Add(move ? "move_to" : "copy_to", target.key);
    if (target.volume != source.volume) query.Add("to_volume", target.volume);
    auto answer = api.Send("POST", query.str());
    if (progress_) progress_->Add(answer.value("size", uint64_t{0}));
    files_done_++;
  });
}

void Transfers::Delete(const LakePath &target) {
  Enqueue([this, target](ApiClient &api) {
    api.Send("DELETE", ObjectPath(target.volume, target.key));
    if (progress_) progress_->Add(1);
    files_done_++;
  });
}

}  // namespace ducklake::cli
