#include "storage/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "common/digest.hpp"
#include "common/error.hpp"

namespace ducklake {
namespace {

std::string CanonicalQuery(std::vector<std::pair<std::string, std::string>> query) {
  for (auto &[key, value] : query) {
    key = UriEncode(key, true);
    value = UriEncode(value, true);
  }
  std::sort(query.begin(), query.end());
  std::string out;
  for (const auto &[key, value] : query) out += (out.empty() ? "" : "&") + key + "=" + value;
  return out;
}

std::string SignedHeaders(const std::map<std::string, std::string> &headers) {
  std::string out;
  for (const auto &[name, value] : headers) out += (out.empty() ? "" : ";") + name;
  return out;
}

std::string Trimmed(const std::string &value) {
  // Leading/trailing spaces go, inner runs of spaces become one.
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string CredentialScope(const std::string &date, const SigV4Scope &scope) {
  return date + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "SHA-256 failed");
  }
  return HexEncode(std::string_view(reinterpret_cast<char *>(digest), length));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
            data.size(), digest, &length)) {
    throw Error(ErrorKind::kInternal, "HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<char *>(digest), length);
}

std::string CanonicalRequest(const SigV4Request &request) {
  std::string headers;
  for (const auto &[name, value] : request.headers) headers += name + ":" + Trimmed(value) + "\n";
  return request.method + "\n" + request.path + "\n" + CanonicalQuery(request.query) + "\n" + headers + "\n" +
         SignedHeaders(request.headers) + "\n" + request.payload_hash;
}

std::string StringToSign(const std::string &canonical_request, const std::string &amz_date, const SigV4Scope &scope) {
  return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + CredentialScope(amz_date.substr(0, 8), scope) + "\n" +
         Sha256Hex(canonical_request);
}

std::string SigningKey(const std::string &secret_key, const std::string &date, const SigV4Scope &scope) {
  auto date_key = HmacSha256("AWS4" + secret_key, date);
  auto region_key = HmacSha256(date_key, scope.region);
  auto service_key = HmacSha256(region_key, scope.service);
  return HmacSha256(service_key, "aws4_request");
}

std::string AuthorizationHeader(const SigV4Request &request, const SigV4Credentials &credentials,
                                const SigV4Scope &scope, const std::string &amz_date) {
  auto date = amz_date.substr(0, 8);
  auto signature = HexEncode(HmacSha256(SigningKey(credentials.secret_key, date, scope),
                                    StringToSign(CanonicalRequest(request), amz_date, scope)));
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key + "/" + CredentialScope(date, scope) +
         ", SignedHeaders=" + SignedHeaders(request.headers) + ", Signature=" + signature;
}

std::string PresignQuery(SigV4Request request, const SigV4Credentials &credentials, const SigV4Scope &scope,
                         const std::string &amz_date, int expires_seconds) {
  auto date = amz_date.substr(0, 8);
  request.payload_hash = "UNSIGNED-PAYLOAD";
  request.query.emplace_back("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  request.query.emplace_back("X-Amz-Credential", credentials.access_key + "/" + CredentialScope(date, scope));
  request.query.emplace_back("X-Amz-Date", amz_date);
  request.query.emplace_back("X-Amz-Expires", std::to_string(expires_seconds));
  if (!credentials.session_token.empty()) request.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  request.query.emplace_back("X-Amz-SignedHeaders", SignedHeaders(request.headers));
  auto signature = HexEncode(HmacSha256(SigningKey(credentials.secret_key, date, scope),
                                    StringToSign(CanonicalRequest(request), amz_date, scope)));
  return CanonicalQuery(request.query) + "&X-Amz-Signature=" + signature;
}

}  // namespace ducklake
