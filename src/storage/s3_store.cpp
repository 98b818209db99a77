#include "storage/s3_store.hpp"

#include <curl/curl.h>
#include <malloc.h>
#include <openssl/evp.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "common/error.hpp"

namespace ducklake {
namespace {

// --- small XML reader for S3's flat answers --------------------------------------------------

std::string XmlUnescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    static const std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool matched = false;
    for (const auto &[entity, c] : kEntities) {
      if (text.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size() - 1;
        matched = true;
        break;
      }
    }
    if (!matched && text.substr(i, 2) == "&#") {
      auto end = text.find(';', i);
      if (end != std::string_view::npos) {
        bool hex = text.size() > i + 2 && (text[i + 2] == 'x' || text[i + 2] == 'X');
        auto digits = std::string(text.substr(i + (hex ? 3 : 2), end - i - (hex ? 3 : 2)));
        unsigned long code = std::strtoul(digits.c_str(), nullptr, hex ? 16 : 10);
        if (code < 0x80) {
          out += static_cast<char>(code);
        } else if (code < 0x800) {
          out += static_cast<char>(0xc0 | (code >> 6));
          out += static_cast<char>(0x80 | (code & 0x3f));
        } else if (code < 0x10000) {
          out += static_cast<char>(0xe0 | (code >> 12));
          out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
          out += static_cast<char>(0x80 | (code & 0x3f));
        } else {
          out += static_cast<char>(0xf0 | (code >> 18));
          out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
          out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
          out += static_cast<char>(0x80 | (code & 0x3f));
        }
        i = end;
        matched = true;
      }
    }
    if (!matched) out += '&';
  }
  return out;
}

// The raw contents of every <tag>...</tag> in `xml`, in order.
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> elements;
  std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    auto start = pos + open.size();
    auto end = xml.find(close, start);
    if (end == std::string_view::npos) break;
    elements.push_back(xml.substr(start, end - start));
    pos = end + close.size();
  }
  return elements;
}

std::string XmlValue(std::string_view xml, std::string_view tag) {
  auto elements = XmlElements(xml, tag);
  return elements.empty() ? "" : XmlUnescape(elements[0]);
}

std::string XmlEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// What a write that S3 acknowledged with `etag` produced (S3 answers no size or time).
ObjectInfo JustWritten(const std::string &key, uint64_t size, const std::string &etag) {
  ObjectInfo info;
  info.key = key;
  info.size = size;
  info.etag = etag;
  info.modified_unix_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
  return info;
}

std::string StripQuotes(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return etag;
}

int64_t ParseIsoMs(const std::string &text) {
  std::tm tm{};
  if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  auto dot = text.find('.');
  if (dot != std::string::npos) ms += std::atoi(text.substr(dot + 1, 3).c_str());
  return ms;
}

int64_t ParseHttpDateMs(const std::string &text) {
  std::tm tm{};
  if (!strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) return 0;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

std::string AmzDate(std::time_t now) {
  char buffer[32];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(buffer, sizeof(buffer), "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

std::string Md5Base64(const std::string &data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  unsigned char encoded[64];
  int size = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return std::string(reinterpret_cast<char *>(encoded), static_cast<size_t>(size));
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

// --- requests -----------------------------------------------------------------------------------

class S3Store::Impl {
 public:
  struct Request {
    std::string method;
    std::string key;  // store-relative; empty for the bucket itself
    std::vector<std::pair<std::string, std::string>> query;
    std::map<std::string, std::string> headers;  // lower-case names
    const std::string *body = nullptr;
    const ByteSink *sink = nullptr;              // streams a 2xx body instead of keeping it
    // Instead of `body`: exactly `upload_size` bytes pulled from `upload` (curl's read callback
    // contract). Sent with an unsigned payload and never retried: the bytes are gone once read.
    const std::function<size_t(char *, size_t)> *upload = nullptr;
    uint64_t upload_size = 0;
  };

  struct Response {
    long status = 0;
    std::map<std::string, std::string> headers;
    std::string body;
    bool stopped_by_sink = false;
  };

  explicit Impl(S3Options options) : options_(std::move(options)) {
    static CurlGlobal global;
    if (options_.endpoint.empty()) options_.endpoint = "https://s3." + options_.region + ".amazonaws.com";
    while (!options_.endpoint.empty() && options_.endpoint.back() == '/') options_.endpoint.pop_back();
    auto scheme_end = options_.endpoint.find("://");
    if (scheme_end == std::string::npos) throw Error(ErrorKind::kInvalidInput, "S3 endpoint must be scheme://host[:port]");
    scheme_ = options_.endpoint.substr(0, scheme_end);
    host_ = options_.endpoint.substr(scheme_end + 3);
    if (!options_.path_style) host_ = options_.bucket + "." + host_;
  }

  ~Impl() {
    for (auto *handle : idle_) curl_easy_cleanup(handle);
  }

  const S3Options &options() const { return options_; }

  std::string Path(const std::string &key) const {
    std::string object = key.empty() ? "" : options_.prefix + key;
    std::string path = options_.path_style ? "/" + options_.bucket + "/" : "/";
    if (options_.path_style && object.empty()) path.pop_back();
    return path + UriEncode(object, false);
  }

  std::string FullKey(const std::string &key) const { return options_.prefix + key; }

  std::string PresignUrl(const std::string &method, const std::string &key, std::chrono::seconds expires_in,
                         const PresignOptions &options) const {
    constexpr int64_t kMaxPresignSeconds = 7 * 24 * 3600;  // S3 refuses longer-lived URLs
    if (method != "GET" && method != "PUT") {
      throw MakeError(ErrorKind::kInvalidInput, "cannot presign method '{}'", method);
    }
    if (expires_in.count() < 1 || expires_in.count() > kMaxPresignSeconds) {
      throw MakeError(ErrorKind::kInvalidInput, "a presigned URL must expire within 1..{} seconds", kMaxPresignSeconds);
    }
    bool overrides = !options.content_type.empty() || !options.content_disposition.empty();
    if (method != "GET" && overrides) {
      throw Error(ErrorKind::kInvalidInput, "response headers can only be chosen for presigned GETs");
    }
    SigV4Request request;
    request.method = method;
    request.path = Path(key);
    request.headers["host"] = host_;
    // Part of the signed query, so the URL's holder cannot change them.
    if (!options.content_type.empty()) request.query.emplace_back("response-content-type", options.content_type);
    if (!options.content_disposition.empty()) {
      request.query.emplace_back("response-content-disposition", options.content_disposition);
    }
    auto query = PresignQuery(request, options_.credentials, Scope(), AmzDate(std::time(nullptr)),
                              static_cast<int>(expires_in.count()));
    return scheme_ + "://" + host_ + request.path + "?" + query;
  }

  // --- multipart primitives, shared by S3Writer and the public multipart methods ---

  std::string CreateMultipart(const std::string &key) {
    Request request{"POST", key, {{"uploads", ""}}};
    auto response = Send(request);
    if (response.status != 200) ThrowFor(response, key);
    auto upload_id = XmlValue(response.body, "UploadId");
    if (upload_id.empty()) throw Error(ErrorKind::kInternal, "object store did not start a multipart upload");
    return upload_id;
  }

  static std::vector<std::pair<std::string, std::string>> PartQuery(const std::string &upload_id, int part_number) {
    return {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
  }

  // Uploads a part held in memory (retried like any idempotent request); returns its etag.
  std::string UploadPart(const std::string &key, const std::string &upload_id, int part_number,
                         const std::string &body) {
    Request request{"PUT", key, PartQuery(upload_id, part_number)};
    request.body = &body;
    auto response = Send(request);
    if (response.status != 200) ThrowForUpload(response, key);
    return StripQuotes(response.headers["etag"]);
  }

  std::vector<PartInfo> ListParts(const std::string &key, const std::string &upload_id) {
    std::vector<PartInfo> parts;
    std::string marker;
    while (true) {
      Request request{"GET", key, {{"uploadId", upload_id}}};
      if (!marker.empty()) request.query.emplace_back("part-number-marker", marker);
      auto response = Send(request);
      if (response.status != 200) ThrowForUpload(response, key);
      for (auto part : XmlElements(response.body, "Part")) {
        parts.push_back(PartInfo{std::atoi(XmlValue(part, "PartNumber").c_str()), StripQuotes(XmlValue(part, "ETag")),
                                 std::stoull(XmlValue(part, "Size"))});
      }
      auto next = XmlValue(response.body, "NextPartNumberMarker");
      if (XmlValue(response.body, "IsTruncated") != "true") break;
      if (next.empty() || next == marker) throw Error(ErrorKind::kInternal, "object store listed parts in a loop");
      marker = next;
    }
    return parts;
  }

  // Returns the new object's etag ("" when the service did not say).
  std::string CompleteMultipart(const std::string &key, const std::string &upload_id,
                                const std::vector<PartInfo> &parts) {
    std::string body = "<CompleteMultipartUpload>";
    for (const auto &part : parts) {
      body += "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>\"" + XmlEscape(part.etag) +
              "\"</ETag></Part>";
    }
    body += "</CompleteMultipartUpload>";
    Request request{"POST", key, {{"uploadId", upload_id}}};
    request.body = &body;
    auto response = Send(request);
    // S3 may answer 200 and still report an error in the body.
    if (response.status != 200 || !XmlElements(response.body, "Error").empty()) ThrowForUpload(response, key);
    return StripQuotes(XmlValue(response.body, "ETag"));
  }

  void AbortMultipart(const std::string &key, const std::string &upload_id) {
    Request request{"DELETE", key, {{"uploadId", upload_id}}};
    auto response = Send(request);
    if (response.status != 204 && response.status != 200 && response.status != 404) ThrowFor(response, key);
  }

  // ThrowFor with the multipart errors: the caller's mistakes are kInvalidInput, an upload that
  // does not exist (or not for this key) kNotFound.
  [[noreturn]] void ThrowForUpload(const Response &response, const std::string &key) const {
    auto code = XmlValue(response.body, "Code");
    if (code == "NoSuchUpload" || response.status == 404) {
      throw MakeError(ErrorKind::kNotFound, "upload of '{}' not found", key);
    }
    if (code == "EntityTooSmall") {
      throw MakeError(ErrorKind::kInvalidInput, "a part of '{}' before the last is smaller than {} bytes", key,
                      kMinPartSize);
    }
    if (code == "InvalidPart" || code == "InvalidPartOrder" || code == "MalformedXML" || code == "InvalidArgument" ||
        code == "InvalidRequest") {
      throw MakeError(ErrorKind::kInvalidInput, "the parts given for '{}' do not match the upload ({})", key, code);
    }
    if (response.status >= 500 || response.status == 429 || code == "InternalError" || code == "SlowDown") {
      throw MakeError(ErrorKind::kUnavailable, "object store unavailable ({})", code.empty() ? "HTTP 5xx" : code);
    }
    if (response.status == 200) throw MakeError(ErrorKind::kInternal, "object store reported {} for '{}'", code, key);
    ThrowFor(response, key);
  }

  // Sends with retries. Returns any answer the service gave (callers interpret 4xx); throws
  // kUnavailable when it cannot be reached or keeps failing.
  Response Send(const Request &request) {
    std::string last_problem;
    int max_attempts = request.upload ? 1 : options_.max_attempts;
    for (int attempt = 1; attempt <= max_attempts; attempt++) {
      Response response;
      bool delivered = false;
      CURLcode code = Perform(request, response, delivered);
      bool retryable = code != CURLE_OK ? code != CURLE_WRITE_ERROR : (response.status >= 500 || response.status == 429);
      if (code == CURLE_WRITE_ERROR && response.stopped_by_sink) return response;
      if (!retryable) return response;
      last_problem = code != CURLE_OK ? curl_easy_strerror(code) : "HTTP " + std::to_string(response.status);
      // A stream that already reached the caller cannot be replayed.
      if (delivered || attempt == max_attempts) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50 << std::min(attempt, 6)));
    }
    throw MakeError(ErrorKind::kUnavailable, "object store unavailable ({})", last_problem);
  }

  [[noreturn]] void ThrowFor(const Response &response, const std::string &key) const {
    auto code = XmlValue(response.body, "Code");
    switch (response.status) {
      case 404: throw MakeError(ErrorKind::kNotFound, "object '{}' not found", key);
      case 416: throw MakeError(ErrorKind::kInvalidInput, "range not satisfiable for '{}'", key);
      case 409: throw MakeError(ErrorKind::kConflict, "object store conflict on '{}' ({})", key, code);
      case 401:
      case 403: throw MakeError(ErrorKind::kUnavailable, "object store refused access ({})", code.empty() ? "403" : code);
      default:
        throw MakeError(ErrorKind::kInternal, "object store answered {} {} for '{}'", response.status, code, key);
    }
  }

 private:
  SigV4Scope Scope() const { return SigV4Scope{options_.region, "s3"}; }

  CURL *AcquireHandle() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto *handle = idle_.back();
      idle_.pop_back();
      curl_easy_reset(handle);
      return handle;
    }
    return curl_easy_init();
  }

  void ReleaseHandle(CURL *handle) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < 64) {
      idle_.push_back(handle);
    } else {
      curl_easy_cleanup(handle);
    }
  }

  struct Transfer {
    const Request *request;
    Response *response;
    CURL *handle;
    bool *delivered;
  };

  static size_t OnHeader(char *data, size_t size, size_t count, void *user) {
    auto &transfer = *static_cast<Transfer *>(user);
    std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) transfer.response->headers.clear();
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      auto value = line.substr(colon + 1);
      auto first = value.find_first_not_of(" \t");
      auto last = value.find_last_not_of(" \t\r\n");
      transfer.response->headers[name] = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    }
    return size * count;
  }

  static size_t OnBody(char *data, size_t size, size_t count, void *user) {
    auto &transfer = *static_cast<Transfer *>(user);
    size_t bytes = size * count;
    long status = 0;
    curl_easy_getinfo(transfer.handle, CURLINFO_RESPONSE_CODE, &status);
    if (transfer.request->sink && status >= 200 && status < 300) {
      *transfer.delivered = true;
      try {
        if (!(*transfer.request->sink)(data, bytes)) {
          transfer.response->stopped_by_sink = true;
          return 0;
        }
      } catch (...) {
        transfer.response->stopped_by_sink = true;
        return 0;
      }
      return bytes;
    }
    transfer.response->body.append(data, bytes);
    return bytes;
  }

  static size_t OnRead(char *data, size_t size, size_t count, void *user) {
    try {
      return (*static_cast<const std::function<size_t(char *, size_t)> *>(user))(data, size * count);
    } catch (...) {
      return CURL_READFUNC_ABORT;
    }
  }

  CURLcode Perform(const Request &request, Response &response, bool &delivered) {
    SigV4Request signing;
    signing.method = request.method;
    signing.path = Path(request.key);
    signing.query = request.query;
    signing.headers = request.headers;
    signing.headers["host"] = host_;
    signing.payload_hash =
        request.upload ? "UNSIGNED-PAYLOAD" : Sha256Hex(request.body ? *request.body : std::string());
    signing.headers["x-amz-content-sha256"] = signing.payload_hash;
    signing.headers["x-amz-date"] = AmzDate(std::time(nullptr));
    if (!options_.credentials.session_token.empty()) {
      signing.headers["x-amz-security-token"] = options_.credentials.session_token;
    }
    auto authorization = AuthorizationHeader(signing, options_.credentials, Scope(), signing.headers["x-amz-date"]);

    std::string url = scheme_ + "://" + host_ + signing.path;
    std::string query;
    for (const auto &[name, value] : request.query) {
      query += (query.empty() ? "?" : "&") + UriEncode(name, true) + (value.empty() && name != "prefix" ? "" : "=" + UriEncode(value, true));
    }
    url += query;

    CURL *handle = AcquireHandle();
    curl_slist *headers = nullptr;
    for (const auto &[name, value] : signing.headers) {
      if (name == "host") continue;
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    headers = curl_slist_append(headers, ("Authorization: " + authorization).c_str());
    headers = curl_slist_append(headers, "Expect:");
    if ((request.body || request.upload) && !signing.headers.count("content-type")) {
      headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
    }
    Transfer transfer{&request, &response, handle, &delivered};
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
    // Downloads may be long; a stalled transfer (under 1 byte/s for 60 s) is what fails.
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Impl::OnBody);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
    if (!options_.ca_bundle.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    if (request.method == "HEAD") {
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (request.upload) {
      curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(handle, CURLOPT_READFUNCTION, &Impl::OnRead);
      curl_easy_setopt(handle, CURLOPT_READDATA, request.upload);
      curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.upload_size));
    } else if (request.body) {
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body->data());
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
    } else if (request.method == "PUT" || request.method == "POST") {
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, "");
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    }
    CURLcode code = curl_easy_perform(handle);
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    curl_slist_free_all(headers);
    if (code == CURLE_OK) {
      ReleaseHandle(handle);
    } else {
      curl_easy_cleanup(handle);  // its connection may be broken
    }
    return code;
  }

  S3Options options_;
  std::string scheme_;
  std::string host_;
  std::mutex mutex_;
  std::vector<CURL *> idle_;
};

namespace {

ObjectInfo InfoFromHeaders(const std::string &key, const std::map<std::string, std::string> &headers) {
  ObjectInfo info;
  info.key = key;
  auto length = headers.find("content-length");
  if (length != headers.end()) info.size = std::stoull(length->second);
  auto range = headers.find("content-range");  // "bytes a-b/total" on ranged answers
  if (range != headers.end()) {
    auto slash = range->second.rfind('/');
    if (slash != std::string::npos && range->second.substr(slash + 1) != "*") {
      info.size = std::stoull(range->second.substr(slash + 1));
    }
  }
  auto etag = headers.find("etag");
  if (etag != headers.end()) info.etag = StripQuotes(etag->second);
  auto modified = headers.find("last-modified");
  if (modified != headers.end()) info.modified_unix_ms = ParseHttpDateMs(modified->second);
  return info;
}

class S3Writer : public ObjectWriter {
 public:
  S3Writer(S3Store &store, S3Store::Impl &impl, std::string key) : store_(store), impl_(impl), key_(std::move(key)) {
    buffer_.reserve(std::min<size_t>(impl_.options().part_size, 1 << 20));
  }

  ~S3Writer() override {
    if (committed_) return;
    for (auto &part : pending_) {
      try {
        part.wait();
      } catch (...) {
      }
    }
    ReleaseBuffers();
    if (!upload_id_.empty()) {
      try {
        impl_.AbortMultipart(key_, upload_id_);
      } catch (const Error &) {
        // The store's lifecycle rules reclaim parts of uploads that were never completed.
      }
    }
  }

  void Append(const char *data, size_t size) override {
    const size_t part_size = impl_.options().part_size;
    size_ += size;
    while (size > 0) {
      size_t take = std::min(size, part_size - buffer_.size());
      buffer_.append(data, take);
      data += take;
      size -= take;
      if (buffer_.size() == part_size) SubmitPart();
    }
  }

  ObjectInfo Commit() override {
    std::string etag;
    if (upload_id_.empty()) {
      S3Store::Impl::Request request{"PUT", key_};
      request.body = &buffer_;
      auto response = impl_.Send(request);
      if (response.status != 200) impl_.ThrowFor(response, key_);
      etag = StripQuotes(response.headers["etag"]);
    } else {
      if (!buffer_.empty()) SubmitPart();
      for (auto &part : pending_) {
        auto [number, etag] = part.get();
        etags_[number] = etag;
      }
      pending_.clear();
      std::vector<PartInfo> parts;
      for (const auto &[number, etag] : etags_) parts.push_back(PartInfo{number, etag});
      etag = impl_.CompleteMultipart(key_, upload_id_, parts);
    }
    committed_ = true;
    ReleaseBuffers();
    if (etag.empty()) return store_.Head(key_);  // a service that did not say
    return JustWritten(key_, size_, etag);
  }

 private:
  void SubmitPart() {
    if (upload_id_.empty()) upload_id_ = impl_.CreateMultipart(key_);
    auto part = std::make_shared<std::string>(std::move(buffer_));
    buffer_ = TakeBuffer();
    int number = ++part_count_;
    pending_.push_back(std::async(std::launch::async, [this, part, number] {
      auto etag = impl_.UploadPart(key_, upload_id_, number, *part);
      GiveBack(std::move(*part));
      return std::make_pair(number, etag);
    }));
    // Bounded memory: at most parallel_parts parts in flight.
    while (pending_.size() >= static_cast<size_t>(impl_.options().parallel_parts)) {
      auto [done_number, etag] = pending_.front().get();
      etags_[done_number] = etag;
      pending_.pop_front();
    }
  }

  // Part buffers are reused for the whole upload, allocated once at full size rather than grown by
  // doubling for every part.
  std::string TakeBuffer() {
    std::lock_guard<std::mutex> lock(spare_mutex_);
    std::string buffer;
    if (spare_.empty()) {
      buffer.reserve(impl_.options().part_size);
    } else {
      buffer = std::move(spare_.back());
      spare_.pop_back();
      buffer.clear();
    }
    return buffer;
  }
  void GiveBack(std::string buffer) {
    std::lock_guard<std::mutex> lock(spare_mutex_);
    spare_.push_back(std::move(buffer));
  }
  // glibc keeps freed blocks in the arena of the thread that freed them, so each large upload
  // would leave its parts' worth of memory behind; a trim gives them back once they are gone.
  void ReleaseBuffers() {
    std::string().swap(buffer_);
    {
      std::lock_guard<std::mutex> lock(spare_mutex_);
      spare_.clear();
    }
    if (part_count_ > 0) malloc_trim(0);
  }

  S3Store &store_;
  S3Store::Impl &impl_;
  std::string key_;
  std::string buffer_;
  std::mutex spare_mutex_;
  std::vector<std::string> spare_;
  std::string upload_id_;
  int part_count_ = 0;
  uint64_t size_ = 0;
  std::deque<std::future<std::pair<int, std::string>>> pending_;
  std::map<int, std::string> etags_;
  bool committed_ = false;
};

// Streams one part, or a whole object, of a known size (no upload id: a plain PUT): a thread runs
// the PUT while Append feeds it through a queue of at most kQueueBytes, so any size costs bounded
// memory. The last byte is held back until Commit has checked the count, so a body of the wrong
// size never reaches the service whole (the transfer is cancelled instead). A caller that feeds
// nothing for a minute fails the transfer, like any stalled one.
class S3PartWriter : public ObjectWriter {
 public:
  S3PartWriter(S3Store::Impl &impl, std::string key, std::string upload_id, int part_number, uint64_t size)
      : impl_(impl), key_(std::move(key)), upload_id_(std::move(upload_id)), part_number_(part_number), size_(size) {
    reader_ = [this](char *data, size_t capacity) { return Read(data, capacity); };
  }

  ~S3PartWriter() override { Cancel(); }

  void Append(const char *data, size_t size) override {
    if (size == 0 || oversized_) return;
    if (size > size_ - appended_) {
      // Reported by Commit, as the contract says; the transfer cannot succeed any more.
      oversized_ = true;
      Cancel();
      return;
    }
    appended_ += size;
    if (!thread_.joinable()) Start();
    std::unique_lock<std::mutex> lock(mutex_);
    while (size > 0) {
      changed_.wait(lock, [this] { return finished_ || queued_bytes_ < kQueueBytes; });
      if (finished_) {
        // The service answered before it had the whole part: that answer is the error.
        lock.unlock();
        Finish();
        throw Error(ErrorKind::kInternal, "object store accepted a part before it was whole");
      }
      size_t take = std::min(size, kQueueBytes - queued_bytes_);
      if (!queue_.empty() && queue_.back().size() < kChunkBytes) {
        queue_.back().append(data, take);
      } else {
        queue_.emplace_back(data, take);
      }
      queued_bytes_ += take;
      data += take;
      size -= take;
      changed_.notify_all();
    }
  }

  ObjectInfo Commit() override {
    if (oversized_ || appended_ != size_) {
      Cancel();
      throw MakeError(ErrorKind::kInvalidInput, "{}'{}' was announced as {} bytes but {} were sent",
                      upload_id_.empty() ? "" : fmt::format("part {} of ", part_number_), key_, size_,
                      oversized_ ? "more" : std::to_string(appended_));
    }
    if (!thread_.joinable() && !finished_) Start();  // an empty part
    {
      std::lock_guard<std::mutex> lock(mutex_);
      whole_ = true;
      changed_.notify_all();
    }
    return JustWritten(key_, size_, Finish());
  }

 private:
  static constexpr size_t kQueueBytes = 4 << 20;
  static constexpr size_t kChunkBytes = 256 << 10;  // small appends are gathered up to this size

  void Start() {
    thread_ = std::thread([this] {
      S3Store::Impl::Request request{"PUT", key_};
      if (!upload_id_.empty()) request.query = S3Store::Impl::PartQuery(upload_id_, part_number_);
      request.upload = &reader_;
      request.upload_size = size_;
      try {
        response_ = impl_.Send(request);
      } catch (...) {
        error_ = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex_);
      finished_ = true;
      changed_.notify_all();
    });
  }

  // Waits for the transfer and returns the part's etag, or throws what went wrong.
  std::string Finish() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
    if (response_.status != 200) {
      if (upload_id_.empty()) impl_.ThrowFor(response_, key_);
      impl_.ThrowForUpload(response_, key_);
    }
    auto etag = StripQuotes(response_.headers["etag"]);
    if (etag.empty()) throw Error(ErrorKind::kInternal, "object store did not give the etag of what it stored");
    return etag;
  }

  void Cancel() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = true;
      changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

  // curl's side: blocks until bytes are queued, the part is whole, or the transfer is cancelled.
  size_t Read(char *data, size_t capacity) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      if (cancelled_) return CURL_READFUNC_ABORT;
      uint64_t unsent = size_ - sent_;
      if (unsent == 0) return 0;
      uint64_t allowed = whole_ ? unsent : unsent - 1;  // the last byte waits for Commit
      size_t count = static_cast<size_t>(std::min<uint64_t>({capacity, queued_bytes_, allowed}));
      if (count > 0) {
        size_t copied = 0;
        while (copied < count) {
          auto &chunk = queue_.front();
          size_t take = std::min(count - copied, chunk.size() - front_offset_);
          std::memcpy(data + copied, chunk.data() + front_offset_, take);
          copied += take;
          front_offset_ += take;
          if (front_offset_ == chunk.size()) {
            queue_.pop_front();
            front_offset_ = 0;
          }
        }
        queued_bytes_ -= count;
        sent_ += count;
        changed_.notify_all();
        return count;
      }
      changed_.wait(lock);
    }
  }

  S3Store::Impl &impl_;
  std::string key_;
  std::string upload_id_;
  int part_number_;
  uint64_t size_;
  uint64_t appended_ = 0;  // by the caller
  bool oversized_ = false;
  std::function<size_t(char *, size_t)> reader_;
  std::thread thread_;
  S3Store::Impl::Response response_;  // written by the thread, read after joining it
  std::exception_ptr error_;

  std::mutex mutex_;  // guards what follows
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  size_t front_offset_ = 0;  // bytes of queue_.front() already sent
  size_t queued_bytes_ = 0;
  uint64_t sent_ = 0;
  bool whole_ = false;  // Commit checked the count: the last byte may go
  bool cancelled_ = false;
  bool finished_ = false;
};

}  // namespace

S3Store::S3Store(S3Options options) : impl_(std::make_unique<Impl>(std::move(options))) {
  if (impl_->options().bucket.empty()) throw Error(ErrorKind::kInvalidInput, "S3 bucket name is empty");
  Impl::Request head{"HEAD", ""};
  auto response = impl_->Send(head);
  if (response.status == 404) {
    Impl::Request create{"PUT", ""};
    response = impl_->Send(create);
    // 409: another process created it first (two servers or test processes starting together);
    // fine if it is ours to use.
    if (response.status == 409) response = impl_->Send(head);
    if (response.status != 200) impl_->ThrowFor(response, impl_->options().bucket);
  } else if (response.status != 200) {
    impl_->ThrowFor(response, impl_->options().bucket);
  }
}

S3Store::~S3Store() = default;

std::unique_ptr<ObjectWriter> S3Store::Put(const std::string &key) {
  ValidateKey(key);
  if (key.back() == '/') throw Error(ErrorKind::kInvalidInput, "object key must not end with '/'");
  return std::make_unique<S3Writer>(*this, *impl_, key);
}

ObjectInfo S3Store::Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) {
  ValidateKey(key);
  Impl::Request request{"GET", key};
  request.sink = &sink;
  if (range) {
    if (range->length && *range->length == 0) {
      auto info = Head(key);
      if (range->offset > info.size) throw MakeError(ErrorKind::kInvalidInput, "range starts past the end of '{}'", key);
      return info;
    }
    request.headers["range"] = "bytes=" + std::to_string(range->offset) + "-" +
                               (range->length ? std::to_string(range->offset + *range->length - 1) : "");
  }
  auto response = impl_->Send(request);
  if (response.status == 416) {
    // Past the end is an error; exactly at the end is an empty read, as on every backend.
    auto info = Head(key);
    if (range && range->offset == info.size) return info;
    throw MakeError(ErrorKind::kInvalidInput, "range starts past the end of '{}'", key);
  }
  if (response.status != 200 && response.status != 206 && !response.stopped_by_sink) impl_->ThrowFor(response, key);
  return InfoFromHeaders(key, response.headers);
}

ObjectInfo S3Store::Head(const std::string &key) {
  ValidateKey(key);
  Impl::Request request{"HEAD", key};
  auto response = impl_->Send(request);
  if (response.status != 200) impl_->ThrowFor(response, key);
  return InfoFromHeaders(key, response.headers);
}

ListPage S3Store::List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                       size_t limit) {
  if (!prefix.empty()) ValidateKey(prefix.back() == '/' ? prefix + "x" : prefix);
  const auto &store_prefix = impl_->options().prefix;
  Impl::Request request{"GET", ""};
  request.query = {{"list-type", "2"}, {"prefix", store_prefix + prefix}, {"max-keys", std::to_string(limit)}};
  if (!delimiter.empty()) request.query.emplace_back("delimiter", delimiter);
  if (!cursor.empty()) {
    // After a folder, skip everything inside it: U+10FFFF sorts after any key under it.
    bool folder = !delimiter.empty() && cursor.size() >= delimiter.size() &&
                  cursor.compare(cursor.size() - delimiter.size(), delimiter.size(), delimiter) == 0;
    request.query.emplace_back("start-after", store_prefix + cursor + (folder ? "\xf4\x8f\xbf\xbf" : ""));
  }
  auto response = impl_->Send(request);
  if (response.status != 200) impl_->ThrowFor(response, prefix);
  ListPage page;
  auto strip = [&store_prefix](std::string key) { return key.substr(std::min(store_prefix.size(), key.size())); };
  std::string last;
  for (auto contents : XmlElements(response.body, "Contents")) {
    ObjectInfo info;
    info.key = strip(XmlValue(contents, "Key"));
    info.size = std::stoull(XmlValue(contents, "Size"));
    info.etag = StripQuotes(XmlValue(contents, "ETag"));
    info.modified_unix_ms = ParseIsoMs(XmlValue(contents, "LastModified"));
    last = std::max(last, info.key);
    page.objects.push_back(std::move(info));
  }
  for (auto common : XmlElements(response.body, "CommonPrefixes")) {
    auto folder = strip(XmlValue(common, "Prefix"));
    last = std::max(last, folder);
    page.common_prefixes.push_back(std::move(folder));
  }
  if (XmlValue(response.body, "IsTruncated") == "true") page.next_cursor = last;
  return page;
}

void S3Store::Delete(const std::string &key) {
  ValidateKey(key);
  Impl::Request request{"DELETE", key};
  auto response = impl_->Send(request);
  if (response.status != 204 && response.status != 200 && response.status != 404) impl_->ThrowFor(response, key);
}

void S3Store::DeleteMany(const std::vector<std::string> &keys) {
  constexpr size_t kKeysPerRequest = 1000;  // S3's limit for one DeleteObjects call
  for (const auto &key : keys) ValidateKey(key);
  for (size_t start = 0; start < keys.size(); start += kKeysPerRequest) {
    std::string body = "<Delete><Quiet>true</Quiet>";
    for (size_t i = start; i < std::min(keys.size(), start + kKeysPerRequest); i++) {
      body += "<Object><Key>" + XmlEscape(impl_->FullKey(keys[i])) + "</Key></Object>";
    }
    body += "</Delete>";
    Impl::Request request{"POST", "", {{"delete", ""}}};
    request.headers["content-md5"] = Md5Base64(body);
    request.headers["content-type"] = "application/xml";
    request.body = &body;
    auto response = impl_->Send(request);
    if (response.status != 200) impl_->ThrowFor(response, keys[start]);
    // Quiet mode lists only the keys that failed.
    auto errors = XmlElements(response.body, "Error");
    if (!errors.empty()) {
      throw MakeError(ErrorKind::kUnavailable, "object store could not delete '{}': {}", XmlValue(errors[0], "Key"),
                      XmlValue(errors[0], "Code"));
    }
  }
}

ObjectInfo S3Store::Copy(const std::string &from_key, const std::string &to_key) {
  ValidateKey(from_key);
  ValidateKey(to_key);
  const auto &options = impl_->options();
  auto copy_source = "/" + options.bucket + "/" + UriEncode(impl_->FullKey(from_key), false);
  // A copy answers 200 and may still have failed: the error is in the body.
  auto check = [&](Impl::Response &response) {
    if (response.status == 404) throw MakeError(ErrorKind::kNotFound, "object '{}' not found", from_key);
    if (response.status != 200 || !XmlElements(response.body, "Error").empty()) {
      if (response.status == 200) response.status = 500;
      impl_->ThrowFor(response, to_key);
    }
  };
  auto source = Head(from_key);
  if (source.size <= options.max_copy_object_size) {
    Impl::Request request{"PUT", to_key};
    request.headers["x-amz-copy-source"] = copy_source;
    auto response = impl_->Send(request);
    check(response);
    return Head(to_key);
  }
  // Too large for one CopyObject: parts copied server-side from ranges of the source (at most
  // kMaxPartNumber of them), pinned to the version just seen.
  uint64_t part_size = std::max(options.copy_part_size, (source.size + kMaxPartNumber - 1) / kMaxPartNumber);
  part_size = std::max<uint64_t>(part_size, kMinPartSize);
  auto upload_id = impl_->CreateMultipart(to_key);
  try {
    std::vector<PartInfo> parts;
    for (uint64_t offset = 0; offset < source.size; offset += part_size) {
      uint64_t length = std::min(part_size, source.size - offset);
      int number = static_cast<int>(parts.size()) + 1;
      Impl::Request request{"PUT", to_key, Impl::PartQuery(upload_id, number)};
      request.headers["x-amz-copy-source"] = copy_source;
      request.headers["x-amz-copy-source-range"] = fmt::format("bytes={}-{}", offset, offset + length - 1);
      request.headers["x-amz-copy-source-if-match"] = "\"" + source.etag + "\"";
      auto response = impl_->Send(request);
      if (response.status == 412) {
        throw MakeError(ErrorKind::kConflict, "object '{}' changed while it was being copied", from_key);
      }
      check(response);
      parts.push_back({number, StripQuotes(XmlValue(response.body, "ETag")), length});
    }
    impl_->CompleteMultipart(to_key, upload_id, parts);
  } catch (...) {
    try {
      impl_->AbortMultipart(to_key, upload_id);
    } catch (const Error &) {
      // An upload left open holds no visible object; the store's lifecycle rules remove it.
    }
    throw;
  }
  return Head(to_key);
}

void S3Store::Ping() {
  Impl::Request request{"HEAD", ""};
  auto response = impl_->Send(request);
  if (response.status != 200) impl_->ThrowFor(response, impl_->options().bucket);
}

namespace {

// S3 would take an empty upload id as no upload id at all: a part PUT would overwrite the
// object, an abort DELETE would delete it.
void RequireUploadId(const std::string &key, const std::string &upload_id) {
  if (upload_id.empty()) throw MakeError(ErrorKind::kNotFound, "upload of '{}' not found", key);
}

}  // namespace

ObjectLocation S3Store::Location(const std::string &key) const {
  return {"s3://" + impl_->options().bucket, impl_->FullKey(key)};
}

std::string S3Store::CreateMultipart(const std::string &key) {
  ValidateKey(key);
  if (key.back() == '/') throw Error(ErrorKind::kInvalidInput, "object key must not end with '/'");
  return impl_->CreateMultipart(key);
}

std::unique_ptr<ObjectWriter> S3Store::PutSized(const std::string &key, uint64_t size) {
  constexpr uint64_t kMaxSinglePut = 5ULL << 30;
  ValidateKey(key);
  if (size > kMaxSinglePut) return ObjectStore::PutSized(key, size);
  // One streamed request: bounded memory like multipart, without its cost on the service.
  return std::make_unique<S3PartWriter>(*impl_, key, "", 0, size);
}

std::unique_ptr<ObjectWriter> S3Store::PutPart(const std::string &key, const std::string &upload_id, int part_number,
                                               uint64_t size) {
  ValidateKey(key);
  if (part_number < 1 || part_number > kMaxPartNumber) {
    throw MakeError(ErrorKind::kInvalidInput, "part number {} is outside 1..{}", part_number, kMaxPartNumber);
  }
  RequireUploadId(key, upload_id);
  return std::make_unique<S3PartWriter>(*impl_, key, upload_id, part_number, size);
}

std::vector<PartInfo> S3Store::ListParts(const std::string &key, const std::string &upload_id) {
  ValidateKey(key);
  RequireUploadId(key, upload_id);
  return impl_->ListParts(key, upload_id);
}

ObjectInfo S3Store::CompleteMultipart(const std::string &key, const std::string &upload_id,
                                      const std::vector<PartInfo> &parts) {
  ValidateKey(key);
  RequireUploadId(key, upload_id);
  impl_->CompleteMultipart(key, upload_id, parts);
  // The answer carries no size; a HEAD gives the whole ObjectInfo.
  return Head(key);
}

void S3Store::AbortMultipart(const std::string &key, const std::string &upload_id) {
  ValidateKey(key);
  if (upload_id.empty()) return;  // see RequireUploadId
  impl_->AbortMultipart(key, upload_id);
}

std::optional<std::string> S3Store::PresignUrl(const std::string &method, const std::string &key,
                                               std::chrono::seconds expires_in, const PresignOptions &options) {
  ValidateKey(key);
  return impl_->PresignUrl(method, key, expires_in, options);
}

S3Options S3OptionsFromUrl(const std::string &url) {
  const std::string scheme = "s3://";
  if (url.rfind(scheme, 0) != 0) throw Error(ErrorKind::kInvalidInput, "S3 storage URL must be s3://bucket[/prefix]");
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  S3Options options;
  options.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) {
    options.prefix = rest.substr(slash + 1);
    if (!options.prefix.empty() && options.prefix.back() != '/') options.prefix += '/';
  }
  if (options.bucket.empty()) throw Error(ErrorKind::kInvalidInput, "S3 storage URL has no bucket");
  auto env = [](const char *name) -> std::string {
    const char *value = std::getenv(name);
    return value ? value : "";
  };
  if (auto endpoint = env("DUCKLAKE_S3_ENDPOINT"); !endpoint.empty()) options.endpoint = endpoint;
  if (auto region = env("DUCKLAKE_S3_REGION"); !region.empty()) {
    options.region = region;
  } else if (auto aws_region = env("AWS_REGION"); !aws_region.empty()) {
    options.region = aws_region;
  }
  options.credentials.access_key = env("AWS_ACCESS_KEY_ID");
  options.credentials.secret_key = env("AWS_SECRET_ACCESS_KEY");
  options.credentials.session_token = env("AWS_SESSION_TOKEN");
  if (auto path_style = env("DUCKLAKE_S3_PATH_STYLE"); !path_style.empty()) {
    options.path_style = path_style == "1" || path_style == "true";
  }
  options.ca_bundle = env("DUCKLAKE_S3_CA_BUNDLE");
  return options;
}

}  // namespace ducklake
