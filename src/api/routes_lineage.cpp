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

// What the lineage routes use.
struct LineageParts {
  LineageRecorder &recorder;
  EventValidator &validator;
  LineageGraph &graph;
  LineageForwarder *forwarder;
};

void AcceptEvent(RequestContext &ctx, const LineageParts &parts) {
  auto event = ctx.JsonBody();
  parts.validator.Validate(event);
  ctx.SendJson(201, {{"event_id", parts.recorder.RecordExternal(std::move(event))}});
}

// The routes Marquez has, under `prefix` ("/api/v1" for DuckLake's own, "/marquez/api/v1").
std::vector<Route> GraphRoutes(const LineageParts &parts, const std::string &prefix) {
  LineageGraph &graph = parts.graph;
  return {
      {"POST", prefix + "/lineage", [parts](RequestContext &ctx) { AcceptEvent(ctx, parts); }},
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

std::vector<Route> MarquezRoutes(const LineageParts &parts) {
  LineageGraph &graph = parts.graph;
  const std::string prefix = "/marquez/api/v1";
  auto limit = [](const RequestContext &ctx) { return IntegerParam(ctx, "limit", 100, 0, LineageGraph::kMaxPage); };
  auto offset = [](const RequestContext &ctx) { return IntegerParam(ctx, "offset", 0, 0, INT64_MAX); };
  auto routes = GraphRoutes(parts, prefix);
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
       [&graph, limit, offset](RequestContext &ctx) {
         std::optional<int64_t> after, before;
         if (auto text = ctx.QueryParam("after")) after = ParseRfc3339Ms(*text, "after");
         if (auto text = ctx.QueryParam("before")) before = ParseRfc3339Ms(*text, "before");
         ctx.SendJson(200, graph.EventPage(after, before, limit(ctx), offset(ctx)));
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

std::optional<std::string> JobNameField(const nlohmann::json &value) {
  if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'job' must be a string");
  auto name = value.get<std::string>();
  bool valid = !name.empty() && name.size() <= 255 &&
               std::none_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
  if (!valid) throw Error(ErrorKind::kInvalidInput, "a job name is 1 to 255 characters, none of them control characters");
  return name;
}

std::vector<Route> LineageRoutes(LineageRecorder &recorder, EventValidator &validator, LineageGraph &graph,
                                 LineageForwarder *forwarder, const Config &config) {
  LineageParts parts{recorder, validator, graph, forwarder};
  auto routes = GraphRoutes(parts, "/api/v1");
  std::vector<Route> own = {
      // The event log, oldest first: DuckLake's own events and those other tools sent.
      {"GET", "/api/v1/lineage/events",
       [&graph](RequestContext &ctx) {
         LineageGraph::EventFeedQuery query;
         query.after = IntegerParam(ctx, "after", 0, 0, INT64_MAX);
         query.limit = IntegerParam(ctx, "limit", 100, 1, LineageGraph::kMaxPage);
         query.run_id = ctx.QueryParam("run_id");
         query.origin = ctx.QueryParam("origin");
         ctx.SendJson(200, graph.EventFeed(query));
       }},
      // How far each delivery sink has got.
      {"GET", "/api/v1/lineage/sinks",
       [forwarder](RequestContext &ctx) {
         nlohmann::json sinks = nlohmann::json::array();
         if (forwarder) {
           for (const auto &status : forwarder->Status()) {
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
  for (auto &route : MarquezRoutes(parts)) routes.push_back(std::move(route));
  return routes;
}

}  // namespace ducklake
