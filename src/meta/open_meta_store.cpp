#include "common/error.hpp"
#include "meta/postgres_store.hpp"
#include "meta/sqlite_store.hpp"

namespace ducklake {

std::unique_ptr<MetaStore> OpenMetaStore(const std::string &url, const std::string &password) {
  const std::string sqlite_prefix = "sqlite:";
  if (url.rfind(sqlite_prefix, 0) == 0) return std::make_unique<SqliteStore>(url.substr(sqlite_prefix.size()));
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return std::make_unique<PostgresStore>(url, password);
  }
  throw MakeError(ErrorKind::kInvalidInput,
                  "unsupported metadata URL (expected sqlite:<path> or postgresql://user@host:port/db)");
}

}  // namespace ducklake
