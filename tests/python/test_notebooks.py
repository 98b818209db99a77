"""The marimo notebooks (notebooks/*.py) and the logic they compose (ducklake.quality,
ducklake.explore).

Each notebook is checked as a marimo file without marimo (notebook_check.py: the cells' dataflow
graph read with ast), then run cell by cell against the session server with a stand-in for marimo
(marimo_standin.py: marimo cannot be installed here), and every DuckLake function a notebook
calls must have been called by it. The package's checks and profiles are compared with pandas
over the rows the test itself generated.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import urllib.parse
from decimal import Decimal

# Before anything imports matplotlib: there is no display here.
os.environ["MPLBACKEND"] = "Agg"

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import ducklake  # noqa: E402
import marimo_standin  # noqa: E402
from ducklake import explore, quality  # noqa: E402
from notebook_check import NotebookError, check_notebook, check_source, record_package_calls, run_notebook  # noqa: E402
from pysupport import ROOT, expect_status, unique_name  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))
PRICE = 'unit "price"'  # column names that need quoting in SQL
FLAG = "it's select"


# --- test data ---------------------------------------------------------------------------------------------------


def random_orders(rng, count: int, first_id: int = 1) -> pd.DataFrame:
    """Orders with repeated ids, NULLs in every column but ``line``, columns whose names need
    quoting, and times in the last two hours (whole milliseconds, so they read back exactly)."""
    now = pd.Timestamp.now(tz="UTC").floor("ms")
    ids = [first_id + rng.randrange(count) if rng.random() < 0.9 else None for _ in range(count)]
    return pd.DataFrame({
        "order_id": pd.array(ids, dtype="Int64"),
        "line": pd.array([rng.randrange(3) for _ in range(count)], dtype="Int64"),
        "customer": [rng.choice(["ada", "bob", "cy", "dee"]) if rng.random() < 0.8 else None for _ in range(count)],
        PRICE: [rng.randrange(1, 400) / 4 if rng.random() < 0.85 else np.nan for _ in range(count)],
        FLAG: [rng.random() < 0.5 if rng.random() < 0.9 else None for _ in range(count)],
        "order_ts": pd.to_datetime([now - pd.Timedelta(seconds=rng.randrange(60, 7200)) if rng.random() < 0.9
                                    else None for _ in range(count)], utc=True),
    })


def expected_checks(frame: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(check, column) -> observed, computed with pandas."""
    present = frame.dropna(subset=["order_id", "line"])
    return {
        ("unique", "order_id"): frame["order_id"].notna().sum() - frame["order_id"].nunique(),
        ("unique", "order_id, line"): len(present) - len(present.drop_duplicates(["order_id", "line"])),
        **{("not_null", c): frame[c].isna().sum() for c in frame.columns},
    }


@pytest.fixture
def orders(client, ns, rng) -> tuple[str, pd.DataFrame]:
    table = f"{ns}.orders"
    frame = random_orders(rng, 300)
    client.write_table(table, frame, mode="create")
    return table, frame


# --- the notebooks, statically ---------------------------------------------------------------------------------


def test_the_notebooks_are_there():
    assert {"explore.py", "quality.py", "datagen.py"} <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_is_a_marimo_file(path):
    notebook = check_notebook(path)
    assert len(notebook.order) == len(notebook.cells) > 3
    assert any(str(call) == "ducklake.Client" for call in notebook.calls), "the connection comes from ducklake.Client()"


MINIMAL = '''import marimo

__generated_with = "0.9.14"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    return (mo,)


@app.cell
def _(mo):
    limit = mo.ui.slider(start=1, stop=10, value=3)
    _note = "private names may repeat"
    limit
    return (limit,)


@app.cell(hide_code=True)
def _(limit, mo):
    _note = [_i for _i in range(limit.value)]
    mo.md(f"{_note}")
    return


if __name__ == "__main__":
    app.run()
'''


def test_the_checker_accepts_a_well_formed_notebook():
    notebook = check_source(MINIMAL, "minimal.py")
    assert [cell.returns for cell in notebook.order] == [("mo",), ("limit",), ()]


def _cell(source: str) -> str:
    return MINIMAL.replace('\n\nif __name__', f"\n\n{source}\n\nif __name__")


BROKEN = {
    "cycle": (_cell("@app.cell\ndef _(b):\n    a = b\n    return (a,)\n\n\n"
                    "@app.cell\ndef _(a):\n    b = a\n    return (b,)"), "the cells at lines 29, 35 form a cycle"),
    "duplicate": (_cell("@app.cell\ndef _(mo):\n    limit = mo.ui.number(start=0, stop=9)\n    return (limit,)"),
                  "limit is defined by the cells at lines 14 and 29"),
    "undefined parameter": (_cell("@app.cell\ndef _(nowhere):\n    print(nowhere)\n    return"),
                            "takes nowhere, which no cell defines"),
    "no app": (MINIMAL.replace('app = marimo.App(width="medium")', ""), "no app = marimo.App(...)"),
    "app without marimo": (MINIMAL.replace("app = marimo.App(", "app = App("), "not part of a marimo notebook"),
    "no footer": (MINIMAL.split("\n\nif __name__")[0] + "\n", 'if __name__ == "__main__": app.run()'),
    "not a cell": (_cell("def helper():\n    return 1"), "not part of a marimo notebook"),
    "unreturned definition": (_cell("@app.cell\ndef _():\n    extra = 1\n    return"),
                              "returns [] but defines ['extra']"),
    "returns what it does not define": (_cell("@app.cell\ndef _():\n    return (ghost,)"),
                                        "returns ['ghost'] but defines []"),
    "uses a name it does not take": (_cell("@app.cell\ndef _():\n    print(limit.value)\n    return"),
                                     "uses limit without taking it as a parameter"),
    "reassigned parameter": (_cell("@app.cell\ndef _(limit):\n    limit = limit.value\n    return"),
                             "assigns limit, which it takes from another cell"),
    "returns a bare name": (_cell("@app.cell\ndef _():\n    bare = 1\n    return bare"),
                            "must return a tuple of names"),
    "unused parameter": (_cell("@app.cell\ndef _(limit):\n    print(1)\n    return"), "takes limit but never uses it"),
    "return not last": (_cell("@app.cell\ndef _(mo):\n    return\n    mo.md('x')"), "must end with its one return"),
    "syntax error": (MINIMAL.replace("def _(mo):", "def _(mo)"), "line 14: expected ':'"),
    "cell before the app": (MINIMAL.replace('app = marimo.App(width="medium")\n', "").replace(
        "\n@app.cell(hide_code=True)", 'app = marimo.App(width="medium")\n\n\n@app.cell(hide_code=True)'),
        "line 7: a cell comes before app = marimo.App(...)"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_the_checker_refuses_a_broken_notebook(case):
    source, problem = BROKEN[case]
    with pytest.raises(NotebookError) as refused:
        check_source(source, f"{case}.py")
    assert any(problem in p for p in refused.value.problems), refused.value.problems


# --- the notebooks, run ------------------------------------------------------------------------------------------


@pytest.fixture
def run_live(client, server, monkeypatch):
    """Runs a notebook against the session server with marimo's stand-in and the given command
    line arguments; checks that every cell ran and every DuckLake call it names was made."""
    monkeypatch.setitem(sys.modules, "marimo", marimo_standin)
    monkeypatch.setenv("DUCKLAKE_URL", server.base_url)
    for variable in ("DUCKLAKE_TOKEN", "DUCKLAKE_PROFILE"):
        monkeypatch.delenv(variable, raising=False)

    def run(name: str, **cli_args) -> dict:
        notebook = check_notebook(ROOT / "notebooks" / name)
        calls = record_package_calls(notebook, client, monkeypatch.setattr)
        marimo_standin.set_cli_args(cli_args)
        outcome = run_notebook(notebook)
        assert not outcome.stopped and not outcome.skipped, [(cell.line, output) for cell, output in outcome.stopped]
        assert all(calls.values()), f"never called by {name}: {[c for c, n in calls.items() if not n]}"
        return outcome.values

    yield run
    marimo_standin.set_cli_args({})
    plt.close("all")


def test_a_run_leaves_out_what_mo_stop_stops_and_sees_calls_not_made(tmp_path, monkeypatch, client):
    path = tmp_path / "stopping.py"
    path.write_text(_cell("@app.cell\ndef _():\n    import ducklake.explore\n    return (ducklake,)\n\n\n"
                          "@app.cell\ndef _(limit, mo):\n    mo.stop(limit.value > 2, 'too many')\n    shown = 1\n"
                          "    return (shown,)\n\n\n"
                          "@app.cell\ndef _(ducklake, shown):\n    ducklake.explore.chart_axes(shown)\n    return"))
    monkeypatch.setitem(sys.modules, "marimo", marimo_standin)
    notebook = check_notebook(path)
    calls = record_package_calls(notebook, client, monkeypatch.setattr)
    outcome = run_notebook(notebook)
    assert [(cell.returns, output) for cell, output in outcome.stopped] == [(("shown",), "too many")]
    assert [cell.parameters for cell in outcome.skipped] == [("ducklake", "shown")]
    assert calls == {"ducklake.explore.chart_axes": 0}


def test_the_explore_notebook_runs(run_live, orders, client):
    table, frame = orders
    values = run_live("explore.py", table=table)
    assert values["table_picker"].value == table
    assert table in set(values["overview"]["table"])
    assert list(values["profile"]["column"]) == list(frame.columns)
    assert len(values["result"]) == len(frame)
    assert values["x_axis"].value == "order_ts" and values["y_axes"].value == ["line", PRICE]


def test_the_quality_notebook_runs(run_live, orders, api):
    table, frame = orders
    namespace = table.split(".")[0]
    values = run_live("quality.py", table=table)
    results = values["results"]
    assert list(results["check_name"]) == ["unique", *["not_null"] * len(values["not_null_columns"].value),
                                           "freshness"]
    assert values["written"]["rows_written"] == len(results)
    kept = api.rows(f"SELECT count(*) FROM {namespace}.quality_results WHERE table_name = '{table}'")
    assert kept == [[len(results)]]
    assert f"job:ducklake-python:quality.{table}" in set(values["checks_lineage"]["origin"])


def test_the_datagen_notebook_runs(run_live, client):
    namespace = unique_name("gen")
    values = run_live("datagen.py", scale=0.02, seed=7, batches=2, namespace=namespace, volume=unique_name("files"))
    report = values["report"]
    assert report.files > 0 and all(rows > 0 for rows in report.tables.values())
    assert dict(zip(values["generated"]["table"], values["generated"]["rows"])) == report.tables
    # The generated orders repeat some ids on purpose; the unique check finds exactly those.
    unique = quality.check_table(client, f"{namespace}.orders", unique=["order_id"]).iloc[0]
    assert unique["observed"] == report.expected.duplicate_orders > 0 and not unique["passed"]


# --- quality -------------------------------------------------------------------------------------------------------


def test_check_table_counts_what_pandas_counts(client, orders):
    table, frame = orders
    results = quality.check_table(client, table, unique=["order_id", ["order_id", "line"]],
                                  not_null=list(frame.columns), freshness=("order_ts", dt.timedelta(hours=3)))
    expected = expected_checks(frame)
    observed = {(r.check_name, r.column_name): r.observed for r in results.itertuples() if r.check_name != "freshness"}
    assert observed == pytest.approx(expected)
    for row in results.itertuples():
        if row.check_name != "freshness":
            assert row.passed == (expected[row.check_name, row.column_name] == 0) and row.threshold == 0
    fresh = results.iloc[-1]
    age = (fresh["checked_at"] - frame["order_ts"].max()).total_seconds()
    assert fresh["observed"] == pytest.approx(age, abs=1e-3) and fresh["threshold"] == 3 * 3600 and fresh["passed"]
    assert tuple(results.columns) == quality.RESULT_COLUMNS
    assert set(results["table_name"]) == {table} and results["checked_at"].nunique() == 1


def test_check_table_reads_one_snapshot(client, orders, rng):
    table, first = orders
    then = client.latest_snapshot()
    more = random_orders(rng, 100, first_id=10_000)
    now = client.write_table(table, more)["snapshot_id"]
    for snapshot, frame in ((then, first), (None, pd.concat([first, more], ignore_index=True))):
        results = quality.check_table(client, table, unique=["order_id"], not_null=["customer"], snapshot=snapshot)
        assert set(results["snapshot_id"]) == {then if snapshot else now}
        assert list(results["observed"]) == [expected_checks(frame)["unique", "order_id"],
                                             expected_checks(frame)["not_null", "customer"]]


def test_freshness_fails_when_too_old_or_empty(client, ns):
    table = f"{ns}.events"
    day = pd.Timestamp("2026-01-05")
    client.write_table(table, pd.DataFrame({"day": [day.date(), (day - pd.Timedelta(days=1)).date()]}))
    old = quality.check_table(client, table, freshness=("day", dt.timedelta(days=1))).iloc[0]
    assert not old["passed"] and old["observed"] == pytest.approx((old["checked_at"] - day.tz_localize("UTC"))
                                                                   .total_seconds(), abs=1e-3)
    client.sql(f"DELETE FROM {table}").fetchall()
    empty = quality.check_table(client, table, freshness=("day", dt.timedelta(days=1))).iloc[0]
    assert not empty["passed"] and np.isnan(empty["observed"])


def test_null_profile_and_table_profile_match_pandas(client, orders):
    table, frame = orders
    nulls = quality.null_profile(client, table)
    profile = explore.table_profile(client, table)
    assert list(nulls.columns) == ["column", "type", "rows", "nulls", "null_fraction"]
    assert profile.iloc[:, :5].equals(nulls)
    for row in profile.itertuples():
        values = frame[row.column].dropna()
        assert (row.rows, row.nulls, row.distinct) == (len(frame), frame[row.column].isna().sum(), values.nunique())
        assert row.null_fraction == pytest.approx(row.nulls / len(frame))
        if row.column == "order_ts":
            assert (pd.Timestamp(row.min), pd.Timestamp(row.max)) == (values.min(), values.max())
        elif row.column == PRICE:
            assert (float(row.min), float(row.max)) == (values.min(), values.max())
        elif row.column == FLAG:
            assert (row.min, row.max) == (str(values.min()).lower(), str(values.max()).lower())
        else:
            assert (row.min, row.max) == (str(values.min()), str(values.max()))


def test_suggested_checks_fit_the_table(client, orders):
    table, frame = orders
    suggested = quality.suggest_checks(client, table)
    assert suggested == {"unique": ["order_id"], "not_null": [c for c in frame.columns if frame[c].notna().all()],
                         "freshness": ("order_ts", dt.timedelta(days=1))}
    assert len(quality.check_table(client, table, **suggested)) == 2 + len(suggested["not_null"])


def test_results_are_appended_and_reported_to_lineage(client, api, orders):
    table, _ = orders
    namespace = table.split(".")[0]
    results_table = f"{namespace}.checks"
    first = quality.check_table(client, table, not_null=["customer"])
    assert quality.write_results(client, first, results_table)["created_table"] is True
    second = quality.check_table(client, table, unique=["order_id"])
    assert quality.write_results(client, second, results_table)["created_table"] is False
    kept = api.rows(f"SELECT check_name, observed, snapshot_id FROM {results_table} ORDER BY check_name")
    assert kept == [["not_null", first.loc[0, "observed"], first.loc[0, "snapshot_id"]],
                    ["unique", second.loc[0, "observed"], second.loc[0, "snapshot_id"]]]
    back = quality.read_results(client, results_table, table)
    assert list(back["check_name"]) == ["unique", "not_null"]  # newest first
    assert quality.read_results(client, results_table, "other.table").empty

    job = urllib.parse.quote(f"quality.{table}", safe="")
    runs = expect_status(api.get(f"/marquez/api/v1/namespaces/ducklake-python/jobs/{job}/runs"), 200).json()["runs"]
    assert [r["state"] for r in runs] == ["COMPLETED", "COMPLETED"]
    assert {d["datasetVersionId"]["name"] for d in runs[0]["inputDatasetVersions"]} == {table}
    assert {d["datasetVersionId"]["name"] for d in runs[0]["outputDatasetVersions"]} == {results_table}


def test_lake_overview_matches_the_api(client, api, orders):
    table, frame = orders
    namespace = table.split(".")[0]
    client.write_table(f"{namespace}.small", pd.DataFrame({"a": [1]}))
    overview = explore.lake_overview(client)
    ours = overview[overview["namespace"] == namespace]
    listed = expect_status(api.get(f"/api/v1/namespaces/{namespace}/tables"), 200).json()["tables"]
    assert list(ours["table"]) == sorted(f"{namespace}.{t['name']}" for t in listed)
    for row, described in zip(ours.itertuples(), sorted(listed, key=lambda t: t["name"])):
        assert (row.rows, row.size_bytes, row.files, row.columns, row.snapshot_id) == (
            described["row_count"], described["size_bytes"], described["file_count"], len(described["columns"]),
            described["snapshot_id"])
    assert ours.loc[ours["table"] == table, "rows"].item() == len(frame)


def test_chart_draws_lines_over_time_and_bars_over_text():
    frame = pd.DataFrame({"order_id": [3, 1, 2], "day": pd.to_datetime(["2026-01-03", "2026-01-01", "2026-01-02"]),
                          "revenue": [Decimal("3.50"), Decimal("1.25"), None], "status": ["b", "a", "c"]})
    assert explore.chart_axes(frame) == ("day", ["revenue"])
    lines = explore.chart(frame)
    assert [line.get_label() for line in lines.get_lines()] == ["revenue"]
    np.testing.assert_array_equal(lines.get_lines()[0].get_ydata(), [1.25, np.nan, 3.5])  # in day order
    bars = explore.chart(frame, x="status", y="order_id")
    assert [p.get_height() for p in bars.patches] == [3, 1, 2]
    plt.close("all")


@pytest.mark.parametrize("call, error", [
    (lambda c, t: quality.check_table(c, t.split(".")[0] + ".missing", not_null=["a"]), ducklake.NotFound),
    (lambda c, t: quality.null_profile(c, t.split(".")[0] + ".missing"), ducklake.NotFound),
    (lambda c, t: explore.table_profile(c, "no_such_namespace.orders"), ducklake.NotFound),
    (lambda c, t: quality.check_table(c, t, not_null=["nope"]), ducklake.BadRequest),
    (lambda c, t: quality.check_table(c, t, unique=[["order_id", 'x" FROM y --']]), ducklake.BadRequest),
    (lambda c, t: quality.check_table(c, t, freshness=("customer", dt.timedelta(days=1))), ducklake.BadRequest),
    (lambda c, t: quality.check_table(c, t, freshness=("order_ts", dt.timedelta(0))), ducklake.BadRequest),
    (lambda c, t: quality.check_table(c, t), ducklake.BadRequest),
    (lambda c, t: quality.check_table(c, 'x"."y', not_null=["a"]), ducklake.BadRequest),
    (lambda c, t: quality.null_profile(c, "a.b.c"), ducklake.BadRequest),
    (lambda c, t: quality.write_results(c, pd.DataFrame({"a": [1]}), t + "_results"), ducklake.BadRequest),
    (lambda c, t: quality.write_results(c, quality.check_table(c, t, unique=["order_id"]), "bad name"),
     ducklake.BadRequest),
    (lambda c, t: quality.read_results(c, t, limit=-1), ducklake.BadRequest),
    (lambda c, t: explore.chart(pd.DataFrame({"a": ["x"]})), ducklake.BadRequest),
    (lambda c, t: explore.chart(pd.DataFrame({"a": [1]}), y="b"), ducklake.BadRequest),
], ids=["missing table", "missing table profile", "missing namespace", "bad column", "bad key column",
        "freshness of text", "no max age", "no checks", "quoted table name", "three-part name", "not results",
        "bad results table", "negative limit", "nothing numeric", "unknown y"])
def test_bad_input_is_refused(client, orders, call, error):
    table, _ = orders
    with pytest.raises(error):
        call(client, table)
