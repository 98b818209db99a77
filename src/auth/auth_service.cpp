#include "auth/auth_service.hpp"

#include <algorithm>

#include "common/digest.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"

namespace ducklake {
namespace {

constexpr const char *kTokenPrefix = "dl_";
constexpr size_t kTokenHexDigits = 64;

bool HasTokenForm(const std::string &token) {
  if (token.size() != 3 + kTokenHexDigits || token.compare(0, 3, kTokenPrefix) != 0) return false;
  return std::all_of(token.begin() + 3, token.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string TokenHash(const std::string &token) {
  Digest digest(DigestAlgorithm::kSha256);
  digest.Update(token.data(), token.size());
  return HexEncode(digest.Finish());
}

constexpr const char *kTokenColumns =
    "token_id, user_name, description, created_by, created_ms, expires_ms, revoked_ms, last_used_ms";

TokenInfo ToToken(const SqlRow &row) {
  return {row.String(0),      row.String(1),      row.String(2),     row.String(3),
          row.Int(4),         row.OptionalInt(5), row.OptionalInt(6), row.OptionalInt(7)};
}

ScopeKind ParseScope(const std::string &name) {
  if (name == "lake") return ScopeKind::kLake;
  if (name == "namespace") return ScopeKind::kNamespace;
  if (name == "volume") return ScopeKind::kVolume;
  throw MakeError(ErrorKind::kInternal, "unknown grant scope '{}'", name);
}

GrantInfo ToGrant(const SqlRow &row) {
  return {row.String(0), row.String(1), ParseRole(row.String(2)), ParseScope(row.String(3)), row.String(4),
          row.String(5), row.Int(6)};
}

constexpr const char *kGrantColumns = "grant_id, principal, role, scope_kind, scope_name, created_by, created_ms";

// Case-insensitive, as lake names are.
std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A principal's grants, read once, answering for one request.
class GrantAccess : public Access {
 public:
  GrantAccess(std::string user, std::vector<GrantInfo> grants) : user_(std::move(user)), grants_(std::move(grants)) {}

  void RequireNamespace(const std::string &name, Role role) const override {
    if (!HasNamespace(name, role)) Refuse("namespace", name, role);
  }
  void RequireVolume(const std::string &name, Role role) const override {
    if (!HasVolume(name, role)) Refuse("volume", name, role);
  }
  void RequireLake(Role role) const override {
    if (!HasLake(role)) Refuse("lake", "", role);
  }
  bool HasLake(Role role) const override { return Best(ScopeKind::kLake, "") >= static_cast<int>(role); }
  bool HasNamespace(const std::string &name, Role role) const override {
    return Best(ScopeKind::kNamespace, name) >= static_cast<int>(role);
  }
  bool HasVolume(const std::string &name, Role role) const override {
    return Best(ScopeKind::kVolume, name) >= static_cast<int>(role);
  }

 private:
  // The highest role a grant gives on the scope (lake-wide grants count everywhere); 0 for none.
  int Best(ScopeKind scope, const std::string &name) const {
    int best = 0;
    for (const auto &grant : grants_) {
      bool applies = grant.scope == ScopeKind::kLake ||
                     (grant.scope == scope && Lower(grant.scope_name) == Lower(name));
      if (applies) best = std::max(best, static_cast<int>(grant.role));
    }
    return best;
  }

  [[noreturn]] void Refuse(const char *scope, const std::string &name, Role role) const {
    if (name.empty()) throw MakeError(ErrorKind::kForbidden, "'{}' is not {} of the lake", user_, RoleName(role));
    throw MakeError(ErrorKind::kForbidden, "'{}' is not {} of {} '{}'", user_, RoleName(role), scope, name);
  }

  std::string user_;
  std::vector<GrantInfo> grants_;
};

class Unrestricted : public Access {
 public:
  void RequireNamespace(const std::string &, Role) const override {}
  void RequireVolume(const std::string &, Role) const override {}
  void RequireLake(Role) const override {}
  bool HasNamespace(const std::string &, Role) const override { return true; }
  bool HasVolume(const std::string &, Role) const override { return true; }
  bool HasLake(Role) const override { return true; }
};

}  // namespace

Role ParseRole(const std::string &name) {
  if (name == "reader") return Role::kReader;
  if (name == "writer") return Role::kWriter;
  if (name == "admin") return Role::kAdmin;
  throw MakeError(ErrorKind::kInvalidInput, "role must be reader, writer or admin, not '{}'", name);
}

const char *ScopeKindName(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kLake: return "lake";
    case ScopeKind::kNamespace: return "namespace";
    case ScopeKind::kVolume: return "volume";
  }
  return "lake";
}

void ValidatePrincipalName(const std::string &name, const char *what) {
  bool valid = !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0])) &&
               std::all_of(name.begin(), name.end(), [](unsigned char c) {
                 return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
               });
  if (!valid) {
    throw MakeError(ErrorKind::kInvalidInput,
                    "{} must be 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit", what);
  }
}

const Access &UnrestrictedAccess() {
  static const Unrestricted access;
  return access;
}

Principal AuthService::PrincipalOfToken(const std::string &token_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query("SELECT user_name, expires_ms, revoked_ms FROM dl_token WHERE token_id = ?", {token_id});
  if (rows.empty() || !rows[0].IsNull(2) || (!rows[0].IsNull(1) && rows[0].Int(1) <= NowUnixMs())) {
    throw Error(ErrorKind::kForbidden, "the presigned URL's creator no longer has a valid token");
  }
  Principal principal{rows[0].String(0), token_id, {}, std::nullopt};
  if (!rows[0].IsNull(1)) principal.token_expires_ms = rows[0].Int(1);
  for (const auto &row : txn->Query("SELECT group_name FROM dl_group_member WHERE user_name = ? ORDER BY group_name",
                                    {principal.user})) {
    principal.groups.push_back(row.String(0));
  }
  return principal;
}

Principal AuthService::Authenticate(const std::string &token) {
  if (!HasTokenForm(token)) throw Error(ErrorKind::kUnauthenticated, "the bearer token is malformed");
  auto hash = TokenHash(token);
  int64_t now = NowUnixMs();
  Principal principal;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    auto rows = txn->Query("SELECT token_id, user_name, token_hash, expires_ms, revoked_ms FROM dl_token WHERE "
                           "token_hash = ?",
                           {hash});
    // Found by its hash; the stored hash is compared again in constant time all the same.
    if (rows.empty() || !ConstantTimeEquals(rows[0].String(2), hash)) {
      throw Error(ErrorKind::kUnauthenticated, "the bearer token is not known");
    }
    if (!rows[0].IsNull(4)) throw Error(ErrorKind::kUnauthenticated, "the bearer token was revoked");
    if (!rows[0].IsNull(3) && rows[0].Int(3) <= now) throw Error(ErrorKind::kUnauthenticated, "the bearer token expired");
    principal.token_id = rows[0].String(0);
    principal.user = rows[0].String(1);
    if (!rows[0].IsNull(3)) principal.token_expires_ms = rows[0].Int(3);
    for (const auto &row : txn->Query("SELECT group_name FROM dl_group_member WHERE user_name = ? ORDER BY group_name",
                                      {principal.user})) {
      principal.groups.push_back(row.String(0));
    }
  }
  return principal;
}

NewToken AuthService::CreateToken(const std::string &user, std::optional<int64_t> lifetime_ms,
                                  const std::string &description, const std::string &created_by,
                                  std::optional<int64_t> not_after_ms) {
  ValidatePrincipalName(user, "user");
  if (lifetime_ms && (*lifetime_ms < 1000 || *lifetime_ms > kMaxTokenLifetimeMs)) {
    throw MakeError(ErrorKind::kInvalidInput, "expires_in must be 1 to {} seconds", kMaxTokenLifetimeMs / 1000);
  }
  if (description.size() > 256) throw Error(ErrorKind::kInvalidInput, "description is longer than 256 bytes");
  NewToken token;
  token.secret = std::string(kTokenPrefix) + RandomHex(32);
  token.info.id = RandomHex(8);
  token.info.user = user;
  token.info.description = description;
  token.info.created_by = created_by;
  token.info.created_ms = NowUnixMs();
  if (lifetime_ms) token.info.expires_ms = token.info.created_ms + *lifetime_ms;
  if (not_after_ms) {
    if (*not_after_ms <= token.info.created_ms || (token.info.expires_ms && *token.info.expires_ms > *not_after_ms)) {
      throw Error(ErrorKind::kForbidden, "a new token cannot outlive the token that makes it");
    }
    if (!token.info.expires_ms) token.info.expires_ms = not_after_ms;
  }
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  txn->Execute("INSERT INTO dl_token (token_id, user_name, token_hash, description, created_by, created_ms, expires_ms, "
               "revoked_ms, last_used_ms) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
               {token.info.id, user, TokenHash(token.secret), description, created_by, token.info.created_ms,
                token.info.expires_ms ? SqlValue(*token.info.expires_ms) : SqlValue()});
  txn->Commit();
  return token;
}

TokenInfo AuthService::AdoptToken(const std::string &secret, const std::string &user, const std::string &description) {
  if (!HasTokenForm(secret)) {
    throw Error(ErrorKind::kInvalidInput, "a token must be 'dl_' and 64 hexadecimal digits");
  }
  auto hash = TokenHash(secret);
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  auto rows = txn->Query(fmt::format("SELECT {} FROM dl_token WHERE token_hash = ?", kTokenColumns), {hash});
  if (!rows.empty()) return ToToken(rows[0]);
  TokenInfo info{RandomHex(8), user, description, "(configuration)", NowUnixMs(), std::nullopt, std::nullopt, std::nullopt};
  txn->Execute("INSERT INTO dl_token (token_id, user_name, token_hash, description, created_by, created_ms, expires_ms, "
               "revoked_ms, last_used_ms) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
               {info.id, user, hash, description, info.created_by, info.created_ms});
  txn->Commit();
  return info;
}

std::vector<TokenInfo> AuthService::ListTokens(const std::optional<std::string> &user) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::vector<TokenInfo> tokens;
  auto rows = user ? txn->Query(fmt::format("SELECT {} FROM dl_token WHERE user_name = ? ORDER BY created_ms, token_id",
                                            kTokenColumns),
                                {*user})
                   : txn->Query(fmt::format("SELECT {} FROM dl_token ORDER BY created_ms, token_id", kTokenColumns));
  for (const auto &row : rows) tokens.push_back(ToToken(row));
  return tokens;
}

TokenInfo AuthService::GetToken(const std::string &id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = txn->Query(fmt::format("SELECT {} FROM dl_token WHERE token_id = ?", kTokenColumns), {id});
  if (rows.empty()) throw MakeError(ErrorKind::kNotFound, "token '{}' not found", id);
  return ToToken(rows[0]);
}

void AuthService::RevokeToken(const std::string &id) {
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  if (txn->Execute("UPDATE dl_token SET revoked_ms = COALESCE(revoked_ms, ?) WHERE token_id = ?", {NowUnixMs(), id}) == 0) {
    throw MakeError(ErrorKind::kNotFound, "token '{}' not found", id);
  }
  txn->Commit();
}

bool AuthService::HasTokens() {
  auto txn = meta_.Begin(TransactionMode::kRead);
  return !txn->Query("SELECT 1 FROM dl_token LIMIT 1").empty();
}

GrantInfo AuthService::Grant(const std::string &principal, Role role, ScopeKind scope, const std::string &scope_name,
                             const std::string &created_by) {
  auto name = principal.rfind(kGroupPrefix, 0) == 0 ? principal.substr(6) : principal;
  ValidatePrincipalName(name, "principal");
  GrantInfo grant{RandomHex(8), principal, role, scope, scope_name, created_by, NowUnixMs()};
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  // One role per principal and scope: granting again replaces it.
  txn->Execute("DELETE FROM dl_grant WHERE principal = ? AND scope_kind = ? AND scope_name = ?",
               {principal, std::string(ScopeKindName(scope)), scope_name});
  txn->Execute("INSERT INTO dl_grant (grant_id, principal, role, scope_kind, scope_name, created_by, created_ms) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               {grant.id, principal, std::string(RoleName(role)), std::string(ScopeKindName(scope)), scope_name,
                created_by, grant.created_ms});
  txn->Commit();
  return grant;
}

void AuthService::RevokeGrant(const std::string &id) {
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  if (txn->Execute("DELETE FROM dl_grant WHERE grant_id = ?", {id}) == 0) {
    throw MakeError(ErrorKind::kNotFound, "grant '{}' not found", id);
  }
  txn->Commit();
}

void AuthService::RevokeGrantsOn(ScopeKind scope, const std::string &name) {
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  txn->Execute("DELETE FROM dl_grant WHERE scope_kind = ? AND lower(scope_name) = ?", {ScopeKindName(scope), Lower(name)});
  txn->Commit();
}

std::vector<GrantInfo> AuthService::ListGrants(const std::optional<std::string> &principal) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto rows = principal
                  ? txn->Query(fmt::format("SELECT {} FROM dl_grant WHERE principal = ? ORDER BY created_ms, grant_id",
                                           kGrantColumns),
                               {*principal})
                  : txn->Query(fmt::format("SELECT {} FROM dl_grant ORDER BY created_ms, grant_id", kGrantColumns));
  std::vector<GrantInfo> grants;
  for (const auto &row : rows) grants.push_back(ToGrant(row));
  return grants;
}

void AuthService::AddGroupMember(const std::string &group, const std::string &user, const std::string &added_by) {
  ValidatePrincipalName(group, "group");
  ValidatePrincipalName(user, "user");
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  txn->Execute("INSERT INTO dl_group_member (group_name, user_name, added_by, added_ms) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (group_name, user_name) DO NOTHING",
               {group, user, added_by, NowUnixMs()});
  txn->Commit();
}

void AuthService::RemoveGroupMember(const std::string &group, const std::string &user) {
  auto txn = meta_.Begin(TransactionMode::kBookkeeping);
  if (txn->Execute("DELETE FROM dl_group_member WHERE group_name = ? AND user_name = ?", {group, user}) == 0) {
    throw MakeError(ErrorKind::kNotFound, "'{}' is not a member of group '{}'", user, group);
  }
  txn->Commit();
}

std::vector<std::pair<std::string, std::string>> AuthService::ListGroupMembers() {
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::vector<std::pair<std::string, std::string>> members;
  for (const auto &row : txn->Query("SELECT group_name, user_name FROM dl_group_member ORDER BY group_name, user_name")) {
    members.emplace_back(row.String(0), row.String(1));
  }
  return members;
}

std::unique_ptr<Access> AuthService::AccessOf(const Principal *principal) {
  if (!principal) return std::make_unique<Unrestricted>();  // NOLINT: a fresh one the caller owns
  std::vector<SqlValue> names{principal->user};
  std::string placeholders = "?";
  for (const auto &group : principal->groups) {
    names.push_back(kGroupPrefix + group);
    placeholders += ", ?";
  }
  std::vector<GrantInfo> grants;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    for (const auto &row : txn->Query(fmt::format("SELECT {} FROM dl_grant WHERE principal IN ({})", kGrantColumns,
                                                  placeholders),
                                      names)) {
      grants.push_back(ToGrant(row));
    }
  }
  return std::make_unique<GrantAccess>(principal->user, std::move(grants));
}

}  // namespace ducklake
