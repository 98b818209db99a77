#pragma once
// Helpers shared by the unit tests: throw-away directories and error-kind assertions.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "common/ids.hpp"

namespace ducklake::testing {

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
