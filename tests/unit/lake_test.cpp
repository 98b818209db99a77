#include <algorithm>
#include <cmath>
#include <thread>

#include "backends.hpp"
#include "catalog/table_format.hpp"
#include "common/time.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::MetaBackend;
using testing::TempDir;

class LakeTest : public ::testing::TestWithParam<MetaBackend> {
 protected:
  void SetUp() override {
    meta_ = GetParam().open(dir_.path());
    MigrateMetaStore(*meta_);
    format_ = std::make_unique<TableFormat>(*meta_);
  }

  static std::vector<ColumnDef> Columns() {
    ColumnDef id{0, "id", "int64"};
    ColumnDef tags{0, "tags", "list"};
    tags.children.push_back(ColumnDef{0, "element", "varchar"});
    ColumnDef amount{0, "amount", "decimal(18,2)"};
    return {id, tags, amount};
  }

  NewDataFile File(const std::string &key, int64_t rows, const std::string &min_id, const std::string &max_id) {
    ColumnStats stats;
    stats.column_id = 1;
    stats.min_value = min_id;
    stats.max_value = max_id;
    stats.value_count = rows;
    return NewDataFile{key, rows, 1000, 100, {stats}};
  }

  TempDir dir_;
  std::unique_ptr<MetaStore> meta_;
  std::unique_ptr<TableFormat> format_;
  CommitInfo commit_;
};

TEST_P(LakeTest, EveryChangeIsOneNewSnapshot) {
  EXPECT_EQ(format_->history.LatestSnapshot(), 0);
  EXPECT_EQ(format_->commits.CreateNamespace("sales", commit_).snapshot_id, 1);
  EXPECT_EQ(format_->commits.CreateTable("sales", "orders", Columns(), commit_).snapshot_id, 2);
  EXPECT_EQ(format_->history.LatestSnapshot(), 2);
  auto snapshot = format_->history.GetSnapshot(2);
  EXPECT_EQ(snapshot.schema_version, 2);
  EXPECT_EQ(snapshot.changes, "created_table:\"sales\".\"orders\"");
  EXPECT_EQ(snapshot.author, "anonymous");
  EXPECT_ERROR_KIND(format_->history.GetSnapshot(99), ErrorKind::kNotFound);
}

TEST_P(LakeTest, ColumnsGetIdsDepthFirstAndNestedChildren) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot());
  ASSERT_EQ(table.columns.size(), 3u);
  EXPECT_EQ(table.columns[0].id, 1);
  EXPECT_EQ(table.columns[1].id, 2);
  ASSERT_EQ(table.columns[1].children.size(), 1u);
  EXPECT_EQ(table.columns[1].children[0].id, 3);
  EXPECT_EQ(table.columns[1].children[0].type, "varchar");
  EXPECT_EQ(table.columns[2].id, 4);
  EXPECT_EQ(table.columns[2].type, "decimal(18,2)");
  EXPECT_EQ(table.key_prefix, "warehouse/sales/orders/");
}

TEST_P(LakeTest, NamesAreValidatedAndUnique) {
  EXPECT_ERROR_KIND(format_->commits.CreateNamespace("1bad", commit_), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(format_->commits.CreateNamespace("a-b", commit_), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(format_->commits.CreateNamespace("main", commit_), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(format_->commits.CreateNamespace(std::string(64, 'a'), commit_), ErrorKind::kInvalidInput);
  format_->commits.CreateNamespace("sales", commit_);
  EXPECT_ERROR_KIND(format_->commits.CreateNamespace("SALES", commit_), ErrorKind::kConflict);
  auto duplicate = Columns();
  duplicate[1].name = "ID";
  EXPECT_ERROR_KIND(format_->commits.CreateTable("sales", "t", duplicate, commit_), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(format_->commits.CreateTable("sales", "t", {}, commit_), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(format_->commits.CreateTable("nope", "t", Columns(), commit_), ErrorKind::kNotFound);
  format_->commits.CreateTable("sales", "t", Columns(), commit_);
  EXPECT_ERROR_KIND(format_->commits.CreateTable("sales", "T", Columns(), commit_), ErrorKind::kConflict);
  auto before = format_->history.LatestSnapshot();
  EXPECT_ERROR_KIND(format_->commits.CreateTable("sales", "t", Columns(), commit_), ErrorKind::kConflict);
  EXPECT_EQ(format_->history.LatestSnapshot(), before) << "a refused change must not create a snapshot";
}

TEST_P(LakeTest, DropNamespaceRequiresItEmpty) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  EXPECT_ERROR_KIND(format_->commits.DropNamespace("sales", commit_), ErrorKind::kConflict);
  format_->commits.DropTable("sales", "orders", commit_);
  format_->commits.DropNamespace("sales", commit_);
  EXPECT_ERROR_KIND(format_->catalog.GetNamespace("sales", format_->history.LatestSnapshot()), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(format_->commits.DropNamespace("sales", commit_), ErrorKind::kNotFound);
}

TEST_P(LakeTest, OldSnapshotsStillSeeWhatWasThere) {
  format_->commits.CreateNamespace("sales", commit_);
  auto created = format_->commits.CreateTable("sales", "orders", Columns(), commit_).snapshot_id;
  auto renamed = format_->commits.RenameTable("sales", "orders", "orders_v2", commit_).snapshot_id;
  auto dropped = format_->commits.DropTable("sales", "orders_v2", commit_).snapshot_id;
  EXPECT_TRUE(format_->catalog.FindTable("sales", "orders", created));
  EXPECT_FALSE(format_->catalog.FindTable("sales", "orders", renamed));
  auto renamed_table = format_->catalog.GetTable("sales", "orders_v2", renamed);
  EXPECT_EQ(renamed_table.columns.size(), 3u) << "rename keeps the columns";
  EXPECT_EQ(renamed_table.key_prefix, "warehouse/sales/orders/") << "rename does not move files";
  EXPECT_FALSE(format_->catalog.FindTable("sales", "orders_v2", dropped));
  EXPECT_EQ(format_->catalog.ListTables("sales", renamed).size(), 1u);
  EXPECT_EQ(format_->catalog.ListTables("sales", dropped).size(), 0u);
}

TEST_P(LakeTest, WritesAddFilesWithStatisticsAndOverwriteReplacesThem) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot());
  TableWrite write{"sales", "orders", std::nullopt, WriteMode::kAppend, table.id,
                   {File("warehouse/sales/orders/a.parquet", 10, "1", "10"),
                    File("warehouse/sales/orders/b.parquet", 5, "11", "15")}};
  auto appended = format_->commits.CommitWrite(write, commit_);
  EXPECT_EQ(appended.rows_written, 15);
  auto files = format_->catalog.TableFiles(table.id, appended.snapshot_id);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].key, "warehouse/sales/orders/a.parquet");
  EXPECT_EQ(files[1].row_id_start, 10);
  ASSERT_EQ(files[1].stats.size(), 1u);
  EXPECT_EQ(files[1].stats[0].min_value, "11");
  auto described = format_->catalog.GetTable("sales", "orders", appended.snapshot_id);
  EXPECT_EQ(described.record_count, 15);
  EXPECT_EQ(described.file_count, 2);
  EXPECT_EQ(described.file_size_bytes, 2000);

  auto txn = meta_->Begin(TransactionMode::kRead);
  auto stats = txn->Query("SELECT min_value, max_value FROM ducklake_table_column_stats WHERE column_id = 1");
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].String(0), "1") << "numeric stats merge as numbers, not text";
  EXPECT_EQ(stats[0].String(1), "15");
  txn.reset();

  write.mode = WriteMode::kOverwrite;
  write.files = {File("warehouse/sales/orders/c.parquet", 3, "100", "102")};
  auto replaced = format_->commits.CommitWrite(write, commit_);
  EXPECT_EQ(format_->catalog.TableFiles(table.id, replaced.snapshot_id).size(), 1u);
  EXPECT_EQ(format_->catalog.TableFiles(table.id, appended.snapshot_id).size(), 2u) << "time travel keeps old files";
  EXPECT_EQ(format_->catalog.GetTable("sales", "orders", replaced.snapshot_id).record_count, 3);
}

TEST_P(LakeTest, WritesCanCreateTheirTableAndDetectReplacement) {
  format_->commits.CreateNamespace("sales", commit_);
  TableWrite create{"sales", "fresh", Columns(), WriteMode::kAppend, std::nullopt,
                    {File("warehouse/sales/fresh/a.parquet", 2, "1", "2")}};
  auto result = format_->commits.CommitWrite(create, commit_);
  EXPECT_TRUE(result.created_table);
  EXPECT_EQ(format_->catalog.GetTable("sales", "fresh", result.snapshot_id).record_count, 2);
  // A second "create" of the same table lost the race: it must not append silently.
  EXPECT_ERROR_KIND(format_->commits.CommitWrite(create, commit_), ErrorKind::kConflict);
  TableWrite stale{"sales", "fresh", std::nullopt, WriteMode::kAppend, int64_t{12345},
                   {File("warehouse/sales/fresh/b.parquet", 1, "3", "3")}};
  EXPECT_ERROR_KIND(format_->commits.CommitWrite(stale, commit_), ErrorKind::kConflict);
  TableWrite outside{"sales", "fresh", std::nullopt, WriteMode::kAppend, std::nullopt,
                     {File("warehouse/other/x.parquet", 1, "3", "3")}};
  EXPECT_ERROR_KIND(format_->commits.CommitWrite(outside, commit_), ErrorKind::kInternal);
  EXPECT_EQ(format_->catalog.GetTable("sales", "fresh", format_->history.LatestSnapshot()).record_count, 2);
}

TEST_P(LakeTest, ConcurrentCommitsAllLand) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table_id = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).id;
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; w++) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 10; i++) {
        TableWrite write{"sales", "orders", std::nullopt, WriteMode::kAppend, table_id,
                         {File(fmt::format("warehouse/sales/orders/{}-{}.parquet", w, i), 1, "1", "1")}};
        format_->commits.CommitWrite(write, commit_);
      }
    });
  }
  for (auto &writer : writers) writer.join();
  auto latest = format_->history.LatestSnapshot();
  EXPECT_EQ(latest, 2 + 80);
  EXPECT_EQ(format_->catalog.GetTable("sales", "orders", latest).record_count, 80);
  auto files = format_->catalog.TableFiles(table_id, latest);
  std::set<int64_t> row_starts;
  for (const auto &file : files) row_starts.insert(file.row_id_start.value());
  EXPECT_EQ(row_starts.size(), 80u) << "row ids must never be handed out twice";
}

// A transaction against `base` touching table `table_id` of sales.orders.
LakeTransaction Against(int64_t base, int64_t table_id) {
  LakeTransaction transaction;
  transaction.base_snapshot = base;
  auto &change = transaction.tables.emplace_back();
  change.namespace_name = "sales";
  change.table_name = "orders";
  change.table_id = table_id;
  return transaction;
}

TEST_P(LakeTest, FilesKnowWhetherTheyHaveTheCurrentColumns) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot());
  format_->commits.CommitWrite({"sales", "orders", std::nullopt, WriteMode::kAppend, table.id,
                      {File("warehouse/sales/orders/a.parquet", 1, "1", "1")}},
                     commit_);
  auto before_change = format_->history.LatestSnapshot();
  auto rename = Against(before_change, table.id);
  rename.tables[0].columns = table.columns;
  (*rename.tables[0].columns)[0].name = "order_id";
  format_->commits.CommitTransaction(rename, commit_);
  format_->commits.CommitWrite({"sales", "orders", std::nullopt, WriteMode::kAppend, table.id,
                      {File("warehouse/sales/orders/b.parquet", 1, "2", "2")}},
                     commit_);
  auto files = format_->catalog.TableFiles(table.id, format_->history.LatestSnapshot());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_FALSE(files[0].has_current_columns) << "written before the rename";
  EXPECT_TRUE(files[1].has_current_columns);
  EXPECT_TRUE(format_->catalog.TableFiles(table.id, before_change)[0].has_current_columns) << "as of then, it was current";
}

TEST_P(LakeTest, DeletesOfTheSameFileFromOneBaseConflict) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table_id = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).id;
  format_->commits.CommitWrite({"sales", "orders", std::nullopt, WriteMode::kAppend, table_id,
                      {File("warehouse/sales/orders/a.parquet", 10, "1", "10"),
                       File("warehouse/sales/orders/b.parquet", 10, "11", "20")}},
                     commit_);
  auto base = format_->history.LatestSnapshot();
  auto first = Against(base, table_id);
  first.tables[0].deletes["warehouse/sales/orders/a.parquet"] = File("warehouse/sales/orders/d1.parquet", 3, "", "");
  first.tables[0].rows_deleted = 3;
  auto second = Against(base, table_id);
  second.tables[0].deletes["warehouse/sales/orders/a.parquet"] = File("warehouse/sales/orders/d2.parquet", 2, "", "");
  auto other_file = Against(base, table_id);
  other_file.tables[0].deletes["warehouse/sales/orders/b.parquet"] = File("warehouse/sales/orders/d3.parquet", 1, "", "");
  auto insert = Against(base, table_id);
  insert.tables[0].added_files = {File("warehouse/sales/orders/c.parquet", 5, "21", "25")};

  EXPECT_EQ(format_->commits.CommitTransaction(first, commit_).rows_deleted, 3);
  auto after_first = format_->history.LatestSnapshot();
  EXPECT_ERROR_KIND(format_->commits.CommitTransaction(second, commit_), ErrorKind::kConflict);
  EXPECT_EQ(format_->history.LatestSnapshot(), after_first) << "a conflict changes nothing";
  // Deleting from another file and inserting do not conflict: they retry on the new head.
  format_->commits.CommitTransaction(other_file, commit_);
  format_->commits.CommitTransaction(insert, commit_);
  auto latest = format_->history.LatestSnapshot();
  EXPECT_EQ(format_->catalog.GetTable("sales", "orders", latest).record_count, 20 - 3 - 1 + 5);
  auto files = format_->catalog.TableFiles(table_id, latest);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].delete_key, "warehouse/sales/orders/d1.parquet");
  EXPECT_EQ(files[1].delete_key, "warehouse/sales/orders/d3.parquet");
  EXPECT_EQ(files[2].delete_key, "");
  EXPECT_EQ(format_->catalog.TableFiles(table_id, base)[0].delete_key, "") << "old snapshots see no deletes";
}

// What the lake answers about its history: every snapshot, the table's history, its files at each
// snapshot. A repair of the catalog's values must leave all of it as it was.
std::string Reads(TableFormat &format, int64_t table_id) {
  std::string text;
  for (const auto &snapshot : format.history.ListSnapshots(1000, std::nullopt)) {
    text += fmt::format("{} {} {} {} {}\n", snapshot.id, snapshot.time, snapshot.schema_version, snapshot.changes,
                        snapshot.author.value_or("-"));
    for (const auto &file : format.catalog.TableFiles(table_id, snapshot.id)) {
      text += fmt::format("  {} {} {} {} {}\n", file.key, file.record_count, file.row_id_start.value_or(-1), file.delete_key,
                          file.delete_count);
    }
  }
  for (const auto &entry : format.history.TableHistory(table_id, -1, format.history.LatestSnapshot())) {
    text += fmt::format("{} {} +{} -{}\n", entry.snapshot.id, entry.operation, entry.rows_added, entry.rows_deleted);
  }
  return text;
}

TEST_P(LakeTest, ACatalogWrittenBeforeTheFormatRepairReadsTheSameAfterIt) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  format_->commits.CreateTable("sales", "empty", Columns(), commit_);
  auto table_id = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).id;
  format_->commits.CommitWrite({"sales", "orders", std::nullopt, WriteMode::kAppend, table_id,
                                {File("warehouse/sales/orders/a.parquet", 10, "1", "10")}},
                               commit_);
  auto update = Against(format_->history.LatestSnapshot(), table_id);
  update.tables[0].updated = true;
  update.tables[0].deletes["warehouse/sales/orders/a.parquet"] = File("warehouse/sales/orders/d.parquet", 2, "", "");
  update.tables[0].rows_deleted = 2;
  update.tables[0].added_files = {File("warehouse/sales/orders/u.parquet", 2, "3", "4")};
  format_->commits.CommitTransaction(update, commit_);
  const auto before = Reads(*format_, table_id);

  // The catalog as DuckLake wrote it until migration 7.
  {
    auto txn = meta_->Begin(TransactionMode::kWrite);
    if (meta_->Dialect() == "sqlite") {
      for (const auto &row : txn->Query("SELECT snapshot_id, snapshot_time FROM ducklake_snapshot")) {
        txn->Execute("UPDATE ducklake_snapshot SET snapshot_time = ? WHERE snapshot_id = ?",
                     {FormatRfc3339Ms(ParseCatalogTime(row.String(1)) / 1000), row.Int(0)});
      }
    }
    txn->Execute("UPDATE ducklake_data_file SET file_order = data_file_id");
    txn->Execute("UPDATE ducklake_file_column_stats SET contains_nan = false");
    txn->Execute("INSERT INTO ducklake_table_stats SELECT table_id, 0, 0, 0 FROM ducklake_table WHERE table_name = 'empty'");
    for (const auto &row : txn->Query("SELECT snapshot_id, table_id FROM dl_snapshot_update")) {
      txn->Execute("UPDATE ducklake_snapshot_changes SET commit_extra_info = ?, changes_made = ? WHERE snapshot_id = ?",
                   {"updated_table:" + row.String(1), fmt::format("deleted_from_table:{0},inserted_into_table:{0}", row.Int(1)),
                    row.Int(0)});
    }
    txn->Execute("DROP TABLE dl_snapshot_update");
    txn->Execute("DELETE FROM dl_schema_migrations WHERE version = 7");
    txn->Commit();
  }
  MigrateMetaStore(*meta_);

  EXPECT_EQ(Reads(*format_, table_id), before);
  auto txn = meta_->Begin(TransactionMode::kRead);
  EXPECT_EQ(txn->Query("SELECT count(*) FROM ducklake_data_file WHERE file_order IS NOT NULL")[0].Int(0), 0);
  EXPECT_EQ(txn->Query("SELECT count(*) FROM ducklake_file_column_stats WHERE contains_nan IS NOT NULL")[0].Int(0), 0)
      << "the lake has no floating-point column";
  EXPECT_EQ(txn->Query("SELECT count(*) FROM ducklake_table_stats")[0].Int(0), 1) << "only the table with data has statistics";
  EXPECT_EQ(txn->Query("SELECT count(*) FROM ducklake_snapshot_changes WHERE commit_extra_info IS NOT NULL")[0].Int(0), 0);
  auto changes = txn->Query("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 5");
  EXPECT_EQ(changes.at(0).String(0), fmt::format("inserted_into_table:{0},deleted_from_table:{0}", table_id));
  if (meta_->Dialect() == "sqlite") {
    for (const auto &row : txn->Query("SELECT snapshot_time FROM ducklake_snapshot")) {
      auto time = row.String(0);
      EXPECT_EQ(time, FormatCatalogTime(ParseCatalogTime(time))) << "the official extension's text of a TIMESTAMPTZ";
      EXPECT_EQ(time.substr(time.size() - 3), "+00");
    }
  }
}

TEST_P(LakeTest, DropConflictsWithConcurrentWritesAndWritesWithADrop) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table_id = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).id;
  auto base = format_->history.LatestSnapshot();
  auto insert = Against(base, table_id);
  insert.tables[0].added_files = {File("warehouse/sales/orders/a.parquet", 5, "1", "5")};
  auto drop = Against(base, table_id);
  drop.tables[0].dropped = true;
  format_->commits.CommitTransaction(insert, commit_);
  EXPECT_ERROR_KIND(format_->commits.CommitTransaction(drop, commit_), ErrorKind::kConflict);
  EXPECT_TRUE(format_->catalog.FindTable("sales", "orders", format_->history.LatestSnapshot()));
  // The other order: a drop lands first, the insert written before it must not resurrect anything.
  auto fresh_base = format_->history.LatestSnapshot();
  auto late_insert = Against(fresh_base, table_id);
  late_insert.tables[0].added_files = {File("warehouse/sales/orders/b.parquet", 5, "6", "10")};
  auto drop_now = Against(fresh_base, table_id);
  drop_now.tables[0].dropped = true;
  format_->commits.CommitTransaction(drop_now, commit_);
  EXPECT_ERROR_KIND(format_->commits.CommitTransaction(late_insert, commit_), ErrorKind::kConflict);
  EXPECT_FALSE(format_->catalog.FindTable("sales", "orders", format_->history.LatestSnapshot()));
}

TEST_P(LakeTest, ConcurrentSchemaChangesConflict) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot());
  auto base = format_->history.LatestSnapshot();
  auto add = [&](const std::string &name) {
    auto transaction = Against(base, table.id);
    auto columns = table.columns;
    columns.push_back(ColumnDef{format_->catalog.MaxColumnId(table.id) + 1, name, "varchar"});
    transaction.tables[0].columns = columns;
    return transaction;
  };
  auto insert = Against(base, table.id);
  insert.tables[0].added_files = {File("warehouse/sales/orders/a.parquet", 5, "1", "5")};
  format_->commits.CommitTransaction(add("note"), commit_);
  EXPECT_ERROR_KIND(format_->commits.CommitTransaction(add("comment"), commit_), ErrorKind::kConflict);
  // Files written against the columns before the change: the writer must retry against the new ones.
  EXPECT_ERROR_KIND(format_->commits.CommitTransaction(insert, commit_), ErrorKind::kConflict);
  auto files = format_->catalog.TableFiles(table.id, format_->history.LatestSnapshot());
  EXPECT_TRUE(files.empty());
  auto columns = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).columns;
  ASSERT_EQ(columns.size(), 4u);
  EXPECT_EQ(columns[3].name, "note");
  EXPECT_EQ(format_->catalog.GetTable("sales", "orders", base).columns.size(), 3u);
}

TEST_P(LakeTest, ExpiryForgetsOldSnapshotsAndSchedulesTheirFiles) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table_id = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).id;
  TableWrite write{"sales", "orders", std::nullopt, WriteMode::kAppend, table_id,
                   {File("warehouse/sales/orders/a.parquet", 10, "1", "10")}};
  auto written = format_->commits.CommitWrite(write, commit_).snapshot_id;
  write.mode = WriteMode::kOverwrite;
  write.files = {File("warehouse/sales/orders/b.parquet", 3, "1", "3")};
  auto replaced = format_->commits.CommitWrite(write, commit_).snapshot_id;
  auto dry = format_->retention.ExpireSnapshots(std::nullopt, 1, true);
  EXPECT_EQ(dry.expired_snapshots.size(), static_cast<size_t>(replaced));
  EXPECT_EQ(dry.scheduled_files, std::vector<std::string>{"warehouse/sales/orders/a.parquet"});
  EXPECT_NO_THROW(format_->history.GetSnapshot(written)) << "a dry run changes nothing";
  auto done = format_->retention.ExpireSnapshots(std::nullopt, 1, false);
  EXPECT_EQ(done.expired_snapshots, dry.expired_snapshots);
  EXPECT_ERROR_KIND(format_->history.GetSnapshot(written), ErrorKind::kNotFound);
  EXPECT_EQ(format_->catalog.GetTable("sales", "orders", replaced).record_count, 3);
  EXPECT_EQ(format_->retention.ScheduledFiles(0), std::vector<std::string>{"warehouse/sales/orders/a.parquet"});
  auto referenced = format_->retention.ReferencedKeys();
  EXPECT_EQ(std::count(referenced.begin(), referenced.end(), "warehouse/sales/orders/b.parquet"), 1);
  format_->retention.ForgetScheduledFiles({"warehouse/sales/orders/a.parquet"});
  EXPECT_TRUE(format_->retention.ScheduledFiles(0).empty());
  EXPECT_ERROR_KIND(format_->retention.ExpireSnapshots(std::nullopt, 0, false), ErrorKind::kInvalidInput);
}

TEST_P(LakeTest, ExpiryNeverLetsAColumnIdComeBack) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot());
  auto highest = format_->catalog.MaxColumnId(table.id);
  auto drop_last = Against(format_->history.LatestSnapshot(), table.id);
  auto columns = table.columns;
  columns.pop_back();  // the column with the highest id
  drop_last.tables[0].columns = columns;
  format_->commits.CommitTransaction(drop_last, commit_);
  format_->retention.ExpireSnapshots(std::nullopt, 1, false);
  EXPECT_EQ(format_->catalog.MaxColumnId(table.id), highest) << "a new column must not reuse the dropped one's id";
  EXPECT_EQ(format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).columns.size(), columns.size());
}

TEST_P(LakeTest, ATransactionWhoseBaseWasExpiredConflicts) {
  format_->commits.CreateNamespace("sales", commit_);
  format_->commits.CreateTable("sales", "orders", Columns(), commit_);
  auto table_id = format_->catalog.GetTable("sales", "orders", format_->history.LatestSnapshot()).id;
  auto insert = Against(format_->history.LatestSnapshot(), table_id);
  insert.tables[0].added_files = {File("warehouse/sales/orders/a.parquet", 5, "1", "5")};
  format_->commits.CommitWrite({"sales", "orders", std::nullopt, WriteMode::kAppend, table_id,
                      {File("warehouse/sales/orders/b.parquet", 1, "9", "9")}},
                     commit_);
  format_->retention.ExpireSnapshots(std::nullopt, 1, false);
  EXPECT_ERROR_KIND(format_->commits.CommitTransaction(insert, commit_), ErrorKind::kConflict);
}

// Rows kept in the catalog across schema versions: each read with the columns of today by column
// id, a column added since with its default; deletes end rows in place, and only once.
TEST_P(LakeTest, RowsKeptInTheCatalogReadByColumnIdAcrossSchemaVersions) {
  format_->commits.CreateNamespace("s", commit_);
  std::vector<ColumnDef> columns = {{0, "id", "int64"}, {0, "x", "float64"}, {0, "b", "boolean"}};
  format_->commits.CreateTable("s", "t", columns, commit_);
  auto table = format_->catalog.GetTable("s", "t", format_->history.LatestSnapshot());
  // A transaction from `base` changing the table.
  auto change_of = [&](LakeTransaction &transaction, int64_t base) -> TableChange & {
    transaction.base_snapshot = base;
    auto &change = transaction.tables.emplace_back();
    change.namespace_name = "s";
    change.table_name = "t";
    change.table_id = table.id;
    return change;
  };
  auto insert = [&](const std::vector<ColumnDef> &of, std::vector<std::vector<std::optional<std::string>>> rows) {
    LakeTransaction transaction;
    change_of(transaction, format_->history.LatestSnapshot()).inlined_inserts.push_back({of, std::move(rows), {}, {}});
    return format_->commits.CommitTransaction(transaction, commit_).snapshot_id;
  };
  // Values a metadata database could bend: -0.0, NaN, the largest double, text with quotes.
  auto first = insert(table.columns, {{"1", "-0.0", "true"}, {"2", "nan", std::nullopt}, {"3", "1.7976931348623157e+308", "false"}});
  // Today's columns: x renamed, b dropped, note added with a default.
  LakeTransaction alter;
  auto &change = change_of(alter, first);
  auto altered = table.columns;
  altered[1].name = "y";
  altered.pop_back();
  altered.push_back({4, "note", "varchar", true, std::string("it's"), {}});
  change.columns = altered;
  format_->commits.CommitTransaction(alter, commit_);
  auto second = insert(altered, {{"4", "2.5", "new"}});
  auto now = format_->catalog.GetTable("s", "t", second);
  auto rows = format_->catalog.Contents(table.id, second, now.columns).rows;
  ASSERT_EQ(rows.size(), 4u);
  using Values = std::vector<std::optional<std::string>>;
  // -0.0 keeps its sign (as "-0" or "-0.0": either casts back exactly).
  ASSERT_TRUE(rows[0].values[1].has_value());
  EXPECT_TRUE(std::signbit(std::stod(*rows[0].values[1])) && std::stod(*rows[0].values[1]) == 0);
  rows[0].values[1] = "-0";
  EXPECT_EQ(rows[0].values, (Values{"1", "-0", "it's"}));
  EXPECT_EQ(rows[1].values, (Values{"2", "nan", "it's"}));
  EXPECT_EQ(rows[2].values, (Values{"3", "1.7976931348623157e+308", "it's"}));
  EXPECT_EQ(rows[3].values, (Values{"4", "2.5", "new"}));
  EXPECT_EQ(rows[0].begin_snapshot, first);
  EXPECT_EQ(now.record_count, 4);
  // As of the first snapshot: its own columns, nothing later.
  auto then = format_->catalog.Contents(table.id, first, table.columns).rows;
  ASSERT_EQ(then.size(), 3u);
  EXPECT_EQ(then[0].values[0], "1");
  EXPECT_EQ(then[0].values[2], "1");

  // A delete ends a row once; deleting it again from the same base is a conflict.
  auto delete_row = [&](int64_t base, int64_t row_id) {
    LakeTransaction transaction;
    change_of(transaction, base).inlined_deletes = {row_id};
    return format_->commits.CommitTransaction(transaction, commit_);
  };
  auto deleted = delete_row(second, rows[1].row_id);
  EXPECT_EQ(format_->history.GetSnapshot(deleted.snapshot_id).changes, "inlined_delete:" + std::to_string(table.id));
  EXPECT_ERROR_KIND(delete_row(second, rows[1].row_id), ErrorKind::kConflict);
  EXPECT_EQ(format_->catalog.Contents(table.id, deleted.snapshot_id, now.columns).rows.size(), 3u);
  EXPECT_EQ(format_->catalog.Contents(table.id, second, now.columns).rows.size(), 4u);
  EXPECT_EQ(format_->history.TableRowHistory(table.id, second, deleted.snapshot_id, now.columns).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, LakeTest, ::testing::ValuesIn(testing::MetaBackends()),
                         [](const ::testing::TestParamInfo<MetaBackend> &info) { return info.param.name; });

}  // namespace
}  // namespace ducklake
