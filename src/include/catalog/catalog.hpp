#pragma once
// Catalog: what the DuckLake table format holds at one snapshot, read from the metadata database:
// namespaces, tables with their columns, comments and tags, and each table's data files with
// their statistics. Reads take a snapshot id and see the catalog exactly as of that snapshot.
// Stateless over the MetaStore (which must outlive it); thread-safe. Errors are ducklake::Error:
// kNotFound for a namespace or table the snapshot does not have, kUnavailable from the database.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/inlined_data.hpp"
#include "common/schema.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

struct NamespaceInfo {
  int64_t id = 0;
  std::string name;
  int64_t created_snapshot = 0;
  int64_t table_count = 0;
};

struct TableInfo {
  int64_t id = 0;
  std::string uuid;
  std::string namespace_name;
  std::string name;
  std::vector<ColumnDef> columns;
  int64_t created_snapshot = 0;
  int64_t snapshot_id = 0;    // the snapshot this description is of
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t file_count = 0;
  int64_t delete_file_count = 0;       // live delete files
  int64_t delete_file_size_bytes = 0;
  std::string key_prefix;     // object-store prefix of the table's data files, ending in '/'
  std::optional<std::string> comment;
  std::map<std::string, std::string> tags;          // the table's tags (the comment aside)
  std::map<int64_t, std::string> column_comments;   // by column id
};

// A table found by SearchTables, with the columns whose names matched.
struct TableHit {
  std::string namespace_name;
  std::string name;
  std::vector<std::string> matched_columns;
};

struct TableSearch {
  std::string text;  // matched case-insensitively in namespace, table and column names, tags, comments
  std::optional<std::pair<std::string, std::optional<std::string>>> tag;  // name [= value]
  std::optional<std::pair<std::string, std::string>> after;  // (namespace, table) of the last result
  size_t limit = 100;
};

struct DataFile {
  int64_t id = 0;
  std::string key;  // object-store key
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t footer_size = 0;
  // The row id of its first row, rows numbered on from it; none when its rows carry their own
  // (_ducklake_internal_row_id, as a merge by the extension writes them).
  std::optional<int64_t> row_id_start;
  int64_t begin_snapshot = 0;
  std::vector<ColumnStats> stats;
  std::string delete_key;  // the positional delete file in force, empty when none
  int64_t delete_count = 0;
  // Written against the table's columns as of the snapshot asked for (no schema change since):
  // its Parquet columns are the table's columns by name and type.
  bool has_current_columns = false;
  // A flush's file (rows that were kept in the catalog): the last snapshot that inserted any of its
  // rows, which carry their snapshot in _ducklake_internal_snapshot_id. Before it, only some count.
  std::optional<int64_t> partial_max;
  // Set when the snapshot asked for is before partial_max: only rows inserted up to it count.
  std::optional<int64_t> max_row_snapshot;
};

// The last snapshot whose rows a data file holds, when its rows carry their snapshots
// (_ducklake_internal_snapshot_id) and a reader of an earlier snapshot must filter them: from its
// partial_file_info, "partial_max:<snapshot>" (a flush of rows kept in the catalog) or
// "<snapshot>:<rows>|...|<snapshot>:<rows>" (the extension's merge of files of several snapshots).
std::optional<int64_t> PartialMax(const std::optional<std::string> &partial_file_info);
// The rows each snapshot inserted into a file the extension merged from several snapshots' files,
// from its partial_file_info ("<snapshot>:<rows up to it>|...", snapshots ascending); empty for
// any other file. (A flush's file keeps the same in dl_flushed_rows.)
std::vector<std::pair<int64_t, int64_t>> MergedSnapshotRows(const std::optional<std::string> &partial_file_info);

// A table's data at one snapshot: its files and the rows kept in the catalog.
struct TableContents {
  std::vector<DataFile> files;
  std::vector<StoredRow> rows;
};

class Catalog {
 public:
  explicit Catalog(MetaStore &meta) : meta_(meta) {}

  std::vector<NamespaceInfo> ListNamespaces(int64_t snapshot_id);
  NamespaceInfo GetNamespace(const std::string &name, int64_t snapshot_id);

  std::vector<TableInfo> ListTables(const std::string &namespace_name, int64_t snapshot_id);
  // With `shape_only`, only what a writer needs: id, names, columns, key prefix (no counts, tags or
  // comments: fewer queries).
  TableInfo GetTable(const std::string &namespace_name, const std::string &table_name, int64_t snapshot_id,
                     bool shape_only = false);
  std::optional<TableInfo> FindTable(const std::string &namespace_name, const std::string &table_name,
                                     int64_t snapshot_id);
  // Tables of the latest snapshot matching `search`, ordered by namespace and name.
  std::vector<TableHit> SearchTables(const TableSearch &search);

  // The data files of a table visible at a snapshot, with their column statistics, in file order.
  std::vector<DataFile> TableFiles(int64_t table_id, int64_t snapshot_id);
  // TableFiles, and the table's rows kept in the catalog (data inlining) at the same snapshot, by row
  // id, with values by `columns` (the table's as of that snapshot), read together.
  TableContents Contents(int64_t table_id, int64_t snapshot_id, const std::vector<ColumnDef> &columns);
  // The table's rows kept in the catalog and live at `snapshot_id` (what a flush writes out), with
  // values by `columns` (the table's as of that snapshot) followed by every scalar column dropped
  // since some of them were kept, named kDroppedColumnPrefix + id: its values stay readable, by
  // column id, at the snapshots before the drop. Returns those columns and the rows.
  std::pair<std::vector<ColumnDef>, std::vector<StoredRow>> LiveKeptRows(int64_t table_id, int64_t snapshot_id,
                                                                        std::vector<ColumnDef> columns);
  static inline const std::string kDroppedColumnPrefix = "__ducklake_dropped_";
  // The highest column id a table has ever used (ids are never reused).
  int64_t MaxColumnId(int64_t table_id);

  // The object-store key prefix every data file lives under. The catalog's data_path names the same
  // place as an absolute path or URL, for the format's other readers (see RecordDataPath).
  static inline const std::string kDataKeyPrefix = "warehouse/";
  // Records `url`, where kDataKeyPrefix is in this server's object store ("/var/lib/ducklake/objects/
  // warehouse/", "s3://bucket/prefix/warehouse/"), as the lake's data_path when it says anything else:
  // the server's storage settings, not the catalog, say where the lake's data is.
  void RecordDataPath(const std::string &url);
  // The lake's data_path: where kDataKeyPrefix is, as the format's other readers resolve paths (a
  // delete file names its data file so).
  std::string DataPathUrl();
  // Where the data files of a table about to be created in `namespace_name` will go: kDataKeyPrefix,
  // the namespace's path and the table name ("warehouse/<ns>/<table>/").
  std::string NewTableKeyPrefix(const std::string &namespace_name, const std::string &table_name);

 private:
  static std::vector<DataFile> FilesAt(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id);

  MetaStore &meta_;
};

}  // namespace ducklake
