// Reading the lineage graph in Marquez's shapes (see LineageGraph).

#include "lineage/lineage_graph.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "common/error.hpp"
#include "common/time.hpp"
#include "lineage/recorder.hpp"
#include "lineage/stored_json.hpp"

namespace ducklake {
namespace {

using Json = nlohmann::json;

constexpr size_t kInChunk = 500;  // ids per IN (...) list

Json TimeOrNull(const std::optional<int64_t> &ms) { return ms ? Json(FormatRfc3339Ms(*ms)) : Json(nullptr); }

std::string Placeholders(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; i++) text += i ? ", ?" : "?";
  return text;
}

// Runs `sql_prefix (?, ?, ...)` for chunks of `ids`, collecting the rows.
std::vector<SqlRow> QueryIn(MetaTransaction &txn, const std::string &sql_prefix, const std::vector<int64_t> &ids,
                            const std::string &sql_suffix = "") {
  std::vector<SqlRow> rows;
  for (size_t start = 0; start < ids.size(); start += kInChunk) {
    size_t count = std::min(kInChunk, ids.size() - start);
    std::vector<SqlValue> params(ids.begin() + start, ids.begin() + start + count);
    auto chunk = txn.Query(sql_prefix + "(" + Placeholders(count) + ")" + sql_suffix, params);
    rows.insert(rows.end(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
  }
  return rows;
}


struct JobRow {
  int64_t id = 0;
  std::string ns, name;
  Json facets;
  int64_t created_ms = 0, updated_ms = 0;
  std::optional<std::string> latest_run_id;
};

struct DatasetRow {
  int64_t id = 0;
  std::string ns, name;
  Json facets;
  std::optional<std::string> current_version, lifecycle_state;
  int64_t created_ms = 0, updated_ms = 0;
  std::optional<int64_t> last_modified_ms;
};

constexpr const char *kJobColumns = "job_id, namespace, name, facets, created_ms, updated_ms, latest_run_id";
constexpr const char *kDatasetColumns =
    "dataset_id, namespace, name, facets, current_version, lifecycle_state, created_ms, updated_ms, last_modified_ms";
constexpr const char *kRunColumns =
    "r.run_id, r.state, r.created_ms, r.updated_ms, r.started_ms, r.ended_ms, r.nominal_start, r.nominal_end, "
    "r.facets, r.inputs, r.outputs, j.namespace, j.name";

JobRow ToJob(const SqlRow &row) {
  return {row.Int(0), row.String(1), row.String(2), ParseStoredJson(row.String(3)), row.Int(4), row.Int(5),
          row.OptionalString(6)};
}

DatasetRow ToDataset(const SqlRow &row) {
  return {row.Int(0),          row.String(1),         row.String(2),         ParseStoredJson(row.String(3)),
          row.OptionalString(4), row.OptionalString(5), row.Int(6),            row.Int(7),
          row.OptionalInt(8)};
}

Json Id(const std::string &ns, const std::string &name) { return {{"namespace", ns}, {"name", name}}; }

std::string DatasetNodeId(const std::string &ns, const std::string &name) { return "dataset:" + ns + ":" + name; }
std::string JobNodeId(const std::string &ns, const std::string &name) { return "job:" + ns + ":" + name; }
std::string FieldNodeId(const std::string &ns, const std::string &dataset, const std::string &field) {
  return "datasetField:" + ns + ":" + dataset + ":" + field;
}

Json RunJson(const SqlRow &row) {
  auto started = row.OptionalInt(4), ended = row.OptionalInt(5);
  auto versions = [](const Json &datasets) {
    Json result = Json::array();
    for (const auto &dataset : datasets) {
      result.push_back({{"datasetVersionId",
                         {{"namespace", dataset["namespace"]}, {"name", dataset["name"]}, {"version", dataset["version"]}}},
                        {"facets", Json::object()}});
    }
    return result;
  };
  Json run = {{"id", row.String(0)},
              {"createdAt", FormatRfc3339Ms(row.Int(2))},
              {"updatedAt", FormatRfc3339Ms(row.Int(3))},
              {"nominalStartTime", row.IsNull(6) ? Json(nullptr) : Json(row.String(6))},
              {"nominalEndTime", row.IsNull(7) ? Json(nullptr) : Json(row.String(7))},
              {"state", row.String(1)},
              {"startedAt", TimeOrNull(started)},
              {"endedAt", TimeOrNull(ended)},
              {"durationMs", started && ended ? Json(*ended - *started) : Json(nullptr)},
              {"args", Json::object()},
              {"jobVersion", {{"namespace", row.String(11)}, {"name", row.String(12)}, {"version", nullptr}}},
              {"inputDatasetVersions", versions(ParseStoredJson(row.String(9)))},
              {"outputDatasetVersions", versions(ParseStoredJson(row.String(10)))},
              {"context", Json::object()},
              {"facets", ParseStoredJson(row.String(8))}};
  return run;
}

Json Fields(const Json &facets) {
  Json fields = Json::array();
  if (!facets.contains("schema") || !facets["schema"].is_object() || !facets["schema"].contains("fields")) return fields;
  for (const auto &field : facets["schema"]["fields"]) {
    if (!field.is_object() || !field.contains("name")) continue;
    fields.push_back({{"name", field["name"]},
                      {"type", field.contains("type") ? field["type"] : Json(nullptr)},
                      {"tags", Json::array()},
                      {"description", field.contains("description") ? field["description"] : Json(nullptr)}});
  }
  return fields;
}

Json Description(const Json &facets) {
  if (facets.contains("documentation") && facets["documentation"].is_object() &&
      facets["documentation"].contains("description")) {
    return facets["documentation"]["description"];
  }
  return nullptr;
}

Json DatasetJson(const DatasetRow &row) {
  std::string source = row.ns;
  if (row.facets.contains("dataSource") && row.facets["dataSource"].is_object() &&
      row.facets["dataSource"].contains("name") && row.facets["dataSource"]["name"].is_string()) {
    source = row.facets["dataSource"]["name"].get<std::string>();
  }
  return Json{{"id", Id(row.ns, row.name)},
              {"type", "DB_TABLE"},
              {"name", row.name},
              {"physicalName", row.name},
              {"createdAt", FormatRfc3339Ms(row.created_ms)},
              {"updatedAt", FormatRfc3339Ms(row.updated_ms)},
              {"namespace", row.ns},
              {"sourceName", source},
              {"fields", Fields(row.facets)},
              {"tags", Json::array()},
              {"lastModifiedAt", TimeOrNull(row.last_modified_ms)},
              {"lastLifecycleState", row.lifecycle_state ? Json(*row.lifecycle_state) : Json(nullptr)},
              {"description", Description(row.facets)},
              {"currentVersion", row.current_version ? Json(*row.current_version) : Json(nullptr)},
              {"columnLineage", nullptr},
              {"facets", row.facets},
              {"deleted", row.lifecycle_state && *row.lifecycle_state == "DROP"}};
}

// Jobs in Marquez's shape, loaded together: their inputs and outputs, and their latest run.
std::map<int64_t, Json> JobsJson(MetaTransaction &txn, const std::vector<JobRow> &jobs, bool latest_runs) {
  std::map<int64_t, Json> result;
  if (jobs.empty()) return result;
  std::vector<int64_t> ids;
  for (const auto &job : jobs) ids.push_back(job.id);
  std::map<int64_t, Json> inputs, outputs;
  for (const auto &row : QueryIn(txn,
                                 "SELECT io.job_id, io.direction, d.namespace, d.name FROM dl_lineage_io io JOIN "
                                 "dl_lineage_dataset d ON d.dataset_id = io.dataset_id WHERE io.job_id IN ",
                                 ids, " ORDER BY d.namespace, d.name")) {
    auto &side = row.String(1) == "input" ? inputs : outputs;
    side[row.Int(0)].push_back(Id(row.String(2), row.String(3)));
  }
  std::vector<std::string> run_ids;
  for (const auto &job : jobs) {
    if (job.latest_run_id) run_ids.push_back(*job.latest_run_id);
  }
  std::map<std::string, Json> runs;
  for (size_t start = 0; start < run_ids.size(); start += kInChunk) {
    size_t count = std::min(kInChunk, run_ids.size() - start);
    std::vector<SqlValue> params(run_ids.begin() + start, run_ids.begin() + start + count);
    for (const auto &row : txn.Query(fmt::format("SELECT {} FROM dl_lineage_run r JOIN dl_lineage_job j ON j.job_id = "
                                                 "r.job_id WHERE r.run_id IN ({})",
                                                 kRunColumns, Placeholders(count)),
                                     params)) {
      runs[row.String(0)] = RunJson(row);
    }
  }
  for (const auto &job : jobs) {
    Json latest = nullptr;
    if (job.latest_run_id && runs.count(*job.latest_run_id)) latest = runs[*job.latest_run_id];
    Json recent = Json::array();
    if (latest_runs) {
      for (const auto &row : txn.Query(fmt::format("SELECT {} FROM dl_lineage_run r JOIN dl_lineage_job j ON j.job_id = "
                                                   "r.job_id WHERE r.job_id = ? ORDER BY r.created_ms DESC LIMIT 10",
                                                   kRunColumns),
                                       {job.id})) {
        recent.push_back(RunJson(row));
      }
    } else if (!latest.is_null()) {
      recent.push_back(latest);
    }
    std::string type = "BATCH";
    if (job.facets.contains("jobType") && job.facets["jobType"].is_object() &&
        job.facets["jobType"].value("processingType", "") == "STREAMING") {
      type = "STREAM";
    }
    auto simple = job.name.substr(job.name.rfind('.') == std::string::npos ? 0 : job.name.rfind('.') + 1);
    result[job.id] = Json{{"id", Id(job.ns, job.name)},
                          {"type", type},
                          {"name", job.name},
                          {"simpleName", simple},
                          {"parentJobName", nullptr},
                          {"parentJobUuid", nullptr},
                          {"createdAt", FormatRfc3339Ms(job.created_ms)},
                          {"updatedAt", FormatRfc3339Ms(job.updated_ms)},
                          {"namespace", job.ns},
                          {"inputs", inputs.count(job.id) ? inputs[job.id] : Json::array()},
                          {"outputs", outputs.count(job.id) ? outputs[job.id] : Json::array()},
                          {"location", nullptr},
                          {"description", Description(job.facets)},
                          {"facets", job.facets},
                          {"currentVersion", nullptr},
                          {"latestRun", latest},
                          {"latestRuns", recent},
                          {"labels", Json::array()},
                          {"tags", Json::array()}};
  }
  return result;
}

std::optional<JobRow> FindJob(MetaTransaction &txn, const std::string &ns, const std::string &name) {
  auto rows = txn.Query(fmt::format("SELECT {} FROM dl_lineage_job WHERE namespace = ? AND name = ?", kJobColumns),
                        {ns, name});
  if (rows.empty()) return std::nullopt;
  return ToJob(rows[0]);
}

std::optional<DatasetRow> FindDataset(MetaTransaction &txn, const std::string &ns, const std::string &name) {
  auto rows = txn.Query(
      fmt::format("SELECT {} FROM dl_lineage_dataset WHERE namespace = ? AND name = ?", kDatasetColumns), {ns, name});
  if (rows.empty()) return std::nullopt;
  return ToDataset(rows[0]);
}

// Splits "<ns>:<name>" where both may contain ':' (namespaces are often URIs): the split that names
// something `exists` knows wins; else Marquez's rule (the first ':' not starting "//" or a port).
std::pair<std::string, std::string> SplitNodeName(const std::string &text,
                                                  const std::function<bool(const std::string &, const std::string &)> &exists) {
  std::optional<std::pair<std::string, std::string>> fallback;
  for (size_t pos = text.find(':'); pos != std::string::npos; pos = text.find(':', pos + 1)) {
    auto ns = text.substr(0, pos), name = text.substr(pos + 1);
    if (ns.empty() || name.empty()) continue;
    if (exists(ns, name)) return {ns, name};
    bool uri_part = text.compare(pos + 1, 2, "//") == 0 || (pos + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[pos + 1])));
    if (!fallback && !uri_part) fallback = std::make_pair(ns, name);
  }
  if (!fallback) throw MakeError(ErrorKind::kInvalidInput, "malformed node id '{}'", text);
  return *fallback;
}

struct NodeRef {
  enum class Kind { kDataset, kJob, kField } kind;
  std::string ns, name, field;
};

NodeRef ParseNodeId(MetaTransaction &txn, const std::string &node_id) {
  auto starts = [&](const char *prefix) { return node_id.rfind(prefix, 0) == 0; };
  auto dataset_exists = [&](const std::string &ns, const std::string &name) {
    return FindDataset(txn, ns, name).has_value();
  };
  auto job_exists = [&](const std::string &ns, const std::string &name) { return FindJob(txn, ns, name).has_value(); };
  if (starts("dataset:")) {
    auto [ns, name] = SplitNodeName(node_id.substr(8), dataset_exists);
    return {NodeRef::Kind::kDataset, ns, name, ""};
  }
  if (starts("job:")) {
    auto [ns, name] = SplitNodeName(node_id.substr(4), job_exists);
    return {NodeRef::Kind::kJob, ns, name, ""};
  }
  if (starts("datasetField:")) {
    auto rest = node_id.substr(13);
    auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon + 1 == rest.size()) {
      throw MakeError(ErrorKind::kInvalidInput, "malformed node id '{}'", node_id);
    }
    auto [ns, name] = SplitNodeName(rest.substr(0, colon), dataset_exists);
    return {NodeRef::Kind::kField, ns, name, rest.substr(colon + 1)};
  }
  throw MakeError(ErrorKind::kInvalidInput, "node id '{}' must start with dataset:, job: or datasetField:", node_id);
}

std::vector<JobRow> LoadJobs(MetaTransaction &txn, const std::vector<int64_t> &ids) {
  std::vector<JobRow> jobs;
  for (const auto &row : QueryIn(txn, fmt::format("SELECT {} FROM dl_lineage_job WHERE job_id IN ", kJobColumns), ids)) {
    jobs.push_back(ToJob(row));
  }
  return jobs;
}

std::vector<DatasetRow> LoadDatasets(MetaTransaction &txn, const std::vector<int64_t> &ids) {
  std::vector<DatasetRow> datasets;
  for (const auto &row :
       QueryIn(txn, fmt::format("SELECT {} FROM dl_lineage_dataset WHERE dataset_id IN ", kDatasetColumns), ids)) {
    datasets.push_back(ToDataset(row));
  }
  return datasets;
}

Json Edge(const std::string &origin, const std::string &destination) {
  return {{"origin", origin}, {"destination", destination}};
}

}  // namespace

namespace {

constexpr const char *kNamespaceColumns = "name, created_ms, updated_ms";

Json NamespaceJson(const SqlRow &row) {
  return {{"name", row.String(0)},
          {"createdAt", FormatRfc3339Ms(row.Int(1))},
          {"updatedAt", FormatRfc3339Ms(row.Int(2))},
          {"ownerName", "anonymous"},
          {"description", nullptr},
          {"isHidden", false}};
}

// The namespace's row; kNotFound for one no event has named.
SqlRow GetNamespace(MetaTransaction &txn, const std::string &name) {
  auto rows = txn.Query(fmt::format("SELECT {} FROM dl_lineage_namespace WHERE name = ?", kNamespaceColumns), {name});
  if (rows.empty()) throw MakeError(ErrorKind::kNotFound, "namespace '{}' not found", name);
  return rows[0];
}

}  // namespace

nlohmann::json LineageGraph::Namespaces() {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  Json namespaces = Json::array();
  for (const auto &row : txn->Query(fmt::format("SELECT {} FROM dl_lineage_namespace ORDER BY name", kNamespaceColumns))) {
    namespaces.push_back(NamespaceJson(row));
  }
  return {{"namespaces", namespaces}};
}

nlohmann::json LineageGraph::Namespace(const std::string &name) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  return NamespaceJson(GetNamespace(*txn, name));
}

nlohmann::json LineageGraph::Jobs(const std::string &ns, int64_t limit, int64_t offset) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::vector<JobRow> jobs;
  for (const auto &row : txn->Query(fmt::format("SELECT {} FROM dl_lineage_job WHERE namespace = ? ORDER BY name "
                                                "LIMIT ? OFFSET ?",
                                                kJobColumns),
                                    {ns, limit, offset})) {
    jobs.push_back(ToJob(row));
  }
  auto json = JobsJson(*txn, jobs, true);
  Json list = Json::array();
  for (const auto &job : jobs) list.push_back(json[job.id]);
  auto total = txn->Query("SELECT COUNT(*) FROM dl_lineage_job WHERE namespace = ?", {ns})[0].Int(0);
  return {{"jobs", list}, {"totalCount", total}};
}

nlohmann::json LineageGraph::Job(const std::string &ns, const std::string &name) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto job = FindJob(*txn, ns, name);
  if (!job) throw MakeError(ErrorKind::kNotFound, "job '{}' not found in namespace '{}'", name, ns);
  return JobsJson(*txn, {*job}, true)[job->id];
}

nlohmann::json LineageGraph::Runs(const std::string &ns, const std::string &job_name, int64_t limit, int64_t offset) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto job = FindJob(*txn, ns, job_name);
  if (!job) throw MakeError(ErrorKind::kNotFound, "job '{}' not found in namespace '{}'", job_name, ns);
  Json runs = Json::array();
  for (const auto &row : txn->Query(fmt::format("SELECT {} FROM dl_lineage_run r JOIN dl_lineage_job j ON j.job_id = "
                                                "r.job_id WHERE r.job_id = ? ORDER BY r.created_ms DESC, r.run_id "
                                                "LIMIT ? OFFSET ?",
                                                kRunColumns),
                                    {job->id, limit, offset})) {
    runs.push_back(RunJson(row));
  }
  auto total = txn->Query("SELECT COUNT(*) FROM dl_lineage_run WHERE job_id = ?", {job->id})[0].Int(0);
  return {{"runs", runs}, {"totalCount", total}};
}

nlohmann::json LineageGraph::Run(const std::string &run_id) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query(
      fmt::format("SELECT {} FROM dl_lineage_run r JOIN dl_lineage_job j ON j.job_id = r.job_id WHERE r.run_id = ?",
                  kRunColumns),
      {run_id});
  if (rows.empty()) throw MakeError(ErrorKind::kNotFound, "run '{}' not found", run_id);
  return RunJson(rows[0]);
}

nlohmann::json LineageGraph::Datasets(const std::string &ns, int64_t limit, int64_t offset) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  Json list = Json::array();
  for (const auto &row : txn->Query(fmt::format("SELECT {} FROM dl_lineage_dataset WHERE namespace = ? ORDER BY name "
                                                "LIMIT ? OFFSET ?",
                                                kDatasetColumns),
                                    {ns, limit, offset})) {
    list.push_back(DatasetJson(ToDataset(row)));
  }
  auto total = txn->Query("SELECT COUNT(*) FROM dl_lineage_dataset WHERE namespace = ?", {ns})[0].Int(0);
  return {{"datasets", list}, {"totalCount", total}};
}

nlohmann::json LineageGraph::Dataset(const std::string &ns, const std::string &name) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto dataset = FindDataset(*txn, ns, name);
  if (!dataset) throw MakeError(ErrorKind::kNotFound, "dataset '{}' not found in namespace '{}'", name, ns);
  return DatasetJson(*dataset);
}

nlohmann::json LineageGraph::DatasetVersions(const std::string &ns, const std::string &name, int64_t limit,
                                             int64_t offset) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto dataset = FindDataset(*txn, ns, name);
  if (!dataset) throw MakeError(ErrorKind::kNotFound, "dataset '{}' not found in namespace '{}'", name, ns);
  Json versions = Json::array();
  auto base = DatasetJson(*dataset);
  for (const auto &row : txn->Query("SELECT version, run_id, created_ms, facets, lifecycle_state FROM "
                                    "dl_lineage_dataset_version WHERE dataset_id = ? ORDER BY created_ms DESC, version "
                                    "LIMIT ? OFFSET ?",
                                    {dataset->id, limit, offset})) {
    auto facets = ParseStoredJson(row.String(3));
    Json created_by = nullptr;
    if (!row.IsNull(1)) {
      auto runs = txn->Query(fmt::format("SELECT {} FROM dl_lineage_run r JOIN dl_lineage_job j ON j.job_id = r.job_id "
                                         "WHERE r.run_id = ?",
                                         kRunColumns),
                             {row.String(1)});
      if (!runs.empty()) created_by = RunJson(runs[0]);
    }
    versions.push_back({{"id", {{"namespace", ns}, {"name", name}, {"version", row.String(0)}}},
                        {"type", "DB_TABLE"},
                        {"name", name},
                        {"physicalName", name},
                        {"createdAt", FormatRfc3339Ms(row.Int(2))},
                        {"version", row.String(0)},
                        {"namespace", ns},
                        {"sourceName", base["sourceName"]},
                        {"fields", Fields(facets)},
                        {"tags", Json::array()},
                        {"lifecycleState", row.IsNull(4) ? Json(nullptr) : Json(row.String(4))},
                        {"description", Description(facets)},
                        {"createdByRun", created_by},
                        {"facets", facets}});
  }
  auto total = txn->Query("SELECT COUNT(*) FROM dl_lineage_dataset_version WHERE dataset_id = ?", {dataset->id})[0].Int(0);
  return {{"versions", versions}, {"totalCount", total}};
}

nlohmann::json LineageGraph::Lineage(const std::string &node_id, int depth) {
  if (depth < 0 || depth > kMaxDepth) throw MakeError(ErrorKind::kInvalidInput, "depth must be 0..{}", kMaxDepth);
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto node = ParseNodeId(*txn, node_id);
  if (node.kind == NodeRef::Kind::kField) {
    throw Error(ErrorKind::kInvalidInput, "the lineage graph is of datasets and jobs; use column-lineage for fields");
  }
  // Jobs within `depth` job-to-job hops of the node, and every dataset they read or write.
  std::set<int64_t> jobs, datasets;
  std::vector<int64_t> frontier_jobs;
  if (node.kind == NodeRef::Kind::kJob) {
    auto job = FindJob(*txn, node.ns, node.name);
    if (!job) throw MakeError(ErrorKind::kNotFound, "no lineage for node '{}'", node_id);
    frontier_jobs.push_back(job->id);
  } else {
    auto dataset = FindDataset(*txn, node.ns, node.name);
    if (!dataset) throw MakeError(ErrorKind::kNotFound, "no lineage for node '{}'", node_id);
    datasets.insert(dataset->id);
    for (const auto &row : txn->Query("SELECT DISTINCT job_id FROM dl_lineage_io WHERE dataset_id = ?", {dataset->id})) {
      frontier_jobs.push_back(row.Int(0));
    }
  }
  std::vector<std::tuple<int64_t, int64_t, bool>> edges;  // job, dataset, is_input
  std::set<std::tuple<int64_t, int64_t, bool>> seen_edges;
  for (int level = 0; !frontier_jobs.empty(); level++) {
    std::vector<int64_t> new_jobs;
    for (auto id : frontier_jobs) {
      if (jobs.insert(id).second) new_jobs.push_back(id);
    }
    if (new_jobs.empty()) break;
    std::vector<int64_t> new_datasets;
    for (const auto &row : QueryIn(*txn, "SELECT job_id, dataset_id, direction FROM dl_lineage_io WHERE job_id IN ",
                                   new_jobs)) {
      auto edge = std::make_tuple(row.Int(0), row.Int(1), row.String(2) == "input");
      if (seen_edges.insert(edge).second) edges.push_back(edge);
      if (datasets.insert(row.Int(1)).second) new_datasets.push_back(row.Int(1));
    }
    frontier_jobs.clear();
    if (level >= depth) break;
    for (const auto &row : QueryIn(*txn, "SELECT DISTINCT job_id FROM dl_lineage_io WHERE dataset_id IN ", new_datasets)) {
      if (!jobs.count(row.Int(0))) frontier_jobs.push_back(row.Int(0));
    }
  }
  auto job_rows = LoadJobs(*txn, std::vector<int64_t>(jobs.begin(), jobs.end()));
  auto dataset_rows = LoadDatasets(*txn, std::vector<int64_t>(datasets.begin(), datasets.end()));
  auto job_json = JobsJson(*txn, job_rows, false);
  std::map<int64_t, std::string> job_ids, dataset_ids;
  for (const auto &job : job_rows) job_ids[job.id] = JobNodeId(job.ns, job.name);
  for (const auto &dataset : dataset_rows) dataset_ids[dataset.id] = DatasetNodeId(dataset.ns, dataset.name);
  std::map<std::string, Json> in_edges, out_edges;
  for (const auto &[job, dataset, is_input] : edges) {
    const auto &job_node = job_ids[job];
    const auto &dataset_node = dataset_ids[dataset];
    if (is_input) {
      out_edges[dataset_node].push_back(Edge(dataset_node, job_node));
      in_edges[job_node].push_back(Edge(dataset_node, job_node));
    } else {
      out_edges[job_node].push_back(Edge(job_node, dataset_node));
      in_edges[dataset_node].push_back(Edge(job_node, dataset_node));
    }
  }
  auto edges_of = [](std::map<std::string, Json> &map, const std::string &id) {
    return map.count(id) ? map[id] : Json::array();
  };
  Json graph = Json::array();
  for (const auto &dataset : dataset_rows) {
    const auto &id = dataset_ids[dataset.id];
    graph.push_back({{"id", id},
                     {"type", "DATASET"},
                     {"data", DatasetJson(dataset)},
                     {"inEdges", edges_of(in_edges, id)},
                     {"outEdges", edges_of(out_edges, id)}});
  }
  for (const auto &job : job_rows) {
    const auto &id = job_ids[job.id];
    graph.push_back({{"id", id},
                     {"type", "JOB"},
                     {"data", job_json[job.id]},
                     {"inEdges", edges_of(in_edges, id)},
                     {"outEdges", edges_of(out_edges, id)}});
  }
  std::sort(graph.begin(), graph.end(), [](const Json &a, const Json &b) { return a["id"] < b["id"]; });
  return {{"graph", graph}};
}

nlohmann::json LineageGraph::ColumnLineage(const std::string &node_id, int depth, bool with_downstream) {
  if (depth < 0 || depth > kMaxDepth) throw MakeError(ErrorKind::kInvalidInput, "depth must be 0..{}", kMaxDepth);
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto node = ParseNodeId(*txn, node_id);
  using Field = std::pair<int64_t, std::string>;  // dataset id, field
  std::set<Field> start;
  if (node.kind == NodeRef::Kind::kJob) {
    auto job = FindJob(*txn, node.ns, node.name);
    if (!job) throw MakeError(ErrorKind::kNotFound, "no lineage for node '{}'", node_id);
    for (const auto &row : txn->Query("SELECT DISTINCT c.dataset_id, c.field FROM dl_lineage_io io JOIN "
                                      "dl_lineage_column c ON c.dataset_id = io.dataset_id WHERE io.job_id = ? AND "
                                      "io.direction = 'output'",
                                      {job->id})) {
      start.emplace(row.Int(0), row.String(1));
    }
  } else {
    auto dataset = FindDataset(*txn, node.ns, node.name);
    if (!dataset) throw MakeError(ErrorKind::kNotFound, "no lineage for node '{}'", node_id);
    if (node.kind == NodeRef::Kind::kField) {
      start.emplace(dataset->id, node.field);
    } else {
      for (const auto &field : Fields(dataset->facets)) start.emplace(dataset->id, field["name"].get<std::string>());
      for (const auto &row : txn->Query("SELECT DISTINCT field FROM dl_lineage_column WHERE dataset_id = ?", {dataset->id})) {
        start.emplace(dataset->id, row.String(0));
      }
    }
  }
  struct ColumnEdge {
    Field output, input;
    Json transformations;
  };
  std::vector<ColumnEdge> edges;
  std::set<std::pair<Field, Field>> seen;
  std::set<Field> nodes(start.begin(), start.end());
  auto walk = [&](bool upstream) {
    std::set<Field> frontier(start.begin(), start.end()), visited(start.begin(), start.end());
    for (int level = 0; level < depth && !frontier.empty(); level++) {
      std::set<Field> next;
      for (const auto &field : frontier) {
        auto rows = txn->Query(upstream ? "SELECT input_dataset_id, input_field, transformations FROM dl_lineage_column "
                                          "WHERE dataset_id = ? AND field = ?"
                                        : "SELECT dataset_id, field, transformations FROM dl_lineage_column WHERE "
                                          "input_dataset_id = ? AND input_field = ?",
                               {field.first, field.second});
        for (const auto &row : rows) {
          Field other{row.Int(0), row.String(1)};
          Field output = upstream ? field : other, input = upstream ? other : field;
          if (seen.insert({output, input}).second) edges.push_back({output, input, ParseStoredJson(row.String(2))});
          nodes.insert(other);
          if (visited.insert(other).second) next.insert(other);
        }
      }
      frontier = std::move(next);
    }
  };
  walk(true);
  if (with_downstream) walk(false);
  if (nodes.empty()) throw MakeError(ErrorKind::kNotFound, "no column lineage for node '{}'", node_id);

  std::set<int64_t> dataset_ids;
  for (const auto &field : nodes) dataset_ids.insert(field.first);
  std::map<int64_t, DatasetRow> datasets;
  for (auto &row : LoadDatasets(*txn, std::vector<int64_t>(dataset_ids.begin(), dataset_ids.end()))) {
    datasets.emplace(row.id, std::move(row));
  }
  auto id_of = [&](const Field &field) {
    const auto &dataset = datasets.at(field.first);
    return FieldNodeId(dataset.ns, dataset.name, field.second);
  };
  auto version_of = [&](int64_t dataset_id) {
    const auto &version = datasets.at(dataset_id).current_version;
    return version ? Json(*version) : Json(nullptr);
  };
  std::map<Field, Json> inputs, in_edges, out_edges;
  for (const auto &edge : edges) {
    const auto &input = datasets.at(edge.input.first);
    Json transformations = edge.transformations.is_array() ? edge.transformations : Json::array();
    Json first = transformations.empty() ? Json::object() : transformations[0];
    inputs[edge.output].push_back({{"namespace", input.ns},
                                   {"dataset", input.name},
                                   {"datasetVersion", version_of(edge.input.first)},
                                   {"field", edge.input.second},
                                   {"transformationDescription", first.value("description", "")},
                                   {"transformationType", first.value("subtype", "")},
                                   {"transformations", transformations}});
    in_edges[edge.output].push_back(Edge(id_of(edge.output), id_of(edge.input)));
    out_edges[edge.input].push_back(Edge(id_of(edge.input), id_of(edge.output)));
  }
  Json graph = Json::array();
  for (const auto &field : nodes) {
    const auto &dataset = datasets.at(field.first);
    Json field_type = nullptr;
    for (const auto &candidate : Fields(dataset.facets)) {
      if (candidate["name"] == field.second) field_type = candidate["type"];
    }
    graph.push_back({{"id", id_of(field)},
                     {"type", "DATASET_FIELD"},
                     {"data",
                      {{"namespace", dataset.ns},
                       {"dataset", dataset.name},
                       {"datasetVersion", version_of(field.first)},
                       {"field", field.second},
                       {"fieldType", field_type},
                       {"transformationDescription", nullptr},
                       {"transformationType", nullptr},
                       {"inputFields", inputs.count(field) ? inputs[field] : Json::array()}}},
                     {"inEdges", in_edges.count(field) ? in_edges[field] : Json::array()},
                     {"outEdges", out_edges.count(field) ? out_edges[field] : Json::array()}});
  }
  return {{"graph", graph}};
}

nlohmann::json LineageGraph::Search(const std::string &query, const std::string &filter, const std::string &sort,
                                    int64_t limit, const std::optional<std::string> &ns) {
  if (!filter.empty() && filter != "DATASET" && filter != "JOB") {
    throw Error(ErrorKind::kInvalidInput, "filter must be DATASET or JOB");
  }
  if (sort != "NAME" && sort != "UPDATE_AT") throw Error(ErrorKind::kInvalidInput, "sort must be NAME or UPDATE_AT");
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto pattern = LikeContains(query);
  std::vector<std::tuple<std::string, std::string, std::string, int64_t>> hits;  // type, ns, name, updated
  auto collect = [&](const char *type, const char *table) {
    std::string sql = fmt::format("SELECT namespace, name, updated_ms FROM {} WHERE lower(name) LIKE ? ESCAPE '\\'", table);
    std::vector<SqlValue> params{pattern};
    if (ns) {
      sql += " AND namespace = ?";
      params.push_back(*ns);
    }
    sql += sort == "NAME" ? " ORDER BY name" : " ORDER BY updated_ms DESC";
    sql += " LIMIT ?";
    params.push_back(limit);
    for (const auto &row : txn->Query(sql, params)) hits.emplace_back(type, row.String(0), row.String(1), row.Int(2));
  };
  if (filter.empty() || filter == "DATASET") collect("DATASET", "dl_lineage_dataset");
  if (filter.empty() || filter == "JOB") collect("JOB", "dl_lineage_job");
  std::sort(hits.begin(), hits.end(), [&](const auto &a, const auto &b) {
    if (sort == "NAME") return std::tie(std::get<2>(a), std::get<1>(a)) < std::tie(std::get<2>(b), std::get<1>(b));
    return std::get<3>(a) > std::get<3>(b);
  });
  int64_t total = 0;
  auto count = [&](const char *table) {
    std::string sql = fmt::format("SELECT COUNT(*) FROM {} WHERE lower(name) LIKE ? ESCAPE '\\'", table);
    std::vector<SqlValue> params{pattern};
    if (ns) {
      sql += " AND namespace = ?";
      params.push_back(*ns);
    }
    total += txn->Query(sql, params)[0].Int(0);
  };
  if (filter.empty() || filter == "DATASET") count("dl_lineage_dataset");
  if (filter.empty() || filter == "JOB") count("dl_lineage_job");
  if (hits.size() > static_cast<size_t>(limit)) hits.resize(limit);
  Json results = Json::array();
  for (const auto &[type, hit_ns, name, updated] : hits) {
    results.push_back({{"type", type},
                       {"name", name},
                       {"updatedAt", FormatRfc3339Ms(updated)},
                       {"namespace", hit_ns},
                       {"nodeId", type == "DATASET" ? DatasetNodeId(hit_ns, name) : JobNodeId(hit_ns, name)}});
  }
  return {{"totalCount", total}, {"results", results}};
}

LineageCounts LineageGraph::Counts(const std::string &ns, const std::string &name) {
  CatchUp();
  auto txn = meta_.Begin(TransactionMode::kRead);
  LineageCounts counts;
  counts.node_id = DatasetNodeId(ns, name);
  auto dataset = FindDataset(*txn, ns, name);
  if (!dataset) return counts;
  for (const auto &row : txn->Query("SELECT direction, COUNT(*) FROM dl_lineage_io WHERE dataset_id = ? GROUP BY direction",
                                    {dataset->id})) {
    (row.String(0) == "output" ? counts.upstream_jobs : counts.downstream_jobs) = row.Int(1);
  }
  return counts;
}

nlohmann::json LineageGraph::EventPage(std::optional<int64_t> after_ms, std::optional<int64_t> before_ms,
                                       int64_t limit, int64_t offset) {
  std::string where = " WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (after_ms) {
    where += " AND event_ms >= ?";
    params.push_back(*after_ms);
  }
  if (before_ms) {
    where += " AND event_ms <= ?";
    params.push_back(*before_ms);
  }
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto total = txn->Query("SELECT COUNT(*) FROM dl_lineage_event" + where, params)[0].Int(0);
  params.push_back(limit);
  params.push_back(offset);
  nlohmann::json events = nlohmann::json::array();
  for (const auto &row : txn->Query("SELECT payload FROM dl_lineage_event" + where +
                                        " ORDER BY event_ms DESC, event_id DESC LIMIT ? OFFSET ?",
                                    params)) {
    events.push_back(nlohmann::json::parse(row.String(0)));
  }
  return {{"events", events}, {"totalCount", total}};
}

nlohmann::json LineageGraph::EventFeed(const EventFeedQuery &query) {
  std::string sql = "SELECT event_id, origin, received_ms, payload FROM dl_lineage_event WHERE event_id > ?";
  std::vector<SqlValue> params{query.after};
  if (query.run_id) {
    sql += " AND run_id = ?";
    params.push_back(*query.run_id);
  }
  if (query.origin) {
    if (*query.origin != LineageRecorder::kOwnEvent && *query.origin != LineageRecorder::kExternalEvent) {
      throw Error(ErrorKind::kInvalidInput, "origin must be ducklake or external");
    }
    sql += " AND origin = ?";
    params.push_back(*query.origin);
  }
  sql += " ORDER BY event_id LIMIT ?";
  params.push_back(query.limit);
  auto txn = meta_.Begin(TransactionMode::kRead);
  nlohmann::json events = nlohmann::json::array();
  int64_t last = query.after;
  for (const auto &row : txn->Query(sql, params)) {
    last = row.Int(0);
    events.push_back({{"event_id", last},
                      {"origin", row.String(1)},
                      {"received_at", FormatRfc3339Ms(row.Int(2))},
                      {"event", nlohmann::json::parse(row.String(3))}});
  }
  return {{"events", events},
          {"next_after", static_cast<int64_t>(events.size()) == query.limit ? nlohmann::json(last) : nlohmann::json()}};
}

}  // namespace ducklake
