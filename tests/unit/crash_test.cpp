// A writer killed with SIGKILL after writing its Parquet files but before committing: the table
// stays at its previous snapshot, and cleanup later removes the files nobody references.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "tables/maintenance.hpp"
#include "storage/object_store.hpp"
#include "storage/local_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::TempDir;

// Fault injection: the process dies the moment a commit opens its metadata transaction.
class KilledAtCommit : public MetaStoreWrapper {
 public:
  using MetaStoreWrapper::MetaStoreWrapper;
  std::unique_ptr<MetaTransaction> Begin(TransactionMode mode) override {
    if (mode == TransactionMode::kWrite && armed) raise(SIGKILL);
    return MetaStoreWrapper::Begin(mode);
  }
  bool armed = false;
};

// Fault injection: once armed, objects written from then on are reported gone (as if an orphan
// sweep took them) when asked for by Head.
class VanishingStore : public ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;
  std::unique_ptr<ObjectWriter> Put(const std::string &key) override {
    if (vanish) written.insert(key);
    return ObjectStoreWrapper::Put(key);
  }
  ObjectInfo Head(const std::string &key) override {
    if (written.count(key)) throw MakeError(ErrorKind::kNotFound, "object '{}' not found", key);
    return ObjectStoreWrapper::Head(key);
  }
  bool vanish = false;
  std::set<std::string> written;
};

// The lake of one process: SQLite metadata and a local object store under `dir`, each behind a
// fault-injecting wrapper (both off until armed). Every write goes to Parquet (no data inlining)
// unless `inline_row_limit` says otherwise.
struct LakeOnDisk {
  explicit LakeOnDisk(const std::string &dir, bool kill_at_commit = false, int64_t inline_row_limit = 0)
      : meta(OpenMetaStore("sqlite:" + dir + "/metadata.sqlite")),
        killer(*meta),
        local(dir + "/objects"),
        store(local),
        engine(store, EngineOptions{"256MB", 1, ""}),
        format(killer),
        tables(format, engine, store, nullptr, "", inline_row_limit),
        maintenance(tables, store) {
    MigrateMetaStore(*meta);
    killer.armed = kill_at_commit;
  }

  void Run(const std::string &sql) {
    SqlRequest request;
    request.sql = sql;
    tables.RunSql(request, [](const char *, size_t) { return true; });
  }

  std::unique_ptr<MetaStore> meta;
  KilledAtCommit killer;
  LocalStore local;
  VanishingStore store;
  Engine engine;
  TableFormat format;
  TableService tables;
  Maintenance maintenance;
};

size_t ObjectCount(const std::string &dir) {
  size_t count = 0;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(dir + "/objects/warehouse")) {
    count += entry.is_regular_file() ? 1 : 0;
  }
  return count;
}

TEST(CrashTest, KillBetweenWritingFilesAndCommittingLeavesThePreviousSnapshot) {
  TempDir dir;
  int64_t before = 0;
  {
    LakeOnDisk lake(dir.path());
    lake.format.commits.CreateNamespace("sales", CommitInfo{});
    lake.Run("CREATE TABLE sales.orders AS SELECT range AS id FROM range(10)");
    before = lake.format.history.LatestSnapshot();
  }
  ASSERT_EQ(ObjectCount(dir.path()), 1u);

  // A real child process writes the files of a big INSERT and is killed as it starts to commit.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    LakeOnDisk lake(dir.path(), true);
    lake.Run("INSERT INTO sales.orders SELECT range FROM range(100000)");
    _exit(0);  // not reached: the commit kills the process
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child was not killed at its commit";

  LakeOnDisk lake(dir.path());
  EXPECT_EQ(lake.format.history.LatestSnapshot(), before) << "no snapshot of the killed write";
  auto table = lake.format.catalog.GetTable("sales", "orders", before);
  EXPECT_EQ(table.record_count, 10);
  EXPECT_EQ(table.file_count, 1);
  EXPECT_EQ(ObjectCount(dir.path()), 2u) << "the killed writer's data file is an orphan";

  // Cleanup spares young files (they may belong to a write in progress), then removes the orphan.
  EXPECT_TRUE(lake.maintenance.Cleanup(CleanupOptions{}).deleted_orphans.empty());
  CleanupOptions now;
  now.orphan_min_age_ms = 0;
  auto cleaned = lake.maintenance.Cleanup(now);
  ASSERT_EQ(cleaned.deleted_orphans.size(), 1u);
  EXPECT_EQ(ObjectCount(dir.path()), 1u);
  lake.Run("INSERT INTO sales.orders VALUES (42)");
  EXPECT_EQ(lake.format.catalog.GetTable("sales", "orders", lake.format.history.LatestSnapshot()).record_count, 11);
}

TEST(CrashTest, CompactionWhoseFilesWereSweptMeanwhileCommitsNothing) {
  TempDir dir;
  LakeOnDisk lake(dir.path());
  lake.format.commits.CreateNamespace("sales", CommitInfo{});
  lake.Run("CREATE TABLE sales.orders AS SELECT 1 AS id");
  lake.Run("INSERT INTO sales.orders VALUES (2)");
  auto before = lake.format.history.LatestSnapshot();
  lake.store.vanish = true;
  EXPECT_ERROR_KIND(lake.maintenance.Compact(CompactOptions{}, CommitInfo{}), ErrorKind::kConflict);
  EXPECT_EQ(lake.format.history.LatestSnapshot(), before);
  EXPECT_EQ(lake.format.catalog.GetTable("sales", "orders", before).file_count, 2);
  EXPECT_EQ(ObjectCount(dir.path()), 2u) << "the compacted file is deleted again";
}

TEST(CrashTest, ATransactionWhoseFilesWereSweptMeanwhileCommitsNothing) {
  TempDir dir;
  LakeOnDisk lake(dir.path());
  lake.format.commits.CreateNamespace("sales", CommitInfo{});
  lake.Run("CREATE TABLE sales.orders AS SELECT 1 AS id");
  auto before = lake.format.history.LatestSnapshot();
  lake.store.vanish = true;
  TransactionRequest request;
  // Statements that write but never read what the other wrote (a swept file cannot be read).
  request.statements = {"INSERT INTO sales.orders VALUES (2)", "CREATE TABLE sales.other AS SELECT 5 AS x"};
  EXPECT_ERROR_KIND(lake.tables.RunTransaction(request), ErrorKind::kConflict);
  EXPECT_EQ(lake.format.history.LatestSnapshot(), before);
  EXPECT_EQ(ObjectCount(dir.path()), 1u) << "the transaction's files are deleted again";
}

}  // namespace
}  // namespace ducklake
