#pragma once
// MeteredStore: forwards to another ObjectStore and counts requests and bytes moved, for
// /metrics and for benchmarks that must show range reads (bytes read far below object sizes).
// Multipart parts count as puts and their bytes as written. Thread-safe; counters only grow.

#include <atomic>
#include <cstdint>

#include "storage/object_store.hpp"

namespace ducklake {

struct StoreCounters {
  std::atomic<uint64_t> get_requests{0};
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> bytes_written{0};
  std::atomic<uint64_t> put_requests{0};
};

class MeteredStore : public ObjectStoreWrapper {
 public:
  explicit MeteredStore(ObjectStore &target) : ObjectStoreWrapper(target) {}

  std::unique_ptr<ObjectWriter> Put(const std::string &key) override;
  std::unique_ptr<ObjectWriter> PutSized(const std::string &key, uint64_t size) override;
  ObjectInfo Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) override;
  std::unique_ptr<ObjectReader> Open(const std::string &key, std::optional<ByteRange> range) override;
  std::unique_ptr<ObjectWriter> PutPart(const std::string &key, const std::string &upload_id, int part_number,
                                        uint64_t size) override;

  const StoreCounters &counters() const { return counters_; }

 private:
  StoreCounters counters_;
};

}  // namespace ducklake
