// SQL: POST /api/v1/query.

#include <ctime>

#include "api/http.hpp"

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

}  // namespace

std::vector<Route> QueryRoutes(Services &services, const Config &config) {
  TableService &tables = services.tables;
  Lake &lake = services.lake;
  return {
      {"POST", "/api/v1/query",
       [&tables, &lake, &config](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         if (body.contains("statements")) {
           // A transaction: every statement commits in one snapshot, or none does.
           RejectUnknownFields(body, {"statements", "timeout_ms", "message"});
           TransactionRequest request;
           request.statements = StatementsField(body["statements"]);
           request.timeout_ms = body.contains("timeout_ms") ? IntegerField(body["timeout_ms"], "timeout_ms", 1)
                                                            : config.default_query_timeout_ms;
           request.commit = CommitOf(ctx);
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
         request.options.timeout_ms = config.default_query_timeout_ms;
         request.commit = CommitOf(ctx);
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
             request.options.limit = IntegerField(value, "limit", 0);
           } else if (key == "timeout_ms") {
             request.options.timeout_ms = IntegerField(value, "timeout_ms", 1);
           } else if (key == "snapshot") {
             if (body.contains("as_of")) throw Error(ErrorKind::kInvalidInput, "give snapshot or as_of, not both");
             request.snapshot_id = IntegerField(value, "snapshot", 0);
           } else if (key == "as_of") {
             if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'as_of' must be a timestamp string");
             request.snapshot_id = lake.SnapshotAt(ParseRfc3339Ms(value.get<std::string>(), "as_of"));
           } else if (key == "message") {
             if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'message' must be a string");
             request.commit.message = value.get<std::string>();
           } else {
             throw MakeError(ErrorKind::kInvalidInput, "unknown field '{}'", key);
           }
         }
         if (request.sql.empty()) throw Error(ErrorKind::kInvalidInput, "field 'sql' is required");
         if (config.max_result_rows > 0) {
           request.options.limit = std::min(request.options.limit.value_or(config.max_result_rows),
                                            config.max_result_rows);
         }
         ctx.SendStream(ContentTypeOf(request.options.format),
                        [&tables, request](const ByteSink &sink) { tables.RunSql(request, sink); });
       }},
  };
}

}  // namespace ducklake
