"""Multi-statement transactions: POST /api/v1/query with "statements" commits all or nothing, as one snapshot."""

from httpsupport import assert_problem, expect_status, table_files, table_state


def test_statements_commit_as_one_snapshot_and_see_each_other(api, ns):
    before = api.latest_snapshot()
    response = api.transaction([
        f"CREATE TABLE {ns}.t (id BIGINT, label VARCHAR)",
        f"INSERT INTO {ns}.t SELECT range, 'new' FROM range(10)",
        f"DELETE FROM {ns}.t WHERE id >= 8",
        f"UPDATE {ns}.t SET label = 'changed' WHERE id < 2",
        f"ALTER TABLE {ns}.t ADD COLUMN score DOUBLE DEFAULT 0.5",
        f"CREATE TABLE {ns}.summary AS SELECT label, count(*) AS n FROM {ns}.t GROUP BY label",
    ], message="load in one go")
    body = expect_status(response, 200).json()
    assert body["snapshot_id"] == before + 1
    assert body["statements"] == [{"rows_written": 0}, {"rows_written": 10}, {"rows_deleted": 2},
                                  {"rows_updated": 2}, {"rows_written": 0}, {"rows_written": 2}]
    assert api.latest_snapshot() == before + 1
    assert api.rows(f"SELECT label, count(*), min(score) FROM {ns}.t GROUP BY label ORDER BY label") == [
        ["changed", 2, 0.5], ["new", 6, 0.5]]
    assert api.rows(f"SELECT label, n FROM {ns}.summary ORDER BY label") == [["changed", 2], ["new", 6]]
    snapshot = expect_status(api.get("/api/v1/snapshots", params={"limit": 1}), 200).json()["snapshots"][0]
    assert snapshot["message"] == "load in one go"


def test_a_failing_statement_rolls_back_everything_and_leaves_no_files(api, server, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(5)")
    state = table_state(api, server, ns, "t")
    before = api.latest_snapshot()
    response = api.transaction([
        f"INSERT INTO {ns}.t SELECT range FROM range(100, 200)",
        f"DELETE FROM {ns}.t WHERE id < 3",
        f"CREATE TABLE {ns}.fresh AS SELECT 1 AS x",
        f"INSERT INTO {ns}.t SELECT 'not a number'",
    ])
    problem = assert_problem(response, 400)
    assert problem["detail"].startswith("statement 4: ")
    assert table_state(api, server, ns, "t") == state
    assert api.latest_snapshot() == before
    assert not api.table_exists(ns, "fresh")
    assert table_files(server, ns, "fresh") == []


def test_later_statements_see_renames_and_drops(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    body = expect_status(api.transaction([
        f"ALTER TABLE {ns}.t RENAME TO u",
        f"INSERT INTO {ns}.u VALUES (2)",
        f"CREATE TABLE {ns}.t AS SELECT count(*) AS n FROM {ns}.u",
    ]), 200).json()
    assert [list(s.values())[0] for s in body["statements"]] == [0, 1, 1]
    assert api.rows(f"SELECT n FROM {ns}.t") == [[2]]
    assert_problem(api.transaction([f"DROP TABLE {ns}.u", f"SELECT * FROM {ns}.u"]), 400)
    assert_problem(api.transaction([f"DROP TABLE {ns}.u", f"INSERT INTO {ns}.u VALUES (3)"]), 404)
    assert api.rows(f"SELECT count(*) FROM {ns}.u") == [[2]]


def test_a_table_created_and_dropped_in_one_transaction_leaves_nothing(api, server, ns):
    expect_status(api.transaction([
        f"CREATE TABLE {ns}.tmp AS SELECT range AS id FROM range(10)",
        f"DROP TABLE {ns}.tmp",
    ]), 200)
    assert not api.table_exists(ns, "tmp")
    assert table_files(server, ns, "tmp") == []


def test_bad_transaction_requests_are_400(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    for body in ({"statements": []}, {"statements": "INSERT"}, {"statements": [1]},
                 {"statements": [f"INSERT INTO {ns}.t VALUES (1)"], "sql": "SELECT 1"},
                 {"statements": [f"INSERT INTO {ns}.t VALUES (1)"], "format": "csv"},
                 {"statements": [f"INSERT INTO {ns}.t VALUES (1)"], "snapshot": 1},
                 {"statements": [f"INSERT INTO {ns}.t VALUES (1)"], "timeout_ms": 0},
                 {"statements": [f"INSERT INTO {ns}.t VALUES (1); INSERT INTO {ns}.t VALUES (2)"]},
                 {"statements": ["COPY x TO 'y'"]}):
        response = api.post("/api/v1/query", json=body)
        assert response.status_code in (400, 403), (body, response.text)
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[1]]


def test_files_written_before_an_alter_of_the_same_transaction_read_with_the_new_columns(api, ns):
    api.write(f"CREATE TABLE {ns}.old AS SELECT 1 AS id, 'a' AS name")
    expect_status(api.transaction([
        f"INSERT INTO {ns}.old VALUES (2, 'b')",
        f"ALTER TABLE {ns}.old RENAME COLUMN name TO label",
        f"ALTER TABLE {ns}.old ALTER COLUMN id TYPE BIGINT",
        f"INSERT INTO {ns}.old VALUES (3, 'c')",
        f"CREATE TABLE {ns}.fresh AS SELECT 10 AS n",
        f"ALTER TABLE {ns}.fresh RENAME COLUMN n TO m",
        f"ALTER TABLE {ns}.fresh ADD COLUMN extra VARCHAR DEFAULT 'x'",
    ]), 200)
    assert api.rows(f"SELECT id, label FROM {ns}.old ORDER BY id") == [[1, "a"], [2, "b"], [3, "c"]]
    assert api.rows(f"SELECT m, extra FROM {ns}.fresh") == [[10, "x"]]


def test_replace_a_table_atomically_by_building_a_new_one_and_swapping_names(api, ns):
    api.write(f"CREATE TABLE {ns}.report AS SELECT 1 AS version")
    before = api.latest_snapshot()
    expect_status(api.transaction([
        f"CREATE TABLE {ns}.report_next AS SELECT 2 AS version, 'rebuilt' AS note",
        f"DROP TABLE {ns}.report",
        f"ALTER TABLE {ns}.report_next RENAME TO report",
    ]), 200)
    assert api.rows(f"SELECT version, note FROM {ns}.report") == [[2, "rebuilt"]]
    assert not api.table_exists(ns, "report_next")
    assert api.rows(f"SELECT version FROM {ns}.report", snapshot=before) == [[1]]
    # The other order works too: drop first, then give the name away.
    api.write(f"CREATE TABLE {ns}.x AS SELECT 'x' AS v")
    api.write(f"CREATE TABLE {ns}.y AS SELECT 'y' AS v")
    expect_status(api.transaction([f"INSERT INTO {ns}.x VALUES ('x2')", f"DROP TABLE {ns}.y",
                                   f"ALTER TABLE {ns}.x RENAME TO y"]), 200)
    assert api.rows(f"SELECT v FROM {ns}.y ORDER BY v") == [["x"], ["x2"]]
