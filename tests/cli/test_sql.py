"""`ducklake sql` and `ducklake ingest`: results compared with POST /api/v1/query and with tables
loaded through the REST API."""

from __future__ import annotations

import json
import re

from clisupport import csv_rows, expect_status

TEXTS = ["plain", "with space", "comma,inside", 'double "quote"', "it''s", "ünïcødé", "日本語", "emoji 🙂", "tab\there",
         "semi;colon", "-- not a comment", "/* nor this */"]


def random_table(api, ns: str, table: str, rng, rows: int = 60) -> None:
    """A table of random ints, doubles, texts (quotes, commas, unicode, ';'), dates, lists and NULLs."""
    api.write(f"CREATE TABLE {ns}.{table} (id BIGINT, n INTEGER, x DOUBLE, s VARCHAR, d DATE, l INTEGER[], b BOOLEAN)")
    values = []
    for i in range(rows):
        def maybe(text):
            return "NULL" if rng.random() < 0.1 else text
        values.append("(" + ", ".join([
            str(i), maybe(str(rng.randint(-2**31, 2**31 - 1))), maybe(repr(rng.uniform(-1e6, 1e6))),
            maybe("'" + rng.choice(TEXTS).replace("'", "''") + "'"),
            maybe(f"DATE '{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'"),
            maybe("[" + ", ".join(str(rng.randint(0, 9)) for _ in range(rng.randint(0, 3))) + "]"),
            maybe(rng.choice(["true", "false"]))]) + ")")
    api.write(f"INSERT INTO {ns}.{table} VALUES {', '.join(values)}")


def test_sql_results_in_every_text_format_equal_the_apis(cli, api, ns, rng):
    random_table(api, ns, "t", rng)
    sql = f"SELECT * FROM {ns}.t ORDER BY id"
    reference = api.query(sql)
    assert len(reference["rows"]) == 60
    assert cli.json("sql", sql, "--format", "json") == reference
    # Without --format, stdout not a terminal: CSV, as the API's.
    api_csv = expect_status(api.sql(sql, format="csv"), 200).content.decode()
    default = cli.ok("sql", sql)
    assert default.out == api_csv
    assert csv_rows(default.out)[0] == [c["name"] for c in reference["columns"]]
    ndjson = cli.ok("sql", sql, "--format", "ndjson").out
    assert ndjson == expect_status(api.sql(sql, format="ndjson"), 200).content.decode()
    assert [json.loads(line)["id"] for line in ndjson.splitlines()] == [row[0] for row in reference["rows"]]
    # --limit is the API's limit.
    assert cli.json("sql", sql, "--format", "json", "--limit", "7") == api.query(sql, limit=7)


def test_sql_table_output_for_scripts_has_exact_cells(cli, api, ns):
    api.write(f"CREATE TABLE {ns}.w AS SELECT range AS id, 'w' || range AS word, range * 1.5 AS x FROM range(20)")
    sql = f"SELECT * FROM {ns}.w ORDER BY id"
    reference = api.rows(sql)
    lines = cli.ok("sql", sql, "--format", "table", "--max-rows", "0").out.splitlines()
    assert lines[0].split() == ["id", "word", "x"]
    assert [line.split() for line in lines[1:]] == [[str(c) for c in row] for row in reference]
    # --max-rows N: the first and last N/2 rows, with a row of '…' between.
    lines = cli.ok("sql", sql, "--format", "table", "--max-rows", "6").out.splitlines()
    assert [line.split() for line in lines[1:]] == [[str(c) for c in row] for row in reference[:3]] + [["…"] * 3] + \
        [[str(c) for c in row] for row in reference[-3:]]
    nulls = cli.ok("sql", "SELECT NULL::INTEGER AS a, 'x' AS b", "--format", "table").out.splitlines()
    assert [line.split() for line in nulls] == [["a", "b"], ["NULL", "x"]]


def test_binary_results_equal_the_apis_for_the_same_snapshot(cli, api, ns, rng, tmp_path):
    random_table(api, ns, "t", rng, rows=500)
    sql = f"SELECT * FROM {ns}.t ORDER BY id"
    out = tmp_path / "result.parquet"
    run = cli.ok("sql", sql, "-o", out, "--timer")  # the format from the extension
    match = re.fullmatch(r"wrote .*result\.parquet \((\d+ B|[\d.]+ KiB)\) · \d+ ms · snapshot (\d+)\n", run.err)
    assert match, run.describe()
    snapshot = int(match.group(2))
    assert snapshot == api.latest_snapshot()
    reference = expect_status(api.sql(sql, format="parquet", snapshot=snapshot), 200).content
    assert out.read_bytes()[:4] == b"PAR1" and out.read_bytes() == reference
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client", "result.parquet"]  # no partial file left
    # A later write does not change what that snapshot reads.
    api.write(f"INSERT INTO {ns}.t (id) VALUES (1000)")
    cli.ok("sql", sql, "--snapshot", snapshot, "--format", "parquet", "-o", tmp_path / "again.bin")
    assert (tmp_path / "again.bin").read_bytes() == reference
    for name, fmt in (("r.json", "json"), ("r.ndjson", "ndjson"), ("r.csv", "csv"), ("r.arrow", "arrow")):
        cli.ok("sql", sql, "--snapshot", snapshot, "-o", tmp_path / name)
        assert (tmp_path / name).read_bytes() == expect_status(api.sql(sql, format=fmt, snapshot=snapshot), 200).content, name
    arrow = cli.ok("sql", sql, "--format", "arrow", binary=True).out
    assert arrow == expect_status(api.sql(sql, format="arrow"), 200).content and len(arrow) > 1000
    piped = cli.ok("sql", sql, "--format", "parquet", binary=True).out
    assert piped == expect_status(api.sql(sql, format="parquet"), 200).content


def test_snapshot_reads_the_past_as_the_api_does(cli, api, ns):
    api.write(f"CREATE TABLE {ns}.h AS SELECT range AS id FROM range(5)")
    before = api.latest_snapshot()
    write = csv_rows(cli.ok("sql", f"INSERT INTO {ns}.h SELECT range + 100 FROM range(3)").out)
    assert write == [["rows_written", "snapshot_id"], ["3", str(api.latest_snapshot())]]
    count = f"SELECT count(*) AS n FROM {ns}.h"
    assert cli.json("sql", count, "--snapshot", before, "--format", "json") == api.query(count, snapshot=before)
    assert api.rows(count, snapshot=before) == [[5]] and cli.json("sql", count, "--format", "json")["rows"] == [[8]]


def test_as_of_reads_the_snapshot_of_that_time(cli, api, ns):
    api.write(f"CREATE TABLE {ns}.a AS SELECT range AS id FROM range(4)")
    snapshot = api.latest_snapshot()
    at = expect_status(api.get("/api/v1/snapshots", params={"limit": 1}), 200).json()["snapshots"][0]["time"]
    api.write(f"INSERT INTO {ns}.a VALUES (99)")
    sql = f"SELECT count(*) AS n, max(id) AS top FROM {ns}.a"
    assert cli.json("sql", sql, "--as-of", at, "--format", "json") == api.query(sql, as_of=at) == api.query(sql, snapshot=snapshot)
    assert cli.json("sql", sql, "--as-of", at, "--format", "json")["rows"] == [[4, 3]]
    assert cli.json("sql", sql, "--format", "json")["rows"] == [[5, 99]]


def test_statements_from_a_file_stdin_and_an_argument_run_in_order(cli, api, ns, tmp_path):
    script = tmp_path / "job.sql"
    script.write_text(f"-- a comment; with a semicolon\nCREATE TABLE {ns}.f (id INTEGER, s VARCHAR);\n"
                      f"INSERT INTO {ns}.f VALUES (1, 'a;b'), (2, '/* x */');\n\n"
                      f"SELECT * FROM {ns}.f ORDER BY id;\n")
    run = cli.ok("sql", "-f", script)
    assert run.out == "rows_written,snapshot_id\n0,{0}\nrows_written,snapshot_id\n2,{1}\nid,s\n1,a;b\n2,/* x */\n".format(
        api.latest_snapshot() - 1, api.latest_snapshot())
    assert api.rows(f"SELECT * FROM {ns}.f ORDER BY id") == [[1, "a;b"], [2, "/* x */"]]
    piped = cli.ok("sql", input=f"SELECT count(*) AS c FROM {ns}.f;\nSELECT 'x;y' AS v")
    assert piped.out == "c\n2\nv\nx;y\n"
    dash = cli.ok("sql", "-", "--format", "ndjson", input=f"SELECT id FROM {ns}.f ORDER BY id")
    assert dash.out == '{"id":1}\n{"id":2}\n'
    assert cli.ok("sql", "SELECT 1 AS a; SELECT 2 AS b").out == "a\n1\nb\n2\n"


def test_several_statements_as_json_can_be_read_back(cli):
    out = cli.ok("sql", "SELECT 1 AS a; SELECT 2 AS b", "--format", "json").out
    # The results follow one another, each as the server wrote it (a row per line).
    decoder, documents, at = json.JSONDecoder(), [], 0
    while out[at:].strip():
        document, end = decoder.raw_decode(out, at + len(out[at:]) - len(out[at:].lstrip()))
        documents.append(document)
        at = end
    assert [d["rows"] for d in documents] == [[[1]], [[2]]]


def test_statements_the_server_takes_whole_are_not_cut_by_the_client(cli, api):
    for sql, value in (("SELECT $$a;b$$ AS s", "a;b"), ("SELECT $tag$x;y$tag$ AS s", "x;y"),
                       ("SELECT E'it\\';s' AS s", "it';s")):
        assert api.rows(sql) == [[value]], sql
        assert cli.json("sql", sql, "--format", "json") == api.query(sql), sql


def test_timer_reports_the_snapshot_read(cli, api):
    run = cli.ok("sql", "SELECT 42 AS answer", "--timer")
    assert run.out == "answer\n42\n"
    match = re.fullmatch(r"(\d+ ms|[\d.]+ s) · snapshot (\d+)\n", run.err)
    assert match and int(match.group(2)) == api.latest_snapshot(), run.describe()


# --- ingest ---------------------------------------------------------------------------------------


def random_csv(rng, rows: int) -> tuple[str, list[list]]:
    words = ["oslo", "paris", "são paulo", "zürich", "a,b", 'say "hi"', "日本"]
    data = [[i, rng.choice(words), round(rng.uniform(-1000, 1000), 3), rng.randint(0, 1) == 1] for i in range(rows)]

    def cell(value):
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"') else text
    return "id,city,amount,flag\n" + "".join(",".join(cell(v) for v in row) + "\n" for row in data), data


def test_ingest_of_a_local_file_equals_the_apis_upload(cli, api, ns, rng, tmp_path):
    text, data = random_csv(rng, 200)
    path = tmp_path / "orders.csv"
    path.write_text(text)
    run = cli.ok("ingest", path, f"{ns}.by_cli")
    assert run.out == f"created table, added 200 rows into {ns}.by_cli (snapshot {api.latest_snapshot()})\n"
    api.upload(ns, "by_api", text.encode())
    cli_table, api_table = api.describe(ns, "by_cli"), api.describe(ns, "by_api")
    assert cli_table["columns"] == api_table["columns"]
    assert [c["type"] for c in cli_table["columns"]] == ["int64", "varchar", "float64", "boolean"]
    rows = api.rows(f"SELECT * FROM {ns}.by_cli ORDER BY id")
    assert rows == api.rows(f"SELECT * FROM {ns}.by_api ORDER BY id")
    assert rows == data

    run = cli.ok("ingest", path, f"{ns}.by_cli", "--mode", "append")
    assert run.out.lstrip() == f"added 200 rows into {ns}.by_cli (snapshot {api.latest_snapshot()})\n"
    assert api.rows(f"SELECT count(*) FROM {ns}.by_cli") == [[400]]
    run = cli.ok("ingest", path, f"{ns}.by_cli", "--mode", "overwrite")
    assert api.rows(f"SELECT count(*) FROM {ns}.by_cli") == [[200]]
    assert [op for op, _, _ in api.history(ns, "by_cli")] == ["create", "insert", "overwrite"]


def test_ingest_into_an_existing_table_says_so_without_a_leading_space(cli, api, ns, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id\n1\n2\n3\n")
    cli.ok("ingest", path, f"{ns}.t")
    assert cli.ok("ingest", path, f"{ns}.t").out == f"added 3 rows into {ns}.t (snapshot {api.latest_snapshot()})\n"


def test_ingest_dry_run_writes_nothing(cli, api, ns, rng, tmp_path):
    text, _ = random_csv(rng, 30)
    path = tmp_path / "plan.csv"
    path.write_text(text)
    before = api.latest_snapshot()
    run = cli.ok("ingest", path, f"{ns}.planned", "--dry-run")
    lines = run.out.splitlines()
    assert lines[:2] == ["dry run: nothing was written", "the table would be created"]
    assert [line.split() for line in lines[2:]] == [["column", "type"], ["id", "int64"], ["city", "varchar"],
                                                    ["amount", "float64"], ["flag", "boolean"]]
    assert not api.table_exists(ns, "planned") and api.latest_snapshot() == before
    api.upload(ns, "planned", text.encode())
    again = cli.ok("ingest", path, f"{ns}.planned", "--dry-run").out
    assert "the table exists; rows would match its columns by name" in again
    assert api.rows(f"SELECT count(*) FROM {ns}.planned") == [[30]]


def test_ingest_from_a_volume_object_reads_it_on_the_server(cli, api, ns, volume, rng):
    text, data = random_csv(rng, 120)
    key = "drop zone/orders #1.csv"
    expect_status(api.request("PUT", f"/api/v1/volumes/{volume}/objects/drop%20zone/orders%20%231.csv",
                              data=text.encode()), 201)
    run = cli.ok("ingest", f"dl://{volume}/{key}", f"{ns}.from_object")
    assert "added 120 rows" in run.out
    assert api.rows(f"SELECT * FROM {ns}.from_object ORDER BY id") == data
    snapshot = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/from_object/snapshots"), 200).json()["snapshots"][0]
    assert snapshot["message"].startswith(f"ingest from volumes/{volume}/objects/{key}@")
    run = cli.ok("ingest", f"dl://{volume}/{key}", f"{ns}.from_object", "--mode", "append")
    assert run.out.lstrip() == f"added 120 rows into {ns}.from_object (snapshot {api.latest_snapshot()})\n"
    assert api.rows(f"SELECT count(*) FROM {ns}.from_object") == [[240]]
