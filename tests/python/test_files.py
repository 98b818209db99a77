"""Volumes and objects from Python, checked against the REST API: uploads (single and multipart,
with progress and checksums), downloads, ranges, listings, copies; an interrupted upload leaves
nothing behind."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest

import ducklake
from pysupport import unique_name

MiB = 1 << 20


def random_bytes(rng, size: int) -> bytes:
    return rng.randbytes(size)


def test_volume_lifecycle(client, api):
    name = unique_name("vol")
    made = client.create_volume(name, description="drops", tags={"team": "ingest"})
    assert made["name"] == name and made["tags"] == {"team": "ingest"}
    with pytest.raises(ducklake.Conflict):
        client.create_volume(name)
    assert client.volume(name)["object_count"] == 0
    assert name in [v["name"] for v in client.volumes()]
    client.put_object(name, "a.txt", b"x")
    with pytest.raises(ducklake.Conflict):
        client.drop_volume(name)
    client.drop_volume(name, force=True)
    assert api.get(f"/api/v1/volumes/{name}").status_code == 404


def test_small_upload_download_and_metadata(client, api, volume, tmp_path, rng):
    data = random_bytes(rng, 100_000)
    stored = client.put_object(volume, "2026/11/data.bin", data, content_type="application/x-test",
                               metadata={"origin": "partner-a"})
    assert stored["size"] == len(data) and stored["sha256"] == hashlib.sha256(data).hexdigest()
    assert api.get(f"/api/v1/volumes/{volume}/objects/2026/11/data.bin").content == data
    assert client.get_object(volume, "2026/11/data.bin") == data
    info = client.stat_object(volume, "2026/11/data.bin")
    assert info["metadata"] == {"origin": "partner-a"} and info["content_type"] == "application/x-test"
    target = tmp_path / "down.bin"
    seen = []
    assert client.get_object(volume, "2026/11/data.bin", target, progress=lambda d, t: seen.append((d, t))) == len(data)
    assert target.read_bytes() == data and seen[-1] == (len(data), len(data))
    assert client.read_range(volume, "2026/11/data.bin", 10, 20) == data[10:20]


def test_keys_with_reserved_characters(client, api, volume):
    key = "dir with space/a?b#c%d&e=f+g/ünï.txt"
    client.put_object(volume, key, b"odd")
    assert client.get_object(volume, key) == b"odd"
    listed = [o["key"] for o in client.list_objects(volume, "dir with space/")]
    assert listed == [key]


def test_file_and_stream_uploads(client, volume, tmp_path, rng):
    data = random_bytes(rng, 3 * MiB + 7)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    progress = []
    client.put_object(volume, "file.bin", path, progress=lambda d, t: progress.append((d, t)))
    assert client.get_object(volume, "file.bin") == data
    assert progress[-1] == (len(data), len(data)) and all(a[0] <= b[0] for a, b in zip(progress, progress[1:]))
    client.put_object(volume, "stream.bin", io.BytesIO(data))
    assert client.stat_object(volume, "stream.bin")["size"] == len(data)


def test_multipart_upload_of_a_large_file(client, api, volume, tmp_path, rng):
    data = random_bytes(rng, 17 * MiB + 123)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    progress = []
    stored = client.put_object(volume, "big.bin", path, multipart_threshold=5 * MiB, part_size=5 * MiB,
                               parallel=3, progress=lambda d, t: progress.append(d))
    assert stored["size"] == len(data) and stored["sha256"] == hashlib.sha256(data).hexdigest()
    assert api.get(f"/api/v1/volumes/{volume}/objects/big.bin").content == data
    assert progress[-1] == len(data)
    assert client.volume(volume)["open_uploads"] == 0


def test_multipart_parts_are_streamed_from_the_file_not_held(client, volume, tmp_path, rng):
    path = tmp_path / "big.bin"
    data = random_bytes(rng, 40 * MiB)
    path.write_bytes(data)
    del data
    tracemalloc.start()
    try:
        client.put_object(volume, "big.bin", path, multipart_threshold=5 * MiB, part_size=20 * MiB, parallel=2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert client.stat_object(volume, "big.bin")["size"] == 40 * MiB
    assert peak < 8 * MiB, peak  # two parts of 20 MiB held would be 40 MiB


def test_an_interrupted_multipart_upload_is_aborted(client, volume, tmp_path, rng):
    path = tmp_path / "big.bin"
    path.write_bytes(random_bytes(rng, 16 * MiB))

    def interrupt(done, total):
        if done >= 5 * MiB:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.put_object(volume, "big.bin", path, multipart_threshold=5 * MiB, part_size=5 * MiB, parallel=1,
                          progress=interrupt)
    assert client.volume(volume)["open_uploads"] == 0
    with pytest.raises(ducklake.NotFound):
        client.stat_object(volume, "big.bin")


def test_conditional_and_limited_uploads(client, api, rng):
    name = unique_name("vol")
    client.create_volume(name, max_object_bytes=1000)
    client.put_object(name, "a", b"1", if_none_match=True)
    with pytest.raises(ducklake.PreconditionFailed):
        client.put_object(name, "a", b"2", if_none_match=True)
    with pytest.raises(ducklake.PayloadTooLarge):
        client.put_object(name, "b", b"x" * 1001)
    assert client.get_object(name, "a") == b"1"
    assert [o["key"] for o in client.list_objects(name)] == ["a"]


def test_listing_pages_and_folders(client, api, volume):
    keys = [f"2026/{m:02d}/f{i:04d}.csv" for m in (1, 2) for i in range(600)]
    for key in keys[:5] + keys[-3:]:
        client.put_object(volume, key, b"a")
    for key in keys[5:-3]:
        client.put_object(volume, key, b"a", checksum=False)
    assert [o["key"] for o in client.list_objects(volume)] == sorted(keys)  # two pages of 1000
    assert list(client.list_objects(volume, "2026/", delimiter="/")) == [{"folder": "2026/01/"}, {"folder": "2026/02/"}]


def test_copy_move_tags_and_delete(client, api, volume):
    other = unique_name("vol")
    client.create_volume(other)
    client.put_object(volume, "a.csv", b"id\n1\n")
    client.set_object_tags(volume, "a.csv", {"stage": "raw"})
    copied = client.copy_object(volume, "a.csv", "b.csv")
    assert copied["tags"] == {"stage": "raw"} and copied["source"]["copied_from"]["key"] == "a.csv"
    client.copy_object(volume, "b.csv", "c.csv", to_volume=other, move=True)
    assert client.get_object(other, "c.csv") == b"id\n1\n"
    with pytest.raises(ducklake.NotFound):
        client.stat_object(volume, "b.csv")
    client.delete_object(volume, "a.csv")
    with pytest.raises(ducklake.NotFound):
        client.delete_object(volume, "a.csv")


def test_bad_keys_and_sources_are_refused(client, volume):
    with pytest.raises(ducklake.BadRequest):
        client.put_object(volume, "/abs", b"x")
    with pytest.raises(ducklake.BadRequest):
        client.put_object(volume, "a/../b", b"x")
    with pytest.raises(ducklake.BadRequest, match="cannot upload"):
        client.put_object(volume, "k", 12345)
    with pytest.raises(ducklake.BadRequest, match="part_size"):
        client.put_object(volume, "k", __file__, multipart_threshold=1, part_size=1024)
    with pytest.raises(ducklake.NotFound):
        client.put_object("no-such-volume", "k", b"x")
