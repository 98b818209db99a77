"""Tables from Python: write_table streams a DataFrame in and reading it back gives the same frame;
namespaces, descriptions, history, changes and time travel agree with the REST API."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import ducklake
from pysupport import ROOT, unique_name


def random_frame(rng, rows: int) -> pd.DataFrame:
    """Random values of every dtype write_table maps, with NULLs (NaN/None/NaT/<NA>)."""
    gen = np.random.default_rng(rng.randint(0, 2 ** 32))
    nulls = gen.random(rows) < 0.15
    ints = pd.array(gen.integers(-2 ** 62, 2 ** 62, rows), dtype="Int64")
    ints[nulls] = pd.NA
    floats = gen.normal(0, 1e6, rows)
    floats[gen.random(rows) < 0.1] = np.nan
    floats[gen.random(rows) < 0.02] = np.inf
    stamps = pd.Series(pd.to_datetime(gen.integers(0, 4_000_000_000_000_000, rows), unit="us"))
    stamps[nulls] = pd.NaT
    alphabet = list("ab ,\"'\\\n\u00e9\u4e2d") + ["\U0001F986"]
    texts = ["".join(gen.choice(alphabet, gen.integers(0, 10))) for _ in range(rows)]
    texts = [None if n else t for t, n in zip(texts, gen.random(rows) < 0.1)]
    decimals = [None if n else Decimal(int(v)) / 100 for v, n in zip(gen.integers(-10 ** 12, 10 ** 12, rows), nulls)]
    days = [None if n else dt.date(1990, 1, 1) + dt.timedelta(days=int(d))
            for d, n in zip(gen.integers(0, 20000, rows), gen.random(rows) < 0.1)]
    return pd.DataFrame({
        "id": np.arange(rows, dtype=np.int64),
        "small": gen.integers(-128, 127, rows).astype(np.int8),
        "unsigned": gen.integers(0, 2 ** 32 - 1, rows).astype(np.uint32),
        "big": ints,
        "ratio": floats,
        "single": gen.normal(0, 1, rows).astype(np.float32),
        "flag": pd.array([None if n else bool(b) for b, n in zip(gen.integers(0, 2, rows), nulls)], dtype="boolean"),
        "at": stamps,
        "at_utc": stamps.dt.tz_localize("UTC").dt.tz_convert("America/New_York"),
        "name": texts,
        "amount": decimals,
        "day": days,
        "kind": pd.Categorical(gen.choice(["a", "b", None], rows)),
    })


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["at_utc"] = out["at_utc"].dt.tz_convert("UTC")
    out["kind"] = out["kind"].astype(object).where(out["kind"].notna(), None)
    out["day"] = [None if pd.isna(v) else (v.date() if isinstance(v, pd.Timestamp) else v) for v in out["day"]]
    out["name"] = out["name"].where(out["name"].notna(), None)
    return out.reset_index(drop=True)


def test_write_table_then_read_table_gives_the_frame_back(client, ns, rng, api):
    frame = random_frame(rng, 3000)
    answer = client.write_table(f"{ns}.t", frame, mode="create")
    assert answer["rows_written"] == 3000 and answer["created_table"] is True
    described = api.describe(ns, "t")
    assert [(c["name"], c["type"]) for c in described["columns"]] == [
        ("id", "int64"), ("small", "int8"), ("unsigned", "uint32"), ("big", "int64"), ("ratio", "float64"),
        ("single", "float32"), ("flag", "boolean"), ("at", "timestamp"), ("at_utc", "timestamptz"),
        ("name", "varchar"), ("amount", "decimal(18,2)"), ("day", "date"), ("kind", "varchar")]
    back = client.sql(f"SELECT * FROM {ns}.t ORDER BY id").df()
    expected = _normalised(frame)
    got = _normalised(back)
    for column in expected.columns:
        left, right = expected[column].tolist(), got[column].tolist()
        for i, (a, b) in enumerate(zip(left, right)):
            if pd.isna(a) if not isinstance(a, (list, dict)) else False:
                assert pd.isna(b), (column, i, a, b)
            else:
                assert a == b, (column, i, a, b)
    # The server's own count of NULLs agrees with the frame's.
    nulls = api.rows(f"SELECT count(*) - count(big), count(*) - count(name), count(*) - count(\"at\") FROM {ns}.t")[0]
    assert nulls == [int(frame["big"].isna().sum()), int(frame["name"].isna().sum()), int(frame["at"].isna().sum())]


def test_modes_create_append_overwrite(client, ns, api):
    frame = pd.DataFrame({"id": [1, 2], "label": ["a", "b"]})
    client.write_table(f"{ns}.t", frame, mode="create")
    with pytest.raises(ducklake.Conflict):
        client.write_table(f"{ns}.t", frame, mode="create")
    appended = client.write_table(f"{ns}.t", frame[["label", "id"]], mode="append")  # matched by name
    assert appended["created_table"] is False and api.rows(f"SELECT count(*) FROM {ns}.t") == [[4]]
    client.write_table(f"{ns}.t", pd.DataFrame({"id": [9], "label": ["z"]}), mode="overwrite")
    assert api.rows(f"SELECT * FROM {ns}.t") == [[9, "z"]]
    # append creates a missing table; operations show in the history
    client.write_table(f"{ns}.fresh", frame)
    assert client.history(f"{ns}.t")["operation"].tolist() == ["overwrite", "insert", "create"]
    assert list(client.history(f"{ns}.t")[["operation", "rows_added", "rows_deleted"]].itertuples(index=False)) == [
        tuple(entry) for entry in reversed(api.history(ns, "t"))]


def test_empty_frames_create_or_empty_their_table(client, ns, api):
    empty = pd.DataFrame({"id": pd.Series([], dtype="int64"), "at": pd.Series([], dtype="datetime64[ns]")})
    made = client.write_table(f"{ns}.e", empty, mode="create")
    assert made["created_table"] and [(c["name"], c["type"]) for c in api.describe(ns, "e")["columns"]] == [
        ("id", "int64"), ("at", "timestamp")]
    client.write_table(f"{ns}.e", pd.DataFrame({"id": [1], "at": [pd.Timestamp("2026-01-01")]}))
    assert client.write_table(f"{ns}.e", empty, mode="overwrite")["rows_written"] == 0
    assert api.rows(f"SELECT count(*) FROM {ns}.e") == [[0]]


@pytest.mark.parametrize("bad, message", [
    (lambda c, ns: c.write_table("nodot", pd.DataFrame({"a": [1]})), "bad table name"),
    (lambda c, ns: c.write_table(f"{ns}.t", pd.DataFrame({"a": [1]}), mode="upsert"), "mode must be"),
    (lambda c, ns: c.write_table(f"{ns}.t", [1, 2, 3]), "expected a pandas DataFrame"),
    (lambda c, ns: c.write_table(f"{ns}.t", pd.DataFrame({"a": [1], "A": [2]})), "twice"),
    (lambda c, ns: c.write_table(f"{ns}.t", pd.DataFrame({"a": [object()]})), "cannot store"),
    (lambda c, ns: c.write_table(f"{ns}.t", pd.DataFrame({"a": [1, "x"]})), "cannot store"),
    (lambda c, ns: c.write_table(f"{ns}.t", pd.DataFrame()), "no columns"),
])
def test_bad_frames_are_refused_before_anything_is_sent(client, ns, api, bad, message):
    before = api.latest_snapshot()
    with pytest.raises(ducklake.BadRequest, match=message) as raised:
        bad(client, ns)
    assert isinstance(raised.value, ValueError) and raised.value.status is None
    assert api.latest_snapshot() == before


def test_rows_that_do_not_fit_the_table_change_nothing(client, ns, api):
    client.create_table(f"{ns}.t", {"id": "INTEGER"})
    before = api.latest_snapshot()
    with pytest.raises(ducklake.BadRequest):
        client.write_table(f"{ns}.t", pd.DataFrame({"id": [1, 2 ** 40]}))
    assert api.latest_snapshot() == before and api.rows(f"SELECT count(*) FROM {ns}.t") == [[0]]


def test_namespaces_tables_and_descriptions_match_the_api(client, api):
    name = unique_name("nsx")
    assert client.create_namespace(name)["name"] == name
    with pytest.raises(ducklake.Conflict):
        client.create_namespace(name)
    client.create_table(f"{name}.a", [("id", "BIGINT"), ("v", "DECIMAL(10,2)")])
    assert [t["name"] for t in client.tables(name)] == ["a"]
    assert client.table(f"{name}.a") == api.get(f"/api/v1/namespaces/{name}/tables/a").json()
    assert name in [n["name"] for n in client.namespaces()]
    with pytest.raises(ducklake.Conflict):
        client.drop_namespace(name)
    client.drop_table(f"{name}.a")
    assert not client.table_exists(f"{name}.a")
    client.drop_namespace(name)
    with pytest.raises(ducklake.NotFound):
        client.tables(name)


def test_time_travel_and_changes_between_snapshots(client, ns, api):
    first = client.write_table(f"{ns}.t", pd.DataFrame({"id": [1, 2, 3], "v": ["a", "b", "c"]}), mode="create")
    client.sql(f"UPDATE {ns}.t SET v = 'B' WHERE id = 2")
    last = client.sql(f"DELETE FROM {ns}.t WHERE id = 3").fetchone()[1]
    assert client.read_table(f"{ns}.t", first["snapshot_id"]).sort_values("id")["v"].tolist() == ["a", "b", "c"]
    changes = client.changes(f"{ns}.t", first["snapshot_id"], last)
    reference = api.changes(ns, "t", **{"from": first["snapshot_id"], "to": last})
    assert changes.astype(object).where(changes.notna(), None).values.tolist() == reference
    assert changes["change_type"].tolist() == ["update_preimage", "update_postimage", "delete"]
    assert str(changes["snapshot_id"].dtype) == "Int64"
    snapshots = client.snapshots(limit=3)
    assert snapshots["snapshot_id"].tolist() == [last, last - 1, last - 2]
    assert str(snapshots["time"].dtype) == "datetime64[ns, UTC]"


def test_ingest_from_a_volume_object(client, ns, volume, api):
    client.put_object(volume, "drops/a.csv", b"id,city\n1,Oslo\n2,Paris\n")
    answer = client.ingest(f"{ns}.cities", volume, "drops/a.csv", mode="create")
    assert answer["rows_written"] == 2 and answer["source"]["key"] == "drops/a.csv"
    assert api.rows(f"SELECT * FROM {ns}.cities ORDER BY id") == [[1, "Oslo"], [2, "Paris"]]
    with pytest.raises(ducklake.NotFound):
        client.ingest(f"{ns}.cities", volume, "drops/none.csv")


WRITE_RSS_SCRIPT = textwrap.dedent("""
    import resource, sys
    import numpy as np, pandas as pd
    sys.path.insert(0, sys.argv[1])
    import ducklake
    rows = int(sys.argv[3])
    frame = pd.DataFrame({"id": np.arange(rows), "v": np.random.default_rng(1).random(rows),
                          "s": pd.Series(np.arange(rows) % 1000).astype(str)})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    answer = ducklake.Client(url=sys.argv[2]).write_table(sys.argv[4], frame, mode="create")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert answer["rows_written"] == rows
    print(before, after)
""")


def test_write_table_memory_does_not_grow_with_the_frame(server, ns):
    """Peak RSS added by write_table, for a frame 4x as large: the frame is sent a slice at a time."""
    growth = []
    for rows, table in ((250_000, "small"), (1_000_000, "large")):
        out = subprocess.run([sys.executable, "-c", WRITE_RSS_SCRIPT, str(ROOT / "python"), server.base_url,
                              str(rows), f"{ns}.{table}"], capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        before, after = map(int, out.stdout.split())
        growth.append(after - before)
    # KiB. A whole-frame copy would add ~4x as much for the large frame as for the small.
    assert growth[1] < growth[0] * 1.6 + 16 * 1024, growth
