#include "lineage/forwarder.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "common/ids.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "lineage/recorder.hpp"

namespace ducklake {
namespace {

class HttpSink : public LineageSink {
 public:
  HttpSink(std::string url, std::string token, int timeout_ms)
      : url_(std::move(url)), token_(std::move(token)), timeout_ms_(timeout_ms), handle_(curl_easy_init()) {
    while (!url_.empty() && url_.back() == '/') url_.pop_back();
    url_ += "/api/v1/lineage";
  }
  ~HttpSink() override {
    if (handle_) curl_easy_cleanup(handle_);
  }

  std::string Name() const override { return "http"; }

  void Deliver(int64_t, const std::string &payload) override {
    curl_easy_reset(handle_);
    struct curl_slist *headers = curl_slist_append(nullptr, "Content-Type: application/json");
    std::string authorization;
    if (!token_.empty()) {
      authorization = "Authorization: Bearer " + token_;
      headers = curl_slist_append(headers, authorization.c_str());
    }
    std::string body;
    curl_easy_setopt(handle_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms_));
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(timeout_ms_, 5000)));
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &HttpSink::Collect);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &body);
    auto code = curl_easy_perform(handle_);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      // The URL may carry credentials; only libcurl's reason is reported.
      throw MakeError(ErrorKind::kUnavailable, "lineage endpoint unreachable: {}", curl_easy_strerror(code));
    }
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return;
    body.resize(std::min<size_t>(body.size(), 200));
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      throw MakeError(ErrorKind::kInvalidInput, "lineage endpoint rejected the event: HTTP {} {}", status, body);
    }
    throw MakeError(ErrorKind::kUnavailable, "lineage endpoint answered HTTP {}", status);
  }

 private:
  static size_t Collect(char *data, size_t size, size_t count, void *user) {
    auto *body = static_cast<std::string *>(user);
    if (body->size() < 4096) body->append(data, std::min<size_t>(size * count, 4096 - body->size()));
    return size * count;
  }

  std::string url_;
  std::string token_;
  int timeout_ms_;
  CURL *handle_;
};

class FileSink : public LineageSink {
 public:
  explicit FileSink(std::string path) : path_(std::move(path)) {}
  ~FileSink() override {
    if (fd_ >= 0) ::close(fd_);
  }

  std::string Name() const override { return "file"; }

  void Deliver(int64_t, const std::string &payload) override {
    pending_ += payload;
    pending_ += '\n';
  }

  void Flush() override {
    if (pending_.empty()) return;
    if (fd_ < 0) {
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
      if (fd_ < 0) throw MakeError(ErrorKind::kUnavailable, "cannot open the lineage file: {}", std::strerror(errno));
    }
    size_t written = 0;
    while (written < pending_.size()) {
      auto n = ::write(fd_, pending_.data() + written, pending_.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw MakeError(ErrorKind::kUnavailable, "cannot write the lineage file: {}", std::strerror(errno));
      written += static_cast<size_t>(n);
    }
    if (::fsync(fd_) != 0) throw MakeError(ErrorKind::kUnavailable, "cannot sync the lineage file: {}", std::strerror(errno));
    pending_.clear();
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::string pending_;
};

class BatchSink : public LineageSink {
 public:
  BatchSink(std::string name, std::function<void(int64_t, int64_t, const std::string &)> write)
      : name_(std::move(name)), write_(std::move(write)) {}

  std::string Name() const override { return name_; }

  void Deliver(int64_t event_id, const std::string &payload) override {
    if (pending_.empty()) first_ = event_id;
    last_ = event_id;
    pending_ += payload;
    pending_ += '\n';
  }

  void Flush() override {
    if (pending_.empty()) return;
    write_(first_, last_, pending_);
    pending_.clear();
  }

 private:
  std::string name_;
  std::function<void(int64_t, int64_t, const std::string &)> write_;
  std::string pending_;
  int64_t first_ = 0, last_ = 0;
};

}  // namespace

std::unique_ptr<LineageSink> MakeHttpSink(const std::string &url, const std::string &token, int timeout_ms) {
  return std::make_unique<HttpSink>(url, token, timeout_ms);
}

std::unique_ptr<LineageSink> MakeFileSink(const std::string &path) { return std::make_unique<FileSink>(path); }

std::unique_ptr<LineageSink> MakeBatchSink(const std::string &name,
                                           std::function<void(int64_t, int64_t, const std::string &)> write) {
  return std::make_unique<BatchSink>(name, std::move(write));
}

struct LineageForwarder::Sink {
  std::unique_ptr<LineageSink> sink;
  std::string name;
  std::thread thread;
  std::mutex mutex;  // guards the counters below
  int64_t delivered = 0;
  int64_t dropped = 0;
  std::string last_error;
};

LineageForwarder::LineageForwarder(MetaStore &meta, std::vector<std::unique_ptr<LineageSink>> sinks,
                                   ForwarderOptions options)
    : meta_(meta), options_(options), holder_(RandomHex(8)) {
  for (auto &sink : sinks) {
    auto entry = std::make_unique<Sink>();
    entry->name = sink->Name();
    entry->sink = std::move(sink);
    sinks_.push_back(std::move(entry));
  }
  // Cursors exist before the server takes its first request, so a new sink misses none of its events.
  for (auto &sink : sinks_) {
    auto txn = meta_.Begin(TransactionMode::kBookkeeping);
    if (txn->Query("SELECT 1 FROM dl_lineage_cursor WHERE sink = ?", {sink->name}).empty()) {
      auto end = txn->Query("SELECT COALESCE(MAX(event_id), 0) FROM dl_lineage_event")[0].Int(0);
      txn->Execute("INSERT INTO dl_lineage_cursor (sink, delivered_through, attempts, next_attempt_ms, last_error, "
                   "holder, lease_expires_ms) VALUES (?, ?, 0, 0, NULL, NULL, 0)",
                   {sink->name, end});
    }
    txn->Commit();
  }
  for (auto &sink : sinks_) sink->thread = std::thread([this, raw = sink.get()] { Run(*raw); });
}

LineageForwarder::~LineageForwarder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto &sink : sinks_) {
    if (sink->thread.joinable()) sink->thread.join();
  }
}

std::vector<SinkStatus> LineageForwarder::Status() {
  std::vector<SinkStatus> result;
  for (auto &sink : sinks_) {
    SinkStatus status;
    status.name = sink->name;
    {
      std::lock_guard<std::mutex> lock(sink->mutex);
      status.delivered = sink->delivered;
      status.dropped = sink->dropped;
      status.last_error = sink->last_error;
    }
    auto txn = meta_.Begin(TransactionMode::kRead);
    auto cursor = txn->Query("SELECT delivered_through FROM dl_lineage_cursor WHERE sink = ?", {sink->name});
    if (!cursor.empty()) {
      status.delivered_through = cursor[0].Int(0);
      status.pending = txn->Query("SELECT COUNT(*) FROM dl_lineage_event WHERE origin = ? AND event_id > ?",
                                  {std::string(LineageRecorder::kOwnEvent), status.delivered_through})[0]
                           .Int(0);
    }
    result.push_back(std::move(status));
  }
  return result;
}

std::optional<LineageForwarder::Cursor> LineageForwarder::TakeCursor(const std::string &sink) {
  int64_t now = NowUnixMs();
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  auto rows = txn->Query("SELECT delivered_through, attempts, next_attempt_ms, holder, lease_expires_ms FROM "
                         "dl_lineage_cursor WHERE sink = ?",
                         {sink});
  if (rows.empty()) throw MakeError(ErrorKind::kInternal, "lineage sink '{}' has no cursor", sink);
  if (!rows[0].IsNull(3) && rows[0].String(3) != holder_ && rows[0].Int(4) > now) return std::nullopt;
  Cursor cursor;
  cursor.delivered_through = rows[0].Int(0);
  cursor.attempts = rows[0].Int(1);
  cursor.next_attempt_ms = rows[0].Int(2);
  txn->Execute("UPDATE dl_lineage_cursor SET holder = ?, lease_expires_ms = ? WHERE sink = ?",
               {holder_, now + options_.lease_ms, sink});
  txn->Commit();
  return cursor;
}

int64_t LineageForwarder::Round(Sink &sink) {
  auto cursor = TakeCursor(sink.name);
  if (!cursor) return options_.lease_ms / 2;
  int64_t now = NowUnixMs();
  if (cursor->next_attempt_ms > now) return cursor->next_attempt_ms - now;
  std::vector<SqlRow> rows;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    rows = txn->Query("SELECT event_id, payload FROM dl_lineage_event WHERE origin = ? AND event_id > ? ORDER BY "
                      "event_id LIMIT ?",
                      {std::string(LineageRecorder::kOwnEvent), cursor->delivered_through, static_cast<int64_t>(options_.batch)});
  }
  if (rows.empty()) return options_.poll_ms;

  size_t done = 0;
  std::optional<Error> failure;
  for (const auto &row : rows) {
    try {
      sink.sink->Deliver(row.Int(0), row.String(1));
      done++;
    } catch (const Error &error) {
      failure = error;
      break;
    }
  }
  try {
    sink.sink->Flush();
  } catch (const Error &error) {
    done = 0;  // nothing of this round is known to be kept: all of it is sent again
    failure = error;
  }
  int64_t delivered_through = done > 0 ? rows[done - 1].Int(0) : cursor->delivered_through;
  int64_t attempts = 0, wait = 0;
  bool dropped = false;
  if (failure && failure->kind() == ErrorKind::kInvalidInput && done < rows.size()) {
    // The sink will never take this event: skip it rather than hold up every later one.
    delivered_through = rows[done].Int(0);
    dropped = true;
    Log(LogLevel::kError, "lineage event dropped",
        {{"sink", sink.name}, {"event_id", std::to_string(delivered_through)}, {"error", failure->what()}});
  } else if (failure) {
    attempts = (done > 0 ? 0 : cursor->attempts) + 1;
    int64_t backoff = options_.retry_min_ms;
    for (int64_t i = 1; i < attempts && backoff < options_.retry_max_ms; i++) backoff *= 2;
    wait = std::min(backoff, options_.retry_max_ms);
    if (attempts == 1 || attempts % 10 == 0) {
      Log(LogLevel::kWarn, "lineage delivery failed; retrying",
          {{"sink", sink.name}, {"attempts", std::to_string(attempts)}, {"error", failure->what()}});
    }
  }
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  txn->Execute("UPDATE dl_lineage_cursor SET delivered_through = ?, attempts = ?, next_attempt_ms = ?, last_error = ? "
               "WHERE sink = ? AND holder = ?",
               {delivered_through, attempts, NowUnixMs() + wait,
                failure ? SqlValue(std::string(failure->what())) : SqlValue(), sink.name, holder_});
  txn->Commit();
  std::lock_guard<std::mutex> lock(sink.mutex);
  sink.delivered += static_cast<int64_t>(done);
  sink.dropped += dropped ? 1 : 0;
  sink.last_error = failure ? failure->what() : "";
  return wait;
}

void LineageForwarder::Run(Sink &sink) {
  while (true) {
    int64_t wait;
    try {
      wait = Round(sink);
    } catch (const Error &error) {
      // The metadata database itself is unreachable: try again shortly.
      std::lock_guard<std::mutex> lock(sink.mutex);
      sink.last_error = error.what();
      wait = options_.retry_max_ms / 10;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::milliseconds(wait), [this] { return stopping_; })) return;
  }
}

}  // namespace ducklake
