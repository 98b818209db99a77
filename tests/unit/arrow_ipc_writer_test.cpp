#include "engine/arrow_ipc_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "arrow_format_generated.h"

namespace ducklake {
namespace {

namespace fb = arrow_flatbuf;

using Bytes = std::vector<uint8_t>;
template <typename T>
using Nullable = std::vector<std::optional<T>>;

template <typename T>
Bytes BytesOf(const std::vector<T> &values) {
  Bytes bytes(values.size() * sizeof(T));
  if (!values.empty()) {
    std::memcpy(bytes.data(), values.data(), bytes.size());
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Hand-built C data interface structs. Each object owns the memory its C struct points into;
// Get() wires the pointers up, so a tree must not be copied or moved between Get() and its use.

class TestSchema {
 public:
  TestSchema(std::string format, std::string name, std::vector<TestSchema> children = {})
      : format_(std::move(format)), name_(std::move(name)), children_(std::move(children)) {}

  TestSchema &NotNull() {
    flags_ &= ~ARROW_FLAG_NULLABLE;
    return *this;
  }

  TestSchema &AddFlags(int64_t flags) {
    flags_ |= flags;
    return *this;
  }

  // Encodes key/value pairs the way the C data interface specifies: an int32 pair count, then
  // each key and value as an int32 byte length followed by the bytes.
  TestSchema &Metadata(const std::vector<std::pair<std::string, std::string>> &pairs) {
    std::string encoded;
    const auto append_int32 = [&](int32_t value) {
      encoded.append(reinterpret_cast<const char *>(&value), 4);
    };
    append_int32(static_cast<int32_t>(pairs.size()));
    for (const auto &[key, value] : pairs) {
      append_int32(static_cast<int32_t>(key.size()));
      encoded += key;
      append_int32(static_cast<int32_t>(value.size()));
      encoded += value;
    }
    metadata_ = std::move(encoded);
    return *this;
  }

  TestSchema &Dictionary(TestSchema dictionary) {
    dictionary_.assign(1, std::move(dictionary));
    return *this;
  }

  const ArrowSchema &Get() {
    child_pointers_.clear();
    for (auto &child : children_) {
      child.Get();
      child_pointers_.push_back(&child.c_);
    }
    c_ = ArrowSchema{};
    c_.format = format_.c_str();
    c_.name = name_.c_str();
    c_.metadata = metadata_ ? metadata_->data() : nullptr;
    c_.flags = flags_;
    c_.n_children = static_cast<int64_t>(children_.size());
    c_.children = child_pointers_.data();
    c_.dictionary =
        dictionary_.empty() ? nullptr : const_cast<ArrowSchema *>(&dictionary_[0].Get());
    return c_;
  }

 private:
  std::string format_;
  std::string name_;
  std::optional<std::string> metadata_;
  int64_t flags_ = ARROW_FLAG_NULLABLE;
  std::vector<TestSchema> children_;
  std::vector<TestSchema> dictionary_;
  std::vector<ArrowSchema *> child_pointers_;
  ArrowSchema c_{};
};

class TestArray {
 public:
  TestArray(int64_t length, int64_t null_count, std::vector<std::optional<Bytes>> buffers,
            std::vector<TestArray> children = {})
      : length(length),
        null_count(null_count),
        buffers(std::move(buffers)),
        children(std::move(children)) {}

  int64_t length;
  int64_t null_count;
  int64_t offset = 0;
  std::vector<std::optional<Bytes>> buffers;  // nullopt becomes a null buffer pointer
  std::vector<TestArray> children;

  // Hides the first `count` slots behind the array offset, as a producer's zero-copy slice would.
  TestArray &Slice(int64_t count) {
    offset += count;
    length -= count;
    null_count = -1;  // unknown after slicing: the writer has to count
    return *this;
  }

  const ArrowArray &Get() {
    buffer_pointers_.clear();
    for (const auto &buffer : buffers) {
      buffer_pointers_.push_back(buffer ? buffer->data() : nullptr);
    }
    child_pointers_.clear();
    for (auto &child : children) {
      child.Get();
      child_pointers_.push_back(&child.c_);
    }
    c_ = ArrowArray{};
    c_.length = length;
    c_.null_count = null_count;
    c_.offset = offset;
    c_.n_buffers = static_cast<int64_t>(buffers.size());
    c_.n_children = static_cast<int64_t>(children.size());
    c_.buffers = buffer_pointers_.data();
    c_.children = child_pointers_.data();
    return c_;
  }

 private:
  std::vector<const void *> buffer_pointers_;
  std::vector<ArrowArray *> child_pointers_;
  ArrowArray c_{};
};

// A validity bitmap, or no buffer at all when every slot is valid.
std::optional<Bytes> ValidityOf(const std::vector<bool> &valid) {
  if (std::find(valid.begin(), valid.end(), false) == valid.end()) {
    return std::nullopt;
  }
  Bytes bitmap((valid.size() + 7) / 8, 0);
  for (size_t i = 0; i < valid.size(); ++i) {
    bitmap[i / 8] |= valid[i] ? static_cast<uint8_t>(1u << (i % 8)) : 0;
  }
  return bitmap;
}

template <typename T>
std::vector<bool> ValidOf(const Nullable<T> &values) {
  std::vector<bool> valid;
  for (const auto &value : values) {
    valid.push_back(value.has_value());
  }
  return valid;
}

int64_t NullCountOf(const std::vector<bool> &valid) {
  return std::count(valid.begin(), valid.end(), false);
}

template <typename T>
TestArray FixedWidth(const Nullable<T> &values) {
  std::vector<T> physical;
  for (const auto &value : values) {
    physical.push_back(value.value_or(T{}));
  }
  const auto valid = ValidOf(values);
  return {static_cast<int64_t>(values.size()),
          NullCountOf(valid),
          {ValidityOf(valid), BytesOf(physical)}};
}

TestArray Booleans(const Nullable<bool> &values) {
  std::vector<bool> bits;
  for (const auto &value : values) {
    bits.push_back(value.value_or(false));
  }
  const auto valid = ValidOf(values);
  return {static_cast<int64_t>(values.size()),
          NullCountOf(valid),
          {ValidityOf(valid), ValidityOf(bits).value_or(Bytes((bits.size() + 7) / 8, 0xFF))}};
}

template <typename Offset>
TestArray VariableWidth(const Nullable<std::string> &values) {
  std::vector<Offset> offsets{0};
  std::string data;
  for (const auto &value : values) {
    data += value.value_or("");
    offsets.push_back(static_cast<Offset>(data.size()));
  }
  const auto valid = ValidOf(values);
  return {static_cast<int64_t>(values.size()),
          NullCountOf(valid),
          {ValidityOf(valid), BytesOf(offsets), Bytes(data.begin(), data.end())}};
}

TestArray FixedSizeBinary(size_t width, const Nullable<std::string> &values) {
  std::string data;
  for (const auto &value : values) {
    data += value.value_or(std::string(width, '\0'));
  }
  const auto valid = ValidOf(values);
  return {static_cast<int64_t>(values.size()),
          NullCountOf(valid),
          {ValidityOf(valid), Bytes(data.begin(), data.end())}};
}

// Binary views: strings of up to 12 bytes inline, longer ones in two data buffers, alternately,
// so that both buffer indexes and in-buffer offsets matter.
TestArray Views(const Nullable<std::string> &values) {
  Bytes views(values.size() * 16, 0);
  std::vector<std::string> data_buffers(2);
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string value = values[i].value_or("");
    uint8_t *view = views.data() + i * 16;
    const auto size = static_cast<int32_t>(value.size());
    std::memcpy(view, &size, 4);
    if (value.size() <= 12) {
      std::memcpy(view + 4, value.data(), value.size());
      continue;
    }
    const int32_t buffer_index = static_cast<int32_t>(i % 2);
    const auto buffer_offset = static_cast<int32_t>(data_buffers[buffer_index].size());
    data_buffers[buffer_index] += value;
    std::memcpy(view + 4, value.data(), 4);
    std::memcpy(view + 8, &buffer_index, 4);
    std::memcpy(view + 12, &buffer_offset, 4);
  }
  const auto valid = ValidOf(values);
  const std::vector<int64_t> sizes{static_cast<int64_t>(data_buffers[0].size()),
                                   static_cast<int64_t>(data_buffers[1].size())};
  return {static_cast<int64_t>(values.size()),
          NullCountOf(valid),
          {ValidityOf(valid), views, Bytes(data_buffers[0].begin(), data_buffers[0].end()),
           Bytes(data_buffers[1].begin(), data_buffers[1].end()), BytesOf(sizes)}};
}

// A list (or map) array whose slot i holds sizes[i] consecutive child values (null: none).
template <typename Offset>
TestArray Lists(const Nullable<Offset> &sizes, TestArray child) {
  std::vector<Offset> offsets{0};
  for (const auto &size : sizes) {
    offsets.push_back(offsets.back() + size.value_or(0));
  }
  const auto valid = ValidOf(sizes);
  TestArray array{static_cast<int64_t>(sizes.size()),
                  NullCountOf(valid),
                  {ValidityOf(valid), BytesOf(offsets)}};
  array.children.push_back(std::move(child));
  return array;
}

TestArray Nested(const std::vector<bool> &valid, std::vector<TestArray> children) {
  return {static_cast<int64_t>(valid.size()),
          NullCountOf(valid),
          {ValidityOf(valid)},
          std::move(children)};
}

TestArray Nulls(int64_t length) { return {length, length, {}}; }

// ---------------------------------------------------------------------------------------------
// Writing and reading back streams

struct WrittenStream {
  std::string bytes;
  std::vector<size_t> sink_call_sizes;
};

WrittenStream WriteStream(TestSchema &schema, std::vector<TestArray *> batches) {
  WrittenStream stream;
  ArrowIpcWriter writer([&](const char *data, size_t size) {
    stream.bytes.append(data, size);
    stream.sink_call_sizes.push_back(size);
    return true;
  });
  writer.WriteSchema(schema.Get());
  for (TestArray *batch : batches) {
    writer.WriteBatch(batch->Get());
  }
  writer.Finish();
  return stream;
}

// One encapsulated message of a stream, checked against the IPC format rules while parsing.
struct StreamMessage {
  std::string metadata;
  const fb::Message *message = nullptr;
  std::string body;
};

// Parses a whole stream; throws (failing the calling test) on any framing violation.
std::vector<StreamMessage> ParseStream(const std::string &stream) {
  std::vector<StreamMessage> messages;
  size_t position = 0;
  const auto read_u32 = [&]() {
    if (position + 4 > stream.size()) {
      throw std::runtime_error("stream ends inside a message prefix at byte " +
                               std::to_string(position));
    }
    uint32_t value;
    std::memcpy(&value, stream.data() + position, 4);
    position += 4;
    return value;
  };
  while (true) {
    if (position % 8 != 0) {
      throw std::runtime_error("message at byte " + std::to_string(position) +
                               " is not 8-byte aligned");
    }
    if (read_u32() != 0xFFFFFFFFu) {
      throw std::runtime_error("missing continuation marker at byte " +
                               std::to_string(position - 4));
    }
    const uint32_t metadata_size = read_u32();
    if (metadata_size == 0) {
      if (position != stream.size()) {
        throw std::runtime_error("bytes after the end-of-stream marker");
      }
      return messages;
    }
    if (metadata_size % 8 != 0 || position + metadata_size > stream.size()) {
      throw std::runtime_error("metadata size " + std::to_string(metadata_size) +
                               " is unpadded or truncated");
    }
    StreamMessage parsed;
    parsed.metadata = stream.substr(position, metadata_size);
    position += metadata_size;
    flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t *>(parsed.metadata.data()),
                                   metadata_size);
    if (!fb::VerifyMessageBuffer(verifier)) {
      throw std::runtime_error("message flatbuffer fails verification");
    }
    parsed.message = fb::GetMessage(parsed.metadata.data());
    if (parsed.message->version() != fb::MetadataVersion::V5) {
      throw std::runtime_error("message is not metadata version V5");
    }
    const auto body_length = static_cast<size_t>(parsed.message->body_length());
    if (body_length % 8 != 0 || position + body_length > stream.size()) {
      throw std::runtime_error("body length " + std::to_string(body_length) +
                               " is unpadded or truncated");
    }
    parsed.body = stream.substr(position, body_length);
    position += body_length;
    if (const auto *batch = parsed.message->header_as_RecordBatch()) {
      for (const auto *buffer : *batch->buffers()) {
        if (buffer->offset() % 8 != 0 ||
            static_cast<size_t>(buffer->offset() + buffer->length()) > body_length) {
          throw std::runtime_error("body buffer is unaligned or out of the body");
        }
      }
    }
    messages.push_back(std::move(parsed));
  }
}

std::string StringOf(const flatbuffers::String *text) { return text == nullptr ? "" : text->str(); }

// ---------------------------------------------------------------------------------------------
// Structure of the written stream

TEST(ArrowIpcWriter, FramesSchemaBatchesAndEndOfStream) {
  TestSchema schema("+s", "", {TestSchema("i", "id").NotNull(), TestSchema("u", "name")});
  TestArray first =
      Nested({true, true, true},
             {FixedWidth<int32_t>({1, 2, 3}), VariableWidth<int32_t>({"a", std::nullopt, "ccc"})});
  TestArray second = Nested({true}, {FixedWidth<int32_t>({4}), VariableWidth<int32_t>({"dddd"})});
  const WrittenStream stream = WriteStream(schema, {&first, &second});

  ASSERT_EQ(stream.bytes.size() % 8, 0u);
  ASSERT_EQ(stream.bytes.substr(stream.bytes.size() - 8),
            std::string("\xFF\xFF\xFF\xFF\0\0\0\0", 8));
  const auto messages = ParseStream(stream.bytes);
  ASSERT_EQ(messages.size(), 3u);

  const fb::Schema *parsed_schema = messages[0].message->header_as_Schema();
  ASSERT_NE(parsed_schema, nullptr);
  EXPECT_EQ(messages[0].message->body_length(), 0);
  EXPECT_EQ(parsed_schema->endianness(), fb::Endianness::Little);
  ASSERT_EQ(parsed_schema->fields()->size(), 2u);
  EXPECT_EQ(StringOf(parsed_schema->fields()->Get(0)->name()), "id");
  EXPECT_FALSE(parsed_schema->fields()->Get(0)->nullable());
  EXPECT_EQ(parsed_schema->fields()->Get(0)->type_as_Int()->bit_width(), 32);
  EXPECT_TRUE(parsed_schema->fields()->Get(0)->type_as_Int()->is_signed());
  EXPECT_EQ(StringOf(parsed_schema->fields()->Get(1)->name()), "name");
  EXPECT_TRUE(parsed_schema->fields()->Get(1)->nullable());
  EXPECT_NE(parsed_schema->fields()->Get(1)->type_as_Utf8(), nullptr);

  const fb::RecordBatch *batch = messages[1].message->header_as_RecordBatch();
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->length(), 3);
  ASSERT_EQ(batch->nodes()->size(), 2u);
  EXPECT_EQ(batch->nodes()->Get(0)->null_count(), 0);
  EXPECT_EQ(batch->nodes()->Get(1)->null_count(), 1);
  // id: validity, values; name: validity, offsets, bytes.
  ASSERT_EQ(batch->buffers()->size(), 5u);
  EXPECT_EQ(batch->buffers()->Get(0)->length(), 0)
      << "a column without nulls gets an empty validity buffer";
  EXPECT_EQ(batch->buffers()->Get(1)->length(), 12);
  EXPECT_EQ(batch->buffers()->Get(3)->length(), 16);
  EXPECT_EQ(batch->buffers()->Get(4)->length(), 4);
  const auto *values = batch->buffers()->Get(1);
  EXPECT_EQ(messages[1].body.substr(values->offset(), 12),
            std::string("\1\0\0\0\2\0\0\0\3\0\0\0", 12));

  EXPECT_EQ(messages[2].message->header_as_RecordBatch()->length(), 1);
}

TEST(ArrowIpcWriter, EmptySchemaAndEmptyBatch) {
  TestSchema schema("+s", "", {TestSchema("l", "x")});
  TestArray empty = Nested({}, {FixedWidth<int64_t>({})});
  const auto messages = ParseStream(WriteStream(schema, {&empty}).bytes);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].message->header_as_RecordBatch()->length(), 0);
  EXPECT_EQ(messages[1].message->body_length(), 0);

  TestSchema no_columns("+s", "");
  EXPECT_EQ(ParseStream(WriteStream(no_columns, {}).bytes).size(), 1u);
}

TEST(ArrowIpcWriter, CarriesMetadataFlagsAndTypeParameters) {
  TestSchema map_schema(
      "+m", "tags",
      {TestSchema("+s", "entries", {TestSchema("u", "key").NotNull(), TestSchema("i", "value")})
           .NotNull()});
  map_schema.AddFlags(ARROW_FLAG_MAP_KEYS_SORTED);
  TestSchema schema("+s", "",
                    {TestSchema("tsu:Europe/Amsterdam", "at")
                         .Metadata({{"ARROW:extension:name", "ducklake.example"}, {"k", ""}}),
                     TestSchema("tsn:", "naive"), TestSchema("d:38,4", "amount"),
                     TestSchema("+w:3", "triple", {TestSchema("g", "item")}), map_schema});
  schema.Metadata({{"origin", "ducklake"}});
  const auto messages = ParseStream(WriteStream(schema, {}).bytes);
  const fb::Schema *parsed = messages.at(0).message->header_as_Schema();
  ASSERT_EQ(parsed->custom_metadata()->size(), 1u);
  EXPECT_EQ(StringOf(parsed->custom_metadata()->Get(0)->key()), "origin");
  EXPECT_EQ(StringOf(parsed->custom_metadata()->Get(0)->value()), "ducklake");

  const auto *fields = parsed->fields();
  const auto *at = fields->Get(0);
  EXPECT_EQ(at->type_as_Timestamp()->unit(), fb::TimeUnit::MICROSECOND);
  EXPECT_EQ(StringOf(at->type_as_Timestamp()->timezone()), "Europe/Amsterdam");
  ASSERT_EQ(at->custom_metadata()->size(), 2u);
  EXPECT_EQ(StringOf(at->custom_metadata()->Get(0)->key()), "ARROW:extension:name");
  EXPECT_EQ(StringOf(at->custom_metadata()->Get(0)->value()), "ducklake.example");
  EXPECT_EQ(StringOf(at->custom_metadata()->Get(1)->value()), "");
  EXPECT_EQ(fields->Get(1)->type_as_Timestamp()->timezone(), nullptr);
  EXPECT_EQ(fields->Get(2)->type_as_Decimal()->precision(), 38);
  EXPECT_EQ(fields->Get(2)->type_as_Decimal()->scale(), 4);
  EXPECT_EQ(fields->Get(2)->type_as_Decimal()->bit_width(), 128);
  EXPECT_EQ(fields->Get(3)->type_as_FixedSizeList()->list_size(), 3);
  EXPECT_EQ(fields->Get(3)->children()->size(), 1u);
  const auto *tags = fields->Get(4);
  EXPECT_TRUE(tags->type_as_Map()->keys_sorted());
  const auto *entries = tags->children()->Get(0);
  EXPECT_FALSE(entries->nullable());
  EXPECT_EQ(StringOf(entries->children()->Get(0)->name()), "key");
  EXPECT_FALSE(entries->children()->Get(0)->nullable());
}

TEST(ArrowIpcWriter, RebasesSlicedArrays) {
  TestSchema schema("+s", "", {TestSchema("b", "flag"), TestSchema("u", "text")});
  TestArray flags =
      Booleans({true, false, std::nullopt, true, std::nullopt, false, true, true, false, true});
  TestArray texts = VariableWidth<int32_t>({"skip", "me", "x", std::nullopt, "yz", "a", "b"});
  TestArray batch = Nested(std::vector<bool>(5, true), {flags.Slice(5), texts.Slice(2)});
  const auto messages = ParseStream(WriteStream(schema, {&batch}).bytes);
  const auto &body = messages.at(1).body;
  const fb::RecordBatch *parsed = messages.at(1).message->header_as_RecordBatch();

  // flag slots 5..9 (false, true, true, false, true) are all valid although the bitmap has
  // nulls elsewhere, and start mid-byte, so the value bits are shifted into a fresh byte.
  EXPECT_EQ(parsed->nodes()->Get(0)->null_count(), 0);
  EXPECT_EQ(parsed->buffers()->Get(0)->length(), 0);
  const auto *flag_bits = parsed->buffers()->Get(1);
  ASSERT_EQ(flag_bits->length(), 1);
  EXPECT_EQ(static_cast<uint8_t>(body[flag_bits->offset()]), 0b10110);

  // text slots 2..6: offsets rebased from 6 to 0, bytes trimmed to "xyzab".
  EXPECT_EQ(parsed->nodes()->Get(1)->null_count(), 1);
  const auto *validity = parsed->buffers()->Get(2);
  ASSERT_EQ(validity->length(), 1);
  EXPECT_EQ(static_cast<uint8_t>(body[validity->offset()]), 0b11101);
  const auto *offsets = parsed->buffers()->Get(3);
  const std::vector<int32_t> expected_offsets{0, 1, 1, 3, 4, 5};
  EXPECT_EQ(body.substr(offsets->offset(), offsets->length()),
            std::string(reinterpret_cast<const char *>(expected_offsets.data()), 24));
  const auto *bytes = parsed->buffers()->Get(4);
  EXPECT_EQ(body.substr(bytes->offset(), bytes->length()), "xyzab");
}

TEST(ArrowIpcWriter, CountsNullsOfTheEncodedSlotsOnly) {
  // The columns' null counts (2 and 1) describe all five slots; the batch covers slots 2..4.
  TestSchema schema("+s", "", {TestSchema("i", "leading_nulls"), TestSchema("i", "one_null")});
  TestArray batch = Nested(std::vector<bool>(5, true),
                           {FixedWidth<int32_t>({std::nullopt, std::nullopt, 1, 2, 3}),
                            FixedWidth<int32_t>({1, 2, 3, std::nullopt, 5})});
  batch.Slice(2);
  const auto messages = ParseStream(WriteStream(schema, {&batch}).bytes);
  const fb::RecordBatch *parsed = messages.at(1).message->header_as_RecordBatch();
  EXPECT_EQ(parsed->length(), 3);
  EXPECT_EQ(parsed->nodes()->Get(0)->null_count(), 0);
  EXPECT_EQ(parsed->buffers()->Get(0)->length(), 0);
  EXPECT_EQ(parsed->nodes()->Get(1)->null_count(), 1);
  EXPECT_EQ(parsed->buffers()->Get(2)->length(), 1);
}

TEST(ArrowIpcWriter, DeliversEachMessageBeforeReturning) {
  std::string received;
  ArrowIpcWriter writer([&](const char *data, size_t size) {
    received.append(data, size);
    return true;
  });
  TestSchema schema("+s", "", {TestSchema("l", "x")});
  writer.WriteSchema(schema.Get());
  const size_t after_schema = received.size();
  EXPECT_GT(after_schema, 0u);
  EXPECT_EQ(after_schema % 8, 0u);
  TestArray batch = Nested({true, true}, {FixedWidth<int64_t>({1, 2})});
  writer.WriteBatch(batch.Get());
  EXPECT_GT(received.size(), after_schema);
  EXPECT_EQ(received.size() % 8, 0u);
  writer.Finish();
  EXPECT_EQ(ParseStream(received).size(), 2u);
}

TEST(ArrowIpcWriter, PassesLargeBuffersToTheSinkWithoutCopying) {
  const std::vector<std::optional<int64_t>> values(100000, int64_t{7});
  TestArray batch = Nested(std::vector<bool>(values.size(), true), {FixedWidth<int64_t>(values)});
  TestSchema schema("+s", "", {TestSchema("l", "x")});
  const ArrowArray &c_batch = batch.Get();
  const void *column_values = c_batch.children[0]->buffers[1];
  bool saw_original_memory = false;
  ArrowIpcWriter writer([&](const char *data, size_t) {
    saw_original_memory |= data == column_values;
    return true;
  });
  writer.WriteSchema(schema.Get());
  writer.WriteBatch(c_batch);
  EXPECT_TRUE(saw_original_memory);
}

// ---------------------------------------------------------------------------------------------
// Errors

std::string ErrorOf(const std::function<void()> &action) {
  try {
    action();
  } catch (const ArrowIpcError &error) {
    return error.what();
  }
  return "<no ArrowIpcError>";
}

TEST(ArrowIpcWriter, RejectsUnsupportedFormatsNamingThem) {
  for (const std::string format :
       {"+ud:0,1", "+us:0", "+r", "+vl", "+vL", "tss", "w:x", "d:10", "d:10,2,16", "x"}) {
    ArrowIpcWriter writer([](const char *, size_t) { return true; });
    TestSchema schema("+s", "",
                      {TestSchema(format, "col", {TestSchema("i", "a"), TestSchema("i", "b")})});
    const std::string error = ErrorOf([&] { writer.WriteSchema(schema.Get()); });
    EXPECT_NE(error.find("'" + format + "'"), std::string::npos) << error;
    EXPECT_NE(error.find("'col'"), std::string::npos) << error;
  }
}

TEST(ArrowIpcWriter, RejectsDictionariesAndMalformedInput) {
  const auto schema_error = [](TestSchema schema) {
    ArrowIpcWriter writer([](const char *, size_t) { return true; });
    return ErrorOf([&] { writer.WriteSchema(schema.Get()); });
  };
  EXPECT_NE(
      schema_error(TestSchema("+s", "", {TestSchema("i", "code").Dictionary(TestSchema("u", ""))}))
          .find("dictionary"),
      std::string::npos);
  EXPECT_NE(schema_error(TestSchema("i", "")).find("struct"), std::string::npos);
  EXPECT_NE(schema_error(TestSchema("+s", "", {TestSchema("+l", "list")})).find("child"),
            std::string::npos);

  ArrowIpcWriter writer([](const char *, size_t) { return true; });
  TestSchema schema("+s", "", {TestSchema("i", "x")});
  writer.WriteSchema(schema.Get());
  TestArray too_short = Nested({true, true}, {FixedWidth<int32_t>({1})});
  EXPECT_NE(ErrorOf([&] { writer.WriteBatch(too_short.Get()); }).find("slots"), std::string::npos);
  TestArray wrong_columns = Nested({true}, {FixedWidth<int32_t>({1}), FixedWidth<int32_t>({2})});
  EXPECT_NE(ErrorOf([&] { writer.WriteBatch(wrong_columns.Get()); }).find("columns"),
            std::string::npos);
  TestArray missing_buffer = Nested({true}, {FixedWidth<int32_t>({1})});
  missing_buffer.children[0].buffers[1].reset();
  EXPECT_NE(ErrorOf([&] { writer.WriteBatch(missing_buffer.Get()); }).find("missing"),
            std::string::npos);

  // Rejected batches write nothing, so the stream stays usable.
  TestArray good = Nested({true}, {FixedWidth<int32_t>({1})});
  writer.WriteBatch(good.Get());
  writer.Finish();
}

TEST(ArrowIpcWriter, RejectsViewsOutsideTheirDataBuffers) {
  TestSchema schema("+s", "", {TestSchema("vu", "text")});
  TestArray column = Views({"short", "longer than twelve bytes", std::nullopt});
  // Points the view of `slot` at 100 bytes of data buffer 7, while only buffers 0 and 1 exist.
  const auto point_outside = [&](int slot) {
    const int32_t size = 100;
    const int32_t buffer_index = 7;
    std::memcpy(column.buffers[1]->data() + slot * 16, &size, 4);
    std::memcpy(column.buffers[1]->data() + slot * 16 + 8, &buffer_index, 4);
  };
  point_outside(2);  // a null slot's view is never read, so garbage there is accepted
  TestArray valid_batch = Nested({true, true, true}, {column});
  EXPECT_EQ(ParseStream(WriteStream(schema, {&valid_batch}).bytes).size(), 2u);

  point_outside(1);
  TestArray invalid_batch = Nested({true, true, true}, {column});
  ArrowIpcWriter writer([](const char *, size_t) { return true; });
  writer.WriteSchema(schema.Get());
  const std::string error = ErrorOf([&] { writer.WriteBatch(invalid_batch.Get()); });
  EXPECT_NE(error.find("outside its data buffers"), std::string::npos) << error;
  EXPECT_NE(error.find("'text'"), std::string::npos) << error;
}

TEST(ArrowIpcWriter, EnforcesCallOrder) {
  ArrowIpcWriter writer([](const char *, size_t) { return true; });
  TestArray batch = Nested({}, {});
  EXPECT_NE(ErrorOf([&] { writer.WriteBatch(batch.Get()); }).find("before WriteSchema"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { writer.Finish(); }).find("before WriteSchema"), std::string::npos);
  TestSchema schema("+s", "");
  writer.WriteSchema(schema.Get());
  EXPECT_NE(ErrorOf([&] { writer.WriteSchema(schema.Get()); }).find("after WriteSchema"),
            std::string::npos);
  writer.Finish();
  EXPECT_NE(ErrorOf([&] { writer.WriteBatch(batch.Get()); }).find("after Finish"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { writer.Finish(); }).find("after Finish"), std::string::npos);
}

TEST(ArrowIpcWriter, StopsWhenTheSinkIsClosed) {
  int calls = 0;
  bool consumer_present = true;
  ArrowIpcWriter writer([&](const char *, size_t) {
    ++calls;
    return consumer_present;
  });
  TestSchema schema("+s", "", {TestSchema("i", "x")});
  writer.WriteSchema(schema.Get());
  consumer_present = false;
  TestArray batch = Nested({true}, {FixedWidth<int32_t>({1})});
  const int calls_before = calls;
  EXPECT_THROW(writer.WriteBatch(batch.Get()), ArrowIpcSinkClosed);
  EXPECT_EQ(calls, calls_before + 1);
  EXPECT_THROW(writer.WriteBatch(batch.Get()), ArrowIpcSinkClosed);
  EXPECT_THROW(writer.Finish(), ArrowIpcSinkClosed);
  EXPECT_EQ(calls, calls_before + 1) << "nothing is written after the consumer has gone";
}

// ---------------------------------------------------------------------------------------------
// Every supported type, decoded by the independent apache-arrow reader (tests/arrow_reader)

std::filesystem::path ReaderDir() {
  return std::filesystem::path(DUCKLAKE_SOURCE_DIR) / "tests" / "arrow_reader";
}

// One column of the all-types stream: how to build it and what the reader must report.
struct ColumnCase {
  TestSchema schema;
  TestArray array;
  std::string expected_type;
  std::vector<std::string> expected_values;  // JSON, one per slot of `array`
};

// The little-endian 32-bit words of `value` sign-extended to `word_count` words.
std::vector<int32_t> Words(__int128 value, int word_count) {
  std::vector<int32_t> words;
  for (int i = 0; i < word_count; ++i) {
    words.push_back(i < 4 ? static_cast<int32_t>(static_cast<unsigned __int128>(value) >> (32 * i))
                          : (value < 0 ? -1 : 0));
  }
  return words;
}

// Decimals of any width, built from __int128 values sign-extended to the width.
TestArray Decimals(int bit_width, const Nullable<__int128> &values) {
  std::vector<int32_t> words;
  std::vector<bool> valid;
  for (const auto &value : values) {
    const auto value_words = Words(value.value_or(0), bit_width / 32);
    words.insert(words.end(), value_words.begin(), value_words.end());
    valid.push_back(value.has_value());
  }
  return {
      static_cast<int64_t>(values.size()), NullCountOf(valid), {ValidityOf(valid), BytesOf(words)}};
}

struct DayTime {
  int32_t days;
  int32_t milliseconds;
};

struct MonthDayNano {
  int32_t months;
  int32_t days;
  int64_t nanoseconds;
};

// Five slots per column (nulls included) so slicing by one or two still leaves nulls and values.
std::vector<ColumnCase> AllTypeColumns() {
  const std::optional<int32_t> null32;
  std::vector<ColumnCase> cases;
  const auto add = [&](TestSchema schema, TestArray array, std::string type,
                       std::vector<std::string> values) {
    cases.push_back({std::move(schema), std::move(array), std::move(type), std::move(values)});
  };
  add(TestSchema("n", "null"), Nulls(5), "Null", {"null", "null", "null", "null", "null"});
  add(TestSchema("b", "bool"), Booleans({true, std::nullopt, false, true, false}), "Bool",
      {"true", "null", "false", "true", "false"});
  add(TestSchema("c", "int8"), FixedWidth<int8_t>({-128, std::nullopt, 0, 127, -1}), "Int8",
      {"-128", "null", "0", "127", "-1"});
  add(TestSchema("s", "int16"), FixedWidth<int16_t>({-32768, 1, std::nullopt, 32767, 2}), "Int16",
      {"-32768", "1", "null", "32767", "2"});
  add(TestSchema("i", "int32"), FixedWidth<int32_t>({INT32_MIN, 5, 6, std::nullopt, INT32_MAX}),
      "Int32", {"-2147483648", "5", "6", "null", "2147483647"});
  add(TestSchema("l", "int64"),
      FixedWidth<int64_t>({INT64_MIN, std::nullopt, 9007199254740993, 0, INT64_MAX}), "Int64",
      {"\"-9223372036854775808\"", "null", "\"9007199254740993\"", "\"0\"",
       "\"9223372036854775807\""});
  add(TestSchema("C", "uint8"), FixedWidth<uint8_t>({0, 255, std::nullopt, 1, 2}), "Uint8",
      {"0", "255", "null", "1", "2"});
  add(TestSchema("S", "uint16"), FixedWidth<uint16_t>({65535, std::nullopt, 0, 3, 4}), "Uint16",
      {"65535", "null", "0", "3", "4"});
  add(TestSchema("I", "uint32"), FixedWidth<uint32_t>({UINT32_MAX, 0, 7, 8, std::nullopt}),
      "Uint32", {"4294967295", "0", "7", "8", "null"});
  add(TestSchema("L", "uint64"), FixedWidth<uint64_t>({UINT64_MAX, std::nullopt, 1, 2, 3}),
      "Uint64", {"\"18446744073709551615\"", "null", "\"1\"", "\"2\"", "\"3\""});
  add(TestSchema("e", "half"), FixedWidth<uint16_t>({0x3C00, std::nullopt, 0xC100, 0x7BFF, 0x7C00}),
      "Float16", {"1", "null", "-2.5", "65504", "\"Infinity\""});
  add(TestSchema("f", "float"), FixedWidth<float>({1.5f, -0.25f, std::nullopt, NAN, 3.0f}),
      "Float32", {"1.5", "-0.25", "null", "\"NaN\"", "3"});
  add(TestSchema("g", "double"), FixedWidth<double>({0.1, std::nullopt, -1e300, -INFINITY, 2.0}),
      "Float64", {"0.1", "null", "-1e+300", "\"-Infinity\"", "2"});
  add(TestSchema("u", "utf8"),
      VariableWidth<int32_t>({"h\xC3\xA9llo", std::nullopt, "", "quote\"d", "z"}), "Utf8",
      {"\"h\xC3\xA9llo\"", "null", "\"\"", "\"quote\\\"d\"", "\"z\""});
  add(TestSchema("U", "large_utf8"), VariableWidth<int64_t>({"a", "bb", std::nullopt, "ccc", ""}),
      "LargeUtf8", {"\"a\"", "\"bb\"", "null", "\"ccc\"", "\"\""});
  add(TestSchema("z", "binary"),
      VariableWidth<int32_t>({std::string("\0\xFF", 2), std::nullopt, "AB", "", "\x01"}), "Binary",
      {"\"00ff\"", "null", "\"4142\"", "\"\"", "\"01\""});
  add(TestSchema("Z", "large_binary"),
      VariableWidth<int64_t>({"\x10", "\x20\x30", std::nullopt, "", "\x7F"}), "LargeBinary",
      {"\"10\"", "\"2030\"", "null", "\"\"", "\"7f\""});
  add(TestSchema("w:3", "fixed_binary"),
      FixedSizeBinary(3, {"abc", std::nullopt, std::string("\0\0\1", 3), "xyz", "123"}),
      "FixedSizeBinary[3]", {"\"616263\"", "null", "\"000001\"", "\"78797a\"", "\"313233\""});
  add(TestSchema("d:10,2", "decimal128"),
      Decimals(128, {12345, -5, std::nullopt, 0, (__int128)100000000000000000 * 1000 + 1}),
      "Decimal[10e+2]",
      {"\"123.45\"", "\"-0.05\"", "null", "\"0.00\"", "\"1000000000000000000.01\""});
  add(TestSchema("d:40,3,256", "decimal256"),
      Decimals(256, {-1, std::nullopt, 1234567, -((__int128)1 << 100), 0}), "Decimal[40e+3]",
      {"\"-0.001\"", "null", "\"1234.567\"", "\"-1267650600228229401496703205.376\"", "\"0.000\""});
  add(TestSchema("d:9,2,32", "decimal32"), Decimals(32, {-12345, std::nullopt, 1, 999999999, 0}),
      "Decimal[9e+2]", {"\"-123.45\"", "null", "\"0.01\"", "\"9999999.99\"", "\"0.00\""});
  add(TestSchema("d:18,0,64", "decimal64"),
      Decimals(64, {(__int128)INT64_MAX, std::nullopt, -7, 42, 0}), "Decimal[18e0]",
      {"\"9223372036854775807\"", "null", "\"-7\"", "\"42\"", "\"0\""});
  add(TestSchema("tdD", "date32"), FixedWidth<int32_t>({0, 19737, std::nullopt, -1, 2932896}),
      "Date32<DAY>",
      {"\"1970-01-01\"", "\"2024-01-15\"", "null", "\"1969-12-31\"", "\"9999-12-31\""});
  add(TestSchema("tdm", "date64"),
      FixedWidth<int64_t>({0, std::nullopt, 1705276800000, 86400000, -86400000}),
      "Date64<MILLISECOND>",
      {"\"1970-01-01T00:00:00.000Z\"", "null", "\"2024-01-15T00:00:00.000Z\"",
       "\"1970-01-02T00:00:00.000Z\"", "\"1969-12-31T00:00:00.000Z\""});
  add(TestSchema("tts", "time_s"), FixedWidth<int32_t>({0, 86399, null32, 3600, 1}),
      "Time32<SECOND>", {"\"0\"", "\"86399\"", "null", "\"3600\"", "\"1\""});
  add(TestSchema("ttm", "time_ms"), FixedWidth<int32_t>({null32, 86399999, 0, 1, 2}),
      "Time32<MILLISECOND>", {"null", "\"86399999\"", "\"0\"", "\"1\"", "\"2\""});
  add(TestSchema("ttu", "time_us"), FixedWidth<int64_t>({86399999999, std::nullopt, 0, 1, 2}),
      "Time64<MICROSECOND>", {"\"86399999999\"", "null", "\"0\"", "\"1\"", "\"2\""});
  add(TestSchema("ttn", "time_ns"), FixedWidth<int64_t>({86399999999999, 1, std::nullopt, 0, 2}),
      "Time64<NANOSECOND>", {"\"86399999999999\"", "\"1\"", "null", "\"0\"", "\"2\""});
  add(TestSchema("tss:", "ts_s"), FixedWidth<int64_t>({1700000000, std::nullopt, -1, 0, 1}),
      "Timestamp<SECOND>", {"\"1700000000\"", "null", "\"-1\"", "\"0\"", "\"1\""});
  add(TestSchema("tsm:UTC", "ts_ms_utc"),
      FixedWidth<int64_t>({1700000000123, 0, std::nullopt, 1, 2}), "Timestamp<MILLISECOND, UTC>",
      {"\"1700000000123\"", "\"0\"", "null", "\"1\"", "\"2\""});
  add(TestSchema("tsu:", "ts_us"), FixedWidth<int64_t>({1700000000123456, std::nullopt, 0, -1, 1}),
      "Timestamp<MICROSECOND>", {"\"1700000000123456\"", "null", "\"0\"", "\"-1\"", "\"1\""});
  add(TestSchema("tsn:Europe/Amsterdam", "ts_ns_tz"),
      FixedWidth<int64_t>({1700000000123456789, 1, 2, std::nullopt, 0}),
      "Timestamp<NANOSECOND, Europe/Amsterdam>",
      {"\"1700000000123456789\"", "\"1\"", "\"2\"", "null", "\"0\""});
  add(TestSchema("tDs", "dur_s"), FixedWidth<int64_t>({-5, std::nullopt, 0, 1, 2}),
      "Duration<SECOND>", {"\"-5\"", "null", "\"0\"", "\"1\"", "\"2\""});
  add(TestSchema("tDm", "dur_ms"), FixedWidth<int64_t>({1000, 0, std::nullopt, 1, 2}),
      "Duration<MILLISECOND>", {"\"1000\"", "\"0\"", "null", "\"1\"", "\"2\""});
  add(TestSchema("tDu", "dur_us"), FixedWidth<int64_t>({INT64_MAX, 1, 2, 3, std::nullopt}),
      "Duration<MICROSECOND>", {"\"9223372036854775807\"", "\"1\"", "\"2\"", "\"3\"", "null"});
  add(TestSchema("tDn", "dur_ns"), FixedWidth<int64_t>({std::nullopt, 123456789012, 0, 1, 2}),
      "Duration<NANOSECOND>", {"null", "\"123456789012\"", "\"0\"", "\"1\"", "\"2\""});
  add(TestSchema("tiM", "interval_ym"), FixedWidth<int32_t>({14, std::nullopt, -1, 0, 1}),
      "Interval<YEAR_MONTH>", {"14", "null", "-1", "0", "1"});
  add(TestSchema("tiD", "interval_dt"),
      FixedWidth<DayTime>(
          {DayTime{3, 4000}, std::nullopt, DayTime{-1, 0}, DayTime{0, 1}, DayTime{2, 2}}),
      "Interval<DAY_TIME>",
      {"{\"days\":3,\"milliseconds\":4000}", "null", "{\"days\":-1,\"milliseconds\":0}",
       "{\"days\":0,\"milliseconds\":1}", "{\"days\":2,\"milliseconds\":2}"});
  add(TestSchema("tin", "interval_mdn"),
      FixedWidth<MonthDayNano>({MonthDayNano{1, 2, 3000000000000}, MonthDayNano{-1, -2, -3},
                                std::nullopt, MonthDayNano{0, 0, 0},
                                MonthDayNano{12, 31, INT64_MAX}}),
      "Interval<MONTH_DAY_NANO>",
      {"{\"months\":1,\"days\":2,\"nanoseconds\":\"3000000000000\"}",
       "{\"months\":-1,\"days\":-2,\"nanoseconds\":\"-3\"}", "null",
       "{\"months\":0,\"days\":0,\"nanoseconds\":\"0\"}",
       "{\"months\":12,\"days\":31,\"nanoseconds\":\"9223372036854775807\"}"});
  add(TestSchema("vu", "utf8_view"),
      Views(
          {"short", "a string longer than twelve", std::nullopt, "", "another long string value"}),
      "Utf8View",
      {"\"short\"", "\"a string longer than twelve\"", "null", "\"\"",
       "\"another long string value\""});
  add(TestSchema("vz", "binary_view"),
      Views({"0123456789abcdef", "\x01", std::nullopt, "twelve bytes", "thirteen byte"}),
      "BinaryView",
      {"\"30313233343536373839616263646566\"", "\"01\"", "null", "\"7477656c7665206279746573\"",
       "\"746869727465656e2062797465\""});
  add(TestSchema("+l", "list", {TestSchema("i", "item")}),
      Lists<int32_t>({2, std::nullopt, 0, 3, 1},
                     FixedWidth<int32_t>({1, 2, 3, std::nullopt, 5, 6})),
      "List<Int32>", {"[1,2]", "null", "[]", "[3,null,5]", "[6]"});
  add(TestSchema("+L", "large_list", {TestSchema("u", "item")}),
      Lists<int64_t>({1, 0, std::nullopt, 2, 1},
                     VariableWidth<int32_t>({"a", std::nullopt, "c", "d"})),
      "LargeList<Utf8>", {"[\"a\"]", "[]", "null", "[null,\"c\"]", "[\"d\"]"});
  add(TestSchema("+w:2", "fixed_list", {TestSchema("s", "item")}),
      Nested({true, true, false, true, true},
             {FixedWidth<int16_t>({1, 2, 3, std::nullopt, 5, 6, 7, 8, 9, 10})}),
      "FixedSizeList[2]<Int16>", {"[1,2]", "[3,null]", "null", "[7,8]", "[9,10]"});
  add(TestSchema("+s", "struct", {TestSchema("i", "a"), TestSchema("u", "b")}),
      Nested({true, false, true, true, true},
             {FixedWidth<int32_t>({1, 2, std::nullopt, 4, 5}),
              VariableWidth<int32_t>({"x", "y", "z", std::nullopt, "w"})}),
      "Struct<{a:Int32, b:Utf8}>",
      {"{\"a\":1,\"b\":\"x\"}", "null", "{\"a\":null,\"b\":\"z\"}", "{\"a\":4,\"b\":null}",
       "{\"a\":5,\"b\":\"w\"}"});
  {
    TestSchema entries("+s", "entries",
                       {TestSchema("u", "key").NotNull(), TestSchema("l", "value")});
    entries.NotNull();
    TestSchema map("+m", "map", {entries});
    map.AddFlags(ARROW_FLAG_MAP_KEYS_SORTED);
    TestArray entry_array =
        Nested(std::vector<bool>(5, true), {VariableWidth<int32_t>({"a", "b", "c", "d", "e"}),
                                            FixedWidth<int64_t>({1, std::nullopt, 3, 4, 5})});
    add(map, Lists<int32_t>({2, std::nullopt, 0, 1, 2}, std::move(entry_array)),
        "Map<{key:Utf8, value:Int64}>",
        {"[[\"a\",\"1\"],[\"b\",null]]", "null", "[]", "[[\"c\",\"3\"]]",
         "[[\"d\",\"4\"],[\"e\",\"5\"]]"});
  }
  {
    // A list of structs whose child array has its own offset, on top of any slicing of the list.
    TestArray points = Nested({true, true, false, true, true, true},
                              {FixedWidth<int64_t>({-1, 10, 20, 30, 40, 50}),
                               Booleans({false, true, false, std::nullopt, true, false})});
    points.Slice(1);
    add(TestSchema("+l", "list_of_struct",
                   {TestSchema("+s", "item", {TestSchema("l", "x"), TestSchema("b", "ok")})}),
        Lists<int32_t>({1, 2, std::nullopt, 0, 2}, std::move(points)),
        "List<Struct<{x:Int64, ok:Bool}>>",
        {"[{\"x\":\"10\",\"ok\":true}]", "[null,{\"x\":\"30\",\"ok\":null}]", "null", "[]",
         "[{\"x\":\"40\",\"ok\":true},{\"x\":\"50\",\"ok\":false}]"});
  }
  return cases;
}

std::string JsonArray(std::vector<std::string>::const_iterator begin,
                      std::vector<std::string>::const_iterator end) {
  std::string json = "[";
  for (auto it = begin; it != end; ++it) {
    json += (it == begin ? "" : ",") + *it;
  }
  return json + "]";
}

class IndependentReader : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(ReaderDir() / "node_modules" / "apache-arrow"))
        << "the apache-arrow reader is not installed: run `npm ci` in " << ReaderDir().string();
    directory_ = std::filesystem::temp_directory_path() /
                 ("arrow_ipc_writer_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(directory_);
  }

  void TearDown() override { std::filesystem::remove_all(directory_); }

  // Writes `stream` to a file, decodes it with read.mjs and returns the reader's JSON.
  std::string Decode(const std::string &stream, const std::string &file_name) {
    const auto path = directory_ / file_name;
    std::ofstream(path, std::ios::binary) << stream;
    const std::string command =
        "node '" + (ReaderDir() / "read.mjs").string() + "' '" + path.string() + "' 2>&1";
    FILE *pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
      ADD_FAILURE() << "cannot run " << command;
      return "";
    }
    std::string output;
    char chunk[4096];
    for (size_t read; (read = fread(chunk, 1, sizeof(chunk), pipe)) > 0;) {
      output.append(chunk, read);
    }
    EXPECT_EQ(pclose(pipe), 0) << command << " failed:\n" << output;
    return output;
  }

  // Writes every supported type as one column each, with `column_slice` slots hidden behind
  // each column's own offset and `batch_slice` behind the batch offset, and checks the values.
  void CheckAllTypes(int64_t column_slice, int64_t batch_slice, const std::string &file_name) {
    std::vector<ColumnCase> cases = AllTypeColumns();
    std::vector<TestSchema> fields;
    std::vector<TestArray> columns;
    for (auto &column : cases) {
      fields.push_back(column.schema);
      columns.push_back(column.array);
      if (column_slice > 0) {
        columns.back().Slice(column_slice);
      }
    }
    TestSchema schema("+s", "", fields);
    TestArray batch = Nested(std::vector<bool>(5 - column_slice, true), columns);
    if (batch_slice > 0) {
      batch.Slice(batch_slice);
    }
    const std::string stream = WriteStream(schema, {&batch}).bytes;
    ParseStream(stream);
    const std::string output = Decode(stream, file_name);
    EXPECT_NE(output.find("\"endsWithEndOfStreamMarker\":true"), std::string::npos) << output;

    const auto skipped = static_cast<size_t>(column_slice + batch_slice);
    for (auto &column : cases) {
      const std::string expected =
          "{\"name\":\"" + std::string(column.schema.Get().name) + "\",\"type\":\"" +
          column.expected_type + "\",\"values\":" +
          JsonArray(column.expected_values.begin() + skipped, column.expected_values.end()) + "}";
      EXPECT_NE(output.find(expected), std::string::npos)
          << "expected column " << expected << "\nreader output:\n"
          << output;
    }
  }

  std::filesystem::path directory_;
};

TEST_F(IndependentReader, DecodesEveryType) { CheckAllTypes(0, 0, "all_types.arrows"); }

TEST_F(IndependentReader, DecodesEveryTypeWithSlicedColumns) {
  CheckAllTypes(1, 0, "sliced_columns.arrows");
}

TEST_F(IndependentReader, DecodesEveryTypeWithSlicedBatch) {
  CheckAllTypes(0, 2, "sliced_batch.arrows");
}

TEST_F(IndependentReader, DecodesEveryTypeWithBothSliced) {
  CheckAllTypes(1, 2, "sliced_both.arrows");
}

TEST_F(IndependentReader, ReportsSchemaAndBatches) {
  TestSchema schema("+s", "",
                    {TestSchema("i", "id").NotNull().Metadata({{"comment", "primary"}}),
                     TestSchema("u", "name")});
  schema.Metadata({{"origin", "ducklake"}});
  TestArray first = Nested(
      {true, true}, {FixedWidth<int32_t>({1, 2}), VariableWidth<int32_t>({"a", std::nullopt})});
  TestArray second = Nested({true}, {FixedWidth<int32_t>({3}), VariableWidth<int32_t>({"c"})});
  const std::string output =
      Decode(WriteStream(schema, {&first, &second}).bytes, "two_batches.arrows");
  EXPECT_EQ(
      output,
      "{\"schema\":{\"metadata\":{\"origin\":\"ducklake\"},\"fields\":["
      "{\"name\":\"id\",\"type\":\"Int32\",\"nullable\":false,\"metadata\":{\"comment\":"
      "\"primary\"},\"children\":[]},"
      "{\"name\":\"name\",\"type\":\"Utf8\",\"nullable\":true,\"metadata\":{},\"children\":[]}]},"
      "\"batchRowCounts\":[2,1],\"endsWithEndOfStreamMarker\":true,"
      "\"columns\":[{\"name\":\"id\",\"type\":\"Int32\",\"values\":[1,2,3]},"
      "{\"name\":\"name\",\"type\":\"Utf8\",\"values\":[\"a\",null,\"c\"]}],"
      "\"rows\":[[1,\"a\"],[2,null],[3,\"c\"]]}\n");
}

}  // namespace
}  // namespace ducklake
