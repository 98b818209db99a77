// Decodes an Arrow IPC stream with the independent apache-arrow reader and prints it as one line
// of JSON, so tests can check what DuckLake's writer produced against a real implementation.
//
//   node read.mjs [FILE]      (reads standard input when FILE is omitted)
//
// Output: {"schema": {"metadata", "fields": [{name, type, nullable, metadata, children}]},
//          "batchRowCounts": [...], "endsWithEndOfStreamMarker": bool,
//          "columns": [{name, type, values}], "rows": [[...], ...]}
// The end-of-stream marker is optional in the format, and readers accept a stream cut short
// after any complete message, so its presence is reported to let tests detect truncation.
// Values are rendered from the stored representation, so nothing is lost to JavaScript numbers:
//   64-bit integers, times, timestamps and durations: the stored integer as a decimal string
//     (in the unit the type names); narrower integers and floats: numbers (NaN and infinities
//     as strings); booleans and strings: themselves; binary: lowercase hex;
//   dates: "YYYY-MM-DD" (date32) or an ISO instant (date64); decimals: exact decimal strings;
//   intervals: months (year-month), {days, milliseconds} (day-time) or
//     {months, days, nanoseconds} (month-day-nano, nanoseconds as a string);
//   lists: arrays; structs: objects; maps: arrays of [key, value]; nulls: null.
import { readFileSync } from 'node:fs';
import { DateUnit, IntervalUnit, Precision, RecordBatchReader, Type, Vector } from 'apache-arrow';

const hex = (bytes) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

const number = (value) => (Number.isFinite(value) ? value : String(value));

// Two's complement integer from little-endian 32-bit words.
function wordsToBigInt(words) {
  let value = 0n;
  for (let i = words.length - 1; i >= 0; i--) {
    value = (value << 32n) | BigInt(words[i]);
  }
  const bits = BigInt(words.length * 32);
  return words[words.length - 1] & 0x80000000 ? value - (1n << bits) : value;
}

function decimalString(unscaled, scale) {
  if (scale <= 0) {
    return (unscaled * 10n ** BigInt(-scale)).toString();
  }
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const sign = unscaled < 0n ? '-' : '';
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function renderInterval(data, index) {
  const { values } = data;
  switch (data.type.unit) {
    case IntervalUnit.YEAR_MONTH:
      return values[index];
    case IntervalUnit.DAY_TIME:
      return { days: values[2 * index], milliseconds: values[2 * index + 1] };
    default: {
      const nanosecondWords = Uint32Array.from(values.subarray(4 * index + 2, 4 * index + 4));
      const nanoseconds = wordsToBigInt(nanosecondWords);
      return {
        months: values[4 * index],
        days: values[4 * index + 1],
        nanoseconds: nanoseconds.toString(),
      };
    }
  }
}

// Renders slot `index` of one arrow-js Data chunk. Data of fixed-width and struct types is
// already sliced to its own start; list offsets index into an unsliced child.
function renderCell(data, index) {
  const { type } = data;
  if (type.typeId === Type.Null || !data.getValid(index)) {
    return null;
  }
  const get = () => new Vector([data]).get(index);
  switch (type.typeId) {
    case Type.Int:
      return type.bitWidth === 64 ? data.values[index].toString() : data.values[index];
    case Type.Float:
      return number(type.precision === Precision.HALF ? get() : data.values[index]);
    case Type.Bool:
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return get();
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return hex(get());
    case Type.Decimal: {
      const { stride } = data;
      const words = data.values.subarray(stride * index, stride * (index + 1));
      return decimalString(wordsToBigInt(words), type.scale);
    }
    case Type.Date:
      return type.unit === DateUnit.DAY
        ? new Date(data.values[index] * 86400000).toISOString().slice(0, 10)
        : new Date(Number(data.values[index])).toISOString();
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
      return data.values[index].toString();
    case Type.Interval:
      return renderInterval(data, index);
    case Type.List:
    case Type.LargeList:
      return renderRange(
        data.children[0],
        Number(data.valueOffsets[index]),
        Number(data.valueOffsets[index + 1]),
      );
    case Type.FixedSizeList:
      return renderRange(data.children[0], index * type.listSize, (index + 1) * type.listSize);
    case Type.Struct:
      return Object.fromEntries(
        type.children.map((field, i) => [field.name, renderCell(data.children[i], index)]),
      );
    case Type.Map: {
      const [keys, items] = data.children[0].children;
      const entries = [];
      for (let i = data.valueOffsets[index]; i < data.valueOffsets[index + 1]; i++) {
        entries.push([renderCell(keys, i), renderCell(items, i)]);
      }
      return entries;
    }
    default:
      throw new Error(`read.mjs cannot render type ${type}`);
  }
}

function renderRange(data, begin, end) {
  const values = [];
  for (let i = begin; i < end; i++) {
    values.push(renderCell(data, i));
  }
  return values;
}

const metadataObject = (metadata) => Object.fromEntries(metadata ?? new Map());

function describeField(field) {
  return {
    name: field.name,
    type: String(field.type),
    nullable: field.nullable,
    metadata: metadataObject(field.metadata),
    children: (field.type.children ?? []).map(describeField),
  };
}

const input = readFileSync(process.argv[2] ?? 0);
const reader = RecordBatchReader.from(input);
reader.open();
const arrowSchema = reader.schema; // read before iterating: the reader drops it once exhausted
if (!arrowSchema) {
  throw new Error('the input holds no Arrow IPC schema message');
}
const { fields } = arrowSchema;
const columns = fields.map((field) => ({ name: field.name, type: String(field.type), values: [] }));
const rows = [];
const batchRowCounts = [];
for (const batch of reader) {
  batchRowCounts.push(batch.numRows);
  const chunks = fields.map((_, i) => batch.data.children[i]);
  for (let row = 0; row < batch.numRows; row++) {
    const cells = chunks.map((chunk) => renderCell(chunk, row));
    cells.forEach((cell, i) => columns[i].values.push(cell));
    rows.push(cells);
  }
}
const schema = {
  metadata: metadataObject(arrowSchema.metadata),
  fields: fields.map(describeField),
};
const endsWithEndOfStreamMarker =
  input.length >= 8 &&
  input.readUInt32LE(input.length - 8) === 0xffffffff &&
  input.readUInt32LE(input.length - 4) === 0;
const output = { schema, batchRowCounts, endsWithEndOfStreamMarker, columns, rows };
process.stdout.write(`${JSON.stringify(output)}\n`);
