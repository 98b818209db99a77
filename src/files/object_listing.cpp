// Reading the index in key order: listings with folders and cursors, search, and reconciling the
// index with the object store.

#include <nlohmann/json.hpp>

#include "common/digest.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "files/file_service.hpp"
#include "files/object_rows.hpp"
#include "files/preview.hpp"

namespace ducklake {
namespace {

constexpr size_t kMaxDelimiter = 16;
constexpr size_t kFolderBatch = 64;

// The smallest key after every key that starts with `folder` (which ends in an ASCII delimiter).
std::string AfterFolder(std::string folder) {
  folder.back() = static_cast<char>(folder.back() + 1);
  return folder;
}

// The smallest valid key after `key`: control characters never occur in keys.
std::string AfterKey(const std::string &key) { return key + "\x01"; }

std::string DecodeCursor(const std::string &cursor) {
  auto decoded = Base64UrlDecode(cursor);
  if (!decoded || decoded->size() > 1100) throw Error(ErrorKind::kInvalidInput, "cursor is not one this server gave");
  return *decoded;
}

void ValidateDelimiter(const std::string &delimiter) {
  bool valid = delimiter.size() <= kMaxDelimiter;
  // ASCII only: skipping past a folder increments the delimiter's last byte (AfterFolder).
  for (unsigned char c : delimiter) valid = valid && c >= 0x20 && c < 0x7e;
  if (!valid) {
    throw MakeError(ErrorKind::kInvalidInput, "delimiter must be at most {} printable ASCII characters", kMaxDelimiter);
  }
}

}  // namespace

ObjectListing FileService::List(const std::string &volume_name, const std::string &prefix,
                                const std::string &delimiter, const std::string &cursor, size_t limit) {
  if (limit == 0 || limit > kMaxListPage) {
    throw MakeError(ErrorKind::kInvalidInput, "limit must be between 1 and {}", kMaxListPage);
  }
  ValidateDelimiter(delimiter);
  if (!prefix.empty()) ValidateKey(prefix);
  std::string start = cursor.empty() ? prefix : DecodeCursor(cursor);
  if (start < prefix) start = prefix;

  ObjectListing listing;
  auto txn = meta_.Begin(TransactionMode::kRead);
  auto volume = LoadVolume(*txn, volume_name);
  bool exhausted = false;
  auto emitted = [&] { return listing.objects.size() + listing.folders.size(); };
  while (!exhausted && emitted() < limit) {
    // Without a delimiter every row is an entry; with one, a folder ends the batch (its other keys
    // are skipped by restarting after it), so batches stay small.
    size_t batch = limit - emitted() + 1;
    if (!delimiter.empty()) batch = std::min(batch, kFolderBatch);
    auto rows = txn->Query(fmt::format("SELECT {} FROM dl_object o WHERE o.volume_id = ? AND o.key >= ? "
                                       "ORDER BY o.key LIMIT ?",
                                       kObjectColumns),
                           {volume.id, start, static_cast<int64_t>(batch)});
    if (rows.size() < batch) exhausted = true;
    for (const auto &row : rows) {
      auto key = row.String(0);
      if (key.compare(0, prefix.size(), prefix) != 0) {
        exhausted = true;
        break;
      }
      if (emitted() == limit) break;
      size_t at = delimiter.empty() ? std::string::npos : key.find(delimiter, prefix.size());
      if (at != std::string::npos) {
        auto folder = key.substr(0, at + delimiter.size());
        listing.folders.push_back(folder);
        start = AfterFolder(folder);
        exhausted = false;
        break;
      }
      listing.objects.push_back(ObjectFromRow(row));
      start = AfterKey(key);
    }
  }
  if (!listing.objects.empty()) {
    // The page's tags in one query over its key range, not one per object.
    std::map<std::string, StringMap> tags;
    for (const auto &row : txn->Query("SELECT key, name, value FROM dl_object_tag WHERE volume_id = ? AND key >= ? "
                                      "AND key <= ?",
                                      {volume.id, listing.objects.front().key, listing.objects.back().key})) {
      tags[row.String(0)][row.String(1)] = row.String(2);
    }
    for (auto &object : listing.objects) {
      if (auto it = tags.find(object.key); it != tags.end()) object.tags = std::move(it->second);
    }
  }
  if (!exhausted) {
    auto more = txn->Query("SELECT o.key FROM dl_object o WHERE o.volume_id = ? AND o.key >= ? ORDER BY o.key LIMIT 1",
                           {volume.id, start});
    if (!more.empty() && more[0].String(0).compare(0, prefix.size(), prefix) == 0) {
      listing.next_cursor = Base64UrlEncode(start);
    }
  }
  return listing;
}

std::vector<ObjectHit> FileService::Search(const ObjectSearch &search) {
  if (search.limit == 0 || search.limit > kMaxListPage) {
    throw MakeError(ErrorKind::kInvalidInput, "limit must be between 1 and {}", kMaxListPage);
  }
  std::string sql = fmt::format("SELECT v.name, {} FROM dl_object o JOIN dl_volume v ON v.volume_id = o.volume_id "
                                "WHERE 1 = 1",
                                kObjectColumns);
  std::vector<SqlValue> params;
  if (!search.text.empty()) {
    auto pattern = LikeContains(search.text);
    sql +=
        " AND (lower(o.key) LIKE ? ESCAPE '\\' OR lower(o.metadata) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM "
        "dl_object_tag t WHERE t.volume_id = o.volume_id AND t.key = o.key AND (lower(t.name) LIKE ? ESCAPE '\\' "
        "OR lower(t.value) LIKE ? ESCAPE '\\')))";
    params.insert(params.end(), {pattern, pattern, pattern, pattern});
  }
  if (search.volume) {
    sql += " AND v.name = ?";
    params.push_back(*search.volume);
  }
  if (search.tag) {
    sql += " AND EXISTS (SELECT 1 FROM dl_object_tag t WHERE t.volume_id = o.volume_id AND t.key = o.key AND "
           "t.name = ?";
    params.push_back(search.tag->first);
    if (search.tag->second) {
      sql += " AND t.value = ?";
      params.push_back(*search.tag->second);
    }
    sql += ")";
  }
  if (!search.after.empty()) {
    auto slash = search.after.find('/');
    if (slash == std::string::npos) throw Error(ErrorKind::kInvalidInput, "cursor is not one this server gave");
    sql += " AND (v.name > ? OR (v.name = ? AND o.key > ?))";
    params.push_back(search.after.substr(0, slash));
    params.push_back(search.after.substr(0, slash));
    params.push_back(search.after.substr(slash + 1));
  }
  // Volume names are [a-z0-9._-], which sort alike in every collation.
  sql += " ORDER BY v.name, o.key LIMIT ?";
  params.push_back(static_cast<int64_t>(search.limit));
  auto txn = meta_.Begin(TransactionMode::kRead);
  std::vector<ObjectHit> hits;
  for (const auto &row : txn->Query(sql, params)) {
    ObjectHit hit{row.String(0), ObjectFromRow(row, 1)};
    auto volume_id = txn->Query("SELECT volume_id FROM dl_volume WHERE name = ?", {hit.volume});
    if (!volume_id.empty()) hit.object.tags = LoadTags(*txn, volume_id[0].Int(0), hit.object.key);
    hits.push_back(std::move(hit));
  }
  return hits;
}

ReconcileReport FileService::Reconcile(const std::string &volume_name, bool dry_run) {
  auto volume = GetVolume(volume_name);
  ReconcileReport report;
  int64_t now = NowUnixMs();
  {
    auto txn = meta_.Begin(TransactionMode::kWrite);
    report.stale_reservations = txn->Execute(
        "DELETE FROM dl_object_reservation WHERE volume_id = ? AND expires_ms <= ?", {volume.id, now});
    if (!dry_run) txn->Commit();
  }
  // A merge of the store's listing with the index, one store page at a time; index rows between
  // the previous page and this one's last key are compared with the page.
  std::string store_cursor, low;
  bool last_page = false;
  while (!last_page) {
    auto page = StoreOf(volume).List(volume.location, "", store_cursor, kStorePage);
    store_cursor = page.next_cursor;
    last_page = store_cursor.empty();
    std::map<std::string, ObjectInfo> stored;
    for (auto &object : page.objects) {
      auto key = object.key.substr(volume.location.size());
      try {
        ValidateKey(key);
      } catch (const Error &) {
        continue;  // not addressable through the API; left alone
      }
      stored.emplace(std::move(key), std::move(object));
    }
    std::string high = stored.empty() ? std::string() : stored.rbegin()->first;
    auto txn = meta_.Begin(TransactionMode::kWrite);
    std::string sql = "SELECT o.key, o.size, o.etag FROM dl_object o WHERE o.volume_id = ? AND o.key >= ?";
    std::vector<SqlValue> params = {volume.id, low};
    if (!last_page) {
      sql += " AND o.key <= ?";
      params.push_back(high);
    }
    std::map<std::string, std::pair<uint64_t, std::string>> indexed;
    for (const auto &row : txn->Query(sql, params)) {
      indexed[row.String(0)] = {static_cast<uint64_t>(row.Int(1)), row.String(2)};
    }
    for (const auto &[key, info] : stored) {
      auto it = indexed.find(key);
      if (it != indexed.end() && it->second.first == info.size && it->second.second == info.etag) {
        report.unchanged++;
        continue;
      }
      ObjectRecord record;
      if (it != indexed.end()) {
        report.updated++;
        record = *LoadObject(*txn, volume.id, key);
      } else {
        report.added++;
        record.key = key;
        record.content_type = GuessContentType(key);
        record.created_by = kWrittenOutside;
        record.created_ms = info.modified_unix_ms;
      }
      record.size = info.size;
      record.etag = info.etag;
      record.sha256.reset();
      record.modified_ms = info.modified_unix_ms;
      if (!dry_run) SaveObject(*txn, volume.id, record);
    }
    for (const auto &[key, unused] : indexed) {
      if (stored.count(key)) continue;
      report.removed++;
      if (!dry_run) DeleteObjectRow(*txn, volume.id, key);
    }
    if (!dry_run) txn->Commit();
    if (!high.empty()) low = AfterKey(high);
  }
  return report;
}

}  // namespace ducklake
