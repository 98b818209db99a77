"""Hooks and fixtures shared by every suite that drives real servers (tests/http, tests/cli,
tests/python): each suite's conftest imports them by name, so they are defined once.

Hooks: the session refuses to start without the binary; when a test fails, the log of every
running server since the test began and the seed of the random inputs are attached to its report.
Fixtures:
- `server`/`api`: one `ducklake serve` for the session on DUCKLAKE_TEST_BACKEND (SIGTERM and exit
  code 0 at the end); `api` is plain `requests` (httpsupport.Api).
- `ns`, `volume`: a fresh namespace or volume per test (left in place: the session's lake is
  thrown away with it).
- `rng`: a random generator seeded from DUCKLAKE_TEST_SEED and the test's id.
"""

from __future__ import annotations

import random

import pytest

from httpsupport import BINARY, SEED, Api, ServerProcess, attach_server_logs, expect_status, rng_for, serving, unique_name

__all__ = ["pytest_sessionstart", "pytest_runtest_makereport", "server", "api", "ns", "volume", "rng"]


def pytest_sessionstart(session):
    if not BINARY.is_file():
        raise pytest.UsageError(f"no ducklake binary at {BINARY}: build it or set DUCKLAKE_BIN")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    attach_server_logs(item, call, outcome.get_result(), ("random inputs", f"DUCKLAKE_TEST_SEED={SEED}"))


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> ServerProcess:
    with serving(tmp_path_factory.mktemp("session-server"), name="session server") as running:
        yield running


@pytest.fixture(scope="session")
def api(server) -> Api:
    return server.api


@pytest.fixture
def ns(api) -> str:
    """A new, empty namespace with a unique name."""
    name = unique_name("ns")
    api.create_namespace(name)
    return name


@pytest.fixture
def volume(api) -> str:
    """A new, empty volume with a unique name."""
    name = unique_name("vol")
    expect_status(api.post("/api/v1/volumes", json={"name": name}), 201)
    return name


@pytest.fixture
def rng(request) -> random.Random:
    return rng_for(request.node.nodeid)
