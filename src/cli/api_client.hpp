#pragma once
// ApiClient: DuckLake's REST API over HTTP (libcurl), the only way the client commands reach a lake.
//
// One ApiClient is one keep-alive connection and belongs to one thread at a time; parallel
// transfers give each worker its own (copy the Endpoint). A request is sent again when the server
// is busy (429, 503: after Retry-After) or, for an idempotent method, when its connection broke
// before any answer came, if its body can be sent again (held in memory, or with `rewind`); at
// most three times. Every call returns only on a 2xx answer; anything else throws:
//   - ApiError with the HTTP status and the problem+json `detail` for an answer of 4xx or 5xx
//     (status 0 when the server could not be reached or the connection broke);
//   - Interrupted when the user pressed Ctrl-C (the transfer is aborted and its connection closed,
//     which is what tells the server to stop a running query).
// The token travels only in the Authorization header; --verbose shows every header but that
// one's value.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ducklake::cli {

struct Endpoint {
  std::string url;  // scheme://host:port, no trailing slash
  std::optional<std::string> token;
  std::string ca_bundle;  // PEM file for HTTPS servers with a private CA ("" = the system's)
  bool verbose = false;   // print the HTTP exchange (headers, not bodies) on stderr
};

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
  // The HTTP status, or 0 for a network failure (unreachable, connection cut mid-answer).
  int status() const { return status_; }

 private:
  int status_;
};

// Ctrl-C. The handler only sets a flag; every transfer polls it.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};
void InstallInterruptHandler();
bool InterruptRequested();
void ClearInterrupt();  // the interactive shell goes on after a cancelled statement
void RequestInterrupt();

using BodyReader = std::function<size_t(char *buffer, size_t size)>;  // returns 0 at the end
using BodySink = std::function<void(const char *data, size_t size)>;

struct ApiRequest {
  std::string method = "GET";
  std::string target;  // path and query, already encoded (see Query)
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;  // a body held in memory ...
  BodyReader body_reader;           // ... or streamed, of body_size bytes
  int64_t body_size = -1;
  std::function<void()> rewind;     // restarts body_reader, so that the request can be sent again
  BodySink sink;  // receives a 2xx answer's body as it arrives; unset: kept in ApiResponse::body
  std::function<void(uint64_t sent, uint64_t received)> progress;
};

struct ApiResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class ApiClient {
 public:
  explicit ApiClient(Endpoint endpoint);
  ~ApiClient();
  ApiClient(const ApiClient &) = delete;
  ApiClient &operator=(const ApiClient &) = delete;

  const Endpoint &endpoint() const { return endpoint_; }

  // JSON requests: the answer's body parsed (null for an empty body, e.g. 204).
  nlohmann::json Get(const std::string &target);
  nlohmann::json Send(const std::string &method, const std::string &target,
                      const std::optional<nlohmann::json> &body = std::nullopt);
  ApiResponse Perform(const ApiRequest &request);

 private:
  struct Handle;
  Endpoint endpoint_;
  std::unique_ptr<Handle> handle_;
};

// Builds a request target: `Query("/api/v1/x").Add("a", "1 2").str()` → "/api/v1/x?a=1%202".
class Query {
 public:
  explicit Query(std::string path) : target_(std::move(path)) {}
  Query &Add(const std::string &name, const std::string &value);
  Query &Add(const std::string &name, int64_t value) { return Add(name, std::to_string(value)); }
  Query &AddIf(const std::string &name, const std::optional<std::string> &value) {
    return value ? Add(name, *value) : *this;
  }
  const std::string &str() const { return target_; }

 private:
  std::string target_;
  bool first_ = true;
};

// A path segment (a namespace, a volume) percent-encoded; keys keep their '/'.
std::string Segment(const std::string &text);
std::string KeyPath(const std::string &key);

}  // namespace ducklake::cli
