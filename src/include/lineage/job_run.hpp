#pragma once
// JobRun: what one of DuckLake's own jobs (an ingest, a SQL write, an export, a compaction, a
// schema change, a drop, an object copy) says about itself, in lake terms. LineageRecorder turns
// it into OpenLineage RunEvents (DESIGN.md "Lineage model"). Plain data; no behaviour.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/schema.hpp"

namespace ducklake {

// One output column's dependency on an input column (OpenLineage columnLineage InputField).
struct FieldOrigin {
  size_t input = 0;      // index into JobRun::inputs
  std::string field;     // the input's column
  std::string type;      // DIRECT or INDIRECT
  std::string subtype;   // IDENTITY, TRANSFORMATION, AGGREGATION; JOIN, FILTER, GROUP_BY, SORT, WINDOW
  bool masking = false;
};

struct LineageDataset {
  enum class Kind { kTable, kObject };
  Kind kind = Kind::kTable;
  // A table: "<namespace>.<table>" (its namespace is the lake's, ducklake://<instance>). An object:
  // the location's namespace ("s3://bucket" or "file") and name (full key or absolute path).
  std::string ns;
  std::string name;
  std::vector<ColumnDef> columns;       // schema facet (tables)
  std::optional<int64_t> snapshot_id;   // version facet (tables)
  std::optional<std::string> etag;      // version facet (objects)
  std::optional<int64_t> rows;          // outputStatistics
  std::optional<int64_t> bytes;         // outputStatistics
  std::string lifecycle;                // CREATE, ALTER, DROP, OVERWRITE, RENAME, TRUNCATE; empty: none
  std::string previous_name;            // RENAME: the table's name before
  std::optional<std::string> location_ns;    // symlinks facet: where a table's files are
  std::optional<std::string> location_name;
  std::string file_format;              // storage facet: parquet, csv, ...
  std::string content_type;             // objects
  std::string volume;                   // objects: the volume and key DuckLake knows them by
  std::string key;
  // columnLineage facet (outputs): per output column, the inputs it derives from; and the inputs
  // that decide which rows there are.
  std::map<std::string, std::vector<FieldOrigin>> column_lineage;
  std::vector<FieldOrigin> dataset_lineage;
};

struct JobRun {
  std::string job_name;  // e.g. "insert.sales.orders"
  std::string job_type;  // jobType facet: QUERY, INGEST, EXPORT, COMPACTION, DDL, COPY
  std::optional<std::string> sql;
  std::string author;
  std::vector<LineageDataset> inputs;
  std::vector<LineageDataset> outputs;
  // Set by LineageRecorder::Start: the run's id, when it began, and its START event as it was then.
  std::string run_id;
  int64_t started_ms = 0;
  std::string start_event;
};

}  // namespace ducklake
