"""The web app's files at `/`: what is served, how browsers may cache it, and what stays the API's."""

import gzip
import hashlib
import http.client

import pytest

from httpsupport import assert_problem, expect_status, run_ducklake

INDEX = b"<!doctype html><title>DuckLake</title><script type=module src=/assets/app-3f2a9c1e.js></script>"
SCRIPT = b"console.log('DuckLake');" * 400  # past the size the server compresses from
STYLE = b"body{margin:0}"


@pytest.fixture
def web_dir(tmp_path):
    directory = tmp_path / "web"
    (directory / "assets").mkdir(parents=True)
    (directory / "index.html").write_bytes(INDEX)
    (directory / "assets" / "app-3f2a9c1e.js").write_bytes(SCRIPT)
    (directory / "assets" / "app-77aa01bc.css").write_bytes(STYLE)
    (directory / "favicon.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    return directory


@pytest.fixture
def web_server(start_server, web_dir):
    return start_server("--web-dir", str(web_dir))


def raw_get(server, path: str, method: str = "GET", headers: dict | None = None) -> http.client.HTTPResponse:
    """The path exactly as given (requests would normalise it), the body as sent (not decoded)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.mark.parametrize("path", ["/", "/files/raw/2026/11/orders.csv", "/tables/sales/orders?snapshot=3",
                                  "/sql", "/lineage?node=dataset%3Aducklake%3A%2F%2Fdefault%3Asales.orders",
                                  "/search?q=orders", "/no/such/page"])
def test_every_page_url_is_answered_with_the_app(web_server, path):
    response = expect_status(web_server.api.get(path), 200)
    assert response.content == INDEX
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hashed_assets_are_kept_for_good_and_the_rest_revalidated(web_server):
    script = expect_status(web_server.api.get("/assets/app-3f2a9c1e.js"), 200)
    assert script.content == SCRIPT
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert expect_status(web_server.api.get("/assets/app-77aa01bc.css"), 200).headers["Content-Type"] == "text/css; charset=utf-8"
    icon = expect_status(web_server.api.get("/favicon.svg"), 200)
    assert icon.headers["Content-Type"] == "image/svg+xml"
    assert icon.headers["Cache-Control"] == "no-cache"


def test_etag_is_the_content_digest_and_answers_304(web_server):
    page = expect_status(web_server.api.get("/"), 200)
    assert page.headers["ETag"] == '"' + hashlib.sha256(INDEX).hexdigest()[:32] + '"'
    again = web_server.api.get("/tables", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert expect_status(web_server.api.get("/", headers={"If-None-Match": '"other"'}), 200).content == INDEX


def test_assets_are_sent_gzipped_as_compressed_at_start_to_clients_that_take_gzip(web_server):
    plain = expect_status(web_server.api.get("/assets/app-3f2a9c1e.js", headers={"Accept-Encoding": "identity"}), 200)
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["Vary"] == "Accept-Encoding"
    for offered in ["gzip", "gzip, deflate, br, zstd", "br;q=1, gzip;q=0.5"]:
        response = raw_get(web_server, "/assets/app-3f2a9c1e.js", headers={"Accept-Encoding": offered})
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip", offered
        assert gzip.decompress(response.body) == SCRIPT
        assert len(response.body) < len(SCRIPT) / 10
        # A strong validator names one encoding; either answers a revalidation.
        assert response.getheader("ETag") == plain.headers["ETag"][:-1] + '-gzip"'
        again = web_server.api.get("/assets/app-3f2a9c1e.js", headers={"If-None-Match": response.getheader("ETag")})
        assert again.status_code == 304
    refused = raw_get(web_server, "/assets/app-3f2a9c1e.js", headers={"Accept-Encoding": "br, gzip;q=0"})
    assert refused.getheader("Content-Encoding") is None and refused.body == SCRIPT


def test_head_sends_the_headers_without_the_body(web_server):
    response = raw_get(web_server, "/assets/app-3f2a9c1e.js", method="HEAD")
    assert response.status == 200 and response.body == b""
    assert response.getheader("Content-Length") == str(len(SCRIPT))


def test_a_missing_asset_is_a_404_not_the_page(web_server):
    # A page from an older build asking for a script that is gone must fail visibly, not get HTML.
    assert_problem(web_server.api.get("/assets/app-00000000.js"), 404)


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/", "/api", "/marquez/api/v1/nope", "/marquez"])
def test_the_api_paths_stay_the_api(web_server, path):
    assert_problem(web_server.api.get(path), 404)


def test_the_server_routes_keep_their_meaning(web_server):
    assert expect_status(web_server.api.get("/healthz"), 200).json() == {"status": "ok"}
    assert expect_status(web_server.api.get("/readyz"), 200).json()["status"] == "ready"
    assert "ducklake_" in expect_status(web_server.api.get("/metrics"), 200).text
    assert expect_status(web_server.api.get("/api/v1/openapi.json"), 200).json()["openapi"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_only_get_and_head_reach_the_app(web_server, method):
    assert_problem(web_server.api.request(method, "/tables/sales/orders"), 404)


@pytest.mark.parametrize("path", ["/assets/../index.html", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2F..%2Fetc%2Fpasswd",
                                  "/../../../etc/passwd"])
def test_paths_never_leave_the_app(web_server, path):
    response = raw_get(web_server, path)
    assert response.status in (200, 400, 404), (path, response.status)
    assert b"root:" not in response.body
    if response.status == 200:
        assert response.body == INDEX


def test_the_app_can_be_turned_off(start_server, web_dir):
    server = start_server("--web-dir", "none")
    assert_problem(server.api.get("/"), 404)
    assert_problem(server.api.get("/tables"), 404)


def test_a_web_dir_without_the_app_stops_the_start_with_one_readable_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_ducklake(["serve", "--data-dir", str(tmp_path / "data"), "--listen", "127.0.0.1:0", "--web-dir", str(empty)],
                       cwd=tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert any("no index.html" in line and str(empty) in line for line in lines), done.stderr
