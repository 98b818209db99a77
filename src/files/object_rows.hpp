#pragma once
// How volumes' objects are stored in the index tables (dl_object, dl_object_tag). Files-private.

#include <string>

#include "files/file_service.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

// The dl_object columns ObjectFromRow reads, qualified by the alias `o`.
inline constexpr const char *kObjectColumns =
    "o.key, o.size, o.etag, o.content_type, o.metadata, o.sha256, o.created_by, o.created_ms, o.modified_ms, "
    "o.source";

std::string MapToJson(const StringMap &map);
StringMap MapFromJson(const std::string &text);

// Reads kObjectColumns starting at column `first` (tags are not among them).
ObjectRecord ObjectFromRow(const SqlRow &row, size_t first = 0);

StringMap LoadTags(MetaTransaction &txn, int64_t volume_id, const std::string &key);
// kInvalidInput unless the content type and user metadata are acceptable for an object.
void ValidateObjectFields(const std::string &content_type, const StringMap &metadata);

void SaveTags(MetaTransaction &txn, int64_t volume_id, const std::string &key, const StringMap &tags);

}  // namespace ducklake
