#pragma once
// Streaming message digests (MD5, SHA-256, HMAC-SHA-256) and the encodings their values travel in
// (hex, base64). A Digest belongs to one thread; the free functions are pure and thread-safe.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ducklake {

enum class DigestAlgorithm { kMd5, kSha256 };

class Digest {
 public:
  explicit Digest(DigestAlgorithm algorithm);
  ~Digest();
  Digest(const Digest &) = delete;
  Digest &operator=(const Digest &) = delete;

  void Update(const char *data, size_t size);
  // The raw digest; the Digest cannot be updated afterwards.
  std::string Finish();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

std::string HexEncode(std::string_view bytes);
// nullopt unless `text` is an even number of hex digits.
std::optional<std::string> HexDecode(std::string_view text);
std::string Base64Encode(std::string_view bytes);
// nullopt unless `text` is padded standard base64.
std::optional<std::string> Base64Decode(std::string_view text);
// The URL-safe alphabet ('-' and '_' for '+' and '/'), padded: for opaque cursors in URLs.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);
// Compares in time independent of where the inputs differ (for signatures and tokens).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ducklake
