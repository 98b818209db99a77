"""DuckDB SQL types as the server names them, and the Python values and pandas dtypes of results.

The ``json`` result format writes integers and doubles as JSON numbers (64-bit integers outside
±2^53, unsigned 64-bit and 128-bit integers as strings), NaN and infinities as the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"``, lists as arrays, named structs as objects, maps as
``[{"key","value"}]`` and every other value as DuckDB's text of it. This module turns those back
into what DuckDB's own Python API gives: ``int``, ``float``, ``Decimal``, ``date``, ``datetime``
(aware, in UTC, for ``TIMESTAMP WITH TIME ZONE``), ``time``, ``timedelta``, ``UUID``, ``bytes``,
lists, dicts.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

import numpy as np
import pandas as pd

Converter = Callable[[Any], Any]


@dataclass(frozen=True)
class SqlType:
    """A parsed DuckDB type: ``name`` upper case (``DECIMAL``, ``LIST``, ``STRUCT``, ``MAP``, …),
    ``args`` (a decimal's precision and scale), ``children`` (name, type) for nested types."""

    name: str
    args: tuple[int, ...] = ()
    children: tuple[tuple[str, "SqlType"], ...] = field(default=())
    text: str = ""

    @property
    def is_nested(self) -> bool:
        return self.name in ("LIST", "ARRAY", "STRUCT", "MAP", "UNION")


_ALIASES = {"INT8": "BIGINT", "LONG": "BIGINT", "INT4": "INTEGER", "INT": "INTEGER", "SIGNED": "INTEGER",
            "INT2": "SMALLINT", "SHORT": "SMALLINT", "INT1": "TINYINT", "FLOAT4": "FLOAT", "REAL": "FLOAT",
            "FLOAT8": "DOUBLE", "NUMERIC": "DECIMAL", "BOOL": "BOOLEAN", "LOGICAL": "BOOLEAN",
            "STRING": "VARCHAR", "TEXT": "VARCHAR", "CHAR": "VARCHAR", "BPCHAR": "VARCHAR", "BYTEA": "BLOB",
            "DATETIME": "TIMESTAMP", "TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE",
            "TIMETZ": "TIME WITH TIME ZONE", "TIMESTAMP_US": "TIMESTAMP"}


class _TypeParser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def parse(self) -> SqlType:
        parsed = self._type()
        self._space()
        if self.pos != len(self.text):
            raise ValueError(f"unexpected {self.text[self.pos:]!r} in type {self.text!r}")
        return parsed

    def _space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def _peek(self) -> str:
        self._space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _identifier(self) -> str:
        self._space()
        if self._peek() == '"':
            end = self.pos + 1
            out = []
            while end < len(self.text):
                if self.text[end] == '"':
                    if self.text[end + 1:end + 2] == '"':
                        out.append('"')
                        end += 2
                        continue
                    break
                out.append(self.text[end])
                end += 1
            self.pos = end + 1
            return "".join(out)
        match = re.compile(r"[^\s(),\[\]]+").match(self.text, self.pos)
        if not match:
            raise ValueError(f"expected a name at {self.pos} in type {self.text!r}")
        self.pos = match.end()
        return match.group(0)

    def _type(self) -> SqlType:
        start = self.pos
        name = self._identifier().upper()
        # Multi-word names: TIMESTAMP WITH TIME ZONE, DOUBLE PRECISION, ...
        for tail in (" WITH TIME ZONE", " PRECISION"):
            if self.text[self.pos:self.pos + len(tail)].upper() == tail:
                name += tail
                self.pos += len(tail)
        name = _ALIASES.get(name, name)
        args: tuple[int, ...] = ()
        children: tuple[tuple[str, SqlType], ...] = ()
        if self._peek() == "(":
            self.pos += 1
            if name in ("STRUCT", "UNION"):
                items = []
                while True:
                    begin = self.pos
                    field_name = self._identifier()
                    if self._peek() in (",", ")"):  # row(...) and tuples: fields without names
                        self.pos, field_name = begin, ""
                    items.append((field_name, self._type()))
                    if self._peek() == ",":
                        self.pos += 1
                        continue
                    break
                children = tuple(items)
            elif name == "MAP":
                key = self._type()
                self._expect(",")
                value = self._type()
                children = (("key", key), ("value", value))
            else:  # DECIMAL(18,3), ENUM('a', 'b'), VARCHAR(10): numbers are kept, the rest skipped
                depth, begin = 1, self.pos
                while depth and self.pos < len(self.text):
                    c = self.text[self.pos]
                    if c == "'":
                        self.pos = self.text.index("'", self.pos + 1)
                    elif c == "(":
                        depth += 1
                    elif c == ")":
                        depth -= 1
                    self.pos += 1
                inner = self.text[begin:self.pos - 1]
                if re.fullmatch(r"\s*\d+\s*(,\s*\d+\s*)*", inner):
                    args = tuple(int(x) for x in inner.split(","))
                self.pos -= 1
            self._expect(")")
        result = SqlType(name, args, children, self.text[start:self.pos].strip())
        while self._peek() == "[":
            self.pos += 1
            size = re.compile(r"\s*(\d*)\s*\]").match(self.text, self.pos)
            if not size:
                raise ValueError(f"bad list type {self.text!r}")
            self.pos = size.end()
            result = SqlType("ARRAY" if size.group(1) else "LIST", (int(size.group(1)),) if size.group(1) else (),
                             (("element", result),), self.text[start:self.pos].strip())
        return result

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise ValueError(f"expected {char!r} at {self.pos} in type {self.text!r}")
        self.pos += 1


def parse_type(text: str) -> SqlType:
    """Parses a DuckDB type as the server writes it (``DECIMAL(18,2)``, ``STRUCT(a INTEGER, "b c" VARCHAR[])``).

    >>> parse_type("MAP(VARCHAR, INTEGER[])").children[1][1].name
    'LIST'
    """
    try:
        return _TypeParser(text).parse()
    except (ValueError, IndexError):
        return SqlType(text.upper(), text=text)  # an unknown spelling: values are passed through


# --- values -------------------------------------------------------------------------------------

_INTERVAL = re.compile(
    r"^(?:(?P<years>-?\d+) years? ?)?(?:(?P<months>-?\d+) months? ?)?(?:(?P<days>-?\d+) days? ?)?"
    r"(?:(?P<sign>-)?(?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d)(?:\.(?P<f>\d+))?)?$")


def _interval(text: str) -> Any:
    match = _INTERVAL.match(text)
    if not match or match.group("years") or match.group("months"):
        return text  # months have no fixed length: the text is the honest value
    days = int(match.group("days") or 0)
    seconds = int(match.group("h") or 0) * 3600 + int(match.group("m") or 0) * 60 + int(match.group("s") or 0)
    micros = int((match.group("f") or "0").ljust(6, "0")[:6])
    clock = dt.timedelta(seconds=seconds, microseconds=micros)
    return dt.timedelta(days=days) + (-clock if match.group("sign") else clock)


def _blob(text: str) -> bytes:
    # DuckDB writes bytes outside printable ASCII (and the escape's own backslash) as \xHH.
    out = bytearray()
    i = 0
    while i < len(text):
        if text.startswith("\\x", i) and i + 4 <= len(text):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out.extend(text[i].encode())
            i += 1
    return bytes(out)


def _fraction6(text: str) -> str:
    # datetime takes at most microseconds; TIMESTAMP_NS writes nanoseconds.
    dot = text.find(".")
    if dot < 0:
        return text
    end = dot + 1
    while end < len(text) and text[end].isdigit():
        end += 1
    return text[:dot + 1] + text[dot + 1:end][:6] + text[end:]


def _date(text: str) -> Any:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text  # infinity, BC dates, years past 9999


def _timestamp(text: str) -> Any:
    try:
        return dt.datetime.fromisoformat(_fraction6(text))
    except ValueError:
        return text


def _timestamptz(text: str) -> Any:
    try:
        value = dt.datetime.fromisoformat(_fraction6(text))
    except ValueError:
        return text
    return value.astimezone(dt.timezone.utc) if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _time(text: str) -> Any:
    try:
        return dt.time.fromisoformat(_fraction6(text))
    except ValueError:
        return text


def _float(value: Any) -> Any:
    return float(value)  # "NaN" and "Infinity" come as strings


def _int(value: Any) -> Any:
    return int(value) if isinstance(value, str) else value


def _uuid(text: str) -> Any:
    try:
        return uuid.UUID(text)
    except ValueError:
        return text


def _not_null(convert: Converter) -> Converter:
    return lambda value: None if value is None else convert(value)


_SCALARS: dict[str, Converter] = {
    "BIGINT": _int, "UBIGINT": _int, "HUGEINT": _int, "UHUGEINT": _int, "VARINT": _int, "BIGNUM": _int,
    "FLOAT": _float, "DOUBLE": _float, "DECIMAL": Decimal, "DATE": _date,
    "TIMESTAMP": _timestamp, "TIMESTAMP_S": _timestamp, "TIMESTAMP_MS": _timestamp, "TIMESTAMP_NS": _timestamp,
    "TIMESTAMP WITH TIME ZONE": _timestamptz, "TIME": _time, "INTERVAL": _interval, "UUID": _uuid, "BLOB": _blob,
}


def converter(sql_type: SqlType) -> Converter | None:
    """The function that turns a JSON value of this type into its Python value, or ``None`` if
    the JSON value already is it (integers, booleans, strings)."""
    if sql_type.name in _SCALARS:
        return _not_null(_SCALARS[sql_type.name])
    if sql_type.name in ("LIST", "ARRAY"):
        element = converter(sql_type.children[0][1])
        return None if element is None else _not_null(lambda items: [element(v) for v in items])
    if sql_type.name == "STRUCT":
        fields = [(name, converter(child)) for name, child in sql_type.children]

        def struct(value: Any) -> Any:
            if isinstance(value, list):  # unnamed structs come as arrays
                return tuple(c(v) if c else v for (_, c), v in zip(fields, value))
            return {name: (c(value[name]) if c and name in value else value.get(name)) for name, c in fields}
        return _not_null(struct)
    if sql_type.name == "MAP":
        key, item = converter(sql_type.children[0][1]), converter(sql_type.children[1][1])
        return _not_null(lambda entries: {(key(e["key"]) if key else e["key"]): (item(e["value"]) if item else e["value"])
                                          for e in entries})
    return None


# --- pandas -------------------------------------------------------------------------------------

_NULLABLE_INTEGERS = {"TINYINT": "Int8", "SMALLINT": "Int16", "INTEGER": "Int32", "BIGINT": "Int64",
                      "UTINYINT": "UInt8", "USMALLINT": "UInt16", "UINTEGER": "UInt32", "UBIGINT": "UInt64"}


def pandas_column(values: Any, sql_type: SqlType) -> Any:
    """A pandas column (array) for a result column's JSON values (a list, or a 1-D object array).

    Integers become pandas' nullable integer dtypes (``Int64``, …), so NULLs stay NULL and the
    dtype does not depend on the data; ``BOOLEAN`` becomes ``boolean``; ``FLOAT``/``DOUBLE``
    ``float32``/``float64`` (NULL is NaN); ``DATE`` and ``TIMESTAMP`` ``datetime64[ns]``;
    ``TIMESTAMP WITH TIME ZONE`` ``datetime64[ns, UTC]``; values pandas cannot hold in those
    (dates before 1677 or after 2262, ``infinity``) keep the column as Python objects, as do
    ``DECIMAL`` (``Decimal``, exact), ``HUGEINT``, text, ``TIME``, ``INTERVAL``, ``UUID``, ``BLOB``
    and nested values."""
    name = sql_type.name
    if name in _NULLABLE_INTEGERS or name in ("BOOLEAN", "FLOAT", "DOUBLE"):
        # Whole-array conversions: object to number casts run in C (strings such as a BIGINT
        # beyond 2^53, "NaN" or "Infinity" included).
        objects = np.asarray(values, dtype=object)
        missing = pd.isna(objects)
        if name in ("FLOAT", "DOUBLE"):
            column = np.where(missing, np.nan, objects).astype(np.float64)
            return column.astype(np.float32) if name == "FLOAT" else column
        if name == "BOOLEAN":
            return pd.arrays.BooleanArray(np.where(missing, False, objects).astype(bool), missing)
        dtype = pd.api.types.pandas_dtype(_NULLABLE_INTEGERS[name])
        filled = np.where(missing, 0, objects)
        if name == "UBIGINT":  # above 2^63 a signed cast would fail: through Python ints
            filled = np.array([int(v) for v in filled], dtype=np.uint64)
        return pd.arrays.IntegerArray(filled.astype(dtype.numpy_dtype), missing)
    if name in ("DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE"):
        try:
            utc = name == "TIMESTAMP WITH TIME ZONE"
            return pd.to_datetime(pd.Series(np.asarray(values, dtype=object), dtype=object), utc=utc,
                                  errors="raise").array
        except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
            pass
    # np.fromiter stores each value as it is; assigning a list would make numpy look into every
    # value for array dimensions (0.7 s per million Decimals).
    if name == "DECIMAL":  # the most common converted type: without the NULL wrapper's extra call
        return np.fromiter((None if v is None else Decimal(v) for v in values), dtype=object, count=len(values))
    convert = converter(sql_type)
    return np.fromiter(values if convert is None else map(convert, values), dtype=object, count=len(values))
