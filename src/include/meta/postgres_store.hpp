#pragma once
// PostgresStore: the production MetaStore on PostgreSQL through libpq. Connections are pooled and
// re-opened after a failure, so the store recovers on its own when the server comes back; while
// it is unreachable every call throws kUnavailable. Write transactions take one advisory lock,
// which serialises commits across every DuckLake server sharing the database. Statements are
// prepared once per connection. The password never appears in errors or logs.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "meta/meta_store.hpp"

struct pg_conn;

namespace ducklake {

class PostgresStore : public MetaStore {
 public:
  // `url`: postgresql://user[:password]@host:port/db[?options]. A password may also come from
  // `password` (e.g. read from a file or variable by the caller), which wins over the URL's.
  explicit PostgresStore(std::string url, std::string password = "");
  ~PostgresStore() override;

  std::unique_ptr<MetaTransaction> Begin(TransactionMode mode) override;
  std::vector<SqlRow> ReadOnce(const std::string &sql, const std::vector<SqlValue> &params = {}) override;
  void Ping() override;
  std::string Dialect() const override { return "postgresql"; }

  struct Connection;
  void Release(std::unique_ptr<Connection> connection, bool healthy);

 private:
  // A pooled connection if there is one (*pooled = true), else a new one.
  std::unique_ptr<Connection> Acquire(bool *pooled);
  // Runs `use` (whose first statement fails with kUnavailable on a dead connection) on a pooled
  // connection; when that one died (the server restarted since), drops the pool and runs it again
  // on a new connection.
  template <typename Use>
  auto OnLiveConnection(Use &&use) -> decltype(use(nullptr));

  std::string url_;
  std::string password_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db", for messages.
std::string RedactUrl(const std::string &url);

}  // namespace ducklake
