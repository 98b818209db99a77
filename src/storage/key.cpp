#include "common/error.hpp"
#include "storage/object_store.hpp"

namespace ducklake {
namespace {

constexpr size_t kMaxKeyBytes = 1024;

bool IsValidUtf8(const std::string &text) {
  static const uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
  size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    size_t extra;
    if (lead < 0x80) {
      extra = 0;
    } else if ((lead >> 5) == 0x6) {
      extra = 1;
    } else if ((lead >> 4) == 0xe) {
      extra = 2;
    } else if ((lead >> 3) == 0x1e) {
      extra = 3;
    } else {
      return false;
    }
    if (i + extra >= text.size() && extra > 0) return false;
    uint32_t code_point = extra == 0 ? lead : lead & (0x3f >> extra);
    for (size_t k = 1; k <= extra; k++) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if (code_point < kMinimum[extra] || (code_point >= 0xd800 && code_point <= 0xdfff) || code_point > 0x10ffff) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace

void ValidateKey(const std::string &key) {
  if (key.empty()) throw Error(ErrorKind::kInvalidInput, "object key is empty");
  if (key.size() > kMaxKeyBytes) {
    throw MakeError(ErrorKind::kInvalidInput, "object key is longer than {} bytes", kMaxKeyBytes);
  }
  if (!IsValidUtf8(key)) throw Error(ErrorKind::kInvalidInput, "object key is not valid UTF-8");
  if (key.front() == '/') throw Error(ErrorKind::kInvalidInput, "object key must not start with '/'");
  for (unsigned char c : key) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      throw Error(ErrorKind::kInvalidInput, "object key contains a control character or backslash");
    }
  }
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    auto segment = key.substr(start, end - start);
    bool trailing_slash = end == key.size() && segment.empty() && start > 0;
    if (!trailing_slash && (segment.empty() || segment == "." || segment == "..")) {
      throw Error(ErrorKind::kInvalidInput, "object key contains an empty, '.' or '..' segment");
    }
    start = end + 1;
  }
}

}  // namespace ducklake
