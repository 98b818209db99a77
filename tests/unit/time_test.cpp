#include <gtest/gtest.h>

#include <random>

#include "common/error.hpp"
#include "common/time.hpp"
#include "duckdb.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

// The format's reference for a time kept as text: DuckDB's own text of a TIMESTAMPTZ in UTC, which
// the official extension stores in SQLite catalogs.
TEST(CatalogTimeTest, IsDuckDbsTextOfATimestamptzAndReadsBack) {
  duckdb::DuckDB db(nullptr);
  duckdb::Connection con(db);
  con.Query("SET TimeZone = 'UTC'");
  std::mt19937_64 random(testing::Seed());
  std::vector<int64_t> times = {0, 1, 10, 500000, 999999, 1000000, 1796601600123456, 1796601600120000, -1};
  for (int i = 0; i < 500; i++) times.push_back(static_cast<int64_t>(random() % 4102444800000000ULL));
  for (auto us : times) {
    auto expected = con.Query("SELECT make_timestamptz(" + std::to_string(us) + ")::VARCHAR");
    ASSERT_FALSE(expected->HasError()) << expected->GetError();
    auto text = FormatCatalogTime(us);
    EXPECT_EQ(text, expected->GetValue(0, 0).ToString()) << us;
    EXPECT_EQ(ParseCatalogTime(text), us) << text;
  }
}

TEST(CatalogTimeTest, ReadsEveryTextACatalogMayHold) {
  const int64_t us = 1796601600123456;  // 2026-12-07 00:00:00.123456 UTC
  EXPECT_EQ(ParseCatalogTime("2026-12-07 00:00:00.123456+00"), us);
  EXPECT_EQ(ParseCatalogTime("2026-12-07 01:00:00.123456+01"), us);
  EXPECT_EQ(ParseCatalogTime("2026-12-07 05:30:00.123456+05:30"), us);
  EXPECT_EQ(ParseCatalogTime("2026-12-06 19:00:00.123456-05"), us);
  EXPECT_EQ(ParseCatalogTime("2026-12-07T00:00:00.123Z"), us - 456) << "the RFC 3339 text of older DuckLake catalogs";
  EXPECT_EQ(ParseCatalogTime("2026-12-07 00:00:00"), us - 123456) << "without an offset: UTC";
  EXPECT_ERROR_KIND(ParseCatalogTime("yesterday"), ErrorKind::kInternal);
  EXPECT_ERROR_KIND(ParseCatalogTime("2026-12-07 00:00:00+99"), ErrorKind::kInternal);
  // Texts of one offset sort as their times do.
  EXPECT_LT(FormatCatalogTime(us - 123456), FormatCatalogTime(us - 100000));
  EXPECT_LT(FormatCatalogTime(us - 100000), FormatCatalogTime(us));
}

}  // namespace
}  // namespace ducklake
