#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "backends.hpp"
#include "meta/postgres_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::MetaBackend;
using testing::TempDir;

class MetaStoreTest : public ::testing::TestWithParam<MetaBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    auto txn = store_->Begin(TransactionMode::kWrite);
    txn->Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR, score DOUBLE PRECISION)");
    txn->Commit();
  }
  TempDir dir_;
  std::unique_ptr<MetaStore> store_;
};

TEST_P(MetaStoreTest, ParametersRoundTripEveryType) {
  auto txn = store_->Begin(TransactionMode::kWrite);
  EXPECT_EQ(txn->Execute("INSERT INTO t VALUES (?, ?, ?)", {int64_t{1}, std::string("it's"), 2.5}), 1);
  EXPECT_EQ(txn->Execute("INSERT INTO t VALUES (?, ?, ?)", {int64_t{2}, SqlValue(), SqlValue()}), 1);
  txn->Commit();
  auto rows = store_->Begin(TransactionMode::kRead)->Query("SELECT id, name, score FROM t ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_EQ(rows[0].String(1), "it's");
  EXPECT_DOUBLE_EQ(rows[0].Double(2), 2.5);
  EXPECT_TRUE(rows[1].IsNull(1));
  EXPECT_EQ(rows[1].OptionalString(1), std::nullopt);
}

TEST_P(MetaStoreTest, ReadOnceSeesWhatIsCommittedAndNothingElse) {
  auto txn = store_->Begin(TransactionMode::kWrite);
  txn->Execute("INSERT INTO t VALUES (?, ?, ?)", {int64_t{1}, std::string("a"), 1.0});
  EXPECT_EQ(store_->ReadOnce("SELECT count(*) FROM t")[0].Int(0), 0);
  txn->Commit();
  EXPECT_EQ(store_->ReadOnce("SELECT count(*) FROM t WHERE name = ?", {std::string("a")})[0].Int(0), 1);
  EXPECT_ERROR_KIND(store_->ReadOnce("SELEC 1"), ErrorKind::kInternal);
  EXPECT_EQ(store_->ReadOnce("SELECT 2")[0].Int(0), 2);  // the failed statement left nothing open
}

TEST_P(MetaStoreTest, EveryCallWorksAgainAfterTheDatabaseDroppedItsConnections) {
  if (store_->Dialect() != "postgresql") GTEST_SKIP() << "an embedded database has no connections to lose";
  {
    // Three connections in the pool.
    auto a = store_->Begin(TransactionMode::kRead), b = store_->Begin(TransactionMode::kRead),
         c = store_->Begin(TransactionMode::kRead);
  }
  auto database = store_->ReadOnce("SELECT current_database()")[0].String(0);
  std::string url = std::getenv("DUCKLAKE_TEST_POSTGRES");
  PostgresStore other(url.substr(0, url.rfind('/') + 1) + database);
  other.ReadOnce("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid()");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the backends end as they get the signal
  EXPECT_EQ(store_->ReadOnce("SELECT 1")[0].Int(0), 1);
  EXPECT_EQ(store_->Begin(TransactionMode::kRead)->Query("SELECT 2")[0].Int(0), 2);
  store_->Ping();
}

TEST_P(MetaStoreTest, StatementsKeptPreparedStayBounded) {
  auto txn = store_->Begin(TransactionMode::kRead);
  for (int i = 0; i < 600; i++) {
    ASSERT_EQ(txn->Query("SELECT " + std::to_string(i) + " + ?", {int64_t{1}})[0].Int(0), i + 1);
  }
  if (store_->Dialect() == "postgresql") {
    EXPECT_LE(txn->Query("SELECT count(*) FROM pg_prepared_statements")[0].Int(0), 257);
  }
  EXPECT_EQ(txn->Query("SELECT 0 + ?", {int64_t{1}})[0].Int(0), 1);  // one dropped long ago, prepared again
}

TEST_P(MetaStoreTest, UncommittedTransactionsRollBack) {
  {
    auto txn = store_->Begin(TransactionMode::kWrite);
    txn->Execute("INSERT INTO t VALUES (1, 'a', 0)");
  }
  EXPECT_TRUE(store_->Begin(TransactionMode::kRead)->Query("SELECT * FROM t").empty());
}

TEST_P(MetaStoreTest, UniqueViolationsAreConflicts) {
  auto txn = store_->Begin(TransactionMode::kWrite);
  txn->Execute("INSERT INTO t VALUES (1, 'a', 0)");
  EXPECT_ERROR_KIND(txn->Execute("INSERT INTO t VALUES (1, 'b', 0)"), ErrorKind::kConflict);
}

TEST_P(MetaStoreTest, MalformedSqlIsInternal) {
  auto txn = store_->Begin(TransactionMode::kRead);
  EXPECT_ERROR_KIND(txn->Query("SELEC nonsense"), ErrorKind::kInternal);
}

TEST_P(MetaStoreTest, WritersAreSerialised) {
  // Each writer reads the maximum and inserts max + 1: lost updates would collide on the key.
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 8; w++) {
    writers.emplace_back([&] {
      for (int i = 0; i < 25; i++) {
        try {
          auto txn = store_->Begin(TransactionMode::kWrite);
          auto next = txn->Query("SELECT coalesce(max(id), 0) + 1 FROM t")[0].Int(0);
          txn->Execute("INSERT INTO t VALUES (?, 'w', 0)", {next});
          txn->Commit();
        } catch (const Error &) {
          failures++;
        }
      }
    });
  }
  for (auto &writer : writers) writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->Begin(TransactionMode::kRead)->Query("SELECT count(*) FROM t")[0].Int(0), 200);
}

TEST_P(MetaStoreTest, BookkeepingWritersAreSerialisedAmongThemselves) {
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 4; w++) {
    writers.emplace_back([&] {
      for (int i = 0; i < 25; i++) {
        try {
          auto txn = store_->Begin(TransactionMode::kBookkeeping);
          auto next = txn->Query("SELECT coalesce(max(id), 0) + 1 FROM t")[0].Int(0);
          txn->Execute("INSERT INTO t VALUES (?, 'b', 0)", {next});
          txn->Commit();
        } catch (const Error &) {
          failures++;
        }
      }
    });
  }
  for (auto &writer : writers) writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->Begin(TransactionMode::kRead)->Query("SELECT count(*) FROM t")[0].Int(0), 100);
}

TEST_P(MetaStoreTest, BookkeepingWaitsForACommitOnlyWhereTheDatabaseHasOneWriter) {
  auto commit = store_->Begin(TransactionMode::kWrite);  // holds the commit lock until it ends
  commit->Execute("INSERT INTO t VALUES (1, 'commit', 0)");
  auto bookkeeping = std::async(std::launch::async, [&] {
    auto txn = store_->Begin(TransactionMode::kBookkeeping);
    txn->Execute("INSERT INTO t VALUES (2, 'bookkeeping', 0)");
    txn->Commit();
  });
  if (store_->Dialect() == "postgresql") {
    // Its own lock: it finishes while the commit is still open.
    ASSERT_EQ(bookkeeping.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    commit->Commit();
  } else {
    // SQLite has one writer: it waits for the commit.
    EXPECT_EQ(bookkeeping.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout);
    commit->Commit();
    ASSERT_EQ(bookkeeping.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  }
  bookkeeping.get();
  EXPECT_EQ(store_->Begin(TransactionMode::kRead)->Query("SELECT count(*) FROM t")[0].Int(0), 2);
}

TEST_P(MetaStoreTest, MigrationsApplyOnceAndCreateTheCatalog) {
  MigrateMetaStore(*store_);
  MigrateMetaStore(*store_);  // a second start must be a no-op
  auto txn = store_->Begin(TransactionMode::kRead);
  // One row per migration, each applied once.
  EXPECT_EQ(txn->Query("SELECT count(*) FROM dl_schema_migrations")[0].Int(0), 8);
  EXPECT_EQ(txn->Query("SELECT count(DISTINCT version) FROM dl_schema_migrations")[0].Int(0), 8);
  for (const char *table :
       {"ducklake_metadata", "ducklake_snapshot", "ducklake_snapshot_changes", "ducklake_schema", "ducklake_table",
        "ducklake_column", "ducklake_data_file", "ducklake_file_column_stats", "ducklake_table_stats",
        "ducklake_table_column_stats", "ducklake_delete_file", "dl_volume", "dl_object", "dl_object_tag",
        "dl_object_reservation", "dl_upload", "dl_setting", "dl_lineage_event", "dl_lineage_cursor", "dl_lineage_job",
        "dl_lineage_dataset", "dl_lineage_io", "dl_lineage_run", "dl_lineage_dataset_version", "dl_lineage_column",
        "dl_lineage_namespace", "dl_token", "dl_grant", "dl_group_member", "dl_audit", "dl_flushed_rows",
        "ducklake_inlined_data_tables"}) {
    EXPECT_NO_THROW(txn->Query(fmt::format("SELECT * FROM {} LIMIT 1", table))) << table;
  }
  EXPECT_EQ(txn->Query("SELECT snapshot_id FROM ducklake_snapshot")[0].Int(0), 0);
  EXPECT_EQ(txn->Query("SELECT value FROM ducklake_metadata WHERE key = 'version'")[0].String(0), "0.3");
}

INSTANTIATE_TEST_SUITE_P(Backends, MetaStoreTest, ::testing::ValuesIn(testing::MetaBackends()),
                         [](const ::testing::TestParamInfo<MetaBackend> &info) { return info.param.name; });

TEST(OpenMetaStore, RejectsUnknownSchemes) {
  EXPECT_ERROR_KIND(OpenMetaStore("mysql://x"), ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace ducklake
