#include "common/time.hpp"

#include <fmt/chrono.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>

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

namespace {

// "<date><separator><time>[.fraction][offset]" to Unix microseconds, nullopt when it is not. The
// offset is Z, +HH, +HHMM or +HH:MM; without one the text is UTC when `missing_offset` allows it.
std::optional<int64_t> ParseTimestampUs(const std::string &text, char separator, MissingOffset missing_offset) {
  std::tm tm{};
  const std::string format = std::string("%Y-%m-%d") + separator + "%H:%M:%S";
  const char *rest = strptime(text.c_str(), format.c_str(), &tm);
  if (!rest) return std::nullopt;
  int64_t us = static_cast<int64_t>(timegm(&tm)) * 1000000;
  if (*rest == '.') {
    int64_t scale = 100000;
    for (rest++; std::isdigit(static_cast<unsigned char>(*rest)); rest++, scale /= 10) us += (*rest - '0') * scale;
  }
  auto digits = [&rest](size_t at, size_t count) {
    for (size_t i = at; i < at + count; i++) {
      if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return false;
    }
    return true;
  };
  if (*rest == 'Z' || *rest == 'z') {
    rest++;
  } else if (*rest == '+' || *rest == '-') {
    if (!digits(1, 2)) return std::nullopt;
    int hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    int minutes = 0;
    size_t length = 3;
    if (rest[3] == ':' && digits(4, 2)) {
      minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
      length = 6;
    } else if (digits(3, 2)) {
      minutes = (rest[3] - '0') * 10 + (rest[4] - '0');
      length = 5;
    }
    if (hours > 23 || minutes > 59) return std::nullopt;
    int64_t offset_us = (hours * 60 + minutes) * 60000000LL;
    us += *rest == '+' ? -offset_us : offset_us;
    rest += length;
  } else if (missing_offset != MissingOffset::kUtc) {
    return std::nullopt;
  }
  if (*rest != '\0') return std::nullopt;
  return us;
}

}  // namespace

int64_t ParseRfc3339Ms(const std::string &text, const char *what, MissingOffset missing_offset) {
  auto us = ParseTimestampUs(text, 'T', missing_offset);
  if (!us) {
    throw MakeError(ErrorKind::kInvalidInput, "{} '{}' is not an RFC 3339 timestamp (2026-11-25T10:00:00Z)", what,
                    text.substr(0, 64));
  }
  return *us >= 0 ? *us / 1000 : (*us - 999) / 1000;
}

int64_t NowUnixUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatCatalogTime(int64_t unix_us) {
  // Whole seconds rounded down, so that times before 1970 keep a positive fraction.
  int64_t seconds = unix_us / 1000000 - (unix_us % 1000000 < 0 ? 1 : 0);
  auto text = fmt::format("{:%Y-%m-%d %H:%M:%S}", fmt::gmtime(static_cast<std::time_t>(seconds)));
  if (auto fraction = unix_us - seconds * 1000000) {
    auto digits = fmt::format("{:06d}", fraction);
    text += "." + digits.substr(0, digits.find_last_not_of('0') + 1);
  }
  return text + "+00";
}

int64_t ParseCatalogTime(const std::string &text) {
  auto us = ParseTimestampUs(text, ' ', MissingOffset::kUtc);
  if (!us) us = ParseTimestampUs(text, 'T', MissingOffset::kUtc);
  if (!us) throw MakeError(ErrorKind::kInternal, "the catalog holds a time DuckLake cannot read: '{}'", text.substr(0, 64));
  return *us;
}

}  // namespace ducklake
