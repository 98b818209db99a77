"""Fixtures of the CLI suite.

`server`, `api`, `ns`, `volume`, `rng` and the hooks come from tests/http/suite_fixtures.py (shared
with the HTTP and Python suites); the seed of the random inputs is printed in the header.
`auth_server`/`admin_api`: a second session server with `--auth token --admin-token-file F`.
`cli`: runs the binary against `server` with a home of its own per test (see clisupport.Cli).
"""

from __future__ import annotations

import pytest

from clisupport import SEED, Api, Cli  # sys.path set there
from httpsupport import BACKEND, BINARY, ServerProcess, serving
from suite_fixtures import (api, ns, pytest_runtest_makereport, pytest_sessionstart, rng, server,  # noqa: F401
                            volume)

__all__ = ["api", "ns", "pytest_runtest_makereport", "pytest_sessionstart", "rng", "server", "volume"]


def pytest_report_header(config):
    return [f"ducklake CLI suite: binary {BINARY}, backend {BACKEND}, DUCKLAKE_TEST_SEED={SEED}"]


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
