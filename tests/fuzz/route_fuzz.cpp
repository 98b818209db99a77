// Fuzzes what the server makes of a request target before any handler runs: the path decoded into
// segments and matched against every route pattern the server has, then the Range and conditional
// headers of the object routes. Invariants: a match binds every variable of its pattern to a
// non-empty value; ranges are ascending, disjoint and inside the object.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/http.hpp"
#include "api/object_http.hpp"
#include "api/router.hpp"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string input(reinterpret_cast<const char *>(data), size);
  auto split = input.find('\n');
  std::string target = input.substr(0, split);
  std::string header = split == std::string::npos ? "" : input.substr(split + 1);

  static const auto routes = ducklake::PolicyRoutes();
  auto segments = ducklake::PathSegments(target);
  for (const auto &[method, pattern] : routes) {
    std::map<std::string, std::string> params;
    if (!ducklake::MatchPattern(pattern, segments, params)) continue;
    size_t variables = 0;
    for (char c : pattern) variables += c == '{';
    Check(params.size() == variables);
    for (const auto &[name, value] : params) Check(!value.empty());
  }

  uint64_t object_size = size * 97;
  auto range = ducklake::ParseRange(header, object_size);
  if (range.kind == ducklake::RangeRequest::Kind::kPartial) {
    Check(!range.ranges.empty() && range.ranges.size() <= ducklake::kMaxRanges);
    uint64_t previous_end = 0;
    for (size_t i = 0; i < range.ranges.size(); i++) {
      const auto &r = range.ranges[i];
      Check(r.length > 0 && r.offset < object_size && r.length <= object_size - r.offset);
      if (i > 0) Check(r.offset > previous_end);  // merged: neither overlapping nor adjacent
      previous_end = r.offset + r.length;
    }
  }
  ducklake::EtagListMatches(header, "abc");
  ducklake::ParseHttpDate(header);
  return 0;
}
