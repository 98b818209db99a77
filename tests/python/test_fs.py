"""The fsspec filesystem `ducklake://VOLUME/KEY`: pandas, fsspec.open, ls/glob/find/info, ranges,
copies and deletes, checked against the REST API; a write cut by an exception stores nothing."""

from __future__ import annotations

import fsspec
import pandas as pd
import pytest

import ducklake
from ducklake.fs import DuckLakeFileSystem

MiB = 1 << 20


@pytest.fixture
def fs(client) -> DuckLakeFileSystem:
    return fsspec.filesystem("ducklake", client=client)


def test_pandas_round_trip_with_url_or_client(server, client, api, volume):
    frame = pd.DataFrame({"id": [1, 2, 3], "city": ["Oslo", "Paris", "Zürich"]})
    frame.to_csv(f"ducklake://{volume}/2026/orders.csv", index=False, storage_options={"url": server.base_url})
    assert api.get(f"/api/v1/volumes/{volume}/objects/2026/orders.csv").content.decode() == frame.to_csv(index=False)
    back = pd.read_csv(f"ducklake://{volume}/2026/orders.csv", storage_options={"client": client})
    pd.testing.assert_frame_equal(back, frame)
    frame.to_json(f"ducklake://{volume}/2026/orders.ndjson", orient="records", lines=True,
                  storage_options={"client": client})
    pd.testing.assert_frame_equal(pd.read_json(f"ducklake://{volume}/2026/orders.ndjson", lines=True,
                                               storage_options={"client": client}), frame)


def test_open_text_and_binary(fs, client, volume):
    with fsspec.open(f"ducklake://{volume}/notes/a.txt", "w", client=client) as out:
        out.write("héllo\nworld\n")
    with fsspec.open(f"ducklake://{volume}/notes/a.txt", "r", client=client) as handle:
        assert handle.read() == "héllo\nworld\n"
    with fs.open(f"{volume}/notes/a.txt", "rb") as handle:
        handle.seek(7)
        assert handle.read(5) == b"world"


def test_listing_info_glob_find(fs, client, volume):
    for key in ("2026/01/a.csv", "2026/01/b.json", "2026/02/c.csv", "top.csv"):
        client.put_object(volume, key, key.encode())
    assert fs.ls(volume, detail=False) == [f"{volume}/2026", f"{volume}/top.csv"]
    assert fs.ls(f"ducklake://{volume}/2026/", detail=False) == [f"{volume}/2026/01", f"{volume}/2026/02"]
    assert volume in fs.ls("", detail=False)
    assert fs.glob(f"{volume}/2026/*/*.csv") == [f"{volume}/2026/01/a.csv", f"{volume}/2026/02/c.csv"]
    assert fs.glob(f"ducklake://{volume}/**/*.json") == [f"{volume}/2026/01/b.json"]
    assert fs.find(f"{volume}/2026") == [f"{volume}/2026/01/a.csv", f"{volume}/2026/01/b.json", f"{volume}/2026/02/c.csv"]
    assert fs.find(volume, withdirs=True, detail=False)[:2] == [f"{volume}/2026", f"{volume}/2026/01"]
    info = fs.info(f"{volume}/2026/01/a.csv")
    assert info["type"] == "file" and info["size"] == len("2026/01/a.csv")
    assert fs.info(f"{volume}/2026")["type"] == "directory" and fs.isdir(volume)
    assert fs.exists(f"{volume}/top.csv") and not fs.exists(f"{volume}/nope") and not fs.exists("no-such-volume")
    with pytest.raises(FileNotFoundError):
        fs.info(f"{volume}/nope")
    with pytest.raises(FileNotFoundError):
        fs.ls("no-such-volume")


def test_ranges_match_the_bytes(fs, client, volume, rng):
    data = rng.randbytes(3 * MiB)
    client.put_object(volume, "r.bin", data)
    for _ in range(20):
        start = rng.randint(-len(data), len(data))
        end = rng.randint(-len(data), len(data) + 10)
        assert fs.cat_file(f"{volume}/r.bin", start, end) == data[start:end], (start, end)
    with fs.open(f"{volume}/r.bin", "rb", block_size=64 * 1024) as handle:
        handle.seek(MiB + 5)
        assert handle.read(100_000) == data[MiB + 5:MiB + 100_005]


def test_large_writes_go_as_multipart_and_a_failed_write_stores_nothing(fs, client, api, volume, rng):
    blocks = [rng.randbytes(6 * MiB) for _ in range(3)]
    with fs.open(f"{volume}/big.bin", "wb", block_size=5 * MiB) as out:
        for block in blocks:
            out.write(block)
    assert api.get(f"/api/v1/volumes/{volume}/objects/big.bin").content == b"".join(blocks)
    with pytest.raises(RuntimeError):
        with fs.open(f"{volume}/broken.bin", "wb", block_size=5 * MiB) as out:
            out.write(blocks[0] + blocks[1])
            raise RuntimeError("the producer failed")
    assert not fs.exists(f"{volume}/broken.bin") and client.volume(volume)["open_uploads"] == 0


def test_put_get_copy_move_and_remove(fs, client, api, volume, tmp_path):
    local = tmp_path / "up"
    (local / "sub").mkdir(parents=True)
    (local / "a.txt").write_text("a")
    (local / "sub" / "b.txt").write_text("b")
    fs.put(str(local), f"{volume}/up", recursive=True)
    assert sorted(fs.find(f"{volume}/up")) == [f"{volume}/up/a.txt", f"{volume}/up/sub/b.txt"]
    fs.get(f"{volume}/up", str(tmp_path / "down"), recursive=True)
    assert (tmp_path / "down" / "sub" / "b.txt").read_text() == "b"
    fs.cp(f"{volume}/up/a.txt", f"{volume}/copy.txt")
    assert client.stat_object(volume, "copy.txt")["source"]["copied_from"]["key"] == "up/a.txt"
    fs.mv(f"{volume}/copy.txt", f"{volume}/moved.txt")
    assert fs.exists(f"{volume}/moved.txt") and not fs.exists(f"{volume}/copy.txt")
    fs.rm(f"{volume}/up", recursive=True)
    assert fs.find(f"{volume}/up") == []
    fs.pipe_file(f"{volume}/p.bin", b"piped")
    assert fs.cat(f"{volume}/p.bin") == b"piped"
    with pytest.raises(FileNotFoundError):
        fs.rm_file(f"{volume}/none")


def test_bad_paths_and_modes(fs, volume):
    with pytest.raises(IsADirectoryError):
        fs.open(volume, "rb")
    with pytest.raises(ValueError):
        fs.open(f"{volume}/a", "ab")
    with pytest.raises(ducklake.BadRequest):
        fs.open(f"{volume}/a/../b", "wb")


def test_the_protocol_is_registered(server):
    fs = fsspec.filesystem("ducklake", url=server.base_url)
    assert isinstance(fs, DuckLakeFileSystem) and fs.client.url == server.base_url
    with pytest.raises(ducklake.BadRequest):
        fsspec.filesystem("ducklake", url="ftp://nowhere")
