// Reading request fields (api-private): query parameters, JSON body fields, commit identity.

#include <charconv>

#include "api/http.hpp"

namespace ducklake {

int64_t IntegerParam(const RequestContext &ctx, const char *name, int64_t fallback, int64_t minimum, int64_t maximum) {
  auto text = ctx.QueryParam(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < minimum || value > maximum) {
    throw MakeError(ErrorKind::kInvalidInput, "{} must be an integer between {} and {}", name, minimum, maximum);
  }
  return value;
}

std::optional<bool> OptionalBoolParam(const RequestContext &ctx, const char *name) {
  auto value = ctx.QueryParam(name);
  if (!value) return std::nullopt;
  if (*value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  throw MakeError(ErrorKind::kInvalidInput, "{} must be true or false", name);
}

int64_t IntegerField(const nlohmann::json &value, const char *field, int64_t minimum, int64_t maximum) {
  if (!value.is_number_integer()) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be an integer", field);
  // An unsigned JSON number past INT64_MAX must not wrap into range.
  bool too_big = value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(maximum);
  auto number = too_big ? maximum : value.get<int64_t>();
  if (too_big || number < minimum || number > maximum) {
    throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be an integer between {} and {}", field, minimum,
                    maximum);
  }
  return number;
}

void RejectUnknownFields(const nlohmann::json &body, std::initializer_list<const char *> known) {
  for (const auto &item : body.items()) {
    bool found = false;
    for (const char *name : known) found = found || item.key() == name;
    if (!found) throw MakeError(ErrorKind::kInvalidInput, "unknown field '{}'", item.key());
  }
}

CommitInfo CommitOf(const RequestContext &ctx) {
  CommitInfo commit;
  commit.author = ctx.principal ? ctx.principal->user : "anonymous";
  return commit;
}

bool BoolField(const nlohmann::json &value, const char *field) {
  if (!value.is_boolean()) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be true or false", field);
  return value.get<bool>();
}

}  // namespace ducklake
