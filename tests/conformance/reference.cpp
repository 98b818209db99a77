#include "reference.hpp"

#include <functional>
#include <set>

#include "duckdb.hpp"
#include "duckdb/parser/expression/subquery_expression.hpp"
#include "duckdb/parser/parsed_expression_iterator.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/query_node/select_node.hpp"
#include "duckdb/parser/parsed_data/alter_table_info.hpp"
#include "duckdb/parser/parsed_data/create_table_info.hpp"
#include "duckdb/parser/statement/alter_statement.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "duckdb/parser/statement/delete_statement.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/merge_into_statement.hpp"
#include "duckdb/parser/statement/multi_statement.hpp"
#include "duckdb/parser/statement/select_statement.hpp"
#include "duckdb/parser/statement/update_statement.hpp"
#include "duckdb/parser/tableref/at_clause.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"

namespace ducklake::conformance {
namespace {

std::string Quote(const std::string &name) { return duckdb::KeywordHelper::WriteQuoted(name, '"'); }

// DuckDB's own schemas, which are not lake namespaces.
bool IsSystemSchema(const std::string &schema) {
  static const std::set<std::string> kSystem = {"main", "information_schema", "pg_catalog", "temp"};
  return kSystem.count(duckdb::StringUtil::Lower(schema)) > 0;
}

// Calls `visit` on every table reference of the statement, in subqueries and CTEs too.
void VisitTableRefs(duckdb::QueryNode &node, const std::function<void(duckdb::TableRef &)> &visit) {
  std::function<void(duckdb::unique_ptr<duckdb::ParsedExpression> &)> visit_expression =
      [&](duckdb::unique_ptr<duckdb::ParsedExpression> &expression) {
        if (!expression) return;
        if (expression->GetExpressionClass() == duckdb::ExpressionClass::SUBQUERY) {
          VisitTableRefs(*expression->Cast<duckdb::SubqueryExpression>().subquery->node, visit);
        }
        duckdb::ParsedExpressionIterator::EnumerateChildren(
            *expression, [&](duckdb::unique_ptr<duckdb::ParsedExpression> &child) { visit_expression(child); });
      };
  duckdb::ParsedExpressionIterator::EnumerateQueryNodeChildren(node, visit_expression, visit);
}

}  // namespace

Reference::Reference() : db_(std::make_unique<duckdb::DuckDB>(nullptr)) {
  connection_ = std::make_unique<duckdb::Connection>(*db_);
}

Reference::~Reference() = default;

ReferenceResult Reference::Run(const std::string &sql) { return RunOn(*connection_, sql); }

ReferenceResult Reference::RunOn(duckdb::Connection &connection, const std::string &sql) {
  ReferenceResult answer;
  auto result = connection.Query(sql);
  if (result->HasError()) {
    answer.error = result->GetError();
    return answer;
  }
  answer.names.assign(result->names.begin(), result->names.end());
  answer.types.assign(result->types.begin(), result->types.end());
  for (duckdb::idx_t row = 0; row < result->RowCount(); row++) {
    auto &values = answer.rows.emplace_back();
    for (duckdb::idx_t column = 0; column < result->ColumnCount(); column++) {
      values.push_back(result->GetValue(column, row));
    }
  }
  return answer;
}

std::string Reference::VersionSchema(const std::string &schema, int64_t snapshot) {
  return duckdb::StringUtil::Lower(schema) + "__v" + std::to_string(snapshot);
}

void Reference::KeepVersion(const std::string &schema, int64_t snapshot) {
  auto copy = VersionSchema(schema, snapshot);
  auto tables = Run("SELECT table_name FROM duckdb_tables() WHERE schema_name = " +
                    duckdb::KeywordHelper::WriteQuoted(duckdb::StringUtil::Lower(schema), '\''));
  std::string sql = "DROP SCHEMA IF EXISTS " + Quote(copy) + " CASCADE; CREATE SCHEMA " + Quote(copy) + ";";
  for (const auto &row : tables.rows) {
    auto table = row[0].ToString();
    sql += "CREATE TABLE " + Quote(copy) + "." + Quote(table) + " AS SELECT * FROM " + Quote(schema) + "." +
           Quote(table) + ";";
  }
  auto result = Run(sql);
  if (result.error) throw std::runtime_error("cannot keep a version of schema " + schema + ": " + *result.error);
}

std::string Reference::AtVersions(const std::string &sql, std::optional<int64_t> snapshot) {
  duckdb::Parser parser;
  try {
    parser.ParseQuery(sql);
  } catch (const std::exception &) {
    return sql;  // DuckDB refuses it as it is
  }
  if (parser.statements.size() != 1 || parser.statements[0]->type != duckdb::StatementType::SELECT_STATEMENT) {
    return sql;
  }
  auto &statement = *parser.statements[0];
  bool changed = false;
  // CTE names are not tables: a reference to one must stay as it is.
  VisitTableRefs(*statement.Cast<duckdb::SelectStatement>().node, [&](duckdb::TableRef &ref) {
    if (ref.type != duckdb::TableReferenceType::BASE_TABLE) return;
    auto &base = ref.Cast<duckdb::BaseTableRef>();
    if (base.schema_name.empty() || IsSystemSchema(base.schema_name)) return;
    std::optional<int64_t> version = snapshot;
    if (base.at_clause) {
      if (duckdb::StringUtil::Lower(base.at_clause->Unit()) != "version") return;
      try {
        version = std::stoll(base.at_clause->ExpressionMutable()->ToString());
      } catch (const std::exception &) {
        return;  // not a snapshot id: DuckDB refuses the AT clause of its own table, as the lake must
      }
      base.at_clause.reset();
    }
    if (!version) return;
    if (base.alias.empty()) base.alias = base.table_name;
    base.schema_name = VersionSchema(base.schema_name, *version);
    changed = true;
  });
  return changed ? statement.ToString() : sql;
}

bool Reference::IsOrdered(const std::string &sql) {
  duckdb::Parser parser;
  try {
    parser.ParseQuery(sql);
  } catch (const std::exception &) {
    return false;
  }
  if (parser.statements.size() != 1 || parser.statements[0]->type != duckdb::StatementType::SELECT_STATEMENT) {
    return false;
  }
  auto &node = *parser.statements[0]->Cast<duckdb::SelectStatement>().node;
  for (const auto &modifier : node.modifiers) {
    if (modifier->type == duckdb::ResultModifierType::ORDER_MODIFIER) return true;
  }
  return false;
}

bool Reference::IsQuery(const std::string &sql) {
  duckdb::Parser parser;
  try {
    parser.ParseQuery(sql);
  } catch (const std::exception &) {
    return true;  // both sides will refuse it as a query
  }
  if (parser.statements.size() != 1) return false;
  auto &statement = *parser.statements[0];
  if (statement.type == duckdb::StatementType::SELECT_STATEMENT) return true;
  // A PIVOT without IN (...) parses as CREATE TYPEs of its values followed by the query.
  if (statement.type != duckdb::StatementType::MULTI_STATEMENT) return false;
  const auto &parts = statement.Cast<duckdb::MultiStatement>().statements;
  return !parts.empty() && parts.back()->type == duckdb::StatementType::SELECT_STATEMENT;
}

std::optional<std::pair<std::string, std::string>> Reference::WriteTarget(const std::string &sql) {
  duckdb::Parser parser;
  try {
    parser.ParseQuery(sql);
  } catch (const std::exception &) {
    return std::nullopt;
  }
  if (parser.statements.size() != 1) return std::nullopt;
  auto &statement = *parser.statements[0];
  auto base = [](duckdb::TableRef &ref) -> std::optional<std::pair<std::string, std::string>> {
    if (ref.type != duckdb::TableReferenceType::BASE_TABLE) return std::nullopt;
    auto &table = ref.Cast<duckdb::BaseTableRef>();
    return std::make_pair(table.schema_name, table.table_name);
  };
  switch (statement.type) {
    case duckdb::StatementType::INSERT_STATEMENT: {
      auto &insert = statement.Cast<duckdb::InsertStatement>();
      return std::make_pair(insert.schema, insert.table);
    }
    case duckdb::StatementType::UPDATE_STATEMENT:
      return base(*statement.Cast<duckdb::UpdateStatement>().table);
    case duckdb::StatementType::DELETE_STATEMENT:
      return base(*statement.Cast<duckdb::DeleteStatement>().table);
    case duckdb::StatementType::MERGE_INTO_STATEMENT:
      return base(*statement.Cast<duckdb::MergeIntoStatement>().target);
    case duckdb::StatementType::CREATE_STATEMENT: {
      auto &info = *statement.Cast<duckdb::CreateStatement>().info;
      if (info.type != duckdb::CatalogType::TABLE_ENTRY) return std::nullopt;
      return std::make_pair(info.schema, info.Cast<duckdb::CreateTableInfo>().table);
    }
    case duckdb::StatementType::ALTER_STATEMENT: {
      auto &info = *statement.Cast<duckdb::AlterStatement>().info;
      if (info.type != duckdb::AlterType::ALTER_TABLE) return std::nullopt;
      auto &alter = info.Cast<duckdb::AlterTableInfo>();
      if (alter.alter_table_type == duckdb::AlterTableType::RENAME_TABLE) {
        return std::make_pair(info.schema, alter.Cast<duckdb::RenameTableInfo>().new_table_name);
      }
      return std::make_pair(info.schema, info.name);
    }
    default:
      return std::nullopt;
  }
}

std::vector<std::pair<std::string, duckdb::LogicalType>> Reference::Columns(const std::string &schema,
                                                                           const std::string &table) {
  auto result = connection_->TableInfo(schema, table);
  std::vector<std::pair<std::string, duckdb::LogicalType>> columns;
  if (!result) return columns;
  for (const auto &column : result->columns) columns.emplace_back(column.Name(), column.Type());
  return columns;
}

}  // namespace ducklake::conformance
