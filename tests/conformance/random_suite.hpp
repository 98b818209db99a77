#pragma once
// The random part of the conformance suite, in the spirit of SQLancer and sqlsmith: from one seed,
// random tables (every type a lake table holds, names that need quoting), data with edge values
// (NULLs, extremes, NaN and infinities, empty and unicode text), loaded in several writes so tables
// have many files and delete files; then random queries composed from a grammar of projections,
// joins of every kind, subqueries, CTEs, grouping sets, windows, set operations and ordering; and
// random sequences of writes (INSERT, UPDATE, DELETE, ALTER, transactions), each followed by the
// table compared on both sides, then every snapshot read back with time travel and the change feed
// checked against the reference. A failing query is minimised before it is reported. The same
// seed gives the same statements.

#include <cstddef>
#include <cstdint>

#include "checker.hpp"

namespace ducklake::conformance {

struct RandomSuiteOptions {
  uint64_t seed = 1;
  size_t queries = 0;        // random queries
  size_t dml_sequences = 0;  // random sequences of writes, each on a table of its own
  size_t dml_steps = 12;     // writes in each sequence
};

void RunRandomSuite(Checker &checker, const RandomSuiteOptions &options, Report &report);

}  // namespace ducklake::conformance
