"""POST /api/v1/query: result formats, writes, snapshots, timeouts, limits and file pruning."""

import csv
import datetime
import io
import json
import subprocess
import time

import pytest

from httpsupport import (
    REPO_ROOT, SLOW_SELECT, assert_problem, column_types, expect_status, metric_value, parse_metrics, poll_until,
    table_files, table_state, unique_name,
)

ARROW_READER = REPO_ROOT / "tests" / "arrow_reader" / "read.mjs"

# Rows of different types, and how each result format renders them.
TYPED_SELECT = ("SELECT * FROM (SELECT CAST(1 AS BIGINT) AS id, 'a' AS name, CAST(1.5 AS DECIMAL(18,2)) AS amount, "
                "['x', 'y'] AS tags, {'a': 1, 'b': 'z'} AS p, DATE '2024-02-29' AS d, true AS f "
                "UNION ALL SELECT 2, NULL, NULL, [], NULL, NULL, NULL) ORDER BY id")
TYPED_NAMES = ["id", "name", "amount", "tags", "p", "d", "f"]


def read_arrow(payload: bytes, tmp_path) -> dict:
    """Decodes an Arrow IPC stream with the independent apache-arrow reader (tests/arrow_reader)."""
    assert ARROW_READER.is_file(), f"{ARROW_READER} is missing: the Arrow reader is needed to check arrow results"
    path = tmp_path / f"{unique_name('result')}.arrow"
    path.write_bytes(payload)
    done = subprocess.run(["node", str(ARROW_READER), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"read.mjs failed: {done.stderr}"
    return json.loads(done.stdout)


def queries_running(api) -> float:
    return metric_value(parse_metrics(expect_status(api.get("/metrics"), 200).text), "ducklake_queries_running")


# --- result formats ------------------------------------------------------------------------------


def test_json_result_shape(api):
    response = expect_status(api.sql("SELECT 1 AS a, 'x' AS b, NULL AS c"), 200)
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"columns", "rows"}
    assert [column["name"] for column in body["columns"]] == ["a", "b", "c"]
    assert all(isinstance(column["type"], str) and column["type"] for column in body["columns"])
    assert body["rows"] == [[1, "x", None]]


def test_json_result_is_streamed_chunked(api):
    response = expect_status(api.sql("SELECT range AS i FROM range(100000)"), 200)
    assert response.headers.get("Transfer-Encoding") == "chunked"
    rows = response.json()["rows"]
    assert len(rows) == 100000 and rows[0] == [0] and rows[-1] == [99999]


def test_json_renders_nested_and_decimal_values(api):
    body = api.query(TYPED_SELECT)
    assert [column["name"] for column in body["columns"]] == TYPED_NAMES
    first, second = body["rows"]
    assert first[0] == 1 and first[1] == "a" and first[3] == ["x", "y"] and first[4] == {"a": 1, "b": "z"}
    assert float(first[2]) == 1.5 and first[5] == "2024-02-29" and first[6] is True
    assert second == [2, None, None, [], None, None, None]


def test_empty_result_keeps_its_columns(api):
    body = api.query("SELECT range AS i FROM range(0)")
    assert [column["name"] for column in body["columns"]] == ["i"] and body["rows"] == []


def test_ndjson_result_is_one_object_per_line(api):
    response = expect_status(api.sql("SELECT range AS i, 'v' || range AS v FROM range(3)", format="ndjson"), 200)
    assert response.headers["Content-Type"].startswith("application/x-ndjson")
    lines = response.text.splitlines()
    assert [json.loads(line) for line in lines] == [{"i": i, "v": f"v{i}"} for i in range(3)]


def test_csv_result_has_a_header(api):
    response = expect_status(api.sql("SELECT range AS i, 'v,' || range AS v FROM range(3)", format="csv"), 200)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(response.text))) == [["i", "v"]] + [[str(i), f"v,{i}"] for i in range(3)]


def test_parquet_result_is_a_parquet_file(api, ns):
    response = expect_status(api.sql("SELECT range AS i FROM range(10)", format="parquet"), 200)
    assert response.headers["Content-Type"].startswith("application/vnd.apache.parquet")
    assert response.content[:4] == b"PAR1" and response.content[-4:] == b"PAR1"
    # The file reads back: uploaded as a table, it holds the same rows.
    api.upload(ns, "back", response.content, fmt="parquet")
    assert api.rows(f"SELECT i FROM {ns}.back ORDER BY i") == [[i] for i in range(10)]


def test_arrow_result_decodes_with_apache_arrow(api, tmp_path):
    response = expect_status(api.sql(TYPED_SELECT, format="arrow"), 200)
    assert response.headers["Content-Type"].startswith("application/vnd.apache.arrow.stream")
    decoded = read_arrow(response.content, tmp_path)
    assert [field["name"] for field in decoded["schema"]["fields"]] == TYPED_NAMES
    assert [field["type"] for field in decoded["schema"]["fields"]][:3] == ["Int64", "Utf8", "Decimal[18e+2]"]
    assert decoded["rows"] == [
        ["1", "a", "1.50", ["x", "y"], {"a": 1, "b": "z"}, "2024-02-29", True],
        ["2", None, None, [], None, None, None],
    ]
    assert decoded["endsWithEndOfStreamMarker"] is True


def test_arrow_result_of_many_batches_is_complete(api, tmp_path):
    response = expect_status(api.sql("SELECT range AS i FROM range(100000)", format="arrow"), 200)
    decoded = read_arrow(response.content, tmp_path)
    assert sum(decoded["batchRowCounts"]) == 100000
    assert decoded["columns"][0]["values"] == [str(i) for i in range(100000)]
    assert decoded["endsWithEndOfStreamMarker"] is True


# --- request fields ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"sql": "SELECT 1", "limit": "x"},
        {"sql": 5},
        {"sql": "SELECT 1", "limit": -1},
        {"sql": "SELECT 1", "limit": 1.5},
        {"sql": "SELECT 1", "unknown": True},
        {"sql": "SELECT 1", "format": "xml"},
        {"sql": "SELECT 1", "format": 1},
        {"sql": "SELECT 1", "timeout_ms": "soon"},
        {"sql": "SELECT 1", "snapshot": "latest"},
        {},
        {"sql": ""},
    ],
    ids=["limit-string", "sql-number", "limit-negative", "limit-float", "unknown-field", "unknown-format",
         "format-number", "timeout-string", "snapshot-string", "no-sql", "empty-sql"],
)
def test_bad_query_request_is_400(api, body):
    assert_problem(api.post("/api/v1/query", json=body), 400)


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT no_such_column FROM range(1)", "SELECT 1 +"])
def test_invalid_sql_is_400(api, sql):
    assert_problem(api.sql(sql), 400)


def test_limit_caps_rows(api):
    assert api.rows("SELECT range AS i FROM range(100)", limit=7) == [[i] for i in range(7)]
    assert api.rows("SELECT range AS i FROM range(3)", limit=50) == [[0], [1], [2]]
    assert api.query("SELECT range AS i FROM range(3)", limit=0)["rows"] == []


def test_limit_applies_to_every_format(api):
    response = expect_status(api.sql("SELECT range AS i FROM range(100)", format="csv", limit=3), 200)
    assert response.text.splitlines() == ["i", "0", "1", "2"]
    response = expect_status(api.sql("SELECT range AS i FROM range(100)", format="ndjson", limit=2), 200)
    assert response.text.splitlines() == ['{"i":0}', '{"i":1}']


# Queries over lake tables whose result can be larger than a table (grouping sets, joins, unions)
# or cannot be bounded from the catalog (range, UNNEST). A cap the result cannot reach is left out of
# the query for csv, ndjson and parquet; these check that a cap it can reach is still kept.
CAPPED_QUERIES = [
    "SELECT * FROM {ns}.a",
    "SELECT * FROM {ns}.a WHERE i % 2 = 0 ORDER BY i DESC",
    "SELECT g, i, count(*) FROM {ns}.a GROUP BY GROUPING SETS ((g), (i), (g, i), ())",
    "SELECT x.*, y.g AS h FROM {ns}.a x JOIN {ns}.b y ON x.g = y.g",
    "SELECT x.*, y.g AS h FROM {ns}.a x LEFT JOIN (SELECT * FROM {ns}.b WHERE false) y ON x.g = y.g",
    "SELECT x.*, y.g AS h FROM {ns}.a x, {ns}.b y",
    "SELECT i FROM {ns}.a UNION ALL SELECT g FROM {ns}.b UNION ALL SELECT 7",
    "SELECT * FROM {ns}.a WHERE i IN (SELECT g FROM {ns}.b)",
    "SELECT unnest([i, i, i]) FROM {ns}.a",
    "SELECT * FROM {ns}.a, range(3)",
    "SELECT * FROM (SELECT * FROM {ns}.a LIMIT 5) UNION ALL VALUES (1, 2), (3, 4)",
]


def test_the_row_cap_holds_for_every_plan_shape_in_copied_formats(api, ns):
    api.write(f"CREATE TABLE {ns}.a AS SELECT range AS i, range % 3 AS g FROM range(40)")
    api.write(f"CREATE TABLE {ns}.b AS SELECT range AS g FROM range(4)")
    api.write(f"INSERT INTO {ns}.b VALUES (1)")  # kept in the catalog: a table of a file and kept rows
    for template in CAPPED_QUERIES:
        sql = template.format(ns=ns)
        total = len(api.rows(sql))  # the json writer counts rows as it sends them: the reference
        for limit in sorted({0, 1, total - 1, total, total + 1} - {-1}):
            for fmt in ("csv", "ndjson"):
                text = expect_status(api.sql(sql, format=fmt, limit=limit), 200).text
                lines = len(text.splitlines()) - (1 if fmt == "csv" else 0)
                assert lines == min(limit, total), f"{fmt}, limit {limit}: {sql}"



@pytest.mark.parametrize("tail", [";", " ;;\n", " -- last", "; -- last", " /* c */ ;"])
@pytest.mark.parametrize("fmt", ["json", "csv", "ndjson", "parquet", "arrow"])
def test_a_statement_may_end_in_semicolons_and_comments_in_every_format(api, ns, fmt, tail):
    expect_status(api.sql(f"CREATE TABLE {ns}.t AS SELECT range AS i FROM range(3)" + tail), 200)
    expect_status(api.sql(f"INSERT INTO {ns}.t SELECT 3" + tail), 200)
    response = expect_status(api.sql(f"SELECT i FROM {ns}.t ORDER BY i" + tail, format=fmt, limit=10), 200)
    if fmt == "csv":
        assert response.text.splitlines() == ["i", "0", "1", "2", "3"]
    elif fmt == "json":
        assert response.json()["rows"] == [[0], [1], [2], [3]]
    elif fmt == "ndjson":
        assert response.text.splitlines() == ['{"i":0}', '{"i":1}', '{"i":2}', '{"i":3}']
    assert api.rows(f"SELECT count(*) FROM {ns}.t" + tail) == [[4]]


# --- lake tables and writes ----------------------------------------------------------------------


def test_lake_tables_are_read_as_namespace_dot_table(api, ns):
    api.upload(ns, "t", "id,name\n1,a\n2,b\n")
    assert api.rows(f"SELECT name FROM {ns}.t WHERE id = 2") == [["b"]]
    assert api.rows(f"SELECT count(*) FROM {ns}.t a JOIN {ns}.t b ON a.id = b.id") == [[2]]


def test_create_table_statement(api, ns):
    result = api.write(f"CREATE TABLE {ns}.t (a INTEGER, b VARCHAR)")
    assert result["rows_written"] == 0 and isinstance(result["snapshot_id"], int)
    described = api.describe(ns, "t")
    assert column_types(described) == [("a", "int32"), ("b", "varchar")]
    assert described["created_snapshot"] == result["snapshot_id"]


def test_create_table_keeps_column_defaults_and_refuses_what_a_lake_table_cannot_hold(api, ns):
    api.write(f"CREATE TABLE {ns}.t (id BIGINT, amount DECIMAL(10,2) DEFAULT 1.5, region VARCHAR DEFAULT 'eu')")
    api.write(f"INSERT INTO {ns}.t (id) VALUES (1)")
    assert api.rows(f"SELECT id, amount, region FROM {ns}.t") == [[1, "1.50", "eu"]]
    for sql in (f"CREATE TABLE {ns}.g (a INTEGER, b INTEGER GENERATED ALWAYS AS (a + 1))",
                f"CREATE TABLE {ns}.g (a INTEGER DEFAULT random())",
                f"CREATE TABLE {ns}.g (a INTEGER DEFAULT 'abc')"):
        assert_problem(api.sql(sql), 400)
    expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/g"), 404)


def test_create_table_as_select(api, ns):
    result = api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, 'n' || range AS name FROM range(5)")
    assert result["rows_written"] == 5
    described = api.describe(ns, "t")
    assert column_types(described) == [("id", "int64"), ("name", "varchar")]
    assert described["row_count"] == 5
    assert api.rows(f"SELECT id, name FROM {ns}.t ORDER BY id") == [[i, f"n{i}"] for i in range(5)]


def test_insert_select_appends(api, ns):
    created = api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(3)")
    result = api.write(f"INSERT INTO {ns}.t SELECT range + 10 FROM range(2)")
    assert result["rows_written"] == 2 and result["snapshot_id"] > created["snapshot_id"]
    assert api.rows(f"SELECT id FROM {ns}.t ORDER BY id") == [[0], [1], [2], [10], [11]]


def test_insert_values_with_column_list(api, ns):
    api.create_table(ns, "t", [("a", "INTEGER"), ("b", "VARCHAR"), ("c", "DOUBLE")])
    assert api.write(f"INSERT INTO {ns}.t (b, a) VALUES ('x', 1), ('y', 2)")["rows_written"] == 2
    assert api.rows(f"SELECT a, b, c FROM {ns}.t ORDER BY a") == [[1, "x", None], [2, "y", None]]


def test_write_result_uses_the_requested_format(api, ns):
    api.create_table(ns, "t", [("a", "INTEGER")])
    response = expect_status(api.sql(f"INSERT INTO {ns}.t VALUES (1), (2)", format="ndjson"), 200)
    [line] = [json.loads(line) for line in response.text.splitlines()]
    assert set(line) == {"rows_written", "snapshot_id"} and line["rows_written"] == 2


def test_create_table_as_over_existing_table_is_409(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    assert_problem(api.sql(f"CREATE TABLE {ns}.t AS SELECT 2 AS id"), 409)
    assert api.rows(f"SELECT id FROM {ns}.t") == [[1]]


@pytest.mark.parametrize("statement, status", [
    ("SELECT * FROM {ns}.missing", 404),
    ("SELECT * FROM no_such_namespace.t", 404),
    ("SELECT count(*) FROM {ns}.t JOIN {ns}.missing USING (id)", 404),
    ("SELECT no_such_function(1)", 400),
    ("SELECT 1::no_such_type", 400),
], ids=["table", "namespace", "joined-table", "function", "type"])
def test_a_read_of_a_missing_table_is_404_and_other_unknown_names_400(api, ns, statement, status):
    api.sql(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    problem = assert_problem(api.sql(statement.format(ns=ns)), status)
    assert "does not exist" in problem["detail"]


def test_insert_into_missing_table_is_404(api, ns):
    assert_problem(api.sql(f"INSERT INTO {ns}.nope SELECT 1"), 404)


@pytest.mark.parametrize("insert", ["INSERT INTO {t} SELECT 'abc'", "INSERT INTO {t} (id) VALUES ('abc')",
                                    "INSERT INTO {t} SELECT 'x' || range FROM range(100000)"])
def test_insert_with_mismatched_type_is_400_and_writes_nothing(api, server, ns, insert):
    api.create_table(ns, "t", [("id", "BIGINT")])
    api.write(f"INSERT INTO {ns}.t VALUES (1)")
    before = table_state(api, server, ns, "t")
    assert_problem(api.sql(insert.format(t=f"{ns}.t")), 400)
    assert table_state(api, server, ns, "t") == before
    assert api.rows(f"SELECT id FROM {ns}.t") == [[1]]


# --- snapshots -----------------------------------------------------------------------------------


def test_snapshot_reads_the_table_as_of_then(api, ns):
    created = api.write(f"CREATE TABLE {ns}.t (id BIGINT)")["snapshot_id"]
    first = api.write(f"INSERT INTO {ns}.t SELECT range FROM range(3)")["snapshot_id"]
    second = api.write(f"INSERT INTO {ns}.t SELECT range FROM range(3, 5)")["snapshot_id"]
    api.upload(ns, "t", "id\n100\n", mode="overwrite")
    assert created < first < second

    def ids(**fields):
        return [row[0] for row in api.rows(f"SELECT id FROM {ns}.t ORDER BY id", **fields)]

    assert ids(snapshot=created) == []
    assert ids(snapshot=first) == [0, 1, 2]
    assert ids(snapshot=second) == [0, 1, 2, 3, 4]
    assert ids() == [100]


def test_snapshot_still_reads_a_dropped_table(api, ns):
    written = api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(4)")["snapshot_id"]
    expect_status(api.delete(f"/api/v1/namespaces/{ns}/tables/t"), 204)
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=written) == [[4]]


def test_unknown_snapshot_is_404(api):
    assert_problem(api.sql("SELECT 1", snapshot=10**12), 404)


# --- timeouts ------------------------------------------------------------------------------------


def test_query_past_its_timeout_is_504_and_stops(api):
    started = time.monotonic()
    assert_problem(api.sql(SLOW_SELECT, timeout_ms=300), 504)
    assert time.monotonic() - started < 30, "the timeout was not enforced promptly"
    poll_until(lambda: queries_running(api) == 0, 30, "the timed-out query to stop running")


@pytest.mark.parametrize("kind", ["create-table-as", "insert"])
def test_timed_out_write_leaves_nothing(api, server, ns, kind):
    api.create_table(ns, "t", [("h", "BIGINT")])
    before = table_state(api, server, ns, "t")
    if kind == "create-table-as":
        sql = f"CREATE TABLE {ns}.slow AS {SLOW_SELECT}"
    else:
        sql = f"INSERT INTO {ns}.t {SLOW_SELECT}"
    assert_problem(api.sql(sql, timeout_ms=300), 504)
    assert not api.table_exists(ns, "slow")
    assert table_state(api, server, ns, "t") == before
    assert table_files(server, ns, "slow") == []


# --- pruning by statistics -------------------------------------------------------------------------

PRUNED_IDS = range(400)  # four files of 100 ids each
FIRST_DAY = datetime.date(2024, 1, 1)  # row i has d = FIRST_DAY + i days and x = i / 2

FILTERS = {
    "id = 150": lambda i: i == 150,
    "id = 199": lambda i: i == 199,
    "id = 200": lambda i: i == 200,
    "id > 350": lambda i: i > 350,
    "id >= 100 AND id < 105": lambda i: 100 <= i < 105,
    "id <= 0": lambda i: i <= 0,
    "id < 0": lambda i: i < 0,
    "id = 1000": lambda i: i == 1000,
    "id BETWEEN 95 AND 305": lambda i: 95 <= i <= 305,
    "id = 42 OR id = 342": lambda i: i in (42, 342),
    "id IN (7, 107, 399)": lambda i: i in (7, 107, 399),
    "v = 'v250'": lambda i: i == 250,
    "d = DATE '2024-04-10'": lambda i: FIRST_DAY + datetime.timedelta(days=i) == datetime.date(2024, 4, 10),
    "d >= DATE '2024-12-01'": lambda i: FIRST_DAY + datetime.timedelta(days=i) >= datetime.date(2024, 12, 1),
    "x < 50.5": lambda i: i / 2 < 50.5,
    "x = 175.5": lambda i: i / 2 == 175.5,
}


@pytest.fixture
def four_file_table(api, ns):
    api.write(f"CREATE TABLE {ns}.t (id BIGINT, v VARCHAR, d DATE, x DOUBLE)")
    for start in (200, 0, 300, 100):  # out of order: files do not follow id order
        api.write(f"INSERT INTO {ns}.t SELECT range, 'v' || range, DATE '{FIRST_DAY}' + CAST(range AS INTEGER), "
                  f"range / 2 FROM range({start}, {start + 100})")
    assert api.describe(ns, "t")["file_count"] == 4
    return f"{ns}.t"


@pytest.mark.parametrize("where", FILTERS)
def test_filters_are_correct_when_files_are_pruned(api, four_file_table, where):
    rows = api.rows(f"SELECT id, v FROM {four_file_table} WHERE {where} ORDER BY id")
    assert rows == [[i, f"v{i}"] for i in PRUNED_IDS if FILTERS[where](i)]


@pytest.mark.parametrize("fmt", ["json", "arrow", "csv", "parquet"])
def test_files_that_statistics_rule_out_are_not_read(api, ns, fmt):
    # Two tables of four small files each, never read before: a point query opens only the file
    # whose statistics admit the id; a full scan opens all four. (json and arrow are bound once and
    # bound again with the pruned files; the others are planned first.)
    for table in ("point", "full"):
        api.write(f"CREATE TABLE {ns}.{table} (id BIGINT, v VARCHAR)")
        for start in (200, 0, 300, 100):
            api.write(f"INSERT INTO {ns}.{table} SELECT range, 'v' || range FROM range({start}, {start + 100})")

    def reads(sql):
        before = metric_value(parse_metrics(expect_status(api.get("/metrics"), 200).text),
                              "ducklake_object_store_get_requests_total")
        expect_status(api.sql(sql, format=fmt), 200)
        return metric_value(parse_metrics(expect_status(api.get("/metrics"), 200).text),
                            "ducklake_object_store_get_requests_total") - before

    point, full = reads(f"SELECT * FROM {ns}.point WHERE id = 150"), reads(f"SELECT * FROM {ns}.full")
    assert 0 < point < full and full >= 4, (point, full)


def test_new_tables_in_a_mixed_case_namespace_are_written_where_the_catalog_expects(api):
    # Names match case-insensitively; the files must still land under the namespace's stored path.
    ns = unique_name("Mixed")
    api.create_namespace(ns)
    api.write(f"CREATE TABLE {ns.lower()}.ctas AS SELECT 1 AS x")
    api.upload(ns.lower(), "uploaded", "a\n1\n")
    assert api.rows(f"SELECT x FROM {ns}.ctas") == [[1]]
    assert api.rows(f"SELECT a FROM {ns.upper()}.uploaded") == [[1]]


def test_pruning_reads_statistics_of_the_filtered_column_not_of_the_projected_one(api, ns):
    # Three files with disjoint id ranges; v runs the other way. The filtered column (id) is not the
    # first projected one (v): pruning must judge files by id's statistics.
    api.write(f"CREATE TABLE {ns}.t (id BIGINT, v BIGINT)")
    for start in (0, 10, 20):
        api.write(f"INSERT INTO {ns}.t SELECT range, 100 - range FROM range({start}, {start + 10})")
    assert api.rows(f"SELECT v FROM {ns}.t WHERE id = 15") == [[85]]
    assert api.rows(f"SELECT v, id FROM {ns}.t WHERE id >= 28 ORDER BY v") == [[71, 29], [72, 28]]
    assert api.rows(f"SELECT count(*) FROM {ns}.t WHERE v = 95 AND id = 5") == [[1]]
