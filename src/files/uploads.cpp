// Multipart uploads through the API, and presigned URLs.

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "common/digest.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"
#include "files/file_service.hpp"
#include "files/object_rows.hpp"
#include "files/preview.hpp"
#include "storage/sigv4.hpp"

namespace ducklake {
namespace {

constexpr uint64_t kMaxPartBytes = 5ULL << 30;
constexpr const char *kUploadColumns =
    "u.upload_id, u.key, u.store_upload_id, u.content_type, u.metadata, u.created_by, u.created_ms";

struct StoredUpload {
  UploadInfo info;
  std::string store_upload_id;
};

StoredUpload UploadFromRow(const SqlRow &row, const std::string &volume) {
  StoredUpload upload;
  upload.info.upload_id = row.String(0);
  upload.info.volume = volume;
  upload.info.key = row.String(1);
  upload.store_upload_id = row.String(2);
  upload.info.content_type = row.String(3);
  upload.info.metadata = MapFromJson(row.String(4));
  upload.info.created_by = row.String(5);
  upload.info.created_ms = row.Int(6);
  return upload;
}

StoredUpload LoadUpload(MetaTransaction &txn, int64_t volume_id, const std::string &volume,
                        const std::string &upload_id) {
  auto rows = txn.Query(fmt::format("SELECT {} FROM dl_upload u WHERE u.volume_id = ? AND u.upload_id = ?",
                                    kUploadColumns),
                        {volume_id, upload_id});
  if (rows.empty()) throw Error(ErrorKind::kNotFound, "no such upload in this volume");
  return UploadFromRow(rows[0], volume);
}

}  // namespace

UploadInfo FileService::CreateUpload(const std::string &volume_name, const std::string &key,
                                     const std::string &content_type, const StringMap &metadata,
                                     const std::string &created_by) {
  auto volume = GetVolume(volume_name);
  auto store_key = StoreKey(volume, key);
  UploadInfo info;
  info.upload_id = RandomHex(16);
  info.volume = volume_name;
  info.key = key;
  info.content_type = content_type.empty() ? GuessContentType(key) : content_type;
  ValidateObjectFields(info.content_type, metadata);
  info.metadata = metadata;
  info.created_by = created_by;
  info.created_ms = NowUnixMs();
  auto store_upload_id = StoreOf(volume).CreateMultipart(store_key);
  try {
    auto txn = meta_.Begin(TransactionMode::kWrite);
    txn->Execute(
        "INSERT INTO dl_upload (upload_id, volume_id, key, store_upload_id, content_type, metadata, created_by, "
        "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {info.upload_id, volume.id, key, store_upload_id, info.content_type, MapToJson(metadata), created_by,
         info.created_ms});
    txn->Commit();
  } catch (...) {
    StoreOf(volume).AbortMultipart(store_key, store_upload_id);
    throw;
  }
  return info;
}

std::vector<UploadInfo> FileService::ListUploads(const std::string &volume_name) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto volume = LoadVolume(*txn, volume_name);
  std::vector<UploadInfo> uploads;
  for (const auto &row : txn->Query(
           fmt::format("SELECT {} FROM dl_upload u WHERE u.volume_id = ? ORDER BY u.key, u.created_ms", kUploadColumns),
           {volume.id})) {
    uploads.push_back(UploadFromRow(row, volume_name).info);
  }
  return uploads;
}

UploadInfo FileService::GetUpload(const std::string &volume_name, const std::string &upload_id) {
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto volume = LoadVolume(*txn, volume_name);
  return LoadUpload(*txn, volume.id, volume_name, upload_id).info;
}

PartInfo FileService::PutPart(const std::string &volume_name, const std::string &upload_id, int part_number,
                              uint64_t size, const std::optional<std::string> &expected_md5, const BodySource &body) {
  if (part_number < 1 || part_number > ObjectStore::kMaxPartNumber) {
    throw MakeError(ErrorKind::kInvalidInput, "part number must be between 1 and {}", ObjectStore::kMaxPartNumber);
  }
  if (size > kMaxPartBytes) throw MakeError(ErrorKind::kTooLarge, "a part may be at most {} bytes", kMaxPartBytes);
  VolumeInfo volume;
  StoredUpload upload;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    volume = LoadVolume(*txn, volume_name);
    upload = LoadUpload(*txn, volume.id, volume_name, upload_id);
  }
  if (size > ObjectLimit(volume)) {
    throw MakeError(ErrorKind::kTooLarge, "volume '{}' takes objects of at most {} bytes", volume.name,
                    ObjectLimit(volume));
  }
  std::optional<Digest> md5;
  if (expected_md5) md5.emplace(DigestAlgorithm::kMd5);
  auto writer = StoreOf(volume).PutPart(StoreKey(volume, upload.info.key), upload.store_upload_id, part_number, size);
  body([&](const char *data, size_t length) {
    if (md5) md5->Update(data, length);
    writer->Append(data, length);
  });
  if (md5 && md5->Finish() != *expected_md5) {
    throw Error(ErrorKind::kInvalidInput, "Content-MD5 does not match the part; it was not stored");
  }
  auto info = writer->Commit();
  return PartInfo{part_number, info.etag, info.size};
}

std::vector<PartInfo> FileService::ListParts(const std::string &volume_name, const std::string &upload_id) {
  VolumeInfo volume;
  StoredUpload upload;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    volume = LoadVolume(*txn, volume_name);
    upload = LoadUpload(*txn, volume.id, volume_name, upload_id);
  }
  return StoreOf(volume).ListParts(StoreKey(volume, upload.info.key), upload.store_upload_id);
}

ObjectRecord FileService::CompleteUpload(const std::string &volume_name, const std::string &upload_id,
                                         std::vector<PartInfo> parts, const std::optional<std::string> &expected_sha256) {
  VolumeInfo volume;
  StoredUpload upload;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    volume = LoadVolume(*txn, volume_name);
    upload = LoadUpload(*txn, volume.id, volume_name, upload_id);
  }
  auto store_key = StoreKey(volume, upload.info.key);
  auto stored = StoreOf(volume).ListParts(store_key, upload.store_upload_id);
  if (parts.empty()) parts = stored;
  if (parts.empty()) throw Error(ErrorKind::kInvalidInput, "the upload has no parts");
  // Parts are each within the limit; the object they make must be too (the upload stays open, to
  // be aborted or completed with fewer parts).
  uint64_t total = 0;
  for (const auto &part : parts) {
    auto found = std::find_if(stored.begin(), stored.end(), [&](const PartInfo &p) { return p.number == part.number; });
    if (found != stored.end()) total += found->size;
  }
  if (total > ObjectLimit(volume)) {
    throw MakeError(ErrorKind::kTooLarge, "volume '{}' takes objects of at most {} bytes; these parts make {}",
                    volume.name, ObjectLimit(volume), total);
  }
  bool existed = Indexed(volume.id, upload.info.key);
  auto info = StoreOf(volume).CompleteMultipart(store_key, upload.store_upload_id, parts);
  ObjectRecord record;
  if (expected_sha256) {
    Digest sha256(DigestAlgorithm::kSha256);
    StoreOf(volume).Get(store_key, std::nullopt, [&sha256](const char *data, size_t size) {
      sha256.Update(data, size);
      return true;
    });
    auto digest = sha256.Finish();
    if (digest != *expected_sha256) {
      StoreOf(volume).Delete(store_key);
      auto txn = meta_.Begin(TransactionMode::kWrite);
      DeleteObjectRow(*txn, volume.id, upload.info.key);
      txn->Execute("DELETE FROM dl_upload WHERE upload_id = ?", {upload_id});
      txn->Commit();
      throw Error(ErrorKind::kInvalidInput,
                  "the SHA-256 checksum does not match the joined parts; the object was removed");
    }
    record.sha256 = HexEncode(digest);
  }
  record.key = upload.info.key;
  record.size = info.size;
  record.etag = info.etag;
  record.content_type = upload.info.content_type;
  record.metadata = upload.info.metadata;
  record.created_by = upload.info.created_by;
  record.created_ms = record.modified_ms = NowUnixMs();
  return IndexNew(volume, std::move(record), existed, std::nullopt, [&](MetaTransaction &txn, const ObjectRecord &) {
    txn.Execute("DELETE FROM dl_upload WHERE upload_id = ?", {upload_id});
  });
}

void FileService::AbortUpload(const std::string &volume_name, const std::string &upload_id) {
  VolumeInfo volume;
  StoredUpload upload;
  {
    auto txn = meta_.Begin(TransactionMode::kRead);
    volume = LoadVolume(*txn, volume_name);
    upload = LoadUpload(*txn, volume.id, volume_name, upload_id);
  }
  StoreOf(volume).AbortMultipart(StoreKey(volume, upload.info.key), upload.store_upload_id);
  auto txn = meta_.Begin(TransactionMode::kWrite);
  txn->Execute("DELETE FROM dl_upload WHERE upload_id = ?", {upload_id});
  txn->Commit();
}

// --- presigned URLs --------------------------------------------------------------------------

std::string FileService::SigningKey() {
  std::lock_guard<std::mutex> lock(signing_key_mutex_);
  if (!signing_key_.empty()) return signing_key_;
  // One key for every replica: the first to need it creates it.
  auto txn = meta_.Begin(TransactionMode::kWrite);
  auto rows = txn->Query("SELECT value FROM dl_setting WHERE name = 'presign_key'");
  std::string key;
  if (rows.empty()) {
    key = RandomHex(32);
    txn->Execute("INSERT INTO dl_setting (name, value) VALUES ('presign_key', ?)", {key});
    txn->Commit();
  } else {
    key = rows[0].String(0);
  }
  // Kept only once it is the lake's: a failed commit leaves nothing cached.
  signing_key_ = key;
  return signing_key_;
}

std::string FileService::Signature(const std::string &volume, const std::string &key, const std::string &method,
                                   int64_t expires_s, const std::string &signer) {
  return HexEncode(
      HmacSha256(SigningKey(), fmt::format("{}\n{}\n{}\n{}\n{}", method, volume, key, expires_s, signer)));
}

PresignedUrl FileService::Presign(const std::string &volume_name, const std::string &key, const std::string &method,
                                  std::chrono::seconds expires_in, const std::string &base_url,
                                  const std::string &content_disposition, const std::string &signer) {
  if (method != "GET" && method != "PUT") throw Error(ErrorKind::kInvalidInput, "method must be GET or PUT");
  if (expires_in.count() < 1 || expires_in.count() > kMaxPresignSeconds) {
    throw MakeError(ErrorKind::kInvalidInput, "expires_in must be between 1 and {} seconds", kMaxPresignSeconds);
  }
  auto volume = GetVolume(volume_name);
  auto store_key = StoreKey(volume, key);
  PresignOptions options;
  if (method == "GET") {
    options.content_type = Stat(volume_name, key).content_type;
    options.content_disposition = content_disposition;
  }
  PresignedUrl presigned;
  presigned.method = method;
  int64_t expires_s = NowUnixMs() / 1000 + expires_in.count();
  presigned.expires_ms = expires_s * 1000;
  if (auto url = StoreOf(volume).PresignUrl(method, store_key, expires_in, options)) {
    presigned.url = *url;
    return presigned;
  }
  presigned.url = fmt::format(
      "{}/api/v1/volumes/{}/objects/{}?X-DuckLake-Expires={}&X-DuckLake-Signer={}&X-DuckLake-Signature={}", base_url,
      volume_name, UriEncode(key, false), expires_s, signer, Signature(volume_name, key, method, expires_s, signer));
  return presigned;
}

void FileService::VerifyPresigned(const std::string &volume, const std::string &key, const std::string &method,
                                  const std::string &expires, const std::string &signer, const std::string &signature) {
  int64_t expires_s = 0;
  auto [end, error] = std::from_chars(expires.data(), expires.data() + expires.size(), expires_s);
  if (error != std::errc() || end != expires.data() + expires.size()) {
    throw Error(ErrorKind::kForbidden, "the presigned URL is malformed");
  }
  // HEAD is allowed wherever GET is.
  auto signed_method = method == "HEAD" ? std::string("GET") : method;
  if (!ConstantTimeEquals(Signature(volume, key, signed_method, expires_s, signer), signature)) {
    throw Error(ErrorKind::kForbidden, "the presigned URL's signature does not match");
  }
  if (NowUnixMs() / 1000 > expires_s) throw Error(ErrorKind::kForbidden, "the presigned URL has expired");
}

}  // namespace ducklake
