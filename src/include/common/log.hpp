#pragma once
// Process-wide logging through spdlog: human-readable text or one JSON object per line. Thread-safe.
// Callers never pass secrets (tokens, passwords, full connection URLs) as fields.

#include <string>
#include <utility>
#include <vector>

namespace ducklake {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// format: "text" or "json"; level: "debug", "info", "warn", "error". Throws kInvalidInput otherwise.
void InitLogging(const std::string &format, const std::string &level);

using LogFields = std::vector<std::pair<std::string, std::string>>;
void Log(LogLevel level, const std::string &message, const LogFields &fields = {});

}  // namespace ducklake
