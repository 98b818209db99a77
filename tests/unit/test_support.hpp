#pragma once
// Helpers shared by the unit tests: throw-away directories and error-kind assertions.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "common/ids.hpp"

namespace ducklake::testing {

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
