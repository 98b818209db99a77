// Maintenance: POST /api/v1/maintenance/{compact,expire,cleanup,flush}.

#include "api/http.hpp"
#include "tables/maintenance_report.hpp"

namespace ducklake {
namespace {

constexpr int64_t kMaxTargetFileBytes = int64_t{1} << 40;
constexpr int64_t kMaxAgeSeconds = int64_t{100} * 366 * 86400;  // in milliseconds, far from overflowing

bool DryRun(const nlohmann::json &body) { return body.contains("dry_run") && BoolField(body["dry_run"], "dry_run"); }

std::optional<std::string> OptionalString(const nlohmann::json &body, const char *field) {
  if (!body.contains(field)) return std::nullopt;
  if (!body[field].is_string()) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be a string", field);
  return body[field].get<std::string>();
}

}  // namespace

std::vector<Route> MaintenanceRoutes(Maintenance &maintenance, const Config &config) {
  return {
      {"POST", "/api/v1/maintenance/compact",
       [&maintenance, &config](RequestContext &ctx) {
         auto body = ctx.JsonBody(true);
         RejectUnknownFields(body, {"namespace", "table", "target_file_bytes", "dry_run"});
         CompactOptions options;
         options.namespace_name = OptionalString(body, "namespace");
         options.table_name = OptionalString(body, "table");
         if (body.contains("target_file_bytes")) {
           options.target_file_bytes = IntegerField(body["target_file_bytes"], "target_file_bytes", 1, kMaxTargetFileBytes);
         }
         options.dry_run = DryRun(body);
         options.timeout_ms = config.default_query_timeout_ms;
         ctx.SendJson(200, CompactReport(maintenance.Compact(options, CommitOf(ctx)), options.dry_run));
       }},
      {"POST", "/api/v1/maintenance/expire",
       [&maintenance](RequestContext &ctx) {
         auto body = ctx.JsonBody(true);
         RejectUnknownFields(body, {"older_than", "keep_last", "dry_run"});
         if (!body.contains("older_than") && !body.contains("keep_last")) {
           throw Error(ErrorKind::kInvalidInput, "say which snapshots to keep: older_than and/or keep_last");
         }
         std::optional<int64_t> older_than;
         if (auto text = OptionalString(body, "older_than")) older_than = ParseRfc3339Ms(*text, "older_than");
         // With only older_than, every snapshot after it stays (at least the latest one).
         int64_t keep_last = body.contains("keep_last") ? IntegerField(body["keep_last"], "keep_last", 1, INT32_MAX) : 1;
         bool dry_run = DryRun(body);
         ctx.SendJson(200, ExpireReport(maintenance.Expire(older_than, keep_last, dry_run), dry_run));
       }},
      {"POST", "/api/v1/maintenance/cleanup",
       [&maintenance](RequestContext &ctx) {
         auto body = ctx.JsonBody(true);
         RejectUnknownFields(body, {"orphan_min_age_seconds", "scheduled_min_age_seconds", "dry_run"});
         CleanupOptions options;
         if (body.contains("scheduled_min_age_seconds")) {
           options.scheduled_min_age_ms =
               IntegerField(body["scheduled_min_age_seconds"], "scheduled_min_age_seconds", 0, kMaxAgeSeconds) * 1000;
         }
         if (body.contains("orphan_min_age_seconds")) {
           options.orphan_min_age_ms = IntegerField(body["orphan_min_age_seconds"], "orphan_min_age_seconds", 0, kMaxAgeSeconds) * 1000;
         }
         options.dry_run = DryRun(body);
         ctx.SendJson(200, CleanupReport(maintenance.Cleanup(options), options.dry_run));
       }},
      {"POST", "/api/v1/maintenance/flush",
       [&maintenance, &config](RequestContext &ctx) {
         auto body = ctx.JsonBody(true);
         RejectUnknownFields(body, {"namespace", "table", "dry_run"});
         FlushOptions options;
         options.namespace_name = OptionalString(body, "namespace");
         options.table_name = OptionalString(body, "table");
         options.dry_run = DryRun(body);
         options.timeout_ms = config.default_query_timeout_ms;
         ctx.SendJson(200, FlushReport(maintenance.Flush(options, CommitOf(ctx)), options.dry_run));
       }},
  };
}

}  // namespace ducklake
