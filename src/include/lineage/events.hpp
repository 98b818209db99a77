#pragma once
// OpenLineage 2-0-2 RunEvents for DuckLake's own jobs, built from a JobRun. Every event carries the
// facets DESIGN.md's lineage model names (schema, dataSource, version, storage, symlinks,
// lifecycleStateChange, outputStatistics, columnLineage; sql and jobType on the job;
// processing_engine and, on FAIL, errorMessage on the run) and validates against the spec's schemas.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "lineage/job_run.hpp"

namespace ducklake {

inline constexpr const char *kOpenLineageSchemaUrl = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

// "urn:ducklake:server:<version>": who produced DuckLake's events and facets.
std::string LineageProducer();

// The namespace of the lake's tables in lineage: "ducklake://<instance>".
std::string LakeNamespace(const std::string &instance);

// A RunEvent of `run` (START, COMPLETE or FAIL) at `event_ms`. `error` is the FAIL's message.
// Lake tables are named in `lake_namespace`.
nlohmann::json BuildRunEvent(const JobRun &run, const std::string &event_type, int64_t event_ms,
                             const std::string &lake_namespace, const std::string &error = "");

}  // namespace ducklake
