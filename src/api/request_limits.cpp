#include "api/request_limits.hpp"

#include <cmath>

namespace ducklake {

int RateLimiter::Take(const std::string &key) {
  if (rate_ <= 0) return 0;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (buckets_.size() >= kMaxBuckets) {
    // A bucket that has refilled is the same as none: forget those, so many keys (client
    // addresses) cannot grow the map without bound.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      double idle = std::chrono::duration<double>(now - it->second.refilled).count();
      it = it->second.tokens + idle * rate_ >= burst_ ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, created] = buckets_.try_emplace(key, Bucket{burst_, now});
  auto &bucket = it->second;
  double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
  bucket.refilled = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - bucket.tokens) / rate_)));
}

std::shared_ptr<void> ConcurrencyLimiter::Acquire(const std::string &key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto &running = running_[key];
  if (limit_ > 0 && running >= limit_) return nullptr;
  running++;
  return std::shared_ptr<void>(new char(0), [this, key](void *held) {
    delete static_cast<char *>(held);
    std::lock_guard<std::mutex> release(mutex_);
    if (--running_[key] == 0) running_.erase(key);
  });
}

}  // namespace ducklake
