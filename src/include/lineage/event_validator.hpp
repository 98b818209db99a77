#pragma once
// EventValidator: checks that a JSON document is an OpenLineage 2-0-2 RunEvent, DatasetEvent or
// JobEvent by the spec's own schema (compiled into the binary), plus what the schema states only
// as formats: eventTime is RFC 3339 and a run id is a UUID. Thread-safe after construction.

#include <nlohmann/json.hpp>
#include <memory>
#include <string>

namespace ducklake {

// The spec's core schema (OpenLineage.json), as text.
const std::string &OpenLineageSchemaDocument();

class EventValidator {
 public:
  EventValidator();
  ~EventValidator();

  // Throws kInvalidInput saying where and why unless `event` is a valid OpenLineage event.
  void Validate(const nlohmann::json &event) const;

 private:
  struct Schema;
  std::unique_ptr<Schema> schema_;
};

}  // namespace ducklake
