// Namespaces and tables: /api/v1/namespaces[/{ns}[/tables[/{table}[/data|/preview]]]].

#include <charconv>
#include <cstring>
#include <filesystem>
#include <atomic>
#include <thread>
#include <fstream>

#include "api/client_connection.hpp"
#include "api/http.hpp"
#include "lineage/events.hpp"
#include "common/stream_pipe.hpp"
#include "common/ids.hpp"
#include "files/object_preview.hpp"

namespace ducklake {
namespace {

constexpr int64_t kDefaultPreviewRows = 100;
constexpr int64_t kMaxPreviewRows = 10000;
constexpr int64_t kDefaultSnapshotPage = 100;
constexpr int64_t kMaxSnapshotPage = 1000;
constexpr int64_t kDefaultDryRunRows = 20;

nlohmann::json ColumnJson(const ColumnDef &column) {
  nlohmann::json json = {{"id", column.id}, {"name", column.name}, {"type", column.type},
                         {"nullable", column.nullable}};
  if (!column.children.empty()) {
    json["children"] = nlohmann::json::array();
    for (const auto &child : column.children) json["children"].push_back(ColumnJson(child));
  }
  return json;
}

nlohmann::json TableJson(const TableInfo &table) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto &column : table.columns) {
    auto json = ColumnJson(column);
    auto comment = table.column_comments.find(column.id);
    json["comment"] = comment == table.column_comments.end() ? nlohmann::json() : nlohmann::json(comment->second);
    columns.push_back(json);
  }
  nlohmann::json tags = nlohmann::json::object();
  for (const auto &[key, value] : table.tags) tags[key] = value;
  return {{"namespace", table.namespace_name}, {"name", table.name},
          {"columns", columns},                {"row_count", table.record_count},
          {"size_bytes", table.file_size_bytes}, {"file_count", table.file_count},
          {"snapshot_id", table.snapshot_id},  {"created_snapshot", table.created_snapshot},
          {"uuid", table.uuid},
          {"comment", table.comment ? nlohmann::json(*table.comment) : nlohmann::json()},
          {"tags", tags}};
}

std::optional<std::string> OptionalText(const nlohmann::json &value, const char *field) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_string()) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be a string or null", field);
  return value.get<std::string>();
}

// {"comment": "..." | null, "tags": {name: value}, "columns": {name: {"comment": "..." | null}}}
TableMetadataChange TableMetadataOf(const nlohmann::json &body) {
  TableMetadataChange change;
  if (body.contains("comment")) change.comment = OptionalText(body["comment"], "comment");
  if (body.contains("tags")) {
    if (!body["tags"].is_object()) throw Error(ErrorKind::kInvalidInput, "field 'tags' must be an object of strings");
    change.tags.emplace();
    for (const auto &[key, value] : body["tags"].items()) {
      if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'tags' must be an object of strings");
      (*change.tags)[key] = value.get<std::string>();
    }
  }
  if (body.contains("columns")) {
    const auto &columns = body["columns"];
    if (!columns.is_object()) {
      throw Error(ErrorKind::kInvalidInput, "field 'columns' must map column names to {\"comment\": ...}");
    }
    for (const auto &[name, fields] : columns.items()) {
      if (!fields.is_object() || fields.size() != 1 || !fields.contains("comment")) {
        throw Error(ErrorKind::kInvalidInput, "field 'columns' must map column names to {\"comment\": ...}");
      }
      change.column_comments[name] = OptionalText(fields["comment"], "comment");
    }
  }
  return change;
}

nlohmann::json SnapshotJson(const SnapshotInfo &snapshot) {
  return {{"snapshot_id", snapshot.id},
          {"time", snapshot.time},
          {"schema_version", snapshot.schema_version},
          {"changes", snapshot.changes},
          {"author", snapshot.author ? nlohmann::json(*snapshot.author) : nlohmann::json()},
          {"message", snapshot.message ? nlohmann::json(*snapshot.message) : nlohmann::json()}};
}

nlohmann::json NamespaceJson(const NamespaceInfo &info) {
  return {{"name", info.name}, {"table_count", info.table_count}, {"created_snapshot", info.created_snapshot}};
}

std::string RequireString(const nlohmann::json &body, const std::string &field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string()) {
    throw MakeError(ErrorKind::kInvalidInput, "field '{}' is required and must be a string", field);
  }
  return it->get<std::string>();
}

UploadFormat UploadFormatOf(const RequestContext &ctx) {
  auto format = ctx.QueryParam("format");
  if (!format) {
    auto type = ctx.request.get_header_value("Content-Type");
    if (type.rfind("text/csv", 0) == 0) return UploadFormat::kCsv;
    if (type.rfind("application/x-ndjson", 0) == 0) return UploadFormat::kNdjson;
    if (type.rfind("application/json", 0) == 0) return UploadFormat::kJson;
    if (type.rfind("application/vnd.apache.parquet", 0) == 0) return UploadFormat::kParquet;
    throw Error(ErrorKind::kInvalidInput, "say the upload's format: ?format=csv|parquet|json|ndjson");
  }
  if (*format == "csv") return UploadFormat::kCsv;
  if (*format == "parquet") return UploadFormat::kParquet;
  if (*format == "json") return UploadFormat::kJson;
  if (*format == "ndjson") return UploadFormat::kNdjson;
  throw MakeError(ErrorKind::kInvalidInput, "unknown format '{}': use csv, parquet, json or ndjson",
                  format->substr(0, 32));
}

// The reader options of an ingest, from its query parameters (see docs/API.md, "Ingest options").
ReadOptions ReadOptionsOf(const RequestContext &ctx) {
  ReadOptions options;
  options.header = OptionalBoolParam(ctx, "header");
  options.delimiter = ctx.QueryParam("delimiter");
  options.quote = ctx.QueryParam("quote");
  options.escape = ctx.QueryParam("escape");
  options.comment = ctx.QueryParam("comment");
  if (ctx.QueryParam("skip")) options.skip = IntegerParam(ctx, "skip", 0, 0, 1000000000);
  for (size_t i = 0; i < ctx.request.get_param_value_count("nullstr"); i++) {
    options.null_strings.push_back(ctx.request.get_param_value("nullstr", i));
  }
  options.date_format = ctx.QueryParam("dateformat");
  options.timestamp_format = ctx.QueryParam("timestampformat");
  if (auto columns = ctx.QueryParam("columns")) {
    auto parsed = nlohmann::ordered_json::parse(*columns, nullptr, false);
    if (!parsed.is_object() || parsed.empty()) {
      throw Error(ErrorKind::kInvalidInput,
                  "columns must be a JSON object of column names and SQL types, e.g. {\"id\":\"BIGINT\"}");
    }
    for (const auto &[name, type] : parsed.items()) {
      if (name.empty() || !type.is_string() || type.get<std::string>().empty()) {
        throw MakeError(ErrorKind::kInvalidInput, "columns: '{}' needs an SQL type as a string", name.substr(0, 64));
      }
      options.columns.emplace_back(name, type.get<std::string>());
    }
  }
  return options;
}

nlohmann::json ColumnsJson(const UploadDescription &upload) {
  nlohmann::json columns = nlohmann::json::array();
  for (size_t i = 0; i < upload.columns.size(); i++) {
    columns.push_back({{"name", upload.columns[i].name}, {"type", upload.sql_types[i]}});
  }
  return columns;
}

// The answer of a dry run: what DuckDB's reader makes of the file, its first rows as a JSON query
// result would hold them, and what the ingest would do with the table.
nlohmann::json DryRunJson(const IngestPlan &plan, const nlohmann::json &preview) {
  nlohmann::json json = {{"dry_run", true}, {"columns", ColumnsJson(plan.upload)}, {"rows", preview["rows"]}};
  if (plan.upload.dialect) {
    const auto &dialect = *plan.upload.dialect;
    auto optional = [](const std::optional<std::string> &text) { return text ? nlohmann::json(*text) : nlohmann::json(); };
    json["dialect"] = {{"delimiter", dialect.delimiter}, {"quote", dialect.quote},
                       {"escape", dialect.escape},       {"newline", dialect.newline},
                       {"comment", dialect.comment},     {"skip", dialect.skip},
                       {"header", dialect.header},       {"dateformat", optional(dialect.date_format)},
                       {"timestampformat", optional(dialect.timestamp_format)}};
  } else {
    json["dialect"] = nullptr;
  }
  nlohmann::json table_columns = nlohmann::json::array();
  for (const auto &column : plan.columns) {
    auto json = ColumnJson(column);
    if (!plan.table) json.erase("id");  // ids are given when the table is created
    table_columns.push_back(std::move(json));
  }
  json["table"] = {{"exists", plan.table.has_value()},
                   {"match", plan.table ? (plan.by_position ? "position" : "name") : "created"},
                   {"columns", table_columns}};
  return json;
}

// ?mode=append|overwrite|create; create appends to a table that must not exist yet.
void SetWriteMode(const RequestContext &ctx, IngestRequest &request) {
  auto mode = ctx.QueryParam("mode").value_or("append");
  if (mode != "append" && mode != "overwrite" && mode != "create") {
    throw Error(ErrorKind::kInvalidInput, "mode must be append, overwrite or create");
  }
  request.mode = mode == "overwrite" ? WriteMode::kOverwrite : WriteMode::kAppend;
  request.create_only = mode == "create";
}

void SendIngestResult(RequestContext &ctx, const CommitResult &result, nlohmann::json extra = nlohmann::json::object()) {
  extra["rows_written"] = result.rows_written;
  extra["snapshot_id"] = result.snapshot_id;
  extra["created_table"] = result.created_table;
  ctx.SendJson(result.created_table ? 201 : 200, extra);
}

// ?from=volumes/{vol}/objects/{key}: the engine reads the object straight from the store (Parquet
// by ranges), so the bytes never pass through the client or a staging file. Sets the request's
// upload path, format and source, and returns the object read as {volume, key, etag}.
nlohmann::json ObjectSourceOf(RequestContext &ctx, TableService &tables, FileService &files, const std::string &from,
                              IngestRequest &request) {
  constexpr std::string_view kPrefix = "volumes/";
  constexpr std::string_view kObjects = "/objects/";
  auto objects_at = from.find(kObjects);
  if (from.rfind(kPrefix, 0) != 0 || objects_at == std::string::npos || objects_at <= kPrefix.size()) {
    throw Error(ErrorKind::kInvalidInput, "from must be volumes/{volume}/objects/{key}");
  }
  auto volume = from.substr(kPrefix.size(), objects_at - kPrefix.size());
  auto key = from.substr(objects_at + kObjects.size());
  ctx.access->RequireVolume(volume, Role::kReader);
  tables.RequireNamespace(request.namespace_name);
  auto object = files.Stat(volume, key);
  auto format = ctx.QueryParam("format") ? std::optional<UploadFormat>(UploadFormatOf(ctx)) : TabularFormatOf(object);
  if (!format) {
    throw Error(ErrorKind::kInvalidInput,
                "cannot tell the object's format from its content type; say ?format=csv|parquet|json|ndjson");
  }
  if (object.size == 0) throw Error(ErrorKind::kInvalidInput, "the object is empty");
  request.format = *format;
  auto source = fmt::format("{}@{}", from, object.etag);
  if (!request.commit.message) request.commit.message = "ingest from " + source;
  request.upload_path = files.EnginePath(files.GetVolume(volume), key);
  request.source = ObjectDataset(files, volume, key, object);
  return {{"volume", volume}, {"key", key}, {"etag", object.etag}};
}

}  // namespace

ResultFormat ParseResultFormat(const std::string &name) {
  if (name == "json") return ResultFormat::kJson;
  if (name == "ndjson") return ResultFormat::kNdjson;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "parquet") return ResultFormat::kParquet;
  if (name == "arrow") return ResultFormat::kArrow;
  throw MakeError(ErrorKind::kInvalidInput, "unknown format '{}': use json, ndjson, csv, parquet or arrow",
                  name.substr(0, 32));
}

const char *ContentTypeOf(ResultFormat format) {
  switch (format) {
    case ResultFormat::kJson: return "application/json";
    case ResultFormat::kNdjson: return "application/x-ndjson";
    case ResultFormat::kCsv: return "text/csv";
    case ResultFormat::kParquet: return "application/vnd.apache.parquet";
    case ResultFormat::kArrow: return "application/vnd.apache.arrow.stream";
  }
  return "application/octet-stream";
}

std::vector<Route> TableRoutes(TableService &tables, FileService &files, LineageGraph &graph, const Config &config) {
  return {
      {"GET", "/api/v1/namespaces",
       [&tables](RequestContext &ctx) {
         nlohmann::json list = nlohmann::json::array();
         for (const auto &info : tables.catalog().ListNamespaces(tables.history().LatestSnapshot())) {
           // Those the caller may read.
           if (ctx.access->HasNamespace(info.name, Role::kReader)) list.push_back(NamespaceJson(info));
         }
         ctx.SendJson(200, {{"namespaces", list}});
       }},
      {"POST", "/api/v1/namespaces",
       [&tables](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"name"});
         auto name = RequireString(body, "name");
         auto result = tables.CreateNamespace(name, CommitOf(ctx));
         auto info = tables.catalog().GetNamespace(name, result.snapshot_id);
         auto json = NamespaceJson(info);
         json["snapshot_id"] = result.snapshot_id;
         ctx.response.set_header("Location", "/api/v1/namespaces/" + info.name);
         ctx.SendJson(201, json);
       }},
      {"GET", "/api/v1/namespaces/{ns}",
       [&tables](RequestContext &ctx) {
         ctx.SendJson(200, NamespaceJson(tables.catalog().GetNamespace(ctx.Param("ns"), tables.history().LatestSnapshot())));
       }},
      {"DELETE", "/api/v1/namespaces/{ns}",
       [&tables](RequestContext &ctx) {
         tables.DropNamespace(ctx.Param("ns"), CommitOf(ctx));
         ctx.response.status = 204;
       }},
      {"GET", "/api/v1/namespaces/{ns}/tables",
       [&tables](RequestContext &ctx) {
         nlohmann::json list = nlohmann::json::array();
         for (const auto &table : tables.catalog().ListTables(ctx.Param("ns"), tables.history().LatestSnapshot())) {
           list.push_back(TableJson(table));
         }
         ctx.SendJson(200, {{"tables", list}});
       }},
      {"POST", "/api/v1/namespaces/{ns}/tables",
       [&tables](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"name", "columns"});
         auto name = RequireString(body, "name");
         auto columns_json = body.find("columns");
         if (columns_json == body.end() || !columns_json->is_array() || columns_json->empty()) {
           throw Error(ErrorKind::kInvalidInput, "field 'columns' must be a non-empty array of {name, type}");
         }
         std::vector<std::pair<std::string, std::string>> requested;
         for (const auto &column : *columns_json) {
           if (!column.is_object()) throw Error(ErrorKind::kInvalidInput, "each column must be an object {name, type}");
           RejectUnknownFields(column, {"name", "type"});
           requested.emplace_back(RequireString(column, "name"), RequireString(column, "type"));
         }
         auto result = tables.CreateTable(ctx.Param("ns"), name, tables.ParseColumns(requested), CommitOf(ctx));
         auto table = tables.catalog().GetTable(ctx.Param("ns"), name, result.snapshot_id);
         ctx.response.set_header("Location", "/api/v1/namespaces/" + table.namespace_name + "/tables/" + table.name);
         ctx.SendJson(201, TableJson(table));
       }},
      {"GET", "/api/v1/namespaces/{ns}/tables/{table}",
       [&tables, &graph, &config](RequestContext &ctx) {
         auto table = tables.catalog().GetTable(ctx.Param("ns"), ctx.Param("table"), tables.history().LatestSnapshot());
         auto json = TableJson(table);
         json["lineage"] = LineageLink(graph, LakeNamespace(config.instance_name),
                                       table.namespace_name + "." + table.name);
         ctx.SendJson(200, json);
       }},
      {"PATCH", "/api/v1/namespaces/{ns}/tables/{table}",
       [&tables](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"name", "comment", "tags", "columns"});
         if (body.contains("name")) {
           // A rename is a snapshot of its own (and a lineage job); it does not mix with descriptions.
           if (body.size() > 1) throw Error(ErrorKind::kInvalidInput, "rename a table in a PATCH of its own");
           auto new_name = RequireString(body, "name");
           auto result = tables.RenameTable(ctx.Param("ns"), ctx.Param("table"), new_name, CommitOf(ctx));
           ctx.SendJson(200, TableJson(tables.catalog().GetTable(ctx.Param("ns"), new_name, result.snapshot_id)));
           return;
         }
         if (body.empty()) throw Error(ErrorKind::kInvalidInput, "give name, or any of comment, tags and columns");
         auto result = tables.UpdateTableMetadata(ctx.Param("ns"), ctx.Param("table"), TableMetadataOf(body), CommitOf(ctx));
         ctx.SendJson(200, TableJson(tables.catalog().GetTable(ctx.Param("ns"), ctx.Param("table"), result.snapshot_id)));
       }},
      {"DELETE", "/api/v1/namespaces/{ns}/tables/{table}",
       [&tables](RequestContext &ctx) {
         tables.DropTable(ctx.Param("ns"), ctx.Param("table"), CommitOf(ctx));
         ctx.response.status = 204;
       }},
      {"POST", "/api/v1/namespaces/{ns}/tables/{table}/data",
       [&tables, &config, &files](RequestContext &ctx) {
         IngestRequest request;
         request.namespace_name = ctx.Param("ns");
         request.table_name = ctx.Param("table");
         if (auto job = ctx.QueryParam("job")) request.job_name = JobNameField(nlohmann::json(*job));
         request.read_options = ReadOptionsOf(ctx);
         SetWriteMode(ctx, request);
         request.commit = CommitOf(ctx);
         // A client that goes away (Ctrl-C on `ducklake ingest`) stops the ingest; nothing commits.
         auto client = std::make_shared<ClientConnection>(ctx.request);
         request.abandoned = [client] { return client->Gone(); };
         bool dry_run = OptionalBoolParam(ctx, "dry_run").value_or(false);
         int64_t preview_rows = dry_run ? IntegerParam(ctx, "limit", kDefaultDryRunRows, 0, kMaxPreviewRows) : 0;
         nlohmann::json answer;
         // Reads the upload as the ingest would, and writes nothing.
         auto plan = [&](const IngestRequest &planned) {
           auto ingest_plan = tables.PlanIngest(planned);
           std::string rows;
           tables.PreviewUpload(planned, preview_rows, [&rows](const char *data, size_t size) {
             rows.append(data, size);
             return true;
           });
           answer = DryRunJson(ingest_plan, nlohmann::json::parse(rows));
         };
         if (auto from = ctx.QueryParam("from")) {
           auto source = ObjectSourceOf(ctx, tables, files, *from, request);
           if (dry_run) {
             plan(request);
             answer["source"] = source;
             ctx.SendJson(200, answer);
             return;
           }
           auto result = tables.Ingest(request);
           SendIngestResult(ctx, result, {{"source", source}});
           return;
         }
         request.format = UploadFormatOf(ctx);
         tables.RequireNamespace(request.namespace_name);  // fail before reading the body
         CommitResult result;
         auto read_body = [&ctx, &config](const std::function<void(const char *, size_t)> &piece) {
           ctx.StreamBody(piece, config.max_upload_bytes);
         };
         tables.WithUpload(request, read_body, [&](const IngestRequest &ready) {
           if (dry_run) {
             plan(ready);
           } else {
             result = tables.Ingest(ready);
           }
         });
         if (dry_run) {
           ctx.SendJson(200, answer);
         } else {
           SendIngestResult(ctx, result);
         }
       }},
      {"GET", "/api/v1/namespaces/{ns}/tables/{table}/snapshots",
       [&tables](RequestContext &ctx) {
         nlohmann::json list = nlohmann::json::array();
         for (const auto &entry : tables.history().TableHistory(ctx.Param("ns"), ctx.Param("table"))) {
           auto json = SnapshotJson(entry.snapshot);
           json["operation"] = entry.operation;
           json["rows_added"] = entry.rows_added;
           json["rows_deleted"] = entry.rows_deleted;
           list.push_back(std::move(json));
         }
         ctx.SendJson(200, {{"snapshots", list}});
       }},
      {"GET", "/api/v1/namespaces/{ns}/tables/{table}/changes",
       [&tables, &config](RequestContext &ctx) {
         ChangesRequest request;
         request.options.timeout_ms = config.default_query_timeout_ms;
         request.namespace_name = ctx.Param("ns");
         request.table_name = ctx.Param("table");
         if (ctx.QueryParam("from")) request.from_snapshot = IntegerParam(ctx, "from", 0, 0, INT64_MAX);
         if (ctx.QueryParam("to")) request.to_snapshot = IntegerParam(ctx, "to", 0, 0, INT64_MAX);
         if (auto format = ctx.QueryParam("format")) request.options.format = ParseResultFormat(*format);
         if (ctx.QueryParam("limit")) request.options.limit = IntegerParam(ctx, "limit", 0, 0, INT64_MAX);
         if (config.max_result_rows > 0) {
           request.options.limit = std::min(request.options.limit.value_or(config.max_result_rows),
                                            config.max_result_rows);
         }
         // As for a query: a client that goes away stops the feed, which can be long in coming.
         auto client = std::make_shared<ClientConnection>(ctx.request);
         request.options.abandoned = [client] { return client->Gone(); };
         ctx.SendStream(ContentTypeOf(request.options.format),
                        [&tables, request](const ByteSink &sink) { tables.Changes(request, sink); });
       }},
      {"GET", "/api/v1/snapshots",
       [&tables](RequestContext &ctx) {
         auto limit = IntegerParam(ctx, "limit", kDefaultSnapshotPage, 1, kMaxSnapshotPage);
         std::optional<int64_t> before;
         if (ctx.QueryParam("before")) before = IntegerParam(ctx, "before", 0, 0, INT64_MAX);
         auto snapshots = tables.history().ListSnapshots(static_cast<size_t>(limit), before);
         nlohmann::json list = nlohmann::json::array();
         for (const auto &snapshot : snapshots) list.push_back(SnapshotJson(snapshot));
         // The next page starts below the oldest snapshot of this one; none after snapshot 0.
         nlohmann::json next = snapshots.size() == static_cast<size_t>(limit) && snapshots.back().id > 0
                                   ? nlohmann::json(snapshots.back().id)
                                   : nlohmann::json();
         ctx.SendJson(200, {{"snapshots", list}, {"next_before", next}});
       }},
      {"GET", "/api/v1/namespaces/{ns}/tables/{table}/preview",
       [&tables](RequestContext &ctx) {
         int64_t limit = IntegerParam(ctx, "limit", kDefaultPreviewRows, 0, kMaxPreviewRows);
         auto ns = ctx.Param("ns");
         auto table = ctx.Param("table");
         ctx.SendStream(ContentTypeOf(ResultFormat::kJson), [&tables, ns, table, limit](const ByteSink &sink) {
           tables.Preview(ns, table, limit, sink);
         });
       }},
  };
}

}  // namespace ducklake
