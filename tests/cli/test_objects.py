"""`ducklake ls | stat | cat | rm | cp | mv` on single objects and listings, compared with the REST API."""

from __future__ import annotations

import json
import subprocess

from clisupport import (BINARY, api_listing, api_object, api_object_bytes, csv_rows, expect_status, object_exists,
                        quote_key, sha256_bytes)


def put(api, volume: str, key: str, data: bytes, **headers) -> dict:
    response = api.request("PUT", f"/api/v1/volumes/{volume}/objects/{quote_key(key)}", data=data, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def put_tree(api, volume: str, rng, keys: list[str]) -> dict[str, bytes]:
    contents = {}
    for key in keys:
        contents[key] = rng.randbytes(rng.randint(0, 4096))
        put(api, volume, key, contents[key], **{"X-DuckLake-SHA256": sha256_bytes(contents[key])})
    return contents


KEYS = ["top.txt", "a/one.csv", "a/two words.bin", "a/b/deep ü.txt", "a/b/c/deeper.bin", "b%#?/odd+name&x=1.txt",
        "日本/データ.json", "z-last"]


def test_ls_of_volumes_and_prefixes_matches_the_api(cli, api, volume, rng):
    put_tree(api, volume, rng, KEYS)
    volumes = cli.json("ls", "--format", "json")
    assert volumes == expect_status(api.get("/api/v1/volumes"), 200).json()
    assert f"dl://{volume}/" in cli.ok("ls").out.split()

    for prefix in ["", "a/", "a/b/", "日本/", "b%#?/", "nothing/"]:
        listed = cli.json("ls", f"dl://{volume}/{prefix}", "--format", "json")
        reference = api_listing(api, volume, prefix, delimiter="/")
        assert listed == [{"folder": f} for f in reference["folders"]] + reference["objects"], prefix
        recursive = cli.json("ls", "-r", f"dl://{volume}/{prefix}", "--format", "json")
        assert recursive == api_listing(api, volume, prefix)["objects"], prefix

    folders = csv_rows(cli.ok("ls", f"dl://{volume}/a/", "--format", "csv").out)
    level = api_listing(api, volume, "a/", delimiter="/")
    assert folders[1:] == [[f, "", "", "", ""] for f in level["folders"]] + [
        [o["key"], str(o["size"]), o["modified_at"], o["etag"], o["sha256"]] for o in level["objects"]]

    everything = api_listing(api, volume)["objects"]
    assert sorted(o["key"] for o in everything) == sorted(KEYS)
    as_csv = csv_rows(cli.ok("ls", "-r", f"dl://{volume}/", "--format", "csv").out)
    assert as_csv[0] == ["key", "size", "modified_at", "etag", "sha256"]
    assert as_csv[1:] == [[o["key"], str(o["size"]), o["modified_at"], o["etag"], o["sha256"]] for o in everything]
    # For a script, the table has exact sizes and whole keys, one object per line.
    plain = cli.ok("ls", "-r", f"dl://{volume}/").out.splitlines()
    assert [line.split(None, 2) for line in plain] == [[o["modified_at"], str(o["size"]), o["key"]] for o in everything]
    # Folder by folder: folders first (DIR), then the objects of that level.
    plain = cli.ok("ls", f"dl://{volume}/a/").out.splitlines()
    assert [line.split() for line in plain] == [["DIR", "a/b/"], *[[o["modified_at"], str(o["size"]), *o["key"].split()]
                                                                  for o in api_listing(api, volume, "a/", "/")["objects"]]]


def test_ls_pages_through_more_than_one_page(cli, api, volume):
    # 1000 entries a page: 1003 keys, each in a folder of its own, need a cursor both ways.
    session = api.http
    for i in range(1003):
        response = session.put(api.url(f"/api/v1/volumes/{volume}/objects/dirs/{i:05d}/f"), data=b"x", timeout=30)
        assert response.status_code == 201, response.text
    listed = cli.json("ls", "-r", f"dl://{volume}/dirs/", "--format", "json")
    assert [o["key"] for o in listed] == [f"dirs/{i:05d}/f" for i in range(1003)]
    assert listed == api_listing(api, volume, "dirs/")["objects"]
    folders = cli.json("ls", f"dl://{volume}/dirs/", "--format", "json")
    assert folders == [{"folder": f"dirs/{i:05d}/"} for i in range(1003)]
    assert len(cli.ok("ls", "-r", f"dl://{volume}/", "--format", "csv").out.splitlines()) == 1 + 1003


def test_ls_of_a_local_directory(cli, tmp_path, rng):
    folder = tmp_path / "local"
    (folder / "sub dir").mkdir(parents=True)
    sizes = {"a.bin": rng.randint(1, 5000), "é.txt": 0, "z z": 17}
    for name, size in sizes.items():
        (folder / name).write_bytes(rng.randbytes(size))
    lines = cli.ok("ls", folder).out.splitlines()
    assert lines[0].split() == ["modified", "size", "name"]
    name_at = lines[0].index("name")  # the last column is left-aligned: names start under its header
    shown = {line[name_at:]: line[:name_at].split()[1:] for line in lines[1:]}
    assert shown == {"a.bin": [str(sizes["a.bin"])], "é.txt": ["0"], "z z": ["17"], "sub dir/": []}
    missing = cli(*["ls", folder / "nothing"])
    assert missing.rc == 3 and missing.out == ""


def test_stat_matches_the_api_metadata(cli, api, volume, rng):
    data = rng.randbytes(1500)
    put(api, volume, "dir/x y.bin", data, **{"X-DuckLake-SHA256": sha256_bytes(data), "x-ducklake-meta-origin": "partner-a"})
    reference = api_object(api, volume, "dir/x y.bin")
    assert cli.json("stat", f"dl://{volume}/dir/x y.bin", "--format", "json") == reference
    fields = dict(line.split(": ", 1) for line in cli.ok("stat", f"dl://{volume}/dir/x y.bin").out.splitlines())
    assert fields["key"] == "dir/x y.bin" and fields["size"] == "1500" and fields["sha256"] == sha256_bytes(data)
    assert fields["etag"] == reference["etag"] and json.loads(fields["metadata"]) == {"origin": "partner-a"}
    assert json.loads(fields["lineage"]) == reference["lineage"]


def test_cat_writes_the_objects_bytes_in_order(cli, api, volume, rng):
    first, second = rng.randbytes(70000), bytes(range(256)) * 3
    put(api, volume, "one.bin", first)
    put(api, volume, "two/ü.bin", second)
    run = cli.ok("cat", f"dl://{volume}/one.bin", f"dl://{volume}/two/ü.bin", binary=True)
    assert run.out == api_object_bytes(api, volume, "one.bin") + api_object_bytes(api, volume, "two/ü.bin")
    assert sha256_bytes(run.out) == sha256_bytes(first + second)


def test_cat_into_a_closed_pipe_stops_quietly(cli, api, volume, rng):
    put(api, volume, "big.bin", rng.randbytes(4 << 20))
    shell = subprocess.run(["bash", "-o", "pipefail", "-c", '"$0" cat "$1" | head -c 10 | wc -c', str(BINARY),
                            f"dl://{volume}/big.bin"], env=cli.environment(), capture_output=True, text=True, timeout=60)
    assert shell.stdout.strip() == "10" and shell.returncode == 0, shell
    assert shell.stderr == "", shell.stderr


def test_rm_and_rm_recursive(cli, api, volume, rng):
    put_tree(api, volume, rng, KEYS)
    run = cli.ok("rm", f"dl://{volume}/top.txt")
    assert run.out == "" and not object_exists(api, volume, "top.txt")
    cli.ok("rm", "-r", f"dl://{volume}/a/", "-j", "3")
    remaining = sorted(o["key"] for o in api_listing(api, volume)["objects"])
    assert remaining == sorted(k for k in KEYS if k != "top.txt" and not k.startswith("a/"))
    cli.ok("rm", "-r", f"dl://{volume}/")
    assert api_listing(api, volume)["objects"] == []


def test_cp_and_mv_between_objects_copy_on_the_server(cli, api, volume, rng, tmp_path):
    data = put_tree(api, volume, rng, ["src/a.bin"])["src/a.bin"]
    other = f"{volume}-2"
    expect_status(api.post("/api/v1/volumes", json={"name": other}), 201)
    try:
        cli.ok("cp", f"dl://{volume}/src/a.bin", f"dl://{volume}/copy/b.bin")
        copy = api_object(api, volume, "copy/b.bin")
        assert api_object_bytes(api, volume, "copy/b.bin") == data
        assert copy["source"]["copied_from"]["key"] == "src/a.bin"
        # Into a folder of another volume: the key keeps its base name.
        cli.ok("cp", f"dl://{volume}/src/a.bin", f"dl://{other}/in/")
        assert api_object_bytes(api, other, "in/a.bin") == data
        # mv: the copy is there and the source is gone.
        result = cli.json("mv", f"dl://{volume}/copy/b.bin", f"dl://{other}/moved.bin", "--format", "json")
        assert result["files"] == 1 and result["bytes"] == len(data)
        assert not object_exists(api, volume, "copy/b.bin")
        assert api_object_bytes(api, other, "moved.bin") == data
        # -r copies a prefix, keeping the keys under it.
        put_tree(api, volume, rng, ["tree/x.txt", "tree/y/z.txt"])
        cli.ok("cp", "-r", f"dl://{volume}/tree", f"dl://{other}/copied/")
        assert sorted(o["key"] for o in api_listing(api, other, "copied/")["objects"]) == ["copied/x.txt", "copied/y/z.txt"]
    finally:
        api.delete(f"/api/v1/volumes/{other}", params={"force": "true"})


def test_cp_single_files_name_their_keys_and_files_as_documented(cli, api, volume, rng, tmp_path):
    data = rng.randbytes(12345)
    source = tmp_path / "report 2026.bin"
    source.write_bytes(data)
    cli.ok("cp", source, f"dl://{volume}/docs/")            # into a folder: its base name
    cli.ok("cp", source, f"dl://{volume}/docs/renamed.bin")  # to a key
    cli.ok("cp", source, f"dl://{volume}")                   # the volume's root
    for key in ["docs/report 2026.bin", "docs/renamed.bin", "report 2026.bin"]:
        assert api_object_bytes(api, volume, key) == data, key
        assert api_object(api, volume, key)["sha256"] == sha256_bytes(data), key
    out = tmp_path / "out"
    out.mkdir()
    cli.ok("cp", f"dl://{volume}/docs/renamed.bin", out)            # into a directory
    cli.ok("cp", f"dl://{volume}/docs/renamed.bin", out / "x.bin")  # to a file
    assert (out / "renamed.bin").read_bytes() == data and (out / "x.bin").read_bytes() == data
    assert sorted(p.name for p in out.iterdir()) == ["renamed.bin", "x.bin"]


def test_cp_from_stdin_uploads_what_it_reads(cli, api, volume, rng):
    data = rng.randbytes(3 * 1024 * 1024 + 17)
    cli.ok("cp", "-", f"dl://{volume}/from/stdin.bin", input=data)
    assert api_object_bytes(api, volume, "from/stdin.bin") == data


def test_mv_of_local_files_removes_them_once_uploaded(cli, api, volume, rng, tmp_path):
    folder = tmp_path / "outbox"
    (folder / "sub").mkdir(parents=True)
    files = {"a.txt": rng.randbytes(100), "sub/b.txt": rng.randbytes(200)}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    cli.ok("mv", "-r", folder, f"dl://{volume}/inbox/")
    for name, data in files.items():
        assert api_object_bytes(api, volume, f"inbox/{name}") == data
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def test_mv_of_objects_to_local_files_removes_them_once_downloaded(cli, api, volume, rng, tmp_path):
    contents = put_tree(api, volume, rng, ["out/a.bin", "out/sub/b ü.bin", "stay.txt"])
    target = tmp_path / "here"
    cli.ok("mv", "-r", f"dl://{volume}/out/", target)
    assert (target / "a.bin").read_bytes() == contents["out/a.bin"]
    assert (target / "sub" / "b ü.bin").read_bytes() == contents["out/sub/b ü.bin"]
    assert [o["key"] for o in api_listing(api, volume)["objects"]] == ["stay.txt"]
