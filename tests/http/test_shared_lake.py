"""Production backends: several servers on one PostgreSQL + S3 lake, and PostgreSQL going away.

Collected only when the suite runs on postgres-s3 (see conftest.py)."""

import os
import subprocess
import threading

from httpsupport import (assert_problem, backend_settings, expect_status, keep_alive_aware_session, poll_until,
                         unique_name)

PG_DATA = os.path.join(os.environ.get("DUCKLAKE_TEST_PG_ADMIN_SOCKET", ""), "data")
PG_CTL = "/usr/lib/postgresql/15/bin/pg_ctl"


def shared_lake_servers(start_server, count: int):
    """`count` servers on one fresh PostgreSQL database and one S3 prefix."""
    flags, env, _ = backend_settings("postgres-s3")
    return [start_server(*flags, env=env, backend="embedded") for _ in range(count)]


def test_a_write_through_one_server_is_visible_through_the_other_at_once(start_server):
    first, second = shared_lake_servers(start_server, 2)
    ns = unique_name("ns")
    first.api.create_namespace(ns)
    first.api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(10)")
    assert second.api.rows(f"SELECT count(*) FROM {ns}.t") == [[10]]
    second.api.write(f"INSERT INTO {ns}.t SELECT range + 10 FROM range(5)")
    assert first.api.rows(f"SELECT count(*), max(id) FROM {ns}.t") == [[15, 14]]
    first.api.write(f"INSERT INTO {ns}.t VALUES (100)")
    assert second.api.describe(ns, "t")["row_count"] == 16
    expect_status(second.api.delete(f"/api/v1/namespaces/{ns}/tables/t"), 204)
    assert not first.api.table_exists(ns, "t")


def test_sixteen_writers_over_two_servers_lose_and_duplicate_nothing(start_server):
    servers = shared_lake_servers(start_server, 2)
    ns = unique_name("ns")
    servers[0].api.create_namespace(ns)
    servers[0].api.create_table(ns, "t", [("writer", "INTEGER"), ("seq", "INTEGER")])
    writers, inserts_each = 16, 8
    acknowledged, failures, lock = [], [], threading.Lock()

    def write(writer: int):
        session = keep_alive_aware_session()
        base = servers[writer % 2].base_url
        for seq in range(inserts_each):
            response = session.post(f"{base}/api/v1/query", timeout=120,
                                    json={"sql": f"INSERT INTO {ns}.t VALUES ({writer}, {seq})"})
            with lock:
                (acknowledged if response.status_code == 200 else failures).append(
                    (writer, seq) if response.status_code == 200 else response.text)

    # Meanwhile, both servers write the rows kept in the catalog out to Parquet, again and again.
    stop, flushes = threading.Event(), []

    def flush():
        session = keep_alive_aware_session()
        for turn in range(1000000):
            if stop.is_set():
                return
            response = session.post(f"{servers[turn % 2].base_url}/api/v1/maintenance/flush", timeout=120,
                                    json={"namespace": ns})
            flushes.append((response.status_code, response.json().get("flushed_rows")))

    flusher = threading.Thread(target=flush)
    flusher.start()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    stop.set()
    flusher.join(timeout=300)
    assert not any(thread.is_alive() for thread in [*threads, flusher])
    assert failures == [], failures[:3]
    # A flush that lost a race to a writer or the other server says so and changes nothing.
    assert {status for status, _ in flushes} <= {200, 409}, flushes[:5]
    assert any(status == 200 and rows for status, rows in flushes), flushes[:5]
    rows = servers[1].api.rows(f"SELECT writer, seq FROM {ns}.t ORDER BY writer, seq")
    assert sorted(map(tuple, rows)) == sorted(acknowledged)
    servers[0].api.maintain("flush")
    rows = servers[1].api.rows(f"SELECT writer, seq FROM {ns}.t ORDER BY writer, seq")
    assert sorted(map(tuple, rows)) == sorted(acknowledged)
    assert len(acknowledged) == writers * inserts_each
    snapshots = servers[0].api.describe(ns, "t")["snapshot_id"]
    assert snapshots >= writers * inserts_each


def pg_ctl(action: str):
    subprocess.run(["runuser", "-u", "postgres", "--", PG_CTL, "-D", PG_DATA, "-w", "-t", "60", "-m", "fast",
                    *(["-l", os.path.join(PG_DATA, "..", "server.log")] if action == "start" else []), action],
                   check=True, capture_output=True, timeout=120)


def test_postgres_outage_answers_503_and_recovers_without_a_restart(start_server):
    (server,) = shared_lake_servers(start_server, 1)
    ns = unique_name("ns")
    server.api.create_namespace(ns)
    server.api.write(f"CREATE TABLE {ns}.t AS SELECT 42 AS answer")
    pg_ctl("stop")
    try:
        for response in (server.api.get("/api/v1/namespaces"),
                         server.api.sql(f"SELECT * FROM {ns}.t"),
                         server.api.post("/api/v1/namespaces", json={"name": unique_name("ns")})):
            assert_problem(response, 503)
            assert response.headers.get("Retry-After"), response.headers
        readiness = server.api.get("/readyz")
        assert readiness.status_code == 503 and readiness.json()["checks"]["metadata"] != "ok"
        assert server.process.poll() is None
    finally:
        pg_ctl("start")

    def recovered():
        response = server.api.sql(f"SELECT * FROM {ns}.t")
        return response.status_code == 200 and response.json()["rows"] == [[42]]

    poll_until(recovered, 30, "queries to work again after PostgreSQL came back")
    password = os.environ["DUCKLAKE_TEST_POSTGRES"].split(":")[2].split("@")[0]
    assert password not in server.log_text(), "the metadata password leaked into the log"
    expect_status(server.api.get("/readyz"), 200)
    server.api.write(f"INSERT INTO {ns}.t VALUES (43)")
    assert server.api.rows(f"SELECT count(*) FROM {ns}.t") == [[2]]
