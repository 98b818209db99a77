#pragma once
// The HTTP server: routing, request ids, problem+json errors, metrics, logs, graceful drain.
// Run() blocks until Shutdown() (safe to call from another thread) has drained in-flight requests
// (bounded by Config::shutdown_timeout_s) and stopped the listener.

#include <memory>

#include "common/config.hpp"
#include "auth/audit_log.hpp"
#include "auth/auth_service.hpp"
#include "engine/engine.hpp"
#include "files/file_service.hpp"
#include "catalog/lake.hpp"
#include "tables/maintenance.hpp"
#include "tables/table_service.hpp"
#include "lineage/event_validator.hpp"
#include "lineage/forwarder.hpp"
#include "lineage/lineage_graph.hpp"
#include "lineage/recorder.hpp"
#include "meta/meta_store.hpp"
#include "storage/metered_store.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

struct Services {
  MetaStore &meta;
  ObjectStore &store;
  Engine &engine;
  Lake &lake;
  TableService &tables;
  Maintenance &maintenance;
  FileService &files;
  LineageRecorder &lineage;
  LineageGraph &graph;
  EventValidator &validator;
  LineageForwarder *forwarder = nullptr;           // delivery of lineage events, when configured
  AuthService *auth = nullptr;                     // tokens and grants; null with --auth=none
  AuditLog *audit = nullptr;                       // where requests are recorded, when they are
  const StoreCounters *store_counters = nullptr;  // object-store traffic for /metrics, if metered
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
