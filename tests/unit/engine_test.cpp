#include <chrono>
#include <cstring>
#include <map>
#include <mutex>

#include "engine/engine.hpp"
#include "storage/local_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::TempDir;

// Counts how often each key is opened or read, and can be told to fail the next commit: fault
// injection in one method.
class ObservedStore : public ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;

  ObjectInfo Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) override {
    Touch(key);
    return ObjectStoreWrapper::Get(key, range, sink);
  }

  // DuckDB opens a file (a Head) even when its bytes come from its own cache.
  ObjectInfo Head(const std::string &key) override {
    Touch(key);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      heads_[key]++;
    }
    return ObjectStoreWrapper::Head(key);
  }

  std::unique_ptr<ObjectWriter> Put(const std::string &key) override {
    auto writer = ObjectStoreWrapper::Put(key);
    if (!fail_next_commit_.exchange(false)) return writer;
    class Failing : public ObjectWriter {
     public:
      explicit Failing(std::unique_ptr<ObjectWriter> inner) : inner_(std::move(inner)) {}
      void Append(const char *data, size_t size) override { inner_->Append(data, size); }
      ObjectInfo Commit() override { throw Error(ErrorKind::kUnavailable, "injected: storage went away"); }

     private:
      std::unique_ptr<ObjectWriter> inner_;
    };
    return std::make_unique<Failing>(std::move(writer));
  }

  void Touch(const std::string &key) {
    std::lock_guard<std::mutex> lock(mutex_);
    reads_[key]++;
  }

  int Reads(const std::string &key) {
    std::lock_guard<std::mutex> lock(mutex_);
    return reads_[key];
  }
  int Heads(const std::string &key) {
    std::lock_guard<std::mutex> lock(mutex_);
    return heads_[key];
  }
  void ResetReads() {
    std::lock_guard<std::mutex> lock(mutex_);
    reads_.clear();
    heads_.clear();
  }
  std::atomic<bool> fail_next_commit_{false};

 private:
  std::mutex mutex_;
  std::map<std::string, int> reads_;
  std::map<std::string, int> heads_;
};

class MapResolver : public TableResolver {
 public:
  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                   const std::optional<TableVersion> &at) override {
    auto it = tables.find(schema + "." + table + (at && at->snapshot_id ? "@" + std::to_string(*at->snapshot_id) : ""));
    if (it == tables.end()) return std::nullopt;
    return it->second;
  }
  VisibleCatalog Catalog() override { return catalog; }
  std::map<std::string, TableScan> tables;
  VisibleCatalog catalog;
};

class EngineTest : public ::testing::Test {
 protected:
  EngineTest()
      : local_(dir_.path() + "/objects"), store_(local_), engine_(store_, EngineOptions{"512MB", 2, ""}) {}

  std::vector<ColumnDef> Columns() {
    return {engine_.ParseColumnType("id", "BIGINT"), engine_.ParseColumnType("name", "VARCHAR")};
  }

  std::vector<ColumnDef> WithIds(std::vector<ColumnDef> columns) {
    for (size_t i = 0; i < columns.size(); i++) columns[i].id = static_cast<int64_t>(i + 1);
    return columns;
  }

  // Writes rows [from, to) as one file of table sales.orders.
  WrittenFile WriteRange(int from, int to, const std::string &key) {
    return engine_.WriteQuery(fmt::format("SELECT range, 'n' || range FROM range({}, {})", from, to), resolver_,
                              WithIds(Columns()), {}, key, 10000, false);
  }

  void AddFile(const WrittenFile &file) {
    auto &table = resolver_.tables["sales.orders"];
    table.columns = WithIds(Columns());
    table.files.push_back({file.key, file.record_count, file.stats});
  }

  std::string Run(const std::string &sql, ResultFormat format = ResultFormat::kJson, int64_t timeout_ms = 10000) {
    std::string out;
    QueryOptions options;
    options.format = format;
    options.timeout_ms = timeout_ms;
    engine_.Query(sql, resolver_, options, [&out](const char *data, size_t size) {
      out.append(data, size);
      return true;
    });
    return out;
  }

  bool StoreHasObjects() { return !local_.List("warehouse/", "", "", 10).objects.empty(); }

  TempDir dir_;
  LocalStore local_;
  ObservedStore store_;
  Engine engine_;
  MapResolver resolver_;
};

TEST_F(EngineTest, ParseClassifiesAllowedStatements) {
  EXPECT_EQ(engine_.Parse("SELECT 1").kind, StatementKind::kQuery);
  auto insert = engine_.Parse("INSERT INTO sales.orders (id, name) SELECT 1, 'a'");
  EXPECT_EQ(insert.kind, StatementKind::kInsert);
  EXPECT_EQ(insert.target_schema, "sales");
  EXPECT_EQ(insert.target_table, "orders");
  EXPECT_EQ(insert.insert_columns, (std::vector<std::string>{"id", "name"}));
  auto ctas = engine_.Parse("CREATE TABLE sales.copy AS SELECT * FROM sales.orders");
  EXPECT_EQ(ctas.kind, StatementKind::kCreateTableAs);
  EXPECT_NE(ctas.query.sql().find("sales.orders"), std::string::npos);
  auto create = engine_.Parse("CREATE TABLE sales.t (a INTEGER, b DECIMAL(10,2), c VARCHAR[])");
  EXPECT_EQ(create.kind, StatementKind::kCreateTable);
  ASSERT_EQ(create.columns.size(), 3u);
  EXPECT_EQ(create.columns[0].type, "int32");
  EXPECT_EQ(create.columns[1].type, "decimal(10,2)");
  EXPECT_EQ(create.columns[2].type, "list");
}

TEST_F(EngineTest, CreateTableKeepsConstantDefaults) {
  auto create = engine_.Parse("CREATE TABLE sales.t (a INTEGER DEFAULT 6 + 1, b VARCHAR DEFAULT 'x', c DATE)");
  ASSERT_EQ(create.columns.size(), 3u);
  EXPECT_EQ(create.columns[0].default_value, "7");
  EXPECT_EQ(create.columns[1].default_value, "x");
  EXPECT_FALSE(create.columns[2].default_value);
  EXPECT_ERROR_KIND(engine_.Parse("CREATE TABLE sales.t (a INTEGER, b INTEGER AS (a * 2))"), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(engine_.Parse("CREATE TABLE sales.t (a DOUBLE DEFAULT random())"), ErrorKind::kInvalidInput);
}

TEST_F(EngineTest, CatalogFunctionsShowWhatTheResolverLetsTheCallerSee) {
  CatalogTable orders{7, "sales", "orders", WithIds(Columns()), "all orders", {{"owner", "ops"}}, {{2, "who"}}, 42};
  orders.columns.push_back(engine_.ParseColumnType("amount", "DECIMAL(12,3)"));
  orders.columns.back().id = 3;
  orders.columns.back().default_value = "0";
  resolver_.catalog = {{{3, "sales"}, {4, "empty"}}, {orders}};
  EXPECT_EQ(Run("SELECT schema_name, table_name, table_oid, comment, tags['owner'], estimated_size, column_count, sql "
                "FROM duckdb_tables()", ResultFormat::kCsv),
            "schema_name,table_name,table_oid,comment,tags['owner'],estimated_size,column_count,sql\n"
            "sales,orders,7,all orders,ops,42,3,\"CREATE TABLE sales.orders(id BIGINT, \"\"name\"\" VARCHAR, amount "
            "DECIMAL(12,3) DEFAULT '0');\"\n");
  EXPECT_EQ(Run("SELECT column_name, ordinal_position, data_type, column_default, numeric_precision, numeric_scale, "
                "COLUMN_COMMENT FROM information_schema.columns ORDER BY ordinal_position",
                ResultFormat::kCsv),
            "column_name,ordinal_position,data_type,column_default,numeric_precision,numeric_scale,COLUMN_COMMENT\n"
            "id,1,BIGINT,,64,0,\nname,2,VARCHAR,,,,who\namount,3,\"DECIMAL(12,3)\",0,12,3,\n");
  EXPECT_EQ(Run("SELECT string_agg(schema_name, ' ' ORDER BY oid) AS names FROM duckdb_schemas()", ResultFormat::kCsv),
            "names\nsales empty\n");
  EXPECT_EQ(Run("SELECT count(*) FROM duckdb_views()", ResultFormat::kCsv), "count_star()\n0\n");
  // A resolver that shows nothing (the lake's own queries) leaves the functions empty.
  resolver_.catalog = {};
  EXPECT_EQ(Run("SELECT count(*) FROM information_schema.tables", ResultFormat::kCsv), "count_star()\n0\n");
  EXPECT_ERROR_KIND(Run("SELECT * FROM duckdb_constraints()"), ErrorKind::kForbidden);
}

TEST_F(EngineTest, ParseRefusesEverythingElse) {
  for (const char *sql : {"COPY (SELECT 1) TO '/tmp/x.csv'", "ATTACH 'x.db'", "INSTALL httpfs", "LOAD httpfs",
                          "SET threads = 1", "PRAGMA threads = 1", "CREATE VIEW v AS SELECT 1",
                          "CREATE MACRO m(x) AS x", "EXPORT DATABASE '/tmp/x'", "DETACH x", "CHECKPOINT",
                          "CREATE SECRET s (TYPE s3)", "CALL pragma_version()"}) {
    EXPECT_ERROR_KIND(engine_.Parse(sql), ErrorKind::kForbidden);
  }
  EXPECT_ERROR_KIND(engine_.Parse("CREATE TABLE local AS SELECT 1"), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(engine_.Parse("CREATE TEMP TABLE t AS SELECT 1"), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(engine_.Parse("SELECT 1; SELECT 2"), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(engine_.Parse("SELEKT"), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(engine_.Parse(""), ErrorKind::kInvalidInput);
}

TEST_F(EngineTest, SandboxRefusesFileAccessInQueries) {
  auto file = WriteRange(0, 10, "warehouse/sales/orders/a.parquet");
  AddFile(file);
  for (const std::string sql : std::vector<std::string>{
           "SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/*')", "SELECT * FROM read_parquet('ducklake-store://warehouse/sales/orders/a.parquet')",
        "SELECT * FROM parquet_metadata('ducklake-store://warehouse/sales/orders/a.parquet')",
        "SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')", "SELECT * FROM duckdb_settings()",
        "SELECT * FROM read_blob('ducklake-store://warehouse/sales/orders/a.parquet')"}) {
    try {
      Run(sql);
      ADD_FAILURE() << "not refused: " << sql;
    } catch (const Error &error) {
      EXPECT_TRUE(error.kind() == ErrorKind::kForbidden || error.kind() == ErrorKind::kInvalidInput)
          << sql << ": " << error.what();
      EXPECT_EQ(std::string(error.what()).find("ducklake-store://"), std::string::npos) << error.what();
    }
  }
}

TEST_F(EngineTest, WritesAndReadsLakeTablesInEveryFormat) {
  auto file = WriteRange(0, 1000, "warehouse/sales/orders/a.parquet");
  EXPECT_EQ(file.record_count, 1000);
  EXPECT_GT(file.file_size_bytes, 0);
  EXPECT_GT(file.footer_size, 0);
  ASSERT_EQ(file.stats.size(), 2u);
  EXPECT_EQ(file.stats[0].min_value, "0");
  EXPECT_EQ(file.stats[0].max_value, "999");
  EXPECT_EQ(file.stats[1].min_value, "n0");
  AddFile(file);
  EXPECT_EQ(Run("SELECT count(*), sum(id) FROM sales.orders"),
            R"json({"columns":[{"name":"count_star()","type":"BIGINT"},{"name":"sum(id)","type":"HUGEINT"}],)json"
            R"json("rows":[)json" "\n" R"json([1000,"499500"])json" "\n]}");
  EXPECT_EQ(Run("SELECT id, name FROM sales.orders WHERE id < 2 ORDER BY id", ResultFormat::kCsv), "id,name\n0,n0\n1,n1\n");
  EXPECT_EQ(Run("SELECT id FROM sales.orders WHERE id = 7", ResultFormat::kNdjson), "{\"id\":7}\n");
  auto parquet = Run("SELECT * FROM sales.orders", ResultFormat::kParquet);
  EXPECT_EQ(parquet.substr(0, 4), "PAR1");
  EXPECT_EQ(parquet.substr(parquet.size() - 4), "PAR1");
  auto arrow = Run("SELECT * FROM sales.orders", ResultFormat::kArrow);
  EXPECT_EQ(arrow.substr(0, 4), "\xff\xff\xff\xff");
  // A table that is not there is missing, as a REST path to it is (404); a file path is not a table name.
  EXPECT_ERROR_KIND(Run("SELECT * FROM sales.missing"), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(Run("SELECT * FROM '/etc/passwd'"), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(Run("SELECT no_such_function(1)"), ErrorKind::kInvalidInput);
}

TEST_F(EngineTest, StatisticsPruneFilesBeforeTheyAreOpened) {
  const char *keys[] = {"warehouse/sales/orders/0.parquet", "warehouse/sales/orders/1.parquet",
                        "warehouse/sales/orders/2.parquet"};
  for (int i = 0; i < 3; i++) AddFile(WriteRange(i * 100, i * 100 + 100, keys[i]));
  // Binding read_parquet opens the first listed file and reads its footer for the schema; that
  // probe (open + footer) is all a pruned first file may get. Other pruned files are never opened.
  store_.ResetReads();
  EXPECT_EQ(Run("SELECT name FROM sales.orders WHERE id = 150", ResultFormat::kCsv), "name\nn150\n");
  EXPECT_LE(store_.Reads(keys[0]), 2);
  EXPECT_GT(store_.Reads(keys[1]), 0);
  EXPECT_EQ(store_.Reads(keys[2]), 0);
  store_.ResetReads();
  EXPECT_EQ(Run("SELECT count(*) FROM sales.orders WHERE id >= 200", ResultFormat::kCsv), "count_star()\n100\n");
  EXPECT_LE(store_.Reads(keys[0]), 2);
  EXPECT_EQ(store_.Reads(keys[1]), 0);
  EXPECT_EQ(Run("SELECT count(*) FROM sales.orders WHERE id > 1000", ResultFormat::kCsv), "count_star()\n0\n");
  // Without a filter, or with one on another column, every file is read and the answer is whole.
  EXPECT_EQ(Run("SELECT count(*) FROM sales.orders WHERE name <> 'x'", ResultFormat::kCsv), "count_star()\n300\n");
}

// Lake files are immutable (a new name per write), so their size and ETag are looked up once.
TEST_F(EngineTest, ALakeFileIsStatedOnceForEveryLaterQuery) {
  const std::string key = "warehouse/sales/orders/0.parquet";
  AddFile(WriteRange(0, 100, key));
  store_.ResetReads();
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(Run("SELECT count(*) FROM sales.orders WHERE name <> 'x'", ResultFormat::kCsv), "count_star()\n100\n");
  }
  EXPECT_EQ(store_.Heads(key), 1);
}

TEST_F(EngineTest, FailedWritesLeaveNoObject) {
  EXPECT_ERROR_KIND(engine_.WriteQuery("SELECT 'abc', 'x'", resolver_, WithIds(Columns()), {},
                                       "warehouse/sales/orders/bad.parquet", 10000, false),
                    ErrorKind::kInvalidInput);
  EXPECT_FALSE(StoreHasObjects());
  store_.fail_next_commit_ = true;
  try {
    WriteRange(0, 10, "warehouse/sales/orders/unlucky.parquet");
    ADD_FAILURE() << "the injected commit failure was swallowed";
  } catch (const Error &) {
  }
  EXPECT_FALSE(StoreHasObjects());
  EXPECT_ERROR_KIND(engine_.WriteQuery("SELECT 1", resolver_, WithIds(Columns()), {},
                                       "warehouse/sales/orders/short.parquet", 10000, false),
                    ErrorKind::kInvalidInput);
  EXPECT_FALSE(StoreHasObjects());
}

TEST_F(EngineTest, TimeoutsInterruptAndWriteNothing) {
  EXPECT_ERROR_KIND(Run("SELECT count(*) FROM range(1000000000000) a, range(1000) b", ResultFormat::kJson, 200),
                    ErrorKind::kTimeout);
  EXPECT_ERROR_KIND(engine_.WriteQuery("SELECT a.range, 'x' FROM range(1000000000) a, range(1000000) b", resolver_,
                                       WithIds(Columns()), {}, "warehouse/sales/orders/slow.parquet", 200, false),
                    ErrorKind::kTimeout);
  EXPECT_FALSE(StoreHasObjects());
}

TEST_F(EngineTest, AConsumerThatGoesAwayStopsTheQuery) {
  QueryOptions options;
  size_t received = 0;
  EXPECT_ANY_THROW(engine_.Query("SELECT * FROM range(100000000)", resolver_, options,
                                 [&received](const char *, size_t size) {
                                   received += size;
                                   return false;
                                 }));
  EXPECT_LT(received, 10u << 20);
  EXPECT_EQ(engine_.RunningQueries(), 0);
}

TEST_F(EngineTest, CountsAreSentAsTheirQueryWouldBe) {
  std::vector<std::pair<std::string, int64_t>> counts = {{"rows_written", 3}, {"snapshot_id", 9007199254740993}};
  for (auto format : {ResultFormat::kJson, ResultFormat::kArrow, ResultFormat::kCsv, ResultFormat::kNdjson,
                      ResultFormat::kParquet}) {
    QueryOptions options;
    options.format = format;
    options.limit = 0;  // a write's answer is never cut
    std::string sent;
    engine_.SendCounts(counts, options, [&sent](const char *data, size_t size) {
      sent.append(data, size);
      return true;
    });
    EXPECT_EQ(sent, Run("SELECT CAST(3 AS BIGINT) AS rows_written, CAST(9007199254740993 AS BIGINT) AS snapshot_id",
                        format))
        << static_cast<int>(format);
  }
  // A client gone before the answer: an error, as for a query.
  EXPECT_ERROR_KIND(engine_.SendCounts(counts, QueryOptions{}, [](const char *, size_t) { return false; }),
                    ErrorKind::kInvalidInput);
}

TEST_F(EngineTest, RowsAreCollectedOnlyWhenFewAreExpectedAndFewCome) {
  std::vector<ColumnDef> target = {{1, "n", "int64", true, {}, {}}};
  auto collect = [&](const std::string &sql) { return engine_.CollectRows(sql, resolver_, target, {}, 10, 10000); };
  auto few = collect("SELECT * FROM (VALUES (1), (2), (NULL))");
  ASSERT_TRUE(few.has_value());
  EXPECT_EQ(few->rows.size(), 3u);
  EXPECT_EQ(few->stats.at(0).null_count, 1);
  EXPECT_FALSE(collect("SELECT range FROM range(11)").has_value());  // one more than the limit
  EXPECT_TRUE(collect("SELECT range FROM range(1000) WHERE range % 100 = 0").has_value());
  // Far more rows expected: not run at all (run, this query fails at its first row).
  EXPECT_FALSE(collect("SELECT range FROM range(1000000) WHERE error('it ran') IS NULL").has_value());
}

TEST_F(EngineTest, TypesMapBothWays) {
  struct Case {
    const char *sql;
    const char *lake;
    const char *back;
  } cases[] = {{"BIGINT", "int64", "BIGINT"},          {"INTEGER", "int32", "INTEGER"},
               {"DOUBLE", "float64", "DOUBLE"},         {"VARCHAR", "varchar", "VARCHAR"},
               {"TIMESTAMP", "timestamp", "TIMESTAMP"}, {"TIMESTAMPTZ", "timestamptz", "TIMESTAMP WITH TIME ZONE"},
               {"DECIMAL(18,3)", "decimal(18,3)", "DECIMAL(18,3)"}, {"BOOLEAN", "boolean", "BOOLEAN"},
               {"DATE", "date", "DATE"},                {"BLOB", "blob", "BLOB"},
               {"UUID", "uuid", "UUID"},                {"INTEGER[]", "list", "INTEGER[]"},
               {"STRUCT(a INTEGER, b VARCHAR)", "struct", "STRUCT(a INTEGER, b VARCHAR)"},
               {"MAP(VARCHAR, DOUBLE)", "map", "MAP(VARCHAR, DOUBLE)"}};
  for (const auto &c : cases) {
    auto column = engine_.ParseColumnType("c", c.sql);
    EXPECT_EQ(column.type, c.lake) << c.sql;
    EXPECT_EQ(Engine::SqlType(column), c.back) << c.sql;
  }
  EXPECT_ERROR_KIND(engine_.ParseColumnType("c", "NOT_A_TYPE"), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(engine_.ParseColumnType("c", "UNION(a INTEGER, b VARCHAR)"), ErrorKind::kInvalidInput);
}

TEST_F(EngineTest, QueriesTheOptimiserReshapesAnswerAsInDuckDb) {
  // DuckDB's ClientContext::ExtractPlan failed on these with "inequal num bindings/types".
  AddFile(WriteRange(0, 10, "warehouse/sales/orders/a.parquet"));
  EXPECT_EQ(Run("SELECT id, name FROM sales.orders ORDER BY id LIMIT 3", ResultFormat::kCsv), "id,name\n0,n0\n1,n1\n2,n2\n");
  EXPECT_EQ(Run("SELECT * FROM sales.orders ORDER BY id DESC LIMIT 2 OFFSET 1", ResultFormat::kCsv),
            "id,name\n8,n8\n7,n7\n");
  EXPECT_EQ(Run("SELECT name FROM sales.orders ORDER BY id LIMIT 2", ResultFormat::kCsv), "name\nn0\nn1\n");
  EXPECT_EQ(Run("SELECT sum(id + 2), sum(id) FROM sales.orders", ResultFormat::kCsv), "sum((id + 2)),sum(id)\n65,45\n");
  EXPECT_EQ(Run("SELECT count(*), count(1)", ResultFormat::kCsv), "count_star(),count(1)\n1,1\n");
  // Duplicate column names stay as DuckDB names them (a JSON result is not a subquery of a cap).
  EXPECT_EQ(Run("SELECT id, id FROM sales.orders ORDER BY id LIMIT 1"),
            R"({"columns":[{"name":"id","type":"BIGINT"},{"name":"id","type":"BIGINT"}],"rows":[)" "\n[0,0]\n]}");
  // ns.t.column names bind as they do for DuckDB's own tables.
  EXPECT_EQ(Run("SELECT sales.orders.id FROM sales.orders WHERE sales.orders.id = 4", ResultFormat::kCsv), "id\n4\n");
}

TEST_F(EngineTest, InsertValuesAreCastOneByOneToTheirColumns) {
  std::vector<ColumnDef> target = {engine_.ParseColumnType("a", "BIGINT"), engine_.ParseColumnType("b", "BIGINT"),
                                   engine_.ParseColumnType("r", "REAL")};
  target[1].default_value = "7";
  target = WithIds(target);
  // Without a per-value cast the list needs one type per column ('  123 ' and 1 have none), and REAL
  // values are rounded twice, through DOUBLE (16777217.5 would become 16777218).
  auto sql = engine_.InsertQuery("SELECT * FROM (VALUES ('  123 ', ' 456', 16777217.5), (1, DEFAULT, 1e-45))", target, {});
  auto file = engine_.WriteQuery(sql, resolver_, target, {}, "warehouse/sales/t/a.parquet", 10000, false);
  EXPECT_EQ(file.record_count, 2);
  resolver_.tables["sales.t"] = {target, {{file.key, file.record_count, file.stats, "", true}}};
  EXPECT_EQ(Run("SELECT a, b, CAST(r AS DOUBLE) AS r FROM sales.t ORDER BY a", ResultFormat::kCsv),
            "a,b,r\n1,7,1.401298464324817e-45\n123,456,16777216.0\n");
  // DEFAULT VALUES: one row of defaults.
  EXPECT_EQ(engine_.InsertQuery("", target, {}).sql(),
            engine_.InsertQuery("VALUES (DEFAULT, DEFAULT, DEFAULT)", target, {}).sql());
}

// Every result format wraps the statement (COPY (...) TO): what may follow it in the request does
// not break out of the wrapper.
TEST_F(EngineTest, TrailingSemicolonsAndCommentsInEveryFormat) {
  AddFile(WriteRange(0, 3, "warehouse/sales/orders/a.parquet"));
  for (std::string tail : {";", " ; ;\n", " -- the ids", "; -- the ids", " /* ids */ ;", "; /* done */"}) {
    EXPECT_EQ(Run("SELECT id FROM sales.orders ORDER BY id" + tail, ResultFormat::kCsv), "id\n0\n1\n2\n") << tail;
    EXPECT_EQ(Run("SELECT ';' AS s, '--' AS d" + tail, ResultFormat::kCsv), "s,d\n;,--\n") << tail;
    auto parsed = engine_.Parse("SELECT count(*) AS n FROM sales.orders" + tail).query;
    EXPECT_EQ(engine_.DescribeQuery(parsed, resolver_).size(), 1u) << tail;
    EXPECT_NE(Run(parsed.sql(), ResultFormat::kNdjson).find("\"n\":3"), std::string::npos) << tail;
  }
}

// A statement is parsed once: its query part carries DuckDB's tree to every later step, and a
// query run from that tree answers what the same text answers.
TEST_F(EngineTest, ParsedQueriesCarryTheirTree) {
  AddFile(WriteRange(0, 30, "warehouse/sales/orders/a.parquet"));
  auto query = engine_.Parse("SELECT id, name FROM sales.orders WHERE id % 3 = 0 ORDER BY id DESC LIMIT 4;").query;
  ASSERT_NE(query.tree(), nullptr);
  auto insert = engine_.Parse("INSERT INTO sales.orders SELECT id + 100, name FROM sales.orders").query;
  ASSERT_NE(insert.tree(), nullptr);
  EXPECT_EQ(engine_.InsertQuery(insert, WithIds(Columns()), {}).tree(), insert.tree());
  auto values = engine_.Parse("INSERT INTO sales.orders VALUES (1, 'a')").query;
  EXPECT_EQ(engine_.InsertQuery(values, WithIds(Columns()), {}).tree(), nullptr);  // rewritten: new text

  for (auto format : {ResultFormat::kJson, ResultFormat::kCsv}) {
    std::string from_tree, from_text;
    QueryOptions options;
    options.format = format;
    engine_.Query(query, resolver_, options, [&](const char *data, size_t size) {
      from_tree.append(data, size);
      return true;
    });
    engine_.Query(query.sql(), resolver_, options, [&](const char *data, size_t size) {
      from_text.append(data, size);
      return true;
    });
    EXPECT_EQ(from_tree, from_text);
    EXPECT_NE(from_tree.find("n27"), std::string::npos);
    EXPECT_NE(from_tree.find("n18"), std::string::npos);
    EXPECT_EQ(from_tree.find("n15"), std::string::npos);
  }
  // Each use works on its own copy of the tree: running it again answers the same.
  EXPECT_EQ(engine_.DescribeQuery(query, resolver_).size(), 2u);
  EXPECT_EQ(engine_.DescribeQuery(query, resolver_).size(), 2u);
}

TEST_F(EngineTest, ValuesParquetCannotHoldReadBackExactly) {
  // 128-bit integers, intervals and TIME WITH TIME ZONE are stored as text; TIMESTAMP_S with
  // infinity goes through the engine's own cast. Read by name and by field id alike.
  std::vector<std::pair<std::string, std::string>> columns = {
      {"h", "HUGEINT"}, {"u", "UHUGEINT"}, {"i", "INTERVAL"}, {"z", "TIMETZ"}, {"s", "TIMESTAMP_S"},
      {"l", "HUGEINT[]"}, {"j", "JSON"}};
  std::vector<ColumnDef> target;
  for (const auto &[name, type] : columns) target.push_back(engine_.ParseColumnType(name, type));
  target = WithIds(target);
  auto file = engine_.WriteQuery(
      "SELECT -170141183460469231731687303715884105728, 340282366920938463463374607431768211455, "
      "INTERVAL '-1 month 00:00:00.000001', TIMETZ '12:00:00+05:30', TIMESTAMP_S 'infinity', "
      "[170141183460469231731687303715884105727], '{\"a\": [1]}'",
      resolver_, target, {}, "warehouse/sales/t/a.parquet", 10000, false);
  const char *expected =
      "h,u,i,z,s,l,j\n-170141183460469231731687303715884105728,340282366920938463463374607431768211455,"
      "-1 month 00:00:00.000001,12:00:00+05:30,infinity,[170141183460469231731687303715884105727],"
      "\"{\"\"a\"\": [1]}\"\n";
  for (bool current : {true, false}) {
    resolver_.tables["sales.t"] = {target, {{file.key, file.record_count, file.stats, "", current}}};
    EXPECT_EQ(Run("SELECT * FROM sales.t", ResultFormat::kCsv), expected) << (current ? "by name" : "by field id");
    EXPECT_EQ(Run("SELECT typeof(h), typeof(z), typeof(s), typeof(j) FROM sales.t", ResultFormat::kCsv),
              "typeof(h),typeof(z),typeof(s),typeof(j)\nHUGEINT,TIME WITH TIME ZONE,TIMESTAMP_S,JSON\n");
  }
  // A JSON column read by field id is a JSON value again, which joins need.
  EXPECT_EQ(Run("SELECT count(*) FROM sales.t AS a JOIN sales.t AS b ON a.j = b.j", ResultFormat::kCsv),
            "count_star()\n1\n");
}

TEST_F(EngineTest, FloatEqualityWithZeroFindsNegativeZero) {
  // DuckDB's Parquet writer records -0.0 as a maximum, and its reader then skips the row group for
  // `= 0`: such columns are read through an expression the filter is not pushed into.
  std::vector<ColumnDef> target = WithIds({engine_.ParseColumnType("id", "BIGINT"), engine_.ParseColumnType("f", "DOUBLE")});
  auto file = engine_.WriteQuery("SELECT range, CASE WHEN range % 2 = 0 THEN -0.0 ELSE -1 END FROM range(10)",
                                 resolver_, target, {}, "warehouse/sales/f/a.parquet", 10000, false);
  resolver_.tables["sales.f"] = {target, {{file.key, file.record_count, file.stats, "", true}}};
  EXPECT_EQ(Run("SELECT count(*) FROM sales.f WHERE f = 0", ResultFormat::kCsv), "count_star()\n5\n");
  EXPECT_EQ(Run("SELECT count(*) FROM sales.f WHERE f IN (0, 7)", ResultFormat::kCsv), "count_star()\n5\n");
  EXPECT_EQ(Run("SELECT count(*) FROM sales.f WHERE f = -1", ResultFormat::kCsv), "count_star()\n5\n");
}

TEST_F(EngineTest, AStreamedUploadIsDescribedAndReadFromTheSameBytes) {
  // No header: DuckDB's sniffer must see it in the sample and in the read alike.
  std::string body;
  for (int i = 0; i < 50000; i++) body += fmt::format("{}|TEST{}|text{}\n", i, i, i);
  size_t offset = 0;
  ByteSource source = [&](char *out, size_t size) {
    size_t take = std::min<size_t>({size, body.size() - offset, 1000});  // a slow, small-piece upload
    std::memcpy(out, body.data() + offset, take);
    offset += take;
    return take;
  };
  auto path = engine_.RegisterInput(source);
  auto described = engine_.DescribeUpload(path, UploadFormat::kCsv, {});
  ASSERT_TRUE(described.dialect);
  EXPECT_FALSE(described.dialect->header);
  EXPECT_EQ(described.dialect->delimiter, "|");
  ASSERT_EQ(described.columns.size(), 3u);
  EXPECT_EQ(described.columns[0].name, "column0");
  EXPECT_EQ(described.sql_types[0], "BIGINT");
  auto target = WithIds(described.columns);
  auto file = engine_.WriteUpload(path, UploadFormat::kCsv, {}, target, "warehouse/sales/u/a.parquet", described, false);
  EXPECT_EQ(file.record_count, 50000);
  // The last read took the rest of the stream: the start is gone.
  EXPECT_ERROR_KIND(engine_.DescribeUpload(path, UploadFormat::kCsv, {}), ErrorKind::kForbidden);
  engine_.UnregisterInput(path);
}

TEST_F(EngineTest, FiltersOnListsAreNotPushedIntoTheParquetReader) {
  // DuckDB 1.4.4's reader answers "Out of buffer" for this file when the filter reaches it.
  std::vector<ColumnDef> target = WithIds({engine_.ParseColumnType("l", "VARCHAR[]"), engine_.ParseColumnType("s", "VARCHAR")});
  auto file = engine_.WriteQuery(
      "SELECT CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN [] WHEN i % 4 = 2 THEN ['a', NULL] "
      "ELSE ['b', 'a', 'b'] END, repeat('x', (i * 37) % 300) FROM range(60) t(i)",
      resolver_, target, {}, "warehouse/sales/l/a.parquet", 10000, true);
  resolver_.tables["sales.l"] = {target, {{file.key, file.record_count, file.stats, "", true}}};
  EXPECT_EQ(Run("SELECT count(*), sum(length(s)) FROM sales.l WHERE l IS DISTINCT FROM ['b', 'a', 'b']",
                ResultFormat::kCsv),
            "count_star(),sum(length(s))\n45,6285\n");
}

}  // namespace
}  // namespace ducklake
