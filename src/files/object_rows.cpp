#include "files/object_rows.hpp"

#include <nlohmann/json.hpp>

namespace ducklake {

std::string MapToJson(const StringMap &map) { return nlohmann::json(map).dump(); }

StringMap MapFromJson(const std::string &text) {
  StringMap map;
  auto parsed = nlohmann::json::parse(text);  // a named object: a temporary would die before the loop
  for (const auto &[name, value] : parsed.items()) map[name] = value.get<std::string>();
  return map;
}

ObjectRecord ObjectFromRow(const SqlRow &row, size_t first) {
  ObjectRecord record;
  record.key = row.String(first);
  record.size = static_cast<uint64_t>(row.Int(first + 1));
  record.etag = row.String(first + 2);
  record.content_type = row.String(first + 3);
  record.metadata = MapFromJson(row.String(first + 4));
  record.sha256 = row.OptionalString(first + 5);
  record.created_by = row.String(first + 6);
  record.created_ms = row.Int(first + 7);
  record.modified_ms = row.Int(first + 8);
  record.source = row.OptionalString(first + 9);
  return record;
}

StringMap LoadTags(MetaTransaction &txn, int64_t volume_id, const std::string &key) {
  StringMap tags;
  for (const auto &row :
       txn.Query("SELECT name, value FROM dl_object_tag WHERE volume_id = ? AND key = ?", {volume_id, key})) {
    tags[row.String(0)] = row.String(1);
  }
  return tags;
}

void SaveTags(MetaTransaction &txn, int64_t volume_id, const std::string &key, const StringMap &tags) {
  txn.Execute("DELETE FROM dl_object_tag WHERE volume_id = ? AND key = ?", {volume_id, key});
  for (const auto &[name, value] : tags) {
    txn.Execute("INSERT INTO dl_object_tag (volume_id, key, name, value) VALUES (?, ?, ?, ?)",
                {volume_id, key, name, value});
  }
}

}  // namespace ducklake
