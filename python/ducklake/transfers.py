"""Moving object bytes: streamed single uploads, parallel multipart uploads of large files, and
streamed downloads, each with an optional progress callback.

A progress callback is called as ``progress(bytes_done, bytes_total)`` (``bytes_total`` is
``None`` when unknown) from the calling thread, at most a few times per MiB.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from ._http import Transport, key_path, path_segment
from .errors import BadRequest

Progress = Callable[[int, "int | None"], None]

MIN_PART_BYTES = 5 << 20
DEFAULT_PART_BYTES = 64 << 20
DEFAULT_MULTIPART_THRESHOLD = 64 << 20
_READ_BYTES = 1 << 20


class _Counter:
    """Bytes done so far, from any thread; reported on the thread that asks."""

    def __init__(self, total: int | None, progress: Progress | None):
        self.total, self.progress, self.done = total, progress, 0
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        with self._lock:
            self.done += count

    def report(self) -> None:
        if self.progress:
            self.progress(self.done, self.total)


class _CountingReader:
    """The next ``size`` bytes of a file, for requests to send with a Content-Length without
    holding them: counts what it reads, and reports it when ``report`` (only the calling thread
    may report)."""

    def __init__(self, handle: IO[bytes], size: int, counter: _Counter, report: bool = True):
        self._handle, self.len, self._counter, self._report = handle, size, counter, report
        self._remaining = size
        self._unreported = 0

    def read(self, count: int = -1) -> bytes:
        if count < 0 or count > self._remaining:
            count = self._remaining
        chunk = self._handle.read(count)
        self._remaining -= len(chunk)
        self._counter.add(len(chunk))
        self._unreported += len(chunk)
        if self._report and (self._unreported >= _READ_BYTES or not chunk):
            self._unreported = 0
            self._counter.report()
        return chunk


def _file_chunks(handle: IO[bytes], counter: _Counter) -> Iterator[bytes]:
    while True:
        chunk = handle.read(_READ_BYTES)
        if not chunk:
            return
        counter.add(len(chunk))
        counter.report()
        yield chunk


def object_path(volume: str, key: str) -> str:
    # Checked here because HTTP libraries resolve "." and ".." in a URL path before sending it,
    # which would silently store the object under another key.
    if not isinstance(key, str) or not key or any(part in ("", ".", "..") for part in key.split("/")):
        raise BadRequest(f"bad object key {key!r}: keys are not empty and have no empty, '.' or '..' segment")
    return f"/api/v1/volumes/{path_segment(volume)}/objects/{key_path(key)}"


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_READ_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def upload(transport: Transport, volume: str, key: str, source: Any, *, content_type: str | None,
           metadata: dict[str, str] | None, progress: Progress | None, multipart_threshold: int,
           part_size: int, parallel: int, checksum: bool, if_none_match: bool) -> dict:
    """Stores ``source`` (a path, bytes, or a binary file object) at ``volume``/``key``."""
    headers = {"Content-Type": content_type} if content_type else {}
    for name, value in (metadata or {}).items():
        headers[f"x-ducklake-meta-{name}"] = value
    if if_none_match:
        headers["If-None-Match"] = "*"
    path = object_path(volume, key)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if checksum:
            headers["X-DuckLake-SHA256"] = hashlib.sha256(data).hexdigest()
        counter = _Counter(len(data), progress)
        response = transport.request("PUT", path, data=data, headers=headers)
        counter.add(len(data))
        counter.report()
        return response.json()
    if isinstance(source, (str, os.PathLike)):
        file_path = Path(source)
        if not file_path.is_file():
            raise BadRequest(f"{file_path}: not a file")
        size = file_path.stat().st_size
        if size > multipart_threshold and not if_none_match:
            return _multipart(transport, volume, key, file_path, size, content_type=content_type, metadata=metadata,
                              progress=progress, part_size=part_size, parallel=parallel, checksum=checksum)
        if checksum:
            headers["X-DuckLake-SHA256"] = sha256_of_file(file_path)
        with open(file_path, "rb") as handle:
            body = _CountingReader(handle, size, _Counter(size, progress))
            return transport.request("PUT", path, data=body, headers=headers).json()
    if hasattr(source, "read"):
        # A stream of unknown length: sent chunked; the server stores it as it arrives.
        counter = _Counter(None, progress)
        return transport.request("PUT", path, data=_file_chunks(source, counter), headers=headers).json()
    raise BadRequest(f"cannot upload a {type(source).__name__}: give a path, bytes or a binary file")


def _multipart(transport: Transport, volume: str, key: str, file_path: Path, size: int, *, content_type: str | None,
               metadata: dict[str, str] | None, progress: Progress | None, part_size: int, parallel: int,
               checksum: bool) -> dict:
    if part_size < MIN_PART_BYTES:
        raise BadRequest(f"part_size must be at least {MIN_PART_BYTES} bytes (5 MiB)")
    part_size = max(part_size, -(-size // 10000))  # at most 10000 parts
    base = f"/api/v1/volumes/{path_segment(volume)}/uploads"
    body: dict[str, Any] = {"key": key}
    if content_type:
        body["content_type"] = content_type
    if metadata:
        body["metadata"] = metadata
    upload_id = transport.send_json("POST", base, body)["upload_id"]
    upload_path = f"{base}/{path_segment(upload_id)}"
    counter = _Counter(size, progress)
    try:
        digest = sha256_of_file(file_path) if checksum else None

        def send(number: int) -> dict:
            # The part is read twice from the file (for its MD5, then while it is sent), never
            # held: memory stays at a few buffers whatever part_size and parallel are.
            offset = (number - 1) * part_size
            length = min(part_size, size - offset)
            with open(file_path, "rb") as handle:
                handle.seek(offset)
                md5 = hashlib.md5()
                for chunk in iter(lambda: handle.read(min(_READ_BYTES, offset + length - handle.tell())), b""):
                    md5.update(chunk)
                handle.seek(offset)
                body = _CountingReader(handle, length, counter, report=False)
                return transport.request("PUT", f"{upload_path}/parts/{number}", data=body,
                                         headers={"Content-MD5": base64.b64encode(md5.digest()).decode()}).json()

        count = -(-size // part_size)
        parts = []
        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            pending = {pool.submit(send, n) for n in range(1, count + 1)}
            try:
                while pending:
                    done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                    parts.extend(future.result() for future in done)
                    counter.report()
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
        parts.sort(key=lambda p: p["part_number"])
        completion: dict[str, Any] = {"parts": [{"part_number": p["part_number"], "etag": p["etag"]} for p in parts]}
        if digest:
            completion["sha256"] = digest
        return transport.send_json("POST", upload_path, completion)
    except BaseException:
        # Nothing half-done: the parts go with the upload (KeyboardInterrupt included).
        try:
            transport.request("DELETE", upload_path)
        except Exception:
            pass
        raise


def download(transport: Transport, volume: str, key: str, target: Any, progress: Progress | None,
             byte_range: tuple[int, int | None] | None = None) -> int:
    """Writes the object to ``target`` (a path or a binary file object) as it arrives; returns the
    bytes written. A path is written beside itself and renamed when complete."""
    headers = {}
    if byte_range is not None:
        first, last = byte_range
        headers["Range"] = f"bytes={first}-{'' if last is None else last}"
    response = transport.request("GET", object_path(volume, key), headers=headers, stream=True)
    total = int(response.headers["Content-Length"]) if "Content-Length" in response.headers else None
    counter = _Counter(total, progress)
    with response:
        if hasattr(target, "write"):
            for chunk in response.iter_content(_READ_BYTES):
                target.write(chunk)
                counter.add(len(chunk))
                counter.report()
            return counter.done
        final = Path(target)
        partial = final.with_name(f".{final.name}.partial")
        try:
            with open(partial, "wb") as out:
                for chunk in response.iter_content(_READ_BYTES):
                    out.write(chunk)
                    counter.add(len(chunk))
                    counter.report()
            if total is not None and counter.done != total:
                raise BadRequest(f"the download of {key} ended after {counter.done} of {total} bytes")
            os.replace(partial, final)
        finally:
            if partial.exists():
                partial.unlink()
    return counter.done


def read_all(transport: Transport, volume: str, key: str, byte_range: tuple[int, int | None] | None = None) -> bytes:
    buffer = io.BytesIO()
    download(transport, volume, key, buffer, None, byte_range)
    return buffer.getvalue()
