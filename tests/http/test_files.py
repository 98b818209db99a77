"""Files: volumes and objects over HTTP, on the session server's backends.

Uploads and downloads go through real HTTP; ranges, validators, checksums, metadata, listings,
copies, multipart uploads, presigned URLs, search, previews, ingest from and export to volumes.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import http.client
import json
import socket
import struct
import urllib.parse
import zlib

import pytest
import requests

from httpsupport import (BACKEND, _s3_client, assert_problem, expect_status, poll_until, run_ducklake, s3_keys,
                         unique_name)


def vol_name() -> str:
    return unique_name("v").replace("_", "-")


@pytest.fixture
def vol(api) -> str:
    name = vol_name()
    expect_status(api.post("/api/v1/volumes", json={"name": name}), 201)
    return name


def obj(vol: str, key: str) -> str:
    return f"/api/v1/volumes/{vol}/objects/{urllib.parse.quote(key)}"


def put(api, vol: str, key: str, data: bytes, status: int | tuple = (200, 201), **headers) -> requests.Response:
    response = api.request("PUT", obj(vol, key), data=data, headers=headers)
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    return response


def keys_of(api, vol: str, **params) -> list[str]:
    listing = expect_status(api.get(f"/api/v1/volumes/{vol}/objects", params=params), 200).json()
    return [item["key"] for item in listing["objects"]]


# --- volumes ---------------------------------------------------------------------------------


def test_volume_lifecycle(api):
    name = vol_name()
    created = expect_status(api.post("/api/v1/volumes", json={"name": name, "description": "raw drops",
                                                               "tags": {"team": "data"}}), 201).json()
    assert created["location"] == f"volumes/{name}/"
    assert created["tags"] == {"team": "data"}
    assert_problem(api.post("/api/v1/volumes", json={"name": name}), 409)
    assert name in [v["name"] for v in api.get("/api/v1/volumes").json()["volumes"]]
    patched = expect_status(api.patch(f"/api/v1/volumes/{name}", json={"owner": "rita"}), 200).json()
    assert patched["owner"] == "rita" and patched["description"] == "raw drops"

    put(api, name, "a.txt", b"a")
    put(api, name, "b/c.txt", b"bc")
    expect_status(api.post(f"/api/v1/volumes/{name}/uploads", json={"key": "d.bin"}), 201)
    described = expect_status(api.get(f"/api/v1/volumes/{name}"), 200).json()
    assert (described["object_count"], described["size_bytes"], described["open_uploads"]) == (2, 3, 1)
    assert_problem(api.delete(f"/api/v1/volumes/{name}"), 409)
    expect_status(api.delete(f"/api/v1/volumes/{name}", params={"force": "true"}), 204)
    assert_problem(api.get(f"/api/v1/volumes/{name}"), 404)
    assert_problem(api.get(obj(name, "a.txt")), 404)


@pytest.mark.parametrize("body", [
    {"name": "UPPER"}, {"name": "a/b"}, {"name": ".."}, {"name": ""}, {"name": 7}, {},
    {"name": "ok-name", "tags": ["x"]}, {"name": "ok-name", "tags": {"k": 1}}, {"name": "ok-name", "extra": 1},
])
def test_bad_volume_requests_are_refused(api, body):
    assert_problem(api.post("/api/v1/volumes", json=body), 400)


# --- objects ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["plain.txt", "deep/er/path/file.bin", "with space & plus+.txt", "ünïcødé/文件.txt",
                                 "odd;chars=(1)[2]{3}!'~*.dat"])
def test_objects_round_trip_with_their_headers(api, vol, key):
    data = bytes(range(256)) * 100
    response = put(api, vol, key, data, 201, **{"Content-Type": "application/x-test", "x-ducklake-meta-Author": "rita"})
    etag = response.headers["ETag"]
    assert etag == f'"{response.json()["etag"]}"'
    assert response.json()["size"] == len(data)

    got = expect_status(api.get(obj(vol, key)), 200)
    assert got.content == data
    assert got.headers["Content-Type"] == "application/x-test"
    assert got.headers["Content-Length"] == str(len(data))
    assert got.headers["ETag"] == etag
    assert got.headers["x-ducklake-meta-author"] == "rita"
    assert got.headers["X-Content-Type-Options"] == "nosniff"

    head = expect_status(api.request("HEAD", obj(vol, key)), 200)
    assert head.headers["Content-Length"] == str(len(data)) and head.content == b""
    assert key in keys_of(api, vol)

    expect_status(api.delete(obj(vol, key)), 204)
    assert_problem(api.get(obj(vol, key)), 404)
    assert_problem(api.delete(obj(vol, key)), 404)


def test_overwrite_answers_200_and_changes_the_etag(api, vol):
    created = put(api, vol, "f.txt", b"one", 201)
    first = created.json()
    assert first["created_by"] == "anonymous" and first["created_at"] == first["modified_at"]
    poll_until(lambda: put_time_passed(first["modified_at"]), 5, "the clock to move on a millisecond")
    replaced = put(api, vol, "f.txt", b"two!", 200)
    second = replaced.json()
    assert created.headers["ETag"] != replaced.headers["ETag"]
    assert api.get(obj(vol, "f.txt")).content == b"two!"
    # The index keeps who created the key and when; the new bytes are a modification.
    assert (second["created_by"], second["created_at"]) == (first["created_by"], first["created_at"])
    assert second["modified_at"] > first["modified_at"] and second["size"] == 4
    listed = expect_status(api.get(f"/api/v1/volumes/{vol}/objects"), 200).json()["objects"][0]
    assert (listed["created_at"], listed["modified_at"], listed["size"]) == (first["created_at"], second["modified_at"], 4)


def put_time_passed(timestamp: str) -> bool:
    from datetime import datetime, timezone
    return datetime.now(timezone.utc) > datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def test_ranges(api, vol):
    data = bytes(i % 251 for i in range(10000))
    put(api, vol, "r.bin", data)
    url = obj(vol, "r.bin")

    def ranged(spec):
        return api.get(url, headers={"Range": spec})

    single = expect_status(ranged("bytes=10-19"), 206)
    assert single.content == data[10:20]
    assert single.headers["Content-Range"] == "bytes 10-19/10000"
    assert expect_status(ranged("bytes=9990-"), 206).content == data[9990:]
    assert expect_status(ranged("bytes=-5"), 206).content == data[-5:]
    assert expect_status(ranged("bytes=9995-20000"), 206).content == data[9995:]
    # Several ranges come back as multipart/byteranges, overlapping ones merged.
    multi = expect_status(ranged("bytes=0-1, 100-104, 102-109"), 206)
    content_type = multi.headers["Content-Type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    parts = [p for p in multi.content.split(b"--" + boundary) if p.strip(b"\r\n") not in (b"", b"--")]
    bodies = [p.split(b"\r\n\r\n", 1)[1][:-2] for p in parts]
    assert bodies == [data[0:2], data[100:110]]
    assert int(multi.headers["Content-Length"]) == len(multi.content)

    unsatisfiable = assert_problem(ranged("bytes=20000-"), 416)
    assert unsatisfiable["status"] == 416
    assert api.get(url, headers={"Range": "bytes=20000-"}).headers["Content-Range"] == "bytes */10000"
    # Not a byte range set (or too many ranges): the whole object.
    assert expect_status(ranged("items=0-1"), 200).content == data
    many = ",".join(f"{i}-{i}" for i in range(0, 400, 2))
    assert expect_status(ranged(f"bytes={many}"), 200).content == data
    # If-Range with another validator: the whole object.
    whole = api.get(url, headers={"Range": "bytes=0-1", "If-Range": '"stale"'})
    assert whole.status_code == 200 and whole.content == data


def test_conditional_requests(api, vol):
    response = put(api, vol, "c.txt", b"cached")
    etag = response.headers["ETag"]
    url = obj(vol, "c.txt")
    assert expect_status(api.get(url, headers={"If-None-Match": etag}), 304).content == b""
    assert expect_status(api.get(url, headers={"If-None-Match": '"other", ' + etag}), 304)
    assert expect_status(api.get(url, headers={"If-None-Match": '"other"'}), 200).content == b"cached"
    last_modified = api.get(url).headers["Last-Modified"]
    assert expect_status(api.get(url, headers={"If-Modified-Since": last_modified}), 304)
    assert expect_status(api.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}), 200)
    assert_problem(api.get(url, headers={"If-Match": '"other"'}), 412)

    assert_problem(api.request("PUT", url, data=b"again", headers={"If-None-Match": "*"}), 412)
    assert_problem(api.request("PUT", url, data=b"again", headers={"If-Match": '"other"'}), 412)
    assert api.get(url).content == b"cached"
    put(api, vol, "c.txt", b"matched", 200, **{"If-Match": etag})
    put(api, vol, "new.txt", b"created", 201, **{"If-None-Match": "*"})


def test_download_sets_an_attachment_name(api, vol):
    put(api, vol, "reports/Q1 résumé.pdf", b"%PDF-1.4")
    response = expect_status(api.get(obj(vol, "reports/Q1 résumé.pdf"), params={"download": "1"}), 200)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Q1 r_sum_.pdf"')
    assert "filename*=UTF-8''Q1%20r%C3%A9sum%C3%A9.pdf" in disposition


def test_checksums_are_checked_end_to_end(api, vol):
    data = b"checked bytes" * 1000
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    sha = hashlib.sha256(data).hexdigest()
    response = put(api, vol, "ok.bin", data, 201, **{"Content-MD5": md5, "X-DuckLake-SHA256": sha})
    assert response.json()["sha256"] == sha

    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    assert_problem(api.request("PUT", obj(vol, "bad.bin"), data=data, headers={"Content-MD5": wrong_md5}), 400)
    assert_problem(api.request("PUT", obj(vol, "bad.bin"), data=data,
                               headers={"X-DuckLake-SHA256": hashlib.sha256(b"x").hexdigest()}), 400)
    assert_problem(api.request("PUT", obj(vol, "ok.bin"), data=b"replacement", headers={"Content-MD5": wrong_md5}), 400)
    assert_problem(api.request("PUT", obj(vol, "bad.bin"), data=data, headers={"Content-MD5": "not base64"}), 400)
    assert_problem(api.get(obj(vol, "bad.bin")), 404)
    assert api.get(obj(vol, "ok.bin")).content == data
    assert keys_of(api, vol) == ["ok.bin"]


@pytest.mark.parametrize("raw_path", [
    "../escape", "a/../../../etc/passwd", "%2e%2e/escape", "a/%2E%2E/b", "%2Fabs", "a//b", "nul%00byte",
    "x" * 1100, "dot/%2E/seg", "back%5Cslash", "ctrl%01char", "./here", "a/..", "%2e%2e%2fescape",
])
def test_path_traversal_and_bad_keys_touch_nothing(api, vol, raw_path, server):
    # http.client sends the path exactly as given (requests would resolve "../" itself).
    host, port = api.base_url.removeprefix("http://").split(":")
    path = f"/api/v1/volumes/{vol}/objects/{raw_path}"
    for method in ("PUT", "GET", "HEAD", "DELETE", "PATCH", "POST"):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        body = b"payload" if method in ("PUT", "PATCH", "POST") else None
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"} if method == "PATCH" else {})
        response = connection.getresponse()
        text = response.read()
        connection.close()
        assert response.status == 400, (method, raw_path, response.status, text[:300])
        if method != "HEAD":
            assert response.getheader("Content-Type").startswith("application/problem+json")
            assert json.loads(text)["status"] == 400
    assert keys_of(api, vol) == []
    # Nothing reached the store: no object anywhere named like the payload's targets.
    if BACKEND == "postgres-s3":
        assert [k for k in s3_keys(server.s3_prefix + "volumes/") if k in ("escape", "passwd", "b", "abs", "here")] == []
    else:
        stray = [p for p in (server.data_dir / "objects").rglob("*") if p.is_file() and p.name in ("escape", "passwd", "abs")]
        assert stray == [] and not (server.data_dir / "etc").exists()


def test_an_object_over_the_upload_limit_is_refused_and_nothing_is_stored(start_server):
    server = start_server("--max-upload-bytes", "1000")
    api = server.api
    expect_status(api.post("/api/v1/volumes", json={"name": "small"}), 201)
    put(api, "small", "fits.bin", b"x" * 1000, 201)
    assert_problem(api.request("PUT", obj("small", "big.bin"), data=b"x" * 1001), 413)
    # Without Content-Length (chunked), the limit is found while the body streams.
    assert_problem(api.request("PUT", obj("small", "big.bin"), data=iter([b"x" * 600, b"x" * 600])), 413)
    assert keys_of(api, "small") == ["fits.bin"]
    assert_problem(api.get(obj("small", "big.bin")), 404)


def test_a_volume_holds_objects_to_its_own_size_limit(api, vol):
    described = expect_status(api.patch(f"/api/v1/volumes/{vol}", json={"max_object_bytes": 1000}), 200).json()
    assert described["max_object_bytes"] == 1000
    put(api, vol, "fits.bin", b"x" * 1000, 201)
    assert "1000" in assert_problem(api.request("PUT", obj(vol, "big.bin"), data=b"x" * 1001), 413)["detail"]
    assert_problem(api.request("PUT", obj(vol, "big.bin"), data=iter([b"x" * 600, b"x" * 600])), 413)
    # A multipart upload: each part, and the object the parts make.
    upload = expect_status(api.post(f"/api/v1/volumes/{vol}/uploads", json={"key": "parts.bin"}), 201).json()
    base = f"/api/v1/volumes/{vol}/uploads/{upload['upload_id']}"
    assert_problem(api.request("PUT", f"{base}/parts/1", data=b"p" * 1001), 413)
    expect_status(api.request("PUT", f"{base}/parts/1", data=b"p" * 600), 200)
    expect_status(api.request("PUT", f"{base}/parts/2", data=b"q" * 600), 200)
    assert_problem(api.post(base, json={}), 413)
    expect_status(api.delete(base), 204)
    # Copies into the volume too.
    other = vol_name()
    expect_status(api.post("/api/v1/volumes", json={"name": other}), 201)
    put(api, other, "big.bin", b"y" * 2000, 201)
    assert_problem(api.post(obj(other, "big.bin"), params={"copy_to": "big.bin", "to_volume": vol}), 413)
    assert keys_of(api, vol) == ["fits.bin"]
    # null hands the volume back to the server's limit.
    assert expect_status(api.patch(f"/api/v1/volumes/{vol}", json={"max_object_bytes": None}), 200).json()[
        "max_object_bytes"] is None
    put(api, vol, "big.bin", b"x" * 1001, 201)
    for bad in (0, -1, "1k", 1.5):
        assert_problem(api.patch(f"/api/v1/volumes/{vol}", json={"max_object_bytes": bad}), 400)


def test_an_upload_cut_off_mid_body_leaves_nothing(api, vol, server):
    host, port = api.base_url.removeprefix("http://").split(":")
    path = obj(vol, "cut.bin")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall((f"PUT {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1000000\r\n"
                      "Content-Type: application/octet-stream\r\n\r\n").encode() + b"x" * 300000)
        sock.shutdown(socket.SHUT_WR)
        # The server answers (400) or just closes; either way it has finished with the request.
        sock.settimeout(30)
        try:
            while sock.recv(65536):
                pass
        except ConnectionResetError:
            pass
    assert_problem(api.get(obj(vol, "cut.bin")), 404)
    assert keys_of(api, vol) == []
    # The key is free for a whole upload.
    put(api, vol, "cut.bin", b"whole", 201, **{"If-None-Match": "*"})


def test_copy_and_move(api, vol):
    put(api, vol, "src.txt", b"source", **{"x-ducklake-meta-origin": "test"})
    expect_status(api.patch(obj(vol, "src.txt"), json={"tags": {"kind": "sample"}}), 200)
    other = vol_name()
    expect_status(api.post("/api/v1/volumes", json={"name": other}), 201)

    copied = expect_status(api.post(obj(vol, "src.txt"), params={"copy_to": "copy.txt"}), 201).json()
    assert copied["tags"] == {"kind": "sample"} and copied["metadata"] == {"origin": "test"}
    assert copied["source"]["copied_from"]["key"] == "src.txt"
    expect_status(api.post(obj(vol, "src.txt"), params={"move_to": "moved/here.txt", "to_volume": other}), 201)
    assert_problem(api.get(obj(vol, "src.txt")), 404)
    assert api.get(obj(other, "moved/here.txt")).content == b"source"
    assert api.get(obj(vol, "copy.txt")).content == b"source"
    assert_problem(api.post(obj(vol, "copy.txt")), 400)
    assert_problem(api.post(obj(vol, "copy.txt"), params={"copy_to": "copy.txt"}), 400)
    assert_problem(api.post(obj(vol, "missing.txt"), params={"copy_to": "x.txt"}), 404)
    assert_problem(api.post(obj(vol, "copy.txt"), params={"copy_to": "../x"}), 400)


def test_patch_metadata_and_tags(api, vol):
    put(api, vol, "m.txt", b"m")
    patched = expect_status(api.patch(obj(vol, "m.txt"), json={
        "content_type": "text/markdown", "metadata": {"reviewed": "yes"}, "tags": {"pii": "false"}}), 200).json()
    assert patched["content_type"] == "text/markdown"
    response = api.get(obj(vol, "m.txt"))
    assert response.headers["Content-Type"] == "text/markdown"
    assert response.headers["x-ducklake-meta-reviewed"] == "yes"
    for bad in ({"tags": "x"}, {"metadata": {"bad name": "v"}}, {"content_type": "nonsense"}, {"other": 1},
                {"tags": {f"t{i}": "v" for i in range(51)}}):
        assert_problem(api.patch(obj(vol, "m.txt"), json=bad), 400)
    assert_problem(api.patch(obj(vol, "absent.txt"), json={"tags": {}}), 404)


def test_listing_pages_with_folders(api, vol):
    keys = [f"logs/2026-11-{day:02}/part-{i}.log" for day in (1, 2, 3) for i in range(3)] + \
           [f"logs/top-{i}.txt" for i in range(5)] + ["readme.md"]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda key: put(api, vol, key, key.encode()), keys))
    entries, cursor = [], None
    while True:
        params = {"prefix": "logs/", "delimiter": "/", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = expect_status(api.get(f"/api/v1/volumes/{vol}/objects", params=params), 200).json()
        assert len(page["objects"]) + len(page["folders"]) <= 3
        entries += page["folders"] + [item["key"] for item in page["objects"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(entries) == sorted(["logs/2026-11-01/", "logs/2026-11-02/", "logs/2026-11-03/"] +
                                     [f"logs/top-{i}.txt" for i in range(5)])
    assert keys_of(api, vol, limit=1000) == sorted(keys)
    for bad in ({"limit": 0}, {"limit": 1001}, {"cursor": "%%%"}, {"delimiter": "é"}, {"prefix": "../"}):
        assert_problem(api.get(f"/api/v1/volumes/{vol}/objects", params=bad), 400)
    assert_problem(api.get(f"/api/v1/volumes/{vol_name()}/objects"), 404)


# --- multipart -------------------------------------------------------------------------------

PART = 5 * 1024 * 1024


def test_multipart_upload_in_parallel_parts(api, vol):
    parts = [bytes([n]) * PART for n in range(1, 4)] + [b"tail" * 100]
    upload = expect_status(api.post(f"/api/v1/volumes/{vol}/uploads", json={
        "key": "big/video.mp4", "metadata": {"camera": "north"}}), 201).json()
    base = f"/api/v1/volumes/{vol}/uploads/{upload['upload_id']}"

    def send(number):
        return expect_status(api.request("PUT", f"{base}/parts/{number}", data=parts[number - 1]), 200).json()

    # The first three in parallel; then "the connection drops" and the client resumes from the listing.
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        sent = list(pool.map(send, [1, 2, 3]))
    listed = expect_status(api.get(base), 200).json()
    assert [p["part_number"] for p in listed["parts"]] == [1, 2, 3]
    assert [p["etag"] for p in listed["parts"]] == [p["etag"] for p in sent]
    assert listed["key"] == "big/video.mp4"
    assert upload["upload_id"] in [u["upload_id"] for u in api.get(f"/api/v1/volumes/{vol}/uploads").json()["uploads"]]
    send(4)
    assert_problem(api.get(obj(vol, "big/video.mp4")), 404)
    # A wrong etag is refused and the upload can still be completed.
    assert_problem(api.post(base, json={"parts": [{"part_number": 1, "etag": "wrong"}]}), 400)
    done = expect_status(api.post(base), 201).json()
    assert done["size"] == sum(len(p) for p in parts)
    assert done["metadata"] == {"camera": "north"} and done["content_type"] == "video/mp4"
    got = api.get(obj(vol, "big/video.mp4"), headers={"Range": f"bytes={PART - 2}-{PART + 1}"})
    assert got.content == b"\x01\x01\x02\x02"
    assert hashlib.sha256(api.get(obj(vol, "big/video.mp4")).content).digest() == hashlib.sha256(b"".join(parts)).digest()
    assert_problem(api.get(base), 404)


def test_multipart_completion_checks_the_sha256_it_is_given(api, vol):
    parts = [bytes([7]) * PART, b"end of it"]
    digest = hashlib.sha256(b"".join(parts)).hexdigest()

    def upload(key):
        created = expect_status(api.post(f"/api/v1/volumes/{vol}/uploads", json={"key": key}), 201).json()
        base = f"/api/v1/volumes/{vol}/uploads/{created['upload_id']}"
        for number, data in enumerate(parts, 1):
            expect_status(api.request("PUT", f"{base}/parts/{number}", data=data), 200)
        return base

    done = expect_status(api.post(upload("good.bin"), json={"sha256": digest.upper()}), 201).json()
    assert done["sha256"] == digest  # kept, as an upload with X-DuckLake-SHA256 keeps it
    assert api.get(obj(vol, "good.bin"), params={"metadata": "1"}).json()["sha256"] == digest
    # Without it the object has no checksum, as before.
    assert expect_status(api.post(upload("plain.bin")), 201).json()["sha256"] is None
    # A wrong digest: the joined object is not kept, under its key or in the index.
    put(api, vol, "bad.bin", b"the previous version")
    base = upload("bad.bin")
    problem = assert_problem(api.post(base, json={"sha256": "0" * 64}), 400)
    assert "SHA-256" in problem["detail"]
    assert_problem(api.get(obj(vol, "bad.bin")), 404)
    assert "bad.bin" not in keys_of(api, vol)
    assert_problem(api.get(base), 404)  # the upload is over
    for malformed in ("abc", "0" * 63, 5):
        assert_problem(api.post(upload("m.bin"), json={"sha256": malformed}), 400)


def test_multipart_bad_input_and_abort(api, vol):
    upload = expect_status(api.post(f"/api/v1/volumes/{vol}/uploads", json={"key": "x.bin"}), 201).json()
    base = f"/api/v1/volumes/{vol}/uploads/{upload['upload_id']}"
    for number in ("0", "10001", "abc", "-1"):
        assert_problem(api.request("PUT", f"{base}/parts/{number}", data=b"x"), 400)
    expect_status(api.request("PUT", f"{base}/parts/1", data=b"small"), 200)
    expect_status(api.request("PUT", f"{base}/parts/2", data=b"small"), 200)
    assert_problem(api.post(base), 400)  # part 1 is below the 5 MiB minimum
    assert_problem(api.post(base, json={"parts": "all"}), 400)
    assert_problem(api.post(f"/api/v1/volumes/{vol}/uploads", json={"key": "../x"}), 400)
    assert_problem(api.request("PUT", f"/api/v1/volumes/{vol}/uploads/{'0' * 32}/parts/1", data=b"x"), 404)
    expect_status(api.delete(base), 204)
    assert_problem(api.get(base), 404)
    assert_problem(api.delete(base), 404)
    assert keys_of(api, vol) == []


# --- presigned URLs --------------------------------------------------------------------------


def test_presigned_get_and_put_work_without_anything_else(api, vol):
    put(api, vol, "shared/report.csv", b"a,b\n1,2\n", **{"Content-Type": "text/csv"})
    presigned = expect_status(api.post(f"/api/v1/volumes/{vol}/presign", json={
        "key": "shared/report.csv", "method": "GET", "expires_in": 600}), 200).json()
    assert presigned["method"] == "GET"
    fetched = requests.get(presigned["url"], timeout=30)
    assert fetched.status_code == 200 and fetched.content == b"a,b\n1,2\n"

    url = urllib.parse.urlsplit(presigned["url"])
    query = urllib.parse.parse_qsl(url.query)
    tampered = [(k, v[:-1] + ("0" if v[-1] != "0" else "1")) if "Signature" in k else (k, v) for k, v in query]
    tampered_url = urllib.parse.urlunsplit(url._replace(query=urllib.parse.urlencode(tampered)))
    assert requests.get(tampered_url, timeout=30).status_code == 403
    other_key = presigned["url"].replace("report.csv", "other.csv", 1)
    assert requests.get(other_key, timeout=30).status_code == 403

    upload = expect_status(api.post(f"/api/v1/volumes/{vol}/presign", json={
        "key": "shared/uploaded.bin", "method": "PUT"}), 200).json()
    assert requests.put(upload["url"], data=b"via presigned PUT", timeout=30).status_code in (200, 201)
    assert expect_status(api.get(obj(vol, "shared/uploaded.bin")), 200).content == b"via presigned PUT"
    assert "shared/uploaded.bin" in keys_of(api, vol)


def test_presigned_urls_expire(api, vol):
    put(api, vol, "short.txt", b"short-lived")
    presigned = expect_status(api.post(f"/api/v1/volumes/{vol}/presign", json={
        "key": "short.txt", "expires_in": 1}), 200).json()
    # Expiry is the thing under test: the URL works until the clock passes it, then never again.
    poll_until(lambda: requests.get(presigned["url"], timeout=30).status_code == 403, 30, "the URL to expire")


@pytest.mark.parametrize("body", [
    {"key": "x", "method": "DELETE"}, {"key": "x", "expires_in": 0}, {"key": "x", "expires_in": 700000},
    {"method": "GET"}, {"key": "../x"}, {"key": "x", "other": 1},
])
def test_bad_presign_requests(api, vol, body):
    put(api, vol, "x", b"x")
    assert_problem(api.post(f"/api/v1/volumes/{vol}/presign", json=body), 400)


# --- search, previews, reconcile -------------------------------------------------------------


def test_search_finds_tables_and_objects(api, vol, ns):
    marker = unique_name("zq").lower()
    api.create_table(ns, f"{marker}_orders", [("id", "BIGINT"), ("amount", "DOUBLE")])
    api.create_table(ns, "customers", [("id", "BIGINT"), (f"{marker}_col", "VARCHAR")])
    put(api, vol, f"drops/{marker}.csv", b"a\n1\n")
    put(api, vol, "drops/other.csv", b"a\n1\n", **{"x-ducklake-meta-note": f"mentions {marker}"})
    put(api, vol, "drops/tagged.bin", b"t")
    expect_status(api.patch(obj(vol, "drops/tagged.bin"), json={"tags": {"topic": marker}}), 200)

    results = expect_status(api.get("/api/v1/search", params={"q": marker.upper()}), 200).json()["results"]
    tables = {(r["namespace"], r["name"]) for r in results if r["kind"] == "table"}
    assert tables == {(ns, f"{marker}_orders"), (ns, "customers")}
    assert [r["matched_columns"] for r in results if r.get("name") == "customers"] == [[f"{marker}_col"]]
    objects = sorted(r["key"] for r in results if r["kind"] == "object")
    assert objects == sorted([f"drops/{marker}.csv", "drops/other.csv", "drops/tagged.bin"])

    only_objects = api.get("/api/v1/search", params={"q": marker, "kind": "object", "volume": vol}).json()["results"]
    assert {r["kind"] for r in only_objects} == {"object"} and len(only_objects) == 3
    tagged = api.get("/api/v1/search", params={"tag": f"topic={marker}"}).json()["results"]
    assert [r["key"] for r in tagged] == ["drops/tagged.bin"]

    seen, cursor = [], None
    while True:
        params = {"q": marker, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = expect_status(api.get("/api/v1/search", params=params), 200).json()
        seen += [(r["kind"], r.get("name") or r.get("key")) for r in page["results"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 and len(set(seen)) == 5
    for bad in ({"kind": "view"}, {"limit": 0}, {"cursor": "nope"}, {"q": "x" * 300}, {"kind": "table", "volume": vol}):
        assert_problem(api.get("/api/v1/search", params=bad), 400)


def tiny_png(width: int, height: int) -> bytes:
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def tiny_jpeg(width: int, height: int) -> bytes:
    """A valid baseline JPEG of a grey `width` x `height` picture: one component, every 8x8 block all
    zero coefficients, one-code Huffman tables (DC category 0, AC end-of-block)."""
    def segment(marker, payload):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
    quantisation = segment(0xDB, b"\x00" + b"\x01" * 64)
    frame = segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    one_code = bytes([1] + [0] * 15) + b"\x00"
    huffman = segment(0xC4, b"\x00" + one_code + b"\x10" + one_code)
    scan = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    blocks = -(-width // 8) * -(-height // 8)
    bits = "00" * blocks  # per block: DC difference category 0, then end of block
    bits += "1" * (-len(bits) % 8)
    data = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)).replace(b"\xff", b"\xff\x00")
    return b"\xff\xd8" + quantisation + frame + huffman + scan + data + b"\xff\xd9"


def test_previews(api, vol):
    put(api, vol, "t.csv", b"id,name\n" + b"".join(f"{i},n{i}\n".encode() for i in range(500)))
    table = expect_status(api.get(obj(vol, "t.csv"), params={"preview": "1"}), 200).json()
    assert table["kind"] == "table"
    assert [c["name"] for c in table["columns"]] == ["id", "name"]
    assert len(table["rows"]) == 50 and table["rows"][0] == [0, "n0"]

    put(api, vol, "notes.txt", "héllo ".encode() * 400)
    text = api.get(obj(vol, "notes.txt"), params={"preview": "1"}).json()
    assert text["kind"] == "text" and text["truncated"] and text["text"].startswith("héllo")
    assert len(text["text"].encode()) <= 1024

    put(api, vol, "pic.png", tiny_png(640, 320))
    image = api.get(obj(vol, "pic.png"), params={"preview": "1"}).json()
    assert (image["kind"], image["format"], image["width"], image["height"]) == ("image", "png", 640, 320)
    thumbnail = base64.b64decode(image["thumbnail"].removeprefix("data:image/png;base64,"))
    assert thumbnail[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", thumbnail[16:24]) == (256, 128)

    records = [{"id": i, "name": f"n{i}"} for i in range(60)]
    put(api, vol, "t.ndjson", "\n".join(json.dumps(r) for r in records).encode(), **{"Content-Type": "application/x-ndjson"})
    put(api, vol, "t.json", json.dumps(records).encode(), **{"Content-Type": "application/json"})
    for key in ("t.ndjson", "t.json"):
        rows = expect_status(api.get(obj(vol, key), params={"preview": "1"}), 200).json()
        assert rows["kind"] == "table" and [c["name"] for c in rows["columns"]] == ["id", "name"], key
        assert len(rows["rows"]) == 50 and rows["rows"][1] == [1, "n1"], key

    put(api, vol, "pic.jpg", tiny_jpeg(300, 200), **{"Content-Type": "image/jpeg"})
    image = api.get(obj(vol, "pic.jpg"), params={"preview": "1"}).json()
    assert (image["kind"], image["format"], image["width"], image["height"]) == ("image", "jpeg", 300, 200)
    assert image["thumbnail"].startswith("data:image/")

    put(api, vol, "blob.bin", bytes(range(256)))
    assert api.get(obj(vol, "blob.bin"), params={"preview": "1"}).json()["kind"] == "binary"
    put(api, vol, "broken.csv", b"\x00\x01\x02 not csv", **{"Content-Type": "text/csv"})
    assert expect_status(api.get(obj(vol, "broken.csv"), params={"preview": "1"}), 200).json()["kind"] in ("binary", "text", "table")


# --- files and tables ------------------------------------------------------------------------


def test_ingest_from_a_volume_and_export_to_one(api, vol, ns):
    csv = b"id,city\n" + b"".join(f"{i},c{i % 7}\n".encode() for i in range(1000))
    put(api, vol, "in/cities.csv", csv)
    table = f"{ns}.cities"
    ingested = expect_status(api.post(f"/api/v1/namespaces/{ns}/tables/cities/data",
                                      params={"from": f"volumes/{vol}/objects/in/cities.csv"}), 201).json()
    assert ingested["rows_written"] == 1000 and ingested["created_table"]
    assert ingested["source"]["key"] == "in/cities.csv"
    assert api.rows(f"SELECT count(*), count(DISTINCT city) FROM {table}") == [[1000, 7]]
    message = api.get("/api/v1/snapshots", params={"limit": 1}).json()["snapshots"][0]["message"]
    assert f"volumes/{vol}/objects/in/cities.csv" in message

    exported = expect_status(api.sql(f"SELECT city, count(*) AS n FROM {table} GROUP BY city ORDER BY city",
                                     export={"volume": vol, "key": "out/by_city.parquet"}), 201).json()
    assert exported["content_type"] == "application/vnd.apache.parquet"
    assert exported["source"]["sql"].startswith("SELECT city")
    assert exported["source"]["snapshot_id"] == ingested["snapshot_id"]
    expect_status(api.post(f"/api/v1/namespaces/{ns}/tables/by_city/data",
                           params={"from": f"volumes/{vol}/objects/out/by_city.parquet"}), 201)
    assert api.rows(f"SELECT sum(n)::BIGINT FROM {ns}.by_city") == [[1000]]

    csv_export = expect_status(api.sql(f"SELECT * FROM {table} WHERE id < 3 ORDER BY id", format="csv",
                                       export={"volume": vol, "key": "out/first.csv"}), 201).json()
    assert csv_export["content_type"] == "text/csv"
    assert api.get(obj(vol, "out/first.csv")).text.splitlines() == ["id,city", "0,c0", "1,c1", "2,c2"]

    assert_problem(api.sql(f"DELETE FROM {table}", export={"volume": vol, "key": "x"}), 400)
    assert_problem(api.sql("SELECT 1", export={"volume": vol}), 400)
    assert_problem(api.sql("SELECT 1", export={"volume": vol, "key": "../x"}), 400)
    assert_problem(api.post(f"/api/v1/namespaces/{ns}/tables/t2/data", params={"from": "nonsense"}), 400)
    assert_problem(api.post(f"/api/v1/namespaces/{ns}/tables/t2/data",
                            params={"from": f"volumes/{vol}/objects/missing.csv"}), 404)
    put(api, vol, "in/blob.bin", b"\x00\x01")
    assert_problem(api.post(f"/api/v1/namespaces/{ns}/tables/t2/data",
                            params={"from": f"volumes/{vol}/objects/in/blob.bin"}), 400)
    assert not api.table_exists(ns, "t2")


@pytest.mark.parametrize("key, content_type, body", [
    ("in/rows.ndjson", "application/x-ndjson", b'{"id": 1, "city": "a"}\n{"id": 2, "city": "b"}\n'),
    ("in/rows.json", "application/json", b'[{"id": 1, "city": "a"}, {"id": 2, "city": "b"}]'),
])
def test_ingest_json_and_ndjson_objects_from_a_volume(api, vol, ns, key, content_type, body):
    put(api, vol, key, body, **{"Content-Type": content_type})
    ingested = expect_status(api.post(f"/api/v1/namespaces/{ns}/tables/rows/data",
                                      params={"from": f"volumes/{vol}/objects/{key}"}), 201).json()
    assert ingested["rows_written"] == 2
    assert api.rows(f"SELECT id, city FROM {ns}.rows ORDER BY id") == [[1, "a"], [2, "b"]]


def test_cleanup_never_touches_volumes(api, vol):
    put(api, vol, "keep/me.txt", b"precious")
    api.maintain("cleanup", orphan_min_age_seconds=0)
    assert api.get(obj(vol, "keep/me.txt")).content == b"precious"


def test_a_volume_with_a_bucket_of_its_own(api, ns):
    name, bucket = vol_name(), unique_name("dl-http").replace("_", "-")
    if BACKEND != "postgres-s3":
        # Local storage has no buckets to give a volume.
        assert_problem(api.post("/api/v1/volumes", json={"name": name, "bucket": bucket}), 400)
        assert_problem(api.get(f"/api/v1/volumes/{name}"), 404)
        return
    assert_problem(api.post("/api/v1/volumes", json={"name": name, "bucket": "Bad_Bucket"}), 400)
    created = expect_status(api.post("/api/v1/volumes", json={"name": name, "bucket": bucket}), 201).json()
    assert created["bucket"] == bucket
    csv = b"id,v\n" + b"".join(f"{i},{i * i}\n".encode() for i in range(100))
    put(api, name, "data/squares.csv", csv)
    assert api.get(obj(name, "data/squares.csv"), headers={"Range": "bytes=0-3"}).content == b"id,v"
    expect_status(api.post(f"/api/v1/namespaces/{ns}/tables/squares/data",
                           params={"from": f"volumes/{name}/objects/data/squares.csv"}), 201)
    assert api.rows(f"SELECT sum(v)::BIGINT FROM {ns}.squares") == [[328350]]
    expect_status(api.sql(f"SELECT * FROM {ns}.squares WHERE id < 10", export={"volume": name, "key": "out/small.parquet"}), 201)
    preview = api.get(obj(name, "out/small.parquet"), params={"preview": "1"}).json()
    assert preview["kind"] == "table" and len(preview["rows"]) == 10
    url = expect_status(api.post(f"/api/v1/volumes/{name}/presign", json={"key": "data/squares.csv"}), 200).json()["url"]
    assert bucket in url and requests.get(url, timeout=30).content == csv
    expect_status(api.delete(f"/api/v1/volumes/{name}", params={"force": "true"}), 204)


def write_behind_the_index(server, key: str, data: bytes):
    """Writes straight to the server's object store, as another tool would."""
    if server.s3_prefix:
        bucket, _, prefix = server.s3_prefix.removeprefix("s3://").partition("/")
        _s3_client().put_object(Bucket=bucket, Key=prefix + key, Body=data)
    else:
        path = server.data_dir / "objects" / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_reconcile_through_the_api_and_the_cli(start_server, tmp_path):
    server = start_server()
    api = server.api
    expect_status(api.post("/api/v1/volumes", json={"name": "landing"}), 201)
    put(api, "landing", "known.txt", b"known")
    for i in range(3):
        write_behind_the_index(server, f"volumes/landing/drop/{i}.csv", b"a\n1\n")
    dry = expect_status(api.post("/api/v1/volumes/landing/reconcile", json={"dry_run": True}), 200).json()
    assert (dry["operation"], dry["dry_run"], dry["added"], dry["unchanged"]) == ("reconcile", True, 3, 1)
    assert keys_of(api, "landing") == ["known.txt"]

    base = ["maintenance", "--data-dir", str(server.data_dir), *server.backend_flags]
    result = run_ducklake([*base, "reconcile", "--volume", "landing"], cwd=tmp_path, env=server.env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["removed"], report["unchanged"]) == (3, 0, 1)
    assert keys_of(api, "landing") == ["drop/0.csv", "drop/1.csv", "drop/2.csv", "known.txt"]
    assert api.get(obj("landing", "drop/1.csv")).headers["Content-Type"] == "text/csv"
    again = expect_status(api.post("/api/v1/volumes/landing/reconcile"), 200).json()
    assert (again["added"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 4)
    for bad in (["reconcile"], ["reconcile", "--volume", "missing"], ["reconcile", "--volume", "Bad/Name"]):
        result = run_ducklake([*base, *bad], cwd=tmp_path, env=server.env)
        assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1, (bad, result.stderr)
