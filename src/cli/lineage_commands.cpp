// ducklake lineage and ducklake runs: the lineage graph as a tree, and the jobs' runs.

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/command_context.hpp"
#include "cli/transfers.hpp"

namespace ducklake::cli {
namespace {

struct GraphNode {
  std::string id;
  bool job = false;
  nlohmann::json data;
  std::vector<std::string> upstream;    // origins of edges into it
  std::vector<std::string> downstream;  // destinations of edges out of it
};

// "dataset:ducklake://default:sales.orders" → "sales.orders"; other namespaces stay in the name.
std::string NodeLabel(const GraphNode &node) {
  auto name = node.data.is_object() ? node.data.value("name", "") : "";
  auto ns = node.data.is_object() && node.data["namespace"].is_string() ? node.data["namespace"].get<std::string>() : "";
  if (name.empty()) name = node.id.substr(node.id.find(':') + 1);
  std::string label;
  if (node.job) {
    label = "job " + name;
    if (node.data.is_object() && node.data["latestRun"].is_object()) {
      auto state = node.data["latestRun"].value("state", "");
      auto colored = state == "COMPLETED" ? Green(state) : state == "FAILED" || state == "ABORTED" ? Red(state) : Yellow(state);
      label += "  [" + colored + "]";
    }
    return Dim(label);
  }
  if (ns.rfind("ducklake://", 0) == 0) return Bold(name);
  return Bold(name) + Dim("  (" + ns + ")");
}

void DrawTree(const std::map<std::string, GraphNode> &nodes, const std::string &id, bool upstream, const std::string &indent,
              std::set<std::string> &path) {
  const auto &node = nodes.at(id);
  const auto &next = upstream ? node.upstream : node.downstream;
  if (next.empty() && indent.empty()) std::cout << Dim("    (nothing recorded)") << "\n";
  for (size_t i = 0; i < next.size(); i++) {
    bool last = i + 1 == next.size();
    auto found = nodes.find(next[i]);
    if (found == nodes.end()) continue;
    bool cycle = path.count(next[i]) > 0;
    std::cout << indent << (last ? "└── " : "├── ") << NodeLabel(found->second) << (cycle ? Dim("  (cycle)") : "") << "\n";
    if (cycle) continue;
    path.insert(next[i]);
    DrawTree(nodes, next[i], upstream, indent + (last ? "    " : "│   "), path);
    path.erase(next[i]);
  }
}

void RunLineage(CommandContext &context, const std::string &target, int depth) {
  nlohmann::json described;
  if (IsLakePath(target)) {
    auto path = ParseLakePath(target);
    described = context.Api().Get(Query(ObjectPath(path.volume, path.key)).Add("metadata", "1").str());
  } else {
    auto [ns, table] = SplitTableName(target);
    described = context.Api().Get("/api/v1/namespaces/" + Segment(ns) + "/tables/" + Segment(table));
  }
  auto node_id = described.at("lineage").at("node_id").get<std::string>();
  auto graph = context.Api().Get(Query("/api/v1/lineage").Add("nodeId", node_id).Add("depth", depth).str());
  if (context.Format() == OutputFormat::kJson) return PrintJson(graph);
  std::map<std::string, GraphNode> nodes;
  for (const auto &item : graph["graph"]) {
    GraphNode node;
    node.id = item.value("id", "");
    node.job = item.value("type", "") == "JOB";
    node.data = item.contains("data") ? item["data"] : nlohmann::json();
    for (const auto &edge : item["inEdges"]) node.upstream.push_back(edge.value("origin", ""));
    for (const auto &edge : item["outEdges"]) node.downstream.push_back(edge.value("destination", ""));
    nodes.emplace(node.id, std::move(node));
  }
  if (context.Format() == OutputFormat::kCsv) {
    TablePrinter edges({{"origin"}, {"destination"}});
    for (const auto &[id, node] : nodes) {
      for (const auto &destination : node.downstream) edges.AddRow({id, destination});
    }
    return edges.Print(OutputFormat::kCsv);
  }
  if (!nodes.count(node_id)) {
    std::cout << target << ": no lineage recorded yet\n";
    return;
  }
  std::set<std::string> path{node_id};
  std::cout << NodeLabel(nodes.at(node_id)) << "\n";
  std::cout << Cyan("▲ upstream (where its data comes from)") << "\n";
  DrawTree(nodes, node_id, true, "", path);
  std::cout << Cyan("▼ downstream (what its data feeds)") << "\n";
  DrawTree(nodes, node_id, false, "", path);
}

void RunRuns(CommandContext &context, const std::string &job, int64_t limit) {
  struct Run {
    std::string job, ns, state, started, ended;
    std::optional<int64_t> duration_ms;
    std::string id;
  };
  std::vector<Run> runs;
  auto add_run = [&runs](const std::string &job_name, const std::string &ns, const nlohmann::json &run) {
    if (!run.is_object()) return;
    Run row{job_name, ns, run.value("state", ""), CellText(run.value("startedAt", nlohmann::json())),
            CellText(run.value("endedAt", nlohmann::json())), std::nullopt, run.value("id", "")};
    if (run["durationMs"].is_number()) row.duration_ms = run["durationMs"].get<int64_t>();
    runs.push_back(std::move(row));
  };
  auto namespaces = context.Api().Get("/marquez/api/v1/namespaces");
  for (const auto &ns_item : namespaces["namespaces"]) {
    auto ns = ns_item.value("name", "");
    auto base = "/marquez/api/v1/namespaces/" + Segment(ns) + "/jobs";
    if (!job.empty()) {
      try {
        for (int64_t offset = 0;; offset += 1000) {
          auto answer = context.Api().Get(Query(base + "/" + Segment(job) + "/runs").Add("limit", 1000).Add("offset", offset).str());
          for (const auto &run : answer["runs"]) add_run(job, ns, run);
          if (answer["runs"].size() < 1000 || (limit > 0 && static_cast<int64_t>(runs.size()) >= limit)) break;
        }
      } catch (const ApiError &error) {
        if (error.status() != 404) throw;  // the job is in another namespace
      }
      continue;
    }
    for (int64_t offset = 0;; offset += 100) {
      auto answer = context.Api().Get(Query(base).Add("limit", 100).Add("offset", offset).str());
      for (const auto &item : answer["jobs"]) add_run(item.value("name", ""), ns, item["latestRun"]);
      if (answer["jobs"].size() < 100) break;
    }
  }
  if (!job.empty() && runs.empty()) throw ApiError(404, "no runs of job '" + job + "'");
  std::stable_sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) { return a.started > b.started; });
  if (limit > 0 && static_cast<int64_t>(runs.size()) > limit) runs.resize(static_cast<size_t>(limit));
  // Readable durations for people; milliseconds, and a name that says so, for scripts.
  bool tty = Terminal::Get().stdout_tty && context.Format() == OutputFormat::kTable;
  TablePrinter table({{"job"}, {"state"}, {"started"}, {tty ? "duration" : "duration_ms"}, {"run"}});
  for (const auto &run : runs) {
    std::string duration = run.duration_ms ? (tty ? HumanDuration(*run.duration_ms / 1000.0) : std::to_string(*run.duration_ms)) : "";
    table.AddRow({run.job, run.state, run.started, duration, run.id});
  }
  table.Print(context.Format());
}

}  // namespace

void AddLineageCommands(CLI::App &app, CommandContext &context) {
  auto *lineage = app.add_subcommand("lineage", "where a table's (or object's) data comes from and where it goes, as a tree");
  lineage->group("Lineage");
  AddFormatOption(lineage, context, "table (a tree), json (the graph) or csv (its edges)");
  auto &target = context.Keep<std::string>();
  auto &depth = context.Keep<int>(20);
  lineage->add_option("NS.TABLE", target, "a table, or dl://VOLUME/KEY")->required();
  lineage->add_option("--depth", depth, "job-to-job hops to follow (default 20)")->check(CLI::Range(0, 100));
  lineage->footer("Example:\n  ducklake lineage sales.daily_revenue --depth 3");
  context.OnRun(lineage, [&] { RunLineage(context, target, depth); });

  auto *runs = app.add_subcommand("runs", "the latest run of every job, or the runs of one job (--job)");
  runs->group("Lineage");
  AddFormatOption(runs, context);
  auto &job = context.Keep<std::string>();
  auto &limit = context.Keep<int64_t>(50);
  runs->add_option("--job", job, "this job's runs");
  runs->add_option("--limit", limit, "at most this many (default 50, 0: all)")->check(CLI::Range(int64_t{0}, int64_t{100000}));
  runs->footer("Examples:\n  ducklake runs\n  ducklake runs --job ingest.sales.orders --limit 10");
  context.OnRun(runs, [&] { RunRuns(context, job, limit); });
}

}  // namespace ducklake::cli
