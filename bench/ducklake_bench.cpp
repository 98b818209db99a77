// DuckLake benchmarks: each measures an API path and, in the same run, the in-process DuckDB
// baseline doing the same work, and prints the ratio (baseline time / API time: 1.0 = as fast as
// embedded DuckDB). Usage: ducklake_bench <server URL> <server data dir> <server pid> <scratch dir>
// [scale]. bench/run.sh starts the servers and calls this.

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "duckdb.hpp"
#include "duckdb/common/arrow/arrow_appender.hpp"
#include "storage/s3_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

[[noreturn]] void Fail(const std::string &message) {
  std::cerr << "bench: " << message << "\n";
  std::exit(1);
}

std::string JsonString(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Api {
  explicit Api(const std::string &url) : client(url) {
    client.set_read_timeout(3600, 0);
    client.set_write_timeout(3600, 0);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
  }

  // Runs a query and discards the streamed result; returns the bytes received.
  uint64_t Query(const std::string &sql, const std::string &format) {
    uint64_t bytes = 0;
    std::string body = "{\"sql\":" + JsonString(sql) + ",\"format\":\"" + format + "\"}";
    httplib::Request request;
    request.method = "POST";
    request.path = "/api/v1/query";
    request.body = body;
    request.set_header("Content-Type", "application/json");
    request.content_receiver = [&bytes](const char *, size_t size, uint64_t, uint64_t) {
      bytes += size;
      return true;
    };
    auto result = client.send(request);
    if (!result || result->status != 200) {
      Fail("query failed: " + sql + " -> " + (result ? std::to_string(result->status) : "no response"));
    }
    return bytes;
  }

  httplib::Client client;
};

std::vector<std::string> TableFiles(const std::string &data_dir, const std::string &ns, const std::string &table) {
  std::vector<std::string> files;
  for (const auto &entry : std::filesystem::directory_iterator(data_dir + "/objects/warehouse/" + ns + "/" + table)) {
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string FileList(const std::vector<std::string> &files) {
  std::string list = "[";
  for (const auto &file : files) list += (list.size() > 1 ? ", '" : "'") + file + "'";
  return list + "]";
}

std::string fmt_column(int c) {
  return (c ? ", " : "") + std::string("(range * ") + std::to_string(c + 1) + " + random())::DOUBLE AS c" +
         std::to_string(c);
}

void Check(duckdb::unique_ptr<duckdb::MaterializedQueryResult> result) {
  if (result->HasError()) Fail(result->GetError());
}

uint64_t PeakRssKb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  }
  return 0;
}

// Embedded DuckDB producing `format` from the table's files, as the server does.
void RunEmbedded(duckdb::Connection &con, const std::string &files, const std::string &format,
                 const std::string &scratch) {
  auto source = "SELECT * FROM read_parquet(" + files + ")";
  if (format == "arrow") {
    // Arrow record batches of the size the server sends.
    auto result = con.SendQuery(source);
    auto properties = con.context->GetClientProperties();
    duckdb::unordered_map<duckdb::idx_t, const duckdb::shared_ptr<duckdb::ArrowTypeExtensionData>> none;
    auto batch = duckdb::make_uniq<duckdb::ArrowAppender>(result->types, 65536, properties, none);
    while (auto chunk = result->Fetch()) {
      if (chunk->size() == 0) break;
      batch->Append(*chunk, 0, chunk->size(), chunk->size());
      if (batch->RowCount() >= 65536) {
        auto array = batch->Finalize();
        array.release(&array);
        batch = duckdb::make_uniq<duckdb::ArrowAppender>(result->types, 65536, properties, none);
      }
    }
    return;
  }
  std::string options = format == "csv"       ? "FORMAT csv, HEADER true"
                        : format == "parquet" ? "FORMAT parquet"
                        : format == "ndjson"  ? "FORMAT json"
                                              : "FORMAT json, ARRAY true";
  auto out = scratch + "/out." + format;
  Check(con.Query("COPY (" + source + ") TO '" + out + "' (" + options + ")"));
  std::filesystem::remove(out);
}

void QueryStreaming(Api &api, duckdb::Connection &con, const std::string &data_dir, const std::string &scratch,
                    int64_t rows) {
  std::cout << "\n## Query streaming: SELECT * of " << rows << " rows (int, double, varchar, timestamp)\n";
  auto files = FileList(TableFiles(data_dir, "bench", "wide"));
  std::cout << "format   api_s  inproc_s  ratio  api_MB\n";
  // Each side runs kRepeats times and the medians are compared: on a 2-core machine the client and
  // the server compete for CPU, and single runs vary by 15%.
  constexpr int kRepeats = 3;
  auto median = [](std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
  };
  for (const std::string format : {"csv", "parquet", "arrow", "ndjson", "json"}) {
    std::vector<double> api_runs, inproc_runs;
    uint64_t bytes = 0;
    for (int repeat = 0; repeat < kRepeats; repeat++) {
      auto start = Clock::now();
      bytes = api.Query("SELECT * FROM bench.wide", format);
      api_runs.push_back(Seconds(start));
      start = Clock::now();
      RunEmbedded(con, files, format, scratch);
      inproc_runs.push_back(Seconds(start));
    }
    double api_seconds = median(api_runs), inproc_seconds = median(inproc_runs);
    printf("%-8s %6.2f %8.2f %6.2f %7.1f\n", format.c_str(), api_seconds, inproc_seconds, inproc_seconds / api_seconds,
           bytes / 1e6);
  }
}

void SmallQueryLatency(Api &api, duckdb::Connection &con, const std::string &data_dir, int iterations) {
  std::cout << "\n## Point query latency over keep-alive HTTP (" << iterations << " queries)\n";
  auto files = FileList(TableFiles(data_dir, "bench", "wide"));
  auto measure = [iterations](const std::function<void(int)> &run) {
    std::vector<double> samples;
    for (int i = 0; i < iterations; i++) {
      auto start = Clock::now();
      run(i);
      samples.push_back(Seconds(start) * 1000);
    }
    std::sort(samples.begin(), samples.end());
    return std::make_pair(samples[samples.size() / 2], samples[samples.size() * 99 / 100]);
  };
  auto via_api = measure([&](int i) { api.Query("SELECT * FROM bench.wide WHERE i = " + std::to_string(i * 7919), "json"); });
  auto inproc = measure([&](int i) {
    Check(con.Query("SELECT * FROM read_parquet(" + files + ") WHERE i = " + std::to_string(i * 7919)));
  });
  printf("api      p50 %.2f ms  p99 %.2f ms\ninproc   p50 %.2f ms  p99 %.2f ms\nratio p50 %.2f\n", via_api.first,
         via_api.second, inproc.first, inproc.second, inproc.first / via_api.first);
}

void Ingest(const std::string &url, int server_pid, duckdb::Connection &con, const std::string &csv,
            const std::string &scratch) {
  auto size = std::filesystem::file_size(csv);
  std::cout << "\n## Ingest of a " << size / 1000000 << " MB CSV\n";
  httplib::Client client(url);
  client.set_write_timeout(3600, 0);
  client.set_read_timeout(3600, 0);
  Api(url).Query("SELECT 1", "json");
  uint64_t rss_before = PeakRssKb(server_pid);
  auto start = Clock::now();
  std::ifstream in(csv, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  auto result = client.Post(
      "/api/v1/namespaces/bench/tables/ingested/data?format=csv", size,
      [&](size_t offset, size_t length, httplib::DataSink &sink) {
        in.read(buffer.data(), static_cast<std::streamsize>(std::min(length, buffer.size())));
        sink.write(buffer.data(), static_cast<size_t>(in.gcount()));
        return true;
      },
      "text/csv");
  double api_seconds = Seconds(start);
  if (!result || (result->status != 201 && result->status != 200)) {
    Fail("ingest failed: " + (result ? std::to_string(result->status) + " " + result->body : "no response"));
  }
  uint64_t rss_peak = PeakRssKb(server_pid);
  start = Clock::now();
  Check(con.Query("COPY (SELECT * FROM read_csv('" + csv + "', header = true)) TO '" + scratch +
                  "/ingest.parquet' (FORMAT parquet)"));
  double inproc_seconds = Seconds(start);
  std::filesystem::remove(scratch + "/ingest.parquet");
  printf("api %.2f s (%.0f MB/s)  inproc COPY %.2f s  ratio %.2f\n", api_seconds, size / 1e6 / api_seconds,
         inproc_seconds, inproc_seconds / api_seconds);
  printf("server peak RSS: %.0f MB during the upload (%.0f MB before it)\n", rss_peak / 1024.0, rss_before / 1024.0);
  std::cout << "server answer: " << result->body << "\n";
}

double MetricValue(Api &api, const std::string &name) {
  auto result = api.client.Get("/metrics");
  if (!result) Fail("no /metrics");
  auto pos = result->body.find("\n" + name + " ");
  if (pos == std::string::npos) Fail("metric " + name + " missing");
  return std::stod(result->body.substr(pos + name.size() + 2));
}

std::string PostJson(Api &api, const std::string &path, const std::string &body) {
  auto result = api.client.Post(path, body, "application/json");
  if (!result || result->status >= 300) Fail("POST " + path + " failed: " + (result ? result->body : "no response"));
  return result->body;
}

// The table's files on S3, downloaded to `dir` so the baseline reads the very same Parquet.
std::vector<std::string> DownloadTable(ducklake::S3Store &store, const std::string &prefix, const std::string &dir) {
  std::vector<std::string> local;
  std::filesystem::create_directories(dir);
  for (const auto &object : store.List(prefix, "", "", 10000).objects) {
    auto path = dir + "/" + object.key.substr(object.key.rfind('/') + 1);
    std::ofstream out(path, std::ios::binary);
    store.Get(object.key, std::nullopt, [&out](const char *data, size_t size) {
      out.write(data, static_cast<std::streamsize>(size));
      return true;
    });
    local.push_back(path);
  }
  return local;
}

double MedianOfThree(const std::function<void()> &run) {
  std::vector<double> samples;
  for (int i = 0; i < 3; i++) {
    auto start = Clock::now();
    run();
    samples.push_back(Seconds(start));
  }
  std::sort(samples.begin(), samples.end());
  return samples[1];
}

// 1,000 single-row INSERTs into bench.commits, one after the other: total seconds and the sorted
// per-commit latencies in ms.
std::pair<double, std::vector<double>> SmallCommits(Api &api) {
  std::vector<double> latencies;
  auto start = Clock::now();
  for (int i = 0; i < 1000; i++) {
    auto one = Clock::now();
    api.Query("INSERT INTO bench.commits VALUES (" + std::to_string(i) + ")", "json");
    latencies.push_back(Seconds(one) * 1000);
  }
  double total = Seconds(start);
  std::sort(latencies.begin(), latencies.end());
  return {total, latencies};
}

// Production backends: a scan on S3 vs local disk, range reads, and small commits on PostgreSQL.
void ProductionBackends(Api &api, duckdb::Connection &con, const std::string &scratch, int64_t rows) {
  const char *prefix_env = std::getenv("BENCH_S3_PREFIX");
  if (!prefix_env) Fail("BENCH_S3_PREFIX (the server's s3://bucket/prefix) is not set");
  std::string url = prefix_env;
  auto options = ducklake::S3OptionsFromUrl(url);
  ducklake::S3Store store(options);
  PostJson(api, "/api/v1/namespaces", "{\"name\":\"bench\"}");
  api.Query("CREATE TABLE bench.wide AS SELECT range AS i, random() * 1000 AS d, 'customer-' || (range % 100000) "
            "AS s, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts FROM range(" + std::to_string(rows) + ")",
            "json");

  std::cout << "\n## Scan of " << rows << " rows on S3 through the API vs the same Parquet files on local disk\n";
  auto files = FileList(DownloadTable(store, "warehouse/bench/wide/", scratch + "/wide"));
  const std::string aggregate = "SELECT count(*), sum(i), sum(d), max(s), max(ts) FROM ";
  double api_seconds = MedianOfThree([&] { api.Query(aggregate + "bench.wide", "json"); });
  double local_seconds = MedianOfThree([&] { Check(con.Query(aggregate + "read_parquet(" + files + ")")); });
  double stream_api = MedianOfThree([&] { api.Query("SELECT * FROM bench.wide", "arrow"); });
  printf("full-scan aggregate: api on S3 %.2f s, embedded on local disk %.2f s, ratio %.2f\n", api_seconds,
         local_seconds, local_seconds / api_seconds);
  printf("SELECT * as arrow from S3 through the API: %.2f s\n", stream_api);

  std::cout << "\n## Bytes fetched from S3 for a query touching one column of ten\n";
  std::string columns;
  for (int c = 0; c < 10; c++) columns += fmt_column(c);
  api.Query("CREATE TABLE bench.ten AS SELECT " + columns + " FROM range(" + std::to_string(rows / 5) + ")", "json");
  auto describe = api.client.Get("/api/v1/namespaces/bench/tables/ten");
  auto size_pos = describe->body.find("\"size_bytes\":");
  double table_bytes = std::stod(describe->body.substr(size_pos + 13));
  api.Query("SELECT 1", "json");
  double before = MetricValue(api, "ducklake_object_store_read_bytes_total");
  api.Query("SELECT sum(c3) FROM bench.ten", "json");
  double fetched = MetricValue(api, "ducklake_object_store_read_bytes_total") - before;
  printf("table on S3: %.1f MB; fetched for SELECT sum(c3): %.2f MB (%.1f%% of the table)\n", table_bytes / 1e6,
         fetched / 1e6, 100 * fetched / table_bytes);

  std::cout << "\n## Small commits on PostgreSQL: 1,000 single-row INSERTs, one client\n";
  PostJson(api, "/api/v1/namespaces/bench/tables", "{\"name\":\"commits\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\"}]}");
  auto [total, latencies] = SmallCommits(api);
  printf("%.0f commits/s, p50 %.2f ms, p99 %.2f ms (DuckLake's published figure: ~12.5 ms per small commit)\n",
         1000 / total, latencies[500], latencies[990]);
}

// Table versioning: small commits, time travel over many snapshots, compaction of many small files.
// `scale` is the number of files of the compaction table (10,000 by default).
void Versioning(Api &api, duckdb::Connection &con, const std::string &data_dir, const std::string &scratch,
                int64_t scale) {
  PostJson(api, "/api/v1/namespaces", "{\"name\":\"bench\"}");
  PostJson(api, "/api/v1/namespaces/bench/tables",
           "{\"name\":\"commits\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\"}]}");

  std::cout << "\n## Small commits: 1,000 single-row INSERTs through the API, one client\n";
  auto [total, latencies] = SmallCommits(api);
  // Baseline: the same INSERTs into a DuckDB database file, each its own durable transaction.
  duckdb::DuckDB file_db(scratch + "/baseline.duckdb");
  duckdb::Connection file_con(file_db);
  Check(file_con.Query("CREATE TABLE commits (id BIGINT)"));
  auto baseline_start = Clock::now();
  for (int i = 0; i < 1000; i++) Check(file_con.Query("INSERT INTO commits VALUES (" + std::to_string(i) + ")"));
  double baseline = Seconds(baseline_start);
  printf("api: %.0f commits/s, p50 %.2f ms, p99 %.2f ms; embedded DuckDB file: %.0f commits/s; ratio %.3f\n",
         1000 / total, latencies[500], latencies[990], 1000 / baseline, baseline / total);

  // With data inlining the 1,000 rows were kept in the catalog and flushed to one file once 1,000
  // had gathered: each snapshot reads them from there, as of its own point.
  std::cout << "\n## Time travel: a table with 1,000 snapshots (single-row commits)\n";
  auto snapshots = api.client.Get("/api/v1/namespaces/bench/tables/commits/snapshots");
  // The history is newest first: the 500th commit's snapshot is 500 entries below the newest.
  auto newest = std::stoll(snapshots->body.substr(snapshots->body.find("\"snapshot_id\":") + 14));
  auto middle = std::to_string(newest - 500);
  const std::string aggregate = "SELECT count(*), sum(id) FROM bench.commits";
  double latest = MedianOfThree([&] { api.Query(aggregate, "json"); });
  double travel = MedianOfThree([&] { api.Query(aggregate + " AT (VERSION => " + middle + ")", "json"); });
  // The newest snapshot named explicitly: the same files as `latest`, reached through time travel.
  double travel_to_newest = MedianOfThree(
      [&] { api.Query(aggregate + " AT (VERSION => " + std::to_string(newest) + ")", "json"); });
  auto files = FileList(TableFiles(data_dir, "bench", "commits"));
  double embedded = MedianOfThree([&] { Check(con.Query("SELECT count(*), sum(id) FROM read_parquet(" + files + ")")); });
  printf("latest: %.1f ms; AT (VERSION => newest): %.1f ms (ratio %.2f); as of snapshot "
         "%s (500 commits): %.1f ms; embedded DuckDB over the table's files: %.1f ms, ratio %.2f\n",
         latest * 1000, travel_to_newest * 1000, latest / travel_to_newest, middle.c_str(), travel * 1000,
         embedded * 1000, embedded / latest);

  std::cout << "\n## Compaction: " << scale << " small files\n";
  PostJson(api, "/api/v1/namespaces/bench/tables",
           "{\"name\":\"many\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\"},"
           "{\"name\":\"v\",\"type\":\"DOUBLE\"}]}");
  auto load_start = Clock::now();
  for (int64_t done = 0; done < scale;) {
    // 500 single-file INSERTs per transaction: one snapshot each batch, one file per statement.
    std::string statements;
    for (int i = 0; i < 500 && done < scale; i++, done++) {
      statements += (statements.empty() ? "" : ",") +
                    JsonString("INSERT INTO bench.many SELECT range + " + std::to_string(done * 100) +
                               ", random() FROM range(100)");
    }
    PostJson(api, "/api/v1/query", "{\"statements\":[" + statements + "]}");
  }
  printf("loaded %lld files in %.1f s\n", static_cast<long long>(scale), Seconds(load_start));
  const std::string query = "SELECT count(*), sum(id), avg(v) FROM bench.many WHERE id % 7 = 3";
  auto many_files = FileList(TableFiles(data_dir, "bench", "many"));
  auto embedded_query = "SELECT count(*), sum(id), avg(v) FROM read_parquet(" + many_files + ") WHERE id % 7 = 3";
  double before = MedianOfThree([&] { api.Query(query, "json"); });
  double embedded_before = MedianOfThree([&] { Check(con.Query(embedded_query)); });
  auto compact_start = Clock::now();
  PostJson(api, "/api/v1/maintenance/compact", "{\"namespace\":\"bench\",\"table\":\"many\"}");
  double compaction = Seconds(compact_start);
  double after = MedianOfThree([&] { api.Query(query, "json"); });
  printf("query before: %.1f ms (embedded DuckDB over the same files: %.1f ms, ratio %.2f); compaction %.1f s; "
         "query after: %.1f ms; speed-up %.1fx\n",
         before * 1000, embedded_before * 1000, embedded_before / before, compaction, after * 1000, before / after);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 6) Fail("usage: ducklake_bench query|ingest|backends|versioning <url> <data dir> <server pid> <scratch dir> [rows]");
  std::string mode = argv[1], url = argv[2], data_dir = argv[3], scratch = argv[5];
  int pid = std::stoi(argv[4]);
  int64_t rows = argc > 6 ? std::stoll(argv[6]) : 10000000;
  duckdb::DBConfig config;
  config.options.maximum_threads = 2;
  duckdb::DuckDB db(nullptr, &config);
  duckdb::Connection con(db);
  Check(con.Query("SET memory_limit = '1GB'"));
  Api api(url);
  if (mode == "backends") {
    ProductionBackends(api, con, scratch, rows);
  } else if (mode == "versioning") {
    Versioning(api, con, data_dir, scratch, argc > 6 ? rows : 10000);
  } else if (mode == "query") {
    auto body = "{\"name\":\"bench\"}";
    api.client.Post("/api/v1/namespaces", body, "application/json");
    auto start = Clock::now();
    api.Query("CREATE TABLE bench.wide AS SELECT range AS i, random() * 1000 AS d, 'customer-' || (range % 100000) "
              "AS s, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts FROM range(" +
                  std::to_string(rows) + ")",
              "json");
    std::cout << "created bench.wide in " << Seconds(start) << " s\n";
    QueryStreaming(api, con, data_dir, scratch, rows);
    printf("server peak RSS after creating and streaming the table: %.0f MB\n", PeakRssKb(pid) / 1024.0);
    SmallQueryLatency(api, con, data_dir, 1000);
  } else {
    std::string csv = scratch + "/ingest.csv";
    if (!std::filesystem::exists(csv)) {
      Check(con.Query("COPY (SELECT range AS id, random() * 1000 AS amount, 'customer-' || (range % 100000) AS "
                      "name, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts, 'note ' || md5(range::VARCHAR) AS "
                      "note FROM range(" + std::to_string(rows) + ")) TO '" + csv + "' (HEADER true)"));
    }
    api.client.Post("/api/v1/namespaces", "{\"name\":\"bench\"}", "application/json");
    Ingest(url, pid, con, csv, scratch);
  }
  return 0;
}
