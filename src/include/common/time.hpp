#pragma once
// Points in time as the lake exchanges them: Unix milliseconds, and RFC 3339 text in UTC.

#include <cstdint>
#include <string>

namespace ducklake {

int64_t NowUnixMs();

// "2026-11-25T10:00:00.123Z": the canonical form (sorts as text, as times do).
std::string FormatRfc3339Ms(int64_t unix_ms);

// What a time without a UTC offset means: nothing (it is refused), or a time in UTC.
enum class MissingOffset { kRefuse, kUtc };

// "2026-11-25T10:00:00Z", "2026-11-25T10:00:00.5+01:00", ... to Unix milliseconds; kInvalidInput
// naming `what` otherwise. With MissingOffset::kUtc, "2026-11-25T10:00:00.123456" is read as UTC:
// OpenLineage producers (the Python client among them) send event times so.
int64_t ParseRfc3339Ms(const std::string &text, const char *what, MissingOffset missing_offset = MissingOffset::kRefuse);

}  // namespace ducklake
