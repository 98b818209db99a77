#include "server/assembly.hpp"

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "common/time.hpp"
#include "meta/meta_store.hpp"
#include "storage/s3_store.hpp"

namespace ducklake {

std::string ReadSecretFile(const std::string &path, const char *what) {
  std::ifstream in(path);
  if (!in) throw MakeError(ErrorKind::kInvalidInput, "cannot read the {} file", what);
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

namespace {

std::string MetadataPassword(const Config &config) {
  if (!config.metadata_password_file.empty()) return ReadSecretFile(config.metadata_password_file, "metadata password");
  const char *password = std::getenv("DUCKLAKE_METADATA_PASSWORD");
  return password ? password : "";
}

// The lake's S3 settings, or nullopt when its storage is local.
std::optional<S3Options> LakeS3Options(const Config &config) {
  if (config.storage_url.rfind("s3://", 0) != 0) return std::nullopt;
  auto options = S3OptionsFromUrl(config.storage_url);
  if (!config.s3_endpoint.empty()) options.endpoint = config.s3_endpoint;
  if (!config.s3_region.empty()) options.region = config.s3_region;
  if (!config.s3_access_key_id.empty()) options.credentials.access_key = config.s3_access_key_id;
  if (!config.s3_secret_access_key_file.empty()) {
    options.credentials.secret_key = ReadSecretFile(config.s3_secret_access_key_file, "S3 secret key");
  }
  if (!config.s3_ca_bundle.empty()) options.ca_bundle = config.s3_ca_bundle;
  if (options.credentials.access_key.empty() || options.credentials.secret_key.empty()) {
    throw Error(ErrorKind::kInvalidInput,
                "S3 storage needs credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the --s3-* flags");
  }
  return options;
}

std::unique_ptr<ObjectStore> OpenStore(const std::optional<S3Options> &s3, const Config &config) {
  if (!s3) return OpenObjectStore(config.storage_url);
  return std::make_unique<S3Store>(*s3);
}

// Where the lake's data is, as the format's data_path says it: an absolute path or URL ending in '/'.
std::string DataPathUrl(const ObjectStore &store) {
  auto where = store.Location(Catalog::kDataKeyPrefix);
  auto url = where.ns == "file" ? std::filesystem::absolute(where.name).lexically_normal().string()
                                : where.ns + "/" + where.name;
  return url.back() == '/' ? url : url + "/";
}

}  // namespace

Assembly::Assembly(Config &config) {
  std::filesystem::create_directories(config.data_dir);
  auto data_dir = std::filesystem::canonical(config.data_dir).string();
  if (config.metadata_url.empty()) config.metadata_url = "sqlite:" + data_dir + "/metadata.sqlite";
  if (config.storage_url.empty()) config.storage_url = "file://" + data_dir + "/objects";
  config.data_dir = data_dir;
  meta = OpenMetaStore(config.metadata_url, MetadataPassword(config));
  MigrateMetaStore(*meta);
  auto s3 = LakeS3Options(config);
  backend_store = OpenStore(s3, config);
  store = std::make_unique<MeteredStore>(*backend_store);
  buckets = std::make_unique<BucketStores>(s3);
  std::filesystem::create_directories(data_dir + "/staging");
  EngineOptions engine_options;
  engine_options.memory_limit = config.memory_limit;
  engine_options.threads = config.threads;
  engine_options.staging_dir = data_dir + "/staging";
  engine_options.buckets = buckets.get();
  engine = std::make_unique<Engine>(*store, engine_options);
  format = std::make_unique<TableFormat>(*meta);
  format->catalog.RecordDataPath(DataPathUrl(*backend_store));
  lineage = std::make_unique<LineageRecorder>(*meta, config.instance_name);
  graph = std::make_unique<LineageGraph>(*meta);
  auth = std::make_unique<AuthService>(*meta);
  audit = std::make_unique<AuditLog>(*meta);
  tables = std::make_unique<TableService>(*format, *engine, *store, config.lineage ? lineage.get() : nullptr,
                                          data_dir + "/staging", config.data_inlining_row_limit);
  maintenance = std::make_unique<Maintenance>(*tables, *store);
  files = std::make_unique<FileService>(*meta, *store, buckets.get(), config.max_upload_bytes);
  previews = std::make_unique<ObjectPreviews>(*files, *engine);
  // Grants are kept in the lake whatever --auth says today, so they go with their namespace or
  // volume in every mode: one created later under the same name starts with none, even after the
  // lake was served for a while without tokens.
  tables->OnNamespaceDropped(
      [grants = auth.get()](const std::string &name) { grants->RevokeGrantsOn(ScopeKind::kNamespace, name); });
  files->OnVolumeDeleted(
      [grants = auth.get()](const std::string &name) { grants->RevokeGrantsOn(ScopeKind::kVolume, name); });
}

Services Assembly::ServicesFor(EventValidator &validator, LineageForwarder *forwarder, bool authenticated) {
  ServerProbes probes;
  probes.readiness = {{"metadata", [this] { meta->Ping(); }}, {"storage", [this] { store->Ping(); }}};
  probes.running_queries = [this] { return engine->RunningQueries(); };
  probes.store_counters = &store->counters();
  return Services{*tables,    *maintenance, *files,     *previews,
                  *lineage,   *graph,       validator,  forwarder,
                  authenticated ? auth.get() : nullptr, authenticated ? audit.get() : nullptr, std::move(probes)};
}

// The sinks DuckLake's own lineage events are delivered to, as configured.
std::unique_ptr<LineageForwarder> StartForwarder(const Config &config, Assembly &assembly) {
  std::vector<std::unique_ptr<LineageSink>> sinks;
  if (!config.lineage_url.empty()) {
    if (config.lineage_url.rfind("http://", 0) != 0 && config.lineage_url.rfind("https://", 0) != 0) {
      throw Error(ErrorKind::kInvalidInput, "--lineage-url must be an http:// or https:// URL");
    }
    std::string token;
    if (!config.lineage_token_file.empty()) {
      token = ReadSecretFile(config.lineage_token_file, "lineage token");
    } else if (const char *from_env = std::getenv("DUCKLAKE_LINEAGE_TOKEN")) {
      token = from_env;
    }
    sinks.push_back(MakeHttpSink(config.lineage_url, token, 10000));
  }
  if (!config.lineage_file.empty()) sinks.push_back(MakeFileSink(config.lineage_file));
  if (!config.lineage_volume.empty()) {
    assembly.files->GetVolume(config.lineage_volume);  // a missing volume is a configuration error
    auto *files = assembly.files.get();
    auto volume = config.lineage_volume;
    sinks.push_back(MakeBatchSink("volume:" + volume, [files, volume](int64_t first, int64_t last, const std::string &text) {
      PutRequest put;
      put.volume = volume;
      put.key = fmt::format("lineage/{}/{:020}-{:020}.ndjson", FormatRfc3339Ms(NowUnixMs()).substr(0, 10), first, last);
      put.content_type = "application/x-ndjson";
      put.size = text.size();
      put.created_by = "ducklake lineage";
      files->Put(put, [&text](const std::function<void(const char *, size_t)> &sink) { sink(text.data(), text.size()); });
    }));
  }
  if (sinks.empty()) return nullptr;
  ForwarderOptions options;
  options.retry_max_ms = config.lineage_retry_max_ms;
  options.retry_min_ms = std::min<int64_t>(options.retry_min_ms, config.lineage_retry_max_ms);
  return std::make_unique<LineageForwarder>(*assembly.meta, std::move(sinks), options);
}


}  // namespace ducklake
