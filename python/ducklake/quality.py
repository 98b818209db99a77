"""Data-quality checks on lake tables: computed on the server, kept as a table, seen in lineage.

Each check is an aggregate the server computes in one query over one snapshot (the table is never
downloaded): ``unique`` (no value, or key of several columns, appears twice), ``not_null`` (no
NULL) and ``freshness`` (the newest date or timestamp is recent enough). The results are a
DataFrame with one row per check, which :func:`write_results` appends to a results table as a
run of the job ``quality.<table>``, so the check shows in the lineage graph between the table and
its results. :func:`read_results` reads them back; :func:`null_profile` and
:func:`suggest_checks` help choose the checks.

Example:
    >>> from datetime import timedelta
    >>> import ducklake
    >>> from ducklake import quality
    >>> client = ducklake.Client()
    >>> results = quality.check_table(client, "sales.orders", unique=["order_id"],
    ...                               not_null=["order_id", "amount"], freshness=("order_ts", timedelta(days=1)))
    >>> results[["check_name", "column_name", "passed", "observed", "threshold"]]
      check_name column_name  passed  observed  threshold
    0     unique    order_id    True       0.0        0.0
    1   not_null    order_id    True       0.0        0.0
    2   not_null      amount   False       3.0        0.0
    3  freshness    order_ts    True    5400.0    86400.0
    >>> quality.write_results(client, results, "sales.quality_results")
    {'rows_written': 4, 'snapshot_id': 31, 'created_table': False}
"""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable, Sequence, TypedDict

import pandas as pd

from ._tables import (
    column_aggregates, find_columns, is_temporal, looks_like_key, quote_identifier, quote_literal, table_columns,
    table_reference)
from .client import Client, split_table_name
from .errors import BadRequest
from .frames import dataframe_or_raise

# The columns of a result frame and of the results table, named so that none is an SQL keyword
# (table, check and column are) and the table can be queried without quoting.
RESULT_COLUMNS = ("table_name", "check_name", "column_name", "passed", "observed", "threshold", "detail",
                  "snapshot_id", "checked_at")


class CheckSpec(TypedDict):
    """The checks :func:`check_table` takes, as keyword arguments."""

    unique: list[str]
    not_null: list[str]
    freshness: tuple[str, timedelta] | None


def check_table(client: Client, table: str, *, unique: Iterable[str | Sequence[str]] = (),
                not_null: Iterable[str] = (), freshness: tuple[str, timedelta] | None = None,
                snapshot: int | None = None) -> pd.DataFrame:
    """Runs the checks on ``table`` and answers one row per check (columns :data:`RESULT_COLUMNS`).

    Args:
        unique: columns whose values must not repeat; an entry that is a list of columns is a key
            that must not repeat as a whole. Rows with NULL in the key are not counted, as SQL's
            UNIQUE does not. ``observed`` is the number of rows that repeat an earlier row's key.
        not_null: columns that must hold no NULL; ``observed`` is the number of NULLs.
        freshness: ``(column, max_age)``: the newest value of a date or timestamp column must be
            at most ``max_age`` old at the time of the check (the server's clock; a ``TIMESTAMP``
            without a time zone is taken as UTC). ``observed`` and ``threshold`` are seconds; a
            table without a value fails.
        snapshot: the snapshot to check; by default the latest, which every check then reads,
            so the results agree with each other. ``snapshot_id`` in the results says which.

    A table or column that does not exist raises :class:`NotFound` or :class:`BadRequest`; so
    does asking for no check at all.

    >>> results = check_table(client, "sales.order_items", unique=[["order_id", "line"]], snapshot=12)
    >>> results.loc[0, ["passed", "observed", "detail"]].tolist()
    [False, 2.0, '2 of 5,000 rows repeat an earlier order_id, line']
    """
    for name, given in (("unique", unique), ("not_null", not_null)):
        if isinstance(given, str):
            raise BadRequest(f"{name} takes a list of column names, such as [{given!r}]")
    columns, read = table_columns(client, table, snapshot)
    keys = [find_columns(columns, [key] if isinstance(key, str) else key, table) for key in unique]
    if any(not key for key in keys):
        raise BadRequest("a unique key needs at least one column")
    complete = find_columns(columns, not_null, table)
    fresh, max_age = None, None
    if freshness is not None:
        name, max_age = freshness
        (fresh,) = find_columns(columns, [name], table)
        if not is_temporal(fresh.type):
            raise BadRequest(f"freshness needs a date or timestamp column; {fresh.name} is {fresh.type}")
        if not isinstance(max_age, timedelta) or max_age <= timedelta(0):
            raise BadRequest(f"the freshness limit must be a positive timedelta, not {max_age!r}")
    if not keys and not complete and fresh is None:
        raise BadRequest("no checks asked for: give unique, not_null or freshness")

    select = ["count(*)", "now()"]
    for key in keys:
        quoted = [quote_identifier(c.name) for c in key]
        whole = " AND ".join(f"{q} IS NOT NULL" for q in quoted)
        select.append(f"count(*) FILTER (WHERE {whole}) - count(DISTINCT ({', '.join(quoted)})) FILTER (WHERE {whole})")
    select += [f"count(*) - count({quote_identifier(c.name)})" for c in complete]
    if fresh is not None:
        quoted = quote_identifier(fresh.name)
        select += [f"max({quoted})", f"epoch(now()) - epoch(max({quoted}))"]
    values = list(client.sql(f"SELECT {', '.join(select)} FROM {table_reference(table)}", read).fetchone())
    rows, checked_at = values.pop(0), values.pop(0)

    records = []

    def record(check: str, column: str, passed: bool, observed: float | None, threshold: float, detail: str) -> None:
        records.append((table, check, column, passed, observed, threshold, detail, read, checked_at))

    for key in keys:
        repeats, names = values.pop(0), ", ".join(c.name for c in key)
        detail = (f"{repeats:,} of {rows:,} rows repeat an earlier {names}" if repeats
                  else f"no {names} repeats in {rows:,} rows")
        record("unique", names, repeats == 0, repeats, 0, detail)
    for column in complete:
        nulls = values.pop(0)
        record("not_null", column.name, nulls == 0, nulls, 0, f"{nulls:,} of {rows:,} rows are NULL")
    if fresh is not None:
        latest, age = values
        limit = max_age.total_seconds()
        if latest is None:
            record("freshness", fresh.name, False, None, limit, "no value: the table is empty or the column all NULL")
        else:
            detail = f"newest {latest} is {_duration(age)} old (at most {_duration(limit)})"
            record("freshness", fresh.name, age <= limit, age, limit, detail)

    frame = pd.DataFrame.from_records(records, columns=list(RESULT_COLUMNS))
    frame = frame.astype({"passed": bool, "observed": "float64", "threshold": "float64", "snapshot_id": "int64"})
    frame["checked_at"] = pd.to_datetime(frame["checked_at"], utc=True)
    return frame


def null_profile(client: Client, table: str, *, snapshot: int | None = None) -> pd.DataFrame:
    """How many NULLs each column holds: ``column``, ``type``, ``rows``, ``nulls``,
    ``null_fraction`` (NaN for an empty table), computed on the server in one query.

    >>> null_profile(client, "sales.orders")
         column           type  rows  nulls  null_fraction
    0  order_id         BIGINT  1000      0          0.000
    1    amount  DECIMAL(18,2)  1000      3          0.003
    """
    return column_aggregates(client, table, snapshot=snapshot)


def suggest_checks(client: Client, table: str) -> CheckSpec:
    """Checks that fit the table as it is now, to start from: ``unique`` for a first column named
    like a key (``id``, ``…_id``, ``…_key``), ``not_null`` for every column without a NULL now
    (none for an empty table), ``freshness`` of one day on the first date or timestamp column.

    >>> quality.suggest_checks(client, "sales.orders")
    {'unique': ['order_id'], 'not_null': ['order_id', 'order_ts'],
     'freshness': ('order_ts', datetime.timedelta(days=1))}
    >>> results = quality.check_table(client, "sales.orders", **quality.suggest_checks(client, "sales.orders"))
    """
    profile = null_profile(client, table)
    first = profile["column"].iloc[0]
    temporal = [c for c, t in zip(profile["column"], profile["type"]) if is_temporal(t)]
    has_rows = bool(profile["rows"].iloc[0])
    return CheckSpec(unique=[first] if looks_like_key(first) else [],
                     not_null=list(profile.loc[profile["nulls"] == 0, "column"]) if has_rows else [],
                     freshness=(temporal[0], timedelta(days=1)) if temporal else None)


def write_results(client: Client, results: pd.DataFrame, results_table: str) -> dict:
    """Appends the results of :func:`check_table` to ``results_table`` (created by the first write),
    reported to lineage as a run of the job ``quality.<table>`` that reads the checked table and
    writes the results table. Answers the write's ``{"rows_written", "snapshot_id", "created_table"}``.

    ``results`` must hold the checks of one table (write several tables' one at a time).

    >>> quality.write_results(client, results, "sales.quality_results")["rows_written"]
    4
    >>> client.sql("SELECT checked_at, check_name, column_name, passed FROM sales.quality_results "
    ...            "WHERE NOT passed ORDER BY checked_at DESC").df()
    """
    frame = dataframe_or_raise(results)
    if tuple(frame.columns) != RESULT_COLUMNS:
        raise BadRequest(f"not check_table results: expected the columns {', '.join(RESULT_COLUMNS)}")
    if frame.empty:
        raise BadRequest("there are no results to write")
    checked = frame["table_name"].unique()
    if len(checked) != 1:
        raise BadRequest(f"results of one table are written at a time, not of {len(checked)}")
    split_table_name(results_table)
    table = str(checked[0])
    with client.lineage.run(f"quality.{table}", inputs=[table], outputs=[results_table]):
        return client.write_table(results_table, frame, mode="append")


def read_results(client: Client, results_table: str, table: str | None = None, *, limit: int = 100) -> pd.DataFrame:
    """The latest ``limit`` results kept in ``results_table`` (of ``table`` only, if given),
    newest first, filtered and sorted on the server.

    >>> failed = quality.read_results(client, "sales.quality_results", "sales.orders", limit=1000)
    >>> failed[~failed["passed"]].groupby("check_name").size()
    """
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise BadRequest(f"limit must be an integer >= 0, not {limit!r}")
    where = "" if table is None else f" WHERE table_name = {quote_literal(table)}"
    return client.sql(f"SELECT * FROM {table_reference(results_table)}{where} "
                      f"ORDER BY checked_at DESC, check_name, column_name LIMIT {limit}").df()


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if abs(seconds) >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"
