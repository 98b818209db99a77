#pragma once
// Helpers shared by the unit tests: throw-away directories, error-kind assertions, and a metadata
// database that loses a commit on purpose.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "meta/meta_store.hpp"

namespace ducklake::testing {

// The seed of a test's random inputs: fixed in CI, any other with DUCKLAKE_TEST_SEED.
inline unsigned Seed() {
  const char *seed = std::getenv("DUCKLAKE_TEST_SEED");
  return seed ? static_cast<unsigned>(std::strtoul(seed, nullptr, 10)) : 20261207u;
}

// The value of an environment variable, or "" when it is not set.
inline std::string Env(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

// A fresh directory under the system temp dir, removed with its contents at scope exit.
class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("ducklake-test-" + NewUuid())) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Fault injection: once armed, the next write transaction fails at COMMIT (and is rolled back),
// as when the metadata database goes away at the worst moment.
class FailingCommit : public MetaStoreWrapper {
 public:
  using MetaStoreWrapper::MetaStoreWrapper;
  std::unique_ptr<MetaTransaction> Begin(TransactionMode mode) override {
    auto inner = MetaStoreWrapper::Begin(mode);
    if (mode != TransactionMode::kWrite || !armed) return inner;
    armed = false;
    class Failing : public MetaTransaction {
     public:
      explicit Failing(std::unique_ptr<MetaTransaction> inner) : inner_(std::move(inner)) {}
      int64_t Execute(const std::string &sql, const std::vector<SqlValue> &params) override {
        return inner_->Execute(sql, params);
      }
      std::vector<SqlRow> Query(const std::string &sql, const std::vector<SqlValue> &params) override {
        return inner_->Query(sql, params);
      }
      void Commit() override { throw Error(ErrorKind::kConflict, "injected: the commit failed"); }

     private:
      std::unique_ptr<MetaTransaction> inner_;
    };
    return std::make_unique<Failing>(std::move(inner));
  }
  bool armed = false;
};

}  // namespace ducklake::testing

#define EXPECT_ERROR_KIND(statement, expected_kind)                                              \
  do {                                                                                           \
    try {                                                                                        \
      statement;                                                                                 \
      ADD_FAILURE() << "expected " << ::ducklake::ErrorKindName(expected_kind) << " from " #statement; \
    } catch (const ::ducklake::Error &error) {                                                   \
      EXPECT_EQ(::ducklake::ErrorKindName(error.kind()), ::ducklake::ErrorKindName(expected_kind)) \
          << error.what();                                                                       \
    }                                                                                            \
  } while (0)
