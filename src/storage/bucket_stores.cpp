#include "storage/bucket_stores.hpp"

#include <cctype>

#include "common/error.hpp"

namespace ducklake {

void ValidateBucketName(const std::string &bucket) {
  bool valid = bucket.size() >= 3 && bucket.size() <= 63 && std::isalnum(static_cast<unsigned char>(bucket.front())) &&
               std::isalnum(static_cast<unsigned char>(bucket.back())) && bucket.find("..") == std::string::npos;
  for (unsigned char c : bucket) valid = valid && (std::islower(c) || std::isdigit(c) || c == '-' || c == '.');
  if (!valid) {
    throw Error(ErrorKind::kInvalidInput,
                "bucket must be 3 to 63 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or "
                "digit");
  }
}

ObjectStore &BucketStores::Open(const std::string &bucket) {
  ValidateBucketName(bucket);
  if (!options_) throw Error(ErrorKind::kInvalidInput, "a volume with a bucket of its own needs S3 storage");
  std::lock_guard<std::mutex> lock(mutex_);
  auto &store = stores_[bucket];
  if (!store) {
    auto options = *options_;
    options.bucket = bucket;
    options.prefix.clear();
    try {
      store = std::make_unique<S3Store>(std::move(options));
    } catch (...) {
      stores_.erase(bucket);
      throw;
    }
  }
  return *store;
}

}  // namespace ducklake
