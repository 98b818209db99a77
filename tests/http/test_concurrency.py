"""Concurrent writers: optimistic concurrency on the snapshot id; inserts retry, real conflicts are 409."""

import threading
from concurrent.futures import ThreadPoolExecutor

from httpsupport import expect_status

WRITERS = 16


def run_together(count: int, action):
    """Runs action(i) for i in range(count) on `count` threads released at the same moment."""
    barrier = threading.Barrier(count)

    def start(i):
        barrier.wait()
        return action(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(start, range(count)))


def test_sixteen_writers_every_acknowledged_row_lands_exactly_once(api, ns):
    api.write(f"CREATE TABLE {ns}.t (writer BIGINT, seq BIGINT)")
    rounds = 5

    def writer(i):
        acknowledged = []
        for seq in range(rounds):
            response = api.sql(f"INSERT INTO {ns}.t VALUES ({i}, {seq})")
            # Inserts never conflict: every one must be acknowledged.
            expect_status(response, 200)
            acknowledged.append((i, seq, response.json()["rows"][0][1]))
        return acknowledged

    results = [row for rows in run_together(WRITERS, writer) for row in rows]
    stored = api.rows(f"SELECT writer, seq, count(*) FROM {ns}.t GROUP BY ALL ORDER BY ALL")
    assert stored == [[i, seq, 1] for i in range(WRITERS) for seq in range(rounds)]
    # Every commit got its own snapshot.
    snapshots = [snapshot for _, _, snapshot in results]
    assert len(set(snapshots)) == len(snapshots)


def test_concurrent_writers_on_different_tables_and_deletes_of_disjoint_files(api, ns):
    for i in range(WRITERS):
        api.write(f"CREATE TABLE {ns}.t{i} AS SELECT range AS id FROM range(10)")

    def writer(i):
        first = api.sql(f"DELETE FROM {ns}.t{i} WHERE id < 5")
        second = api.sql(f"INSERT INTO {ns}.t{i} VALUES (100)")
        return first.status_code, second.status_code

    assert run_together(WRITERS, writer) == [(200, 200)] * WRITERS
    for i in range(WRITERS):
        assert api.rows(f"SELECT count(*), max(id) FROM {ns}.t{i}") == [[6, 100]]


def test_racing_deletes_of_the_same_rows_never_double_count(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(100)")

    def deleter(i):
        response = api.sql(f"DELETE FROM {ns}.t WHERE id < 50")
        assert response.status_code in (200, 409), response.text
        if response.status_code == 409:
            assert response.headers["Content-Type"].startswith("application/problem+json")
            return 0
        return response.json()["rows"][0][0]

    deleted = run_together(8, deleter)
    # Whoever lost either saw the rows gone (0 deleted) or was told of the conflict: 50 in total.
    assert sum(deleted) == 50
    assert api.rows(f"SELECT count(*), min(id) FROM {ns}.t") == [[50, 50]]
    history = api.history(ns, "t")
    assert sum(deleted_rows for operation, _, deleted_rows in history if operation == "delete") == 50
