#pragma once
// LineageGraph: the lineage graph that the event log (dl_lineage_event) builds in the metadata
// database, and the questions Marquez's API answers about it, in Marquez's JSON shapes (so Marquez
// clients and its web UI work against DuckLake). The graph is a view of the log kept by folding
// events into it in order, off the path of the writes that log them: every read first folds what
// the log has gained (so a reader sees every event committed before it asked), and
// LineageGraphUpdater folds in the background. Node ids are Marquez's: "dataset:<ns>:<name>",
// "job:<ns>:<name>", "datasetField:<ns>:<dataset>:<field>". Thread-safe. Errors are
// ducklake::Error: kInvalidInput (a malformed node id or parameter), kNotFound (no such node).

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "meta/meta_store.hpp"

namespace ducklake {

struct LineageCounts {
  std::string node_id;
  int64_t upstream_jobs = 0;    // jobs that wrote the dataset
  int64_t downstream_jobs = 0;  // jobs that read it
};

class LineageGraph {
 public:
  static constexpr int kMaxDepth = 100;
  static constexpr int64_t kMaxPage = 1000;

  static constexpr size_t kFoldBatch = 100;  // events folded per transaction

  explicit LineageGraph(MetaStore &meta) : meta_(meta) {}

  // Folds every event the log has gained since the last fold; returns how many.
  int64_t CatchUp();
  // Folds `event` (a RunEvent, DatasetEvent or JobEvent already validated) into the graph.
  static void Apply(MetaTransaction &txn, const nlohmann::json &event, int64_t received_ms);

  nlohmann::json Namespaces();
  nlohmann::json Namespace(const std::string &name);
  nlohmann::json Jobs(const std::string &ns, int64_t limit, int64_t offset);
  nlohmann::json Job(const std::string &ns, const std::string &name);
  nlohmann::json Runs(const std::string &ns, const std::string &job, int64_t limit, int64_t offset);
  nlohmann::json Run(const std::string &run_id);
  nlohmann::json Datasets(const std::string &ns, int64_t limit, int64_t offset);
  nlohmann::json Dataset(const std::string &ns, const std::string &name);
  nlohmann::json DatasetVersions(const std::string &ns, const std::string &name, int64_t limit, int64_t offset);

  // The graph around `node_id` (a dataset or job) up to `depth` hops each way: {"graph": [nodes]}.
  nlohmann::json Lineage(const std::string &node_id, int depth);
  // Column lineage around a dataset field (or every field of a dataset, or of a job's outputs):
  // upstream `depth` hops, and downstream too when asked.
  nlohmann::json ColumnLineage(const std::string &node_id, int depth, bool with_downstream);
  // Jobs and datasets whose name contains `query`. `filter`: "DATASET", "JOB" or empty; `sort`:
  // "NAME" or "UPDATE_AT".
  nlohmann::json Search(const std::string &query, const std::string &filter, const std::string &sort, int64_t limit,
                        const std::optional<std::string> &ns);

  // How many jobs write and read a dataset (zeros when lineage has never seen it).
  LineageCounts Counts(const std::string &ns, const std::string &name);

  // The event log as Marquez pages it, newest first, optionally only events whose time is in
  // [after_ms, before_ms]: {"events": [...], "totalCount": n}.
  nlohmann::json EventPage(std::optional<int64_t> after_ms, std::optional<int64_t> before_ms, int64_t limit,
                           int64_t offset);

  // The event log oldest first from `after` (an event id), with each event's id, origin and arrival:
  // {"events": [...], "next_after": id or null when the log ends here}.
  struct EventFeedQuery {
    int64_t after = 0;
    int64_t limit = 100;
    std::optional<std::string> run_id;
    std::optional<std::string> origin;  // "ducklake" or "external" (kInvalidInput otherwise)
  };
  nlohmann::json EventFeed(const EventFeedQuery &query);

 private:
  MetaStore &meta_;
  std::mutex fold_mutex_;  // one fold at a time per server (the database serialises servers)
};

// Folds the event log into the graph every `interval_ms` on its own thread, until destroyed.
class LineageGraphUpdater {
 public:
  LineageGraphUpdater(LineageGraph &graph, int64_t interval_ms);
  ~LineageGraphUpdater();

 private:
  LineageGraph &graph_;
  int64_t interval_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ducklake
