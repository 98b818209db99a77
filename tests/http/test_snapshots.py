"""Snapshots: the lake's history, a table's history, and reading as of a time."""

from datetime import datetime, timedelta, timezone

from httpsupport import assert_problem, expect_status


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_lake_snapshots_are_listed_newest_first_with_pages(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id", message="first load")
    page = expect_status(api.get("/api/v1/snapshots", params={"limit": 2}), 200).json()
    assert len(page["snapshots"]) == 2
    newest, older = page["snapshots"]
    assert newest["snapshot_id"] > older["snapshot_id"]
    assert newest["message"] == "first load" and newest["author"] == "anonymous"
    assert newest["time"].endswith("Z") and "T" in newest["time"]
    assert f'"{ns}"."t"' in newest["changes"]
    following = expect_status(api.get("/api/v1/snapshots", params={"limit": 2, "before": page["next_before"]}), 200)
    assert all(s["snapshot_id"] < older["snapshot_id"] for s in following.json()["snapshots"])
    assert_problem(api.get("/api/v1/snapshots", params={"limit": 0}), 400)
    assert_problem(api.get("/api/v1/snapshots", params={"before": "x"}), 400)


def test_the_ducklake_extensions_table_functions_answer_as_the_api(api, ns):
    first = api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(5)", message="load")["snapshot_id"]
    api.write(f"DELETE FROM {ns}.t WHERE id = 1", count="rows_deleted")
    api.write(f"UPDATE {ns}.t SET id = 10 WHERE id = 2", count="rows_updated")
    listed = expect_status(api.get("/api/v1/snapshots", params={"limit": 1000}), 200).json()["snapshots"]
    # The lake's name is whatever the caller's DuckDB attached it as: a server has one lake.
    rows = api.query("SELECT snapshot_id, strftime(snapshot_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS time, "
                     "schema_version, changes, author, commit_message, commit_extra_info "
                     "FROM ducklake_snapshots('lake') ORDER BY snapshot_id DESC")
    assert [c["type"] for c in rows["columns"]] == ["BIGINT", "VARCHAR", "BIGINT", "MAP(VARCHAR, VARCHAR[])", "VARCHAR",
                                                    "VARCHAR", "VARCHAR"]
    assert [r[:3] + r[4:6] for r in rows["rows"]] == [
        [s["snapshot_id"], s["time"], s["schema_version"], s["author"], s["message"]] for s in listed]
    table = api.describe(ns, "t")
    table_id = api.rows(f"SELECT table_id FROM ducklake_table_info('lake') WHERE table_uuid = '{table['uuid']}'")[0][0]
    changes = {r[0]: r[3] for r in rows["rows"]}
    assert changes[first] == [{"key": "tables_created", "value": [f"{ns}.t"]},
                              {"key": "tables_inserted_into", "value": [str(table_id)]}]
    assert all(r[6] is None for r in rows["rows"]), "commit_extra_info is the committer's"
    info = api.query("SELECT * FROM ducklake_table_info('lake')")
    assert [(c["name"], c["type"]) for c in info["columns"]] == [
        ("table_name", "VARCHAR"), ("schema_id", "BIGINT"), ("table_id", "BIGINT"), ("table_uuid", "UUID"),
        ("file_count", "BIGINT"), ("file_size_bytes", "BIGINT"), ("delete_file_count", "BIGINT"),
        ("delete_file_size_bytes", "BIGINT")]
    row = next(r for r in info["rows"] if r[2] == table_id)
    # One file: the UPDATE's new row is kept in the catalog (data inlining), not in a file.
    assert row[3] == table["uuid"] and row[4] == table["file_count"] == 1 and row[5] == table["size_bytes"]
    assert row[6] == 1 and row[7] > 0, "the first file's delete file"
    # As of a snapshot, the functions see the lake as it was.
    assert expect_status(api.sql("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')", snapshot=first), 200) \
        .json()["rows"] == [[first]]
    assert_problem(api.sql("SELECT * FROM ducklake_snapshots()"), 400)
    assert_problem(api.sql("SELECT * FROM ducklake_table_info(42)"), 400)


def test_table_history_names_operations_and_row_counts(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(5)")
    api.write(f"INSERT INTO {ns}.t SELECT range FROM range(3)")
    api.upload(ns, "t", "id\n7\n8\n", mode="overwrite")
    expect_status(api.patch(f"/api/v1/namespaces/{ns}/tables/t", json={"name": "t2"}), 200)
    history = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t2/snapshots"), 200).json()["snapshots"]
    summary = [(s["operation"], s["rows_added"], s["rows_deleted"]) for s in history]
    assert summary == [("rename", 0, 0), ("overwrite", 2, 8), ("insert", 3, 0), ("create", 5, 0)]
    assert [s["snapshot_id"] for s in history] == sorted((s["snapshot_id"] for s in history), reverse=True)
    assert api.describe(ns, "t2")["created_snapshot"] == history[-1]["snapshot_id"]
    assert_problem(api.get(f"/api/v1/namespaces/{ns}/tables/nope/snapshots"), 404)


def test_as_of_reads_the_lake_as_it_was(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    first = api.describe(ns, "t")["snapshot_id"]
    between = iso(datetime.now(timezone.utc))
    api.write(f"INSERT INTO {ns}.t VALUES (2)")
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[2]]
    assert api.rows(f"SELECT count(*) FROM {ns}.t", as_of=between) == [[1]]
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=first) == [[1]]
    # The same instant written with a +02:00 offset.
    now_plus_two = datetime.now(timezone.utc).astimezone(timezone(timedelta(hours=2)))
    assert api.rows(f"SELECT count(*) FROM {ns}.t", as_of=now_plus_two.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+02:00") == [[2]]


def test_bad_as_of_is_400(api, ns):
    future = iso(datetime.now(timezone.utc) + timedelta(days=1))
    for as_of in (future, "2000-01-01T00:00:00Z", "yesterday", "2026-11-25 10:00:00", "2026-11-25T10:00:00",
                  "2026-11-25T10:00:00+25:00"):
        assert_problem(api.sql("SELECT 1", as_of=as_of), 400)
    assert_problem(api.sql("SELECT 1", as_of=5), 400)
    assert_problem(api.sql("SELECT 1", as_of=iso(datetime.now(timezone.utc)), snapshot=1), 400)
    assert_problem(api.sql("SELECT 1", snapshot=10**12), 404)


def test_a_query_says_which_snapshot_it_read(api, ns):
    first = api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")["snapshot_id"]
    latest = api.write(f"INSERT INTO {ns}.t VALUES (2)")["snapshot_id"]
    for fmt in ("json", "csv", "parquet", "arrow", "ndjson"):
        response = expect_status(api.sql(f"SELECT * FROM {ns}.t", format=fmt), 200)
        assert response.headers["X-DuckLake-Snapshot"] == str(latest), fmt
    between = iso(datetime.now(timezone.utc))
    assert expect_status(api.sql("SELECT 1", snapshot=first), 200).headers["X-DuckLake-Snapshot"] == str(first)
    assert expect_status(api.sql("SELECT 1", as_of=between), 200).headers["X-DuckLake-Snapshot"] == str(latest)
    # Read again at the snapshot it named, a query gives the same answer after later writes.
    pinned = int(expect_status(api.sql(f"SELECT count(*) FROM {ns}.t"), 200).headers["X-DuckLake-Snapshot"])
    api.write(f"INSERT INTO {ns}.t VALUES (3)")
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=pinned) == [[2]]
    # A write's result carries its snapshot in its row instead.
    assert "X-DuckLake-Snapshot" not in expect_status(api.sql(f"INSERT INTO {ns}.t VALUES (4)"), 200).headers
