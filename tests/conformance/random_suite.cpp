#include "random_suite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "corpus.hpp"

namespace ducklake::conformance {
namespace {

// --- randomness ----------------------------------------------------------------------------------

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // A number in [low, high].
  int64_t Between(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(engine_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(engine_) < p; }
  template <typename T>
  const T &Pick(const std::vector<T> &items) {
    return items[static_cast<size_t>(Between(0, static_cast<int64_t>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

// --- types and values ----------------------------------------------------------------------------

// kUnsigned128 stands apart from the other integers: comparing it with them casts it to HUGEINT,
// which fails for large values, and whether that error is raised depends on the order DuckDB
// evaluates a condition's parts in, which differs between plans over Parquet and over its own tables.
enum class Kind {
  kInteger, kUnsigned128, kFloat, kDecimal, kString, kBool, kDate, kTimestamp, kTimestampTz, kTime, kTimeTz, kInterval, kBlob,
  kUuid, kIntList, kStringList, kStruct, kMap, kJson
};

struct ColumnType {
  std::string sql;
  Kind kind;
};

bool IsNumeric(Kind kind) { return kind == Kind::kInteger || kind == Kind::kFloat || kind == Kind::kDecimal; }
bool IsOrderable(Kind kind) { return kind != Kind::kMap && kind != Kind::kJson; }

const std::vector<ColumnType> &TypePool() {
  static const std::vector<ColumnType> kTypes = {
      {"BOOLEAN", Kind::kBool},           {"TINYINT", Kind::kInteger},         {"SMALLINT", Kind::kInteger},
      {"INTEGER", Kind::kInteger},        {"INTEGER", Kind::kInteger},         {"BIGINT", Kind::kInteger},
      {"BIGINT", Kind::kInteger},         {"HUGEINT", Kind::kInteger},         {"UTINYINT", Kind::kInteger},
      {"USMALLINT", Kind::kInteger},      {"UINTEGER", Kind::kInteger},        {"UBIGINT", Kind::kInteger},
      {"UHUGEINT", Kind::kUnsigned128},   {"FLOAT", Kind::kFloat},             {"DOUBLE", Kind::kFloat},
      {"DOUBLE", Kind::kFloat},           {"DECIMAL(4,1)", Kind::kDecimal},    {"DECIMAL(18,3)", Kind::kDecimal},
      {"DECIMAL(38,10)", Kind::kDecimal}, {"VARCHAR", Kind::kString},          {"VARCHAR", Kind::kString},
      {"VARCHAR", Kind::kString},         {"DATE", Kind::kDate},               {"TIMESTAMP", Kind::kTimestamp},
      {"TIMESTAMP_S", Kind::kTimestamp},  {"TIMESTAMP_MS", Kind::kTimestamp},  {"TIMESTAMP_NS", Kind::kTimestamp},
      {"TIMESTAMPTZ", Kind::kTimestampTz}, {"TIME", Kind::kTime},              {"TIMETZ", Kind::kTimeTz},
      {"INTERVAL", Kind::kInterval},      {"BLOB", Kind::kBlob},               {"UUID", Kind::kUuid},
      {"INTEGER[]", Kind::kIntList},      {"VARCHAR[]", Kind::kStringList},
      {"STRUCT(a INTEGER, b VARCHAR)", Kind::kStruct}, {"MAP(VARCHAR, INTEGER)", Kind::kMap},
      {"JSON", Kind::kJson},
  };
  return kTypes;
}

std::string Quoted(const std::string &text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string QuoteName(const std::string &name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Edge values of each integer type, and a small domain that makes joins and groups match.
std::vector<std::string> IntegerEdges(const std::string &type) {
  static const std::map<std::string, std::vector<std::string>> kEdges = {
      {"TINYINT", {"-128", "127"}},
      {"SMALLINT", {"-32768", "32767"}},
      {"INTEGER", {"-2147483648", "2147483647"}},
      {"BIGINT", {"-9223372036854775808", "9223372036854775807", "9007199254740993"}},
      {"HUGEINT", {"-170141183460469231731687303715884105728", "170141183460469231731687303715884105727"}},
      {"UTINYINT", {"255"}},
      {"USMALLINT", {"65535"}},
      {"UINTEGER", {"4294967295"}},
      {"UBIGINT", {"18446744073709551615"}},
      {"UHUGEINT", {"340282366920938463463374607431768211455"}},
  };
  auto it = kEdges.find(type);
  return it == kEdges.end() ? std::vector<std::string>{} : it->second;
}

bool IsUnsigned(const std::string &type) { return type[0] == 'U' && type != "UUID"; }

const std::vector<std::string> &Words() {
  static const std::vector<std::string> kWords = {
      "", " ", "a", "A", "b", "ab", "abc", "ü", "Ünïcödé", "日本語", "🦆", "x'y", "back\\slash", "line\nbreak",
      "NULL", " lead", "trail ", "%", "_", std::string(300, 'x'), "a,b", "\"quoted\""};
  return kWords;
}

// A literal of `type`: NULL, an edge value or an ordinary one.
std::string Literal(const ColumnType &type, Rng &rng, double null_chance = 0.15) {
  if (rng.Chance(null_chance)) return "NULL";
  bool edge = rng.Chance(0.3);
  auto cast = [&](const std::string &text) { return fmt::format("CAST({} AS {})", Quoted(text), type.sql); };
  switch (type.kind) {
    case Kind::kBool:
      return rng.Chance(0.5) ? "true" : "false";
    case Kind::kInteger:
    case Kind::kUnsigned128: {
      auto edges = IntegerEdges(type.sql);
      if (edge && !edges.empty()) return cast(rng.Pick(edges));
      return cast(std::to_string(rng.Between(IsUnsigned(type.sql) ? 0 : -5, 5)));
    }
    case Kind::kFloat: {
      static const std::vector<std::string> kFloatEdges = {"nan", "inf", "-inf", "-0.0", "1e-40", "3.4e38", "-3.4e38"};
      static const std::vector<std::string> kDoubleEdges = {"1e308", "-1e308", "5e-324", "0.1", "0.30000000000000004"};
      if (edge) return cast(rng.Chance(0.6) || type.sql == "FLOAT" ? rng.Pick(kFloatEdges) : rng.Pick(kDoubleEdges));
      return cast(fmt::format("{}", static_cast<double>(rng.Between(-8, 8)) / 4));
    }
    case Kind::kDecimal: {
      if (edge) {
        if (type.sql == "DECIMAL(4,1)") return cast(rng.Chance(0.5) ? "999.9" : "-999.9");
        if (type.sql == "DECIMAL(18,3)") return cast(rng.Chance(0.5) ? "999999999999999.999" : "-0.001");
        return cast(rng.Chance(0.5) ? "9999999999999999999999999999.9999999999" : "-0.0000000001");
      }
      return cast(fmt::format("{}.{}", rng.Between(-20, 20), rng.Between(0, 9)));
    }
    case Kind::kString:
      return Quoted(rng.Pick(Words()));
    case Kind::kDate: {
      static const std::vector<std::string> kEdges = {"1970-01-01", "2000-02-29", "0001-01-01", "9999-12-31",
                                                      "infinity", "-infinity", "1582-10-04"};
      if (edge) return cast(rng.Pick(kEdges));
      return cast(fmt::format("2026-{:02d}-{:02d}", rng.Between(1, 3), rng.Between(1, 3)));
    }
    case Kind::kTimestamp: {
      static const std::vector<std::string> kEdges = {"1970-01-01 00:00:00", "2000-02-29 23:59:59.999999",
                                                      "1900-01-01 00:00:00", "2262-04-11 00:00:00",
                                                      "2024-01-01 12:34:56.789012"};
      if (edge) return cast(type.sql == "TIMESTAMP_NS" || !rng.Chance(0.2) ? rng.Pick(kEdges) : "infinity");
      return cast(fmt::format("2026-01-{:02d} {:02d}:00:00", rng.Between(1, 3), rng.Between(0, 2)));
    }
    case Kind::kTimestampTz: {
      static const std::vector<std::string> kEdges = {"1970-01-01 00:00:00+00", "2024-06-01 10:00:00+02",
                                                      "2024-06-01 10:00:00-11:30", "infinity"};
      if (edge) return cast(rng.Pick(kEdges));
      return cast(fmt::format("2026-01-{:02d} {:02d}:00:00+00", rng.Between(1, 3), rng.Between(0, 2)));
    }
    case Kind::kTime: {
      static const std::vector<std::string> kEdges = {"00:00:00", "23:59:59.999999", "24:00:00", "12:30:00.5"};
      if (edge) return cast(rng.Pick(kEdges));
      return cast(fmt::format("{:02d}:{:02d}:00", rng.Between(0, 3), rng.Between(0, 1) * 30));
    }
    case Kind::kTimeTz: {
      static const std::vector<std::string> kEdges = {"12:00:00+05:30", "00:00:00-11", "23:59:59+00", "08:00:00+14"};
      if (edge) return cast(rng.Pick(kEdges));
      return cast(fmt::format("{:02d}:00:00+{:02d}", rng.Between(0, 3), rng.Between(0, 2)));
    }
    case Kind::kInterval: {
      static const std::vector<std::string> kEdges = {"0 seconds", "-1 month", "1 year 2 months 3 days 04:05:06.789",
                                                      "1000 days", "-00:00:00.000001", "30 days", "1 month"};
      if (edge) return cast(rng.Pick(kEdges));
      return cast(fmt::format("{} hours", rng.Between(-3, 3)));
    }
    case Kind::kBlob: {
      static const std::vector<std::string> kBlobs = {"", "\\x00", "abc", "\\xFF\\xFE", "a\\x00b", "\\x80"};
      return cast(rng.Pick(kBlobs));
    }
    case Kind::kUuid: {
      static const std::vector<std::string> kUuids = {"00000000-0000-0000-0000-000000000000",
                                                      "ffffffff-ffff-ffff-ffff-ffffffffffff",
                                                      "7fffffff-ffff-ffff-ffff-ffffffffffff",
                                                      "80000000-0000-0000-0000-000000000000",
                                                      "123e4567-e89b-12d3-a456-426614174000"};
      return cast(rng.Pick(kUuids));
    }
    case Kind::kIntList: {
      static const std::vector<std::string> kLists = {"[]", "[NULL]", "[1, 2, 3]", "[-1]", "[3, 1, 2, 2]",
                                                      "[2147483647, -2147483648]"};
      return "CAST(" + rng.Pick(kLists) + " AS INTEGER[])";
    }
    case Kind::kStringList: {
      static const std::vector<std::string> kLists = {"[]", "['a', NULL]", "['ü', '']", "['b', 'a', 'b']"};
      return "CAST(" + rng.Pick(kLists) + " AS VARCHAR[])";
    }
    case Kind::kStruct: {
      if (edge) return rng.Chance(0.5) ? "{'a': NULL, 'b': NULL}" : "{'a': 2147483647, 'b': '🦆'}";
      return fmt::format("{{'a': {}, 'b': {}}}", rng.Between(-2, 2), Quoted(rng.Pick(Words())));
    }
    case Kind::kMap: {
      static const std::vector<std::string> kMaps = {"MAP {}", "MAP {'a': 1, 'b': 2}", "MAP {'x': NULL}",
                                                     "MAP {'ü': -1}"};
      return "CAST(" + rng.Pick(kMaps) + " AS MAP(VARCHAR, INTEGER))";
    }
    case Kind::kJson: {
      static const std::vector<std::string> kJson = {"{\"a\": 1}", "[1, 2]", "null", "\"s\"", "{\"b\": {\"c\": [true]}}",
                                                     "3.5"};
      return cast(rng.Pick(kJson));
    }
  }
  return "NULL";
}

// --- tables --------------------------------------------------------------------------------------

struct Column {
  std::string name;
  ColumnType type;
};

struct Table {
  std::string schema, name;
  std::vector<Column> columns;  // columns[0] is "id", unique
  std::string Ref() const { return QuoteName(schema) + "." + QuoteName(name); }
};

// Column names, some of which need quoting.
std::string ColumnName(Rng &rng, size_t index) {
  static const std::vector<std::string> kOdd = {"Größe", "with space", "select", "MixedCase", "x\"y", "日付"};
  if (rng.Chance(0.15)) return rng.Pick(kOdd) + std::to_string(index);
  return "c" + std::to_string(index);
}

Table RandomTable(Rng &rng, const std::string &schema, const std::string &name, size_t min_columns,
                  size_t max_columns) {
  Table table{schema, name, {{"id", {"BIGINT", Kind::kInteger}}}};
  auto count = static_cast<size_t>(rng.Between(static_cast<int64_t>(min_columns), static_cast<int64_t>(max_columns)));
  for (size_t i = 0; i < count; i++) table.columns.push_back({ColumnName(rng, i), rng.Pick(TypePool())});
  return table;
}

std::string CreateSql(const Table &table) {
  std::string columns;
  for (const auto &column : table.columns) {
    columns += (columns.empty() ? "" : ", ") + QuoteName(column.name) + " " + column.type.sql;
  }
  return fmt::format("CREATE TABLE {} ({})", table.Ref(), columns);
}

// INSERT of `rows` random rows with ids from `first_id`.
std::string InsertSql(const Table &table, Rng &rng, int64_t first_id, size_t rows) {
  std::string values;
  for (size_t r = 0; r < rows; r++) {
    std::string row = std::to_string(first_id + static_cast<int64_t>(r));
    for (size_t c = 1; c < table.columns.size(); c++) row += ", " + Literal(table.columns[c].type, rng);
    values += (values.empty() ? "(" : ", (") + row + ")";
  }
  return fmt::format("INSERT INTO {} VALUES {}", table.Ref(), values);
}

// --- expressions ---------------------------------------------------------------------------------

// A column a query can name: its SQL (qualified) and its type.
struct ScopeColumn {
  std::string sql;
  ColumnType type;
};

struct Scope {
  std::vector<ScopeColumn> columns;
  std::vector<std::string> identity;  // expressions that together identify a row (for window order)
};

class ExpressionMaker {
 public:
  ExpressionMaker(Rng &rng, const Table *subquery_table) : rng_(rng), subquery_table_(subquery_table) {}

  // A column of the scope with one of `kinds`, or nullopt.
  std::optional<ScopeColumn> ColumnOf(const Scope &scope, const std::function<bool(Kind)> &wanted) {
    std::vector<ScopeColumn> matches;
    for (const auto &column : scope.columns) {
      if (wanted(column.type.kind)) matches.push_back(column);
    }
    if (matches.empty()) return std::nullopt;
    return rng_.Pick(matches);
  }

  std::string Numeric(const Scope &scope, int depth) {
    auto column = ColumnOf(scope, IsNumeric);
    if (depth <= 0 || rng_.Chance(0.4)) {
      if (column && rng_.Chance(0.8)) return column->sql;
      return std::to_string(rng_.Between(-3, 3));
    }
    switch (rng_.Between(0, 9)) {
      // Arithmetic in DOUBLE: integer overflow on the edge values is an error, and whether it is raised
      // depends on which rows DuckDB's plan evaluates (a join with no matches may evaluate none),
      // which differs between plans over Parquet and over its own tables.
      case 0: return fmt::format("(CAST({} AS DOUBLE) + {})", Numeric(scope, depth - 1), Numeric(scope, depth - 1));
      case 1: return fmt::format("(CAST({} AS DOUBLE) - {})", Numeric(scope, depth - 1), Numeric(scope, depth - 1));
      case 2: return fmt::format("(CAST({} AS DOUBLE) * {})", Numeric(scope, depth - 1), rng_.Between(-2, 3));
      case 3: return fmt::format("abs(CAST({} AS DOUBLE))", Numeric(scope, depth - 1));
      case 4: return fmt::format("length({})", String(scope, depth - 1));
      case 5: return fmt::format("coalesce({}, {})", Numeric(scope, depth - 1), rng_.Between(0, 9));
      case 6: return fmt::format("CASE WHEN {} THEN {} ELSE {} END", Predicate(scope, depth - 1),
                                 Numeric(scope, depth - 1), Numeric(scope, depth - 1));
      case 7: return fmt::format("round(CAST({} AS DOUBLE), 2)", Numeric(scope, depth - 1));
      case 8: {
        auto temporal = ColumnOf(scope, [](Kind k) { return k == Kind::kDate || k == Kind::kTimestamp; });
        if (temporal) return fmt::format("year({})", temporal->sql);
        return Numeric(scope, depth - 1);
      }
      default: {
        auto list = ColumnOf(scope, [](Kind k) { return k == Kind::kIntList || k == Kind::kStringList; });
        if (list) return fmt::format("len({})", list->sql);
        return fmt::format("({} % 3)", Numeric(scope, depth - 1));
      }
    }
  }

  std::string String(const Scope &scope, int depth) {
    auto column = ColumnOf(scope, [](Kind k) { return k == Kind::kString; });
    if (depth <= 0 || rng_.Chance(0.4)) {
      if (column && rng_.Chance(0.8)) return column->sql;
      return Quoted(rng_.Pick(Words()));
    }
    switch (rng_.Between(0, 9)) {
      case 0: return fmt::format("upper({})", String(scope, depth - 1));
      case 1: return fmt::format("lower({})", String(scope, depth - 1));
      case 2: return fmt::format("({} || {})", String(scope, depth - 1), String(scope, depth - 1));
      case 3: return fmt::format("substr({}, {}, {})", String(scope, depth - 1), rng_.Between(1, 3), rng_.Between(0, 4));
      case 4: return fmt::format("CAST({} AS VARCHAR)", Numeric(scope, depth - 1));
      case 5: return fmt::format("coalesce({}, 'none')", String(scope, depth - 1));
      case 6: return fmt::format("replace({}, 'a', 'Z')", String(scope, depth - 1));
      case 7: return fmt::format("trim({})", String(scope, depth - 1));
      case 8: {
        auto any = rng_.Pick(scope.columns);
        return fmt::format("CAST({} AS VARCHAR)", any.sql);
      }
      default: {
        auto structure = ColumnOf(scope, [](Kind k) { return k == Kind::kStruct; });
        if (structure) return fmt::format("{}.b", structure->sql);
        return fmt::format("reverse({})", String(scope, depth - 1));
      }
    }
  }

  // Two expressions of one comparable kind.
  std::pair<std::string, std::string> ComparablePair(const Scope &scope, int depth) {
    auto column = ColumnOf(scope, IsOrderable);
    if (!column || rng_.Chance(0.3)) return {Numeric(scope, depth), Numeric(scope, depth)};
    if (column->type.kind == Kind::kString) return {column->sql, String(scope, depth)};
    if (IsNumeric(column->type.kind)) return {column->sql, Numeric(scope, depth)};
    auto other = ColumnOf(scope, [&](Kind k) { return k == column->type.kind; });
    if (rng_.Chance(0.5)) return {column->sql, other->sql};
    return {column->sql, Literal(column->type, rng_, 0)};
  }

  std::string Predicate(const Scope &scope, int depth) {
    if (depth <= 0) {
      auto [left, right] = ComparablePair(scope, 0);
      return fmt::format("{} {} {}", left, rng_.Pick(std::vector<std::string>{"=", "<>", "<", "<=", ">", ">="}), right);
    }
    switch (rng_.Between(0, 11)) {
      case 0:
      case 1: {
        auto [left, right] = ComparablePair(scope, depth - 1);
        return fmt::format("{} {} {}", left,
                           rng_.Pick(std::vector<std::string>{"=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM"}),
                           right);
      }
      case 2: return fmt::format("{} IS {}NULL", rng_.Pick(scope.columns).sql, rng_.Chance(0.5) ? "NOT " : "");
      case 3: return fmt::format("({} AND {})", Predicate(scope, depth - 1), Predicate(scope, depth - 1));
      case 4: return fmt::format("({} OR {})", Predicate(scope, depth - 1), Predicate(scope, depth - 1));
      case 5: return fmt::format("NOT ({})", Predicate(scope, depth - 1));
      case 6: return fmt::format("{} BETWEEN {} AND {}", Numeric(scope, depth - 1), rng_.Between(-5, 0), rng_.Between(0, 5));
      case 7: return fmt::format("{} IN ({}, {}, {})", Numeric(scope, depth - 1), rng_.Between(-3, 3), rng_.Between(-3, 3),
                                 rng_.Between(-3, 3));
      case 8: return fmt::format("{} {} {}", String(scope, depth - 1), rng_.Chance(0.5) ? "LIKE" : "ILIKE",
                                 Quoted(rng_.Pick(std::vector<std::string>{"a%", "%b", "_", "%ü%", "%"})));
      case 9: {
        auto flag = ColumnOf(scope, [](Kind k) { return k == Kind::kBool; });
        if (flag) return flag->sql;
        auto list = ColumnOf(scope, [](Kind k) { return k == Kind::kIntList; });
        if (list) return fmt::format("list_contains({}, {})", list->sql, rng_.Between(0, 3));
        return Predicate(scope, depth - 1);
      }
      case 10: {
        if (!subquery_table_) return Predicate(scope, depth - 1);
        // A correlated EXISTS or an IN over another table.
        const auto &other = *subquery_table_;
        auto mine = ColumnOf(scope, IsNumeric);
        std::vector<std::string> numeric_columns;
        for (const auto &column : other.columns) {
          if (IsNumeric(column.type.kind)) numeric_columns.push_back("s." + QuoteName(column.name));
        }
        if (!mine) return Predicate(scope, depth - 1);
        if (rng_.Chance(0.5)) {
          return fmt::format("EXISTS (SELECT 1 FROM {} AS s WHERE {} = {})", other.Ref(), rng_.Pick(numeric_columns),
                             mine->sql);
        }
        return fmt::format("{} {}IN (SELECT {} FROM {} AS s)", mine->sql, rng_.Chance(0.3) ? "NOT " : "",
                           rng_.Pick(numeric_columns), other.Ref());
      }
      default: {
        if (!subquery_table_) return Predicate(scope, depth - 1);
        // A scalar subquery.
        return fmt::format("{} > (SELECT count(*) FROM {} AS s WHERE s.id < {})", Numeric(scope, depth - 1),
                           subquery_table_->Ref(), rng_.Between(0, 20));
      }
    }
  }

  // Any expression, with the kind of its result when it is plain enough to say.
  std::string Any(const Scope &scope, int depth) {
    switch (rng_.Between(0, 4)) {
      case 0: return Numeric(scope, depth);
      case 1: return String(scope, depth);
      case 2: return Predicate(scope, depth);
      default: return rng_.Pick(scope.columns).sql;
    }
  }

  // An aggregate whose result does not depend on the order rows arrive in.
  std::string Aggregate(const Scope &scope, int depth) {
    auto orderable = ColumnOf(scope, IsOrderable);
    switch (rng_.Between(0, 10)) {
      case 0: return "count(*)";
      case 1: return fmt::format("count({})", rng_.Pick(scope.columns).sql);
      case 2: return fmt::format("sum({})", Numeric(scope, depth));
      case 3: return fmt::format("avg({})", Numeric(scope, depth));
      case 4: return orderable ? fmt::format("min({})", orderable->sql) : "count(*)";
      case 5: return orderable ? fmt::format("max({})", orderable->sql) : "count(*)";
      case 6: return fmt::format("count(DISTINCT {})", rng_.Pick(scope.columns).sql);
      case 7: {
        auto text = String(scope, depth);
        return fmt::format("string_agg({0}, ',' ORDER BY {0})", text);
      }
      case 8: return orderable ? fmt::format("list({0} ORDER BY {0})", orderable->sql) : "count(*)";
      case 9: return fmt::format("bool_or({})", Predicate(scope, depth));
      default: return fmt::format("median({})", Numeric(scope, depth));
    }
  }

  // A window function whose result does not depend on the order of ties (the order is by row identity).
  std::optional<std::string> Window(const Scope &scope, int depth) {
    if (scope.identity.empty()) return std::nullopt;
    std::string order;
    for (const auto &key : scope.identity) order += (order.empty() ? "" : ", ") + key;
    std::string partition = rng_.Chance(0.6) ? "PARTITION BY " + rng_.Pick(scope.columns).sql + " " : "";
    std::string over = fmt::format("OVER ({}ORDER BY {})", partition, order);
    switch (rng_.Between(0, 6)) {
      case 0: return "row_number() " + over;
      case 1: return "rank() " + over;
      case 2: return fmt::format("lag({}) {}", rng_.Pick(scope.columns).sql, over);
      case 3: return fmt::format("lead({}, 2) {}", rng_.Pick(scope.columns).sql, over);
      case 4: return fmt::format("sum({}) OVER ({}ORDER BY {} ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)",
                                 Numeric(scope, depth), partition, order);
      case 5: return fmt::format("count(*) OVER ({})", partition.empty() ? "" : partition.substr(0, partition.size() - 1));
      default: return fmt::format("first_value({}) {}", rng_.Pick(scope.columns).sql, over);
    }
  }

 private:
  Rng &rng_;
  const Table *subquery_table_;
};

// --- queries -------------------------------------------------------------------------------------

// A generated query in parts, so that a failing one can be minimised part by part.
struct QuerySpec {
  std::vector<std::string> ctes;
  bool distinct = false;
  std::vector<std::string> items;
  std::string from;
  std::vector<std::string> where;
  std::vector<std::string> group_by;
  std::string grouping;  // "", "ROLLUP", "CUBE"
  std::string having;
  std::string qualify;
  std::string set_operation;         // "UNION", "UNION ALL", "INTERSECT", "EXCEPT", ... with `other`
  std::shared_ptr<QuerySpec> other;  // the right side of a set operation
  bool order_all = false;
  std::optional<int64_t> limit, offset;

  std::string Body() const {
    std::string sql = "SELECT " + std::string(distinct ? "DISTINCT " : "");
    for (size_t i = 0; i < items.size(); i++) sql += (i ? ", " : "") + items[i];
    sql += " FROM " + from;
    for (size_t i = 0; i < where.size(); i++) sql += (i ? " AND " : " WHERE ") + where[i];
    if (!group_by.empty()) {
      std::string keys;
      for (const auto &key : group_by) keys += (keys.empty() ? "" : ", ") + key;
      sql += grouping.empty() ? " GROUP BY " + keys : " GROUP BY " + grouping + " (" + keys + ")";
    }
    if (!having.empty()) sql += " HAVING " + having;
    if (!qualify.empty()) sql += " QUALIFY " + qualify;
    return sql;
  }

  std::string Render() const {
    std::string sql;
    for (size_t i = 0; i < ctes.size(); i++) sql += (i ? ", " : "WITH ") + ctes[i];
    if (!ctes.empty()) sql += " ";
    if (other) {
      sql += "(" + Body() + ") " + set_operation + " (" + other->Body() + ")";
    } else {
      sql += Body();
    }
    // LIMIT only ever comes with an order over every column: a LIMIT over ties would pick any rows.
    if (order_all) sql += " ORDER BY ALL";
    if (order_all && limit) sql += fmt::format(" LIMIT {}", *limit);
    if (order_all && limit && offset) sql += fmt::format(" OFFSET {}", *offset);
    return sql;
  }
};

class QueryMaker {
 public:
  QueryMaker(Rng &rng, const std::vector<Table> &tables) : rng_(rng), tables_(tables) {}

  QuerySpec Make() {
    QuerySpec spec;
    Scope scope;
    const Table &left = rng_.Pick(tables_);
    const Table &right = rng_.Pick(tables_);
    ExpressionMaker expressions(rng_, &rng_.Pick(tables_));
    spec.from = From(left, right, scope, spec);
    int depth = static_cast<int>(rng_.Between(0, 2));
    for (int i = 0, n = static_cast<int>(rng_.Between(0, 2)); i < n; i++) {
      spec.where.push_back(expressions.Predicate(scope, depth));
    }
    bool grouped = rng_.Chance(0.3);
    if (grouped) {
      for (int i = 0, n = static_cast<int>(rng_.Between(1, 2)); i < n; i++) {
        auto key = rng_.Chance(0.7) ? rng_.Pick(scope.columns).sql : expressions.Any(scope, 1);
        spec.group_by.push_back(key);
        spec.items.push_back(key);
      }
      if (rng_.Chance(0.15)) spec.grouping = rng_.Chance(0.5) ? "ROLLUP" : "CUBE";
      for (int i = 0, n = static_cast<int>(rng_.Between(1, 3)); i < n; i++) {
        spec.items.push_back(expressions.Aggregate(scope, 1));
      }
      if (rng_.Chance(0.3)) spec.having = fmt::format("{} > {}", "count(*)", rng_.Between(0, 2));
    } else {
      for (int i = 0, n = static_cast<int>(rng_.Between(1, 4)); i < n; i++) {
        if (rng_.Chance(0.12)) {
          if (auto window = expressions.Window(scope, 1)) {
            spec.items.push_back(*window);
            continue;
          }
        }
        spec.items.push_back(rng_.Chance(0.5) ? rng_.Pick(scope.columns).sql : expressions.Any(scope, depth));
      }
      if (rng_.Chance(0.05)) {
        if (auto window = expressions.Window(scope, 0)) spec.qualify = *window + " <= 2";
      }
      spec.distinct = rng_.Chance(0.15);
    }
    if (!grouped && rng_.Chance(0.12)) {
      // A set operation over text, so both sides' columns fit whatever their types.
      auto as_text = [](QuerySpec &part) {
        for (auto &item : part.items) item = "CAST(" + item + " AS VARCHAR)";
      };
      auto other = std::make_shared<QuerySpec>();
      Scope other_scope;
      const Table &table = rng_.Pick(tables_);
      other->from = table.Ref() + " AS o";
      for (const auto &column : table.columns) other_scope.columns.push_back({"o." + QuoteName(column.name), column.type});
      for (size_t i = 0; i < spec.items.size(); i++) other->items.push_back(rng_.Pick(other_scope.columns).sql);
      if (rng_.Chance(0.5)) other->where.push_back(expressions.Predicate(other_scope, 1));
      spec.distinct = false;
      spec.qualify.clear();
      as_text(spec);
      as_text(*other);
      spec.other = other;
      spec.set_operation = rng_.Pick(std::vector<std::string>{"UNION", "UNION ALL", "INTERSECT", "EXCEPT",
                                                              "INTERSECT ALL", "EXCEPT ALL", "UNION BY NAME"});
      if (spec.set_operation == "UNION BY NAME") {
        for (size_t i = 0; i < spec.items.size(); i++) {
          spec.items[i] += fmt::format(" AS k{}", i);
          other->items[i] += fmt::format(" AS k{}", spec.items.size() - 1 - i);
        }
      }
    }
    if (rng_.Chance(0.5)) {
      spec.order_all = true;
      if (rng_.Chance(0.6)) spec.limit = rng_.Between(0, 10);
      if (spec.limit && rng_.Chance(0.4)) spec.offset = rng_.Between(0, 5);
    }
    return spec;
  }

  // Smaller variants of a query: each drops or simplifies one part.
  static std::vector<QuerySpec> Reductions(const QuerySpec &spec) {
    std::vector<QuerySpec> variants;
    auto add = [&](const std::function<void(QuerySpec &)> &change) {
      QuerySpec variant = spec;
      change(variant);
      if (variant.Render() != spec.Render()) variants.push_back(std::move(variant));
    };
    if (spec.other) {
      add([](QuerySpec &q) {
        q.other.reset();
        q.set_operation.clear();
      });
    }
    for (size_t i = 0; i < spec.items.size() && spec.items.size() > 1 && !spec.other; i++) {
      add([i](QuerySpec &q) { q.items.erase(q.items.begin() + static_cast<long>(i)); });
    }
    for (size_t i = 0; i < spec.where.size(); i++) {
      add([i](QuerySpec &q) { q.where.erase(q.where.begin() + static_cast<long>(i)); });
    }
    add([](QuerySpec &q) { q.having.clear(); });
    add([](QuerySpec &q) { q.qualify.clear(); });
    add([](QuerySpec &q) { q.grouping.clear(); });
    add([](QuerySpec &q) { q.distinct = false; });
    add([](QuerySpec &q) { q.offset.reset(); });
    add([](QuerySpec &q) {
      q.limit.reset();
      q.offset.reset();
    });
    add([](QuerySpec &q) {
      q.order_all = false;
      q.limit.reset();
      q.offset.reset();
    });
    // The first table of the FROM clause alone.
    auto space = spec.from.find(" AS a");
    if (space != std::string::npos) add([space](QuerySpec &q) { q.from = q.from.substr(0, space + 5); });
    return variants;
  }

 private:
  void AddTable(const Table &table, const std::string &alias, Scope &scope) {
    for (const auto &column : table.columns) scope.columns.push_back({alias + "." + QuoteName(column.name), column.type});
    scope.identity.push_back(alias + ".id");
  }

  // The FROM clause: a table, a join of two, a subquery, a CTE, LATERAL, a recursive CTE.
  std::string From(const Table &left, const Table &right, Scope &scope, QuerySpec &spec) {
    auto shape = rng_.Between(0, 12);
    if (shape <= 3) {
      AddTable(left, "a", scope);
      return left.Ref() + " AS a";
    }
    if (shape <= 8) {
      static const std::vector<std::string> kJoins = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "SEMI JOIN",
                                                      "ANTI JOIN", "CROSS JOIN", "ASOF JOIN", "ASOF LEFT JOIN"};
      const auto &join = rng_.Pick(kJoins);
      Scope left_scope, right_scope;
      AddTable(left, "a", left_scope);
      AddTable(right, "b", right_scope);
      ExpressionMaker keys(rng_, nullptr);
      std::string on;
      if (join.find("ASOF") != std::string::npos) {
        // ASOF needs an inequality on an orderable value (here the ids, which every table has).
        auto key = keys.ColumnOf(left_scope, [](Kind k) { return k == Kind::kInteger; });
        on = fmt::format(" ON a.id >= b.id");
        if (key && rng_.Chance(0.5)) {
          auto other = keys.ColumnOf(right_scope, [](Kind k) { return k == Kind::kInteger; });
          on = fmt::format(" ON {} = {} AND a.id >= b.id", key->sql, other->sql);
        }
      } else if (join != "CROSS JOIN") {
        auto key = keys.ColumnOf(left_scope, [](Kind k) { return IsNumeric(k) || k == Kind::kString; });
        bool text = key && key->type.kind == Kind::kString;
        auto other = keys.ColumnOf(right_scope, [&](Kind k) { return text ? k == Kind::kString : IsNumeric(k); });
        if (key && other) {
          on = fmt::format(" ON {} = {}", key->sql, other->sql);
        } else {
          on = " ON a.id = b.id";
        }
        if (rng_.Chance(0.2)) on += " AND " + keys.Predicate(right_scope, 0);
      }
      bool right_visible = join != "SEMI JOIN" && join != "ANTI JOIN";
      scope = left_scope;
      if (right_visible) {
        scope.columns.insert(scope.columns.end(), right_scope.columns.begin(), right_scope.columns.end());
        scope.identity.push_back("b.id");
      }
      return fmt::format("{} AS a {} {} AS b{}", left.Ref(), join, right.Ref(), on);
    }
    if (shape <= 10) {
      // A subquery, or the same as a CTE: a filtered projection keeping the row identity.
      Scope inner;
      AddTable(left, "a", inner);
      ExpressionMaker expressions(rng_, nullptr);
      std::string items = "a.id AS id";
      std::vector<Column> columns = {{"id", {"BIGINT", Kind::kInteger}}};
      for (size_t i = 0, n = static_cast<size_t>(rng_.Between(1, 3)); i < n; i++) {
        auto column = rng_.Pick(inner.columns);
        items += fmt::format(", {} AS v{}", column.sql, i);
        columns.push_back({"v" + std::to_string(i), column.type});
      }
      auto body = fmt::format("SELECT {} FROM {} AS a WHERE {}", items, left.Ref(), expressions.Predicate(inner, 1));
      for (const auto &column : columns) scope.columns.push_back({"q." + QuoteName(column.name), column.type});
      scope.identity.push_back("q.id");
      if (rng_.Chance(0.5)) {
        spec.ctes.push_back("q AS (" + body + ")");
        return "q";
      }
      return "(" + body + ") AS q";
    }
    if (shape == 11) {
      // LATERAL: for each row of a, an aggregate over the rows of b it correlates with.
      AddTable(left, "a", scope);
      scope.columns.push_back({"l.n", {"BIGINT", Kind::kInteger}});
      scope.columns.push_back({"l.m", {"BIGINT", Kind::kInteger}});
      return fmt::format("{} AS a, LATERAL (SELECT count(*) AS n, max(b.id) AS m FROM {} AS b WHERE b.id <= a.id) AS l",
                         left.Ref(), right.Ref());
    }
    // A recursive CTE joined to a table.
    AddTable(left, "a", scope);
    scope.columns.push_back({"r.n", {"INTEGER", Kind::kInteger}});
    scope.identity.push_back("r.n");
    spec.ctes.push_back(fmt::format("RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < {})",
                                    rng_.Between(1, 6)));
    return fmt::format("{} AS a JOIN r ON a.id % 7 = r.n", left.Ref());
  }

  Rng &rng_;
  const std::vector<Table> &tables_;
};

// Judges a query; a failing one is minimised and reported with the original.
void CheckQuery(Checker &checker, const QuerySpec &spec, const std::string &source, Report &report) {
  auto sql = spec.Render();
  auto judged = checker.JudgeQuery(sql);
  if (judged.verdict == Verdict::kAgree || judged.verdict == Verdict::kBothRefused ||
      judged.verdict == Verdict::kDocumentedRefusal) {
    report.Add(judged.verdict, source, sql, judged.why);
    return;
  }
  QuerySpec smallest = spec;
  Judgement smallest_judged = judged;
  for (bool shrunk = true; shrunk;) {
    shrunk = false;
    for (const auto &variant : QueryMaker::Reductions(smallest)) {
      auto variant_judged = checker.JudgeQuery(variant.Render());
      if (variant_judged.verdict == judged.verdict) {
        smallest = variant;
        smallest_judged = variant_judged;
        shrunk = true;
        break;
      }
    }
  }
  auto minimised = smallest.Render();
  report.Add(judged.verdict, source, minimised,
             minimised == sql ? judged.why : smallest_judged.why + "\n  (minimised from: " + sql + ")");
}

// --- writes --------------------------------------------------------------------------------------

struct SnapshotRecord {
  int64_t snapshot_id;
  int64_t previous_id;           // the table's snapshot before this write
  std::vector<std::string> sql;  // the statements of the write
  bool schema_change = false;    // an ALTER TABLE was among them
};

// Writes a table's rows through both sides and compares it; returns the snapshot or nullopt.
std::optional<int64_t> Write(Checker &checker, Report &report, const std::string &source, const Table &table,
                             const std::vector<std::string> &statements) {
  auto judged = checker.JudgeWrite(statements);
  std::string sql;
  for (const auto &statement : statements) sql += (sql.empty() ? "" : "; ") + statement;
  report.Add(judged.verdict, source, sql, judged.why);
  if (judged.verdict != Verdict::kAgree || !judged.snapshot_id) return std::nullopt;
  auto compared = CompareWrittenTable(checker, table.schema, table.name, *judged.snapshot_id);
  report.Add(compared.verdict, source + " (the table after it)", sql, compared.why);
  return judged.snapshot_id;
}

class DmlMaker {
 public:
  DmlMaker(Rng &rng, Table &table) : rng_(rng), table_(table) {}

  std::string Next(int64_t &next_id, bool allow_alter = true) {
    Scope scope;
    for (const auto &column : table_.columns) scope.columns.push_back({QuoteName(column.name), column.type});
    ExpressionMaker expressions(rng_, nullptr);
    switch (rng_.Between(0, allow_alter ? 9 : 8)) {
      case 0:
      case 1:
      case 2: {
        auto rows = static_cast<size_t>(rng_.Between(1, 6));
        next_id += static_cast<int64_t>(rows);
        return InsertSql(table_, rng_, next_id - static_cast<int64_t>(rows), rows);
      }
      case 3: {
        // Some columns only: the others get their defaults.
        std::string names = "id", values = std::to_string(next_id++);
        for (size_t c = 1; c < table_.columns.size(); c++) {
          if (rng_.Chance(0.5)) continue;
          names += ", " + QuoteName(table_.columns[c].name);
          values += ", " + Literal(table_.columns[c].type, rng_);
        }
        return fmt::format("INSERT INTO {} ({}) VALUES ({})", table_.Ref(), names, values);
      }
      case 4: {
        std::string items = fmt::format("id + {}", next_id);
        for (size_t c = 1; c < table_.columns.size(); c++) items += ", " + QuoteName(table_.columns[c].name);
        next_id *= 2;
        return fmt::format("INSERT INTO {} SELECT {} FROM {} WHERE {}", table_.Ref(), items, table_.Ref(),
                           expressions.Predicate(scope, 1));
      }
      case 5:
      case 6: {
        std::string set;
        for (size_t c = 1; c < table_.columns.size(); c++) {
          if (!set.empty() && rng_.Chance(0.6)) continue;
          const auto &column = table_.columns[c];
          std::string value = rng_.Chance(0.7) ? Literal(column.type, rng_) : QuoteName(column.name);
          if (IsNumeric(column.type.kind) && rng_.Chance(0.4)) value = QuoteName(column.name) + " + 1";
          if (column.type.kind == Kind::kString && rng_.Chance(0.4)) value = expressions.String(scope, 1);
          set += (set.empty() ? "" : ", ") + fmt::format("{} = {}", QuoteName(column.name), value);
        }
        if (set.empty()) set = "id = id";
        return fmt::format("UPDATE {} SET {} WHERE {}", table_.Ref(), set, expressions.Predicate(scope, 1));
      }
      case 7:
      case 8:
        return fmt::format("DELETE FROM {} WHERE {}", table_.Ref(), expressions.Predicate(scope, 1));
      default: {
        // A schema change: files written before it are then read by field id.
        if (rng_.Chance(0.5) || table_.columns.size() < 3) {
          Column added{"added" + std::to_string(table_.columns.size()), rng_.Pick(TypePool())};
          table_.columns.push_back(added);
          return fmt::format("ALTER TABLE {} ADD COLUMN {} {}", table_.Ref(), QuoteName(added.name), added.type.sql);
        }
        auto index = static_cast<size_t>(rng_.Between(1, static_cast<int64_t>(table_.columns.size()) - 1));
        auto old_name = table_.columns[index].name;
        table_.columns[index].name = "renamed" + std::to_string(index) + "_" + std::to_string(rng_.Between(0, 999));
        return fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", table_.Ref(), QuoteName(old_name),
                           QuoteName(table_.columns[index].name));
      }
    }
  }

 private:
  Rng &rng_;
  Table &table_;
};

// The change feed of one write: what it removed and added must turn the table before it into the
// table after it, and a lone DELETE, UPDATE or INSERT must show up as that kind of change only.
Judgement CheckChanges(Checker &checker, const Table &table, const SnapshotRecord &record) {
  auto answer = checker.api().Changes(table.schema, table.name, record.previous_id, record.snapshot_id);
  if (answer.status >= 500) return {Verdict::kServerError, fmt::format("changes: HTTP {}: {}", answer.status, answer.Detail())};
  if (!answer.ok()) return {Verdict::kFail, fmt::format("changes: HTTP {}: {}", answer.status, answer.Detail())};
  auto before_schema = Reference::VersionSchema(table.schema, record.previous_id);
  auto after_schema = Reference::VersionSchema(table.schema, record.snapshot_id);
  auto table_name = QuoteName(table.name);
  auto before = checker.reference().Run(fmt::format("SELECT * FROM {}.{}", QuoteName(before_schema), table_name));
  auto after = checker.reference().Run(fmt::format("SELECT * FROM {}.{}", QuoteName(after_schema), table_name));
  if (before.error || after.error) return {Verdict::kFail, "the reference kept no version of the table"};
  std::multiset<std::string> removed, added, net_before, net_after;
  std::set<std::string> kinds;
  for (const auto &row : answer.json["rows"]) {
    auto kind = row[1].get<std::string>();
    kinds.insert(kind);
    auto key = RowKey(row, after.types, 2);
    (kind == "delete" || kind == "update_preimage" ? removed : added).insert(key);
  }
  for (const auto &row : before.rows) net_before.insert(RowKey(row));
  for (const auto &row : after.rows) net_after.insert(RowKey(row));
  // before + added == after + removed, as multisets
  auto merged = [](std::multiset<std::string> a, const std::multiset<std::string> &b) {
    a.insert(b.begin(), b.end());
    return a;
  };
  if (merged(net_before, added) != merged(net_after, removed)) {
    return {Verdict::kFail, fmt::format("changes {}..{}: {} rows removed and {} added do not turn the table before "
                                        "into the table after",
                                        record.previous_id, record.snapshot_id, removed.size(), added.size())};
  }
  if (record.sql.size() == 1) {
    const auto &sql = record.sql[0];
    std::set<std::string> allowed;
    if (sql.rfind("INSERT", 0) == 0) allowed = {"insert"};
    if (sql.rfind("DELETE", 0) == 0) allowed = {"delete"};
    if (sql.rfind("UPDATE", 0) == 0) allowed = {"update_preimage", "update_postimage"};
    for (const auto &kind : kinds) {
      if (!allowed.count(kind)) {
        return {Verdict::kFail, fmt::format("changes {}..{}: a '{}' change from: {}", record.previous_id,
                                            record.snapshot_id, kind, sql)};
      }
    }
    if (sql.rfind("UPDATE", 0) == 0) {
      // Every row the UPDATE matched is one preimage (and one postimage), changed or not.
      auto where = sql.substr(sql.rfind(" WHERE ") + 7);
      auto matched = checker.reference().Run(fmt::format("SELECT count(*) FROM {}.{} WHERE {}", QuoteName(before_schema),
                                                         table_name, where));
      auto count = matched.error ? -1 : matched.rows[0][0].GetValue<int64_t>();
      if (count != static_cast<int64_t>(removed.size()) || count != static_cast<int64_t>(added.size())) {
        return {Verdict::kFail, fmt::format("changes {}..{}: the UPDATE matched {} rows, the feed has {} preimages "
                                            "and {} postimages",
                                            record.previous_id, record.snapshot_id, count, removed.size(), added.size())};
      }
    }
  }
  return {};
}

void RunSequence(Checker &checker, Rng &rng, const std::string &schema, size_t index, size_t steps, Report &report) {
  auto source = [&](const std::string &what) { return fmt::format("dml {} {}", index, what); };
  Table table = RandomTable(rng, schema, "dml" + std::to_string(index), 2, 6);
  auto created = Write(checker, report, source("create"), table, {CreateSql(table)});
  if (!created) return;
  int64_t next_id = 1;
  DmlMaker maker(rng, table);
  std::vector<SnapshotRecord> history;
  int64_t previous = *created;
  for (size_t step = 0; step < steps; step++) {
    std::vector<std::string> statements = {maker.Next(next_id)};
    // Now and then several writes as one snapshot. Not with ALTER TABLE: DuckDB cannot commit a
    // transaction that changed a table's rows and its columns ("another transaction has altered
    // this table"), which DuckLake can.
    while (rng.Chance(0.15) && statements.size() < 3 && statements[0].rfind("ALTER", 0) != 0) {
      statements.push_back(maker.Next(next_id, false));
    }
    auto failures = report.failures();
    auto snapshot = Write(checker, report, source(fmt::format("step {}", step + 1)), table, statements);
    // Once the two sides differ, every later step would differ too: the first difference is the news.
    if (report.failures() != failures) break;
    if (!snapshot || *snapshot == previous) continue;
    bool schema_change = false;
    for (const auto &sql : statements) schema_change = schema_change || sql.rfind("ALTER", 0) == 0;
    history.push_back({*snapshot, previous, statements, schema_change});
    previous = *snapshot;
  }
  // Every snapshot read back with time travel, as a table reference and as the query's snapshot.
  for (const auto &record : history) {
    auto sql = fmt::format("SELECT * FROM {} AT (VERSION => {})", table.Ref(), record.snapshot_id);
    auto judged = checker.JudgeQuery(sql);
    report.Add(judged.verdict, source("time travel"), sql, judged.why);
    Expectation at;
    at.snapshot = record.previous_id;
    auto count_sql = fmt::format("SELECT count(*), count(DISTINCT id) FROM {}", table.Ref());
    judged = checker.JudgeQuery(count_sql, at);
    report.Add(judged.verdict, source(fmt::format("snapshot {}", record.previous_id)), count_sql, judged.why);
    if (!record.schema_change) {
      judged = CheckChanges(checker, table, record);
      std::string statements;
      for (const auto &statement : record.sql) statements += (statements.empty() ? "" : "; ") + statement;
      report.Add(judged.verdict, source("change feed"), statements, judged.why);
    }
  }
}

}  // namespace

void RunRandomSuite(Checker &checker, const RandomSuiteOptions &options, Report &report) {
  Rng rng(options.seed);
  auto schema = fmt::format("random_{}", options.seed);
  auto made = checker.api().CreateNamespace(schema);
  if (!made.ok()) throw std::runtime_error("cannot create namespace " + schema + ": " + made.Detail());
  checker.reference().Run("CREATE SCHEMA " + schema);

  if (options.queries > 0) {
    // Three tables, loaded in several writes (many files), with some rows deleted and updated
    // (delete files), one of them changed after its first rows (files read by field id).
    std::vector<Table> tables;
    for (size_t t = 0; t < 3; t++) {
      auto table = RandomTable(rng, schema, "t" + std::to_string(t), 2, 7);
      auto source = fmt::format("random table {}", t);
      if (!Write(checker, report, source, table, {CreateSql(table)})) continue;
      int64_t next_id = 1;
      for (int batch = 0, batches = static_cast<int>(rng.Between(1, 3)); batch < batches; batch++) {
        auto rows = static_cast<size_t>(rng.Pick(std::vector<int64_t>{0, 1, 5, 20, 60}));
        if (rows == 0) continue;
        Write(checker, report, source, table, {InsertSql(table, rng, next_id, rows)});
        next_id += static_cast<int64_t>(rows);
      }
      if (rng.Chance(0.5)) Write(checker, report, source, table, {fmt::format("DELETE FROM {} WHERE id % 5 = 0", table.Ref())});
      tables.push_back(std::move(table));
    }
    if (tables.empty()) return;
    QueryMaker maker(rng, tables);
    for (size_t i = 0; i < options.queries; i++) {
      CheckQuery(checker, maker.Make(), fmt::format("random query {} of seed {}", i + 1, options.seed), report);
    }
  }
  for (size_t i = 0; i < options.dml_sequences; i++) RunSequence(checker, rng, schema, i, options.dml_steps, report);
}

}  // namespace ducklake::conformance
