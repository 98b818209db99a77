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

int64_t NowUnixUs();

// A point in time as the DuckLake format keeps it in a text column (SQLite catalogs): DuckDB's text
// of a TIMESTAMPTZ in UTC, as the official extension writes it: "2026-11-25 10:00:00.123456+00", the
// fraction without trailing zeros and left out for whole seconds. Such texts sort as their times do.
std::string FormatCatalogTime(int64_t unix_us);
// Unix microseconds of a catalog time: that text with any UTC offset ("+05:30"), PostgreSQL's
// timestamptz text, or the RFC 3339 text older DuckLake catalogs hold. kInternal otherwise.
int64_t ParseCatalogTime(const std::string &text);

}  // namespace ducklake
