#pragma once
// The HTTP server: routing, request ids, problem+json errors, metrics, logs, graceful drain.
// Run() blocks until Shutdown() (safe to call from another thread) has drained in-flight requests
// (bounded by Config::shutdown_timeout_s) and stopped the listener.

#include <memory>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "auth/audit_log.hpp"
#include "auth/auth_service.hpp"
#include "common/config.hpp"
#include "files/file_service.hpp"
#include "files/object_preview.hpp"
#include "lineage/event_validator.hpp"
#include "lineage/forwarder.hpp"
#include "lineage/lineage_graph.hpp"
#include "lineage/recorder.hpp"
#include "storage/metered_store.hpp"
#include "tables/maintenance.hpp"
#include "tables/table_service.hpp"

namespace ducklake {

// What the server's own routes report: readiness, and the gauges of /metrics.
struct ServerProbes {
  // Named checks /readyz runs in order ("metadata", "storage"); each throws when its backend
  // cannot serve.
  std::vector<std::pair<std::string, std::function<void()>>> readiness;
  std::function<int64_t()> running_queries;       // queries running now
  const StoreCounters *store_counters = nullptr;  // object-store traffic, if metered
};

// The services the routes are built on; each route group gets only the ones it uses. All outlive
// the Server.
struct Services {
  TableService &tables;
  Maintenance &maintenance;
  FileService &files;
  ObjectPreviews &previews;
  LineageRecorder &lineage;
  LineageGraph &graph;
  EventValidator &validator;
  LineageForwarder *forwarder = nullptr;  // delivery of lineage events, when configured
  AuthService *auth = nullptr;            // tokens and grants; null with --auth=none
  AuditLog *audit = nullptr;              // where requests are recorded, when they are
  ServerProbes probes;
};

class Server {
 public:
  Server(const Config &config, Services services);
  ~Server();

  // Binds the listen address; throws kUnavailable if it cannot. Returns the bound port.
  int Bind();
  void Run();
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ducklake
