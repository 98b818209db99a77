#include "storage/object_store.hpp"

#include <thread>

#include "common/error.hpp"
#include "common/stream_pipe.hpp"

namespace ducklake {
namespace {

// Holds a writer to the size it was announced with.
class SizedWriter : public ObjectWriter {
 public:
  SizedWriter(std::unique_ptr<ObjectWriter> target, std::string key, uint64_t size)
      : target_(std::move(target)), key_(std::move(key)), size_(size) {}

  void Append(const char *data, size_t size) override {
    appended_ += size;
    if (appended_ <= size_) target_->Append(data, size);
  }

  ObjectInfo Commit() override {
    if (appended_ != size_) {
      throw MakeError(ErrorKind::kInvalidInput, "'{}' was announced as {} bytes but {} were sent", key_, size_,
                      appended_);
    }
    return target_->Commit();
  }

 private:
  std::unique_ptr<ObjectWriter> target_;
  std::string key_;
  uint64_t size_;
  uint64_t appended_ = 0;
};

// Get on a thread of its own, pushing into a bounded pipe the reader pulls from.
class ThreadedReader : public ObjectReader {
 public:
  ThreadedReader(ObjectStore &store, const std::string &key, std::optional<ByteRange> range) {
    thread_ = std::thread([this, &store, key, range] {
      try {
        auto info = store.Get(key, range, [this](const char *data, size_t size) { return pipe_.Write(data, size); });
        info_ = std::move(info);
        pipe_.Finish();
      } catch (...) {
        pipe_.Fail(std::current_exception());
      }
    });
    if (pipe_.WaitForStart() == StreamPipe::Start::kFailed) {
      thread_.join();
      std::rethrow_exception(pipe_.error());
    }
  }
  ~ThreadedReader() override {
    pipe_.Cancel();
    if (thread_.joinable()) thread_.join();
  }

  std::string_view Next() override {
    auto chunk = pipe_.Read();
    if (!chunk) {
      if (pipe_.failed()) std::rethrow_exception(pipe_.error());
      if (thread_.joinable()) thread_.join();  // Finish came after info_ was set
      return {};
    }
    chunk_ = std::move(*chunk);
    return chunk_;
  }

  ObjectInfo Info() override { return info_; }

 private:
  StreamPipe pipe_;
  std::string chunk_;
  ObjectInfo info_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<ObjectReader> ObjectStore::Open(const std::string &key, std::optional<ByteRange> range) {
  return std::make_unique<ThreadedReader>(*this, key, range);
}

std::unique_ptr<ObjectWriter> ObjectStore::PutSized(const std::string &key, uint64_t size) {
  return std::make_unique<SizedWriter>(Put(key), key, size);
}

}  // namespace ducklake
