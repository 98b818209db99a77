"""Service endpoints: /healthz, /readyz, /metrics and the OpenAPI document."""

import http.client
import json
import select
import socket
import time
import urllib.parse

import pytest
import requests

from httpsupport import (HTTP_TIMEOUT_S, REPO_ROOT, SERVER_KEEP_ALIVE_S, SLOW_SELECT, expect_status, metric_value,
                         parse_metrics, poll_until, unique_name)

def metrics(api):
    response = expect_status(api.get("/metrics"), 200)
    assert response.headers["Content-Type"].startswith("text/plain"), response.headers["Content-Type"]
    return parse_metrics(response.text)


def test_healthz_reports_ok(api):
    response = expect_status(api.get("/healthz"), 200)
    assert response.json() == {"status": "ok"}


def test_every_answer_advertises_the_idle_timeout_clients_must_stay_under(api):
    # Clients (and this suite's session) stop reusing a connection before the server closes it;
    # the timeout they go by is the one advertised here.
    for response in (api.get("/healthz"), api.get("/no/such/route"), api.sql("SELECT 1")):
        assert response.headers["Keep-Alive"] == f"timeout={SERVER_KEEP_ALIVE_S}, max=1000", response.headers


def test_readyz_reports_metadata_and_storage_ok(api):
    response = expect_status(api.get("/readyz"), 200)
    assert response.json() == {"status": "ready", "checks": {"metadata": "ok", "storage": "ok"}}


def test_metrics_exposes_every_documented_family(api):
    expect_status(api.get("/healthz"), 200)
    names = {name for name, _, _ in metrics(api)}
    for family in ("ducklake_http_requests_total", "ducklake_http_request_duration_seconds_bucket",
                   "ducklake_http_request_bytes_total", "ducklake_http_response_bytes_total",
                   "ducklake_queries_running"):
        assert family in names, f"{family} missing from /metrics"


def test_request_counter_is_labelled_by_route_template(api, ns):
    labels = {"route": "/api/v1/namespaces/{ns}", "method": "GET", "status": "200"}
    before = metric_value(metrics(api), "ducklake_http_requests_total", **labels) or 0
    for _ in range(2):
        expect_status(api.get(f"/api/v1/namespaces/{ns}"), 200)
    samples = metrics(api)
    assert metric_value(samples, "ducklake_http_requests_total", **labels) == before + 2
    leaked = [labels for _, labels, _ in samples if any(ns in value for value in labels.values())]
    assert not leaked, f"concrete path segments in metric labels: {leaked}"


def test_duration_histogram_is_cumulative_per_route(api):
    expect_status(api.get("/healthz"), 200)
    buckets = [(labels["le"], value) for name, labels, value in metrics(api)
               if name == "ducklake_http_request_duration_seconds_bucket" and labels.get("route") == "/healthz"]
    assert buckets, "no duration buckets for route /healthz"
    assert buckets[-1][0] == "+Inf"
    bounds = [float(le) for le, _ in buckets]
    assert bounds == sorted(bounds), f"buckets out of order: {buckets}"
    counts = [value for _, value in buckets]
    assert counts == sorted(counts), f"bucket counts are not cumulative: {buckets}"
    assert counts[-1] >= 1


def test_byte_counters_include_request_and_streamed_response_bodies(api):
    before = metrics(api)
    response = api.sql("SELECT repeat('x', 100000) AS s")
    expect_status(response, 200)
    after = metrics(api)
    sent = len(response.request.body)
    received = len(response.content)

    def grew(name):
        return metric_value(after, name) - metric_value(before, name)

    assert grew("ducklake_http_request_bytes_total") >= sent
    assert grew("ducklake_http_response_bytes_total") >= received


def test_queries_running_gauge_follows_a_streaming_query(api):
    assert metric_value(metrics(api), "ducklake_queries_running") == 0
    with requests.post(api.url("/api/v1/query"), json={"sql": "SELECT * FROM range(50000000)"},
                       stream=True, timeout=HTTP_TIMEOUT_S) as response:
        expect_status(response, 200)
        next(response.iter_content(65536))
        assert metric_value(metrics(api), "ducklake_queries_running") >= 1
    # The client hung up: the query must be cancelled, not run to its end.
    poll_until(lambda: metric_value(metrics(api), "ducklake_queries_running") == 0, 30,
               "ducklake_queries_running to return to 0 after the client disconnected")


def hang_up_while_running(server, query: dict):
    """Sends `query`, closes the connection once it runs, and checks that it stops within 10 s."""
    api = server.api
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("POST", "/api/v1/query", body=json.dumps(query).encode(),
                       headers={"Content-Type": "application/json"})
    poll_until(lambda: metric_value(metrics(api), "ducklake_queries_running") >= 1, 30, "the query to start")
    started = time.monotonic()
    connection.close()
    poll_until(lambda: metric_value(metrics(api), "ducklake_queries_running") == 0, 30,
               "ducklake_queries_running to return to 0 after the client hung up")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_a_query_that_has_sent_nothing_yet_stops_when_its_client_hangs_up(server, fmt):
    # An aggregate over a large join sends nothing until it ends (here: long after the timeout of
    # this test), so only watching the connection can tell the client is gone.
    hang_up_while_running(server, {"sql": SLOW_SELECT, "format": fmt})
    # The server is none the worse for it.
    assert server.api.rows("SELECT 42") == [[42]]


def test_an_export_stops_and_stores_nothing_when_its_client_hangs_up(server):
    api = server.api
    volume = unique_name("v").replace("_", "-")
    expect_status(api.post("/api/v1/volumes", json={"name": volume}), 201)
    hang_up_while_running(server, {"sql": SLOW_SELECT, "export": {"volume": volume, "key": "slow.parquet"}})
    expect_status(api.get(f"/api/v1/volumes/{volume}/objects/slow.parquet"), 404)
    # The job's run ends FAILed: lineage never shows an output that was not written.
    job = f"export.{volume}.slow.parquet"

    def job_events():
        found, after = [], 0
        while after is not None:
            page = expect_status(api.get("/api/v1/lineage/events", params={"origin": "ducklake", "after": after,
                                                                           "limit": 1000}), 200).json()
            found += [event["event"]["eventType"] for event in page["events"] if event["event"]["job"]["name"] == job]
            after = page["next_after"]
        return found

    poll_until(lambda: "FAIL" in job_events(), 10, "the export's FAIL event")
    assert "COMPLETE" not in job_events()


def test_openapi_document_is_served(api):
    # That it describes every route is checked against the server's route tables (unit OpenApiTest).
    response = expect_status(api.get("/api/v1/openapi.json"), 200)
    assert response.headers["Content-Type"].startswith("application/json")
    document = response.json()
    assert str(document.get("openapi", "")).startswith("3.1"), document.get("openapi")
    assert json.loads((REPO_ROOT / "docs" / "openapi.json").read_text()) == document


def test_a_burst_of_new_connections_is_not_dropped(server):
    # A client that opens many connections at once (ducklake cp -j 16, curl --parallel) must not
    # find the listen queue full: a dropped connection waits a second before it tries again.
    address = urllib.parse.urlsplit(server.api.base_url)
    sockets = []
    begun = time.monotonic()
    try:
        for _ in range(200):
            sockets.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sockets[-1].setblocking(False)
            sockets[-1].connect_ex((address.hostname, address.port))
        pending = list(sockets)
        while pending and time.monotonic() - begun < 5:
            _, writable, _ = select.select([], pending, [], 0.05)
            pending = [s for s in pending if s not in writable]
        # Accepted by the kernel for every one at once: a second at least when the queue overflows.
        assert not pending and time.monotonic() - begun < 0.8, f"{len(pending)} of 200 still connecting"
        for s in sockets:
            assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    finally:
        for s in sockets:
            s.close()
    expect_status(server.api.get("/healthz"), 200)
