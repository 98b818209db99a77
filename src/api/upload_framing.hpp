#pragma once
// How a streamed CSV or NDJSON upload is cut for sniffing its columns (api-private): the sample is
// the whole lines of its first bytes, since a cut-off last line would look like a malformed row.

#include <string_view>

namespace ducklake {

// The longest prefix of `head` that ends a line (all of it when it holds no line break).
inline std::string_view WholeLines(std::string_view head) {
  auto last_newline = head.rfind('\n');
  return last_newline == std::string_view::npos ? head : head.substr(0, last_newline + 1);
}

}  // namespace ducklake
