"""Hostile input, and the limits that keep one caller from taking the server down. After each
test the server is still up, answers others, has written nothing half-done and has not shown a
secret in a response or its log."""

from __future__ import annotations

import http.client
import json
import select
import socket
import threading
import time

import pytest
import requests

from httpsupport import SLOW_SELECT, Api, assert_problem, expect_status, poll_until, tree

ADMIN_TOKEN = "dl_" + "ab12" * 16  # given through --admin-token-file


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """One server with tokens and tight limits, shared by the tests of this file."""
    from httpsupport import ServerProcess
    root = tmp_path_factory.mktemp("hostile")
    token_file = root / "admin.token"
    token_file.write_text(ADMIN_TOKEN + "\n")
    server = ServerProcess.launch(root, "--auth", "token", "--admin-token-file", str(token_file),
                                  "--max-json-depth", "16", "--max-url-bytes", "2048", "--max-header-bytes", "4096",
                                  "--max-result-bytes", "1000000", "--max-concurrent-queries", "2",
                                  "--rate-limit", "2000", "--rate-burst", "4000", "--min-upload-rate", "4096",
                                  "--query-timeout-ms", "5000", "--memory-limit", "300MB", name="hostile server")
    server.wait_healthy()
    yield server
    server.stop_cleanly()


@pytest.fixture
def admin(hostile_server) -> Api:
    api = Api(hostile_server.base_url)
    api.http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"

    def no_secret_in(response, *args, **kwargs):
        # Streamed bodies are checked by whoever reads them; every other answer here.
        if not kwargs.get("stream"):
            assert ADMIN_TOKEN.encode() not in response.content, (response.request.url, response.content[:300])

    api.http.hooks["response"].append(no_secret_in)
    return api


@pytest.fixture(autouse=True)
def still_standing(hostile_server):
    """After each test: up, answering, and no secret in its log."""
    offset = hostile_server.log_size()
    yield
    assert requests.get(hostile_server.base_url + "/healthz", timeout=10).status_code == 200
    api = Api(hostile_server.base_url)
    api.http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
    expect_status(api.get("/api/v1/namespaces"), 200)
    log = hostile_server.log_text(offset)
    assert ADMIN_TOKEN not in log
    for secret in ("ducklake-pw", "ducklake-secret-123"):
        assert secret not in log


def raw(server, data: bytes, read_timeout: float = 15, half_close: bool = True) -> bytes:
    """Sends bytes as they are and returns what the server answers (until it closes)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout) as sock:
        sock.sendall(data)
        if half_close:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        return answer


def status_of(answer: bytes) -> int:
    line = answer.split(b"\r\n", 1)[0]
    return int(line.split()[1]) if line.startswith(b"HTTP/1.") else 0


# --- HTTP --------------------------------------------------------------------------------------

@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n",
    b"\x00\xff\xfe\r\n\r\n",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\nhello",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"GET /api/v1/namespaces/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"fffffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    b"POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(20000)) + b"\r\n",
], ids=["garbage", "no-target", "bad-version", "bad-header", "binary", "bad-chunk", "two-lengths",
        "negative-length", "invalid-utf8-path", "huge-chunk-size", "negative-chunk-size", "chunk-cut-off",
        "chunk-longer-than-said", "unknown-transfer-coding", "length-and-chunked", "20000-headers"])
def test_malformed_requests_are_refused(hostile_server, request_bytes):
    answer = raw(hostile_server, request_bytes)
    # A 4xx answer, or (for what is not HTTP at all) a closed connection: never a success or a 5xx,
    # and never a second answer to bytes smuggled after the first request.
    assert answer == b"" or 400 <= status_of(answer) < 500, answer[:300]
    assert answer.count(b"HTTP/1.1 ") <= 1, answer[:600]


def test_oversized_urls_and_headers(hostile_server, admin):
    assert_problem(admin.get("/api/v1/namespaces?" + "x" * 3000), 414)
    assert_problem(admin.get("/api/v1/namespaces", headers={"X-Padding": "y" * 5000}), 431)
    assert_problem(admin.get("/api/v1/namespaces", headers={f"X-H{i}": "z" for i in range(150)}), 431)
    # A single header line past what the HTTP parser takes: refused outright, the server unharmed.
    answer = raw(hostile_server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n")
    assert answer == b"" or 400 <= status_of(answer) < 500


def test_a_body_on_a_get_is_refused_and_never_read_as_another_request(hostile_server):
    # The "body" is a whole second request: were it left in the stream, it would run as one.
    smuggled = (f"DELETE /api/v1/volumes/keepme HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN_TOKEN}\r\n"
                "\r\n").encode()
    api = Api(hostile_server.base_url)
    api.http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
    expect_status(api.post("/api/v1/volumes", json={"name": "keepme"}), 201)
    for head in (f"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: {len(smuggled)}\r\n\r\n".encode(),
                 b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                 f"{len(smuggled):x}\r\n".encode() + smuggled + b"\r\n0\r\n\r\n"):
        answer = raw(hostile_server, head + (smuggled if b"Content-Length" in head else b""), half_close=False)
        assert status_of(answer) == 400 and answer.count(b"HTTP/1.1") == 1, answer[:400]
    expect_status(api.get("/api/v1/volumes/keepme"), 200)


def test_duplicate_and_conflicting_headers(hostile_server, admin):
    answer = raw(hostile_server, f"GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN_TOKEN}\r\n"
                 f"Authorization: Bearer dl_{'0' * 64}\r\nConnection: close\r\n\r\n".encode(), half_close=False)
    assert status_of(answer) == 401


def test_a_trickled_body_is_cut_off_and_others_are_served_meanwhile(hostile_server, admin):
    expect_status(admin.post("/api/v1/volumes", json={"name": "slow"}), 201)
    result = {}

    def trickle():
        with socket.create_connection(("127.0.0.1", hostile_server.port), timeout=60) as sock:
            sock.sendall((f"PUT /api/v1/volumes/slow/objects/drip.bin HTTP/1.1\r\nHost: x\r\n"
                          f"Authorization: Bearer {ADMIN_TOKEN}\r\nContent-Length: 100000\r\n\r\n").encode())
            started = time.monotonic()
            try:
                # The attack itself: 500 bytes/s, under --min-upload-rate, until the server answers.
                while time.monotonic() - started < 30 and not select.select([sock], [], [], 0.2)[0]:
                    sock.sendall(b"x" * 100)
            except OSError:
                pass
            result["seconds"] = time.monotonic() - started
            sock.settimeout(10)
            try:
                result["answer"] = sock.recv(65536)
            except OSError:
                result["answer"] = b""

    attacker = threading.Thread(target=trickle)
    attacker.start()
    # While it trickles, everyone else is served.
    for _ in range(5):
        expect_status(admin.get("/api/v1/namespaces"), 200)
    attacker.join(60)
    assert status_of(result["answer"]) == 408, result
    assert result["seconds"] < 25, result
    listing = expect_status(admin.get("/api/v1/volumes/slow/objects"), 200).json()
    assert listing["objects"] == []  # nothing half-written


def test_range_abuse(admin):
    expect_status(admin.post("/api/v1/volumes", json={"name": "ranges"}), 201)
    data = bytes(range(256)) * 40
    expect_status(admin.request("PUT", "/api/v1/volumes/ranges/objects/r.bin", data=data), 201)
    many = ",".join(f"{i}-{i}" for i in range(300))  # over the 64 ranges served, under the header limit
    answer = admin.get("/api/v1/volumes/ranges/objects/r.bin", headers={"Range": f"bytes={many}"})
    assert answer.status_code == 200 and answer.content == data  # too many ranges: the whole object
    overlapping = admin.get("/api/v1/volumes/ranges/objects/r.bin", headers={"Range": "bytes=0-100,50-150,100-200"})
    assert overlapping.status_code == 206 and overlapping.content == data[0:201]  # merged into one
    assert admin.get("/api/v1/volumes/ranges/objects/r.bin", headers={"Range": "bytes=999999-"}).status_code == 416
    assert admin.get("/api/v1/volumes/ranges/objects/r.bin", headers={"Range": "bytes=x-y"}).status_code == 200


@pytest.mark.parametrize("bad", ["..", "%2e%2e", "%2E%2E%2F", "%00", "a%2Fb", "." * 300, "%ff"])
def test_traversal_in_every_path_parameter(hostile_server, admin, bad):
    objects = hostile_server.data_dir / "objects"
    before = tree(objects) if objects.exists() else set()
    for method, path in [("GET", "/api/v1/namespaces/{x}"), ("DELETE", "/api/v1/namespaces/{x}"),
                         ("GET", "/api/v1/namespaces/{x}/tables"), ("GET", "/api/v1/namespaces/{x}/tables/{x}"),
                         ("POST", "/api/v1/namespaces/{x}/tables/{x}/data?format=csv"),
                         ("GET", "/api/v1/namespaces/{x}/tables/{x}/changes"),
                         ("GET", "/api/v1/volumes/{x}"), ("GET", "/api/v1/volumes/{x}/objects"),
                         ("PUT", "/api/v1/volumes/{x}/objects/{x}"), ("GET", "/api/v1/volumes/{x}/uploads/{x}"),
                         ("PUT", "/api/v1/volumes/{x}/uploads/{x}/parts/{x}"), ("DELETE", "/api/v1/tokens/{x}"),
                         ("DELETE", "/api/v1/grants/{x}"), ("PUT", "/api/v1/groups/{x}/members/{x}"),
                         ("PATCH", "/api/v1/namespaces/{x}/tables/{x}"), ("DELETE", "/api/v1/namespaces/{x}/tables/{x}"),
                         ("GET", "/api/v1/namespaces/{x}/tables/{x}/preview"),
                         ("GET", "/api/v1/namespaces/{x}/tables/{x}/snapshots"),
                         ("PATCH", "/api/v1/volumes/{x}"), ("DELETE", "/api/v1/volumes/{x}"),
                         ("GET", "/api/v1/volumes/{x}/objects/{x}"), ("PATCH", "/api/v1/volumes/{x}/objects/{x}"),
                         ("POST", "/api/v1/volumes/{x}/objects/{x}?copy_to={x}"),
                         ("DELETE", "/api/v1/volumes/{x}/objects/{x}"), ("POST", "/api/v1/volumes/{x}/uploads"),
                         ("POST", "/api/v1/volumes/{x}/uploads/{x}"), ("DELETE", "/api/v1/volumes/{x}/uploads/{x}"),
                         ("POST", "/api/v1/volumes/{x}/presign"), ("POST", "/api/v1/volumes/{x}/reconcile"),
                         ("GET", "/api/v1/tokens/{x}"), ("DELETE", "/api/v1/groups/{x}/members/{x}"),
                         ("GET", "/marquez/api/v1/namespaces/{x}"), ("GET", "/marquez/api/v1/namespaces/{x}/jobs/{x}"),
                         ("GET", "/marquez/api/v1/namespaces/{x}/jobs/{x}/runs"),
                         ("GET", "/marquez/api/v1/jobs/runs/{x}"),
                         ("GET", "/marquez/api/v1/namespaces/{x}/datasets/{x}"),
                         ("GET", "/marquez/api/v1/namespaces/{x}/datasets/{x}/versions")]:
        # http.client sends the path as it is: requests would resolve "..".
        connection = http.client.HTTPConnection("127.0.0.1", hostile_server.port, timeout=30)
        body = b"id\n1\n" if method in ("PUT", "POST", "PATCH") else None
        connection.request(method, path.replace("{x}", bad), body=body, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        response = connection.getresponse()
        text = response.read()
        connection.close()
        assert response.status in (400, 403, 404, 405), (method, path, response.status, text[:300])
        assert response.getheader("Content-Type").startswith("application/problem+json"), (method, path)
    assert (tree(objects) if objects.exists() else set()) == before  # nothing written anywhere


# --- JSON --------------------------------------------------------------------------------------

def test_deep_nesting_duplicate_keys_and_huge_numbers_are_refused(admin):
    for body, words in (("[" * 100 + "]" * 100, "deeper"),
                        ('{"name": "a", "name": "b"}', "twice"),
                        ('{"sql": "SELECT 1", "limit": 1e999}', "range"),
                        ('{"sql": "SELECT 1", "limit": 123456789012345678901234567890}', "limit"),
                        ('{"sql": "SELECT 1", "limit": -5}', "limit"),
                        ('{"sql": "SELECT \\ud800"}', ""),
                        ('{"name": "\xff"}', "")):
        path = "/api/v1/namespaces" if '"name"' in body else "/api/v1/query"
        response = admin.post(path, data=body.encode("utf-8", "surrogatepass"),
                              headers={"Content-Type": "application/json"})
        problem = assert_problem(response, 400)
        assert words in problem["detail"], (body[:60], problem)
    names = [n["name"] for n in expect_status(admin.get("/api/v1/namespaces"), 200).json()["namespaces"]]
    assert "a" not in names and "b" not in names


# Integers that no field takes: past int64, at its edges, negative.
HUGE = [2**63, 2**64 + 7, 2**63 - 1, -(2**63), -1, 10**30]

# Every integer field of the API, with a request that is valid with a sensible value in it.
INTEGER_FIELDS = [
    ("POST", "/api/v1/query", {"sql": "SELECT 1"}, "limit"),
    ("POST", "/api/v1/query", {"sql": "SELECT 1"}, "timeout_ms"),
    ("POST", "/api/v1/query", {"sql": "SELECT 1"}, "snapshot"),
    ("POST", "/api/v1/tokens", {"user": "u2"}, "expires_in"),
    ("POST", "/api/v1/volumes/ints/presign", {"key": "k"}, "expires_in"),
    ("POST", "/api/v1/volumes", {"name": "intvol"}, "max_object_bytes"),
    ("PATCH", "/api/v1/volumes/ints", {}, "max_object_bytes"),
    ("POST", "/api/v1/maintenance/compact", {"dry_run": True}, "target_file_bytes"),
    ("POST", "/api/v1/maintenance/expire", {"dry_run": True}, "keep_last"),
    ("POST", "/api/v1/maintenance/cleanup", {"dry_run": True}, "orphan_min_age_seconds"),
    ("POST", "/api/v1/maintenance/cleanup", {"dry_run": True}, "scheduled_min_age_seconds"),
]


@pytest.mark.parametrize("method, path, body, field", INTEGER_FIELDS, ids=[f"{p}:{f}" for _, p, _, f in INTEGER_FIELDS])
def test_out_of_range_integers_in_every_field_are_400_and_change_nothing(admin, method, path, body, field):
    admin.post("/api/v1/volumes", json={"name": "ints"})
    volumes = expect_status(admin.get("/api/v1/volumes"), 200).json()
    tokens = expect_status(admin.get("/api/v1/tokens"), 200).json()
    for value in HUGE:
        if field in ("limit", "snapshot") and 0 <= value < 2**63:
            continue  # any non-negative int64 is a valid limit or snapshot id (an unknown one is 404)
        response = admin.request(method, path, data=json.dumps({**body, field: value}),
                                 headers={"Content-Type": "application/json"})
        problem = assert_problem(response, 400)
        assert field in problem["detail"] or "range" in problem["detail"], (field, value, problem)
    assert expect_status(admin.get("/api/v1/volumes"), 200).json() == volumes
    assert expect_status(admin.get("/api/v1/tokens"), 200).json() == tokens


def test_a_part_number_out_of_range_is_400(admin):
    admin.post("/api/v1/volumes", json={"name": "parts"})
    upload = expect_status(admin.post("/api/v1/volumes/parts/uploads", json={"key": "big.bin"}), 201).json()
    base = f"/api/v1/volumes/parts/uploads/{upload['upload_id']}"
    for number in ("0", "10001", str(2**63), "-1", "1e3"):
        assert_problem(admin.request("PUT", f"{base}/parts/{number}", data=b"x"), 400)
    for number in (2**63, 2**64 + 1, 10001, 0):
        body = {"parts": [{"part_number": number, "etag": "e"}]}
        assert_problem(admin.post(base, json=body), 400)
    assert expect_status(admin.get(base), 200).json()["parts"] == []
    expect_status(admin.delete(base), 204)


WRONG = [None, 7, "x", [], {}, True, 1.5]

# Every JSON body field of the API with a value of the right type; each is then sent with values of
# every other type (null too, except where null is a value the field takes: NULLABLE). The paths
# name the namespace, table, volume, object and upload the `targets` fixture makes.
EVENT = {"eventType": "COMPLETE", "eventTime": "2026-12-01T10:00:00Z", "producer": "https://example.com/x",
         "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json",
         "run": {"runId": "3f5e83fa-3480-44ff-99c5-ff943cd7e4d2"}, "job": {"namespace": "etl", "name": "j"}}
FIELDS = [
    ("POST", "/api/v1/namespaces", {"name": "ok_name"}),
    ("POST", "/api/v1/namespaces/wtns/tables", {"name": "t2", "columns": [{"name": "id", "type": "BIGINT"}]}),
    ("PATCH", "/api/v1/namespaces/wtns/tables/t", {"comment": "c", "tags": {"a": "b"},
                                                   "columns": {"id": {"comment": "x"}}}),
    ("POST", "/api/v1/query", {"sql": "SELECT 1", "format": "json", "limit": 1, "timeout_ms": 1000, "job": "j",
                                "snapshot": 1, "message": "m"}),
    ("POST", "/api/v1/query", {"sql": "SELECT 1", "export": {"volume": "wtvol", "key": "k.parquet"}}),
    ("POST", "/api/v1/query", {"statements": ["INSERT INTO wtns.t VALUES (1)"], "timeout_ms": 1000, "message": "m",
                                "job": "j"}),
    ("POST", "/api/v1/volumes", {"name": "okvol", "description": "d", "owner": "o", "tags": {"a": "b"},
                                 "max_object_bytes": 10, "bucket": "b"}),
    ("PATCH", "/api/v1/volumes/wtvol", {"description": "d", "owner": "o", "tags": {"a": "b"}, "max_object_bytes": 10}),
    ("PATCH", "/api/v1/volumes/wtvol/objects/o.txt", {"content_type": "text/plain", "metadata": {"a": "b"},
                                                      "tags": {"a": "b"}}),
    ("POST", "/api/v1/volumes/wtvol/presign", {"key": "o.txt", "method": "GET", "expires_in": 60, "download": True}),
    ("POST", "/api/v1/volumes/wtvol/uploads", {"key": "u.bin", "content_type": "x/y", "metadata": {"a": "b"}}),
    ("POST", "/api/v1/volumes/wtvol/uploads/{upload}", {"parts": [{"part_number": 1, "etag": "e"}]}),
    ("POST", "/api/v1/volumes/wtvol/reconcile", {"dry_run": True}),
    ("POST", "/api/v1/tokens", {"user": "u1", "expires_in": 60, "description": "d"}),
    ("POST", "/api/v1/grants", {"principal": "u1", "role": "reader", "namespace": "wtns"}),
    ("POST", "/api/v1/grants", {"principal": "u1", "role": "reader", "volume": "wtvol"}),
    ("POST", "/api/v1/lineage", EVENT),
    ("POST", "/api/v1/maintenance/compact", {"namespace": "n", "table": "t", "target_file_bytes": 1, "dry_run": True}),
    ("POST", "/api/v1/maintenance/expire", {"keep_last": 1, "older_than": "2026-01-01T00:00:00Z", "dry_run": True}),
    ("POST", "/api/v1/maintenance/cleanup", {"orphan_min_age_seconds": 10, "scheduled_min_age_seconds": 10,
                                             "dry_run": True}),
    ("POST", "/api/v1/maintenance/flush", {"dry_run": True}),
]
NULLABLE = {"comment", "max_object_bytes"}


@pytest.fixture(scope="module")
def targets(hostile_server):
    """What the FIELDS paths name; returns the id of the open upload."""
    api = Api(hostile_server.base_url)
    api.http.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
    expect_status(api.post("/api/v1/namespaces", json={"name": "wtns"}), 201)
    expect_status(api.post("/api/v1/namespaces/wtns/tables/t/data", params={"format": "csv"}, data="id\n1\n"), 201)
    expect_status(api.post("/api/v1/volumes", json={"name": "wtvol"}), 201)
    expect_status(api.request("PUT", "/api/v1/volumes/wtvol/objects/o.txt", data=b"o"), 201)
    return expect_status(api.post("/api/v1/volumes/wtvol/uploads", json={"key": "open.bin"}), 201).json()["upload_id"]


def _values(value, path=()):
    """(the value with one part of it of a wrong type, where that part is): the field itself, and
    the first member of each object or array in it, so wrong types inside nested fields are tried."""
    for wrong in WRONG:
        if type(wrong) is not type(value):
            yield wrong, (*path, type(wrong).__name__)
    if isinstance(value, dict) and value:
        key = next(iter(value))
        for inner, where in _values(value[key], (*path, key)):
            yield {**value, key: inner}, where
    if isinstance(value, list) and value:
        for inner, where in _values(value[0], (*path, "[0]")):
            yield [inner, *value[1:]], where


@pytest.mark.parametrize("method, path, good", FIELDS, ids=[f"{m} {p}" for m, p, _ in FIELDS])
def test_wrong_types_in_every_field_are_400_and_change_nothing(hostile_server, admin, targets, method, path, good):
    path = path.replace("{upload}", targets)
    state = [expect_status(admin.get(p), 200).json() for p in (
        "/api/v1/namespaces", "/api/v1/volumes", "/api/v1/namespaces/wtns/tables/t", "/api/v1/volumes/wtvol/objects",
        "/api/v1/volumes/wtvol/uploads", "/api/v1/tokens", "/api/v1/grants", "/api/v1/snapshots")]
    for field, value in good.items():
        for wrong, where in _values(value, (field,)):
            if where[-1] == "NoneType" and where[-2] in NULLABLE:
                continue  # null is one of the field's values
            response = admin.request(method, path, json={**good, field: wrong})
            assert response.status_code == 400, (path, where, response.status_code, response.text[:200])
            assert_problem(response, 400)
    after = [expect_status(admin.get(p), 200).json() for p in (
        "/api/v1/namespaces", "/api/v1/volumes", "/api/v1/namespaces/wtns/tables/t", "/api/v1/volumes/wtvol/objects",
        "/api/v1/volumes/wtvol/uploads", "/api/v1/tokens", "/api/v1/grants", "/api/v1/snapshots")]
    assert after == state


# --- SQL ---------------------------------------------------------------------------------------

@pytest.fixture
def table(admin):
    name = "h" + str(abs(hash(time.monotonic())) % 10**8)
    expect_status(admin.post("/api/v1/namespaces", json={"name": name}), 201)
    expect_status(admin.post(f"/api/v1/namespaces/{name}/tables/t/data", params={"format": "csv"},
                             data="id,v\n1,a\n2,b\n"), 201)
    return name


@pytest.mark.parametrize("sql", [
    "COPY {ns}.t FROM '/etc/passwd'",
    "EXPORT DATABASE '/tmp/ducklake-export'",
    "CREATE VIEW {ns}.v AS SELECT * FROM {ns}.t",
    "CREATE MACRO m(x) AS (SELECT count(*) FROM {ns}.t)",
    "SELECT * FROM {ns}.t; DROP TABLE {ns}.t",
    "SELECT 1; SELECT 2",
    "SELECT * FROM read_json('/etc/passwd')",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM pragma_database_list()",
    "CALL duckdb_secrets()",
])
def test_sql_that_reaches_outside_is_refused(admin, table, sql):
    response = admin.sql(sql.format(ns=table))
    assert response.status_code in (400, 403), response.text[:300]
    assert_problem(response, response.status_code)
    assert admin.rows(f"SELECT count(*) FROM {table}.t") == [[2]]
    assert admin.get(f"/api/v1/namespaces/{table}/tables/v").status_code == 404


def test_a_recursive_cte_bomb_hits_the_servers_time_limit(admin):
    bomb = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    started = time.monotonic()
    assert_problem(admin.sql(bomb), 504)  # --query-timeout-ms 5000, with nothing asked for
    assert time.monotonic() - started < 30
    # A caller cannot lift the server's limit, however large the number.
    for timeout_ms in (5001, 3_600_000, 2**63 - 1):
        problem = assert_problem(admin.sql(bomb, timeout_ms=timeout_ms), 400)
        assert "timeout_ms" in problem["detail"] and "5000" in problem["detail"]
    assert "timeout_ms" in assert_problem(admin.sql(bomb, timeout_ms=2**64 + 1), 400)["detail"]
    assert_problem(admin.transaction(["INSERT INTO x.t SELECT 1"], timeout_ms=10**12), 400)


def test_a_memory_bomb_hits_the_memory_limit(admin):
    response = admin.sql("SELECT list(range) AS l FROM range(400000000)")
    problem = assert_problem(response, 413)  # --memory-limit 300MB, well inside the time limit
    assert "memory" in problem["detail"].lower()


def test_a_huge_result_is_cut_at_the_result_byte_limit(admin):
    try:
        response = admin.sql("SELECT repeat('x', 10000) AS s FROM range(100000)", format="ndjson")
        body = response.content
    except requests.exceptions.ChunkedEncodingError:
        body = None  # cut short: the client sees a broken stream, never a result that looks whole
    assert body is None or len(body) <= 1_100_000
    if body is not None:
        assert body.count(b"\n") < 100000


# --- limits per token --------------------------------------------------------------------------

def test_concurrent_queries_per_token_are_limited(hostile_server, admin):
    slow = []

    def run():
        slow.append(admin.sql(SLOW_SELECT, timeout_ms=4000))

    runners = [threading.Thread(target=run) for _ in range(2)]
    for runner in runners:
        runner.start()
    poll_until(lambda: _running_queries(hostile_server) >= 2, 20, "two queries running")
    refused = admin.sql("SELECT 1")
    assert_problem(refused, 429)
    assert refused.headers["Retry-After"] == "1"
    for runner in runners:
        runner.join(60)
    expect_status(admin.sql("SELECT 1"), 200)


def _running_queries(server) -> float:
    from httpsupport import metric_value, parse_metrics
    text = requests.get(server.base_url + "/metrics", timeout=10).text
    return metric_value(parse_metrics(text), "ducklake_queries_running") or 0


def test_the_request_rate_per_token_is_limited(start_server, tmp_path):
    token_file = tmp_path / "t"
    server = start_server("--auth", "token", "--admin-token-file", str(token_file), "--rate-limit", "5",
                          "--rate-burst", "5")
    api = Api(server.base_url)
    api.http.headers["Authorization"] = "Bearer " + token_file.read_text().strip()
    statuses = [api.get("/api/v1/whoami") for _ in range(12)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited and all(r.headers["Retry-After"].isdigit() for r in limited)
    assert statuses[0].status_code == 200 and json.loads(limited[0].text)["status"] == 429
    # Another token has a bucket of its own.
    created = poll_until(lambda: (lambda r: r.json() if r.status_code == 201 else None)(
        api.post("/api/v1/tokens", json={"user": "other"})), 10, "a token once the bucket refills")
    other = Api(server.base_url)
    other.http.headers["Authorization"] = "Bearer " + created["token"]
    assert [other.get("/api/v1/whoami").status_code for _ in range(5)] == [200] * 5


def test_text_that_is_not_utf8_is_refused_before_it_reaches_the_database(hostile_server, admin):
    expect_status(admin.post("/api/v1/volumes", json={"name": "utf"}), 201)
    assert_problem(admin.http.get(hostile_server.base_url + "/api/v1/volumes/utf/objects?prefix=%ff", timeout=30), 400)
    answer = raw(hostile_server, (f"PUT /api/v1/volumes/utf/objects/a.txt HTTP/1.1\r\nHost: x\r\n"
                                  f"Authorization: Bearer {ADMIN_TOKEN}\r\nContent-Length: 1\r\n").encode() +
                 b"x-ducklake-meta-who: \xff\xfe\r\nConnection: close\r\n\r\nx", half_close=False)
    assert status_of(answer) == 400, answer[:300]
    assert expect_status(admin.get("/api/v1/volumes/utf/objects"), 200).json()["objects"] == []
