#pragma once
// Prometheus metrics of the HTTP server: request counts by route, method and status; a latency
// histogram by route; bytes in and out; queries running. Thread-safe. Api-private.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "storage/metered_store.hpp"

namespace ducklake {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBucketsSeconds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                             0.1,   0.25,   0.5,   1,    2.5,   10};

  void Record(const std::string &route, const std::string &method, int status, double seconds, uint64_t bytes_in,
              uint64_t bytes_out);
  std::string Render(int64_t queries_running, const StoreCounters *store);

  std::atomic<uint64_t> streamed_bytes_out{0};

 private:
  struct Histogram {
    std::array<uint64_t, kBucketsSeconds.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };

  std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
};

}  // namespace ducklake
