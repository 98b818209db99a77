"""Fixtures of the HTTP suite.

`server`/`api`: one `ducklake serve` for the whole session (SIGTERM and exit code 0 on teardown).
`ns`: a fresh namespace per test, so tests never see each other's tables.
`start_server`: extra servers with their own flags and environment.
When a test fails, the log of every running server (since the test began) is attached to the report.
"""

from __future__ import annotations

import pytest

from httpsupport import BACKEND, BINARY, Api, ServerProcess, attach_server_logs, serving, unique_name

# Tests of the production backends themselves need PostgreSQL and S3.
collect_ignore = ["test_shared_lake.py", "test_files_outage.py"] if BACKEND != "postgres-s3" else []


def pytest_sessionstart(session):
    if not BINARY.is_file():
        raise pytest.UsageError(f"no ducklake binary at {BINARY}: build it or set DUCKLAKE_BIN")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    attach_server_logs(item, call, outcome.get_result())


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
def start_server(tmp_path):
    """start_server(*flags, env=None, wait=True, listen_flag=True, data_dir_flag=True) -> ServerProcess.

    Each server gets its own directory under the test's tmp_path; servers still running when the
    test ends are stopped with SIGTERM and must exit with code 0."""
    started: list[ServerProcess] = []

    def start(*flags: str, env: dict | None = None, wait: bool = True, listen_flag: bool = True,
              data_dir_flag: bool = True, backend: str = BACKEND) -> ServerProcess:
        process = ServerProcess.launch(tmp_path / f"server{len(started)}", *flags, env=env,
                                       listen_flag=listen_flag, data_dir_flag=data_dir_flag,
                                       name=f"extra server {len(started)}", backend=backend)
        started.append(process)
        if wait:
            process.wait_healthy()
        return process

    yield start
    failures = []
    for process in started:
        was_running = process.process.poll() is None
        try:
            code = process.stop()
        except AssertionError as error:
            failures.append(str(error))
            continue
        if was_running and code != 0:
            failures.append(process.describe_failure(f"exited with {code} after SIGTERM at teardown, expected 0"))
    assert not failures, "\n\n".join(failures)
