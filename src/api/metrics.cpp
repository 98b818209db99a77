#include "api/metrics.hpp"

#include <fmt/format.h>

namespace ducklake {
namespace {

std::string Label(const std::string &value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::Record(const std::string &route, const std::string &method, int status, double seconds,
                     uint64_t bytes_in, uint64_t bytes_out) {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_[{route, method, status}]++;
  auto &histogram = latency_[route];
  for (size_t i = 0; i < kBucketsSeconds.size(); i++) {
    if (seconds <= kBucketsSeconds[i]) histogram.buckets[i]++;
  }
  histogram.count++;
  histogram.sum += seconds;
  bytes_in_ += bytes_in;
  bytes_out_ += bytes_out;
}

std::string Metrics::Render(int64_t queries_running, const StoreCounters *store) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  auto add = [&out]<typename... Args>(fmt::format_string<Args...> format, Args &&...args) {
    fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
  };
  add("# HELP ducklake_http_requests_total HTTP requests served.\n# TYPE ducklake_http_requests_total counter\n");
  for (const auto &[key, count] : requests_) {
    add("ducklake_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", Label(std::get<0>(key)),
        Label(std::get<1>(key)), std::get<2>(key), count);
  }
  add("# HELP ducklake_http_request_duration_seconds Time to handle a request.\n"
      "# TYPE ducklake_http_request_duration_seconds histogram\n");
  for (const auto &[route, histogram] : latency_) {
    for (size_t i = 0; i < kBucketsSeconds.size(); i++) {
      add("ducklake_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", Label(route),
          kBucketsSeconds[i], histogram.buckets[i]);
    }
    add("ducklake_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", Label(route),
        histogram.count);
    add("ducklake_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", Label(route), histogram.sum);
    add("ducklake_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", Label(route), histogram.count);
  }
  add("# HELP ducklake_http_request_bytes_total Request body bytes received.\n"
      "# TYPE ducklake_http_request_bytes_total counter\nducklake_http_request_bytes_total {}\n",
      bytes_in_);
  add("# HELP ducklake_http_response_bytes_total Response body bytes sent.\n"
      "# TYPE ducklake_http_response_bytes_total counter\nducklake_http_response_bytes_total {}\n",
      bytes_out_ + streamed_bytes_out.load());
  add("# HELP ducklake_queries_running Queries executing now.\n# TYPE ducklake_queries_running gauge\n"
      "ducklake_queries_running {}\n",
      queries_running);
  if (store) {
    add("# HELP ducklake_object_store_get_requests_total Reads from the object store (ranged reads count each).\n"
        "# TYPE ducklake_object_store_get_requests_total counter\nducklake_object_store_get_requests_total {}\n",
        store->get_requests.load());
    add("# HELP ducklake_object_store_read_bytes_total Bytes read from the object store.\n"
        "# TYPE ducklake_object_store_read_bytes_total counter\nducklake_object_store_read_bytes_total {}\n",
        store->bytes_read.load());
    add("# HELP ducklake_object_store_written_bytes_total Bytes written to the object store.\n"
        "# TYPE ducklake_object_store_written_bytes_total counter\nducklake_object_store_written_bytes_total {}\n",
        store->bytes_written.load());
  }
  return out;
}

}  // namespace ducklake
