#include "lineage/event_validator.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "common/error.hpp"
#include "common/time.hpp"

namespace ducklake {
namespace {

bool IsUuid(const std::string &text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); i++) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// "<root> > job > name" -> "job.name"
std::string PathOf(const std::vector<std::string> &context) {
  std::string path;
  for (size_t i = 1; i < context.size(); i++) {
    auto part = context[i];
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      auto inner = part.substr(1, part.size() - 2);
      if (!inner.empty() && inner.front() == '"') inner = inner.substr(1, inner.size() - 2);
      part = inner;
    }
    path += (path.empty() ? "" : ".") + part;
  }
  return path.empty() ? "the event" : path;
}

}  // namespace

struct EventValidator::Schema {
  valijson::Schema schema;
};

namespace {

// Drops the "format" of string schemas: valijson compiles a std::regex for every date-time it checks
// (most of the cost of a validation), and the formats that matter are checked here instead.
void DropStringFormats(nlohmann::json &schema) {
  if (schema.is_object()) {
    if (schema.contains("format") && schema["format"].is_string() && schema.value("type", "") == "string") {
      schema.erase("format");
    }
    for (auto &[key, value] : schema.items()) DropStringFormats(value);
  } else if (schema.is_array()) {
    for (auto &value : schema) DropStringFormats(value);
  }
}

}  // namespace

EventValidator::EventValidator() : schema_(std::make_unique<Schema>()) {
  auto document = nlohmann::json::parse(OpenLineageSchemaDocument());
  DropStringFormats(document);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  parser.populateSchema(adapter, schema_->schema);
}

EventValidator::~EventValidator() = default;

void EventValidator::Validate(const nlohmann::json &event) const {
  if (!event.is_object()) throw Error(ErrorKind::kInvalidInput, "an OpenLineage event must be a JSON object");
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(event);
  if (!validator.validate(schema_->schema, target, &results)) {
    // The deepest error says most; oneOf/allOf wrappers report at the root.
    valijson::ValidationResults::Error error, best;
    size_t best_depth = 0;
    while (results.popError(error)) {
      if (error.context.size() > best_depth) {
        best_depth = error.context.size();
        best = error;
      }
    }
    throw MakeError(ErrorKind::kInvalidInput, "not a valid OpenLineage 2-0-2 event: {}: {}", PathOf(best.context),
                    best.description);
  }
  // What the schema states as formats: date-time and uuid (a producer's "uri" is not checked).
  ParseRfc3339Ms(event["eventTime"].get<std::string>(), "eventTime", MissingOffset::kUtc);
  if (event.contains("run") && !IsUuid(event["run"]["runId"].get<std::string>())) {
    throw Error(ErrorKind::kInvalidInput, "not a valid OpenLineage 2-0-2 event: run.runId must be a UUID");
  }
}

}  // namespace ducklake
