#!/usr/bin/env python3
"""Benchmarks of the files API (volumes and objects), driven by bench/run-files.sh.

Three measurements, each on the embedded lake (SQLite + local directory) and on PostgreSQL + S3:
  1. a large object PUT and GET through the API with curl, against the same bytes moved straight to
     the same store (cp on local disk; curl to an S3 presigned URL), with the server's RSS sampled
     every 20 ms;
  2. listing a volume of many small objects (filled behind the server's back, then reconciled),
     against listing the store itself (os.scandir; boto3 list_objects_v2);
  3. many 10 KiB uploads from 16 concurrent clients, against the same writes straight to the store.
Progress goes to stderr, the result tables to stdout. `--cleanup SCRATCH` only removes what an
interrupted run left behind (servers, PostgreSQL databases, S3 prefixes) and exits.
"""

import argparse
import concurrent.futures
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from benchlib import (QUIET_S, CompilerWatch, Resources, RssPeak, Server, cpu_seconds, curl, fresh_database, log, mb,
                      ms, pct, record_figure, record_series, s3_client, session, swift_pids, table)

BUCKET = "ducklake-bench"
PAGE = 1000
THREADS = 16
S3_BUDGET_S = 300  # longest fill of the 100k-object listing volume on S3 unless --full-s3-listing


def timed_run(command):
    begun = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - begun


def unlink(path):
    Path(path).unlink(missing_ok=True)


# --- 1. one large object -----------------------------------------------------------------------

def transfer_bench(ctx, server, label, store):
    """PUT and GET of ctx.big through the API and straight to the store, best of ctx.runs runs
    (a run that a compiler overlapped is done again, up to 3 times).
    `store` is ("local", objects dir) or ("s3", bucket, key prefix of the server's store)."""
    size = ctx.big.stat().st_size
    server.call("POST", "/api/v1/volumes", json={"name": "big"})
    api_url = f"{server.url}/api/v1/volumes/big/objects/big.bin"
    out = ctx.scratch / "get-out.bin"
    s3 = s3_client() if store[0] == "s3" else None
    swift = swift_pids() if s3 else []

    def swift_cpu():
        return sum(cpu_seconds(pid) for pid in swift)

    def api_transfer(direction, args):
        """One curl transfer through the API: seconds, idle and peak RSS, server and Swift CPU."""
        idle = server.rss_mb()
        cpu0, swift0 = cpu_seconds(server.pid), swift_cpu()
        with RssPeak(server.pid) as peak:
            code, seconds, start = curl(args)
        if code not in (200, 201):
            raise RuntimeError(f"API {direction} answered {code}")
        if direction == "PUT" and start > 0.9:
            log(f"  note: the API PUT's first response byte came after {start:.2f} s")
        return {"s": seconds, "idle": idle, "peak": peak.peak_kb * 1024 / 1e6,
                "cpu": cpu_seconds(server.pid) - cpu0, "swift": swift_cpu() - swift0}

    def base_transfer(command_or_curl):
        swift0 = swift_cpu()
        if command_or_curl[0] == "curl":
            code, seconds, _ = curl(command_or_curl[1:])
            if code != 200:
                raise RuntimeError(f"presigned transfer answered {code}")
        else:
            seconds = timed_run(command_or_curl)
        return {"s": seconds, "swift": swift_cpu() - swift0}

    runs = []  # one {"PUT": {"api", "base"}, "GET": {...}} per clean run
    attempt = 0
    while len(runs) < ctx.runs:
        attempt += 1
        if attempt > ctx.runs + 3:
            raise RuntimeError(f"{label}: a compiler overlapped too many runs of the large transfer")
        phase = f"{label}: large PUT/GET run {attempt}"
        since = ctx.watch.wait(phase)
        run = {"PUT": {}, "GET": {}}
        # PUT through the API (the previous run's object deleted first, untimed).
        server.call("DELETE", "/api/v1/volumes/big/objects/big.bin", expect=(204, 404))
        os.sync()
        run["PUT"]["api"] = api_transfer("PUT", ["-T", str(ctx.big), "-o", "/dev/null", api_url])
        # PUT straight to the store.
        if s3:
            s3.delete_object(Bucket=store[1], Key=f"{store[2]}volumes/big/baseline-put.bin")
            url = server.call("POST", "/api/v1/volumes/big/presign",
                              json={"key": "baseline-put.bin", "method": "PUT"}).json()["url"]
            os.sync()
            run["PUT"]["base"] = base_transfer(["curl", "-T", str(ctx.big), "-o", "/dev/null", url])
        else:
            target = store[1].parent / "baseline-put.bin"  # same filesystem as the objects dir
            unlink(target)
            os.sync()
            run["PUT"]["base"] = base_transfer(["cp", str(ctx.big), str(target)])
        # GET through the API into a file.
        unlink(out)
        os.sync()
        run["GET"]["api"] = api_transfer("GET", ["-o", str(out), api_url])
        if out.stat().st_size != size:
            raise RuntimeError(f"API GET wrote {out.stat().st_size} bytes, not {size}")
        # GET straight from the store into the same file.
        unlink(out)
        os.sync()
        if s3:
            url = server.call("POST", "/api/v1/volumes/big/presign", json={"key": "big.bin", "method": "GET"}).json()["url"]
            run["GET"]["base"] = base_transfer(["curl", "-o", str(out), url])
        else:
            run["GET"]["base"] = base_transfer(["cp", str(store[1] / "volumes/big/big.bin"), str(out)])
        if out.stat().st_size != size:
            raise RuntimeError(f"baseline GET wrote {out.stat().st_size} bytes, not {size}")
        unlink(out)
        clean = ctx.watch.clean(since, phase, redo=True)
        log(f"  {label} run {attempt}{'' if clean else ' (overlapped by a compiler: done again)'}: PUT api "
            f"{run['PUT']['api']['s']:.2f} s, baseline {run['PUT']['base']['s']:.2f} s; GET api "
            f"{run['GET']['api']['s']:.2f} s, baseline {run['GET']['base']['s']:.2f} s; RSS idle "
            f"{run['PUT']['api']['idle']:.0f} MB, peak {run['PUT']['api']['peak']:.0f} / {run['GET']['api']['peak']:.0f} MB")
        if clean:
            runs.append(run)
    if store[0] == "local":
        # An fsync'd copy: the server syncs every object before it publishes it, cp does not.
        target = store[1].parent / "baseline-put.bin"
        synced = []
        for _ in range(ctx.runs):
            unlink(target)
            os.sync()
            synced.append(timed_run(["sh", "-c", f"cp '{ctx.big}' '{target}' && sync '{target}'"]))
        unlink(target)
        ctx.extra[label + " cp+fsync"] = min(synced)
        log(f"  {label}: cp + fsync of the target: best {min(synced):.2f} s ({mb(size) / min(synced):.0f} MB/s)")
    rows = rows_of(runs, label, size, s3)
    if not s3:
        rows.append(read_cost(ctx, server, store, size, api_url, label))
    server.call("DELETE", "/api/v1/volumes/big?force=true")
    return rows


def read_cost(ctx, server, store, size, api_url, label):
    """What serving the bytes costs, without the disk writes that dominate a GET into a file: the
    API GET into /dev/null, against reading the stored file (cat) and against nginx sending the
    same file over the same loopback (sendfile: what HTTP itself costs at best)."""
    stored = store[1] / "volumes/big/big.bin"
    port = free_port()
    conf = ctx.scratch / "nginx.conf"
    conf.write_text(f"daemon off; worker_processes 1; pid {ctx.scratch}/nginx.pid; error_log {ctx.scratch}/nginx.log;\n"
                    f"events {{}}\nhttp {{ access_log off; sendfile on; client_body_temp_path {ctx.scratch};\n"
                    f"  server {{ listen 127.0.0.1:{port}; root {stored.parent}; }} }}\n")
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(ctx.scratch)])
    try:
        wait_for_port(port)
        best = {"api": [], "cat": [], "nginx": []}
        peaks, cpus = [], []
        for _ in range(ctx.runs):
            cpu0 = cpu_seconds(server.pid)
            with RssPeak(server.pid) as peak:
                best["api"].append(curl(["-o", "/dev/null", api_url])[1])
            peaks.append(peak.peak_kb * 1024 / 1e6)
            cpus.append(cpu_seconds(server.pid) - cpu0)
            best["cat"].append(timed_run(["sh", "-c", f"cat '{stored}' > /dev/null"]))
            best["nginx"].append(curl(["-o", "/dev/null", f"http://127.0.0.1:{port}/big.bin"])[1])
    finally:
        nginx.terminate()
        nginx.wait()
    api, cat, http = (min(best[k]) for k in ("api", "cat", "nginx"))
    log(f"  {label}: GET into /dev/null: API {api:.2f} s, cat {cat:.2f} s, nginx {http:.2f} s")
    return {"backend": label, "direction": "GET, into /dev/null", "api_mbs": mb(size) / api, "base_mbs": mb(size) / cat,
            "baseline": f"cat of the stored file (nginx over loopback: {mb(size) / http:.0f} MB/s, ratio "
                        f"{http / api:.2f})", "ratio": cat / api, "idle": [server.rss_mb()], "peak": max(peaks), "peaks": peaks,
            "api_runs": best["api"], "base_runs": best["cat"],
            "server_cpu": cpus[best["api"].index(api)], "swift_cpu": 0, "base_swift_cpu": 0}


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout_s=10):
    import socket
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on port {port}")


def rows_of(runs, label, size, s3):
    rows = []
    for direction in ("PUT", "GET"):
        api = min((run[direction]["api"] for run in runs), key=lambda r: r["s"])
        base = min((run[direction]["base"] for run in runs), key=lambda r: r["s"])
        what = ("cp" if direction == "PUT" else "cp of the stored object") if not s3 else \
            f"curl, S3 presigned {direction}"
        rows.append({
            "backend": label, "direction": direction, "api_mbs": mb(size) / api["s"], "base_mbs": mb(size) / base["s"],
            "baseline": what, "ratio": base["s"] / api["s"],
            "idle": [run[direction]["api"]["idle"] for run in runs],
            "peak": max(run[direction]["api"]["peak"] for run in runs),
            "peaks": [run[direction]["api"]["peak"] for run in runs],
            "api_runs": [run[direction]["api"]["s"] for run in runs],
            "base_runs": [run[direction]["base"]["s"] for run in runs],
            "server_cpu": api["cpu"], "swift_cpu": api["swift"], "base_swift_cpu": base["swift"]})
    return rows


# --- 2. listing --------------------------------------------------------------------------------

def key_of(n, per_folder):
    return f"d{n // per_folder:03d}/f{n:05d}.txt"


def fill_local(root, count, per_folder):
    for n in range(count):
        path = root / key_of(n, per_folder)
        if n % per_folder == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            out.write(b"object %d\n" % n)


def fill_s3(client, bucket, prefix, first, count, per_folder):
    """Puts objects first..first+count-1 with 16 threads; returns the seconds taken."""
    def put(n):
        client.put_object(Bucket=bucket, Key=prefix + key_of(n, per_folder), Body=b"object %d\n" % n)

    begun = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(put, range(first, first + count)))
    return time.perf_counter() - begun


def api_pages(server, volume, limit=PAGE, prefix="", delimiter=""):
    """Pages through a listing; returns (latencies, http-only latencies, objects, folders, keys in order?)."""
    latencies, http, objects, folders, cursor, last = [], [], 0, 0, None, ""
    ordered = True
    while True:
        params = {"limit": limit}
        if prefix:
            params["prefix"] = prefix
        if delimiter:
            params["delimiter"] = delimiter
        if cursor:
            params["cursor"] = cursor
        begun = time.perf_counter()
        response = server.session.get(f"{server.url}/api/v1/volumes/{volume}/objects", params=params, timeout=600)
        got = time.perf_counter()
        body = response.json()
        done = time.perf_counter()
        if response.status_code != 200:
            raise RuntimeError(f"listing answered {response.status_code}: {body}")
        latencies.append(done - begun)
        http.append(got - begun)
        for item in body["objects"]:
            ordered = ordered and item["key"] > last
            last = item["key"]
        objects += len(body["objects"])
        folders += len(body["folders"])
        cursor = body["next_cursor"]
        if not cursor:
            return latencies, http, objects, folders, ordered


def scandir_pages(root, limit=PAGE):
    """Lists a directory tree in key order with sizes and times, timing every `limit` entries."""
    def walk(path, relative):
        entries = sorted(os.scandir(path), key=lambda e: e.name + "/" if e.is_dir(follow_symlinks=False) else e.name)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path, relative + entry.name + "/")
            else:
                st = entry.stat(follow_symlinks=False)
                yield relative + entry.name, st.st_size, st.st_mtime_ns

    latencies, count = [], 0
    begun = time.perf_counter()
    for _ in walk(str(root), ""):
        count += 1
        if count % limit == 0:
            now = time.perf_counter()
            latencies.append(now - begun)
            begun = now
    if count % limit:
        latencies.append(time.perf_counter() - begun)
    return latencies, count


def scandir_folders(root):
    begun = time.perf_counter()
    names = sorted(e.name + "/" for e in os.scandir(root) if e.is_dir(follow_symlinks=False))
    return time.perf_counter() - begun, len(names)


def scandir_folder(folder):
    begun = time.perf_counter()
    entries = sorted(os.scandir(folder), key=lambda e: e.name)
    items = [(e.name, e.stat().st_size) for e in entries]
    return time.perf_counter() - begun, len(items)


def s3_pages(client, bucket, prefix, delimiter=""):
    latencies, count, token = [], 0, None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": PAGE}
        if delimiter:
            kwargs["Delimiter"] = delimiter
        if token:
            kwargs["ContinuationToken"] = token
        begun = time.perf_counter()
        page = client.list_objects_v2(**kwargs)
        latencies.append(time.perf_counter() - begun)
        count += len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
        if not page.get("IsTruncated"):
            return latencies, count
        token = page["NextContinuationToken"]


def median_of(runs, measure):
    results = [measure() for _ in range(runs)]
    return statistics.median(r[0] for r in results), results[-1][1]


def listing_bench(ctx, server, label, store, count, per_folder, fill_note=""):
    """Fills volume `list` with `count` objects behind the server's back, reconciles, lists."""
    folders = count // per_folder
    server.call("POST", "/api/v1/volumes", json={"name": "list"})
    result = {"backend": label, "count": count, "folders": folders, "note": fill_note}
    if store[0] == "local":
        root = store[1] / "volumes/list"
        begun = time.perf_counter()
        fill_local(root, count, per_folder)
        result["fill_s"] = time.perf_counter() - begun
        os.sync()
    else:
        client, bucket, prefix = store[1], store[2], store[3] + "volumes/list/"
        result["fill_s"] = ctx.s3_fill_s
    phase = f"{label}: reconcile of {count:,} objects"
    since = ctx.watch.wait(phase)
    begun = time.perf_counter()
    report = server.call("POST", "/api/v1/volumes/list/reconcile").json()
    result["reconcile_s"] = time.perf_counter() - begun
    ctx.watch.clean(since, phase)
    if report["added"] != count:
        raise RuntimeError(f"reconcile added {report['added']} objects, not {count}: {report}")
    log(f"  {label}: reconcile of {count:,} objects: {result['reconcile_s']:.1f} s")

    phase = f"{label}: listing {count:,} objects"
    since = ctx.watch.wait(phase)
    api, http, objects, _, ordered = api_pages(server, "list")
    if objects != count or not ordered:
        raise RuntimeError(f"listing gave {objects} objects (ordered: {ordered}), not {count}")
    if store[0] == "local":
        base, listed = scandir_pages(root)
    else:
        base, listed = s3_pages(client, bucket, prefix)
    if listed != count:
        raise RuntimeError(f"baseline listing gave {listed} entries, not {count}")
    result.update(api=api, http=http, base=base)
    # Folders: the volume's root with delimiter=/, then inside one folder.
    inner = f"d{folders // 2:03d}/"
    root_api = median_of(5, lambda: (lambda r: (r[0][0], r[3]))(api_pages(server, "list", delimiter="/")))
    inner_api = median_of(5, lambda: (lambda r: (r[0][0], r[2]))(api_pages(server, "list", prefix=inner,
                                                                            delimiter="/")))
    if store[0] == "local":
        root_base = median_of(5, lambda: scandir_folders(root))
        inner_base = median_of(5, lambda: scandir_folder(root / inner))
    else:
        root_base = median_of(5, lambda: (lambda r: (r[0][0], r[1]))(s3_pages(client, bucket, prefix, "/")))
        inner_base = median_of(5, lambda: (lambda r: (r[0][0], r[1]))(s3_pages(client, bucket, prefix + inner, "/")))
    if root_api[1] != folders or root_base[1] != folders or inner_api[1] != per_folder or inner_base[1] != per_folder:
        raise RuntimeError(f"folder listings disagree: {root_api} {root_base} {inner_api} {inner_base}")
    ctx.watch.clean(since, phase)
    result.update(root_api=root_api[0], root_base=root_base[0], inner_api=inner_api[0], inner_base=inner_base[0],
                  baseline="os.scandir, sorted, with stat" if store[0] == "local" else "boto3 list_objects_v2")
    log(f"  {label}: {len(api)} pages, p50 {ms(pct(api, 50))}, p99 {ms(pct(api, 99))}; baseline p50 "
        f"{ms(pct(base, 50))}; root folders {ms(root_api[0])} vs {ms(root_base[0])}; one folder "
        f"{ms(inner_api[0])} vs {ms(inner_base[0])}")
    return result


# --- 3. many small uploads ---------------------------------------------------------------------

def concurrent_writes(count, make_worker):
    """Runs `count` writes over THREADS threads; make_worker(t) returns a function of (n, payload).
    Returns (wall seconds, per-write latencies)."""
    payloads = [os.urandom(10 * 1024) for _ in range(count)]
    workers = [make_worker(t) for t in range(THREADS)]
    latencies = [[] for _ in range(THREADS)]
    errors = []
    barrier = threading.Barrier(THREADS + 1)

    def run(t):
        barrier.wait()
        try:
            for n in range(t, count, THREADS):
                begun = time.perf_counter()
                workers[t](n, payloads[n])
                latencies[t].append(time.perf_counter() - begun)
        except Exception as error:  # reported after the join
            errors.append(error)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    begun = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - begun
    if errors:
        raise errors[0]
    return wall, [x for per_thread in latencies for x in per_thread]


def small_key(n):
    return f"t{n % THREADS:02d}/o{n:05d}.bin"


def small_writes_bench(ctx, server, label, store):
    count = ctx.small_count
    server.call("POST", "/api/v1/volumes", json={"name": "small"})
    result = {"backend": label, "count": count}

    def api_worker(t):
        s = session()

        def put(n, payload):
            response = s.put(f"{server.url}/api/v1/volumes/small/objects/{small_key(n)}", data=payload, timeout=600)
            if response.status_code not in (200, 201):
                raise RuntimeError(f"PUT answered {response.status_code}: {response.text[:300]}")
        return put

    phase = f"{label}: {count:,} small uploads"
    since = ctx.watch.wait(phase)
    result["api"] = concurrent_writes(count, api_worker)
    ctx.watch.clean(since, phase)
    log(f"  {label}: API {count / result['api'][0]:.0f} objects/s")
    listed = api_pages(server, "small")[2]
    if listed != count:
        raise RuntimeError(f"after the uploads the volume lists {listed} objects, not {count}")

    if store[0] == "local":
        base_dir = store[1].parent / "small-baseline"
        for t in range(THREADS):
            (base_dir / "plain" / f"t{t:02d}").mkdir(parents=True, exist_ok=True)
            (base_dir / "synced" / f"t{t:02d}").mkdir(parents=True, exist_ok=True)
        (base_dir / "tmp").mkdir(exist_ok=True)

        def plain_worker(t):
            def write(n, payload):
                with open(base_dir / "plain" / small_key(n), "wb") as out:
                    out.write(payload)
            return write

        def synced_worker(t):
            # What the server's local store does per object: temp file, fsync, rename.
            def write(n, payload):
                temp = base_dir / "tmp" / f"{n}.tmp"
                with open(temp, "wb") as out:
                    out.write(payload)
                    out.flush()
                    os.fsync(out.fileno())
                os.rename(temp, base_dir / "synced" / small_key(n))
            return write

        os.sync()
        since = ctx.watch.wait(phase + " (baseline)")
        result["base"] = concurrent_writes(count, plain_worker)
        result["baseline"] = "open/write/close, 16 threads"
        os.sync()
        result["synced"] = concurrent_writes(count, synced_worker)
        ctx.watch.clean(since, phase + " (baseline)")
        log(f"  {label}: baseline {count / result['base'][0]:.0f} objects/s, with fsync + rename "
            f"{count / result['synced'][0]:.0f} objects/s")
    else:
        bucket, prefix = store[2], store[4] + "small/"

        def s3_worker(t):
            client = s3_client()

            def put(n, payload):
                client.put_object(Bucket=bucket, Key=prefix + small_key(n), Body=payload)
            return put

        since = ctx.watch.wait(phase + " (baseline)")
        result["base"] = concurrent_writes(count, s3_worker)
        result["baseline"] = "boto3 put_object, 16 threads"
        ctx.watch.clean(since, phase + " (baseline)")
        log(f"  {label}: baseline {count / result['base'][0]:.0f} objects/s")
    return result


# --- the run -----------------------------------------------------------------------------------

class Context:
    def __init__(self, args):
        self.scratch = Path(args.scratch)
        self.binary = args.binary
        self.smoke = args.smoke
        self.only = set(args.only.split(",")) if args.only else {"transfer", "listing", "small"}
        # A smoke run checks that every measurement works and is recorded; its figures mean nothing.
        self.runs = 1 if args.smoke else 3
        self.big_bytes = (4 << 20) if args.smoke else (1 << 30)
        self.list_count = 1000 if args.smoke else 100_000
        self.per_folder = 100 if args.smoke else 1000
        self.s3_probe = 50 if args.smoke else 2000
        self.s3_small_list = 200 if args.smoke else 10_000
        self.full_s3_listing = args.full_s3_listing
        self.small_count = 100 if args.smoke else 10_000
        self.watch = CompilerWatch(0 if args.smoke else QUIET_S)
        self.resources = Resources(self.scratch)
        self.extra = {}
        self.s3_fill_s = None
        self.stamp = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.big = self.scratch / "big.bin"
        self.binary_mtime = os.stat(self.binary).st_mtime

    def check_binary(self, notes):
        """Another engineer may rebuild the server meanwhile: say so if the binary changed."""
        if os.stat(self.binary).st_mtime != self.binary_mtime:
            self.binary_mtime = os.stat(self.binary).st_mtime
            note = (f"{self.binary} was rebuilt during the run (now from "
                    f"{time.strftime('%H:%M:%S', time.gmtime(self.binary_mtime))} UTC); later servers run the new binary")
            notes.append(note)
            log(note)


def report(ctx, transfers, listings, smalls, notes):
    size = ctx.big_bytes
    big_name = "1 GiB" if size == 1 << 30 else f"{size >> 20} MiB"
    print(f"\n## 1. {big_name} object: PUT and GET with curl (best of {ctx.runs} runs each)\n")
    print(table(["backend", "direction", "DuckLake API", "baseline", "baseline MB/s", "ratio", "idle RSS",
                 "peak RSS", "CPU, best run"],
                [[r["backend"], r["direction"], f"{r['api_mbs']:.0f} MB/s", r["baseline"], f"{r['base_mbs']:.0f}",
                  f"**{r['ratio']:.2f}**", f"{r['idle'][0]:.0f} MB", f"**{r['peak']:.0f} MB**",
                  f"server {r['server_cpu']:.2f} s" + (f", Swift {r['swift_cpu']:.1f} s (baseline: Swift "
                                                      f"{r['base_swift_cpu']:.1f} s)" if r["swift_cpu"] else "")]
                 for r in transfers]))
    print("\nRatio = DuckLake throughput / baseline throughput (≥ 0.8 is the target). RSS: the server's VmRSS "
          "before the first transfer and its peak during any, sampled every 20 ms (< 100 MB is the target). CPU: "
          "user + system seconds of the server (and of the Swift processes) during the best run. MB = 10^6 bytes.")
    for r in transfers:
        met = "met" if r["ratio"] >= 0.8 else "NOT met"
        rss = "met" if r["peak"] < 100 else "NOT met"
        print(f"- {r['backend']} {r['direction']}: ratio {r['ratio']:.2f} ({met}), peak RSS {r['peak']:.0f} MB ({rss});"
              f" runs: API {', '.join(f'{s:.2f}' for s in r['api_runs'])} s, baseline "
              f"{', '.join(f'{s:.2f}' for s in r['base_runs'])} s; RSS idle before each run "
              f"{', '.join(f'{m:.0f}' for m in r['idle'])} MB, peak {', '.join(f'{m:.0f}' for m in r['peaks'])} MB")
    for name, seconds in ctx.extra.items():
        if name.endswith("cp+fsync"):
            print(f"- {name.removesuffix(' cp+fsync')}: `cp` followed by `sync` of the copy (the server fsyncs every "
                  f"object before publishing it; cp does not): {mb(size) / seconds:.0f} MB/s")

    print(f"\n## 2. Listing a volume, pages of {PAGE}\n")
    rows = []
    for r in listings:
        api, base = r["api"], r["base"]
        rows.append([f"{r['backend']}, {r['count']:,} objects", len(api),
                     f"{ms(pct(api, 50))} / {ms(pct(api, 99))} / {ms(statistics.mean(api))}",
                     f"{ms(pct(base, 50))} / {ms(pct(base, 99))} / {ms(statistics.mean(base))}",
                     f"**{statistics.mean(base) / statistics.mean(api):.2f}**",
                     f"{ms(r['root_api'])} vs {ms(r['root_base'])} ({r['root_base'] / r['root_api']:.2f})",
                     f"{ms(r['inner_api'])} vs {ms(r['inner_base'])} ({r['inner_base'] / r['inner_api']:.2f})"])
    print(table(["backend", "pages", "DuckLake p50 / p99 / mean", "baseline p50 / p99 / mean", "ratio (mean)",
                 "root, delimiter=/", "one folder, delimiter=/"], rows))
    print("\nRatio = baseline time / DuckLake time. A DuckLake page is timed from the request to the parsed JSON "
          "(requests, keep-alive). Folder listings: median of 5, DuckLake vs baseline (ratio).")
    for r in listings:
        json_share = 1 - statistics.mean(r["http"]) / statistics.mean(r["api"])
        print(f"- {r['backend']}: baseline {r['baseline']}; {r['folders']} folders of {r['count'] // r['folders']:,}; "
              f"filled in {r['fill_s']:.1f} s; reconcile {r['reconcile_s']:.1f} s "
              f"(**{r['count'] / r['reconcile_s']:,.0f} objects/s**); whole listing {sum(r['api']):.2f} s vs "
              f"{sum(r['base']):.2f} s; client JSON parsing is {json_share:.0%} of a page's time."
              + (f" {r['note']}" if r["note"] else ""))

    print(f"\n## 3. {ctx.small_count:,} objects of 10 KiB, {THREADS} concurrent clients\n")
    rows = []
    for r in smalls:
        (api_wall, api_lat), (base_wall, base_lat) = r["api"], r["base"]
        rows.append([r["backend"], f"{r['count'] / api_wall:,.0f}", f"{ms(pct(api_lat, 50))} / {ms(pct(api_lat, 99))}",
                     r["baseline"], f"{r['count'] / base_wall:,.0f}",
                     f"{ms(pct(base_lat, 50))} / {ms(pct(base_lat, 99))}", f"**{base_wall / api_wall:.2f}**"])
        if "synced" in r:
            synced_wall, synced_lat = r["synced"]
            rows.append([r["backend"], "", "", "temp file, write, fsync, rename", f"{r['count'] / synced_wall:,.0f}",
                         f"{ms(pct(synced_lat, 50))} / {ms(pct(synced_lat, 99))}", f"{synced_wall / api_wall:.2f}"])
    print(table(["backend", "DuckLake objects/s", "p50 / p99", "baseline", "objects/s", "p50 / p99", "ratio"], rows))
    print("\nRatio = DuckLake objects/s / baseline objects/s. Clients: Python threads, one requests.Session each "
          "(keep-alive), sharing the 2 cores with the server and the store.")
    if notes:
        print("\n## Notes\n")
        for note in notes:
            print(f"- {note}")


def record(transfers, listings, smalls):
    """The figures for bench/suite.py: every measurement's ratio to its baseline with DuckLake's own
    rate beside it, the server's peak RSS during the transfers, and the plot of transfer rates."""
    def transfer(r):
        return f"{r['backend']} {r['direction'].replace(', ', ' ')}"

    for r in transfers:
        name = f"transfer {transfer(r)}"
        record_figure("files", name, r["ratio"], "ratio", api_mbs=r["api_mbs"], baseline_mbs=r["base_mbs"],
                      baseline=r["baseline"])
        record_figure("files", f"{name}: API rate", r["api_mbs"], "MB/s")
        record_figure("files", f"{name}: server peak RSS", r["peak"], "MB")
    if transfers:
        categories = [transfer(r) for r in transfers]
        record_series("files", "DuckLake API", "MB/s", categories, [r["api_mbs"] for r in transfers],
                      "files-transfer-rates", "transfer", "MB/s")
        record_series("files", "the same straight to the store", "MB/s", categories, [r["base_mbs"] for r in transfers],
                      "files-transfer-rates", "transfer", "MB/s")
    for r in listings:
        name = f"listing {r['backend']}"
        record_figure("files", name, statistics.mean(r["base"]) / statistics.mean(r["api"]), "ratio", objects=r["count"],
                      api_mean_s=statistics.mean(r["api"]), baseline_mean_s=statistics.mean(r["base"]),
                      baseline=r["baseline"])
        record_figure("files", f"{name}: page p50", pct(r["api"], 50) * 1000, "ms")
        record_figure("files", f"{name}: reconcile", r["count"] / r["reconcile_s"], "objects/s")
    for r in smalls:
        (api_wall, _), (base_wall, _) = r["api"], r["base"]
        name = f"small uploads {r['backend']}"
        record_figure("files", name, base_wall / api_wall, "ratio", objects=r["count"], api_s=api_wall,
                      baseline_s=base_wall, baseline=r["baseline"])
        record_figure("files", f"{name}: API rate", r["count"] / api_wall, "objects/s")
        if "synced" in r:
            record_figure("files", f"{name} vs fsync + rename", r["synced"][0] / api_wall, "ratio",
                          api_s=api_wall, baseline_s=r["synced"][0])


def run(ctx):
    transfers, listings, smalls, notes = [], [], [], []
    log(f"making {ctx.big_bytes:,} bytes of random data")
    with open(ctx.big, "wb") as out:
        subprocess.run(["head", "-c", str(ctx.big_bytes), "/dev/urandom"], stdout=out, check=True)

    ctx.check_binary(notes)
    # A. embedded: SQLite + local directory.
    data = ctx.scratch / "embedded"
    log("# embedded (SQLite + local directory)")
    server = Server(ctx.binary, 18961, ["--data-dir", str(data)], {}, ctx.scratch / "embedded.log", ctx.resources,
                    "embedded")
    try:
        store = ("local", data / "objects")
        if "transfer" in ctx.only:
            transfers += transfer_bench(ctx, server, "embedded", store)
        if "listing" in ctx.only:
            listings.append(listing_bench(ctx, server, "embedded (SQLite + local)", store, ctx.list_count,
                                          ctx.per_folder))
        if "small" in ctx.only:
            smalls.append(small_writes_bench(ctx, server, "embedded", store))
    except BaseException:
        log(server.describe())
        raise
    finally:
        server.stop()

    ctx.check_binary(notes)
    # B. PostgreSQL + S3.
    log("# PostgreSQL + S3 (Swift)")
    prefix = f"files-{ctx.stamp}/"
    ctx.resources.add("s3", f"{BUCKET}/files-{ctx.stamp}")  # also covers the baseline prefix
    env = {"AWS_ACCESS_KEY_ID": os.environ["DUCKLAKE_TEST_S3_ACCESS_KEY"],
           "AWS_SECRET_ACCESS_KEY": os.environ["DUCKLAKE_TEST_S3_SECRET_KEY"],
           "DUCKLAKE_S3_ENDPOINT": os.environ["DUCKLAKE_TEST_S3_ENDPOINT"]}
    server = Server(ctx.binary, 18962, ["--data-dir", str(ctx.scratch / "pg-s3"), "--metadata",
                                        fresh_database(ctx.resources, "bench_files_"), "--storage", f"s3://{BUCKET}/{prefix.rstrip('/')}"],
                    env, ctx.scratch / "pg-s3.log", ctx.resources, "PostgreSQL + S3")
    fallback = False
    try:
        client = s3_client()
        if "transfer" in ctx.only:
            transfers += transfer_bench(ctx, server, "PostgreSQL + S3", ("s3", BUCKET, prefix))
        if "listing" in ctx.only:
            # How fast can the listing volume be filled straight into S3?
            volume_prefix = prefix + "volumes/list/"
            since = ctx.watch.wait("PostgreSQL + S3: S3 fill rate probe")
            probe_s = fill_s3(client, BUCKET, volume_prefix, 0, ctx.s3_probe, ctx.per_folder)
            ctx.watch.clean(since, "PostgreSQL + S3: S3 fill rate probe")
            rate = ctx.s3_probe / probe_s
            projected = ctx.list_count / rate
            budget = S3_BUDGET_S * ctx.list_count / 100_000
            log(f"  S3 fill probe: {ctx.s3_probe:,} puts in {probe_s:.1f} s ({rate:.0f}/s); {ctx.list_count:,} would take "
                f"{projected:.0f} s")
            target = ctx.list_count
            note = ""
            if projected > budget and not ctx.full_s3_listing:
                fallback = True
                target = ctx.s3_small_list
                note = (f"{ctx.s3_probe:,} direct boto3 puts with 16 threads took {probe_s:.1f} s ({rate:.0f} objects/s), so "
                        f"{ctx.list_count:,} would take about {projected / 60:.0f} min: on S3 only {target:,} objects are "
                        f"listed; the {ctx.list_count:,}-object listing runs on PostgreSQL + local storage.")
                notes.append(note)
                log("  " + note)
            ctx.s3_fill_s = probe_s + fill_s3(client, BUCKET, volume_prefix, ctx.s3_probe, target - ctx.s3_probe,
                                              ctx.per_folder)
            listings.append(listing_bench(ctx, server, "PostgreSQL + S3", ("s3", client, BUCKET, prefix), target,
                                          ctx.per_folder, "Filled with boto3 (16 threads)."))
        if "small" in ctx.only:
            smalls.append(small_writes_bench(ctx, server, "PostgreSQL + S3",
                                             ("s3", client, BUCKET, prefix, f"files-{ctx.stamp}-baseline/")))
    except BaseException:
        log(server.describe())
        raise
    finally:
        server.stop()

    if fallback:
        ctx.check_binary(notes)
        log("# PostgreSQL + local storage (the large listing)")
        data = ctx.scratch / "pg-local"
        server = Server(ctx.binary, 18963, ["--data-dir", str(data), "--metadata", fresh_database(ctx.resources, "bench_files_")], {},
                        ctx.scratch / "pg-local.log", ctx.resources, "PostgreSQL + local")
        try:
            listings.append(listing_bench(ctx, server, "PostgreSQL + local", ("local", data / "objects"),
                                          ctx.list_count, ctx.per_folder))
        except BaseException:
            log(server.describe())
            raise
        finally:
            server.stop()
    report(ctx, transfers, listings, smalls, notes + ctx.watch.notes)
    record(transfers, listings, smalls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary")
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds")
    parser.add_argument("--only", help="comma-separated sections to run: transfer, listing, small (default: all)")
    parser.add_argument("--full-s3-listing", action="store_true",
                        help="fill the S3 listing volume to the full count however long it takes")
    parser.add_argument("--cleanup", action="store_true", help="only remove what an interrupted run left")
    args = parser.parse_args()
    if args.cleanup:
        Resources(args.scratch).cleanup()
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ctx = Context(args)
    mode = " (smoke: tiny sizes)" if ctx.smoke else ""
    print(f"# DuckLake files API, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, {os.cpu_count()} cores{mode}")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"], capture_output=True,
                           text=True).stdout.strip()
    print(f"server binary {args.binary}, built {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(ctx.binary_mtime))} UTC,"
          f" tree at {head or 'unknown'}" + (" with uncommitted changes under src/" if dirty else ""))
    try:
        run(ctx)
    finally:
        ctx.watch.stop()
        log("cleaning up (servers, PostgreSQL databases, S3 prefixes)")
        ctx.resources.cleanup()


if __name__ == "__main__":
    main()
