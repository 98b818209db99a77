#pragma once
// JSON text as the lineage graph stores it (lineage-private): facets and run datasets are kept as
// JSON text in the metadata database.

#include <nlohmann/json.hpp>
#include <string>

namespace ducklake {

// `text` parsed; "" is an empty object (a column never written), malformed text a discarded value.
inline nlohmann::json ParseStoredJson(const std::string &text) {
  if (text.empty()) return nlohmann::json::object();
  return nlohmann::json::parse(text, nullptr, false);
}

inline std::string StoredJson(const nlohmann::json &json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The graph's place in the event log, kept among the delivery cursors (a name no sink has).
inline constexpr const char *kGraphCursor = "(graph)";

}  // namespace ducklake
