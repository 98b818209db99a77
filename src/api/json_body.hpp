#pragma once
// JSON request bodies as the API accepts them (api-private): well-formed, an object, nested at most
// `max_depth` deep (refused before it is built), no key twice in one object (rather than one
// quietly winning) and no number out of range. Throws kInvalidInput saying what is wrong. Pure.

#include <nlohmann/json.hpp>
#include <string>

namespace ducklake {

nlohmann::json ParseJsonBody(const std::string &body, int max_depth);

}  // namespace ducklake
