#include "files/file_service.hpp"

#include <nlohmann/json.hpp>

#include "common/digest.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"
#include "files/object_rows.hpp"
#include "files/preview.hpp"
#include "engine/file_reader.hpp"

namespace ducklake {
namespace {

constexpr size_t kMaxVolumeName = 63;
constexpr size_t kMaxFieldBytes = 4096;
constexpr const char *kVolumeColumns =
    "volume_id, name, bucket, location, description, owner, tags, created_by, created_ms, updated_ms, "
    "max_object_bytes";

void ValidateVolumeName(const std::string &name) {
  bool valid = !name.empty() && name.size() <= kMaxVolumeName && std::isalnum(static_cast<unsigned char>(name.front()));
  for (unsigned char c : name) {
    valid = valid && (std::islower(c) || std::isdigit(c) || c == '-' || c == '_' || c == '.');
  }
  if (!valid || name.find("..") != std::string::npos) {
    throw MakeError(ErrorKind::kInvalidInput,
                    "volume name must be 1 to {} characters of a-z, 0-9, '-', '_' and '.', starting with a letter "
                    "or digit",
                    kMaxVolumeName);
  }
}

void ValidateText(const std::string &text, const char *what) {
  if (text.size() > kMaxFieldBytes) {
    throw MakeError(ErrorKind::kInvalidInput, "{} is longer than {} bytes", what, kMaxFieldBytes);
  }
  // JSON serialisation and PostgreSQL both need valid UTF-8; refuse rather than mangle.
  try {
    (void)nlohmann::json(text).dump();
  } catch (const nlohmann::json::type_error &) {
    throw MakeError(ErrorKind::kInvalidInput, "{} is not valid UTF-8", what);
  }
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\t') throw MakeError(ErrorKind::kInvalidInput, "{} contains a control character", what);
  }
}

void ValidateTags(const StringMap &tags) {
  if (tags.size() > FileService::kMaxTags) {
    throw MakeError(ErrorKind::kInvalidInput, "at most {} tags are allowed", FileService::kMaxTags);
  }
  for (const auto &[name, value] : tags) {
    if (name.empty()) throw Error(ErrorKind::kInvalidInput, "a tag name is empty");
    ValidateText(name, "a tag name");
    ValidateText(value, "a tag value");
  }
}

void ValidateMetadata(const StringMap &metadata) {
  size_t total = 0;
  for (const auto &[name, value] : metadata) {
    bool token = !name.empty();
    for (unsigned char c : name) token = token && (std::isalnum(c) || c == '-' || c == '_' || c == '.');
    if (!token) {
      throw MakeError(ErrorKind::kInvalidInput, "metadata name '{}' must be letters, digits, '-', '_' or '.'",
                      name.substr(0, 64));
    }
    ValidateText(value, "a metadata value");
    total += name.size() + value.size();
  }
  if (total > FileService::kMaxMetadataBytes) {
    throw MakeError(ErrorKind::kInvalidInput, "object metadata is larger than {} bytes", FileService::kMaxMetadataBytes);
  }
}

void ValidateContentType(const std::string &type) {
  bool valid = !type.empty() && type.size() <= 255 && type.find('/') != std::string::npos;
  for (unsigned char c : type) valid = valid && c >= 0x20 && c < 0x7f;
  if (!valid) throw Error(ErrorKind::kInvalidInput, "content type must be a printable type/subtype of at most 255 bytes");
}

VolumeInfo VolumeFromRow(const SqlRow &row) {
  VolumeInfo volume;
  volume.id = row.Int(0);
  volume.name = row.String(1);
  volume.bucket = row.String(2);
  volume.location = row.String(3);
  volume.description = row.String(4);
  volume.owner = row.String(5);
  volume.tags = MapFromJson(row.String(6));
  volume.created_by = row.String(7);
  volume.created_ms = row.Int(8);
  volume.updated_ms = row.Int(9);
  volume.max_object_bytes = row.IsNull(10) ? 0 : static_cast<uint64_t>(row.Int(10));
  return volume;
}

}  // namespace

void ValidateObjectFields(const std::string &content_type, const StringMap &metadata) {
  ValidateContentType(content_type);
  ValidateMetadata(metadata);
}

// --- volumes ---------------------------------------------------------------------------------

VolumeInfo FileService::CreateVolume(const std::string &name, const VolumeChange &fields,
                                     const std::string &created_by) {
  ValidateVolumeName(name);
  VolumeInfo volume;
  volume.name = name;
  volume.bucket = fields.bucket.value_or("");
  volume.location = volume.bucket.empty() ? "volumes/" + name + "/" : "";
  volume.description = fields.description.value_or("");
  volume.owner = fields.owner.value_or(created_by);
  volume.tags = fields.tags.value_or(StringMap{});
  volume.max_object_bytes = fields.max_object_bytes.value_or(0);
  volume.created_by = created_by;
  volume.created_ms = volume.updated_ms = NowUnixMs();
  ValidateText(volume.description, "description");
  ValidateText(volume.owner, "owner");
  ValidateTags(volume.tags);
  if (!volume.bucket.empty()) {
    if (!buckets_) throw Error(ErrorKind::kInvalidInput, "a volume with a bucket of its own needs S3 storage");
    StoreOf(volume);  // creates the bucket: a volume is never recorded on a store that cannot be reached
  }
  auto txn = meta_.Begin(TransactionMode::kWrite);
  if (!txn->Query("SELECT 1 FROM dl_volume WHERE name = ?", {name}).empty()) {
    throw MakeError(ErrorKind::kConflict, "volume '{}' already exists", name);
  }
  if (!volume.bucket.empty() && !txn->Query("SELECT 1 FROM dl_volume WHERE bucket = ?", {volume.bucket}).empty()) {
    throw MakeError(ErrorKind::kConflict, "bucket '{}' already belongs to a volume", volume.bucket);
  }
  volume.id = txn->Query("SELECT COALESCE(MAX(volume_id), 0) + 1 FROM dl_volume")[0].Int(0);
  txn->Execute(fmt::format("INSERT INTO dl_volume ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kVolumeColumns),
               {volume.id, volume.name, volume.bucket, volume.location, volume.description, volume.owner,
                MapToJson(volume.tags), volume.created_by, volume.created_ms, volume.updated_ms,
                static_cast<int64_t>(volume.max_object_bytes)});
  txn->Commit();
  return volume;
}

std::vector<VolumeInfo> FileService::ListVolumes() {
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::vector<VolumeInfo> volumes;
  for (const auto &row : txn->Query(fmt::format("SELECT {} FROM dl_volume ORDER BY name", kVolumeColumns))) {
    volumes.push_back(VolumeFromRow(row));
  }
  return volumes;
}

VolumeInfo FileService::LoadVolume(MetaTransaction &txn, const std::string &name) {
  ValidateVolumeName(name);
  auto rows = txn.Query(fmt::format("SELECT {} FROM dl_volume WHERE name = ?", kVolumeColumns), {name});
  if (rows.empty()) throw MakeError(ErrorKind::kNotFound, "volume '{}' does not exist", name);
  return VolumeFromRow(rows[0]);
}

VolumeInfo FileService::GetVolume(const std::string &name) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  return LoadVolume(*txn, name);
}

VolumeUsage FileService::Usage(const std::string &name) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto volume = LoadVolume(*txn, name);
  VolumeUsage usage;
  auto objects = txn->Query("SELECT count(*), COALESCE(sum(size), 0) FROM dl_object WHERE volume_id = ?", {volume.id});
  usage.object_count = objects[0].Int(0);
  usage.size_bytes = objects[0].Int(1);
  usage.open_uploads = txn->Query("SELECT count(*) FROM dl_upload WHERE volume_id = ?", {volume.id})[0].Int(0);
  return usage;
}

VolumeInfo FileService::UpdateVolume(const std::string &name, const VolumeChange &change) {
  if (change.description) ValidateText(*change.description, "description");
  if (change.owner) ValidateText(*change.owner, "owner");
  if (change.tags) ValidateTags(*change.tags);
  auto txn = meta_.Begin(TransactionMode::kWrite);
  auto volume = LoadVolume(*txn, name);
  if (change.description) volume.description = *change.description;
  if (change.owner) volume.owner = *change.owner;
  if (change.tags) volume.tags = *change.tags;
  if (change.max_object_bytes) volume.max_object_bytes = *change.max_object_bytes;
  volume.updated_ms = NowUnixMs();
  txn->Execute("UPDATE dl_volume SET description = ?, owner = ?, tags = ?, max_object_bytes = ?, updated_ms = ? "
               "WHERE volume_id = ?",
               {volume.description, volume.owner, MapToJson(volume.tags),
                static_cast<int64_t>(volume.max_object_bytes), volume.updated_ms, volume.id});
  txn->Commit();
  return volume;
}

void FileService::DeleteVolume(const std::string &name, bool force) {
  auto volume = GetVolume(name);
  if (!force) {
    auto txn = meta_.Begin(TransactionMode::kRead);
    bool indexed = !txn->Query("SELECT 1 FROM dl_object WHERE volume_id = ? LIMIT 1", {volume.id}).empty() ||
                   !txn->Query("SELECT 1 FROM dl_upload WHERE volume_id = ? LIMIT 1", {volume.id}).empty();
    if (indexed || !StoreOf(volume).List(volume.location, "", "", 1).objects.empty()) {
      throw MakeError(ErrorKind::kConflict, "volume '{}' is not empty; delete it with force=true", name);
    }
  }
  for (const auto &upload : ListUploads(name)) AbortUpload(name, upload.upload_id);
  // Store first, then the rows of what is gone: at every step each row names a stored object.
  while (true) {
    auto page = StoreOf(volume).List(volume.location, "", "", kStorePage);
    if (page.objects.empty()) break;
    std::vector<std::string> keys;
    for (const auto &object : page.objects) keys.push_back(object.key);
    StoreOf(volume).DeleteMany(keys);
    auto txn = meta_.Begin(TransactionMode::kWrite);
    for (const auto &key : keys) DeleteObjectRow(*txn, volume.id, key.substr(volume.location.size()));
    txn->Commit();
  }
  auto txn = meta_.Begin(TransactionMode::kWrite);
  for (const char *table : {"dl_object_tag", "dl_object", "dl_object_reservation", "dl_upload", "dl_volume"}) {
    txn->Execute(fmt::format("DELETE FROM {} WHERE volume_id = ?", table), {volume.id});
  }
  txn->Commit();
  if (on_volume_deleted_) on_volume_deleted_(name);
}

uint64_t FileService::ObjectLimit(const VolumeInfo &volume) const {
  return volume.max_object_bytes > 0 ? std::min(volume.max_object_bytes, max_object_bytes_) : max_object_bytes_;
}

std::string FileService::StoreKey(const VolumeInfo &volume, const std::string &key) const {
  ValidateKey(key);
  auto store_key = volume.location + key;
  ValidateKey(store_key);
  return store_key;
}

ObjectStore &FileService::StoreOf(const VolumeInfo &volume) {
  if (volume.bucket.empty()) return store_;
  if (!buckets_) throw Error(ErrorKind::kUnavailable, "this server has no access to volumes with their own bucket");
  return buckets_->Open(volume.bucket);
}

std::string FileService::EnginePath(const VolumeInfo &volume, const std::string &key) const {
  auto store_key = StoreKey(volume, key);
  return volume.bucket.empty() ? FileReader::ObjectPath(store_key) : FileReader::BucketPath(volume.bucket, store_key);
}

// --- the index -------------------------------------------------------------------------------

std::optional<ObjectRecord> FileService::LoadObject(MetaTransaction &txn, int64_t volume_id, const std::string &key) {
  auto rows = txn.Query(fmt::format("SELECT {} FROM dl_object o WHERE o.volume_id = ? AND o.key = ?", kObjectColumns),
                        {volume_id, key});
  if (rows.empty()) return std::nullopt;
  auto record = ObjectFromRow(rows[0]);
  record.tags = LoadTags(txn, volume_id, key);
  return record;
}

void FileService::SaveObject(MetaTransaction &txn, int64_t volume_id, const ObjectRecord &record) {
  auto optional = [](const std::optional<std::string> &value) -> SqlValue {
    return value ? SqlValue(*value) : SqlValue();
  };
  txn.Execute(
      "INSERT INTO dl_object (volume_id, key, size, etag, content_type, metadata, sha256, created_by, created_ms, "
      "modified_ms, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (volume_id, key) DO UPDATE SET "
      "size = excluded.size, etag = excluded.etag, content_type = excluded.content_type, metadata = "
      "excluded.metadata, sha256 = excluded.sha256, created_by = excluded.created_by, created_ms = "
      "excluded.created_ms, modified_ms = excluded.modified_ms, source = excluded.source",
      {volume_id, record.key, static_cast<int64_t>(record.size), record.etag, record.content_type,
       MapToJson(record.metadata), optional(record.sha256), record.created_by, record.created_ms, record.modified_ms,
       optional(record.source)});
}

void FileService::DeleteObjectRow(MetaTransaction &txn, int64_t volume_id, const std::string &key) {
  txn.Execute("DELETE FROM dl_object_tag WHERE volume_id = ? AND key = ?", {volume_id, key});
  txn.Execute("DELETE FROM dl_object WHERE volume_id = ? AND key = ?", {volume_id, key});
}

ObjectRecord FileService::Index(const VolumeInfo &volume, ObjectRecord record,
                                const std::optional<std::string> &reservation,
                                const std::function<void(MetaTransaction &, const ObjectRecord &)> &also) {
  auto txn = meta_.Begin(TransactionMode::kWrite);
  if (auto existing = LoadObject(*txn, volume.id, record.key)) {
    // Tags describe the key, so they outlive a new version of its bytes; so does its creation
    // (who and when: later writers are in modified_ms and the lineage and audit logs).
    record.tags = existing->tags;
    record.created_ms = existing->created_ms;
    record.created_by = existing->created_by;
  }
  SaveObject(*txn, volume.id, record);
  if (reservation) {
    txn->Execute("DELETE FROM dl_object_reservation WHERE volume_id = ? AND key = ? AND token = ?",
                 {volume.id, record.key, *reservation});
  }
  if (also) also(*txn, record);
  txn->Commit();
  return record;
}

ObjectRecord FileService::IndexNew(const VolumeInfo &volume, ObjectRecord record, bool existed,
                                   const std::optional<std::string> &reservation,
                                   const std::function<void(MetaTransaction &, const ObjectRecord &)> &also) {
  auto key = record.key;
  try {
    return Index(volume, std::move(record), reservation, also);
  } catch (...) {
    if (!existed) {
      try {
        StoreOf(volume).Delete(StoreKey(volume, key));
      } catch (const Error &) {
        // The store is failing too: Reconcile (or the next read) indexes what is left.
      }
    }
    throw;
  }
}

bool FileService::Indexed(int64_t volume_id, const std::string &key) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  return LoadObject(*txn, volume_id, key).has_value();
}

void FileService::ReleaseReservation(int64_t volume_id, const std::string &key, const std::string &token) {
  try {
    auto txn = meta_.Begin(TransactionMode::kWrite);
    txn->Execute("DELETE FROM dl_object_reservation WHERE volume_id = ? AND key = ? AND token = ?",
                 {volume_id, key, token});
    txn->Commit();
  } catch (const Error &) {
    // The reservation lapses by itself after kReservationMs.
  }
}

// --- objects ---------------------------------------------------------------------------------

ObjectRecord FileService::Put(const PutRequest &request, const BodySource &body) {
  auto volume = GetVolume(request.volume);
  auto store_key = StoreKey(volume, request.key);
  std::string content_type = request.content_type.empty() ? GuessContentType(request.key) : request.content_type;
  ValidateObjectFields(content_type, request.metadata);

  // A conditional write holds a reservation on its key while the bytes arrive, so two of them
  // cannot both see their condition hold.
  std::optional<std::string> reservation;
  bool existed;  // indexed before this write: a failed indexing then must not delete the stored object
  if (request.create_only || request.if_match) {
    auto txn = meta_.Begin(TransactionMode::kWrite);
    int64_t now = NowUnixMs();
    auto held = txn->Query("SELECT expires_ms FROM dl_object_reservation WHERE volume_id = ? AND key = ?",
                           {volume.id, request.key});
    if (!held.empty() && held[0].Int(0) > now) {
      throw Error(ErrorKind::kPrecondition, "another conditional upload of this key is in progress");
    }
    auto existing = LoadObject(*txn, volume.id, request.key);
    if (request.create_only && existing) throw Error(ErrorKind::kPrecondition, "the object already exists");
    existed = existing.has_value();
    if (request.if_match && (!existing || (*request.if_match != "*" && existing->etag != *request.if_match))) {
      throw Error(ErrorKind::kPrecondition, "the object's current ETag does not match If-Match");
    }
    reservation = RandomHex(16);
    txn->Execute("DELETE FROM dl_object_reservation WHERE volume_id = ? AND key = ?", {volume.id, request.key});
    txn->Execute("INSERT INTO dl_object_reservation (volume_id, key, token, expires_ms) VALUES (?, ?, ?, ?)",
                 {volume.id, request.key, *reservation, now + kReservationMs});
    txn->Commit();
  } else {
    existed = Indexed(volume.id, request.key);
  }
  try {
    std::optional<Digest> md5, sha256;
    if (request.expected_md5) md5.emplace(DigestAlgorithm::kMd5);
    if (request.expected_sha256) sha256.emplace(DigestAlgorithm::kSha256);
    uint64_t limit = ObjectLimit(volume), received = 0;
    auto too_large = [&] {
      return MakeError(ErrorKind::kTooLarge, "volume '{}' takes objects of at most {} bytes", volume.name, limit);
    };
    if (request.size && *request.size > limit) throw too_large();
    auto &store = StoreOf(volume);
    auto writer = request.size ? store.PutSized(store_key, *request.size) : store.Put(store_key);
    body([&](const char *data, size_t size) {
      received += size;
      if (received > limit) throw too_large();  // the writer, never committed, leaves nothing
      if (md5) md5->Update(data, size);
      if (sha256) sha256->Update(data, size);
      writer->Append(data, size);
    });
    ObjectRecord record;
    if (md5 && md5->Finish() != *request.expected_md5) {
      throw Error(ErrorKind::kInvalidInput, "Content-MD5 does not match the body; nothing was stored");
    }
    if (sha256) {
      auto digest = sha256->Finish();
      if (digest != *request.expected_sha256) {
        throw Error(ErrorKind::kInvalidInput, "the SHA-256 checksum does not match the body; nothing was stored");
      }
      record.sha256 = HexEncode(digest);
    }
    auto info = writer->Commit();
    record.key = request.key;
    record.size = info.size;
    record.etag = info.etag;
    record.content_type = content_type;
    record.metadata = request.metadata;
    record.created_by = request.created_by;
    record.created_ms = record.modified_ms = NowUnixMs();
    record.source = request.source;
    return IndexNew(volume, std::move(record), existed, reservation, request.in_index_transaction);
  } catch (...) {
    if (reservation) ReleaseReservation(volume.id, request.key, *reservation);
    throw;
  }
}

ObjectRecord FileService::Stat(const std::string &volume_name, const std::string &key) {
  VolumeInfo volume;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    volume = LoadVolume(*txn, volume_name);
    ValidateKey(key);
    if (auto record = LoadObject(*txn, volume.id, key)) return *record;
  }
  // Written behind DuckLake's back (a presigned S3 upload, another tool): index it now.
  auto info = StoreOf(volume).Head(StoreKey(volume, key));
  ObjectRecord record;
  record.key = key;
  record.size = info.size;
  record.etag = info.etag;
  record.content_type = GuessContentType(key);
  record.created_by = kWrittenOutside;
  record.created_ms = record.modified_ms = info.modified_unix_ms;
  return Index(volume, std::move(record), std::nullopt);
}

void FileService::Read(const std::string &volume_name, const ObjectRecord &object, std::optional<ByteRange> range,
                       const ByteSink &sink) {
  auto volume = GetVolume(volume_name);
  auto info = StoreOf(volume).Get(StoreKey(volume, object.key), range, sink);
  if (info.etag != object.etag) RefuseStale(volume, object);
}

void FileService::RefuseStale(const VolumeInfo &volume, const ObjectRecord &object) {
  // Replaced meanwhile, or behind the index's back (or a write whose indexing failed): the reader
  // must not take the bytes as the version it was promised. The index learns what is stored, if its
  // row is still the version this read was promised.
  try {
    auto stored = StoreOf(volume).Head(StoreKey(volume, object.key));
    auto txn = meta_.Begin(TransactionMode::kWrite);
    auto current = LoadObject(*txn, volume.id, object.key);
    if (current && current->etag == object.etag) {
      current->size = stored.size;
      current->etag = stored.etag;
      current->sha256.reset();
      current->modified_ms = stored.modified_unix_ms;
      SaveObject(*txn, volume.id, *current);
      txn->Commit();
    }
  } catch (const Error &) {
    // Reconcile repairs it.
  }
  throw MakeError(ErrorKind::kConflict, "object '{}' changed while it was being read", object.key);
}

namespace {

// A store reader held to the version of the object the index promised.
class VersionedReader : public ObjectReader {
 public:
  VersionedReader(std::unique_ptr<ObjectReader> inner, std::function<void()> refuse_stale, std::string etag)
      : inner_(std::move(inner)), refuse_stale_(std::move(refuse_stale)), etag_(std::move(etag)) {}
  std::string_view Next() override {
    auto bytes = inner_->Next();
    if (bytes.empty() && inner_->Info().etag != etag_) refuse_stale_();
    return bytes;
  }
  ObjectInfo Info() override { return inner_->Info(); }

 private:
  std::unique_ptr<ObjectReader> inner_;
  std::function<void()> refuse_stale_;
  std::string etag_;
};

}  // namespace

std::unique_ptr<ObjectReader> FileService::Open(const std::string &volume_name, const ObjectRecord &object,
                                                std::optional<ByteRange> range) {
  auto volume = GetVolume(volume_name);
  auto reader = StoreOf(volume).Open(StoreKey(volume, object.key), range);
  return std::make_unique<VersionedReader>(
      std::move(reader), [this, volume, object] { RefuseStale(volume, object); }, object.etag);
}

void FileService::Delete(const std::string &volume_name, const std::string &key) {
  auto volume = GetVolume(volume_name);
  auto store_key = StoreKey(volume, key);
  bool indexed;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    indexed = LoadObject(*txn, volume.id, key).has_value();
  }
  auto &store = StoreOf(volume);
  if (!indexed) store.Head(store_key);  // kNotFound when it is nowhere
  store.Delete(store_key);
  auto txn = meta_.Begin(TransactionMode::kWrite);
  DeleteObjectRow(*txn, volume.id, key);
  txn->Commit();
}

ObjectLocation FileService::Location(const std::string &volume_name, const std::string &key) {
  auto volume = GetVolume(volume_name);
  return StoreOf(volume).Location(StoreKey(volume, key));
}

ObjectRecord FileService::Copy(const std::string &volume_name, const std::string &key, const std::string &to_volume,
                               const std::string &to_key, bool move, const std::string &created_by,
                               const std::function<void(MetaTransaction &, const ObjectRecord &)> &in_index_transaction) {
  auto source = Stat(volume_name, key);
  auto from = GetVolume(volume_name);
  auto to = to_volume == volume_name ? from : GetVolume(to_volume);
  auto from_key = StoreKey(from, key);
  auto target_key = StoreKey(to, to_key);
  if (from_key == target_key) throw Error(ErrorKind::kInvalidInput, "an object cannot be copied onto itself");
  if (source.size > ObjectLimit(to)) {
    throw MakeError(ErrorKind::kTooLarge, "volume '{}' takes objects of at most {} bytes", to.name, ObjectLimit(to));
  }
  auto &from_store = StoreOf(from);
  auto &to_store = StoreOf(to);
  bool target_existed = Indexed(to.id, to_key);
  ObjectInfo info;
  if (&from_store == &to_store) {
    info = from_store.Copy(from_key, target_key);
  } else {
    // Between buckets: streamed through this server, never whole in memory.
    auto writer = to_store.Put(target_key);
    from_store.Get(from_key, std::nullopt, [&writer](const char *data, size_t size) {
      writer->Append(data, size);
      return true;
    });
    info = writer->Commit();
  }
  ObjectRecord record = source;
  record.key = to_key;
  record.size = info.size;
  record.etag = info.etag;
  record.created_by = created_by;
  record.created_ms = record.modified_ms = NowUnixMs();
  record.source = nlohmann::json{{"copied_from", {{"volume", volume_name}, {"key", key}, {"etag", source.etag}}}}.dump();
  // Like the bytes, the tags are the source's (replacing any the target had).
  record = IndexNew(to, std::move(record), target_existed, std::nullopt, [&](MetaTransaction &txn, const ObjectRecord &indexed) {
    SaveTags(txn, to.id, to_key, source.tags);
    if (in_index_transaction) in_index_transaction(txn, indexed);
  });
  record.tags = source.tags;
  if (move) {
    from_store.Delete(from_key);
    auto txn = meta_.Begin(TransactionMode::kWrite);
    DeleteObjectRow(*txn, from.id, key);
    txn->Commit();
  }
  return record;
}

ObjectRecord FileService::Update(const std::string &volume_name, const std::string &key, const ObjectChange &change) {
  if (change.content_type || change.metadata) {
    ValidateObjectFields(change.content_type.value_or("application/octet-stream"), change.metadata.value_or(StringMap{}));
  }
  if (change.tags) ValidateTags(*change.tags);
  auto record = Stat(volume_name, key);
  auto txn = meta_.Begin(TransactionMode::kWrite);
  auto volume = LoadVolume(*txn, volume_name);
  auto current = LoadObject(*txn, volume.id, key);
  if (!current) throw MakeError(ErrorKind::kNotFound, "object '{}' does not exist", key);
  record = *current;
  if (change.content_type) record.content_type = *change.content_type;
  if (change.metadata) record.metadata = *change.metadata;
  if (change.tags) {
    record.tags = *change.tags;
    SaveTags(*txn, volume.id, key, record.tags);
  }
  SaveObject(*txn, volume.id, record);
  txn->Commit();
  return record;
}

}  // namespace ducklake
