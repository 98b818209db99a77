// Fuzzes the framing of streamed CSV/NDJSON uploads: the body arrives in pieces of any size, goes
// through the bounded pipe the engine reads from, and its first bytes are cut to whole lines for
// sniffing. Invariants: the pipe hands on exactly the bytes written, in order; the sample is a
// prefix that ends a line (or is all of the head).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/stream_pipe.hpp"
#include "api/upload_framing.hpp"

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

  auto sample = ducklake::WholeLines(body);
  if (body.compare(0, sample.size(), sample) != 0) std::abort();
  bool has_newline = body.find('\n') != std::string::npos;
  if (has_newline && (sample.empty() || sample.back() != '\n')) std::abort();
  if (has_newline && body.find('\n', sample.size()) != std::string::npos) std::abort();
  if (!has_newline && sample.size() != body.size()) std::abort();
  return 0;
}
