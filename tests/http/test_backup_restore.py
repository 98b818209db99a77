"""The backup and restore procedure of docs/OPERATIONS.md, step by step, on PostgreSQL + S3.

A lake with history is backed up (pg_dump of the catalog, then a mirror of the bucket prefix),
written to after the dump, and restored into an empty database and the same prefix; then the
documented follow-up (cleanup of orphans, reconcile of each volume). Every snapshot must read as it
did at the time of the dump. Collected only when the suite runs on postgres-s3 (see conftest.py)."""

import subprocess
import urllib.parse
import uuid

from httpsupport import (S3_BUCKET, backend_settings, expect_status, fresh_postgres_database, mirror_s3_prefix,
                         s3_keys, unique_name)


def pg(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def obj(vol: str, key: str) -> str:
    return f"/api/v1/volumes/{vol}/objects/{urllib.parse.quote(key)}"


def put(api, vol: str, key: str, data: bytes) -> None:
    response = api.request("PUT", obj(vol, key), data=data)
    assert response.status_code in (200, 201), response.text


def lake_state(api, ns: str, vol: str) -> dict:
    """Everything a user can read of the lake: each snapshot of the table, the snapshot list, and
    the volume's listing and bytes."""
    snapshots = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/snapshots"), 200).json()["snapshots"]
    listing = expect_status(api.get(f"/api/v1/volumes/{vol}/objects"), 200).json()["objects"]
    return {
        "snapshots": [(s["snapshot_id"], s["operation"], s["rows_added"], s["rows_deleted"]) for s in snapshots],
        "reads": {s["snapshot_id"]: api.rows(f"SELECT * FROM {ns}.t ORDER BY id", snapshot=s["snapshot_id"])
                  for s in snapshots},
        "objects": {item["key"]: (item["size"], api.get(obj(vol, item["key"])).content) for item in listing},
    }


def test_a_lake_restored_from_a_dump_and_a_bucket_mirror_reads_as_at_the_dump(start_server, tmp_path):
    flags, env, prefix = backend_settings("postgres-s3")
    metadata = flags[flags.index("--metadata") + 1]
    storage = flags[flags.index("--storage") + 1]
    # Backups pause deletions (OPERATIONS.md step 1): no maintenance runs on this server.
    server = start_server(*flags, "--maintenance-interval", "0", env=env, backend="embedded")
    api = server.api
    ns, vol = unique_name("ns"), unique_name("vol").replace("_", "-")
    api.create_namespace(ns)
    api.write(f"CREATE TABLE {ns}.t AS SELECT range AS id, 'v' || range AS label FROM range(100)")
    api.write(f"INSERT INTO {ns}.t SELECT range, 'w' || range FROM range(100, 150)")
    api.write(f"UPDATE {ns}.t SET label = 'updated' WHERE id < 10", count="rows_updated")
    api.write(f"DELETE FROM {ns}.t WHERE id % 7 = 0", count="rows_deleted")
    expect_status(api.sql(f"ALTER TABLE {ns}.t ADD COLUMN score DOUBLE"), 200)
    api.write(f"INSERT INTO {ns}.t VALUES (1000, 'scored', 0.5)")
    expect_status(api.post("/api/v1/volumes", json={"name": vol}), 201)
    put(api, vol, "drops/a.csv", b"id,name\n1,a\n")
    put(api, vol, "drops/b.bin", bytes(range(256)) * 64)
    at_dump = lake_state(api, ns, vol)
    warehouse_before = set(s3_keys(prefix + "warehouse/"))

    # Steps 2 and 3: dump the catalog, then mirror the bucket.
    dump = tmp_path / "lake.dump"
    pg("pg_dump", "--format=custom", f"--file={dump}", metadata)
    backup = f"s3://{S3_BUCKET}/backup-{uuid.uuid4().hex[:12]}/"
    assert mirror_s3_prefix(prefix, backup) >= len(warehouse_before) + 2

    # Clients keep writing after the dump: a new data file, a new object, an overwritten one.
    api.write(f"INSERT INTO {ns}.t SELECT range, 'late', 1.0 FROM range(2000, 2100)")
    put(api, vol, "drops/late.csv", b"id\n2\n")
    put(api, vol, "drops/a.csv", b"id,name\n1,overwritten\n")
    written_after = set(s3_keys(prefix + "warehouse/")) - warehouse_before
    assert written_after, "the late insert wrote no data file"
    server.stop_cleanly()

    # Restore: an empty database, the dump, the bucket mirrored back; then a server on both.
    restored = fresh_postgres_database()
    pg("pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={restored}", str(dump))
    mirror_s3_prefix(backup, prefix)
    server = start_server("--metadata", restored, "--storage", storage, env=env, backend="embedded")
    api = server.api
    assert lake_state(api, ns, vol) == at_dump

    # The documented follow-up: files the dump does not name go, and the volume index learns what
    # the bucket holds. The snapshots still read the same.
    cleanup = api.maintain("cleanup", orphan_min_age_seconds=0)
    deleted = {key.rsplit("/", 1)[-1] for key in cleanup["deleted_orphan_files"]}
    assert deleted == written_after
    assert set(s3_keys(prefix + "warehouse/")) == warehouse_before
    reconcile = expect_status(api.post(f"/api/v1/volumes/{vol}/reconcile"), 200).json()
    assert (reconcile["added"], reconcile["updated"], reconcile["removed"]) == (1, 0, 0), reconcile
    after = lake_state(api, ns, vol)
    assert after["snapshots"] == at_dump["snapshots"] and after["reads"] == at_dump["reads"]
    assert after["objects"] == {**at_dump["objects"], "drops/late.csv": (5, b"id\n2\n")}
