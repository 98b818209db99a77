#include "server/serve_command.hpp"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "api/server.hpp"
#include "common/config.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "server/assembly.hpp"
#include "tables/maintenance_report.hpp"

namespace ducklake {
namespace {


// Where the lake is and how DuckDB may use the machine: for `serve` and `maintenance` alike.
void AddLakeOptions(CLI::App &serve, Config &config) {
  serve.add_option("--data-dir", config.data_dir, "directory of the embedded lake")->envname("DUCKLAKE_DATA_DIR");
  serve.add_option("--metadata", config.metadata_url, "metadata database URL (default: sqlite in the data dir)")
      ->envname("DUCKLAKE_METADATA");
  serve.add_option("--metadata-password-file", config.metadata_password_file,
                   "file holding the metadata database password (DUCKLAKE_METADATA_PASSWORD also works)")
      ->envname("DUCKLAKE_METADATA_PASSWORD_FILE");
  serve.add_option("--storage", config.storage_url, "object storage URL: file://dir or s3://bucket/prefix")
      ->envname("DUCKLAKE_STORAGE");
  serve.add_option("--s3-endpoint", config.s3_endpoint, "S3 endpoint, e.g. http://127.0.0.1:9000")
      ->envname("DUCKLAKE_S3_ENDPOINT");
  serve.add_option("--s3-region", config.s3_region, "S3 region (default AWS_REGION or us-east-1)");
  serve.add_option("--s3-access-key-id", config.s3_access_key_id, "S3 access key id (default AWS_ACCESS_KEY_ID)");
  serve.add_option("--s3-secret-access-key-file", config.s3_secret_access_key_file,
                   "file holding the S3 secret key (default AWS_SECRET_ACCESS_KEY)")
      ->envname("DUCKLAKE_S3_SECRET_ACCESS_KEY_FILE");
  serve.add_option("--s3-ca-bundle", config.s3_ca_bundle, "PEM CA bundle for HTTPS endpoints")
      ->envname("DUCKLAKE_S3_CA_BUNDLE");
  serve.add_option("--memory-limit", config.memory_limit, "DuckDB memory limit, e.g. 1GB")
      ->envname("DUCKLAKE_MEMORY_LIMIT")
      ->group("Limits");
  serve.add_option("--threads", config.threads, "DuckDB worker threads")
      ->envname("DUCKLAKE_THREADS")
      ->check(CLI::Range(1, 1024))
      ->group("Limits");
  serve.add_option("--log-format", config.log_format, "text or json")
      ->envname("DUCKLAKE_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  serve.add_option("--log-level", config.log_level, "debug, info, warn or error")
      ->envname("DUCKLAKE_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  serve.add_option("--instance", config.instance_name, "name of this lake in lineage")->envname("DUCKLAKE_INSTANCE");
  serve.add_option("--lineage", config.lineage, "record DuckLake's own jobs as OpenLineage runs (on or off)")
      ->envname("DUCKLAKE_LINEAGE");
}

void AddServeOptions(CLI::App &serve, Config &config) {
  AddLakeOptions(serve, config);
  serve.add_option("--listen", config.listen, "host:port to listen on")->envname("DUCKLAKE_LISTEN");
  serve.add_option("--public-url", config.public_url,
                   "URL clients reach this server at, for presigned URLs (default: http://<Host header>)")
      ->envname("DUCKLAKE_PUBLIC_URL");
  serve.add_option("--web-dir", config.web_dir,
                   "the web browser's built files, served at / (default: web/ beside the binary, else "
                   "../share/ducklake/web; none: serve no web app)")
      ->envname("DUCKLAKE_WEB_DIR");
  serve.add_option("--http-threads", config.http_threads, "concurrent HTTP connections")
      ->envname("DUCKLAKE_HTTP_THREADS")
      ->check(CLI::Range(1, 100000))
      ->group("Limits");
  serve.add_option("--max-body-bytes", config.max_body_bytes, "largest JSON request body")
      ->envname("DUCKLAKE_MAX_BODY_BYTES")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40))
      ->group("Limits");
  serve.add_option("--max-upload-bytes", config.max_upload_bytes, "largest upload")
      ->envname("DUCKLAKE_MAX_UPLOAD_BYTES")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 50))
      ->group("Limits");
  serve.add_option("--query-timeout-ms", config.default_query_timeout_ms, "query timeout, and the longest a request may ask for")
      ->envname("DUCKLAKE_QUERY_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->group("Limits");
  serve.add_option("--max-result-rows", config.max_result_rows, "cap on rows per query result (0: none)")
      ->envname("DUCKLAKE_MAX_RESULT_ROWS")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 62))
      ->group("Limits");
  serve.add_option("--shutdown-timeout", config.shutdown_timeout_s, "seconds to drain requests on SIGTERM")
      ->envname("DUCKLAKE_SHUTDOWN_TIMEOUT")
      ->check(CLI::Range(0, 3600))
      ->group("Limits");
  serve.add_option("--maintenance-interval", config.maintenance_interval_s,
                   "seconds between background maintenance runs (compact, expire, cleanup); 0: off")
      ->envname("DUCKLAKE_MAINTENANCE_INTERVAL")
      ->check(CLI::Range(0, 365 * 86400))
      ->group("Limits");
  serve.add_option("--data-inlining-row-limit", config.data_inlining_row_limit,
                   "writes of at most this many rows keep them in the metadata database (the DuckLake format's data "
                   "inlining) until a flush writes them to Parquet; 0: never")
      ->envname("DUCKLAKE_DATA_INLINING_ROW_LIMIT")
      ->check(CLI::Range(int64_t{0}, int64_t{1000}))
      ->group("Limits");
  serve.add_option("--snapshot-retention", config.snapshot_retention_s,
                   "background maintenance expires snapshots older than this many seconds")
      ->envname("DUCKLAKE_SNAPSHOT_RETENTION")
      ->check(CLI::Range(int64_t{0}, int64_t{100} * 365 * 86400))
      ->group("Limits");
  serve.add_option("--auth", config.auth,
                   "token: every request needs a bearer token; none: no authentication, allowed on loopback only "
                   "(default: none on loopback, token otherwise)")
      ->envname("DUCKLAKE_AUTH")
      ->check(CLI::IsMember({"token", "none"}));
  serve.add_option("--admin-token-file", config.admin_token_file,
                   "the admin's token: read from this file if it exists, else made and written there")
      ->envname("DUCKLAKE_ADMIN_TOKEN_FILE");
  serve.add_option("--tls-cert", config.tls_cert, "PEM certificate (chain): serve HTTPS")->envname("DUCKLAKE_TLS_CERT");
  serve.add_option("--tls-key", config.tls_key, "PEM private key of --tls-cert")->envname("DUCKLAKE_TLS_KEY");
  serve.add_option("--max-header-bytes", config.max_header_bytes, "all request headers together")
      ->envname("DUCKLAKE_MAX_HEADER_BYTES")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 20))
      ->group("Limits");
  serve.add_option("--max-url-bytes", config.max_url_bytes, "longest request target (path and query)")
      ->envname("DUCKLAKE_MAX_URL_BYTES")
      ->check(CLI::Range(uint64_t{256}, uint64_t{8192}))
      ->group("Limits");
  serve.add_option("--max-json-depth", config.max_json_depth, "deepest nesting of a JSON request body")
      ->envname("DUCKLAKE_MAX_JSON_DEPTH")
      ->check(CLI::Range(2, 1000))
      ->group("Limits");
  serve.add_option("--max-result-bytes", config.max_result_bytes, "cap on a query result's bytes (0: none)")
      ->envname("DUCKLAKE_MAX_RESULT_BYTES")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 50))
      ->group("Limits");
  serve.add_option("--max-concurrent-queries", config.max_concurrent_queries, "queries one token may run at once")
      ->envname("DUCKLAKE_MAX_CONCURRENT_QUERIES")
      ->check(CLI::Range(1, 10000))
      ->group("Limits");
  serve.add_option("--rate-limit", config.rate_limit, "requests per second one token may send (0: no limit)")
      ->envname("DUCKLAKE_RATE_LIMIT")
      ->check(CLI::Range(0.0, 1e6))
      ->group("Limits");
  serve.add_option("--rate-burst", config.rate_burst, "requests one token may send at once")
      ->envname("DUCKLAKE_RATE_BURST")
      ->check(CLI::Range(1.0, 1e7))
      ->group("Limits");
  serve.add_option("--min-upload-rate", config.min_upload_rate,
                   "bytes per second a request body must average after 10 s (0: no minimum)")
      ->envname("DUCKLAKE_MIN_UPLOAD_RATE")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 40))
      ->group("Limits");
  serve.add_option("--read-timeout", config.read_timeout_s, "seconds a socket read or write may wait")
      ->envname("DUCKLAKE_READ_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->group("Limits");
  serve.add_option("--lineage-url", config.lineage_url,
                   "OpenLineage endpoint (e.g. Marquez) that DuckLake's events are POSTed to, at {url}/api/v1/lineage")
      ->envname("DUCKLAKE_LINEAGE_URL");
  serve.add_option("--lineage-token-file", config.lineage_token_file,
                   "file holding a bearer token for --lineage-url (DUCKLAKE_LINEAGE_TOKEN also works)")
      ->envname("DUCKLAKE_LINEAGE_TOKEN_FILE");
  serve.add_option("--lineage-file", config.lineage_file, "file DuckLake's events are appended to, one JSON per line")
      ->envname("DUCKLAKE_LINEAGE_FILE");
  serve.add_option("--lineage-volume", config.lineage_volume,
                   "volume DuckLake's events are written to, as NDJSON objects under lineage/")
      ->envname("DUCKLAKE_LINEAGE_VOLUME");
  serve.add_option("--lineage-retry-max-ms", config.lineage_retry_max_ms,
                   "longest wait between attempts to deliver an event")
      ->envname("DUCKLAKE_LINEAGE_RETRY_MAX_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{3600000}))
      ->group("Limits");
}

void ValidateListen(const std::string &listen) {
  auto colon = listen.rfind(':');
  bool valid = colon != std::string::npos && colon > 0 && colon + 1 < listen.size();
  if (valid) {
    auto port = listen.substr(colon + 1);
    valid = port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit) && std::stoi(port) <= 65535;
  }
  if (!valid) throw MakeError(ErrorKind::kInvalidInput, "--listen must be host:port, not '{}'", listen);
}

bool IsLoopback(const std::string &listen) {
  auto host = listen.substr(0, listen.rfind(':'));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// Decides --auth; without authentication nobody but this machine may connect.
void ResolveAuth(Config &config) {
  if (config.auth.empty()) config.auth = IsLoopback(config.listen) ? "none" : "token";
  if (config.auth == "none" && !IsLoopback(config.listen)) {
    throw MakeError(ErrorKind::kInvalidInput,
                    "--auth=none is allowed only when listening on loopback (127.0.0.1, ::1, localhost), not on {}",
                    config.listen);
  }
}

// The first start makes the admin's token (lake-wide admin) and shows it once; with
// --admin-token-file the token is the file's (or is made and written there, readable by the owner).
void BootstrapAdmin(const Config &config, AuthService &auth) {
  namespace fs = std::filesystem;
  std::optional<std::string> secret;
  if (!config.admin_token_file.empty()) {
    if (fs::exists(config.admin_token_file)) {
      auth.AdoptToken(ReadSecretFile(config.admin_token_file, "admin token"), AuthService::kAdminUser,
                      "admin (from --admin-token-file)");
    } else {
      // Made with its final mode and only if absent: no moment where others may read it, and no
      // overwriting a file another server wrote meanwhile.
      int fd = ::open(config.admin_token_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) {
        throw MakeError(ErrorKind::kInvalidInput, "cannot create the admin token file: {}", std::strerror(errno));
      }
      auto created = auth.CreateToken(AuthService::kAdminUser, std::nullopt, "admin (bootstrap)", "(bootstrap)", std::nullopt);
      auto line = created.secret + "\n";
      bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!written) {
        auth.RevokeToken(created.info.id);
        throw Error(ErrorKind::kInvalidInput, "cannot write the admin token file");
      }
    }
  } else if (!auth.HasTokens()) {
    secret = auth.CreateToken(AuthService::kAdminUser, std::nullopt, "admin (bootstrap)", "(bootstrap)", std::nullopt).secret;
  }
  bool granted = false;
  for (const auto &grant : auth.ListGrants(std::string(AuthService::kAdminUser))) {
    granted = granted || (grant.scope == ScopeKind::kLake && grant.role == Role::kAdmin);
  }
  if (!granted) auth.Grant(AuthService::kAdminUser, Role::kAdmin, ScopeKind::kLake, "", "(bootstrap)");
  // Shown once, on stdout and never in the log: the token is not kept anywhere it could be read back.
  if (secret) std::cout << "DuckLake admin token (shown once, keep it): " << *secret << std::endl;
}

int Serve(Config config) {
  // Signals go to one thread that drains the server. Blocked before any thread starts (DuckDB,
  // logging, HTTP workers inherit the mask), so none of them is killed by SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ValidateListen(config.listen);
  ResolveAuth(config);
  InitLogging(config.log_format, config.log_level);
  Assembly assembly(config);
  bool authenticated = config.auth == "token";
  if (authenticated) BootstrapAdmin(config, *assembly.auth);
  auto forwarder = StartForwarder(config, assembly);
  LineageGraphUpdater graph_updater(*assembly.graph, 1000);
  EventValidator validator;
  Server server(config, assembly.ServicesFor(validator, forwarder.get(), authenticated));
  // Rows kept in the catalog go to Parquet once a table has gathered this many (whatever the
  // maintenance interval), so that reads never go through many more.
  constexpr int64_t kFlushAfterKeptRows = 1000;
  std::optional<KeptRowsFlusher> flusher;
  if (config.data_inlining_row_limit > 0) {
    flusher.emplace(*assembly.maintenance, std::max(kFlushAfterKeptRows, config.data_inlining_row_limit));
    assembly.tables->OnRowsKept([&flusher](const std::string &ns, const std::string &table, int64_t rows) {
      flusher->Kept(ns, table, rows);
    });
  }
  std::optional<MaintenanceScheduler> scheduler;
  if (config.maintenance_interval_s > 0) {
    MaintenancePolicy policy;
    policy.interval_ms = int64_t{config.maintenance_interval_s} * 1000;
    policy.snapshot_retention_ms = config.snapshot_retention_s * 1000;
    scheduler.emplace(*assembly.maintenance, policy);
  }

  server.Bind();
  std::thread signal_thread([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    Log(LogLevel::kInfo, "shutting down", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
    server.Shutdown();
  });
  server.Run();
  signal_thread.join();
  assembly.tables->OnRowsKept(nullptr);
  flusher.reset();
  scheduler.reset();
  forwarder.reset();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

// `ducklake maintenance <operation>`: the same operations as the API, run against the lake
// directly (no server needed); prints the JSON report on one line.
struct MaintenanceCommand {
  std::string operation;
  bool dry_run = false;
  std::string namespace_name;
  std::string table_name;
  int64_t target_file_bytes = CompactOptions{}.target_file_bytes;
  std::string older_than;
  int64_t keep_last = 0;
  int64_t orphan_min_age_s = CleanupOptions{}.orphan_min_age_ms / 1000;
  int64_t scheduled_min_age_s = CleanupOptions{}.scheduled_min_age_ms / 1000;
  std::string volume;
};

void AddMaintenanceCommands(CLI::App &app, Config &config, MaintenanceCommand &command) {
  auto *maintenance = app.add_subcommand("maintenance", "compact, expire, clean up or flush the lake, or reconcile a volume");
  maintenance->set_help_all_flag("--help-all", "every flag, the limits too");
  maintenance->require_subcommand(1);
  AddLakeOptions(*maintenance, config);
  maintenance->add_flag("--dry-run", command.dry_run, "report what would be done, change nothing");
  auto *compact = maintenance->add_subcommand("compact", "merge small adjacent data files");
  compact->add_option("--namespace", command.namespace_name, "only this namespace");
  compact->add_option("--table", command.table_name, "only this table (needs --namespace)");
  compact->add_option("--target-file-bytes", command.target_file_bytes, "merge files into files up to this size")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  auto *expire = maintenance->add_subcommand("expire", "forget old snapshots");
  expire->add_option("--older-than", command.older_than, "expire snapshots before this RFC 3339 time");
  expire->add_option("--keep-last", command.keep_last, "always keep this many newest snapshots")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  auto *cleanup = maintenance->add_subcommand("cleanup", "delete unreferenced files");
  cleanup->add_option("--orphan-min-age", command.orphan_min_age_s,
                      "seconds an unreferenced file must have existed before it is deleted")
      ->check(CLI::Range(int64_t{0}, INT64_MAX / 1000));
  cleanup->add_option("--scheduled-min-age", command.scheduled_min_age_s,
                      "seconds since expiry before a file only expired snapshots read is deleted")
      ->check(CLI::Range(int64_t{0}, INT64_MAX / 1000));
  auto *flush = maintenance->add_subcommand("flush", "write rows kept in the metadata database (data inlining) to Parquet");
  flush->add_option("--namespace", command.namespace_name, "only this namespace");
  flush->add_option("--table", command.table_name, "only this table (needs --namespace)");
  auto *reconcile = maintenance->add_subcommand("reconcile", "bring a volume's object index in line with its store");
  reconcile->add_option("--volume", command.volume, "the volume")->required();
  for (auto *sub : maintenance->get_subcommands({})) {
    // Also accepted after the operation: `ducklake maintenance compact --dry-run`.
    sub->add_flag("--dry-run", command.dry_run, "report what would be done, change nothing");
    sub->callback([&command, sub] { command.operation = sub->get_name(); });
  }
}

int RunMaintenance(Config config, const MaintenanceCommand &command) {
  InitLogging(config.log_format, config.log_level);
  Assembly assembly(config);
  CommitInfo commit;
  commit.author = "ducklake maintenance";
  nlohmann::json report;
  if (command.operation == "compact") {
    CompactOptions options;
    if (!command.namespace_name.empty()) options.namespace_name = command.namespace_name;
    if (!command.table_name.empty()) options.table_name = command.table_name;
    options.target_file_bytes = command.target_file_bytes;
    options.dry_run = command.dry_run;
    report = CompactReport(assembly.maintenance->Compact(options, commit), command.dry_run);
  } else if (command.operation == "expire") {
    if (command.older_than.empty() && command.keep_last == 0) {
      throw Error(ErrorKind::kInvalidInput, "say which snapshots to keep: --older-than and/or --keep-last");
    }
    std::optional<int64_t> older_than;
    if (!command.older_than.empty()) older_than = ParseRfc3339Ms(command.older_than, "--older-than");
    report = ExpireReport(assembly.maintenance->Expire(older_than, std::max<int64_t>(command.keep_last, 1), command.dry_run),
                          command.dry_run);
  } else if (command.operation == "cleanup") {
    CleanupOptions options;
    options.orphan_min_age_ms = command.orphan_min_age_s * 1000;
    options.scheduled_min_age_ms = command.scheduled_min_age_s * 1000;
    options.dry_run = command.dry_run;
    report = CleanupReport(assembly.maintenance->Cleanup(options), command.dry_run);
  } else if (command.operation == "reconcile") {
    report = ReconcileReportJson(command.volume, assembly.files->Reconcile(command.volume, command.dry_run), command.dry_run);
  } else {
    FlushOptions options;
    if (!command.namespace_name.empty()) options.namespace_name = command.namespace_name;
    if (!command.table_name.empty()) options.table_name = command.table_name;
    options.dry_run = command.dry_run;
    report = FlushReport(assembly.maintenance->Flush(options, commit), command.dry_run);
  }
  std::cout << report.dump() << "\n";
  return 0;
}

}  // namespace

struct ServerCommands::State {
  Config config;
  CLI::App *serve = nullptr;
  CLI::App *maintenance = nullptr;
  MaintenanceCommand maintenance_command;
};

ServerCommands::ServerCommands(CLI::App &app) : state_(std::make_unique<State>()) {
  state_->serve = app.add_subcommand("serve", "run the DuckLake server");
  state_->serve->group("Server");
  state_->serve->footer("Example:\n  ducklake serve --listen 0.0.0.0:8080 --metadata postgres://lake@db/lake \\\n"
                        "    --storage s3://bucket/lake --s3-endpoint http://minio:9000");
  state_->serve->set_help_all_flag("--help-all", "every flag, the limits too");
  AddServeOptions(*state_->serve, state_->config);
  AddMaintenanceCommands(app, state_->config, state_->maintenance_command);
  state_->maintenance = app.get_subcommand("maintenance");
  state_->maintenance->group("Server");
}

ServerCommands::~ServerCommands() = default;

CLI::App &ServerCommands::maintenance() { return *state_->maintenance; }

int ServerCommands::Run() {
  try {
    if (state_->maintenance->parsed()) return RunMaintenance(state_->config, state_->maintenance_command);
    return Serve(state_->config);
  } catch (const Error &error) {
    std::cerr << "ducklake: " << error.what() << "\n";
    return error.kind() == ErrorKind::kInvalidInput ? kExitUsage : 1;
  } catch (const std::exception &error) {
    std::cerr << "ducklake: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace ducklake
