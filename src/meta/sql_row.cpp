#include <cctype>

#include "common/error.hpp"
#include "meta/meta_store.hpp"

namespace ducklake {

int64_t SqlRow::Int(size_t i) const {
  const auto &value = values.at(i);
  if (auto v = std::get_if<int64_t>(&value)) return *v;
  if (auto v = std::get_if<double>(&value)) return static_cast<int64_t>(*v);
  if (auto v = std::get_if<std::string>(&value)) return std::stoll(*v);
  throw Error(ErrorKind::kInternal, "unexpected NULL in metadata column");
}

double SqlRow::Double(size_t i) const {
  const auto &value = values.at(i);
  if (auto v = std::get_if<double>(&value)) return *v;
  if (auto v = std::get_if<int64_t>(&value)) return static_cast<double>(*v);
  if (auto v = std::get_if<std::string>(&value)) return std::stod(*v);
  throw Error(ErrorKind::kInternal, "unexpected NULL in metadata column");
}

std::string SqlRow::String(size_t i) const {
  const auto &value = values.at(i);
  if (auto v = std::get_if<std::string>(&value)) return *v;
  if (auto v = std::get_if<int64_t>(&value)) return std::to_string(*v);
  if (auto v = std::get_if<double>(&value)) return std::to_string(*v);
  return {};
}

std::optional<int64_t> SqlRow::OptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> SqlRow::OptionalString(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return String(i);
}

std::string LikeContains(const std::string &text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return pattern + "%";
}

}  // namespace ducklake
