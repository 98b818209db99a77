#include "common/ids.hpp"

#include <openssl/rand.h>

#include <vector>

#include "common/digest.hpp"
#include "common/error.hpp"

namespace ducklake {
namespace {

std::vector<unsigned char> RandomBytes(size_t count) {
  std::vector<unsigned char> bytes(count);
  if (RAND_bytes(bytes.data(), static_cast<int>(count)) != 1) {
    throw Error(ErrorKind::kInternal, "the random number generator failed");
  }
  return bytes;
}

}  // namespace

std::string NewUuid() {
  auto bytes = RandomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  auto hex = HexEncode(std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string RandomHex(size_t count) {
  auto bytes = RandomBytes(count);
  return HexEncode(std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()));
}

}  // namespace ducklake
