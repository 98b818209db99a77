#include "lineage/recorder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "lineage/events.hpp"

namespace ducklake {

LineageRecorder::LineageRecorder(MetaStore &meta, std::string instance, std::chrono::milliseconds announce_after)
    : meta_(meta),
      instance_(std::move(instance)),
      external_(meta, TransactionMode::kWrite),
      announce_after_(announce_after),
      announcer_([this] { Announce(); }) {}

LineageRecorder::~LineageRecorder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  announcer_.join();
}

std::string LineageRecorder::LakeNamespace() const { return ducklake::LakeNamespace(instance_); }

void LineageRecorder::Announce() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      changed_.wait(lock);
      continue;
    }
    auto when = due_.begin()->first;  // a copy: the entry may be erased while this waits
    if (changed_.wait_until(lock, when) != std::cv_status::timeout) continue;  // re-read: it may be gone
    auto next = due_.begin();
    if (next == due_.end() || next->first > std::chrono::steady_clock::now()) continue;
    auto [run_id, start_event] = next->second;
    due_.erase(next);
    lock.unlock();
    try {
      auto txn = meta_.Begin(TransactionMode::kWrite);
      RecordStartOnce(*txn, run_id, start_event);
      txn->Commit();
    } catch (const std::exception &error) {
      // Not lost: the run's end keeps its START too.
      Log(LogLevel::kWarn, "lineage START kept late", {{"run_id", run_id}, {"error", error.what()}});
    }
    lock.lock();
  }
}

void LineageRecorder::RecordStartOnce(MetaTransaction &txn, const std::string &run_id, const std::string &start_event) {
  // Looked up by run id alone: the origin index would have SQLite scan every own event.
  for (const auto &row : txn.Query("SELECT event_type, origin FROM dl_lineage_event WHERE run_id = ?", {run_id})) {
    if (!row.IsNull(0) && row.String(0) == "START" && row.String(1) == kOwnEvent) return;
  }
  Record(txn, nlohmann::json::parse(start_event), kOwnEvent);
}

int64_t LineageRecorder::Record(MetaTransaction &txn, const nlohmann::json &event, const std::string &origin) {
  return RecordAll(txn, {&event}, origin);
}

int64_t LineageRecorder::RecordAll(MetaTransaction &txn, const std::vector<const nlohmann::json *> &events,
                                   const std::string &origin) {
  int64_t received_ms = NowUnixMs();
  // Writers are serialised (MetaStore kWrite), so ids grow in commit order. One statement: the next
  // ids and the rows (every SELECT of it sees the log as it was before the statement).
  std::string sql =
      "INSERT INTO dl_lineage_event (event_id, kind, event_type, run_id, job_namespace, job_name, event_ms, "
      "received_ms, origin, payload) ";
  std::vector<SqlValue> params;
  for (size_t i = 0; i < events.size(); i++) {
    const auto &event = *events[i];
    int64_t event_ms = received_ms;
    if (event.contains("eventTime") && event["eventTime"].is_string()) {
      event_ms = ParseRfc3339Ms(event["eventTime"].get<std::string>(), "eventTime", MissingOffset::kUtc);
    }
    std::string kind = event.contains("dataset") ? "dataset" : event.contains("run") ? "run" : "job";
    auto text = [&](const char *object, const char *field) -> SqlValue {
      if (!event.contains(object) || !event[object].contains(field) || !event[object][field].is_string()) return {};
      return event[object][field].get<std::string>();
    };
    SqlValue event_type = event.contains("eventType") && event["eventType"].is_string()
                              ? SqlValue(event["eventType"].get<std::string>())
                              : SqlValue();
    // The casts type the parameters where UNION ALL would leave PostgreSQL guessing text.
    sql += fmt::format("{}SELECT COALESCE(MAX(event_id), 0) + {}, ?, ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), "
                       "?, ? FROM dl_lineage_event",
                       i == 0 ? "" : " UNION ALL ", i + 1);
    for (auto &value : {SqlValue(kind), event_type, text("run", "runId"), text("job", "namespace"),
                        text("job", "name"), SqlValue(event_ms), SqlValue(received_ms), SqlValue(origin),
                        SqlValue(event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))}) {
      params.push_back(value);
    }
  }
  int64_t last = 0;
  for (const auto &row : txn.Query(sql + " RETURNING event_id", params)) last = std::max(last, row.Int(0));
  return last;
}

void LineageRecorder::Start(JobRun &run) {
  run.run_id = NewUuid();
  run.started_ms = NowUnixMs();
  run.start_event = BuildRunEvent(run, "START", run.started_ms, LakeNamespace()).dump();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    due_.emplace(std::chrono::steady_clock::now() + announce_after_, std::make_pair(run.run_id, run.start_event));
  }
  changed_.notify_all();
}

void LineageRecorder::RecordEnd(MetaTransaction &txn, const JobRun &run, const nlohmann::json &event) {
  if (run.start_event.empty()) throw Error(ErrorKind::kInternal, "a lineage run ended that never started");
  bool start_waiting = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = due_.begin(); it != due_.end(); ++it) {
      if (it->second.first == run.run_id) {
        due_.erase(it);
        start_waiting = true;
        break;
      }
    }
  }
  // A START still waiting to be announced was never recorded: no need to look, and it goes in with
  // the end in one statement.
  if (start_waiting) {
    auto start = nlohmann::json::parse(run.start_event);
    RecordAll(txn, {&start, &event}, kOwnEvent);
    return;
  }
  RecordStartOnce(txn, run.run_id, run.start_event);
  Record(txn, event, kOwnEvent);
}

void LineageRecorder::Complete(MetaTransaction &txn, const JobRun &run) {
  RecordEnd(txn, run, BuildRunEvent(run, "COMPLETE", NowUnixMs(), LakeNamespace()));
}

void LineageRecorder::Complete(const JobRun &run) {
  auto txn = meta_.Begin(TransactionMode::kWrite);
  Complete(*txn, run);
  txn->Commit();
}

void LineageRecorder::Fail(const JobRun &run, const std::string &message) noexcept {
  try {
    auto txn = meta_.Begin(TransactionMode::kWrite);
    RecordEnd(*txn, run, BuildRunEvent(run, "FAIL", NowUnixMs(), LakeNamespace(), message));
    txn->Commit();
  } catch (const std::exception &error) {
    Log(LogLevel::kError, "lineage FAIL event lost", {{"job", run.job_name}, {"run_id", run.run_id}, {"error", error.what()}});
  }
}

int64_t LineageRecorder::RecordExternal(nlohmann::json event) {
  int64_t id = 0;
  external_.Run([&](MetaTransaction &txn) { id = Record(txn, event, kExternalEvent); });
  return id;
}

}  // namespace ducklake
