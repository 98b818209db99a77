#include "engine/arrow_ipc_writer.hpp"

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "arrow_format_generated.h"

namespace ducklake {
namespace {

namespace fb = arrow_flatbuf;

// Buffers are copied exactly as they sit in memory while every message declares little-endian.
static_assert(std::endian::native == std::endian::little,
              "the IPC writer assumes a little-endian host");

constexpr uint32_t kContinuationMarker = 0xFFFFFFFFu;
constexpr size_t kAlignment = 8;
constexpr int64_t kViewWidth = 16;
constexpr int32_t kInlineViewLimit = 12;  // longer values live in a data buffer
// Smaller writes are gathered so the sink sees a few large chunks instead of one per buffer and
// padding run; larger buffers are handed over directly, without a copy.
constexpr size_t kCoalesceLimit = 64 * 1024;

size_t PaddingFor(size_t size) { return (kAlignment - size % kAlignment) % kAlignment; }

std::string Quote(const char *text) {
  return text == nullptr ? "<unnamed>" : "'" + std::string(text) + "'";
}

// How a column's values sit in memory, which decides the buffers and child arrays it contributes
// to a record batch. Types sharing a layout differ only in their schema metadata.
enum class Layout {
  kNull,           // no buffers at all
  kBitmap,         // validity, bit-packed values
  kFixedWidth,     // validity, `width`-byte values
  kBinary32,       // validity, int32 offsets, bytes
  kBinary64,       // validity, int64 offsets, bytes
  kBinaryView,     // validity, 16-byte views, variadic byte buffers
  kList32,         // validity, int32 offsets; one child (lists and maps)
  kList64,         // validity, int64 offsets; one child
  kFixedSizeList,  // validity; one child holding `width` values per slot
  kStruct,         // validity; one child per field
};

// What WriteBatch needs to know about a column, captured by WriteSchema because the caller may
// release the ArrowSchema afterwards.
struct ColumnLayout {
  Layout layout = Layout::kNull;
  int64_t width = 0;        // bytes per value (kFixedWidth) or values per slot (kFixedSizeList)
  std::string description;  // names the field and its format in error messages
  std::vector<ColumnLayout> children;
};

struct TypeEncoding {
  fb::Type type;
  flatbuffers::Offset<void> table;
  Layout layout;
  int64_t width = 0;
};

int32_t ParseInt32(std::string_view text, const ColumnLayout &column) {
  int32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw ArrowIpcError("malformed number '" + std::string(text) + "' in " + column.description);
  }
  return value;
}

int32_t ParsePositiveInt32(std::string_view text, const ColumnLayout &column) {
  const int32_t value = ParseInt32(text, column);
  if (value <= 0) {
    throw ArrowIpcError("expected a positive size in " + column.description);
  }
  return value;
}

[[noreturn]] void ThrowUnsupported(const ColumnLayout &column) {
  throw ArrowIpcError("unsupported Arrow type: " + column.description);
}

fb::TimeUnit ParseTimeUnit(char unit, const ColumnLayout &column) {
  switch (unit) {
    case 's':
      return fb::TimeUnit::SECOND;
    case 'm':
      return fb::TimeUnit::MILLISECOND;
    case 'u':
      return fb::TimeUnit::MICROSECOND;
    case 'n':
      return fb::TimeUnit::NANOSECOND;
    default:
      ThrowUnsupported(column);
  }
}

// "d:precision,scale[,bit_width]", the bit width defaulting to 128.
TypeEncoding EncodeDecimal(flatbuffers::FlatBufferBuilder &builder, std::string_view parameters,
                           const ColumnLayout &column) {
  std::vector<int32_t> numbers;
  for (size_t start = 0;;) {
    const size_t comma = parameters.find(',', start);
    numbers.push_back(ParseInt32(parameters.substr(start, comma - start), column));
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  if (numbers.size() != 2 && numbers.size() != 3) {
    ThrowUnsupported(column);
  }
  const int32_t bit_width = numbers.size() == 3 ? numbers[2] : 128;
  if (bit_width != 32 && bit_width != 64 && bit_width != 128 && bit_width != 256) {
    ThrowUnsupported(column);
  }
  return {fb::Type::Decimal, fb::CreateDecimal(builder, numbers[0], numbers[1], bit_width).Union(),
          Layout::kFixedWidth, bit_width / 8};
}

// Maps a C data interface format string to the flatbuffer type table and the physical layout.
TypeEncoding EncodeType(flatbuffers::FlatBufferBuilder &builder, const ArrowSchema &schema,
                        const ColumnLayout &column) {
  const std::string_view format(schema.format);
  const auto fixed = [](fb::Type type, flatbuffers::Offset<void> table, int64_t width) {
    return TypeEncoding{type, table, Layout::kFixedWidth, width};
  };
  const auto integer = [&](int bit_width, bool is_signed) {
    return fixed(fb::Type::Int, fb::CreateInt(builder, bit_width, is_signed).Union(),
                 bit_width / 8);
  };
  const auto floating = [&](fb::Precision precision, int64_t width) {
    return fixed(fb::Type::FloatingPoint, fb::CreateFloatingPoint(builder, precision).Union(),
                 width);
  };

  if (format.size() == 1) {
    switch (format[0]) {
      case 'n':
        return {fb::Type::Null, fb::CreateNull(builder).Union(), Layout::kNull};
      case 'b':
        return {fb::Type::Bool, fb::CreateBool(builder).Union(), Layout::kBitmap};
      case 'c':
        return integer(8, true);
      case 'C':
        return integer(8, false);
      case 's':
        return integer(16, true);
      case 'S':
        return integer(16, false);
      case 'i':
        return integer(32, true);
      case 'I':
        return integer(32, false);
      case 'l':
        return integer(64, true);
      case 'L':
        return integer(64, false);
      case 'e':
        return floating(fb::Precision::HALF, 2);
      case 'f':
        return floating(fb::Precision::SINGLE, 4);
      case 'g':
        return floating(fb::Precision::DOUBLE, 8);
      case 'u':
        return {fb::Type::Utf8, fb::CreateUtf8(builder).Union(), Layout::kBinary32};
      case 'U':
        return {fb::Type::LargeUtf8, fb::CreateLargeUtf8(builder).Union(), Layout::kBinary64};
      case 'z':
        return {fb::Type::Binary, fb::CreateBinary(builder).Union(), Layout::kBinary32};
      case 'Z':
        return {fb::Type::LargeBinary, fb::CreateLargeBinary(builder).Union(), Layout::kBinary64};
      default:
        ThrowUnsupported(column);
    }
  }
  if (format == "vu") {
    return {fb::Type::Utf8View, fb::CreateUtf8View(builder).Union(), Layout::kBinaryView};
  }
  if (format == "vz") {
    return {fb::Type::BinaryView, fb::CreateBinaryView(builder).Union(), Layout::kBinaryView};
  }
  if (format.starts_with("w:")) {
    const int32_t byte_width = ParsePositiveInt32(format.substr(2), column);
    return fixed(fb::Type::FixedSizeBinary, fb::CreateFixedSizeBinary(builder, byte_width).Union(),
                 byte_width);
  }
  if (format.starts_with("d:")) {
    return EncodeDecimal(builder, format.substr(2), column);
  }
  if (format == "tdD") {
    return fixed(fb::Type::Date, fb::CreateDate(builder, fb::DateUnit::DAY).Union(), 4);
  }
  if (format == "tdm") {
    return fixed(fb::Type::Date, fb::CreateDate(builder, fb::DateUnit::MILLISECOND).Union(), 8);
  }
  if (format.size() == 3 && format.starts_with("tt")) {
    const fb::TimeUnit unit = ParseTimeUnit(format[2], column);
    const bool is_32_bit = unit == fb::TimeUnit::SECOND || unit == fb::TimeUnit::MILLISECOND;
    const int bit_width = is_32_bit ? 32 : 64;
    return fixed(fb::Type::Time, fb::CreateTime(builder, unit, bit_width).Union(), bit_width / 8);
  }
  if (format.size() >= 4 && format.starts_with("ts") && format[3] == ':') {
    const fb::TimeUnit unit = ParseTimeUnit(format[2], column);
    const std::string_view timezone = format.substr(4);
    const auto timezone_offset = timezone.empty() ? flatbuffers::Offset<flatbuffers::String>()
                                                  : builder.CreateString(timezone);
    return fixed(fb::Type::Timestamp, fb::CreateTimestamp(builder, unit, timezone_offset).Union(),
                 8);
  }
  if (format.size() == 3 && format.starts_with("tD")) {
    const fb::TimeUnit unit = ParseTimeUnit(format[2], column);
    return fixed(fb::Type::Duration, fb::CreateDuration(builder, unit).Union(), 8);
  }
  if (format == "tiM") {
    return fixed(fb::Type::Interval,
                 fb::CreateInterval(builder, fb::IntervalUnit::YEAR_MONTH).Union(), 4);
  }
  if (format == "tiD") {
    return fixed(fb::Type::Interval,
                 fb::CreateInterval(builder, fb::IntervalUnit::DAY_TIME).Union(), 8);
  }
  if (format == "tin") {
    return fixed(fb::Type::Interval,
                 fb::CreateInterval(builder, fb::IntervalUnit::MONTH_DAY_NANO).Union(), 16);
  }
  if (format == "+l") {
    return {fb::Type::List, fb::CreateList(builder).Union(), Layout::kList32};
  }
  if (format == "+L") {
    return {fb::Type::LargeList, fb::CreateLargeList(builder).Union(), Layout::kList64};
  }
  if (format.starts_with("+w:")) {
    const int32_t list_size = ParsePositiveInt32(format.substr(3), column);
    return {fb::Type::FixedSizeList, fb::CreateFixedSizeList(builder, list_size).Union(),
            Layout::kFixedSizeList, list_size};
  }
  if (format == "+s") {
    return {fb::Type::Struct_, fb::CreateStruct_(builder).Union(), Layout::kStruct};
  }
  if (format == "+m") {
    const bool keys_sorted = (schema.flags & ARROW_FLAG_MAP_KEYS_SORTED) != 0;
    return {fb::Type::Map, fb::CreateMap(builder, keys_sorted).Union(), Layout::kList32};
  }
  ThrowUnsupported(column);
}

int32_t ReadInt32(const char *&cursor) {
  int32_t value;
  std::memcpy(&value, cursor, sizeof(value));
  cursor += sizeof(value);
  return value;
}

// Decodes the C data interface metadata encoding: an int32 pair count, then per pair an int32
// length and the bytes of the key, followed by the same for the value.
flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::KeyValue>>> EncodeMetadata(
    flatbuffers::FlatBufferBuilder &builder, const char *metadata, const std::string &owner) {
  if (metadata == nullptr) {
    return 0;
  }
  const char *cursor = metadata;
  const auto read_string = [&]() {
    const int32_t size = ReadInt32(cursor);
    if (size < 0) {
      throw ArrowIpcError("malformed metadata on " + owner);
    }
    const std::string_view text(cursor, static_cast<size_t>(size));
    cursor += size;
    return builder.CreateString(text);
  };
  const int32_t pair_count = ReadInt32(cursor);
  if (pair_count < 0) {
    throw ArrowIpcError("malformed metadata on " + owner);
  }
  std::vector<flatbuffers::Offset<fb::KeyValue>> pairs;
  for (int32_t i = 0; i < pair_count; ++i) {
    const auto key = read_string();
    const auto value = read_string();
    pairs.push_back(fb::CreateKeyValue(builder, key, value));
  }
  return builder.CreateVector(pairs);
}

// The number of child fields each layout requires, or -1 when any number is valid.
int64_t RequiredChildCount(Layout layout) {
  switch (layout) {
    case Layout::kList32:
    case Layout::kList64:
    case Layout::kFixedSizeList:
      return 1;
    case Layout::kStruct:
      return -1;
    default:
      return 0;
  }
}

// Builds the Field table of `schema` (children first, as flatbuffers requires nested objects to be
// finished before their parent starts) and records the column's layout for WriteBatch.
flatbuffers::Offset<fb::Field> EncodeField(flatbuffers::FlatBufferBuilder &builder,
                                           const ArrowSchema &schema, ColumnLayout &column) {
  if (schema.format == nullptr) {
    throw ArrowIpcError("field " + Quote(schema.name) + " has no format string");
  }
  column.description = "field " + Quote(schema.name) + " with format '" + schema.format + "'";
  if (schema.dictionary != nullptr) {
    throw ArrowIpcError("dictionary-encoded arrays are not supported: " + column.description);
  }
  if (schema.n_children > 0 && schema.children == nullptr) {
    throw ArrowIpcError("missing children of " + column.description);
  }
  std::vector<flatbuffers::Offset<fb::Field>> children;
  column.children.resize(static_cast<size_t>(schema.n_children));
  for (int64_t i = 0; i < schema.n_children; ++i) {
    children.push_back(EncodeField(builder, *schema.children[i], column.children[i]));
  }
  const TypeEncoding type = EncodeType(builder, schema, column);
  column.layout = type.layout;
  column.width = type.width;

  const int64_t required_children = RequiredChildCount(type.layout);
  if (required_children >= 0 && schema.n_children != required_children) {
    throw ArrowIpcError("expected " + std::to_string(required_children) + " child field(s) for " +
                        column.description + ", got " + std::to_string(schema.n_children));
  }
  if (std::string_view(schema.format) == "+m") {
    const ArrowSchema &entries = *schema.children[0];
    if (std::string_view(entries.format) != "+s" || entries.n_children != 2) {
      throw ArrowIpcError("map entries must be a struct of key and value: " + column.description);
    }
  }

  const auto name = schema.name == nullptr ? flatbuffers::Offset<flatbuffers::String>()
                                           : builder.CreateString(schema.name);
  const auto metadata = EncodeMetadata(builder, schema.metadata, column.description);
  const bool nullable = (schema.flags & ARROW_FLAG_NULLABLE) != 0;
  return fb::CreateField(builder, name, nullable, type.type, type.table,
                         builder.CreateVector(children), metadata);
}

bool GetBit(const uint8_t *bits, int64_t index) { return (bits[index / 8] >> (index % 8)) & 1; }

int64_t CountSetBits(const uint8_t *bits, int64_t first, int64_t count) {
  const int64_t end = first + count;
  int64_t set = 0;
  int64_t index = first;
  for (; index < end && index % 8 != 0; ++index) {
    set += GetBit(bits, index);
  }
  for (; index + 8 <= end; index += 8) {
    set += std::popcount(bits[index / 8]);
  }
  for (; index < end; ++index) {
    set += GetBit(bits, index);
  }
  return set;
}

// Flattens one record batch into the FieldNodes and Buffers of its RecordBatch message and the
// byte ranges of its body. Body bytes are referenced in place wherever the IPC layout equals the
// in-memory one; only what a slice offset forces to change (unaligned bitmaps, offsets not
// starting at zero) is rewritten into buffers owned here.
class BatchEncoder {
 public:
  struct BodyRange {
    const void *data;
    size_t size;
  };

  // Encodes `length` slots of `array` starting `start` slots after the array's own offset.
  void EncodeArray(const ArrowArray &array, const ColumnLayout &column, int64_t start,
                   int64_t length) {
    RequireShape(array, column, start, length);
    const int64_t first = array.offset + start;  // physical index of the first slot
    if (column.layout == Layout::kNull) {
      nodes_.emplace_back(length, length);
      return;
    }
    nodes_.emplace_back(length, AddValidity(array, first, length));

    switch (column.layout) {
      case Layout::kNull:  // encoded above: it has no buffers
        break;
      case Layout::kBitmap:
        AddBitmap(RequireBuffer(array, 1, length, column), first, length);
        break;
      case Layout::kFixedWidth:
        AddRange(BufferAt(array, 1, first * column.width, length, column), length * column.width);
        break;
      case Layout::kBinary32:
        AddBinary<int32_t>(array, column, first, length);
        break;
      case Layout::kBinary64:
        AddBinary<int64_t>(array, column, first, length);
        break;
      case Layout::kBinaryView:
        AddBinaryView(array, column, first, length);
        break;
      case Layout::kList32: {
        const auto [child_start, child_length] = AddOffsets<int32_t>(array, column, first, length);
        EncodeArray(*array.children[0], column.children[0], child_start, child_length);
        break;
      }
      case Layout::kList64: {
        const auto [child_start, child_length] = AddOffsets<int64_t>(array, column, first, length);
        EncodeArray(*array.children[0], column.children[0], child_start, child_length);
        break;
      }
      case Layout::kFixedSizeList:
        EncodeArray(*array.children[0], column.children[0], first * column.width,
                    length * column.width);
        break;
      case Layout::kStruct:
        for (size_t i = 0; i < column.children.size(); ++i) {
          EncodeArray(*array.children[i], column.children[i], first, length);
        }
        break;
    }
  }

  const std::vector<fb::FieldNode> &Nodes() const { return nodes_; }
  const std::vector<fb::Buffer> &Buffers() const { return buffers_; }
  const std::vector<int64_t> &VariadicBufferCounts() const { return variadic_buffer_counts_; }
  const std::vector<BodyRange> &Body() const { return body_; }
  int64_t BodyLength() const { return body_length_; }

 private:
  static int64_t RequiredBufferCount(Layout layout) {
    switch (layout) {
      case Layout::kNull:
        return 0;
      case Layout::kFixedSizeList:
      case Layout::kStruct:
        return 1;
      case Layout::kBinary32:
      case Layout::kBinary64:
      case Layout::kBinaryView:  // the buffer of variadic buffer sizes always comes last
        return 3;
      default:
        return 2;
    }
  }

  // Rejects arrays whose structure disagrees with the schema before any of their memory is read.
  static void RequireShape(const ArrowArray &array, const ColumnLayout &column, int64_t start,
                           int64_t length) {
    if (start < 0 || length < 0 || array.offset < 0 || start + length > array.length) {
      throw ArrowIpcError("array of " + column.description + " has " +
                          std::to_string(array.length) + " slots, but slots [" +
                          std::to_string(start) + ", " + std::to_string(start + length) +
                          ") are needed");
    }
    if (array.n_buffers < RequiredBufferCount(column.layout) ||
        (array.n_buffers > 0 && array.buffers == nullptr)) {
      throw ArrowIpcError("array of " + column.description + " has too few buffers");
    }
    if (array.n_children != static_cast<int64_t>(column.children.size()) ||
        (array.n_children > 0 && array.children == nullptr)) {
      throw ArrowIpcError("array of " + column.description + " has " +
                          std::to_string(array.n_children) + " children, the schema has " +
                          std::to_string(column.children.size()));
    }
    if (array.dictionary != nullptr) {
      throw ArrowIpcError("dictionary-encoded arrays are not supported: " + column.description);
    }
  }

  // Buffers may be null only where they would be empty.
  static const uint8_t *RequireBuffer(const ArrowArray &array, int64_t index, int64_t length,
                                      const ColumnLayout &column) {
    const auto *buffer = static_cast<const uint8_t *>(array.buffers[index]);
    if (buffer == nullptr && length > 0) {
      throw ArrowIpcError("buffer " + std::to_string(index) + " of " + column.description +
                          " is missing");
    }
    return buffer;
  }

  // The address `byte_offset` bytes into buffer `index`, or null for an empty, absent buffer.
  static const uint8_t *BufferAt(const ArrowArray &array, int64_t index, int64_t byte_offset,
                                 int64_t length, const ColumnLayout &column) {
    const uint8_t *buffer = RequireBuffer(array, index, length, column);
    return buffer == nullptr ? nullptr : buffer + byte_offset;
  }

  void AddRange(const void *data, int64_t size) {
    buffers_.emplace_back(body_length_, size);
    body_.push_back({data, static_cast<size_t>(size)});
    body_length_ += size + static_cast<int64_t>(PaddingFor(static_cast<size_t>(size)));
  }

  std::vector<uint8_t> &NewOwnedBuffer(size_t size) {
    return owned_.emplace_back(size, uint8_t{0});
  }

  void AddOwned(const std::vector<uint8_t> &buffer) {
    AddRange(buffer.data(), static_cast<int64_t>(buffer.size()));
  }

  // Returns the slice's null count. A null-free slice gets an empty validity buffer, which the
  // format defines as "all valid", instead of a copy of the bitmap.
  int64_t AddValidity(const ArrowArray &array, int64_t first, int64_t length) {
    const auto *bitmap = static_cast<const uint8_t *>(array.buffers[0]);
    int64_t null_count = 0;
    if (bitmap != nullptr && array.null_count != 0) {
      const bool is_whole_array = first == array.offset && length == array.length;
      // A negative null count means the producer did not compute it.
      null_count = is_whole_array && array.null_count > 0
                       ? array.null_count
                       : length - CountSetBits(bitmap, first, length);
    }
    if (null_count == 0) {
      AddRange(nullptr, 0);
    } else {
      AddBitmap(bitmap, first, length);
    }
    return null_count;
  }

  // Bitmaps are referenced in place when the slice starts on a byte boundary and shifted into a
  // copy otherwise, because IPC buffers have no bit offset.
  void AddBitmap(const uint8_t *bits, int64_t first, int64_t length) {
    const size_t byte_count = static_cast<size_t>((length + 7) / 8);
    if (length == 0) {
      AddRange(nullptr, 0);
      return;
    }
    if (first % 8 == 0) {
      AddRange(bits + first / 8, static_cast<int64_t>(byte_count));
      return;
    }
    const int shift = static_cast<int>(first % 8);
    const uint8_t *source = bits + first / 8;
    const size_t source_byte_count = static_cast<size_t>((shift + length + 7) / 8);
    std::vector<uint8_t> &shifted = NewOwnedBuffer(byte_count);
    for (size_t i = 0; i < byte_count; ++i) {
      const uint8_t high =
          i + 1 < source_byte_count ? static_cast<uint8_t>(source[i + 1] << (8 - shift)) : 0;
      shifted[i] = static_cast<uint8_t>(source[i] >> shift) | high;
    }
    if (length % 8 != 0) {  // clear the bits past the end of the slice
      shifted.back() &= static_cast<uint8_t>((1u << (length % 8)) - 1);
    }
    AddOwned(shifted);
  }

  // Writes the offsets of the slice rebased to start at zero, as readers expect for a buffer
  // that begins at the slice; returns the range of child slots (or bytes) the slice covers.
  template <typename Offset>
  std::pair<int64_t, int64_t> AddOffsets(const ArrowArray &array, const ColumnLayout &column,
                                         int64_t first, int64_t length) {
    const auto *offsets = reinterpret_cast<const Offset *>(RequireBuffer(array, 1, length, column));
    if (offsets == nullptr) {
      AddOwned(NewOwnedBuffer(sizeof(Offset)));  // a single zero offset: the empty slice
      return {0, 0};
    }
    offsets += first;
    const Offset base = offsets[0];
    const Offset end = offsets[length];
    if (base < 0 || end < base) {
      throw ArrowIpcError("offsets of " + column.description + " are not ascending");
    }
    const size_t size = static_cast<size_t>(length + 1) * sizeof(Offset);
    if (base == 0) {
      AddRange(offsets, static_cast<int64_t>(size));
    } else {
      std::vector<uint8_t> &rebased = NewOwnedBuffer(size);
      for (int64_t i = 0; i <= length; ++i) {
        const Offset value = offsets[i] - base;
        std::memcpy(rebased.data() + i * sizeof(Offset), &value, sizeof(Offset));
      }
      AddOwned(rebased);
    }
    return {base, end - base};
  }

  template <typename Offset>
  void AddBinary(const ArrowArray &array, const ColumnLayout &column, int64_t first,
                 int64_t length) {
    const auto [byte_start, byte_count] = AddOffsets<Offset>(array, column, first, length);
    AddRange(BufferAt(array, 2, byte_start, byte_count, column), byte_count);
  }

  // Views refer to data buffers by index and offset, so slicing only trims the views; the data
  // buffers travel whole.
  void AddBinaryView(const ArrowArray &array, const ColumnLayout &column, int64_t first,
                     int64_t length) {
    const uint8_t *views = BufferAt(array, 1, first * kViewWidth, length, column);
    const int64_t data_buffer_count = array.n_buffers - 3;
    const auto *sizes = reinterpret_cast<const int64_t *>(
        RequireBuffer(array, array.n_buffers - 1, data_buffer_count, column));
    for (int64_t i = 0; i < data_buffer_count; ++i) {
      if (sizes[i] < 0) {
        throw ArrowIpcError("negative data buffer size in " + column.description);
      }
    }
    RequireViewsInBounds(array, column, views, first, length, sizes, data_buffer_count);
    AddRange(views, length * kViewWidth);
    for (int64_t i = 0; i < data_buffer_count; ++i) {
      AddRange(RequireBuffer(array, 2 + i, sizes[i], column), sizes[i]);
    }
    variadic_buffer_counts_.push_back(data_buffer_count);
  }

  // A view pointing outside the data buffers would make readers fail or read foreign memory, so
  // the batch is rejected instead. Null slots are skipped: their views carry no meaning.
  static void RequireViewsInBounds(const ArrowArray &array, const ColumnLayout &column,
                                   const uint8_t *views, int64_t first, int64_t length,
                                   const int64_t *sizes, int64_t data_buffer_count) {
    const auto *validity = static_cast<const uint8_t *>(array.buffers[0]);
    const bool has_nulls = validity != nullptr && array.null_count != 0;
    for (int64_t i = 0; i < length; ++i) {
      if (has_nulls && !GetBit(validity, first + i)) {
        continue;
      }
      int32_t size, buffer_index, offset;
      std::memcpy(&size, views + i * kViewWidth, sizeof(size));
      std::memcpy(&buffer_index, views + i * kViewWidth + 8, sizeof(buffer_index));
      std::memcpy(&offset, views + i * kViewWidth + 12, sizeof(offset));
      const bool in_bounds =
          size >= 0 && (size <= kInlineViewLimit ||
                        (buffer_index >= 0 && buffer_index < data_buffer_count && offset >= 0 &&
                         int64_t{offset} + size <= sizes[buffer_index]));
      if (!in_bounds) {
        throw ArrowIpcError("view of slot " + std::to_string(first + i) + " in " +
                            column.description + " points outside its data buffers");
      }
    }
  }

  std::vector<fb::FieldNode> nodes_;
  std::vector<fb::Buffer> buffers_;
  std::vector<int64_t> variadic_buffer_counts_;
  std::vector<BodyRange> body_;
  int64_t body_length_ = 0;
  // A deque never moves its elements, so BodyRanges into them stay valid.
  std::deque<std::vector<uint8_t>> owned_;
};

}  // namespace

struct ArrowIpcWriter::Impl {
  enum class State { kAwaitingSchema, kStreaming, kFinished, kFailed };

  explicit Impl(Sink sink_function) : sink(std::move(sink_function)) {}

  void RequireState(State expected, const char *operation) const {
    if (state == State::kFailed) {
      throw ArrowIpcSinkClosed(std::string(operation) +
                               ": the stream was abandoned after a failed write");
    }
    if (state != expected) {
      static constexpr const char *kExpectations[] = {"before WriteSchema", "after WriteSchema",
                                                      "after Finish"};
      throw ArrowIpcError(std::string(operation) + " called " +
                          kExpectations[static_cast<int>(state)]);
    }
  }

  void Deliver(const char *data, size_t size) {
    if (!sink(data, size)) {
      throw ArrowIpcSinkClosed("the Arrow IPC stream consumer has gone away");
    }
  }

  void Write(const void *data, size_t size) {
    if (size == 0) {
      return;
    }
    const auto *bytes = static_cast<const char *>(data);
    if (size < kCoalesceLimit) {
      pending.insert(pending.end(), bytes, bytes + size);
      if (pending.size() >= kCoalesceLimit) {
        Flush();
      }
      return;
    }
    Flush();
    Deliver(bytes, size);
  }

  void WritePadding(size_t size) { pending.insert(pending.end(), size, '\0'); }

  void Flush() {
    if (!pending.empty()) {
      Deliver(pending.data(), pending.size());
      pending.clear();
    }
  }

  // Encapsulated message: continuation marker, int32 length of the padded metadata, the
  // flatbuffer, padding to 8 bytes, then the body whose buffers are each padded to 8 bytes.
  void WriteMessage(const flatbuffers::FlatBufferBuilder &builder,
                    const std::vector<BatchEncoder::BodyRange> &body) {
    const size_t metadata_size = builder.GetSize();
    const size_t padded_size = metadata_size + PaddingFor(metadata_size);
    if (padded_size > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      throw ArrowIpcError("Arrow IPC message metadata exceeds 2 GiB");
    }
    const int32_t length_prefix = static_cast<int32_t>(padded_size);
    // Stays kFailed if delivery throws midway, since the stream then ends inside a message.
    const State resumed_state = state;
    state = State::kFailed;
    Write(&kContinuationMarker, sizeof(kContinuationMarker));
    Write(&length_prefix, sizeof(length_prefix));
    Write(builder.GetBufferPointer(), metadata_size);
    WritePadding(padded_size - metadata_size);
    for (const auto &range : body) {
      Write(range.data, range.size);
      WritePadding(PaddingFor(range.size));
    }
    Flush();
    state = resumed_state;
  }

  Sink sink;
  State state = State::kAwaitingSchema;
  std::vector<ColumnLayout> columns;
  std::vector<char> pending;
};

ArrowIpcWriter::ArrowIpcWriter(Sink sink) : impl_(std::make_unique<Impl>(std::move(sink))) {}

ArrowIpcWriter::~ArrowIpcWriter() = default;
ArrowIpcWriter::ArrowIpcWriter(ArrowIpcWriter &&) noexcept = default;
ArrowIpcWriter &ArrowIpcWriter::operator=(ArrowIpcWriter &&) noexcept = default;

void ArrowIpcWriter::WriteSchema(const ArrowSchema &schema) {
  impl_->RequireState(Impl::State::kAwaitingSchema, "WriteSchema");
  if (schema.format == nullptr || std::string_view(schema.format) != "+s") {
    throw ArrowIpcError(std::string("the stream schema must be a struct ('+s'), got '") +
                        (schema.format == nullptr ? "" : schema.format) + "'");
  }
  if (schema.n_children > 0 && schema.children == nullptr) {
    throw ArrowIpcError("the stream schema has no children array");
  }
  flatbuffers::FlatBufferBuilder builder;
  // Scalars equal to their default are otherwise left out; writing them keeps every reader on
  // the values written here rather than on its own idea of the defaults.
  builder.ForceDefaults(true);
  std::vector<ColumnLayout> columns(static_cast<size_t>(schema.n_children));
  std::vector<flatbuffers::Offset<fb::Field>> fields;
  for (int64_t i = 0; i < schema.n_children; ++i) {
    fields.push_back(EncodeField(builder, *schema.children[i], columns[i]));
  }
  const auto fields_offset = builder.CreateVector(fields);
  const auto metadata = EncodeMetadata(builder, schema.metadata, "the stream schema");
  const auto schema_offset =
      fb::CreateSchema(builder, fb::Endianness::Little, fields_offset, metadata);
  builder.Finish(fb::CreateMessage(builder, fb::MetadataVersion::V5, fb::MessageHeader::Schema,
                                   schema_offset.Union(), 0));

  impl_->WriteMessage(builder, {});
  impl_->columns = std::move(columns);
  impl_->state = Impl::State::kStreaming;
}

void ArrowIpcWriter::WriteBatch(const ArrowArray &batch) {
  impl_->RequireState(Impl::State::kStreaming, "WriteBatch");
  const auto &columns = impl_->columns;
  if (batch.n_children != static_cast<int64_t>(columns.size()) ||
      (batch.n_children > 0 && batch.children == nullptr)) {
    throw ArrowIpcError("the batch has " + std::to_string(batch.n_children) +
                        " columns, the schema has " + std::to_string(columns.size()));
  }
  if (batch.length < 0 || batch.offset < 0) {
    throw ArrowIpcError("the batch has a negative length or offset");
  }
  // The batch's own validity is not encoded: a record batch has no null rows, only null values.
  BatchEncoder encoder;
  for (size_t i = 0; i < columns.size(); ++i) {
    encoder.EncodeArray(*batch.children[i], columns[i], batch.offset, batch.length);
  }

  flatbuffers::FlatBufferBuilder builder;
  builder.ForceDefaults(true);
  const auto nodes = builder.CreateVectorOfStructs(encoder.Nodes());
  const auto buffers = builder.CreateVectorOfStructs(encoder.Buffers());
  const auto variadic_buffer_counts = encoder.VariadicBufferCounts().empty()
                                          ? flatbuffers::Offset<flatbuffers::Vector<int64_t>>()
                                          : builder.CreateVector(encoder.VariadicBufferCounts());
  const auto record_batch =
      fb::CreateRecordBatch(builder, batch.length, nodes, buffers, variadic_buffer_counts);
  builder.Finish(fb::CreateMessage(builder, fb::MetadataVersion::V5, fb::MessageHeader::RecordBatch,
                                   record_batch.Union(), encoder.BodyLength()));
  impl_->WriteMessage(builder, encoder.Body());
}

void ArrowIpcWriter::Finish() {
  impl_->RequireState(Impl::State::kStreaming, "Finish");
  // End of stream: a continuation marker announcing zero bytes of metadata.
  const uint32_t end_of_stream[] = {kContinuationMarker, 0};
  impl_->state = Impl::State::kFailed;
  impl_->Write(end_of_stream, sizeof(end_of_stream));
  impl_->Flush();
  impl_->state = Impl::State::kFinished;
}

}  // namespace ducklake
