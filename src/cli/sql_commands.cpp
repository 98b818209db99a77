// ducklake sql and ducklake ingest: SQL and data loads through the API.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/sql_runner.hpp"
#include "cli/transfers.hpp"

namespace ducklake::cli {
namespace {

std::string ReadAll(std::istream &in) {
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct IngestFlags {
  std::string source;
  std::string table;
  std::string format;
  std::string mode = "append";
  bool dry_run = false;
  std::optional<bool> header;
  std::string delimiter;
  std::string columns;
  std::string job;
};

std::string FormatOfPath(const std::string &path) {
  auto extension = std::filesystem::path(path).extension().string();
  if (extension == ".csv" || extension == ".tsv" || extension == ".txt") return "csv";
  if (extension == ".parquet") return "parquet";
  if (extension == ".json") return "json";
  if (extension == ".ndjson" || extension == ".jsonl") return "ndjson";
  return "";
}

void RunIngest(CommandContext &context, const IngestFlags &flags) {
  auto [ns, table] = SplitTableName(flags.table);
  Query target("/api/v1/namespaces/" + Segment(ns) + "/tables/" + Segment(table) + "/data");
  target.Add("mode", flags.mode);
  if (flags.dry_run) target.Add("dry_run", "true");
  if (flags.header) target.Add("header", *flags.header ? "true" : "false");
  if (!flags.delimiter.empty()) target.Add("delimiter", flags.delimiter);
  if (!flags.columns.empty()) target.Add("columns", flags.columns);
  if (!flags.job.empty()) target.Add("job", flags.job);
  ApiRequest request;
  request.method = "POST";
  std::unique_ptr<Progress> progress;
  std::unique_ptr<std::ifstream> file;
  if (IsLakePath(flags.source)) {
    auto object = ParseLakePath(flags.source);
    target.Add("from", "volumes/" + object.volume + "/objects/" + object.key);
    if (!flags.format.empty()) target.Add("format", flags.format);
    request.body = "";
  } else {
    std::error_code error;
    if (!std::filesystem::is_regular_file(flags.source, error)) throw NotFoundError("no such file: " + flags.source);
    auto format = !flags.format.empty() ? flags.format : FormatOfPath(flags.source);
    if (format.empty()) throw UsageError("cannot tell the format of " + flags.source + ": say --format csv|parquet|json|ndjson");
    target.Add("format", format);
    auto size = std::filesystem::file_size(flags.source);
    file = std::make_unique<std::ifstream>(flags.source, std::ios::binary);
    if (!*file) throw NotFoundError("cannot read " + flags.source);
    progress = std::make_unique<Progress>("ingest " + std::filesystem::path(flags.source).filename().string(), size);
    request.headers.emplace_back("Content-Type", "application/octet-stream");
    request.body_size = static_cast<int64_t>(size);
    request.body_reader = [&file](char *buffer, size_t capacity) -> size_t {
      file->read(buffer, static_cast<std::streamsize>(capacity));
      return static_cast<size_t>(file->gcount());
    };
    request.progress = [&progress](uint64_t sent, uint64_t) { progress->Set(sent); };
  }
  request.target = target.str();
  auto response = context.Api().Perform(request);
  if (progress) progress->Finish();
  auto answer = nlohmann::json::parse(response.body, nullptr, false);
  if (context.Format() == OutputFormat::kJson || answer.is_discarded()) return PrintJson(answer);
  if (flags.dry_run) {
    std::cout << "dry run: nothing was written\n";
    if (answer.contains("table")) {
      const auto &planned = answer["table"];
      std::cout << (planned.value("exists", false) ? "the table exists; rows would match its columns by " + planned.value("match", std::string())
                                                   : std::string("the table would be created"))
                << "\n";
      TablePrinter columns({{"column"}, {"type"}});
      for (const auto &column : planned["columns"]) columns.AddRow({column.value("name", ""), column.value("type", "")});
      columns.Print(OutputFormat::kTable);
    }
    return;
  }
  auto rows = answer.value("rows_written", int64_t{0});
  std::cout << fmt::format("{}{} {} row{} into {} (snapshot {})\n", answer.value("created_table", false) ? "created table, " : "",
                           flags.mode == "overwrite" ? "wrote" : "added", HumanCount(rows), rows == 1 ? "" : "s",
                           flags.table, answer.value("snapshot_id", int64_t{0}));
}

}  // namespace

void AddSqlCommand(CLI::App &app, CommandContext &context) {
  auto *sql = app.add_subcommand("sql", "run SQL (an argument, -f FILE or stdin); no SQL on a terminal: a shell");
  sql->group("Tables");
  auto &text = context.Keep<std::string>();
  auto &file = context.Keep<std::string>();
  auto &options = context.Keep<SqlOptions>();
  auto &max_rows = context.Keep<std::optional<size_t>>();
  sql->add_option("SQL", text, "the statement(s); '-' reads stdin");
  sql->add_option("-f,--file", file, "a file of statements, run in order");
  sql->add_option("--format", options.format, "table, json, ndjson, csv, parquet or arrow (default: table on a terminal, csv otherwise, by -o's extension)");
  sql->add_option("-o,--output", options.output, "write the result to this file");
  sql->add_option("--snapshot", options.snapshot, "read the lake as of this snapshot")->check(CLI::Range(int64_t{0}, INT64_MAX));
  sql->add_option("--as-of", options.as_of, "read the lake as of this time (RFC 3339)");
  sql->add_option("--limit", options.limit, "at most this many rows")->check(CLI::Range(int64_t{0}, INT64_MAX));
  sql->add_option("--timeout-ms", options.timeout_ms, "stop the query after this long")->check(CLI::Range(int64_t{1}, INT64_MAX));
  sql->add_option("--max-rows", max_rows, "rows a table on the terminal shows: first and last halves (default 40, 0: all)");
  sql->add_flag("--timer", options.timer, "say how long each statement took, on stderr");
  sql->footer(
      "Examples:\n"
      "  ducklake sql \"SELECT region, sum(amount) FROM sales.orders GROUP BY ALL\"\n"
      "  ducklake sql -f nightly.sql --timer\n"
      "  ducklake sql \"SELECT * FROM sales.orders\" -o orders.parquet\n"
      "  ducklake sql            (an interactive shell: .help inside)");
  context.OnRun(sql, [&] {
    if (max_rows) options.max_rows = *max_rows;
    if (!text.empty() && !file.empty()) throw UsageError("give SQL or -f FILE, not both");
    std::string source;
    if (!file.empty()) {
      std::ifstream in(file);
      if (!in) throw NotFoundError("cannot read " + file);
      source = ReadAll(in);
    } else if (text == "-" || (text.empty() && !isatty(STDIN_FILENO))) {
      source = ReadAll(std::cin);
    } else if (!text.empty()) {
      source = text;
    } else {
      return RunShell(context, options);
    }
    auto statements = SplitStatements(source);
    if (statements.empty()) throw UsageError("no SQL statement given");
    if (statements.size() > 1 && !options.output.empty()) throw UsageError("-o takes the result of one statement");
    for (const auto &statement : statements) RunStatement(context, statement, options);
  });
}

void AddIngestCommand(CLI::App &app, CommandContext &context) {
  auto *ingest = app.add_subcommand("ingest", "load a file or an object into a table (CSV, Parquet, JSON, NDJSON)");
  ingest->group("Tables");
  auto &flags = context.Keep<IngestFlags>();
  auto &header = context.Keep<std::string>();
  ingest->add_option("SOURCE", flags.source, "a local file or dl://VOLUME/KEY")->required();
  ingest->add_option("NS.TABLE", flags.table, "the table (created when missing)")->required();
  ingest->add_option("--format", flags.format, "csv, parquet, json or ndjson (default: by the file's extension)")
      ->check(CLI::IsMember({"csv", "parquet", "json", "ndjson"}));
  ingest->add_option("--mode", flags.mode, "create, append (default) or overwrite")->check(CLI::IsMember({"create", "append", "overwrite"}));
  ingest->add_flag("--dry-run", flags.dry_run, "read the start of the file and say what would happen; write nothing");
  ingest->add_option("--header", header, "CSV: whether the first row names the columns (true/false; default: detected)")
      ->check(CLI::IsMember({"true", "false"}));
  ingest->add_option("--delimiter", flags.delimiter, "CSV: the delimiter (default: detected)");
  ingest->add_option("--columns", flags.columns, "the file's columns and SQL types as JSON: '{\"id\":\"BIGINT\"}'");
  ingest->add_option("--job", flags.job, "the lineage job's name");
  ingest->footer(
      "Examples:\n  ducklake ingest orders.csv sales.orders\n"
      "  ducklake ingest dl://raw/2026/12/events.parquet web.events --mode overwrite");
  context.OnRun(ingest, [&] {
    if (!header.empty()) flags.header = header == "true";
    RunIngest(context, flags);
  });
}

}  // namespace ducklake::cli
