// The client commands' pure parts: the streamed result printer (against a whole-document parse),
// the SQL statement splitter, request targets, profile resolution and human-readable numbers.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include "cli/api_client.hpp"
#include "cli/profile.hpp"
#include "cli/result_printer.hpp"
#include "test_support.hpp"
#include "cli/sql_runner.hpp"
#include "cli/terminal.hpp"

namespace ducklake::cli {
namespace {

// Captures what a scope prints on stdout.
class StdoutCapture {
 public:
  StdoutCapture() : previous_(std::cout.rdbuf(captured_.rdbuf())) {}
  ~StdoutCapture() { std::cout.rdbuf(previous_); }
  std::string str() const { return captured_.str(); }

 private:
  std::ostringstream captured_;
  std::streambuf *previous_;
};

std::string RandomText(std::mt19937 &random) {
  static const std::vector<std::string> kPieces = {"a", "Z", " ", ",", "\"", "\\", "[", "]", "{", "}", "\n", "é", "日", ";", "'"};
  std::string text;
  auto length = std::uniform_int_distribution<int>(0, 8)(random);
  for (int i = 0; i < length; i++) text += kPieces[std::uniform_int_distribution<size_t>(0, kPieces.size() - 1)(random)];
  return text;
}

nlohmann::json RandomValue(std::mt19937 &random) {
  switch (std::uniform_int_distribution<int>(0, 5)(random)) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int64_t>(-1000000, 1000000)(random);
    case 2: return std::uniform_real_distribution<double>(-10, 10)(random);
    case 3: return nlohmann::json::array({RandomText(random), 1, nullptr});
    case 4: return nlohmann::json{{"k", RandomText(random)}, {"n", {1, 2}}};
    default: return RandomText(random);
  }
}

std::string CsvOf(const nlohmann::json &document) {
  std::string out;
  size_t c = 0;
  for (const auto &column : document["columns"]) out += (c++ ? "," : "") + CsvField(column["name"].get<std::string>());
  out += "\n";
  for (const auto &row : document["rows"]) {
    c = 0;
    for (const auto &value : row) out += (c++ ? "," : "") + (value.is_null() ? "" : CsvField(CellText(value)));
    out += "\n";
  }
  return out;
}

TEST(ResultPrinterTest, StreamedCsvEqualsTheWholeDocumentAtAnySplit) {
  std::mt19937 random(ducklake::testing::Seed());
  for (int round = 0; round < 200; round++) {
    nlohmann::json document{{"columns", nlohmann::json::array()}, {"rows", nlohmann::json::array()}};
    int columns = std::uniform_int_distribution<int>(1, 4)(random);
    for (int c = 0; c < columns; c++) document["columns"].push_back({{"name", "c" + RandomText(random)}, {"type", "VARCHAR"}});
    int rows = std::uniform_int_distribution<int>(0, 30)(random);
    for (int r = 0; r < rows; r++) {
      auto row = nlohmann::json::array();
      for (int c = 0; c < columns; c++) row.push_back(RandomValue(random));
      document["rows"].push_back(row);
    }
    auto text = document.dump();
    StdoutCapture capture;
    ResultPrinter printer(OutputFormat::kCsv, 0);
    for (size_t at = 0; at < text.size();) {
      auto piece = std::min(text.size() - at, std::uniform_int_distribution<size_t>(1, 17)(random));
      printer.Feed(text.data() + at, piece);
      at += piece;
    }
    printer.Finish();
    ASSERT_EQ(capture.str(), CsvOf(document)) << "seed " << ducklake::testing::Seed() << " round " << round << "\n" << text;
    ASSERT_EQ(printer.rows(), rows);
  }
}

TEST(ResultPrinterTest, TableKeepsTheFirstAndLastRowsOnly) {
  nlohmann::json document{{"columns", {{{"name", "n"}, {"type", "BIGINT"}}}}, {"rows", nlohmann::json::array()}};
  for (int i = 0; i < 1000; i++) document["rows"].push_back({i});
  auto text = document.dump();
  StdoutCapture capture;
  ResultPrinter printer(OutputFormat::kTable, 4);
  printer.Feed(text.data(), text.size());
  printer.Finish();
  // Not a terminal here: plain lines, the header, rows 0 1 … 998 999, no footer.
  EXPECT_EQ(capture.str(), "  n\n  0\n  1\n  …\n998\n999\n");
  EXPECT_EQ(printer.rows(), 1000);
}

TEST(ResultPrinterTest, ACutOffResultIsAnError) {
  std::string text = R"({"columns":[{"name":"a","type":"INTEGER"}],"rows":[[1],[2])";
  StdoutCapture capture;
  ResultPrinter printer(OutputFormat::kCsv, 0);
  printer.Feed(text.data(), text.size());
  EXPECT_THROW(printer.Finish(), ApiError);
}

TEST(SqlSplitTest, SplitsAtSemicolonsOutsideQuotesAndComments) {
  EXPECT_EQ(SplitStatements("SELECT 1; SELECT 2"), (std::vector<std::string>{"SELECT 1", " SELECT 2"}));
  EXPECT_EQ(SplitStatements("SELECT ';' AS a; -- c;\n"), (std::vector<std::string>{"SELECT ';' AS a"}));
  EXPECT_EQ(SplitStatements("SELECT \"x;y\" FROM t /* ; */;;"), (std::vector<std::string>{"SELECT \"x;y\" FROM t /* ; */"}));
  EXPECT_EQ(SplitStatements("SELECT 'it''s;'"), (std::vector<std::string>{"SELECT 'it''s;'"}));
  EXPECT_TRUE(SplitStatements("  -- nothing\n /* at all */ ").empty());
  EXPECT_EQ(SplitStatements("SELECT $$a;b$$ AS s"), (std::vector<std::string>{"SELECT $$a;b$$ AS s"}));
  EXPECT_EQ(SplitStatements("SELECT $t$ ; $x$; $t$; SELECT 2"), (std::vector<std::string>{"SELECT $t$ ; $x$; $t$", " SELECT 2"}));
  EXPECT_EQ(SplitStatements("SELECT E'it\\';s'; SELECT 'a\\'; SELECT 3"),
            (std::vector<std::string>{"SELECT E'it\\';s'", " SELECT 'a\\'", " SELECT 3"}));
  EXPECT_EQ(SplitStatements("SELECT $1; SELECT 2"), (std::vector<std::string>{"SELECT $1", " SELECT 2"}));
  EXPECT_TRUE(EndsStatement("SELECT 1;"));
  EXPECT_TRUE(EndsStatement("SELECT 1; -- done"));
  EXPECT_FALSE(EndsStatement("SELECT ';'"));
  EXPECT_FALSE(EndsStatement("SELECT 1; SELECT"));
  EXPECT_FALSE(EndsStatement("SELECT /* ; */"));
}

TEST(QueryTest, EncodesNamesAndValues) {
  EXPECT_EQ(Query("/a").Add("prefix", "x y/z&").Add("n", 3).str(), "/a?prefix=x%20y%2Fz%26&n=3");
  EXPECT_EQ(KeyPath("a b/c#d"), "a%20b/c%23d");
  EXPECT_EQ(Segment("a/b"), "a%2Fb");
}

TEST(HumanTest, BytesCountsAndDurations) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1536), "1.50 KiB");
  EXPECT_EQ(HumanBytes(1ULL << 30), "1.00 GiB");
  EXPECT_EQ(HumanCount(1234567), "1,234,567");
  EXPECT_EQ(HumanCount(-1000), "-1,000");
  EXPECT_EQ(HumanDuration(0.25), "250 ms");
  EXPECT_EQ(HumanDuration(125), "2m05s");
  EXPECT_EQ(CsvField("a,\"b\""), "\"a,\"\"b\"\"\"");
}

// Profiles: a config file in a scratch XDG_CONFIG_HOME, and the environment each case sets.
class ProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ducklake-cli-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "ducklake");
    setenv("XDG_CONFIG_HOME", dir_.c_str(), 1);
    for (const char *name : {"DUCKLAKE_URL", "DUCKLAKE_TOKEN", "DUCKLAKE_PROFILE", "LAKE_TOKEN"}) unsetenv(name);
    std::ofstream(dir_ / "prod.token") << "  secret-prod \n";
    std::ofstream(dir_ / "ducklake" / "config.toml") << "default_profile = \"prod\"\n"
                                                      << "[profiles.prod]\nurl = \"https://lake.example.com/\"\n"
                                                      << "token_file = \"" << (dir_ / "prod.token").string() << "\"\n"
                                                      << "[profiles.env]\nurl = \"http://10.0.0.1:8080\"\ntoken_env = \"LAKE_TOKEN\"\n";
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    unsetenv("XDG_CONFIG_HOME");
  }
  std::filesystem::path dir_;
};

TEST_F(ProfileTest, ResolvesInTheDocumentedOrder) {
  auto endpoint = ResolveEndpoint({});
  EXPECT_EQ(endpoint.url, "https://lake.example.com");  // the default profile, trailing '/' dropped
  EXPECT_EQ(endpoint.token, "secret-prod");
  setenv("DUCKLAKE_URL", "http://127.0.0.1:9000", 1);
  setenv("DUCKLAKE_TOKEN", "from-env", 1);
  endpoint = ResolveEndpoint({});
  EXPECT_EQ(endpoint.url, "http://127.0.0.1:9000");  // the environment over a default profile
  EXPECT_EQ(endpoint.token, "from-env");
  ConnectionFlags named;
  named.profile = "prod";
  endpoint = ResolveEndpoint(named);
  EXPECT_EQ(endpoint.url, "https://lake.example.com");  // a profile named on purpose over the environment
  EXPECT_EQ(endpoint.token, "secret-prod");
  named.profile = "env";
  EXPECT_THROW(ResolveEndpoint(named), UsageError);  // $LAKE_TOKEN unset
  setenv("LAKE_TOKEN", "t", 1);
  EXPECT_EQ(ResolveEndpoint(named).token, "t");
  named.profile = "missing";
  EXPECT_THROW(ResolveEndpoint(named), UsageError);
  ConnectionFlags url;
  url.url = "ftp://x";
  EXPECT_THROW(ResolveEndpoint(url), UsageError);
}

TEST_F(ProfileTest, WithoutAnythingItIsTheLocalServer) {
  std::filesystem::remove(dir_ / "ducklake" / "config.toml");
  auto endpoint = ResolveEndpoint({});
  EXPECT_EQ(endpoint.url, "http://127.0.0.1:8080");
  EXPECT_FALSE(endpoint.token);
}

TEST_F(ProfileTest, AMalformedFileSaysWhere) {
  std::ofstream(dir_ / "ducklake" / "config.toml") << "[profiles.prod\nurl = 1\n";
  try {
    ResolveEndpoint({});
    FAIL() << "no error";
  } catch (const UsageError &error) {
    EXPECT_NE(std::string(error.what()).find("config.toml:1"), std::string::npos) << error.what();
  }
}

TEST_F(ProfileTest, SavedProfilesReadBack) {
  ProfileFile file;
  file.default_profile = "b";
  file.profiles.push_back({"a", "http://a:1", "/t/a", "", ""});
  file.profiles.push_back({"b", "https://b", "", "B_TOKEN", "/ca.pem"});
  SaveProfiles(file);
  auto loaded = LoadProfiles();
  EXPECT_EQ(loaded.default_profile, "b");
  ASSERT_EQ(loaded.profiles.size(), 2u);
  EXPECT_EQ(loaded.Find("a")->token_file, "/t/a");
  EXPECT_EQ(loaded.Find("b")->token_env, "B_TOKEN");
  EXPECT_EQ(loaded.Find("b")->ca_bundle, "/ca.pem");
}

}  // namespace
}  // namespace ducklake::cli
