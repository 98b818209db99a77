#pragma once
// Routing of request targets (api-private): the path split into segments, each percent-decoded on
// its own (an encoded '/' stays inside its segment, so names that are URIs, such as lineage
// namespaces "ducklake://lake", can be path parameters), matched against route patterns. Pure.

#include <map>
#include <string>
#include <vector>

namespace ducklake {

// "/a/b%2Fc?x=1" -> {"a", "b/c"}. A '%' not followed by two hex digits stays as it is.
std::vector<std::string> PathSegments(const std::string &target);

// Whether `segments` match `pattern` ("/api/v1/namespaces/{ns}"; "{name...}" takes the rest of the
// path, joined with '/'), filling `params`. Variables match non-empty segments (or rests) only.
bool MatchPattern(const std::string &pattern, const std::vector<std::string> &segments,
                  std::map<std::string, std::string> &params);

}  // namespace ducklake
