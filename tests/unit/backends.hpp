#pragma once
// The backends unit tests run against. Embedded ones (SQLite, local directory) always run;
// PostgreSQL and S3 run when scripts/test-services.sh's environment is loaded (make test does).
// With DUCKLAKE_TEST_REQUIRE_BACKENDS=1 a missing service fails the tests instead of leaving
// them out, so CI cannot pass without having tested every backend.

#include <functional>
#include <ostream>
#include <memory>
#include <string>
#include <vector>

#include "meta/meta_store.hpp"
#include "storage/object_store.hpp"
#include "storage/s3_store.hpp"

namespace ducklake::testing {

struct MetaBackend {
  std::string name;
  // A fresh, empty metadata store; `scratch_dir` is a directory the test owns.
  std::function<std::unique_ptr<MetaStore>(const std::string &scratch_dir)> open;
};

struct StoreBackend {
  std::string name;
  // A fresh, empty object store.
  std::function<std::unique_ptr<ObjectStore>(const std::string &scratch_dir)> open;
};

// Options for a store on the test S3 server (scripts/test-services.sh), under `prefix` of `bucket`.
S3Options TestS3Options(const std::string &prefix, const std::string &bucket = "ducklake-unit-tests");

std::vector<MetaBackend> MetaBackends();
std::vector<StoreBackend> StoreBackends();

// GoogleTest prints parameters with these (the default is a byte dump).
inline void PrintTo(const MetaBackend &backend, std::ostream *out) { *out << backend.name; }
inline void PrintTo(const StoreBackend &backend, std::ostream *out) { *out << backend.name; }

}  // namespace ducklake::testing
