// Folding the event log into the lineage graph (see LineageGraph): each event, in log order,
// updates the namespaces, jobs, runs, datasets, dataset versions and edges it speaks of.

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "lineage/lineage_graph.hpp"
#include "lineage/stored_json.hpp"

namespace ducklake {
namespace {

using Json = nlohmann::json;

// Facets are replaced one by one; a facet with "_deleted": true is removed.
Json MergeFacets(Json current, const Json &incoming) {
  if (!current.is_object()) current = Json::object();
  if (!incoming.is_object()) return current;
  for (const auto &[name, facet] : incoming.items()) {
    if (facet.is_object() && facet.value("_deleted", false)) {
      current.erase(name);
    } else {
      current[name] = facet;
    }
  }
  return current;
}

void TouchNamespace(MetaTransaction &txn, const std::string &name, int64_t ms) {
  txn.Execute("INSERT INTO dl_lineage_namespace (name, created_ms, updated_ms) VALUES (?, ?, ?) "
              "ON CONFLICT (name) DO UPDATE SET updated_ms = excluded.updated_ms",
              {name, ms, ms});
}

int64_t NextId(MetaTransaction &txn, const char *table, const char *column) {
  return txn.Query(fmt::format("SELECT COALESCE(MAX({}), 0) + 1 FROM {}", column, table))[0].Int(0);
}

struct JobState {
  int64_t id = 0;
  std::optional<std::string> edges_run_id;  // the run whose datasets the job's edges are
};

// The job, created if new, with the event's facets merged in and `run_id` (when given) as its latest run.
JobState UpsertJob(MetaTransaction &txn, const Json &job, int64_t ms, const std::optional<std::string> &run_id) {
  auto ns = job.at("namespace").get<std::string>();
  auto name = job.at("name").get<std::string>();
  auto rows = txn.Query("SELECT job_id, facets, edges_run_id FROM dl_lineage_job WHERE namespace = ? AND name = ?",
                        {ns, name});
  auto facets = job.contains("facets") ? job["facets"] : Json::object();
  auto run = run_id ? SqlValue(*run_id) : SqlValue();
  if (rows.empty()) {
    TouchNamespace(txn, ns, ms);
    int64_t id = NextId(txn, "dl_lineage_job", "job_id");
    txn.Execute("INSERT INTO dl_lineage_job (job_id, namespace, name, facets, created_ms, updated_ms, latest_run_id, "
                "edges_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                {id, ns, name, StoredJson(MergeFacets(Json::object(), facets)), ms, ms, run});
    return {id, std::nullopt};
  }
  JobState state{rows[0].Int(0), rows[0].OptionalString(2)};
  auto merged = facets.empty() ? rows[0].String(1) : StoredJson(MergeFacets(ParseStoredJson(rows[0].String(1)), facets));
  txn.Execute("UPDATE dl_lineage_job SET facets = ?, updated_ms = ?, latest_run_id = COALESCE(?, latest_run_id) "
              "WHERE job_id = ?",
              {merged, ms, run, state.id});
  return state;
}

std::string LifecycleOf(const Json &facets) {
  if (facets.contains("lifecycleStateChange") && facets["lifecycleStateChange"].is_object()) {
    return facets["lifecycleStateChange"].value("lifecycleStateChange", "");
  }
  return "";
}

struct DatasetState {
  int64_t id = 0;
  std::string facets;  // as stored, after this event
};

// The dataset (created if new) and its facets as stored.
DatasetState FindOrCreateDataset(MetaTransaction &txn, const std::string &ns, const std::string &name, int64_t ms) {
  auto rows = txn.Query("SELECT dataset_id, facets FROM dl_lineage_dataset WHERE namespace = ? AND name = ?", {ns, name});
  if (!rows.empty()) return {rows[0].Int(0), rows[0].String(1)};
  TouchNamespace(txn, ns, ms);
  int64_t id = NextId(txn, "dl_lineage_dataset", "dataset_id");
  txn.Execute("INSERT INTO dl_lineage_dataset (dataset_id, namespace, name, facets, current_version, lifecycle_state, "
              "created_ms, updated_ms, last_modified_ms) VALUES (?, ?, ?, '{}', NULL, NULL, ?, ?, NULL)",
              {id, ns, name, ms, ms});
  return {id, "{}"};
}

int64_t DatasetId(MetaTransaction &txn, const std::string &ns, const std::string &name, int64_t ms) {
  return FindOrCreateDataset(txn, ns, name, ms).id;
}

// The dataset with the event's facets merged in.
DatasetState UpsertDataset(MetaTransaction &txn, const Json &dataset, int64_t ms) {
  auto state = FindOrCreateDataset(txn, dataset.at("namespace").get<std::string>(), dataset.at("name").get<std::string>(), ms);
  if (!dataset.contains("facets") || dataset["facets"].empty()) return state;
  state.facets = StoredJson(MergeFacets(ParseStoredJson(state.facets), dataset["facets"]));
  auto lifecycle = LifecycleOf(dataset["facets"]);
  txn.Execute("UPDATE dl_lineage_dataset SET facets = ?, updated_ms = ?, lifecycle_state = COALESCE(?, lifecycle_state) "
              "WHERE dataset_id = ?",
              {state.facets, ms, lifecycle.empty() ? SqlValue() : SqlValue(lifecycle), state.id});
  return state;
}

const char *RunState(const std::string &event_type, const std::string &current) {
  bool finished = current == "COMPLETED" || current == "FAILED" || current == "ABORTED";
  if (event_type == "COMPLETE") return "COMPLETED";
  if (event_type == "FAIL") return "FAILED";
  if (event_type == "ABORT") return "ABORTED";
  if (finished) return current == "COMPLETED" ? "COMPLETED" : current == "FAILED" ? "FAILED" : "ABORTED";
  if (event_type == "START" || event_type == "RUNNING") return "RUNNING";
  return current.empty() ? "NEW" : (current == "RUNNING" ? "RUNNING" : "NEW");
}

std::optional<std::string> VersionFacet(const Json &dataset) {
  if (!dataset.contains("facets")) return std::nullopt;
  const auto &facets = dataset["facets"];
  if (facets.contains("version") && facets["version"].is_object() && facets["version"].contains("datasetVersion") &&
      facets["version"]["datasetVersion"].is_string()) {
    return facets["version"]["datasetVersion"].get<std::string>();
  }
  return std::nullopt;
}

// A run's datasets as {namespace, name, version}, merged with what earlier events of the run said.
Json MergeRunDatasets(Json current, const Json &datasets, const std::string &run_id, bool outputs) {
  if (!current.is_array()) current = Json::array();
  for (const auto &dataset : datasets) {
    auto version = VersionFacet(dataset);
    Json *found = nullptr;
    for (auto &existing : current) {
      if (existing["namespace"] == dataset["namespace"] && existing["name"] == dataset["name"]) found = &existing;
    }
    if (!found) {
      current.push_back({{"namespace", dataset["namespace"]}, {"name", dataset["name"]}, {"version", nullptr}});
      found = &current.back();
    }
    if (version) {
      (*found)["version"] = *version;
    } else if (outputs && (*found)["version"].is_null()) {
      (*found)["version"] = run_id;
    }
  }
  return current;
}

// The latest columnLineage of an output replaces what was known of the fields it names; fields it
// does not name (an UPDATE sets some columns, a DELETE none) keep their lineage.
void ReplaceColumnLineage(MetaTransaction &txn, int64_t dataset_id, const Json &facet, int64_t ms) {
  if (!facet.is_object() || !facet.contains("fields") || !facet["fields"].is_object()) return;
  for (const auto &[field, spec] : facet["fields"].items()) {
    if (!spec.is_object() || !spec.contains("inputFields") || !spec["inputFields"].is_array()) continue;
    txn.Execute("DELETE FROM dl_lineage_column WHERE dataset_id = ? AND field = ?", {dataset_id, field});
    for (const auto &input : spec["inputFields"]) {
      if (!input.is_object() || !input.contains("namespace") || !input.contains("name") || !input.contains("field")) {
        continue;
      }
      Json transformations = input.contains("transformations") && input["transformations"].is_array()
                                 ? input["transformations"]
                                 : Json::array();
      if (transformations.empty() && spec.contains("transformationType")) {
        // The deprecated per-field form.
        transformations.push_back({{"type", "DIRECT"},
                                   {"subtype", spec.value("transformationType", "")},
                                   {"description", spec.value("transformationDescription", "")}});
      }
      int64_t input_id = DatasetId(txn, input["namespace"].get<std::string>(), input["name"].get<std::string>(), ms);
      txn.Execute("INSERT INTO dl_lineage_column (dataset_id, field, input_dataset_id, input_field, transformations) "
                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT (dataset_id, field, input_dataset_id, input_field) DO UPDATE SET "
                  "transformations = excluded.transformations",
                  {dataset_id, field, input_id, input["field"].get<std::string>(), StoredJson(transformations)});
    }
  }
}

void ApplyRunEvent(MetaTransaction &txn, const Json &event, int64_t event_ms) {
  std::string event_type = event.value("eventType", "OTHER");
  auto run_id = event["run"]["runId"].get<std::string>();
  auto job = UpsertJob(txn, event["job"], event_ms, run_id);
  int64_t job_id = job.id;
  // (the job's latest run is now this one; its edges change only with an event that names datasets)
  Json inputs = event.contains("inputs") && event["inputs"].is_array() ? event["inputs"] : Json::array();
  Json outputs = event.contains("outputs") && event["outputs"].is_array() ? event["outputs"] : Json::array();
  std::vector<int64_t> input_ids;
  std::vector<DatasetState> output_states;
  for (const auto &input : inputs) input_ids.push_back(UpsertDataset(txn, input, event_ms).id);
  for (const auto &output : outputs) output_states.push_back(UpsertDataset(txn, output, event_ms));

  // The job's edges are those of its latest run.
  if (!input_ids.empty() || !output_states.empty()) {
    if (job.edges_run_id != run_id) {
      txn.Execute("DELETE FROM dl_lineage_io WHERE job_id = ?", {job_id});
      txn.Execute("UPDATE dl_lineage_job SET edges_run_id = ? WHERE job_id = ?", {run_id, job_id});
    }
    auto add = [&](int64_t dataset_id, const char *direction) {
      txn.Execute("INSERT INTO dl_lineage_io (job_id, dataset_id, direction) VALUES (?, ?, ?) "
                  "ON CONFLICT (job_id, dataset_id, direction) DO NOTHING",
                  {job_id, dataset_id, direction});
    };
    for (auto id : input_ids) add(id, "input");
    for (const auto &state : output_states) add(state.id, "output");
  }

  auto run_facets = event["run"].contains("facets") ? event["run"]["facets"] : Json::object();
  auto existing = txn.Query("SELECT state, facets, inputs, outputs, started_ms, ended_ms, nominal_start, nominal_end "
                            "FROM dl_lineage_run WHERE run_id = ?",
                            {run_id});
  std::string state = existing.empty() ? "" : existing[0].String(0);
  auto facets = MergeFacets(existing.empty() ? Json::object() : ParseStoredJson(existing[0].String(1)), run_facets);
  auto run_inputs = MergeRunDatasets(existing.empty() ? Json::array() : ParseStoredJson(existing[0].String(2)), inputs,
                                     run_id, false);
  auto run_outputs = MergeRunDatasets(existing.empty() ? Json::array() : ParseStoredJson(existing[0].String(3)), outputs,
                                      run_id, true);
  std::optional<int64_t> started = existing.empty() ? std::nullopt : existing[0].OptionalInt(4);
  std::optional<int64_t> ended = existing.empty() ? std::nullopt : existing[0].OptionalInt(5);
  if (event_type == "START") started = event_ms;
  if (event_type == "COMPLETE" || event_type == "FAIL" || event_type == "ABORT") ended = event_ms;
  std::optional<std::string> nominal_start = existing.empty() ? std::nullopt : existing[0].OptionalString(6);
  std::optional<std::string> nominal_end = existing.empty() ? std::nullopt : existing[0].OptionalString(7);
  if (run_facets.contains("nominalTime") && run_facets["nominalTime"].is_object()) {
    const auto &nominal = run_facets["nominalTime"];
    if (nominal.contains("nominalStartTime") && nominal["nominalStartTime"].is_string()) {
      nominal_start = nominal["nominalStartTime"].get<std::string>();
    }
    if (nominal.contains("nominalEndTime") && nominal["nominalEndTime"].is_string()) {
      nominal_end = nominal["nominalEndTime"].get<std::string>();
    }
  }
  auto optional_int = [](const std::optional<int64_t> &v) { return v ? SqlValue(*v) : SqlValue(); };
  auto optional_text = [](const std::optional<std::string> &v) { return v ? SqlValue(*v) : SqlValue(); };
  if (existing.empty()) {
    txn.Execute("INSERT INTO dl_lineage_run (run_id, job_id, state, created_ms, updated_ms, started_ms, ended_ms, "
                "nominal_start, nominal_end, facets, inputs, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {run_id, job_id, RunState(event_type, state), event_ms, event_ms, optional_int(started),
                 optional_int(ended), optional_text(nominal_start), optional_text(nominal_end), StoredJson(facets),
                 StoredJson(run_inputs), StoredJson(run_outputs)});
  } else {
    txn.Execute("UPDATE dl_lineage_run SET state = ?, updated_ms = ?, started_ms = ?, ended_ms = ?, nominal_start = ?, "
                "nominal_end = ?, facets = ?, inputs = ?, outputs = ? WHERE run_id = ?",
                {RunState(event_type, state), event_ms, optional_int(started), optional_int(ended),
                 optional_text(nominal_start), optional_text(nominal_end), StoredJson(facets), StoredJson(run_inputs),
                 StoredJson(run_outputs), run_id});
  }

  for (size_t i = 0; i < outputs.size(); i++) {
    const auto &output = outputs[i];
    Json output_facets = output.contains("facets") ? output["facets"] : Json::object();
    int64_t output_id = output_states[i].id;
    if (output_facets.contains("columnLineage")) {
      ReplaceColumnLineage(txn, output_id, output_facets["columnLineage"], event_ms);
    }
    if (event_type != "COMPLETE") continue;
    // A completed run made a new version of each of its outputs.
    auto version = VersionFacet(output).value_or(run_id);
    auto lifecycle = LifecycleOf(output_facets);
    auto lifecycle_value = lifecycle.empty() ? SqlValue() : SqlValue(lifecycle);
    txn.Execute("INSERT INTO dl_lineage_dataset_version (dataset_id, version, run_id, created_ms, facets, "
                "lifecycle_state) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id, version) DO UPDATE SET "
                "run_id = excluded.run_id, facets = excluded.facets, lifecycle_state = excluded.lifecycle_state",
                {output_id, version, run_id, event_ms, output_states[i].facets, lifecycle_value});
    txn.Execute("UPDATE dl_lineage_dataset SET current_version = ?, last_modified_ms = ? WHERE dataset_id = ?",
                {version, event_ms, output_id});
  }
}

}  // namespace

int64_t LineageGraph::CatchUp() {
  std::lock_guard<std::mutex> lock(fold_mutex_);
  {
    // Nothing new, the common case: a read, no write lock.
    auto txn = meta_.Begin(TransactionMode::kRead);
    auto through = txn->Query("SELECT delivered_through FROM dl_lineage_cursor WHERE sink = ?", {std::string(kGraphCursor)});
    auto last = txn->Query("SELECT COALESCE(MAX(event_id), 0) FROM dl_lineage_event")[0].Int(0);
    if (last == 0 || (!through.empty() && through[0].Int(0) >= last)) return 0;
  }
  int64_t folded = 0;
  while (true) {
    auto txn = meta_.Begin(TransactionMode::kBookkeeping);
    auto through = txn->Query("SELECT delivered_through FROM dl_lineage_cursor WHERE sink = ?", {std::string(kGraphCursor)});
    int64_t from = through.empty() ? 0 : through[0].Int(0);
    auto rows = txn->Query("SELECT event_id, received_ms, payload FROM dl_lineage_event WHERE event_id > ? ORDER BY "
                           "event_id LIMIT ?",
                           {from, static_cast<int64_t>(kFoldBatch)});
    if (rows.empty()) return folded;
    for (const auto &row : rows) Apply(*txn, Json::parse(row.String(2)), row.Int(1));
    int64_t to = rows.back().Int(0);
    if (through.empty()) {
      txn->Execute("INSERT INTO dl_lineage_cursor (sink, delivered_through, attempts, next_attempt_ms, last_error, "
                   "holder, lease_expires_ms) VALUES (?, ?, 0, 0, NULL, NULL, 0)",
                   {std::string(kGraphCursor), to});
    } else {
      txn->Execute("UPDATE dl_lineage_cursor SET delivered_through = ? WHERE sink = ?", {to, std::string(kGraphCursor)});
    }
    txn->Commit();
    folded += static_cast<int64_t>(rows.size());
    if (rows.size() < kFoldBatch) return folded;
  }
}

LineageGraphUpdater::LineageGraphUpdater(LineageGraph &graph, int64_t interval_ms)
    : graph_(graph), interval_ms_(interval_ms), thread_([this] {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; })) {
          lock.unlock();
          try {
            graph_.CatchUp();
          } catch (const std::exception &error) {
            Log(LogLevel::kWarn, "lineage graph update failed; retrying", {{"error", error.what()}});
          }
          lock.lock();
        }
      }) {}

LineageGraphUpdater::~LineageGraphUpdater() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LineageGraph::Apply(MetaTransaction &txn, const nlohmann::json &event, int64_t received_ms) {
  int64_t event_ms = received_ms;
  if (event.contains("eventTime") && event["eventTime"].is_string()) {
    event_ms = ParseRfc3339Ms(event["eventTime"].get<std::string>(), "eventTime", MissingOffset::kUtc);
  }
  if (event.contains("dataset")) {
    UpsertDataset(txn, event["dataset"], event_ms);
    return;
  }
  if (event.contains("run")) {
    ApplyRunEvent(txn, event, event_ms);
    return;
  }
  // A JobEvent: the job, and what it reads and writes.
  int64_t job_id = UpsertJob(txn, event["job"], event_ms, std::nullopt).id;
  std::vector<std::pair<int64_t, const char *>> edges;
  for (const char *side : {"inputs", "outputs"}) {
    if (!event.contains(side) || !event[side].is_array()) continue;
    for (const auto &dataset : event[side]) {
      edges.emplace_back(UpsertDataset(txn, dataset, event_ms).id, std::string(side) == "inputs" ? "input" : "output");
    }
  }
  if (edges.empty()) return;
  txn.Execute("DELETE FROM dl_lineage_io WHERE job_id = ?", {job_id});
  for (const auto &[dataset_id, direction] : edges) {
    txn.Execute("INSERT INTO dl_lineage_io (job_id, dataset_id, direction) VALUES (?, ?, ?) "
                "ON CONFLICT (job_id, dataset_id, direction) DO NOTHING",
                {job_id, dataset_id, direction});
  }
}

}  // namespace ducklake
