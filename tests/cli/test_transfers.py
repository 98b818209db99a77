"""`ducklake cp -r`, `mirror` and multipart uploads: random trees and a large file round-tripped,
checked byte for byte (and by SHA-256) against what the REST API serves."""

from __future__ import annotations

import hashlib
import os
import shutil

from clisupport import (api_listing, api_object, api_object_bytes, expect_status, local_tree, open_uploads,
                        random_tree, sha256_bytes, sha256_file)

MIB = 1 << 20


def remote_tree(api, volume: str, prefix: str) -> dict[str, str]:
    """{key under prefix: sha256 of the bytes the API serves}; also checks each object's sha256 field."""
    tree = {}
    for item in api_listing(api, volume, prefix)["objects"]:
        digest = sha256_bytes(api_object_bytes(api, volume, item["key"]))
        assert item["sha256"] == digest, f"{item['key']}: recorded sha256 {item['sha256']}, content {digest}"
        tree[item["key"][len(prefix):]] = digest
    return tree


def test_cp_recursive_round_trips_a_random_tree(cli, api, volume, rng, tmp_path):
    source = tmp_path / "source tree"
    expected = random_tree(source, rng, files=30)
    assert len(expected) == 30 and any(" " in k for k in expected) and any(not k.isascii() for k in expected)
    summary = cli.json("cp", "-r", source, f"dl://{volume}/up/", "-j", "3", "--format", "json")
    assert summary["files"] == 30 and summary["bytes"] == sum(p.stat().st_size for p in source.rglob("*") if p.is_file())
    assert remote_tree(api, volume, "up/") == expected

    target = tmp_path / "down"
    cli.ok("cp", "-r", f"dl://{volume}/up/", target, "-j", "5")
    assert local_tree(target) == expected
    assert not [p for p in target.rglob("*") if ".ducklake-partial-" in p.name]
    # Sizes survive too, the empty file included.
    for relative in expected:
        assert (target / relative).stat().st_size == (source / relative).stat().st_size, relative


def test_mirror_up_and_down_copies_only_what_differs(cli, api, volume, rng, tmp_path):
    source = tmp_path / "site"
    expected = random_tree(source, rng, files=20)
    first = cli.json("mirror", source, f"dl://{volume}/site", "--format", "json")
    assert (first["copied"], first["deleted"], first["unchanged"]) == (20, 0, 0)
    assert remote_tree(api, volume, "site/") == expected
    again = cli.json("mirror", source, f"dl://{volume}/site/", "--format", "json")
    assert (again["copied"], again["deleted"], again["unchanged"], again["bytes"]) == (0, 0, 20, 0)

    # A file changed in place (same size, other bytes) is found by its checksum; a new one is new.
    changed = sorted(k for k in expected if (source / k).stat().st_size > 0)[0]
    size = (source / changed).stat().st_size
    (source / changed).write_bytes(bytes(b ^ 0xFF for b in (source / changed).read_bytes()))
    assert (source / changed).stat().st_size == size
    (source / "brand new.txt").write_text("new\n")
    size_only = cli.json("mirror", source, f"dl://{volume}/site/", "--size-only", "--dry-run", "--format", "json")
    assert [a["path"] for a in size_only["copy"]] == ["brand new.txt"]
    plan = cli.json("mirror", source, f"dl://{volume}/site/", "--dry-run", "--format", "json")
    assert sorted((a["path"], a["reason"]) for a in plan["copy"]) == sorted([(changed, "checksum"), ("brand new.txt", "new")])
    assert plan["delete"] == [] and plan["unchanged"] == 19
    assert remote_tree(api, volume, "site/") == expected  # the dry run changed nothing
    done = cli.json("mirror", source, f"dl://{volume}/site/", "--format", "json")
    assert (done["copied"], done["unchanged"]) == (2, 19)
    expected = local_tree(source)
    assert remote_tree(api, volume, "site/") == expected

    # Extras on the volume: reported by a dry run, kept without --delete, removed with it.
    expect_status(api.request("PUT", f"/api/v1/volumes/{volume}/objects/site/extra/one.txt", data=b"1"), 201)
    expect_status(api.request("PUT", f"/api/v1/volumes/{volume}/objects/outside.txt", data=b"2"), 201)
    dry = cli.json("mirror", source, f"dl://{volume}/site/", "--delete", "--dry-run", "--format", "json")
    assert dry["copy"] == [] and dry["delete"] == [{"path": "extra/one.txt", "reason": "not in the source", "size": 1}]
    assert "site/extra/one.txt" in [o["key"] for o in api_listing(api, volume, "site/")["objects"]]
    kept = cli.json("mirror", source, f"dl://{volume}/site/", "--format", "json")
    assert (kept["copied"], kept["deleted"]) == (0, 0)
    removed = cli.json("mirror", source, f"dl://{volume}/site/", "--delete", "--format", "json")
    assert (removed["copied"], removed["deleted"], removed["unchanged"]) == (0, 1, 21)
    assert remote_tree(api, volume, "site/") == expected
    assert api_object_bytes(api, volume, "outside.txt") == b"2"  # outside the prefix: untouched

    # Down: into a new directory, then again (nothing to copy), then with local extras.
    target = tmp_path / "backup" / "site"
    down = cli.json("mirror", f"dl://{volume}/site/", target, "--format", "json", "-j", "2")
    assert (down["copied"], down["deleted"]) == (21, 0)
    assert local_tree(target) == expected
    assert cli.json("mirror", f"dl://{volume}/site", target, "--format", "json")["copied"] == 0
    (target / "local only.txt").write_text("mine")
    victim = sorted(expected)[-1]
    (target / victim).write_bytes(b"corrupted")
    dry = cli.json("mirror", f"dl://{volume}/site/", target, "--delete", "--dry-run", "--format", "json")
    assert [a["path"] for a in dry["copy"]] == [victim] and [a["path"] for a in dry["delete"]] == ["local only.txt"]
    assert (target / "local only.txt").exists() and (target / victim).read_bytes() == b"corrupted"
    synced = cli.json("mirror", f"dl://{volume}/site/", target, "--delete", "--format", "json")
    assert (synced["copied"], synced["deleted"]) == (1, 1)
    assert local_tree(target) == expected


def test_a_large_file_goes_up_in_parallel_parts_and_arrives_whole(cli, api, volume, tmp_path):
    path = tmp_path / "large.bin"
    digest = hashlib.sha256()
    with open(path, "wb") as file:
        for _ in range(40):  # 40 MiB: 8 parts of 5 MiB
            block = os.urandom(MIB)
            digest.update(block)
            file.write(block)
    expected = digest.hexdigest()
    run = cli.ok("cp", path, f"dl://{volume}/big/large.bin", "--multipart-threshold", 5 * MIB, "--part-size",
                 5 * MIB, "-j", "4", "--format", "json")
    summary = run.json()
    assert summary["files"] == 1 and summary["bytes"] == 40 * MIB
    assert run.err == ""  # no progress bar when stderr is not a terminal
    stored = api_object(api, volume, "big/large.bin")
    assert stored["size"] == 40 * MIB and stored["sha256"] == expected
    served = hashlib.sha256()
    with api.get(f"/api/v1/volumes/{volume}/objects/big/large.bin", stream=True) as response:
        expect_status(response, 200)
        for chunk in response.iter_content(MIB):
            served.update(chunk)
    assert served.hexdigest() == expected
    assert open_uploads(api, volume) == []
    assert expect_status(api.get(f"/api/v1/volumes/{volume}"), 200).json()["open_uploads"] == 0
    # Down again, whole and renamed into place.
    cli.ok("cp", f"dl://{volume}/big/large.bin", tmp_path / "back.bin", "-j", "2")
    assert sha256_file(tmp_path / "back.bin") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.bin", "client", "large.bin"]
    # A file just below the threshold goes in one PUT, with its checksum all the same.
    small = tmp_path / "small.bin"
    with open(path, "rb") as file:
        small.write_bytes(file.read(5 * MIB - 1))
    cli.ok("cp", small, f"dl://{volume}/big/small.bin", "--multipart-threshold", 5 * MIB)
    assert api_object(api, volume, "big/small.bin")["sha256"] == sha256_file(small)


def test_mirror_uploads_large_files_in_parts_too(cli, api, volume, rng, tmp_path):
    source = tmp_path / "mixed"
    source.mkdir()
    (source / "big one.bin").write_bytes(rng.randbytes(11 * MIB + 3))
    (source / "small.txt").write_bytes(rng.randbytes(10))
    done = cli.json("mirror", source, f"dl://{volume}/m/", "--multipart-threshold", 5 * MIB, "--part-size", 5 * MIB,
                    "-j", "3", "--format", "json")
    assert done["copied"] == 2
    assert remote_tree(api, volume, "m/") == local_tree(source)
    assert open_uploads(api, volume) == []
    shutil.rmtree(source)


def test_mirror_copies_objects_without_a_checksum_again_unless_size_only(cli, api, volume, rng, tmp_path):
    # Written by another tool: no X-DuckLake-SHA256, so the object has no sha256 to compare with.
    data = rng.randbytes(5000)
    expect_status(api.request("PUT", f"/api/v1/volumes/{volume}/objects/p/plain.bin", data=data), 201)
    assert api_object(api, volume, "p/plain.bin")["sha256"] is None
    target = tmp_path / "t"
    assert cli.json("mirror", f"dl://{volume}/p/", target, "--format", "json")["copied"] == 1
    assert (target / "plain.bin").read_bytes() == data
    plan = cli.json("mirror", f"dl://{volume}/p/", target, "--dry-run", "--format", "json")
    assert plan["copy"] == [{"path": "plain.bin", "reason": "no checksum on the object", "size": 5000}]
    assert cli.json("mirror", f"dl://{volume}/p/", target, "--size-only", "--format", "json")["unchanged"] == 1
    # Uploaded by the CLI, it gets one; then nothing is copied any more.
    cli.ok("mirror", target, f"dl://{volume}/p/")
    assert api_object(api, volume, "p/plain.bin")["sha256"] == sha256_bytes(data)
    assert cli.json("mirror", f"dl://{volume}/p/", target, "--format", "json")["copied"] == 0
