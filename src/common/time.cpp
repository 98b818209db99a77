#include "common/time.hpp"

#include <fmt/chrono.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/error.hpp"

namespace ducklake {

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatRfc3339Ms(int64_t unix_ms) {
  auto seconds = static_cast<std::time_t>(unix_ms / 1000);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(seconds), unix_ms % 1000);
}

int64_t ParseRfc3339Ms(const std::string &text, const char *what, MissingOffset missing_offset) {
  std::tm tm{};
  const char *rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  auto bad = [&text, what]() {
    return MakeError(ErrorKind::kInvalidInput, "{} '{}' is not an RFC 3339 timestamp (2026-11-25T10:00:00Z)", what,
                     text.substr(0, 64));
  };
  if (!rest) throw bad();
  int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  if (*rest == '.') {
    int64_t scale = 100;
    for (rest++; std::isdigit(static_cast<unsigned char>(*rest)); rest++, scale /= 10) ms += (*rest - '0') * scale;
  }
  if (*rest == 'Z' || *rest == 'z') {
    rest++;
  } else if (*rest == '+' || *rest == '-') {
    // +HH:MM, as RFC 3339 writes it, or ISO 8601's +HHMM.
    auto digits = [&rest](size_t at, size_t count) {
      for (size_t i = at; i < at + count; i++) {
        if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return false;
      }
      return true;
    };
    if (!digits(1, 2)) throw bad();
    bool colon = rest[3] == ':';
    if (!digits(colon ? 4 : 3, 2)) throw bad();
    int hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    int minutes = colon ? (rest[4] - '0') * 10 + (rest[5] - '0') : (rest[3] - '0') * 10 + (rest[4] - '0');
    if (hours > 23 || minutes > 59) throw bad();
    int64_t offset_ms = (hours * 60 + minutes) * 60000LL;
    ms += *rest == '+' ? -offset_ms : offset_ms;
    rest += colon ? 6 : 5;
  } else if (*rest != '\0' || missing_offset != MissingOffset::kUtc) {
    throw bad();
  }
  if (*rest != '\0') throw bad();
  return ms;
}

}  // namespace ducklake
