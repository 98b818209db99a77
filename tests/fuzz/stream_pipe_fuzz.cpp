// Fuzzes the pipe a streamed upload goes through to the engine: the body arrives in pieces of any
// size. Invariant: the pipe hands on exactly the bytes written, in order.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/stream_pipe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the piece sizes; the rest is the body.
  size_t piece = 1 + data[0] % 61;
  std::string body(reinterpret_cast<const char *>(data) + 1, size - 1);

  ducklake::StreamPipe pipe;  // fuzz inputs stay under its bound: writes never block
  for (size_t offset = 0; offset < body.size(); offset += piece) {
    if (!pipe.Write(body.data() + offset, std::min(piece, body.size() - offset))) std::abort();
  }
  pipe.Finish();
  std::string received;
  while (auto chunk = pipe.Read()) received += *chunk;
  if (received != body || pipe.failed()) std::abort();
  return 0;
}
