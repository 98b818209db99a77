#include "backends.hpp"

#include <libpq-fe.h>

#include <cstdlib>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "storage/local_store.hpp"
#include "storage/s3_store.hpp"
#include "test_support.hpp"

namespace ducklake::testing {
namespace {

bool RequireAll() { return Env("DUCKLAKE_TEST_REQUIRE_BACKENDS") == "1"; }

void Admin(const std::string &url, const std::string &sql) {
  PGconn *conn = PQconnectdb(url.c_str());
  PGresult *result = PQexec(conn, sql.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK && PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw MakeError(ErrorKind::kUnavailable, "test database admin failed: {}", message);
}

// Owns a PostgresStore on a database of its own, dropped when the store goes away.
struct OwnedDatabase {
  std::string admin_url;
  std::string name;
  std::unique_ptr<MetaStore> store;
};

class ThrowAwayPostgres : private OwnedDatabase, public MetaStoreWrapper {
 public:
  explicit ThrowAwayPostgres(OwnedDatabase owned) : OwnedDatabase(std::move(owned)), MetaStoreWrapper(*store) {}
  ~ThrowAwayPostgres() override {
    store.reset();
    try {
      Admin(admin_url, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    } catch (const Error &) {
      // A leftover database on a throw-away server harms nothing.
    }
  }
};

std::unique_ptr<MetaStore> OpenThrowAwayPostgres() {
  auto admin_url = Env("DUCKLAKE_TEST_POSTGRES");
  auto name = "unit_" + RandomHex(6);
  Admin(admin_url, "CREATE DATABASE \"" + name + "\"");
  OwnedDatabase owned{admin_url, name, nullptr};
  owned.store = OpenMetaStore(admin_url.substr(0, admin_url.rfind('/') + 1) + name);
  return std::make_unique<ThrowAwayPostgres>(std::move(owned));
}

}  // namespace

std::vector<MetaBackend> MetaBackends() {
  std::vector<MetaBackend> backends = {
      {"sqlite", [](const std::string &dir) { return OpenMetaStore("sqlite:" + dir + "/meta.sqlite"); }}};
  if (!Env("DUCKLAKE_TEST_POSTGRES").empty()) {
    backends.push_back({"postgres", [](const std::string &) { return OpenThrowAwayPostgres(); }});
  } else if (RequireAll()) {
    backends.push_back({"postgres", [](const std::string &) -> std::unique_ptr<MetaStore> {
                          throw Error(ErrorKind::kUnavailable, "DUCKLAKE_TEST_POSTGRES is not set");
                        }});
  }
  return backends;
}

S3Options TestS3Options(const std::string &prefix, const std::string &bucket) {
  S3Options options;
  options.endpoint = Env("DUCKLAKE_TEST_S3_ENDPOINT");
  options.bucket = bucket;
  options.prefix = prefix;
  options.credentials = {Env("DUCKLAKE_TEST_S3_ACCESS_KEY"), Env("DUCKLAKE_TEST_S3_SECRET_KEY"), ""};
  return options;
}

std::vector<StoreBackend> StoreBackends() {
  std::vector<StoreBackend> backends = {
      {"local", [](const std::string &dir) { return std::make_unique<LocalStore>(dir + "/objects"); }}};
  if (!Env("DUCKLAKE_TEST_S3_ENDPOINT").empty()) {
    backends.push_back({"s3", [](const std::string &) {
                          auto options = TestS3Options("t-" + RandomHex(6) + "/");
                          options.part_size = 5 << 20;  // S3's minimum: makes multipart cheap to reach
                          return std::make_unique<S3Store>(options);
                        }});
  } else if (RequireAll()) {
    backends.push_back({"s3", [](const std::string &) -> std::unique_ptr<ObjectStore> {
                          throw Error(ErrorKind::kUnavailable, "DUCKLAKE_TEST_S3_ENDPOINT is not set");
                        }});
  }
  return backends;
}

}  // namespace ducklake::testing
