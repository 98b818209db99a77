#include "api/object_http.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "storage/sigv4.hpp"

namespace ducklake {
namespace {

std::string Trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::optional<uint64_t> ParseNumber(const std::string &text) {
  uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

RangeRequest ParseRange(const std::string &header, uint64_t size) {
  RangeRequest whole;
  auto equals = header.find('=');
  if (equals == std::string::npos) return whole;
  auto unit = Trim(header.substr(0, equals));
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::tolower(c); });
  if (unit != "bytes") return whole;
  std::vector<HttpRange> ranges;
  size_t specs = 0;
  size_t start = equals + 1;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    if (comma == std::string::npos) comma = header.size();
    auto spec = Trim(header.substr(start, comma - start));
    start = comma + 1;
    if (spec.empty()) continue;  // "bytes=0-1,,2-3": empty elements are allowed
    if (++specs > kMaxRanges) return whole;
    auto dash = spec.find('-');
    if (dash == std::string::npos) return whole;
    auto first = ParseNumber(spec.substr(0, dash));
    auto last = ParseNumber(spec.substr(dash + 1));
    if (!first) {
      // A suffix: the last N bytes.
      if (dash != 0 || !last) return whole;
      if (*last == 0 || size == 0) continue;
      uint64_t length = std::min(*last, size);
      ranges.push_back({size - length, length});
      continue;
    }
    if (!spec.substr(dash + 1).empty() && !last) return whole;
    if (last && *last < *first) return whole;
    if (*first >= size) continue;
    uint64_t end = last ? std::min(*last, size - 1) : size - 1;
    ranges.push_back({*first, end - *first + 1});
  }
  if (specs == 0) return whole;
  if (ranges.empty()) return {RangeRequest::Kind::kUnsatisfiable, {}};
  std::sort(ranges.begin(), ranges.end(), [](const HttpRange &a, const HttpRange &b) { return a.offset < b.offset; });
  std::vector<HttpRange> merged;
  for (const auto &range : ranges) {
    if (!merged.empty() && range.offset <= merged.back().offset + merged.back().length) {
      auto end = std::max(merged.back().offset + merged.back().length, range.offset + range.length);
      merged.back().length = end - merged.back().offset;
    } else {
      merged.push_back(range);
    }
  }
  return {RangeRequest::Kind::kPartial, merged};
}

bool EtagListMatches(const std::string &header, const std::string &etag) {
  if (Trim(header) == "*") return true;
  size_t start = 0;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    if (comma == std::string::npos) comma = header.size();
    auto tag = Trim(header.substr(start, comma - start));
    start = comma + 1;
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);  // weak comparison
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
    if (!tag.empty() && tag == etag) return true;
  }
  return false;
}

std::string FormatHttpDate(int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

std::optional<int64_t> ParseHttpDate(const std::string &text) {
  std::tm utc{};
  const char *end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  if (!end || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&utc));
}

std::string AttachmentDisposition(const std::string &key) {
  auto name = key.substr(key.rfind('/') + 1);
  std::string ascii;
  for (unsigned char c : name) {
    if ((c & 0xC0) == 0x80) continue;  // one '_' per non-ASCII character, not per byte
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + UriEncode(name, true);
}

}  // namespace ducklake
