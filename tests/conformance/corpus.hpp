#pragma once
// The curated corpus: files of SQL statements (tests/conformance/corpus/*.sql, run in name order),
// each run on DuckLake and on the reference and judged by the Checker.
//
// File format. A statement ends with a semicolon at the end of a line. Comment lines right above a
// statement may hold directives:
//   -- @refused <why>         DuckLake refuses it by design (documented); it must answer 4xx
//   -- @ordered / @unordered  override the order check (default: ordered iff a top-level ORDER BY)
//   -- @rows-only             compare only columns and row count (SAMPLE, LIMIT without ORDER BY)
//   -- @snapshot <label>      read the lake as of the snapshot remembered as <label>
//   -- @remember <label>      (a write) remember the snapshot it committed as <label>; "{label}" in
//                             later statements stands for its id
//   -- @each <name> in <schema>.<table>   the statement once per column of the table, "{name}"
//                             standing for the column's quoted name
// Queries are compared as results. Writes must succeed or fail on both sides alike, change as many
// rows, and leave their table equal on both sides; every write's snapshot is kept by the reference
// so that later time travel (AT (VERSION => {label})) can be compared. CREATE SCHEMA makes a lake
// namespace.

#include <string>

#include "checker.hpp"

namespace ducklake::conformance {

// Runs every file of `directory`; judgements go to `report`.
void RunCorpus(Checker &checker, const std::string &directory, Report &report);

// After a write both sides made: keeps the reference's version of the schema for time travel and
// judges whether the written table is equal on both sides.
Judgement CompareWrittenTable(Checker &checker, const std::string &schema, const std::string &table,
                              int64_t snapshot_id);

}  // namespace ducklake::conformance
