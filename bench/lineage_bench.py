#!/usr/bin/env python3
"""Benchmarks of lineage, driven by bench/run-lineage.sh. On SQLite and on PostgreSQL metadata:

  1. ingest of other tools' OpenLineage events with 16 concurrent senders (events/s, per-event
     latency), against the same events written by 16 threads straight into the same database;
  2. the lineage graph at depth 5 on a graph of 10,000 datasets and 20,000 jobs (p50/p99), against
     the same traversal as one recursive SQL query on the same database;
  3. the cost of lineage on a small commit: 1,000 single-row INSERTs with --lineage on and off.

Progress goes to stderr, the result tables to stdout. `--cleanup SCRATCH` only removes what an
interrupted run left behind (servers, PostgreSQL databases) and exits.
"""

import argparse
import json
import random
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from benchlib import (QUIET_S, CompilerWatch, Resources, Server, cdf, fresh_database, log, pct, record_figure,
                      record_series, session, table)

SENDERS = 16
LAYERS = 10  # the graph: LAYERS x WIDTH datasets, two jobs from each to the next layer
WIDTH = 1000
DEPTH = 5
LAKE = "ducklake://default"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def run_event(event_type, run_id, job, inputs, outputs, when):
    return {"eventType": event_type, "eventTime": when, "producer": "https://example.com/scheduler",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": run_id}, "job": {"namespace": "scheduler", "name": job},
            "inputs": inputs, "outputs": outputs}


SCHEMA_FACET = {"_producer": "https://example.com/scheduler",
                "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
                "fields": [{"name": f"c{i}", "type": "BIGINT"} for i in range(5)]}


def ingest_events(count):
    """`count` events: START and COMPLETE of count/2 runs of 500 jobs over 1,000 source and target tables."""
    events = []
    for n in range(count // 2):
        run_id = str(uuid.uuid4())
        job = f"load_{n % 500}"
        inputs = [{"namespace": "postgres://db:5432", "name": f"db.src_{n % 1000}"}]
        outputs = [{"namespace": LAKE, "name": f"bench.t_{n % 1000}", "facets": {"schema": SCHEMA_FACET}}]
        events.append(run_event("START", run_id, job, inputs, [], "2026-12-01T10:00:00.000Z"))
        events.append(run_event("COMPLETE", run_id, job, inputs, outputs, "2026-12-01T10:00:01.000Z"))
    return events


def graph_events():
    """One COMPLETE per job: job (layer, i, k) reads dataset (layer, i) and writes (layer + 1, i + 37k)."""
    events = []
    for layer in range(LAYERS):
        for i in range(WIDTH):
            for k in range(2):
                source = {"namespace": LAKE, "name": f"g.l{layer}_d{i}"}
                target = {"namespace": LAKE, "name": f"g.l{(layer + 1) % LAYERS}_d{(i + 37 * k) % WIDTH}"}
                events.append(run_event("COMPLETE", str(uuid.uuid4()), f"g.l{layer}_d{i}_j{k}", [source], [target],
                                        "2026-12-01T10:00:00.000Z"))
    return events


def send_all(server, events, senders=SENDERS):
    """POSTs `events` from `senders` threads (each its own keep-alive session); returns (seconds, latencies)."""
    latencies = [[] for _ in range(senders)]
    errors = []
    barrier = threading.Barrier(senders + 1)

    def sender(t):
        http = session()
        barrier.wait()
        for n in range(t, len(events), senders):
            body = json.dumps(events[n])
            started = time.perf_counter()
            response = http.post(server.url + "/api/v1/lineage", data=body,
                                 headers={"Content-Type": "application/json", "Accept-Encoding": "identity"})
            latencies[t].append(time.perf_counter() - started)
            if response.status_code != 201:
                errors.append(f"{response.status_code} {response.text[:200]}")
                return

    threads = [threading.Thread(target=sender, args=(t,)) for t in range(senders)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"event ingest failed: {errors[0]}")
    return elapsed, [x for per in latencies for x in per]


class Database:
    """The lake's metadata database, opened directly (the baselines' side)."""

    def __init__(self, kind, where):
        self.kind = kind
        self.where = where

    def connect(self):
        if self.kind == "sqlite":
            connection = sqlite3.connect(self.where, timeout=60, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            return connection
        import psycopg2
        connection = psycopg2.connect(self.where)
        connection.autocommit = True
        return connection

    def execute(self, connection, sql, params=()):
        if self.kind == "postgres":
            sql = sql.replace("?", "%s")
        cursor = connection.cursor()
        cursor.execute(sql, params)
        return cursor


def direct_inserts(database, events, senders=SENDERS):
    """The baseline of event ingest: each event one INSERT transaction, from `senders` threads."""
    connection = database.connect()
    database.execute(connection, "CREATE TABLE bench_events (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)")
    connection.close()
    latencies = [[] for _ in range(senders)]
    barrier = threading.Barrier(senders + 1)

    def writer(t):
        own = database.connect()
        barrier.wait()
        for n in range(t, len(events), senders):
            started = time.perf_counter()
            if database.kind == "sqlite":
                # SQLite takes one writer at a time; DuckLake's writes wait the same way.
                database.execute(own, "BEGIN IMMEDIATE")
                database.execute(own, "INSERT INTO bench_events VALUES (?, ?)", (n, json.dumps(events[n])))
                database.execute(own, "COMMIT")
            else:
                database.execute(own, "INSERT INTO bench_events VALUES (?, ?)", (n, json.dumps(events[n])))
            latencies[t].append(time.perf_counter() - started)
        own.close()

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(senders)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, [x for per in latencies for x in per]


RECURSIVE_JOBS = """
WITH RECURSIVE near(job_id, depth) AS (
  SELECT io.job_id, 0 FROM dl_lineage_io io JOIN dl_lineage_dataset d ON d.dataset_id = io.dataset_id
   WHERE d.namespace = ? AND d.name = ?
  UNION
  SELECT other.job_id, near.depth + 1 FROM near
    JOIN dl_lineage_io mine ON mine.job_id = near.job_id
    JOIN dl_lineage_io other ON other.dataset_id = mine.dataset_id
   WHERE near.depth < ?)
SELECT count(DISTINCT j.job_id), count(DISTINCT io.dataset_id) FROM near
  JOIN dl_lineage_job j ON j.job_id = near.job_id JOIN dl_lineage_io io ON io.job_id = j.job_id
"""


def graph_bench(server, database, queries, label, notes, watch):
    events = graph_events()
    log(f"{label}: filling the graph ({len(events):,} jobs) ...")
    fill_s, _ = send_all(server, events)
    random.seed(7)
    starts = [f"g.l{random.randrange(LAYERS)}_d{random.randrange(WIDTH)}" for _ in range(queries)]
    since = watch.wait(f"the {label} graph queries")
    api_times, sizes = [], []
    http = session()
    for name in starts:
        started = time.perf_counter()
        response = http.get(server.url + "/api/v1/lineage", params={"nodeId": f"dataset:{LAKE}:{name}", "depth": DEPTH},
                            headers={"Accept-Encoding": "identity"})
        body = response.json()
        api_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:300]
        sizes.append((sum(1 for n in body["graph"] if n["type"] == "JOB"), sum(1 for n in body["graph"] if n["type"] == "DATASET"),
                      len(response.content)))
    connection = database.connect()
    sql_times, sql_sizes = [], []
    for name in starts:
        started = time.perf_counter()
        jobs, datasets = database.execute(connection, RECURSIVE_JOBS, (LAKE, name, DEPTH)).fetchone()
        sql_times.append(time.perf_counter() - started)
        sql_sizes.append((jobs, datasets))
    connection.close()
    watch.clean(since, f"the {label} graph queries")
    mismatched = sum(1 for (a, b, _), (c, d) in zip(sizes, sql_sizes) if (a, b) != (c, d))
    if mismatched:
        notes.append(f"{label}: {mismatched} of {queries} graphs differ in size between the API and the SQL baseline")
    return {"fill_s": fill_s, "jobs": len(events), "api": api_times, "sql": sql_times,
            "mean_jobs": sum(s[0] for s in sizes) / len(sizes), "mean_datasets": sum(s[1] for s in sizes) / len(sizes),
            "mean_bytes": sum(s[2] for s in sizes) / len(sizes)}


def commit_bench(server, commits):
    http = session()
    server.call("POST", "/api/v1/namespaces", json={"name": "c"})
    server.call("POST", "/api/v1/query", json={"sql": "CREATE TABLE c.t (id BIGINT, v VARCHAR)"})
    times = []
    started_all = time.perf_counter()
    for n in range(commits):
        started = time.perf_counter()
        response = http.post(server.url + "/api/v1/query", json={"sql": f"INSERT INTO c.t VALUES ({n}, 'v{n}')"},
                             headers={"Accept-Encoding": "identity"})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:300]
    return commits / (time.perf_counter() - started_all), times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--only", default="ingest,graph,commit")
    parser.add_argument("--cleanup", action="store_true")
    args = parser.parse_args()
    resources = Resources(args.scratch)
    if args.cleanup:
        resources.cleanup()
        return
    sections = set(args.only.split(","))
    global LAYERS, WIDTH
    if args.smoke:
        LAYERS, WIDTH = 4, 25
    ingest_count = 400 if args.smoke else 20000
    queries = 20 if args.smoke else 200
    commits = 50 if args.smoke else 1000
    scratch = Path(args.scratch)
    watch = CompilerWatch(0 if args.smoke else QUIET_S)  # a smoke run's figures mean nothing: no waiting
    notes = []
    out = []
    port = 18971
    try:
        for label in ("SQLite", "PostgreSQL"):
            def start(extra, name):
                nonlocal port
                port += 1
                data = scratch / f"{label}-{name}"
                flags = ["--data-dir", str(data)]
                if label == "PostgreSQL":
                    url = fresh_database(resources, "bench_lineage_")
                    flags += ["--metadata", url]
                    database = Database("postgres", url)
                else:
                    database = Database("sqlite", str(data / "metadata.sqlite"))
                server = Server(args.binary, port, [*flags, *extra], {}, scratch / f"{label}-{name}.log", resources,
                                f"{label} {name}")
                return server, database

            if "ingest" in sections:
                server, database = start([], "ingest")
                events = ingest_events(ingest_count)
                since = watch.wait(f"{label} event ingest")
                api_s, api_lat = send_all(server, events)
                server.stop()
                base_s, base_lat = direct_inserts(database, events)
                watch.clean(since, f"{label} event ingest")
                out.append(("ingest", label, len(events), api_s, api_lat, base_s, base_lat))
            if "graph" in sections:
                server, database = start([], "graph")
                result = graph_bench(server, database, queries, label, notes, watch)
                server.stop()
                out.append(("graph", label, result))
            if "commit" in sections:
                results = {}
                for mode in ("on", "off"):
                    server, _ = start(["--lineage", mode], f"commits-{mode}")
                    since = watch.wait(f"{label} small commits, lineage {mode}")
                    results[mode] = commit_bench(server, commits)
                    watch.clean(since, f"{label} small commits, lineage {mode}")
                    server.stop()
                out.append(("commit", label, commits, results))
    finally:
        watch.stop()
        resources.cleanup()
    report(out, notes + watch.notes)
    record(out)


def record(out):
    """The figures for bench/suite.py: each measurement's ratio to its baseline (for commits: the
    commit rate with lineage on / off) with DuckLake's own figure beside it, and the CDFs of the
    small commits' latencies."""
    for section, label, *result in out:
        if section == "ingest":
            count, api_s, _, base_s, _ = result
            name = f"event ingest {label}"
            record_figure("lineage", name, base_s / api_s, "ratio", events=count, api_s=api_s, baseline_s=base_s)
            record_figure("lineage", f"{name}: API rate", count / api_s, "events/s")
        elif section == "graph":
            r = result[0]
            name = f"graph depth {DEPTH} {label}"
            record_figure("lineage", name, pct(r["sql"], 50) / pct(r["api"], 50), "ratio", datasets=LAYERS * WIDTH,
                          api_p50_s=pct(r["api"], 50), baseline_p50_s=pct(r["sql"], 50))
            record_figure("lineage", f"{name}: API p50", pct(r["api"], 50) * 1000, "ms")
        else:
            count, results = result
            (on_rate, on), (off_rate, off) = results["on"], results["off"]
            name = f"small commit {label}"
            record_figure("lineage", name, on_rate / off_rate, "ratio", commits=count, on_per_s=on_rate,
                          off_per_s=off_rate)
            record_figure("lineage", f"{name}: rate with lineage", on_rate, "commits/s")
            record_figure("lineage", f"{name}: p50 with lineage", pct(on, 50) * 1000, "ms")
            for mode, latencies in (("on", on), ("off", off)):
                x, y = cdf([seconds * 1000 for seconds in latencies])
                record_series("lineage", f"{label}, lineage {mode}", "ms", x, y, "lineage-commit-latency-cdf",
                              "commit latency (ms)", "fraction of commits")


def report(out, notes):
    ingest = [r for r in out if r[0] == "ingest"]
    if ingest:
        print(f"\n## 1. OpenLineage events from {SENDERS} concurrent senders (POST /api/v1/lineage)\n")
        rows = []
        for _, label, count, api_s, api_lat, base_s, base_lat in ingest:
            rows.append([label, f"{count:,}", f"{count / api_s:,.0f}/s", f"{ms(pct(api_lat, 50))} / {ms(pct(api_lat, 99))}",
                         f"{count / base_s:,.0f}/s", f"{ms(pct(base_lat, 50))} / {ms(pct(base_lat, 99))}",
                         f"{base_s / api_s:.2f}"])
        print(table(["metadata", "events", "DuckLake", "p50 / p99", "direct INSERT, one txn each", "p50 / p99", "ratio"],
                    rows))
    graphs = [r for r in out if r[0] == "graph"]
    if graphs:
        print(f"\n## 2. Lineage graph at depth {DEPTH} ({LAYERS * WIDTH:,} datasets, {LAYERS * WIDTH * 2:,} jobs)\n")
        rows = []
        for _, label, r in graphs:
            rows.append([label, f"{r['fill_s']:.1f} s ({r['jobs'] / r['fill_s']:,.0f} events/s)",
                         f"{ms(pct(r['api'], 50))} / {ms(pct(r['api'], 99))}",
                         f"{ms(pct(r['sql'], 50))} / {ms(pct(r['sql'], 99))}",
                         f"{pct(r['sql'], 50) / pct(r['api'], 50):.2f}",
                         f"{r['mean_jobs']:.0f} jobs, {r['mean_datasets']:.0f} datasets, {r['mean_bytes'] / 1e3:.0f} kB"])
        print(table(["metadata", "building the graph", "GET /api/v1/lineage p50 / p99", "recursive SQL p50 / p99",
                     "ratio (p50)", "mean graph"], rows))
    commits = [r for r in out if r[0] == "commit"]
    if commits:
        print("\n## 3. Lineage on a small commit: single-row INSERTs, one client\n")
        rows = []
        for _, label, count, results in commits:
            on_rate, on = results["on"]
            off_rate, off = results["off"]
            rows.append([label, f"{count:,}", f"{on_rate:,.0f}/s, p50 {ms(pct(on, 50))}, p99 {ms(pct(on, 99))}",
                         f"{off_rate:,.0f}/s, p50 {ms(pct(off, 50))}, p99 {ms(pct(off, 99))}",
                         f"{on_rate / off_rate:.2f}", f"+{(pct(on, 50) - pct(off, 50)) * 1000:.1f} ms"])
        print(table(["metadata", "commits", "--lineage on", "--lineage off", "ratio", "p50 cost"], rows))
    for note in notes:
        print(f"\nNote: {note}")


if __name__ == "__main__":
    main()
