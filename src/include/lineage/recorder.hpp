#pragma once
// LineageRecorder: keeps OpenLineage events in the metadata database, appended to the event log
// (dl_lineage_event, in commit order: writers are serialised), which LineageGraph folds into the
// lineage graph and LineageForwarder delivers from. A job's START is kept together with its end, COMPLETE or FAIL, in one metadata transaction
// (for COMPLETE, the very transaction that commits the job's change), so a job's events are kept
// exactly when its outcome is: one write per job, and a job cut off by a crash leaves neither a
// change nor events. Events other tools send are kept in group commits: one transaction for all that arrive together.
// Thread-safe. Errors are ducklake::Error from the MetaStore.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "lineage/job_run.hpp"
#include "meta/group_commit.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

class LineageRecorder {
 public:
  static constexpr const char *kOwnEvent = "ducklake";
  static constexpr const char *kExternalEvent = "external";

  // Lake tables are named in ducklake://<instance>.
  LineageRecorder(MetaStore &meta, std::string instance)
      : meta_(meta), instance_(std::move(instance)), external_(meta, TransactionMode::kWrite) {}

  // The namespace of the lake's own tables and jobs.
  std::string LakeNamespace() const;

  // A job begins: gives `run` its run id and start time, and its START event as of now.
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

  // Keeps an event another tool sent, in a transaction shared with the events that other threads
  // hand in meanwhile; returns its id once that transaction has committed. If the transaction
  // fails, every event of it fails with the error.
  int64_t RecordExternal(nlohmann::json event);

 private:
  // Keeps START (as Start made it) and `event` in `txn`.
  void RecordEnd(MetaTransaction &txn, const JobRun &run, const nlohmann::json &event);

  MetaStore &meta_;
  std::string instance_;
  GroupCommit external_;  // events other tools send (under the commit lock: it orders the log)
};

}  // namespace ducklake
