#include "files/preview.hpp"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

// jpeglib.h uses FILE and size_t without including their headers, so it comes after <cstdio>.
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#include "common/error.hpp"

namespace ducklake {
namespace {

// Legitimate encoders write about a dozen scans; a crafted progressive JPEG can repeat thousands of tiny scans
// that each cost a pass over the whole image.
constexpr int kMaxJpegScans = 100;
// Progressive JPEGs keep every DCT coefficient (2 bytes per sample) until the last scan; this admits four
// full-resolution components at the pixel limit, with room for padding to whole blocks.
constexpr long kMaxJpegMemory = 8 * static_cast<long>(kMaxThumbnailSourcePixels) + (16L << 20);

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

uint8_t ByteAt(std::string_view data, size_t offset) { return static_cast<uint8_t>(data[offset]); }

uint32_t BigEndian16(std::string_view data, size_t offset) {
  return uint32_t{ByteAt(data, offset)} << 8 | ByteAt(data, offset + 1);
}

uint32_t BigEndian32(std::string_view data, size_t offset) {
  return BigEndian16(data, offset) << 16 | BigEndian16(data, offset + 2);
}

bool IsValidPngDepth(uint8_t color_type, uint8_t depth) {
  switch (color_type) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

std::optional<ImageInfo> ProbePng(std::string_view head) {
  // Signature, IHDR length and type, then width, height, depth, color type, compression, filter, interlace.
  constexpr size_t kIhdrEnd = 8 + 8 + 13;
  if (head.size() < kIhdrEnd || head.substr(0, 8) != kPngSignature || BigEndian32(head, 8) != 13 ||
      head.substr(12, 4) != "IHDR") {
    return std::nullopt;
  }
  uint32_t width = BigEndian32(head, 16);
  uint32_t height = BigEndian32(head, 20);
  constexpr uint32_t kMaxPngSide = 0x7fffffff;
  if (width == 0 || height == 0 || width > kMaxPngSide || height > kMaxPngSide ||
      !IsValidPngDepth(ByteAt(head, 25), ByteAt(head, 24)) || ByteAt(head, 26) != 0 || ByteAt(head, 27) != 0 ||
      ByteAt(head, 28) > 1) {
    return std::nullopt;
  }
  return ImageInfo{"png", width, height};
}

// SOF0..SOF15 carry the frame header; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
bool IsStartOfFrame(uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<ImageInfo> ProbeJpeg(std::string_view head) {
  if (head.size() < 2 || ByteAt(head, 0) != 0xFF || ByteAt(head, 1) != 0xD8) return std::nullopt;
  size_t pos = 2;
  while (true) {
    if (pos >= head.size() || ByteAt(head, pos) != 0xFF) return std::nullopt;
    while (pos < head.size() && ByteAt(head, pos) == 0xFF) ++pos;  // fill bytes may pad any marker
    if (pos >= head.size()) return std::nullopt;
    uint8_t marker = ByteAt(head, pos++);
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // TEM and RSTn stand alone
    // Reserved markers, another SOI, EOI, or a scan before any frame header: libjpeg refuses these too.
    if (marker < 0xC0 || marker == 0xD8 || marker == 0xD9 || marker == 0xDA) return std::nullopt;
    if (head.size() - pos < 2) return std::nullopt;
    uint32_t length = BigEndian16(head, pos);  // counts itself, not the marker
    if (length < 2) return std::nullopt;
    if (IsStartOfFrame(marker)) {
      // Length, precision, height, width, component count; a component specification follows per component.
      if (head.size() - pos < 8) return std::nullopt;
      uint32_t height = BigEndian16(head, pos + 3);
      uint32_t width = BigEndian16(head, pos + 5);
      uint32_t components = ByteAt(head, pos + 7);
      if (width == 0 || height == 0 || components == 0 || length != 8 + 3 * components) return std::nullopt;
      return ImageInfo{"jpeg", width, height};
    }
    pos += length;
  }
}

void CheckPixelLimit(uint64_t width, uint64_t height) {
  if (width * height > kMaxThumbnailSourcePixels) {
    throw MakeError(ErrorKind::kInvalidInput, "the image is {}x{} pixels; previews are limited to {} pixels", width,
                    height, kMaxThumbnailSourcePixels);
  }
}

struct Size {
  uint32_t width = 0;
  uint32_t height = 0;
};

// `size` scaled so that its longer side is `max_side`, unless it already fits; no side shrinks to zero.
Size FitWithin(Size size, uint32_t max_side) {
  uint32_t longer = std::max(size.width, size.height);
  if (longer <= max_side) return size;
  auto scale = [&](uint32_t side) { return std::max<uint32_t>(1, (uint64_t{side} * max_side + longer / 2) / longer); };
  return {scale(size.width), scale(size.height)};
}

struct Pixels {
  std::vector<uint8_t> data;  // rows top to bottom, `channels` bytes per pixel
  Size size;
  int channels = 3;  // RGB or RGBA
};

// Box-filters RGB or RGBA rows, fed top to bottom, into a smaller image: each target pixel is the mean of the
// source pixels that map onto it. Colors are weighted by alpha so that the (arbitrary) color of transparent pixels
// does not bleed into visible ones. Needs memory for the target image plus one source row's worth of indices.
class BoxDownscaler {
 public:
  BoxDownscaler(Size source, Size target, int output_channels)
      : source_(source),
        target_{std::min(target.width, source.width), std::min(target.height, source.height)},
        column_box_(source.width),
        sums_(target_.width) {
    pixels_.size = target_;
    pixels_.channels = output_channels;
    pixels_.data.resize(size_t{target_.width} * target_.height * output_channels);
    for (uint32_t x = 0; x < source.width; ++x) column_box_[x] = uint64_t{x} * target_.width / source.width;
  }

  void AddRow(const uint8_t *row, int channels) {
    uint32_t box_row = uint64_t{rows_added_} * target_.height / source_.height;
    if (box_row != box_row_) {
      FlushBoxRow();
      box_row_ = box_row;
    }
    for (uint32_t x = 0; x < source_.width; ++x, row += channels) {
      Sum &sum = sums_[column_box_[x]];
      uint64_t alpha = channels == 4 ? row[3] : 255;
      sum.red += row[0] * alpha;
      sum.green += row[1] * alpha;
      sum.blue += row[2] * alpha;
      sum.alpha += alpha;
      ++sum.count;
    }
    ++rows_added_;
  }

  // Call once, after every source row was added.
  Pixels Finish() {
    FlushBoxRow();
    return std::move(pixels_);
  }

 private:
  struct Sum {
    uint64_t red = 0, green = 0, blue = 0, alpha = 0, count = 0;
  };

  void FlushBoxRow() {
    auto mean = [](uint64_t total, uint64_t count) { return count ? (total + count / 2) / count : 0; };
    uint8_t *out = pixels_.data.data() + size_t{box_row_} * target_.width * pixels_.channels;
    for (Sum &sum : sums_) {
      out[0] = mean(sum.red, sum.alpha);
      out[1] = mean(sum.green, sum.alpha);
      out[2] = mean(sum.blue, sum.alpha);
      if (pixels_.channels == 4) out[3] = mean(sum.alpha, sum.count);
      out += pixels_.channels;
      sum = Sum{};
    }
  }

  Size source_;
  Size target_;
  std::vector<uint32_t> column_box_;  // target column of each source column
  std::vector<Sum> sums_;             // per target column, for the target row being filled
  uint32_t box_row_ = 0;
  uint32_t rows_added_ = 0;
  Pixels pixels_;
};

// libpng reports errors by longjmp-ing back to the setjmp in RunPngDecoder, past the frames of libpng (C code, no
// destructors to skip). The C++ objects the decode fills therefore live here, in the caller's frame.
struct PngDecoder {
  explicit PngDecoder(std::string_view input) : input(input) {}
  ~PngDecoder() { png_destroy_read_struct(&png, &info, nullptr); }

  std::string_view input;
  size_t offset = 0;
  char message[128] = {};
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::vector<uint8_t> rows;  // one row, or every row of an interlaced image
  std::optional<BoxDownscaler> downscaler;
};

void ReadPngInput(png_structp png, png_bytep out, size_t length) {
  auto *decoder = static_cast<PngDecoder *>(png_get_io_ptr(png));
  if (decoder->input.size() - decoder->offset < length) png_error(png, "the data ends early");
  std::memcpy(out, decoder->input.data() + decoder->offset, length);
  decoder->offset += length;
}

[[noreturn]] void OnPngError(png_structp png, png_const_charp message) {
  auto *decoder = static_cast<PngDecoder *>(png_get_error_ptr(png));
  std::snprintf(decoder->message, sizeof decoder->message, "%s", message);
  png_longjmp(png, 1);
}

// libpng would print warnings (a bad ancillary chunk, say) to stderr; they do not stop the decode.
void OnPngWarning(png_structp, png_const_charp) {}

// Only trivially destructible locals may live in this frame: an error longjmps to the setjmp and returns false.
bool RunPngDecoder(PngDecoder *decoder, uint32_t max_side) {
  png_structp png = decoder->png;
  png_infop info = decoder->info;
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  Size source{png_get_image_width(png, info), png_get_image_height(png, info)};
  CheckPixelLimit(source.width, source.height);
  png_set_expand(png);  // palette to RGB, gray below 8 bits to 8, a tRNS chunk to alpha
  png_set_scale_16(png);
  png_set_gray_to_rgb(png);
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  int channels = png_get_channels(png, info);
  size_t row_bytes = png_get_rowbytes(png, info);
  decoder->downscaler.emplace(source, FitWithin(source, max_side), channels);
  // Each Adam7 pass fills in pixels all over the image, so an interlaced image must be held whole.
  bool whole_image = passes > 1;
  decoder->rows.resize(whole_image ? row_bytes * source.height : row_bytes);
  for (int pass = 0; pass < passes; ++pass) {
    for (uint32_t y = 0; y < source.height; ++y) {
      png_bytep row = decoder->rows.data() + (whole_image ? y * row_bytes : 0);
      png_read_row(png, row, nullptr);
      if (pass == passes - 1) decoder->downscaler->AddRow(row, channels);
    }
  }
  return true;
}

Pixels DecodePng(std::string_view input, uint32_t max_side) {
  PngDecoder decoder(input);
  decoder.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &decoder, OnPngError, OnPngWarning);
  if (decoder.png) decoder.info = png_create_info_struct(decoder.png);
  if (!decoder.info) throw std::bad_alloc();
  png_set_read_fn(decoder.png, &decoder, ReadPngInput);
  if (!RunPngDecoder(&decoder, max_side)) {
    throw MakeError(ErrorKind::kInvalidInput, "the PNG image is corrupt or truncated: {}", decoder.message);
  }
  return decoder.downscaler->Finish();
}

struct JpegErrorManager {
  jpeg_error_mgr fields;  // first, so that libjpeg's pointer to it also points to the whole
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

// As with PNG: libjpeg's errors longjmp back into RunJpegDecoder, so the C++ objects live in the caller's frame.
struct JpegDecoder {
  // Safe before jpeg_create_decompress too: libjpeg frees nothing while cinfo.mem is null.
  ~JpegDecoder() { jpeg_destroy_decompress(&cinfo); }

  JpegErrorManager error{};
  jpeg_progress_mgr progress{};
  jpeg_decompress_struct cinfo{};
  std::vector<uint8_t> row;
  std::optional<BoxDownscaler> downscaler;
};

[[noreturn]] void JumpOnJpegError(j_common_ptr cinfo) {
  std::longjmp(reinterpret_cast<JpegErrorManager *>(cinfo->err)->jump, 1);
}

[[noreturn]] void OnJpegError(j_common_ptr cinfo) {
  auto *error = reinterpret_cast<JpegErrorManager *>(cinfo->err);
  if (error->fields.msg_code == JERR_NO_BACKING_STORE) {
    std::snprintf(error->message, sizeof error->message, "it needs more than %ld MiB to decode", kMaxJpegMemory >> 20);
  } else {
    error->fields.format_message(cinfo, error->message);
  }
  JumpOnJpegError(cinfo);
}

// Warnings (extraneous bytes, say) are ignored rather than printed, except a premature end: libjpeg would pad the
// image with gray, while a truncated PNG fails, and both formats should behave alike.
void OnJpegMessage(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) OnJpegError(cinfo);
}

void LimitJpegScans(j_common_ptr cinfo) {
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxJpegScans) {
    auto *error = reinterpret_cast<JpegErrorManager *>(cinfo->err);
    std::snprintf(error->message, sizeof error->message, "it has more than %d scans", kMaxJpegScans);
    JumpOnJpegError(cinfo);
  }
}

// Converts a row of CMYK pixels to RGB in place. The values are taken as inverted (0 is full ink), as Adobe
// applications write them and browsers read them.
void CmykToRgb(uint8_t *row, uint32_t width) {
  for (uint32_t x = 0; x < width; ++x) {
    const uint8_t *cmyk = row + 4 * size_t{x};
    uint32_t c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
    uint8_t *rgb = row + 3 * size_t{x};  // never past the pixel being read
    rgb[0] = c * k / 255;
    rgb[1] = m * k / 255;
    rgb[2] = y * k / 255;
  }
}

// Only trivially destructible locals may live in this frame: an error longjmps to the setjmp and returns false.
bool RunJpegDecoder(std::string_view input, JpegDecoder *decoder, uint32_t max_side) {
  j_decompress_ptr cinfo = &decoder->cinfo;
  if (setjmp(decoder->error.jump)) return false;
  jpeg_create_decompress(cinfo);  // keeps cinfo->err, clears the rest
  cinfo->progress = &decoder->progress;
  cinfo->mem->max_memory_to_use = kMaxJpegMemory;
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char *>(input.data()), input.size());
  jpeg_read_header(cinfo, TRUE);
  Size source{cinfo->image_width, cinfo->image_height};
  CheckPixelLimit(source.width, source.height);
  // Let the IDCT skip detail the thumbnail cannot show (1/2, 1/4 or 1/8 scale), but stop while the decoded image
  // is still at least as large as the thumbnail so that the box filter does the final, smooth step.
  uint32_t longer = std::max(source.width, source.height);
  cinfo->scale_num = 1;
  cinfo->scale_denom = 1;
  while (cinfo->scale_denom < 8 && longer / (cinfo->scale_denom * 2) >= max_side) cinfo->scale_denom *= 2;
  bool cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
  cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(cinfo);
  Size decoded{cinfo->output_width, cinfo->output_height};
  decoder->downscaler.emplace(decoded, FitWithin(source, max_side), 3);
  decoder->row.resize(size_t{decoded.width} * cinfo->output_components);
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = decoder->row.data();
    jpeg_read_scanlines(cinfo, &row, 1);
    if (cmyk) CmykToRgb(row, decoded.width);
    decoder->downscaler->AddRow(row, 3);
  }
  return true;
}

Pixels DecodeJpeg(std::string_view input, uint32_t max_side) {
  JpegDecoder decoder;
  decoder.cinfo.err = jpeg_std_error(&decoder.error.fields);
  decoder.error.fields.error_exit = OnJpegError;
  decoder.error.fields.emit_message = OnJpegMessage;
  decoder.progress.progress_monitor = LimitJpegScans;
  if (!RunJpegDecoder(input, &decoder, max_side)) {
    throw MakeError(ErrorKind::kInvalidInput, "the JPEG image is corrupt, truncated or unsupported: {}",
                    decoder.error.message);
  }
  return decoder.downscaler->Finish();
}

std::string EncodePng(const Pixels &pixels) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = pixels.size.width;
  image.height = pixels.size.height;
  image.format = pixels.channels == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
  std::string png(PNG_IMAGE_PNG_SIZE_MAX(image), '\0');
  png_alloc_size_t png_size = png.size();
  if (!png_image_write_to_memory(&image, png.data(), &png_size, 0, pixels.data.data(), 0, nullptr)) {
    throw MakeError(ErrorKind::kInternal, "cannot encode the thumbnail: {}", image.message);
  }
  png.resize(png_size);
  return png;
}

// The length of the well-formed UTF-8 character at the start of the non-empty `text` (RFC 3629: no overlong
// forms, surrogates or code points past U+10FFFF); 0 when it is malformed, -1 when `text` ends inside it.
int Utf8CharLength(std::string_view text) {
  uint8_t lead = ByteAt(text, 0);
  if (lead < 0x80) return 1;
  int length = 0;
  uint8_t second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  for (int i = 1; i < length; ++i) {
    if (static_cast<size_t>(i) >= text.size()) return -1;
    uint8_t byte = ByteAt(text, i);
    if (byte < (i == 1 ? second_min : 0x80) || byte > (i == 1 ? second_max : 0xBF)) return 0;
  }
  return length;
}

}  // namespace

std::optional<ImageInfo> ProbeImage(std::string_view head) {
  if (head.substr(0, kPngSignature.size()) == kPngSignature) return ProbePng(head);
  return ProbeJpeg(head);
}

std::string MakeThumbnail(std::string_view image_bytes, int max_side) {
  if (max_side < 1 || max_side > kMaxThumbnailSide) {
    throw MakeError(ErrorKind::kInvalidInput, "the thumbnail size must be 1 to {} pixels", kMaxThumbnailSide);
  }
  std::optional<ImageInfo> info = ProbeImage(image_bytes);
  if (!info) throw Error(ErrorKind::kInvalidInput, "the data is not a PNG or JPEG image, or its header is damaged");
  // The decoders check again against the header they parse; this check answers without creating them.
  CheckPixelLimit(info->width, info->height);
  uint32_t side = static_cast<uint32_t>(max_side);
  return EncodePng(info->format == "png" ? DecodePng(image_bytes, side) : DecodeJpeg(image_bytes, side));
}

TextExcerpt TextHead(std::string_view bytes, size_t max_bytes) {
  TextExcerpt preview;
  size_t end = 0;
  while (end < bytes.size() && end < max_bytes) {
    int length = bytes[end] == '\0' ? 0 : Utf8CharLength(bytes.substr(end));
    if (length == 0) {
      preview.binary = true;
      end = 0;
      break;
    }
    if (length < 0 || end + length > max_bytes) break;
    end += length;
  }
  preview.text = bytes.substr(0, end);
  preview.truncated = end < bytes.size();
  return preview;
}

std::string GuessContentType(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"arrow", "application/vnd.apache.arrow.file"},
      {"arrows", "application/vnd.apache.arrow.stream"},
      {"avif", "image/avif"},
      {"bmp", "image/bmp"},
      {"bz2", "application/x-bzip2"},
      {"css", "text/css"},
      {"csv", "text/csv"},
      {"gif", "image/gif"},
      {"gz", "application/gzip"},
      {"htm", "text/html"},
      {"html", "text/html"},
      {"jpeg", "image/jpeg"},
      {"jpg", "image/jpeg"},
      {"js", "text/javascript"},
      {"json", "application/json"},
      {"jsonl", "application/x-ndjson"},
      {"log", "text/plain"},
      {"markdown", "text/markdown"},
      {"md", "text/markdown"},
      {"mov", "video/quicktime"},
      {"mp3", "audio/mpeg"},
      {"mp4", "video/mp4"},
      {"ndjson", "application/x-ndjson"},
      {"parquet", "application/vnd.apache.parquet"},
      {"pdf", "application/pdf"},
      {"png", "image/png"},
      {"sql", "application/sql"},
      {"svg", "image/svg+xml"},
      {"tar", "application/x-tar"},
      {"tgz", "application/gzip"},
      {"tif", "image/tiff"},
      {"tiff", "image/tiff"},
      {"tsv", "text/tab-separated-values"},
      {"txt", "text/plain"},
      {"wav", "audio/wav"},
      {"webm", "video/webm"},
      {"webp", "image/webp"},
      {"xml", "application/xml"},
      {"xz", "application/x-xz"},
      {"yaml", "application/yaml"},
      {"yml", "application/yaml"},
      {"zip", "application/zip"},
      {"zst", "application/zstd"},
  };
  std::string_view name = key.substr(key.rfind('/') + 1);
  size_t dot = name.rfind('.');
  // A leading dot starts a hidden file's name (".profile"), not an extension.
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  std::string extension(name.substr(dot + 1));
  for (char &c : extension) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (const auto &[known, type] : kTypes) {
    if (known == extension) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace ducklake
