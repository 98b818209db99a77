"""Shared helpers of the HTTP suite: running `ducklake serve`, talking to it, checking answers.

Nothing here is mocked: every helper starts or talks to the real binary over loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Iterable, Iterator

import pytest
import requests
import urllib3

REPO_ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("DUCKLAKE_BIN", str(REPO_ROOT / "build" / "ducklake")))

STARTUP_TIMEOUT_S = 30.0  # from exec to a healthy /healthz
EXIT_TIMEOUT_S = 30.0  # from SIGTERM (idle server) to process exit
HTTP_TIMEOUT_S = 120.0  # any single HTTP request
POLL_INTERVAL_S = 0.02  # pause between polls of a condition with a deadline
SERVER_KEEP_ALIVE_S = 5  # the server closes a connection idle this long, and says so in Keep-Alive

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}

# A query that runs for hours unless interrupted, and sends nothing before it ends.
SLOW_SELECT = "SELECT CAST(max(hash(a.range + b.range)) % 1000 AS BIGINT) AS h FROM range(1000000) a, range(1000000) b"


# Random inputs: a fixed seed unless DUCKLAKE_TEST_SEED says otherwise; each test derives its own
# generator from it and its node id, so a test's inputs don't depend on which tests ran before.
SEED = int(os.environ.get("DUCKLAKE_TEST_SEED", "20261207"))


def rng_for(nodeid: str) -> random.Random:
    return random.Random(f"{SEED}/{nodeid}")


def unique_name(prefix: str = "t") -> str:
    """A fresh lake object name (letters, digits, '_'; well under 63 characters)."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def poll_until(condition, timeout_s: float, what: str):
    """Calls `condition` until it returns something truthy or `timeout_s` passes; returns that value."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")
        time.sleep(POLL_INTERVAL_S)


# --- HTTP -----------------------------------------------------------------------------------------


def assert_problem(response: requests.Response, status: int) -> dict:
    """Checks `response` is an application/problem+json answer with `status`; returns its body."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: expected {status}, "
        f"got {response.status_code}: {response.text[:2000]}"
    )
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/problem+json"), f"Content-Type is {content_type!r}"
    body = response.json()
    assert PROBLEM_FIELDS <= set(body), f"problem lacks {PROBLEM_FIELDS - set(body)}: {body}"
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"], body
    return body


def assert_refused(response: requests.Response) -> dict:
    """A request the server must refuse as the client's fault: 400 or 403, as a problem."""
    assert response.status_code in (400, 403), (
        f"expected 400 or 403, got {response.status_code}: {response.text[:2000]}"
    )
    return assert_problem(response, response.status_code)


def query_body_of_size(size: int) -> bytes:
    """A valid /api/v1/query JSON body of exactly `size` bytes."""
    empty = json.dumps({"sql": "SELECT '' AS s"}).encode()
    body = json.dumps({"sql": "SELECT '" + "x" * (size - len(empty)) + "' AS s"}).encode()
    assert len(body) == size
    return body


def expect_status(response: requests.Response, status: int) -> requests.Response:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: expected {status}, "
        f"got {response.status_code}: {response.text[:2000]}"
    )
    return response


class _KeepAliveAwarePool:
    """Never reuses a connection the server may be closing for idleness. A request written to a
    connection at the moment the server drops it is lost without an answer (RemoteDisconnected), and
    a POST cannot be retried blindly, so a connection idle for nearly the advertised
    `Keep-Alive: timeout` is closed here and the request goes out on a new one."""

    # The margin covers the time between the server's last byte (where its idle clock starts) and ours.
    REUSE_LIMIT_S = SERVER_KEEP_ALIVE_S - 1

    def _get_conn(self, timeout=None):
        connection = super()._get_conn(timeout)
        idle_since = getattr(connection, "ducklake_idle_since", None)
        if idle_since is not None and time.monotonic() - idle_since > self.REUSE_LIMIT_S:
            connection.close()  # urllib3 reconnects a closed connection on its next request
        return connection

    def _put_conn(self, connection):
        if connection is not None:
            connection.ducklake_idle_since = time.monotonic()
        super()._put_conn(connection)


class _KeepAliveAwareHTTPPool(_KeepAliveAwarePool, urllib3.HTTPConnectionPool):
    pass


class _KeepAliveAwareHTTPSPool(_KeepAliveAwarePool, urllib3.HTTPSConnectionPool):
    pass


class _KeepAliveAwareAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _KeepAliveAwareHTTPPool, "https": _KeepAliveAwareHTTPSPool}


def keep_alive_aware_session() -> requests.Session:
    """A requests session that honours the server's keep-alive timeout (see _KeepAliveAwarePool)."""
    session = requests.Session()
    for prefix in ("http://", "https://"):
        session.mount(prefix, _KeepAliveAwareAdapter())
    return session


class Api:
    """A client of one server: plain requests plus asserting shortcuts for test set-up."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = keep_alive_aware_session()

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", HTTP_TIMEOUT_S)
        return self.http.request(method, self.url(path), **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    # --- SQL ---

    def sql(self, sql: str, **fields) -> requests.Response:
        """POST /api/v1/query with `sql` and any other request fields."""
        return self.post("/api/v1/query", json={"sql": sql, **fields})

    def query(self, sql: str, **fields) -> dict:
        """The JSON result {columns, rows} of a query that must succeed."""
        return expect_status(self.sql(sql, **fields), 200).json()

    def rows(self, sql: str, **fields) -> list:
        return self.query(sql, **fields)["rows"]

    def write(self, sql: str, count: str = "rows_written", **fields) -> dict:
        """Runs a write statement that must succeed; returns its one-row result as a dict. `count` names
        the statement's count column: rows_written, rows_deleted or rows_updated."""
        result = self.query(sql, **fields)
        names = [column["name"] for column in result["columns"]]
        assert names == [count, "snapshot_id"], result
        assert len(result["rows"]) == 1, result
        return dict(zip(names, result["rows"][0]))

    def transaction(self, statements: list[str], **fields) -> requests.Response:
        """POST /api/v1/query with `statements` (one snapshot for all, or nothing)."""
        return self.post("/api/v1/query", json={"statements": statements, **fields})

    def latest_snapshot(self) -> int:
        page = expect_status(self.get("/api/v1/snapshots", params={"limit": 1}), 200).json()
        return page["snapshots"][0]["snapshot_id"]

    def history(self, ns: str, table: str) -> list[tuple[str, int, int]]:
        """(operation, rows_added, rows_deleted) of a table's snapshots, oldest first."""
        snapshots = expect_status(self.get(f"/api/v1/namespaces/{ns}/tables/{table}/snapshots"), 200).json()
        return [(s["operation"], s["rows_added"], s["rows_deleted"]) for s in reversed(snapshots["snapshots"])]

    def changes(self, ns: str, table: str, **params) -> list:
        """Rows of the change feed: [snapshot_id, change_type, columns...]."""
        response = self.get(f"/api/v1/namespaces/{ns}/tables/{table}/changes", params=params)
        return expect_status(response, 200).json()["rows"]

    def maintain(self, operation: str, **fields) -> dict:
        response = self.post(f"/api/v1/maintenance/{operation}", json=fields)
        return expect_status(response, 200).json()

    # --- catalog ---

    def create_namespace(self, name: str) -> dict:
        return expect_status(self.post("/api/v1/namespaces", json={"name": name}), 201).json()

    def create_table_request(self, ns: str, name: str, columns: Iterable[tuple[str, str]]) -> requests.Response:
        body = {"name": name, "columns": [{"name": n, "type": t} for n, t in columns]}
        return self.post(f"/api/v1/namespaces/{ns}/tables", json=body)

    def create_table(self, ns: str, name: str, columns: Iterable[tuple[str, str]]) -> dict:
        return expect_status(self.create_table_request(ns, name, columns), 201).json()

    def describe(self, ns: str, table: str) -> dict:
        return expect_status(self.get(f"/api/v1/namespaces/{ns}/tables/{table}"), 200).json()

    def table_exists(self, ns: str, table: str) -> bool:
        response = self.get(f"/api/v1/namespaces/{ns}/tables/{table}")
        assert response.status_code in (200, 404), response.text
        return response.status_code == 200

    # --- ingest ---

    def upload_request(self, ns: str, table: str, body, fmt: str | None = "csv", mode: str | None = None,
                       headers: dict | None = None) -> requests.Response:
        params = {}
        if fmt is not None:
            params["format"] = fmt
        if mode is not None:
            params["mode"] = mode
        return self.post(f"/api/v1/namespaces/{ns}/tables/{table}/data", params=params, data=body,
                         headers=headers or {})

    def upload(self, ns: str, table: str, body, fmt: str = "csv", mode: str | None = None) -> dict:
        response = self.upload_request(ns, table, body, fmt, mode)
        assert response.status_code in (200, 201), f"upload failed: {response.status_code} {response.text[:2000]}"
        return response.json()


def column_types(describe: dict) -> list[tuple[str, str]]:
    return [(column["name"], column["type"]) for column in describe["columns"]]


# --- files of the lake -------------------------------------------------------------------------


def table_files(where: "Path | ServerProcess", ns: str, table: str) -> list[str]:
    """Names of the data files of a table (empty if none): under <data-dir>/objects/warehouse/<ns>/
    <table>/ for an embedded lake (`where` a data dir or server), or the same keys on S3."""
    if isinstance(where, ServerProcess) and where.s3_prefix:
        return s3_keys(where.s3_prefix + f"warehouse/{ns}/{table}/")
    data_dir = where.data_dir if isinstance(where, ServerProcess) else where
    directory = data_dir / "objects" / "warehouse" / ns / table
    return sorted(path.name for path in directory.iterdir()) if directory.is_dir() else []


def table_state(api: Api, server: "ServerProcess", ns: str, table: str) -> tuple[dict, list[str]]:
    """What a failed write must leave untouched: the table's counters and its data files."""
    describe = api.describe(ns, table)
    counters = {key: describe[key] for key in ("row_count", "file_count", "size_bytes", "snapshot_id")}
    return counters, table_files(server, ns, table)


# --- backends ----------------------------------------------------------------------------------

# "embedded" (SQLite + local directory, the default) or "postgres-s3" (the services that
# scripts/test-services.sh starts; their settings come from its environment file). A test may also
# ask for "postgres-local": that PostgreSQL with the lake data in the server's data directory.
BACKEND = os.environ.get("DUCKLAKE_TEST_BACKEND", "embedded")
S3_BUCKET = "ducklake-http-tests"


def _s3_client():
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=os.environ["DUCKLAKE_TEST_S3_ENDPOINT"], region_name="us-east-1",
        aws_access_key_id=os.environ["DUCKLAKE_TEST_S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["DUCKLAKE_TEST_S3_SECRET_KEY"],
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))


def s3_keys(url_prefix: str) -> list[str]:
    """Base names of the objects under s3://bucket/prefix/."""
    bucket, _, prefix = url_prefix.removeprefix("s3://").partition("/")
    client = _s3_client()
    names = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        names += [item["Key"].rsplit("/", 1)[-1] for item in page.get("Contents", [])]
    return sorted(names)


def mirror_s3_prefix(source: str, target: str) -> int:
    """Copies every object under s3://bucket/source-prefix/ to the same relative key under
    `target` (overwriting, deleting nothing: what `mc mirror` does); returns how many."""
    client = _s3_client()
    source_bucket, _, source_prefix = source.removeprefix("s3://").partition("/")
    target_bucket, _, target_prefix = target.removeprefix("s3://").partition("/")
    copied = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=source_bucket, Prefix=source_prefix):
        for item in page.get("Contents", []):
            key = target_prefix + item["Key"].removeprefix(source_prefix)
            client.copy_object(Bucket=target_bucket, Key=key, CopySource={"Bucket": source_bucket, "Key": item["Key"]})
            copied += 1
    return copied


def fresh_postgres_database() -> str:
    """A new, empty database on the test PostgreSQL; returns its URL."""
    base = os.environ["DUCKLAKE_TEST_POSTGRES"]
    name = "lake_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", base, "-c", f'CREATE DATABASE "{name}"'],
                   check=True, capture_output=True, timeout=60)
    return base.rsplit("/", 1)[0] + "/" + name


def backend_settings(backend: str) -> tuple[list[str], dict, str | None]:
    """Flags, environment and S3 prefix that put a new server on `backend`."""
    if backend == "embedded":
        return [], {}, None
    if backend == "postgres-local":  # PostgreSQL, lake data in the data directory
        return ["--metadata", fresh_postgres_database()], {}, None
    assert backend == "postgres-s3", f"unknown DUCKLAKE_TEST_BACKEND {backend!r}"
    prefix = f"s3://{S3_BUCKET}/{uuid.uuid4().hex[:12]}/"
    env = {"AWS_ACCESS_KEY_ID": os.environ["DUCKLAKE_TEST_S3_ACCESS_KEY"],
           "AWS_SECRET_ACCESS_KEY": os.environ["DUCKLAKE_TEST_S3_SECRET_KEY"],
           "DUCKLAKE_S3_ENDPOINT": os.environ["DUCKLAKE_TEST_S3_ENDPOINT"]}
    return ["--metadata", fresh_postgres_database(), "--storage", prefix.rstrip("/")], env, prefix


def tree(directory: Path, exclude: Iterable[str] = ()) -> set[str]:
    """Relative paths of every file and directory under `directory`, minus top-level `exclude`."""
    excluded = set(exclude)
    return {
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.relative_to(directory).parts[0] not in excluded
    }


# --- Prometheus text ---------------------------------------------------------------------------

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> list[tuple[str, dict, float]]:
    """Samples of a Prometheus text exposition as (name, labels, value)."""
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        name, labels, value = match.groups()
        samples.append((name, dict(_LABEL.findall(labels or "")), float(value)))
    return samples


def metric_value(samples, name: str, **labels) -> float | None:
    for sample_name, sample_labels, value in samples:
        if sample_name == name and all(sample_labels.get(k) == v for k, v in labels.items()):
            return value
    return None


# --- the server process ------------------------------------------------------------------------


# What AddressSanitizer and UndefinedBehaviorSanitizer print (make test builds with both).
SANITIZER_REPORT = re.compile(r"ERROR: AddressSanitizer|runtime error: |ERROR: LeakSanitizer")


def assert_no_sanitizer_report(text: str, who: str) -> None:
    match = SANITIZER_REPORT.search(text)
    assert not match, f"{who} reported a sanitizer error:\n{text[max(0, match.start() - 2000):match.start() + 8000]}"


def run_ducklake(args: list[str], cwd: Path, env: dict | None = None, timeout_s: float = EXIT_TIMEOUT_S):
    """Runs the binary to completion (for invocations that must exit by themselves)."""
    result = subprocess.run([str(BINARY), *args], cwd=cwd, env={**os.environ, **(env or {})},
                            capture_output=True, text=True, timeout=timeout_s)
    assert_no_sanitizer_report(result.stderr, "ducklake " + " ".join(args[:2]))
    return result


class ServerProcess:
    """One `ducklake serve` process. Its stderr (the server log) goes to `log_path`."""

    live: list["ServerProcess"] = []  # every server not yet stopped, for failure reports

    def __init__(self, root: Path, args: list[str], env: dict | None, port: int, data_dir: Path, name: str,
                 s3_prefix: str | None = None, backend_flags: list[str] | None = None):
        self.name = name
        self.s3_prefix = s3_prefix
        # What another ducklake process needs to open the same lake (with `env` and the data dir).
        self.backend_flags = backend_flags or []
        self.env = env or {}
        self.port = port
        self.data_dir = data_dir
        self.base_url = f"http://127.0.0.1:{port}"
        self.workdir = root / "cwd"  # the server's working directory: relative paths land here
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = root / "server.log"
        self.args = [str(BINARY), *args]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.args, cwd=self.workdir, env={**os.environ, **(env or {})},
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        ServerProcess.live.append(self)
        self.api = Api(self.base_url)

    @classmethod
    def launch(cls, root: Path, *extra_args: str, env: dict | None = None, listen_flag: bool = True,
               data_dir_flag: bool = True, name: str = "server", backend: str = BACKEND) -> "ServerProcess":
        """Starts `ducklake serve` on a free port with its data dir at <root>/data, on `backend`.
        Without the flag, each comes from `env` (DUCKLAKE_LISTEN, DUCKLAKE_DATA_DIR). Does not wait
        for it to come up."""
        root.mkdir(parents=True, exist_ok=True)
        backend_args, backend_env, s3_prefix = backend_settings(backend)
        env = {**backend_env, **(env or {})}
        args = ["serve"]
        if listen_flag:
            port = free_port()
            args += ["--listen", f"127.0.0.1:{port}"]
        else:
            port = int(env["DUCKLAKE_LISTEN"].rsplit(":", 1)[1])
        if data_dir_flag:
            data_dir = root / "data"
            args += ["--data-dir", str(data_dir)]
        else:
            data_dir = Path(env["DUCKLAKE_DATA_DIR"])
        return cls(root, [*args, *backend_args, *extra_args], env, port, data_dir, name, s3_prefix, backend_args)

    def log_text(self, start: int = 0) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(start)
            return log.read().decode("utf-8", "replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def describe_failure(self, message: str) -> str:
        return f"{message}\n--- {self.name} log ({self.log_path}) ---\n{self.log_text()[-20000:]}"

    def wait_healthy(self, timeout_s: float = STARTUP_TIMEOUT_S) -> "ServerProcess":
        def healthy():
            code = self.process.poll()
            assert code is None, self.describe_failure(f"server exited with {code} during startup")
            try:
                return requests.get(self.base_url + "/healthz", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        poll_until(healthy, timeout_s, f"{self.base_url}/healthz")
        return self

    def signal(self, signum: int = signal.SIGTERM) -> None:
        self.process.send_signal(signum)

    def wait_exit(self, timeout_s: float = EXIT_TIMEOUT_S) -> int:
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise AssertionError(self.describe_failure(f"server did not exit within {timeout_s:.0f}s"))

    def stop(self, timeout_s: float = EXIT_TIMEOUT_S) -> int:
        """SIGTERM, then the exit code (killing the process if it outlives `timeout_s`). A sanitizer
        report anywhere in the server's log fails the test, whatever the exit code."""
        self.api.http.close()  # idle keep-alive connections would hold up the server's exit
        try:
            if self.process.poll() is None:
                self.signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout_s)
                raise AssertionError(self.describe_failure(f"server ignored SIGTERM for {timeout_s:.0f}s; killed"))
            assert_no_sanitizer_report(self.log_text(), self.name)
            return code
        finally:
            if self in ServerProcess.live:
                ServerProcess.live.remove(self)

    def stop_cleanly(self) -> None:
        code = self.stop()
        assert code == 0, self.describe_failure(f"server exited with {code} after SIGTERM, expected 0")


@contextlib.contextmanager
def serving(root: Path, *extra_args: str, env: dict | None = None, name: str = "server",
            backend: str = BACKEND) -> Iterator[ServerProcess]:
    """A healthy server for the duration of the block; stopped with SIGTERM, exit code 0 required."""
    server = ServerProcess.launch(root, *extra_args, env=env, name=name, backend=backend)
    try:
        server.wait_healthy()
    except BaseException:
        server.stop()
        raise
    try:
        yield server
    except BaseException:
        server.stop()
        raise
    server.stop_cleanly()


def parse_json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


_LOG_OFFSETS = pytest.StashKey[dict]()


def attach_server_logs(item, call, report, *sections: tuple[str, str]):
    """For pytest_runtest_makereport: remembers where each running server's log stood when a test
    began and, when the test fails, attaches what each logged since (and any other `sections`)."""
    if call.when == "setup":
        item.stash[_LOG_OFFSETS] = {id(server): server.log_size() for server in ServerProcess.live}
    if report.failed:
        report.sections.extend(sections)
        offsets = item.stash.get(_LOG_OFFSETS, {})
        for server in ServerProcess.live:
            text = server.log_text(offsets.get(id(server), 0))
            if text:
                report.sections.append((f"{server.name} stderr ({server.log_path})", text[-20000:]))
