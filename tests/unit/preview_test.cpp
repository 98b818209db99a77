// Previews: probing and thumbnailing images built here with libpng and libjpeg, hostile inputs, text heads and
// content types.

#include "files/preview.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

#include <jpeglib.h>
#include <png.h>

#include "test_support.hpp"

namespace ducklake {
namespace {

struct Rgba {
  int red = 0, green = 0, blue = 0, alpha = 255;
};

// A PNG in any of the layouts the format allows; `raw` holds the rows as the file stores them (packed sub-byte
// pixels, big-endian 16-bit samples, palette indices).
struct PngSpec {
  uint32_t width = 0;
  uint32_t height = 0;
  int bit_depth = 8;
  int color_type = PNG_COLOR_TYPE_RGB;
  bool interlaced = false;
  std::vector<png_color> palette = {};
  std::vector<uint8_t> palette_alpha = {};
};

std::string WritePng(const PngSpec &spec, const std::vector<uint8_t> &raw) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(
      png, &out,
      [](png_structp png, png_bytep data, size_t size) {
        static_cast<std::string *>(png_get_io_ptr(png))->append(reinterpret_cast<const char *>(data), size);
      },
      nullptr);
  png_set_IHDR(png, info, spec.width, spec.height, spec.bit_depth, spec.color_type,
               spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  if (!spec.palette_alpha.empty()) {
    png_set_tRNS(png, info, spec.palette_alpha.data(), static_cast<int>(spec.palette_alpha.size()), nullptr);
  }
  png_write_info(png, info);
  size_t row_bytes = raw.size() / spec.height;
  std::vector<png_bytep> rows;
  for (uint32_t y = 0; y < spec.height; ++y) rows.push_back(const_cast<png_bytep>(raw.data() + y * row_bytes));
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// `pixel` repeated width * height times.
std::vector<uint8_t> Fill(uint32_t width, uint32_t height, const std::vector<uint8_t> &pixel) {
  std::vector<uint8_t> raw;
  for (size_t i = 0; i < size_t{width} * height; ++i) raw.insert(raw.end(), pixel.begin(), pixel.end());
  return raw;
}

std::string SolidRgbPng(uint32_t width, uint32_t height, Rgba color) {
  std::vector<uint8_t> pixel{uint8_t(color.red), uint8_t(color.green), uint8_t(color.blue)};
  return WritePng({.width = width, .height = height}, Fill(width, height, pixel));
}

struct JpegSpec {
  uint32_t width = 0;
  uint32_t height = 0;
  J_COLOR_SPACE color_space = JCS_RGB;
  int components = 3;
  bool progressive = false;
  std::vector<jpeg_scan_info> scans = {};  // a custom progressive scan script
};

std::string WriteJpeg(const JpegSpec &spec, const std::vector<uint8_t> &pixels) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr error;
  cinfo.err = jpeg_std_error(&error);
  jpeg_create_compress(&cinfo);
  unsigned char *buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = spec.width;
  cinfo.image_height = spec.height;
  cinfo.input_components = spec.components;
  cinfo.in_color_space = spec.color_space;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 95, TRUE);
  if (spec.progressive) jpeg_simple_progression(&cinfo);
  if (!spec.scans.empty()) {
    cinfo.scan_info = spec.scans.data();
    cinfo.num_scans = static_cast<int>(spec.scans.size());
  }
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    auto row = const_cast<JSAMPROW>(pixels.data() + size_t{cinfo.next_scanline} * spec.width * spec.components);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<const char *>(buffer), size);
  std::free(buffer);
  return out;
}

std::string SolidRgbJpeg(uint32_t width, uint32_t height, Rgba color, bool progressive = false) {
  std::vector<uint8_t> pixel{uint8_t(color.red), uint8_t(color.green), uint8_t(color.blue)};
  return WriteJpeg({.width = width, .height = height, .progressive = progressive}, Fill(width, height, pixel));
}

struct Decoded {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> rgba;

  Rgba At(uint32_t x, uint32_t y) const {
    const uint8_t *pixel = rgba.data() + (size_t{y} * width + x) * 4;
    return {pixel[0], pixel[1], pixel[2], pixel[3]};
  }
};

// Decodes a thumbnail with libpng's simplified API, independently of the code under test.
Decoded DecodePng(const std::string &png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) throw std::runtime_error(image.message);
  image.format = PNG_FORMAT_RGBA;
  Decoded decoded{image.width, image.height, std::vector<uint8_t>(PNG_IMAGE_SIZE(image))};
  if (!png_image_finish_read(&image, nullptr, decoded.rgba.data(), 0, nullptr)) {
    throw std::runtime_error(image.message);
  }
  return decoded;
}

// Every pixel of `image` is within `tolerance` of `expected` in every channel.
void ExpectEveryPixel(const Decoded &image, Rgba expected, int tolerance) {
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      Rgba got = image.At(x, y);
      if (std::abs(got.red - expected.red) > tolerance || std::abs(got.green - expected.green) > tolerance ||
          std::abs(got.blue - expected.blue) > tolerance || std::abs(got.alpha - expected.alpha) > tolerance) {
        ADD_FAILURE() << "pixel (" << x << ", " << y << ") is " << got.red << "," << got.green << "," << got.blue << ","
                      << got.alpha << "; expected " << expected.red << "," << expected.green << "," << expected.blue
                      << "," << expected.alpha;
        return;
      }
    }
  }
}

uint32_t BigEndian32(const std::string &data, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<uint8_t>(data[offset + i]);
  return value;
}

Decoded Thumbnail(const std::string &image, int max_side) { return DecodePng(MakeThumbnail(image, max_side)); }

void ExpectErrorMentions(const std::string &image, int max_side, const std::string &needle) {
  try {
    MakeThumbnail(image, max_side);
    ADD_FAILURE() << "expected an error mentioning '" << needle << "'";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
  }
}

// A JPEG head: SOI, the given segments, then a baseline frame header for width x height with one component.
std::string JpegHead(const std::string &segments, uint16_t width, uint16_t height) {
  std::string sof{"\xFF\xC0\x00\x0B\x08", 5};
  sof += {char(height >> 8), char(height & 0xFF), char(width >> 8), char(width & 0xFF)};
  sof += std::string{"\x01\x01\x11\x00", 4};
  return std::string("\xFF\xD8") + segments + sof;
}

const Rgba kRed{255, 0, 0};

TEST(ProbeImage, FindsPngAndJpegDimensions) {
  std::optional<ImageInfo> png = ProbeImage(SolidRgbPng(37, 21, kRed));
  ASSERT_TRUE(png);
  EXPECT_EQ(png->format, "png");
  EXPECT_EQ(png->width, 37u);
  EXPECT_EQ(png->height, 21u);
  for (bool progressive : {false, true}) {
    std::optional<ImageInfo> jpeg = ProbeImage(SolidRgbJpeg(37, 21, kRed, progressive));
    ASSERT_TRUE(jpeg);
    EXPECT_EQ(jpeg->format, "jpeg");
    EXPECT_EQ(jpeg->width, 37u);
    EXPECT_EQ(jpeg->height, 21u);
  }
}

TEST(ProbeImage, WalksJpegSegmentsToTheFrameHeader) {
  // APP0, a comment, a DHT (0xC4, in the SOFn range but not a frame header) whose body looks like one, fill bytes.
  std::string segments{
      "\xFF\xE0\x00\x06JFIF\xFF\xFE\x00\x04hi\xFF\xC4\x00\x0B\x08\x7F\xFF\x7F\xFF\x01\x01\x11\x00\xFF\xFF", 29};
  std::optional<ImageInfo> info = ProbeImage(JpegHead(segments, 640, 480));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->width, 640u);
  EXPECT_EQ(info->height, 480u);
  // A progressive (SOF2) and an arithmetic-coded (SOF9) frame header count too.
  for (char marker : {'\xC2', '\xC9'}) {
    std::string head = JpegHead("", 3, 2);
    head[3] = marker;
    ASSERT_TRUE(ProbeImage(head)) << int(uint8_t(marker));
  }
}

TEST(ProbeImage, RejectsOtherAndDamagedData) {
  std::string png = SolidRgbPng(4, 4, kRed);
  auto patched = [](std::string data, size_t offset, char byte) {
    data[offset] = byte;
    return data;
  };
  std::vector<std::string> rejected{
      "",
      "GIF89a\x01\x00\x01\x00",
      "plain text",
      png.substr(0, 28),                                                          // ends inside IHDR
      patched(png, 12, 'i'),                                                      // not IHDR
      patched(png, 19, 0),                                                        // width zero
      patched(png, 16, '\x80'),                                                   // width past 2^31 - 1
      patched(png, 24, 3),                                                        // RGB at 3 bits
      JpegHead("", 0, 10),                                                        // width zero
      JpegHead("", 10, 0),                                                        // height deferred to a DNL marker
      std::string("\xFF\xD8\xFF\xDA\x00\x02", 6) + JpegHead("", 1, 1).substr(2),  // scan before the frame
      std::string("\xFF\xD8\xFF\xD9", 4),                                         // EOI before the frame
      std::string("\xFF\xD8\x00\xFF\xC0", 5),                                     // garbage between segments
      std::string("\xFF\xD8\xFF\xE0\x00\x01", 6) + JpegHead("", 1, 1).substr(2),  // length below 2
  };
  for (const std::string &data : rejected) EXPECT_FALSE(ProbeImage(data)) << ::testing::PrintToString(data);
}

TEST(ProbeImage, EveryTruncationIsNothingOrTheRightAnswer) {
  std::string app1("\xFF\xE1\x10\x00", 4);
  app1.resize(2 + 0x1000, 'x');  // a 4 KiB APP1 segment before the frame header, as EXIF data would be
  std::string jpeg = SolidRgbJpeg(37, 21, kRed);
  jpeg.insert(2, app1);
  for (const std::string &image : {SolidRgbPng(37, 21, kRed), jpeg}) {
    bool found = false;
    for (size_t length = 0; length <= image.size(); ++length) {
      std::optional<ImageInfo> info = ProbeImage(std::string_view(image).substr(0, length));
      if (info) {
        EXPECT_EQ(info->width, 37u);
        EXPECT_EQ(info->height, 21u);
      }
      // Once the dimensions are in the head, longer heads find them too.
      EXPECT_TRUE(info || !found) << length;
      found = found || info;
    }
    EXPECT_TRUE(found);
  }
}

TEST(ProbeImage, SurvivesRandomAndMutatedData) {
  std::mt19937 random(42);
  std::vector<std::string> seeds{SolidRgbPng(9, 7, kRed), SolidRgbJpeg(9, 7, kRed), SolidRgbJpeg(9, 7, kRed, true),
                                 std::string("\xFF\xD8\xFF", 3), std::string("\x89PNG\r\n\x1a\n", 8)};
  for (int round = 0; round < 20000; ++round) {
    std::string data = seeds[random() % seeds.size()];
    data.resize(random() % (data.size() + 64), static_cast<char>(random()));
    for (int flips = random() % 6; flips > 0 && !data.empty(); --flips) {
      data[random() % data.size()] = static_cast<char>(random());
    }
    // An exact-size heap copy, so that AddressSanitizer sees any read past the end.
    std::unique_ptr<char[]> copy(new char[data.size()]);
    std::copy(data.begin(), data.end(), copy.get());
    std::optional<ImageInfo> info = ProbeImage(std::string_view(copy.get(), data.size()));
    if (info) {
      EXPECT_TRUE(info->width > 0 && info->height > 0);
    }
  }
}

TEST(MakeThumbnail, ShrinksToMaxSideKeepingAspectAndColor) {
  std::string thumbnail = MakeThumbnail(SolidRgbPng(400, 200, kRed), 100);
  std::optional<ImageInfo> info = ProbeImage(thumbnail);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->format, "png");
  Decoded decoded = DecodePng(thumbnail);
  EXPECT_EQ(decoded.width, 100u);
  EXPECT_EQ(decoded.height, 50u);
  ExpectEveryPixel(decoded, kRed, 0);

  Decoded tall = Thumbnail(SolidRgbPng(3, 1000, kRed), 64);
  EXPECT_EQ(tall.width, 1u);  // rounds to zero, kept at one
  EXPECT_EQ(tall.height, 64u);

  Decoded small = Thumbnail(SolidRgbPng(30, 20, kRed), 100);
  EXPECT_EQ(small.width, 30u);  // not enlarged
  EXPECT_EQ(small.height, 20u);
}

TEST(MakeThumbnail, AveragesBoxesInsteadOfSampling) {
  // A one-pixel checkerboard: sampling any pixel gives black or white, averaging gives mid gray.
  std::vector<uint8_t> raw;
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) raw.push_back((x + y) % 2 ? 255 : 0);
  }
  Decoded decoded = Thumbnail(WritePng({.width = 64, .height = 64, .color_type = PNG_COLOR_TYPE_GRAY}, raw), 8);
  EXPECT_EQ(decoded.width, 8u);
  ExpectEveryPixel(decoded, {128, 128, 128}, 1);
}

TEST(MakeThumbnail, WeighsColorByAlpha) {
  // The left half is transparent green, the right half opaque red: one averaged pixel is half-transparent red.
  std::vector<uint8_t> raw;
  for (int x = 0; x < 4; ++x) {
    std::vector<uint8_t> pixel = x < 2 ? std::vector<uint8_t>{0, 255, 0, 0} : std::vector<uint8_t>{255, 0, 0, 255};
    raw.insert(raw.end(), pixel.begin(), pixel.end());
  }
  Decoded decoded = Thumbnail(WritePng({.width = 4, .height = 1, .color_type = PNG_COLOR_TYPE_RGBA}, raw), 1);
  ExpectEveryPixel(decoded, {255, 0, 0, 128}, 1);
}

TEST(MakeThumbnail, DecodesEveryPngLayout) {
  struct Case {
    const char *name;
    PngSpec spec;
    std::vector<uint8_t> raw;
    Rgba expected;
  };
  std::vector<Case> cases{
      {"gray 8", {.width = 40, .height = 30, .color_type = PNG_COLOR_TYPE_GRAY}, Fill(40, 30, {77}), {77, 77, 77}},
      {"gray 1",
       {.width = 40, .height = 30, .bit_depth = 1, .color_type = PNG_COLOR_TYPE_GRAY},
       Fill(5, 30, {0xFF}),
       {255, 255, 255}},
      {"gray alpha",
       {.width = 40, .height = 30, .color_type = PNG_COLOR_TYPE_GRAY_ALPHA},
       Fill(40, 30, {200, 100}),
       {200, 200, 200, 100}},
      {"rgb 16", {.width = 40, .height = 30, .bit_depth = 16}, Fill(40, 30, {0xFF, 0xFF, 0, 0, 0, 0}), kRed},
      {"rgba 16",
       {.width = 40, .height = 30, .bit_depth = 16, .color_type = PNG_COLOR_TYPE_RGBA},
       Fill(40, 30, {0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF}),
       {0, 255, 0}},
      {"palette 4 with tRNS",
       {.width = 40,
        .height = 30,
        .bit_depth = 4,
        .color_type = PNG_COLOR_TYPE_PALETTE,
        .palette = {{0, 0, 0}, {0, 0, 255}},
        .palette_alpha = {255, 64}},
       Fill(20, 30, {0x11}),
       {0, 0, 255, 64}},
      {"interlaced", {.width = 40, .height = 30, .interlaced = true}, Fill(40, 30, {255, 0, 0}), kRed},
  };
  for (const Case &test : cases) {
    SCOPED_TRACE(test.name);
    Decoded decoded = Thumbnail(WritePng(test.spec, test.raw), 20);
    EXPECT_EQ(decoded.width, 20u);
    EXPECT_EQ(decoded.height, 15u);
    ExpectEveryPixel(decoded, test.expected, 1);
  }
}

TEST(MakeThumbnail, KeepsTheRowsOfAnInterlacedImageApart) {
  // Top half red, bottom half blue, in Adam7: each thumbnail row must come from its own half of the source.
  std::vector<uint8_t> raw = Fill(16, 8, {255, 0, 0});
  std::vector<uint8_t> blue = Fill(16, 8, {0, 0, 255});
  raw.insert(raw.end(), blue.begin(), blue.end());
  Decoded decoded = Thumbnail(WritePng({.width = 16, .height = 16, .interlaced = true}, raw), 2);
  ASSERT_EQ(decoded.height, 2u);
  Rgba top = decoded.At(0, 0), bottom = decoded.At(1, 1);
  EXPECT_EQ(top.red, 255);
  EXPECT_EQ(top.blue, 0);
  EXPECT_EQ(bottom.red, 0);
  EXPECT_EQ(bottom.blue, 255);
}

TEST(MakeThumbnail, DecodesJpegsAtReducedScale) {
  for (bool progressive : {false, true}) {
    SCOPED_TRACE(progressive ? "progressive" : "baseline");
    // Large enough that the decoder runs at 1/8 scale (200 x 150) before the final box filter.
    Decoded decoded = Thumbnail(SolidRgbJpeg(1600, 1200, kRed, progressive), 100);
    EXPECT_EQ(decoded.width, 100u);
    EXPECT_EQ(decoded.height, 75u);
    ExpectEveryPixel(decoded, kRed, 8);
  }
  Decoded odd = Thumbnail(SolidRgbJpeg(1001, 333, kRed), 250);
  EXPECT_EQ(odd.width, 250u);
  EXPECT_EQ(odd.height, 83u);
}

TEST(MakeThumbnail, DecodesGrayAndCmykJpegs) {
  Decoded gray = Thumbnail(
      WriteJpeg({.width = 64, .height = 48, .color_space = JCS_GRAYSCALE, .components = 1}, Fill(64, 48, {90})), 32);
  ExpectEveryPixel(gray, {90, 90, 90}, 2);
  // Stored inverted, as Adobe writes CMYK: 255 is no ink. Full magenta and yellow ink make red.
  Decoded cmyk = Thumbnail(
      WriteJpeg({.width = 64, .height = 48, .color_space = JCS_CMYK, .components = 4}, Fill(64, 48, {255, 0, 0, 255})),
      32);
  EXPECT_EQ(cmyk.width, 32u);
  ExpectEveryPixel(cmyk, kRed, 8);
}

TEST(MakeThumbnail, RefusesJpegsWithTooManyScans) {
  // One DC scan, then every AC coefficient of every component in a scan of its own: 1 + 3 * 63 scans.
  std::vector<jpeg_scan_info> scans{{3, {0, 1, 2, 0}, 0, 0, 0, 0}};
  for (int component = 0; component < 3; ++component) {
    for (int k = 1; k < 64; ++k) scans.push_back({1, {component, 0, 0, 0}, k, k, 0, 0});
  }
  std::string jpeg = WriteJpeg({.width = 16, .height = 16, .scans = scans}, Fill(16, 16, {255, 0, 0}));
  ExpectErrorMentions(jpeg, 8, "scans");
}

TEST(MakeThumbnail, RefusesTooManyPixelsBeforeDecoding) {
  // A genuine 8000 x 8000 bilevel PNG is only kilobytes long; decoding it would take 64 megapixels.
  std::string png = WritePng({.width = 8000, .height = 8000, .bit_depth = 1, .color_type = PNG_COLOR_TYPE_GRAY},
                             std::vector<uint8_t>(1000 * 8000));
  ExpectErrorMentions(png, 100, "limited to 50000000 pixels");
  ExpectErrorMentions(JpegHead("", 65535, 65535), 100, "limited to 50000000 pixels");
}

TEST(MakeThumbnail, RefusesCorruptAndTruncatedImages) {
  std::string png = SolidRgbPng(64, 48, kRed);
  std::string jpeg = SolidRgbJpeg(64, 48, kRed);
  EXPECT_ERROR_KIND(MakeThumbnail("not an image", 10), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(MakeThumbnail("", 10), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(MakeThumbnail(png, 0), ErrorKind::kInvalidInput);
  EXPECT_ERROR_KIND(MakeThumbnail(png, kMaxThumbnailSide + 1), ErrorKind::kInvalidInput);
  ExpectErrorMentions(png.substr(0, png.size() / 2), 10, "PNG image is corrupt or truncated");
  ExpectErrorMentions(jpeg.substr(0, jpeg.size() / 2), 10, "Premature end of JPEG file");
  ExpectErrorMentions(JpegHead("", 64, 48), 10, "JPEG image is corrupt");  // no tables, no scan
  std::string bad_crc = png;
  size_t idat = png.find("IDAT");
  bad_crc[idat + 4 + BigEndian32(png, idat - 4)] ^= 1;  // the first byte of the chunk's CRC
  ExpectErrorMentions(bad_crc, 10, "CRC");
  // Every other cut: refused as invalid, or (when only trailing chunks or markers are missing) a whole thumbnail.
  for (const std::string &image : {png, jpeg}) {
    for (size_t length = 0; length < image.size(); ++length) {
      try {
        EXPECT_EQ(DecodePng(MakeThumbnail(image.substr(0, length), 10)).width, 10u);
      } catch (const Error &error) {
        EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
      }
    }
  }
}

TEST(MakeThumbnail, SurvivesMutatedImages) {
  std::vector<uint8_t> gradient;
  for (int y = 0; y < 24; ++y) {
    for (int x = 0; x < 32; ++x) gradient.insert(gradient.end(), {uint8_t(x * 8), uint8_t(y * 10), 128, 200});
  }
  std::vector<uint8_t> gradient_rgb;
  for (size_t i = 0; i < gradient.size(); ++i) {
    if (i % 4 != 3) gradient_rgb.push_back(gradient[i]);
  }
  std::vector<std::string> seeds{
      WritePng({.width = 32, .height = 24, .color_type = PNG_COLOR_TYPE_RGBA}, gradient),
      WritePng({.width = 32, .height = 24, .color_type = PNG_COLOR_TYPE_RGBA, .interlaced = true}, gradient),
      WriteJpeg({.width = 32, .height = 24}, gradient_rgb),
      WriteJpeg({.width = 32, .height = 24, .progressive = true}, gradient_rgb),
  };
  std::mt19937 random(7);
  int decoded = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string data = seeds[round % seeds.size()];
    for (int flips = 1 + random() % 4; flips > 0; --flips) data[random() % data.size()] = static_cast<char>(random());
    try {
      Decoded thumbnail = DecodePng(MakeThumbnail(data, 16));
      EXPECT_LE(std::max(thumbnail.width, thumbnail.height), 16u);
      ++decoded;
    } catch (const Error &error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    }
  }
  // JPEG tolerates damaged entropy data, so some mutants still decode; the PNG CRCs catch nearly all of theirs.
  EXPECT_GT(decoded, 0);
}

TEST(TextHead, CutsAtCharacterBoundaries) {
  TextExcerpt empty = TextHead("");
  EXPECT_EQ(empty.text, "");
  EXPECT_FALSE(empty.truncated);
  EXPECT_FALSE(empty.binary);

  TextExcerpt whole = TextHead("a,b\n1,2\n");
  EXPECT_EQ(whole.text, "a,b\n1,2\n");
  EXPECT_FALSE(whole.truncated);
  EXPECT_FALSE(whole.binary);

  TextExcerpt by_default = TextHead(std::string(5000, 'x'));
  EXPECT_EQ(by_default.text.size(), kDefaultTextHeadBytes);
  EXPECT_TRUE(by_default.truncated);

  // "é" is 2 bytes, "€" 3, "😀" 4: a cut inside any of them moves back to its start.
  for (std::string character : {"é", "€", "😀"}) {
    std::string text = "ab" + character + "cd";
    for (size_t max_bytes = 2; max_bytes < 2 + character.size(); ++max_bytes) {
      TextExcerpt preview = TextHead(text, max_bytes);
      EXPECT_EQ(preview.text, "ab") << character << " " << max_bytes;
      EXPECT_TRUE(preview.truncated);
      EXPECT_FALSE(preview.binary);
    }
    EXPECT_EQ(TextHead(text, 2 + character.size()).text, "ab" + character);
  }
  TextExcerpt nothing = TextHead("abc", 0);
  EXPECT_EQ(nothing.text, "");
  EXPECT_TRUE(nothing.truncated);
  EXPECT_FALSE(nothing.binary);
}

TEST(TextHead, FlagsBinaryData) {
  for (std::string data : {std::string("a\0b", 3), std::string("\xff"), std::string("\x80x"), std::string("\xc0\xaf"),
                           std::string("\xe0\x80\xaf"), std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
                           std::string("\xe2\x28\xa1"), std::string("\x89PNG\r\n\x1a\n")}) {
    TextExcerpt preview = TextHead("ok " + data + " ok");
    EXPECT_TRUE(preview.binary) << ::testing::PrintToString(data);
    EXPECT_EQ(preview.text, "");
    EXPECT_TRUE(preview.truncated);
  }
  // A malformed character that starts inside the head is judged whole, even where it extends past the head.
  EXPECT_TRUE(TextHead("ab\xe2\x82x", 3).binary);
  // What lies beyond the head is not examined.
  TextExcerpt head = TextHead(std::string("abc\0\xff", 5), 3);
  EXPECT_FALSE(head.binary);
  EXPECT_EQ(head.text, "abc");
}

TEST(TextHead, DropsACharacterCutByTheEndOfTheInput) {
  // The caller passed a prefix of a longer object that ends inside "€".
  TextExcerpt preview = TextHead("price: \xe2\x82");
  EXPECT_FALSE(preview.binary);
  EXPECT_EQ(preview.text, "price: ");
  EXPECT_TRUE(preview.truncated);
}

TEST(GuessContentType, ByExtension) {
  std::vector<std::pair<std::string, std::string>> cases{
      {"volumes/v/data.csv", "text/csv"},
      {"a.tsv", "text/tab-separated-values"},
      {"logs/A.JSON", "application/json"},
      {"x.ndjson", "application/x-ndjson"},
      {"x.jsonl", "application/x-ndjson"},
      {"warehouse/t/part-0.parquet", "application/vnd.apache.parquet"},
      {"notes.txt", "text/plain"},
      {"server.log", "text/plain"},
      {"README.md", "text/markdown"},
      {"index.html", "text/html"},
      {"feed.xml", "application/xml"},
      {"paper.pdf", "application/pdf"},
      {"photo.PNG", "image/png"},
      {"photo.jpg", "image/jpeg"},
      {"photo.JPEG", "image/jpeg"},
      {"anim.gif", "image/gif"},
      {"pic.webp", "image/webp"},
      {"logo.svg", "image/svg+xml"},
      {"bundle.zip", "application/zip"},
      {"archive.tar.gz", "application/gzip"},
      {"archive.tar", "application/x-tar"},
      {"clip.mp4", "video/mp4"},
      {"noext", "application/octet-stream"},
      {"dir.v2/noext", "application/octet-stream"},
      {"dir/.profile", "application/octet-stream"},
      {"trailing.", "application/octet-stream"},
      {"folder/", "application/octet-stream"},
      {"", "application/octet-stream"},
      {"data.unknownext", "application/octet-stream"},
  };
  for (const auto &[key, type] : cases) EXPECT_EQ(GuessContentType(key), type) << key;
}

}  // namespace
}  // namespace ducklake
