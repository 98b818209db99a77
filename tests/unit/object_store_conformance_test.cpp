// The ObjectStore conformance suite: every implementation must pass every test here. Add a
// backend to testing::StoreBackends().

#include <atomic>
#include <thread>

#include "backends.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::StoreBackend;
using testing::TempDir;

class ObjectStoreConformance : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { store_ = GetParam().open(dir_.path()); }

  ObjectInfo PutString(const std::string &key, const std::string &content) {
    auto writer = store_->Put(key);
    writer->Append(content.data(), content.size());
    return writer->Commit();
  }

  std::string GetString(const std::string &key, std::optional<ByteRange> range = std::nullopt) {
    std::string out;
    store_->Get(key, range, [&out](const char *data, size_t size) {
      out.append(data, size);
      return true;
    });
    return out;
  }

  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(ObjectStoreConformance, PutThenGetReturnsTheSameBytes) {
  auto info = PutString("a/b/c.txt", "hello, lake");
  EXPECT_EQ(info.size, 11u);
  EXPECT_FALSE(info.etag.empty());
  EXPECT_EQ(GetString("a/b/c.txt"), "hello, lake");
}

TEST_P(ObjectStoreConformance, LargeObjectsStreamInPieces) {
  std::string piece(1 << 20, 'x');
  auto writer = store_->Put("big.bin");
  for (int i = 0; i < 9; i++) {
    piece[0] = static_cast<char>('a' + i);
    writer->Append(piece.data(), piece.size());
  }
  auto info = writer->Commit();
  EXPECT_EQ(info.size, 9u << 20);
  size_t calls = 0, total = 0;
  store_->Get("big.bin", std::nullopt, [&](const char *data, size_t size) {
    calls++;
    total += size;
    return true;
  });
  EXPECT_EQ(total, 9u << 20);
  EXPECT_GT(calls, 1u) << "a large object must arrive in several pieces, not one buffer";
  EXPECT_EQ(GetString("big.bin", ByteRange{5u << 20, 1}), "f");
}

TEST_P(ObjectStoreConformance, RangesSelectBytes) {
  PutString("r.txt", "0123456789");
  EXPECT_EQ(GetString("r.txt", ByteRange{2, 3}), "234");
  EXPECT_EQ(GetString("r.txt", ByteRange{7, std::nullopt}), "789");
  EXPECT_EQ(GetString("r.txt", ByteRange{8, 100}), "89");
  EXPECT_EQ(GetString("r.txt", ByteRange{10, 5}), "");
  EXPECT_ERROR_KIND(GetString("r.txt", ByteRange{11, 1}), ErrorKind::kInvalidInput);
}

TEST_P(ObjectStoreConformance, SinkCanStopATransfer) {
  PutString("stop.txt", std::string(3 << 20, 'z'));
  size_t received = 0;
  store_->Get("stop.txt", std::nullopt, [&received](const char *, size_t size) {
    received += size;
    return false;
  });
  EXPECT_LT(received, 3u << 20);
}

TEST_P(ObjectStoreConformance, MissingObjectsAreNotFound) {
  EXPECT_ERROR_KIND(store_->Head("nope"), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(GetString("nope"), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(store_->Copy("nope", "other"), ErrorKind::kNotFound);
}

TEST_P(ObjectStoreConformance, OverwriteChangesTheEtag) {
  auto first = PutString("o.txt", "one");
  auto second = PutString("o.txt", "two!");
  EXPECT_NE(first.etag, second.etag);
  EXPECT_EQ(store_->Head("o.txt").etag, second.etag);
  EXPECT_EQ(store_->Head("o.txt").size, 4u);
  EXPECT_EQ(GetString("o.txt"), "two!");
}

TEST_P(ObjectStoreConformance, UncommittedWritesLeaveNothing) {
  {
    auto writer = store_->Put("never.txt");
    writer->Append("partial", 7);
  }
  EXPECT_ERROR_KIND(store_->Head("never.txt"), ErrorKind::kNotFound);
  EXPECT_TRUE(store_->List("", "", "", 100).objects.empty());
}

TEST_P(ObjectStoreConformance, UncommittedLargeWritesLeaveNothing) {
  // Past one multipart part on S3: the abandoned upload must be aborted, not half-visible.
  {
    auto writer = store_->Put("large-never.bin");
    std::string piece(1 << 20, 'q');
    for (int i = 0; i < 12; i++) writer->Append(piece.data(), piece.size());
  }
  EXPECT_ERROR_KIND(store_->Head("large-never.bin"), ErrorKind::kNotFound);
  EXPECT_TRUE(store_->List("", "", "", 100).objects.empty());
}

TEST_P(ObjectStoreConformance, UncommittedOverwriteKeepsTheOldObject) {
  PutString("keep.txt", "old");
  {
    auto writer = store_->Put("keep.txt");
    writer->Append("new-but-abandoned", 17);
  }
  EXPECT_EQ(GetString("keep.txt"), "old");
}

TEST_P(ObjectStoreConformance, DeleteIsIdempotent) {
  PutString("d/x.txt", "x");
  store_->Delete("d/x.txt");
  EXPECT_ERROR_KIND(store_->Head("d/x.txt"), ErrorKind::kNotFound);
  store_->Delete("d/x.txt");
  EXPECT_TRUE(store_->List("d/", "", "", 10).objects.empty());
}

TEST_P(ObjectStoreConformance, DeleteManyRemovesExactlyTheGivenKeys) {
  for (int i = 0; i < 5; i++) PutString(fmt::format("many/k{}", i), "v");
  store_->DeleteMany({"many/k0", "many/k2", "many/k4", "many/never-existed"});
  std::vector<std::string> left;
  for (const auto &object : store_->List("many/", "", "", 100).objects) left.push_back(object.key);
  EXPECT_EQ(left, (std::vector<std::string>{"many/k1", "many/k3"}));
  store_->DeleteMany({});
  EXPECT_ERROR_KIND(store_->DeleteMany({"many/k1", "../escape"}), ErrorKind::kInvalidInput);
  EXPECT_NO_THROW(store_->Head("many/k1")) << "a batch with a bad key must delete nothing";
}

TEST_P(ObjectStoreConformance, CopyDuplicatesContent) {
  PutString("src.txt", "copy me");
  auto info = store_->Copy("src.txt", "dst/copy.txt");
  EXPECT_EQ(info.size, 7u);
  EXPECT_EQ(GetString("dst/copy.txt"), "copy me");
  EXPECT_EQ(GetString("src.txt"), "copy me");
}

TEST_P(ObjectStoreConformance, ListingPagesThroughKeysInOrder) {
  for (int i = 0; i < 25; i++) PutString(fmt::format("list/k{:02d}", i), "v");
  PutString("other/x", "v");
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = store_->List("list/", "", cursor, 10);
    for (const auto &object : page.objects) seen.push_back(object.key);
    cursor = page.next_cursor;
    pages++;
  } while (!cursor.empty() && pages < 10);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.front(), "list/k00");
  EXPECT_EQ(seen.back(), "list/k24");
}

TEST_P(ObjectStoreConformance, DelimiterGroupsFolders) {
  PutString("v/a.txt", "1");
  PutString("v/dir1/b.txt", "2");
  PutString("v/dir1/c.txt", "3");
  PutString("v/dir2/d/e.txt", "4");
  auto page = store_->List("v/", "/", "", 100);
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "v/a.txt");
  EXPECT_EQ(page.common_prefixes, (std::vector<std::string>{"v/dir1/", "v/dir2/"}));
  auto first = store_->List("v/", "/", "", 2);
  EXPECT_EQ(first.objects.size() + first.common_prefixes.size(), 2u);
  auto rest = store_->List("v/", "/", first.next_cursor, 2);
  ASSERT_EQ(rest.common_prefixes.size(), 1u);
  EXPECT_EQ(rest.common_prefixes[0], "v/dir2/");
}

TEST_P(ObjectStoreConformance, ListingIsInByteOrderAcrossFoldersAndResumesInsideThem) {
  // '-' (0x2d) sorts before '/' (0x2f): "x/a-c" comes before "x/a/b".
  for (const char *key : {"x/a/b", "x/a-c", "x/a/d/e", "x/a0", "x/b", "y/z"}) PutString(key, "v");
  std::vector<std::string> all;
  std::string cursor;
  do {
    auto page = store_->List("x/", "", cursor, 2);
    for (const auto &object : page.objects) all.push_back(object.key);
    cursor = page.next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(all, (std::vector<std::string>{"x/a-c", "x/a/b", "x/a/d/e", "x/a0", "x/b"}));
  // A cursor inside a folder resumes there; a prefix that ends mid-name matches folders and files.
  auto after = store_->List("x/", "", "x/a/b", 10);
  ASSERT_EQ(after.objects.size(), 3u);
  EXPECT_EQ(after.objects[0].key, "x/a/d/e");
  auto partial = store_->List("x/a", "/", "", 10);
  std::vector<std::string> objects, folders = partial.common_prefixes;
  for (const auto &object : partial.objects) objects.push_back(object.key);
  EXPECT_EQ(objects, (std::vector<std::string>{"x/a-c", "x/a0"}));
  EXPECT_EQ(folders, (std::vector<std::string>{"x/a/"}));
  auto dashes = store_->List("x/", "-", "", 10);
  EXPECT_EQ(dashes.common_prefixes, (std::vector<std::string>{"x/a-"}));
  EXPECT_EQ(dashes.objects.size(), 4u);
}

TEST_P(ObjectStoreConformance, BadKeysAreRejectedBeforeTheBackend) {
  for (const std::string key : std::vector<std::string>{"", "/abs", "a/../b", "..", "a//b", "a\\b", std::string("nul\0x", 5), "./a"}) {
    SCOPED_TRACE(key);
    EXPECT_ERROR_KIND(store_->Put(key), ErrorKind::kInvalidInput);
    EXPECT_ERROR_KIND(store_->Head(key), ErrorKind::kInvalidInput);
  }
  EXPECT_ERROR_KIND(store_->Put(std::string(1025, 'k')), ErrorKind::kInvalidInput);
}

TEST_P(ObjectStoreConformance, ConcurrentWritersLeaveOneWholeVersion) {
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; w++) {
    writers.emplace_back([this, w] {
      std::string content(256 << 10, static_cast<char>('a' + w));
      auto writer = store_->Put("race.bin");
      for (size_t offset = 0; offset < content.size(); offset += 4096) writer->Append(content.data() + offset, 4096);
      writer->Commit();
    });
  }
  for (auto &writer : writers) writer.join();
  auto content = GetString("race.bin");
  ASSERT_EQ(content.size(), 256u << 10);
  EXPECT_EQ(content.find_first_not_of(content[0]), std::string::npos) << "bytes of two writers were mixed";
}

TEST_P(ObjectStoreConformance, PingSucceeds) { store_->Ping(); }

INSTANTIATE_TEST_SUITE_P(Backends, ObjectStoreConformance, ::testing::ValuesIn(testing::StoreBackends()),
                         [](const ::testing::TestParamInfo<StoreBackend> &info) { return info.param.name; });

}  // namespace
}  // namespace ducklake
