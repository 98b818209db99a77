// Lineage: events DuckLake builds (checked against the spec's schemas, facet by facet), the validator
// of other tools' events, COMPLETE kept only with its commit, the graph events build, and delivery
// (order, retries, rejected events, one server at a time, the HTTP sink against a real server).

#include <httplib.h>

#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "backends.hpp"
#include "tables/job_lineage.hpp"
#include "catalog/table_format.hpp"
#include "lineage/event_validator.hpp"
#include "lineage/events.hpp"
#include "lineage/forwarder.hpp"
#include "lineage/lineage_graph.hpp"
#include "lineage/recorder.hpp"
#include "storage/local_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using nlohmann::json;
using testing::MetaBackend;
using testing::TempDir;
using testing::FailingCommit;

const std::string kSpecDir = std::string(DUCKLAKE_SOURCE_DIR) + "/src/lineage/spec";

json ReadJson(const std::string &path) {
  std::ifstream in(path);
  return json::parse(in);
}

// The spec's facet schemas by $id, and a validator of one facet against the definition its
// _schemaURL names (which refer to the core schema by its $id: both are resolved locally).
class FacetSchemas {
 public:
  FacetSchemas() {
    documents_["https://openlineage.io/spec/2-0-2/OpenLineage.json"] = ReadJson(kSpecDir + "/OpenLineage.json");
    for (const auto &entry : std::filesystem::directory_iterator(kSpecDir + "/facets")) {
      auto schema = ReadJson(entry.path().string());
      documents_[schema["$id"].get<std::string>()] = schema;
    }
  }

  // Empty when `facet` is valid; else what is wrong.
  std::string Check(const json &facet) {
    auto url = facet.at("_schemaURL").get<std::string>();
    auto hash = url.find('#');
    auto document = url.substr(0, hash);
    auto name = url.substr(url.rfind('/') + 1);
    if (!documents_.count(document)) return "unknown facet schema " + document;
    json wrapper = documents_[document];
    wrapper.erase("properties");
    wrapper["$ref"] = "#/$defs/" + name;
    valijson::Schema schema;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(wrapper);
    auto fetch = [this](const std::string &uri) -> const json * {
      auto it = documents_.find(uri);
      return it == documents_.end() ? nullptr : new json(it->second);
    };
    parser.populateSchema(adapter, schema, std::function<const json *(const std::string &)>(fetch),
                          std::function<void(const json *)>([](const json *doc) { delete doc; }));
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(facet);
    if (validator.validate(schema, target, &results)) return "";
    valijson::ValidationResults::Error error;
    std::string message;
    while (results.popError(error)) message += error.description + "; ";
    return message;
  }

 private:
  std::map<std::string, json> documents_;
};

void ExpectValid(const json &event, FacetSchemas &facets) {
  EventValidator().Validate(event);  // throws with the reason
  auto check_all = [&](const json &group, const std::string &where) {
    for (const auto &[name, facet] : group.items()) {
      EXPECT_EQ(facets.Check(facet), "") << where << " facet " << name;
    }
  };
  check_all(event["run"]["facets"], "run");
  check_all(event["job"]["facets"], "job");
  for (const char *side : {"inputs", "outputs"}) {
    for (const auto &dataset : event[side]) {
      for (const char *group : {"facets", "inputFacets", "outputFacets"}) {
        if (dataset.contains(group)) check_all(dataset[group], dataset["name"].get<std::string>() + "." + group);
      }
    }
  }
}

JobRun SampleRun() {
  JobRun run = NewJobRun("create_table_as.sales.report", "QUERY", CommitInfo{});
  run.sql = "CREATE TABLE sales.report AS SELECT ...";
  run.run_id = NewUuid();
  auto orders = TableDataset("sales", "orders");
  orders.snapshot_id = 4;
  run.inputs.push_back(orders);
  LineageDataset file;
  file.kind = LineageDataset::Kind::kObject;
  file.ns = "s3://bucket";
  file.name = "lake/volumes/drops/in.csv";
  file.etag = "abc";
  file.file_format = "csv";
  run.inputs.push_back(file);
  auto report = TableDataset("sales", "report");
  report.columns = {ColumnDef{1, "who", "varchar"}, ColumnDef{2, "total", "decimal(18,2)"}};
  report.columns[1].children.push_back(ColumnDef{3, "element", "int64"});
  report.snapshot_id = 5;
  report.rows = 10;
  report.bytes = 1234;
  report.lifecycle = "RENAME";
  report.previous_name = "sales.old_report";
  report.location_ns = "s3://bucket";
  report.location_name = "lake/warehouse/sales/report/";
  report.column_lineage["who"] = {{0, "customer", "DIRECT", "IDENTITY", false}};
  report.column_lineage["total"] = {{0, "amount", "DIRECT", "AGGREGATION", false}, {1, "x", "DIRECT", "TRANSFORMATION", true}};
  report.dataset_lineage = {{0, "region", "INDIRECT", "FILTER", false}};
  run.outputs.push_back(report);
  return run;
}

TEST(LineageEventsTest, EveryEventKindValidatesAgainstTheSpecAndItsFacets) {
  FacetSchemas facets;
  auto run = SampleRun();
  for (const char *type : {"START", "COMPLETE", "FAIL"}) {
    auto event = BuildRunEvent(run, type, 1764000000000, LakeNamespace("lake1"), "boom");
    SCOPED_TRACE(type);
    ExpectValid(event, facets);
    EXPECT_EQ(event["eventType"], type);
    EXPECT_EQ(event["job"]["namespace"], "ducklake://lake1");
    const auto &report = event["outputs"][0];
    EXPECT_EQ(report["name"], "sales.report");
    EXPECT_EQ(report["facets"]["version"]["datasetVersion"], "5");
    EXPECT_EQ(report["facets"]["lifecycleStateChange"]["previousIdentifier"]["name"], "sales.old_report");
    EXPECT_EQ(report["facets"]["columnLineage"]["fields"]["total"]["inputFields"][1]["namespace"], "s3://bucket");
    EXPECT_EQ(report["facets"]["columnLineage"]["fields"]["total"]["inputFields"][1]["transformations"][0]["masking"], true);
    EXPECT_EQ(report.contains("outputFacets"), std::string(type) == "COMPLETE");
    EXPECT_EQ(event["run"]["facets"].contains("errorMessage"), std::string(type) == "FAIL");
  }
  // Facets are checked for real: a broken one fails.
  auto event = BuildRunEvent(run, "COMPLETE", 1764000000000, LakeNamespace("lake1"));
  event["outputs"][0]["facets"]["version"].erase("datasetVersion");
  EXPECT_NE(facets.Check(event["outputs"][0]["facets"]["version"]), "");
}

TEST(LineageEventsTest, TheValidatorSaysWhatIsWrong) {
  EventValidator validator;
  auto good = BuildRunEvent(SampleRun(), "START", 1764000000000, LakeNamespace("x"));
  validator.Validate(good);
  auto expect_refused = [&](json event, const std::string &words) {
    try {
      validator.Validate(event);
      ADD_FAILURE() << "accepted: " << event.dump();
    } catch (const Error &error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
  };
  auto without_time = good;
  without_time.erase("eventTime");
  expect_refused(without_time, "not a valid OpenLineage");
  auto bad_time = good;
  bad_time["eventTime"] = "noon";
  expect_refused(bad_time, "eventTime");
  auto bad_run = good;
  bad_run["run"]["runId"] = "1234";
  expect_refused(bad_run, "runId");
  auto bad_type = good;
  bad_type["eventType"] = "DONE";
  expect_refused(bad_type, "eventType");
  auto bad_dataset = good;
  bad_dataset["inputs"][0].erase("namespace");
  expect_refused(bad_dataset, "namespace");
  expect_refused(json::array({good}), "JSON object");
  json dataset_event = {{"eventTime", "2026-12-01T00:00:00Z"}, {"producer", "https://x"},
                        {"schemaURL", kOpenLineageSchemaUrl}, {"dataset", {{"namespace", "n"}, {"name", "d"}}}};
  validator.Validate(dataset_event);
}

// --- kept with the commit ----------------------------------------------------------------------------

class LineageTest : public ::testing::TestWithParam<MetaBackend> {
 protected:
  void SetUp() override {
    meta_ = GetParam().open(dir_.path());
    MigrateMetaStore(*meta_);
  }

  // (job name, event type) of every event kept, in order.
  std::vector<std::pair<std::string, std::string>> Kept() {
    auto txn = meta_->Begin(TransactionMode::kRead);
    std::vector<std::pair<std::string, std::string>> kept;
    for (const auto &row : txn->Query("SELECT job_name, event_type FROM dl_lineage_event ORDER BY event_id")) {
      kept.emplace_back(row.String(0), row.String(1));
    }
    return kept;
  }

  json Event(int64_t id) {
    auto txn = meta_->Begin(TransactionMode::kRead);
    return json::parse(txn->Query("SELECT payload FROM dl_lineage_event WHERE event_id = ?", {id})[0].String(0));
  }

  TempDir dir_;
  std::unique_ptr<MetaStore> meta_;
};

TEST_P(LineageTest, CompleteIsKeptInTheCommitsTransactionOrNotAtAll) {
  FailingCommit failing(*meta_);
  TableFormat format(failing);
  LocalStore store(dir_.path() + "/objects");
  LineageRecorder recorder(failing, "lake1");
  CommitInfo commit;
  format.commits.CreateNamespace("sales", commit);
  auto create = [&] {
    auto run = NewJobRun("create_table.sales.t", "DDL", commit);
    run.outputs.push_back(TableDataset("sales", "t"));
    return RunWithLineage(&recorder, store, run, commit, [&](const CommitInfo &with_lineage) {
      failing.armed = true;  // the snapshot's own transaction fails at COMMIT
      return format.commits.CreateTable("sales", "t", {ColumnDef{0, "id", "int64"}}, with_lineage);
    });
  };
  EXPECT_ERROR_KIND(create(), ErrorKind::kConflict);
  EXPECT_FALSE(format.catalog.FindTable("sales", "t", format.history.LatestSnapshot()));
  EXPECT_EQ(Kept(), (std::vector<std::pair<std::string, std::string>>{{"create_table.sales.t", "START"},
                                                                        {"create_table.sales.t", "FAIL"}}));
  EXPECT_EQ(Event(2)["run"]["facets"]["errorMessage"]["message"], "injected: the commit failed");

  auto run = NewJobRun("create_table.sales.t", "DDL", commit);
  run.outputs.push_back(TableDataset("sales", "t"));
  auto result = RunWithLineage(&recorder, store, run, commit, [&](const CommitInfo &with_lineage) {
    return format.commits.CreateTable("sales", "t", {ColumnDef{0, "id", "int64"}}, with_lineage);
  });
  ASSERT_EQ(Kept().size(), 4u);
  auto complete = Event(4);
  EXPECT_EQ(complete["eventType"], "COMPLETE");
  EXPECT_EQ(complete["outputs"][0]["facets"]["version"]["datasetVersion"], std::to_string(result.snapshot_id));
  EXPECT_EQ(complete["outputs"][0]["facets"]["lifecycleStateChange"]["lifecycleStateChange"], "CREATE");
  EXPECT_EQ(complete["outputs"][0]["facets"]["schema"]["fields"][0]["name"], "id");
  EXPECT_EQ(complete["outputs"][0]["facets"]["symlinks"]["identifiers"][0]["namespace"], "file");
}

TEST_P(LineageTest, ALongJobHasItsStartKeptWhileItRunsAndAQuickOneWithItsEnd) {
  TableFormat format(*meta_);
  LocalStore store(dir_.path() + "/objects");
  CommitInfo commit;
  format.commits.CreateNamespace("sales", commit);
  auto create = [&](LineageRecorder &recorder, const std::string &table, const std::function<void()> &while_running) {
    auto run = NewJobRun("create_table.sales." + table, "DDL", commit);
    run.outputs.push_back(TableDataset("sales", table));
    RunWithLineage(&recorder, store, run, commit, [&](const CommitInfo &with_lineage) {
      while_running();
      return format.commits.CreateTable("sales", table, {ColumnDef{0, "id", "int64"}}, with_lineage);
    });
  };
  {
    LineageRecorder recorder(*meta_, "lake1", std::chrono::milliseconds(20));
    // The job goes on only once its START is in the log, kept on its own.
    create(recorder, "slow", [&] {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (Kept().empty()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "START was not kept while the job ran";
        std::this_thread::yield();
      }
      EXPECT_EQ(Kept(), (std::vector<std::pair<std::string, std::string>>{{"create_table.sales.slow", "START"}}));
    });
  }
  {
    LineageRecorder recorder(*meta_, "lake1", std::chrono::hours(1));
    create(recorder, "quick", [] {});
  }
  // Each run: one START, then its end, in that order in the log.
  EXPECT_EQ(Kept(), (std::vector<std::pair<std::string, std::string>>{{"create_table.sales.slow", "START"},
                                                                        {"create_table.sales.slow", "COMPLETE"},
                                                                        {"create_table.sales.quick", "START"},
                                                                        {"create_table.sales.quick", "COMPLETE"}}));
  EXPECT_EQ(Event(1)["run"]["runId"], Event(2)["run"]["runId"]);
}

TEST_P(LineageTest, EventsBuildTheGraphMarquezServes) {
  LineageRecorder recorder(*meta_, "lake1");
  LineageGraph graph(*meta_);
  auto record = [&](const json &event) {
    auto txn = meta_->Begin(TransactionMode::kWrite);
    recorder.Record(*txn, event, LineageRecorder::kExternalEvent);
    txn->Commit();
  };
  auto dataset = [](const std::string &ns, const std::string &name, json facets = json::object()) {
    return json{{"namespace", ns}, {"name", name}, {"facets", facets}};
  };
  auto run_event = [](const std::string &type, const std::string &run_id, const std::string &job, json inputs,
                      json outputs, const std::string &time) {
    return json{{"eventType", type},     {"eventTime", time},       {"producer", "https://x"},
                {"schemaURL", kOpenLineageSchemaUrl}, {"run", {{"runId", run_id}}}, {"job", {{"namespace", "etl"}, {"name", job}}},
                {"inputs", inputs},      {"outputs", outputs}};
  };
  const std::string pg = "postgres://db:5432";
  auto run1 = NewUuid();
  json lineage_facet = {{"_producer", "https://x"},
                        {"_schemaURL", "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"},
                        {"fields", {{"total", {{"inputFields", json::array({{{"namespace", pg}, {"name", "db.orders"}, {"field", "amount"},
                                                                             {"transformations", json::array({{{"type", "DIRECT"}, {"subtype", "AGGREGATION"}}})}}})}}}}}};
  record(run_event("START", run1, "load", json::array({dataset(pg, "db.orders")}), json::array(), "2026-12-01T10:00:00Z"));
  record(run_event("COMPLETE", run1, "load", json::array({dataset(pg, "db.orders")}),
                   json::array({dataset("ducklake://lake1", "sales.totals", {{"columnLineage", lineage_facet}})}),
                   "2026-12-01T10:00:02.5Z"));
  auto run2 = NewUuid();
  record(run_event("FAIL", run2, "report", json::array({dataset("ducklake://lake1", "sales.totals")}), json::array(),
                   "2026-12-01T11:00:00Z"));

  auto jobs = graph.Jobs("etl", 100, 0);
  ASSERT_EQ(jobs["totalCount"], 2);
  auto load = graph.Job("etl", "load");
  EXPECT_EQ(load["latestRun"]["state"], "COMPLETED");
  EXPECT_EQ(load["latestRun"]["durationMs"], 2500);
  EXPECT_EQ(load["outputs"][0]["name"], "sales.totals");
  EXPECT_EQ(graph.Job("etl", "report")["latestRun"]["state"], "FAILED");
  auto versions = graph.DatasetVersions("ducklake://lake1", "sales.totals", 10, 0);
  ASSERT_EQ(versions["totalCount"], 1);
  EXPECT_EQ(versions["versions"][0]["version"], run1);  // no version facet: the run's id

  // Node ids whose namespaces are URIs with ports.
  auto lineage = graph.Lineage("dataset:" + pg + ":db.orders", 5);
  std::set<std::string> ids;
  for (const auto &node : lineage["graph"]) ids.insert(node["id"]);
  EXPECT_EQ(ids, (std::set<std::string>{"dataset:" + pg + ":db.orders", "job:etl:load", "job:etl:report",
                                        "dataset:ducklake://lake1:sales.totals"}));
  auto columns = graph.ColumnLineage("datasetField:ducklake://lake1:sales.totals:total", 3, false);
  ASSERT_EQ(columns["graph"].size(), 2u);
  auto search = graph.Search("ORDERS", "", "NAME", 10, std::nullopt);
  ASSERT_EQ(search["totalCount"], 1);
  EXPECT_EQ(search["results"][0]["nodeId"], "dataset:" + pg + ":db.orders");
  auto counts = graph.Counts("ducklake://lake1", "sales.totals");
  EXPECT_EQ(counts.upstream_jobs, 1);
  EXPECT_EQ(counts.downstream_jobs, 1);
  EXPECT_ERROR_KIND(graph.Lineage("dataset:nowhere:x", 1), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(graph.Lineage("table:x", 1), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(graph.Lineage("job:etl:load", LineageGraph::kMaxDepth + 1), ErrorKind::kInvalidInput);
}

// --- delivery ------------------------------------------------------------------------------------

// Fault injection: refuses the first `failures` deliveries (unreachable), rejects event `rejected`
// for good; records what it took.
class FlakySink : public LineageSink {
 public:
  FlakySink(std::string name, int failures, int64_t rejected, std::vector<int64_t> &taken, std::mutex &mutex)
      : name_(std::move(name)), failures_(failures), rejected_(rejected), taken_(taken), mutex_(mutex) {}
  std::string Name() const override { return name_; }
  void Deliver(int64_t event_id, const std::string &) override {
    if (failures_ > 0) {
      failures_--;
      throw Error(ErrorKind::kUnavailable, "injected: endpoint unreachable");
    }
    if (event_id == rejected_) throw Error(ErrorKind::kInvalidInput, "injected: endpoint rejects this event");
    std::lock_guard<std::mutex> lock(mutex_);
    taken_.push_back(event_id);
  }

 private:
  std::string name_;
  int failures_;
  int64_t rejected_;
  std::vector<int64_t> &taken_;
  std::mutex &mutex_;
};

TEST_P(LineageTest, TheForwarderDeliversInOrderRetriesAndSkipsWhatIsRejected) {
  LineageRecorder recorder(*meta_, "lake1");
  std::vector<int64_t> taken;
  std::mutex mutex;
  ForwarderOptions options;
  options.poll_ms = 10;
  options.retry_min_ms = 5;
  options.retry_max_ms = 20;
  options.batch = 3;
  std::vector<std::unique_ptr<LineageSink>> sinks;
  sinks.push_back(std::make_unique<FlakySink>("flaky", 4, 5, taken, mutex));
  // Two servers share the database: each drains the sink only while it holds the lease.
  std::vector<std::unique_ptr<LineageSink>> other_sinks;
  other_sinks.push_back(std::make_unique<FlakySink>("flaky", 0, 5, taken, mutex));
  LineageForwarder forwarder(*meta_, std::move(sinks), options);
  LineageForwarder other(*meta_, std::move(other_sinks), options);
  for (int i = 0; i < 5; i++) {
    JobRun run = NewJobRun("job" + std::to_string(i), "QUERY", CommitInfo{});
    recorder.Start(run);
    recorder.Complete(run);  // START and COMPLETE: events 2i+1, 2i+2
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (forwarder.Status()[0].delivered_through < 10) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "not delivered in 30 s";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(taken, (std::vector<int64_t>{1, 2, 3, 4, 6, 7, 8, 9, 10}));  // in order, 5 skipped, none twice
  EXPECT_EQ(forwarder.Status()[0].pending, 0);
}

TEST(HttpSinkTest, PostsEachEventWithTheTokenAndSortsFailures) {
  httplib::Server endpoint;
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> received;  // Authorization, body
  int status = 201;
  endpoint.Post("/api/v1/lineage", [&](const httplib::Request &request, httplib::Response &response) {
    std::lock_guard<std::mutex> lock(mutex);
    received.emplace_back(request.get_header_value("Authorization"), request.body);
    response.status = status;
  });
  endpoint.set_keep_alive_max_count(1);  // stop() need not wait out an idle keep-alive connection
  int port = endpoint.bind_to_any_port("127.0.0.1");
  // Bound already: connections wait in the backlog until the accept loop runs.
  std::thread serving([&] { endpoint.listen_after_bind(); });
  auto sink = MakeHttpSink("http://127.0.0.1:" + std::to_string(port) + "/", "tok", 5000);
  sink->Deliver(1, R"({"a":1})");
  status = 500;
  EXPECT_ERROR_KIND(sink->Deliver(2, "{}"), ErrorKind::kUnavailable);
  status = 429;
  EXPECT_ERROR_KIND(sink->Deliver(3, "{}"), ErrorKind::kUnavailable);
  status = 400;
  EXPECT_ERROR_KIND(sink->Deliver(4, "{}"), ErrorKind::kInvalidInput);
  endpoint.stop();
  serving.join();
  ASSERT_EQ(received.size(), 4u);
  EXPECT_EQ(received[0], std::make_pair(std::string("Bearer tok"), std::string(R"({"a":1})")));
  EXPECT_ERROR_KIND(sink->Deliver(5, "{}"), ErrorKind::kUnavailable);  // nobody listening
}

INSTANTIATE_TEST_SUITE_P(Backends, LineageTest, ::testing::ValuesIn(testing::MetaBackends()),
                         [](const ::testing::TestParamInfo<MetaBackend> &info) { return info.param.name; });

}  // namespace
}  // namespace ducklake
