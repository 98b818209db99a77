#pragma once
// SqlParser: user SQL read the way DuckDB reads it. One statement is parsed once, classified into a
// Statement, and its query part travels on as an SqlQuery that keeps DuckDB's parse tree, so the
// steps after it (lineage, describe, write) never parse that text again. Also the mapping between
// SQL type names and lake column types, and constants evaluated as DuckDB evaluates them.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/schema.hpp"

namespace ducklake {

// A query (one SELECT, or a PIVOT) for QueryRunner: its SQL text and, when SqlParser::Parse made
// it, DuckDB's parse tree of exactly that text. Built from text alone, it is parsed where it is
// used. The tree is always the parse of sql() itself (never a tree edited after parsing), so the
// plan the sandbox checks is the plan of the text that runs. Immutable; copies share the tree;
// safe to use from several threads at once.
class SqlQuery {
 public:
  // The engine's parse tree; opaque outside the engine.
  struct Tree;

  SqlQuery() = default;
  SqlQuery(std::string sql) : sql_(std::move(sql)) {}             // NOLINT(google-explicit-constructor)
  SqlQuery(const char *sql) : sql_(sql) {}                          // NOLINT(google-explicit-constructor)
  SqlQuery(std::string sql, std::shared_ptr<const Tree> tree) : sql_(std::move(sql)), tree_(std::move(tree)) {}

  const std::string &sql() const { return sql_; }
  bool empty() const { return sql_.empty(); }
  // The parse tree, or null when the query was built from text.
  const std::shared_ptr<const Tree> &tree() const { return tree_; }

 private:
  std::string sql_;
  std::shared_ptr<const Tree> tree_;
};

enum class StatementKind {
  kQuery,          // SELECT ...
  kInsert,         // INSERT INTO ns.t [(columns)] <query> | DEFAULT VALUES
  kCreateTableAs,  // CREATE TABLE ns.t AS <query>
  kCreateTable,    // CREATE TABLE ns.t (column definitions)
  kDelete,         // DELETE FROM ns.t [AS a] [USING tables] [WHERE condition]
  kUpdate,         // UPDATE ns.t [AS a] SET c = expression | DEFAULT, ... [FROM tables] [WHERE condition]
  kAlterTable,     // ALTER TABLE ns.t ... (one alteration)
  kDropTable,      // DROP TABLE [IF EXISTS] ns.t
};

enum class AlterKind { kAddColumn, kDropColumn, kRenameColumn, kSetType, kRenameTable };

struct Alteration {
  AlterKind kind = AlterKind::kAddColumn;
  std::string column;      // the column altered (all but kAddColumn, kRenameTable)
  std::string new_name;    // kRenameColumn, kRenameTable
  ColumnDef new_column;    // kAddColumn (default_value is a constant, as text); kSetType (type)
  bool if_exists = false;  // ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS
};

struct Statement {
  StatementKind kind = StatementKind::kQuery;
  std::string target_schema;
  std::string target_table;
  std::string target_alias;                 // DELETE/UPDATE: how the condition names the table
  std::vector<std::string> insert_columns;  // INSERT's column list, empty for all
  std::vector<ColumnDef> columns;           // CREATE TABLE's column definitions
  SqlQuery query;                           // the query part (empty: INSERT ... DEFAULT VALUES)
  std::string condition_sql;                // DELETE/UPDATE: WHERE condition, empty for all rows
  std::string from_sql;                     // DELETE ... USING / UPDATE ... FROM: the other tables (a FROM list)
  std::vector<std::pair<std::string, std::string>> assignments;  // UPDATE: column, expression SQL (or kDefault)
  Alteration alteration;                    // kAlterTable
  bool if_exists = false;                   // kDropTable
};

// UPDATE's assignment of a column's default (SET c = DEFAULT).
constexpr const char *kDefaultAssignment = "DEFAULT";

class SqlParser {
 public:
  virtual ~SqlParser() = default;

  // The DuckDB type of a lake column as SQL text.
  static std::string SqlType(const ColumnDef &column);

  // Parses one statement and classifies it; anything but the kinds above is kForbidden, more or
  // fewer than one statement or SQL that does not parse is kInvalidInput.
  virtual Statement Parse(const std::string &sql) = 0;

  // The lake column for a DuckDB type name (kInvalidInput if the lake has no such type).
  virtual ColumnDef ParseColumnType(const std::string &name, const std::string &sql_type) = 0;

  // The value of a constant SQL expression cast to the lake column type, as text (nullopt: NULL).
  virtual std::optional<std::string> EvaluateConstant(const std::string &expression, const ColumnDef &column) = 0;

  // The query part of `INSERT INTO t [(source_columns)] <query>` as DuckDB runs it against the
  // target's columns: in a VALUES list each value is cast to its column's type and DEFAULT becomes
  // the column's default (DuckDB does not first find one type that all values of a column share).
  // An empty query is DEFAULT VALUES (one row of defaults). Any other query comes back as it is,
  // parse tree included.
  virtual SqlQuery InsertQuery(const SqlQuery &query, const std::vector<ColumnDef> &target,
                               const std::vector<std::string> &source_columns) = 0;
};

}  // namespace ducklake
