"""A server killed with SIGKILL: between writing a transaction's Parquet files and committing it, and
while small inserts (kept in the catalog) and flushes run."""

import signal
import threading

import requests

from httpsupport import ServerProcess, keep_alive_aware_session, poll_until, rng_for, table_files


def test_kill_9_mid_transaction_leaves_the_previous_snapshot_and_cleanup_removes_the_orphans(start_server, tmp_path):
    server = start_server("--query-timeout-ms", "600000")  # longer than the test: only the kill ends it
    api = server.api
    api.create_namespace("c")
    api.write("CREATE TABLE c.t AS SELECT range AS id FROM range(10)")
    before = api.describe("c", "t")
    files_before = table_files(server, "c", "t")

    # The first statement writes its file at once; the second runs for minutes, so the server is
    # killed while the transaction has files in the store and nothing in the catalog.
    statements = ["INSERT INTO c.t SELECT range FROM range(1000, 2000)",
                  "INSERT INTO c.t SELECT count(*) FROM range(100000) a, range(100000) b, range(100000) c"]
    outcome = {}

    def run_transaction():
        try:
            outcome["response"] = api.transaction(statements, timeout_ms=600000)
        except Exception as error:  # the connection dies with the server
            outcome["error"] = error

    client = threading.Thread(target=run_transaction)
    client.start()
    poll_until(lambda: len(table_files(server, "c", "t")) > len(files_before), 60,
               "the transaction's first data file in the store")
    server.signal(signal.SIGKILL)
    assert server.wait_exit() == -signal.SIGKILL
    client.join(60)
    assert "error" in outcome, outcome
    orphans = set(table_files(server, "c", "t")) - set(files_before)
    assert orphans

    restarted = ServerProcess(tmp_path / "restarted", server.args[1:], server.env, server.port, server.data_dir,
                              "restarted server", server.s3_prefix, server.backend_flags)
    try:
        restarted.wait_healthy()
        api = restarted.api
        after = api.describe("c", "t")
        assert (after["snapshot_id"], after["row_count"], after["file_count"]) == (
            before["snapshot_id"], before["row_count"], before["file_count"])
        assert api.rows("SELECT count(*), max(id) FROM c.t") == [[10, 9]]
        # Young orphans may belong to a write in flight: kept by default, removed with no grace period.
        assert api.maintain("cleanup")["deleted_orphan_files"] == []
        report = api.maintain("cleanup", orphan_min_age_seconds=0)
        assert {key.rsplit("/", 1)[-1] for key in report["deleted_orphan_files"]} == orphans
        assert table_files(restarted, "c", "t") == files_before
        assert api.rows("SELECT count(*) FROM c.t") == [[10]]
    finally:
        restarted.stop_cleanly()


def test_kill_9_during_small_inserts_and_flushes_loses_no_acknowledged_row(start_server, tmp_path, request):
    rng = rng_for(request.node.nodeid)
    server = start_server()
    api = server.api
    api.create_namespace("k")
    api.create_table("k", "t", [("writer", "INTEGER"), ("seq", "INTEGER")])
    writers, acknowledged, lock, stop = 6, [], threading.Lock(), threading.Event()

    def write(writer: int):
        session = keep_alive_aware_session()
        for seq in range(100000):
            if stop.is_set():
                return
            try:
                response = session.post(f"{server.base_url}/api/v1/query", timeout=30,
                                        json={"sql": f"INSERT INTO k.t VALUES ({writer}, {seq})"})
            except requests.RequestException:
                return  # the server is gone: this insert was never acknowledged
            if response.status_code == 200:
                with lock:
                    acknowledged.append((writer, seq))

    def flush():
        session = keep_alive_aware_session()
        while not stop.is_set():
            try:
                session.post(f"{server.base_url}/api/v1/maintenance/flush", json={}, timeout=30)
            except requests.RequestException:
                return

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)] + [threading.Thread(target=flush)]
    for thread in threads:
        thread.start()
    target = rng.randrange(150, 400)
    poll_until(lambda: len(acknowledged) >= target, 120, f"{target} acknowledged inserts")
    server.signal(signal.SIGKILL)
    assert server.wait_exit() == -signal.SIGKILL
    stop.set()
    for thread in threads:
        thread.join(60)
    with lock:
        acknowledged_at_kill = set(acknowledged)

    restarted = ServerProcess(tmp_path / "restarted", server.args[1:], server.env, server.port, server.data_dir,
                              "restarted server", server.s3_prefix, server.backend_flags)
    try:
        restarted.wait_healthy()
        api = restarted.api

        def rows_now(**fields):
            return [tuple(row) for row in api.rows("SELECT writer, seq FROM k.t", **fields)]

        rows = rows_now()
        assert len(rows) == len(set(rows)), "a row is there twice"
        assert acknowledged_at_kill <= set(rows), sorted(acknowledged_at_kill - set(rows))[:5]
        # Beyond those, at most the insert each writer had in flight.
        assert len(set(rows) - acknowledged_at_kill) <= writers
        # No half commit: every snapshot reads, each holding what the one before held and more.
        latest = api.latest_snapshot()
        counts = [api.rows("SELECT count(*) FROM k.t", snapshot=s)[0][0] for s in range(max(1, latest - 30), latest + 1)]
        assert counts == sorted(counts)
        assert api.maintain("flush")["operation"] == "flush"
        assert sorted(rows_now()) == sorted(rows)
        assert api.maintain("flush")["flushed_rows"] == 0
    finally:
        restarted.stop_cleanly()
