#pragma once
// The DuckLake server's version, as it reports itself (lineage producer, /healthz).

namespace ducklake {

inline constexpr const char *kDuckLakeVersion = "0.6.0";

}  // namespace ducklake
