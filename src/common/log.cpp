#include "common/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "common/json.hpp"

namespace ducklake {
namespace {

bool json_format = false;

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

void InitLogging(const std::string &format, const std::string &level) {
  if (format != "text" && format != "json") {
    throw MakeError(ErrorKind::kInvalidInput, "log format must be text or json, not '{}'", format);
  }
  auto parsed = spdlog::level::from_str(level);
  if (spdlog::level::to_string_view(parsed) != level && !(level == "warn" && parsed == spdlog::level::warn)) {
    throw MakeError(ErrorKind::kInvalidInput, "log level must be debug, info, warn or error, not '{}'", level);
  }
  json_format = format == "json";
  auto logger = spdlog::stderr_logger_mt("ducklake");
  logger->set_pattern(json_format ? "{\"time\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"level\":\"%l\",%v}"
                                  : "%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void Log(LogLevel level, const std::string &message, const LogFields &fields) {
  auto spdlog_level = ToSpdlog(level);
  if (!spdlog::should_log(spdlog_level)) return;
  std::string line;
  if (json_format) {
    line = "\"msg\":";
    AppendJsonString(message, line);
    for (const auto &[key, value] : fields) {
      line += ',';
      AppendJsonString(key, line);
      line += ':';
      AppendJsonString(value, line);
    }
  } else {
    line = message;
    for (const auto &[key, value] : fields) {
      bool quote = value.empty() || value.find_first_of(" \"=") != std::string::npos;
      line += ' ' + key + '=';
      if (quote) {
        AppendJsonString(value, line);
      } else {
        line += value;
      }
    }
  }
  spdlog::log(spdlog_level, "{}", line);
}

}  // namespace ducklake
