"""Limits set by flags: JSON body size, upload size, result rows, default query timeout."""

import time

import pytest

from httpsupport import (
    SLOW_SELECT, assert_problem, expect_status, query_body_of_size, serving, table_files, unique_name,
)

MAX_BODY_BYTES = 256
MAX_UPLOAD_BYTES = 1000
MAX_RESULT_ROWS = 10


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    flags = ["--max-body-bytes", str(MAX_BODY_BYTES), "--max-upload-bytes", str(MAX_UPLOAD_BYTES),
             "--max-result-rows", str(MAX_RESULT_ROWS), "--query-timeout-ms", "500"]
    with serving(tmp_path_factory.mktemp("limited-server"), *flags, name="limited server") as server:
        yield server


def csv_of_size(size: int) -> bytes:
    """A valid two-column CSV of exactly `size` bytes."""
    header, row = b"id,name\n", b"1,abcdefgh\n"
    body = header + row * ((size - len(header) - 3) // len(row))
    body += b"2," + b"x" * (size - len(body) - 3) + b"\n"
    assert len(body) == size
    return body


def test_json_body_at_max_body_bytes_is_accepted(limited):
    expect_status(limited.api.post("/api/v1/query", data=query_body_of_size(MAX_BODY_BYTES)), 200)


@pytest.mark.parametrize("size", [MAX_BODY_BYTES + 1, MAX_UPLOAD_BYTES + 1], ids=["just-over", "over-upload-limit-too"])
def test_json_body_over_max_body_bytes_is_413(limited, size):
    assert_problem(limited.api.post("/api/v1/query", data=query_body_of_size(size)), 413)


def test_upload_limit_is_max_upload_bytes_not_max_body_bytes(limited):
    api = limited.api
    ns = unique_name("ns")
    api.create_namespace(ns)
    body = csv_of_size(MAX_UPLOAD_BYTES)  # far over MAX_BODY_BYTES
    expect_status(api.upload_request(ns, "fits", body), 201)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_upload_over_max_upload_bytes_is_413_and_creates_nothing(limited, chunked):
    api = limited.api
    ns = unique_name("ns")
    api.create_namespace(ns)
    body = csv_of_size(MAX_UPLOAD_BYTES + 1)
    response = api.upload_request(ns, "big", iter([body[:500], body[500:]]) if chunked else body)
    assert_problem(response, 413)
    assert not api.table_exists(ns, "big")
    assert table_files(limited, ns, "big") == []


def test_results_are_capped_at_max_result_rows(limited):
    api = limited.api
    assert len(api.rows("SELECT * FROM range(100)")) == MAX_RESULT_ROWS
    assert len(api.rows("SELECT * FROM range(100)", limit=50)) == MAX_RESULT_ROWS
    assert len(api.rows("SELECT * FROM range(100)", limit=3)) == 3


def test_query_timeout_flag_is_the_default_timeout(limited):
    started = time.monotonic()
    assert_problem(limited.api.sql(SLOW_SELECT), 504)
    assert time.monotonic() - started < 30
