#include "common/error.hpp"
#include "common/utf8.hpp"
#include "storage/object_store.hpp"

namespace ducklake {
namespace {

constexpr size_t kMaxKeyBytes = 1024;

}  // namespace

void ValidateKey(const std::string &key) {
  if (key.empty()) throw Error(ErrorKind::kInvalidInput, "object key is empty");
  if (key.size() > kMaxKeyBytes) {
    throw MakeError(ErrorKind::kInvalidInput, "object key is longer than {} bytes", kMaxKeyBytes);
  }
  if (!IsValidUtf8(key)) throw Error(ErrorKind::kInvalidInput, "object key is not valid UTF-8");
  if (key.front() == '/') throw Error(ErrorKind::kInvalidInput, "object key must not start with '/'");
  for (unsigned char c : key) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      throw Error(ErrorKind::kInvalidInput, "object key contains a control character or backslash");
    }
  }
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    auto segment = key.substr(start, end - start);
    bool trailing_slash = end == key.size() && segment.empty() && start > 0;
    if (!trailing_slash && (segment.empty() || segment == "." || segment == "..")) {
      throw Error(ErrorKind::kInvalidInput, "object key contains an empty, '.' or '..' segment");
    }
    start = end + 1;
  }
}

}  // namespace ducklake
