// Files: /api/v1/volumes[/{vol}[/objects[/{key...}]|/uploads[/{id}[/parts/{n}]]|/presign|/reconcile]].

#include <charconv>

#include "api/http.hpp"
#include "tables/maintenance_report.hpp"
#include "api/object_http.hpp"
#include "common/digest.hpp"
#include "common/ids.hpp"
#include "common/utf8.hpp"
#include "files/object_preview.hpp"
#include "tables/object_jobs.hpp"

namespace ducklake {
namespace {

constexpr const char *kMetaHeaderPrefix = "x-ducklake-meta-";
constexpr int64_t kDefaultPresignSeconds = 3600;
constexpr int64_t kDefaultListPage = 1000;

nlohmann::json MapJson(const StringMap &map) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto &[name, value] : map) json[name] = value;
  return json;
}

nlohmann::json VolumeJson(const VolumeInfo &volume) {
  return {{"name", volume.name},
          {"bucket", volume.bucket.empty() ? nlohmann::json() : nlohmann::json(volume.bucket)},
          {"location", volume.location},
          {"description", volume.description},
          {"owner", volume.owner},
          {"tags", MapJson(volume.tags)},
          {"max_object_bytes", volume.max_object_bytes ? nlohmann::json(volume.max_object_bytes) : nlohmann::json()},
          {"created_by", volume.created_by},
          {"created_at", FormatRfc3339Ms(volume.created_ms)},
          {"updated_at", FormatRfc3339Ms(volume.updated_ms)}};
}

nlohmann::json UploadJson(const UploadInfo &upload) {
  return {{"upload_id", upload.upload_id},     {"volume", upload.volume},
          {"key", upload.key},                 {"content_type", upload.content_type},
          {"metadata", MapJson(upload.metadata)}, {"created_by", upload.created_by},
          {"created_at", FormatRfc3339Ms(upload.created_ms)}};
}

nlohmann::json PartJson(const PartInfo &part) {
  return {{"part_number", part.number}, {"etag", part.etag}, {"size", part.size}};
}

std::string StringField(const nlohmann::json &value, const char *field) {
  if (!value.is_string()) throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be a string", field);
  return value.get<std::string>();
}

StringMap StringMapField(const nlohmann::json &value, const char *field) {
  if (!value.is_object()) {
    throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be an object of string values", field);
  }
  StringMap map;
  for (const auto &item : value.items()) {
    if (!item.value().is_string()) {
      throw MakeError(ErrorKind::kInvalidInput, "field '{}' must be an object of string values", field);
    }
    map[item.key()] = item.value().get<std::string>();
  }
  return map;
}

VolumeChange VolumeFields(const nlohmann::json &body) {
  VolumeChange change;
  if (body.contains("description")) change.description = StringField(body["description"], "description");
  if (body.contains("owner")) change.owner = StringField(body["owner"], "owner");
  if (body.contains("tags")) change.tags = StringMapField(body["tags"], "tags");
  if (body.contains("max_object_bytes")) {
    // null: back to the server's limit
    change.max_object_bytes =
        body["max_object_bytes"].is_null() ? 0 : IntegerField(body["max_object_bytes"], "max_object_bytes", 1, int64_t{1} << 50);
  }
  return change;
}

bool ForceParam(const RequestContext &ctx) {
  auto force = ctx.QueryParam("force");
  if (!force) return false;
  if (*force == "true" || *force == "1") return true;
  if (*force == "false" || *force == "0") return false;
  throw Error(ErrorKind::kInvalidInput, "force must be true or false");
}

// x-ducklake-meta-<name> headers, names in lower case.
StringMap MetadataHeaders(const httplib::Request &request) {
  StringMap metadata;
  for (const auto &[name, value] : request.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.rfind(kMetaHeaderPrefix, 0) != 0) continue;
    auto field = lower.substr(std::strlen(kMetaHeaderPrefix));
    if (metadata.count(field)) throw MakeError(ErrorKind::kInvalidInput, "metadata header '{}' is repeated", name);
    if (!IsValidUtf8(value)) throw MakeError(ErrorKind::kInvalidInput, "metadata header '{}' is not UTF-8", name);
    metadata[field] = value;
  }
  return metadata;
}

std::optional<std::string> Md5Header(const httplib::Request &request) {
  if (!request.has_header("Content-MD5")) return std::nullopt;
  auto digest = Base64Decode(request.get_header_value("Content-MD5"));
  if (!digest || digest->size() != 16) throw Error(ErrorKind::kInvalidInput, "Content-MD5 must be a base64 MD5 digest");
  return digest;
}

std::optional<std::string> Sha256Header(const httplib::Request &request) {
  if (!request.has_header("X-DuckLake-SHA256")) return std::nullopt;
  auto digest = HexDecode(request.get_header_value("X-DuckLake-SHA256"));
  if (!digest || digest->size() != 32) {
    throw Error(ErrorKind::kInvalidInput, "X-DuckLake-SHA256 must be a hex SHA-256 digest");
  }
  return digest;
}

BodySource BodyOf(RequestContext &ctx, uint64_t limit) {
  return [&ctx, limit](const std::function<void(const char *, size_t)> &sink) { ctx.StreamBody(sink, limit); };
}


void SetObjectHeaders(RequestContext &ctx, const ObjectRecord &object) {
  ctx.response.set_header("ETag", "\"" + object.etag + "\"");
  ctx.response.set_header("Last-Modified", FormatHttpDate(object.modified_ms));
  ctx.response.set_header("Accept-Ranges", "bytes");
  // Objects are user content: a browser must neither sniff a type nor run scripts (HTML, SVG) from
  // them with the API's origin.
  ctx.response.set_header("X-Content-Type-Options", "nosniff");
  ctx.response.set_header("Content-Security-Policy", "sandbox; default-src 'none'");
  for (const auto &[name, value] : object.metadata) ctx.response.set_header(kMetaHeaderPrefix + name, value);
}

// 304 / 412 for a GET or HEAD whose conditions say so (RFC 9110 13.2.2); true when answered.
bool AnswerConditions(RequestContext &ctx, const ObjectRecord &object) {
  const auto &request = ctx.request;
  if (request.has_header("If-Match") && !EtagListMatches(request.get_header_value("If-Match"), object.etag)) {
    throw Error(ErrorKind::kPrecondition, "the object's current ETag does not match If-Match");
  }
  bool not_modified = false;
  if (request.has_header("If-None-Match")) {
    not_modified = EtagListMatches(request.get_header_value("If-None-Match"), object.etag);
  } else if (request.has_header("If-Modified-Since")) {
    auto since = ParseHttpDate(request.get_header_value("If-Modified-Since"));
    not_modified = since && object.modified_ms / 1000 <= *since;
  }
  if (!not_modified) return false;
  SetObjectHeaders(ctx, object);
  ctx.response.status = 304;
  return true;
}

void SendObject(FileService &files, RequestContext &ctx, const ObjectRecord &object) {
  const auto &volume = ctx.Param("vol");
  SetObjectHeaders(ctx, object);
  if (ctx.QueryParam("download") && *ctx.QueryParam("download") != "0") {
    ctx.response.set_header("Content-Disposition", AttachmentDisposition(object.key));
  }
  RangeRequest ranges;
  bool range_applies = ctx.request.has_header("Range") &&
                       (!ctx.request.has_header("If-Range") ||
                        EtagListMatches(ctx.request.get_header_value("If-Range"), object.etag));
  if (range_applies) ranges = ParseRange(ctx.request.get_header_value("Range"), object.size);
  if (ranges.kind == RangeRequest::Kind::kUnsatisfiable) {
    ctx.response.set_header("Content-Range", fmt::format("bytes */{}", object.size));
    SendProblem(ctx.response, 416, "no requested range starts within the object", ctx.request.path);
    return;
  }
  if (ranges.kind == RangeRequest::Kind::kWhole || ranges.ranges.size() == 1) {
    int status = 200;
    uint64_t length = object.size;
    std::optional<ByteRange> range;
    if (ranges.kind != RangeRequest::Kind::kWhole) {
      const auto &only = ranges.ranges[0];
      ctx.response.set_header("Content-Range", fmt::format("bytes {}-{}/{}", only.offset,
                                                           only.offset + only.length - 1, object.size));
      status = 206;
      length = only.length;
      range = ByteRange{only.offset, only.length};
    }
    if (ctx.request.method == "HEAD") {
      ctx.SendSized(status, object.content_type, length, [](const ByteSink &) {});  // headers only, nothing read
      return;
    }
    // Opened before the answer starts, so an object the store cannot give answers with an error.
    ctx.SendReader(status, object.content_type, length, files.Open(volume, object, range));
    return;
  }
  // multipart/byteranges: each part's headers, then its bytes; the total is known up front.
  auto boundary = "ducklake-" + RandomHex(12);
  std::vector<std::string> heads;
  uint64_t total = 0;
  for (const auto &range : ranges.ranges) {
    heads.push_back(fmt::format("\r\n--{}\r\nContent-Type: {}\r\nContent-Range: bytes {}-{}/{}\r\n\r\n", boundary,
                                object.content_type, range.offset, range.offset + range.length - 1, object.size));
    total += heads.back().size() + range.length;
  }
  auto tail = fmt::format("\r\n--{}--\r\n", boundary);
  total += tail.size();
  ctx.SendSized(206, "multipart/byteranges; boundary=" + boundary, total,
                [&files, volume, object, ranges, heads, tail](const ByteSink &sink) {
                  for (size_t i = 0; i < ranges.ranges.size(); i++) {
                    if (!sink(heads[i].data(), heads[i].size())) return;
                    files.Read(volume, object, ByteRange{ranges.ranges[i].offset, ranges.ranges[i].length}, sink);
                  }
                  sink(tail.data(), tail.size());
                });
}

std::string BaseUrl(const RequestContext &ctx, const Config &config) {
  if (!config.public_url.empty()) {
    auto url = config.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  auto host = ctx.request.get_header_value("Host");
  if (host.empty()) host = config.listen;
  return "http://" + host;
}

int PartNumberOf(const RequestContext &ctx) {
  const auto &text = ctx.Param("part");
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number < 1 ||
      number > ObjectStore::ObjectStore::kMaxPartNumber) {
    throw MakeError(ErrorKind::kInvalidInput, "part number must be between 1 and {}", ObjectStore::ObjectStore::kMaxPartNumber);
  }
  return number;
}

uint64_t ContentLengthOf(const RequestContext &ctx) {
  if (!ctx.request.has_header("Content-Length")) {
    throw Error(ErrorKind::kInvalidInput, "a part must be sent with Content-Length");
  }
  auto text = ctx.request.get_header_value("Content-Length");
  uint64_t length = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw Error(ErrorKind::kInvalidInput, "Content-Length is not a number");
  }
  return length;
}

std::vector<PartInfo> PartsField(const nlohmann::json &value) {
  if (!value.is_array()) throw Error(ErrorKind::kInvalidInput, "field 'parts' must be an array");
  std::vector<PartInfo> parts;
  for (const auto &item : value) {
    if (!item.is_object() || !item.contains("part_number") || !item.contains("etag")) {
      throw Error(ErrorKind::kInvalidInput, "each part needs part_number and etag");
    }
    RejectUnknownFields(item, {"part_number", "etag", "size"});
    PartInfo part;
    part.number = static_cast<int>(IntegerField(item["part_number"], "part_number", 1, ObjectStore::kMaxPartNumber));
    part.etag = StringField(item["etag"], "etag");
    parts.push_back(part);
  }
  return parts;
}

std::optional<std::pair<std::string, std::optional<std::string>>> TagParam(const RequestContext &ctx) {
  auto tag = ctx.QueryParam("tag");
  if (!tag) return std::nullopt;
  auto equals = tag->find('=');
  if (equals == 0 || tag->empty()) throw Error(ErrorKind::kInvalidInput, "tag must be name or name=value");
  if (equals == std::string::npos) return std::make_pair(*tag, std::optional<std::string>());
  return std::make_pair(tag->substr(0, equals), std::optional<std::string>(tag->substr(equals + 1)));
}

// GET /api/v1/search: tables first (by namespace, name), then objects (by volume, key). The cursor
// names the last result sent.
void Search(RequestContext &ctx, Catalog &catalog, FileService &files) {
  constexpr size_t kMaxQuery = 256;
  auto text = ctx.QueryParam("q").value_or("");
  if (text.size() > kMaxQuery) throw MakeError(ErrorKind::kInvalidInput, "q is longer than {} bytes", kMaxQuery);
  auto kind = ctx.QueryParam("kind");
  if (kind && *kind != "table" && *kind != "object") throw Error(ErrorKind::kInvalidInput, "kind must be table or object");
  auto volume = ctx.QueryParam("volume");
  if (volume && kind == "table") throw Error(ErrorKind::kInvalidInput, "volume applies to objects only");
  auto tag = TagParam(ctx);
  auto limit = static_cast<size_t>(IntegerParam(ctx, "limit", 50, 1, FileService::kMaxListPage));
  nlohmann::json cursor;
  if (auto given = ctx.QueryParam("cursor")) {
    auto text_cursor = Base64UrlDecode(*given);
    try {
      cursor = nlohmann::json::parse(text_cursor.value_or(""));
      if (!cursor.is_object() || !cursor["kind"].is_string() || !cursor["a"].is_string() || !cursor["b"].is_string()) {
        throw nlohmann::json::other_error::create(0, "shape", nullptr);
      }
    } catch (const nlohmann::json::exception &) {
      throw Error(ErrorKind::kInvalidInput, "cursor is not one this server gave");
    }
  }
  nlohmann::json results = nlohmann::json::array();
  nlohmann::json last;
  bool tables_done = cursor.is_object() && cursor["kind"] == "object";
  // Only what the caller may read is found; pages are filled from further along when some is not.
  if (!tables_done && kind != "object" && !volume) {
    TableSearch search{text, tag, std::nullopt, limit};
    if (cursor.is_object()) search.after = std::make_pair(cursor["a"].get<std::string>(), cursor["b"].get<std::string>());
    while (results.size() < limit) {
      auto hits = catalog.SearchTables(search);
      for (const auto &hit : hits) {
        search.after = std::make_pair(hit.namespace_name, hit.name);
        if (!ctx.access->HasNamespace(hit.namespace_name, Role::kReader)) continue;
        results.push_back({{"kind", "table"},
                           {"namespace", hit.namespace_name},
                           {"name", hit.name},
                           {"matched_columns", hit.matched_columns}});
        last = {{"kind", "table"}, {"a", hit.namespace_name}, {"b", hit.name}};
        if (results.size() == limit) break;
      }
      if (hits.size() < search.limit) break;
    }
  }
  if (results.size() < limit && kind != "table") {
    ObjectSearch search;
    search.text = text;
    search.volume = volume;
    search.tag = tag;
    search.limit = limit;
    if (tables_done) search.after = cursor["a"].get<std::string>() + "/" + cursor["b"].get<std::string>();
    while (results.size() < limit) {
      auto hits = files.Search(search);
      for (const auto &hit : hits) {
        search.after = hit.volume + "/" + hit.object.key;
        if (!ctx.access->HasVolume(hit.volume, Role::kReader)) continue;
        auto json = ObjectJson(hit.object);
        json["kind"] = "object";
        json["volume"] = hit.volume;
        results.push_back(json);
        last = {{"kind", "object"}, {"a", hit.volume}, {"b", hit.object.key}};
        if (results.size() == limit) break;
      }
      if (hits.size() < search.limit) break;
    }
  }
  nlohmann::json next;
  if (results.size() == limit) next = Base64UrlEncode(last.dump());
  ctx.SendJson(200, {{"results", results}, {"next_cursor", next}});
}

}  // namespace

std::optional<std::string> PresignedSigner(FileService &files, const RequestContext &ctx) {
  auto signature = ctx.QueryParam("X-DuckLake-Signature");
  auto expires = ctx.QueryParam("X-DuckLake-Expires");
  if (!signature && !expires) return std::nullopt;
  // Only the object routes take presigned URLs, and only for what the URL was signed for.
  const auto &method = ctx.request.method;
  if (!ctx.params.count("key") || (method != "GET" && method != "HEAD" && method != "PUT")) {
    throw Error(ErrorKind::kForbidden, "a presigned URL is for reading or writing an object only");
  }
  if (!signature || !expires) throw Error(ErrorKind::kForbidden, "the presigned URL is malformed");
  auto signer = ctx.QueryParam("X-DuckLake-Signer").value_or("");
  files.VerifyPresigned(ctx.Param("vol"), ctx.Param("key"), method, *expires, signer, *signature);
  return signer;
}

nlohmann::json ObjectJson(const ObjectRecord &object) {
  nlohmann::json json = {{"key", object.key},
                         {"size", object.size},
                         {"etag", object.etag},
                         {"content_type", object.content_type},
                         {"metadata", MapJson(object.metadata)},
                         {"tags", MapJson(object.tags)},
                         {"sha256", object.sha256 ? nlohmann::json(*object.sha256) : nlohmann::json()},
                         {"created_by", object.created_by},
                         {"created_at", FormatRfc3339Ms(object.created_ms)},
                         {"modified_at", FormatRfc3339Ms(object.modified_ms)}};
  json["source"] = object.source ? nlohmann::json::parse(*object.source) : nlohmann::json();
  return json;
}

std::vector<Route> FileRoutes(FileService &files, ObjectPreviews &previews, TableService &tables, LineageGraph &graph,
                              const Config &config) {
  return {
      {"GET", "/api/v1/search", [&tables, &files](RequestContext &ctx) { Search(ctx, tables.catalog(), files); }},
      {"GET", "/api/v1/volumes",
       [&files](RequestContext &ctx) {
         // Those the caller may read.
         nlohmann::json volumes = nlohmann::json::array();
         for (const auto &volume : files.ListVolumes()) {
           if (ctx.access->HasVolume(volume.name, Role::kReader)) volumes.push_back(VolumeJson(volume));
         }
         ctx.SendJson(200, {{"volumes", volumes}});
       }},
      {"POST", "/api/v1/volumes",
       [&files](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"name", "bucket", "description", "owner", "tags", "max_object_bytes"});
         if (!body.contains("name")) throw Error(ErrorKind::kInvalidInput, "field 'name' is required");
         auto fields = VolumeFields(body);
         if (body.contains("bucket")) fields.bucket = StringField(body["bucket"], "bucket");
         auto volume = files.CreateVolume(StringField(body["name"], "name"), fields, CommitOf(ctx).author);
         ctx.SendJson(201, VolumeJson(volume));
       }},
      {"GET", "/api/v1/volumes/{vol}",
       [&files](RequestContext &ctx) {
         auto json = VolumeJson(files.GetVolume(ctx.Param("vol")));
         auto usage = files.Usage(ctx.Param("vol"));
         json["object_count"] = usage.object_count;
         json["size_bytes"] = usage.size_bytes;
         json["open_uploads"] = usage.open_uploads;
         ctx.SendJson(200, json);
       }},
      {"PATCH", "/api/v1/volumes/{vol}",
       [&files](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"description", "owner", "tags", "max_object_bytes"});
         ctx.SendJson(200, VolumeJson(files.UpdateVolume(ctx.Param("vol"), VolumeFields(body))));
       }},
      {"DELETE", "/api/v1/volumes/{vol}",
       [&files](RequestContext &ctx) {
         files.DeleteVolume(ctx.Param("vol"), ForceParam(ctx));
         ctx.response.status = 204;
       }},
      {"GET", "/api/v1/volumes/{vol}/objects",
       [&files](RequestContext &ctx) {
         auto listing = files.List(ctx.Param("vol"), ctx.QueryParam("prefix").value_or(""),
                                   ctx.QueryParam("delimiter").value_or(""), ctx.QueryParam("cursor").value_or(""),
                                   static_cast<size_t>(IntegerParam(ctx, "limit", kDefaultListPage, 1,
                                                                    FileService::kMaxListPage)));
         nlohmann::json objects = nlohmann::json::array();
         for (const auto &object : listing.objects) objects.push_back(ObjectJson(object));
         ctx.SendJson(200, {{"objects", objects},
                            {"folders", listing.folders},
                            {"next_cursor", listing.next_cursor.empty() ? nlohmann::json()
                                                                        : nlohmann::json(listing.next_cursor)}});
       }},
      {"PUT", "/api/v1/volumes/{vol}/objects/{key...}",
       [&files, &config](RequestContext &ctx) {
         PutRequest request;
         request.volume = ctx.Param("vol");
         request.key = ctx.Param("key");
         request.content_type = ctx.request.get_header_value("Content-Type");
         request.metadata = MetadataHeaders(ctx.request);
         request.expected_md5 = Md5Header(ctx.request);
         request.expected_sha256 = Sha256Header(ctx.request);
         if (ctx.request.has_header("If-None-Match")) {
           if (ctx.request.get_header_value("If-None-Match") != "*") {
             throw Error(ErrorKind::kInvalidInput, "an upload takes only If-None-Match: *");
           }
           request.create_only = true;
         }
         if (ctx.request.has_header("If-Match")) {
           auto etag = ctx.request.get_header_value("If-Match");
           if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
           if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
           if (etag.empty() || etag.find(',') != std::string::npos) {
             throw Error(ErrorKind::kInvalidInput, "an upload takes one entity tag (or *) in If-Match");
           }
           request.if_match = etag;
         }
         request.created_by = CommitOf(ctx).author;
         if (ctx.request.has_header("Content-Length") && !ctx.request.has_header("Transfer-Encoding")) {
           request.size = ContentLengthOf(ctx);
         }
         auto object = files.Put(request, BodyOf(ctx, config.max_upload_bytes));
         ctx.response.set_header("ETag", "\"" + object.etag + "\"");
         ctx.SendJson(object.created_ms == object.modified_ms ? 201 : 200, ObjectJson(object));
       }},
      {"GET", "/api/v1/volumes/{vol}/objects/{key...}",
       [&files, &previews, &graph](RequestContext &ctx) {
         auto object = files.Stat(ctx.Param("vol"), ctx.Param("key"));
         if (ctx.QueryParam("preview") && *ctx.QueryParam("preview") != "0") {
           ctx.SendJson(200, previews.Preview(ctx.Param("vol"), object));
           return;
         }
         if (ctx.QueryParam("metadata") && *ctx.QueryParam("metadata") != "0") {
           // The index row, and where the object stands in lineage.
           auto json = ObjectJson(object);
           json["volume"] = ctx.Param("vol");
           auto location = files.Location(ctx.Param("vol"), object.key);
           json["lineage"] = LineageLink(graph, location.ns, location.name);
           ctx.SendJson(200, json);
           return;
         }
         if (AnswerConditions(ctx, object)) return;
         SendObject(files, ctx, object);
       }},
      {"DELETE", "/api/v1/volumes/{vol}/objects/{key...}",
       [&files](RequestContext &ctx) {
         files.Delete(ctx.Param("vol"), ctx.Param("key"));
         ctx.response.status = 204;
       }},
      {"PATCH", "/api/v1/volumes/{vol}/objects/{key...}",
       [&files](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"content_type", "metadata", "tags"});
         ObjectChange change;
         if (body.contains("content_type")) change.content_type = StringField(body["content_type"], "content_type");
         if (body.contains("metadata")) change.metadata = StringMapField(body["metadata"], "metadata");
         if (body.contains("tags")) change.tags = StringMapField(body["tags"], "tags");
         ctx.SendJson(200, ObjectJson(files.Update(ctx.Param("vol"), ctx.Param("key"), change)));
       }},
      {"POST", "/api/v1/volumes/{vol}/objects/{key...}",
       [&files, &tables](RequestContext &ctx) {
         auto copy_to = ctx.QueryParam("copy_to");
         auto move_to = ctx.QueryParam("move_to");
         if (!copy_to == !move_to) throw Error(ErrorKind::kInvalidInput, "give one of copy_to or move_to");
         const auto &volume = ctx.Param("vol");
         const auto &key = ctx.Param("key");
         auto to_volume = ctx.QueryParam("to_volume").value_or(volume);
         const auto &to_key = copy_to ? *copy_to : *move_to;
         ctx.access->RequireVolume(to_volume, Role::kWriter);
         ObjectCopy copy{volume, key, to_volume, to_key, move_to.has_value(), CommitOf(ctx),
                         ctx.QueryParam("job") ? JobNameField(nlohmann::json(*ctx.QueryParam("job"))) : std::nullopt};
         auto object = CopyObject(files, tables.lineage(), copy);
         ctx.SendJson(201, ObjectJson(object));
       }},
      {"POST", "/api/v1/volumes/{vol}/uploads",
       [&files](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"key", "content_type", "metadata"});
         if (!body.contains("key")) throw Error(ErrorKind::kInvalidInput, "field 'key' is required");
         auto upload = files.CreateUpload(
             ctx.Param("vol"), StringField(body["key"], "key"),
             body.contains("content_type") ? StringField(body["content_type"], "content_type") : "",
             body.contains("metadata") ? StringMapField(body["metadata"], "metadata") : StringMap{},
             CommitOf(ctx).author);
         ctx.SendJson(201, UploadJson(upload));
       }},
      {"GET", "/api/v1/volumes/{vol}/uploads",
       [&files](RequestContext &ctx) {
         nlohmann::json uploads = nlohmann::json::array();
         for (const auto &upload : files.ListUploads(ctx.Param("vol"))) uploads.push_back(UploadJson(upload));
         ctx.SendJson(200, {{"uploads", uploads}});
       }},
      {"GET", "/api/v1/volumes/{vol}/uploads/{upload}",
       [&files](RequestContext &ctx) {
         auto json = UploadJson(files.GetUpload(ctx.Param("vol"), ctx.Param("upload")));
         json["parts"] = nlohmann::json::array();
         for (const auto &part : files.ListParts(ctx.Param("vol"), ctx.Param("upload"))) {
           json["parts"].push_back(PartJson(part));
         }
         ctx.SendJson(200, json);
       }},
      {"PUT", "/api/v1/volumes/{vol}/uploads/{upload}/parts/{part}",
       [&files, &config](RequestContext &ctx) {
         int number = PartNumberOf(ctx);
         uint64_t size = ContentLengthOf(ctx);
         if (size > config.max_upload_bytes) {
           throw MakeError(ErrorKind::kTooLarge, "request body is larger than {} bytes", config.max_upload_bytes);
         }
         auto part = files.PutPart(ctx.Param("vol"), ctx.Param("upload"), number, size, Md5Header(ctx.request),
                                   BodyOf(ctx, size));
         ctx.response.set_header("ETag", "\"" + part.etag + "\"");
         ctx.SendJson(200, PartJson(part));
       }},
      {"POST", "/api/v1/volumes/{vol}/uploads/{upload}",
       [&files](RequestContext &ctx) {
         auto body = ctx.JsonBody(true);
         RejectUnknownFields(body, {"parts", "sha256"});
         auto parts = body.contains("parts") ? PartsField(body["parts"]) : std::vector<PartInfo>{};
         std::optional<std::string> sha256;
         if (body.contains("sha256")) {
           sha256 = HexDecode(StringField(body["sha256"], "sha256"));
           if (!sha256 || sha256->size() != 32) throw Error(ErrorKind::kInvalidInput, "sha256 must be a hex SHA-256 digest");
         }
         auto object = files.CompleteUpload(ctx.Param("vol"), ctx.Param("upload"), parts, sha256);
         ctx.response.set_header("ETag", "\"" + object.etag + "\"");
         ctx.SendJson(201, ObjectJson(object));
       }},
      {"DELETE", "/api/v1/volumes/{vol}/uploads/{upload}",
       [&files](RequestContext &ctx) {
         files.AbortUpload(ctx.Param("vol"), ctx.Param("upload"));
         ctx.response.status = 204;
       }},
      {"POST", "/api/v1/volumes/{vol}/presign",
       [&files, &config](RequestContext &ctx) {
         auto body = ctx.JsonBody();
         RejectUnknownFields(body, {"key", "method", "expires_in", "download"});
         if (!body.contains("key")) throw Error(ErrorKind::kInvalidInput, "field 'key' is required");
         auto key = StringField(body["key"], "key");
         auto method = body.contains("method") ? StringField(body["method"], "method") : "GET";
         auto expires_in = body.contains("expires_in") ? IntegerField(body["expires_in"], "expires_in", 1, FileService::kMaxPresignSeconds)
                                                       : kDefaultPresignSeconds;
         bool download = body.contains("download") && BoolField(body["download"], "download");
         // A URL to write with needs the right to write (the route's permit is the right to read).
         if (method == "PUT") ctx.access->RequireVolume(ctx.Param("vol"), Role::kWriter);
         auto presigned = files.Presign(ctx.Param("vol"), key, method, std::chrono::seconds(expires_in),
                                        BaseUrl(ctx, config), download ? AttachmentDisposition(key) : "",
                                        ctx.principal ? ctx.principal->token_id : "");
         ctx.SendJson(200, {{"url", presigned.url},
                            {"method", presigned.method},
                            {"expires_at", FormatRfc3339Ms(presigned.expires_ms)}});
       }},
      {"POST", "/api/v1/volumes/{vol}/reconcile",
       [&files](RequestContext &ctx) {
         auto body = ctx.JsonBody(true);
         RejectUnknownFields(body, {"dry_run"});
         bool dry_run = body.contains("dry_run") && BoolField(body["dry_run"], "dry_run");
         ctx.SendJson(200, ReconcileReportJson(ctx.Param("vol"), files.Reconcile(ctx.Param("vol"), dry_run), dry_run));
       }},
  };
}

}  // namespace ducklake
