#include "common/error.hpp"
#include "storage/local_store.hpp"
#include "storage/s3_store.hpp"

namespace ducklake {

std::unique_ptr<ObjectStore> OpenObjectStore(const std::string &url) {
  const std::string file_prefix = "file://";
  if (url.rfind(file_prefix, 0) == 0) return std::make_unique<LocalStore>(url.substr(file_prefix.size()));
  if (url.rfind("s3://", 0) == 0) return std::make_unique<S3Store>(S3OptionsFromUrl(url));
  throw MakeError(ErrorKind::kInvalidInput, "unsupported storage URL (expected file://<directory> or s3://bucket/prefix)");
}

}  // namespace ducklake
