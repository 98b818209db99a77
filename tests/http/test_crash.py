"""A server killed with SIGKILL between writing a transaction's Parquet files and committing it."""

import signal
import threading

from httpsupport import ServerProcess, poll_until, table_files


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
