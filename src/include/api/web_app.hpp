#pragma once
// The web data browser's built files (what `npm run build` writes from web/), served by the server
// at `/`. The set is read into memory once, when the server starts, and never changes afterwards:
// a WebApp is immutable and safe to share between threads.

#include <map>
#include <memory>
#include <string>

namespace ducklake {

class WebApp {
 public:
  struct Asset {
    std::string body;
    std::string content_type;
    std::string etag;           // strong, quoted: a digest of the body
    std::string cache_control;  // hashed build outputs are immutable; the rest is revalidated
    // The body gzipped once at load, for clients that accept it (empty when it would not save
    // a tenth), and its own strong ETag: a strong validator names one encoding.
    std::string gzipped;
    std::string gzipped_etag;
  };

  // Reads every regular file under `directory` (at most kMaxBytes in all). Throws kInvalidInput
  // when the directory has no index.html or the files are too large; kUnavailable when a file
  // cannot be read.
  static std::shared_ptr<const WebApp> Load(const std::string &directory);

  // Where an installed server finds the app when --web-dir is not given: `web/` beside the
  // executable (a build tree), then `../share/ducklake/web` from it (an installed prefix). Empty
  // when neither holds an index.html.
  static std::string DefaultDirectory();

  // What a GET of the URL path `path` (decoded, starting with '/') answers: the file at that
  // path, or index.html for any other path so the app's own router can show it. Null for a path
  // under /assets/ that names no file: a missing script must not be answered with a page.
  const Asset *Find(const std::string &path) const;

  size_t size() const { return assets_.size(); }

  static constexpr size_t kMaxBytes = 64u << 20;

 private:
  std::map<std::string, Asset> assets_;  // by URL path: "/index.html", "/assets/index-3f2a.js"
  const Asset *index_ = nullptr;
};

}  // namespace ducklake
