"""DuckLake volumes as an fsspec filesystem: the protocol ``ducklake``, paths ``ducklake://VOLUME/KEY``.

Anything that takes fsspec URLs then reads and writes volume objects as it does S3 objects::

    import pandas as pd
    opts = {"url": "http://127.0.0.1:8080", "token": None}          # or {"client": client}
    df = pd.read_csv("ducklake://drops/2026/orders.csv", storage_options=opts)
    df.to_parquet("ducklake://exports/orders.parquet", storage_options=opts)   # with pyarrow
    fsspec.filesystem("ducklake", **opts).glob("drops/2026/*.csv")

Layout: the root lists the volumes as directories; inside a volume, ``/`` in keys makes folders
(as S3's delimiter listing does; an empty folder does not exist). Reads fetch byte ranges as they
are needed; writes are buffered in blocks of ``block_size`` (8 MiB) and sent as one upload, or as
a multipart upload once more than one block was written. A file left by an exception inside
``with fs.open(…, "wb")`` is discarded: nothing is stored.
"""

from __future__ import annotations

from typing import Any

import fsspec
from fsspec.spec import AbstractBufferedFile, AbstractFileSystem

from ._http import path_segment
from .errors import BadRequest, NotFound
from .transfers import object_path

_BLOCK = 8 << 20


def _to_info(volume: str, entry: dict) -> dict:
    if "folder" in entry:
        return {"name": f"{volume}/{entry['folder'].rstrip('/')}", "size": 0, "type": "directory"}
    return {"name": f"{volume}/{entry['key']}", "size": entry["size"], "type": "file", "etag": entry.get("etag"),
            "content_type": entry.get("content_type"), "modified_at": entry.get("modified_at"),
            "sha256": entry.get("sha256")}


class DuckLakeFileSystem(AbstractFileSystem):
    """fsspec filesystem over a DuckLake server's volumes.

    Args:
        client: a :class:`ducklake.Client` to use, or else
        url, token, profile: to make one (as :class:`ducklake.Client` takes them).
    """

    protocol = "ducklake"
    root_marker = ""
    cachable = False  # a client may carry a token: never share instances by their arguments

    def __init__(self, client: Any = None, url: str | None = None, token: str | None = None,
                 profile: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if client is None:
            from .client import Client
            client = Client(url=url, token=token, profile=profile)
        self.client = client

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        path = str(path)
        for prefix in ("ducklake://", "ducklake:", "dl://"):
            if path.startswith(prefix):
                path = path[len(prefix):]
                break
        return path.strip("/")

    @staticmethod
    def _split(path: str) -> tuple[str, str]:
        volume, _, key = path.partition("/")
        return volume, key

    # --- listing ---------------------------------------------------------------------------------

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list:
        path = self._strip_protocol(path)
        if not path:
            entries = [{"name": v["name"], "size": 0, "type": "directory"} for v in self.client.volumes()]
        else:
            volume, key = self._split(path)
            entries = self._list(volume, key)
            if not entries:
                info = self.info(path)  # a file lists as itself; nothing there raises
                entries = [info]
        return entries if detail else [e["name"] for e in entries]

    def _list(self, volume: str, key: str) -> list[dict]:
        prefix = f"{key}/" if key else ""
        try:
            return [_to_info(volume, e) for e in self.client.list_objects(volume, prefix, delimiter="/")]
        except NotFound:
            raise FileNotFoundError(f"ducklake://{volume}: no such volume") from None

    def info(self, path: str, **kwargs: Any) -> dict:
        path = self._strip_protocol(path)
        if not path:
            return {"name": "", "size": 0, "type": "directory"}
        volume, key = self._split(path)
        if not key:
            try:
                self.client.volume(volume)
            except (NotFound, BadRequest):
                raise FileNotFoundError(f"ducklake://{volume}: no such volume") from None
            return {"name": volume, "size": 0, "type": "directory"}
        try:
            return _to_info(volume, self.client.stat_object(volume, key))
        except (NotFound, BadRequest):
            pass
        for _ in self.client.list_objects(volume, f"{key}/"):
            return {"name": path, "size": 0, "type": "directory"}
        raise FileNotFoundError(f"ducklake://{path}")

    def find(self, path: str, maxdepth: int | None = None, withdirs: bool = False, detail: bool = False,
             **kwargs: Any) -> Any:
        path = self._strip_protocol(path)
        volume, key = self._split(path)
        if maxdepth is not None or not volume:
            return super().find(path, maxdepth=maxdepth, withdirs=withdirs, detail=detail, **kwargs)
        # One flat listing instead of a walk folder by folder.
        found: dict[str, dict] = {}
        try:
            if key:
                info = self.info(path)
                if info["type"] == "file":
                    found[path] = info
            entries = self.client.list_objects(volume, f"{key}/" if key else "")
            for entry in entries:
                info = _to_info(volume, entry)
                found[info["name"]] = info
                if withdirs:
                    parent = info["name"].rsplit("/", 1)[0]
                    while len(parent) > len(path):
                        found.setdefault(parent, {"name": parent, "size": 0, "type": "directory"})
                        parent = parent.rsplit("/", 1)[0]
        except (FileNotFoundError, NotFound):
            pass  # nothing there: fsspec's find answers an empty list
        names = sorted(found)
        return {n: found[n] for n in names} if detail else names

    # --- reading and writing ---------------------------------------------------------------------

    def _open(self, path: str, mode: str = "rb", block_size: int | None = None, autocommit: bool = True,
              cache_options: dict | None = None, **kwargs: Any) -> "DuckLakeFile":
        if mode not in ("rb", "wb"):
            raise ValueError(f"mode {mode!r}: DuckLake objects are read ('rb') or written whole ('wb')")
        return DuckLakeFile(self, self._strip_protocol(path), mode, block_size or _BLOCK, autocommit,
                            cache_options=cache_options, **kwargs)

    def cat_file(self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any) -> bytes:
        volume, key = self._split(self._strip_protocol(path))
        try:
            if start is None and end is None:
                return self.client.get_object(volume, key)
            size = self.info(path)["size"]
            first = 0 if start is None else (start if start >= 0 else max(0, size + start))
            last = size if end is None else (end if end >= 0 else max(0, size + end))
            return self.client.read_range(volume, key, first, min(last, size)) if first < min(last, size) else b""
        except NotFound:
            raise FileNotFoundError(f"ducklake://{volume}/{key}") from None

    def pipe_file(self, path: str, value: bytes, **kwargs: Any) -> None:
        volume, key = self._split(self._strip_protocol(path))
        self.client.put_object(volume, key, bytes(value))

    def put_file(self, lpath: str, rpath: str, callback: Any = None, **kwargs: Any) -> None:
        import os
        if os.path.isdir(lpath):
            return
        volume, key = self._split(self._strip_protocol(rpath))
        progress = None
        if callback is not None and hasattr(callback, "set_size"):
            def progress(done: int, total: int | None) -> None:
                if total is not None:
                    callback.set_size(total)
                callback.absolute_update(done)
        self.client.put_object(volume, key, lpath, progress=progress)

    def get_file(self, rpath: str, lpath: str, callback: Any = None, outfile: Any = None, **kwargs: Any) -> None:
        if self.isdir(rpath):
            import os
            os.makedirs(lpath, exist_ok=True)
            return
        volume, key = self._split(self._strip_protocol(rpath))
        try:
            self.client.get_object(volume, key, outfile if outfile is not None else lpath)
        except NotFound:
            raise FileNotFoundError(f"ducklake://{volume}/{key}") from None

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        source_volume, source_key = self._split(self._strip_protocol(path1))
        target_volume, target_key = self._split(self._strip_protocol(path2))
        try:
            self.client.copy_object(source_volume, source_key, target_key, to_volume=target_volume)
        except NotFound:
            raise FileNotFoundError(f"ducklake://{source_volume}/{source_key}") from None

    def rm_file(self, path: str) -> None:
        volume, key = self._split(self._strip_protocol(path))
        try:
            self.client.delete_object(volume, key)
        except NotFound:
            raise FileNotFoundError(f"ducklake://{volume}/{key}") from None

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        # Folders are only key prefixes: deleting a folder is deleting the objects under it.
        files = [name for name, info in self._expand_with_info(path, recursive, maxdepth) if info["type"] == "file"]
        for name in files:
            self.rm_file(name)

    def _expand_with_info(self, path: Any, recursive: bool, maxdepth: int | None) -> list[tuple[str, dict]]:
        """Each path (glob patterns expanded) with its info; a folder with ``recursive`` brings what is under it."""
        out = []
        for name in self.expand_path(path, recursive=False):
            info = self.info(name)
            out.append((name, info))
            if info["type"] == "directory" and recursive:
                out.extend(self.find(name, maxdepth=maxdepth, detail=True).items())
        return out

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        path = self._strip_protocol(path)
        volume, key = self._split(path)
        if key:
            return  # folders exist through their objects
        try:
            self.client.volume(volume)
        except NotFound:
            self.client.create_volume(volume)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        self.mkdir(path)

    def rmdir(self, path: str) -> None:
        pass  # a folder goes when its last object does

    def modified(self, path: str) -> Any:
        import datetime as dt
        stamp = self.info(path).get("modified_at")
        if not stamp:
            raise IsADirectoryError(path)
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))

    def ukey(self, path: str) -> str:
        return self.info(path).get("etag") or super().ukey(path)


class DuckLakeFile(AbstractBufferedFile):
    """A volume object opened for reading by ranges, or for writing in blocks."""

    def __init__(self, fs: DuckLakeFileSystem, path: str, mode: str, block_size: int, autocommit: bool,
                 **kwargs: Any):
        self.volume, self.key = fs._split(path)
        if not self.key:
            raise IsADirectoryError(f"ducklake://{path}: a volume is not a file")
        object_path(self.volume, self.key)  # a bad key fails on open, not after the data was written
        self._upload_id: str | None = None
        self._parts: list[dict] = []
        super().__init__(fs, path, mode=mode, block_size=block_size, autocommit=autocommit, **kwargs)

    @property
    def _client(self) -> Any:
        return self.fs.client

    def _fetch_range(self, start: int, end: int) -> bytes:
        try:
            return self._client.read_range(self.volume, self.key, start, min(end, self.size))
        except NotFound:
            raise FileNotFoundError(f"ducklake://{self.path}") from None

    def _initiate_upload(self) -> None:
        pass  # one PUT if the whole file fits a block; a multipart upload starts with the second block

    def _upload_chunk(self, final: bool = False) -> bool:
        data = self.buffer.getvalue()
        http = self._client._http
        base = f"/api/v1/volumes/{path_segment(self.volume)}/uploads"
        if final and self._upload_id is None:
            self._client.put_object(self.volume, self.key, data)
            return True
        if self._upload_id is None:
            self._upload_id = http.send_json("POST", base, {"key": self.key})["upload_id"]
        if data or not self._parts:
            number = len(self._parts) + 1
            part = http.request("PUT", f"{base}/{self._upload_id}/parts/{number}", data=data).json()
            self._parts.append({"part_number": part["part_number"], "etag": part["etag"]})
        if final:
            http.send_json("POST", f"{base}/{self._upload_id}", {"parts": self._parts})
            self._upload_id = None
        return True

    def discard(self) -> None:
        if self._upload_id is not None:
            try:
                self._client._http.request("DELETE", f"/api/v1/volumes/{path_segment(self.volume)}/uploads/{self._upload_id}")
            finally:
                self._upload_id = None

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is not None and self.mode == "wb" and not self.closed:
            # Nothing half-done: drop the buffer and abort the upload instead of storing a part of it.
            self.discard()
            self.buffer = None
            self.closed = True
            return
        self.close()


fsspec.register_implementation("ducklake", DuckLakeFileSystem, clobber=True)
