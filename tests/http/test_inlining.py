"""Data inlining: writes of a few rows are kept in the catalog, read like any, and flushed to Parquet."""

import json
import sqlite3

from httpsupport import ServerProcess, assert_problem, run_ducklake, table_files


def snapshot_answers(api, ns, table, first, last):
    """Every snapshot's rows of the table, and the change feed over them."""
    answers = {s: api.rows(f"SELECT * FROM {ns}.{table} ORDER BY ALL", snapshot=s) for s in range(first, last + 1)}
    return answers, sorted(api.changes(ns, table, **{"from": first - 1, "to": last}), key=repr)


def test_small_writes_are_kept_in_the_catalog_and_read_as_any(api, server, ns):
    api.create_table(ns, "t", [("id", "BIGINT"), ("label", "VARCHAR"), ("score", "DOUBLE")])
    first = api.write(f"INSERT INTO {ns}.t VALUES (1, 'a', 0.5), (2, 'b', '-0.0'::DOUBLE), (3, NULL, 'nan')")["snapshot_id"]
    api.write(f"INSERT INTO {ns}.t SELECT range, 'r' || range, range / 3 FROM range(10, 20)")  # ten rows: kept
    assert table_files(server, ns, "t") == [], "no Parquet file for writes of ten rows or fewer"
    api.write(f"UPDATE {ns}.t SET label = 'B' WHERE id = 2", count="rows_updated")
    api.write(f"DELETE FROM {ns}.t WHERE id >= 15", count="rows_deleted")
    last = api.write(f"INSERT INTO {ns}.t VALUES (4, 'd', 4.25)")["snapshot_id"]
    assert table_files(server, ns, "t") == []
    assert api.describe(ns, "t")["row_count"] == 9
    assert api.rows(f"SELECT id, label, CAST(score AS VARCHAR) FROM {ns}.t WHERE id < 10 ORDER BY id") == [
        [1, "a", "0.5"], [2, "B", "-0.0"], [3, None, "nan"], [4, "d", "4.25"]]
    assert api.rows(f"SELECT count(*) FROM {ns}.t AT (VERSION => {first})") == [[3]]
    assert api.history(ns, "t") == [("create", 0, 0), ("insert", 3, 0), ("insert", 10, 0), ("update", 1, 1),
                                    ("delete", 0, 5), ("insert", 1, 0)]
    changes = api.changes(ns, "t", **{"from": first - 1})
    assert [first, "insert", 1, "a", 0.5] in changes
    assert sum(1 for row in changes if row[1] == "update_postimage") == 1
    assert sum(1 for row in changes if row[1] == "delete") == 5
    # The extension's table functions see the same rows.
    assert api.rows(f"SELECT count(*) FROM ducklake_table_changes('lake', '{ns}', 't', {first}, {last}) "
                    "WHERE change_type = 'insert'") == [[14]]

    # A flush writes them out to one file; every snapshot reads as it did, the feed says the same.
    before = snapshot_answers(api, ns, "t", first, last)
    assert api.maintain("flush", namespace=ns, table="t", dry_run=True) == {
        "operation": "flush", "dry_run": True, "flushed_rows": 9,
        "tables": [{"namespace": ns, "table": "t", "rows": 9, "snapshot_id": None}]}
    assert table_files(server, ns, "t") == []
    report = api.maintain("flush", namespace=ns, table="t")
    assert report["flushed_rows"] == 9 and report["tables"][0]["snapshot_id"] == last + 1
    assert len(table_files(server, ns, "t")) == 1
    assert snapshot_answers(api, ns, "t", first, last) == before
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[9]]
    assert api.changes(ns, "t", **{"from": last}) == []
    assert api.history(ns, "t")[-1] == ("flush", 0, 0)
    assert api.maintain("flush", namespace=ns, table="t")["tables"] == []
    # Flushed rows are rows of a file like any other.
    api.write(f"DELETE FROM {ns}.t WHERE id = 1", count="rows_deleted")
    api.write(f"UPDATE {ns}.t SET score = 1 WHERE id = 3", count="rows_updated")
    assert api.rows(f"SELECT id, score FROM {ns}.t WHERE id < 5 ORDER BY id") == [[2, -0.0], [3, 1.0], [4, 4.25]]
    assert snapshot_answers(api, ns, "t", first, last) == before


def test_eleven_rows_make_a_file_and_a_transaction_sees_its_own_kept_rows(api, server, ns):
    api.create_table(ns, "t", [("id", "BIGINT")])
    api.write(f"INSERT INTO {ns}.t SELECT range FROM range(11)")
    assert len(table_files(server, ns, "t")) == 1
    response = api.transaction([f"INSERT INTO {ns}.t VALUES (100), (101)",
                                f"UPDATE {ns}.t SET id = id + 1000 WHERE id >= 100",
                                f"DELETE FROM {ns}.t WHERE id = 1101",
                                f"ALTER TABLE {ns}.t ADD COLUMN note VARCHAR DEFAULT 'n'",
                                f"INSERT INTO {ns}.t VALUES (7, 'x')"])
    assert response.status_code == 200, response.text
    assert len(table_files(server, ns, "t")) == 1
    assert api.rows(f"SELECT id, note FROM {ns}.t WHERE id > 10 OR note = 'x' ORDER BY id") == [
        [7, "x"], [1100, "n"]]


def test_the_row_limit_is_configurable_and_flush_refuses_bad_input(start_server, tmp_path):
    server = start_server("--data-inlining-row-limit", "0")
    api = server.api
    api.create_namespace("z")
    api.write("CREATE TABLE z.t (id BIGINT)")
    api.write("INSERT INTO z.t VALUES (1)")
    assert len(table_files(server, "z", "t")) == 1, "with a limit of 0 every write makes a file"
    assert api.maintain("flush")["flushed_rows"] == 0
    for body in ({"table": "t"}, {"namespace": "z", "table": 5}, {"namespace": "nope"}, {"dry_run": "yes"},
                 {"surprise": 1}):
        assert_problem(api.post("/api/v1/maintenance/flush", json=body), 404 if body == {"namespace": "nope"} else 400)
    for bad in ("-1", "1001", "ten"):
        result = run_ducklake(["serve", "--data-inlining-row-limit", bad, "--data-dir", str(tmp_path / "x")],
                              cwd=tmp_path)
        assert result.returncode != 0 and "data-inlining-row-limit" in result.stderr, result.stderr


def test_cli_flush_works_on_the_lake_directly(start_server, tmp_path):
    server = start_server()
    api = server.api
    api.create_namespace("c")
    api.write("CREATE TABLE c.t (id BIGINT)")
    for i in range(3):
        api.write(f"INSERT INTO c.t VALUES ({i})")
    base = ["maintenance", "--data-dir", str(server.data_dir), *server.backend_flags]
    result = run_ducklake([*base, "flush", "--namespace", "c", "--dry-run"], cwd=tmp_path, env=server.env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["flushed_rows"] == 3
    result = run_ducklake([*base, "flush", "--namespace", "c", "--table", "t"], cwd=tmp_path, env=server.env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tables"][0]["rows"] == 3
    assert len(table_files(server, "c", "t")) == 1
    assert api.rows("SELECT count(*) FROM c.t") == [[3]]
    result = run_ducklake([*base, "flush", "--table", "t"], cwd=tmp_path, env=server.env)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_flush_after_schema_changes_keeps_every_snapshot(start_server, tmp_path):
    server = start_server()
    api = server.api
    api.create_namespace("m")
    api.create_table("m", "s", [("id", "BIGINT"), ("a", "VARCHAR"), ("c", "INTEGER")])
    first = api.write("INSERT INTO m.s VALUES (1, 'x', 10), (2, 'y', 20)")["snapshot_id"]
    api.write("INSERT INTO m.s VALUES (3, 'z', 30)")
    api.write("DELETE FROM m.s WHERE id = 3", count="rows_deleted")  # ended: stays in the catalog
    api.write("ALTER TABLE m.s RENAME COLUMN a TO b")
    api.write("ALTER TABLE m.s DROP COLUMN c")
    last = api.write("ALTER TABLE m.s ADD COLUMN d INTEGER DEFAULT 7")["snapshot_id"]

    def answers(api):
        sizes = {s: api.rows("SELECT estimated_size FROM duckdb_tables() WHERE schema_name = 'm' AND "
                             "table_name = 's'", snapshot=s) for s in range(first, last + 1)}
        return snapshot_answers(api, "m", "s", first, last), sizes
    before = answers(api)
    assert before[0][0][first] == [[1, "x", 10], [2, "y", 20]]
    assert api.maintain("flush", namespace="m", table="s")["flushed_rows"] == 2
    assert len(table_files(server, "m", "s")) == 1
    # Read by a server that never saw the rows in the catalog (nothing cached): the renamed column
    # under its old name, the dropped one's values and the row counts, at every snapshot.
    server.stop_cleanly()
    reader = ServerProcess(tmp_path / "reader", server.args[1:], server.env, server.port, server.data_dir,
                           "reader", server.s3_prefix, server.backend_flags)
    try:
        reader.wait_healthy()
        assert answers(reader.api) == before
        assert reader.api.rows("SELECT * FROM m.s ORDER BY id") == [[1, "x", 7], [2, "y", 7]]
    finally:
        reader.stop_cleanly()


def test_a_dropped_table_ends_its_kept_rows(api, server, ns):
    api.create_table(ns, "gone", [("id", "BIGINT")])
    created = api.write(f"INSERT INTO {ns}.gone VALUES (1), (2)")["snapshot_id"]
    api.write(f"DROP TABLE {ns}.gone")
    assert api.rows(f"SELECT count(*) FROM {ns}.gone", snapshot=created) == [[2]]
    catalog = server.data_dir / "metadata.sqlite"
    if catalog.exists():  # the embedded lake: its catalog can be read directly
        database = sqlite3.connect(catalog)
        try:
            live = 0
            for (name,) in database.execute("SELECT table_name FROM ducklake_inlined_data_tables WHERE table_id = "
                                            "(SELECT max(table_id) FROM ducklake_table WHERE table_name = 'gone')"):
                live += database.execute(f"SELECT count(*) FROM {name} WHERE end_snapshot IS NULL").fetchone()[0]
            assert live == 0, "a dropped table's rows end with it, so expiry purges them"
        finally:
            database.close()
