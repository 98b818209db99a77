#!/usr/bin/env python3
"""DuckLake's benchmark suite: runs every benchmark script in bench/ one after another, then prints
the ratio tables and every ratio that fell against its last recorded run, writes the run's figures
to a results file and, after a full run of every script, regenerates the generated section of
docs/BENCHMARKS.md and its plots.

    bench/suite.py [--smoke] [--only NAME,...] [--no-docs] [--build-dir DIR]

`make bench` runs it at sizes that take about 30 minutes on 2 cores (results in
bench/results/<UTC time>.json, meant to be committed). `make bench-smoke` (and `make test`) runs it
with --smoke: tiny sizes, a minute or two, to check that every script runs and records its figures;
those figures mean nothing (results in bench/results/smoke/, which git ignores). Each ratio is
compared with the same ratio in the newest earlier results file of the same mode that has it; a
fall of more than 15 % is printed, it does not fail the run (runs on 2 cores vary about that much).
A script that fails, or breaks the contract below, fails the run.

The contract between the benchmark programs and this suite
----------------------------------------------------------
When the environment variable DUCKLAKE_BENCH_RECORD names a file, every benchmark program appends
one JSON object per line to it (and writes nothing there when it is unset). Two kinds:

- a figure:
    {"kind": "figure", "bench": "query", "name": "csv streaming", "value": 0.86, "unit": "ratio",
     "detail": {"api_s": 2.66, "baseline_s": 2.29}}
  Unit "ratio" is a ratio oriented so that higher is better (baseline time / DuckLake time, or
  DuckLake rate / baseline rate), above 0; only ratios are compared across runs. Any other unit
  ("ms", "s", "MB/s", "commits/s", "MB", ...) is a measurement, shown in the tables. "detail" is
  optional: an object with whatever explains the figure. (bench, name) is unique in a run.
- a series, for a plot:
    {"kind": "series", "bench": "query", "name": "point query latency, API", "unit": "ms",
     "x": [...], "y": [...], "plot": "point-latency-cdf", "xlabel": "ms", "ylabel": "fraction"}
  Series with the same "plot" (lowercase letters, digits and dashes) go into one PNG,
  docs/images/bench/<plot>.png: lines when x are numbers (for a CDF, x are the values at the
  percentiles 0..100 and y the fraction 0..1: 101 points are enough), grouped bars when x are
  category labels (strings; every series of a plot has the same kind of x). x and y have the same
  length; a name is unique within its plot.
Nothing else: no other fields, no NaN or infinity. Emitters: record_figure, record_series and cdf in
bench/benchlib.py; figure() in bench/web_bench.mjs.
"""

import argparse
import dataclasses
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench/results"
DOC = ROOT / "docs/BENCHMARKS.md"
IMAGES_DIR = ROOT / "docs/images/bench"
RECORD_ENV = "DUCKLAKE_BENCH_RECORD"
BEGIN, END = "<!-- bench:generated:begin -->", "<!-- bench:generated:end -->"
FALL_LIMIT = 0.15  # a ratio that fell by more than this since its last recorded run is printed
PLOT_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclasses.dataclass(frozen=True)
class Bench:
    """A benchmark script and its arguments for a full run (about 30 minutes for the whole suite on
    2 cores) and for a smoke run (seconds each)."""
    name: str
    script: str
    full_args: tuple
    smoke_args: tuple

    def command(self, smoke):
        return [self.script, *(self.smoke_args if smoke else self.full_args)]


# In the order they run. Full sizes: the query bench on bench/run.sh's 10M-row table (the point
# query targets are set on it) with a 3M-row (about 300 MB) CSV ingest; versioning as in the re-runs
# recorded by hand in docs/BENCHMARKS.md; backends at 3M rows; the drivers at their defaults. Smoke
# sizes: each script's smallest that still measures every path.
BENCHES = (
    Bench("query", "bench/run.sh", ("10000000", "3000000"), ("20000", "20000")),
    Bench("versioning", "bench/run-versioning.sh", ("2000",), ("100",)),
    Bench("backends", "bench/run-backends.sh", ("3000000", "1000000"), ("20000", "20000")),
    Bench("files", "bench/run-files.sh", (), ("--smoke",)),
    Bench("lineage", "bench/run-lineage.sh", (), ("--smoke",)),
    Bench("cli", "bench/run-cli.sh", (), ("--smoke",)),
    Bench("python", "bench/run-python.sh", (), ("--smoke",)),
    Bench("web", "bench/run-web.sh", (), ("--smoke",)),
)


# --- the records -------------------------------------------------------------------------------

class RecordError(Exception):
    """A record that breaks the contract (the docstring at the top)."""


def is_text(value):
    return isinstance(value, str) and value != ""


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_numbers(values):
    return isinstance(values, list) and values != [] and all(is_number(v) for v in values)


def is_axis(values):
    return is_numbers(values) or (isinstance(values, list) and values != [] and all(is_text(v) for v in values))


# Per kind: the fields it must have and those it may have, each with what its value must be.
TEXT = ("a non-empty string", is_text)
SHAPES = {
    "figure": ({"kind": TEXT, "bench": TEXT, "name": TEXT, "value": ("a finite number", is_number), "unit": TEXT},
               {"detail": ("an object", lambda v: isinstance(v, dict))}),
    "series": ({"kind": TEXT, "bench": TEXT, "name": TEXT, "unit": TEXT,
                "x": ("a non-empty list of finite numbers or of non-empty strings", is_axis),
                "y": ("a non-empty list of finite numbers", is_numbers),
                "plot": ("lowercase letters, digits and dashes",
                         lambda v: isinstance(v, str) and PLOT_KEY.fullmatch(v) is not None),
                "xlabel": TEXT, "ylabel": TEXT},
               {}),
}


def parse_record(line):
    """One line of a record file as a dict; RecordError says what is wrong with it."""
    try:
        record = json.loads(line)
    except ValueError as error:
        raise RecordError(f"not JSON ({error})") from None
    if not isinstance(record, dict):
        raise RecordError("not a JSON object")
    if record.get("kind") not in SHAPES:
        raise RecordError(f'"kind" is {record.get("kind")!r}, not "figure" or "series"')
    required, optional = SHAPES[record["kind"]]
    missing = [field for field in required if field not in record]
    if missing:
        raise RecordError("no " + ", ".join(f'"{field}"' for field in missing))
    unknown = sorted(set(record) - set(required) - set(optional))
    if unknown:
        raise RecordError("unknown field " + ", ".join(f'"{field}"' for field in unknown))
    for field, (what, valid) in {**required, **optional}.items():
        if field in record and not valid(record[field]):
            raise RecordError(f'"{field}" is not {what}')
    if record["kind"] == "figure" and record["unit"] == "ratio" and record["value"] <= 0:
        raise RecordError("a ratio must be above 0")
    if record["kind"] == "series" and len(record["x"]) != len(record["y"]):
        raise RecordError(f'"x" has {len(record["x"])} values and "y" {len(record["y"])}')
    return record


def categorical(series):
    return isinstance(series["x"][0], str)


class Gathered:
    """The figures and series of a run, gathered script by script from their record files."""

    def __init__(self):
        self.figures = []
        self.series = []

    def add_file(self, path):
        """Adds every record of `path` (a missing file holds none); returns the number of figures.
        Adds nothing and raises RecordError if any record breaks the contract."""
        figures, series = [], []
        lines = path.read_text().splitlines() if path.exists() else []
        for number, line in enumerate(lines, 1):
            try:
                record = parse_record(line)
            except RecordError as error:
                raise RecordError(f"{path}, line {number}: {error}: {line[:200]}") from None
            (figures if record["kind"] == "figure" else series).append(record)
        self._check_unique(figures, series, path)
        self.figures += figures
        self.series += series
        return len(figures)

    def _check_unique(self, figures, series, path):
        seen = {(f["bench"], f["name"]) for f in self.figures}
        for figure in figures:
            key = (figure["bench"], figure["name"])
            if key in seen:
                raise RecordError(f"{path}: the figure {figure['bench']} / {figure['name']} is recorded twice")
            seen.add(key)
        plots = {}
        for one in self.series + series:
            plots.setdefault(one["plot"], []).append(one)
        for plot, members in plots.items():
            names = [one["name"] for one in members]
            if len(set(names)) != len(names):
                raise RecordError(f"{path}: the plot {plot} has two series of the same name: {names}")
            if len({categorical(one) for one in members}) > 1:
                raise RecordError(f"{path}: the plot {plot} mixes series of numbers and of categories")

    def ratios(self):
        return [f for f in self.figures if f["unit"] == "ratio"]


# --- comparing with earlier runs ---------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Comparison:
    """A ratio of this run beside the same ratio in the newest earlier run that recorded it."""
    bench: str
    name: str
    now: float
    before: float | None  # None: no earlier run recorded this ratio
    before_date: str | None

    @property
    def change(self):
        return self.now / self.before - 1

    @property
    def fell(self):
        return self.before is not None and self.change < -FALL_LIMIT


def earlier_results(directory):
    """The results files in `directory`, newest first, as (path, contents)."""
    found = []
    for path in sorted(directory.glob("*.json"), reverse=True):
        try:
            results = json.loads(path.read_text())
            if not isinstance(results.get("figures"), list) or not isinstance(results.get("date"), str):
                raise ValueError("no list of figures and date")
        except (ValueError, AttributeError) as error:
            raise SystemExit(f"suite: {path} is not a results file of bench/suite.py ({error})") from None
        found.append((path, results))
    return found


def compare_ratios(ratios, earlier):
    """Each ratio beside its newest earlier value; `earlier` as earlier_results gives it."""
    last = {}
    for _, results in earlier:
        for figure in results["figures"]:
            if figure["unit"] == "ratio":
                last.setdefault((figure["bench"], figure["name"]), (figure["value"], results["date"]))
    return [Comparison(f["bench"], f["name"], f["value"], *last.get((f["bench"], f["name"]), (None, None)))
            for f in ratios]


def comparison_lines(comparisons, earlier, mode):
    """What to print about the comparison: every ratio that fell or is new, or why there are none."""
    if not earlier:
        return [f"No earlier {mode} run to compare with."]
    lines = [f"NEW   {c.bench} / {c.name}: {number(c.now)} (no earlier {mode} run recorded it)"
             for c in comparisons if c.before is None]
    fell = [c for c in comparisons if c.fell]
    lines += [f"FELL  {c.bench} / {c.name}: {number(c.before)} -> {number(c.now)} ({c.change * 100:+.0f} %, "
              f"last recorded {c.before_date})" for c in fell]
    if not fell:
        lines.append(f"No ratio fell by more than {FALL_LIMIT * 100:.0f} % against its last recorded {mode} run.")
    return lines


# --- output ------------------------------------------------------------------------------------

def number(value):
    """A figure as people read it: 0.068, 0.86, 2.21, 12.3, 1,234."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1 or value == 0:
        return f"{value:.2f}"
    return f"{value:.2g}"


def change_text(comparison):
    return "" if comparison.before is None else f"{comparison.change * 100:+.0f} %"


def by_bench(items):
    grouped = {}
    for item in items:
        grouped.setdefault(item.bench if isinstance(item, Comparison) else item["bench"], []).append(item)
    return grouped


def ratio_tables(comparisons):
    """One plain-text table per bench: each ratio, its last recorded value and the change."""
    blocks = []
    header = "ratio (higher is better)"
    for bench, rows in by_bench(comparisons).items():
        width = max(len(header), *(len(c.name) for c in rows))
        lines = [bench, f"  {header:<{width}}  {'now':>7}  {'last':>7}  {'change':>7}"]
        lines += [f"  {c.name:<{width}}  {number(c.now):>7}  {'' if c.before is None else number(c.before):>7}  "
                  f"{change_text(c):>7}" for c in rows]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_plots(series, directory):
    """Draws every plot's series into directory/<plot>.png and removes the PNGs of plots this run
    did not draw (the directory holds only the generated plots); returns {plot: bench}."""
    # Imported here: only a full run draws, and matplotlib takes a while to load.
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    directory.mkdir(parents=True, exist_ok=True)
    plots = {}
    for one in series:
        plots.setdefault(one["plot"], []).append(one)
    for plot, members in plots.items():
        figure, axes = pyplot.subplots(figsize=(8, 4.5), dpi=100)
        if categorical(members[0]):
            categories = list(dict.fromkeys(x for one in members for x in one["x"]))
            width = 0.8 / len(members)
            for index, one in enumerate(members):
                positions = [categories.index(x) - 0.4 + width * (index + 0.5) for x in one["x"]]
                axes.bar(positions, one["y"], width, label=one["name"])
            axes.set_xticks(range(len(categories)), categories, rotation=20, ha="right")
        else:
            for one in members:
                axes.plot(one["x"], one["y"], label=one["name"], marker="o" if len(one["x"]) <= 20 else None)
        axes.set_xlabel(members[0]["xlabel"])
        axes.set_ylabel(members[0]["ylabel"])
        axes.set_title(plot.replace("-", " "))
        axes.grid(alpha=0.3)
        axes.legend()
        figure.tight_layout()
        figure.savefig(directory / f"{plot}.png")
        pyplot.close(figure)
    for stale in set(directory.glob("*.png")) - {directory / f"{plot}.png" for plot in plots}:
        stale.unlink()
    return {plot: members[0]["bench"] for plot, members in plots.items()}


def generated_section(results, results_path, comparisons, plots):
    """The generated section of docs/BENCHMARKS.md, markers included: when and where the run was
    made, then per bench a table of its figures and its plots."""
    revision = results["revision"]
    machine = results["machine"]
    relative = results_path.relative_to(ROOT)
    lines = [
        BEGIN,
        "## Latest full run — `make bench`",
        "",
        f"Written by `bench/suite.py` from [`{relative}`](../{relative}): run of {results['date']}, revision "
        f"`{revision['commit'][:10]}`{' with uncommitted changes' if revision['uncommitted_changes'] else ''}, "
        f"{machine['cores']} cores, {machine['memory_gb']:.0f} GB, {machine['os']}. Every `make bench` rewrites "
        "this section and the plots in `docs/images/bench/`; the sections after it are written by hand. Ratios "
        "are oriented so that higher is better (baseline time / DuckLake time, or DuckLake rate / baseline "
        "rate); *last* is the same ratio in the newest earlier full run that recorded it.",
        "",
        "| script | minutes |",
        "|-|-:|",
    ]
    lines += [f"| `{' '.join(run['command'])}` | {run['seconds'] / 60:.1f} |" for run in results["runs"]]
    comparison = {(c.bench, c.name): c for c in comparisons}
    for bench, figures in by_bench(results["figures"]).items():
        lines += ["", f"### {bench}", "", "| figure | value | unit | last | change |", "|-|-:|-|-:|-:|"]
        for figure in figures:
            c = comparison.get((bench, figure["name"]))
            last = "" if c is None or c.before is None else number(c.before)
            lines.append(f"| {figure['name']} | {number(figure['value'])} | {figure['unit']} | {last} | "
                         f"{'' if c is None else change_text(c)} |")
        lines += [f"\n![{plot.replace('-', ' ')}](images/bench/{plot}.png)"
                  for plot, owner in plots.items() if owner == bench]
    lines.append(END)
    return "\n".join(lines)


def generated_span(doc):
    """Where the generated section of `doc` starts and ends (markers included)."""
    if doc.count(BEGIN) != 1 or doc.count(END) != 1 or doc.index(BEGIN) > doc.index(END):
        raise ValueError(f"the document needs exactly one {BEGIN} followed by one {END}")
    return doc.index(BEGIN), doc.index(END) + len(END)


def replace_generated(doc, section):
    """`doc` with its generated section replaced by `section`."""
    start, end = generated_span(doc)
    return doc[:start] + section + doc[end:]


# --- the run -----------------------------------------------------------------------------------

@dataclasses.dataclass
class Outcome:
    bench: Bench
    command: list
    seconds: float
    error: str | None  # None: passed


def run_bench(bench, smoke, env, record_path, gathered):
    """Runs one script, its output going to the terminal, and gathers its records if it passed."""
    command = bench.command(smoke)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env={**env, RECORD_ENV: str(record_path)})
    try:
        status = process.wait()
    except KeyboardInterrupt:
        process.wait()  # the script got the same SIGINT: let it clean up after itself
        raise
    seconds = time.monotonic() - started
    error = None
    if status != 0:
        error = f"exited with status {status}"
    else:
        try:
            if gathered.add_file(record_path) == 0:
                error = f"recorded no figures (the contract is at the top of bench/suite.py; {RECORD_ENV})"
        except RecordError as broken:
            error = f"broke the record contract: {broken}"
    return Outcome(bench, command, seconds, error)


def git(*args):
    # --no-optional-locks: status must not refresh the index of a tree someone is working in.
    return subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def machine():
    with open("/proc/meminfo") as meminfo:
        memory_kb = int(next(line for line in meminfo if line.startswith("MemTotal:")).split()[1])
    with open("/etc/os-release") as release:
        os_name = next((line.split("=", 1)[1].strip().strip('"') for line in release
                        if line.startswith("PRETTY_NAME=")), "unknown")
    return {"cores": os.cpu_count(), "memory_gb": memory_kb / 2**20, "os": os_name}


def select(only):
    if not only:
        return list(BENCHES)
    names = only.split(",")
    unknown = [name for name in names if name not in {b.name for b in BENCHES}]
    if unknown:
        raise SystemExit(f"suite: no benchmark named {', '.join(unknown)}; there are "
                         + ", ".join(b.name for b in BENCHES))
    return [b for b in BENCHES if b.name in names]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every script runs and records")
    parser.add_argument("--only", help="comma-separated benchmarks to run: " + ", ".join(b.name for b in BENCHES))
    parser.add_argument("--no-docs", action="store_true", help="leave docs/BENCHMARKS.md and its plots as they are")
    parser.add_argument("--build-dir", default=os.environ.get("BUILD_DIR", "build"),
                        help="the build the scripts run (default: $BUILD_DIR or build)")
    args = parser.parse_args()
    mode = "smoke" if args.smoke else "full"
    benches = select(args.only)
    if not (args.smoke or args.no_docs):
        try:  # found out now, not after half an hour of benchmarks
            generated_span(DOC.read_text())
        except ValueError as error:
            raise SystemExit(f"suite: {DOC.relative_to(ROOT)}: {error}") from None
    results_dir = RESULTS_DIR / "smoke" if args.smoke else RESULTS_DIR
    started = time.gmtime()
    env = {**os.environ, "BUILD_DIR": args.build_dir,
           # The scripts that restart the test services write their settings where they read them.
           "SERVICES_ENV": os.environ.get("SERVICES_ENV", f"{args.build_dir}/test-services.env"),
           # Node.js 20 for the web bench, as the Makefile puts it first (scripts/setup.sh).
           "PATH": f"{ROOT}/.deps/node/bin:{os.environ['PATH']}"}

    gathered, outcomes = Gathered(), []
    scratch = Path(tempfile.mkdtemp(prefix="ducklake-bench-suite."))
    try:
        for index, bench in enumerate(benches, 1):
            print(f"\n=== [{index}/{len(benches)}] {bench.name}: {' '.join(bench.command(args.smoke))} "
                  f"({time.strftime('%H:%M:%S', time.gmtime())} UTC, {mode} run)", flush=True)
            outcome = run_bench(bench, args.smoke, env, scratch / f"{bench.name}.jsonl", gathered)
            outcomes.append(outcome)
            print(f"=== {bench.name}: {'passed' if outcome.error is None else 'FAILED: ' + outcome.error} "
                  f"({outcome.seconds:.0f} s)", flush=True)
    except KeyboardInterrupt:
        print("\nsuite: interrupted; no results written", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(scratch)

    earlier = earlier_results(results_dir)
    comparisons = compare_ratios(gathered.ratios(), earlier)
    print(f"\n=== Ratios ({mode} run{', tiny sizes: the figures mean nothing' if args.smoke else ''})\n")
    print(ratio_tables(comparisons) or "(none recorded)")
    print()
    print("\n".join(comparison_lines(comparisons, earlier, mode)))

    results = {
        "mode": mode,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", started),
        "revision": {"commit": git("rev-parse", "HEAD"),
                     "uncommitted_changes": git("status", "--porcelain", "--untracked-files=no") != ""},
        "machine": machine(),
        "runs": [{"bench": o.bench.name, "command": o.command, "seconds": round(o.seconds, 1),
                  "error": o.error} for o in outcomes],
        "figures": gathered.figures,
        "series": gathered.series,
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    results_path = results_dir / time.strftime("%Y%m%dT%H%M%SZ.json", started)
    results_path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nResults: {results_path.relative_to(ROOT)}")

    failed = [o for o in outcomes if o.error is not None]
    if not (args.smoke or args.no_docs):
        if args.only or failed:
            print(f"{DOC.relative_to(ROOT)} left as it was: it shows a full run in which every script passed")
        else:
            plots = render_plots(gathered.series, IMAGES_DIR)
            section = generated_section(results, results_path, comparisons, plots)
            DOC.write_text(replace_generated(DOC.read_text(), section))
            print(f"Regenerated the generated section of {DOC.relative_to(ROOT)} and {len(plots)} plots in "
                  f"{IMAGES_DIR.relative_to(ROOT)}/")
    for outcome in failed:
        print(f"FAILED {outcome.bench.name} ({' '.join(outcome.command)}): {outcome.error}")
    print(f"{len(outcomes) - len(failed)} benchmarks passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
