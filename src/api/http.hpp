#pragma once
// What route handlers see of a request (api-private). Handlers throw ducklake::Error; the server
// turns it into application/problem+json.

#include <httplib.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/request_limits.hpp"
#include "api/server.hpp"
#include "common/config.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "common/worker_pool.hpp"

namespace ducklake {

class RequestContext {
 public:
  RequestContext(const httplib::Request &request, httplib::Response &response, const httplib::ContentReader *reader,
                 const Config &config, WorkerPool &producers)
      : request(request), response(response), reader_(reader), config_(config), producers_(producers) {}

  const httplib::Request &request;
  httplib::Response &response;
  std::map<std::string, std::string> params;  // from the route pattern
  std::string request_id;
  // Who is calling (null without authentication, --auth=none) and what they may do (never null
  // once the request is routed: unrestricted without authentication).
  const Principal *principal = nullptr;
  const Access *access = nullptr;
  std::shared_ptr<const Access> shared_access;  // owns `access`, for work that outlives the handler
  std::string audit_target;  // what the request acted on, when the route's parameters do not say
  ConcurrencyLimiter *query_slots = nullptr;  // queries each token may run at once (with tokens)
  std::atomic<uint64_t> *bytes_out = nullptr;  // streamed responses add what they send

  const std::string &Param(const std::string &name) const { return params.at(name); }
  std::optional<std::string> QueryParam(const std::string &name) const;
  // The body as a JSON object; kInvalidInput if malformed, kTooLarge past the body limit. With
  // `empty_is_object`, no body at all reads as {} (for requests whose fields are all optional).
  nlohmann::json JsonBody(bool empty_is_object = false);
  // Streams the body to `sink`; kTooLarge past `limit` bytes.
  void StreamBody(const std::function<void(const char *, size_t)> &sink, uint64_t limit);
  uint64_t bytes_in() const { return bytes_in_; }
  bool body_too_slow() const { return body_too_slow_; }
  bool body_read() const { return body_read_; }

  void SendJson(int status, const nlohmann::json &body);
  // Streams `produce` (run on a thread of its own, writing through the given sink) as the response body.
  // Errors before the first byte become a problem response; later ones cut the stream short.
  void SendStream(const std::string &content_type, std::function<void(const ByteSink &)> produce);
  // Like SendStream, for a body of known `length` (sent with Content-Length; for HEAD `produce` is
  // not run). A producer that ends short of `length` cuts the connection.
  void SendSized(int status, const std::string &content_type, uint64_t length,
                 std::function<void(const ByteSink &)> produce);
  // Like SendSized, pulling the body from `reader` on the connection's own thread.
  void SendReader(int status, const std::string &content_type, uint64_t length, std::unique_ptr<ObjectReader> reader);

 private:
  struct Producer;
  std::shared_ptr<Producer> StartProducer(std::function<void(const ByteSink &)> produce);

  const httplib::ContentReader *reader_;
  const Config &config_;
  WorkerPool &producers_;  // runs SendStream's and SendSized's producers
  uint64_t bytes_in_ = 0;
  bool body_too_slow_ = false;
  bool body_read_ = false;  // StreamBody ran to the end of the body
};

using Handler = std::function<void(RequestContext &)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/namespaces/{ns}"; "{name...}" matches the rest of the path
  Handler handler;
};

// Who may call a route, checked before its handler (see api/permits.cpp).
enum class Gate {
  kPublic,         // anyone, without a token (health, metrics, the API document)
  kAuthenticated,  // any valid token; the handler narrows what it shows or does
  kLake,           // `role` on the whole lake
  kNamespace,      // `role` on the namespace of path parameter "ns"
  kVolume,         // `role` on the volume of path parameter "vol" (or a presigned URL's signer)
};

struct Permit {
  Gate gate = Gate::kPublic;
  Role role = Role::kReader;
};

// kInternal for a route the policy does not name (the server refuses to start with one).
Permit PermitOf(const std::string &method, const std::string &pattern);
// (method, pattern) of every route the policy names: every route the server has.
std::vector<std::pair<std::string, std::string>> PolicyRoutes();
// The token id a DuckLake presigned URL of an object route was signed for ("" without
// authentication), after checking its signature and expiry (kForbidden); nullopt for a request that
// is not presigned.
std::optional<std::string> PresignedSigner(FileService &files, const RequestContext &ctx);

int StatusOf(ErrorKind kind);
void SendProblem(httplib::Response &response, int status, const std::string &detail, const std::string &instance);

// Every route of the API (the server's own health, metrics and document routes aside), each
// group built on the services it uses: what the server registers and the OpenAPI test checks.
std::vector<Route> ApiRoutes(Services &services, const Config &config);

// Route tables of each area.
std::vector<Route> TableRoutes(TableService &tables, FileService &files, LineageGraph &graph, const Config &config);
std::vector<Route> QueryRoutes(TableService &tables, FileService &files, const Config &config);
const std::string &OpenApiDocument();

std::vector<Route> MaintenanceRoutes(Maintenance &maintenance, const Config &config);
std::vector<Route> LineageRoutes(LineageRecorder &recorder, EventValidator &validator, LineageGraph &graph,
                                 LineageForwarder *forwarder, const Config &config);
std::vector<Route> AuthRoutes(AuthService *auth, AuditLog *audit, TableService &tables, FileService &files,
                              const Config &config);
// Where a dataset's lineage is, and how many jobs write and read it: for table and object views.
nlohmann::json LineageLink(LineageGraph &graph, const std::string &ns, const std::string &name);
// The lineage job name a request asked for (field or query parameter "job"), if any.
std::optional<std::string> JobNameField(const nlohmann::json &value);
std::vector<Route> FileRoutes(FileService &files, ObjectPreviews &previews, TableService &tables, LineageGraph &graph,
                              const Config &config);
// An object as the files routes describe it.
nlohmann::json ObjectJson(const ObjectRecord &object);

// Request fields; each throws kInvalidInput naming the field when it is malformed or out of range.
int64_t IntegerParam(const RequestContext &ctx, const char *name, int64_t fallback, int64_t minimum, int64_t maximum);
// A query parameter that is true/1 or false/0 (kInvalidInput otherwise), or nullopt when absent.
std::optional<bool> OptionalBoolParam(const RequestContext &ctx, const char *name);
int64_t IntegerField(const nlohmann::json &value, const char *field, int64_t minimum, int64_t maximum);
bool BoolField(const nlohmann::json &value, const char *field);
void RejectUnknownFields(const nlohmann::json &body, std::initializer_list<const char *> known);
// Who commits, and with what message, for a request that changes the lake.
CommitInfo CommitOf(const RequestContext &ctx);

// Parses "json" | "ndjson" | "csv" | "parquet" | "arrow"; and the content type of each.
ResultFormat ParseResultFormat(const std::string &name);
const char *ContentTypeOf(ResultFormat format);

}  // namespace ducklake
