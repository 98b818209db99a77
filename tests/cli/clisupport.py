"""Shared helpers of the CLI suite: running the `ducklake` client commands, checking their output
against the REST API, random inputs.

Nothing is mocked: every helper runs the real binary against a real `ducklake serve` (started with
tests/http/httpsupport.py), and the reference every result is compared with is the REST API read
directly with `requests`.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

HTTP_SUITE = Path(__file__).resolve().parents[1] / "http"
if str(HTTP_SUITE) not in sys.path:
    sys.path.insert(0, str(HTTP_SUITE))

from httpsupport import (BINARY, SEED, SLOW_SELECT, Api, assert_no_sanitizer_report,  # noqa: E402
                         expect_status, metric_value, parse_metrics, poll_until, rng_for, unique_name)

__all__ = ["BINARY", "SLOW_SELECT", "Api", "Cli", "Run", "SEED", "rng_for", "assert_one_error", "expect_status",
           "poll_until", "unique_name", "sha256_file", "sha256_bytes", "random_tree", "local_tree", "api_listing",
           "api_object", "api_object_bytes", "quote_key", "queries_running", "wait_queries_idle", "open_uploads",
           "object_exists", "csv_rows", "unvis"]

CLI_TIMEOUT_S = 120.0  # any one CLI invocation that must end by itself

# --- running the CLI ------------------------------------------------------------------------------


@dataclass
class Run:
    """One finished CLI invocation."""

    args: list[str]
    rc: int
    out: str | bytes
    err: str

    def __iter__(self):  # rc, out, err = cli(...)
        return iter((self.rc, self.out, self.err))

    def json(self):
        return json.loads(self.out)

    def describe(self) -> str:
        out = self.out if isinstance(self.out, str) else f"<{len(self.out)} bytes>"
        return (f"ducklake {shlex.join(self.args)}\n  exit {self.rc}\n  stdout: {out[:3000]!r}\n"
                f"  stderr: {self.err[:3000]!r}\n  (DUCKLAKE_TEST_SEED={SEED})")


class Cli:
    """Runs the binary as a user would: its own HOME, XDG_CONFIG_HOME and XDG_STATE_HOME (under
    `root`), DUCKLAKE_URL set to the server, and no DUCKLAKE_* variable leaking in from the
    environment of the test run (a DUCKLAKE_TOKEN there would change what every test means)."""

    def __init__(self, url: str | None, root: Path, env: dict | None = None):
        self.url = url
        self.root = root
        self.home = root / "home"
        self.config_home = root / "config"
        self.state_home = root / "state"
        self.cwd = root / "cwd"
        for directory in (self.home, self.config_home, self.state_home, self.cwd):
            directory.mkdir(parents=True, exist_ok=True)
        self.extra_env = dict(env or {})

    @property
    def config_file(self) -> Path:
        return self.config_home / "ducklake" / "config.toml"

    @property
    def history_file(self) -> Path:
        return self.state_home / "ducklake" / "sql_history"

    def with_env(self, **env) -> "Cli":
        """The same client (same home) with more environment (None removes a variable)."""
        other = Cli(self.url, self.root, {**self.extra_env, **env})
        return other

    def environment(self, env: dict | None = None) -> dict:
        base = {key: value for key, value in os.environ.items()
                if not key.startswith("DUCKLAKE_") and key not in ("NO_COLOR", "HOME", "XDG_CONFIG_HOME",
                                                                    "XDG_STATE_HOME", "TMUX")}
        base.update({"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.config_home),
                     "XDG_STATE_HOME": str(self.state_home), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        if self.url:
            base["DUCKLAKE_URL"] = self.url
        for key, value in {**self.extra_env, **(env or {})}.items():
            if value is None:
                base.pop(key, None)
            else:
                base[key] = str(value)
        return base

    def __call__(self, *args, env: dict | None = None, input: str | bytes | None = None, binary: bool = False,
                 timeout: float = CLI_TIMEOUT_S, cwd: Path | None = None) -> Run:
        args = [str(arg) for arg in args]
        if isinstance(input, str):
            input = input.encode()
        try:
            done = subprocess.run(
                [str(BINARY), *args], cwd=cwd or self.cwd, env=self.environment(env), input=input,
                stdin=None if input is not None else subprocess.DEVNULL, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise AssertionError(f"ducklake {shlex.join(args)} did not end within {timeout:.0f}s; "
                                 f"stderr so far: {error.stderr!r}") from None
        err = done.stderr.decode("utf-8", "replace")
        assert_no_sanitizer_report(err, "ducklake " + " ".join(args[:2]))
        out = done.stdout if binary else done.stdout.decode("utf-8", "surrogateescape")
        return Run(args, done.returncode, out, err)

    def ok(self, *args, **kwargs) -> Run:
        """Runs a command that must succeed (exit 0)."""
        run = self(*args, **kwargs)
        assert run.rc == 0, "expected exit 0:\n" + run.describe()
        return run

    def json(self, *args, **kwargs):
        """Runs a command that must succeed and print JSON; returns it parsed."""
        run = self.ok(*args, **kwargs)
        try:
            return run.json()
        except json.JSONDecodeError as error:
            raise AssertionError(f"stdout is not one JSON document ({error}):\n" + run.describe()) from None

    def popen(self, *args, env: dict | None = None, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            [str(BINARY), *[str(a) for a in args]], cwd=self.cwd, env=self.environment(env), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def assert_one_error(run: Run, code: int, contains: str | Iterable[str] = ()) -> str:
    """The CLI's failure contract: exit `code`, nothing on stdout, exactly one line on stderr that
    starts with 'ducklake: ' (and contains each of `contains`). Returns that line without the prefix."""
    assert run.rc == code, f"expected exit {code}:\n" + run.describe()
    assert run.out in ("", b""), "a failed command printed on stdout:\n" + run.describe()
    lines = run.err.split("\n")
    assert run.err.endswith("\n") and len(lines) == 2, "stderr is not exactly one line:\n" + run.describe()
    assert lines[0].startswith("ducklake: "), "stderr does not start with 'ducklake: ':\n" + run.describe()
    message = lines[0][len("ducklake: "):]
    for text in [contains] if isinstance(contains, str) else contains:
        assert text in message, f"expected {text!r} in the error:\n" + run.describe()
    return message


# --- the REST API as the reference ----------------------------------------------------------------


def api_listing(api: Api, volume: str, prefix: str = "", delimiter: str | None = None) -> dict:
    """Every page of GET /api/v1/volumes/{vol}/objects, joined: {"objects": [...], "folders": [...]}."""
    objects, folders, cursor = [], [], None
    while True:
        params = {"prefix": prefix, "limit": 1000}
        if delimiter:
            params["delimiter"] = delimiter
        if cursor:
            params["cursor"] = cursor
        page = expect_status(api.get(f"/api/v1/volumes/{volume}/objects", params=params), 200).json()
        objects += page["objects"]
        folders += page["folders"]
        cursor = page["next_cursor"]
        if not cursor:
            return {"objects": objects, "folders": folders}


def quote_key(key: str) -> str:
    from urllib.parse import quote
    return quote(key, safe="/")


def api_object_bytes(api: Api, volume: str, key: str) -> bytes:
    return expect_status(api.get(f"/api/v1/volumes/{volume}/objects/{quote_key(key)}"), 200).content


def api_object(api: Api, volume: str, key: str) -> dict:
    response = api.get(f"/api/v1/volumes/{volume}/objects/{quote_key(key)}", params={"metadata": "1"})
    return expect_status(response, 200).json()


def object_exists(api: Api, volume: str, key: str) -> bool:
    response = api.get(f"/api/v1/volumes/{volume}/objects/{quote_key(key)}", params={"metadata": "1"})
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


def open_uploads(api: Api, volume: str) -> list:
    return expect_status(api.get(f"/api/v1/volumes/{volume}/uploads"), 200).json()["uploads"]


def queries_running(api: Api) -> float:
    samples = parse_metrics(expect_status(api.get("/metrics"), 200).text)
    value = metric_value(samples, "ducklake_queries_running")
    assert value is not None, "no ducklake_queries_running in /metrics"
    return value


def wait_queries_idle(api: Api, timeout_s: float = 5.0) -> None:
    poll_until(lambda: queries_running(api) == 0, timeout_s, "ducklake_queries_running 0")


# --- files ----------------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def local_tree(root: Path) -> dict[str, str]:
    """{relative path with '/': sha256} of every regular file under `root`."""
    return {path.relative_to(root).as_posix(): sha256_file(path) for path in sorted(root.rglob("*")) if path.is_file()}


# Name parts: plain, with spaces, non-ASCII, and characters a URL must encode (% # ? + & =).
_NAME_PARTS = ["data", "report", "img", "a b", "café", "日本語", "ünï", "x%y", "h#sh", "q?v", "p+q", "k=v&w",
               "2026", "log", "Ωmega", "tab le", "emoji🙂", "n-o", "u_v"]


def random_name(rng: random.Random, extension: bool) -> str:
    name = "_".join(rng.sample(_NAME_PARTS, rng.randint(1, 2))) + f"{rng.randint(0, 999)}"
    if extension:
        name += rng.choice([".csv", ".bin", ".txt", "", ".parquet.gz"])
    return name


def random_tree(root: Path, rng: random.Random, files: int = 24, max_size: int = 300 * 1024,
                max_depth: int = 3) -> dict[str, str]:
    """Writes `files` random files (0..max_size bytes, nested folders, odd names) under `root`;
    returns local_tree(root). At least one empty file and one of max_size bytes are among them."""
    root.mkdir(parents=True, exist_ok=True)
    folders = [Path()]
    for _ in range(max(2, files // 4)):
        parent = rng.choice(folders)
        if len(parent.parts) < max_depth:
            folders.append(parent / random_name(rng, extension=False))
    sizes = [0, max_size] + [rng.randint(0, max_size) for _ in range(files - 2)]
    for size in sizes:
        for _ in range(100):
            path = root / rng.choice(folders) / random_name(rng, extension=True)
            if not path.exists() and not any(parent.is_file() for parent in path.parents):
                break
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
    return local_tree(root)


# --- text ----------------------------------------------------------------------------------------


def csv_rows(text: str) -> list[list[str]]:
    import csv
    import io
    return list(csv.reader(io.StringIO(text)))


def unvis(text: str) -> str:
    """Decodes libedit's history file encoding (strvis: \\040 for a space, \\\\ for a backslash)."""
    return re.sub(r"\\([0-7]{3})|\\\\", lambda m: chr(int(m.group(1), 8)) if m.group(1) else "\\", text)
