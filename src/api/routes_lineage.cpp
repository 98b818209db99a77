// Lineage: OpenLineage events in (POST /api/v1/lineage), the lineage graph out in Marquez's shapes,
// DuckLake's event log and delivery status, and a Marquez-compatible surface under /marquez so
// Marquez clients and its web UI work against DuckLake.

#include "api/http.hpp"
#include "common/time.hpp"

namespace ducklake {
namespace {

constexpr int kDefaultDepth = 20;

std::string NodeIdParam(const RequestContext &ctx) {
  auto node_id = ctx.QueryParam("nodeId");
  if (!node_id || node_id->empty()) throw Error(ErrorKind::kInvalidInput, "nodeId is required");
  return *node_id;
}

void AcceptEvent(RequestContext &ctx, Services &services) {
  auto event = ctx.JsonBody();
  services.validator.Validate(event);
  ctx.SendJson(201, {{"event_id", services.lineage.RecordExternal(std::move(event))}});
}

// The routes Marquez has, under `prefix` ("/api/v1" for DuckLake's own, "/marquez/api/v1").
std::vector<Route> GraphRoutes(Services &services, const std::string &prefix) {
  LineageGraph &graph = services.graph;
  return {
      {"POST", prefix + "/lineage", [&services](RequestContext &ctx) { AcceptEvent(ctx, services); }},
      {"GET", prefix + "/lineage",
       [&graph](RequestContext &ctx) {
         int depth = static_cast<int>(IntegerParam(ctx, "depth", kDefaultDepth, 0, LineageGraph::kMaxDepth));
         ctx.SendJson(200, graph.Lineage(NodeIdParam(ctx), depth));
       }},
      {"GET", prefix + "/column-lineage",
       [&graph](RequestContext &ctx) {
         int depth = static_cast<int>(IntegerParam(ctx, "depth", kDefaultDepth, 0, LineageGraph::kMaxDepth));
         ctx.SendJson(200, graph.ColumnLineage(NodeIdParam(ctx), depth, OptionalBoolParam(ctx, "withDownstream").value_or(false)));
       }},
  };
}

std::vector<Route> MarquezRoutes(Services &services) {
  LineageGraph &graph = services.graph;
  const std::string prefix = "/marquez/api/v1";
  auto limit = [](const RequestContext &ctx) { return IntegerParam(ctx, "limit", 100, 0, LineageGraph::kMaxPage); };
  auto offset = [](const RequestContext &ctx) { return IntegerParam(ctx, "offset", 0, 0, INT64_MAX); };
  auto routes = GraphRoutes(services, prefix);
  std::vector<Route> more = {
      {"GET", prefix + "/namespaces", [&graph](RequestContext &ctx) { ctx.SendJson(200, graph.Namespaces()); }},
      {"GET", prefix + "/namespaces/{ns}",
       [&graph](RequestContext &ctx) { ctx.SendJson(200, graph.Namespace(ctx.Param("ns"))); }},
      {"GET", prefix + "/namespaces/{ns}/jobs",
       [&graph, limit, offset](RequestContext &ctx) {
         ctx.SendJson(200, graph.Jobs(ctx.Param("ns"), limit(ctx), offset(ctx)));
       }},
      {"GET", prefix + "/namespaces/{ns}/jobs/{job}",
       [&graph](RequestContext &ctx) { ctx.SendJson(200, graph.Job(ctx.Param("ns"), ctx.Param("job"))); }},
      {"GET", prefix + "/namespaces/{ns}/jobs/{job}/runs",
       [&graph, limit, offset](RequestContext &ctx) {
         ctx.SendJson(200, graph.Runs(ctx.Param("ns"), ctx.Param("job"), limit(ctx), offset(ctx)));
       }},
      {"GET", prefix + "/jobs/runs/{run}", [&graph](RequestContext &ctx) { ctx.SendJson(200, graph.Run(ctx.Param("run"))); }},
      {"GET", prefix + "/namespaces/{ns}/datasets",
       [&graph, limit, offset](RequestContext &ctx) {
         ctx.SendJson(200, graph.Datasets(ctx.Param("ns"), limit(ctx), offset(ctx)));
       }},
      {"GET", prefix + "/namespaces/{ns}/datasets/{ds}",
       [&graph](RequestContext &ctx) { ctx.SendJson(200, graph.Dataset(ctx.Param("ns"), ctx.Param("ds"))); }},
      {"GET", prefix + "/namespaces/{ns}/datasets/{ds}/versions",
       [&graph, limit, offset](RequestContext &ctx) {
         ctx.SendJson(200, graph.DatasetVersions(ctx.Param("ns"), ctx.Param("ds"), limit(ctx), offset(ctx)));
       }},
      // The event log as Marquez's web UI pages it: newest first.
      {"GET", prefix + "/events/lineage",
       [&services, limit, offset](RequestContext &ctx) {
         auto txn = services.meta.Begin(TransactionMode::kRead);
         std::string where = " WHERE 1 = 1";
         std::vector<SqlValue> params;
         if (auto after = ctx.QueryParam("after")) {
           where += " AND event_ms >= ?";
           params.push_back(ParseRfc3339Ms(*after, "after"));
         }
         if (auto before = ctx.QueryParam("before")) {
           where += " AND event_ms <= ?";
           params.push_back(ParseRfc3339Ms(*before, "before"));
         }
         auto total = txn->Query("SELECT COUNT(*) FROM dl_lineage_event" + where, params)[0].Int(0);
         params.push_back(limit(ctx));
         params.push_back(offset(ctx));
         nlohmann::json events = nlohmann::json::array();
         for (const auto &row : txn->Query("SELECT payload FROM dl_lineage_event" + where +
                                               " ORDER BY event_ms DESC, event_id DESC LIMIT ? OFFSET ?",
                                           params)) {
           events.push_back(nlohmann::json::parse(row.String(0)));
         }
         ctx.SendJson(200, {{"events", events}, {"totalCount", total}});
       }},
      {"GET", prefix + "/search",
       [&graph](RequestContext &ctx) {
         auto query = ctx.QueryParam("q");
         if (!query || query->empty()) throw Error(ErrorKind::kInvalidInput, "q is required");
         ctx.SendJson(200, graph.Search(*query, ctx.QueryParam("filter").value_or(""),
                                        ctx.QueryParam("sort").value_or("NAME"),
                                        IntegerParam(ctx, "limit", 10, 1, LineageGraph::kMaxPage),
                                        ctx.QueryParam("namespace")));
       }},
  };
  for (auto &route : more) routes.push_back(std::move(route));
  return routes;
}

}  // namespace

nlohmann::json LineageLink(LineageGraph &graph, const std::string &ns, const std::string &name) {
  auto counts = graph.Counts(ns, name);
  return {{"node_id", counts.node_id},
          {"upstream_jobs", counts.upstream_jobs},
          {"downstream_jobs", counts.downstream_jobs},
          {"graph", "/api/v1/lineage?nodeId=" + httplib::detail::encode_query_param(counts.node_id)}};
}

LineageDataset ObjectDataset(FileService &files, const std::string &volume, const std::string &key,
                             const std::optional<ObjectRecord> &object, const std::string &content_type) {
  auto location = files.Location(volume, key);
  LineageDataset dataset;
  dataset.kind = LineageDataset::Kind::kObject;
  dataset.ns = location.ns;
  dataset.name = location.name;
  dataset.volume = volume;
  dataset.key = key;
  dataset.content_type = object ? object->content_type : content_type;
  if (object) {
    dataset.etag = object->etag;
    dataset.bytes = static_cast<int64_t>(object->size);
  }
  // The storage facet's format: the content type's subtype ("text/csv" -> "csv").
  auto slash = dataset.content_type.find('/');
  if (slash != std::string::npos) {
    auto format = dataset.content_type.substr(slash + 1);
    format = format.substr(0, format.find(';'));
    if (format.rfind("x-", 0) == 0) format = format.substr(2);
    if (format == "vnd.apache.parquet") format = "parquet";
    dataset.file_format = format;
  }
  return dataset;
}

std::optional<std::string> JobNameField(const nlohmann::json &value) {
  if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'job' must be a string");
  auto name = value.get<std::string>();
  bool valid = !name.empty() && name.size() <= 255 &&
               std::none_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
  if (!valid) throw Error(ErrorKind::kInvalidInput, "a job name is 1 to 255 characters, none of them control characters");
  return name;
}

std::vector<Route> LineageRoutes(Services &services, const Config &config) {
  auto routes = GraphRoutes(services, "/api/v1");
  std::vector<Route> own = {
      // The event log, oldest first: DuckLake's own events and those other tools sent.
      {"GET", "/api/v1/lineage/events",
       [&services](RequestContext &ctx) {
         auto after = IntegerParam(ctx, "after", 0, 0, INT64_MAX);
         auto limit = IntegerParam(ctx, "limit", 100, 1, LineageGraph::kMaxPage);
         std::string sql = "SELECT event_id, origin, received_ms, payload FROM dl_lineage_event WHERE event_id > ?";
         std::vector<SqlValue> params{after};
         if (auto run = ctx.QueryParam("run_id")) {
           sql += " AND run_id = ?";
           params.push_back(*run);
         }
         if (auto origin = ctx.QueryParam("origin")) {
           if (*origin != LineageRecorder::kOwnEvent && *origin != LineageRecorder::kExternalEvent) {
             throw Error(ErrorKind::kInvalidInput, "origin must be ducklake or external");
           }
           sql += " AND origin = ?";
           params.push_back(*origin);
         }
         sql += " ORDER BY event_id LIMIT ?";
         params.push_back(limit);
         auto txn = services.meta.Begin(TransactionMode::kRead);
         nlohmann::json events = nlohmann::json::array();
         int64_t last = after;
         for (const auto &row : txn->Query(sql, params)) {
           last = row.Int(0);
           events.push_back({{"event_id", last},
                             {"origin", row.String(1)},
                             {"received_at", FormatRfc3339Ms(row.Int(2))},
                             {"event", nlohmann::json::parse(row.String(3))}});
         }
         ctx.SendJson(200, {{"events", events},
                            {"next_after", static_cast<int64_t>(events.size()) == limit ? nlohmann::json(last)
                                                                                         : nlohmann::json()}});
       }},
      // How far each delivery sink has got.
      {"GET", "/api/v1/lineage/sinks",
       [&services](RequestContext &ctx) {
         nlohmann::json sinks = nlohmann::json::array();
         if (services.forwarder) {
           for (const auto &status : services.forwarder->Status()) {
             sinks.push_back({{"name", status.name},
                              {"delivered_through", status.delivered_through},
                              {"pending", status.pending},
                              {"delivered", status.delivered},
                              {"dropped", status.dropped},
                              {"last_error", status.last_error.empty() ? nlohmann::json() : nlohmann::json(status.last_error)}});
           }
         }
         ctx.SendJson(200, {{"sinks", sinks}});
       }},
  };
  for (auto &route : own) routes.push_back(std::move(route));
  for (auto &route : MarquezRoutes(services)) routes.push_back(std::move(route));
  return routes;
}

}  // namespace ducklake
