// SQL: POST /api/v1/query.

#include <ctime>
#include <map>

#include "api/client_connection.hpp"
#include "api/http.hpp"
#include "tables/object_jobs.hpp"

namespace ducklake {
namespace {

std::vector<std::string> StatementsField(const nlohmann::json &value) {
  if (!value.is_array()) throw Error(ErrorKind::kInvalidInput, "field 'statements' must be an array of SQL strings");
  std::vector<std::string> statements;
  for (const auto &item : value) {
    if (!item.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'statements' must be an array of SQL strings");
    statements.push_back(item.get<std::string>());
  }
  return statements;
}

// What a statement acts on, for the audit log: "INSERT sales.orders", or "query".
std::string StatementTarget(const Statement &statement) {
  static const std::map<StatementKind, const char *> kVerbs = {
      {StatementKind::kQuery, "query"},         {StatementKind::kInsert, "INSERT"},
      {StatementKind::kCreateTableAs, "CREATE TABLE AS"}, {StatementKind::kCreateTable, "CREATE TABLE"},
      {StatementKind::kDelete, "DELETE"},       {StatementKind::kUpdate, "UPDATE"},
      {StatementKind::kAlterTable, "ALTER TABLE"}, {StatementKind::kDropTable, "DROP TABLE"}};
  std::string target = kVerbs.at(statement.kind);
  if (statement.kind != StatementKind::kQuery) target += " " + statement.target_schema + "." + statement.target_table;
  return target;
}

constexpr const char *kUnreadableTarget = "refused or malformed SQL";

ExportTarget ExportField(const nlohmann::json &value) {
  if (!value.is_object() || !value.contains("volume") || !value.contains("key") || !value["volume"].is_string() ||
      !value["key"].is_string()) {
    throw Error(ErrorKind::kInvalidInput, "field 'export' must be {\"volume\": ..., \"key\": ...}");
  }
  RejectUnknownFields(value, {"volume", "key"});
  return {value["volume"].get<std::string>(), value["key"].get<std::string>()};
}

}  // namespace

std::vector<Route> QueryRoutes(TableService &tables, FileService &files, const Config &config) {
  return {
      {"POST", "/api/v1/query",
       [&tables, &files, &config](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         if (body.contains("statements")) {
           // A transaction: every statement commits in one snapshot, or none does.
           RejectUnknownFields(body, {"statements", "timeout_ms", "message", "job"});
           TransactionRequest request;
           if (body.contains("job")) request.job_name = JobNameField(body["job"]);
           request.statements = StatementsField(body["statements"]);
           // Parsed once: for the audit log here, and to run (a statement that does not parse fails
           // the transaction with its number).
           for (const auto &statement : request.statements) {
             std::string target = kUnreadableTarget;
             try {
               request.parsed.push_back(tables.Parse(statement));
               target = StatementTarget(request.parsed.back());
             } catch (const Error &) {
             }
             ctx.audit_target += (ctx.audit_target.empty() ? "" : "; ") + target;
           }
           request.timeout_ms = body.contains("timeout_ms") ? IntegerField(body["timeout_ms"], "timeout_ms", 1, config.default_query_timeout_ms)
                                                            : config.default_query_timeout_ms;
           request.commit = CommitOf(ctx);
           request.access = ctx.access;
           if (body.contains("message")) {
             if (!body["message"].is_string()) throw Error(ErrorKind::kInvalidInput, "field 'message' must be a string");
             request.commit.message = body["message"].get<std::string>();
           }
           auto result = tables.RunTransaction(request);
           nlohmann::json statements = nlohmann::json::array();
           for (const auto &outcome : result.statements) statements.push_back({{outcome.count_name, outcome.count}});
           ctx.SendJson(200, {{"snapshot_id", result.commit.snapshot_id},
                              {"rows_written", result.commit.rows_written},
                              {"rows_deleted", result.commit.rows_deleted},
                              {"statements", statements}});
           return;
         }
         SqlRequest request;
         std::optional<ExportTarget> export_target;
         request.options.timeout_ms = config.default_query_timeout_ms;
         request.commit = CommitOf(ctx);
         request.access = ctx.access;
         for (const auto &item : body.items()) {
           const auto &key = item.key();
           const auto &value = item.value();
           if (key == "sql") {
             if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'sql' must be a string");
             request.sql = value.get<std::string>();
           } else if (key == "format") {
             if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'format' must be a string");
             request.options.format = ParseResultFormat(value.get<std::string>());
           } else if (key == "limit") {
             request.options.limit = IntegerField(value, "limit", 0, INT64_MAX);
           } else if (key == "timeout_ms") {
             request.options.timeout_ms = IntegerField(value, "timeout_ms", 1, config.default_query_timeout_ms);
           } else if (key == "snapshot") {
             if (body.contains("as_of")) throw Error(ErrorKind::kInvalidInput, "give snapshot or as_of, not both");
             request.snapshot_id = IntegerField(value, "snapshot", 0, INT64_MAX);
           } else if (key == "as_of") {
             if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'as_of' must be a timestamp string");
             request.snapshot_id = tables.history().SnapshotAt(ParseRfc3339Ms(value.get<std::string>(), "as_of"));
           } else if (key == "message") {
             if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'message' must be a string");
             request.commit.message = value.get<std::string>();
           } else if (key == "export") {
             export_target = ExportField(value);
           } else if (key == "job") {
             request.job_name = JobNameField(value);
           } else {
             throw MakeError(ErrorKind::kInvalidInput, "unknown field '{}'", key);
           }
         }
         if (request.sql.empty()) throw Error(ErrorKind::kInvalidInput, "field 'sql' is required");
         ctx.audit_target = kUnreadableTarget;
         if (export_target) ctx.audit_target += " exported to " + export_target->volume + "/" + export_target->key;
         request.statement = tables.Parse(request.sql);  // the request itself answers why it does not parse
         ctx.audit_target = StatementTarget(*request.statement);
         if (export_target) ctx.audit_target += " exported to " + export_target->volume + "/" + export_target->key;
         if (request.job_name && !export_target && request.statement->kind == StatementKind::kQuery) {
           throw Error(ErrorKind::kInvalidInput, "field 'job' names the lineage job of a write or an export; a query "
                                                 "is neither");
         }
         // A client that goes away stops its query, even one that has sent nothing yet (an
         // aggregate over a large join): it would otherwise run, holding cores, to its timeout. An
         // export then stores nothing: its caller can no longer learn that it did.
         auto client = std::make_shared<ClientConnection>(ctx.request);
         request.options.abandoned = [client] { return client->Gone(); };
         if (export_target) {
           // Exports default to Parquet, the format that keeps types.
           if (!body.contains("format")) request.options.format = ResultFormat::kParquet;
           auto object = ExportQuery(tables, files, request, *export_target, ContentTypeOf(request.options.format));
           auto json = ObjectJson(object);
           json["volume"] = export_target->volume;
           json["snapshot_id"] = *request.snapshot_id;
           ctx.SendJson(201, json);
           return;
         }
         if (request.statement->kind == StatementKind::kQuery) {
           // Pinned before the first byte, so that the answer can say which snapshot it read: an
           // export of the same result, or another page of it, can then ask for exactly that one.
           ctx.response.set_header("X-DuckLake-Snapshot", std::to_string(tables.PinSnapshot(request)));
         }
         if (config.max_result_rows > 0) {
           request.options.limit = std::min(request.options.limit.value_or(config.max_result_rows),
                                            config.max_result_rows);
         }
         std::shared_ptr<void> slot;
         if (ctx.query_slots) {
           slot = ctx.query_slots->Acquire(ctx.principal->token_id);
           if (!slot) {
             ctx.response.set_header("Retry-After", "1");
             throw MakeError(ErrorKind::kRateLimited, "more than {} queries at once with this token",
                             config.max_concurrent_queries);
           }
         }
         // The query runs on after this handler returns: it keeps its slot and the caller's rights.
         auto access = ctx.shared_access;
         uint64_t max_bytes = config.max_result_bytes;
         ctx.SendStream(ContentTypeOf(request.options.format),
                        [&tables, request, slot, access, max_bytes](const ByteSink &sink) {
                          uint64_t sent = 0;
                          tables.RunSql(request, [&](const char *data, size_t size) {
                            sent += size;
                            if (max_bytes > 0 && sent > max_bytes) {
                              throw MakeError(ErrorKind::kTooLarge, "the result is larger than {} bytes", max_bytes);
                            }
                            return sink(data, size);
                          });
                        });
       }},
  };
}

}  // namespace ducklake
