"""Protocol-level behaviour shared by every route: problem responses, body limits, request ids."""

import gzip
import http.client
import json

import pytest

from httpsupport import assert_problem, expect_status, query_body_of_size, unique_name

DEFAULT_MAX_BODY_BYTES = 1 << 20


def test_unknown_route_is_404_problem(api):
    problem = assert_problem(api.get("/api/v1/no-such-thing"), 404)
    assert problem["instance"] == "/api/v1/no-such-thing"


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("DELETE", "/api/v1/namespaces", {"GET", "POST"}),
        ("PUT", "/api/v1/query", {"POST"}),
        ("GET", "/api/v1/query", {"POST"}),
        ("POST", "/api/v1/namespaces/x/tables/y/preview", {"GET"}),
        ("PUT", "/api/v1/namespaces/x/tables/y", {"GET", "PATCH", "DELETE"}),
    ],
)
def test_wrong_method_is_405_with_allow_header(api, method, path, allowed):
    response = api.request(method, path)
    assert_problem(response, 405)
    assert "Allow" in response.headers, "405 without an Allow header"
    assert {item.strip() for item in response.headers["Allow"].split(",")} == allowed


@pytest.mark.parametrize("body", [b'{"name":', b"name=sales", b'["sales"]', b'"sales"', b""],
                         ids=["truncated", "not-json", "array", "string", "empty"])
def test_malformed_json_body_is_400(api, body):
    assert_problem(api.post("/api/v1/namespaces", data=body, headers={"Content-Type": "application/json"}), 400)


def test_json_body_at_the_limit_is_accepted(api):
    response = api.post("/api/v1/query", data=query_body_of_size(DEFAULT_MAX_BODY_BYTES),
                        headers={"Content-Type": "application/json"})
    expect_status(response, 200)


def test_json_body_over_the_limit_is_413(api):
    response = api.post("/api/v1/query", data=query_body_of_size(DEFAULT_MAX_BODY_BYTES + 1),
                        headers={"Content-Type": "application/json"})
    assert_problem(response, 413)


@pytest.mark.parametrize(
    "method, path, body, must_not_exist",
    [
        ("POST", "/api/v1/query", {"sql": "CREATE TABLE {ns}.t AS SELECT 1 AS id", "color": "red"}, "t"),
        ("POST", "/api/v1/namespaces/{ns}/tables",
         {"name": "t", "columns": [{"name": "id", "type": "BIGINT"}], "partitioned_by": ["id"]}, "t"),
        ("POST", "/api/v1/namespaces/{ns}/tables",
         {"name": "t", "columns": [{"name": "id", "type": "BIGINT", "default": 1}]}, "t"),
        ("PATCH", "/api/v1/namespaces/{ns}/tables/old", {"name": "t", "comment": "x"}, "t"),
    ],
    ids=["query", "create-table", "create-table-column", "rename-table"],
)
def test_unknown_json_field_is_400_and_changes_nothing(api, ns, method, path, body, must_not_exist):
    api.create_table(ns, "old", [("id", "BIGINT")])
    body = json.loads(json.dumps(body).replace("{ns}", ns))
    assert_problem(api.request(method, path.format(ns=ns), json=body), 400)
    assert not api.table_exists(ns, must_not_exist)
    assert api.table_exists(ns, "old")


def test_unknown_json_field_creates_no_namespace(api):
    name = unique_name("ns")
    assert_problem(api.post("/api/v1/namespaces", json={"name": name, "owner": "me"}), 400)
    assert_problem(api.get(f"/api/v1/namespaces/{name}"), 404)


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/healthz", None),
        ("GET", "/metrics", None),
        ("GET", "/api/v1/nope", None),
        ("DELETE", "/api/v1/namespaces", None),
        ("POST", "/api/v1/namespaces", b"{"),
        ("POST", "/api/v1/query", b'{"sql": "SELECT * FROM range(10)"}'),
        ("POST", "/api/v1/query", b'{"sql": "SELEC nonsense"}'),
    ],
    ids=["ok", "metrics", "404", "405", "400", "streamed", "sql-error"],
)
def test_every_response_has_a_request_id(api, method, path, body):
    response = api.request(method, path, data=body)
    assert response.headers.get("X-Request-Id"), f"{response.status_code} response without X-Request-Id"


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/nope"])
def test_safe_client_request_id_is_echoed(api, path):
    response = api.get(path, headers={"X-Request-Id": "client-42_a.b"})
    assert response.headers.get("X-Request-Id") == "client-42_a.b"


@pytest.mark.parametrize("unsafe", ["has space", "x" * 65, "semi;colon", '"quoted"', "new%0Aline"])
def test_unsafe_client_request_id_is_replaced(api, unsafe):
    response = api.get("/healthz", headers={"X-Request-Id": unsafe})
    echoed = response.headers.get("X-Request-Id")
    assert echoed and echoed != unsafe


def test_generated_request_ids_are_unique(api):
    ids = {api.get("/healthz").headers["X-Request-Id"] for _ in range(20)}
    assert len(ids) == 20


# --- compression -------------------------------------------------------------------------------


def raw_request(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """The response as sent: http.client does not decode a compressed body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.raw_body = response.read()
    connection.close()
    return response


BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium offers


def test_a_large_json_answer_is_gzipped_never_brotli(server):
    response = raw_request(server, "GET", "/api/v1/openapi.json", headers={"Accept-Encoding": BROWSER_ENCODINGS})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(response.raw_body))["openapi"]
    assert raw_request(server, "GET", "/api/v1/openapi.json", headers={"Accept-Encoding": "br"}).getheader(
        "Content-Encoding") is None


@pytest.mark.parametrize("fmt", ["json", "csv", "ndjson"])
def test_a_streamed_result_is_never_compressed(server, fmt):
    # A compressor holds rows back until its buffer fills: the first rows must leave at once.
    body = json.dumps({"sql": "SELECT i, 'row ' || i AS s FROM range(50000) t(i)", "format": fmt}).encode()
    response = raw_request(server, "POST", "/api/v1/query", body=body,
                           headers={"Content-Type": "application/json", "Accept-Encoding": BROWSER_ENCODINGS})
    assert response.status == 200
    assert response.getheader("Content-Encoding") is None
    assert b"row 49999" in response.raw_body
