#pragma once
// BucketStores: object stores on other buckets of the lake's S3 service (volumes that have a
// bucket of their own), opened on first use with the lake store's endpoint and credentials and
// kept for the life of the process. Opening a store creates its bucket if it is missing. Without
// S3 storage there are none: Open throws kInvalidInput. Thread-safe; returned stores live as long
// as this object.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "storage/object_store.hpp"
#include "storage/s3_store.hpp"

namespace ducklake {

class BucketStores {
 public:
  // `lake_options`: the lake's S3 settings (their bucket and prefix are replaced); nullopt when
  // the lake is on local storage.
  explicit BucketStores(std::optional<S3Options> lake_options) : options_(std::move(lake_options)) {}

  bool available() const { return options_.has_value(); }
  // The store of `bucket` (an S3 bucket name: 3 to 63 of a-z, 0-9, '-', '.'; kInvalidInput otherwise).
  ObjectStore &Open(const std::string &bucket);

 private:
  std::optional<S3Options> options_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<ObjectStore>> stores_;
};

// kInvalidInput unless `bucket` is a valid S3 bucket name.
void ValidateBucketName(const std::string &bucket);

}  // namespace ducklake
