"""The change feed: GET …/tables/{t}/changes?from=&to= → rows inserted and deleted, by snapshot."""

import socket
import time
from urllib.parse import urlsplit

from httpsupport import assert_problem, expect_status, metric_value, parse_metrics, poll_until


def test_feed_lists_inserts_deletes_and_update_images(api, ns):
    created = api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, 'a' AS v FROM range(3)")["snapshot_id"]
    deleted = api.write(f"DELETE FROM {ns}.t WHERE id = 0", count="rows_deleted")["snapshot_id"]
    updated = api.write(f"UPDATE {ns}.t SET v = 'b' WHERE id = 1", count="rows_updated")["snapshot_id"]
    inserted = api.write(f"INSERT INTO {ns}.t VALUES (9, 'z')")["snapshot_id"]
    rows = api.changes(ns, "t")
    assert sorted(rows) == sorted([
        [created, "insert", 0, "a"], [created, "insert", 1, "a"], [created, "insert", 2, "a"],
        [deleted, "delete", 0, "a"],
        [updated, "update_preimage", 1, "a"], [updated, "update_postimage", 1, "b"],
        [inserted, "insert", 9, "z"]])
    # By snapshot; within one, what went before what came.
    went = {"delete": 0, "update_preimage": 0, "insert": 1, "update_postimage": 1}
    assert [(row[0], went[row[1]]) for row in rows] == sorted((row[0], went[row[1]]) for row in rows)
    # from is exclusive, to inclusive.
    assert api.changes(ns, "t", **{"from": created, "to": updated}) == [
        [deleted, "delete", 0, "a"], [updated, "update_preimage", 1, "a"], [updated, "update_postimage", 1, "b"]]
    assert api.changes(ns, "t", **{"from": inserted}) == []
    result = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/changes"), 200).json()
    assert [c["name"] for c in result["columns"]] == ["snapshot_id", "change_type", "id", "v"]
    # The same history in SQL, as the DuckLake extension has it: with row ids, both ends included.
    # An updated row keeps its row id; the UPDATE's new file took one more, so the INSERT's is 4.
    sql = f"SELECT * FROM ducklake_table_changes('lake', '{ns}', 't', {created}, {inserted}) ORDER BY ALL"
    result = api.query(sql)
    assert [(c["name"], c["type"]) for c in result["columns"]] == [
        ("snapshot_id", "BIGINT"), ("rowid", "BIGINT"), ("change_type", "VARCHAR"), ("id", "BIGINT"), ("v", "VARCHAR")]
    assert result["rows"] == [
        [created, 0, "insert", 0, "a"], [created, 1, "insert", 1, "a"], [created, 2, "insert", 2, "a"],
        [deleted, 0, "delete", 0, "a"],
        [updated, 1, "update_postimage", 1, "b"], [updated, 1, "update_preimage", 1, "a"],
        [inserted, 4, "insert", 9, "z"]]
    assert api.rows(f"SELECT count(*) FROM ducklake_table_changes('lake', '{ns}', 't', {updated}, {updated})") == [[2]]
    assert api.rows(f"SELECT c.id FROM ducklake_table_changes('lake', '{ns}', 't', {deleted}, {deleted}) AS c "
                    f"JOIN {ns}.t AS o AT (VERSION => {created}) ON o.id = c.id") == [[0]]
    for bad, status in ((f"'{ns}', 't', {inserted}, {created}", 400), (f"'{ns}', 'nope', {created}, {inserted}", 404),
                        (f"'{ns}', 't', {created}, 999999999", 400), (f"'{ns}', 't', NULL, {inserted}", 400),
                        (f"'nope', 't', {created}, {inserted}", 404)):
        assert_problem(api.sql(f"SELECT * FROM ducklake_table_changes('lake', {bad})"), status)
    assert_problem(api.transaction([f"SELECT * FROM ducklake_table_changes('lake', '{ns}', 't', 1, 2)"]), 400)


def test_a_transaction_mixing_delete_insert_and_update_is_told_apart(api, ns):
    # Deletes are told from update pre-images per data file: the DELETE and the UPDATE touch two files.
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(4)")
    api.write(f"INSERT INTO {ns}.t SELECT range FROM range(20, 24)")
    body = expect_status(api.transaction([
        f"DELETE FROM {ns}.t WHERE id = 0",
        f"INSERT INTO {ns}.t VALUES (10)",
        f"UPDATE {ns}.t SET id = id + 100 WHERE id = 23",
    ]), 200).json()
    snapshot = body["snapshot_id"]
    rows = api.changes(ns, "t", **{"from": snapshot - 1})
    assert sorted(rows) == sorted([[snapshot, "delete", 0], [snapshot, "insert", 10],
                                   [snapshot, "update_preimage", 23], [snapshot, "update_postimage", 123]])


def test_overwrite_deletes_everything_and_compaction_changes_nothing(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    api.write(f"INSERT INTO {ns}.t VALUES (2)")
    # The inserted row is kept in the catalog until a flush writes it to a file: no change either.
    flushed = api.maintain("flush", namespace=ns, table="t")
    assert flushed["tables"][0]["rows"] == 1
    assert api.changes(ns, "t", **{"from": flushed["tables"][0]["snapshot_id"] - 1}) == []
    compacted = api.maintain("compact", namespace=ns, table="t")
    assert compacted["tables"][0]["files_before"] == 2
    after_compaction = api.latest_snapshot()
    assert api.changes(ns, "t", **{"from": after_compaction - 1}) == []
    overwrite = api.upload(ns, "t", "id\n5\n", mode="overwrite")["snapshot_id"]
    rows = api.changes(ns, "t", **{"from": after_compaction})
    assert sorted(rows) == sorted([[overwrite, "delete", 1], [overwrite, "delete", 2], [overwrite, "insert", 5]])


def test_columns_follow_the_schema_as_of_to(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    first = api.latest_snapshot()
    api.write(f"ALTER TABLE {ns}.t ADD COLUMN note VARCHAR DEFAULT 'n/a'")
    api.write(f"ALTER TABLE {ns}.t RENAME COLUMN id TO key")
    api.write(f"INSERT INTO {ns}.t VALUES (2, 'two')")
    assert api.changes(ns, "t") == [[first, "insert", 1, "n/a"], [first + 3, "insert", 2, "two"]]
    old = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/changes", params={"to": first}), 200).json()
    assert [c["name"] for c in old["columns"]] == ["snapshot_id", "change_type", "id"]


def test_feed_formats_and_limits(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(5)")
    csv = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/changes", params={"format": "csv"}), 200)
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "snapshot_id,change_type,id"
    assert len(api.changes(ns, "t", limit=2)) == 2


def test_bad_feed_requests(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    latest = api.latest_snapshot()
    base = f"/api/v1/namespaces/{ns}/tables/t/changes"
    assert_problem(api.get(base, params={"from": "x"}), 400)
    assert_problem(api.get(base, params={"to": "-1"}), 400)
    assert_problem(api.get(base, params={"from": latest, "to": latest - 1}), 400)
    assert_problem(api.get(base, params={"to": 10**12}), 404)
    assert_problem(api.get(base, params={"from": 10**12}), 404)
    assert_problem(api.get(base, params={"format": "xml"}), 400)
    assert_problem(api.get(f"/api/v1/namespaces/{ns}/tables/nope/changes"), 404)
    # Before the table existed there is no table to describe.
    assert_problem(api.get(base, params={"to": latest - 1}), 404)


def test_a_client_that_goes_away_stops_its_feed(api, ns):
    # Deletes from a large file written before the table's last schema change: the feed reads that
    # file by field id, whole, for every deleting snapshot, before its first byte.
    first = api.write(f"CREATE TABLE {ns}.big AS SELECT range AS id, range * 2 AS v FROM range(3000000)")["snapshot_id"]
    api.write(f"ALTER TABLE {ns}.big ADD COLUMN w INTEGER")
    for i in range(3):
        last = api.write(f"DELETE FROM {ns}.big WHERE id = {i * 1000}", count="rows_deleted")["snapshot_id"]
    feed = f"/api/v1/namespaces/{ns}/tables/big/changes?from={first}&to={last}"
    begun = time.monotonic()
    assert len(expect_status(api.get(feed), 200).json()["rows"]) == 3
    left_alone = time.monotonic() - begun
    assert left_alone > 2, f"the feed took {left_alone:.2f} s: too quick to show that leaving stops it"

    def running():
        return metric_value(parse_metrics(expect_status(api.get("/metrics"), 200).text), "ducklake_queries_running")

    address = urlsplit(api.base_url)
    client = socket.create_connection((address.hostname, address.port))
    client.sendall(f"GET {feed} HTTP/1.1\r\nHost: {address.netloc}\r\n\r\n".encode())
    poll_until(lambda: running() >= 1, 30, "the feed to start")
    client.close()
    gone = time.monotonic()
    poll_until(lambda: running() == 0, 30, "the feed to stop once its client went away")
    assert time.monotonic() - gone < left_alone / 2


def test_deletes_from_a_large_file_cost_what_they_delete(api, ns):
    # The feed reads the rows each delete file names, not the file against itself.
    first = api.write(f"CREATE TABLE {ns}.big AS SELECT range AS id FROM range(4000000)")["snapshot_id"]
    for i in range(5):
        last = api.write(f"DELETE FROM {ns}.big WHERE id = {i * 1000}", count="rows_deleted")["snapshot_id"]
    begun = time.monotonic()
    rows = api.changes(ns, "big", **{"from": first, "to": last})
    assert rows == [[first + 1 + i, "delete", i * 1000] for i in range(5)]
    assert time.monotonic() - begun < 5  # it took tens of seconds when it read the file against itself
