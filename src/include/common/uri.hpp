#pragma once
// Percent-encoding of URL parts (RFC 3986). Pure functions, thread-safe.

#include <string>
#include <string_view>

namespace ducklake {

// Unreserved characters (letters, digits, '-', '_', '.', '~') stay, every other byte becomes %XX
// (upper-case hex, as SigV4 wants it); '/' stays unless `encode_slash`.
std::string UriEncode(std::string_view text, bool encode_slash);

}  // namespace ducklake
