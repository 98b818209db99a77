// Fuzzes key validation, the gate every object key passes before any store sees it. Invariant: an
// accepted key is 1..1024 bytes of UTF-8 with no leading '/', no empty, '.' or '..' segment (but
// for the empty one after a trailing '/', a folder marker), no control character or backslash.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/error.hpp"
#include "common/utf8.hpp"
#include "storage/object_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string key(reinterpret_cast<const char *>(data), size);
  bool accepted = true;
  try {
    ducklake::ValidateKey(key);
  } catch (const ducklake::Error &error) {
    if (error.kind() != ducklake::ErrorKind::kInvalidInput) std::abort();
    accepted = false;
  }
  if (!accepted) return 0;
  if (key.empty() || key.size() > 1024 || key.front() == '/' || !ducklake::IsValidUtf8(key)) std::abort();
  size_t start = 0;
  while (true) {
    size_t end = key.find('/', start);
    auto segment = key.substr(start, end == std::string::npos ? std::string::npos : end - start);
    bool folder_marker = end == std::string::npos && segment.empty() && start > 0;
    if (!folder_marker && (segment.empty() || segment == "." || segment == "..")) std::abort();
    if (end == std::string::npos) break;
    start = end + 1;
  }
  for (unsigned char c : key) {
    if (c < 0x20 || c == 0x7f || c == '\\') std::abort();
  }
  return 0;
}
