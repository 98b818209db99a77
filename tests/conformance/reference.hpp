#pragma once
// The reference the conformance suite compares DuckLake with: an in-process DuckDB, the same
// library (1.4.4) the server links, holding the same data in its own tables. Lake namespaces are
// its schemas; a lake snapshot is kept as a copy of a schema's tables ("<schema>__v<snapshot>"),
// so time travel can be compared too. Not thread-safe. Errors of the SQL it runs are answers
// (ReferenceResult::error), not exceptions.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "duckdb/common/types/value.hpp"

namespace duckdb {
class DuckDB;
class Connection;
}  // namespace duckdb

namespace ducklake::conformance {

struct ReferenceResult {
  std::optional<std::string> error;  // DuckDB's message when it refused the statement
  std::vector<std::string> names;
  std::vector<duckdb::LogicalType> types;
  std::vector<std::vector<duckdb::Value>> rows;
};

class Reference {
 public:
  Reference();
  ~Reference();

  ReferenceResult Run(const std::string &sql);
  // `sql` run on any DuckDB connection, its answer or its error.
  static ReferenceResult RunOn(duckdb::Connection &connection, const std::string &sql);

  // Keeps the tables of `schema` as they are now, as the lake's snapshot `snapshot`.
  void KeepVersion(const std::string &schema, int64_t snapshot);
  // `sql` as the reference runs it: `s.t AT (VERSION => n)` reads the copy kept for snapshot n, and
  // with `snapshot` every other lake table reference reads the copy kept for that snapshot.
  std::string AtVersions(const std::string &sql, std::optional<int64_t> snapshot);

  // Whether the statement's result has an order (a top-level ORDER BY), as DuckDB parses it.
  static bool IsOrdered(const std::string &sql);
  // Whether the statement is a query (SELECT, FROM ..., PIVOT, VALUES, ...), as DuckDB parses it.
  static bool IsQuery(const std::string &sql);
  // The table a write or DDL statement changes ("schema", "table"), if it names one.
  static std::optional<std::pair<std::string, std::string>> WriteTarget(const std::string &sql);
  // The columns of a table of the reference (empty if there is none).
  std::vector<std::pair<std::string, duckdb::LogicalType>> Columns(const std::string &schema, const std::string &table);

  static std::string VersionSchema(const std::string &schema, int64_t snapshot);

 private:
  std::unique_ptr<duckdb::DuckDB> db_;
  std::unique_ptr<duckdb::Connection> connection_;
};

}  // namespace ducklake::conformance
