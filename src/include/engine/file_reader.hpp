#pragma once
// FileReader: CSV, Parquet, JSON and NDJSON files read by DuckDB's own readers (read_csv,
// read_parquet, read_json): objects in the store, previewed as they are, and uploads streamed in,
// described and written into lake tables as Parquet.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/schema.hpp"
#include "engine/queries.hpp"

namespace ducklake {

enum class UploadFormat { kCsv, kParquet, kJson, kNdjson };

// How to read an upload. Each field given overrides what DuckDB's reader (read_csv, read_json)
// detects by itself; with none given, an upload reads exactly as read_csv/read_json read the same
// bytes. Values the reader cannot use are kInvalidInput.
struct ReadOptions {
  std::optional<bool> header;                   // CSV: the first row names the columns
  std::optional<std::string> delimiter;         // CSV
  std::optional<std::string> quote;             // CSV
  std::optional<std::string> escape;            // CSV
  std::optional<std::string> comment;           // CSV: lines starting with it are skipped
  std::optional<int64_t> skip;                  // CSV: lines skipped at the start
  std::vector<std::string> null_strings;        // CSV: values read as NULL
  std::optional<std::string> date_format;       // CSV, JSON: strftime-style, e.g. "%d/%m/%Y"
  std::optional<std::string> timestamp_format;  // CSV, JSON
  std::vector<std::pair<std::string, std::string>> columns;  // the file's columns (name, SQL type)

  bool empty() const;
};

// A CSV file's dialect as DuckDB's sniffer detected it (or ReadOptions set it).
struct CsvDialect {
  std::string delimiter;
  std::string quote;
  std::string escape;
  std::string newline;  // "\n", "\r\n", "\r", or "mix"
  std::string comment;
  int64_t skip = 0;
  bool header = false;
  std::optional<std::string> date_format;
  std::optional<std::string> timestamp_format;
};

// What DuckDB's reader makes of an upload.
struct UploadDescription {
  std::vector<ColumnDef> columns;     // the columns as read, in lake types
  std::vector<std::string> sql_types;  // the same columns' DuckDB types, as SQL
  std::optional<CsvDialect> dialect;  // CSV only
};

// Supplies a streamed upload: fills up to `size` bytes and returns how many, 0 at the end; throws
// if the upload failed.
using ByteSource = std::function<size_t(char *data, size_t size)>;

class FileReader {
 public:
  virtual ~FileReader() = default;

  // The engine's path of an object-store key, for ReadFile, DescribeUpload and WriteUpload; and
  // of a key in another bucket (EngineOptions::buckets).
  static std::string ObjectPath(const std::string &key);
  static std::string BucketPath(const std::string &bucket, const std::string &key);

  // Streams the rows of a file (a path from ObjectPath, BucketPath or RegisterInput) like
  // QueryRunner::Query.
  virtual void ReadFile(const std::string &path, UploadFormat format, const QueryOptions &options,
                        const ByteSink &sink, const ReadOptions &read_options) = 0;

  // Makes a streamed upload readable at the returned path until UnregisterInput. It reads like a file
  // that cannot seek: DescribeUpload, ReadFile and WriteUpload each read it from its first byte, but
  // only bytes that a describe or a read before WriteUpload took are kept (in the staging directory),
  // and WriteUpload must be the last read.
  virtual std::string RegisterInput(const ByteSource &source) = 0;
  virtual void UnregisterInput(const std::string &path) = 0;

  // What DuckDB's reader makes of a file with `options`: its columns and, for CSV, dialect.
  virtual UploadDescription DescribeUpload(const std::string &path, UploadFormat format,
                                           const ReadOptions &options) = 0;

  // Reads a file into one Parquet file at `key`. Its columns are matched to `target` by name
  // (missing ones get their default), or, with `by_position`, in order. Rows that do not fit:
  // kInvalidInput naming the line and column. `described` is DescribeUpload's answer for the same
  // file and options. On any error nothing is left at `key`. Once `abandoned` (polled a few times a
  // second) says nobody waits for the result, the read is interrupted (kInvalidInput).
  virtual WrittenFile WriteUpload(const std::string &path, UploadFormat format, const ReadOptions &options,
                                  const std::vector<ColumnDef> &target, const std::string &key,
                                  const UploadDescription &described, bool by_position,
                                  const std::function<bool()> &abandoned = {}) = 0;
};

}  // namespace ducklake
