#include "auth/audit_log.hpp"

#include "common/digest.hpp"
#include "common/error.hpp"
#include "common/json.hpp"

namespace ducklake {
namespace {

const std::string kFirstPrevious(64, '0');

constexpr const char *kColumns =
    "audit_id, at_ms, principal, token_id, remote, method, path, action, target, allowed, status, detail, "
    "previous_hash, hash";

AuditEntry ToEntry(const SqlRow &row, std::string *previous_hash = nullptr) {
  AuditEntry entry;
  entry.id = row.Int(0);
  entry.at_ms = row.Int(1);
  entry.principal = row.String(2);
  entry.token_id = row.String(3);
  entry.remote = row.String(4);
  entry.method = row.String(5);
  entry.path = row.String(6);
  entry.action = row.String(7);
  entry.target = row.String(8);
  entry.allowed = row.Int(9) != 0;
  entry.status = static_cast<int>(row.Int(10));
  entry.detail = row.String(11);
  if (previous_hash) *previous_hash = row.String(12);
  entry.hash = row.String(13);
  return entry;
}

}  // namespace

std::string AuditLog::HashOf(const AuditEntry &entry, const std::string &previous_hash) {
  // Every field as a JSON string, so no value can pass for another's boundary.
  std::string text;
  for (const std::string &field :
       {previous_hash, std::to_string(entry.id), std::to_string(entry.at_ms), entry.principal, entry.token_id,
        entry.remote, entry.method, entry.path, entry.action, entry.target, std::string(entry.allowed ? "1" : "0"),
        std::to_string(entry.status), entry.detail}) {
    AppendJsonString(field, text);
    text += '\n';
  }
  Digest digest(DigestAlgorithm::kSha256);
  digest.Update(text.data(), text.size());
  return HexEncode(digest.Finish());
}

void AuditLog::Append(AuditEntry entry) {
  appends_.Run([&](MetaTransaction &txn) {
    auto last = txn.Query("SELECT audit_id, hash FROM dl_audit ORDER BY audit_id DESC LIMIT 1");
    entry.id = last.empty() ? 1 : last[0].Int(0) + 1;
    auto previous = last.empty() ? kFirstPrevious : last[0].String(1);
    entry.hash = HashOf(entry, previous);
    txn.Execute(fmt::format("INSERT INTO dl_audit ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {entry.id, entry.at_ms, entry.principal, entry.token_id, entry.remote, entry.method, entry.path,
                 entry.action, entry.target, static_cast<int64_t>(entry.allowed), static_cast<int64_t>(entry.status),
                 entry.detail, previous, entry.hash});
  });
}

std::vector<AuditEntry> AuditLog::List(const AuditQuery &query) {
  std::string sql = fmt::format("SELECT {} FROM dl_audit WHERE audit_id > ?", kColumns);
  std::vector<SqlValue> params{query.after};
  if (query.principal) {
    sql += " AND principal = ?";
    params.push_back(*query.principal);
  }
  if (query.allowed) {
    sql += " AND allowed = ?";
    params.push_back(static_cast<int64_t>(*query.allowed));
  }
  sql += " ORDER BY audit_id LIMIT ?";
  params.push_back(static_cast<int64_t>(std::min(query.limit, kMaxPage)));
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::vector<AuditEntry> entries;
  for (const auto &row : txn->Query(sql, params)) entries.push_back(ToEntry(row));
  return entries;
}

AuditVerification AuditLog::Verify() {
  AuditVerification result;
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::string expected_previous = kFirstPrevious;
  int64_t expected_id = 1;
  int64_t after = 0;
  while (true) {
    auto rows = txn->Query(fmt::format("SELECT {} FROM dl_audit WHERE audit_id > ? ORDER BY audit_id LIMIT 1000", kColumns),
                           {after});
    if (rows.empty()) return result;
    for (const auto &row : rows) {
      std::string previous;
      auto entry = ToEntry(row, &previous);
      result.checked++;
      // A removed entry leaves a gap in the ids; a changed one no longer hashes to its hash.
      if (entry.id != expected_id || previous != expected_previous || HashOf(entry, previous) != entry.hash) {
        result.first_broken = entry.id;
        return result;
      }
      expected_previous = entry.hash;
      expected_id = entry.id + 1;
      after = entry.id;
    }
  }
}

}  // namespace ducklake
