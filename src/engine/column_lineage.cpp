#include "engine/column_lineage.hpp"

#include <set>

#include "duckdb/planner/expression/bound_aggregate_expression.hpp"
#include "duckdb/planner/expression/bound_columnref_expression.hpp"
#include "duckdb/planner/expression/bound_function_expression.hpp"
#include "duckdb/planner/expression/bound_window_expression.hpp"
#include "duckdb/planner/expression_iterator.hpp"
#include "duckdb/planner/logical_operator_visitor.hpp"
#include "duckdb/planner/operator/list.hpp"

namespace ducklake {
namespace {

// Functions whose result no longer shows its input (OpenLineage's "masking").
const std::set<std::string> kMaskingFunctions = {"md5", "md5_number", "sha1", "sha256", "hash"};

int Strength(const std::string &subtype) {
  if (subtype == ColumnOrigin::kAggregation) return 2;
  if (subtype == ColumnOrigin::kTransformation) return 1;
  return 0;
}

// One origin per lake column: the strongest way it is used, masked if any use masks it.
std::vector<ColumnOrigin> Merge(std::vector<ColumnOrigin> origins) {
  std::map<std::pair<size_t, std::string>, ColumnOrigin> merged;
  for (auto &origin : origins) {
    auto [it, inserted] = merged.emplace(std::make_pair(origin.table, origin.column), origin);
    if (inserted) continue;
    if (Strength(origin.subtype) > Strength(it->second.subtype)) it->second.subtype = origin.subtype;
    it->second.masking = it->second.masking || origin.masking;
  }
  std::vector<ColumnOrigin> result;
  for (auto &entry : merged) result.push_back(std::move(entry.second));
  return result;
}

void Append(std::vector<ColumnOrigin> &to, const std::vector<ColumnOrigin> &from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

PlanLineage::Origins PlanLineage::Of(const duckdb::ColumnBinding &binding) const {
  auto it = bindings_.find({binding.table_index, binding.column_index});
  return it == bindings_.end() ? Origins{} : it->second;
}

void PlanLineage::Define(const duckdb::ColumnBinding &binding, Origins origins) {
  bindings_[{binding.table_index, binding.column_index}] = Merge(std::move(origins));
}

PlanLineage::Origins PlanLineage::Evaluate(const duckdb::Expression &expression) const {
  if (expression.GetExpressionClass() == duckdb::ExpressionClass::BOUND_COLUMN_REF) {
    return Of(expression.Cast<duckdb::BoundColumnRefExpression>().binding);
  }
  bool aggregate = false, masking = false;
  Origins origins;
  std::function<void(const duckdb::Expression &)> inspect = [&](const duckdb::Expression &node) {
    switch (node.GetExpressionClass()) {
      case duckdb::ExpressionClass::BOUND_COLUMN_REF:
        Append(origins, Of(node.Cast<duckdb::BoundColumnRefExpression>().binding));
        return;
      case duckdb::ExpressionClass::BOUND_AGGREGATE:
        aggregate = true;
        break;
      case duckdb::ExpressionClass::BOUND_WINDOW: {
        // Only the arguments give the value; partitions and orders decide the window (indirect).
        auto &window = node.Cast<duckdb::BoundWindowExpression>();
        aggregate = aggregate || window.aggregate != nullptr;
        for (const auto &child : window.children) inspect(*child);
        return;
      }
      case duckdb::ExpressionClass::BOUND_FUNCTION:
        masking = masking || kMaskingFunctions.count(node.Cast<duckdb::BoundFunctionExpression>().function.name) > 0;
        break;
      default:
        break;
    }
    duckdb::ExpressionIterator::EnumerateChildren(node, inspect);
  };
  inspect(expression);
  for (auto &origin : origins) {
    int wanted = aggregate ? 2 : 1;
    if (Strength(origin.subtype) < wanted) {
      origin.subtype = aggregate ? ColumnOrigin::kAggregation : ColumnOrigin::kTransformation;
    }
    origin.masking = origin.masking || masking;
  }
  return origins;
}

void PlanLineage::AddIndirect(const duckdb::Expression &expression, const char *subtype) {
  duckdb::ExpressionIterator::VisitExpression<duckdb::BoundColumnRefExpression>(
      expression, [&](const duckdb::BoundColumnRefExpression &ref) {
        for (const auto &origin : Of(ref.binding)) {
          ColumnOrigin indirect{origin.table, origin.column, subtype, false};
          indirect_.emplace(std::make_tuple(origin.table, origin.column, std::string(subtype)), indirect);
        }
      });
}

std::vector<ColumnOrigin> PlanLineage::Indirect() const {
  std::vector<ColumnOrigin> result;
  for (const auto &entry : indirect_) result.push_back(entry.second);
  return result;
}

void PlanLineage::Analyse(duckdb::LogicalOperator &root) {
  Visit(root);
  result_.clear();
  for (const auto &binding : root.GetColumnBindings()) result_.push_back(Of(binding));
}

void PlanLineage::Visit(duckdb::LogicalOperator &op) {
  using Type = duckdb::LogicalOperatorType;
  auto indirect_of_all = [&](const char *subtype) {
    duckdb::LogicalOperatorVisitor::EnumerateExpressions(
        op, [&](duckdb::unique_ptr<duckdb::Expression> *expression) { AddIndirect(**expression, subtype); });
  };
  auto visit_children = [&] {
    for (auto &child : op.children) Visit(*child);
  };
  switch (op.type) {
    case Type::LOGICAL_GET: {
      auto &get = op.Cast<duckdb::LogicalGet>();
      auto table = lake_scan_of_(get);
      if (!table) return;
      const auto &column_ids = get.GetColumnIds();
      for (const auto &binding : get.GetColumnBindings()) {
        if (binding.column_index >= column_ids.size()) continue;
        const auto &column = column_ids[binding.column_index];
        if (column.IsRowIdColumn() || column.GetPrimaryIndex() >= get.names.size()) continue;
        Define(binding, {ColumnOrigin{*table, get.names[column.GetPrimaryIndex()], ColumnOrigin::kIdentity, false}});
      }
      return;
    }
    case Type::LOGICAL_PROJECTION: {
      visit_children();
      auto &projection = op.Cast<duckdb::LogicalProjection>();
      for (size_t i = 0; i < op.expressions.size(); i++) {
        Define(duckdb::ColumnBinding(projection.table_index, i), Evaluate(*op.expressions[i]));
      }
      return;
    }
    case Type::LOGICAL_AGGREGATE_AND_GROUP_BY: {
      visit_children();
      auto &aggregate = op.Cast<duckdb::LogicalAggregate>();
      for (size_t i = 0; i < aggregate.groups.size(); i++) {
        Define(duckdb::ColumnBinding(aggregate.group_index, i), Evaluate(*aggregate.groups[i]));
        AddIndirect(*aggregate.groups[i], ColumnOrigin::kGroupBy);
      }
      for (size_t i = 0; i < op.expressions.size(); i++) {
        Define(duckdb::ColumnBinding(aggregate.aggregate_index, i), Evaluate(*op.expressions[i]));
      }
      return;
    }
    case Type::LOGICAL_WINDOW: {
      visit_children();
      auto &window = op.Cast<duckdb::LogicalWindow>();
      for (size_t i = 0; i < op.expressions.size(); i++) {
        Define(duckdb::ColumnBinding(window.window_index, i), Evaluate(*op.expressions[i]));
        if (op.expressions[i]->GetExpressionClass() != duckdb::ExpressionClass::BOUND_WINDOW) continue;
        auto &expression = op.expressions[i]->Cast<duckdb::BoundWindowExpression>();
        for (const auto &partition : expression.partitions) AddIndirect(*partition, ColumnOrigin::kWindow);
        for (const auto &order : expression.orders) AddIndirect(*order.expression, ColumnOrigin::kWindow);
      }
      return;
    }
    case Type::LOGICAL_UNNEST: {
      visit_children();
      auto &unnest = op.Cast<duckdb::LogicalUnnest>();
      for (size_t i = 0; i < op.expressions.size(); i++) {
        Define(duckdb::ColumnBinding(unnest.unnest_index, i), Evaluate(*op.expressions[i]));
      }
      return;
    }
    case Type::LOGICAL_EXPRESSION_GET: {
      visit_children();
      auto &values = op.Cast<duckdb::LogicalExpressionGet>();
      for (size_t column = 0; column < values.expr_types.size(); column++) {
        Origins origins;
        for (const auto &row : values.expressions) {
          if (column < row.size()) Append(origins, Evaluate(*row[column]));
        }
        Define(duckdb::ColumnBinding(values.table_index, column), std::move(origins));
      }
      return;
    }
    case Type::LOGICAL_UNION:
    case Type::LOGICAL_EXCEPT:
    case Type::LOGICAL_INTERSECT: {
      visit_children();
      auto &set_operation = op.Cast<duckdb::LogicalSetOperation>();
      auto left = op.children[0]->GetColumnBindings();
      auto right = op.children[1]->GetColumnBindings();
      for (size_t i = 0; i < set_operation.column_count; i++) {
        Origins origins = i < left.size() ? Of(left[i]) : Origins{};
        if (i >= right.size()) {
        } else if (op.type == Type::LOGICAL_UNION) {
          Append(origins, Of(right[i]));
        } else {
          // EXCEPT and INTERSECT take their values from the left; the right only filters them.
          for (const auto &origin : Of(right[i])) {
            indirect_.emplace(std::make_tuple(origin.table, origin.column, std::string(ColumnOrigin::kFilter)),
                              ColumnOrigin{origin.table, origin.column, ColumnOrigin::kFilter, false});
          }
        }
        Define(duckdb::ColumnBinding(set_operation.table_index, i), std::move(origins));
      }
      return;
    }
    case Type::LOGICAL_MATERIALIZED_CTE:
    case Type::LOGICAL_RECURSIVE_CTE: {
      auto &cte = op.Cast<duckdb::LogicalCTE>();
      Visit(*op.children[0]);
      auto definition = op.children[0]->GetColumnBindings();
      for (size_t i = 0; i < definition.size(); i++) Define(duckdb::ColumnBinding(cte.table_index, i), Of(definition[i]));
      Visit(*op.children[1]);
      if (op.type == Type::LOGICAL_RECURSIVE_CTE) {
        // The recursive step adds rows to the same columns.
        auto step = op.children[1]->GetColumnBindings();
        for (size_t i = 0; i < definition.size() && i < step.size(); i++) {
          auto origins = Of(duckdb::ColumnBinding(cte.table_index, i));
          Append(origins, Of(step[i]));
          Define(duckdb::ColumnBinding(cte.table_index, i), std::move(origins));
        }
      }
      return;
    }
    case Type::LOGICAL_CTE_REF: {
      auto &ref = op.Cast<duckdb::LogicalCTERef>();
      for (size_t i = 0; i < ref.chunk_types.size(); i++) {
        Define(duckdb::ColumnBinding(ref.table_index, i), Of(duckdb::ColumnBinding(ref.cte_index, i)));
      }
      return;
    }
    case Type::LOGICAL_DELIM_JOIN: {
      auto &join = op.Cast<duckdb::LogicalComparisonJoin>();
      Visit(*op.children[0]);
      std::vector<Origins> passed;
      for (const auto &column : join.duplicate_eliminated_columns) passed.push_back(Evaluate(*column));
      delim_columns_.push_back(std::move(passed));
      for (size_t i = 1; i < op.children.size(); i++) Visit(*op.children[i]);
      delim_columns_.pop_back();
      for (const auto &condition : join.conditions) {
        AddIndirect(*condition.left, ColumnOrigin::kJoin);
        AddIndirect(*condition.right, ColumnOrigin::kJoin);
      }
      if (join.join_type == duckdb::JoinType::MARK) {
        Origins origins;
        for (const auto &condition : join.conditions) {
          Append(origins, Evaluate(*condition.left));
          Append(origins, Evaluate(*condition.right));
        }
        for (auto &origin : origins) origin.subtype = ColumnOrigin::kTransformation;
        Define(duckdb::ColumnBinding(join.mark_index, 0), std::move(origins));
      }
      return;
    }
    case Type::LOGICAL_DELIM_GET: {
      auto &get = op.Cast<duckdb::LogicalDelimGet>();
      if (delim_columns_.empty()) return;
      const auto &passed = delim_columns_.back();
      for (size_t i = 0; i < get.chunk_types.size() && i < passed.size(); i++) {
        Define(duckdb::ColumnBinding(get.table_index, i), passed[i]);
      }
      return;
    }
    case Type::LOGICAL_COMPARISON_JOIN:
    case Type::LOGICAL_DEPENDENT_JOIN:
    case Type::LOGICAL_ANY_JOIN:
    case Type::LOGICAL_ASOF_JOIN: {
      visit_children();
      indirect_of_all(ColumnOrigin::kJoin);
      auto &join = op.Cast<duckdb::LogicalJoin>();
      if (join.join_type == duckdb::JoinType::MARK) {
        Origins origins;
        duckdb::LogicalOperatorVisitor::EnumerateExpressions(
            op, [&](duckdb::unique_ptr<duckdb::Expression> *expression) { Append(origins, Evaluate(**expression)); });
        for (auto &origin : origins) origin.subtype = ColumnOrigin::kTransformation;
        Define(duckdb::ColumnBinding(join.mark_index, 0), std::move(origins));
      }
      return;
    }
    case Type::LOGICAL_FILTER:
      visit_children();
      indirect_of_all(ColumnOrigin::kFilter);
      return;
    case Type::LOGICAL_ORDER_BY:
    case Type::LOGICAL_TOP_N:
      visit_children();
      indirect_of_all(ColumnOrigin::kSort);
      return;
    default:
      // Operators that pass their children's columns through (limit, distinct, cross product, ...).
      visit_children();
      return;
  }
}

}  // namespace ducklake
