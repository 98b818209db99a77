#include "common/schema.hpp"


namespace ducklake {
namespace {

bool IsNumericType(const std::string &type) {
  return (type.rfind("int", 0) == 0 && type != "interval") || type.rfind("uint", 0) == 0 || type.rfind("float", 0) == 0 ||
         type.rfind("decimal", 0) == 0;
}

}  // namespace

int64_t AssignColumnIds(std::vector<ColumnDef> &columns, int64_t next_id) {
  for (auto &column : columns) {
    column.id = next_id++;
    next_id = AssignColumnIds(column.children, next_id);
  }
  return next_id;
}

int CompareStatValues(const std::string &type, const std::string &left, const std::string &right) {
  if (IsNumericType(type)) {
    try {
      long double a = std::stold(left);
      long double b = std::stold(right);
      return a < b ? -1 : a > b ? 1 : 0;
    } catch (const std::exception &) {
      // Not a plain number (e.g. "nan", "inf"): fall back to text order.
    }
  }
  return left.compare(right) < 0 ? -1 : left == right ? 0 : 1;
}

}  // namespace ducklake
