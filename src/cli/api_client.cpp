#include "cli/api_client.hpp"

#include <curl/curl.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "common/uri.hpp"

namespace ducklake::cli {
namespace {

std::atomic<bool> interrupt_requested{false};

void OnInterrupt(int) { interrupt_requested.store(true); }

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

// An error answer's body is kept up to this size: enough for any problem document.
constexpr size_t kMaxErrorBody = 64 * 1024;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string Trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) start++;
  return text.substr(start);
}

// Errors are one line: line breaks (DuckDB's messages have them) and other control characters
// become spaces.
std::string OneLine(std::string text) {
  for (auto &c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return Trim(text);
}

// What the user sees of a failed answer: the problem document's detail, else its title, else the
// start of whatever the body was.
std::string ProblemDetail(int status, const std::string &body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    if (parsed.contains("detail") && parsed["detail"].is_string() && !parsed["detail"].get<std::string>().empty()) {
      return OneLine(parsed["detail"].get<std::string>());
    }
    if (parsed.contains("title") && parsed["title"].is_string()) return OneLine(parsed["title"].get<std::string>());
  }
  auto text = OneLine(body.substr(0, 200));
  return text.empty() ? "the server answered " + std::to_string(status) : text;
}

// --verbose: the exchange's header lines, the Authorization value masked.
int DebugCallback(CURL *, curl_infotype type, char *data, size_t size, void *) {
  const char *prefix = nullptr;
  if (type == CURLINFO_HEADER_OUT) prefix = "> ";
  if (type == CURLINFO_HEADER_IN) prefix = "< ";
  if (type == CURLINFO_TEXT) prefix = "* ";
  if (!prefix) return 0;
  std::string text(data, size);
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Lower(line.substr(0, 14)) == "authorization:") line = "Authorization: Bearer ***";
    if (!line.empty()) std::cerr << prefix << line << "\n";
    start = end + 1;
  }
  return 0;
}

}  // namespace

void InstallInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read returns and sees the flag
  sigaction(SIGINT, &action, nullptr);
  // A closed socket (and a closed stdout, `ducklake cat … | head`) is a write error to handle, not
  // a signal that kills the process before it cleans up.
  signal(SIGPIPE, SIG_IGN);
}

bool InterruptRequested() { return interrupt_requested.load(); }
void ClearInterrupt() { interrupt_requested.store(false); }
void RequestInterrupt() { interrupt_requested.store(true); }

struct ApiClient::Handle {
  CURL *curl = nullptr;
  Handle() {
    static CurlGlobal global;
    curl = curl_easy_init();
    if (!curl) throw ApiError(0, "cannot start an HTTP client");
  }
  ~Handle() { curl_easy_cleanup(curl); }
};

ApiClient::ApiClient(Endpoint endpoint) : endpoint_(std::move(endpoint)), handle_(std::make_unique<Handle>()) {}
ApiClient::~ApiClient() = default;

namespace {

struct Transfer {
  const ApiRequest *request;
  ApiResponse *response;
  CURL *curl;
  size_t body_offset = 0;  // into request->body
  std::string error_body;
  std::exception_ptr callback_error;  // thrown by the sink or the body reader: rethrown after curl returns
  bool delivered = false;             // some of a 2xx body went to the request's sink

  int Status() {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return static_cast<int>(status);
  }
};

size_t WriteCallback(char *data, size_t size, size_t count, void *user) {
  auto *transfer = static_cast<Transfer *>(user);
  size_t bytes = size * count;
  int status = transfer->Status();
  if (status >= 300 || status < 200) {
    if (transfer->error_body.size() < kMaxErrorBody) transfer->error_body.append(data, std::min(bytes, kMaxErrorBody));
    return bytes;
  }
  if (!transfer->request->sink) {
    transfer->response->body.append(data, bytes);
    return bytes;
  }
  transfer->delivered = true;
  try {
    transfer->request->sink(data, bytes);
  } catch (...) {
    transfer->callback_error = std::current_exception();
    return 0;  // aborts the transfer
  }
  return bytes;
}

size_t ReadCallback(char *buffer, size_t size, size_t count, void *user) {
  auto *transfer = static_cast<Transfer *>(user);
  size_t capacity = size * count;
  if (transfer->request->body) {
    const auto &body = *transfer->request->body;
    size_t n = std::min(capacity, body.size() - transfer->body_offset);
    std::memcpy(buffer, body.data() + transfer->body_offset, n);
    transfer->body_offset += n;
    return n;
  }
  try {
    return transfer->request->body_reader(buffer, capacity);
  } catch (...) {
    transfer->callback_error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

size_t HeaderCallback(char *data, size_t size, size_t count, void *user) {
  auto *transfer = static_cast<Transfer *>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) transfer->response->headers.clear();  // a 100 Continue went before
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    transfer->response->headers[Lower(line.substr(0, colon))] = Trim(line.substr(colon + 1));
  }
  return size * count;
}

int ProgressCallback(void *user, curl_off_t, curl_off_t received, curl_off_t, curl_off_t sent) {
  auto *transfer = static_cast<Transfer *>(user);
  if (InterruptRequested()) return 1;
  if (transfer->request->progress) {
    transfer->request->progress(static_cast<uint64_t>(sent), static_cast<uint64_t>(received));
  }
  return 0;
}

bool Retryable(int status) { return status == 429 || status == 503; }

// Waits before a retry; Ctrl-C ends the wait.
void Pause(int milliseconds) {
  for (int waited = 0; waited < milliseconds && !InterruptRequested(); waited += 50) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (InterruptRequested()) throw Interrupted();
}

}  // namespace

ApiResponse ApiClient::Perform(const ApiRequest &request) {
  bool in_memory = !request.body_reader;
  bool replayable = in_memory || static_cast<bool>(request.rewind);
  bool idempotent = request.method == "GET" || request.method == "HEAD" || request.method == "PUT" || request.method == "DELETE";
  for (int attempt = 0;; attempt++) {
    ApiResponse response;
    Transfer transfer{&request, &response, handle_->curl, 0, {}, nullptr, false};
    CURL *curl = handle_->curl;
    curl_easy_reset(curl);
    auto url = endpoint_.url + request.target;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // the server, not the client, judges every path
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteCallback);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, HeaderCallback);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, ProgressCallback);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    if (!endpoint_.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, endpoint_.ca_bundle.c_str());
    if (endpoint_.verbose) {
      curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
      curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, DebugCallback);
    }
    curl_slist *headers = nullptr;
    std::string authorization;
    if (endpoint_.token) {
      authorization = "Authorization: Bearer " + *endpoint_.token;
      headers = curl_slist_append(headers, authorization.c_str());
    }
    for (const auto &[name, value] : request.headers) {
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    headers = curl_slist_append(headers, "User-Agent: ducklake-cli");
    if (request.body || request.body_reader) {
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadCallback);
      curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
      curl_off_t size = request.body ? static_cast<curl_off_t>(request.body->size()) : request.body_size;
      if (size >= 0) curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, size);
      // CURLOPT_UPLOAD makes it a PUT; the method above still wins on the request line.
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    std::fill(authorization.begin(), authorization.end(), '\0');
    if (transfer.callback_error) std::rethrow_exception(transfer.callback_error);
    if (code == CURLE_ABORTED_BY_CALLBACK && InterruptRequested()) throw Interrupted();
    // A connection that broke before any of the answer arrived (a keep-alive connection the
    // server just closed, a reset under load): an idempotent request is sent again, on a new one.
    bool broken = code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING;
    if (broken && replayable && idempotent && !transfer.delivered && attempt < 3) {
      if (request.rewind) request.rewind();
      Pause(200 * (attempt + 1));
      continue;
    }
    if (code != CURLE_OK) {
      std::string what = curl_easy_strerror(code);
      if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) {
        throw ApiError(0, "cannot reach " + endpoint_.url + ": " + what);
      }
      if (code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR) {
        throw ApiError(0, "the answer was cut off (" + what + "): the server stopped while sending it");
      }
      throw ApiError(0, what + " (" + endpoint_.url + ")");
    }
    response.status = transfer.Status();
    if (response.status >= 200 && response.status < 300) return response;
    // Busy or briefly unavailable: a request that can be sent again waits as asked and retries.
    if (Retryable(response.status) && in_memory && attempt < 3) {
      int wait_s = 1;
      auto retry_after = response.headers.find("retry-after");
      if (retry_after != response.headers.end()) wait_s = std::clamp(std::atoi(retry_after->second.c_str()), 1, 10);
      Pause(wait_s * 1000);
      continue;
    }
    throw ApiError(response.status, ProblemDetail(response.status, transfer.error_body));
  }
}

nlohmann::json ApiClient::Get(const std::string &target) { return Send("GET", target); }

nlohmann::json ApiClient::Send(const std::string &method, const std::string &target,
                               const std::optional<nlohmann::json> &body) {
  ApiRequest request;
  request.method = method;
  request.target = target;
  request.headers.emplace_back("Accept", "application/json");
  if (body) {
    request.body = body->dump();
    request.headers.emplace_back("Content-Type", "application/json");
  }
  auto response = Perform(request);
  if (response.body.empty()) return nullptr;
  auto parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (parsed.is_discarded()) throw ApiError(0, "the server's answer is not JSON");
  return parsed;
}

Query &Query::Add(const std::string &name, const std::string &value) {
  target_ += first_ ? '?' : '&';
  first_ = false;
  target_ += UriEncode(name, true) + "=" + UriEncode(value, true);
  return *this;
}

std::string Segment(const std::string &text) { return UriEncode(text, true); }
std::string KeyPath(const std::string &key) { return UriEncode(key, false); }

}  // namespace ducklake::cli
