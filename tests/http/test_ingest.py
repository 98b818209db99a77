"""POST /api/v1/namespaces/{ns}/tables/{table}/data: uploads of CSV, JSON, NDJSON and Parquet."""

import re
import socket
import time
from urllib.parse import urlsplit

import pytest

from httpsupport import (assert_problem, column_types, expect_status, metric_value, parse_metrics, poll_until, table_files,
                         table_state, unique_name)

# The same two rows in each text format, with the Content-Type that names the format.
UPLOADS = {
    "csv": ("text/csv", b"id,name\n1,a\n2,b\n"),
    "ndjson": ("application/x-ndjson", b'{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n'),
    "json": ("application/json", b'[{"id":1,"name":"a"},{"id":2,"name":"b"}]'),
}
UPLOADED_ROWS = [[1, "a"], [2, "b"]]


def assert_created(response, rows_written):
    body = expect_status(response, 201).json()
    assert set(body) == {"rows_written", "snapshot_id", "created_table"}, body
    assert body["rows_written"] == rows_written and body["created_table"] is True
    assert isinstance(body["snapshot_id"], int)
    return body


@pytest.mark.parametrize("fmt", UPLOADS)
def test_upload_creates_table_with_inferred_schema(api, ns, fmt):
    _, body = UPLOADS[fmt]
    assert_created(api.upload_request(ns, "t", body, fmt=fmt), 2)
    described = api.describe(ns, "t")
    assert column_types(described) == [("id", "int64"), ("name", "varchar")]
    assert described["row_count"] == 2
    assert api.rows(f"SELECT id, name FROM {ns}.t ORDER BY id") == UPLOADED_ROWS


@pytest.mark.parametrize("fmt", UPLOADS)
def test_content_type_gives_the_upload_format(api, ns, fmt):
    content_type, body = UPLOADS[fmt]
    assert_created(api.upload_request(ns, "t", body, fmt=None, headers={"Content-Type": content_type}), 2)
    assert api.rows(f"SELECT id, name FROM {ns}.t ORDER BY id") == UPLOADED_ROWS


def test_append_to_existing_table_returns_200(api, ns):
    first = assert_created(api.upload_request(ns, "t", "id,name\n1,a\n"), 1)
    response = expect_status(api.upload_request(ns, "t", "id,name\n2,b\n3,c\n"), 200)
    body = response.json()
    assert body["rows_written"] == 2 and body["created_table"] is False
    assert body["snapshot_id"] > first["snapshot_id"]
    assert api.describe(ns, "t")["row_count"] == 3
    assert api.rows(f"SELECT id, name FROM {ns}.t ORDER BY id") == [[1, "a"], [2, "b"], [3, "c"]]


def test_append_matches_columns_by_name_and_casts_to_table_types(api, ns):
    api.create_table(ns, "t", [("id", "BIGINT"), ("amount", "DECIMAL(18,2)"), ("note", "VARCHAR")])
    expect_status(api.upload_request(ns, "t", "amount,id\n1.5,1\n"), 200)
    assert column_types(api.describe(ns, "t")) == [("id", "int64"), ("amount", "decimal(18,2)"), ("note", "varchar")]
    assert api.rows(f"SELECT id, CAST(amount AS VARCHAR), note FROM {ns}.t") == [[1, "1.50", None]]


def test_overwrite_replaces_all_rows(api, ns):
    api.upload(ns, "t", "id\n1\n2\n")
    api.upload(ns, "t", "id\n3\n")
    body = expect_status(api.upload_request(ns, "t", "id\n9\n", mode="overwrite"), 200).json()
    assert body["rows_written"] == 1 and body["created_table"] is False
    assert api.describe(ns, "t")["row_count"] == 1
    assert api.rows(f"SELECT id FROM {ns}.t") == [[9]]


def test_overwrite_of_missing_table_creates_it(api, ns):
    assert_created(api.upload_request(ns, "t", "id\n5\n", mode="overwrite"), 1)
    assert api.rows(f"SELECT id FROM {ns}.t") == [[5]]


@pytest.mark.parametrize("good_rows", [1, 5000], ids=["bad-line-3", "bad-line-5002"])
def test_csv_value_that_does_not_fit_is_400_and_changes_nothing(api, server, ns, good_rows):
    api.create_table(ns, "t", [("id", "BIGINT"), ("name", "VARCHAR")])
    api.upload(ns, "t", "id,name\n1,a\n2,b\n")
    before = table_state(api, server, ns, "t")
    bad_line = good_rows + 2  # after the header and the good rows
    body = "id,name\n" + "".join(f"{i},n{i}\n" for i in range(good_rows)) + "abc,x\n7,y\n"

    detail = assert_problem(api.upload_request(ns, "t", body), 400)["detail"]

    assert re.search(rf"\bline\D{{0,3}}{bad_line}\b", detail, re.I), f"detail does not name line {bad_line}: {detail}"
    assert re.search(r'\bcolumn\W{1,3}id\b', detail, re.I), f"detail does not name column id: {detail}"
    assert table_state(api, server, ns, "t") == before
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[2]]


def test_failed_upload_to_new_table_creates_nothing(api, server, ns):
    # Inferred as BIGINT from the sample, then a later value does not fit.
    body = "id\n" + "".join(f"{i}\n" for i in range(30000)) + "not-a-number\n"
    response = api.upload_request(ns, "t", body)
    assert_problem(response, 400)
    assert not api.table_exists(ns, "t")
    assert table_files(server, ns, "t") == []


@pytest.mark.parametrize(
    "params, body, headers, status",
    [
        ({"format": "xml"}, b"id\n1\n", {}, 400),
        ({"format": "csv", "mode": "upsert"}, b"id\n1\n", {}, 400),
        ({"format": "csv"}, b"", {}, 400),
        ({}, b"id\n1\n", {"Content-Type": "application/octet-stream"}, 400),
        ({"format": "parquet"}, b"id\n1\n", {}, 400),
        ({"format": "json"}, b"{not json", {}, 400),
    ],
    ids=["unknown-format", "bad-mode", "empty-body", "no-format", "csv-as-parquet", "broken-json"],
)
def test_bad_upload_is_rejected_and_creates_no_table(api, server, ns, params, body, headers, status):
    response = api.post(f"/api/v1/namespaces/{ns}/tables/t/data", params=params, data=body, headers=headers)
    assert_problem(response, status)
    assert not api.table_exists(ns, "t")
    assert table_files(server, ns, "t") == []


def test_upload_to_missing_namespace_is_404(api):
    assert_problem(api.upload_request(unique_name("missing"), "t", "id\n1\n"), 404)


def test_upload_with_invalid_table_name_is_400(api, ns):
    assert_problem(api.upload_request(ns, "bad-name", "id\n1\n"), 400)
    assert expect_status(api.get(f"/api/v1/namespaces/{ns}/tables"), 200).json() == {"tables": []}


def test_large_csv_streamed_in_chunks(api, ns):
    rows = 200_000
    sent = {"bytes": 0}

    def csv_chunks():
        yield b"id,name,amount\n"
        for start in range(0, rows, 10_000):
            chunk = "".join(f"{i},name_{i},{i % 1000}.{i % 100:02d}\n" for i in range(start, start + 10_000)).encode()
            sent["bytes"] += len(chunk)
            yield chunk

    response = api.upload_request(ns, "big", csv_chunks())
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert_created(response, rows)
    assert sent["bytes"] > 4 << 20
    assert api.rows(f"SELECT count(*), CAST(sum(id) AS BIGINT), count(DISTINCT name), max(amount) FROM {ns}.big") == [
        [rows, rows * (rows - 1) // 2, rows, 999.99]
    ]
    assert api.describe(ns, "big")["row_count"] == rows


def test_parquet_result_reuploads_into_an_equal_table(api, ns):
    api.write(f"CREATE TABLE {ns}.src AS SELECT range AS id, 'n' || range AS name, range * 1.5 AS x, "
              f"[range, range + 1] AS l, {{'a': range, 'b': 'v' || range}} AS s, "
              f"DATE '2024-01-01' + CAST(range AS INTEGER) AS d, CAST(range AS DECIMAL(18,2)) / 4 AS m "
              f"FROM range(1000)")
    response = expect_status(api.sql(f"SELECT * FROM {ns}.src", format="parquet"), 200)
    assert response.headers["Content-Type"].startswith("application/vnd.apache.parquet")
    parquet = response.content
    assert parquet[:4] == b"PAR1" and parquet[-4:] == b"PAR1"

    assert_created(api.upload_request(ns, "copy", parquet, fmt="parquet"), 1000)

    assert column_types(api.describe(ns, "copy")) == column_types(api.describe(ns, "src"))
    assert api.query(f"SELECT * FROM {ns}.copy ORDER BY id") == api.query(f"SELECT * FROM {ns}.src ORDER BY id")


def test_parquet_content_type_appends(api, ns):
    api.upload(ns, "t", "id,name\n1,a\n")
    parquet = expect_status(api.sql("SELECT 2 AS id, 'b' AS name", format="parquet"), 200).content
    response = api.upload_request(ns, "t", parquet, fmt=None,
                                  headers={"Content-Type": "application/vnd.apache.parquet"})
    assert expect_status(response, 200).json()["created_table"] is False
    assert api.rows(f"SELECT id, name FROM {ns}.t ORDER BY id") == [[1, "a"], [2, "b"]]


# Uploads past the 4 MiB inference sample stream into the engine while they arrive.
STREAMED_ROWS = 400_000


def numbered_csv(rows: int, bad_at: int | None = None) -> bytes:
    lines = ["id,name"] + [f"{i},name_{i}" for i in range(rows)]
    if bad_at is not None:
        lines[bad_at] = "oops,bad"
    return ("\n".join(lines) + "\n").encode()


def test_streamed_csv_past_the_sample_keeps_every_row(api, ns):
    body = numbered_csv(STREAMED_ROWS)
    assert len(body) > 4 << 20
    assert_created(api.upload_request(ns, "t", body), STREAMED_ROWS)
    assert api.rows(f"SELECT count(*), count(DISTINCT id), CAST(sum(id) AS BIGINT) FROM {ns}.t") == [
        [STREAMED_ROWS, STREAMED_ROWS, STREAMED_ROWS * (STREAMED_ROWS - 1) // 2]
    ]


@pytest.mark.parametrize("existing", [True, False], ids=["existing-table", "new-table"])
def test_streamed_csv_with_a_bad_row_after_the_sample_changes_nothing(api, server, ns, existing):
    if existing:
        api.create_table(ns, "t", [("id", "BIGINT"), ("name", "VARCHAR")])
    before = table_state(api, server, ns, "t") if existing else None
    bad_line = STREAMED_ROWS - 5  # the header is line 1, so list index == line - 1 + 1
    detail = assert_problem(api.upload_request(ns, "t", numbered_csv(STREAMED_ROWS, bad_at=bad_line)), 400)["detail"]
    assert re.search(rf"\bline\D{{0,3}}{bad_line + 1}\b", detail, re.I), detail
    if existing:
        assert table_state(api, server, ns, "t") == before
    else:
        assert not api.table_exists(ns, "t")
        assert table_files(server, ns, "t") == []


def test_streamed_ndjson_past_the_sample(api, ns):
    rows = 150_000
    body = "".join(f'{{"id":{i},"name":"name_{i}","score":{i % 97}.5}}\n' for i in range(rows)).encode()
    assert len(body) > 4 << 20
    assert_created(api.upload_request(ns, "t", body, fmt="ndjson"), rows)
    assert api.rows(f"SELECT count(*), max(id), CAST(sum(score) AS BIGINT) FROM {ns}.t")[0][:2] == [rows, rows - 1]


def test_upload_cut_off_midway_leaves_nothing(api, server, ns):
    import socket
    from urllib.parse import urlparse

    body = numbered_csv(STREAMED_ROWS)
    url = urlparse(api.url(f"/api/v1/namespaces/{ns}/tables/t/data?format=csv"))
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        head = (f"POST {url.path}?{url.query} HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: text/csv\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        sock.sendall(head + body[: len(body) * 2 // 3])
        sock.shutdown(socket.SHUT_WR)
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass
    assert expect_status(api.get("/healthz"), 200)
    assert not api.table_exists(ns, "t")
    assert table_files(server, ns, "t") == []


def ingest(api, ns, table, body, **params):
    return api.post(f"/api/v1/namespaces/{ns}/tables/{table}/data", params={"format": "csv", **params}, data=body)


def test_a_csv_reads_as_duckdb_reads_it(api, ns):
    # No header: DuckDB's sniffer sees it, and names the columns column0, column1, ...
    assert_created(ingest(api, ns, "plain", b"123|TEST4|text1\n345|TEST5|text2\n"), 2)
    assert api.rows(f"SELECT * FROM {ns}.plain ORDER BY 1") == [[123, "TEST4", "text1"], [345, "TEST5", "text2"]]
    assert [c["name"] for c in api.describe(ns, "plain")["columns"]] == ["column0", "column1", "column2"]
    # Appended to the table, a header-less file fills its columns in order.
    expect_status(ingest(api, ns, "plain", b"7|x|y\n"), 200)
    assert api.rows(f"SELECT count(*) FROM {ns}.plain") == [[3]]
    # A header only: an empty table with those columns.
    assert_created(ingest(api, ns, "header_only", b"a,b,c\n"), 0)
    assert [c["name"] for c in api.describe(ns, "header_only")["columns"]] == ["a", "b", "c"]
    # A title line and a comment are skipped as DuckDB skips them; a BOM is not part of the first name.
    assert_created(ingest(api, ns, "bom", b"\xef\xbb\xbfid,v\n1,2\n"), 1)
    assert [c["name"] for c in api.describe(ns, "bom")["columns"]] == ["id", "v"]


def test_options_override_the_sniffer(api, ns):
    body = b"junk line\nid;when;v\n1;05.11.2026;NA\n2;31.12.2026;3\n"
    assert_created(ingest(api, ns, "t", body, skip=1, delimiter=";", dateformat="%d.%m.%Y", nullstr=["NA", "-"],
                          header="true"), 2)
    assert api.rows(f"SELECT id, CAST(\"when\" AS VARCHAR), v FROM {ns}.t ORDER BY id") == [
        [1, "2026-11-05", None], [2, "2026-12-31", 3]]
    assert_created(ingest(api, ns, "typed", b"1,x\n2,y\n", columns='{"n":"INTEGER","s":"VARCHAR"}'), 2)
    assert column_types(api.describe(ns, "typed")) == [("n", "int32"), ("s", "varchar")]
    for bad in ({"columns": "[1]"}, {"columns": '{"a":"NOT_A_TYPE"}'}, {"skip": "-1"}, {"header": "maybe"},
                {"delimiter": "toolong"}, {"format": "parquet", "header": "true"}):
        assert_problem(ingest(api, ns, "bad", b"a\n1\n", **bad), 400)
        assert not api.table_exists(ns, "bad")


def test_a_dry_run_shows_what_the_ingest_would_do_and_writes_nothing(api, ns):
    body = b"id;city\n1;Oslo\n2;Paris\n3;Rome\n"
    answer = expect_status(ingest(api, ns, "t", body, dry_run="true", limit=2), 200).json()
    assert answer["columns"] == [{"name": "id", "type": "BIGINT"}, {"name": "city", "type": "VARCHAR"}]
    assert answer["rows"] == [[1, "Oslo"], [2, "Paris"]]
    assert answer["dialect"]["delimiter"] == ";" and answer["dialect"]["header"] is True
    assert answer["table"]["exists"] is False and answer["table"]["match"] == "created"
    assert not api.table_exists(ns, "t")
    api.upload(ns, "t", body.replace(b";", b","))
    latest = lambda: expect_status(api.get("/api/v1/snapshots", params={"limit": 1}), 200).json()["snapshots"][0]
    before = latest()
    answer = expect_status(ingest(api, ns, "t", b"5|Bern\n", dry_run="1"), 200).json()
    assert answer["table"]["exists"] is True and answer["table"]["match"] == "position"
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[3]]
    assert latest() == before
    # What the ingest would refuse, the dry run refuses too.
    assert_problem(ingest(api, ns, "t", b"id,other\n1,2\n", dry_run="true"), 400)
    # A streamed upload (past the size staged at once) is dry-run from its start, its rest dropped.
    big = b"n,word\n" + b"".join(b"%d,w%d\n" % (i, i) for i in range(600000))
    answer = expect_status(ingest(api, ns, "big", big, dry_run="true", limit=1), 200).json()
    assert answer["rows"] == [[0, "w0"]] and answer["table"]["exists"] is False
    assert not api.table_exists(ns, "big")


def test_files_duckdb_refuses_are_refused_with_400(api, ns):
    for fmt, body in (("csv", b"a,b\n1,\xff\xfe\n"), ("ndjson", b'{"a":"\xff"}\n'), ("json", b'[{"a":1},{"a":')):
        assert_problem(ingest(api, ns, "t", body, format=fmt), 400)
        assert not api.table_exists(ns, "t")


def test_mode_create_makes_a_table_and_refuses_an_existing_one(api, ns):
    assert_created(api.upload_request(ns, "t", b"id\n1\n", fmt="csv", mode="create"), 1)
    before = api.latest_snapshot()
    problem = assert_problem(api.upload_request(ns, "t", b"id\n2\n", fmt="csv", mode="create"), 409)
    assert "already exists" in problem["detail"]
    # Refused before anything was written: no snapshot, the rows as they were; a dry run says so too.
    assert api.latest_snapshot() == before
    assert api.rows(f"SELECT id FROM {ns}.t") == [[1]]
    dry = api.request("POST", f"/api/v1/namespaces/{ns}/tables/t/data",
                      params={"format": "csv", "mode": "create", "dry_run": "true"}, data=b"id\n2\n")
    assert_problem(dry, 409)


def test_a_client_that_goes_away_stops_an_ingest_from_an_object(api, ns):
    volume = unique_name("v")
    expect_status(api.post("/api/v1/volumes", json={"name": volume}), 201)
    expect_status(api.post("/api/v1/query", json={
        "sql": "SELECT range AS id, md5(range::VARCHAR) AS h FROM range(3000000)", "format": "csv",
        "export": {"volume": volume, "key": "big.csv"}}), 201)
    before = api.latest_snapshot()

    def running():
        return metric_value(parse_metrics(expect_status(api.get("/metrics"), 200).text), "ducklake_queries_running")

    address = urlsplit(api.base_url)
    client = socket.create_connection((address.hostname, address.port))
    client.sendall(f"POST /api/v1/namespaces/{ns}/tables/t/data?from=volumes/{volume}/objects/big.csv HTTP/1.1\r\n"
                   f"Host: {address.netloc}\r\nContent-Length: 0\r\n\r\n".encode())
    poll_until(lambda: running() >= 1, 30, "the ingest to start")
    time.sleep(0.2)
    client.close()
    poll_until(lambda: running() == 0, 10, "the ingest to stop once its client went away")
    time.sleep(2)  # longer than the whole ingest takes: had it gone on, it would have committed by now
    assert not api.table_exists(ns, "t")
    assert api.latest_snapshot() == before
