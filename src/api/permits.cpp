// Who may call each route: the whole authorization policy of the REST API in one table. The server
// checks a route's permit before its handler runs; handlers narrow further where one route serves
// several rights (listings show only what the caller may read; SQL is checked table by table on the
// bound statement; an export needs write access to its volume).

#include <map>

#include "api/http.hpp"

namespace ducklake {
namespace {

using R = Role;

const std::map<std::pair<std::string, std::string>, Permit> &Permits() {
  static const std::map<std::pair<std::string, std::string>, Permit> permits = {
      {{"GET", "/healthz"}, {Gate::kPublic}},
      {{"GET", "/readyz"}, {Gate::kPublic}},
      {{"GET", "/metrics"}, {Gate::kPublic}},
      {{"GET", "/api/v1/openapi.json"}, {Gate::kPublic}},
      {{"GET", "/api/v1/whoami"}, {Gate::kAuthenticated}},

      {{"GET", "/api/v1/namespaces"}, {Gate::kAuthenticated}},
      {{"POST", "/api/v1/namespaces"}, {Gate::kLake, R::kWriter}},
      {{"GET", "/api/v1/namespaces/{ns}"}, {Gate::kNamespace, R::kReader}},
      {{"DELETE", "/api/v1/namespaces/{ns}"}, {Gate::kNamespace, R::kAdmin}},
      {{"GET", "/api/v1/namespaces/{ns}/tables"}, {Gate::kNamespace, R::kReader}},
      {{"POST", "/api/v1/namespaces/{ns}/tables"}, {Gate::kNamespace, R::kWriter}},
      {{"GET", "/api/v1/namespaces/{ns}/tables/{table}"}, {Gate::kNamespace, R::kReader}},
      {{"PATCH", "/api/v1/namespaces/{ns}/tables/{table}"}, {Gate::kNamespace, R::kWriter}},
      {{"DELETE", "/api/v1/namespaces/{ns}/tables/{table}"}, {Gate::kNamespace, R::kWriter}},
      {{"POST", "/api/v1/namespaces/{ns}/tables/{table}/data"}, {Gate::kNamespace, R::kWriter}},
      {{"GET", "/api/v1/namespaces/{ns}/tables/{table}/preview"}, {Gate::kNamespace, R::kReader}},
      {{"GET", "/api/v1/namespaces/{ns}/tables/{table}/snapshots"}, {Gate::kNamespace, R::kReader}},
      {{"GET", "/api/v1/namespaces/{ns}/tables/{table}/changes"}, {Gate::kNamespace, R::kReader}},
      {{"GET", "/api/v1/snapshots"}, {Gate::kLake, R::kReader}},
      {{"POST", "/api/v1/query"}, {Gate::kAuthenticated}},

      {{"POST", "/api/v1/maintenance/compact"}, {Gate::kLake, R::kAdmin}},
      {{"POST", "/api/v1/maintenance/expire"}, {Gate::kLake, R::kAdmin}},
      {{"POST", "/api/v1/maintenance/cleanup"}, {Gate::kLake, R::kAdmin}},
      {{"POST", "/api/v1/maintenance/flush"}, {Gate::kLake, R::kAdmin}},

      {{"GET", "/api/v1/volumes"}, {Gate::kAuthenticated}},
      {{"POST", "/api/v1/volumes"}, {Gate::kLake, R::kWriter}},
      {{"GET", "/api/v1/volumes/{vol}"}, {Gate::kVolume, R::kReader}},
      {{"PATCH", "/api/v1/volumes/{vol}"}, {Gate::kVolume, R::kAdmin}},
      {{"DELETE", "/api/v1/volumes/{vol}"}, {Gate::kVolume, R::kAdmin}},
      {{"GET", "/api/v1/volumes/{vol}/objects"}, {Gate::kVolume, R::kReader}},
      {{"GET", "/api/v1/volumes/{vol}/objects/{key...}"}, {Gate::kVolume, R::kReader}},
      {{"PUT", "/api/v1/volumes/{vol}/objects/{key...}"}, {Gate::kVolume, R::kWriter}},
      {{"PATCH", "/api/v1/volumes/{vol}/objects/{key...}"}, {Gate::kVolume, R::kWriter}},
      {{"POST", "/api/v1/volumes/{vol}/objects/{key...}"}, {Gate::kVolume, R::kWriter}},
      {{"DELETE", "/api/v1/volumes/{vol}/objects/{key...}"}, {Gate::kVolume, R::kWriter}},
      {{"GET", "/api/v1/volumes/{vol}/uploads"}, {Gate::kVolume, R::kWriter}},
      {{"POST", "/api/v1/volumes/{vol}/uploads"}, {Gate::kVolume, R::kWriter}},
      {{"GET", "/api/v1/volumes/{vol}/uploads/{upload}"}, {Gate::kVolume, R::kWriter}},
      {{"POST", "/api/v1/volumes/{vol}/uploads/{upload}"}, {Gate::kVolume, R::kWriter}},
      {{"DELETE", "/api/v1/volumes/{vol}/uploads/{upload}"}, {Gate::kVolume, R::kWriter}},
      {{"PUT", "/api/v1/volumes/{vol}/uploads/{upload}/parts/{part}"}, {Gate::kVolume, R::kWriter}},
      {{"POST", "/api/v1/volumes/{vol}/presign"}, {Gate::kVolume, R::kReader}},  // PUT URLs: writer
      {{"POST", "/api/v1/volumes/{vol}/reconcile"}, {Gate::kVolume, R::kAdmin}},
      {{"GET", "/api/v1/search"}, {Gate::kAuthenticated}},

      // Lineage spans namespaces (its graph names tables of all of them): lake-wide rights.
      {{"POST", "/api/v1/lineage"}, {Gate::kLake, R::kWriter}},
      {{"GET", "/api/v1/lineage"}, {Gate::kLake, R::kReader}},
      {{"GET", "/api/v1/column-lineage"}, {Gate::kLake, R::kReader}},
      {{"GET", "/api/v1/lineage/events"}, {Gate::kLake, R::kReader}},
      {{"GET", "/api/v1/lineage/sinks"}, {Gate::kLake, R::kReader}},
      {{"POST", "/marquez/api/v1/lineage"}, {Gate::kLake, R::kWriter}},
      {{"GET", "/marquez/api/v1/lineage"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/column-lineage"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces/{ns}"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces/{ns}/jobs"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces/{ns}/jobs/{job}"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces/{ns}/jobs/{job}/runs"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/jobs/runs/{run}"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces/{ns}/datasets"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces/{ns}/datasets/{ds}"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/namespaces/{ns}/datasets/{ds}/versions"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/events/lineage"}, {Gate::kLake, R::kReader}},
      {{"GET", "/marquez/api/v1/search"}, {Gate::kLake, R::kReader}},

      // Tokens: anyone for their own; admins of the lake for everyone's (checked by the handlers).
      {{"POST", "/api/v1/tokens"}, {Gate::kAuthenticated}},
      {{"GET", "/api/v1/tokens"}, {Gate::kAuthenticated}},
      {{"GET", "/api/v1/tokens/{id}"}, {Gate::kAuthenticated}},
      {{"DELETE", "/api/v1/tokens/{id}"}, {Gate::kAuthenticated}},
      // Grants: admins of the scope granted on (checked by the handlers).
      {{"POST", "/api/v1/grants"}, {Gate::kAuthenticated}},
      {{"GET", "/api/v1/grants"}, {Gate::kAuthenticated}},
      {{"DELETE", "/api/v1/grants/{id}"}, {Gate::kAuthenticated}},
      {{"GET", "/api/v1/groups"}, {Gate::kLake, R::kAdmin}},
      {{"PUT", "/api/v1/groups/{group}/members/{user}"}, {Gate::kLake, R::kAdmin}},
      {{"DELETE", "/api/v1/groups/{group}/members/{user}"}, {Gate::kLake, R::kAdmin}},
      {{"GET", "/api/v1/audit"}, {Gate::kLake, R::kAdmin}},
      {{"GET", "/api/v1/audit/verify"}, {Gate::kLake, R::kAdmin}},
  };
  return permits;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> PolicyRoutes() {
  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto &[route, permit] : Permits()) routes.push_back(route);
  return routes;
}

Permit PermitOf(const std::string &method, const std::string &pattern) {
  auto it = Permits().find({method, pattern});
  if (it == Permits().end()) throw MakeError(ErrorKind::kInternal, "route {} {} has no permit", method, pattern);
  return it->second;
}

}  // namespace ducklake
