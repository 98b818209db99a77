#pragma once
// Moving objects between local files and volumes, many at once.
//
// Transfers runs uploads, downloads, server-side copies and deletes on `parallel` worker threads,
// each with its own API connection. A file of `multipart_threshold` bytes or more is uploaded as
// a multipart upload whose parts (each sent with Content-MD5) are themselves spread over the
// workers; the whole file's SHA-256 goes with every upload (X-DuckLake-SHA256, or the completion's
// `sha256`), so the server checks it and keeps it for `mirror` to compare. Downloads are written
// beside their target and renamed into place once whole (and their SHA-256, when the object has
// one, matches).
//
// Wait() returns when every queued job is done, or throws the first failure after stopping the
// rest. On failure or Ctrl-C, nothing half-done stays behind: partial downloads are removed and
// open multipart uploads aborted. Queue jobs from one thread; the workers are internal.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/api_client.hpp"
#include "cli/terminal.hpp"

namespace ducklake::cli {

// dl://VOLUME/KEY. The key may be empty (the volume's root) or end in '/' (a prefix).
struct LakePath {
  std::string volume;
  std::string key;
  std::string str() const { return "dl://" + volume + "/" + key; }
};
bool IsLakePath(const std::string &text);
LakePath ParseLakePath(const std::string &text);  // UsageError for a malformed one

struct RemoteObject {
  std::string key;
  uint64_t size = 0;
  std::string etag;
  std::optional<std::string> sha256;  // hex
};

// Every object whose key starts with `prefix`, in key order, page by page.
void ListObjects(ApiClient &api, const std::string &volume, const std::string &prefix,
                 const std::function<void(const RemoteObject &)> &each);

std::string ObjectPath(const std::string &volume, const std::string &key);  // the API route of an object

// Hex SHA-256 of a local file.
std::string FileSha256(const std::string &path);

struct TransferOptions {
  int parallel = 4;
  uint64_t multipart_threshold = 64ULL << 20;
  uint64_t part_size = 16ULL << 20;
};

class Transfers {
 public:
  Transfers(Endpoint endpoint, TransferOptions options, Progress *progress);
  ~Transfers();

  void Upload(const std::string &local_path, uint64_t size, const LakePath &target);
  // `expected_sha256`: the object's, checked against what arrives.
  void Download(const LakePath &source, std::optional<std::string> expected_sha256, const std::string &local_path);
  void Copy(const LakePath &source, const LakePath &target, bool move);
  void Delete(const LakePath &target);
  void Wait();

  uint64_t files_done() const { return files_done_; }

 private:
  using Job = std::function<void(ApiClient &)>;
  void Enqueue(Job job);
  void Work();
  void Fail(std::exception_ptr error);
  void UploadMultipart(ApiClient &api, const std::string &local_path, uint64_t size, const LakePath &target);
  void TrackUpload(const LakePath &target, const std::string &upload_id, bool open);
  void TrackPartial(const std::string &path, bool open);
  void CleanUp();
  std::function<void(uint64_t, uint64_t)> Counter(bool upload);

  Endpoint endpoint_;
  TransferOptions options_;
  Progress *progress_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Job> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::set<std::pair<std::string, std::string>> open_uploads_;  // (volume, upload id)
  std::set<std::string> partial_files_;
  std::atomic<uint64_t> files_done_{0};
  std::vector<std::thread> workers_;
};

}  // namespace ducklake::cli
