// Fuzzes the SigV4 canonicaliser: arbitrary paths, query parameters and header values go through
// URI encoding, the canonical request and a presigned query. Invariants: UriEncode leaves only
// unreserved characters and %XX triplets (and '/' when asked to), and signing never fails.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "storage/sigv4.hpp"

namespace {

bool Unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

void CheckEncoded(const std::string &encoded, bool slash_kept) {
  for (size_t i = 0; i < encoded.size(); i++) {
    char c = encoded[i];
    if (Unreserved(c) || (slash_kept && c == '/')) continue;
    if (c != '%' || i + 2 >= encoded.size() || !std::isxdigit(static_cast<unsigned char>(encoded[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(encoded[i + 2])) || std::islower(encoded[i + 1]) ||
        std::islower(encoded[i + 2])) {
      std::abort();
    }
    i += 2;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string input(reinterpret_cast<const char *>(data), size);
  // Fields separated by NUL: path, query name, query value, header value.
  std::string fields[4];
  size_t field = 0;
  for (char c : input) {
    if (c == '\0' && field < 3) {
      field++;
    } else {
      fields[field] += c;
    }
  }
  auto with_slash = ducklake::UriEncode(fields[0], false);
  auto without_slash = ducklake::UriEncode(fields[0], true);
  CheckEncoded(with_slash, true);
  CheckEncoded(without_slash, false);

  ducklake::SigV4Request request;
  request.method = "GET";
  request.path = "/bucket/" + with_slash;
  request.query = {{fields[1], fields[2]}};
  request.headers = {{"host", "127.0.0.1:9000"}, {"x-amz-meta-fuzz", fields[3]}};
  request.payload_hash = "UNSIGNED-PAYLOAD";
  auto canonical = ducklake::CanonicalRequest(request);
  if (canonical.rfind("GET\n", 0) != 0) std::abort();
  ducklake::SigV4Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  auto query = ducklake::PresignQuery(request, credentials, ducklake::SigV4Scope{}, "20150830T123600Z", 60);
  if (query.find("X-Amz-Signature=") == std::string::npos) std::abort();
  return 0;
}
