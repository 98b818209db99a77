// Column lineage from DuckDB's bound plan (Engine::Lineage): every shape of query a SQL write can
// carry, checked column by column.

#include <map>

#include "engine/engine.hpp"
#include "storage/local_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::TempDir;

// Two lake tables with no files: lineage reads no data.
class TwoTables : public TableResolver {
 public:
  explicit TwoTables(Engine &engine) {
    auto columns = [&](std::vector<std::pair<std::string, std::string>> defs) {
      std::vector<ColumnDef> result;
      for (auto &[name, type] : defs) {
        result.push_back(engine.ParseColumnType(name, type));
        result.back().id = static_cast<int64_t>(result.size());
      }
      return result;
    };
    tables_["sales.orders"] = TableScan{columns({{"id", "BIGINT"}, {"customer_id", "BIGINT"}, {"amount", "DOUBLE"},
                                                 {"email", "VARCHAR"}}),
                                        {},
                                        false};
    tables_["crm.customers"] = TableScan{columns({{"id", "BIGINT"}, {"name", "VARCHAR"}, {"region", "VARCHAR"}}), {}, false};
  }

  std::optional<TableScan> Resolve(const std::string &schema, const std::string &table,
                                   const std::optional<TableVersion> &at) override {
    auto it = tables_.find(schema + "." + table);
    if (it == tables_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, TableScan> tables_;
};

class ColumnLineageTest : public ::testing::Test {
 protected:
  ColumnLineageTest() : store_(dir_.path()), engine_(store_, EngineOptions{"256MB", 1, ""}), tables_(engine_) {}

  // "table.column:SUBTYPE" for each origin of result column `index`, sorted.
  static std::vector<std::string> Origins(const QueryLineage &lineage, size_t index) {
    std::vector<std::string> result;
    for (const auto &origin : lineage.columns.at(index)) {
      const auto &table = lineage.tables.at(origin.table);
      result.push_back(table.schema + "." + table.table + "." + origin.column + ":" + origin.subtype +
                       (origin.masking ? ":masked" : ""));
    }
    std::sort(result.begin(), result.end());
    return result;
  }

  static std::vector<std::string> Indirect(const QueryLineage &lineage) {
    std::vector<std::string> result;
    for (const auto &origin : lineage.indirect) {
      const auto &table = lineage.tables.at(origin.table);
      result.push_back(table.schema + "." + table.table + "." + origin.column + ":" + origin.subtype);
    }
    std::sort(result.begin(), result.end());
    return result;
  }

  QueryLineage Of(const std::string &sql) { return engine_.Lineage(sql, tables_); }

  using V = std::vector<std::string>;
  TempDir dir_;
  LocalStore store_;
  Engine engine_;
  TwoTables tables_;
};

TEST_F(ColumnLineageTest, ProjectionsAreIdentityAndExpressionsTransformations) {
  auto lineage = Of("SELECT id, amount * 1.2 AS gross, upper(email) AS email, 42 AS answer FROM sales.orders");
  ASSERT_EQ(lineage.column_names, (V{"id", "gross", "email", "answer"}));
  ASSERT_EQ(lineage.tables.size(), 1u);
  EXPECT_EQ(lineage.tables[0].schema, "sales");
  EXPECT_EQ(lineage.tables[0].table, "orders");
  EXPECT_EQ(Origins(lineage, 0), (V{"sales.orders.id:IDENTITY"}));
  EXPECT_EQ(Origins(lineage, 1), (V{"sales.orders.amount:TRANSFORMATION"}));
  EXPECT_EQ(Origins(lineage, 2), (V{"sales.orders.email:TRANSFORMATION"}));
  EXPECT_EQ(Origins(lineage, 3), V{});
  EXPECT_EQ(Indirect(lineage), V{});
}

TEST_F(ColumnLineageTest, StarAndAliasesAndHashesThatMask) {
  auto lineage = Of("SELECT o.*, md5(o.email) AS email_hash FROM sales.orders AS o");
  ASSERT_EQ(lineage.column_names, (V{"id", "customer_id", "amount", "email", "email_hash"}));
  EXPECT_EQ(Origins(lineage, 1), (V{"sales.orders.customer_id:IDENTITY"}));
  EXPECT_EQ(Origins(lineage, 4), (V{"sales.orders.email:TRANSFORMATION:masked"}));
}

TEST_F(ColumnLineageTest, AggregatesAndTheirGroups) {
  auto lineage = Of("SELECT customer_id, sum(amount) AS total, count(*) AS n FROM sales.orders "
                    "WHERE amount > 0 GROUP BY customer_id HAVING count(*) > 1");
  EXPECT_EQ(Origins(lineage, 0), (V{"sales.orders.customer_id:IDENTITY"}));
  EXPECT_EQ(Origins(lineage, 1), (V{"sales.orders.amount:AGGREGATION"}));
  EXPECT_EQ(Origins(lineage, 2), V{});
  EXPECT_EQ(Indirect(lineage), (V{"sales.orders.amount:FILTER", "sales.orders.customer_id:GROUP_BY"}));
}

TEST_F(ColumnLineageTest, JoinsTakeColumnsFromBothSides) {
  auto lineage = Of("SELECT c.name, c.region || '/' || o.email AS label, o.amount FROM sales.orders o "
                    "JOIN crm.customers c ON o.customer_id = c.id ORDER BY o.amount");
  ASSERT_EQ(lineage.tables.size(), 2u);
  EXPECT_EQ(Origins(lineage, 0), (V{"crm.customers.name:IDENTITY"}));
  EXPECT_EQ(Origins(lineage, 1), (V{"crm.customers.region:TRANSFORMATION", "sales.orders.email:TRANSFORMATION"}));
  EXPECT_EQ(Origins(lineage, 2), (V{"sales.orders.amount:IDENTITY"}));
  EXPECT_EQ(Indirect(lineage),
            (V{"crm.customers.id:JOIN", "sales.orders.amount:SORT", "sales.orders.customer_id:JOIN"}));
}

TEST_F(ColumnLineageTest, CtesAreFollowedToTheirTables) {
  auto lineage = Of("WITH big AS (SELECT customer_id AS who, amount * 2 AS doubled FROM sales.orders), "
                    "totals AS (SELECT who, sum(doubled) AS s FROM big GROUP BY who) "
                    "SELECT totals.who, totals.s FROM totals, totals AS again WHERE totals.who = again.who");
  EXPECT_EQ(Origins(lineage, 0), (V{"sales.orders.customer_id:IDENTITY"}));
  EXPECT_EQ(Origins(lineage, 1), (V{"sales.orders.amount:AGGREGATION"}));
}

TEST_F(ColumnLineageTest, SubqueriesInSelectFromAndWhere) {
  auto lineage = Of("SELECT x.id, (SELECT max(c.name) FROM crm.customers c WHERE c.id = x.customer_id) AS best "
                    "FROM (SELECT id, customer_id FROM sales.orders) AS x "
                    "WHERE x.customer_id IN (SELECT id FROM crm.customers WHERE region = 'eu')");
  ASSERT_EQ(lineage.tables.size(), 2u);
  EXPECT_EQ(Origins(lineage, 0), (V{"sales.orders.id:IDENTITY"}));
  auto best = Origins(lineage, 1);
  EXPECT_NE(std::find(best.begin(), best.end(), "crm.customers.name:AGGREGATION"), best.end()) << best.size();
  auto indirect = Indirect(lineage);
  EXPECT_NE(std::find(indirect.begin(), indirect.end(), "crm.customers.region:FILTER"), indirect.end());
}

TEST_F(ColumnLineageTest, UnionsWindowsAndCase) {
  auto lineage = Of("SELECT name AS who FROM crm.customers UNION ALL SELECT email FROM sales.orders");
  EXPECT_EQ(Origins(lineage, 0), (V{"crm.customers.name:IDENTITY", "sales.orders.email:IDENTITY"}));
  lineage = Of("SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY amount) AS rank, "
               "sum(amount) OVER (PARTITION BY customer_id) AS running, "
               "CASE WHEN amount > 100 THEN 'big' ELSE email END AS size FROM sales.orders");
  EXPECT_EQ(Origins(lineage, 2), (V{"sales.orders.amount:AGGREGATION"}));
  EXPECT_EQ(Origins(lineage, 3), (V{"sales.orders.amount:TRANSFORMATION", "sales.orders.email:TRANSFORMATION"}));
  auto indirect = Indirect(lineage);
  EXPECT_NE(std::find(indirect.begin(), indirect.end(), "sales.orders.customer_id:WINDOW"), indirect.end());
}

TEST_F(ColumnLineageTest, TheSandboxStillApplies) {
  EXPECT_ERROR_KIND(Of("SELECT * FROM read_csv('/etc/passwd')"), ErrorKind::kForbidden);
  EXPECT_ERROR_KIND(Of("SELECT * FROM sales.missing"), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(Of("SELECT * FROM __ducklake_lineage_scan('sales.orders')"), ErrorKind::kInvalidInput);
  std::string out;
  QueryOptions options;
  EXPECT_ERROR_KIND(engine_.Query("SELECT * FROM __ducklake_lineage_scan('sales.orders')", tables_, options,
                                  [&](const char *d, size_t n) {
                                    out.append(d, n);
                                    return true;
                                  }),
                    ErrorKind::kForbidden);
}

}  // namespace
}  // namespace ducklake
