// Fuzzes the parsing of JSON request bodies and the validation of OpenLineage events (the body of
// POST /api/v1/lineage, which other tools send). Invariants: only kInvalidInput comes out, and an
// accepted body is an object nested at most the limit deep.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/json_body.hpp"
#include "common/error.hpp"
#include "lineage/event_validator.hpp"

namespace {

constexpr int kMaxDepth = 16;

int Depth(const nlohmann::json &value) {
  int deepest = 0;
  if (value.is_object() || value.is_array()) {
    for (const auto &child : value) deepest = std::max(deepest, Depth(child));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const ducklake::EventValidator validator;
  std::string body(reinterpret_cast<const char *>(data), size);
  nlohmann::json parsed;
  try {
    parsed = ducklake::ParseJsonBody(body, kMaxDepth);
  } catch (const ducklake::Error &error) {
    if (error.kind() != ducklake::ErrorKind::kInvalidInput) std::abort();
    return 0;
  }
  if (!parsed.is_object() || Depth(parsed) > kMaxDepth) std::abort();
  try {
    validator.Validate(parsed);
  } catch (const ducklake::Error &error) {
    if (error.kind() != ducklake::ErrorKind::kInvalidInput) std::abort();
  }
  return 0;
}
