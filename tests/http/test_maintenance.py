"""Maintenance: compact, expire, cleanup and flush over HTTP and the CLI, each with a dry run."""

import json
import socket

from httpsupport import _s3_client, assert_problem, expect_status, poll_until, run_ducklake, table_files


def small_files_table(api, ns, table="t", files=6):
    api.write(f"CREATE TABLE {ns}.{table} (id BIGINT, v VARCHAR)")
    for i in range(files):
        # More rows than a write keeps in the catalog: each insert writes a file.
        api.write(f"INSERT INTO {ns}.{table} SELECT range, 'f{i}' FROM range({i * 12}, {i * 12 + 12})")


def test_compaction_merges_small_files_and_keeps_time_travel(api, server, ns):
    small_files_table(api, ns)
    api.write(f"DELETE FROM {ns}.t WHERE id % 10 = 0", count="rows_deleted")
    before = api.latest_snapshot()
    expected = api.rows(f"SELECT id, v FROM {ns}.t ORDER BY id")
    dry = api.maintain("compact", namespace=ns, table="t", dry_run=True)
    assert dry == {"operation": "compact", "dry_run": True,
                   "tables": [{"namespace": ns, "table": "t", "files_before": 6, "files_after": 1, "snapshot_id": None}]}
    assert api.latest_snapshot() == before and api.describe(ns, "t")["file_count"] == 6
    report = api.maintain("compact", namespace=ns, table="t")
    assert report["tables"][0]["snapshot_id"] == before + 1
    assert api.describe(ns, "t")["file_count"] == 1
    assert api.rows(f"SELECT id, v FROM {ns}.t ORDER BY id") == expected
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=before) == [[64]]
    assert api.history(ns, "t")[-1] == ("compact", 0, 0)
    # Nothing left to merge: a second run does nothing.
    assert api.maintain("compact", namespace=ns, table="t")["tables"] == []
    # Deletes after compaction apply to the new file.
    api.write(f"DELETE FROM {ns}.t WHERE id < 5", count="rows_deleted")
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[60]]


def test_compaction_respects_the_target_size(api, ns):
    small_files_table(api, ns, files=4)
    size = api.describe(ns, "t")["size_bytes"] // 4
    report = api.maintain("compact", namespace=ns, target_file_bytes=size * 2 + size // 2)
    assert report["tables"] == [{"namespace": ns, "table": "t", "files_before": 4, "files_after": 2,
                                 "snapshot_id": report["tables"][0]["snapshot_id"]}]
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[48]]


def test_expire_then_cleanup_deletes_only_unreachable_files(start_server):
    # Expiry and cleanup act on the whole lake: a lake of its own.
    server = start_server()
    api, ns = server.api, "e"
    api.create_namespace(ns)
    small_files_table(api, ns, files=3)
    old_files = set(table_files(server, ns, "t"))
    api.maintain("compact", namespace=ns, table="t")
    latest = api.latest_snapshot()
    dry = api.maintain("expire", keep_last=1, dry_run=True)
    assert latest - 1 in dry["expired_snapshots"] and latest not in dry["expired_snapshots"]
    assert {name.rsplit("/", 1)[-1] for name in dry["scheduled_files"]} == old_files
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=latest - 1) == [[36]]
    expired = api.maintain("expire", keep_last=1)
    assert expired["expired_snapshots"] == dry["expired_snapshots"]
    assert_problem(api.sql(f"SELECT count(*) FROM {ns}.t", snapshot=latest - 1), 404)
    # Expiry only schedules; the files are still there until cleanup.
    assert old_files <= set(table_files(server, ns, "t"))
    # Scheduled a moment ago: a grace period keeps them for queries still reading the old snapshots.
    assert api.maintain("cleanup", scheduled_min_age_seconds=3600)["deleted_scheduled_files"] == []
    cleanup = api.maintain("cleanup", dry_run=True)
    assert {name.rsplit("/", 1)[-1] for name in cleanup["deleted_scheduled_files"]} == old_files
    assert old_files <= set(table_files(server, ns, "t"))
    cleanup = api.maintain("cleanup")
    assert {name.rsplit("/", 1)[-1] for name in cleanup["deleted_scheduled_files"]} == old_files
    assert not old_files & set(table_files(server, ns, "t"))
    assert api.rows(f"SELECT count(*) FROM {ns}.t") == [[36]]
    assert api.maintain("cleanup")["deleted_scheduled_files"] == []


def test_expire_by_age_keeps_newer_snapshots(start_server):
    api, ns = start_server().api, "a"
    api.create_namespace(ns)
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    kept = api.latest_snapshot()
    page = expect_status(api.get("/api/v1/snapshots", params={"limit": 1}), 200).json()["snapshots"][0]
    report = api.maintain("expire", older_than=page["time"])
    assert all(snapshot < kept for snapshot in report["expired_snapshots"])
    assert api.rows(f"SELECT count(*) FROM {ns}.t", snapshot=kept) == [[1]]


def test_bad_maintenance_requests_are_400_or_404(api, ns):
    api.write(f"CREATE TABLE {ns}.t AS SELECT 1 AS id")
    for operation, body in [("compact", {"table": "t"}), ("compact", {"target_file_bytes": 0}),
                            ("compact", {"dry_run": "yes"}), ("compact", {"bogus": 1}),
                            ("expire", {}), ("expire", {"keep_last": 0}), ("expire", {"older_than": "yesterday"}),
                            ("cleanup", {"orphan_min_age_seconds": -1}), ("cleanup", {"scheduled_min_age_seconds": "1"}),
                            ("flush", {"force": True})]:
        assert_problem(api.post(f"/api/v1/maintenance/{operation}", json=body), 400)
    assert_problem(api.post("/api/v1/maintenance/compact", json={"namespace": ns, "table": "nope"}), 404)
    assert_problem(api.post("/api/v1/maintenance/compact", json={"namespace": "nope_ns"}), 404)
    assert_problem(api.post("/api/v1/maintenance/vacuum", json={}), 404)
    assert_problem(api.post("/api/v1/maintenance/flush", json={"table": "t"}), 400)
    assert_problem(api.post("/api/v1/maintenance/flush", json={"namespace": ns, "table": "nope"}), 404)
    assert api.maintain("flush")["operation"] == "flush"  # whatever other tests left in the catalog
    assert api.maintain("flush") == {"operation": "flush", "dry_run": False, "flushed_rows": 0, "tables": []}
    # No body at all, not even Content-Length (curl -X POST without -d), reads as {}.
    host, port = api.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(b"POST /api/v1/maintenance/flush HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert b'"flushed_rows":0' in answer


def test_cleanup_removes_orphans_past_the_grace_period(start_server, tmp_path):
    server = start_server()
    api = server.api
    api.create_namespace("o")
    api.write("CREATE TABLE o.t AS SELECT 1 AS id")
    # A file no catalog row names, as a writer killed before its commit leaves behind.
    orphan = "warehouse/o/t/ducklake-orphan.parquet"
    if server.s3_prefix:
        bucket, _, prefix = server.s3_prefix.removeprefix("s3://").partition("/")
        _s3_client().put_object(Bucket=bucket, Key=prefix + orphan, Body=b"PAR1")
    else:
        path = server.data_dir / "objects" / orphan
        path.write_bytes(b"PAR1")
    assert "ducklake-orphan.parquet" in table_files(server, "o", "t")
    # Younger than the default grace period (an hour): kept.
    assert api.maintain("cleanup")["deleted_orphan_files"] == []
    report = api.maintain("cleanup", orphan_min_age_seconds=0, dry_run=True)
    assert report["deleted_orphan_files"] == [orphan]
    assert "ducklake-orphan.parquet" in table_files(server, "o", "t")
    assert api.maintain("cleanup", orphan_min_age_seconds=0)["deleted_orphan_files"] == [orphan]
    assert "ducklake-orphan.parquet" not in table_files(server, "o", "t")
    assert api.rows("SELECT id FROM o.t") == [[1]]


def test_cli_maintenance_works_on_the_lake_directly(start_server, tmp_path):
    server = start_server("--data-inlining-row-limit", "0")  # every insert a file, for compaction
    api = server.api
    api.create_namespace("c")
    api.write("CREATE TABLE c.t (id BIGINT)")
    for i in range(3):
        api.write(f"INSERT INTO c.t VALUES ({i})")
    flags, env = server.backend_flags, server.env
    base = ["maintenance", "--data-dir", str(server.data_dir), *flags]
    for dry_run in (["--dry-run", "compact", "--namespace", "c"], ["compact", "--namespace", "c", "--dry-run"]):
        result = run_ducklake([*base, *dry_run], cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["dry_run"] and report["tables"][0]["files_before"] == 3
    assert api.describe("c", "t")["file_count"] == 3
    result = run_ducklake([*base, "compact", "--namespace", "c", "--table", "t"], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert api.describe("c", "t")["file_count"] == 1
    assert api.rows("SELECT count(*) FROM c.t") == [[3]]
    result = run_ducklake([*base, "expire", "--keep-last", "1"], cwd=tmp_path, env=env)
    assert result.returncode == 0 and json.loads(result.stdout)["expired_snapshots"], result.stderr
    result = run_ducklake([*base, "cleanup"], cwd=tmp_path, env=env)
    assert result.returncode == 0 and len(json.loads(result.stdout)["deleted_scheduled_files"]) == 3
    for bad in (["expire"], ["compact", "--table", "t"], ["compact", "--target-file-bytes", "0"], ["vacuum"], []):
        result = run_ducklake([*base, *bad], cwd=tmp_path, env=env)
        assert result.returncode != 0 and len(result.stderr.strip().splitlines()) >= 1, bad


def test_background_maintenance_compacts_and_expires_when_configured(start_server):
    server = start_server("--maintenance-interval", "1", "--snapshot-retention", "0")
    api = server.api
    api.create_namespace("b")
    api.write("CREATE TABLE b.t (id BIGINT)")
    for i in range(3):
        api.write(f"INSERT INTO b.t VALUES ({i})")
    poll_until(lambda: api.describe("b", "t")["file_count"] == 1, 30, "background compaction")
    poll_until(lambda: len(expect_status(api.get("/api/v1/snapshots"), 200).json()["snapshots"]) == 1, 30,
               "background expiry of every snapshot but the latest")
    assert api.rows("SELECT count(*), CAST(sum(id) AS BIGINT) FROM b.t") == [[3, 3]]
    # The run logs once its cleanup step is done too.
    poll_until(lambda: "maintenance ran" in server.log_text(), 30, "the maintenance run's log line")

