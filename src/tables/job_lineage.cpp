#include "tables/job_lineage.hpp"

#include "common/error.hpp"

namespace ducklake {
namespace {

// Completes the outputs of `run` with what the commit did to each table.
void ApplyOutcomes(JobRun &run, const ObjectStore &store, const CommitResult &result) {
  for (const auto &outcome : result.tables) {
    auto name = outcome.namespace_name + "." + outcome.table_name;
    auto previous = outcome.previous_name.empty() ? "" : outcome.namespace_name + "." + outcome.previous_name;
    LineageDataset *output = nullptr;
    for (auto &candidate : run.outputs) {
      if (candidate.kind != LineageDataset::Kind::kTable) continue;
      if (candidate.name == name || (!previous.empty() && candidate.name == previous)) output = &candidate;
    }
    if (!output) {
      run.outputs.push_back(TableDataset(outcome.namespace_name, outcome.table_name));
      output = &run.outputs.back();
    }
    output->name = name;
    output->previous_name = previous;
    output->columns = outcome.columns;
    output->snapshot_id = result.snapshot_id;
    output->rows = outcome.rows_added;
    output->bytes = outcome.bytes_added;
    output->lifecycle = outcome.lifecycle;
    auto location = store.Location(outcome.key_prefix);
    output->location_ns = location.ns;
    output->location_name = location.name;
  }
}

}  // namespace

JobRun NewJobRun(const std::string &name, const std::string &type, const CommitInfo &commit,
                 const std::optional<std::string> &requested_name) {
  JobRun run;
  run.job_name = requested_name.value_or(name);
  run.job_type = type;
  run.author = commit.author;
  return run;
}

std::string JobNameOf(const Statement &statement, const std::string &table) {
  const char *verb = "write";
  switch (statement.kind) {
    case StatementKind::kQuery: verb = "query"; break;
    case StatementKind::kInsert: verb = "insert"; break;
    case StatementKind::kCreateTableAs: verb = "create_table_as"; break;
    case StatementKind::kCreateTable: verb = "create_table"; break;
    case StatementKind::kDelete: verb = "delete"; break;
    case StatementKind::kUpdate: verb = "update"; break;
    case StatementKind::kAlterTable: verb = "alter"; break;
    case StatementKind::kDropTable: verb = "drop"; break;
  }
  return std::string(verb) + "." + table;
}

LineageDataset TableDataset(const std::string &namespace_name, const std::string &table_name) {
  LineageDataset dataset;
  dataset.kind = LineageDataset::Kind::kTable;
  dataset.name = namespace_name + "." + table_name;
  dataset.file_format = "parquet";
  return dataset;
}

size_t OutputIndex(JobRun &run, const LineageDataset &dataset) {
  for (size_t i = 0; i < run.outputs.size(); i++) {
    if (run.outputs[i].kind == dataset.kind && run.outputs[i].ns == dataset.ns && run.outputs[i].name == dataset.name) {
      return i;
    }
  }
  run.outputs.push_back(dataset);
  return run.outputs.size() - 1;
}

namespace {

void AddOrigin(std::vector<FieldOrigin> &origins, FieldOrigin origin) {
  for (const auto &existing : origins) {
    if (existing.input == origin.input && existing.field == origin.field && existing.subtype == origin.subtype) return;
  }
  origins.push_back(std::move(origin));
}

}  // namespace

void AddQueryLineage(JobRun &run, size_t output, const QueryLineage &lineage, const std::vector<std::string> &written,
                     const std::function<std::pair<std::string, std::string>(const TableReference &)> &canonical,
                     const std::function<std::optional<int64_t>(const TableReference &)> &version) {
  std::vector<size_t> inputs;
  for (const auto &reference : lineage.tables) {
    auto [schema, table] = canonical(reference);
    auto dataset = TableDataset(schema, table);
    size_t index = run.inputs.size();
    for (size_t i = 0; i < run.inputs.size(); i++) {
      if (run.inputs[i].kind == LineageDataset::Kind::kTable && run.inputs[i].name == dataset.name) index = i;
    }
    if (index == run.inputs.size()) run.inputs.push_back(std::move(dataset));
    if (!run.inputs[index].snapshot_id) run.inputs[index].snapshot_id = version(reference);
    inputs.push_back(index);
  }
  auto &target = run.outputs.at(output);
  for (size_t i = 0; i < lineage.columns.size() && i < written.size(); i++) {
    auto &field = target.column_lineage[written[i]];
    for (const auto &origin : lineage.columns[i]) {
      AddOrigin(field, {inputs[origin.table], origin.column, "DIRECT", origin.subtype, origin.masking});
    }
  }
  for (const auto &origin : lineage.indirect) {
    AddOrigin(target.dataset_lineage, {inputs[origin.table], origin.column, "INDIRECT", origin.subtype, false});
  }
}

CommitResult RunWithLineage(LineageRecorder *recorder, const ObjectStore &store, JobRun &run, CommitInfo commit,
                            const std::function<CommitResult(const CommitInfo &)> &job) {
  if (!recorder) return job(commit);
  recorder->Start(run);
  bool completed_in_commit = false;
  auto hook = std::move(commit.in_transaction);
  commit.in_transaction = [&](MetaTransaction &txn, const CommitResult &result) {
    if (hook) hook(txn, result);
    ApplyOutcomes(run, store, result);
    recorder->Complete(txn, run);
    completed_in_commit = true;
  };
  try {
    auto result = job(commit);
    if (!completed_in_commit) {
      // The job changed nothing (no snapshot): its tables are as they were, at the latest snapshot.
      for (auto &output : run.outputs) {
        if (output.kind != LineageDataset::Kind::kTable) continue;
        output.snapshot_id = result.snapshot_id;
        output.rows = 0;
      }
      recorder->Complete(run);
    }
    return result;
  } catch (const CommitOutcomeUnknown &) {
    throw;  // it may have committed, COMPLETE with it: a FAIL could contradict it
  } catch (const std::exception &error) {
    recorder->Fail(run, error.what());
    throw;
  }
}

void RunWithLineage(LineageRecorder *recorder, JobRun &run,
                    const std::function<void(const std::function<void(MetaTransaction &)> &complete)> &job) {
  if (!recorder) {
    job([](MetaTransaction &) {});
    return;
  }
  recorder->Start(run);
  bool completed = false;
  try {
    job([&](MetaTransaction &txn) {
      recorder->Complete(txn, run);
      completed = true;
    });
    if (!completed) recorder->Complete(run);
  } catch (const std::exception &error) {
    recorder->Fail(run, error.what());
    throw;
  }
}

LineageDataset ObjectDataset(FileService &files, const std::string &volume, const std::string &key,
                             const std::optional<ObjectRecord> &object, const std::string &content_type) {
  auto location = files.Location(volume, key);
  LineageDataset dataset;
  dataset.kind = LineageDataset::Kind::kObject;
  dataset.ns = location.ns;
  dataset.name = location.name;
  dataset.volume = volume;
  dataset.key = key;
  dataset.content_type = object ? object->content_type : content_type;
  if (object) {
    dataset.etag = object->etag;
    dataset.bytes = static_cast<int64_t>(object->size);
  }
  // The storage facet's format: the content type's subtype ("text/csv" -> "csv").
  auto slash = dataset.content_type.find('/');
  if (slash != std::string::npos) {
    auto format = dataset.content_type.substr(slash + 1);
    format = format.substr(0, format.find(';'));
    if (format.rfind("x-", 0) == 0) format = format.substr(2);
    if (format == "vnd.apache.parquet") format = "parquet";
    dataset.file_format = format;
  }
  return dataset;
}

}  // namespace ducklake
