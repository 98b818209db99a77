"""Results of queries, read while they stream from the server.

A result is read once, front to back: iterate it, or call one of ``fetchall``, ``df``,
``to_csv``. The server writes each row of a ``json`` result on a line of its own, so whole lines
are cut off the stream and parsed many at a time by the C JSON parser; memory holds one network
chunk of rows at a time unless a method returns them all.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import requests

from .errors import ConnectionFailed, DuckLakeError, ResultIncomplete
from .types import SqlType, converter, pandas_column, parse_type

_CHUNK_BYTES = 1 << 20
_FOOTER = b"]}"


class Column:
    """One result column: its ``name`` and DuckDB SQL ``type`` (``"DECIMAL(18,2)"``)."""

    __slots__ = ("name", "type", "parsed")

    def __init__(self, name: str, type: str):
        self.name = name
        self.type = type
        self.parsed: SqlType = parse_type(type)

    def __repr__(self) -> str:
        return f"Column({self.name!r}, {self.type!r})"


class SqlResult:
    """The streamed answer to one statement (``Client.sql``) or a change feed.

    Attributes:
        columns: the result's columns, known before any row is read.
        snapshot_id: the snapshot the statement read (``X-DuckLake-Snapshot``), so a later query
            with ``snapshot=`` sees the same data; ``None`` where the server does not say.

    Example:
        >>> result = client.sql("SELECT id, amount FROM sales.orders WHERE amount > 10")
        >>> [c.name for c in result.columns]
        ['id', 'amount']
        >>> for order_id, amount in result:   # rows as tuples, without holding the whole result
        ...     ...
    """

    def __init__(self, response: requests.Response):
        self._response = response
        self.snapshot_id: int | None = None
        snapshot = response.headers.get("X-DuckLake-Snapshot")
        if snapshot and snapshot.isdigit():
            self.snapshot_id = int(snapshot)
        self._chunks = response.iter_content(_CHUNK_BYTES)
        self._pending = b""
        self._finished = False
        self._consumed = False
        self.columns: list[Column] = self._read_header()
        self._converters = [converter(c.parsed) for c in self.columns]

    # --- reading ----------------------------------------------------------------------------

    def _next_chunk(self) -> bytes | None:
        try:
            return next(self._chunks)
        except StopIteration:
            return None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            self.close()
            raise ResultIncomplete(f"the result was cut off: {error}") from None
        except requests.Timeout:
            self.close()
            raise ConnectionFailed("the server stopped sending the result (read timeout)") from None

    def _read_header(self) -> list[Column]:
        while b"\n" not in self._pending:
            chunk = self._next_chunk()
            if chunk is None:
                break
            self._pending += chunk
            if len(self._pending) > (16 << 20):
                raise DuckLakeError("the server's answer is not a DuckLake query result")
        line, _, self._pending = self._pending.partition(b"\n")
        try:
            header = json.loads(line + b"]}")
            columns = [Column(c["name"], c["type"]) for c in header["columns"]]
        except (ValueError, KeyError, TypeError):
            self.close()
            if not self._pending and not line.endswith(b"["):
                raise ResultIncomplete("the result was cut off before its first row") from None
            raise DuckLakeError("the server's answer is not a DuckLake query result") from None
        return columns

    def _raw_batches(self) -> Iterator[list[list[Any]]]:
        """Lists of rows as JSON decoded them, in order."""
        if self._consumed:
            raise DuckLakeError("this result was already read: a result streams once (run the query again)")
        self._consumed = True
        try:
            while True:
                cut = self._pending.rfind(b"\n")
                if cut >= 0:
                    lines, self._pending = self._pending[:cut], self._pending[cut + 1:]
                    lines = lines.strip().rstrip(b",")
                    if lines:
                        yield json.loads(b"[" + lines + b"]")
                chunk = self._next_chunk()
                if chunk is None:
                    if self._pending.strip() == _FOOTER:
                        self._finished = True
                        return
                    raise ResultIncomplete("the result was cut off: the server stopped while sending it")
                self._pending += chunk
        finally:
            self.close()

    def _batches(self) -> Iterator[list[tuple]]:
        converters = self._converters
        if all(c is None for c in converters):
            for batch in self._raw_batches():
                yield [tuple(row) for row in batch]
            return
        pairs = list(enumerate(converters))
        for batch in self._raw_batches():
            out = []
            for row in batch:
                for i, convert in pairs:
                    if convert is not None:
                        row[i] = convert(row[i])
                out.append(tuple(row))
            yield out

    # --- the public ways to read -------------------------------------------------------------

    def __iter__(self) -> Iterator[tuple]:
        """Rows as tuples of Python values, read as they arrive."""
        for batch in self._batches():
            yield from batch

    def fetchall(self) -> list[tuple]:
        """Every (remaining) row, as tuples of Python values.

        >>> client.sql("SELECT 1 AS a, 'x' AS b").fetchall()
        [(1, 'x')]
        """
        rows: list[tuple] = []
        for batch in self._batches():
            rows.extend(batch)
        return rows

    def fetchone(self) -> tuple | None:
        """The first row, or ``None`` for an empty result; the rest of the result is dropped."""
        for row in self:
            self.close()
            return row
        return None

    def df(self) -> pd.DataFrame:
        """The result as a pandas DataFrame, with dtypes from the SQL types (see
        :func:`ducklake.types.pandas_column`): nullable integers, ``datetime64``, ``Decimal``
        objects for decimals, ``None``/``NaN``/``<NA>`` for NULL.

        >>> client.sql("SELECT 1::INTEGER AS a, NULL::INTEGER AS b").df().dtypes.tolist()
        [Int32Dtype(), Int32Dtype()]
        """
        columns: list[Any]
        if any(c.parsed.is_nested for c in self.columns):
            # Nested values are lists themselves: numpy would take them for more dimensions.
            columns = [[] for _ in self.columns]
            for batch in self._raw_batches():
                for values, column in zip(columns, zip(*batch)):
                    values.extend(column)
        else:
            # Rows into one 2-D object array, a batch at a time, then sliced into columns: the
            # transposition runs in C.
            blocks = []
            for batch in self._raw_batches():
                block = np.empty((len(batch), len(self.columns)), dtype=object)
                block[:] = batch
                blocks.append(block)
            rows = np.concatenate(blocks) if blocks else np.empty((0, len(self.columns)), dtype=object)
            columns = [rows[:, i] for i in range(len(self.columns))]
        # Positions as keys: names may repeat; `columns=` is left out because it makes pandas copy
        # datetime columns through Python objects.
        frame = pd.DataFrame({i: pandas_column(values, column.parsed)
                              for i, (column, values) in enumerate(zip(self.columns, columns))})
        frame.columns = [c.name for c in self.columns]  # duplicate names stay as DuckDB named them
        return frame

    def to_csv(self, path: str | os.PathLike, *, header: bool = True) -> int:
        """Writes the rows to a CSV file as they arrive (NULL is an empty field) and returns how
        many rows were written. The file is written beside ``path`` and renamed when complete, so
        a cut-off result leaves no partial file.

        >>> client.sql("SELECT * FROM sales.orders").to_csv("orders.csv")
        1000
        """
        target = Path(path)
        partial = target.with_name(f".{target.name}.partial")
        rows = 0
        try:
            with open(partial, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                if header:
                    writer.writerow([c.name for c in self.columns])
                for batch in self._batches():
                    writer.writerows(batch)
                    rows += len(batch)
            os.replace(partial, target)
        finally:
            if partial.exists():
                partial.unlink()
        return rows

    def close(self) -> None:
        """Stops reading: the server stops the query when the connection closes."""
        self._response.close()

    def __enter__(self) -> "SqlResult":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        columns = ", ".join(f"{c.name} {c.type}" for c in self.columns)
        return f"<SqlResult ({columns}) snapshot {self.snapshot_id}>"
