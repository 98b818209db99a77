#include "meta/sqlite_store.hpp"

#include <sqlite3.h>

#include <unordered_map>

#include "common/error.hpp"

namespace ducklake {
namespace {

constexpr int kBusyTimeoutMs = 30000;
constexpr size_t kMaxIdleConnections = 16;
// Statements kept prepared per connection; past this the cache starts over (some SQL is built with
// its values inlined, e.g. IN lists, and would otherwise grow it without end).
constexpr size_t kMaxCachedStatements = 256;

[[noreturn]] void ThrowSqlite(sqlite3 *db, int rc, const std::string &what) {
  const char *message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    throw MakeError(ErrorKind::kConflict, "metadata {} failed: {}", what, message);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_IOERR || primary == SQLITE_FULL) {
    throw MakeError(ErrorKind::kUnavailable, "metadata database unavailable during {}: {}", what, message);
  }
  throw MakeError(ErrorKind::kInternal, "metadata {} failed: {}", what, message);
}

// A prepared statement, borrowed from its connection's cache and reset when done with.
class Statement {
 public:
  Statement(sqlite3 *db, sqlite3_stmt *stmt) : db_(db), stmt_(stmt) {}
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  void Bind(const std::vector<SqlValue> &params) {
    for (size_t i = 0; i < params.size(); i++) {
      int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      const auto &param = params[i];
      if (std::holds_alternative<std::monostate>(param)) {
        rc = sqlite3_bind_null(stmt_, index);
      } else if (auto v = std::get_if<int64_t>(&param)) {
        rc = sqlite3_bind_int64(stmt_, index, *v);
      } else if (auto v = std::get_if<double>(&param)) {
        rc = sqlite3_bind_double(stmt_, index, *v);
      } else {
        const auto &text = std::get<std::string>(param);
        rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) ThrowSqlite(db_, rc, "bind");
    }
  }

  // Returns false when the statement is done.
  bool Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    ThrowSqlite(db_, rc, "statement");
  }

  SqlRow Row() const {
    SqlRow row;
    int count = sqlite3_column_count(stmt_);
    row.values.reserve(count);
    for (int i = 0; i < count; i++) {
      switch (sqlite3_column_type(stmt_, i)) {
        case SQLITE_NULL: row.values.emplace_back(std::monostate{}); break;
        case SQLITE_INTEGER: row.values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt_, i))); break;
        case SQLITE_FLOAT: row.values.emplace_back(sqlite3_column_double(stmt_, i)); break;
        default: {
          auto text = reinterpret_cast<const char *>(sqlite3_column_text(stmt_, i));
          row.values.emplace_back(std::string(text, sqlite3_column_bytes(stmt_, i)));
        }
      }
    }
    return row;
  }

 private:
  sqlite3 *db_;
  sqlite3_stmt *stmt_;
};

void ExecuteSimple(sqlite3 *db, const char *sql) {
  char *error = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    sqlite3_free(error);
    ThrowSqlite(db, rc, sql);
  }
}

}  // namespace

struct SqliteStore::Connection {
  sqlite3 *db = nullptr;
  std::unordered_map<std::string, sqlite3_stmt *> statements;

  ~Connection() {
    Forget();
    sqlite3_close(db);
  }
  void Forget() {
    for (auto &[sql, stmt] : statements) sqlite3_finalize(stmt);
    statements.clear();
  }
  sqlite3_stmt *Prepared(const std::string &sql) {
    if (auto it = statements.find(sql); it != statements.end()) return it->second;
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) ThrowSqlite(db, rc, "prepare");
    if (statements.size() >= kMaxCachedStatements) Forget();
    statements.emplace(sql, stmt);
    return stmt;
  }
};

namespace {

class SqliteTransaction : public MetaTransaction {
 public:
  SqliteTransaction(SqliteStore &store, std::unique_ptr<SqliteStore::Connection> connection, TransactionMode mode)
      : store_(store), connection_(std::move(connection)) {
    try {
      ExecuteSimple(connection_->db, mode == TransactionMode::kRead ? "BEGIN" : "BEGIN IMMEDIATE");
    } catch (...) {
      store_.Release(std::move(connection_));
      throw;
    }
  }

  ~SqliteTransaction() override {
    if (!finished_) sqlite3_exec(connection_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    store_.Release(std::move(connection_));
  }

  int64_t Execute(const std::string &sql, const std::vector<SqlValue> &params) override {
    Statement statement(connection_->db, connection_->Prepared(sql));
    statement.Bind(params);
    while (statement.Step()) {
    }
    return sqlite3_changes(connection_->db);
  }

  std::vector<SqlRow> Query(const std::string &sql, const std::vector<SqlValue> &params) override {
    Statement statement(connection_->db, connection_->Prepared(sql));
    statement.Bind(params);
    std::vector<SqlRow> rows;
    while (statement.Step()) rows.push_back(statement.Row());
    return rows;
  }

  void Commit() override {
    ExecuteSimple(connection_->db, "COMMIT");
    finished_ = true;
  }

 private:
  SqliteStore &store_;
  std::unique_ptr<SqliteStore::Connection> connection_;
  bool finished_ = false;
};

}  // namespace

SqliteStore::SqliteStore(std::string path) : path_(std::move(path)) { Release(Acquire()); }

SqliteStore::~SqliteStore() = default;

std::unique_ptr<SqliteStore::Connection> SqliteStore::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  auto connection = std::make_unique<Connection>();
  int rc = sqlite3_open_v2(path_.c_str(), &connection->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    throw MakeError(ErrorKind::kUnavailable, "cannot open the metadata database: {}", sqlite3_errstr(rc));
  }
  sqlite3_busy_timeout(connection->db, kBusyTimeoutMs);
  ExecuteSimple(connection->db, "PRAGMA journal_mode=WAL");
  ExecuteSimple(connection->db, "PRAGMA synchronous=NORMAL");
  ExecuteSimple(connection->db, "PRAGMA foreign_keys=ON");
  return connection;
}

void SqliteStore::Release(std::unique_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
}

std::unique_ptr<MetaTransaction> SqliteStore::Begin(TransactionMode mode) {
  return std::make_unique<SqliteTransaction>(*this, Acquire(), mode);
}

void SqliteStore::Ping() { Begin(TransactionMode::kRead)->Query("SELECT 1"); }

}  // namespace ducklake
