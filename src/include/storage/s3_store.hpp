#pragma once
// S3Store: an ObjectStore on any S3-compatible service (AWS S3, MinIO, Swift s3api) through
// libcurl, signed with our own SigV4. Writes stream: small objects go up in one PUT on Commit,
// larger ones as a multipart upload whose parts upload in parallel while the caller keeps
// writing; an uncommitted or failed upload is aborted. The public multipart methods map to S3's
// own multipart uploads (upload ids are S3's); PutPart streams its part straight into one PUT
// with bounded memory. Idempotent requests are retried with exponential backoff on connection
// errors, 5xx and 429; a streamed part is not (its bytes are gone) and fails kUnavailable.
// Presigned URLs are SigV4 query-signed, response header choices included. Thread-safe; an
// ObjectWriter belongs to one thread. Credentials never appear in errors or logs.

#include <chrono>
#include <memory>
#include <string>

#include "storage/object_store.hpp"
#include "storage/sigv4.hpp"

namespace ducklake {

struct S3Options {
  std::string endpoint;  // scheme://host[:port]; empty means https://s3.<region>.amazonaws.com
  std::string bucket;
  std::string prefix;    // every key is stored under this prefix ("" or ending in '/')
  std::string region = "us-east-1";
  SigV4Credentials credentials;
  bool path_style = true;      // https://host/bucket/key rather than https://bucket.host/key
  std::string ca_bundle;       // PEM file for HTTPS; empty: the system's
  int connect_timeout_ms = 5000;
  int request_timeout_ms = 300000;
  int max_attempts = 5;
  size_t part_size = 8 << 20;  // multipart part size (S3's minimum is 5 MiB)
  int parallel_parts = 2;
  // Copies up to this size are one CopyObject (S3's limit is 5 GiB); larger ones a multipart upload
  // of server-side part copies (UploadPartCopy) of copy_part_size bytes each.
  uint64_t max_copy_object_size = 5ULL << 30;
  uint64_t copy_part_size = 512ULL << 20;
};

class S3Store : public ObjectStore {
 public:
  explicit S3Store(S3Options options);
  ~S3Store() override;

  std::unique_ptr<ObjectWriter> Put(const std::string &key) override;
  // Up to 5 GiB (S3's limit for one PUT) streams in a single request; larger ones as Put.
  std::unique_ptr<ObjectWriter> PutSized(const std::string &key, uint64_t size) override;
  ObjectInfo Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) override;
  ObjectInfo Head(const std::string &key) override;
  ListPage List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                size_t limit) override;
  void Delete(const std::string &key) override;
  void DeleteMany(const std::vector<std::string> &keys) override;
  // Server-side, whatever the size: no byte passes through this process.
  ObjectInfo Copy(const std::string &from_key, const std::string &to_key) override;
  void Ping() override;

  std::string CreateMultipart(const std::string &key) override;
  std::unique_ptr<ObjectWriter> PutPart(const std::string &key, const std::string &upload_id, int part_number,
                                        uint64_t size) override;
  std::vector<PartInfo> ListParts(const std::string &key, const std::string &upload_id) override;
  ObjectInfo CompleteMultipart(const std::string &key, const std::string &upload_id,
                               const std::vector<PartInfo> &parts) override;
  void AbortMultipart(const std::string &key, const std::string &upload_id) override;

  // Never nullopt. `expires_in` must be 1 s..7 days (S3's limits); options only for GET.
  std::optional<std::string> PresignUrl(const std::string &method, const std::string &key,
                                        std::chrono::seconds expires_in, const PresignOptions &options) override;
  ObjectLocation Location(const std::string &key) const override;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Reads "s3://bucket/prefix" plus DUCKLAKE_S3_ENDPOINT, DUCKLAKE_S3_REGION / AWS_REGION,
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, DUCKLAKE_S3_PATH_STYLE,
// DUCKLAKE_S3_CA_BUNDLE. Throws kInvalidInput for a malformed URL or missing credentials.
S3Options S3OptionsFromUrl(const std::string &url);

}  // namespace ducklake
