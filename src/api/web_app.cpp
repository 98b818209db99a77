#include "api/web_app.hpp"

#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/digest.hpp"
#include "common/error.hpp"

namespace ducklake {
namespace {

namespace fs = std::filesystem;

std::string ContentTypeOf(const fs::path &file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".map", "application/json"},
      {".svg", "image/svg+xml"},               {".png", "image/png"},
      {".jpg", "image/jpeg"},                  {".ico", "image/x-icon"},
      {".webp", "image/webp"},                 {".woff2", "font/woff2"},
      {".woff", "font/woff"},                  {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  auto found = kTypes.find(file.extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

std::string ReadFile(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) throw MakeError(ErrorKind::kUnavailable, "cannot read {}", file.string());
  return bytes.str();
}

bool Compressible(const std::string &content_type) {
  return content_type.rfind("text/", 0) == 0 || content_type == "application/json" ||
         content_type == "image/svg+xml" || content_type == "application/wasm";
}

// gzip at the best level: done once per file at start, so the time is well spent.
std::string Gzip(const std::string &bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(ErrorKind::kInternal, "zlib cannot start");
  }
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw Error(ErrorKind::kInternal, "zlib cannot compress a web app file");
  return out;
}

bool HasIndex(const fs::path &directory) {
  std::error_code ignored;
  return fs::is_regular_file(directory / "index.html", ignored);
}

}  // namespace

std::shared_ptr<const WebApp> WebApp::Load(const std::string &directory) {
  fs::path root(directory);
  if (!HasIndex(root)) {
    throw MakeError(ErrorKind::kInvalidInput, "the web app directory {} has no index.html", directory);
  }
  auto app = std::make_shared<WebApp>();
  size_t total = 0;
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    if (!it->is_regular_file()) continue;
    auto relative = fs::relative(it->path(), root).generic_string();
    Asset asset;
    asset.body = ReadFile(it->path());
    total += asset.body.size();
    if (total > kMaxBytes) {
      throw MakeError(ErrorKind::kInvalidInput, "the web app in {} is larger than {} bytes", directory, kMaxBytes);
    }
    asset.content_type = ContentTypeOf(it->path());
    Digest digest(DigestAlgorithm::kSha256);
    digest.Update(asset.body.data(), asset.body.size());
    auto hex = HexEncode(digest.Finish()).substr(0, 32);
    asset.etag = "\"" + hex + "\"";
    if (Compressible(asset.content_type)) {
      auto gzipped = Gzip(asset.body);
      if (gzipped.size() * 10 < asset.body.size() * 9) {
        asset.gzipped = std::move(gzipped);
        asset.gzipped_etag = "\"" + hex + "-gzip\"";
      }
    }
    // Vite names everything under assets/ by a hash of its content: a new build makes new names,
    // so a browser may keep these for good. Anything else (index.html first) is asked for again.
    bool hashed = relative.rfind("assets/", 0) == 0;
    asset.cache_control = hashed ? "public, max-age=31536000, immutable" : "no-cache";
    app->assets_.emplace("/" + relative, std::move(asset));
  }
  if (error) throw MakeError(ErrorKind::kUnavailable, "cannot list {}: {}", directory, error.message());
  app->index_ = &app->assets_.at("/index.html");
  return app;
}

std::string WebApp::DefaultDirectory() {
  std::error_code error;
  auto executable = fs::read_symlink("/proc/self/exe", error);
  if (error) return "";
  for (const auto &candidate : {executable.parent_path() / "web",
                                executable.parent_path().parent_path() / "share" / "ducklake" / "web"}) {
    if (HasIndex(candidate)) return candidate.string();
  }
  return "";
}

const WebApp::Asset *WebApp::Find(const std::string &path) const {
  auto found = assets_.find(path);
  if (found != assets_.end()) return &found->second;
  if (path.rfind("/assets/", 0) == 0) return nullptr;
  return index_;
}

}  // namespace ducklake
