#include "lineage/recorder.hpp"

#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "lineage/events.hpp"

namespace ducklake {

std::string LineageRecorder::LakeNamespace() const { return ducklake::LakeNamespace(instance_); }

int64_t LineageRecorder::Record(MetaTransaction &txn, const nlohmann::json &event, const std::string &origin) {
  int64_t received_ms = NowUnixMs();
  int64_t event_ms = received_ms;
  if (event.contains("eventTime") && event["eventTime"].is_string()) {
    event_ms = ParseRfc3339Ms(event["eventTime"].get<std::string>(), "eventTime");
  }
  std::string kind = event.contains("dataset") ? "dataset" : event.contains("run") ? "run" : "job";
  auto text = [&](const char *object, const char *field) -> SqlValue {
    if (!event.contains(object) || !event[object].contains(field) || !event[object][field].is_string()) return {};
    return event[object][field].get<std::string>();
  };
  SqlValue event_type = event.contains("eventType") && event["eventType"].is_string()
                            ? SqlValue(event["eventType"].get<std::string>())
                            : SqlValue();
  // Writers are serialised (MetaStore kWrite), so ids grow in commit order.
  int64_t id = txn.Query("SELECT COALESCE(MAX(event_id), 0) + 1 FROM dl_lineage_event")[0].Int(0);
  txn.Execute("INSERT INTO dl_lineage_event (event_id, kind, event_type, run_id, job_namespace, job_name, event_ms, "
              "received_ms, origin, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {id, kind, event_type, text("run", "runId"), text("job", "namespace"), text("job", "name"), event_ms,
               received_ms, origin, event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  return id;
}

void LineageRecorder::Start(JobRun &run) {
  run.run_id = NewUuid();
  run.started_ms = NowUnixMs();
  run.start_event = BuildRunEvent(run, "START", run.started_ms, LakeNamespace()).dump();
}

void LineageRecorder::RecordEnd(MetaTransaction &txn, const JobRun &run, const nlohmann::json &event) {
  if (run.start_event.empty()) throw Error(ErrorKind::kInternal, "a lineage run ended that never started");
  Record(txn, nlohmann::json::parse(run.start_event), kOwnEvent);
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
