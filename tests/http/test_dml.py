"""DELETE and UPDATE through SQL: positional delete files, one snapshot per statement, nothing on failure."""

from httpsupport import assert_problem, expect_status, table_files, table_state


def test_delete_writes_a_delete_file_and_hides_the_rows(api, server, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, range * 10 AS v FROM range(10)")
    data_files = table_files(server, ns, "t")
    result = api.write(f"DELETE FROM {ns}.t WHERE id % 3 = 0", count="rows_deleted")
    assert result["rows_deleted"] == 4
    assert api.rows(f"SELECT id FROM {ns}.t ORDER BY id") == [[1], [2], [4], [5], [7], [8]]
    files = table_files(server, ns, "t")
    # The data file stays as it was; one delete file lists the positions.
    assert set(data_files) < set(files)
    assert len([name for name in files if name.endswith("-delete.parquet")]) == 1
    describe = api.describe(ns, "t")
    assert describe["row_count"] == 6
    assert api.history(ns, "t")[-1] == ("delete", 0, 4)
    # The snapshot before the delete still has every row.
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=result["snapshot_id"] - 1) == [[10]]


def test_deletes_accumulate_and_each_is_its_own_snapshot(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(100)")
    first = api.write(f"DELETE FROM {ns}.t WHERE id < 10", count="rows_deleted")
    second = api.write(f"DELETE FROM {ns}.t AS x WHERE x.id >= 90 OR x.id < 20", count="rows_deleted")
    assert (first["rows_deleted"], second["rows_deleted"]) == (10, 20)
    assert second["snapshot_id"] == first["snapshot_id"] + 1
    assert api.rows(f"SELECT count(*), min(id), max(id) FROM {ns}.t") == [[70, 20, 89]]
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=first["snapshot_id"]) == [[90]]


def test_delete_without_where_empties_the_table_and_a_miss_makes_no_snapshot(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(5)")
    before = api.latest_snapshot()
    miss = api.write(f"DELETE FROM {ns}.t WHERE id > 100", count="rows_deleted")
    assert miss == {"rows_deleted": 0, "snapshot_id": before}
    assert api.latest_snapshot() == before
    assert api.write(f"DELETE FROM {ns}.t", count="rows_deleted")["rows_deleted"] == 5
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[0]]
    api.write(f"INSERT INTO {ns}.t VALUES (42)")
    assert api.rows(f"SELECT id FROM {ns}.t") == [[42]]


def test_delete_with_a_subquery_over_another_table(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(10)")
    api.write(f"CREATE TABLE {ns}.gone AS SELECT * FROM (VALUES (2), (3), (11)) v(id)")
    result = api.write(f"DELETE FROM {ns}.t WHERE id IN (SELECT id FROM {ns}.gone)", count="rows_deleted")
    assert result["rows_deleted"] == 2
    assert api.rows(f"SELECT count(*) FROM {ns}.t WHERE id IN (2, 3)") == [[0]]


def test_update_is_delete_plus_insert_in_one_snapshot(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, 'old' AS label FROM range(6)")
    before = api.latest_snapshot()
    result = api.write(f"UPDATE {ns}.t SET label = 'new-' || id WHERE id >= 4", count="rows_updated")
    assert result == {"rows_updated": 2, "snapshot_id": before + 1}
    assert api.rows(f"SELECT id, label FROM {ns}.t ORDER BY id") == [
        [0, "old"], [1, "old"], [2, "old"], [3, "old"], [4, "new-4"], [5, "new-5"]]
    assert api.history(ns, "t")[-1] == ("update", 2, 2)
    assert api.rows(f"SELECT count(*) FROM {ns}.t WHERE label = 'old'", snapshot=before) == [[6]]


def test_update_every_row_and_update_twice(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, range AS v FROM range(1000)")
    api.write(f"UPDATE {ns}.t SET v = v + 1", count="rows_updated")
    api.write(f"UPDATE {ns}.t SET v = v * 2 WHERE id < 10", count="rows_updated")
    assert api.rows(f"SELECT count(*), CAST(sum(v) AS BIGINT) FROM {ns}.t") == [
        [1000, sum(range(1, 1001)) + sum(range(1, 11))]]


def test_failed_dml_changes_nothing(api, server, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, 'x' || range AS label FROM range(10)")
    state = table_state(api, server, ns, "t")
    latest = api.latest_snapshot()
    cases = [
        (f"UPDATE {ns}.t SET id = CAST(label AS BIGINT)", 400),  # fails while the new rows are written
        (f"UPDATE {ns}.t SET nope = 1", 400),
        (f"UPDATE {ns}.t SET id = 1, id = 2", 400),
        (f"DELETE FROM {ns}.t WHERE nope = 1", 400),
        (f"DELETE FROM {ns}.t WHERE CAST(label AS BIGINT) > 1", 400),
        (f"DELETE FROM {ns}.missing", 404),
        (f"DELETE FROM {ns}.t USING {ns}.t AS u WHERE u.nope = 1", 400),
        (f"DELETE FROM {ns}.t RETURNING id", 400),
        (f"UPDATE {ns}.t SET id = 1 RETURNING id", 400),
        ("DELETE FROM t", 400),
    ]
    for sql, status in cases:
        assert_problem(api.sql(sql), status)
    assert table_state(api, server, ns, "t") == state
    assert api.latest_snapshot() == latest


def test_dml_cannot_target_an_old_snapshot(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    assert_problem(api.sql(f"DELETE FROM {ns}.t", snapshot=api.latest_snapshot()), 400)


def test_hidden_position_columns_are_not_exposed(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    assert_problem(api.sql(f"SELECT __ducklake_file FROM {ns}.t"), 400)
    assert api.query(f"SELECT * FROM {ns}.t")["columns"] == [{"name": "id", "type": "INTEGER"}]


def test_time_travel_in_sql(api, ns):
    created = api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(3)")["snapshot_id"]
    api.write(f"DELETE FROM {ns}.t WHERE id = 0", count="rows_deleted")
    api.write(f"INSERT INTO {ns}.t VALUES (7)")
    assert api.rows(f"SELECT count(*) FROM {ns}.t AT (VERSION => {created})") == [[3]]
    # Two versions of one table in one query, each with its own alias.
    rows = api.rows(f"SELECT o.id FROM {ns}.t AS o AT (VERSION => {created}) ANTI JOIN {ns}.t n ON o.id = n.id")
    assert rows == [[0]]
    assert api.rows(f"SELECT t.id FROM {ns}.t AT (VERSION => {created}) ORDER BY t.id") == [[0], [1], [2]]
    # In a subquery, and by timestamp.
    snapshots = expect_status(api.get("/api/v1/snapshots", params={"limit": 50}), 200).json()["snapshots"]
    created_time = next(s["time"] for s in snapshots if s["snapshot_id"] == created)
    assert api.rows(f"SELECT (SELECT count(*) FROM {ns}.t AT (TIMESTAMP => TIMESTAMPTZ '{created_time}'))") == [[3]]
    assert_problem(api.sql(f"SELECT * FROM {ns}.t AT (VERSION => 999999999)"), 404)
    # A version from before the table: said so, with the table's name, not an internal one.
    before = assert_problem(api.sql(f"SELECT * FROM {ns}.t AT (VERSION => {created - 1})"), 404)
    assert before["detail"] == f"table '{ns}.t' does not exist at VERSION => {created - 1}", before
    assert_problem(api.sql(f"SELECT * FROM {ns}.t AT (TIMESTAMP => TIMESTAMPTZ '2999-01-01 00:00:00+00')"), 400)
    assert_problem(api.sql(f"SELECT * FROM {ns}.t AT (TIMESTAMP => TIMESTAMPTZ '2000-01-01 00:00:00+00')"), 400)
    assert_problem(api.sql(f"SELECT * FROM {ns}.t AT (VERSION => 'abc')"), 400)
    assert_problem(api.sql(f"SELECT * FROM {ns}.t AT (LSN => 3)"), 400)
    # Versioned references cannot read files or bypass the sandbox.
    assert_problem(api.sql(f"SELECT * FROM {ns}.t AT (VERSION => (SELECT count(*) FROM read_csv('/etc/passwd')))"),
                   403)


def test_dml_runs_inside_the_sandbox(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(3)")
    latest = api.latest_snapshot()
    for sql in (f"DELETE FROM {ns}.t WHERE id IN (SELECT 1 FROM read_csv('/etc/passwd'))",
                f"UPDATE {ns}.t SET id = (SELECT count(*) FROM read_text('/etc/hostname'))",
                f"UPDATE {ns}.t SET id = 1 WHERE id IN (SELECT id FROM read_parquet('/tmp/x.parquet'))"):
        assert_problem(api.sql(sql), 403)
    assert api.latest_snapshot() == latest
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[3]]


def test_a_table_read_at_two_versions_sharing_files(api, ns):
    created = api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(3)")["snapshot_id"]
    api.write(f"INSERT INTO {ns}.t VALUES (10)")
    # The older version's files are a subset of the newer one's, whichever is bound first.
    assert api.rows(f"SELECT * FROM {ns}.t EXCEPT SELECT * FROM {ns}.t AT (VERSION => {created})") == [[10]]
    assert api.rows(f"SELECT count(*) FROM {ns}.t AT (VERSION => {created}), {ns}.t") == [[12]]
    api.write(f"DELETE FROM {ns}.t WHERE id = 1", count="rows_deleted")
    api.write(f"DELETE FROM {ns}.t WHERE id = 2", count="rows_deleted")
    rows = api.rows(f"SELECT id FROM {ns}.t AT (VERSION => {created + 2}) EXCEPT SELECT id FROM {ns}.t")
    assert rows == [[2]]


def test_columns_named_like_the_readers_own(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, 'f' || range AS filename FROM range(4)")
    api.write(f"DELETE FROM {ns}.t WHERE id = 0", count="rows_deleted")
    api.write(f"UPDATE {ns}.t SET filename = 'changed' WHERE id = 1", count="rows_updated")
    assert api.rows(f"SELECT id, filename FROM {ns}.t ORDER BY id") == [[1, "changed"], [2, "f2"], [3, "f3"]]
    for name in ("file_row_number", "__ducklake_file", "__DUCKLAKE_POS"):
        assert_problem(api.sql(f"CREATE TABLE {ns}.bad AS SELECT 1 AS {name}"), 400)
        assert_problem(api.sql(f"ALTER TABLE {ns}.t ADD COLUMN {name} INTEGER"), 400)


def test_a_volatile_condition_is_evaluated_once(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, 0 AS hits FROM range(2000)")
    for _ in range(3):
        updated = api.write(f"UPDATE {ns}.t SET hits = hits + 1 WHERE random() < 0.5", count="rows_updated")
        # The rows deleted are exactly the rows re-inserted: none lost, none doubled.
        assert api.rows(f"SELECT count(*), count(DISTINCT id) FROM {ns}.t") == [[2000, 2000]]
        assert 0 < updated["rows_updated"] < 2000
    deleted = api.write(f"DELETE FROM {ns}.t WHERE random() < 0.5", count="rows_deleted")["rows_deleted"]
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[2000 - deleted]]
