#pragma once
// A preview of an object for the file browser, as JSON: the first rows of CSV, Parquet, JSON and
// NDJSON objects (read by the engine, which fetches only what it needs), the first KB of text, or
// an image's format, size and PNG thumbnail. Reads are bounded whatever the object's size.
// Thread-safe. Errors are ducklake::Error from the store and the engine.

#include <nlohmann/json.hpp>

#include "engine/file_reader.hpp"
#include "files/file_service.hpp"

namespace ducklake {

struct PreviewOptions {
  int64_t rows = 50;
  size_t text_bytes = 1024;
  int thumbnail_side = 256;
};

class ObjectPreviews {
 public:
  // Both must outlive this.
  ObjectPreviews(FileService &files, FileReader &reader) : files_(files), reader_(reader) {}

  nlohmann::json Preview(const std::string &volume, const ObjectRecord &object, const PreviewOptions &options = {});

 private:
  FileService &files_;
  FileReader &reader_;
};

// The format a tabular object would be read in, from its content type or else its key.
std::optional<UploadFormat> TabularFormatOf(const ObjectRecord &object);

}  // namespace ducklake
