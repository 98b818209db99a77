"""The DuckLake container image, run as a user runs it: podman, a published port, the embedded
default (SQLite + a local directory on a volume), a read-only root filesystem.

Needs the image (DUCKLAKE_IMAGE, default localhost/ducklake:<version>; deploy/build-image.sh
makes it) and podman; CONTAINERS_CONF is pointed at deploy/image/containers.conf.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VERSION = next(line.split('"')[1] for line in (ROOT / "src/include/common/version.hpp").read_text().splitlines()
               if "kDuckLakeVersion" in line)
IMAGE = os.environ.get("DUCKLAKE_IMAGE", f"localhost/ducklake:{VERSION}")
ENV = {**os.environ, "CONTAINERS_CONF": str(ROOT / "deploy/image/containers.conf")}


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    done = subprocess.run(["podman", *args], capture_output=True, text=True, env=ENV, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def container():
    """The image started as its defaults say, with a volume for its data and nothing writable
    besides (--read-only, a tmpfs on /tmp)."""
    if podman("image", "exists", IMAGE, check=False).returncode != 0:
        pytest.fail(f"no image {IMAGE}: build it with deploy/build-image.sh")
    name = f"ducklake-test-{uuid.uuid4().hex[:8]}"
    port = free_port()
    podman("volume", "create", name)
    podman("run", "-d", "--name", name, "--read-only", "--tmpfs", "/tmp", "-v", f"{name}:/var/lib/ducklake",
           "-p", f"127.0.0.1:{port}:8080", IMAGE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            state = podman("inspect", "--format", "{{.State.Status}}", name).stdout.strip()
            assert state == "running", f"the container stopped: {podman('logs', name, check=False).stderr[-3000:]}"
            assert time.monotonic() < deadline, f"not ready in 90 s: {podman('logs', name, check=False).stderr[-3000:]}"
            time.sleep(0.5)
        yield name, url
    finally:
        podman("rm", "-f", "-t", "5", name, check=False)
        podman("volume", "rm", "-f", name, check=False)


@pytest.fixture(scope="module")
def admin(container):
    """A session with the admin's token, which the server wrote into its data volume."""
    name, url = container
    token = podman("exec", name, "cat", "/var/lib/ducklake/admin.token").stdout.strip()
    assert token.startswith("dl_") and len(token) == 67
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session, url


def test_runs_as_non_root_on_a_read_only_root(container):
    name, _ = container
    assert podman("exec", name, "id", "-u").stdout.strip() == "10001"
    config = json.loads(podman("image", "inspect", IMAGE).stdout)[0]["Config"]
    assert config["User"] == "10001:10001"
    assert podman("exec", name, "touch", "/usr/local/bin/x", check=False).returncode != 0
    assert podman("exec", name, "touch", "/var/lib/ducklake/x", "/tmp/x").returncode == 0


def test_image_metadata(container):
    config = json.loads(podman("image", "inspect", IMAGE).stdout)[0]["Config"]
    labels = config["Labels"]
    assert labels["org.opencontainers.image.version"] == VERSION
    assert labels["org.opencontainers.image.title"] == "DuckLake"
    assert config["ExposedPorts"] == {"8080/tcp": {}}
    assert set(config["Volumes"]) == {"/var/lib/ducklake", "/tmp"}


def test_health_check_passes(container):
    name, _ = container
    assert podman("healthcheck", "run", name, check=False).returncode == 0


def test_requests_need_the_token(container):
    _, url = container
    assert requests.get(url + "/healthz", timeout=5).json() == {"status": "ok"}
    assert requests.get(url + "/api/v1/namespaces", timeout=5).status_code == 401


def test_the_tour_works(admin):
    """The first steps of the README's tour, with the admin's token."""
    session, url = admin
    assert session.post(url + "/api/v1/namespaces", json={"name": "sales"}).status_code == 201
    csv = "id,customer,amount,ordered_at\n1,ada,12.50,2026-11-01 09:00:00\n2,bob,7.25,2026-11-02 10:30:00\n"
    loaded = session.post(url + "/api/v1/namespaces/sales/tables/orders/data?format=csv", data=csv).json()
    assert loaded["created_table"] is True and loaded["rows_written"] == 2
    described = session.get(url + "/api/v1/namespaces/sales/tables/orders").json()
    assert [c["name"] for c in described["columns"]] == ["id", "customer", "amount", "ordered_at"]
    totals = session.post(url + "/api/v1/query", json={
        "sql": "SELECT customer, sum(amount) FROM sales.orders GROUP BY 1 ORDER BY 1"}).json()
    assert totals["rows"] == [["ada", 12.5], ["bob", 7.25]]
    assert session.post(url + "/api/v1/query", json={
        "sql": "INSERT INTO sales.orders VALUES (3, $$cy$$, 3.0, now())"}).status_code == 200
    then = session.post(url + "/api/v1/query", json={"sql": "SELECT count(*) FROM sales.orders",
                                                    "snapshot": loaded["snapshot_id"]}).json()
    assert then["rows"] == [[2]]
    page = requests.get(url + "/", timeout=5)
    assert page.status_code == 200 and "<html" in page.text.lower()  # the web app is in the image


def test_stops_cleanly_on_sigterm(container):
    name, _ = container
    podman("stop", "-t", "20", name)
    assert podman("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip() == "0"
