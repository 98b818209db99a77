#pragma once
// Random identifiers. Thread-safe; randomness comes from OpenSSL's CSPRNG.

#include <string>

namespace ducklake {

// A random RFC 4122 version-4 UUID in its canonical lower-case text form.
std::string NewUuid();

// `bytes` random bytes as lower-case hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

}  // namespace ducklake
