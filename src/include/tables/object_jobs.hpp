#pragma once
// Jobs whose output is a volume object: a query's result exported as it is produced (COPY ... TO,
// through the API), and an object copied or moved. Each is a lineage job (from the tables the query
// reads, or from the source object, to the new object) completed in the very transaction that
// indexes the object, so the two are kept or lost together. Errors are those of the query
// (kInvalidInput for a statement that is not a query), of the caller's rights (kForbidden) and of
// the object write; a failed job leaves no object behind.

#include <optional>
#include <string>

#include "files/file_service.hpp"
#include "tables/table_service.hpp"

namespace ducklake {

struct ExportTarget {
  std::string volume;
  std::string key;
};

// Runs `request` (its snapshot defaults to the latest, and is set to the one read) and stores the
// result at `target` in the request's format. `request.access` must allow writing to the volume.
ObjectRecord ExportQuery(TableService &tables, FileService &files, SqlRequest &request, const ExportTarget &target,
                         const std::string &content_type);

struct ObjectCopy {
  std::string volume;
  std::string key;
  std::string to_volume;
  std::string to_key;
  bool move = false;  // the source goes away once the copy is indexed
  CommitInfo commit;  // who copies
  std::optional<std::string> job_name;  // default: "copy.<to_volume>.<to_key>" (or "move. ...")
};

// Copies (or moves) an object, recording the lineage job with `lineage` (may be null: none).
ObjectRecord CopyObject(FileService &files, LineageRecorder *lineage, const ObjectCopy &copy);

}  // namespace ducklake
