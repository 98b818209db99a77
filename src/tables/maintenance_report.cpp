#include "tables/maintenance_report.hpp"

namespace ducklake {

nlohmann::json CompactReport(const std::vector<CompactedTable> &tables, bool dry_run) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto &table : tables) {
    list.push_back({{"namespace", table.namespace_name},
                    {"table", table.table_name},
                    {"files_before", table.files_before},
                    {"files_after", table.files_after},
                    {"snapshot_id", dry_run ? nlohmann::json() : nlohmann::json(table.snapshot_id)}});
  }
  return {{"operation", "compact"}, {"dry_run", dry_run}, {"tables", list}};
}

nlohmann::json ExpireReport(const ExpireResult &result, bool dry_run) {
  return {{"operation", "expire"},
          {"dry_run", dry_run},
          {"expired_snapshots", result.expired_snapshots},
          {"scheduled_files", result.scheduled_files}};
}

nlohmann::json CleanupReport(const CleanupResult &result, bool dry_run) {
  return {{"operation", "cleanup"},
          {"dry_run", dry_run},
          {"deleted_scheduled_files", result.deleted_scheduled},
          {"deleted_orphan_files", result.deleted_orphans}};
}

nlohmann::json FlushReport(const std::vector<FlushedTable> &tables, bool dry_run) {
  auto list = nlohmann::json::array();
  int64_t rows = 0;
  for (const auto &table : tables) {
    list.push_back({{"namespace", table.namespace_name},
                    {"table", table.table_name},
                    {"rows", table.rows},
                    {"snapshot_id", dry_run ? nlohmann::json(nullptr) : nlohmann::json(table.snapshot_id)}});
    rows += table.rows;
  }
  return {{"operation", "flush"}, {"dry_run", dry_run}, {"flushed_rows", rows}, {"tables", list}};
}

nlohmann::json ReconcileReportJson(const std::string &volume, const ReconcileReport &report, bool dry_run) {
  return {{"operation", "reconcile"},       {"volume", volume},
          {"dry_run", dry_run},             {"added", report.added},
          {"updated", report.updated},      {"removed", report.removed},
          {"unchanged", report.unchanged},  {"stale_reservations", report.stale_reservations}};
}

}  // namespace ducklake
