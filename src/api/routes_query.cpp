// SQL: POST /api/v1/query.

#include <ctime>

#include "api/http.hpp"

namespace ducklake {
namespace {

int64_t IntegerField(const nlohmann::json &value, const char *field, int64_t minimum) {
  if (!value.is_number_integer()) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be an integer", field);
  auto number = value.get<int64_t>();
  if (number < minimum) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be at least {}", field, minimum);
  return number;
}

// RFC 3339 ("2026-11-25T10:00:00Z", "2026-11-25T10:00:00.5+01:00") to Unix milliseconds.
int64_t ParseTimestampMs(const std::string &text) {
  std::tm tm{};
  const char *rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  auto bad = [&text]() {
    return MakeError(ErrorKind::kInvalidInput, "as_of '{}' is not an RFC 3339 timestamp (2026-11-25T10:00:00Z)",
                     text.substr(0, 64));
  };
  if (!rest) throw bad();
  int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  if (*rest == '.') {
    int64_t scale = 100;
    for (rest++; std::isdigit(static_cast<unsigned char>(*rest)); rest++, scale /= 10) ms += (*rest - '0') * scale;
  }
  if (*rest == 'Z' || *rest == 'z') {
    rest++;
  } else if (*rest == '+' || *rest == '-') {
    int hours = 0, minutes = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2 || hours > 23 || minutes > 59) throw bad();
    int64_t offset_ms = (hours * 60 + minutes) * 60000LL;
    ms += *rest == '+' ? -offset_ms : offset_ms;
    rest += 6;
  } else {
    throw bad();
  }
  if (*rest != '\0') throw bad();
  return ms;
}

}  // namespace

std::vector<Route> QueryRoutes(Services &services, const Config &config) {
  TableService &tables = services.tables;
  Lake &lake = services.lake;
  return {
      {"POST", "/api/v1/query",
       [&tables, &lake, &config](RequestContext &ctx) {
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
             if (body.contains("as_of")) throw Error(ErrorKind::kInvalidInput, "give snapshot or as_of, not both");
             request.snapshot_id = IntegerField(value, "snapshot", 0);
           } else if (key == "as_of") {
             if (!value.is_string()) throw Error(ErrorKind::kInvalidInput, "field 'as_of' must be a timestamp string");
             request.snapshot_id = lake.SnapshotAt(ParseTimestampMs(value.get<std::string>()));
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
