// S3Store beyond the shared conformance suite: presigned URLs, checked by a real HTTP client
// against the test S3 server (which verifies signatures and expiry itself).

#include <httplib.h>

#include <cstdlib>

#include "storage/s3_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

std::string Env(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

class S3StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("DUCKLAKE_TEST_S3_ENDPOINT").empty()) {
      if (Env("DUCKLAKE_TEST_REQUIRE_BACKENDS") == "1") FAIL() << "DUCKLAKE_TEST_S3_ENDPOINT is not set";
      GTEST_SKIP() << "no test S3 server (scripts/test-services.sh start)";
    }
    S3Options options;
    options.endpoint = Env("DUCKLAKE_TEST_S3_ENDPOINT");
    options.bucket = "ducklake-unit-tests";
    options.prefix = "presign-" + RandomHex(6) + "/";
    options.credentials = {Env("DUCKLAKE_TEST_S3_ACCESS_KEY"), Env("DUCKLAKE_TEST_S3_SECRET_KEY"), ""};
    store_ = std::make_unique<S3Store>(options);
    auto writer = store_->Put("doc.txt");
    writer->Append("presigned!", 10);
    writer->Commit();
  }

  static httplib::Result Fetch(const std::string &url, const std::string &method = "GET", const std::string &body = "") {
    auto scheme_end = url.find("://");
    auto path_start = url.find('/', scheme_end + 3);
    httplib::Client client(url.substr(0, path_start));
    auto path = url.substr(path_start);
    return method == "GET" ? client.Get(path) : client.Put(path, body, "text/plain");
  }

  std::unique_ptr<S3Store> store_;
};

TEST_F(S3StoreTest, PresignedGetWorksWithoutCredentials) {
  auto result = Fetch(store_->PresignUrl("GET", "doc.txt", std::chrono::seconds(60)));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "presigned!");
}

TEST_F(S3StoreTest, PresignedPutStoresTheBody) {
  auto result = Fetch(store_->PresignUrl("PUT", "uploaded.txt", std::chrono::seconds(60)), "PUT", "via url");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(store_->Head("uploaded.txt").size, 7u);
}

TEST_F(S3StoreTest, TamperedPresignedUrlsAreRefused) {
  auto url = store_->PresignUrl("GET", "doc.txt", std::chrono::seconds(60));
  auto tampered = url;
  tampered.replace(tampered.find("doc.txt"), 7, "dod.txt");
  auto result = Fetch(tampered);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  auto signature_at = url.find("X-Amz-Signature=") + 16;
  auto forged = url;
  forged[signature_at] = forged[signature_at] == 'a' ? 'b' : 'a';
  result = Fetch(forged);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
}

}  // namespace
}  // namespace ducklake
