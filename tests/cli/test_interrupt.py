"""Ctrl-C (SIGINT) in the middle of work: exit 130, one 'ducklake: interrupted' line, and nothing
half-done left on either side: no object, no open multipart upload, no partial download, no query
still running on the server."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from clisupport import (SLOW_SELECT, expect_status, object_exists, open_uploads, poll_until, queries_running,
                        sha256_file, wait_queries_idle)

MIB = 1 << 20
BIG_MIB = 200


@pytest.fixture(scope="session")
def big_file(tmp_path_factory):
    """200 MiB of random bytes, written once per session."""
    path = tmp_path_factory.mktemp("big") / "big.bin"
    with open(path, "wb") as file:
        for _ in range(BIG_MIB // 8):
            file.write(os.urandom(8 * MIB))
    return path


def interrupt(process: subprocess.Popen, timeout_s: float = 30) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"no exit within {timeout_s}s of SIGINT; stderr: {err!r}")
    return process.returncode, out.decode(), err.decode()


def assert_interrupted(rc: int, out: str, err: str) -> None:
    assert rc == 130, (rc, out, err)
    assert out == ""
    # The message is on a line of its own (after the ^C a terminal echoes, or a progress line).
    assert err.strip() == "ducklake: interrupted", err


def running_until(process: subprocess.Popen, condition, timeout_s: float, what: str):
    def check():
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"ended (exit {process.returncode}) before {what}: {out!r} {err!r}")
        return condition()
    return poll_until(check, timeout_s, what)


def test_ctrl_c_during_a_multipart_upload_leaves_no_object_and_no_open_upload(cli, api, volume, big_file):
    process = cli.popen("cp", big_file, f"dl://{volume}/big.bin", "--multipart-threshold", 5 * MIB,
                        "--part-size", 5 * MIB, "-j", "2")

    def parts_arrived():
        uploads = open_uploads(api, volume)
        if not uploads:
            return None
        detail = api.get(f"/api/v1/volumes/{volume}/uploads/{uploads[0]['upload_id']}")
        return detail.status_code == 200 and len(detail.json()["parts"]) >= 1

    running_until(process, parts_arrived, 20, "the first part to arrive")
    assert_interrupted(*interrupt(process))
    assert not object_exists(api, volume, "big.bin")
    assert open_uploads(api, volume) == []
    assert expect_status(api.get(f"/api/v1/volumes/{volume}"), 200).json()["open_uploads"] == 0


def store_bytes_written(api) -> float:
    from httpsupport import parse_metrics
    samples = parse_metrics(expect_status(api.get("/metrics"), 200).content.decode("utf-8", "replace"))
    return sum(value for name, _, value in samples if name == "ducklake_object_store_written_bytes_total")


def test_ctrl_c_during_a_single_upload_stores_nothing(cli, api, server, volume, big_file):
    before = store_bytes_written(api)
    process = cli.popen("cp", big_file, f"dl://{volume}/one.bin", "--multipart-threshold", 1 << 30)  # one PUT
    running_until(process, lambda: store_bytes_written(api) - before > 8 * MIB, 20, "8 MiB to reach the store")
    assert_interrupted(*interrupt(process))
    assert not object_exists(api, volume, "one.bin")
    if not server.s3_prefix:  # the embedded store: no file at the key either
        assert not (server.data_dir / "objects" / "volumes" / volume / "one.bin").exists()


def test_ctrl_c_during_a_download_leaves_no_file(cli, api, volume, big_file, tmp_path):
    cli.ok("cp", big_file, f"dl://{volume}/big.bin", "--multipart-threshold", 16 * MIB, "--part-size", 16 * MIB)
    assert api.get(f"/api/v1/volumes/{volume}/objects/big.bin", params={"metadata": "1"}).json()["sha256"] == \
        sha256_file(big_file)
    target = tmp_path / "downloads"
    target.mkdir()
    process = cli.popen("cp", f"dl://{volume}/big.bin", target)

    def partial_growing():
        partials = [p for p in target.iterdir() if ".ducklake-partial-" in p.name]
        return partials and partials[0].stat().st_size > 0

    running_until(process, partial_growing, 20, "a partial download to appear")
    assert_interrupted(*interrupt(process))
    assert list(target.iterdir()) == []
    # The object is untouched, and a download that is not interrupted arrives whole.
    cli.ok("cp", f"dl://{volume}/big.bin", target)
    assert [p.name for p in target.iterdir()] == ["big.bin"] and sha256_file(target / "big.bin") == sha256_file(big_file)


def test_ctrl_c_during_a_query_stops_it_on_the_server(cli, api):
    wait_queries_idle(api)
    process = cli.popen("sql", SLOW_SELECT)
    running_until(process, lambda: queries_running(api) >= 1, 10, "the query to run on the server")
    time.sleep(1)
    assert process.poll() is None, "the slow query ended by itself"
    started = time.monotonic()
    assert_interrupted(*interrupt(process, timeout_s=10))
    assert time.monotonic() - started < 5, "the CLI took long to give up the query"
    wait_queries_idle(api, timeout_s=5)  # the server stopped the work, not just the client


def test_ctrl_c_during_a_query_saved_with_o_leaves_no_file(cli, api, tmp_path):
    wait_queries_idle(api)
    out = tmp_path / "never.parquet"
    process = cli.popen("sql", SLOW_SELECT, "-o", out)
    running_until(process, lambda: queries_running(api) >= 1, 10, "the query to run on the server")
    assert_interrupted(*interrupt(process))
    wait_queries_idle(api, timeout_s=5)
    assert [p.name for p in tmp_path.iterdir()] == ["client"]


def test_the_interrupt_message_is_one_line_for_scripts(cli, api):
    wait_queries_idle(api)
    process = cli.popen("sql", SLOW_SELECT)
    running_until(process, lambda: queries_running(api) >= 1, 10, "the query to run on the server")
    rc, out, err = interrupt(process)
    wait_queries_idle(api, timeout_s=5)
    assert (rc, out, err) == (130, "", "ducklake: interrupted\n")
