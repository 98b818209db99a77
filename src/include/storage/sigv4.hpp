#pragma once
// AWS Signature Version 4 for S3 requests and presigned URLs. Pure functions, thread-safe.
// Verified against AWS's published signing examples (tests/unit/sigv4_test.cpp).

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/uri.hpp"

namespace ducklake {

struct SigV4Credentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // optional
};

struct SigV4Scope {
  std::string region = "us-east-1";
  std::string service = "s3";
};

struct SigV4Request {
  std::string method;
  std::string path;                                        // URI-encoded, e.g. "/bucket/my%20key"
  std::vector<std::pair<std::string, std::string>> query;  // not encoded
  std::map<std::string, std::string> headers;              // names in lower case; must include host
  std::string payload_hash;                                // hex SHA-256, or "UNSIGNED-PAYLOAD"
};

std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw bytes

std::string CanonicalRequest(const SigV4Request &request);
std::string StringToSign(const std::string &canonical_request, const std::string &amz_date, const SigV4Scope &scope);
std::string SigningKey(const std::string &secret_key, const std::string &date, const SigV4Scope &scope);

// The Authorization header value for `request` at `amz_date` ("20150830T123600Z").
std::string AuthorizationHeader(const SigV4Request &request, const SigV4Credentials &credentials,
                                const SigV4Scope &scope, const std::string &amz_date);

// Adds the X-Amz-* query parameters of a presigned URL to `request` (whose payload is unsigned)
// and returns the full query string, ending in X-Amz-Signature.
std::string PresignQuery(SigV4Request request, const SigV4Credentials &credentials, const SigV4Scope &scope,
                         const std::string &amz_date, int expires_seconds);

}  // namespace ducklake
