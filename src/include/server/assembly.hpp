#pragma once
// Assembly: every part of a DuckLake server, opened from the configuration in dependency order
// (metadata database and its migrations, object store, engine, table format, services). The only
// place that knows every module, so it also wires what crosses modules: a dropped namespace or a
// deleted volume takes the grants on it along, whether or not this server checks tokens.
// Construction throws ducklake::Error (kInvalidInput for a bad setting, kUnavailable for a backend
// that cannot be reached); members are destroyed in reverse order, so each outlives what uses it.

#include <memory>
#include <string>

#include "api/server.hpp"
#include "auth/audit_log.hpp"
#include "auth/auth_service.hpp"
#include "catalog/table_format.hpp"
#include "common/config.hpp"
#include "engine/engine.hpp"
#include "files/file_service.hpp"
#include "files/object_preview.hpp"
#include "lineage/event_validator.hpp"
#include "lineage/forwarder.hpp"
#include "lineage/lineage_graph.hpp"
#include "lineage/recorder.hpp"
#include "meta/meta_store.hpp"
#include "storage/bucket_stores.hpp"
#include "storage/metered_store.hpp"
#include "storage/object_store.hpp"
#include "tables/maintenance.hpp"
#include "tables/table_service.hpp"

namespace ducklake {

// The contents of a secret file (a password, a key, a token) without its trailing newline;
// kInvalidInput naming `what` when it cannot be read.
std::string ReadSecretFile(const std::string &path, const char *what);

struct Assembly {
  // Fills in the embedded defaults (SQLite metadata and a local object directory under
  // config.data_dir, made absolute) before opening anything.
  explicit Assembly(Config &config);

  // What the HTTP server is built on. `validator` and `forwarder` (may be null) must outlive it;
  // without authentication the server gets neither tokens nor an audit log.
  Services ServicesFor(EventValidator &validator, LineageForwarder *forwarder, bool authenticated);

  std::unique_ptr<MetaStore> meta;
  std::unique_ptr<ObjectStore> backend_store;
  std::unique_ptr<MeteredStore> store;
  std::unique_ptr<BucketStores> buckets;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<TableFormat> format;
  std::unique_ptr<LineageRecorder> lineage;
  std::unique_ptr<LineageGraph> graph;
  std::unique_ptr<AuthService> auth;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<TableService> tables;
  std::unique_ptr<Maintenance> maintenance;
  std::unique_ptr<FileService> files;
  std::unique_ptr<ObjectPreviews> previews;
};

// The sinks DuckLake's own lineage events are delivered to, as configured (null when none is).
std::unique_ptr<LineageForwarder> StartForwarder(const Config &config, Assembly &assembly);

}  // namespace ducklake
