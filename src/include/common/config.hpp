#pragma once
// Server settings. Every field can be set by a `ducklake serve` flag and by a DUCKLAKE_* environment
// variable (see cli/serve_command.cpp); the defaults give the embedded, zero-configuration lake.

#include <cstdint>
#include <string>

namespace ducklake {

struct Config {
  std::string listen = "127.0.0.1:8080";   // host:port
  std::string data_dir = "./ducklake-data"; // embedded metadata and local object store live here
  std::string metadata_url;                 // empty: sqlite:<data_dir>/metadata.sqlite
  std::string metadata_password_file;       // password for metadata_url, read from this file
  std::string storage_url;                  // empty: file://<data_dir>/objects
  std::string s3_endpoint;                  // for s3:// storage; defaults come from S3OptionsFromUrl
  std::string s3_region;
  std::string s3_access_key_id;
  std::string s3_secret_access_key_file;
  std::string s3_ca_bundle;
  std::string public_url;                   // how clients reach the server (presigned URLs); empty: Host
  std::string web_dir;                      // the web app's built files; empty: found beside the binary; "none": no app
  std::string instance_name = "default";    // names the lake in lineage (ducklake://<instance>)
  std::string memory_limit = "1GB";         // DuckDB memory limit for all queries together
  int threads = 2;                          // DuckDB worker threads
  int http_threads = 64;                    // concurrent HTTP connections served
  std::string log_format = "text";          // text | json
  std::string log_level = "info";
  uint64_t max_body_bytes = 1 << 20;        // JSON request bodies
  uint64_t max_upload_bytes = 64ULL << 30;  // uploads, and the largest object a volume takes
  int64_t default_query_timeout_ms = 300000; // and the longest a request may ask for
  int64_t max_result_rows = 100000000;      // rows one query result may have (0: unlimited)
  int shutdown_timeout_s = 30;              // SIGTERM drain bound
  int maintenance_interval_s = 0;           // background compact/expire/cleanup; 0: off
  int64_t data_inlining_row_limit = 10;     // a write of at most this many rows stays in the catalog; 0: off
  int64_t snapshot_retention_s = 7 * 86400; // background expiry keeps snapshots this young
  std::string auth;                         // "token" or "none"; empty: none on loopback, else token
  std::string admin_token_file;             // the admin token: read if the file exists, else made there
  std::string tls_cert;                     // PEM certificate (chain) and key: serve HTTPS
  std::string tls_key;
  uint64_t max_header_bytes = 16 << 10;     // all request headers together
  uint64_t max_url_bytes = 8 << 10;         // the request target, path and query
  int max_json_depth = 64;                  // nesting of JSON request bodies
  uint64_t max_result_bytes = 8ULL << 30;   // bytes one query result may have (0: unlimited)
  int max_concurrent_queries = 8;           // per token
  double rate_limit = 500;                  // requests per second per token (0: none) ...
  double rate_burst = 1000;                 // ... with this many at once
  uint64_t min_upload_rate = 1024;          // bytes/s a request body must average after 10 s
  int read_timeout_s = 30;                  // socket reads and writes
  bool lineage = true;                      // record DuckLake's own jobs as OpenLineage runs
  std::string lineage_url;                  // OpenLineage endpoint; events go to {url}/api/v1/lineage
  std::string lineage_token_file;           // its bearer token (DUCKLAKE_LINEAGE_TOKEN also works)
  std::string lineage_file;                 // NDJSON file every own event is appended to
  std::string lineage_volume;               // volume NDJSON batches of own events are written to
  int64_t lineage_retry_max_ms = 30000;     // backoff ceiling of a failing delivery
};

}  // namespace ducklake
