#pragma once
// The HTTP semantics of object downloads (RFC 9110): byte ranges, validators and conditional
// requests, HTTP dates, Content-Disposition. Pure functions; api-private.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ducklake {

struct HttpRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct RangeRequest {
  enum class Kind { kWhole, kPartial, kUnsatisfiable };
  Kind kind = Kind::kWhole;
  std::vector<HttpRange> ranges;  // kPartial: ascending, overlapping and adjacent ones merged
};

// More ranges than this in one request are answered with the whole object (RFC 9110 14.2 lets a
// server ignore Range), so a request cannot make the server assemble thousands of parts.
constexpr size_t kMaxRanges = 64;

// Interprets a Range header for an object of `size` bytes. A header that is not a valid bytes
// range set is ignored (kWhole); one whose ranges all start past the end is kUnsatisfiable.
RangeRequest ParseRange(const std::string &header, uint64_t size);

// Whether an If-None-Match / If-Match header value ("*" or a list of entity tags, weak or strong)
// names `etag` (unquoted).
bool EtagListMatches(const std::string &header, const std::string &etag);

// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(int64_t unix_ms);
// Seconds since the epoch of an IMF-fixdate; nullopt if it is not one.
std::optional<int64_t> ParseHttpDate(const std::string &text);

// `attachment` with the key's last segment as file name (ASCII fallback plus RFC 8187 UTF-8).
std::string AttachmentDisposition(const std::string &key);

}  // namespace ducklake
