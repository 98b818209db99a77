#include "storage/object_store.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

TEST(ValidateKey, AcceptsOrdinaryKeys) {
  for (const std::string key : std::vector<std::string>{"a", "warehouse/sales/orders/x.parquet", "volumes/v/dir with space/ü.png",
                                "a/b/", "日本/語", "x.y-z_~!$&'()*+,;=:@"}) {
    EXPECT_NO_THROW(ValidateKey(key)) << key;
  }
}

TEST(ValidateKey, RejectsTraversalControlAndMalformedUtf8) {
  for (const std::string key : std::vector<std::string>{"", "/etc/passwd", "..", "../x", "a/../../x", "a/./b", "a//b", "a\\..\\b",
                                std::string("a\0b", 3), "tab\there", "del\x7f", "\xff\xfe", "\xc0\xaf",
                                "\xed\xa0\x80", "a/\xe2\x82"}) {
    EXPECT_ERROR_KIND(ValidateKey(key), ErrorKind::kInvalidInput);
  }
  EXPECT_ERROR_KIND(ValidateKey(std::string(1025, 'a')), ErrorKind::kInvalidInput);
  EXPECT_NO_THROW(ValidateKey(std::string(1024, 'a')));
}

}  // namespace
}  // namespace ducklake
