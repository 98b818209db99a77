#pragma once
// Column lineage of a bound (unoptimised) DuckDB plan (engine-private): for each result column, the
// lake columns it is computed from and how, and the lake columns that decide which rows there are
// (filters, join keys, groups, sort keys, window partitions). Column bindings are followed through
// every operator, so projections, expressions, aggregates, joins, set operations, CTEs and
// flattened subqueries are all covered. Not thread-safe; one instance per plan.

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "duckdb/planner/column_binding.hpp"
#include "duckdb/planner/logical_operator.hpp"
#include "duckdb/planner/operator/logical_get.hpp"
#include "engine/engine.hpp"

namespace ducklake {

class PlanLineage {
 public:
  // Says, for a table function scan, which lake table it reads (an index the caller keeps) and the
  // names of the columns it returns; nullopt for scans that read no lake table.
  using LakeScanOf = std::function<std::optional<size_t>(const duckdb::LogicalGet &get)>;

  explicit PlanLineage(LakeScanOf lake_scan_of) : lake_scan_of_(std::move(lake_scan_of)) {}

  // Walks the plan; then Columns() answers for its result columns, in order.
  void Analyse(duckdb::LogicalOperator &root);
  std::vector<std::vector<ColumnOrigin>> Columns() const { return result_; }
  std::vector<ColumnOrigin> Indirect() const;

 private:
  using Origins = std::vector<ColumnOrigin>;

  void Visit(duckdb::LogicalOperator &op);
  // The origins of an expression's value: a bare column reference passes its own on; anything
  // else is a transformation (an aggregate an aggregation) of every column it references.
  Origins Evaluate(const duckdb::Expression &expression) const;
  Origins Of(const duckdb::ColumnBinding &binding) const;
  void Define(const duckdb::ColumnBinding &binding, Origins origins);
  void AddIndirect(const duckdb::Expression &expression, const char *subtype);

  LakeScanOf lake_scan_of_;
  std::map<std::pair<uint64_t, uint64_t>, Origins> bindings_;
  // Columns the duplicate-eliminated side of each enclosing DELIM_JOIN passes to its DELIM_GETs.
  std::vector<std::vector<Origins>> delim_columns_;
  // (table, column, subtype) -> origin, so each indirect use is reported once.
  std::map<std::tuple<size_t, std::string, std::string>, ColumnOrigin> indirect_;
  std::vector<std::vector<ColumnOrigin>> result_;
};

}  // namespace ducklake
