#pragma once
// A bounded byte pipe between a producer thread (the engine writing a result, a store pushing an
// object) and a consumer (the HTTP connection sending it). The producer blocks when kMaxQueuedBytes
// are waiting, which bounds a stream's memory whatever its size. Thread-safe.

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

namespace ducklake {

class StreamPipe {
 public:
  static constexpr size_t kMaxQueuedBytes = 4 << 20;
  static constexpr size_t kChunkBytes = 256 << 10;

  // Producer side. Returns false once the consumer cancelled.
  bool Write(const char *data, size_t size);
  void Finish();                           // all bytes written
  void Fail(std::exception_ptr error);     // the producer failed

  enum class Start { kData, kFinished, kFailed };
  // Consumer side: blocks until the first bytes, the end, or a failure.
  Start WaitForStart();
  std::exception_ptr error();
  // Next chunk, or nullopt at the end (check failed() to tell a failure from a clean end).
  std::optional<std::string> Read();
  bool failed();
  void Cancel();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> chunks_;
  size_t queued_bytes_ = 0;
  bool finished_ = false;
  bool cancelled_ = false;
  std::exception_ptr error_;
};

}  // namespace ducklake
