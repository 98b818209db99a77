#include "tables/object_jobs.hpp"

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "tables/job_lineage.hpp"

namespace ducklake {

ObjectRecord ExportQuery(TableService &tables, FileService &files, SqlRequest &request, const ExportTarget &target,
                         const std::string &content_type) {
  if (!request.statement) request.statement = tables.Parse(request.sql);
  if (request.statement->kind != StatementKind::kQuery) {
    throw Error(ErrorKind::kInvalidInput, "only a query's result can be exported");
  }
  if (request.access) request.access->RequireVolume(target.volume, Role::kWriter);
  tables.PinSnapshot(request);
  PutRequest put;
  put.volume = target.volume;
  put.key = target.key;
  put.content_type = content_type;
  put.created_by = request.commit.author;
  put.source = nlohmann::json{{"kind", "query"}, {"sql", request.sql}, {"snapshot_id", *request.snapshot_id}}.dump();
  auto run = NewJobRun("export." + target.volume + "." + target.key, "EXPORT", request.commit, request.job_name);
  run.sql = request.sql;
  run.outputs.push_back(ObjectDataset(files, target.volume, target.key, std::nullopt, put.content_type));
  tables.DescribeQueryLineage(request.statement->query, *request.snapshot_id, run, request.access);
  ObjectRecord object;
  RunWithLineage(tables.lineage(), run, [&](const std::function<void(MetaTransaction &)> &complete) {
    put.in_index_transaction = [&](MetaTransaction &txn, const ObjectRecord &indexed) {
      run.outputs[0].etag = indexed.etag;
      run.outputs[0].bytes = static_cast<int64_t>(indexed.size);
      complete(txn);
    };
    object = files.Put(put, [&](const std::function<void(const char *, size_t)> &sink) {
      run.outputs[0].rows = tables.RunSql(request, [&sink](const char *data, size_t size) {
        sink(data, size);
        return true;
      });
    });
  });
  return object;
}

ObjectRecord CopyObject(FileService &files, LineageRecorder *lineage, const ObjectCopy &copy) {
  auto source = files.Stat(copy.volume, copy.key);
  auto run = NewJobRun(std::string(copy.move ? "move." : "copy.") + copy.to_volume + "." + copy.to_key, "COPY",
                       copy.commit, copy.job_name);
  run.inputs.push_back(ObjectDataset(files, copy.volume, copy.key, source));
  run.outputs.push_back(ObjectDataset(files, copy.to_volume, copy.to_key, std::nullopt, source.content_type));
  ObjectRecord object;
  RunWithLineage(lineage, run, [&](const std::function<void(MetaTransaction &)> &complete) {
    object = files.Copy(copy.volume, copy.key, copy.to_volume, copy.to_key, copy.move, copy.commit.author,
                        [&](MetaTransaction &txn, const ObjectRecord &indexed) {
                          run.outputs[0].etag = indexed.etag;
                          run.outputs[0].bytes = static_cast<int64_t>(indexed.size);
                          complete(txn);
                        });
  });
  return object;
}

}  // namespace ducklake
