#pragma once
// The JSON reports of maintenance operations, shared by the HTTP API and `ducklake maintenance` so
// both say the same thing: what was (or, with dry_run, would be) compacted, expired, deleted and reconciled.

#include <nlohmann/json.hpp>
#include <vector>

#include "files/file_service.hpp"
#include "tables/maintenance.hpp"

namespace ducklake {

nlohmann::json CompactReport(const std::vector<CompactedTable> &tables, bool dry_run);
nlohmann::json ExpireReport(const ExpireResult &result, bool dry_run);
nlohmann::json CleanupReport(const CleanupResult &result, bool dry_run);
nlohmann::json FlushReport(const std::vector<FlushedTable> &tables, bool dry_run);
nlohmann::json ReconcileReportJson(const std::string &volume, const ReconcileReport &report, bool dry_run);

}  // namespace ducklake
