"""SIGTERM: the server stops taking requests, finishes the ones in flight, and exits 0."""

import json
import signal
import threading
import time

import requests

from httpsupport import HTTP_TIMEOUT_S, assert_problem, poll_until

DRAIN_ROWS = 3_000_000  # ~30 MB of JSON: far more than socket and pipe buffers hold


def test_sigterm_on_idle_server_exits_0(start_server):
    server = start_server()
    server.signal(signal.SIGTERM)
    assert server.wait_exit(30) == 0
    try:
        requests.get(server.base_url + "/healthz", timeout=5)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("the port still answers after the server exited")


def turned_away(base_url: str):
    """A new connection's request, if the server did not serve it: ("refused",) or (response,)."""
    try:
        response = requests.get(base_url + "/healthz", headers={"Connection": "close"}, timeout=10)
    except requests.ConnectionError:
        return ("refused",)
    return None if response.status_code == 200 else (response,)


def test_sigterm_lets_a_streaming_query_finish(start_server):
    server = start_server("--shutdown-timeout", "120")
    first_chunk = threading.Event()
    resume_reading = threading.Event()
    outcome: dict = {}

    def read_slowly():
        try:
            with requests.post(server.base_url + "/api/v1/query",
                               json={"sql": f"SELECT range AS i FROM range({DRAIN_ROWS})"},
                               stream=True, timeout=HTTP_TIMEOUT_S) as response:
                outcome["status"] = response.status_code
                chunks = response.iter_content(64 * 1024)
                body = bytearray(next(chunks))
                first_chunk.set()
                resume_reading.wait(HTTP_TIMEOUT_S)  # paused: the stream is still in flight
                for chunk in chunks:
                    body += chunk
                outcome["body"] = bytes(body)
        except Exception as error:  # reported by the main thread
            outcome["error"] = error
        finally:
            first_chunk.set()

    reader = threading.Thread(target=read_slowly, daemon=True)
    reader.start()
    try:
        assert first_chunk.wait(60), "the query never started streaming"
        assert "error" not in outcome, outcome.get("error")
        assert outcome["status"] == 200

        server.signal(signal.SIGTERM)
        # The signal is handled asynchronously: poll until new requests stop being served.
        (answer,) = poll_until(lambda: turned_away(server.base_url), 10,
                               "new requests to be turned away after SIGTERM")
        if answer != "refused":
            assert_problem(answer, 503)
        assert reader.is_alive(), "the streaming response ended before it was read"
        assert server.process.poll() is None, "the server exited while a response was still streaming"
    finally:
        resume_reading.set()

    started = time.monotonic()
    reader.join(HTTP_TIMEOUT_S)
    assert not reader.is_alive(), "the streaming response never completed"
    assert "error" not in outcome, f"the stream was cut: {outcome.get('error')!r}"
    rows = json.loads(outcome["body"])["rows"]
    assert len(rows) == DRAIN_ROWS
    assert all(row == [i] for i, row in enumerate(rows)), "rows missing or out of order"
    assert server.wait_exit(30) == 0
    assert time.monotonic() - started < 60
