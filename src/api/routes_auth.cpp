// Identity and access: /api/v1/tokens, /api/v1/grants, /api/v1/groups, /api/v1/audit, /api/v1/whoami.

#include <set>

#include "api/http.hpp"
#include "common/time.hpp"

namespace ducklake {
namespace {

// What the auth routes use: tokens and grants (null with --auth=none), the audit log, and the
// namespaces and volumes grants name.
struct AuthParts {
  AuthService *auth;
  AuditLog *audit;
  TableService &tables;
  FileService &files;
};

AuthService &AuthOf(const AuthParts &parts) {
  if (!parts.auth) throw Error(ErrorKind::kInvalidInput, "this server runs without authentication (--auth=none)");
  return *parts.auth;
}

nlohmann::json OptionalTime(const std::optional<int64_t> &ms) {
  return ms ? nlohmann::json(FormatRfc3339Ms(*ms)) : nlohmann::json();
}

nlohmann::json TokenJson(const TokenInfo &token) {
  return {{"id", token.id},
          {"user", token.user},
          {"description", token.description},
          {"created_by", token.created_by},
          {"created_at", FormatRfc3339Ms(token.created_ms)},
          {"expires_at", OptionalTime(token.expires_ms)},
          {"revoked_at", OptionalTime(token.revoked_ms)}};
}

nlohmann::json GrantJson(const GrantInfo &grant) {
  nlohmann::json json = {{"id", grant.id},
                         {"principal", grant.principal},
                         {"role", RoleName(grant.role)},
                         {"scope", ScopeKindName(grant.scope)},
                         {"created_by", grant.created_by},
                         {"created_at", FormatRfc3339Ms(grant.created_ms)}};
  if (grant.scope != ScopeKind::kLake) json[ScopeKindName(grant.scope)] = grant.scope_name;
  return json;
}

std::string StringOf(const nlohmann::json &body, const char *field) {
  if (!body.contains(field) || !body[field].is_string()) {
    throw MakeError(ErrorKind::kInvalidInput, "field '{}' is required and must be a string", field);
  }
  return body[field].get<std::string>();
}

// Admins of the lake act on anyone's tokens; everyone else on their own.
void RequireOwnOrAdmin(const RequestContext &ctx, const std::string &user) {
  if (ctx.principal && ctx.principal->user == user) return;
  ctx.access->RequireLake(Role::kAdmin);
}

// The admin rights a grant on this scope takes.
void RequireScopeAdmin(const RequestContext &ctx, ScopeKind scope, const std::string &name) {
  switch (scope) {
    case ScopeKind::kLake: ctx.access->RequireLake(Role::kAdmin); return;
    case ScopeKind::kNamespace: ctx.access->RequireNamespace(name, Role::kAdmin); return;
    case ScopeKind::kVolume: ctx.access->RequireVolume(name, Role::kAdmin); return;
  }
}

nlohmann::json AuditJson(const AuditEntry &entry) {
  return {{"id", entry.id},         {"at", FormatRfc3339Ms(entry.at_ms)},
          {"principal", entry.principal}, {"token_id", entry.token_id.empty() ? nlohmann::json() : nlohmann::json(entry.token_id)},
          {"remote", entry.remote}, {"method", entry.method},
          {"path", entry.path},     {"action", entry.action},
          {"target", entry.target}, {"allowed", entry.allowed},
          {"status", entry.status}, {"detail", entry.detail},
          {"hash", entry.hash}};
}

}  // namespace

std::vector<Route> AuthRoutes(AuthService *auth, AuditLog *audit, TableService &tables, FileService &files,
                              const Config &config) {
  AuthParts parts{auth, audit, tables, files};
  return {
      {"GET", "/api/v1/whoami",
       [](RequestContext &ctx) {
         if (!ctx.principal) {
           ctx.SendJson(200, {{"user", "anonymous"}, {"authenticated", false}});
           return;
         }
         ctx.SendJson(200, {{"user", ctx.principal->user},
                            {"token_id", ctx.principal->token_id},
                            {"groups", ctx.principal->groups},
                            {"authenticated", true}});
       }},
      {"POST", "/api/v1/tokens",
       [parts](RequestContext &ctx) {
         auto &auth = AuthOf(parts);
         auto body = ctx.JsonBody(true);
         RejectUnknownFields(body, {"user", "expires_in", "description"});
         std::string user = body.contains("user") ? StringOf(body, "user") : ctx.principal->user;
         RequireOwnOrAdmin(ctx, user);
         std::optional<int64_t> lifetime;
         if (body.contains("expires_in")) {
           lifetime = IntegerField(body["expires_in"], "expires_in", 1, AuthService::kMaxTokenLifetimeMs / 1000) * 1000;
         }
         // Expiry must mean something: a token that is not a lake admin's cannot make one that
         // outlives it (by default the new one expires with it).
         std::optional<int64_t> not_after;
         if (ctx.principal && ctx.principal->token_expires_ms && !ctx.access->HasLake(Role::kAdmin)) {
           not_after = ctx.principal->token_expires_ms;
         }
         auto description = body.contains("description") ? StringOf(body, "description") : std::string();
         auto created = auth.CreateToken(user, lifetime, description, ctx.principal->user, not_after);
         ctx.audit_target = "token " + created.info.id + " of " + user;
         auto json = TokenJson(created.info);
         json["token"] = created.secret;  // shown this once
         ctx.SendJson(201, json);
       }},
      {"GET", "/api/v1/tokens",
       [parts](RequestContext &ctx) {
         auto &auth = AuthOf(parts);
         // Admins of the lake list anyone's (everyone's without ?user=); others their own.
         auto user = ctx.QueryParam("user");
         if (!ctx.access->HasLake(Role::kAdmin)) {
           if (user && *user != ctx.principal->user) ctx.access->RequireLake(Role::kAdmin);
           user = ctx.principal->user;
         }
         nlohmann::json tokens = nlohmann::json::array();
         for (const auto &token : auth.ListTokens(user)) tokens.push_back(TokenJson(token));
         ctx.SendJson(200, {{"tokens", tokens}});
       }},
      {"GET", "/api/v1/tokens/{id}",
       [parts](RequestContext &ctx) {
         auto token = AuthOf(parts).GetToken(ctx.Param("id"));
         RequireOwnOrAdmin(ctx, token.user);
         ctx.SendJson(200, TokenJson(token));
       }},
      {"DELETE", "/api/v1/tokens/{id}",
       [parts](RequestContext &ctx) {
         auto &auth = AuthOf(parts);
         auto token = auth.GetToken(ctx.Param("id"));
         RequireOwnOrAdmin(ctx, token.user);
         auth.RevokeToken(token.id);
         ctx.audit_target = "token " + token.id + " of " + token.user;
         ctx.response.status = 204;
       }},
      {"POST", "/api/v1/grants",
       [parts](RequestContext &ctx) {
         auto &auth = AuthOf(parts);
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"principal", "role", "namespace", "volume"});
         auto principal = StringOf(body, "principal");
         auto role = ParseRole(StringOf(body, "role"));
         if (body.contains("namespace") && body.contains("volume")) {
           throw Error(ErrorKind::kInvalidInput, "a grant is on a namespace or a volume (or, with neither, the lake)");
         }
         ScopeKind scope = ScopeKind::kLake;
         std::string name;
         if (body.contains("namespace")) {
           scope = ScopeKind::kNamespace;
           name = StringOf(body, "namespace");
           parts.tables.RequireNamespace(name);  // 404 for none
         } else if (body.contains("volume")) {
           scope = ScopeKind::kVolume;
           name = StringOf(body, "volume");
           parts.files.GetVolume(name);
         }
         RequireScopeAdmin(ctx, scope, name);
         auto grant = auth.Grant(principal, role, scope, name, ctx.principal->user);
         ctx.audit_target = fmt::format("grant {} of {} to {} on {} {}", grant.id, RoleName(role), principal,
                                        ScopeKindName(scope), name);
         ctx.SendJson(201, GrantJson(grant));
       }},
      {"GET", "/api/v1/grants",
       [parts](RequestContext &ctx) {
         auto &auth = AuthOf(parts);
         // Admins of the lake see every grant; everyone else the ones to them and their groups.
         std::optional<std::string> principal = ctx.QueryParam("principal");
         bool everyone = ctx.access->HasLake(Role::kAdmin);
         std::set<std::string> mine = {ctx.principal->user};
         for (const auto &group : ctx.principal->groups) mine.insert(AuthService::kGroupPrefix + group);
         nlohmann::json grants = nlohmann::json::array();
         for (const auto &grant : auth.ListGrants(principal)) {
           if (everyone || mine.count(grant.principal)) grants.push_back(GrantJson(grant));
         }
         ctx.SendJson(200, {{"grants", grants}});
       }},
      {"DELETE", "/api/v1/grants/{id}",
       [parts](RequestContext &ctx) {
         auto &auth = AuthOf(parts);
         std::optional<GrantInfo> found;
         for (const auto &grant : auth.ListGrants(std::nullopt)) {
           if (grant.id == ctx.Param("id")) found = grant;
         }
         if (!found) throw MakeError(ErrorKind::kNotFound, "grant '{}' not found", ctx.Param("id"));
         RequireScopeAdmin(ctx, found->scope, found->scope_name);
         auth.RevokeGrant(found->id);
         ctx.audit_target = fmt::format("grant {} of {} to {}", found->id, RoleName(found->role), found->principal);
         ctx.response.status = 204;
       }},
      {"GET", "/api/v1/groups",
       [parts](RequestContext &ctx) {
         std::map<std::string, std::vector<std::string>> groups;
         for (const auto &[group, user] : AuthOf(parts).ListGroupMembers()) groups[group].push_back(user);
         nlohmann::json list = nlohmann::json::array();
         for (const auto &[group, users] : groups) list.push_back({{"group", group}, {"members", users}});
         ctx.SendJson(200, {{"groups", list}});
       }},
      {"PUT", "/api/v1/groups/{group}/members/{user}",
       [parts](RequestContext &ctx) {
         AuthOf(parts).AddGroupMember(ctx.Param("group"), ctx.Param("user"), ctx.principal->user);
         ctx.response.status = 204;
       }},
      {"DELETE", "/api/v1/groups/{group}/members/{user}",
       [parts](RequestContext &ctx) {
         AuthOf(parts).RemoveGroupMember(ctx.Param("group"), ctx.Param("user"));
         ctx.response.status = 204;
       }},
      {"GET", "/api/v1/audit",
       [parts](RequestContext &ctx) {
         if (!parts.audit) throw Error(ErrorKind::kInvalidInput, "this server keeps no audit log (--auth=none)");
         AuditQuery query;
         query.after = IntegerParam(ctx, "after", 0, 0, INT64_MAX);
         query.limit = static_cast<size_t>(IntegerParam(ctx, "limit", 100, 1, AuditLog::kMaxPage));
         query.principal = ctx.QueryParam("principal");
         if (auto allowed = ctx.QueryParam("allowed")) {
           if (*allowed != "true" && *allowed != "false") throw Error(ErrorKind::kInvalidInput, "allowed must be true or false");
           query.allowed = *allowed == "true";
         }
         auto entries = parts.audit->List(query);
         nlohmann::json list = nlohmann::json::array();
         for (const auto &entry : entries) list.push_back(AuditJson(entry));
         ctx.SendJson(200, {{"entries", list},
                            {"next_after", entries.size() == query.limit ? nlohmann::json(entries.back().id)
                                                                         : nlohmann::json()}});
       }},
      {"GET", "/api/v1/audit/verify",
       [parts](RequestContext &ctx) {
         if (!parts.audit) throw Error(ErrorKind::kInvalidInput, "this server keeps no audit log (--auth=none)");
         auto result = parts.audit->Verify();
         ctx.SendJson(200, {{"checked", result.checked},
                            {"intact", !result.first_broken.has_value()},
                            {"first_broken", result.first_broken ? nlohmann::json(*result.first_broken)
                                                                 : nlohmann::json()}});
       }},
  };
}

}  // namespace ducklake
