#pragma once
// MetaStore: the SQL metadata database (the DuckLake catalog plus DuckLake's own dl_* tables).
// Statements use `?` placeholders; implementations translate them for their dialect. A
// MetaTransaction belongs to one thread at a time; a MetaStore is thread-safe and hands out
// transactions concurrently. Failures throw ducklake::Error: kUnavailable when the database cannot
// be reached, kConflict when a write lost a race (unique key, serialization), kInternal otherwise.
// A transaction that is destroyed without Commit() rolls back.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ducklake {

using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

struct SqlRow {
  std::vector<SqlValue> values;

  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  std::string String(size_t i) const;
  std::optional<int64_t> OptionalInt(size_t i) const;
  std::optional<std::string> OptionalString(size_t i) const;
};

enum class TransactionMode {
  kRead,   // a consistent read of committed state
  kWrite,  // serialised with other writers for the commit protocol
  // A write to bookkeeping that no commit reads (the lineage graph, delivery cursors): serialised
  // with other writes of this mode, not with commits, so a long one holds no commit up. Where the
  // database has one writer at a time anyway (SQLite), the same as kWrite.
  kBookkeeping,
};

class MetaTransaction {
 public:
  virtual ~MetaTransaction() = default;
  // Runs a statement and returns the number of rows it changed.
  virtual int64_t Execute(const std::string &sql, const std::vector<SqlValue> &params = {}) = 0;
  virtual std::vector<SqlRow> Query(const std::string &sql, const std::vector<SqlValue> &params = {}) = 0;
  virtual void Commit() = 0;
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;
  virtual std::unique_ptr<MetaTransaction> Begin(TransactionMode mode) = 0;
  // Runs one read statement on its own: as Begin(kRead)->Query(sql, params), a statement alone
  // seeing one consistent state, but where the database is a server without the round trips of
  // BEGIN and ROLLBACK around it. For the reads every request makes (the latest snapshot).
  virtual std::vector<SqlRow> ReadOnce(const std::string &sql, const std::vector<SqlValue> &params = {}) {
    return Begin(TransactionMode::kRead)->Query(sql, params);
  }
  // Cheap round trip for readiness checks; throws kUnavailable when the database is unreachable.
  virtual void Ping() = 0;
  // "sqlite" or "postgresql": the one place dialect differences are decided.
  virtual std::string Dialect() const = 0;
};

// A LIKE pattern matching lower-cased text that contains `text` (lower-cased) anywhere, with
// LIKE's wildcards in `text` taken literally; use it with `LIKE ? ESCAPE '\'` on lower(column).
std::string LikeContains(const std::string &text);

// Opens the store named by `url`: "sqlite:<path>" (embedded) or "postgresql://user@host:port/db"
// (`password`, when given, overrides the URL's). Throws kInvalidInput on an unknown scheme,
// kUnavailable when the database cannot be reached.
std::unique_ptr<MetaStore> OpenMetaStore(const std::string &url, const std::string &password = "");

// Applies the versioned schema migrations that are not yet applied, each in its own transaction.
void MigrateMetaStore(MetaStore &store);

// Forwards every call to another MetaStore, so a test can override one method to inject faults.
class MetaStoreWrapper : public MetaStore {
 public:
  explicit MetaStoreWrapper(MetaStore &target) : target_(target) {}
  std::unique_ptr<MetaTransaction> Begin(TransactionMode mode) override { return target_.Begin(mode); }
  std::vector<SqlRow> ReadOnce(const std::string &sql, const std::vector<SqlValue> &params = {}) override {
    return target_.ReadOnce(sql, params);
  }
  void Ping() override { target_.Ping(); }
  std::string Dialect() const override { return target_.Dialect(); }

 private:
  MetaStore &target_;
};

}  // namespace ducklake
