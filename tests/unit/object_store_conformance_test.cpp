// The ObjectStore conformance suite: every implementation must pass every test here. Add a
// backend to testing::StoreBackends(). At the end, the few tests of LocalStore's own layout and
// of MeteredStore.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "backends.hpp"
#include "storage/local_store.hpp"
#include "storage/metered_store.hpp"
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

  // Sends `content` as part `number`, announced as `announced` bytes (by default its size).
  ObjectInfo PutPartString(const std::string &key, const std::string &upload_id, int number, const std::string &content,
                           std::optional<uint64_t> announced = std::nullopt) {
    auto writer = store_->PutPart(key, upload_id, number, announced.value_or(content.size()));
    writer->Append(content.data(), content.size());
    return writer->Commit();
  }

  // Bytes that differ from part to part and along a part, so misplaced bytes show.
  static std::string Pattern(size_t size, int seed) {
    std::string out(size, '\0');
    for (size_t i = 0; i < size; i++) out[i] = static_cast<char>((i * 31 + i / 4093 + seed * 7) & 0xff);
    return out;
  }

  static std::string OtherEtag(std::string etag) {
    etag[0] = etag[0] == '0' ? '1' : '0';  // still well-formed hex, which S3 insists on
    return etag;
  }

  std::vector<std::string> AllKeys() {
    std::vector<std::string> keys;
    for (const auto &object : store_->List("", "", "", 1000).objects) keys.push_back(object.key);
    return keys;
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

TEST_P(ObjectStoreConformance, SizedPutsStoreExactlyTheAnnouncedBytes) {
  auto content = Pattern(9 << 20, 3);  // beyond one multipart part, streamed in 64 KiB appends
  auto writer = store_->PutSized("sized.bin", content.size());
  for (size_t offset = 0; offset < content.size(); offset += 64 << 10) {
    writer->Append(content.data() + offset, std::min<size_t>(64 << 10, content.size() - offset));
  }
  EXPECT_EQ(writer->Commit().size, content.size());
  EXPECT_EQ(GetString("sized.bin"), content);
  auto empty = store_->PutSized("empty.bin", 0);
  EXPECT_EQ(empty->Commit().size, 0u);
  EXPECT_EQ(GetString("empty.bin"), "");
  for (uint64_t announced : {uint64_t{5}, uint64_t{7}}) {
    auto wrong = store_->PutSized("wrong.bin", announced);
    wrong->Append("sixsix", 6);
    EXPECT_ERROR_KIND(wrong->Commit(), ErrorKind::kInvalidInput);
  }
  EXPECT_ERROR_KIND(store_->Head("wrong.bin"), ErrorKind::kNotFound);
}

TEST_P(ObjectStoreConformance, RangesSelectBytes) {
  PutString("r.txt", "0123456789");
  EXPECT_EQ(GetString("r.txt", ByteRange{2, 3}), "234");
  EXPECT_EQ(GetString("r.txt", ByteRange{7, std::nullopt}), "789");
  EXPECT_EQ(GetString("r.txt", ByteRange{8, 100}), "89");
  EXPECT_EQ(GetString("r.txt", ByteRange{10, 5}), "");
  EXPECT_ERROR_KIND(GetString("r.txt", ByteRange{11, 1}), ErrorKind::kInvalidInput);
}

TEST_P(ObjectStoreConformance, OpenedObjectsReadTheSameBytesAsGet) {
  std::string data(3 << 20, '\0');
  for (size_t i = 0; i < data.size(); i++) data[i] = static_cast<char>(i * 31 % 253);
  auto stored = PutString("pull.bin", data);
  auto pull = [this](const std::string &key, std::optional<ByteRange> range) {
    auto reader = store_->Open(key, range);
    std::string out;
    for (auto bytes = reader->Next(); !bytes.empty(); bytes = reader->Next()) out.append(bytes);
    EXPECT_TRUE(reader->Next().empty());  // the end stays the end
    EXPECT_EQ(reader->Info().etag, store_->Head(key).etag);
    EXPECT_EQ(reader->Info().size, store_->Head(key).size);
    return out;
  };
  EXPECT_TRUE(pull("pull.bin", std::nullopt) == data);
  EXPECT_EQ(pull("pull.bin", ByteRange{5, 7}), data.substr(5, 7));
  EXPECT_TRUE(pull("pull.bin", ByteRange{(2 << 20) + 3, std::nullopt}) == data.substr((2 << 20) + 3));
  EXPECT_EQ(stored.etag, store_->Head("pull.bin").etag);
  // Errors come at Open, before any byte.
  EXPECT_ERROR_KIND(store_->Open("nope", std::nullopt), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(store_->Open("pull.bin", ByteRange{(3 << 20) + 1, 1}), ErrorKind::kInvalidInput);
  // Dropped half way: the transfer stops, nothing is left running.
  auto reader = store_->Open("pull.bin", std::nullopt);
  EXPECT_FALSE(reader->Next().empty());
  reader.reset();
  EXPECT_TRUE(GetString("pull.bin") == data);
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

TEST_P(ObjectStoreConformance, MultipartJoinsPartsInNumberOrder) {
  const std::string key = "mp/joined.bin";
  auto upload_id = store_->CreateMultipart(key);
  ASSERT_FALSE(upload_id.empty());
  auto first = Pattern(ObjectStore::kMinPartSize, 1);
  const std::string second = "and the tail";
  // Parts may arrive in any order.
  auto second_info = PutPartString(key, upload_id, 2, second);
  auto first_info = PutPartString(key, upload_id, 1, first);
  EXPECT_EQ(first_info.size, first.size());
  EXPECT_EQ(second_info.size, second.size());
  EXPECT_FALSE(first_info.etag.empty());
  EXPECT_NE(first_info.etag, second_info.etag);

  auto parts = store_->ListParts(key, upload_id);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].number, 1);
  EXPECT_EQ(parts[0].size, first.size());
  EXPECT_EQ(parts[0].etag, first_info.etag);
  EXPECT_EQ(parts[1].number, 2);
  EXPECT_EQ(parts[1].size, second.size());
  EXPECT_EQ(parts[1].etag, second_info.etag);
  EXPECT_ERROR_KIND(store_->Head(key), ErrorKind::kNotFound);  // nothing is visible before completion
  EXPECT_TRUE(AllKeys().empty());
  EXPECT_TRUE(store_->List("", "/", "", 100).common_prefixes.empty());

  auto info = store_->CompleteMultipart(key, upload_id, parts);
  EXPECT_EQ(info.key, key);
  EXPECT_EQ(info.size, first.size() + second.size());
  EXPECT_FALSE(info.etag.empty());
  auto head = store_->Head(key);
  EXPECT_EQ(head.size, first.size() + second.size());
  EXPECT_EQ(head.etag, info.etag);
  EXPECT_TRUE(GetString(key) == first + second) << "the object is not the concatenation of its parts";
  EXPECT_EQ(AllKeys(), std::vector<std::string>{key});
  // Not asserted: ListParts after completion is kNotFound on AWS and LocalStore, but Swift's s3api
  // still lists a completed upload's parts (they are the object's segments there).
}

TEST_P(ObjectStoreConformance, MultipartCompletionChecksThePartsAndKeepsTheUploadOnError) {
  const std::string key = "mp/checked.bin";
  auto upload_id = store_->CreateMultipart(key);
  auto first = Pattern(ObjectStore::kMinPartSize, 2);
  auto one = PutPartString(key, upload_id, 1, first);
  auto two = PutPartString(key, upload_id, 2, "end");
  EXPECT_ERROR_KIND(store_->CompleteMultipart(key, upload_id, {{1, OtherEtag(one.etag), 0}, {2, two.etag, 0}}),
                    ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->CompleteMultipart(key, upload_id, {{1, one.etag, 0}, {3, two.etag, 0}}),
                    ErrorKind::kInvalidInput);  // part 3 was never sent
  EXPECT_ERROR_KIND(store_->CompleteMultipart(key, upload_id, {{2, two.etag, 0}, {1, one.etag, 0}}),
                    ErrorKind::kInvalidInput);  // not ascending
  EXPECT_ERROR_KIND(store_->CompleteMultipart(key, upload_id, {}), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->Head(key), ErrorKind::kNotFound);
  EXPECT_EQ(store_->ListParts(key, upload_id).size(), 2u);
  // The caller fixes the list and completes the same upload.
  auto info = store_->CompleteMultipart(key, upload_id, {{1, one.etag, 0}, {2, two.etag, 0}});
  EXPECT_EQ(info.size, first.size() + 3);
  EXPECT_TRUE(GetString(key) == first + "end");
}

TEST_P(ObjectStoreConformance, MultipartPartsBeforeTheLastMustBeLargeEnough) {
  const std::string key = "mp/small.bin";
  auto upload_id = store_->CreateMultipart(key);
  auto one = PutPartString(key, upload_id, 1, Pattern(ObjectStore::kMinPartSize - 1, 3));
  auto two = PutPartString(key, upload_id, 2, "tail");
  EXPECT_ERROR_KIND(store_->CompleteMultipart(key, upload_id, {{1, one.etag, 0}, {2, two.etag, 0}}),
                    ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->Head(key), ErrorKind::kNotFound);
  EXPECT_EQ(store_->ListParts(key, upload_id).size(), 2u);
  // The last part may be as small as it likes.
  auto info = store_->CompleteMultipart(key, upload_id, {{1, one.etag, 0}});
  EXPECT_EQ(info.size, ObjectStore::kMinPartSize - 1);
}

TEST_P(ObjectStoreConformance, MultipartPartsOfTheWrongSizeLeaveNothing) {
  const std::string key = "mp/sized.bin";
  auto upload_id = store_->CreateMultipart(key);
  EXPECT_ERROR_KIND(PutPartString(key, upload_id, 1, "short", 10), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(PutPartString(key, upload_id, 1, "too long", 3), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(PutPartString(key, upload_id, 2, Pattern((1 << 20) - 1, 4), 1 << 20), ErrorKind::kInvalidInput);
  {
    auto abandoned = store_->PutPart(key, upload_id, 3, 100);
    abandoned->Append("half", 4);
  }
  EXPECT_TRUE(store_->ListParts(key, upload_id).empty());
  EXPECT_ERROR_KIND(store_->PutPart(key, upload_id, 0, 1), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(store_->PutPart(key, upload_id, ObjectStore::kMaxPartNumber + 1, 1), ErrorKind::kInvalidInput);
  store_->AbortMultipart(key, upload_id);
}

TEST_P(ObjectStoreConformance, MultipartResendingAPartReplacesIt) {
  const std::string key = "mp/resent.bin";
  auto upload_id = store_->CreateMultipart(key);
  auto old_part = PutPartString(key, upload_id, 1, "first version");
  auto new_part = PutPartString(key, upload_id, 1, "second!");
  EXPECT_NE(old_part.etag, new_part.etag);
  auto parts = store_->ListParts(key, upload_id);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].size, 7u);
  EXPECT_EQ(parts[0].etag, new_part.etag);
  EXPECT_ERROR_KIND(store_->CompleteMultipart(key, upload_id, {{1, old_part.etag, 0}}), ErrorKind::kInvalidInput);
  store_->CompleteMultipart(key, upload_id, {{1, new_part.etag, 0}});
  EXPECT_EQ(GetString(key), "second!");
}

TEST_P(ObjectStoreConformance, MultipartAbortDeletesTheUpload) {
  const std::string key = "mp/aborted.bin";
  auto upload_id = store_->CreateMultipart(key);
  PutPartString(key, upload_id, 1, "doomed");
  store_->AbortMultipart(key, upload_id);
  EXPECT_ERROR_KIND(store_->ListParts(key, upload_id), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(PutPartString(key, upload_id, 2, "late"), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(store_->Head(key), ErrorKind::kNotFound);
  EXPECT_TRUE(AllKeys().empty());
  store_->AbortMultipart(key, upload_id);  // again: not an error
}

TEST_P(ObjectStoreConformance, MultipartUnknownUploadsAreNotFound) {
  const std::string key = "mp/unknown.bin";
  const std::string made_up_etag = "0123456789abcdef0123456789abcdef";
  for (const std::string upload_id : {"0123456789abcdef0123456789abcdef", "x", "../../etc", ""}) {
    SCOPED_TRACE(upload_id);
    EXPECT_ERROR_KIND(store_->ListParts(key, upload_id), ErrorKind::kNotFound);
    EXPECT_ERROR_KIND(PutPartString(key, upload_id, 1, "data"), ErrorKind::kNotFound);
    EXPECT_ERROR_KIND(store_->CompleteMultipart(key, upload_id, {{1, made_up_etag, 0}}), ErrorKind::kNotFound);
    store_->AbortMultipart(key, upload_id);
  }
  // An upload belongs to the key it was created for.
  auto upload_id = store_->CreateMultipart(key);
  auto part = PutPartString(key, upload_id, 1, "mine");
  const std::string other = "mp/other.bin";
  EXPECT_ERROR_KIND(store_->ListParts(other, upload_id), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(PutPartString(other, upload_id, 2, "theirs"), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(store_->CompleteMultipart(other, upload_id, {{1, part.etag, 0}}), ErrorKind::kNotFound);
  store_->AbortMultipart(other, upload_id);
  EXPECT_EQ(store_->ListParts(key, upload_id).size(), 1u) << "an abort under another key must not touch it";
  EXPECT_ERROR_KIND(store_->Head(other), ErrorKind::kNotFound);
  store_->AbortMultipart(key, upload_id);
}

TEST_P(ObjectStoreConformance, MultipartPartsStreamInSmallAppends) {
  const std::string key = "mp/streamed.bin";
  const size_t part_size = 6 << 20, piece = 64 << 10;
  auto content = Pattern(part_size, 5);
  auto upload_id = store_->CreateMultipart(key);
  auto writer = store_->PutPart(key, upload_id, 1, part_size);
  for (size_t offset = 0; offset < part_size; offset += piece) writer->Append(content.data() + offset, piece);
  auto part = writer->Commit();
  EXPECT_EQ(part.size, part_size);
  auto last = PutPartString(key, upload_id, 2, "!");
  store_->CompleteMultipart(key, upload_id, {{1, part.etag, 0}, {2, last.etag, 0}});
  EXPECT_EQ(store_->Head(key).size, part_size + 1);
  EXPECT_TRUE(GetString(key) == content + "!");
}

INSTANTIATE_TEST_SUITE_P(Backends, ObjectStoreConformance, ::testing::ValuesIn(testing::StoreBackends()),
                         [](const ::testing::TestParamInfo<StoreBackend> &info) { return info.param.name; });

// LocalStore beyond the shared suite: its folders for uploads and temporary files must never
// surface as keys, and upload ids must never name another path.

TEST(LocalStoreLayout, UploadsAndTemporaryFilesStayOutOfKeysAndListings) {
  TempDir dir;
  LocalStore store(dir.path());
  auto upload_id = store.CreateMultipart("a.bin");
  auto part = store.PutPart("a.bin", upload_id, 1, 4);
  part->Append("part", 4);
  part->Commit();
  auto unfinished = store.Put("b.bin");  // leaves a file in the temporary folder meanwhile
  unfinished->Append("tmp", 3);
  EXPECT_TRUE(store.List("", "", "", 100).objects.empty());
  EXPECT_TRUE(store.List("", "/", "", 100).common_prefixes.empty());
  EXPECT_TRUE(store.List(".u", "", "", 100).objects.empty());
  EXPECT_TRUE(store.List(".t", "/", "", 100).common_prefixes.empty());
  for (const std::string &key : {".uploads/" + upload_id + "/key", std::string(".uploads"), std::string(".tmp/x")}) {
    SCOPED_TRACE(key);
    EXPECT_ERROR_KIND(store.Put(key), ErrorKind::kInvalidInput);
    EXPECT_ERROR_KIND(store.Head(key), ErrorKind::kInvalidInput);
    EXPECT_ERROR_KIND(store.CreateMultipart(key), ErrorKind::kInvalidInput);
  }
  EXPECT_ERROR_KIND(store.List(".uploads/", "", "", 100), ErrorKind::kInvalidInput);
}

TEST(LocalStoreLayout, UploadIdsCannotNameOtherPaths) {
  TempDir dir;
  LocalStore store(dir.path() + "/objects");
  auto upload_id = store.CreateMultipart("a.bin");
  auto upper = upload_id;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  for (const std::string &bad : {std::string("."), std::string(".."), std::string("../.tmp"), upload_id + "/.",
                                 upload_id.substr(1), upload_id + "0", "../.uploads/" + upload_id, upper}) {
    SCOPED_TRACE(bad);
    EXPECT_ERROR_KIND(store.ListParts("a.bin", bad), ErrorKind::kNotFound);
    EXPECT_ERROR_KIND(store.PutPart("a.bin", bad, 1, 1), ErrorKind::kNotFound);
    EXPECT_ERROR_KIND(store.CompleteMultipart("a.bin", bad, {{1, "x", 0}}), ErrorKind::kNotFound);
    store.AbortMultipart("a.bin", bad);
  }
  EXPECT_TRUE(store.ListParts("a.bin", upload_id).empty()) << "the real upload is untouched";
}

TEST(LocalStoreLayout, HasNoPresignedUrls) {
  TempDir dir;
  LocalStore store(dir.path());
  EXPECT_FALSE(store.PresignUrl("GET", "a.txt", std::chrono::seconds(60), {}).has_value());
  EXPECT_FALSE(store.PresignUrl("PUT", "a.txt", std::chrono::seconds(60), {}).has_value());
}

// MeteredStore over a LocalStore: what /metrics reports must include multipart uploads.
TEST(MeteredStoreCounting, PartsCountAsWrites) {
  TempDir dir;
  LocalStore local(dir.path());
  MeteredStore store(local);
  auto upload_id = store.CreateMultipart("a.bin");
  auto part = store.PutPart("a.bin", upload_id, 1, 5);
  part->Append("hello", 5);
  auto info = part->Commit();
  store.CompleteMultipart("a.bin", upload_id, {{1, info.etag, 0}});
  EXPECT_EQ(store.counters().put_requests.load(), 1u);
  EXPECT_EQ(store.counters().bytes_written.load(), 5u);
}

}  // namespace
}  // namespace ducklake
