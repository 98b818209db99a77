#pragma once
// Lineage of the lake's own jobs: how a SQL write, an ingest, a compaction or a schema change is
// described (JobRun) and run between its OpenLineage START and its COMPLETE (kept in the very
// metadata transaction that commits the job's snapshot) or FAIL.

#include <functional>
#include <string>

#include "engine/queries.hpp"
#include "catalog/table_format.hpp"
#include "files/file_service.hpp"
#include "lineage/job_run.hpp"
#include "lineage/recorder.hpp"
#include "storage/object_store.hpp"

namespace ducklake {

// A job named `name` (or `requested_name` when the caller chose one).
JobRun NewJobRun(const std::string &name, const std::string &type, const CommitInfo &commit,
                 const std::optional<std::string> &requested_name = std::nullopt);

// The name of the job a statement is: "<verb>.<table>" with the table as "<namespace>.<table>"
// spelled as the catalog spells it, e.g. "insert.sales.orders".
std::string JobNameOf(const Statement &statement, const std::string &table);

// A lake table as a lineage dataset, named "<namespace>.<table>".
LineageDataset TableDataset(const std::string &namespace_name, const std::string &table_name);

// An object of a volume as a lineage dataset (`object` may be a record of it as it is, or nullopt for
// one not written yet, then of `content_type`).
LineageDataset ObjectDataset(FileService &files, const std::string &volume, const std::string &key,
                             const std::optional<ObjectRecord> &object, const std::string &content_type = "");

// The index of `dataset` among the run's outputs, adding it if it is not there yet.
size_t OutputIndex(JobRun &run, const LineageDataset &dataset);

// Adds what a query's lineage says to `run`: the tables it reads as inputs (named as `canonical`
// says, at the snapshot `version` says), and the origins of its result column i as the lineage of
// column `written[i]` of output `output`.
void AddQueryLineage(JobRun &run, size_t output, const QueryLineage &lineage, const std::vector<std::string> &written,
                     const std::function<std::pair<std::string, std::string>(const TableReference &)> &canonical,
                     const std::function<std::optional<int64_t>(const TableReference &)> &version);

// Runs `job` (which commits through the CommitInfo it is given) between START and COMPLETE or FAIL
// events of `run`; the outputs are completed from the commit's result (columns, snapshot, rows,
// bytes, lifecycle, location in `store`). Without a recorder it just runs the job.
CommitResult RunWithLineage(LineageRecorder *recorder, const ObjectStore &store, JobRun &run, CommitInfo commit,
                            const std::function<CommitResult(const CommitInfo &)> &job);

// The same for a job that commits no snapshot of its own (an export): COMPLETE is kept by
// `complete`'s transaction when it calls the given function, or on its own after `job` returns.
void RunWithLineage(LineageRecorder *recorder, JobRun &run,
                    const std::function<void(const std::function<void(MetaTransaction &)> &complete)> &job);

}  // namespace ducklake
