"""What :mod:`ducklake.explore` and :mod:`ducklake.quality` share: lake tables as SQL sees them.

Table and column names go into SQL quoted (``"..."``, a ``"`` doubled), after the table name has
been checked and each column looked up among the table's own, so no name can change a statement's
meaning. Per-column statistics are computed on the server in one aggregate query.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

import pandas as pd

from .client import Client, split_table_name
from .errors import BadRequest
from .result import Column
from .types import parse_type

# (the column, its quoted name) -> an SQL aggregate over it, or None where it does not apply.
Aggregate = Callable[[Column, str], "str | None"]

_TEMPORAL = {"DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE"}


def quote_identifier(name: str) -> str:
    """The name as an SQL identifier that means exactly that name.

    >>> print(quote_identifier('unit "net" price'))
    "unit ""net"" price"
    """
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """The text as an SQL string literal.

    >>> print(quote_literal("O'Brien"))
    'O''Brien'
    """
    return "'" + text.replace("'", "''") + "'"


def table_reference(table: str) -> str:
    """A table name (``"sales.orders"``) as SQL names it; a malformed one raises :class:`BadRequest`.

    >>> print(table_reference("sales.orders"))
    "sales"."orders"
    """
    namespace, name = split_table_name(table)
    return f"{quote_identifier(namespace)}.{quote_identifier(name)}"


def table_columns(client: Client, table: str, snapshot: int | None) -> tuple[list[Column], int | None]:
    """The table's columns at ``snapshot`` (the latest if ``None``), and the snapshot that was read,
    so that later queries can read the same one. Raises :class:`NotFound` for a missing table."""
    result = client.sql(f"SELECT * FROM {table_reference(table)}", snapshot, limit=0)
    result.close()
    return result.columns, result.snapshot_id


def find_columns(columns: Sequence[Column], wanted: Iterable[str], table: str) -> list[Column]:
    """The table's columns named in ``wanted``, in that order. Names compare ignoring case, as in
    DuckDB; one the table does not have raises :class:`BadRequest`."""
    exact = {c.name: c for c in columns}
    folded = {c.name.casefold(): c for c in columns}
    found = []
    for name in wanted:
        if not isinstance(name, str):
            raise BadRequest(f"a column name is a string, not {name!r}")
        column = exact.get(name) or folded.get(name.casefold())
        if column is None:
            known = ", ".join(c.name for c in columns)
            raise BadRequest(f"{table} has no column {name!r} (its columns: {known})")
        found.append(column)
    return found


def is_temporal(sql_type: str) -> bool:
    """Whether a column of this DuckDB type holds dates or timestamps (what freshness can measure).

    >>> is_temporal("TIMESTAMP WITH TIME ZONE"), is_temporal("TIME")
    (True, False)
    """
    return parse_type(sql_type).name in _TEMPORAL


def looks_like_key(name: str) -> bool:
    """Whether a column's name says it identifies something: ``id``, ``order_id``, ``sku_key``."""
    lowered = name.lower()
    return lowered == "id" or lowered.endswith(("_id", "_key"))


def column_aggregates(client: Client, table: str, aggregates: Mapping[str, Aggregate] | None = None,
                      snapshot: int | None = None) -> pd.DataFrame:
    """One row per column of the table: ``column``, ``type``, ``rows`` (the table's row count),
    ``nulls``, ``null_fraction`` (NaN for an empty table) and one column per aggregate, all
    computed on the server by one aggregate query, at one snapshot."""
    columns, read = table_columns(client, table, snapshot)
    measures: dict[str, Aggregate] = {"nulls": lambda _, quoted: f"count(*) - count({quoted})", **(aggregates or {})}
    select = ["count(*)"]
    for column in columns:
        for aggregate in measures.values():
            select.append(aggregate(column, quote_identifier(column.name)) or "NULL")
    values = client.sql(f"SELECT {', '.join(select)} FROM {table_reference(table)}", read).fetchone()
    rows, per_column = values[0], len(measures)
    records = []
    for i, column in enumerate(columns):
        own = dict(zip(measures, values[1 + i * per_column:1 + (i + 1) * per_column]))
        records.append({"column": column.name, "type": column.type, "rows": rows, **own})
    frame = pd.DataFrame(records, columns=["column", "type", "rows", *measures])
    frame.insert(4, "null_fraction", frame["nulls"] / frame["rows"].where(frame["rows"] > 0).astype("float64"))
    return frame
