// The HTTP semantics of object downloads (api/object_http): Range headers in every form RFC 9110
// allows, entity-tag lists, HTTP dates and attachment names.

#include "api/object_http.hpp"

#include <gtest/gtest.h>

namespace ducklake {
namespace {

std::vector<std::pair<uint64_t, uint64_t>> Ranges(const std::string &header, uint64_t size) {
  auto parsed = ParseRange(header, size);
  EXPECT_EQ(parsed.kind, RangeRequest::Kind::kPartial) << header;
  std::vector<std::pair<uint64_t, uint64_t>> out;
  for (const auto &range : parsed.ranges) out.emplace_back(range.offset, range.length);
  return out;
}

TEST(ParseRange, EveryFormOfByteRange) {
  using V = std::vector<std::pair<uint64_t, uint64_t>>;
  EXPECT_EQ(Ranges("bytes=0-9", 100), (V{{0, 10}}));
  EXPECT_EQ(Ranges("bytes=90-", 100), (V{{90, 10}}));               // open-ended
  EXPECT_EQ(Ranges("bytes=-5", 100), (V{{95, 5}}));                 // suffix
  EXPECT_EQ(Ranges("bytes=-500", 100), (V{{0, 100}}));              // suffix longer than the object
  EXPECT_EQ(Ranges("bytes=95-2000", 100), (V{{95, 5}}));            // clamped at the end
  EXPECT_EQ(Ranges("BYTES = 1-1 , 3-3", 100), (V{{1, 1}, {3, 1}}));  // case and spaces
  EXPECT_EQ(Ranges("bytes=0-1,,4-5", 100), (V{{0, 2}, {4, 2}}));    // empty elements
  // Ascending, overlapping and adjacent ones merged.
  EXPECT_EQ(Ranges("bytes=50-59,0-9,5-14,15-19", 100), (V{{0, 20}, {50, 10}}));
  EXPECT_EQ(Ranges("bytes=0-9,200-300", 100), (V{{0, 10}}));  // the one past the end dropped
}

TEST(ParseRange, WhatIsNotAValidRangeSetIsIgnored) {
  for (const char *header : {"", "bytes", "items=0-1", "bytes=x-y", "bytes=5-1", "bytes=1-2-3", "bytes=-",
                             "bytes=--1", "bytes=1", "bytes=0-1,garbage", "bytes=18446744073709551616-"}) {
    EXPECT_EQ(ParseRange(header, 100).kind, RangeRequest::Kind::kWhole) << header;
  }
  std::string many = "bytes=";
  for (size_t i = 0; i <= kMaxRanges; i++) many += std::to_string(i * 2) + "-" + std::to_string(i * 2) + ",";
  EXPECT_EQ(ParseRange(many, 1000).kind, RangeRequest::Kind::kWhole);  // too many: served whole
}

TEST(ParseRange, RangesThatAllMissAreUnsatisfiable) {
  EXPECT_EQ(ParseRange("bytes=100-", 100).kind, RangeRequest::Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=200-300,100-101", 100).kind, RangeRequest::Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=-0", 100).kind, RangeRequest::Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=0-0", 0).kind, RangeRequest::Kind::kUnsatisfiable);  // an empty object
  EXPECT_EQ(ParseRange("bytes=-5", 0).kind, RangeRequest::Kind::kUnsatisfiable);
}

TEST(EtagListMatches, StarListsAndWeakTags) {
  EXPECT_TRUE(EtagListMatches("*", "abc"));
  EXPECT_TRUE(EtagListMatches("\"abc\"", "abc"));
  EXPECT_TRUE(EtagListMatches("\"x\", W/\"abc\"", "abc"));
  EXPECT_FALSE(EtagListMatches("\"abcd\"", "abc"));
  EXPECT_FALSE(EtagListMatches("", "abc"));
}

TEST(HttpDate, FormatsAndParsesImfFixdate) {
  EXPECT_EQ(FormatHttpDate(784111777000), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(ParseHttpDate("yesterday"));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37"));
}

TEST(AttachmentDisposition, NamesTheLastSegmentWithAnAsciiFallback) {
  EXPECT_EQ(AttachmentDisposition("reports/q3.pdf"), "attachment; filename=\"q3.pdf\"; filename*=UTF-8''q3.pdf");
  auto unicode = AttachmentDisposition("docs/résumé \"final\".pdf");
  EXPECT_NE(unicode.find("filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf"), std::string::npos) << unicode;
  EXPECT_EQ(unicode.find("\"final\""), std::string::npos) << unicode;  // no unescaped quote in the fallback
}

}  // namespace
}  // namespace ducklake
