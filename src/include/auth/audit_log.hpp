#pragma once
// AuditLog: who did what to which table, object, token or grant, when, from where, and whether it
// was allowed, kept in the metadata database. Each entry holds the SHA-256 of its fields and of the
// entry before it, so changing or removing an entry (short of rewriting every later one) shows in
// Verify. Appends from many threads share transactions (group commit); Append returns once its
// entry is kept. Thread-safe. Errors are ducklake::Error from the MetaStore.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meta/group_commit.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

struct AuditEntry {
  int64_t id = 0;  // set when kept
  int64_t at_ms = 0;
  std::string principal;  // the user, "anonymous" without authentication, "-" when unknown
  std::string token_id;
  std::string remote;  // the client's address
  std::string method;
  std::string path;
  std::string action;  // the route, e.g. "DELETE /api/v1/namespaces/{ns}/tables/{table}"
  std::string target;  // what it acted on, e.g. "namespace sales table orders"
  bool allowed = true;
  int status = 0;
  std::string detail;  // why it was refused, or what it did (never a secret)
  std::string hash;    // set when kept
};

struct AuditQuery {
  int64_t after = 0;
  size_t limit = 100;
  std::optional<std::string> principal;
  std::optional<bool> allowed;
};

struct AuditVerification {
  int64_t checked = 0;
  std::optional<int64_t> first_broken;  // the first entry whose hash does not hold
};

class AuditLog {
 public:
  static constexpr size_t kMaxPage = 1000;

  explicit AuditLog(MetaStore &meta) : meta_(meta), appends_(meta, TransactionMode::kBookkeeping) {}

  void Append(AuditEntry entry);
  std::vector<AuditEntry> List(const AuditQuery &query);
  AuditVerification Verify();

  // The hash an entry must have after `previous_hash`.
  static std::string HashOf(const AuditEntry &entry, const std::string &previous_hash);

 private:
  MetaStore &meta_;
  GroupCommit appends_;
};

}  // namespace ducklake
