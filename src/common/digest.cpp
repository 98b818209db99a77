#include "common/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/error.hpp"

namespace ducklake {

struct Digest::Context {
  EVP_MD_CTX *ctx = nullptr;
  ~Context() { EVP_MD_CTX_free(ctx); }
};

Digest::Digest(DigestAlgorithm algorithm) : context_(std::make_unique<Context>()) {
  context_->ctx = EVP_MD_CTX_new();
  const EVP_MD *md = algorithm == DigestAlgorithm::kMd5 ? EVP_md5() : EVP_sha256();
  if (!context_->ctx || EVP_DigestInit_ex(context_->ctx, md, nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "cannot initialise a digest");
  }
}

Digest::~Digest() = default;

void Digest::Update(const char *data, size_t size) {
  if (EVP_DigestUpdate(context_->ctx, data, size) != 1) throw Error(ErrorKind::kInternal, "digest update failed");
}

std::string Digest::Finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_->ctx, digest, &length) != 1) throw Error(ErrorKind::kInternal, "digest failed");
  return std::string(reinterpret_cast<char *>(digest), length);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int high = nibble(text[i]), low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(written));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  int written = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(text.data()), static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes.
  size_t padding = text.back() == '=' ? (text[text.size() - 2] == '=' ? 2 : 1) : 0;
  out.resize(static_cast<size_t>(written) - padding);
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  auto text = Base64Encode(bytes);
  for (auto &c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return text;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string standard(text);
  for (auto &c : standard) {
    if (c == '+' || c == '/') return std::nullopt;
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  return Base64Decode(standard);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ducklake
