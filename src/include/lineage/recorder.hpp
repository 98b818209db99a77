#pragma once
// LineageRecorder: keeps OpenLineage events in the metadata database. Each event is appended to the
// event log (dl_lineage_event, in commit order: writers are serialised) and folded into the lineage
// graph in one metadata transaction: in the very transaction that commits the change the event
// describes, when the caller passes it, so an event is kept exactly when its change is. The log of
// DuckLake's own events is the outbox LineageForwarder delivers from. Thread-safe. Errors are
// ducklake::Error from the MetaStore.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "lineage/job_run.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

class LineageRecorder {
 public:
  static constexpr const char *kOwnEvent = "ducklake";
  static constexpr const char *kExternalEvent = "external";

  // Lake tables are named in ducklake://<instance>.
  LineageRecorder(MetaStore &meta, std::string instance) : meta_(meta), instance_(std::move(instance)) {}

  // The namespace of the lake's own tables and jobs.
  std::string LakeNamespace() const;

  // A job begins: gives `run` its run id and start time and keeps its START event.
  void Start(JobRun &run);
  // The job's change commits in `txn`: its COMPLETE event goes into the same transaction.
  void Complete(MetaTransaction &txn, const JobRun &run);
  // The job completed without committing a change of its own (it changed nothing).
  void Complete(const JobRun &run);
  // The job failed with `message`. Never throws: the job's own error is what its caller reports; an
  // event that cannot be kept is logged.
  void Fail(const JobRun &run, const std::string &message) noexcept;

  // Keeps `event` (valid OpenLineage) in `txn`; `origin` is kOwnEvent or kExternalEvent. Returns
  // its id in the event log.
  int64_t Record(MetaTransaction &txn, const nlohmann::json &event, const std::string &origin);

 private:
  MetaStore &meta_;
  std::string instance_;
};

}  // namespace ducklake
