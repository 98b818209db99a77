"""Fixtures of the HTTP suite.

`server`, `api`, `ns` and the hooks come from suite_fixtures.py (shared with tests/cli and
tests/python). `start_server`: extra servers with their own flags and environment.
"""

from __future__ import annotations

import pytest

from httpsupport import BACKEND, ServerProcess
from suite_fixtures import api, ns, pytest_runtest_makereport, pytest_sessionstart, server  # noqa: F401

__all__ = ["api", "ns", "pytest_runtest_makereport", "pytest_sessionstart", "server"]

# Tests of the production backends themselves need PostgreSQL and S3.
collect_ignore = ["test_shared_lake.py", "test_files_outage.py", "test_backup_restore.py"] if BACKEND != "postgres-s3" else []


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
