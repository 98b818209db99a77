#pragma once
// ObjectStore: the flat key/value byte store under both table data (warehouse/...) and files
// (volumes/...). Keys are validated by ValidateKey before they reach any backend. Implementations
// are thread-safe; an ObjectWriter belongs to one thread. Writes are atomic: an object appears
// whole at Commit() or not at all. Failures throw ducklake::Error: kNotFound for a missing key,
// kInvalidInput for a bad key or range, kUnavailable when the backend cannot be reached.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ducklake {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;            // changes whenever the content changes
  int64_t modified_unix_ms = 0;
};

// Bytes [offset, offset + length) of an object; no length means to the end.
struct ByteRange {
  uint64_t offset = 0;
  std::optional<uint64_t> length;
};

// Receives a streamed object; returning false stops the transfer (the consumer went away).
using ByteSink = std::function<bool(const char *data, size_t size)>;

// One uploaded part of a multipart upload.
struct PartInfo {
  int number = 0;  // 1..kMaxPartNumber
  std::string etag;
  uint64_t size = 0;
};

// Where an object physically is, named as OpenLineage names datasets: "s3://<bucket>" and the
// object's full key, or "file" and its absolute path.
struct ObjectLocation {
  std::string ns;
  std::string name;
};

// Response headers a presigned GET should carry (empty: the backend's default).
struct PresignOptions {
  std::string content_type;
  std::string content_disposition;
};

class ObjectWriter {
 public:
  // Destroying a writer that was not committed aborts it: nothing becomes visible.
  virtual ~ObjectWriter() = default;
  virtual void Append(const char *data, size_t size) = 0;
  virtual ObjectInfo Commit() = 0;
};

// Reads one object, or a range of it, piece by piece in order. Belongs to one thread; destroying
// it early stops the transfer.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  // The next bytes, valid until the next call; empty at the end. Failures throw as Get's do.
  virtual std::string_view Next() = 0;
  // The object's info (as Get returns it): complete once Next() has returned empty.
  virtual ObjectInfo Info() = 0;
};

struct ListPage {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;  // "folders" when a delimiter was given
  std::string next_cursor;                    // empty on the last page
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  virtual std::unique_ptr<ObjectWriter> Put(const std::string &key) = 0;
  // Put for an object whose size is known before its first byte, so a backend may stream it in
  // one request (S3: a single PUT instead of a multipart upload). Appending a different number
  // of bytes is kInvalidInput at Commit, and nothing becomes visible.
  virtual std::unique_ptr<ObjectWriter> PutSized(const std::string &key, uint64_t size);
  // Streams the object (or a range of it) to `sink`. Returns the object's info.
  virtual ObjectInfo Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) = 0;
  // The same bytes, pulled by the caller. A missing object or an unreachable backend throws here,
  // before any byte. The default runs Get on a thread of its own and waits for its first bytes.
  virtual std::unique_ptr<ObjectReader> Open(const std::string &key, std::optional<ByteRange> range);
  virtual ObjectInfo Head(const std::string &key) = 0;
  // Keys in byte order after `cursor`, at most `limit` entries (objects plus prefixes).
  virtual ListPage List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                        size_t limit) = 0;
  // Deleting a missing key is not an error.
  virtual void Delete(const std::string &key) = 0;
  // Deletes every key, in as few requests as the backend allows; missing keys are not an error.
  virtual void DeleteMany(const std::vector<std::string> &keys) = 0;
  virtual ObjectInfo Copy(const std::string &from_key, const std::string &to_key) = 0;
  // Cheap round trip for readiness checks; throws kUnavailable when the backend is unreachable.
  virtual void Ping() = 0;

  // Multipart uploads, for objects sent in parts (possibly in parallel, possibly resumed later).
  // Every part but the last must be at least kMinPartSize bytes (checked at completion,
  // kInvalidInput). An unknown upload id is kNotFound. Nothing is visible at `key` until
  // CompleteMultipart, which is atomic like ObjectWriter::Commit.
  static constexpr uint64_t kMinPartSize = 5 << 20;
  static constexpr int kMaxPartNumber = 10000;
  // Returns the new upload's id.
  virtual std::string CreateMultipart(const std::string &key) = 0;
  // Streams part `part_number` of exactly `size` bytes (a different count is kInvalidInput at
  // Commit, whose ObjectInfo carries the part's etag and size). Re-sending a part replaces it.
  virtual std::unique_ptr<ObjectWriter> PutPart(const std::string &key, const std::string &upload_id,
                                                int part_number, uint64_t size) = 0;
  // The parts uploaded so far, by number.
  virtual std::vector<PartInfo> ListParts(const std::string &key, const std::string &upload_id) = 0;
  // Joins `parts` (ascending numbers, each with the etag PutPart returned; a wrong etag or a
  // missing part is kInvalidInput) into the object and ends the upload.
  virtual ObjectInfo CompleteMultipart(const std::string &key, const std::string &upload_id,
                                       const std::vector<PartInfo> &parts) = 0;
  // Ends the upload and deletes its parts; aborting an unknown upload is not an error.
  virtual void AbortMultipart(const std::string &key, const std::string &upload_id) = 0;

  // A URL with which anyone can `method` ("GET" or "PUT") `key` without credentials until
  // `expires_in` has passed; nullopt when the backend has no URLs of its own (local storage).
  virtual std::optional<std::string> PresignUrl(const std::string &method, const std::string &key,
                                                std::chrono::seconds expires_in, const PresignOptions &options) = 0;

  // Where `key` lives (it need not exist); no request is made.
  virtual ObjectLocation Location(const std::string &key) const = 0;
};

// Throws kInvalidInput unless `key` is a safe relative key: 1..1024 bytes of valid UTF-8, no
// leading '/', no empty, '.' or '..' segments (a trailing '/', a folder marker, is allowed), no
// control characters or backslashes.
void ValidateKey(const std::string &key);

// Opens the store named by `url`: "file://<directory>" (embedded) or "s3://bucket/prefix"
// (configured as S3OptionsFromUrl says). Throws kInvalidInput on an unknown scheme.
std::unique_ptr<ObjectStore> OpenObjectStore(const std::string &url);

// Forwards every call to another ObjectStore, so a test can override one method to inject faults.
class ObjectStoreWrapper : public ObjectStore {
 public:
  explicit ObjectStoreWrapper(ObjectStore &target) : target_(target) {}
  std::unique_ptr<ObjectWriter> Put(const std::string &key) override { return target_.Put(key); }
  std::unique_ptr<ObjectWriter> PutSized(const std::string &key, uint64_t size) override {
    return target_.PutSized(key, size);
  }
  ObjectInfo Get(const std::string &key, std::optional<ByteRange> range, const ByteSink &sink) override {
    return target_.Get(key, range, sink);
  }
  std::unique_ptr<ObjectReader> Open(const std::string &key, std::optional<ByteRange> range) override {
    return target_.Open(key, range);
  }
  ObjectInfo Head(const std::string &key) override { return target_.Head(key); }
  ListPage List(const std::string &prefix, const std::string &delimiter, const std::string &cursor,
                size_t limit) override {
    return target_.List(prefix, delimiter, cursor, limit);
  }
  void Delete(const std::string &key) override { target_.Delete(key); }
  void DeleteMany(const std::vector<std::string> &keys) override { target_.DeleteMany(keys); }
  ObjectInfo Copy(const std::string &from_key, const std::string &to_key) override {
    return target_.Copy(from_key, to_key);
  }
  void Ping() override { target_.Ping(); }
  std::string CreateMultipart(const std::string &key) override { return target_.CreateMultipart(key); }
  std::unique_ptr<ObjectWriter> PutPart(const std::string &key, const std::string &upload_id, int part_number,
                                        uint64_t size) override {
    return target_.PutPart(key, upload_id, part_number, size);
  }
  std::vector<PartInfo> ListParts(const std::string &key, const std::string &upload_id) override {
    return target_.ListParts(key, upload_id);
  }
  ObjectInfo CompleteMultipart(const std::string &key, const std::string &upload_id,
                               const std::vector<PartInfo> &parts) override {
    return target_.CompleteMultipart(key, upload_id, parts);
  }
  void AbortMultipart(const std::string &key, const std::string &upload_id) override {
    target_.AbortMultipart(key, upload_id);
  }
  std::optional<std::string> PresignUrl(const std::string &method, const std::string &key,
                                        std::chrono::seconds expires_in, const PresignOptions &options) override {
    return target_.PresignUrl(method, key, expires_in, options);
  }
  ObjectLocation Location(const std::string &key) const override { return target_.Location(key); }

 private:
  ObjectStore &target_;
};

}  // namespace ducklake
