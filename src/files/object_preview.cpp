#include "files/object_preview.hpp"

#include "common/digest.hpp"
#include "common/error.hpp"
#include "files/preview.hpp"

namespace ducklake {
namespace {

// Thumbnails are made from images up to this size; larger ones report their dimensions only.
constexpr uint64_t kMaxThumbnailSource = 32 << 20;
constexpr size_t kImageHeadBytes = 64 << 10;

bool EndsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string ReadHead(FileService &files, const std::string &volume, const ObjectRecord &object, uint64_t bytes) {
  std::string head;
  if (object.size == 0) return head;
  files.Read(volume, object, ByteRange{0, std::min<uint64_t>(bytes, object.size)},
             [&head](const char *data, size_t size) {
               head.append(data, size);
               return true;
             });
  return head;
}

nlohmann::json TextPreview(FileService &files, const std::string &volume, const ObjectRecord &object,
                           size_t max_bytes) {
  // Up to 3 extra bytes so a character cut by max_bytes can be recognised as such.
  auto text = TextHead(ReadHead(files, volume, object, max_bytes + 3), max_bytes);
  if (text.binary) return {{"kind", "binary"}, {"size", object.size}};
  return {{"kind", "text"}, {"text", text.text}, {"truncated", text.truncated || object.size > text.text.size()}};
}

}  // namespace

std::optional<UploadFormat> TabularFormatOf(const ObjectRecord &object) {
  auto type = object.content_type.substr(0, object.content_type.find(';'));
  if (type == "text/csv") return UploadFormat::kCsv;
  if (type == "application/vnd.apache.parquet") return UploadFormat::kParquet;
  if (type == "application/x-ndjson") return UploadFormat::kNdjson;
  if (type == "application/json") return UploadFormat::kJson;
  std::string key = object.key;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  if (EndsWith(key, ".csv")) return UploadFormat::kCsv;
  if (EndsWith(key, ".parquet")) return UploadFormat::kParquet;
  if (EndsWith(key, ".ndjson") || EndsWith(key, ".jsonl")) return UploadFormat::kNdjson;
  if (EndsWith(key, ".json")) return UploadFormat::kJson;
  return std::nullopt;
}

nlohmann::json ObjectPreviews::Preview(const std::string &volume, const ObjectRecord &object,
                                       const PreviewOptions &options) {
  FileService &files = files_;
  FileReader &reader = reader_;
  nlohmann::json preview;
  if (auto format = TabularFormatOf(object); format && object.size > 0) {
    QueryOptions query;
    query.limit = options.rows;
    query.timeout_ms = 30000;
    std::string json;
    try {
      reader.ReadFile(files.EnginePath(files.GetVolume(volume), object.key), *format, query,
                      [&json](const char *data, size_t size) {
                        json.append(data, size);
                        return true;
                      },
                      ReadOptions{});
      preview = nlohmann::json::parse(json);
      preview["kind"] = "table";
      return preview;
    } catch (const Error &error) {
      if (error.kind() != ErrorKind::kInvalidInput) throw;
      // Not readable as its type claims: show it as text, with the reason.
      preview = TextPreview(files, volume, object, options.text_bytes);
      preview["table_error"] = error.what();
      return preview;
    }
  }
  auto head = ReadHead(files, volume, object, kImageHeadBytes);
  if (auto image = ProbeImage(head)) {
    preview = {{"kind", "image"}, {"format", image->format}, {"width", image->width}, {"height", image->height}};
    if (object.size <= kMaxThumbnailSource) {
      auto bytes = object.size <= head.size() ? head : ReadHead(files, volume, object, object.size);
      try {
        preview["thumbnail"] = "data:image/png;base64," + Base64Encode(MakeThumbnail(bytes, options.thumbnail_side));
      } catch (const Error &error) {
        if (error.kind() != ErrorKind::kInvalidInput) throw;
        preview["thumbnail_error"] = error.what();
      }
    }
    return preview;
  }
  return TextPreview(files, volume, object, options.text_bytes);
}

}  // namespace ducklake
