// The OpenAPI document (docs/openapi.json, compiled in) describes every route the server has: the
// route tables are built here exactly as the server builds them, on an embedded lake.

#include <nlohmann/json.hpp>
#include <set>

#include "api/http.hpp"
#include "storage/local_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::TempDir;

TEST(OpenApiTest, TheDocumentDescribesEveryRoute) {
  TempDir dir;
  auto meta = OpenMetaStore("sqlite:" + dir.path() + "/metadata.sqlite");
  MigrateMetaStore(*meta);
  LocalStore store(dir.path() + "/objects");
  Engine engine(store, EngineOptions{"256MB", 1, ""});
  TableFormat format(*meta);
  LineageRecorder lineage(*meta, "default");
  LineageGraph graph(*meta);
  EventValidator validator;
  TableService tables(format, engine, store, &lineage);
  Maintenance maintenance(tables, store);
  FileService files(*meta, store);
  ObjectPreviews previews(files, engine);
  Services services{tables, maintenance, files, previews, lineage, graph, validator};
  Config config;

  auto document = nlohmann::json::parse(OpenApiDocument());
  ASSERT_TRUE(document["openapi"].get<std::string>().rfind("3.1", 0) == 0);
  const auto &paths = document["paths"];
  std::set<std::pair<std::string, std::string>> routed;  // (method, path)
  {
    for (const auto &route : ApiRoutes(services, config)) {
      auto path = route.pattern;
      auto rest = path.find("...}");
      if (rest != std::string::npos) path.erase(rest, 3);  // "{key...}" is documented as "{key}"
      std::string method = route.method;
      std::transform(method.begin(), method.end(), method.begin(), ::tolower);
      EXPECT_TRUE(paths.contains(path) && paths[path].contains(method)) << route.method << " " << path;
      routed.emplace(method, path);
    }
  }
  // And nothing is documented that the server does not have (its own service routes aside; HEAD is
  // served by the GET route).
  const std::set<std::string> service_paths = {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"};
  for (const auto &[path, operations] : paths.items()) {
    if (service_paths.count(path)) continue;
    for (const auto &[method, operation] : operations.items()) {
      if (method == "parameters" || method == "head") continue;
      EXPECT_TRUE(routed.count({method, path})) << "documented but not routed: " << method << " " << path;
    }
  }
}

}  // namespace
}  // namespace ducklake
