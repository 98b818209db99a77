#pragma once
// UTF-8 as the lake takes text from outside (keys, paths, headers): strictly, no overlong forms,
// surrogates or code points past U+10FFFF.

#include <string_view>

namespace ducklake {

bool IsValidUtf8(std::string_view text);

}  // namespace ducklake
