#include "api_client.hpp"

#include <stdexcept>

namespace ducklake::conformance {

std::string ApiAnswer::Detail() const {
  if (json.is_object() && json.contains("detail") && json["detail"].is_string()) return json["detail"];
  return body.substr(0, 300);
}

ApiClient::ApiClient(const std::string &url, std::string token) : client_(std::make_unique<httplib::Client>(url)) {
  client_->set_read_timeout(600, 0);
  client_->set_write_timeout(600, 0);
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);
  if (!token.empty()) headers_.emplace("Authorization", "Bearer " + token);
}

ApiAnswer ApiClient::Send(const std::string &method, const std::string &path, const std::string &body,
                          const std::string &content_type) {
  httplib::Result result = method == "GET" ? client_->Get(path, headers_)
                                           : client_->Post(path, headers_, body, content_type);
  if (!result) {
    throw std::runtime_error(method + " " + path + ": " + httplib::to_string(result.error()));
  }
  ApiAnswer answer;
  answer.status = result->status;
  answer.body = std::move(result->body);
  auto type = result->get_header_value("Content-Type");
  if (type.find("json") != std::string::npos) {
    answer.json = nlohmann::json::parse(answer.body, nullptr, false);
  }
  return answer;
}

ApiAnswer ApiClient::Query(const std::string &sql, std::optional<int64_t> snapshot) {
  nlohmann::json request = {{"sql", sql}};
  if (snapshot) request["snapshot"] = *snapshot;
  return Send("POST", "/api/v1/query", request.dump(), "application/json");
}

ApiAnswer ApiClient::Statements(const std::vector<std::string> &statements) {
  return Send("POST", "/api/v1/query", nlohmann::json{{"statements", statements}}.dump(), "application/json");
}

ApiAnswer ApiClient::CreateNamespace(const std::string &name) {
  return Send("POST", "/api/v1/namespaces", nlohmann::json{{"name", name}}.dump(), "application/json");
}

ApiAnswer ApiClient::Upload(const std::string &ns, const std::string &table, const std::string &body,
                            const std::string &query) {
  return Send("POST", "/api/v1/namespaces/" + ns + "/tables/" + table + "/data?" + query, body,
              "application/octet-stream");
}

ApiAnswer ApiClient::Get(const std::string &path) { return Send("GET", path, "", ""); }

ApiAnswer ApiClient::Post(const std::string &path, const nlohmann::json &body) {
  return Send("POST", path, body.dump(), "application/json");
}

ApiAnswer ApiClient::Changes(const std::string &ns, const std::string &table, int64_t from, int64_t to) {
  return Send("GET",
              "/api/v1/namespaces/" + ns + "/tables/" + table + "/changes?from=" + std::to_string(from) +
                  "&to=" + std::to_string(to),
              "", "");
}

}  // namespace ducklake::conformance
