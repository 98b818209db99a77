// SQL: POST /api/v1/query.

#include "api/http.hpp"

namespace ducklake {
namespace {

int64_t IntegerField(const nlohmann::json &value, const char *field, int64_t minimum) {
  if (!value.is_number_integer()) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be an integer", field);
  auto number = value.get<int64_t>();
  if (number < minimum) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be at least {}", field, minimum);
  return number;
}

}  // namespace

std::vector<Route> QueryRoutes(Services &services, const Config &config) {
  TableService &tables = services.tables;
  return {
      {"POST", "/api/v1/query",
       [&tables, &config](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         SqlRequest request;
         request.options.timeout_ms = config.default_query_timeout_ms;
         request.commit.author = "anonymous";
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
             request.snapshot_id = IntegerField(value, "snapshot", 0);
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
