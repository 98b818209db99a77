#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/arrow_c_data.hpp"

namespace ducklake {

// Raised for input the writer cannot encode (the message names the offending format string or
// structure) and for calls made out of order.
class ArrowIpcError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Raised when the sink reports that its consumer has gone away; the stream is abandoned.
class ArrowIpcSinkClosed : public ArrowIpcError {
 public:
  using ArrowIpcError::ArrowIpcError;
};

// Encodes Arrow C data interface structures as an Arrow IPC stream (metadata V5, little-endian,
// uncompressed): a Schema message, one RecordBatch message per WriteBatch and the end-of-stream
// marker, each handed to the sink as soon as it is encoded, so memory stays bounded by one batch.
// The writer only reads the C structs, never releases them (the caller keeps ownership) and keeps
// no pointer into them between calls; one writer serves one stream and is not thread-safe.
// Unencodable input (dictionary, union, run-end or list-view types, malformed arrays) raises
// ArrowIpcError naming the format string; a sink returning false raises ArrowIpcSinkClosed, after
// which every call fails.
class ArrowIpcWriter {
 public:
  // Receives consecutive stream bytes; returns false when the consumer is gone.
  using Sink = std::function<bool(const char *data, size_t size)>;

  explicit ArrowIpcWriter(Sink sink);
  ~ArrowIpcWriter();
  ArrowIpcWriter(ArrowIpcWriter &&) noexcept;
  ArrowIpcWriter &operator=(ArrowIpcWriter &&) noexcept;

  // Writes the Schema message. `schema` is a struct ("+s") whose children are the columns; its
  // own metadata becomes the schema's custom metadata. Must be called exactly once, first.
  void WriteSchema(const ArrowSchema &schema);

  // Writes one RecordBatch message. `batch` is a struct array matching the schema: its children
  // are the columns, its length is the row count and its offset is honoured (its validity is
  // not, since record batch rows cannot be null). Any array in the tree may have an offset.
  void WriteBatch(const ArrowArray &batch);

  // Writes the end-of-stream marker. No further calls are allowed afterwards.
  void Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ducklake
