#include "storage/object_store.hpp"

#include "common/error.hpp"

namespace ducklake {
namespace {

// Holds a writer to the size it was announced with.
class SizedWriter : public ObjectWriter {
 public:
  SizedWriter(std::unique_ptr<ObjectWriter> target, std::string key, uint64_t size)
      : target_(std::move(target)), key_(std::move(key)), size_(size) {}

  void Append(const char *data, size_t size) override {
    appended_ += size;
    if (appended_ <= size_) target_->Append(data, size);
  }

  ObjectInfo Commit() override {
    if (appended_ != size_) {
      throw MakeError(ErrorKind::kInvalidInput, "'{}' was announced as {} bytes but {} were sent", key_, size_,
                      appended_);
    }
    return target_->Commit();
  }

 private:
  std::unique_ptr<ObjectWriter> target_;
  std::string key_;
  uint64_t size_;
  uint64_t appended_ = 0;
};

}  // namespace

std::unique_ptr<ObjectWriter> ObjectStore::PutSized(const std::string &key, uint64_t size) {
  return std::make_unique<SizedWriter>(Put(key), key, size);
}

}  // namespace ducklake
