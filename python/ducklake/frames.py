"""pandas DataFrames on their way into a table: the SQL type of each column, and the frame as
CSV, cut into slices so that only one slice is ever encoded at a time."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Iterator

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from .errors import BadRequest

# ~8 MiB of CSV per slice for narrow rows; wide rows get fewer.
_SLICE_CELLS = 400_000


def _decimal_type(values: pd.Series) -> str:
    integer_digits, scale = 1, 0
    for value in values:
        _, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int):
            raise BadRequest("a DECIMAL column cannot hold NaN or Infinity; use a float column")
        integer_digits = max(integer_digits, len(digits) + exponent)
        scale = max(scale, -exponent)
    precision = integer_digits + scale
    if precision > 38:
        raise BadRequest(f"the Decimals need {precision} digits; DuckDB's DECIMAL holds at most 38")
    return f"DECIMAL({18 if precision <= 18 else 38},{scale})"


def _object_type(name: str, values: pd.Series) -> str:
    # Text, the usual content, is recognised in C without a copy of the column; the other kinds
    # are rarer and need their values looked at.
    if ptypes.infer_dtype(values, skipna=True) in ("string", "empty"):
        return "VARCHAR"
    present = values.dropna()
    if present.empty:
        return "VARCHAR"
    kinds = {type(v) for v in present}
    if kinds <= {str}:
        return "VARCHAR"
    if kinds <= {bool, np.bool_}:
        return "BOOLEAN"
    if kinds <= {int, np.int64}:
        return "BIGINT" if all(-2**63 <= v < 2**63 for v in present) else "HUGEINT"
    if kinds <= {float, int}:
        return "DOUBLE"
    if kinds <= {Decimal}:
        return _decimal_type(present)
    if kinds <= {dt.date}:
        return "DATE"
    if kinds <= {dt.datetime, pd.Timestamp}:
        aware = {v.tzinfo is not None for v in present}
        if len(aware) > 1:
            raise BadRequest(f"column {name!r} mixes times with and without a time zone")
        return "TIMESTAMPTZ" if aware.pop() else "TIMESTAMP"
    if kinds <= {dt.time}:
        return "TIME"
    if kinds <= {dict, list}:
        return "JSON"
    kind_names = ", ".join(sorted(k.__name__ for k in kinds))
    raise BadRequest(f"column {name!r} holds values DuckLake cannot store as one type: {kind_names}")


def sql_types(frame: pd.DataFrame) -> dict[str, str]:
    """The DuckDB SQL type each column of the frame is written as.

    >>> sql_types(pd.DataFrame({"id": [1, 2], "at": pd.to_datetime(["2026-01-01", None])}))
    {'id': 'BIGINT', 'at': 'TIMESTAMP'}
    """
    types: dict[str, str] = {}
    for name in frame.columns:
        if not isinstance(name, str) or not name:
            raise BadRequest(f"column names must be non-empty strings, not {name!r}")
        if name.lower() in {n.lower() for n in types}:
            raise BadRequest(f"column {name!r} is there twice (names compare ignoring case)")
        dtype = frame[name].dtype
        if ptypes.is_bool_dtype(dtype):
            sql = "BOOLEAN"
        elif ptypes.is_integer_dtype(dtype):
            size = np.dtype(dtype.numpy_dtype if hasattr(dtype, "numpy_dtype") else dtype).itemsize
            unsigned = ptypes.is_unsigned_integer_dtype(dtype)
            sql = {1: "TINYINT", 2: "SMALLINT", 4: "INTEGER", 8: "BIGINT"}[size]
            sql = "U" + sql if unsigned else sql
        elif ptypes.is_float_dtype(dtype):
            sql = "FLOAT" if np.dtype(getattr(dtype, "numpy_dtype", dtype)).itemsize == 4 else "DOUBLE"
        elif ptypes.is_datetime64tz_dtype(dtype):
            sql = "TIMESTAMPTZ"
        elif ptypes.is_datetime64_dtype(dtype):
            sql = "TIMESTAMP"
        elif ptypes.is_timedelta64_dtype(dtype):
            sql = "INTERVAL"
        elif isinstance(dtype, pd.CategoricalDtype) or ptypes.is_string_dtype(dtype) and dtype != object:
            sql = "VARCHAR"
        elif dtype == object:
            sql = _object_type(name, frame[name])
        else:
            raise BadRequest(f"column {name!r} has dtype {dtype}, which DuckLake cannot store")
        types[name] = sql
    return types


def _csv_ready(column: pd.Series, sql: str) -> pd.Series:
    """The column with values whose CSV text pandas would not write as DuckDB reads them made text."""
    if sql.startswith("DECIMAL"):
        return column.map(lambda v: None if v is None or v is pd.NA else format(v, "f"))
    if sql in ("DATE", "TIME", "HUGEINT"):
        return column.map(lambda v: None if v is None or v is pd.NaT or v is pd.NA else
                          (v.isoformat() if hasattr(v, "isoformat") else str(v)))
    if sql in ("TIMESTAMP", "TIMESTAMPTZ") and column.dtype == object:
        column = pd.to_datetime(column, utc=sql == "TIMESTAMPTZ")
    if sql == "TIMESTAMPTZ":
        # With its offset: the server does not read a bare time in UTC unless told.
        return column.dt.tz_convert("UTC").dt.strftime("%Y-%m-%d %H:%M:%S.%f+00")
    if sql == "INTERVAL":
        return column.map(lambda v: None if pd.isna(v) else f"{v.total_seconds() * 1_000_000:.0f} microseconds")
    if sql == "JSON":
        return column.map(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
    return column


def null_marker(frame: pd.DataFrame, types: dict[str, str]) -> str:
    """A text for NULL that no text cell of the frame equals (CSV has no NULL of its own, and an
    empty field must stay an empty string)."""
    text_columns = [name for name, sql in types.items() if sql in ("VARCHAR", "JSON")]
    for attempt in range(100):
        marker = f"\\N{attempt or ''}"
        if not any((frame[name] == marker).any() for name in text_columns):
            return marker
    raise BadRequest("cannot find a NULL marker that no value of the frame equals")


def csv_slices(frame: pd.DataFrame, types: dict[str, str], marker: str) -> Iterator[bytes]:
    """The frame as CSV with a header, one slice of rows at a time (never the whole frame encoded
    at once). Floats are written with every digit (repr), NULLs as ``marker``."""
    step = max(1, _SLICE_CELLS // max(1, len(frame.columns)))
    for start in range(0, max(len(frame), 1), step):
        part = frame.iloc[start:start + step]
        ready = pd.DataFrame({name: _csv_ready(part[name], sql) for name, sql in types.items()}, index=part.index)
        text = ready.to_csv(index=False, header=start == 0, na_rep=marker, lineterminator="\n",
                            date_format="%Y-%m-%d %H:%M:%S.%f")
        yield text.encode("utf-8")


def csv_options(types: dict[str, str], marker: str) -> dict[str, str]:
    """The ingest options that make the server read :func:`csv_slices` exactly: the dialect, the
    NULL marker and each column's SQL type (nothing is left to detection)."""
    return {"format": "csv", "header": "true", "delimiter": ",", "quote": '"', "escape": '"', "nullstr": marker,
            "columns": json.dumps(types)}


def dataframe_or_raise(frame: Any) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise BadRequest(f"expected a pandas DataFrame, got {type(frame).__name__}")
    return frame
