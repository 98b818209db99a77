#include "api/server.hpp"

#include <charconv>
#include <chrono>
#include <mutex>
#include <thread>

#include "api/http.hpp"
#include "api/metrics.hpp"
#include "api/stream_pipe.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"

namespace ducklake {
namespace {

thread_local std::string current_route;

std::vector<std::string> SplitPath(const std::string &path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

// The path's segments, each decoded on its own: an encoded '/' (%2F) stays inside its segment, so
// names that are URIs (lineage namespaces such as "ducklake://lake") can be path parameters.
std::vector<std::string> RequestSegments(const httplib::Request &request) {
  if (request.target.empty()) return SplitPath(request.path);
  auto raw = request.target.substr(0, request.target.find('?'));
  auto segments = SplitPath(raw);
  for (auto &segment : segments) segment = httplib::detail::decode_url(segment, false);
  return segments;
}

bool MatchRoute(const Route &route, const std::vector<std::string> &segments,
                std::map<std::string, std::string> &params) {
  auto pattern = SplitPath(route.pattern);
  for (size_t i = 0; i < pattern.size(); i++) {
    const auto &part = pattern[i];
    bool variable = part.size() > 2 && part.front() == '{' && part.back() == '}';
    if (variable && part.size() > 5 && part.compare(part.size() - 4, 4, "...}") == 0) {
      if (i >= segments.size()) return false;
      std::string rest;
      for (size_t k = i; k < segments.size(); k++) rest += (k > i ? "/" : "") + segments[k];
      params[part.substr(1, part.size() - 5)] = rest;
      return true;
    }
    if (i >= segments.size()) return false;
    if (variable) {
      if (segments[i].empty()) return false;
      params[part.substr(1, part.size() - 2)] = segments[i];
    } else if (part != segments[i]) {
      return false;
    }
  }
  return pattern.size() == segments.size();
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
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kTooLarge: return 413;
    case ErrorKind::kPrecondition: return 412;
    case ErrorKind::kTimeout: return 504;
    case ErrorKind::kUnavailable: return 503;
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
  auto consume = [&](const char *data, size_t size) {
    bytes_in_ += size;
    if (bytes_in_ > limit) throw MakeError(ErrorKind::kTooLarge, "request body is larger than {} bytes", limit);
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
}

nlohmann::json RequestContext::JsonBody(bool empty_is_object) {
  std::string body;
  StreamBody([&body](const char *data, size_t size) { body.append(data, size); }, config_.max_body_bytes);
  if (empty_is_object && body.empty()) return nlohmann::json::object();
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error &error) {
    throw MakeError(ErrorKind::kInvalidInput, "malformed JSON body at byte {}", error.byte);
  }
  if (!parsed.is_object()) throw Error(ErrorKind::kInvalidInput, "the JSON body must be an object");
  return parsed;
}

void RequestContext::SendJson(int status, const nlohmann::json &body) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

struct RequestContext::Producer {
  std::shared_ptr<StreamPipe> pipe = std::make_shared<StreamPipe>();
  std::thread thread;
  ~Producer() {
    pipe->Cancel();
    if (thread.joinable()) thread.join();
  }
};

// Runs `produce` on its own thread and waits for its first bytes; an error before them is thrown
// here, so it still becomes a problem response.
std::shared_ptr<RequestContext::Producer> RequestContext::StartProducer(std::function<void(const ByteSink &)> produce) {
  auto producer = std::make_shared<Producer>();
  producer->thread = std::thread([pipe = producer->pipe, produce = std::move(produce)] {
    try {
      produce([&pipe](const char *data, size_t size) { return pipe->Write(data, size); });
      pipe->Finish();
    } catch (...) {
      pipe->Fail(std::current_exception());
    }
  });
  if (producer->pipe->WaitForStart() == StreamPipe::Start::kFailed) {
    producer->thread.join();
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

// --- server ----------------------------------------------------------------------------------

class Server::Impl {
 public:
  Impl(const Config &config, Services services) : config_(config), services_(services) {
    for (auto routes : {TableRoutes(services_, config_), QueryRoutes(services_, config_),
                        MaintenanceRoutes(services_, config_), FileRoutes(services_, config_),
                        LineageRoutes(services_, config_), ServerRoutes()}) {
      for (auto &route : routes) routes_.push_back(std::move(route));
    }
    server_.new_task_queue = [threads = config_.http_threads] { return new httplib::ThreadPool(threads); };
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(1000);
    // One byte over our own limits, so handlers see the overflow and answer 413 themselves.
    server_.set_payload_max_length(std::max(config_.max_upload_bytes, config_.max_body_bytes) + 1);
    server_.set_read_timeout(60, 0);
    server_.set_write_timeout(60, 0);

    server_.set_pre_routing_handler(
        [this](const httplib::Request &request, httplib::Response &response) { return PreRoute(request, response); });
    auto plain = [this](const httplib::Request &request, httplib::Response &response) {
      Dispatch(request, response, nullptr);
    };
    auto streamed = [this](const httplib::Request &request, httplib::Response &response,
                           const httplib::ContentReader &reader) { Dispatch(request, response, &reader); };
    server_.Get(".*", plain);
    server_.Delete(".*", plain);
    server_.Options(".*", plain);
    server_.Post(".*", streamed);
    server_.Put(".*", streamed);
    server_.Patch(".*", streamed);
    // httplib calls this for every status >= 400; only its own errors (no body yet) need a problem.
    server_.set_error_handler([this](const httplib::Request &request, httplib::Response &response) {
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
    server_.set_logger([this](const httplib::Request &request, const httplib::Response &response) {
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
    port_ = port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
    if (port_ < 0) throw MakeError(ErrorKind::kUnavailable, "cannot listen on {}", config_.listen);
    return port_;
  }

  void Run() {
    Log(LogLevel::kInfo, "listening", {{"address", fmt::format("{}:{}", config_.listen.substr(0, config_.listen.rfind(':')), port_)}});
    server_.listen_after_bind();
  }

  void Shutdown() {
    draining_ = true;
    Log(LogLevel::kInfo, "draining", {{"in_flight", std::to_string(in_flight_.load())}});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config_.shutdown_timeout_s);
    std::unique_lock<std::mutex> lock(drain_mutex_);
    drained_.wait_until(lock, deadline, [this] { return in_flight_.load() == 0; });
    server_.stop();
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
    response.set_header("X-Request-Id", request_id_);
    if (draining_.load()) {
      response.set_header("Connection", "close");
      SendProblem(response, 503, "the server is shutting down", request.path);
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

  void Dispatch(const httplib::Request &request, httplib::Response &response, const httplib::ContentReader *reader) {
    auto in_flight = std::make_shared<InFlight>(*this);
    RequestContext context(request, response, reader, config_);
    context.request_id = request_id_;
    context.bytes_out = &metrics_.streamed_bytes_out;
    auto segments = RequestSegments(request);
    std::string allowed;
    const Route *matched = nullptr;
    for (const auto &route : routes_) {
      std::map<std::string, std::string> params;
      if (!MatchRoute(route, segments, params)) continue;
      if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
        matched = &route;
        context.params = std::move(params);
        break;
      }
      allowed += (allowed.empty() ? "" : ", ") + route.method;
    }
    if (!matched) {
      if (!allowed.empty()) {
        response.set_header("Allow", allowed);
        SendProblem(response, 405, fmt::format("{} is not allowed here; use {}", request.method, allowed),
                    request.path);
      } else {
        SendProblem(response, 404, "no such route", request.path);
      }
      return;
    }
    current_route = matched->pattern;
    try {
      matched->handler(context);
      if (response.content_provider_) {
        // Keep the request in flight until its stream has been sent.
        auto releaser = response.content_provider_resource_releaser_;
        response.content_provider_resource_releaser_ = [releaser, in_flight](bool success) {
          if (releaser) releaser(success);
        };
      }
    } catch (const Error &error) {
      // The body may be unread; the connection cannot carry another request after it.
      if (reader) response.set_header("Connection", "close");
      int status = StatusOf(error.kind());
      if (status >= 500) {
        // Timeouts and unavailable backends are operational, not bugs.
        Log(status == 500 ? LogLevel::kError : LogLevel::kWarn, "request failed",
            {{"request_id", request_id_}, {"error", error.what()}});
      }
      SendProblem(response, status, status == 500 ? "internal error; see the server log" : error.what(),
                  request.path);
    } catch (const std::exception &error) {
      if (reader) response.set_header("Connection", "close");
      Log(LogLevel::kError, "request failed", {{"request_id", request_id_}, {"error", error.what()}});
      SendProblem(response, 500, "internal error; see the server log", request.path);
    }
    body_in_ = context.bytes_in();
  }

  std::vector<Route> ServerRoutes() {
    return {
        {"GET", "/healthz", [](RequestContext &ctx) { ctx.SendJson(200, {{"status", "ok"}}); }},
        {"GET", "/readyz",
         [this](RequestContext &ctx) {
           if (draining_) throw Error(ErrorKind::kUnavailable, "the server is shutting down");
           nlohmann::json checks;
           bool ready = true;
           auto check = [&](const char *name, const std::function<void()> &probe) {
             try {
               probe();
               checks[name] = "ok";
             } catch (const Error &error) {
               checks[name] = error.what();
               ready = false;
             }
           };
           check("metadata", [this] { services_.meta.Ping(); });
           check("storage", [this] { services_.store.Ping(); });
           if (!ready) ctx.response.set_header("Retry-After", "1");
           ctx.SendJson(ready ? 200 : 503, {{"status", ready ? "ready" : "unavailable"}, {"checks", checks}});
         }},
        {"GET", "/metrics",
         [this](RequestContext &ctx) {
           ctx.response.set_content(metrics_.Render(services_.engine.RunningQueries(), services_.store_counters),
                                    "text/plain; version=0.0.4");
         }},
        {"GET", "/api/v1/openapi.json",
         [](RequestContext &ctx) { ctx.response.set_content(OpenApiDocument(), "application/json"); }},
    };
  }

  const Config &config_;
  Services services_;
  std::vector<Route> routes_;
  httplib::Server server_;
  Metrics metrics_;
  int port_ = -1;
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

}  // namespace ducklake
