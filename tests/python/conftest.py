"""Fixtures of the Python client suite (tests/python).

`server`, `api` (plain `requests`: the reference the client's answers are compared with), `ns`,
`volume`, `rng` and the hooks come from tests/http/suite_fixtures.py, shared with the HTTP and CLI
suites; the seed of the random inputs is printed in the header.
`client`: a `ducklake.Client` of the session server.
`auth_server`/`admin_client`: a server with `--auth token` and a client holding its admin token.
"""

from __future__ import annotations

import pytest

from pysupport import BACKEND, BINARY, SEED  # sys.path set there
from httpsupport import ServerProcess, serving
from suite_fixtures import (api, ns, pytest_runtest_makereport, pytest_sessionstart, rng, server,  # noqa: F401
                            volume)

import ducklake

__all__ = ["api", "ns", "pytest_runtest_makereport", "pytest_sessionstart", "rng", "server", "volume"]


def pytest_report_header(config):
    return [f"ducklake Python suite: binary {BINARY}, backend {BACKEND}, DUCKLAKE_TEST_SEED={SEED}"]


@pytest.fixture(scope="session")
def client(server) -> ducklake.Client:
    with ducklake.Client(url=server.base_url) as session_client:
        yield session_client


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory) -> ServerProcess:
    root = tmp_path_factory.mktemp("python-auth-server")
    token_file = root / "admin.token"
    with serving(root / "server", "--auth", "token", "--admin-token-file", str(token_file),
                 name="auth server") as running:
        running.admin_token = token_file.read_text().strip()
        yield running


@pytest.fixture(scope="session")
def admin_client(auth_server) -> ducklake.Client:
    with ducklake.Client(url=auth_server.base_url, token=auth_server.admin_token) as session_client:
        yield session_client
