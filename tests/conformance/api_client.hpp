#pragma once
// The DuckLake REST API as the conformance suite uses it: plain HTTP over loopback, one request at a
// time. Not thread-safe. Transport failures (no connection, a cut answer) throw std::runtime_error;
// every HTTP answer, 4xx and 5xx included, is returned.

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ducklake::conformance {

struct ApiAnswer {
  int status = 0;
  std::string body;
  // The body parsed, when it is JSON (a query result, a write's result, a problem).
  nlohmann::json json;

  bool ok() const { return status >= 200 && status < 300; }
  // A problem's detail, or the start of the body.
  std::string Detail() const;
};

class ApiClient {
 public:
  // `url`: "http://127.0.0.1:8080". `token`: a bearer token, or empty.
  ApiClient(const std::string &url, std::string token = "");

  // POST /api/v1/query {"sql", "snapshot"?}, JSON result.
  ApiAnswer Query(const std::string &sql, std::optional<int64_t> snapshot = std::nullopt);
  // POST /api/v1/query {"statements"}: one snapshot for all.
  ApiAnswer Statements(const std::vector<std::string> &statements);
  ApiAnswer CreateNamespace(const std::string &name);
  // POST …/tables/{table}/data?{query}, the body as it is.
  ApiAnswer Upload(const std::string &ns, const std::string &table, const std::string &body, const std::string &query);
  ApiAnswer Get(const std::string &path);
  // POST `path` with a JSON body (maintenance, ...).
  ApiAnswer Post(const std::string &path, const nlohmann::json &body);
  // GET …/tables/{table}/changes?from=&to= (JSON result).
  ApiAnswer Changes(const std::string &ns, const std::string &table, int64_t from, int64_t to);

 private:
  ApiAnswer Send(const std::string &method, const std::string &path, const std::string &body,
                 const std::string &content_type);

  std::unique_ptr<httplib::Client> client_;
  httplib::Headers headers_;
};

}  // namespace ducklake::conformance
