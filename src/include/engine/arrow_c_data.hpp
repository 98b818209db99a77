// The Arrow C data interface: the ABI-stable structs through which columnar data is handed between
// libraries (here: from DuckDB's ArrowConverter to DuckLake's IPC writer) without copying.
// The definitions sit behind the ARROW_C_DATA_INTERFACE guard the interface specification
// prescribes, so any other copy of them behind the same guard can be included alongside.
#pragma once

// DuckDB's copy wraps all of its Arrow declarations (ArrowArrayStream included) in a second guard,
// ARROW_FLAG_DICTIONARY_ORDERED, and gives the structs Init() members its headers call, so
// defining the structs here first would hide those declarations. Whenever DuckDB's headers are
// reachable, its copy therefore is the one definition, whatever the include order.
#if __has_include("duckdb/common/arrow/arrow.hpp")
#include "duckdb/common/arrow/arrow.hpp"
#endif

#include <cstdint>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  // Array type description
  const char *format;
  const char *name;
  const char *metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema **children;
  struct ArrowSchema *dictionary;

  // Release callback
  void (*release)(struct ArrowSchema *);
  // Opaque producer-specific data
  void *private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void **buffers;
  struct ArrowArray **children;
  struct ArrowArray *dictionary;

  // Release callback
  void (*release)(struct ArrowArray *);
  // Opaque producer-specific data
  void *private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifdef __cplusplus
}
#endif
