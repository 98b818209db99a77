#pragma once
// FileService: volumes of unstructured objects on the lake's object store, and the index of those
// objects in the metadata database (key, size, etag, content type, metadata, tags, who and when).
// Every write goes to the store first and to the index after, so a failure leaves the old object
// and its row, or the new object and its row; `Reconcile` repairs what others (or a lost metadata
// connection) changed behind the index. Thread-safe. Errors are ducklake::Error: kInvalidInput for
// bad keys, names and fields, kNotFound, kConflict (non-empty volume, existing name),
// kPrecondition (If-None-Match / If-Match), kTooLarge, kUnavailable when a backend is down.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "meta/meta_store.hpp"
#include "storage/bucket_stores.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

using StringMap = std::map<std::string, std::string>;

struct VolumeInfo {
  int64_t id = 0;
  std::string name;
  std::string bucket;    // its own bucket (S3 storage only); empty: the lake's store
  std::string location;  // the prefix of its objects in that store: "volumes/<name>/", or "" in its own bucket
  std::string description;
  std::string owner;
  StringMap tags;
  uint64_t max_object_bytes = 0;  // the largest object it takes; 0: the server's limit
  std::string created_by;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

struct VolumeUsage {
  int64_t object_count = 0;
  int64_t size_bytes = 0;
  int64_t open_uploads = 0;  // multipart uploads neither completed nor aborted
};

struct VolumeChange {
  std::optional<std::string> bucket;  // at creation only
  std::optional<std::string> description;
  std::optional<std::string> owner;
  std::optional<StringMap> tags;  // replaces all tags
  std::optional<uint64_t> max_object_bytes;  // 0: back to the server's limit
};

struct ObjectRecord {
  std::string key;  // within the volume
  uint64_t size = 0;
  std::string etag;  // the store's, unquoted
  std::string content_type;
  StringMap metadata;  // user metadata (x-ducklake-meta-* headers), names in lower case
  StringMap tags;
  std::optional<std::string> sha256;  // hex, when it was computed on upload
  std::string created_by;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  std::optional<std::string> source;  // JSON: what produced the object, when DuckLake did
};

struct ObjectChange {
  std::optional<std::string> content_type;
  std::optional<StringMap> metadata;  // replaces all metadata
  std::optional<StringMap> tags;      // replaces all tags
};

// Pushes a request body into `sink` (in pieces, as it arrives); throws if the body is cut off.
using BodySource = std::function<void(const std::function<void(const char *, size_t)> &sink)>;

struct PutRequest {
  std::string volume;
  std::string key;
  std::string content_type;  // empty: guessed from the key
  std::optional<uint64_t> size;  // when known up front (Content-Length): stored in one stream
  StringMap metadata;
  std::optional<std::string> expected_md5;     // raw digest the body must have
  std::optional<std::string> expected_sha256;  // raw digest the body must have
  bool create_only = false;                    // If-None-Match: *
  std::optional<std::string> if_match;         // the current etag must be this ("*": any)
  std::string created_by;
  std::optional<std::string> source;
  // Runs in the metadata transaction that indexes the new object (e.g. to keep its lineage with it).
  std::function<void(MetaTransaction &, const ObjectRecord &)> in_index_transaction;
};

struct ObjectListing {
  std::vector<ObjectRecord> objects;
  std::vector<std::string> folders;  // keys up to and including the delimiter, when one was given
  std::string next_cursor;           // empty on the last page
};

struct UploadInfo {
  std::string upload_id;
  std::string volume;
  std::string key;
  std::string content_type;
  StringMap metadata;
  std::string created_by;
  int64_t created_ms = 0;
};

struct ReconcileReport {
  int64_t added = 0;    // in the store, not in the index
  int64_t updated = 0;  // in both, with a different etag or size
  int64_t removed = 0;  // in the index, no longer in the store
  int64_t unchanged = 0;
  int64_t stale_reservations = 0;  // create-only uploads abandoned by a crash
};

struct PresignedUrl {
  std::string url;
  std::string method;
  int64_t expires_ms = 0;
};

struct ObjectSearch {
  std::string text;                   // matched case-insensitively in keys and metadata/tag values
  std::optional<std::string> volume;  // only this volume
  std::optional<std::pair<std::string, std::optional<std::string>>> tag;  // name [= value]
  std::string after;                  // cursor: "<volume>/<key>" of the last result
  size_t limit = 100;
};

struct ObjectHit {
  std::string volume;
  ObjectRecord object;
};

class FileService {
 public:
  // created_by of objects found in the store rather than written through DuckLake.
  static constexpr const char *kWrittenOutside = "(outside DuckLake)";
  static constexpr size_t kMaxMetadataBytes = 8192;  // names plus values, per object
  static constexpr size_t kMaxTags = 50;
  static constexpr size_t kMaxListPage = 1000;
  static constexpr int64_t kMaxPresignSeconds = 7 * 86400;  // what S3 allows a presigned URL
  static constexpr size_t kStorePage = 1000;  // keys per store listing request (reconcile, deletes)
  // Create-only uploads reserve their key this long; a crashed upload's reservation then lapses.
  static constexpr int64_t kReservationMs = 6 * 3600 * 1000;

  // `buckets` (may be null) opens the stores of volumes that have a bucket of their own. No object
  // is ever larger than `max_object_bytes` (kTooLarge), nor than its volume's own limit.
  FileService(MetaStore &meta, ObjectStore &store, BucketStores *buckets = nullptr,
              uint64_t max_object_bytes = UINT64_MAX)
      : meta_(meta), store_(store), buckets_(buckets), max_object_bytes_(max_object_bytes) {}

  // --- volumes
  VolumeInfo CreateVolume(const std::string &name, const VolumeChange &fields, const std::string &created_by);
  std::vector<VolumeInfo> ListVolumes();
  VolumeInfo GetVolume(const std::string &name);
  // What the index holds for the volume.
  VolumeUsage Usage(const std::string &name);
  VolumeInfo UpdateVolume(const std::string &name, const VolumeChange &change);
  // A volume with objects is kConflict unless `force`, which deletes them (store first, page by
  // page, then their rows), so an interrupted deletion can be retried.
  // After it, the listener set by OnVolumeDeleted runs with the name.
  void DeleteVolume(const std::string &name, bool force);
  // What else goes with a deleted volume (the assembly revokes its grants). Set before serving.
  void OnVolumeDeleted(std::function<void(const std::string &name)> listener) { on_volume_deleted_ = std::move(listener); }

  // The object-store key of `key` in `volume` (validated), the store it is in, and its engine path.
  std::string StoreKey(const VolumeInfo &volume, const std::string &key) const;
  ObjectStore &StoreOf(const VolumeInfo &volume);
  std::string EnginePath(const VolumeInfo &volume, const std::string &key) const;

  // --- objects
  ObjectRecord Put(const PutRequest &request, const BodySource &body);
  // The index row; an object the index does not know but the store has is indexed on the way.
  ObjectRecord Stat(const std::string &volume, const std::string &key);
  // Streams bytes of `object` (from Stat). kConflict at the end when the stored object is no
  // longer that version (the caller then cuts the transfer short rather than pass it off as whole);
  // the index then learns the stored version, so the next read is whole.
  void Read(const std::string &volume, const ObjectRecord &object, std::optional<ByteRange> range,
            const ByteSink &sink);
  // Read, pulled by the caller (errors reaching the object throw here, before any byte).
  std::unique_ptr<ObjectReader> Open(const std::string &volume, const ObjectRecord &object,
                                     std::optional<ByteRange> range);
  void Delete(const std::string &volume, const std::string &key);
  // Server-side copy; with `move` the source is deleted once the copy is indexed (in a transaction
  // that also runs `in_index_transaction`, when given).
  ObjectRecord Copy(const std::string &volume, const std::string &key, const std::string &to_volume,
                    const std::string &to_key, bool move, const std::string &created_by,
                    const std::function<void(MetaTransaction &, const ObjectRecord &)> &in_index_transaction = {});
  // Where an object of a volume physically is (for lineage); the key is validated, nothing is read.
  ObjectLocation Location(const std::string &volume, const std::string &key);
  ObjectRecord Update(const std::string &volume, const std::string &key, const ObjectChange &change);
  // Objects (and folders, with a delimiter) with keys starting with `prefix`, in byte order,
  // resuming at `cursor` (from a previous page).
  ObjectListing List(const std::string &volume, const std::string &prefix, const std::string &delimiter,
                     const std::string &cursor, size_t limit);
  ReconcileReport Reconcile(const std::string &volume, bool dry_run);
  std::vector<ObjectHit> Search(const ObjectSearch &search);

  // --- multipart uploads
  UploadInfo CreateUpload(const std::string &volume, const std::string &key, const std::string &content_type,
                          const StringMap &metadata, const std::string &created_by);
  std::vector<UploadInfo> ListUploads(const std::string &volume);
  UploadInfo GetUpload(const std::string &volume, const std::string &upload_id);
  PartInfo PutPart(const std::string &volume, const std::string &upload_id, int part_number, uint64_t size,
                   const std::optional<std::string> &expected_md5, const BodySource &body);
  std::vector<PartInfo> ListParts(const std::string &volume, const std::string &upload_id);
  // `parts` empty: every uploaded part, in order. With `expected_sha256` (raw digest) the joined
  // object is read back and hashed: when it matches, it is kept as the object's `sha256`; when not,
  // the joined object is deleted (and unindexed) and kInvalidInput is thrown. The parts, checked
  // one by one with Content-MD5 as they arrive, cannot say what they make together.
  ObjectRecord CompleteUpload(const std::string &volume, const std::string &upload_id, std::vector<PartInfo> parts,
                              const std::optional<std::string> &expected_sha256 = std::nullopt);
  void AbortUpload(const std::string &volume, const std::string &upload_id);

  // --- presigned URLs
  // The store's own URL when it has one (S3), else a DuckLake URL under `base_url` signed with the
  // lake's key for `signer` (the creator's token id, "" without authentication), which the URL
  // names. `method` is GET or PUT.
  PresignedUrl Presign(const std::string &volume, const std::string &key, const std::string &method,
                       std::chrono::seconds expires_in, const std::string &base_url,
                       const std::string &content_disposition, const std::string &signer);
  // Checks a DuckLake-signed request; kForbidden when the signature is wrong or has expired.
  void VerifyPresigned(const std::string &volume, const std::string &key, const std::string &method,
                       const std::string &expires, const std::string &signer, const std::string &signature);

 private:
  VolumeInfo LoadVolume(MetaTransaction &txn, const std::string &name);
  std::optional<ObjectRecord> LoadObject(MetaTransaction &txn, int64_t volume_id, const std::string &key);
  void SaveObject(MetaTransaction &txn, int64_t volume_id, const ObjectRecord &record);
  void DeleteObjectRow(MetaTransaction &txn, int64_t volume_id, const std::string &key);
  // Records `record` (keeping the object's tags and creation) and drops `reservation`; `also` runs in
  // the same metadata transaction, given the record as indexed.
  ObjectRecord Index(const VolumeInfo &volume, ObjectRecord record, const std::optional<std::string> &reservation,
                     const std::function<void(MetaTransaction &, const ObjectRecord &)> &also = nullptr);
  // Index for an object just committed to the store. If indexing fails, an object that is new at
  // its key is deleted again, so a failed write leaves neither (a replaced one cannot be restored:
  // reads find the index stale and repair it, as does Reconcile).
  ObjectRecord IndexNew(const VolumeInfo &volume, ObjectRecord record, bool existed,
                        const std::optional<std::string> &reservation,
                        const std::function<void(MetaTransaction &, const ObjectRecord &)> &also = nullptr);
  bool Indexed(int64_t volume_id, const std::string &key);
  // Throws kConflict for a read of `object` that found another version stored, after teaching the
  // index that version.
  [[noreturn]] void RefuseStale(const VolumeInfo &volume, const ObjectRecord &object);
  void ReleaseReservation(int64_t volume_id, const std::string &key, const std::string &token);
  std::string SigningKey();
  std::string Signature(const std::string &volume, const std::string &key, const std::string &method,
                        int64_t expires_s, const std::string &signer);

  // The largest object `volume` takes.
  uint64_t ObjectLimit(const VolumeInfo &volume) const;

  MetaStore &meta_;
  ObjectStore &store_;
  BucketStores *buckets_;
  uint64_t max_object_bytes_;
  std::function<void(const std::string &name)> on_volume_deleted_;
  std::mutex signing_key_mutex_;
  std::string signing_key_;
};

}  // namespace ducklake
