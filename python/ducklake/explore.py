"""Looking around the lake: its tables, what their columns hold, and charts of query results.

The statistics are computed on the server with SQL (one aggregate query per table); only their
results travel. :func:`chart` draws with pandas and matplotlib (``pip install matplotlib``).

Example:
    >>> import ducklake
    >>> from ducklake import explore
    >>> client = ducklake.Client()
    >>> explore.lake_overview(client)
                table namespace  rows  size_bytes  files  columns  snapshot_id         comment
    0    sales.orders     sales  1000       20480      1        3            7  Web shop orders
    >>> explore.table_profile(client, "sales.orders")[["column", "nulls", "distinct", "min", "max"]]
         column  nulls  distinct                  min                  max
    0  order_id      0      1000                    1                 1000
    1    amount      3       412                 0.50               999.00
    2  order_ts      0       998  2026-11-01 00:03:11  2026-11-30 23:58:40
    >>> ax = explore.chart(client.sql("SELECT date_trunc('day', order_ts) AS day, sum(amount) AS revenue "
    ...                               "FROM sales.orders GROUP BY 1").df())
    >>> ax.get_xlabel(), [line.get_label() for line in ax.get_lines()]
    ('day', ['revenue'])
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Sequence

import pandas as pd
from pandas.api import types as ptypes

from ._tables import Aggregate, column_aggregates, looks_like_key
from .client import Client
from .errors import BadRequest

if TYPE_CHECKING:
    from matplotlib.axes import Axes

OVERVIEW_COLUMNS = ["table", "namespace", "rows", "size_bytes", "files", "columns", "snapshot_id", "comment"]
_BAR_ROWS = 50  # more bars than this cannot be read; the query should aggregate first
_CHART_LINES = 3  # more lines than this tangle


def lake_overview(client: Client) -> pd.DataFrame:
    """Every table the caller may read, one row each, by name: ``table`` (``"ns.name"``, what the
    other functions take), ``namespace``, ``rows``, ``size_bytes``, ``files``, ``columns`` (how
    many), ``snapshot_id`` (its latest change) and ``comment``."""
    records = []
    for namespace in client.namespaces():
        if not namespace.get("table_count"):
            continue
        for table in client.tables(namespace["name"]):
            records.append({"table": f"{namespace['name']}.{table['name']}", "namespace": namespace["name"],
                            "rows": table.get("row_count"), "size_bytes": table.get("size_bytes"),
                            "files": table.get("file_count"), "columns": len(table.get("columns", [])),
                            "snapshot_id": table.get("snapshot_id"), "comment": table.get("comment")})
    frame = pd.DataFrame(records, columns=OVERVIEW_COLUMNS)
    return frame.sort_values("table", ignore_index=True)


def _as_text(function: str) -> Aggregate:
    # One text column can hold every column's extremes; nested values have no useful order.
    return lambda column, quoted: None if column.parsed.is_nested else f"CAST({function}({quoted}) AS VARCHAR)"


def table_profile(client: Client, table: str, *, snapshot: int | None = None) -> pd.DataFrame:
    """What each column holds, computed on the server in one query: ``column``, ``type``,
    ``rows``, ``nulls``, ``null_fraction``, ``distinct`` (non-NULL values), and ``min`` and
    ``max`` as text (``None`` for lists, structs and maps).

    >>> explore.table_profile(client, "sales.orders", snapshot=5).loc[0].to_dict()
    {'column': 'order_id', 'type': 'BIGINT', 'rows': 1000, 'nulls': 0, 'null_fraction': 0.0,
     'distinct': 1000, 'min': '1', 'max': '1000'}
    """
    return column_aggregates(client, table, {"distinct": lambda _, quoted: f"count(DISTINCT {quoted})",
                                             "min": _as_text("min"), "max": _as_text("max")}, snapshot)


def _plottable(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with DECIMAL columns (Decimal objects) and nullable integers as floats."""
    converted = {}
    for name in frame.columns:
        column = frame[name]
        present = column.dropna()
        decimals = column.dtype == object and not present.empty and all(isinstance(v, Decimal) for v in present)
        nullable_number = ptypes.is_extension_array_dtype(column.dtype) and _is_number(column)
        if decimals or nullable_number:
            converted[name] = column.astype("float64")
    return frame.assign(**converted) if converted else frame


def _is_number(column: pd.Series) -> bool:
    return ptypes.is_numeric_dtype(column.dtype) and not ptypes.is_bool_dtype(column.dtype)


def chart_axes(frame: pd.DataFrame) -> tuple[str | None, list[str]]:
    """The columns :func:`chart` plots when not told: ``x`` the first date or time column, else the
    first text column, else ``None`` (the row number); ``y`` up to three numeric columns other
    than ``x`` not named like keys (``id``, ``…_id``).

    >>> explore.chart_axes(pd.DataFrame({"order_id": [1], "day": pd.to_datetime(["2026-11-01"]), "revenue": [9.5]}))
    ('day', ['revenue'])
    """
    data = _plottable(frame)
    x = next((c for c in data.columns if ptypes.is_datetime64_any_dtype(data[c].dtype)), None)
    if x is None:
        x = next((c for c in data.columns if not _is_number(data[c]) and not ptypes.is_bool_dtype(data[c].dtype)),
                 None)
    y = [c for c in data.columns if c != x and _is_number(data[c]) and not looks_like_key(str(c))]
    return x, y[:_CHART_LINES]


def chart(frame: pd.DataFrame, x: str | None = None, y: str | Sequence[str] | None = None, *,
          title: str | None = None) -> "Axes":
    """Plots the ``y`` columns of a result against ``x`` and answers the matplotlib Axes (what a
    notebook shows). Over dates, times or numbers it draws lines, in ``x`` order; over text, bars
    of the first 50 rows (aggregate in SQL for more). Columns not given are chosen by
    :func:`chart_axes`; DECIMAL columns plot as numbers.

    >>> result = client.sql("SELECT status, count(*) AS orders FROM sales.orders GROUP BY 1").df()
    >>> ax = explore.chart(result, x="status", y="orders", title="Orders by status")
    >>> len(ax.patches) == len(result)
    True
    """
    auto_x, auto_y = chart_axes(frame)
    x = auto_x if x is None else x
    lines = auto_y if not y else [y] if isinstance(y, str) else list(y)
    unknown = [c for c in (x, *lines) if c is not None and c not in frame.columns]
    if unknown:
        raise BadRequest(f"the result has no column {unknown[0]!r} (its columns: {', '.join(map(str, frame.columns))})")
    data = _plottable(frame)
    not_numbers = [c for c in lines if not _is_number(data[c])]
    if not lines or not_numbers:
        what = f"{not_numbers[0]!r} is not numeric" if not_numbers else "the result has no numeric column"
        raise BadRequest(f"nothing to plot: {what}")
    data = data[[c for c in (x, *lines) if c is not None]]
    if x is None or _is_number(data[x]) or ptypes.is_datetime64_any_dtype(data[x].dtype):
        data = data.sort_values(x) if x is not None else data
        return data.plot(x=x, y=lines, kind="line", figsize=(9, 4), title=title)
    return data.head(_BAR_ROWS).plot(x=x, y=lines, kind="bar", figsize=(9, 4), title=title)
