#pragma once
// Previews for the file browser: image sniffing, PNG thumbnails, the head of a text file and a content type
// guessed from the key. Every function is pure: it only reads its arguments during the call, returns values the
// caller owns, keeps no state, and may run on any number of threads at once. Only MakeThumbnail throws: a
// ducklake::Error of kind kInvalidInput for any input it cannot or will not render (see there; kInternal only if
// encoding the result fails, a bug), or std::bad_alloc; the others answer every input, hostile or not.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ducklake {

// Images that declare more pixels than this are refused before any pixel memory is allocated.
inline constexpr uint64_t kMaxThumbnailSourcePixels = 50'000'000;
// The largest thumbnail side MakeThumbnail accepts.
inline constexpr int kMaxThumbnailSide = 4096;
inline constexpr size_t kDefaultTextHeadBytes = 1024;

struct ImageInfo {
  std::string format;  // "png" or "jpeg"
  uint32_t width = 0;
  uint32_t height = 0;
};

// The format and dimensions of the PNG or JPEG that `head` (the first bytes of an object) starts with. Needs the
// signature and IHDR data of a PNG (its first 29 bytes); for a JPEG, every segment before the frame header (SOFn)
// plus its first 8 bytes, which the first few KiB hold unless large APPn segments (EXIF, ICC) come first, so pass
// up to 64 KiB. nullopt when `head` is not one of these formats, is damaged, or ends before the dimensions; a
// JPEG whose height is deferred to a DNL marker also yields nullopt.
std::optional<ImageInfo> ProbeImage(std::string_view head);

// A PNG (8-bit RGB, or RGBA when the source has transparency) of the PNG or JPEG `image_bytes`, scaled down by
// box averaging so that its longer side is at most `max_side`, keeping the aspect ratio; images that already fit
// are not enlarged. Throws kInvalidInput when `max_side` is outside [1, kMaxThumbnailSide], when the data is not
// a PNG or JPEG, is corrupt or truncated, uses a feature the decoder lacks (12-bit or lossless JPEG, say), declares
// more than kMaxThumbnailSourcePixels pixels, or is a JPEG of more than 100 scans. Like browsers, it does accept
// damaged JPEG entropy-coded data: the thumbnail shows the damage. Non-interlaced PNGs and baseline JPEGs are
// decoded row by row (JPEGs at up to 1/8 scale), so memory stays near the thumbnail's size; interlaced PNGs (4
// bytes per pixel) and progressive JPEGs (2 bytes per sample, capped at about 400 MB) are held whole.
std::string MakeThumbnail(std::string_view image_bytes, int max_side);

struct TextExcerpt {
  std::string text;        // always valid UTF-8; empty when `binary`
  bool truncated = false;  // `text` holds less than all of the input
  bool binary = false;     // the head does not look like UTF-8 text
};

// The head of `bytes` as text: at most `max_bytes` bytes, cut before a character that would not fit whole.
// `binary` is a heuristic that looks only at the head (and the character straddling its end): it is set when the
// head holds a NUL byte or is not well-formed UTF-8 (RFC 3629). A character cut off by the end of `bytes` itself
// is dropped without making the input binary, because callers usually pass a prefix of a longer object.
TextExcerpt TextHead(std::string_view bytes, size_t max_bytes = kDefaultTextHeadBytes);

// The media type for `key` by the extension of its last path segment, compared case-insensitively
// ("logs/A.JSON" -> "application/json"); "application/octet-stream" when there is none or it is unknown. Types
// carry no charset parameter. Some types (text/html, image/svg+xml) are active content that a browser will run:
// serve such objects as attachments or from another origin, never inline from the API's origin.
std::string GuessContentType(std::string_view key);

}  // namespace ducklake
