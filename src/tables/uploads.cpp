// Uploads as the ingest reads them: streamed into the engine while they arrive, or staged.

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/stream_pipe.hpp"
#include "tables/table_service.hpp"

namespace ducklake {
namespace {

constexpr size_t kStagingWriteBytes = 1 << 20;
// Uploads up to this size are staged as a file; larger CSV and NDJSON uploads stream.
constexpr size_t kSampleBytes = 4 << 20;

// An upload spooled to the staging directory; the file is removed when this goes away.
class StagedUpload {
 public:
  explicit StagedUpload(const std::string &directory) {
    auto dir = directory.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(directory);
    std::filesystem::create_directories(dir);
    path_ = std::filesystem::canonical(dir).string() + "/" + NewUuid() + ".upload";
  }
  ~StagedUpload() { std::filesystem::remove(path_); }

  void Write(const std::string &data) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) throw Error(ErrorKind::kUnavailable, "cannot stage the upload (disk full?)");
  }

  void Receive(const BodyReader &read_body) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::kUnavailable, "cannot stage the upload");
    // The body arrives in small reads; gathering them into large writes halves the staging time.
    std::string buffer;
    buffer.reserve(kStagingWriteBytes);
    uint64_t received = 0;
    read_body([&out, &buffer, &received](const char *data, size_t size) {
      received += size;
      buffer.append(data, size);
      if (buffer.size() >= kStagingWriteBytes) {
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        buffer.clear();
      }
    });
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.close();
    if (!out) throw Error(ErrorKind::kUnavailable, "cannot stage the upload (disk full?)");
    if (received == 0) throw Error(ErrorKind::kInvalidInput, "the upload is empty");
  }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// Thrown into the body reader when the ingest stopped reading early; the ingest's own error is
// the one to report.
struct IngestStopped {};

// Runs `work` on a CSV or NDJSON upload while it arrives: the body streams through a bounded pipe
// into the engine, which reads it on a worker thread, so ingest overlaps the transfer and memory
// stays bounded. Small uploads (at most kSampleBytes) are staged as a file instead. `work` gets the
// request with its upload_path set.
void WithStreamedUpload(FileReader &reader, const std::string &staging_directory, IngestRequest request,
                        const BodyReader &read_body, const std::function<void(const IngestRequest &)> &work) {
  StreamPipe pipe;
  std::string head, pending, input_path;
  size_t pending_offset = 0;
  std::thread worker;
  std::exception_ptr worker_error;
  std::atomic<bool> worker_done{false};
  ByteSource source = [&](char *out, size_t size) -> size_t {
    if (pending_offset == pending.size()) {
      auto chunk = pipe.Read();
      if (!chunk) {
        if (pipe.failed()) std::rethrow_exception(pipe.error());
        return 0;
      }
      pending = std::move(*chunk);
      pending_offset = 0;
    }
    size_t take = std::min(size, pending.size() - pending_offset);
    std::memcpy(out, pending.data() + pending_offset, take);
    pending_offset += take;
    return take;
  };
  auto start = [&] {
    input_path = reader.RegisterInput(source);
    request.upload_path = input_path;
    worker = std::thread([&] {
      try {
        work(request);
        worker_done = true;
      } catch (...) {
        worker_error = std::current_exception();
      }
      pipe.Cancel();  // unblocks the body reader if the work stopped early
    });
    if (!pipe.Write(head.data(), head.size()) && !worker_done) throw IngestStopped{};
    head.clear();
  };
  auto finish_worker = [&] {
    if (!worker.joinable()) return;
    worker.join();
    reader.UnregisterInput(input_path);
  };
  try {
    read_body([&](const char *data, size_t size) {
      if (!worker.joinable()) {
        head.append(data, size);
        if (head.size() >= kSampleBytes) start();
        return;
      }
      // Work that is done without the rest of the body (a dry run) leaves it to be read and dropped.
      if (!pipe.Write(data, size) && !worker_done) throw IngestStopped{};
    });
  } catch (const IngestStopped &) {
    finish_worker();
    if (worker_error) std::rethrow_exception(worker_error);
    throw Error(ErrorKind::kInternal, "the ingest stopped without an error");
  } catch (...) {
    // The upload itself failed (cut off, too large): the ingest must not commit what it saw.
    pipe.Fail(std::current_exception());
    finish_worker();
    throw;
  }
  if (!worker.joinable()) {
    if (head.empty()) throw Error(ErrorKind::kInvalidInput, "the upload is empty");
    StagedUpload staged(staging_directory);
    staged.Write(head);
    request.upload_path = staged.path();
    work(request);
    return;
  }
  pipe.Finish();
  finish_worker();
  if (worker_error) std::rethrow_exception(worker_error);
}

}  // namespace

void TableService::WithUpload(IngestRequest request, const BodyReader &read_body,
                              const std::function<void(const IngestRequest &)> &work) {
  if (request.format == UploadFormat::kCsv || request.format == UploadFormat::kNdjson) {
    WithStreamedUpload(engine_, staging_directory_, std::move(request), read_body, work);
    return;
  }
  StagedUpload upload(staging_directory_);
  upload.Receive(read_body);
  request.upload_path = upload.path();
  work(request);
}

void TableService::PreviewUpload(const IngestRequest &request, int64_t limit, const ByteSink &sink) {
  QueryOptions options;
  options.limit = limit;
  engine_.ReadFile(request.upload_path, request.format, options, sink, request.read_options);
}

}  // namespace ducklake
