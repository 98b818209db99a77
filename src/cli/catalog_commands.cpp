// ducklake ns | table | volume: the catalog and the volumes, through the API.

#include <iostream>

#include "cli/command_context.hpp"
#include "cli/result_printer.hpp"

namespace ducklake::cli {
namespace {

std::string TablePath(const std::string &ns, const std::string &table) {
  return "/api/v1/namespaces/" + Segment(ns) + "/tables/" + Segment(table);
}

std::string TagsText(const nlohmann::json &tags) {
  std::string out;
  if (!tags.is_object()) return out;
  for (auto it = tags.begin(); it != tags.end(); ++it) out += (out.empty() ? "" : ", ") + it.key() + "=" + CellText(it.value());
  return out;
}

// Streams a JSON result (preview, change feed) to the terminal or as CSV; json passes it through.
void PrintResult(CommandContext &context, const std::string &target, size_t max_rows) {
  auto format = context.Format();
  ApiRequest request;
  request.target = target;
  if (format == OutputFormat::kJson) {
    request.sink = [](const char *data, size_t size) { std::cout.write(data, size); };
    context.Api().Perform(request);
    std::cout << "\n";
    return;
  }
  ResultPrinter printer(format, max_rows);
  request.sink = [&printer](const char *data, size_t size) { printer.Feed(data, size); };
  context.Api().Perform(request);
  printer.Finish();
}

void AddNamespaceCommands(CLI::App &app, CommandContext &context) {
  auto *ns = app.add_subcommand("ns", "namespaces: ls, create, describe, rm");
  ns->group("Tables");
  ns->require_subcommand(1);
  AddFormatOption(ns, context);
  ns->footer("Example:\n  ducklake ns create sales && ducklake ns ls");

  auto *ls = ns->add_subcommand("ls", "list namespaces");
  context.OnRun(ls, [&] {
    auto answer = context.Api().Get("/api/v1/namespaces");
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    TablePrinter table({{"name"}, {"tables", ColumnKind::kCount}, {"created_snapshot", ColumnKind::kNumber}});
    for (const auto &item : answer["namespaces"]) {
      table.AddRow({FieldText(item, "name"), FieldText(item, "table_count"), FieldText(item, "created_snapshot")});
    }
    table.Print(context.Format());
  });

  auto &name = context.Keep<std::string>();
  auto *create = ns->add_subcommand("create", "create a namespace");
  create->add_option("NAME", name, "the namespace")->required();
  context.OnRun(create, [&] {
    auto answer = context.Api().Send("POST", "/api/v1/namespaces", nlohmann::json{{"name", name}});
    context.PrintChange(answer, "created namespace " + name + " (snapshot " + FieldText(answer, "snapshot_id") + ")");
  });

  auto *describe = ns->add_subcommand("describe", "a namespace and its tables");
  describe->add_option("NAME", name, "the namespace")->required();
  context.OnRun(describe, [&] {
    auto info = context.Api().Get("/api/v1/namespaces/" + Segment(name));
    auto tables = context.Api().Get("/api/v1/namespaces/" + Segment(name) + "/tables");
    if (context.Format() == OutputFormat::kJson) {
      info["tables"] = tables["tables"];
      return PrintJson(info);
    }
    PrintFields({{"namespace", FieldText(info, "name")},
                 {"tables", FieldText(info, "table_count")},
                 {"created at snapshot", FieldText(info, "created_snapshot")}});
    if (!tables["tables"].empty()) std::cout << "\n";
    TablePrinter table({{"table"}, {"rows", ColumnKind::kCount}, {"size", ColumnKind::kBytes}, {"files", ColumnKind::kCount}});
    for (const auto &item : tables["tables"]) {
      table.AddRow({FieldText(item, "name"), FieldText(item, "row_count"), FieldText(item, "size_bytes"), FieldText(item, "file_count")});
    }
    if (table.size() > 0) table.Print(OutputFormat::kTable);
  });

  auto *rm = ns->add_subcommand("rm", "drop an empty namespace");
  rm->add_option("NAME", name, "the namespace")->required();
  context.OnRun(rm, [&] {
    context.Api().Send("DELETE", "/api/v1/namespaces/" + Segment(name));
    context.PrintChange(nullptr, "dropped namespace " + name);
  });
}

void AddTableCommands(CLI::App &app, CommandContext &context) {
  auto *table_command = app.add_subcommand("table", "tables: ls, describe, rm, history, changes, preview");
  table_command->group("Tables");
  table_command->require_subcommand(1);
  AddFormatOption(table_command, context);
  table_command->footer("Example:\n  ducklake table preview sales.orders --limit 20\n  ducklake table changes sales.orders --from 12");

  auto &ns = context.Keep<std::string>();
  auto &name = context.Keep<std::string>();
  auto &limit = context.Keep<int64_t>(100);
  auto &from = context.Keep<std::optional<int64_t>>();
  auto &to = context.Keep<std::optional<int64_t>>();

  auto *ls = table_command->add_subcommand("ls", "list the tables of a namespace");
  ls->add_option("NAMESPACE", ns, "the namespace")->required();
  context.OnRun(ls, [&] {
    auto answer = context.Api().Get("/api/v1/namespaces/" + Segment(ns) + "/tables");
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    TablePrinter table({{"name"},
                        {"rows", ColumnKind::kCount},
                        {"size", ColumnKind::kBytes},
                        {"files", ColumnKind::kCount},
                        {"snapshot", ColumnKind::kNumber},
                        {"comment"}});
    for (const auto &item : answer["tables"]) {
      table.AddRow({FieldText(item, "name"), FieldText(item, "row_count"), FieldText(item, "size_bytes"), FieldText(item, "file_count"),
                    FieldText(item, "snapshot_id"), FieldText(item, "comment")});
    }
    table.Print(context.Format());
  });

  auto *describe = table_command->add_subcommand("describe", "a table: columns, size, tags, lineage");
  describe->add_option("NS.TABLE", name, "the table")->required();
  context.OnRun(describe, [&] {
    auto [namespace_name, table_name] = SplitTableName(name);
    auto info = context.Api().Get(TablePath(namespace_name, table_name));
    if (context.Format() == OutputFormat::kJson) return PrintJson(info);
    bool tty = Terminal::Get().stdout_tty;
    std::vector<std::pair<std::string, std::string>> fields = {
        {"table", FieldText(info, "namespace") + "." + FieldText(info, "name")},
        {"rows", tty ? HumanCount(info.value("row_count", int64_t{0})) : FieldText(info, "row_count")},
        {"size", tty ? HumanBytes(info.value("size_bytes", uint64_t{0})) : FieldText(info, "size_bytes")},
        {"files", FieldText(info, "file_count")},
        {"snapshot", FieldText(info, "snapshot_id")},
        {"created at snapshot", FieldText(info, "created_snapshot")},
        {"uuid", FieldText(info, "uuid")}};
    if (!FieldText(info, "comment").empty()) fields.emplace_back("comment", FieldText(info, "comment"));
    if (info.contains("tags") && !info["tags"].empty()) fields.emplace_back("tags", TagsText(info["tags"]));
    if (info.contains("lineage")) {
      fields.emplace_back("lineage", FieldText(info["lineage"], "upstream_jobs") + " jobs write it, " +
                                         FieldText(info["lineage"], "downstream_jobs") + " read it");
    }
    TablePrinter columns({{"column"}, {"type"}, {"nullable"}, {"comment"}});
    for (const auto &column : info["columns"]) {
      columns.AddRow({FieldText(column, "name"), FieldText(column, "type"), FieldText(column, "nullable"), FieldText(column, "comment")});
    }
    // CSV is the columns alone; a table has the fields above them.
    if (context.Format() == OutputFormat::kTable) {
      PrintFields(fields);
      std::cout << "\n";
    }
    columns.Print(context.Format());
  });

  auto *rm = table_command->add_subcommand("rm", "drop a table");
  rm->add_option("NS.TABLE", name, "the table")->required();
  context.OnRun(rm, [&] {
    auto [namespace_name, table_name] = SplitTableName(name);
    context.Api().Send("DELETE", TablePath(namespace_name, table_name));
    context.PrintChange(nullptr, "dropped table " + name);
  });

  auto *history = table_command->add_subcommand("history", "the snapshots that changed a table");
  history->add_option("NS.TABLE", name, "the table")->required();
  context.OnRun(history, [&] {
    auto [namespace_name, table_name] = SplitTableName(name);
    auto answer = context.Api().Get(TablePath(namespace_name, table_name) + "/snapshots");
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    TablePrinter table({{"snapshot", ColumnKind::kNumber}, {"time"}, {"author"}, {"changes"}, {"message"}});
    const auto &list = answer.is_array() ? answer : answer["snapshots"];
    for (const auto &item : list) {
      table.AddRow({FieldText(item, "snapshot_id"), FieldText(item, "time"), FieldText(item, "author"), FieldText(item, "changes"),
                    FieldText(item, "message")});
    }
    table.Print(context.Format());
  });

  auto *changes = table_command->add_subcommand("changes", "rows a table gained and lost between snapshots");
  changes->add_option("NS.TABLE", name, "the table")->required();
  changes->add_option("--from", from, "after this snapshot (default: before the table existed)");
  changes->add_option("--to", to, "up to this snapshot (default: the latest)");
  changes->add_option("--limit", limit, "the most rows to show on a terminal (0: all)");
  context.OnRun(changes, [&] {
    auto [namespace_name, table_name] = SplitTableName(name);
    Query target(TablePath(namespace_name, table_name) + "/changes");
    if (from) target.Add("from", *from);
    if (to) target.Add("to", *to);
    PrintResult(context, target.Add("format", "json").str(), static_cast<size_t>(limit));
  });

  auto *preview = table_command->add_subcommand("preview", "the first rows of a table");
  preview->add_option("NS.TABLE", name, "the table")->required();
  preview->add_option("--limit", limit, "rows (default 100, at most 10000)")->check(CLI::Range(int64_t{0}, int64_t{10000}));
  context.OnRun(preview, [&] {
    auto [namespace_name, table_name] = SplitTableName(name);
    PrintResult(context, Query(TablePath(namespace_name, table_name) + "/preview").Add("limit", limit).str(), 0);
  });
}

void AddVolumeCommands(CLI::App &app, CommandContext &context) {
  auto *volume = app.add_subcommand("volume", "volumes of files: ls, create, describe, rm");
  volume->group("Files");
  volume->require_subcommand(1);
  AddFormatOption(volume, context);
  volume->footer("Example:\n  ducklake volume create raw --description \"landing zone\"\n  ducklake ls dl://raw/");

  auto &name = context.Keep<std::string>();
  auto &description = context.Keep<std::string>();
  auto &bucket = context.Keep<std::string>();
  auto &max_object_bytes = context.Keep<std::optional<int64_t>>();
  auto &force = context.Keep<bool>(false);

  auto *ls = volume->add_subcommand("ls", "list volumes");
  context.OnRun(ls, [&] {
    auto answer = context.Api().Get("/api/v1/volumes");
    if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
    TablePrinter table({{"name"}, {"description"}, {"owner"}, {"created_at"}});
    for (const auto &item : answer["volumes"]) {
      table.AddRow({FieldText(item, "name"), FieldText(item, "description"), FieldText(item, "owner"), FieldText(item, "created_at")});
    }
    table.Print(context.Format());
  });

  auto *create = volume->add_subcommand("create", "create a volume");
  create->add_option("NAME", name, "the volume")->required();
  create->add_option("--description", description, "what it holds");
  create->add_option("--bucket", bucket, "a bucket of its own (S3 servers)");
  create->add_option("--max-object-bytes", max_object_bytes, "largest object it takes")->check(CLI::Range(int64_t{1}, INT64_MAX));
  context.OnRun(create, [&] {
    nlohmann::json body{{"name", name}};
    if (!description.empty()) body["description"] = description;
    if (!bucket.empty()) body["bucket"] = bucket;
    if (max_object_bytes) body["max_object_bytes"] = *max_object_bytes;
    auto answer = context.Api().Send("POST", "/api/v1/volumes", body);
    context.PrintChange(answer, "created volume " + name);
  });

  auto *describe = volume->add_subcommand("describe", "a volume and what it holds");
  describe->add_option("NAME", name, "the volume")->required();
  context.OnRun(describe, [&] {
    auto info = context.Api().Get("/api/v1/volumes/" + Segment(name));
    if (context.Format() == OutputFormat::kJson) return PrintJson(info);
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto it = info.begin(); it != info.end(); ++it) {
      if (it.key() == "tags") {
        fields.emplace_back("tags", TagsText(it.value()));
      } else if (it.value().is_object() || it.value().is_array()) {
        fields.emplace_back(it.key(), it.value().dump());
      } else if (it.key() == "max_object_bytes" && it.value().is_number() && Terminal::Get().stdout_tty) {
        fields.emplace_back(it.key(), HumanBytes(it.value().get<uint64_t>()));
      } else {
        fields.emplace_back(it.key(), CellText(it.value()));
      }
    }
    PrintFields(fields);
  });

  auto *rm = volume->add_subcommand("rm", "delete a volume");
  rm->add_option("NAME", name, "the volume")->required();
  rm->add_flag("--force", force, "also delete every object in it");
  context.OnRun(rm, [&] {
    Query target("/api/v1/volumes/" + Segment(name));
    if (force) target.Add("force", "true");
    context.Api().Send("DELETE", target.str());
    context.PrintChange(nullptr, "deleted volume " + name);
  });
}

}  // namespace

void AddCatalogCommands(CLI::App &app, CommandContext &context) {
  AddNamespaceCommands(app, context);
  AddTableCommands(app, context);
  AddVolumeCommands(app, context);
}

}  // namespace ducklake::cli
