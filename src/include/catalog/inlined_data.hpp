#pragma once
// InlinedData: the DuckLake format's data inlining. A commit of a few rows keeps them in the catalog
// instead of a Parquet file: in ducklake_inlined_data_<table id>_<schema version>, one table per
// lake table and schema version (listed in ducklake_inlined_data_tables), with the columns row_id,
// begin_snapshot, end_snapshot and then the lake table's columns as of that schema version. A
// delete ends a row in place (end_snapshot). Values are stored in the metadata database's own types
// where the type has one there (integers, booleans, text; floating point in PostgreSQL) and as
// DuckDB's text of the value otherwise, so that every value comes back exactly.
//
// Stateless functions over a MetaTransaction of the caller (which decides what commits together).
// Errors are ducklake::Error from the database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/schema.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

// A row kept in the catalog, with its values by the columns asked for.
struct StoredRow {
  int64_t row_id = 0;
  int64_t begin_snapshot = 0;
  std::optional<int64_t> end_snapshot;
  std::vector<std::optional<std::string>> values;  // text, as InlinedRows holds values
};

namespace inlined_data {

// The prefix of every inlined-data table's name.
inline const std::string kTablePrefix = "ducklake_inlined_data_";

// Whether rows of a table with these columns can be kept in the catalog: no column name the
// inlined-data tables use for themselves, no JSON inside a nested type (its text does not cast back).
bool CanHold(const std::vector<ColumnDef> &columns);

// Stores `rows` (values by `rows.columns`, mapped by column id onto `table_columns`, the table's
// columns at `schema_version`; a column they lack is NULL) as inserted by `snapshot_id`, numbered
// from `first_row_id` where they carry no row id. Creates the schema version's table when needed.
// `dialect` is MetaStore::Dialect().
void Insert(MetaTransaction &txn, const std::string &dialect, int64_t table_id, int64_t schema_version,
            const std::vector<ColumnDef> &table_columns, int64_t snapshot_id, const InlinedRows &rows,
            int64_t first_row_id);

// The table's top-level columns at a schema version: the columns its inlined-data table has after
// its own three.
std::vector<ColumnDef> ColumnsAt(MetaTransaction &txn, int64_t table_id, int64_t schema_version);

// Replaces the inlined-data table of a table and schema version (with `columns`, see ColumnsAt) by
// one holding `rows` (values by `columns`), listing it in ducklake_inlined_data_tables: how a copy of
// the catalog made elsewhere comes back.
void Replace(MetaTransaction &txn, const std::string &dialect, int64_t table_id, int64_t schema_version,
             const std::vector<ColumnDef> &columns, const std::vector<StoredRow> &rows);

// Ends the live rows of a table with these row ids at `snapshot_id`; returns how many it ended (a
// row already ended, or absent, is not counted).
int64_t End(MetaTransaction &txn, int64_t table_id, const std::vector<int64_t> &row_ids, int64_t snapshot_id);

// Removes the table's live rows with these row ids, in every snapshot (a flush wrote them to a file).
void RemoveLive(MetaTransaction &txn, int64_t table_id, const std::vector<int64_t> &row_ids);

// Ends every live row of a table at `snapshot_id`; returns how many.
int64_t EndAll(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id);

// The table's rows visible at `snapshot_id` (or, with `changed_after`, also the rows inserted or
// ended in (changed_after, snapshot_id]), ordered by row id, with values by `columns` (by id; a
// column a row's schema version lacked is NULL).
std::vector<StoredRow> Rows(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id,
                            const std::vector<ColumnDef> &columns, std::optional<int64_t> changed_after = {});

// The names of a table's inlined-data tables (checked to be of the format's pattern: safe in SQL).
std::vector<std::string> TableNames(MetaTransaction &txn, int64_t table_id);

// How many of a table's rows kept in the catalog one snapshot inserted and a later one ended (none:
// live), for every such pair.
struct RowSpan {
  int64_t begin_snapshot = 0;
  std::optional<int64_t> end_snapshot;
  int64_t rows = 0;
};
std::vector<RowSpan> Spans(MetaTransaction &txn, int64_t table_id);

// Every top-level column (by id, as its newest schema version names it) that the table's inlined-data
// tables have: today's and those dropped since rows were kept with them.
std::vector<ColumnDef> KeptColumns(MetaTransaction &txn, int64_t table_id);

// Whether a snapshot after `snapshot_id` inserted or ended any of the table's rows kept in the catalog.
bool ChangedAfter(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id);

// How many of the table's rows are visible at `snapshot_id`.
int64_t CountAt(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id);

// Removes rows that were ended at or before `snapshot_id` (they are in Parquet now, or no snapshot
// that can see them is left); returns how many.
int64_t Purge(MetaTransaction &txn, int64_t table_id, int64_t snapshot_id);

// Takes the table's inlined-data tables that hold no row out of ducklake_inlined_data_tables. They
// stay (empty) in the database, for readers that listed them a moment before, and are listed again
// when rows come. (The DuckDB 1.4 extension reads a table with more than one of them listed with the
// wrong columns: fewer listed, fewer lakes it misreads.)
void UnlistEmpty(MetaTransaction &txn, int64_t table_id);

}  // namespace inlined_data
}  // namespace ducklake
