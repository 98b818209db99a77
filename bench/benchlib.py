"""Helpers shared by the benchmark drivers (bench/*_bench.py): result tables, percentiles, the
figures they record for bench/suite.py, the servers, PostgreSQL databases and S3 prefixes a run
creates (and cleans up), watching for compilers that would skew a measurement, and sampling a
process's memory and CPU."""

import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

QUIET_S = 10  # a compiler must have been absent this long before a measured phase
RECORD_ENV = "DUCKLAKE_BENCH_RECORD"  # the file figures are recorded to (the contract: bench/suite.py)
RSS_INTERVAL_S = 0.02
S3_POOL = 32  # connections of the benchmarks' S3 client


def log(message):
    print(message, file=sys.stderr, flush=True)


def mb(n_bytes):
    return n_bytes / 1e6


def pct(values, q):
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def ms(seconds):
    return f"{seconds * 1000:.2f} ms" if seconds < 0.001 else f"{seconds * 1000:.1f} ms"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("-" if i == 0 else "-:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --- figures recorded for bench/suite.py -------------------------------------------------------

def record_figure(bench, name, value, unit, **detail):
    """Records one figure where DUCKLAKE_BENCH_RECORD says (nothing when it is unset). A ratio (unit
    "ratio") is oriented so that higher is better: baseline time / DuckLake time, or DuckLake rate /
    baseline rate. `detail` holds what explains the figure (the two sides' times, sizes)."""
    fields = {"kind": "figure", "bench": bench, "name": name, "value": float(value), "unit": unit}
    if detail:
        fields["detail"] = detail
    _record(fields)


def record_series(bench, name, unit, x, y, plot, xlabel, ylabel):
    """Records a series of points for the plot `plot` (docs/images/bench/<plot>.png, with every other
    series of that plot): lines when x are numbers, grouped bars when x are category labels."""
    _record({"kind": "series", "bench": bench, "name": name, "unit": unit, "x": list(x), "y": list(y),
             "plot": plot, "xlabel": xlabel, "ylabel": ylabel})


def cdf(values, points=101):
    """A CDF of `values` for record_series: x the values at percentiles 0..100 (nearest rank), y the
    fraction of values at or below each."""
    fractions = [i / (points - 1) for i in range(points)]
    return [pct(values, fraction * 100) for fraction in fractions], fractions


def _record(fields):
    path = os.environ.get(RECORD_ENV)
    if path:
        # allow_nan=False: a NaN or infinite figure fails here, in the driver that made it.
        line = json.dumps(fields, allow_nan=False) + "\n"
        with open(path, "a") as out:
            out.write(line)


# --- resources to clean up ---------------------------------------------------------------------

class Resources:
    """Servers, databases and S3 prefixes this run created, also written to a file so that
    `--cleanup` can remove them if the driver dies."""

    def __init__(self, scratch):
        self.path = Path(scratch) / "resources"

    def add(self, kind, value):
        with open(self.path, "a") as out:
            out.write(f"{kind} {value}\n")

    def items(self):
        if not self.path.exists():
            return []
        return [line.split(" ", 1) for line in self.path.read_text().splitlines() if " " in line]

    def cleanup(self):
        items = self.items()
        for kind, value in items:
            if kind == "pid" and is_our_server(int(value)):
                try:
                    os.kill(int(value), signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for kind, value in items:
            if kind == "pid":
                for _ in range(100):
                    if not is_our_server(int(value)):
                        break
                    time.sleep(0.1)
        for kind, value in items:
            try:
                if kind == "db":
                    psql(f'DROP DATABASE IF EXISTS "{value}" WITH (FORCE)')
                elif kind == "s3":
                    delete_s3_prefix(value)
            except Exception as error:  # keep going: clean up the rest
                log(f"cleanup of {kind} {value} failed: {error}")
        self.path.unlink(missing_ok=True)


def is_our_server(pid):
    """True if `pid` is still a `ducklake serve` (and not a process that reused the id)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            args = cmdline.read().split(b"\0")
    except OSError:
        return False
    return len(args) > 1 and args[0].endswith(b"ducklake") and args[1] == b"serve" and alive(pid)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def psql(sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", os.environ["DUCKLAKE_TEST_POSTGRES"], "-c", sql],
                   check=True, capture_output=True, timeout=120)


def fresh_database(resources, prefix="bench_"):
    name = prefix + uuid.uuid4().hex[:10]
    resources.add("db", name)
    psql(f'CREATE DATABASE "{name}"')
    return os.environ["DUCKLAKE_TEST_POSTGRES"].rsplit("/", 1)[0] + "/" + name


def s3_client():
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=os.environ["DUCKLAKE_TEST_S3_ENDPOINT"], region_name="us-east-1",
        aws_access_key_id=os.environ["DUCKLAKE_TEST_S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["DUCKLAKE_TEST_S3_SECRET_KEY"],
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", max_pool_connections=S3_POOL,
                      retries={"max_attempts": 5, "mode": "standard"}))


def delete_s3_prefix(prefix):
    """Deletes every object under bucket/prefix (given as "bucket/prefix/")."""
    bucket, _, key_prefix = prefix.partition("/")
    client = s3_client()
    batches = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key_prefix):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            batches.append(keys)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda keys: client.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True}),
                      batches))
    for upload in client.list_multipart_uploads(Bucket=bucket, Prefix=key_prefix).get("Uploads", []):
        client.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])


# --- watching the machine ----------------------------------------------------------------------

class CompilerWatch:
    """Polls `pgrep -x cc1plus` every second, so that measured phases start only after a quiet
    stretch of `quiet_s` seconds and the output says when a build got in the way. A smoke run, whose
    figures mean nothing, passes 0: it then never waits."""

    def __init__(self, quiet_s=QUIET_S):
        self.quiet_s = quiet_s
        self.started = time.monotonic()
        self.last_seen = None
        self.notes = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            found = subprocess.run(["pgrep", "-x", "cc1plus"], stdout=subprocess.DEVNULL).returncode == 0
            if found:
                self.last_seen = time.monotonic()
            self._stop.wait(1)

    def wait(self, phase):
        """Blocks until no compiler has run for quiet_s seconds; returns the time to pass to `clean`."""
        begun = time.monotonic()
        while True:
            now = time.monotonic()
            since = now - max(self.started, self.last_seen or 0)
            if since >= self.quiet_s:
                break
            time.sleep(0.5)
        if self.last_seen is not None and self.last_seen >= begun - self.quiet_s:
            note = f"waited {time.monotonic() - begun:.0f} s for a compiler (cc1plus) to finish before {phase}"
            self.notes.append(note)
            log(note)
        return time.monotonic()

    def clean(self, since, phase, redo=False):
        """Notes it if a compiler ran after `since` (during the phase); false if one did."""
        if self.last_seen is not None and self.last_seen >= since:
            note = f"a compiler (cc1plus) ran during {phase}: " + (
                "that run was discarded and done again" if redo else "that figure may be skewed")
            self.notes.append(note)
            log(note)
            return False
        return True

    def stop(self):
        self._stop.set()


def read_rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def swift_pids():
    found = subprocess.run(["pgrep", "-f", "swift-(proxy|object|container|account)-server"], capture_output=True,
                           text=True).stdout.split()
    return [int(pid) for pid in found]


class RssPeak:
    """Samples a process's VmRSS every 20 ms while the `with` block runs."""

    def __init__(self, pid):
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while True:
            try:
                self.peak_kb = max(self.peak_kb, read_rss_kb(self.pid))
            except OSError:
                return
            if self._stop.wait(RSS_INTERVAL_S):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# --- the server --------------------------------------------------------------------------------

class Server:
    def __init__(self, binary, port, args, env, log_path, resources, label):
        self.label = label
        self.url = f"http://127.0.0.1:{port}"
        self.log_file = open(log_path, "ab")
        self.process = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{port}", "--log-level", "warn", *args],
            env={**os.environ, **env}, stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pid = self.process.pid
        resources.add("pid", self.pid)
        self.session = session()
        for _ in range(300):
            if self.process.poll() is not None:
                raise RuntimeError(f"{label} server exited with {self.process.returncode}; log: {log_path}")
            try:
                if self.session.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{label} server did not start; log: {log_path}")

    def rss_mb(self):
        return read_rss_kb(self.pid) * 1024 / 1e6

    def call(self, method, path, expect=(200, 201, 204), **kwargs):
        response = self.session.request(method, self.url + path, timeout=3600, **kwargs)
        if response.status_code not in expect:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response

    def describe(self):
        """The exit status (if it died) and the end of the log, for an error message."""
        self.log_file.flush()
        status = self.process.poll()
        text = Path(self.log_file.name).read_bytes()[-4000:].decode("utf-8", "replace")
        return (f"{self.label} server " + ("is running" if status is None else f"exited with status {status}")
                + f"; end of its log:\n{text}")

    def stop(self):
        if self.process.poll() is not None:
            log(self.describe())
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def session():
    s = requests.Session()
    s.trust_env = False  # no proxies for loopback
    return s


def curl(args):
    """Runs curl; returns (http status, time_total, time_starttransfer)."""
    done = subprocess.run(["curl", "-sS", "--noproxy", "*", "-w", "%{http_code} %{time_total} %{time_starttransfer}",
                           *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"curl {' '.join(args)} failed: {done.stderr.strip()}")
    code, total, start = done.stdout.split()[-3:]
    return int(code), float(total), float(start)
