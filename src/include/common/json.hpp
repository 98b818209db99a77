#pragma once
// JSON text helpers shared by the logger and result writers (which build JSON by hand for speed).

#include <string>

namespace ducklake {

// Appends `text` as a quoted JSON string (escaping quotes, backslashes and control characters).
void AppendJsonString(const std::string &text, std::string &out);

}  // namespace ducklake
