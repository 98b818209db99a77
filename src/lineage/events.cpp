#include "lineage/events.hpp"

#include "common/time.hpp"
#include "common/version.hpp"

namespace ducklake {
namespace {

using Json = nlohmann::json;

Json Facet(const char *schema_path) {
  return Json{{"_producer", LineageProducer()},
              {"_schemaURL", std::string("https://openlineage.io/spec/facets/") + schema_path}};
}

Json SchemaFields(const std::vector<ColumnDef> &columns) {
  Json fields = Json::array();
  for (size_t i = 0; i < columns.size(); i++) {
    Json field = {{"name", columns[i].name}, {"type", columns[i].type}, {"ordinal_position", i + 1}};
    if (!columns[i].children.empty()) field["fields"] = SchemaFields(columns[i].children);
    fields.push_back(std::move(field));
  }
  return fields;
}

Json InputField(const JobRun &run, const FieldOrigin &origin, const std::string &lake_namespace) {
  const auto &input = run.inputs.at(origin.input);
  Json transformation = {{"type", origin.type}, {"subtype", origin.subtype}, {"masking", origin.masking}};
  return Json{{"namespace", input.kind == LineageDataset::Kind::kTable ? lake_namespace : input.ns},
              {"name", input.name},
              {"field", origin.field},
              {"transformations", Json::array({transformation})}};
}

Json DatasetFacets(const LineageDataset &dataset, const std::string &lake_namespace) {
  Json facets = Json::object();
  bool table = dataset.kind == LineageDataset::Kind::kTable;
  if (!dataset.columns.empty()) {
    auto facet = Facet("1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet");
    facet["fields"] = SchemaFields(dataset.columns);
    facets["schema"] = facet;
  }
  auto source = Facet("1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet");
  source["name"] = table ? lake_namespace : dataset.ns;
  source["uri"] = table ? lake_namespace : dataset.ns;
  facets["dataSource"] = source;
  std::optional<std::string> version;
  if (dataset.snapshot_id) version = std::to_string(*dataset.snapshot_id);
  if (dataset.etag) version = *dataset.etag;
  if (version) {
    auto facet = Facet("1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet");
    facet["datasetVersion"] = *version;
    facets["version"] = facet;
  }
  if (!dataset.file_format.empty() || table) {
    auto facet = Facet("1-0-1/StorageDatasetFacet.json#/$defs/StorageDatasetFacet");
    facet["storageLayer"] = table ? "ducklake" : "object_store";
    if (!dataset.file_format.empty()) facet["fileFormat"] = dataset.file_format;
    facets["storage"] = facet;
  }
  if (dataset.location_ns && dataset.location_name) {
    auto facet = Facet("1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet");
    facet["identifiers"] =
        Json::array({{{"namespace", *dataset.location_ns}, {"name", *dataset.location_name}, {"type", "LOCATION"}}});
    facets["symlinks"] = facet;
  }
  if (!dataset.lifecycle.empty()) {
    auto facet = Facet("1-0-1/LifecycleStateChangeDatasetFacet.json#/$defs/LifecycleStateChangeDatasetFacet");
    facet["lifecycleStateChange"] = dataset.lifecycle;
    if (!dataset.previous_name.empty()) {
      facet["previousIdentifier"] = {{"namespace", table ? lake_namespace : dataset.ns}, {"name", dataset.previous_name}};
    }
    facets["lifecycleStateChange"] = facet;
  }
  return facets;
}

}  // namespace

std::string LineageProducer() { return std::string("urn:ducklake:server:") + kDuckLakeVersion; }

std::string LakeNamespace(const std::string &instance) { return "ducklake://" + instance; }

nlohmann::json BuildRunEvent(const JobRun &run, const std::string &event_type, int64_t event_ms,
                             const std::string &lake_namespace, const std::string &error) {
  Json run_facets = Json::object();
  auto engine = Facet("1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet");
  engine["version"] = kDuckLakeVersion;
  engine["name"] = "DuckLake";
  engine["openlineageAdapterVersion"] = "2-0-2";
  run_facets["processing_engine"] = engine;
  if (event_type == "FAIL") {
    auto facet = Facet("1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet");
    facet["message"] = error;
    facet["programmingLanguage"] = run.sql ? "SQL" : "C++";
    run_facets["errorMessage"] = facet;
  }

  Json job_facets = Json::object();
  auto job_type = Facet("2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet");
  job_type["processingType"] = "BATCH";
  job_type["integration"] = "DUCKLAKE";
  job_type["jobType"] = run.job_type;
  job_facets["jobType"] = job_type;
  if (run.sql) {
    auto facet = Facet("1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet");
    facet["query"] = *run.sql;
    facet["dialect"] = "duckdb";
    job_facets["sql"] = facet;
  }

  auto dataset_json = [&](const LineageDataset &dataset) {
    bool table = dataset.kind == LineageDataset::Kind::kTable;
    return Json{{"namespace", table ? lake_namespace : dataset.ns},
                {"name", dataset.name},
                {"facets", DatasetFacets(dataset, lake_namespace)}};
  };
  Json inputs = Json::array();
  for (const auto &input : run.inputs) inputs.push_back(dataset_json(input));
  Json outputs = Json::array();
  bool complete = event_type == "COMPLETE";
  for (const auto &output : run.outputs) {
    auto json = dataset_json(output);
    if (complete && (output.rows || output.bytes)) {
      auto facet = Facet("1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet");
      if (output.rows) facet["rowCount"] = *output.rows;
      if (output.bytes) facet["size"] = *output.bytes;
      json["outputFacets"] = {{"outputStatistics", facet}};
    }
    if (!output.column_lineage.empty() || !output.dataset_lineage.empty()) {
      auto facet = Facet("1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet");
      Json fields = Json::object();
      for (const auto &[column, origins] : output.column_lineage) {
        Json input_fields = Json::array();
        for (const auto &origin : origins) input_fields.push_back(InputField(run, origin, lake_namespace));
        fields[column] = {{"inputFields", input_fields}};
      }
      facet["fields"] = fields;
      if (!output.dataset_lineage.empty()) {
        Json dataset = Json::array();
        for (const auto &origin : output.dataset_lineage) dataset.push_back(InputField(run, origin, lake_namespace));
        facet["dataset"] = dataset;
      }
      json["facets"]["columnLineage"] = facet;
    }
    outputs.push_back(std::move(json));
  }

  return Json{{"eventType", event_type},
              {"eventTime", FormatRfc3339Ms(event_ms)},
              {"producer", LineageProducer()},
              {"schemaURL", kOpenLineageSchemaUrl},
              {"run", {{"runId", run.run_id}, {"facets", run_facets}}},
              {"job", {{"namespace", lake_namespace}, {"name", run.job_name}, {"facets", job_facets}}},
              {"inputs", inputs},
              {"outputs", outputs}};
}

}  // namespace ducklake
