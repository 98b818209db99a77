#pragma once
// AuthService: who a request comes from and what they may do. Bearer tokens ("dl_" and 64 hex
// digits, 256 random bits) are shown once, at creation; the metadata database keeps only their
// SHA-256, so a token is looked up by its hash and compared in constant time. Tokens expire and can
// be revoked. Roles (reader < writer < admin) are granted to users ("rita") and groups
// ("group:finance") on the whole lake, a namespace or a volume; a user's role somewhere is the
// highest any grant to them or their groups gives there. Thread-safe. Errors are ducklake::Error:
// kUnauthenticated (no, malformed, unknown, expired or revoked token), kForbidden, kInvalidInput,
// kNotFound.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/access.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

struct Principal {
  std::string user;
  std::string token_id;  // empty without authentication (--auth=none)
  std::vector<std::string> groups;
  std::optional<int64_t> token_expires_ms;  // when the presented token expires, if it does
};

struct TokenInfo {
  std::string id;
  std::string user;
  std::string description;
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<int64_t> expires_ms;
  std::optional<int64_t> revoked_ms;
  std::optional<int64_t> last_used_ms;
};

struct NewToken {
  TokenInfo info;
  std::string secret;  // the token itself: never stored, shown once
};

enum class ScopeKind { kLake, kNamespace, kVolume };

struct GrantInfo {
  std::string id;
  std::string principal;  // a user name, or "group:<name>"
  Role role = Role::kReader;
  ScopeKind scope = ScopeKind::kLake;
  std::string scope_name;  // the namespace or volume; empty for the lake
  std::string created_by;
  int64_t created_ms = 0;
};

const char *ScopeKindName(ScopeKind kind);
Role ParseRole(const std::string &name);  // kInvalidInput unless reader, writer or admin

class AuthService {
 public:
  static constexpr const char *kGroupPrefix = "group:";
  static constexpr const char *kAdminUser = "admin";
  static constexpr int64_t kMaxTokenLifetimeMs = 366LL * 86400 * 1000;

  explicit AuthService(MetaStore &meta) : meta_(meta) {}

  // The principal a presented token ("dl_...") belongs to; kUnauthenticated otherwise. The message
  // never repeats the token.
  Principal Authenticate(const std::string &token);

  // The principal of the token with this id, if it is still valid (for presigned URLs, which carry
  // their creator's token id); kForbidden otherwise.
  Principal PrincipalOfToken(const std::string &token_id);

  // A token for `user`, valid `lifetime_ms` (none: until revoked, at most kMaxTokenLifetimeMs).
  // With `not_after_ms` (the expiry of the token that asks for this one) the new token expires then
  // at the latest: without a lifetime it expires exactly then, and a lifetime that would outlive it
  // (or a cap already past) is kForbidden. One clock reading decides both ends.
  NewToken CreateToken(const std::string &user, std::optional<int64_t> lifetime_ms, const std::string &description,
                       const std::string &created_by, std::optional<int64_t> not_after_ms);
  // Makes `secret` (a token given from outside, e.g. the admin token file) a token of `user` if it
  // is not one yet; kInvalidInput unless it has the token's form.
  TokenInfo AdoptToken(const std::string &secret, const std::string &user, const std::string &description);
  std::vector<TokenInfo> ListTokens(const std::optional<std::string> &user);
  TokenInfo GetToken(const std::string &id);
  void RevokeToken(const std::string &id);
  // Whether any token has ever been made (the first start makes the admin's).
  bool HasTokens();

  GrantInfo Grant(const std::string &principal, Role role, ScopeKind scope, const std::string &scope_name,
                  const std::string &created_by);
  void RevokeGrant(const std::string &id);
  // Drops every grant on a namespace or volume (when it is dropped, so a new one of the same name
  // starts with none).
  void RevokeGrantsOn(ScopeKind scope, const std::string &name);
  std::vector<GrantInfo> ListGrants(const std::optional<std::string> &principal);

  void AddGroupMember(const std::string &group, const std::string &user, const std::string &added_by);
  void RemoveGroupMember(const std::string &group, const std::string &user);
  std::vector<std::pair<std::string, std::string>> ListGroupMembers();  // (group, user)

  // What `principal` may do, with their grants read once (for the length of one request). A null
  // principal is the anonymous caller of a server without authentication: allowed everything.
  std::unique_ptr<Access> AccessOf(const Principal *principal);

 private:
  MetaStore &meta_;
};

// What a caller may do without authentication (--auth=none): everything.
const Access &UnrestrictedAccess();

// Names users and groups may have: 1 to 64 of letters, digits, '.', '_', '-', '@', the first a letter or digit.
void ValidatePrincipalName(const std::string &name, const char *what);

}  // namespace ducklake
