"""bench/suite.py's own logic on synthetic records: the comparison with earlier runs, the record
contract, the generated section of docs/BENCHMARKS.md and the plots. Runs no benchmark."""

import json
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import benchlib  # noqa: E402
import suite  # noqa: E402


def ratio(name, value, bench="query"):
    return {"kind": "figure", "bench": bench, "name": name, "value": value, "unit": "ratio"}


def earlier_run(date, *figures):
    return (Path(f"bench/results/{date}.json"), {"date": date, "figures": list(figures)})


def lines_for(now, earlier):
    return suite.comparison_lines(suite.compare_ratios(now, earlier), earlier, "full")


# --- the comparison ----------------------------------------------------------------------------

def test_a_fall_of_20_percent_is_reported():
    lines = lines_for([ratio("csv streaming", 0.8)], [earlier_run("2026-12-01 10:00 UTC", ratio("csv streaming", 1.0))])
    assert lines == ["FELL  query / csv streaming: 1.00 -> 0.80 (-20 %, last recorded 2026-12-01 10:00 UTC)"]


def test_a_fall_of_10_percent_is_not_reported():
    lines = lines_for([ratio("csv streaming", 0.9)], [earlier_run("2026-12-01 10:00 UTC", ratio("csv streaming", 1.0))])
    assert not any(line.startswith("FELL") for line in lines)
    assert lines == ["No ratio fell by more than 15 % against its last recorded full run."]


def test_a_rise_is_not_reported():
    lines = lines_for([ratio("csv streaming", 2.0)], [earlier_run("2026-12-01 10:00 UTC", ratio("csv streaming", 1.0))])
    assert not any(line.startswith(("FELL", "NEW")) for line in lines)


def test_a_ratio_no_earlier_run_recorded_is_reported_as_new():
    lines = lines_for([ratio("csv streaming", 0.9), ratio("json streaming", 0.7)],
                      [earlier_run("2026-12-01 10:00 UTC", ratio("csv streaming", 0.9))])
    assert "NEW   query / json streaming: 0.70 (no earlier full run recorded it)" in lines
    assert not any("csv streaming" in line for line in lines)


def test_each_ratio_is_compared_with_the_newest_run_that_recorded_it():
    # The newest run (an --only run) lacks the csv ratio: the one before it has it.
    earlier = [earlier_run("2026-12-03 10:00 UTC", ratio("json streaming", 1.0)),
               earlier_run("2026-12-02 10:00 UTC", ratio("csv streaming", 1.0), ratio("json streaming", 0.5)),
               earlier_run("2026-12-01 10:00 UTC", ratio("csv streaming", 0.5))]
    comparisons = suite.compare_ratios([ratio("csv streaming", 0.7), ratio("json streaming", 0.7)], earlier)
    assert [(c.name, c.before, c.before_date) for c in comparisons] == [
        ("csv streaming", 1.0, "2026-12-02 10:00 UTC"), ("json streaming", 1.0, "2026-12-03 10:00 UTC")]
    assert [c.fell for c in comparisons] == [True, True]


def test_measurements_are_not_compared():
    figures = [{"kind": "figure", "bench": "query", "name": "point query p50", "value": 9.0, "unit": "ms"}]
    earlier = [earlier_run("2026-12-01 10:00 UTC", {**figures[0], "value": 1.0})]
    assert suite.compare_ratios([f for f in figures if f["unit"] == "ratio"], earlier) == []


def test_without_an_earlier_run_it_says_so():
    assert lines_for([ratio("csv streaming", 0.9)], []) == [
        "No earlier full run to compare with."]


def test_earlier_results_are_read_newest_first(tmp_path):
    for stamp in ("20261201T100000Z", "20261203T100000Z", "20261202T100000Z"):
        (tmp_path / f"{stamp}.json").write_text(json.dumps({"date": stamp, "figures": []}))
    assert [results["date"] for _, results in suite.earlier_results(tmp_path)] == [
        "20261203T100000Z", "20261202T100000Z", "20261201T100000Z"]


def test_a_broken_results_file_stops_the_comparison_clearly(tmp_path):
    (tmp_path / "20261201T100000Z.json").write_text("{}")
    with pytest.raises(SystemExit, match="20261201T100000Z.json is not a results file"):
        suite.earlier_results(tmp_path)


# --- the record contract -----------------------------------------------------------------------

def write_lines(path, *lines):
    path.write_text("".join(line + "\n" for line in lines))
    return path


GOOD = json.dumps(ratio("csv streaming", 0.86))


@pytest.mark.parametrize("line, reason", [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"kind": "figures"}', '"kind" is \'figures\''),
    (json.dumps({"kind": "figure", "bench": "query", "name": "csv", "value": 1.0}), 'no "unit"'),
    (json.dumps({**ratio("csv", 1.0), "detials": {}}), 'unknown field "detials"'),
    (json.dumps({**ratio("csv", 1.0), "value": "fast"}), '"value" is not a finite number'),
    ('{"kind": "figure", "bench": "query", "name": "csv", "value": NaN, "unit": "ratio"}', '"value" is not a finite'),
    (json.dumps(ratio("csv", -0.5)), "a ratio must be above 0"),
    (json.dumps({"kind": "series", "bench": "query", "name": "api", "unit": "ms", "x": [1, 2], "y": [0.5],
                 "plot": "latency-cdf", "xlabel": "ms", "ylabel": "fraction"}), '"x" has 2 values and "y" 1'),
    (json.dumps({"kind": "series", "bench": "query", "name": "api", "unit": "ms", "x": [1], "y": [0.5],
                 "plot": "Latency CDF", "xlabel": "ms", "ylabel": "fraction"}), '"plot" is not lowercase'),
])
def test_a_malformed_record_line_fails_clearly_and_adds_nothing(tmp_path, line, reason):
    path = write_lines(tmp_path / "query.jsonl", GOOD, line)
    gathered = suite.Gathered()
    with pytest.raises(suite.RecordError) as raised:
        gathered.add_file(path)
    assert str(raised.value).startswith(f"{path}, line 2: ")
    assert reason in str(raised.value)
    assert gathered.figures == [] and gathered.series == []


def test_a_figure_recorded_twice_fails(tmp_path):
    gathered = suite.Gathered()
    gathered.add_file(write_lines(tmp_path / "a.jsonl", GOOD))
    with pytest.raises(suite.RecordError, match="query / csv streaming is recorded twice"):
        gathered.add_file(write_lines(tmp_path / "b.jsonl", GOOD))
    assert len(gathered.figures) == 1


def test_a_plot_of_numbers_and_categories_fails(tmp_path):
    series = {"kind": "series", "bench": "files", "unit": "MB/s", "plot": "transfer-rates", "xlabel": "transfer",
              "ylabel": "MB/s"}
    path = write_lines(tmp_path / "files.jsonl", json.dumps({**series, "name": "API", "x": ["PUT"], "y": [700]}),
                       json.dumps({**series, "name": "baseline", "x": [1], "y": [1500]}))
    with pytest.raises(suite.RecordError, match="mixes series of numbers and of categories"):
        suite.Gathered().add_file(path)


def test_a_script_that_recorded_nothing_adds_no_figures(tmp_path):
    assert suite.Gathered().add_file(tmp_path / "never-written.jsonl") == 0


def test_what_benchlib_records_keeps_the_contract(tmp_path, monkeypatch):
    path = tmp_path / "records.jsonl"
    monkeypatch.setenv(benchlib.RECORD_ENV, str(path))
    benchlib.record_figure("lineage", "small commit SQLite", 0.8, "ratio", on_per_s=400.0, off_per_s=500.0)
    benchlib.record_figure("lineage", "small commit SQLite: p50 with lineage", 2.5, "ms")
    x, y = benchlib.cdf([float(n) for n in range(1, 1001)])
    benchlib.record_series("lineage", "SQLite, lineage on", "ms", x, y, "lineage-commit-latency-cdf", "ms", "fraction")
    gathered = suite.Gathered()
    assert gathered.add_file(path) == 2
    assert gathered.figures[0]["detail"] == {"on_per_s": 400.0, "off_per_s": 500.0}
    assert [f["unit"] for f in gathered.figures] == ["ratio", "ms"] and gathered.ratios() == gathered.figures[:1]
    (series,) = gathered.series
    assert len(series["x"]) == 101 and series["x"][0] == 1.0 and series["x"][50] == 500.0 and series["x"][-1] == 1000.0
    assert series["y"][0] == 0.0 and series["y"][-1] == 1.0


def test_benchlib_refuses_a_figure_that_is_not_a_number(tmp_path, monkeypatch):
    monkeypatch.setenv(benchlib.RECORD_ENV, str(tmp_path / "records.jsonl"))
    with pytest.raises(ValueError):
        benchlib.record_figure("files", "transfer embedded PUT", math.nan, "ratio")


def test_benchlib_records_nothing_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(benchlib.RECORD_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    benchlib.record_figure("files", "transfer embedded PUT", 0.5, "ratio")
    assert list(tmp_path.iterdir()) == []


# --- docs/BENCHMARKS.md and the plots ----------------------------------------------------------

BEFORE = "# DuckLake benchmarks\n\n## How to reproduce\n\n```sh\nmake bench\n```\n\n"
AFTER = "\n\n## Results — written by hand\n\n| a | b |\n|-|-|\n| 1 | 2 |\n"


def results_of(figures):
    return {"mode": "full", "date": "2026-12-08 10:00 UTC",
            "revision": {"commit": "0123456789abcdef", "uncommitted_changes": False},
            "machine": {"cores": 2, "memory_gb": 23.4, "os": "Debian GNU/Linux 12 (bookworm)"},
            "runs": [{"bench": "query", "command": ["bench/run.sh", "3000000", "1000000"], "seconds": 300.0,
                      "error": None}],
            "figures": figures, "series": []}


def test_the_generated_section_is_replaced_and_the_rest_is_byte_identical():
    doc = BEFORE + suite.BEGIN + "\nthe previous run's tables\n" + suite.END + AFTER
    figures = [ratio("csv streaming", 0.61),
               {"kind": "figure", "bench": "query", "name": "point query p50", "value": 2.5, "unit": "ms"}]
    comparisons = suite.compare_ratios(figures, [earlier_run("2026-12-01 10:00 UTC", ratio("csv streaming", 0.86))])
    section = suite.generated_section(results_of(figures), suite.ROOT / "bench/results/20261208T100000Z.json",
                                      comparisons, {"point-latency-cdf": "query"})
    new = suite.replace_generated(doc, section)
    assert new.startswith(BEFORE + suite.BEGIN) and new.endswith(suite.END + AFTER)
    assert new[len(BEFORE):len(new) - len(AFTER)] == section
    assert "the previous run's tables" not in new
    assert "| csv streaming | 0.61 | ratio | 0.86 | -29 % |" in section
    assert "| point query p50 | 2.50 | ms |  |  |" in section
    assert "](../bench/results/20261208T100000Z.json)" in section and "`0123456789`" in section
    assert "![point latency cdf](images/bench/point-latency-cdf.png)" in section
    # Generated again from the same run, the document does not change.
    assert suite.replace_generated(new, section) == new


@pytest.mark.parametrize("doc", [BEFORE + AFTER, BEFORE + suite.END + suite.BEGIN + AFTER,
                                 BEFORE + (suite.BEGIN + suite.END) * 2 + AFTER])
def test_a_document_without_one_pair_of_markers_is_refused(doc):
    with pytest.raises(ValueError, match="exactly one"):
        suite.replace_generated(doc, suite.BEGIN + suite.END)


def test_plots_are_drawn_and_stale_ones_removed(tmp_path):
    (tmp_path / "gone.png").write_bytes(b"an old plot")
    x, y = benchlib.cdf([0.5, 1.0, 2.0, 8.0])
    series = [
        {"bench": "query", "name": "API", "x": x, "y": y, "plot": "point-latency-cdf", "xlabel": "ms",
         "ylabel": "fraction"},
        {"bench": "query", "name": "in-process", "x": x, "y": y, "plot": "point-latency-cdf", "xlabel": "ms",
         "ylabel": "fraction"},
        {"bench": "files", "name": "API", "x": ["embedded PUT", "S3 GET"], "y": [700, 190],
         "plot": "files-transfer-rates", "xlabel": "transfer", "ylabel": "MB/s"},
        {"bench": "files", "name": "baseline", "x": ["embedded PUT"], "y": [1500], "plot": "files-transfer-rates",
         "xlabel": "transfer", "ylabel": "MB/s"},
    ]
    assert suite.render_plots(series, tmp_path) == {"point-latency-cdf": "query", "files-transfer-rates": "files"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files-transfer-rates.png", "point-latency-cdf.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in tmp_path.iterdir())
