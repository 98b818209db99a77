#pragma once
// LineageForwarder: delivers DuckLake's own lineage events from the event log (the outbox, see
// LineageRecorder) to sinks: an OpenLineage HTTP endpoint (Marquez or any other), an NDJSON file, a
// volume. Each sink has its own thread and its own cursor in the log (dl_lineage_cursor), so one
// that is down holds up nothing else; a sink seen for the first time starts where the log ends
// when the forwarder is made.
// Events go out one at a time in the order they were kept, and the cursor moves past an event only
// once its sink has taken it (at least once: a crash between delivery and bookkeeping resends it).
// Failures are retried with exponential backoff, without end for transient ones; an event the sink
// rejects as malformed (HTTP 4xx other than 408/429) is skipped and logged. Among servers sharing
// one metadata database, one at a time drains each sink (a lease on its cursor).

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

// Takes DuckLake's events. Deliver may keep them until Flush, which makes everything delivered so
// far durable. Errors: throw ducklake::Error; kInvalidInput means the sink will never take this
// event (it is dropped), anything else is retried.
class LineageSink {
 public:
  virtual ~LineageSink() = default;
  virtual std::string Name() const = 0;  // the outbox it drains
  virtual void Deliver(int64_t event_id, const std::string &payload) = 0;
  virtual void Flush() {}
};

// POSTs each event to {url}/api/v1/lineage, with `Authorization: Bearer <token>` when given.
std::unique_ptr<LineageSink> MakeHttpSink(const std::string &url, const std::string &token, int timeout_ms);
// Appends each event as one line to `path` (created if missing); Flush fsyncs.
std::unique_ptr<LineageSink> MakeFileSink(const std::string &path);
// Gathers events into NDJSON objects handed to `write` (key, content) at each Flush.
std::unique_ptr<LineageSink> MakeBatchSink(const std::string &name,
                                           std::function<void(int64_t first_id, int64_t last_id, const std::string &)> write);

struct ForwarderOptions {
  int64_t poll_ms = 200;        // how often an idle sink looks for new events
  int64_t retry_min_ms = 100;   // first backoff after a failure
  int64_t retry_max_ms = 30000; // backoff ceiling
  int64_t lease_ms = 5000;      // how long a server may drain a sink without renewing its lease
  size_t batch = 100;           // events per round
};

struct SinkStatus {
  std::string name;
  int64_t delivered_through = 0;  // the last event the sink has taken (by any server)
  int64_t pending = 0;
  int64_t delivered = 0;  // by this server since it started
  int64_t dropped = 0;
  std::string last_error;
};

class LineageForwarder {
 public:
  // Creates the cursors of sinks it has not seen (throws kUnavailable if the database is down).
  LineageForwarder(MetaStore &meta, std::vector<std::unique_ptr<LineageSink>> sinks, ForwarderOptions options = {});
  // Stops every sink's thread (a delivery in progress finishes first).
  ~LineageForwarder();

  std::vector<SinkStatus> Status();

 private:
  struct Sink;
  struct Cursor {
    int64_t delivered_through = 0;
    int64_t attempts = 0;
    int64_t next_attempt_ms = 0;
  };
  void Run(Sink &sink);
  // The sink's cursor, with this server's lease on it renewed; nullopt while another server holds it.
  std::optional<Cursor> TakeCursor(const std::string &sink);
  // Delivers one round; returns how long to wait before the next.
  int64_t Round(Sink &sink);

  MetaStore &meta_;
  ForwarderOptions options_;
  std::string holder_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Sink>> sinks_;
};

}  // namespace ducklake
