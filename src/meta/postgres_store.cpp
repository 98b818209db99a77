#include "meta/postgres_store.hpp"

#include <libpq-fe.h>

#include "common/error.hpp"

namespace ducklake {
namespace {

constexpr size_t kMaxIdleConnections = 16;
// pg_advisory_xact_lock key shared by every DuckLake server writing this catalog ("dlcommit").
constexpr const char *kCommitLock = "SELECT pg_advisory_xact_lock(7236832775573203316)";
// ... and the one of bookkeeping writes (TransactionMode::kBookkeeping, "dlbookkp").
constexpr const char *kBookkeepingLock = "SELECT pg_advisory_xact_lock(7236832775573294960)";
constexpr int kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700, kFloat8Oid = 701;

// `?` placeholders -> `$1, $2, ...`, leaving quoted text alone.
std::string ToDollarParams(const std::string &sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int index = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      out += "$" + std::to_string(++index);
    } else {
      out += c;
    }
  }
  return out;
}

bool IsConnectionLost(PGconn *conn) { return PQstatus(conn) != CONNECTION_OK; }

}  // namespace

struct PostgresStore::Connection {
  PGconn *conn = nullptr;
  std::unordered_map<std::string, std::string> prepared;  // sql -> statement name
  ~Connection() {
    if (conn) PQfinish(conn);
  }
};

namespace {

[[noreturn]] void ThrowResult(PGconn *conn, PGresult *result, const std::string &what) {
  std::string state = result ? (PQresultErrorField(result, PG_DIAG_SQLSTATE) ?: "") : "";
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (result) PQclear(result);
  if (IsConnectionLost(conn) || state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" ||
      state == "57P03") {
    throw MakeError(ErrorKind::kUnavailable, "metadata database unavailable during {}", what);
  }
  if (state == "23505" || state == "40001" || state == "40P01") {
    throw MakeError(ErrorKind::kConflict, "metadata {} lost a race: {}", what, message);
  }
  throw MakeError(ErrorKind::kInternal, "metadata {} failed: {}", what, message);
}

// Statements kept prepared per connection (in the server's memory too); past this the cache starts
// over: some SQL is built with its values inlined (IN lists, an inlined-data table's name) and would
// otherwise grow it without end over a server's life.
constexpr size_t kMaxPreparedStatements = 256;

class PostgresTransaction : public MetaTransaction {
 public:
  // Without `mode`, no transaction: each statement commits on its own (ReadOnce).
  PostgresTransaction(PostgresStore &store, std::unique_ptr<PostgresStore::Connection> connection,
                      std::optional<TransactionMode> mode)
      : store_(store), connection_(std::move(connection)) {
    if (!mode) {
      finished_ = true;  // nothing to roll back
      return;
    }
    // One round trip: BEGIN and the lock go together.
    std::string begin = mode == TransactionMode::kRead ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                                       : "BEGIN ISOLATION LEVEL READ COMMITTED";
    if (mode == TransactionMode::kWrite) begin += std::string("; ") + kCommitLock;
    if (mode == TransactionMode::kBookkeeping) begin += std::string("; ") + kBookkeepingLock;
    Simple(begin.c_str());
  }

  ~PostgresTransaction() override {
    if (!connection_) return;
    bool healthy = !IsConnectionLost(connection_->conn);
    if (!finished_ && healthy) {
      PGresult *result = PQexec(connection_->conn, "ROLLBACK");
      healthy = PQresultStatus(result) == PGRES_COMMAND_OK;
      PQclear(result);
    }
    store_.Release(std::move(connection_), healthy);
  }

  int64_t Execute(const std::string &sql, const std::vector<SqlValue> &params) override {
    PGresult *result = Run(sql, params);
    const char *affected = PQcmdTuples(result);
    int64_t count = affected && *affected ? std::stoll(affected) : 0;
    PQclear(result);
    return count;
  }

  std::vector<SqlRow> Query(const std::string &sql, const std::vector<SqlValue> &params) override {
    PGresult *result = Run(sql, params);
    std::vector<SqlRow> rows;
    int row_count = PQntuples(result);
    int column_count = PQnfields(result);
    rows.reserve(row_count);
    for (int r = 0; r < row_count; r++) {
      SqlRow row;
      row.values.reserve(column_count);
      for (int c = 0; c < column_count; c++) {
        if (PQgetisnull(result, r, c)) {
          row.values.emplace_back(std::monostate{});
          continue;
        }
        const char *text = PQgetvalue(result, r, c);
        switch (PQftype(result, c)) {
          case kBoolOid: row.values.emplace_back(static_cast<int64_t>(text[0] == 't')); break;
          case kInt2Oid:
          case kInt4Oid:
          case kInt8Oid: row.values.emplace_back(static_cast<int64_t>(std::stoll(text))); break;
          case kFloat4Oid:
          case kFloat8Oid: row.values.emplace_back(std::stod(text)); break;
          default: row.values.emplace_back(std::string(text, PQgetlength(result, r, c)));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }

  void Commit() override {
    Simple("COMMIT");
    finished_ = true;
  }

 private:
  void Simple(const char *sql) {
    PGresult *result = PQexec(connection_->conn, sql);
    auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) ThrowResult(connection_->conn, result, sql);
    PQclear(result);
  }

  PGresult *Run(const std::string &sql, const std::vector<SqlValue> &params) {
    auto &prepared = connection_->prepared;
    auto it = prepared.find(sql);
    if (it == prepared.end()) {
      if (prepared.size() >= kMaxPreparedStatements) {
        Simple("DEALLOCATE ALL");
        prepared.clear();
      }
      std::string name = "s" + std::to_string(prepared.size());
      PGresult *result = PQprepare(connection_->conn, name.c_str(), ToDollarParams(sql).c_str(), 0, nullptr);
      if (PQresultStatus(result) != PGRES_COMMAND_OK) ThrowResult(connection_->conn, result, "prepare");
      PQclear(result);
      it = prepared.emplace(sql, name).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char *> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); i++) {
      const auto &param = params[i];
      if (std::holds_alternative<std::monostate>(param)) continue;
      if (auto v = std::get_if<int64_t>(&param)) {
        texts[i] = std::to_string(*v);
      } else if (auto v = std::get_if<double>(&param)) {
        texts[i] = fmt::format("{}", *v);
      } else {
        texts[i] = std::get<std::string>(param);
      }
      values[i] = texts[i].c_str();
    }
    PGresult *result = PQexecPrepared(connection_->conn, it->second.c_str(), static_cast<int>(values.size()),
                                      values.data(), nullptr, nullptr, 0);
    auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) ThrowResult(connection_->conn, result, "statement");
    return result;
  }

  PostgresStore &store_;
  std::unique_ptr<PostgresStore::Connection> connection_;
  bool finished_ = false;
};

}  // namespace

std::string RedactUrl(const std::string &url) {
  auto scheme = url.find("://");
  auto at = url.rfind('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

PostgresStore::PostgresStore(std::string url, std::string password)
    : url_(std::move(url)), password_(std::move(password)) {
  Release(Acquire(nullptr), true);
}

PostgresStore::~PostgresStore() = default;

std::unique_ptr<PostgresStore::Connection> PostgresStore::Acquire(bool *pooled) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      if (pooled) *pooled = true;
      return connection;
    }
  }
  if (pooled) *pooled = false;
  const char *keys[] = {"dbname", "password", "connect_timeout", "application_name", nullptr};
  const char *values[] = {url_.c_str(), password_.empty() ? nullptr : password_.c_str(), "5", "ducklake", nullptr};
  auto connection = std::make_unique<Connection>();
  connection->conn = PQconnectdbParams(keys, values, 1);
  if (!connection->conn || PQstatus(connection->conn) != CONNECTION_OK) {
    // libpq's message may name the host, never the password; keep it short and generic anyway.
    throw MakeError(ErrorKind::kUnavailable, "cannot connect to the metadata database at {}", RedactUrl(url_));
  }
  // libpq prints server notices ("relation ... already exists, skipping") to stderr by default,
  // which would break the CLI's one-line output and the structured server log; they are routine.
  PQsetNoticeProcessor(connection->conn, [](void *, const char *) {}, nullptr);
  return connection;
}

void PostgresStore::Release(std::unique_ptr<Connection> connection, bool healthy) {
  if (!healthy || IsConnectionLost(connection->conn)) return;  // dropped: the next Acquire reconnects
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
}

std::unique_ptr<MetaTransaction> PostgresStore::Begin(TransactionMode mode) {
  // BEGIN is the first statement: it finds out whether a pooled connection still works.
  return OnLiveConnection([&](std::unique_ptr<Connection> connection) {
    return std::unique_ptr<MetaTransaction>(std::make_unique<PostgresTransaction>(*this, std::move(connection), mode));
  });
}

std::vector<SqlRow> PostgresStore::ReadOnce(const std::string &sql, const std::vector<SqlValue> &params) {
  // No BEGIN: the read itself finds out, and is safe to run again.
  return OnLiveConnection([&](std::unique_ptr<Connection> connection) {
    return PostgresTransaction(*this, std::move(connection), std::nullopt).Query(sql, params);
  });
}

template <typename Use>
auto PostgresStore::OnLiveConnection(Use &&use) -> decltype(use(nullptr)) {
  bool pooled = false;
  auto connection = Acquire(&pooled);
  try {
    return use(std::move(connection));
  } catch (const Error &error) {
    if (error.kind() != ErrorKind::kUnavailable || !pooled) throw;
    // A server restart kills every pooled connection at once: drop them all and dial anew.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      idle_.clear();
    }
    return use(Acquire(nullptr));
  }
}

void PostgresStore::Ping() { ReadOnce("SELECT 1"); }

}  // namespace ducklake
