"""Client.sql: results streamed and typed, checked value by value against the server's own text
of each value (`CAST(x AS VARCHAR)` read with plain requests), for random values of every scalar
type, NULLs, nested types and results too large to hold."""

from __future__ import annotations

import datetime as dt
import math
import re
import tracemalloc
import uuid
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import ducklake
from httpsupport import ServerProcess, SLOW_SELECT


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _fraction(text: str) -> str:
    """DuckDB prints a time's fraction without trailing zeros; Python prints six digits."""
    match = re.search(r"\.(\d+)", text)
    if not match:
        return text
    digits = match.group(1).rstrip("0")
    return text[:match.start()] + ("." + digits if digits else "") + text[match.end():]


def _blob_text(data: bytes) -> str:
    return "".join(chr(b) if 0x20 <= b < 0x7f and b not in (0x5c, 0x27, 0x22) else f"\\x{b:02X}" for b in data)


def duckdb_text(value, type_name: str) -> str | None:
    """What CAST(value AS VARCHAR) gives in DuckDB, for the Python value the client returned."""
    if value is None:
        return None
    if type_name == "BOOLEAN":
        return "true" if value else "false"
    if type_name in ("FLOAT", "DOUBLE"):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if type_name == "TIMESTAMPTZ":
        return _fraction(value.isoformat(sep=" ").replace("+00:00", "+00"))
    if type_name == "TIMESTAMP":
        return _fraction(value.isoformat(sep=" "))
    if type_name == "TIME":
        return _fraction(value.isoformat())
    if type_name == "BLOB":
        return _blob_text(value)
    return str(value)


def _random_value(rng, type_name: str) -> str:
    """A SQL literal of the type (NULL about one time in eight)."""
    if rng.random() < 0.125:
        return f"NULL::{type_name}"
    if type_name == "BOOLEAN":
        return rng.choice(["true", "false"])
    if type_name in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        bits = {"TINYINT": 7, "SMALLINT": 15, "INTEGER": 31, "BIGINT": 63, "HUGEINT": 127}[type_name]
        edge = rng.choice([0, -(2 ** bits), 2 ** bits - 1, rng.randint(-(2 ** bits), 2 ** bits - 1),
                           rng.randint(-(2 ** 53) - 10, 2 ** 53 + 10) if bits >= 63 else rng.randint(-100, 100)])
        return f"CAST({edge} AS {type_name})"
    if type_name in ("UTINYINT", "UBIGINT"):
        bits = 8 if type_name == "UTINYINT" else 64
        return f"{rng.choice([0, 2 ** bits - 1, rng.randint(0, 2 ** bits - 1)])}::{type_name}"
    if type_name in ("FLOAT", "DOUBLE"):
        special = rng.choice(["'NaN'", "'Infinity'", "'-Infinity'", "0.1", "-0.0", "1e300" if type_name == "DOUBLE" else "3e38"])
        normal = repr(rng.uniform(-1e6, 1e6))
        return f"CAST({special if rng.random() < 0.3 else normal} AS {type_name})"
    if type_name == "DECIMAL(18,3)":
        return f"CAST({rng.randint(-10 ** 15 + 1, 10 ** 15 - 1) / 1000:.3f} AS DECIMAL(18,3))"
    if type_name == "DECIMAL(38,10)":
        return f"CAST('{rng.randint(-10 ** 27, 10 ** 27)}.{rng.randint(0, 10 ** 10 - 1):010d}' AS DECIMAL(38,10))"
    if type_name == "VARCHAR":
        alphabet = "abc XYZ,;\"'\\\n\t\u00e9\u4e2d\U0001F986"
        return _sql_text("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))) + "::VARCHAR"
    if type_name == "DATE":
        day = dt.date(1, 1, 1) + dt.timedelta(days=rng.randint(0, 3652058))
        return f"DATE '{day.isoformat()}'"
    if type_name in ("TIMESTAMP", "TIMESTAMPTZ"):
        moment = dt.datetime(1700, 1, 1) + dt.timedelta(microseconds=rng.randint(0, 500 * 365 * 86400 * 10 ** 6))
        moment = moment.replace(microsecond=rng.choice([0, 500000, moment.microsecond]))
        suffix = "+00" if type_name == "TIMESTAMPTZ" else ""
        return f"{type_name} '{moment.isoformat(sep=' ')}{suffix}'"
    if type_name == "TIME":
        return f"TIME '{(dt.datetime(2000, 1, 1) + dt.timedelta(microseconds=rng.randint(0, 86399999999))).time()}'"
    if type_name == "UUID":
        return f"'{uuid.UUID(int=rng.getrandbits(128))}'::UUID"
    if type_name == "BLOB":
        return "'" + "".join(f"\\x{rng.randint(0, 255):02X}" for _ in range(rng.randint(0, 8))) + "'::BLOB"
    raise AssertionError(type_name)


SCALAR_TYPES = ["BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "UBIGINT", "FLOAT",
                "DOUBLE", "DECIMAL(18,3)", "DECIMAL(38,10)", "VARCHAR", "DATE", "TIMESTAMP", "TIMESTAMPTZ", "TIME",
                "UUID", "BLOB"]


def test_random_values_of_every_scalar_type_match_the_servers_text_of_them(client, api, rng):
    rows = 40
    literals = [[_random_value(rng, t) for t in SCALAR_TYPES] for _ in range(rows)]
    columns = ", ".join(f"c{i}" for i in range(len(SCALAR_TYPES)))
    values = ", ".join("(" + str(r) + ", " + ", ".join(row) + ")" for r, row in enumerate(literals))
    source = f"(VALUES {values}) AS v(r, {columns})"
    result = client.sql(f"SELECT {columns} FROM {source} ORDER BY r")
    assert [c.type for c in result.columns] == [t.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")
                                               for t in SCALAR_TYPES]
    got = result.fetchall()
    casts = ", ".join(f"CAST(c{i} AS VARCHAR)" for i in range(len(SCALAR_TYPES)))
    reference = api.rows(f"SELECT {casts} FROM {source} ORDER BY r")
    assert len(got) == rows
    for row, expected, literal in zip(got, reference, literals):
        for value, text, type_name, sql in zip(row, expected, SCALAR_TYPES, literal):
            base = type_name.split("(")[0]
            if base == "FLOAT" and value is not None and text is not None:
                # DuckDB's text of a FLOAT is not always the shortest one: compare the numbers.
                same = np.float32(value) == np.float32(float(text))
                assert same or (math.isnan(value) and math.isnan(float(text))), sql
                continue
            assert duckdb_text(value, base) == text, f"{sql}: client gave {value!r}"
    # The DataFrame holds the same values, in dtypes chosen by the SQL types.
    frame = client.sql(f"SELECT {columns} FROM {source} ORDER BY r").df()
    expected_dtypes = {"BOOLEAN": "boolean", "TINYINT": "Int8", "SMALLINT": "Int16", "INTEGER": "Int32",
                       "BIGINT": "Int64", "UTINYINT": "UInt8", "UBIGINT": "UInt64", "FLOAT": "float32",
                       "DOUBLE": "float64", "TIMESTAMPTZ": "datetime64[ns, UTC]"}
    for i, type_name in enumerate(SCALAR_TYPES):
        if type_name in expected_dtypes:
            assert str(frame[f"c{i}"].dtype) == expected_dtypes[type_name], type_name
        column = frame[f"c{i}"].tolist()
        for j, (value, row) in enumerate(zip(column, got)):
            if row[i] is None:
                assert pd.isna(value), (type_name, j)
            elif isinstance(value, pd.Timestamp):
                assert value.to_pydatetime() == row[i] or value.date() == row[i], (type_name, j)
            elif isinstance(value, float) and value != value:
                assert row[i] != row[i]
            else:
                assert value == row[i], (type_name, j, value, row[i])


def test_nested_values_come_back_as_python_lists_dicts_and_typed_leaves(client):
    row = client.sql("SELECT [DATE '2026-01-02', NULL] AS l, {'a': 1.5::DECIMAL(4,2), 'b': [TIMESTAMP '2026-01-01 10:00:00']} AS s, "
                     "MAP {'k': [1, 2]} AS m, row(1, 'x') AS t, [[1, 2], [3]] AS ll, '{\"j\": [1]}'::JSON AS j").fetchone()
    assert row == ([dt.date(2026, 1, 2), None], {"a": Decimal("1.50"), "b": [dt.datetime(2026, 1, 1, 10)]},
                   {"k": [1, 2]}, (1, "x"), [[1, 2], [3]], '{"j": [1]}')


def test_intervals_are_timedeltas_unless_they_hold_months(client):
    assert client.sql("SELECT INTERVAL 1 DAY + INTERVAL 90 MINUTE + INTERVAL 1 MICROSECOND, "
                      "-INTERVAL 2 HOUR, INTERVAL 14 MONTH").fetchone() == (
        dt.timedelta(days=1, minutes=90, microseconds=1), dt.timedelta(hours=-2), "1 year 2 months")


def test_dates_outside_pandas_range_keep_the_column_as_python_objects(client):
    frame = client.sql("SELECT * FROM (VALUES (DATE '0001-01-01'), (DATE '2026-01-01'), (NULL)) t(d)").df()
    assert frame["d"].dtype == object
    assert frame["d"].tolist() == [dt.date(1, 1, 1), dt.date(2026, 1, 1), None]
    inrange = client.sql("SELECT * FROM (VALUES (DATE '1999-01-01'), (NULL)) t(d)").df()
    assert str(inrange["d"].dtype) == "datetime64[ns]"


def test_empty_result_has_columns_and_typed_empty_frame(client):
    result = client.sql("SELECT 1::INTEGER AS a, 'x' AS b WHERE false")
    assert [(c.name, c.type) for c in result.columns] == [("a", "INTEGER"), ("b", "VARCHAR")]
    frame = result.df()
    assert frame.shape == (0, 2) and str(frame["a"].dtype) == "Int32"


def test_duplicate_column_names_stay_as_duckdb_names_them(client):
    frame = client.sql("SELECT 1 AS x, 2 AS x").df()
    assert list(frame.columns) == ["x", "x"] and frame.iloc[0].tolist() == [1, 2]


def test_a_result_is_read_once(client):
    result = client.sql("SELECT 1")
    result.fetchall()
    with pytest.raises(ducklake.DuckLakeError, match="already read"):
        result.fetchall()


def test_large_result_streams_in_bounded_memory(client):
    sql = "SELECT range AS id, range * 2.5 AS amount, 'customer ' || (range % 1000) AS name FROM range(400000)"
    tracemalloc.start()
    try:
        rows = 0
        total = 0
        for row in client.sql(sql):
            rows += 1
            total += row[0]
        _, streamed_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        held = client.sql(sql).fetchall()
        _, held_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == len(held) == 400000 and total == sum(range(400000))
    # Iterating holds a network chunk of rows; fetchall holds them all.
    assert streamed_peak < held_peak / 5, (streamed_peak, held_peak)
    assert streamed_peak < 32 << 20


def test_big_result_as_dataframe_matches_the_servers_aggregates(client, api):
    frame = client.sql("SELECT range AS id, (range % 7)::INTEGER AS k, CASE WHEN range % 5 = 0 THEN NULL ELSE range / 3 END AS v "
                       "FROM range(200000)").df()
    assert len(frame) == 200000
    expected = api.rows("SELECT sum(id), count(v), sum(v), sum(k) FROM (SELECT range AS id, (range % 7)::INTEGER AS k, "
                        "CASE WHEN range % 5 = 0 THEN NULL ELSE range / 3 END AS v FROM range(200000))")[0]
    assert int(frame["id"].sum()) == int(expected[0])
    assert int(frame["v"].count()) == expected[1]
    assert frame["v"].sum() == pytest.approx(expected[2])
    assert int(frame["k"].sum()) == int(expected[3])


def test_to_csv_writes_every_row_and_nothing_when_cut(client, tmp_path):
    target = tmp_path / "out.csv"
    assert client.sql("SELECT range AS i, 'a,b' AS s, NULL AS n FROM range(5000)").to_csv(target) == 5000
    lines = target.read_text().splitlines()
    assert lines[0] == "i,s,n" and lines[1] == '0,"a,b",' and len(lines) == 5001


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory):
    """A server whose results stop after 1 MiB: the response ends without its final chunk."""
    process = ServerProcess.launch(tmp_path_factory.mktemp("capped"), "--max-result-bytes", str(1 << 20),
                                   name="capped server")
    process.wait_healthy()
    yield process
    assert process.stop() == 0


def test_a_cut_off_result_raises_and_to_csv_leaves_no_file(capped_server, tmp_path):
    with ducklake.Client(url=capped_server.base_url) as capped:
        sql = "SELECT range, repeat('x', 100) FROM range(100000)"
        with pytest.raises(ducklake.ResultIncomplete):
            for _ in capped.sql(sql):
                pass
        with pytest.raises(ducklake.ResultIncomplete):
            capped.sql(sql).df()
        target = tmp_path / "cut.csv"
        with pytest.raises(ducklake.ResultIncomplete):
            capped.sql(sql).to_csv(target)
        assert list(tmp_path.iterdir()) == []


def test_snapshot_pins_reads_and_pinned_views_read_one_snapshot(client, ns):
    client.sql(f"CREATE TABLE {ns}.t AS SELECT range AS i FROM range(3)")
    lake = client.pinned()
    client.sql(f"INSERT INTO {ns}.t VALUES (100)")
    assert lake.sql(f"SELECT count(*) FROM {ns}.t").fetchone() == (3,)
    assert client.sql(f"SELECT count(*) FROM {ns}.t").fetchone() == (4,)
    result = client.sql(f"SELECT count(*) FROM {ns}.t", lake.snapshot_id)
    assert result.snapshot_id == lake.snapshot_id and result.fetchone() == (3,)
    assert len(lake.read_table(f"{ns}.t")) == 3


def test_writes_answer_count_and_snapshot(client, ns, api):
    client.sql(f"CREATE TABLE {ns}.t (i BIGINT)")
    written = client.sql(f"INSERT INTO {ns}.t VALUES (1), (2)", message="two rows").fetchone()
    assert written[0] == 2 and written[1] == api.latest_snapshot()
    assert client.sql(f"DELETE FROM {ns}.t WHERE i = 1").df().to_dict("records") == [
        {"rows_deleted": 1, "snapshot_id": written[1] + 1}]


def test_transaction_commits_all_statements_as_one_snapshot_or_nothing(client, ns, api):
    before = api.latest_snapshot()
    answer = client.transaction([f"CREATE TABLE {ns}.t (i INTEGER)", f"INSERT INTO {ns}.t VALUES (1), (2)"],
                                message="setup")
    assert answer["snapshot_id"] == before + 1 and answer["rows_written"] == 2
    with pytest.raises(ducklake.BadRequest, match="statement 2"):
        client.transaction([f"INSERT INTO {ns}.t VALUES (3)", f"INSERT INTO {ns}.t VALUES ('x')"])
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[2]]


def test_timeout_raises_query_timeout(client):
    with pytest.raises(ducklake.QueryTimeout):
        client.sql(SLOW_SELECT, timeout_ms=200).fetchall()


def test_time_travel_by_time(client, ns, api):
    client.sql(f"CREATE TABLE {ns}.t AS SELECT 1 AS i")
    first = api.get("/api/v1/snapshots?limit=1").json()["snapshots"][0]["time"]
    client.sql(f"INSERT INTO {ns}.t VALUES (2)")
    assert client.sql(f"SELECT count(*) FROM {ns}.t", as_of=first).fetchone() == (1,)


def test_arrow_says_what_it_needs_without_pyarrow(client):
    import importlib.util
    if importlib.util.find_spec("pyarrow") is None:
        with pytest.raises(ducklake.DuckLakeError, match="pyarrow"):
            client.arrow("SELECT 1")
    else:
        assert client.arrow("SELECT 1 AS a").to_pydict() == {"a": [1]}
