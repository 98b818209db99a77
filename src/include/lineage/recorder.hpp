#pragma once
// LineageRecorder: keeps OpenLineage events in the metadata database, appended to the event log
// (dl_lineage_event, in commit order: writers are serialised), which LineageGraph folds into the
// lineage graph and LineageForwarder delivers from. A job's end, COMPLETE or FAIL, is kept in one
// metadata transaction (for COMPLETE, the very transaction that commits the job's change), and its
// START with it unless it was kept before: a job still running `announce_after` after it began has
// its START kept on its own then, so sinks and the graph see it running. Most jobs are quicker:
// one write per job, and a job cut off by a crash leaves neither a change nor events. Events other
// tools send are kept in group commits: one transaction for all that arrive together. Thread-safe.
// Errors are ducklake::Error from the MetaStore.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "lineage/job_run.hpp"
#include "meta/group_commit.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

class LineageRecorder {
 public:
  static constexpr const char *kOwnEvent = "ducklake";
  static constexpr const char *kExternalEvent = "external";

  static constexpr std::chrono::milliseconds kAnnounceAfter{1000};

  // Lake tables are named in ducklake://<instance>.
  LineageRecorder(MetaStore &meta, std::string instance, std::chrono::milliseconds announce_after = kAnnounceAfter);
  ~LineageRecorder();
  LineageRecorder(const LineageRecorder &) = delete;
  LineageRecorder &operator=(const LineageRecorder &) = delete;

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
  // Keeps `events` in `txn` in one statement, ids in their order; returns the last id.
  int64_t RecordAll(MetaTransaction &txn, const std::vector<const nlohmann::json *> &events, const std::string &origin);
  // Keeps START (as Start made it, unless it is kept already) and `event` in `txn`.
  void RecordEnd(MetaTransaction &txn, const JobRun &run, const nlohmann::json &event);
  // Keeps the START of `run_id` in `txn` unless it is there already; the log is ordered by commit,
  // so a START always comes before its run's end.
  void RecordStartOnce(MetaTransaction &txn, const std::string &run_id, const std::string &start_event);
  // Keeps the START of each run still going past its announce time.
  void Announce();

  MetaStore &meta_;
  std::string instance_;
  GroupCommit external_;  // events other tools send (under the commit lock: it orders the log)
  std::chrono::milliseconds announce_after_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<std::chrono::steady_clock::time_point, std::pair<std::string, std::string>> due_;  // run id, START
  bool stopping_ = false;
  std::thread announcer_;
};

}  // namespace ducklake
