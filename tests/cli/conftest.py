"""Fixtures of the CLI suite.

`server`/`api`: one `ducklake serve` for the whole session (tests/http/httpsupport.py's `serving`:
SIGTERM and exit code 0 on teardown), on DUCKLAKE_TEST_BACKEND like the HTTP suite.
`auth_server`/`admin_api`: a second session server with `--auth token --admin-token-file F`.
`cli`: runs the binary against `server` with a home of its own per test (see clisupport.Cli).
`ns`, `volume`: a fresh namespace or volume per test, made through the API.
`rng`: a random generator seeded from DUCKLAKE_TEST_SEED (printed in the header) and the test's id.
When a test fails, the log of every running server (since the test began) is attached to the report.
"""

from __future__ import annotations

import pytest

from clisupport import SEED, Api, Cli, expect_status, rng_for, unique_name  # noqa: F401  (sys.path set there)
from httpsupport import BACKEND, BINARY, ServerProcess, attach_server_logs, serving


def pytest_report_header(config):
    return [f"ducklake CLI suite: binary {BINARY}, backend {BACKEND}, DUCKLAKE_TEST_SEED={SEED}"]


def pytest_sessionstart(session):
    if not BINARY.is_file():
        raise pytest.UsageError(f"no ducklake binary at {BINARY}: build it or set DUCKLAKE_BIN")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    attach_server_logs(item, call, outcome.get_result(), ("random inputs", f"DUCKLAKE_TEST_SEED={SEED}"))


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> ServerProcess:
    with serving(tmp_path_factory.mktemp("cli-server"), name="session server") as running:
        yield running


@pytest.fixture(scope="session")
def api(server) -> Api:
    return server.api


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory) -> ServerProcess:
    """A server that needs bearer tokens; its admin's token is in `server.admin_token_file`. A token
    may run one query at a time (--max-concurrent-queries 1), so the client's retry of a 429 can be
    seen; tests run one command at a time, so nothing else meets that limit."""
    root = tmp_path_factory.mktemp("cli-auth-server")
    token_file = root / "admin.token"
    with serving(root / "server", "--auth", "token", "--admin-token-file", str(token_file),
                 "--max-concurrent-queries", "1", name="auth server") as running:
        running.admin_token_file = token_file
        running.admin_token = token_file.read_text().strip()
        yield running


@pytest.fixture(scope="session")
def admin_api(auth_server) -> Api:
    client = Api(auth_server.base_url)
    client.http.headers["Authorization"] = f"Bearer {auth_server.admin_token}"
    return client


@pytest.fixture
def cli(server, tmp_path) -> Cli:
    return Cli(server.base_url, tmp_path / "client")


@pytest.fixture
def auth_cli(auth_server, tmp_path) -> Cli:
    """A client of the auth server with no token at all."""
    return Cli(auth_server.base_url, tmp_path / "auth-client")


@pytest.fixture
def admin_cli(auth_server, tmp_path) -> Cli:
    """A client of the auth server holding the admin's token in DUCKLAKE_TOKEN."""
    return Cli(auth_server.base_url, tmp_path / "admin-client", env={"DUCKLAKE_TOKEN": auth_server.admin_token})


@pytest.fixture
def rng(request):
    return rng_for(request.node.nodeid)


@pytest.fixture
def ns(api) -> str:
    name = unique_name("ns")
    api.create_namespace(name)
    return name


@pytest.fixture
def volume(api) -> str:
    """A new, empty volume (left in place: the session server's lake is thrown away with it)."""
    name = unique_name("vol")
    expect_status(api.post("/api/v1/volumes", json={"name": name}), 201)
    return name
