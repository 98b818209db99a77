#include "common/utf8.hpp"

#include <cstdint>

namespace ducklake {

bool IsValidUtf8(std::string_view text) {
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

}  // namespace ducklake
