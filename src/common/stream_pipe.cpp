#include "common/stream_pipe.hpp"

namespace ducklake {

bool StreamPipe::Write(const char *data, size_t size) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (size > 0) {
    changed_.wait(lock, [this] { return cancelled_ || queued_bytes_ < kMaxQueuedBytes; });
    if (cancelled_) return false;
    // Small writes are coalesced into the last chunk so the connection sees few, large writes.
    if (chunks_.empty() || chunks_.back().size() >= kChunkBytes) {
      chunks_.emplace_back();
      chunks_.back().reserve(std::min(kChunkBytes, std::max(size, kChunkBytes / 16)));  // no doubling copies
    }
    auto &chunk = chunks_.back();
    size_t take = std::min(size, kChunkBytes - chunk.size());
    chunk.append(data, take);
    queued_bytes_ += take;
    data += take;
    size -= take;
    changed_.notify_all();
  }
  return true;
}

void StreamPipe::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  changed_.notify_all();
}

void StreamPipe::Fail(std::exception_ptr error) {
  std::lock_guard<std::mutex> lock(mutex_);
  error_ = std::move(error);
  finished_ = true;
  changed_.notify_all();
}

StreamPipe::Start StreamPipe::WaitForStart() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !chunks_.empty() || finished_; });
  if (!chunks_.empty()) return Start::kData;
  return error_ ? Start::kFailed : Start::kFinished;
}

std::exception_ptr StreamPipe::error() {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

std::optional<std::string> StreamPipe::Read() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !chunks_.empty() || finished_; });
  if (chunks_.empty()) return std::nullopt;
  auto chunk = std::move(chunks_.front());
  chunks_.pop_front();
  queued_bytes_ -= chunk.size();
  changed_.notify_all();
  return chunk;
}

bool StreamPipe::failed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_ != nullptr;
}

void StreamPipe::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  changed_.notify_all();
}

}  // namespace ducklake
