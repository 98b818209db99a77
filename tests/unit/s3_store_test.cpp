// S3Store beyond the shared conformance suite: presigned URLs, checked by a real HTTP client
// against the test S3 server (which verifies signatures itself), and retries, checked against a
// fault-injecting endpoint.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <tuple>

#include "backends.hpp"
#include "storage/s3_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::Env;

class S3StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("DUCKLAKE_TEST_S3_ENDPOINT").empty()) {
      if (Env("DUCKLAKE_TEST_REQUIRE_BACKENDS") == "1") FAIL() << "DUCKLAKE_TEST_S3_ENDPOINT is not set";
      GTEST_SKIP() << "no test S3 server (scripts/test-services.sh start)";
    }
    store_ = std::make_unique<S3Store>(testing::TestS3Options("presign-" + RandomHex(6) + "/"));
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

  std::string Presign(const std::string &method, const std::string &key, int seconds = 60,
                      const PresignOptions &options = {}) {
    auto url = store_->PresignUrl(method, key, std::chrono::seconds(seconds), options);
    EXPECT_TRUE(url.has_value());
    return url.value_or("");
  }

  std::unique_ptr<S3Store> store_;
};

TEST_F(S3StoreTest, CopiesPastOneCopyObjectAreCopiedServerSideInParts) {
  auto options = testing::TestS3Options("copy-" + RandomHex(6) + "/");
  options.max_copy_object_size = 6 << 20;  // S3 takes 5 GiB in one CopyObject; the path is the same
  options.copy_part_size = 5 << 20;
  S3Store store(options);
  std::string data(12 << 20, '\0');
  for (size_t i = 0; i < data.size(); i++) data[i] = static_cast<char>(i * 131 % 251);
  auto writer = store.PutSized("big.bin", data.size());
  writer->Append(data.data(), data.size());
  writer->Commit();
  auto copied = store.Copy("big.bin", "copy.bin");
  EXPECT_EQ(copied.size, data.size());
  // Three parts (5 + 5 + 2 MiB), each copied by the server: a multipart object's etag says how many.
  ASSERT_NE(copied.etag.find('-'), std::string::npos) << copied.etag;
  EXPECT_EQ(copied.etag.substr(copied.etag.find('-')), "-3");
  std::string read;
  store.Get("copy.bin", std::nullopt, [&read](const char *bytes, size_t size) {
    read.append(bytes, size);
    return true;
  });
  EXPECT_TRUE(read == data);
  EXPECT_ERROR_KIND(store.Copy("missing.bin", "x.bin"), ErrorKind::kNotFound);
  EXPECT_TRUE(store.List("", "", "", 10).objects.size() == 2);  // no part or upload left visible
  store.DeleteMany({"big.bin", "copy.bin"});
}

TEST_F(S3StoreTest, PresignedGetWorksWithoutCredentials) {
  auto result = Fetch(Presign("GET", "doc.txt"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "presigned!");
}

TEST_F(S3StoreTest, PresignedGetCarriesTheChosenResponseHeaders) {
  PresignOptions options{"text/csv", "attachment; filename=\"report 1.csv\""};
  auto result = Fetch(Presign("GET", "doc.txt", 60, options));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "presigned!");
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/csv");
  EXPECT_EQ(result->get_header_value("Content-Disposition"), "attachment; filename=\"report 1.csv\"");
}

TEST_F(S3StoreTest, PresignRejectsWhatS3CannotSign) {
  EXPECT_ERROR_KIND(store_->PresignUrl("DELETE", "doc.txt", std::chrono::seconds(60), {}), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->PresignUrl("GET", "doc.txt", std::chrono::seconds(0), {}), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->PresignUrl("GET", "doc.txt", std::chrono::hours(24 * 8), {}), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->PresignUrl("PUT", "doc.txt", std::chrono::seconds(60), {"text/csv", ""}),
                    ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->PresignUrl("GET", "../doc.txt", std::chrono::seconds(60), {}), ErrorKind::kInvalidInput);
}

TEST_F(S3StoreTest, PresignedPutStoresTheBody) {
  auto result = Fetch(Presign("PUT", "uploaded.txt"), "PUT", "via url");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(store_->Head("uploaded.txt").size, 7u);
}

TEST_F(S3StoreTest, StoresOpenedTogetherOnANewBucketAllSucceed) {
  // Servers starting at once on a fresh bucket race to create it; the losers must not fail.
  auto bucket = "race-" + RandomHex(8);
  std::vector<std::thread> openers;
  std::atomic<int> opened{0};
  std::mutex mutex;
  std::vector<std::string> errors;
  for (int i = 0; i < 8; i++) {
    openers.emplace_back([&] {
      try {
        S3Store store(testing::TestS3Options("", bucket));
        opened++;
      } catch (const Error &error) {
        std::lock_guard<std::mutex> lock(mutex);
        errors.push_back(error.what());
      }
    });
  }
  for (auto &opener : openers) opener.join();
  EXPECT_EQ(opened.load(), 8) << (errors.empty() ? "" : errors.front());
}

TEST_F(S3StoreTest, TamperedPresignedUrlsAreRefused) {
  auto url = Presign("GET", "doc.txt", 60, {"text/plain", ""});
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
  auto retyped = url;
  retyped.replace(retyped.find("text%2Fplain"), 12, "text%2Fhtml");
  result = Fetch(retyped);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403) << "the response headers must be part of the signature";
}

TEST_F(S3StoreTest, ExpiredPresignedUrlsAreRefused) {
  auto url = Presign("GET", "doc.txt", 1);
  // Expiry is what is under test: the URL must outlive its second by a clear margin.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto result = Fetch(url);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
}

}  // namespace
}  // namespace ducklake

namespace ducklake {
namespace {

// Fault injection: an endpoint that fails the first `failures` requests with `status`, then
// answers like S3 would for a tiny object. No signature checking: what is under test is the
// client's retry behaviour, not S3.
class FlakyEndpoint {
 public:
  // With a certificate and key, the endpoint speaks HTTPS.
  FlakyEndpoint(int failures, int status, const std::string &cert = "", const std::string &key = "")
      : failures_(failures), status_(status), tls_(!cert.empty()) {
    server_ = tls_ ? std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str())
                   : std::make_unique<httplib::Server>();
    auto head_or_get = [this](const httplib::Request &request, httplib::Response &response) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        last_host_ = request.get_header_value("Host");
        last_path_ = request.path;
      }
      Answer(response, request.method == "HEAD" ? "" : "flaky");
    };
    server_->Get(".*", head_or_get);
    server_->Put(".*", [this](const httplib::Request &request, httplib::Response &response) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        last_payload_hash_ = request.get_header_value("X-Amz-Content-Sha256");
        last_body_ = request.body;
      }
      Answer(response, "");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }
  ~FlakyEndpoint() {
    server_->stop();
    thread_.join();
  }

  std::pair<std::string, std::string> LastHostAndPath() {
    std::lock_guard<std::mutex> lock(mutex_);
    return {last_host_, last_path_};
  }

  std::pair<std::string, std::string> LastPayloadHashAndBody() {
    std::lock_guard<std::mutex> lock(mutex_);
    return {last_payload_hash_, last_body_};
  }

  S3Options Options() const {
    S3Options options;
    options.endpoint = std::string(tls_ ? "https" : "http") + "://localhost:" + std::to_string(port_);
    options.bucket = "flaky";
    options.credentials = {"key", "secret", ""};
    options.max_attempts = 4;
    return options;
  }
  int requests() const { return requests_.load(); }
  // The bucket check at construction is not part of what a test counts.
  void Reset(int failures) {
    requests_ = 0;
    failures_ = failures;
  }

 private:
  void Answer(httplib::Response &response, const std::string &body) {
    if (requests_++ < failures_.load()) {
      response.status = status_;
      response.set_content("<Error><Code>SlowDown</Code></Error>", "application/xml");
      return;
    }
    response.status = 200;
    response.set_header("ETag", "\"abc\"");
    response.set_content(body, "text/plain");
  }

  std::atomic<int> failures_;
  int status_;
  bool tls_;
  std::atomic<int> requests_{0};
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string last_host_, last_path_;
  std::string last_payload_hash_, last_body_;
};

std::string ReadAll(S3Store &store, const std::string &key) {
  std::string out;
  store.Get(key, std::nullopt, [&out](const char *data, size_t size) {
    out.append(data, size);
    return true;
  });
  return out;
}

TEST(S3StoreRetries, TransientFailuresAreRetried) {
  for (int status : {500, 503, 429}) {
    FlakyEndpoint endpoint(0, status);
    S3Store store(endpoint.Options());
    endpoint.Reset(2);
    EXPECT_EQ(ReadAll(store, "object"), "flaky") << status;
    EXPECT_EQ(endpoint.requests(), 3) << status;
  }
}

TEST(S3StoreRetries, PersistentFailuresBecomeUnavailableAfterTheLastAttempt) {
  FlakyEndpoint endpoint(0, 503);
  S3Store store(endpoint.Options());
  endpoint.Reset(1000);
  EXPECT_ERROR_KIND(ReadAll(store, "object"), ErrorKind::kUnavailable);
  EXPECT_EQ(endpoint.requests(), 4);
}

TEST(S3StoreRetries, ClientErrorsAreNotRetried) {
  FlakyEndpoint endpoint(0, 404);
  S3Store store(endpoint.Options());
  endpoint.Reset(1000);
  EXPECT_ERROR_KIND(ReadAll(store, "object"), ErrorKind::kNotFound);
  EXPECT_EQ(endpoint.requests(), 1);
}

TEST(S3StoreRetries, StreamedPartsAreSentUnsignedAndNotRetried) {
  FlakyEndpoint endpoint(0, 503);
  S3Store store(endpoint.Options());
  endpoint.Reset(1000);
  auto failing = store.PutPart("object", "upload-1", 1, 5);
  failing->Append("hello", 5);
  EXPECT_ERROR_KIND(failing->Commit(), ErrorKind::kUnavailable);
  EXPECT_EQ(endpoint.requests(), 1) << "the bytes of a streamed part cannot be sent twice";
  endpoint.Reset(0);
  auto writer = store.PutPart("object", "upload-1", 1, 11);
  writer->Append("hello", 5);
  writer->Append(" world", 6);
  auto info = writer->Commit();
  EXPECT_EQ(info.etag, "abc");
  EXPECT_EQ(info.size, 11u);
  auto [payload_hash, body] = endpoint.LastPayloadHashAndBody();
  EXPECT_EQ(payload_hash, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(body, "hello world");
}

TEST(S3StoreAddressing, PathStyleAndVirtualHostStyle) {
  FlakyEndpoint endpoint(0, 503);
  auto options = endpoint.Options();
  options.prefix = "lake/";
  S3Store path_style(options);
  ReadAll(path_style, "dir/my object");
  auto [host, path] = endpoint.LastHostAndPath();
  EXPECT_EQ(path, "/flaky/lake/dir/my object");
  EXPECT_EQ(host.rfind("localhost:", 0), 0u) << host;
  // curl resolves every *.localhost name to loopback, so the bucket can be a host name here.
  options.path_style = false;
  S3Store virtual_host(options);
  ReadAll(virtual_host, "dir/my object");
  std::tie(host, path) = endpoint.LastHostAndPath();
  EXPECT_EQ(path, "/lake/dir/my object");
  EXPECT_EQ(host.rfind("flaky.localhost:", 0), 0u) << host;
}

TEST(S3StoreTls, HttpsNeedsTheRightCaBundle) {
  testing::TempDir dir;
  auto cert = dir.path() + "/cert.pem", key = dir.path() + "/key.pem";
  auto command = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
                 " -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << "openssl could not make a test certificate";
  FlakyEndpoint endpoint(0, 503, cert, key);
  auto options = endpoint.Options();
  options.max_attempts = 1;
  EXPECT_ERROR_KIND(S3Store untrusted(options), ErrorKind::kUnavailable);
  options.ca_bundle = cert;
  S3Store trusted(options);
  EXPECT_EQ(ReadAll(trusted, "object"), "flaky");
}

TEST(S3StoreRetries, UnreachableEndpointsAreUnavailable) {
  S3Options options;
  options.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  options.bucket = "none";
  options.credentials = {"key", "secret", ""};
  options.max_attempts = 2;
  EXPECT_ERROR_KIND(S3Store store(options), ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace ducklake
