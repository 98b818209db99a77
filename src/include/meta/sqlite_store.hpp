#pragma once
// SqliteStore: the embedded MetaStore, one SQLite file in WAL mode. Writers are serialised with
// BEGIN IMMEDIATE (SQLite allows one writer); readers run concurrently on pooled connections, each
// keeping its prepared statements for the next transaction.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "meta/meta_store.hpp"

struct sqlite3;

namespace ducklake {

class SqliteStore : public MetaStore {
 public:
  explicit SqliteStore(std::string path);
  ~SqliteStore() override;

  std::unique_ptr<MetaTransaction> Begin(TransactionMode mode) override;
  void Ping() override;
  std::string Dialect() const override { return "sqlite"; }

  struct Connection;
  // Connections return here when their transaction ends.
  void Release(std::unique_ptr<Connection> connection);

 private:
  std::unique_ptr<Connection> Acquire();

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace ducklake
