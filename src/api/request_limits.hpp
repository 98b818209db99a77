#pragma once
// Per-token limits of the API (api-private): a request rate (token bucket) and concurrent queries.
// Thread-safe; state is per server process (replicas each allow the limit).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ducklake {

class RateLimiter {
 public:
  // `rate` requests per second on average, `burst` at once; rate 0 allows everything.
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // Takes one request of `key`: 0 if it may go ahead, else the whole seconds until one may.
  int Take(const std::string &key);

 private:
  static constexpr size_t kMaxBuckets = 10000;  // past this, full buckets are dropped
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

class ConcurrencyLimiter {
 public:
  explicit ConcurrencyLimiter(int limit) : limit_(limit) {}

  // A slot for one more query of `key`, held until the returned handle is destroyed; null when
  // `key` already holds `limit` of them.
  std::shared_ptr<void> Acquire(const std::string &key);

 private:
  int limit_;
  std::mutex mutex_;
  std::map<std::string, int> running_;
};

}  // namespace ducklake
