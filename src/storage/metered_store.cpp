#include "storage/metered_store.hpp"

namespace ducklake {
namespace {

class MeteredWriter : public ObjectWriter {
 public:
  MeteredWriter(std::unique_ptr<ObjectWriter> inner, StoreCounters &counters)
      : inner_(std::move(inner)), counters_(counters) {}
  void Append(const char *data, size_t size) override {
    inner_->Append(data, size);
    counters_.bytes_written += size;
  }
  ObjectInfo Commit() override { return inner_->Commit(); }

 private:
  std::unique_ptr<ObjectWriter> inner_;
  StoreCounters &counters_;
};

class MeteredReader : public ObjectReader {
 public:
  MeteredReader(std::unique_ptr<ObjectReader> inner, StoreCounters &counters)
      : inner_(std::move(inner)), counters_(counters) {}
  std::string_view Next() override {
    auto bytes = inner_->Next();
    counters_.bytes_read += bytes.size();
    return bytes;
  }
  ObjectInfo Info() override { return inner_->Info(); }

 private:
  std::unique_ptr<ObjectReader> inner_;
  StoreCounters &counters_;
};

}  // namespace

std::unique_ptr<ObjectReader> MeteredStore::Open(const std::string &key, std::optional<ByteRange> range) {
  counters_.get_requests++;
  return std::make_unique<MeteredReader>(ObjectStoreWrapper::Open(key, range), counters_);
}

std::unique_ptr<ObjectWriter> MeteredStore::Put(const std::string &key) {
  counters_.put_requests++;
  return std::make_unique<MeteredWriter>(ObjectStoreWrapper::Put(key), counters_);
}

std::unique_ptr<ObjectWriter> MeteredStore::PutSized(const std::string &key, uint64_t size) {
  counters_.put_requests++;
  return std::make_unique<MeteredWriter>(ObjectStoreWrapper::PutSized(key, size), counters_);
}

std::unique_ptr<ObjectWriter> MeteredStore::PutPart(const std::string &key, const std::string &upload_id,
                                                    int part_number, uint64_t size) {
  counters_.put_requests++;
  return std::make_unique<MeteredWriter>(ObjectStoreWrapper::PutPart(key, upload_id, part_number, size), counters_);
}

ObjectInfo MeteredStore::Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) {
  counters_.get_requests++;
  return ObjectStoreWrapper::Get(key, range, [this, &sink](const char *data, size_t size) {
    counters_.bytes_read += size;
    return sink(data, size);
  });
}

}  // namespace ducklake
