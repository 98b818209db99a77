#include <malloc.h>

#include "server/serve_command.hpp"

int main(int argc, char **argv) {
  // glibc gives each thread that allocates an arena of its own (up to 8 per core) and keeps freed
  // memory in it. Streams hand buffers between HTTP, store and engine threads, so with many
  // arenas every large transfer left memory behind in another one; two bound that.
  mallopt(M_ARENA_MAX, 2);
  return ducklake::RunCli(argc, argv);
}
