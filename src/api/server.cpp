#include "api/server.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <set>
#include <strings.h>
#include <sys/socket.h>
#include <mutex>
#include <thread>

#include "api/http.hpp"
#include "api/json_body.hpp"
#include "api/metrics.hpp"
#include "api/request_limits.hpp"
#include "api/router.hpp"
#include "api/web_app.hpp"
#include "common/stream_pipe.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "common/utf8.hpp"

namespace ducklake {
namespace {

thread_local std::string current_route;

constexpr double kSlowBodyGraceS = 10;
constexpr size_t kMaxHeaders = 100;

// The request's path segments, as routing sees them.
std::vector<std::string> RequestSegments(const httplib::Request &request) {
  return PathSegments(request.target.empty() ? request.path : request.target);
}

// Whether an Accept-Encoding value (RFC 9110, 12.5.3) takes gzip: named, or "*", without q=0.
bool AcceptsGzip(const std::string &value) {
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(',', start);
    if (end == std::string::npos) end = value.size();
    auto item = value.substr(start, end - start);
    start = end + 1;
    auto semicolon = item.find(';');
    auto trim = [](std::string text) {
      auto first = text.find_first_not_of(" \t"), last = text.find_last_not_of(" \t");
      return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    };
    auto coding = trim(item.substr(0, semicolon));
    if (strcasecmp(coding.c_str(), "gzip") != 0 && coding != "*") continue;
    if (semicolon == std::string::npos) return true;
    auto parameter = trim(item.substr(semicolon + 1));
    if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') || parameter[1] != '=') return true;
    return std::strtod(parameter.c_str() + 2, nullptr) > 0;
  }
  return false;
}

std::string SafeRequestId(const httplib::Request &request) {
  auto given = request.get_header_value("X-Request-Id");
  bool usable = !given.empty() && given.size() <= 64 &&
                std::all_of(given.begin(), given.end(), [](unsigned char c) {
                  return std::isalnum(c) || c == '-' || c == '_' || c == '.';
                });
  return usable ? given : RandomHex(8);
}

}  // namespace

// --- problems ---------------------------------------------------------------------------------

int StatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput: return 400;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kTooLarge: return 413;
    case ErrorKind::kPrecondition: return 412;
    case ErrorKind::kTimeout: return 504;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kRateLimited: return 429;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

const char *StatusTitle(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status >= 500 ? "Server Error" : "Client Error";
  }
}

void SendProblem(httplib::Response &response, int status, const std::string &detail, const std::string &instance) {
  nlohmann::json problem = {
      {"type", "about:blank"},
      {"title", StatusTitle(status)},
      {"status", status},
      {"detail", detail},
      {"instance", instance},
  };
  response.status = status;
  if (status == 503) response.set_header("Retry-After", "1");
  response.set_content(problem.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/problem+json");
}

// --- request context --------------------------------------------------------------------------

std::optional<std::string> RequestContext::QueryParam(const std::string &name) const {
  if (!request.has_param(name)) return std::nullopt;
  return request.get_param_value(name);
}

void RequestContext::StreamBody(const std::function<void(const char *, size_t)> &sink, uint64_t limit) {
  if (request.has_header("Content-Length")) {
    uint64_t declared = 0;
    auto text = request.get_header_value("Content-Length");
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), declared);
    if (error == std::errc() && end == text.data() + text.size() && declared > limit) {
      throw MakeError(ErrorKind::kTooLarge, "request body is larger than {} bytes", limit);
    }
  }
  auto started = std::chrono::steady_clock::now();
  auto consume = [&](const char *data, size_t size) {
    bytes_in_ += size;
    if (bytes_in_ > limit) throw MakeError(ErrorKind::kTooLarge, "request body is larger than {} bytes", limit);
    // A body trickling in (slowloris) holds a connection and a thread: past a grace period it must
    // keep up a minimum rate.
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (config_.min_upload_rate > 0 && elapsed > kSlowBodyGraceS &&
        static_cast<double>(bytes_in_) / elapsed < static_cast<double>(config_.min_upload_rate)) {
      body_too_slow_ = true;
      throw MakeError(ErrorKind::kTimeout, "the request body arrives slower than {} bytes per second",
                      config_.min_upload_rate);
    }
    sink(data, size);
    return true;
  };
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112, 6.3).
  if (!request.has_header("Content-Length") && !request.has_header("Transfer-Encoding")) return;
  if (reader_) {
    if (!(*reader_)(consume)) {
      throw Error(ErrorKind::kInvalidInput, "the request body ended early or was malformed");
    }
  } else {
    consume(request.body.data(), request.body.size());
  }
  body_read_ = true;
}

nlohmann::json RequestContext::JsonBody(bool empty_is_object) {
  std::string body;
  StreamBody([&body](const char *data, size_t size) { body.append(data, size); }, config_.max_body_bytes);
  if (empty_is_object && body.empty()) return nlohmann::json::object();
  return ParseJsonBody(body, config_.max_json_depth);
}

void RequestContext::SendJson(int status, const nlohmann::json &body) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

struct RequestContext::Producer {
  std::shared_ptr<StreamPipe> pipe = std::make_shared<StreamPipe>();
  std::future<void> ended;
  ~Producer() {
    pipe->Cancel();
    if (ended.valid()) ended.wait();
  }
};

// Runs `produce` on a thread of its own and waits for its first bytes; an error before them is
// thrown here, so it still becomes a problem response.
std::shared_ptr<RequestContext::Producer> RequestContext::StartProducer(std::function<void(const ByteSink &)> produce) {
  auto producer = std::make_shared<Producer>();
  producer->ended = producers_.Run([pipe = producer->pipe, produce = std::move(produce)] {
    try {
      produce([&pipe](const char *data, size_t size) { return pipe->Write(data, size); });
      pipe->Finish();
    } catch (...) {
      pipe->Fail(std::current_exception());
    }
  });
  if (producer->pipe->WaitForStart() == StreamPipe::Start::kFailed) {
    producer->ended.wait();
    std::rethrow_exception(producer->pipe->error());
  }
  return producer;
}

void RequestContext::SendStream(const std::string &content_type, std::function<void(const ByteSink &)> produce) {
  auto producer = StartProducer(std::move(produce));
  response.status = 200;
  auto *counter = bytes_out;
  response.set_chunked_content_provider(
      content_type,
      [producer, counter](size_t, httplib::DataSink &sink) {
        auto chunk = producer->pipe->Read();
        if (!chunk) {
          // A failure mid-stream must not look like a complete result: end without the last chunk.
          if (producer->pipe->failed()) return false;
          sink.done();
          return true;
        }
        if (counter) *counter += chunk->size();
        return sink.write(chunk->data(), chunk->size());
      },
      [producer](bool) { producer->pipe->Cancel(); });
}

void RequestContext::SendSized(int status, const std::string &content_type, uint64_t length,
                               std::function<void(const ByteSink &)> produce) {
  response.status = status;
  if (length == 0) {
    response.set_content("", content_type);
    return;
  }
  if (request.method == "HEAD") {
    // httplib sends the headers of a provider's body, never the body itself, for HEAD.
    response.set_content_provider(length, content_type, [](size_t, size_t, httplib::DataSink &) { return false; });
    return;
  }
  auto producer = StartProducer(std::move(produce));
  auto *counter = bytes_out;
  response.set_content_provider(
      length, content_type,
      [producer, counter](size_t, size_t remaining, httplib::DataSink &sink) {
        auto chunk = producer->pipe->Read();
        // Ended short, failed, or more than announced: the client must see a cut connection, never
        // a body that looks whole.
        if (!chunk || chunk->size() > remaining) return false;
        if (counter) *counter += chunk->size();
        return sink.write(chunk->data(), chunk->size());
      },
      [producer](bool) { producer->pipe->Cancel(); });
}

void RequestContext::SendReader(int status, const std::string &content_type, uint64_t length,
                                std::unique_ptr<ObjectReader> reader) {
  response.status = status;
  if (length == 0) {
    response.set_content("", content_type);
    return;
  }
  std::shared_ptr<ObjectReader> source(std::move(reader));
  auto *counter = bytes_out;
  response.set_content_provider(
      length, content_type, [source, counter](size_t, size_t remaining, httplib::DataSink &sink) {
        try {
          auto bytes = source->Next();
          // Ended short, or more than announced: the client must see a cut connection, never a
          // body that looks whole.
          if (bytes.empty() || bytes.size() > remaining) return false;
          if (bytes.size() < remaining) {
            if (counter) *counter += bytes.size();
            return sink.write(bytes.data(), bytes.size());
          }
          // The last bytes go out only once the reader has ended well (its checks run at its end).
          std::string last(bytes);
          if (!source->Next().empty()) return false;
          if (counter) *counter += last.size();
          return sink.write(last.data(), last.size());
        } catch (const std::exception &error) {
          Log(LogLevel::kWarn, "response cut short", {{"error", error.what()}});
          return false;
        }
      });
}

// --- server ----------------------------------------------------------------------------------

constexpr size_t kCompressFromBytes = 4096;  // smaller answers are sent as they are

class Server::Impl {
 public:
  Impl(const Config &config, Services services)
      : config_(config),
        services_(services),
        rate_limiter_(config.rate_limit, config.rate_burst),
        unauthenticated_limiter_(config.rate_limit, config.rate_burst),
        query_slots_(config.max_concurrent_queries) {
    for (auto routes : {ApiRoutes(services_, config_), ServerRoutes()}) {
      for (auto &route : routes) {
        permits_.push_back(PermitOf(route.method, route.pattern));  // a route outside the policy: no start
        routes_.push_back(std::move(route));
      }
    }
    if (!config_.tls_cert.empty() || !config_.tls_key.empty()) {
      if (config_.tls_cert.empty() || config_.tls_key.empty()) {
        throw Error(ErrorKind::kInvalidInput, "HTTPS needs both --tls-cert and --tls-key");
      }
      auto tls = std::make_unique<httplib::SSLServer>(config_.tls_cert.c_str(), config_.tls_key.c_str());
      if (!tls->is_valid()) throw Error(ErrorKind::kInvalidInput, "cannot load the TLS certificate and key");
      server_ = std::move(tls);
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
    if (config_.web_dir != "none") {
      auto directory = config_.web_dir.empty() ? WebApp::DefaultDirectory() : config_.web_dir;
      if (!directory.empty()) {
        web_app_ = WebApp::Load(directory);
        Log(LogLevel::kInfo, "web app", {{"directory", directory}, {"files", std::to_string(web_app_->size())}});
      }
    }
    auto &http = *server_;
    http.new_task_queue = [threads = config_.http_threads] { return new httplib::ThreadPool(threads); };
    http.set_tcp_nodelay(true);
    http.set_keep_alive_max_count(1000);
    // httplib's default sets SO_REUSEPORT, with which a second server on the same port started
    // without a word and took half of the connections: SO_REUSEADDR alone lets a restart bind while
    // old connections linger, and makes a port in use an error.
    http.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listen_socket_ = sock;
    });
    // One byte over our own limits, so handlers see the overflow and answer 413 themselves.
    http.set_payload_max_length(std::max(config_.max_upload_bytes, config_.max_body_bytes) + 1);
    http.set_read_timeout(config_.read_timeout_s, 0);
    http.set_write_timeout(config_.read_timeout_s, 0);

    http.set_pre_routing_handler(
        [this](const httplib::Request &request, httplib::Response &response) { return PreRoute(request, response); });
    auto plain = [this](const httplib::Request &request, httplib::Response &response) {
      Dispatch(request, response, nullptr);
    };
    auto streamed = [this](const httplib::Request &request, httplib::Response &response,
                           const httplib::ContentReader &reader) { Dispatch(request, response, &reader); };
    http.Get(".*", plain);
    http.Delete(".*", plain);
    http.Options(".*", plain);
    http.Post(".*", streamed);
    http.Put(".*", streamed);
    http.Patch(".*", streamed);
    // httplib calls this for every status >= 400; only its own errors (no body yet) need a problem.
    http.set_error_handler([this](const httplib::Request &request, httplib::Response &response) {
      if (!response.body.empty() || response.content_provider_) return;
      if (response.status == 416 && (request.method == "GET" || request.method == "HEAD")) {
        // httplib refuses a Range header it cannot parse before routing; RFC 9110 says to ignore
        // it, so the request is served as if it had none (ranges are parsed by the object routes).
        auto &unconst = const_cast<httplib::Request &>(request);
        unconst.ranges.clear();
        response.status = -1;
        if (PreRoute(request, response) == httplib::Server::HandlerResponse::Unhandled) {
          Dispatch(request, response, nullptr);
        }
        return;
      }
      SendProblem(response, response.status,
                  response.status == 413 ? "request body too large" : "the request could not be served",
                  request.path);
    });
    http.set_logger([this](const httplib::Request &request, const httplib::Response &response) {
      // httplib reports a connection it could not parse a request from with an empty method.
      if (request.method.empty()) return;
      auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - request_start_).count();
      uint64_t out = response.body.size();
      metrics_.Record(current_route, request.method, response.status, elapsed, request.body.size() + body_in_, out);
      Log(LogLevel::kInfo, "request",
          {{"request_id", request_id_},
           {"method", request.method},
           {"path", request.path},
           {"route", current_route},
           {"status", std::to_string(response.status)},
           {"duration_ms", fmt::format("{:.2f}", elapsed * 1000)}});
      body_in_ = 0;
    });
  }

  int Bind() {
    auto colon = config_.listen.rfind(':');
    if (colon == std::string::npos) throw Error(ErrorKind::kInvalidInput, "listen address must be host:port");
    auto host = config_.listen.substr(0, colon);
    int port = std::stoi(config_.listen.substr(colon + 1));
    port_ = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
    if (port_ < 0) throw MakeError(ErrorKind::kUnavailable, "cannot listen on {}", config_.listen);
    // httplib listens with a backlog of 5: a burst of new connections (16 parallel transfers)
    // overflowed it, and each one dropped waited a second to try again. Listening again on the
    // bound socket only raises its backlog.
    if (listen_socket_ >= 0) ::listen(listen_socket_, kListenBacklog);
    return port_;
  }

  void Run() {
    Log(LogLevel::kInfo, "listening", {{"address", fmt::format("{}:{}", config_.listen.substr(0, config_.listen.rfind(':')), port_)}});
    server_->listen_after_bind();
  }

  void Shutdown() {
    draining_ = true;
    Log(LogLevel::kInfo, "draining", {{"in_flight", std::to_string(in_flight_.load())}});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config_.shutdown_timeout_s);
    std::unique_lock<std::mutex> lock(drain_mutex_);
    drained_.wait_until(lock, deadline, [this] { return in_flight_.load() == 0; });
    server_->stop();
  }

 private:
  httplib::Server::HandlerResponse PreRoute(const httplib::Request &request, httplib::Response &response) {
    current_route = "unmatched";
    // Ranges are the object routes' business (api/object_http.hpp); httplib would otherwise cut
    // every response body, JSON included, to the requested ranges. The Request is httplib's own
    // non-const object, lent to us as const.
    const_cast<httplib::Request &>(request).ranges.clear();
    request_start_ = std::chrono::steady_clock::now();
    request_id_ = SafeRequestId(request);
    // httplib picks brotli when offered, at its slowest quality: a 1,000,000-row result took 10.8 s
    // instead of 0.03 s, a 450 KB script 0.84 s. Only gzip is ever used.
    auto &headers = const_cast<httplib::Request &>(request).headers;
    bool gzip = AcceptsGzip(request.get_header_value("Accept-Encoding"));
    headers.erase("Accept-Encoding");
    if (gzip) headers.emplace("Accept-Encoding", "gzip");
    response.set_header("X-Request-Id", request_id_);
    if (draining_.load()) {
      response.set_header("Connection", "close");
      SendProblem(response, 503, "the server is shutting down", request.path);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (request.target.size() > config_.max_url_bytes) {
      response.set_header("Connection", "close");
      SendProblem(response, 414, fmt::format("the URL is longer than {} bytes", config_.max_url_bytes), "");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (request.has_header("Transfer-Encoding")) {
      // Anything but plain chunked, or chunked next to a length, is how requests get smuggled past a
      // proxy that reads the body differently: refused, and the connection ends.
      auto coding = request.get_header_value("Transfer-Encoding");
      bool chunked = request.get_header_value_count("Transfer-Encoding") == 1 && coding.size() == 7 &&
                     strncasecmp(coding.c_str(), "chunked", 7) == 0;
      if (!chunked || request.has_header("Content-Length")) {
        response.set_header("Connection", "close");
        SendProblem(response, 400, "Transfer-Encoding must be 'chunked' alone, without Content-Length", request.path);
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    bool has_body = request.has_header("Transfer-Encoding") ||
                    (request.has_header("Content-Length") && request.get_header_value("Content-Length") != "0");
    if (has_body && (request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS")) {
      // httplib does not read such a body: its bytes would be taken for the connection's next request.
      response.set_header("Connection", "close");
      SendProblem(response, 400, fmt::format("a {} request has no body", request.method), request.path);
      return httplib::Server::HandlerResponse::Handled;
    }
    uint64_t header_bytes = 0;
    for (const auto &[name, value] : request.headers) header_bytes += name.size() + value.size() + 4;
    if (header_bytes > config_.max_header_bytes || request.headers.size() > kMaxHeaders) {
      response.set_header("Connection", "close");
      SendProblem(response, 431,
                  fmt::format("the request headers exceed {} bytes or {} fields", config_.max_header_bytes, kMaxHeaders),
                  request.path);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  // Counts a request as in flight until its response, streamed or not, is fully sent.
  struct InFlight {
    explicit InFlight(Impl &impl) : impl(impl) { impl.in_flight_++; }
    ~InFlight() {
      std::lock_guard<std::mutex> lock(impl.drain_mutex_);
      if (--impl.in_flight_ == 0) impl.drained_.notify_all();
    }
    Impl &impl;
  };

  // Says who is calling: the signer of a presigned URL, or the bearer of a token; sets the
  // principal (kept in `storage`) and what they may do on the context.
  void Authenticate(RequestContext &ctx, const Permit &permit, Principal &storage) {
    ctx.shared_access = std::shared_ptr<const Access>(&UnrestrictedAccess(), [](const Access *) {});
    ctx.access = ctx.shared_access.get();
    auto signer = PresignedSigner(services_.files, ctx);  // checks the URL's signature and expiry
    if (!services_.auth || permit.gate == Gate::kPublic) return;
    if (signer) {
      // A presigned URL carries the rights its creator has now, not more.
      storage = services_.auth->PrincipalOfToken(*signer);
    } else {
      auto header = ctx.request.get_header_value("Authorization");
      if (header.empty()) throw Error(ErrorKind::kUnauthenticated, "this route needs a bearer token");
      if (ctx.request.get_header_value_count("Authorization") > 1) {
        throw Error(ErrorKind::kUnauthenticated, "give one Authorization header");
      }
      if (header.size() < 7 || strncasecmp(header.c_str(), "Bearer ", 7) != 0) {
        throw Error(ErrorKind::kUnauthenticated, "the Authorization header must be 'Bearer <token>'");
      }
      storage = services_.auth->Authenticate(header.substr(7));
    }
    ctx.principal = &storage;
    ctx.shared_access = services_.auth->AccessOf(&storage);
    ctx.access = ctx.shared_access.get();
  }

  void Authorize(RequestContext &ctx, const Permit &permit) {
    switch (permit.gate) {
      case Gate::kPublic:
      case Gate::kAuthenticated:
        return;
      case Gate::kLake: ctx.access->RequireLake(permit.role); return;
      case Gate::kNamespace: ctx.access->RequireNamespace(ctx.Param("ns"), permit.role); return;
      case Gate::kVolume: ctx.access->RequireVolume(ctx.Param("vol"), permit.role); return;
    }
  }

  // Who did what, from where, and whether it was let through: every request that changes
  // something or was refused.
  void Audit(const RequestContext &ctx, const Route &route, int status, const std::string &detail) {
    if (!services_.audit) return;
    bool refused = status == 401 || status == 403 || status == 429;
    if (!refused && (ctx.request.method == "GET" || ctx.request.method == "HEAD")) return;
    AuditEntry entry;
    entry.at_ms = NowUnixMs();
    entry.principal = ctx.principal ? ctx.principal->user : "-";
    entry.token_id = ctx.principal ? ctx.principal->token_id : "";
    entry.remote = ctx.request.remote_addr;
    entry.method = ctx.request.method;
    entry.path = ctx.request.path;
    entry.action = route.method + " " + route.pattern;
    entry.target = ctx.audit_target;
    if (entry.target.empty()) {
      for (const auto &[name, value] : ctx.params) entry.target += (entry.target.empty() ? "" : " ") + name + "=" + value;
    }
    entry.allowed = !refused;
    entry.status = status;
    entry.detail = detail;
    try {
      services_.audit->Append(std::move(entry));
    } catch (const std::exception &error) {
      Log(LogLevel::kError, "audit entry lost", {{"request_id", request_id_}, {"error", error.what()}});
    }
  }

  void Dispatch(const httplib::Request &request, httplib::Response &response, const httplib::ContentReader *reader) {
    auto in_flight = std::make_shared<InFlight>(*this);
    RequestContext context(request, response, reader, config_, producers_);
    context.request_id = request_id_;
    context.bytes_out = &metrics_.streamed_bytes_out;
    auto segments = RequestSegments(request);
    // Text that is not UTF-8 would reach the metadata database (and fail there): refused here.
    bool utf8 = std::all_of(segments.begin(), segments.end(), [](const std::string &s) { return IsValidUtf8(s); });
    for (const auto &[name, value] : request.params) utf8 = utf8 && IsValidUtf8(name) && IsValidUtf8(value);
    // A body no handler read would be taken for the connection's next request: the connection ends
    // with this response.
    bool unread_body = reader && (request.has_header("Transfer-Encoding") ||
                                  (request.has_header("Content-Length") && request.get_header_value("Content-Length") != "0"));
    if (unread_body) response.set_header("Connection", "close");
    if (!utf8) {
      SendProblem(response, 400, "the URL is not valid UTF-8 once decoded", "");
      return;
    }
    std::string allowed;
    size_t matched = routes_.size();
    for (size_t i = 0; i < routes_.size(); i++) {
      const auto &route = routes_[i];
      std::map<std::string, std::string> params;
      if (!MatchPattern(route.pattern, segments, params)) continue;
      if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
        matched = i;
        context.params = std::move(params);
        break;
      }
      allowed += (allowed.empty() ? "" : ", ") + route.method;
    }
    if (matched == routes_.size()) {
      if (!allowed.empty()) {
        response.set_header("Allow", allowed);
        SendProblem(response, 405, fmt::format("{} is not allowed here; use {}", request.method, allowed),
                    request.path);
      } else if (!ServeWebApp(request, response)) {
        SendProblem(response, 404, "no such route", request.path);
      }
      return;
    }
    const auto &route = routes_[matched];
    current_route = route.pattern;
    Principal principal;
    std::string failure;
    try {
      try {
        Authenticate(context, permits_[matched], principal);
      } catch (const Error &error) {
        // Guessing tokens (or flooding the audit log with refusals) is held to the token rate, per
        // client address.
        if (error.kind() != ErrorKind::kUnauthenticated) throw;
        if (int wait = unauthenticated_limiter_.Take(request.remote_addr)) {
          response.set_header("Retry-After", std::to_string(wait));
          throw MakeError(ErrorKind::kRateLimited, "more than {} refused requests per second from this address",
                          config_.rate_limit);
        }
        throw;
      }
      if (context.principal) {
        if (int wait = rate_limiter_.Take(context.principal->token_id)) {
          response.set_header("Retry-After", std::to_string(wait));
          throw MakeError(ErrorKind::kRateLimited, "more than {} requests per second with this token",
                          config_.rate_limit);
        }
        context.query_slots = &query_slots_;
      }
      Authorize(context, permits_[matched]);
      route.handler(context);
      if (response.content_provider_) {
        // Keep the request in flight until its stream has been sent.
        auto releaser = response.content_provider_resource_releaser_;
        response.content_provider_resource_releaser_ = [releaser, in_flight](bool success) {
          if (releaser) releaser(success);
        };
      }
    } catch (const Error &error) {
      int status = context.body_too_slow() ? 408 : StatusOf(error.kind());
      if (status >= 500) {
        // Timeouts and unavailable backends are operational, not bugs.
        Log(status == 500 ? LogLevel::kError : LogLevel::kWarn, "request failed",
            {{"request_id", request_id_}, {"error", error.what()}});
      }
      if (status == 401) response.set_header("WWW-Authenticate", "Bearer realm=\"ducklake\"");
      failure = status == 500 ? "internal error" : error.what();
      SendProblem(response, status, status == 500 ? "internal error; see the server log" : error.what(),
                  request.path);
    } catch (const std::exception &error) {
      Log(LogLevel::kError, "request failed", {{"request_id", request_id_}, {"error", error.what()}});
      failure = "internal error";
      SendProblem(response, 500, "internal error; see the server log", request.path);
    }
    // Only a body read to its end leaves the connection fit for another request.
    if (unread_body && context.body_read()) response.headers.erase("Connection");
    // httplib gzips any text answer the client accepts so (PreRoute left at most gzip). A small
    // one costs more than it saves (a third of the server's CPU per small upload, in the files
    // benchmark's profile). A stream is never compressed: its compressor holds bytes back until
    // its buffer fills, so the first rows would wait and a client gone would go unnoticed.
    if (response.content_provider_ || response.body.size() < kCompressFromBytes) {
      const_cast<httplib::Request &>(request).headers.erase("Accept-Encoding");
    }
    Audit(context, route, response.status, failure);
    body_in_ = context.bytes_in();
  }

  // The web app answers a GET that no route takes, outside the API's own paths (where a wrong path
  // must stay a problem a client can read). False when there is nothing to send.
  bool ServeWebApp(const httplib::Request &request, httplib::Response &response) {
    if (!web_app_ || (request.method != "GET" && request.method != "HEAD")) return false;
    for (const char *api : {"/api/", "/marquez/"}) {
      if (request.path.rfind(api, 0) == 0 || request.path + "/" == api) return false;
    }
    const auto *asset = web_app_->Find(request.path);
    if (!asset) return false;
    current_route = "web app";
    response.set_header("Cache-Control", asset->cache_control);
    response.set_header("X-Content-Type-Options", "nosniff");
    if (asset->content_type.rfind("text/html", 0) == 0) {
      // The app talks only to this server; styles are inline because the editor and the graph set
      // them from script.
      response.set_header("Content-Security-Policy",
                          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                          "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
                          "base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
      response.set_header("Referrer-Policy", "no-referrer");
    }
    // Sent as stored: httplib must not compress it again.
    bool gzip = !asset->gzipped.empty() && request.get_header_value("Accept-Encoding") == "gzip";
    const_cast<httplib::Request &>(request).headers.erase("Accept-Encoding");
    if (!asset->gzipped.empty()) response.set_header("Vary", "Accept-Encoding");
    const auto &etag = gzip ? asset->gzipped_etag : asset->etag;
    response.set_header("ETag", etag);
    auto validator = request.get_header_value("If-None-Match");
    if (!validator.empty() && (validator == asset->etag || validator == asset->gzipped_etag)) {
      response.status = 304;
      return true;
    }
    response.status = 200;
    if (gzip) {
      response.set_header("Content-Encoding", "gzip");
      response.set_content(asset->gzipped, asset->content_type);
    } else {
      response.set_content(asset->body, asset->content_type);
    }
    return true;
  }

  std::vector<Route> ServerRoutes() {
    return {
        {"GET", "/healthz", [](RequestContext &ctx) { ctx.SendJson(200, {{"status", "ok"}}); }},
        {"GET", "/readyz",
         [this](RequestContext &ctx) {
           if (draining_) throw Error(ErrorKind::kUnavailable, "the server is shutting down");
           nlohmann::json checks;
           bool ready = true;
           for (const auto &[name, probe] : services_.probes.readiness) {
             try {
               probe();
               checks[name] = "ok";
             } catch (const Error &error) {
               checks[name] = error.what();
               ready = false;
             }
           }
           if (!ready) ctx.response.set_header("Retry-After", "1");
           ctx.SendJson(ready ? 200 : 503, {{"status", ready ? "ready" : "unavailable"}, {"checks", checks}});
         }},
        {"GET", "/metrics",
         [this](RequestContext &ctx) {
           ctx.response.set_content(metrics_.Render(services_.probes.running_queries ? services_.probes.running_queries() : 0,
                                                   services_.probes.store_counters),
                                    "text/plain; version=0.0.4");
         }},
        {"GET", "/api/v1/openapi.json",
         [](RequestContext &ctx) { ctx.response.set_content(OpenApiDocument(), "application/json"); }},
    };
  }

  const Config &config_;
  Services services_;
  std::vector<Route> routes_;
  std::vector<Permit> permits_;  // of each route, in the same order
  WorkerPool producers_;  // before server_: it outlives every response still streaming
  std::unique_ptr<httplib::Server> server_;
  std::shared_ptr<const WebApp> web_app_;  // null when no app is installed or --web-dir=none
  RateLimiter rate_limiter_;             // per token
  RateLimiter unauthenticated_limiter_;  // per client address, for requests without a valid token
  ConcurrencyLimiter query_slots_;
  Metrics metrics_;
  int port_ = -1;
  int listen_socket_ = -1;
  static constexpr int kListenBacklog = 1024;
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> in_flight_{0};
  std::mutex drain_mutex_;
  std::condition_variable drained_;
  static thread_local std::chrono::steady_clock::time_point request_start_;
  static thread_local std::string request_id_;
  static thread_local uint64_t body_in_;
};

thread_local std::chrono::steady_clock::time_point Server::Impl::request_start_;
thread_local std::string Server::Impl::request_id_;
thread_local uint64_t Server::Impl::body_in_ = 0;

Server::Server(const Config &config, Services services) : impl_(std::make_unique<Impl>(config, services)) {}
Server::~Server() = default;
int Server::Bind() { return impl_->Bind(); }
void Server::Run() { impl_->Run(); }
void Server::Shutdown() { impl_->Shutdown(); }

std::vector<Route> ApiRoutes(Services &s, const Config &config) {
  std::vector<Route> all;
  for (auto group : {TableRoutes(s.tables, s.files, s.graph, config), QueryRoutes(s.tables, s.files, config),
                     MaintenanceRoutes(s.maintenance, config),
                     FileRoutes(s.files, s.previews, s.tables, s.graph, config),
                     LineageRoutes(s.lineage, s.validator, s.graph, s.forwarder, config),
                     AuthRoutes(s.auth, s.audit, s.tables, s.files, config)}) {
    for (auto &route : group) all.push_back(std::move(route));
  }
  return all;
}

}  // namespace ducklake
