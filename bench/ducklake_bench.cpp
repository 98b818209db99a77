// DuckLake benchmarks: each measures an API path and, in the same run, the in-process DuckDB
// baseline doing the same work, and prints the ratio (baseline time / API time: 1.0 = as fast as
// embedded DuckDB). Usage: ducklake_bench query|ingest|backends|versioning|commits <server URL>
// <server data dir> <server pid> <scratch dir> [scale], or ducklake_bench hello <port> (a bare
// cpp-httplib server answering /healthz: the ceiling of the HTTP stack, for wrk). bench/run*.sh
// start the servers and call this. With DUCKLAKE_BENCH_RECORD set, every figure is also recorded for
// bench/suite.py (its docstring holds the contract); DUCKLAKE_BENCH_LABEL (e.g. the backend) is
// added to the names of the figures, so that runs against several servers stay apart.

#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
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

// Appends figures and series to the file DUCKLAKE_BENCH_RECORD names (nothing when it is unset), in
// the form bench/suite.py reads. Ratios are oriented so that higher is better.
class Recorder {
 public:
  explicit Recorder(std::string bench) : bench_(std::move(bench)) {
    if (const char *label = std::getenv("DUCKLAKE_BENCH_LABEL")) label_ = label;
    if (const char *path = std::getenv("DUCKLAKE_BENCH_RECORD")) path_ = path;
  }

  void Figure(const std::string &name, double value, const std::string &unit, nlohmann::json detail = nullptr) {
    nlohmann::json line = {{"kind", "figure"}, {"bench", bench_}, {"name", Labelled(name)}, {"value", value},
                           {"unit", unit}};
    if (!detail.is_null()) line["detail"] = std::move(detail);
    Append(line);
  }

  // `x`: numbers (a line) or category labels (bars).
  void Series(const std::string &name, const std::string &unit, const nlohmann::json &x, const std::vector<double> &y,
              const std::string &plot, const std::string &xlabel, const std::string &ylabel) {
    Append({{"kind", "series"}, {"bench", bench_}, {"name", Labelled(name)}, {"unit", unit}, {"x", x}, {"y", y},
            {"plot", plot}, {"xlabel", xlabel}, {"ylabel", ylabel}});
  }

  // The CDF of `sorted` (ascending) at percentiles 0..100.
  void Cdf(const std::string &name, const std::vector<double> &sorted, const std::string &plot) {
    std::vector<double> x, y;
    for (int p = 0; p <= 100; p++) {
      x.push_back(sorted[std::min(sorted.size() - 1, sorted.size() * p / 100)]);
      y.push_back(p / 100.0);
    }
    Series(name, "ms", x, y, plot, "latency (ms)", "fraction of requests");
  }

 private:
  std::string Labelled(const std::string &name) const { return label_.empty() ? name : name + ", " + label_; }

  void Append(const nlohmann::json &line) {
    if (path_.empty()) return;
    if (line.contains("value") && !std::isfinite(line["value"].get<double>())) {
      Fail("figure '" + line["name"].get<std::string>() + "' is not a finite number");
    }
    std::ofstream out(path_, std::ios::app);
    out << line.dump() << "\n";
    if (!out) Fail("cannot append to " + path_);
  }

  std::string bench_, label_, path_;
};

// Request latencies in ms, sorted.
struct Latencies {
  std::vector<double> ms;
  double At(double percentile) const { return ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * percentile / 100))]; }
};

Latencies Measure(int iterations, const std::function<void(int)> &run) {
  Latencies latencies;
  for (int i = 0; i < iterations; i++) {
    auto start = Clock::now();
    run(i);
    latencies.ms.push_back(Seconds(start) * 1000);
  }
  std::sort(latencies.ms.begin(), latencies.ms.end());
  return latencies;
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
                    int64_t rows, Recorder &record) {
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
  std::vector<std::string> formats;
  std::vector<double> api_rates, inproc_rates;  // MB/s of the result's bytes
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
    record.Figure(format + " streaming", inproc_seconds / api_seconds, "ratio",
                  {{"api_s", api_seconds}, {"inproc_s", inproc_seconds}, {"bytes", bytes}});
    formats.push_back(format);
    api_rates.push_back(bytes / 1e6 / api_seconds);
    inproc_rates.push_back(bytes / 1e6 / inproc_seconds);
  }
  record.Series("API", "MB/s", formats, api_rates, "query-transfer-rates", "result format", "MB/s");
  record.Series("in-process DuckDB", "MB/s", formats, inproc_rates, "query-transfer-rates", "result format", "MB/s");
}

// Point queries over keep-alive HTTP, one client, against in-process DuckDB reading the same files:
// on the streaming table and on a 1,000-row table, where what is left is the API's own cost (auth,
// sandbox check, catalog, JSON). /healthz on the same connection is the floor of the HTTP stack.
void PointQueries(Api &api, duckdb::Connection &con, const std::string &data_dir, int iterations, Recorder &record) {
  std::cout << "\n## Point queries over keep-alive HTTP, one client (" << iterations << " each)\n";
  auto healthz = Measure(iterations, [&](int) {
    if (auto result = api.client.Get("/healthz"); !result || result->status != 200) Fail("/healthz failed");
  });
  printf("%-28s %8s %8s %8s %8s %7s\n", "", "api p50", "api p99", "in p50", "in p99", "target");
  for (const auto &[table, rows] : {std::pair<std::string, int64_t>{"wide", 0}, {"small", 1000}}) {
    auto files = FileList(TableFiles(data_dir, "bench", table));
    auto key = [&](int i) { return std::to_string(rows ? (i * 7919) % rows : i * 7919); };
    auto via_api = Measure(iterations, [&](int i) { api.Query("SELECT * FROM bench." + table + " WHERE i = " + key(i), "json"); });
    auto inproc = Measure(iterations, [&](int i) {
      Check(con.Query("SELECT * FROM read_parquet(" + files + ") WHERE i = " + key(i)));
    });
    double p50 = via_api.At(50), p99 = via_api.At(99), in50 = inproc.At(50), in99 = inproc.At(99);
    // Targets: p50 within 1.2x in-process + 1 ms, p99 within 2x + 2 ms; on the small table the API's
    // own cost under 0.5 ms at p50.
    bool met = rows ? p50 - in50 < 0.5 : p50 <= 1.2 * in50 + 1 && p99 <= 2 * in99 + 2;
    auto label = table == "wide" ? std::string("streaming table") : std::string("1,000-row table");
    printf("%-28s %8.2f %8.2f %8.2f %8.2f %7s\n", label.c_str(), p50, p99, in50, in99, met ? "met" : "MISSED");
    record.Figure("point query p50, " + label, in50 / p50, "ratio", {{"api_ms", p50}, {"inproc_ms", in50}});
    record.Figure("point query p99, " + label, in99 / p99, "ratio", {{"api_ms", p99}, {"inproc_ms", in99}});
    record.Figure("point query p50 API, " + label, p50, "ms");
    if (rows) record.Figure("API overhead p50, " + label, p50 - in50, "ms");
    record.Cdf("API", via_api.ms, table == "wide" ? "point-latency-cdf-streaming-table" : "point-latency-cdf-1000-row-table");
    record.Cdf("in-process DuckDB", inproc.ms, table == "wide" ? "point-latency-cdf-streaming-table" : "point-latency-cdf-1000-row-table");
  }
  printf("%-28s %8.2f %8.2f\n", "GET /healthz", healthz.At(50), healthz.At(99));
  record.Figure("healthz p50", healthz.At(50), "ms");
}

struct Throughput {
  double per_second = 0;
  Latencies latencies;  // of every request, all clients together
};

// `clients` at once for `seconds`, each running `run(client, i)` in a loop.
Throughput MeasureClients(int clients, double seconds, const std::function<void(int, int)> &run) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int c = 0; c < clients; c++) {
    threads.emplace_back([&, c] {
      for (int i = 0; !stop; i++) {
        auto one = Clock::now();
        run(c, i);
        latencies[c].push_back(Seconds(one) * 1000);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto &thread : threads) thread.join();
  Throughput result;
  for (const auto &client : latencies) result.latencies.ms.insert(result.latencies.ms.end(), client.begin(), client.end());
  std::sort(result.latencies.ms.begin(), result.latencies.ms.end());
  result.per_second = static_cast<double>(result.latencies.ms.size()) / Seconds(start);
  return result;
}

// Point queries on the 1,000-row table from 1 to 16 concurrent clients (each its own keep-alive
// connection) against in-process DuckDB running the same statements on as many connections.
void ConcurrentQueries(const std::string &url, duckdb::DuckDB &db, const std::string &data_dir, double seconds,
                       Recorder &record) {
  std::cout << "\n## Point queries on the 1,000-row table, concurrent clients (" << seconds << " s each)\n";
  auto files = FileList(TableFiles(data_dir, "bench", "small"));
  std::vector<double> counts, api_rates, inproc_rates;
  printf("clients   api q/s   in-process q/s   ratio   api p50/p99 ms   in-process p50/p99 ms\n");
  for (int clients : {1, 2, 4, 8, 16}) {
    std::vector<std::unique_ptr<Api>> apis;
    std::vector<std::unique_ptr<duckdb::Connection>> connections;
    for (int c = 0; c < clients; c++) {
      apis.push_back(std::make_unique<Api>(url));
      connections.push_back(std::make_unique<duckdb::Connection>(db));
    }
    auto key = [](int c, int i) { return std::to_string((c * 131 + i * 7919) % 1000); };
    auto api = MeasureClients(clients, seconds, [&](int c, int i) {
      apis[c]->Query("SELECT * FROM bench.small WHERE i = " + key(c, i), "json");
    });
    auto inproc = MeasureClients(clients, seconds, [&](int c, int i) {
      Check(connections[c]->Query("SELECT * FROM read_parquet(" + files + ") WHERE i = " + key(c, i)));
    });
    printf("%7d %9.0f %16.0f %7.2f %8.2f/%-8.2f %8.2f/%-8.2f\n", clients, api.per_second, inproc.per_second,
           api.per_second / inproc.per_second, api.latencies.At(50), api.latencies.At(99), inproc.latencies.At(50),
           inproc.latencies.At(99));
    counts.push_back(clients);
    api_rates.push_back(api.per_second);
    inproc_rates.push_back(inproc.per_second);
    if (clients == 16) {
      // The one-client targets, held with 16 clients: p50 within 1.2x + 1 ms, p99 within 2x + 2 ms.
      double p50 = api.latencies.At(50), p99 = api.latencies.At(99);
      double in50 = inproc.latencies.At(50), in99 = inproc.latencies.At(99);
      printf("16 clients: p50 %.2f ms (target %.2f), p99 %.2f ms (target %.2f): %s\n", p50, 1.2 * in50 + 1, p99,
             2 * in99 + 2, p50 <= 1.2 * in50 + 1 && p99 <= 2 * in99 + 2 ? "met" : "MISSED");
      record.Figure("16 clients, queries/s", api.per_second / inproc.per_second, "ratio",
                    {{"api_qps", api.per_second}, {"inproc_qps", inproc.per_second}});
      record.Figure("16 clients, p50", in50 / p50, "ratio", {{"api_ms", p50}, {"inproc_ms", in50}});
      record.Figure("16 clients, p99", in99 / p99, "ratio", {{"api_ms", p99}, {"inproc_ms", in99}});
      record.Cdf("API", api.latencies.ms, "point-latency-cdf-16-clients");
      record.Cdf("in-process DuckDB", inproc.latencies.ms, "point-latency-cdf-16-clients");
    }
  }
  record.Series("API", "queries/s", counts, api_rates, "throughput-vs-clients", "concurrent clients", "queries/s");
  record.Series("in-process DuckDB", "queries/s", counts, inproc_rates, "throughput-vs-clients", "concurrent clients",
                "queries/s");
}

// Requests/s of wrk -t2 -c64 on `url`, or a negative number when wrk is not installed.
double WrkRate(const std::string &url, int seconds) {
  auto command = "wrk -t2 -c64 -d" + std::to_string(seconds) + "s " + url + " 2>&1";
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  if (pclose(pipe) != 0) return -1;
  auto at = output.find("Requests/sec:");
  if (at == std::string::npos) Fail("wrk printed no rate: " + output);
  return std::stod(output.substr(at + 13));
}

// /healthz under wrk -t2 -c64 against a bare cpp-httplib server answering the same body: the ceiling
// of the HTTP stack DuckLake is built on.
void HealthzRate(const std::string &url, int seconds, Recorder &record) {
  std::cout << "\n## GET /healthz, wrk -t2 -c64 -d" << seconds << "s\n";
  double lake = WrkRate(url + "/healthz", seconds);
  if (lake < 0) {
    std::cout << "wrk is not installed (scripts/setup.sh installs it): skipped\n";
    return;
  }
  int port = 20000 + static_cast<int>(getpid() % 10000);
  pid_t hello = fork();
  if (hello == 0) {
    execl("/proc/self/exe", "ducklake_bench", "hello", std::to_string(port).c_str(), nullptr);
    _exit(127);
  }
  auto bare_url = "http://127.0.0.1:" + std::to_string(port);
  httplib::Client probe(bare_url);
  for (int i = 0; i < 100 && !probe.Get("/healthz"); i++) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  double bare = WrkRate(bare_url + "/healthz", seconds);
  kill(hello, SIGTERM);
  waitpid(hello, nullptr, 0);
  printf("ducklake %.0f requests/s, bare cpp-httplib %.0f requests/s, ratio %.2f\n", lake, bare, lake / bare);
  record.Figure("healthz requests/s under wrk", lake / bare, "ratio", {{"api_rps", lake}, {"bare_rps", bare}});
}

void Ingest(const std::string &url, int server_pid, duckdb::Connection &con, const std::string &csv,
            const std::string &scratch, Recorder &record) {
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
  record.Figure("CSV ingest", inproc_seconds / api_seconds, "ratio",
                {{"api_s", api_seconds}, {"inproc_s", inproc_seconds}, {"bytes", size}});
  record.Figure("CSV ingest rate", size / 1e6 / api_seconds, "MB/s");
  record.Figure("CSV ingest server peak RSS", rss_peak / 1024.0, "MB");
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
// per-commit latencies in ms (recorded for the commit latency plot).
std::pair<double, std::vector<double>> SmallCommits(Api &api, Recorder &record) {
  std::vector<double> latencies;
  auto start = Clock::now();
  for (int i = 0; i < 1000; i++) {
    auto one = Clock::now();
    api.Query("INSERT INTO bench.commits VALUES (" + std::to_string(i) + ")", "json");
    latencies.push_back(Seconds(one) * 1000);
  }
  double total = Seconds(start);
  std::sort(latencies.begin(), latencies.end());
  record.Cdf("commit latency", latencies, "commit-latency-cdf");
  record.Figure("small commits", 1000 / total, "commits/s");
  record.Figure("small commit p50", latencies[500], "ms");
  record.Figure("small commit p99", latencies[990], "ms");
  return {total, latencies};
}

// Production backends: a scan on S3 vs local disk, range reads, and small commits on PostgreSQL.
void ProductionBackends(Api &api, duckdb::Connection &con, const std::string &scratch, int64_t rows,
                        Recorder &record) {
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
  record.Figure("full-scan aggregate on S3 vs local disk", local_seconds / api_seconds, "ratio",
                {{"api_s", api_seconds}, {"local_s", local_seconds}});
  record.Figure("SELECT * as arrow from S3", stream_api, "s");

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
  record.Figure("bytes fetched for one column of ten", 100 * fetched / table_bytes, "% of the table");

  std::cout << "\n## Small commits on PostgreSQL: 1,000 single-row INSERTs, one client\n";
  PostJson(api, "/api/v1/namespaces/bench/tables", "{\"name\":\"commits\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\"}]}");
  auto [total, latencies] = SmallCommits(api, record);
  printf("%.0f commits/s, p50 %.2f ms, p99 %.2f ms (DuckLake's published figure: ~12.5 ms per small commit)\n",
         1000 / total, latencies[500], latencies[990]);
}

// Small commits alone: 1,000 single-row INSERTs through the API against the same INSERTs into a
// DuckDB database file, each its own durable transaction.
void Commits(Api &api, const std::string &scratch, Recorder &record) {
  PostJson(api, "/api/v1/namespaces", "{\"name\":\"bench\"}");
  PostJson(api, "/api/v1/namespaces/bench/tables",
           "{\"name\":\"commits\",\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\"}]}");

  std::cout << "\n## Small commits: 1,000 single-row INSERTs through the API, one client\n";
  auto [total, latencies] = SmallCommits(api, record);
  // Baseline: the same INSERTs into a DuckDB database file, each its own durable transaction.
  duckdb::DuckDB file_db(scratch + "/baseline.duckdb");
  duckdb::Connection file_con(file_db);
  Check(file_con.Query("CREATE TABLE commits (id BIGINT)"));
  auto baseline_start = Clock::now();
  for (int i = 0; i < 1000; i++) Check(file_con.Query("INSERT INTO commits VALUES (" + std::to_string(i) + ")"));
  double baseline = Seconds(baseline_start);
  printf("api: %.0f commits/s, p50 %.2f ms, p99 %.2f ms; embedded DuckDB file: %.0f commits/s; ratio %.3f\n",
         1000 / total, latencies[500], latencies[990], 1000 / baseline, baseline / total);
  record.Figure("small commits vs a DuckDB file", baseline / total, "ratio",
                {{"api_commits_per_s", 1000 / total}, {"duckdb_commits_per_s", 1000 / baseline}});
}

// Table versioning: small commits, time travel over many snapshots, compaction of many small files.
// `scale` is the number of files of the compaction table (10,000 by default).
void Versioning(Api &api, duckdb::Connection &con, const std::string &data_dir, const std::string &scratch,
                int64_t scale, Recorder &record) {
  Commits(api, scratch, record);

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
  record.Figure("time travel to the newest snapshot vs latest", latest / travel_to_newest, "ratio");
  record.Figure("latest of 1,000 commits vs DuckDB over its files", embedded / latest, "ratio",
                {{"api_ms", latest * 1000}, {"inproc_ms", embedded * 1000}});

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
  record.Figure("query over many small files vs DuckDB over them", embedded_before / before, "ratio",
                {{"api_ms", before * 1000}, {"inproc_ms", embedded_before * 1000}});
  record.Figure("compaction speed-up", before / after, "x");
  record.Figure("compaction time", compaction, "s");
}

}  // namespace

// A cpp-httplib server answering GET /healthz as DuckLake does, with DuckLake's connection settings
// (a thread per connection, 64 of them by default; Nagle off; 1,000 requests per connection): what
// the HTTP stack alone can serve.
int Hello(int port) {
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);
  server.Get("/healthz", [](const httplib::Request &, httplib::Response &response) {
    response.set_content("{\"status\":\"ok\"}", "application/json");
  });
  return server.listen("127.0.0.1", port) ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 3 && std::string(argv[1]) == "hello") return Hello(std::stoi(argv[2]));
  if (argc < 6) {
    Fail("usage: ducklake_bench query|ingest|backends|versioning|commits <url> <data dir> <server pid> <scratch dir> "
         "[scale] | ducklake_bench hello <port>");
  }
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
    Recorder record("backends");
    ProductionBackends(api, con, scratch, rows, record);
  } else if (mode == "versioning") {
    Recorder record("versioning");
    Versioning(api, con, data_dir, scratch, argc > 6 ? rows : 10000, record);
  } else if (mode == "commits") {
    Recorder record("versioning");
    Commits(api, scratch, record);
  } else if (mode == "query") {
    Recorder record("query");
    auto body = "{\"name\":\"bench\"}";
    api.client.Post("/api/v1/namespaces", body, "application/json");
    auto start = Clock::now();
    api.Query("CREATE TABLE bench.wide AS SELECT range AS i, random() * 1000 AS d, 'customer-' || (range % 100000) "
              "AS s, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts FROM range(" +
                  std::to_string(rows) + ")",
              "json");
    api.Query("CREATE TABLE bench.small AS SELECT * FROM bench.wide LIMIT 1000", "json");
    std::cout << "created bench.wide in " << Seconds(start) << " s\n";
    QueryStreaming(api, con, data_dir, scratch, rows, record);
    printf("server peak RSS after creating and streaming the table: %.0f MB\n", PeakRssKb(pid) / 1024.0);
    record.Figure("server peak RSS after streaming", PeakRssKb(pid) / 1024.0, "MB");
    // Smoke sizes (under a million rows) measure every path briefly.
    bool full = rows >= 1000000;
    PointQueries(api, con, data_dir, full ? 1000 : 100, record);
    ConcurrentQueries(url, db, data_dir, full ? 3 : 0.3, record);
    HealthzRate(url, full ? 5 : 1, record);
  } else if (mode == "ingest") {
    Recorder record("ingest");
    std::string csv = scratch + "/ingest.csv";
    if (!std::filesystem::exists(csv)) {
      Check(con.Query("COPY (SELECT range AS id, random() * 1000 AS amount, 'customer-' || (range % 100000) AS "
                      "name, TIMESTAMP '2024-01-01' + to_seconds(range) AS ts, 'note ' || md5(range::VARCHAR) AS "
                      "note FROM range(" + std::to_string(rows) + ")) TO '" + csv + "' (HEADER true)"));
    }
    api.client.Post("/api/v1/namespaces", "{\"name\":\"bench\"}", "application/json");
    Ingest(url, pid, con, csv, scratch, record);
  } else {
    Fail("unknown mode " + mode);
  }
  return 0;
}
