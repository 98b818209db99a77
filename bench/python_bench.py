#!/usr/bin/env python3
"""Benchmarks of the Python client (python/ducklake), driven by bench/run-python.sh.

On the embedded lake (SQLite + local directory), each against a baseline measured in the same run:
  1. `client.sql("SELECT * …").df()` of a 1,000,000-row table (BIGINT, DOUBLE, VARCHAR, TIMESTAMP,
     INTEGER, DECIMAL) against the same result fetched as CSV by curl into a file and read with
     `pandas.read_csv` (with the timestamp parsed): seconds, best of 3, and the ratio;
  2. `client.write_table(name, frame, mode="create")` of a ~1 GB frame against writing the frame
     with `frame.to_csv` into a file and sending that file to the same ingest route with curl: seconds,
     and the peak RSS the client process adds to the frame it already holds (measured in a fresh
     process for each: VmHWM, reset after the frame is built, less VmRSS then).
Every result is checked (row counts, sums). Progress goes to stderr, the result tables to stdout.
`--cleanup --scratch SCRATCH` only removes what an interrupted run left (the server) and exits.
"""

import argparse
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from benchlib import QUIET_S, CompilerWatch, Resources, Server, curl, log, mb, record_figure, table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

import ducklake  # noqa: E402
import pandas as pd  # noqa: E402

# Builds the frame, then writes it one way or the other; prints JSON with seconds and memory.
WRITE_CHILD = textwrap.dedent("""
    import json, os, subprocess, sys, time
    sys.path.insert(0, sys.argv[1])
    import numpy as np, pandas as pd
    import ducklake

    def status_kb(field):
        for line in open("/proc/self/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1])

    url, rows, table, how, scratch = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
    gen = np.random.default_rng(7)
    frame = pd.DataFrame({"id": np.arange(rows, dtype=np.int64), "amount": gen.random(rows) * 1000,
                          "qty": gen.integers(0, 100, rows).astype(np.int32),
                          "at": pd.to_datetime(1_700_000_000 + np.arange(rows), unit="s"),
                          "name": pd.Series(gen.integers(0, 100000, rows)).map("customer {}".format)})
    frame_bytes = int(frame.memory_usage(deep=True).sum())
    # Building the frame peaked higher than holding it: reset the peak (Linux: clear_refs 5).
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = status_kb("VmRSS")
    started = time.perf_counter()
    if how == "client":
        answer = ducklake.Client(url=url).write_table(table, frame, mode="create")
    else:
        path = os.path.join(scratch, "frame.csv")
        frame.to_csv(path, index=False)
        namespace, name = table.split(".")
        out = subprocess.run(["curl", "-sS", "--noproxy", "*", "-X", "POST", "-H", "Content-Type: text/csv",
                              "--data-binary", "@" + path,
                              f"{url}/api/v1/namespaces/{namespace}/tables/{name}/data?mode=create"],
                             capture_output=True, text=True, check=True)
        answer = json.loads(out.stdout)
        os.unlink(path)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": answer["rows_written"], "frame_bytes": frame_bytes,
                      "added_kb": status_kb("VmHWM") - before}))
""")


def sql_bench(server, rows, repeats, scratch, watch):
    client = ducklake.Client(url=server.url)
    client.create_namespace("bench")
    client.sql(f"""CREATE TABLE bench.sales AS SELECT range AS id, random() * 1000 AS amount,
                   'customer ' || (range % 100000) AS name, TIMESTAMP '2026-01-01' + to_seconds(range) AS at,
                   (range % 100)::INTEGER AS qty, (range % 10000 / 100)::DECIMAL(18,2) AS price
                   FROM range({rows})""").fetchall()
    sql = "SELECT * FROM bench.sales"
    expected = client.sql("SELECT sum(id) FROM bench.sales").fetchone()[0]
    csv_path = scratch / "result.csv"
    body = json.dumps({"sql": sql, "format": "csv"})
    timings = {"client": [], "curl": [], "curl_fetch": []}
    since = watch.wait("the query benchmark")
    for _ in range(repeats):
        started = time.perf_counter()
        frame = client.sql(sql).df()
        timings["client"].append(time.perf_counter() - started)
        assert len(frame) == rows and int(frame["id"].sum()) == expected
        del frame
        started = time.perf_counter()
        code, fetch_s, _ = curl(["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body,
                                 "-o", str(csv_path), server.url + "/api/v1/query"])
        assert code == 200
        frame = pd.read_csv(csv_path, parse_dates=["at"])
        timings["curl"].append(time.perf_counter() - started)
        timings["curl_fetch"].append(fetch_s)
        assert len(frame) == rows and int(frame["id"].sum()) == expected
        del frame
    watch.clean(since, "the query benchmark")
    size = csv_path.stat().st_size
    csv_path.unlink()
    client.close()
    return {name: min(values) for name, values in timings.items()}, size


def write_bench(server, rows, scratch, watch):
    results = {}
    since = watch.wait("the write benchmark")
    for how in ("client", "curl"):
        out = subprocess.run([sys.executable, "-c", WRITE_CHILD, str(ROOT / "python"), server.url, str(rows),
                              f"bench.frame_{how}", how, str(scratch)], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"write_table benchmark ({how}) failed: {out.stderr[-2000:]}")
        results[how] = json.loads(out.stdout)
        assert results[how]["rows"] == rows
    watch.clean(since, "the write benchmark")
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--only", default="sql,write")
    parser.add_argument("--cleanup", action="store_true")
    args = parser.parse_args()
    resources = Resources(args.scratch)
    if args.cleanup:
        resources.cleanup()
        return
    sections = set(args.only.split(","))
    # A smoke run checks that both measurements work and are recorded; its figures mean nothing.
    sql_rows = 20_000 if args.smoke else 1_000_000
    repeats = 1 if args.smoke else 3
    write_rows = 50_000 if args.smoke else 12_000_000  # ~1 GB in pandas
    scratch = Path(args.scratch)
    watch = CompilerWatch(0 if args.smoke else QUIET_S)
    server = Server(args.binary, 18991, ["--data-dir", str(scratch / "lake")], {}, scratch / "server.log",
                    resources, "embedded")
    try:
        if "sql" in sections:
            log(f"query: {sql_rows} rows, client .df() vs curl CSV + pandas.read_csv")
            timings, csv_bytes = sql_bench(server, sql_rows, repeats, scratch, watch)
            print(f"\n### `client.sql(...).df()` of {sql_rows:,} rows (CSV result {mb(csv_bytes):.0f} MB), best of {repeats}\n")
            print(table(["", "seconds", "ratio to baseline"], [
                ["curl (CSV to a file) + pandas.read_csv (baseline)", f"{timings['curl']:.2f}", "1.00"],
                ["  of which curl", f"{timings['curl_fetch']:.2f}", ""],
                ["client.sql(...).df()", f"{timings['client']:.2f}", f"{timings['curl'] / timings['client']:.2f}"],
            ]))
            record_figure("python", "client.sql().df()", timings["curl"] / timings["client"], "ratio", rows=sql_rows,
                          client_s=timings["client"], baseline_s=timings["curl"])
            record_figure("python", "client.sql().df(): time", timings["client"], "s")
        if "write" in sections:
            if "sql" not in sections:
                ducklake.Client(url=server.url).create_namespace("bench")
            log(f"write: {write_rows} rows, client.write_table vs to_csv + curl")
            results = write_bench(server, write_rows, scratch, watch)
            frame_mb = mb(results["client"]["frame_bytes"])
            print(f"\n### `client.write_table(…, mode='create')` of a {frame_mb:.0f} MB frame ({write_rows:,} rows)\n")
            print(table(["", "seconds", "ratio to baseline", "peak RSS added (MB)"], [
                ["frame.to_csv(file) + curl ingest (baseline)", f"{results['curl']['seconds']:.1f}", "1.00",
                 f"{results['curl']['added_kb'] / 1024:.0f}"],
                ["client.write_table", f"{results['client']['seconds']:.1f}",
                 f"{results['curl']['seconds'] / results['client']['seconds']:.2f}",
                 f"{results['client']['added_kb'] / 1024:.0f}"],
            ]))
            client, baseline = results["client"], results["curl"]
            record_figure("python", "client.write_table", baseline["seconds"] / client["seconds"], "ratio",
                          rows=write_rows, frame_mb=frame_mb, client_s=client["seconds"], baseline_s=baseline["seconds"])
            record_figure("python", "client.write_table: time", client["seconds"], "s")
            record_figure("python", "client.write_table: peak RSS added", client["added_kb"] / 1024, "MiB")
    finally:
        server.stop()
        watch.stop()
        resources.cleanup()
    for note in watch.notes:
        print(f"\nNote: {note}")


if __name__ == "__main__":
    main()
