// FileService on every backend pair (SQLite + local directory, PostgreSQL + S3): volumes, objects,
// listings, multipart uploads, reconcile, search, and a store failing at each step of each write,
// after which the index and the store must still agree.

#include <map>
#include <set>

#include "backends.hpp"
#include "common/digest.hpp"
#include "files/file_service.hpp"
#include "test_support.hpp"

namespace ducklake {
namespace {

using testing::MetaBackend;
using testing::StoreBackend;
using testing::FailingCommit;
using testing::TempDir;

// Fault injection: the operation named by `fail_at` throws kUnavailable, as an unreachable store
// would. "append" fails once half the data is written, so a partial object would exist if writes
// were not atomic.
class FaultyStore : public ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;

  std::unique_ptr<ObjectWriter> Put(const std::string &key) override {
    Check("put");
    return std::make_unique<FaultyWriter>(ObjectStoreWrapper::Put(key), *this);
  }
  std::unique_ptr<ObjectWriter> PutSized(const std::string &key, uint64_t size) override {
    Check("put");
    return std::make_unique<FaultyWriter>(ObjectStoreWrapper::PutSized(key, size), *this);
  }
  ObjectInfo Head(const std::string &key) override {
    Check("head");
    return ObjectStoreWrapper::Head(key);
  }
  void Delete(const std::string &key) override {
    Check("delete");
    ObjectStoreWrapper::Delete(key);
  }
  void DeleteMany(const std::vector<std::string> &keys) override {
    Check("delete");
    ObjectStoreWrapper::DeleteMany(keys);
  }
  ObjectInfo Copy(const std::string &from_key, const std::string &to_key) override {
    Check("copy");
    return ObjectStoreWrapper::Copy(from_key, to_key);
  }
  ListPage List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                size_t limit) override {
    Check("list");
    return ObjectStoreWrapper::List(prefix, delimiter, cursor, limit);
  }
  std::string CreateMultipart(const std::string &key) override {
    Check("create_multipart");
    return ObjectStoreWrapper::CreateMultipart(key);
  }
  std::unique_ptr<ObjectWriter> PutPart(const std::string &key, const std::string &upload_id, int part_number,
                                        uint64_t size) override {
    Check("put_part");
    return std::make_unique<FaultyWriter>(ObjectStoreWrapper::PutPart(key, upload_id, part_number, size), *this);
  }
  ObjectInfo CompleteMultipart(const std::string &key, const std::string &upload_id,
                               const std::vector<PartInfo> &parts) override {
    Check("complete");
    return ObjectStoreWrapper::CompleteMultipart(key, upload_id, parts);
  }
  void AbortMultipart(const std::string &key, const std::string &upload_id) override {
    Check("abort");
    ObjectStoreWrapper::AbortMultipart(key, upload_id);
  }

  void Check(const std::string &operation) {
    if (operation == fail_at) throw MakeError(ErrorKind::kUnavailable, "injected failure at {}", operation);
  }

  std::string fail_at;

 private:
  class FaultyWriter : public ObjectWriter {
   public:
    FaultyWriter(std::unique_ptr<ObjectWriter> target, FaultyStore &store) : target_(std::move(target)), store_(store) {}
    void Append(const char *data, size_t size) override {
      target_->Append(data, size / 2);
      store_.Check("append");
      target_->Append(data + size / 2, size - size / 2);
    }
    ObjectInfo Commit() override {
      store_.Check("commit");
      return target_->Commit();
    }

   private:
    std::unique_ptr<ObjectWriter> target_;
    FaultyStore &store_;
  };
};

struct BackendPair {
  MetaBackend meta;
  StoreBackend store;
};

void PrintTo(const BackendPair &pair, std::ostream *out) { *out << pair.meta.name << "_" << pair.store.name; }

std::vector<BackendPair> BackendPairs() {
  auto metas = testing::MetaBackends();
  auto stores = testing::StoreBackends();
  std::vector<BackendPair> pairs;
  for (size_t i = 0; i < std::min(metas.size(), stores.size()); i++) pairs.push_back({metas[i], stores[i]});
  return pairs;
}

BodySource BodyOf(const std::string &data) {
  return [data](const std::function<void(const char *, size_t)> &sink) {
    // In pieces, as an HTTP body arrives.
    for (size_t offset = 0; offset < data.size(); offset += 4096) {
      sink(data.data() + offset, std::min<size_t>(4096, data.size() - offset));
    }
  };
}

std::string Pattern(size_t size, char seed) {
  std::string data(size, '\0');
  for (size_t i = 0; i < size; i++) data[i] = static_cast<char>(seed + i * 7 % 61);
  return data;
}

class FileServiceTest : public ::testing::TestWithParam<BackendPair> {
 protected:
  void SetUp() override {
    meta_ = GetParam().meta.open(dir_.path());
    MigrateMetaStore(*meta_);
    faulty_meta_ = std::make_unique<FailingCommit>(*meta_);
    backend_ = GetParam().store.open(dir_.path());
    store_ = std::make_unique<FaultyStore>(*backend_);
    files_ = std::make_unique<FileService>(*faulty_meta_, *store_);
    files_->CreateVolume("vol", {}, "tester");
  }

  ObjectRecord Put(const std::string &key, const std::string &data, const std::string &volume = "vol") {
    PutRequest request;
    request.volume = volume;
    request.key = key;
    request.created_by = "tester";
    return files_->Put(request, BodyOf(data));
  }

  // As an upload with Content-Length arrives: the store is told the size first.
  ObjectRecord PutSized(const std::string &key, const std::string &data) {
    PutRequest request;
    request.volume = "vol";
    request.key = key;
    request.size = data.size();
    return files_->Put(request, BodyOf(data));
  }

  std::string ReadAll(const std::string &key, std::optional<ByteRange> range = std::nullopt) {
    std::string data;
    files_->Read("vol", files_->Stat("vol", key), range, [&data](const char *bytes, size_t size) {
      data.append(bytes, size);
      return true;
    });
    return data;
  }

  std::vector<std::string> Keys(const ObjectSearch &search) {
    std::vector<std::string> found;
    for (const auto &hit : files_->Search(search)) found.push_back(hit.object.key);
    return found;
  }

  // Every indexed object is in the store with the same size and etag, and the other way round.
  void ExpectConsistent(const std::string &volume = "vol") {
    std::map<std::string, std::pair<uint64_t, std::string>> indexed, stored;
    std::string cursor;
    do {
      auto page = files_->List(volume, "", "", cursor, FileService::kMaxListPage);
      for (const auto &object : page.objects) indexed[object.key] = {object.size, object.etag};
      cursor = page.next_cursor;
    } while (!cursor.empty());
    auto prefix = files_->GetVolume(volume).location;
    do {
      auto page = backend_->List(prefix, "", cursor, 1000);
      for (const auto &object : page.objects) stored[object.key.substr(prefix.size())] = {object.size, object.etag};
      cursor = page.next_cursor;
    } while (!cursor.empty());
    EXPECT_EQ(indexed, stored);
  }

  TempDir dir_;
  std::unique_ptr<MetaStore> meta_;
  std::unique_ptr<FailingCommit> faulty_meta_;
  std::unique_ptr<ObjectStore> backend_;
  std::unique_ptr<FaultyStore> store_;
  std::unique_ptr<FileService> files_;
};

TEST_P(FileServiceTest, VolumesAreCreatedListedUpdatedAndDeleted) {
  EXPECT_ERROR_KIND(files_->CreateVolume("vol", {}, "tester"), ErrorKind::kConflict);
  for (const char *bad : {"", "Upper", "a/b", "..", ".hidden", "-dash", "a b", "x..y"}) {
    SCOPED_TRACE(bad);
    EXPECT_ERROR_KIND(files_->CreateVolume(bad, {}, "tester"), ErrorKind::kInvalidInput);
  }
  VolumeChange fields;
  fields.description = "raw exports";
  fields.tags = StringMap{{"team", "finance"}};
  auto created = files_->CreateVolume("exports", fields, "rita");
  EXPECT_EQ(created.owner, "rita");
  EXPECT_EQ(created.location, "volumes/exports/");
  VolumeChange change;
  change.owner = "sam";
  auto updated = files_->UpdateVolume("exports", change);
  EXPECT_EQ(updated.owner, "sam");
  EXPECT_EQ(updated.description, "raw exports");
  EXPECT_EQ(updated.tags, (StringMap{{"team", "finance"}}));
  auto volumes = files_->ListVolumes();
  ASSERT_EQ(volumes.size(), 2u);
  EXPECT_EQ(volumes[0].name, "exports");

  Put("a/1.txt", "one", "exports");
  EXPECT_ERROR_KIND(files_->DeleteVolume("exports", false), ErrorKind::kConflict);
  files_->DeleteVolume("exports", true);
  EXPECT_ERROR_KIND(files_->GetVolume("exports"), ErrorKind::kNotFound);
  EXPECT_TRUE(backend_->List("volumes/exports/", "", "", 10).objects.empty());
  // The name can be used again, and the new volume starts empty.
  files_->CreateVolume("exports", {}, "rita");
  EXPECT_TRUE(files_->List("exports", "", "", "", 10).objects.empty());
}

TEST_P(FileServiceTest, ObjectsRoundTripWithMetadataTagsAndRanges) {
  auto data = Pattern(100000, 'a');
  PutRequest request;
  request.volume = "vol";
  request.key = "reports/2026/q1 résumé.csv";
  request.metadata = {{"author", "rita"}};
  Digest sha(DigestAlgorithm::kSha256);
  sha.Update(data.data(), data.size());
  request.expected_sha256 = sha.Finish();
  auto put = files_->Put(request, BodyOf(data));
  EXPECT_EQ(put.size, data.size());
  EXPECT_EQ(put.content_type, "text/csv");
  EXPECT_EQ(put.sha256, HexEncode(*request.expected_sha256));

  auto stat = files_->Stat("vol", request.key);
  EXPECT_EQ(stat.etag, put.etag);
  EXPECT_EQ(stat.metadata, request.metadata);
  EXPECT_EQ(ReadAll(request.key), data);
  EXPECT_EQ(ReadAll(request.key, ByteRange{99990, 10}), data.substr(99990));
  // A reader promised one version does not silently get another.
  auto promised = files_->Stat("vol", request.key);
  Put("other.txt", "x");
  auto writer = backend_->Put("volumes/vol/" + request.key);
  writer->Append("changed", 7);
  writer->Commit();
  EXPECT_ERROR_KIND(files_->Read("vol", promised, std::nullopt, [](const char *, size_t) { return true; }),
                    ErrorKind::kConflict);
  files_->Reconcile("vol", false);

  ObjectChange change;
  change.tags = StringMap{{"quarter", "q1"}};
  files_->Update("vol", request.key, change);
  // A new version of the bytes keeps the key's tags but not the old metadata.
  auto replaced = Put(request.key, "new");
  EXPECT_NE(replaced.etag, put.etag);
  EXPECT_EQ(files_->Stat("vol", request.key).tags, (StringMap{{"quarter", "q1"}}));
  EXPECT_TRUE(files_->Stat("vol", request.key).metadata.empty());

  files_->Delete("vol", request.key);
  EXPECT_ERROR_KIND(files_->Stat("vol", request.key), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(files_->Delete("vol", request.key), ErrorKind::kNotFound);
  ExpectConsistent();
}

TEST_P(FileServiceTest, SizedUploadsStoreExactlyTheirSize) {
  auto data = Pattern(3 << 20, 'z');
  EXPECT_EQ(PutSized("sized.bin", data).size, data.size());
  EXPECT_EQ(ReadAll("sized.bin"), data);
  PutRequest request;
  request.volume = "vol";
  request.key = "sized.bin";
  request.size = data.size() + 1;  // the body ends a byte short
  EXPECT_ERROR_KIND(files_->Put(request, BodyOf(data.substr(1))), ErrorKind::kInvalidInput);
  request.size = 2;
  EXPECT_ERROR_KIND(files_->Put(request, BodyOf("three")), ErrorKind::kInvalidInput);
  EXPECT_EQ(ReadAll("sized.bin"), data);
  ExpectConsistent();
}

TEST_P(FileServiceTest, BadKeysAreRefusedBeforeAnythingIsWritten) {
  for (std::string bad : {std::string("../escape"), std::string("a/../../b"), std::string("/abs"), std::string("a//b"),
                          std::string("nul\0byte", 8), std::string(2000, 'k'), std::string("tab\tkey")}) {
    SCOPED_TRACE(bad);
    EXPECT_ERROR_KIND(Put(bad, "x"), ErrorKind::kInvalidInput);
  }
  EXPECT_TRUE(backend_->List("", "", "", 10).objects.empty());
  ExpectConsistent();
}

TEST_P(FileServiceTest, ChecksumMismatchStoresNothingAndKeepsTheOldObject) {
  auto old = Put("data.bin", "old bytes");
  PutRequest request;
  request.volume = "vol";
  request.key = "data.bin";
  request.expected_md5 = std::string(16, 'x');
  EXPECT_ERROR_KIND(files_->Put(request, BodyOf("new bytes")), ErrorKind::kInvalidInput);
  request.key = "fresh.bin";
  EXPECT_ERROR_KIND(files_->Put(request, BodyOf("new bytes")), ErrorKind::kInvalidInput);
  EXPECT_EQ(ReadAll("data.bin"), "old bytes");
  EXPECT_EQ(files_->Stat("vol", "data.bin").etag, old.etag);
  EXPECT_ERROR_KIND(files_->Stat("vol", "fresh.bin"), ErrorKind::kNotFound);
  ExpectConsistent();
}

TEST_P(FileServiceTest, ConditionalUploadsHoldTheirCondition) {
  PutRequest request;
  request.volume = "vol";
  request.key = "once.txt";
  request.create_only = true;
  auto first = files_->Put(request, BodyOf("first"));
  EXPECT_ERROR_KIND(files_->Put(request, BodyOf("second")), ErrorKind::kPrecondition);
  EXPECT_EQ(ReadAll("once.txt"), "first");

  request.create_only = false;
  request.if_match = "not-the-etag";
  EXPECT_ERROR_KIND(files_->Put(request, BodyOf("third")), ErrorKind::kPrecondition);
  request.if_match = first.etag;
  files_->Put(request, BodyOf("third"));
  EXPECT_EQ(ReadAll("once.txt"), "third");

  // A create-only upload whose body is cut off leaves no object and no reservation behind.
  request = PutRequest{};
  request.volume = "vol";
  request.key = "cut.txt";
  request.create_only = true;
  auto cut_off = [](const std::function<void(const char *, size_t)> &sink) {
    sink("partial", 7);
    throw Error(ErrorKind::kInvalidInput, "the request body ended early");
  };
  EXPECT_ERROR_KIND(files_->Put(request, cut_off), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(files_->Stat("vol", "cut.txt"), ErrorKind::kNotFound);
  files_->Put(request, BodyOf("whole"));
  EXPECT_EQ(ReadAll("cut.txt"), "whole");
  ExpectConsistent();
}

TEST_P(FileServiceTest, AStoreFailingAtAnyStepLeavesIndexAndStoreInAgreement) {
  files_->CreateVolume("empty", {}, "tester");
  Put("keep.txt", "kept");
  Put("source.txt", "source");
  struct Step {
    std::string fail_at;
    std::function<void()> operation;
  };
  auto multipart = [this] {
    auto upload = files_->CreateUpload("vol", "big.bin", "", {}, "tester");
    auto part = Pattern(ObjectStore::kMinPartSize, 'm');
    files_->PutPart("vol", upload.upload_id, 1, part.size(), std::nullopt, BodyOf(part));
    files_->PutPart("vol", upload.upload_id, 2, 5, std::nullopt, BodyOf("tail!"));
    files_->CompleteUpload("vol", upload.upload_id, {});
  };
  std::vector<Step> steps = {
      {"put", [this] { Put("keep.txt", "replaced"); }},
      {"append", [this] { Put("keep.txt", std::string(50000, 'r')); }},
      {"commit", [this] { Put("keep.txt", "replaced"); }},
      {"commit", [this] { Put("new.txt", "new"); }},
      {"append", [this] { PutSized("keep.txt", std::string(50000, 's')); }},
      {"commit", [this] { PutSized("keep.txt", "sized"); }},
      {"copy", [this] { files_->Copy("vol", "source.txt", "vol", "copy.txt", false, "tester"); }},
      {"delete", [this] { files_->Copy("vol", "source.txt", "vol", "moved.txt", true, "tester"); }},
      {"delete", [this] { files_->Delete("vol", "keep.txt"); }},
      {"delete", [this] { files_->DeleteVolume("vol", true); }},
      {"create_multipart", multipart},
      {"put_part", multipart},
      {"append", multipart},
      {"complete", multipart},
      {"head", [this] { files_->Delete("vol", "nowhere.txt"); }},
      {"list", [this] { files_->DeleteVolume("empty", false); }},
      {"list", [this] { files_->Reconcile("vol", false); }},
      {"abort", [this] {
         auto upload = files_->CreateUpload("vol", "aborted.bin", "", {}, "tester");
         files_->AbortUpload("vol", upload.upload_id);
       }},
  };
  for (const auto &step : steps) {
    SCOPED_TRACE(step.fail_at);
    store_->fail_at = step.fail_at;
    EXPECT_ERROR_KIND(step.operation(), ErrorKind::kUnavailable);
    store_->fail_at.clear();
    ExpectConsistent();
  }
  EXPECT_EQ(ReadAll("keep.txt"), "kept");
  // Nothing was left half-done: the move's copy exists and so does its source (retry finishes it).
  EXPECT_EQ(ReadAll("source.txt"), "source");
  files_->Copy("vol", "source.txt", "vol", "moved.txt", true, "tester");
  EXPECT_ERROR_KIND(files_->Stat("vol", "source.txt"), ErrorKind::kNotFound);
  EXPECT_EQ(ReadAll("moved.txt"), "source");
  for (const auto &upload : files_->ListUploads("vol")) files_->AbortUpload("vol", upload.upload_id);
  ExpectConsistent();
}

TEST_P(FileServiceTest, AnIndexThatCannotBeWrittenLeavesNoNewObjectAndHealsOnRead) {
  Put("old.txt", "version one");
  // A new key: the stored object is taken back when its index row cannot be written.
  faulty_meta_->armed = true;
  EXPECT_ERROR_KIND(Put("new.txt", "fresh"), ErrorKind::kConflict);
  faulty_meta_->armed = true;
  EXPECT_ERROR_KIND(files_->Copy("vol", "old.txt", "vol", "copied.txt", false, "tester"), ErrorKind::kConflict);
  auto upload = files_->CreateUpload("vol", "parts.bin", "", {}, "tester");
  files_->PutPart("vol", upload.upload_id, 1, 5, std::nullopt, BodyOf("parts"));
  faulty_meta_->armed = true;
  EXPECT_ERROR_KIND(files_->CompleteUpload("vol", upload.upload_id, {}), ErrorKind::kConflict);
  files_->AbortUpload("vol", upload.upload_id);
  ExpectConsistent();
  EXPECT_ERROR_KIND(files_->Stat("vol", "new.txt"), ErrorKind::kNotFound);

  // A replaced key keeps the new bytes (the old ones are gone); the first read is refused as the
  // version the index promised, and teaches the index the stored one.
  faulty_meta_->armed = true;
  EXPECT_ERROR_KIND(Put("old.txt", "version two!"), ErrorKind::kConflict);
  EXPECT_ERROR_KIND(ReadAll("old.txt"), ErrorKind::kConflict);
  EXPECT_EQ(ReadAll("old.txt"), "version two!");
  EXPECT_EQ(files_->Stat("vol", "old.txt").size, 12u);
  ExpectConsistent();
}

TEST_P(FileServiceTest, ListingsPageThroughFoldersInByteOrder) {
  std::set<std::string> keys;
  for (int folder = 0; folder < 3; folder++) {
    for (int i = 0; i < 40; i++) keys.insert(fmt::format("logs/day{}/part-{:03}.log", folder, i));
  }
  for (int i = 0; i < 25; i++) keys.insert(fmt::format("logs/top-{:02}.log", i));
  keys.insert("logs/Zeta.log");
  keys.insert("logs/ünïcode.log");
  keys.insert("other.txt");
  for (const auto &key : keys) Put(key, key);

  // Without a delimiter: every key under the prefix, across pages of 7.
  std::vector<std::string> seen;
  std::string cursor;
  do {
    auto page = files_->List("vol", "logs/", "", cursor, 7);
    EXPECT_LE(page.objects.size(), 7u);
    for (const auto &object : page.objects) seen.push_back(object.key);
    cursor = page.next_cursor;
  } while (!cursor.empty());
  std::vector<std::string> expected;
  for (const auto &key : keys) {
    if (key.rfind("logs/", 0) == 0) expected.push_back(key);
  }
  EXPECT_EQ(seen, expected);

  // With one: three folders and the top-level files, in byte order, across pages of 4.
  std::vector<std::string> entries;
  do {
    auto page = files_->List("vol", "logs/", "/", cursor, 4);
    EXPECT_LE(page.objects.size() + page.folders.size(), 4u);
    for (const auto &folder : page.folders) entries.push_back(folder);
    for (const auto &object : page.objects) entries.push_back(object.key);
    cursor = page.next_cursor;
  } while (!cursor.empty());
  std::sort(entries.begin(), entries.end());
  std::vector<std::string> expected_entries = {"logs/Zeta.log", "logs/day0/", "logs/day1/", "logs/day2/"};
  for (int i = 0; i < 25; i++) expected_entries.push_back(fmt::format("logs/top-{:02}.log", i));
  expected_entries.push_back("logs/ünïcode.log");
  std::sort(expected_entries.begin(), expected_entries.end());
  EXPECT_EQ(entries, expected_entries);

  // Tags come with the listing (read for the whole page at once).
  ObjectChange change;
  change.tags = StringMap{{"keep", "yes"}};
  files_->Update("vol", "logs/top-03.log", change);
  auto tagged = files_->List("vol", "logs/top-0", "", "", 5).objects;
  ASSERT_EQ(tagged.size(), 5u);
  for (const auto &object : tagged) {
    EXPECT_EQ(object.tags, object.key == "logs/top-03.log" ? *change.tags : StringMap{}) << object.key;
  }

  EXPECT_ERROR_KIND(files_->List("vol", "", "/", "not a cursor!", 10), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(files_->List("vol", "", "é", "", 10), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(files_->List("vol", "", "", "", 0), ErrorKind::kInvalidInput);
}

TEST_P(FileServiceTest, MultipartUploadsAssembleTheirParts) {
  auto upload = files_->CreateUpload("vol", "video/clip.mp4", "", {{"camera", "a"}}, "tester");
  EXPECT_EQ(upload.content_type, "video/mp4");
  auto first = Pattern(ObjectStore::kMinPartSize, 'p');
  auto second = Pattern(1234, 'q');
  // Parts may arrive out of order.
  auto part2 = files_->PutPart("vol", upload.upload_id, 2, second.size(), std::nullopt, BodyOf(second));
  auto part1 = files_->PutPart("vol", upload.upload_id, 1, first.size(), std::nullopt, BodyOf(first));
  auto parts = files_->ListParts("vol", upload.upload_id);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].etag, part1.etag);
  EXPECT_EQ(parts[1].size, second.size());
  EXPECT_ERROR_KIND(files_->Stat("vol", "video/clip.mp4"), ErrorKind::kNotFound);
  auto object = files_->CompleteUpload("vol", upload.upload_id, {part1, part2});
  EXPECT_EQ(object.size, first.size() + second.size());
  EXPECT_EQ(object.metadata, (StringMap{{"camera", "a"}}));
  EXPECT_EQ(ReadAll("video/clip.mp4"), first + second);
  EXPECT_ERROR_KIND(files_->ListParts("vol", upload.upload_id), ErrorKind::kNotFound);

  auto aborted = files_->CreateUpload("vol", "gone.bin", "", {}, "tester");
  files_->PutPart("vol", aborted.upload_id, 1, 3, std::nullopt, BodyOf("abc"));
  files_->AbortUpload("vol", aborted.upload_id);
  EXPECT_TRUE(files_->ListUploads("vol").empty());
  EXPECT_ERROR_KIND(files_->Stat("vol", "gone.bin"), ErrorKind::kNotFound);
  EXPECT_ERROR_KIND(files_->PutPart("vol", "0123456789abcdef0123456789abcdef", 1, 1, std::nullopt, BodyOf("x")),
                    ErrorKind::kNotFound);
  ExpectConsistent();
}

TEST_P(FileServiceTest, ReconcilePicksUpWhatOthersChangedInTheStore) {
  Put("indexed.txt", "indexed");
  Put("changed.txt", "before");
  Put("removed.txt", "removed");
  auto write = [this](const std::string &key, const std::string &data) {
    auto writer = backend_->Put("volumes/vol/" + key);
    writer->Append(data.data(), data.size());
    writer->Commit();
  };
  write("outside.txt", "written by another tool");
  write("changed.txt", "after, and longer");
  backend_->Delete("volumes/vol/removed.txt");

  auto dry = files_->Reconcile("vol", true);
  EXPECT_EQ(dry.added, 1);
  EXPECT_EQ(dry.updated, 1);
  EXPECT_EQ(dry.removed, 1);
  auto report = files_->Reconcile("vol", false);
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(report.removed, 1);
  EXPECT_EQ(report.unchanged, 1);
  ExpectConsistent();
  EXPECT_EQ(files_->Stat("vol", "outside.txt").content_type, "text/plain");
  auto again = files_->Reconcile("vol", false);
  EXPECT_EQ(again.added + again.updated + again.removed, 0);
  EXPECT_EQ(again.unchanged, 3);
}

TEST_P(FileServiceTest, SearchFindsKeysMetadataAndTagsLiterally) {
  PutRequest request;
  request.volume = "vol";
  request.key = "invoices/march.pdf";
  request.metadata = {{"customer", "ACME Corp"}};
  files_->Put(request, BodyOf("%PDF"));
  Put("notes/100%_done.txt", "x");
  ObjectChange change;
  change.tags = StringMap{{"status", "paid"}};
  files_->Update("vol", "invoices/march.pdf", change);

  auto keys = [this](const std::string &text) {
    ObjectSearch search;
    search.text = text;
    return Keys(search);
  };
  EXPECT_EQ(keys("acme"), std::vector<std::string>{"invoices/march.pdf"});
  EXPECT_EQ(keys("MARCH"), std::vector<std::string>{"invoices/march.pdf"});
  EXPECT_EQ(keys("paid"), std::vector<std::string>{"invoices/march.pdf"});
  EXPECT_EQ(keys("100%"), std::vector<std::string>{"notes/100%_done.txt"});
  EXPECT_EQ(keys("%").size(), 1u);
  ObjectSearch by_tag;
  by_tag.tag = std::make_pair(std::string("status"), std::optional<std::string>("paid"));
  EXPECT_EQ(Keys(by_tag), std::vector<std::string>{"invoices/march.pdf"});
  by_tag.tag->second = "open";
  EXPECT_TRUE(Keys(by_tag).empty());
  ObjectSearch paged;
  paged.limit = 1;
  auto first = files_->Search(paged);
  ASSERT_EQ(first.size(), 1u);
  paged.after = "vol/" + first[0].object.key;
  auto second = files_->Search(paged);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].object.key, first[0].object.key);
}

TEST_P(FileServiceTest, PresignedUrlsAreSignedForOneMethodAndKey) {
  Put("shared.txt", "shared");
  auto presigned =
      files_->Presign("vol", "shared.txt", "GET", std::chrono::seconds(60), "http://lake:8080", "", "tok1");
  EXPECT_ERROR_KIND(files_->Presign("vol", "shared.txt", "DELETE", std::chrono::seconds(60), "http://x", "", ""),
                    ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(files_->Presign("vol", "shared.txt", "GET", std::chrono::seconds(0), "http://x", "", ""),
                    ErrorKind::kInvalidInput);
  if (GetParam().store.name != "local") {
    EXPECT_EQ(presigned.url.find("http://lake:8080"), std::string::npos) << "S3 URLs point at the store";
    return;
  }
  ASSERT_EQ(presigned.url.rfind("http://lake:8080/api/v1/volumes/vol/objects/shared.txt?", 0), 0u) << presigned.url;
  auto param = [&presigned](const std::string &name) {
    auto at = presigned.url.find(name + "=");
    auto end = presigned.url.find('&', at);
    return presigned.url.substr(at + name.size() + 1, end == std::string::npos ? std::string::npos : end - at - name.size() - 1);
  };
  auto expires = param("X-DuckLake-Expires");
  auto signature = param("X-DuckLake-Signature");
  EXPECT_EQ(param("X-DuckLake-Signer"), "tok1");
  files_->VerifyPresigned("vol", "shared.txt", "GET", expires, "tok1", signature);
  files_->VerifyPresigned("vol", "shared.txt", "HEAD", expires, "tok1", signature);
  EXPECT_ERROR_KIND(files_->VerifyPresigned("vol", "shared.txt", "PUT", expires, "tok1", signature), ErrorKind::kForbidden);
  EXPECT_ERROR_KIND(files_->VerifyPresigned("vol", "other.txt", "GET", expires, "tok1", signature), ErrorKind::kForbidden);
  EXPECT_ERROR_KIND(files_->VerifyPresigned("vol", "shared.txt", "GET", std::to_string(std::stoll(expires) + 1), "tok1",
                                            signature),
                    ErrorKind::kForbidden);
  // The signer is signed too: the URL cannot be passed off as someone else's.
  EXPECT_ERROR_KIND(files_->VerifyPresigned("vol", "shared.txt", "GET", expires, "tok2", signature), ErrorKind::kForbidden);
  auto tampered = signature;
  tampered[0] = tampered[0] == 'a' ? 'b' : 'a';
  EXPECT_ERROR_KIND(files_->VerifyPresigned("vol", "shared.txt", "GET", expires, "tok1", tampered), ErrorKind::kForbidden);
  // Another FileService on the same lake (another replica) accepts the same URL.
  FileService replica(*meta_, *store_);
  replica.VerifyPresigned("vol", "shared.txt", "GET", expires, "tok1", signature);
}

TEST_P(FileServiceTest, AVolumeCanHaveABucketOfItsOwn) {
  VolumeChange fields;
  fields.bucket = "ducklake-unit-" + RandomHex(6);
  if (GetParam().store.name == "local") {
    // No S3 service to make a bucket on.
    EXPECT_ERROR_KIND(files_->CreateVolume("own", fields, "tester"), ErrorKind::kInvalidInput);
    EXPECT_ERROR_KIND(files_->GetVolume("own"), ErrorKind::kNotFound);
    return;
  }
  BucketStores buckets(testing::TestS3Options(""));
  FileService files(*meta_, *store_, &buckets);
  VolumeChange bad;
  bad.bucket = "Not_A_Bucket";
  EXPECT_ERROR_KIND(files.CreateVolume("bad", bad, "tester"), ErrorKind::kInvalidInput);
  auto volume = files.CreateVolume("own", fields, "tester");
  EXPECT_EQ(volume.location, "");
  EXPECT_ERROR_KIND(files.CreateVolume("twin", fields, "tester"), ErrorKind::kConflict);

  PutRequest request;
  request.volume = "own";
  request.key = "a/b.txt";
  files.Put(request, BodyOf("in its own bucket"));
  // At the bucket's root, not under the lake's prefix.
  EXPECT_EQ(buckets.Open(*fields.bucket).Head("a/b.txt").size, 17u);
  Put("lake.txt", "from the lake's store");
  auto copied = files.Copy("vol", "lake.txt", "own", "copied.txt", false, "tester");
  EXPECT_EQ(copied.size, 21u);
  files.Copy("own", "a/b.txt", "vol", "back.txt", true, "tester");
  EXPECT_EQ(ReadAll("back.txt"), "in its own bucket");
  auto presigned = files.Presign("own", "copied.txt", "GET", std::chrono::seconds(60), "http://unused", "", "");
  EXPECT_NE(presigned.url.find(*fields.bucket), std::string::npos);
  auto listing = files.List("own", "", "", "", 10);
  ASSERT_EQ(listing.objects.size(), 1u);
  EXPECT_EQ(listing.objects[0].key, "copied.txt");
  EXPECT_EQ(files.Reconcile("own", false).unchanged, 1);
  files.DeleteVolume("own", true);
  EXPECT_TRUE(buckets.Open(*fields.bucket).List("", "", "", 10).objects.empty());
  ExpectConsistent();
}

INSTANTIATE_TEST_SUITE_P(Backends, FileServiceTest, ::testing::ValuesIn(BackendPairs()),
                         [](const ::testing::TestParamInfo<BackendPair> &info) {
                           return info.param.meta.name + "_" + info.param.store.name;
                         });

}  // namespace
}  // namespace ducklake
