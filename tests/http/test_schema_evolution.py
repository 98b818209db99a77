"""Schema evolution without rewriting data: files are read by column id, old snapshots keep their schema."""

from httpsupport import assert_problem, column_types, table_files, table_state


def test_add_rename_drop_and_widen_without_rewriting_files(api, server, ns):
    api.create_table(ns, "t", [("id", "INTEGER"), ("price", "FLOAT"), ("obsolete", "VARCHAR")])
    api.write(f"INSERT INTO {ns}.t VALUES (1, 1.5, 'a'), (2, 2.5, 'b')")
    first = api.latest_snapshot()
    files = table_files(server, ns, "t")
    api.write(f"ALTER TABLE {ns}.t ADD COLUMN status VARCHAR DEFAULT 'active'")
    api.write(f"ALTER TABLE {ns}.t RENAME COLUMN price TO amount")
    api.write(f"ALTER TABLE {ns}.t DROP COLUMN obsolete")
    api.write(f"ALTER TABLE {ns}.t ALTER COLUMN id TYPE BIGINT")
    api.write(f"ALTER TABLE {ns}.t ALTER COLUMN amount SET DATA TYPE DOUBLE")
    assert table_files(server, ns, "t") == files  # no file was rewritten
    assert column_types(api.describe(ns, "t")) == [("id", "int64"), ("amount", "float64"), ("status", "varchar")]
    # Old files read with today's columns; the added column shows its default.
    assert api.rows(f"SELECT id, amount, status FROM {ns}.t ORDER BY id") == [[1, 1.5, "active"], [2, 2.5, "active"]]
    # New rows: omitted columns get their default, values of the widened type fit.
    api.write(f"INSERT INTO {ns}.t (id, amount) VALUES (5000000000, 3.25)")
    api.write(f"INSERT INTO {ns}.t VALUES (4, 4.0, 'closed')")
    assert api.rows(f"SELECT id, status FROM {ns}.t ORDER BY id") == [
        [1, "active"], [2, "active"], [4, "closed"], [5000000000, "active"]]
    # The snapshot before the changes still reads with its own schema.
    old = api.query(f"SELECT * FROM {ns}.t ORDER BY id", snapshot=first)
    assert [c["name"] for c in old["columns"]] == ["id", "price", "obsolete"]
    assert old["rows"] == [[1, 1.5, "a"], [2, 2.5, "b"]]
    operations = [operation for operation, _, _ in api.history(ns, "t")]
    assert operations == ["create", "insert", "alter", "alter", "alter", "alter", "alter", "insert", "insert"]


def test_a_dropped_column_name_can_be_reused_for_new_data(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id, 'old' AS note")
    api.write(f"ALTER TABLE {ns}.t DROP COLUMN note")
    api.write(f"ALTER TABLE {ns}.t ADD COLUMN note VARCHAR")
    api.write(f"INSERT INTO {ns}.t VALUES (2, 'new')")
    # A new column with an old name is a new column id: the old values do not come back.
    assert api.rows(f"SELECT id, note FROM {ns}.t ORDER BY id") == [[1, None], [2, "new"]]


def test_rename_table_through_sql_keeps_history_and_data(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(3)")
    api.write(f"ALTER TABLE {ns}.t RENAME TO u")
    assert not api.table_exists(ns, "t")
    assert api.rows(f"SELECT count(*) FROM {ns}.u") == [[3]]
    assert [operation for operation, _, _ in api.history(ns, "u")] == ["create", "rename"]
    api.write(f"DROP TABLE {ns}.u")
    assert not api.table_exists(ns, "u")
    api.write(f"DROP TABLE IF EXISTS {ns}.u")
    assert_problem(api.sql(f"DROP TABLE {ns}.u"), 404)


def test_bad_alterations_are_refused_and_change_nothing(api, server, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT CAST(1 AS BIGINT) AS id, 'x' AS name, 1.5 AS d")
    api.write(f"CREATE TABLE {ns}.other AS SELECT 1 AS id")
    state = table_state(api, server, ns, "t")
    latest = api.latest_snapshot()
    cases = [
        (f"ALTER TABLE {ns}.t ALTER COLUMN id TYPE INTEGER", 400),      # narrowing
        (f"ALTER TABLE {ns}.t ALTER COLUMN name TYPE BIGINT", 400),     # would rewrite data
        (f"ALTER TABLE {ns}.t ALTER COLUMN id TYPE VARCHAR USING id::VARCHAR", 400),
        (f"ALTER TABLE {ns}.t ADD COLUMN name VARCHAR", 409),
        (f"ALTER TABLE {ns}.t RENAME COLUMN id TO name", 409),
        (f"ALTER TABLE {ns}.t RENAME COLUMN nope TO x", 400),
        (f"ALTER TABLE {ns}.t DROP COLUMN nope", 400),
        (f"ALTER TABLE {ns}.t ADD COLUMN n INTEGER DEFAULT 'abc'", 400),
        (f"ALTER TABLE {ns}.t ADD COLUMN n INTEGER DEFAULT random()", 400),
        (f"ALTER TABLE {ns}.t RENAME TO other", 409),
        (f"ALTER TABLE {ns}.t RENAME TO \"bad name\"", 400),
        (f"ALTER TABLE {ns}.t ALTER COLUMN id SET NOT NULL", 400),
        (f"ALTER TABLE {ns}.missing ADD COLUMN n INTEGER", 404),
        ("ALTER TABLE t ADD COLUMN n INTEGER", 400),
    ]
    for sql, status in cases:
        response = api.sql(sql)
        assert response.status_code == status, (sql, response.text)
        assert_problem(response, status)
    api.write(f"ALTER TABLE {ns}.t DROP COLUMN IF EXISTS nope")
    api.write(f"ALTER TABLE {ns}.t ADD COLUMN IF NOT EXISTS name VARCHAR")
    assert table_state(api, server, ns, "t") == state
    assert api.latest_snapshot() == latest


def test_the_only_column_cannot_be_dropped(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    assert_problem(api.sql(f"ALTER TABLE {ns}.t DROP COLUMN id"), 400)
