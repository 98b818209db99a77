#include "api/json_body.hpp"

#include <cmath>
#include <set>
#include <vector>

#include "common/error.hpp"

namespace ducklake {

nlohmann::json ParseJsonBody(const std::string &body, int max_depth) {
  nlohmann::json parsed;
  // Deep nesting is refused before it is built; a key given twice in one object is refused rather
  // than one of them quietly winning.
  std::vector<std::set<std::string>> keys;
  auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json &value) {
    using Event = nlohmann::json::parse_event_t;
    if ((event == Event::object_start || event == Event::array_start) && depth >= max_depth) {
      throw MakeError(ErrorKind::kInvalidInput, "the JSON body nests deeper than {} levels", max_depth);
    }
    if (event == Event::object_start) keys.emplace_back();
    if (event == Event::object_end && !keys.empty()) keys.pop_back();
    if (event == Event::key && !keys.empty() && !keys.back().insert(value.get<std::string>()).second) {
      throw MakeError(ErrorKind::kInvalidInput, "the JSON body gives key '{}' twice in one object",
                      value.get<std::string>().substr(0, 64));
    }
    if (event == Event::value && value.is_number_float() && !std::isfinite(value.get<double>())) {
      throw Error(ErrorKind::kInvalidInput, "the JSON body has a number out of range");
    }
    return true;
  };
  try {
    parsed = nlohmann::json::parse(body, check);
  } catch (const nlohmann::json::parse_error &error) {
    throw MakeError(ErrorKind::kInvalidInput, "malformed JSON body at byte {}", error.byte);
  } catch (const nlohmann::json::out_of_range &) {
    throw Error(ErrorKind::kInvalidInput, "the JSON body has a number out of range");
  }
  if (!parsed.is_object()) throw Error(ErrorKind::kInvalidInput, "the JSON body must be an object");
  return parsed;
}

}  // namespace ducklake
