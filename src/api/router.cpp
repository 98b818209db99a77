#include "api/router.hpp"

namespace ducklake {
namespace {

std::vector<std::string> Split(const std::string &path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(const std::string &segment) {
  std::string decoded;
  decoded.reserve(segment.size());
  for (size_t i = 0; i < segment.size(); i++) {
    if (segment[i] == '%' && i + 2 < segment.size()) {
      int high = HexValue(segment[i + 1]), low = HexValue(segment[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    decoded += segment[i];
  }
  return decoded;
}

}  // namespace

std::vector<std::string> PathSegments(const std::string &target) {
  auto segments = Split(target.substr(0, target.find('?')));
  for (auto &segment : segments) segment = Decode(segment);
  return segments;
}

bool MatchPattern(const std::string &pattern, const std::vector<std::string> &segments,
                  std::map<std::string, std::string> &params) {
  auto parts = Split(pattern);
  for (size_t i = 0; i < parts.size(); i++) {
    const auto &part = parts[i];
    bool variable = part.size() > 2 && part.front() == '{' && part.back() == '}';
    if (variable && part.size() > 5 && part.compare(part.size() - 4, 4, "...}") == 0) {
      if (i >= segments.size()) return false;
      std::string rest;
      for (size_t k = i; k < segments.size(); k++) rest += (k > i ? "/" : "") + segments[k];
      if (rest.empty()) return false;
      params[part.substr(1, part.size() - 5)] = rest;
      return true;
    }
    if (i >= segments.size()) return false;
    if (variable) {
      if (segments[i].empty()) return false;
      params[part.substr(1, part.size() - 2)] = segments[i];
    } else if (part != segments[i]) {
      return false;
    }
  }
  return parts.size() == segments.size();
}

}  // namespace ducklake
