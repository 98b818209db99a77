"""The DuckLake client: SQL, tables, files and lineage over the REST API."""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from . import frames, transfers
from ._http import Transport, path_segment
from .config import resolve_endpoint
from .errors import BadRequest, DuckLakeError, NotFound
from .lineage import Lineage
from .result import SqlResult

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_MODES = ("create", "append", "overwrite")


def split_table_name(name: str) -> tuple[str, str]:
    """``"sales.orders"`` → ``("sales", "orders")``; anything else raises :class:`BadRequest`."""
    parts = name.split(".") if isinstance(name, str) else []
    if len(parts) != 2 or not all(_NAME.match(p) for p in parts):
        raise BadRequest(f"bad table name {name!r}: expected NAMESPACE.TABLE, each a letter or _ then letters, "
                         "digits or _")
    return parts[0], parts[1]


def _namespace_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise BadRequest(f"bad namespace name {name!r}: a letter or _, then letters, digits or _ (at most 63)")
    return name


def _snapshot_frame(snapshots: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(snapshots)
    if "time" in frame:
        frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame


class Client:
    """A connection to one DuckLake server.

    Args:
        url: the server, e.g. ``"http://127.0.0.1:8080"``. Defaults as the CLI does: a profile of
            ``~/.config/ducklake/config.toml``, ``DUCKLAKE_URL``, then ``http://127.0.0.1:8080``.
        token: a bearer token (``DUCKLAKE_TOKEN`` or the profile's by default).
        profile: a profile of the CLI's configuration file to use.
        timeout: seconds to wait for an answer to start and between its chunks.
        retries: how often a 429/503 answer or a broken idempotent request is sent again.

    The client keeps one keep-alive HTTP session; it can be shared by threads. Close it with
    :meth:`close` or use it as a context manager.

    Example:
        >>> import ducklake
        >>> client = ducklake.Client(url="http://127.0.0.1:8080")
        >>> client.create_namespace("sales")
        >>> client.sql("CREATE TABLE sales.orders (id BIGINT, amount DECIMAL(18,2))")
        >>> client.sql("INSERT INTO sales.orders VALUES (1, 19.99), (2, 5)").fetchone()
        (2, 3)
        >>> client.sql("SELECT sum(amount) AS total FROM sales.orders").df()
           total
        0  24.99
    """

    def __init__(self, url: str | None = None, token: str | None = None, *, profile: str | None = None,
                 timeout: float = 300.0, retries: int = 4):
        self.endpoint = resolve_endpoint(url, token, profile)
        self._http = Transport(self.endpoint.url, self.endpoint.token, timeout=timeout, retries=retries)
        self.lineage = Lineage(self)

    @property
    def url(self) -> str:
        return self.endpoint.url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ducklake.Client(url={self.url!r})"

    # --- server ----------------------------------------------------------------------------------

    def whoami(self) -> dict:
        """Who the token belongs to: ``{"user", "authenticated", …}``."""
        return self._http.get_json("/api/v1/whoami")

    def ready(self) -> dict:
        """The server's readiness (``GET /readyz``); raises :class:`ServerError` when not ready."""
        return self._http.get_json("/readyz")

    # --- SQL -------------------------------------------------------------------------------------

    def sql(self, sql: str, snapshot: int | None = None, *, as_of: str | None = None, limit: int | None = None,
            timeout_ms: int | None = None, message: str | None = None, job: str | None = None) -> SqlResult:
        """Runs one statement and returns its result, streaming.

        Reads see the latest snapshot, or ``snapshot`` (an id) or ``as_of`` (an RFC 3339 time).
        A write runs now and answers one row: its count and the ``snapshot_id`` it committed;
        ``message`` is its commit message and ``job`` its lineage job's name.

        >>> client.sql("SELECT count(*) AS n FROM sales.orders", snapshot=5).fetchone()
        (1000,)
        >>> client.sql("DELETE FROM sales.orders WHERE amount = 0").fetchone()
        (3, 12)
        """
        if not isinstance(sql, str) or not sql.strip():
            raise BadRequest("sql must be a non-empty string")
        body: dict[str, Any] = {"sql": sql, "format": "json"}
        for field, value in (("snapshot", snapshot), ("as_of", as_of), ("limit", limit), ("timeout_ms", timeout_ms),
                             ("message", message), ("job", job)):
            if value is not None:
                body[field] = value
        response = self._http.request("POST", "/api/v1/query", json=body, stream=True)
        return SqlResult(response)

    def arrow(self, sql: str, snapshot: int | None = None, *, as_of: str | None = None,
              limit: int | None = None) -> Any:
        """Runs a query and returns a ``pyarrow.Table``, read from the server's Arrow IPC stream
        (needs the optional ``pyarrow``: ``pip install ducklake[arrow]``).

        >>> client.arrow("SELECT * FROM sales.orders").num_rows
        1000
        """
        try:
            import pyarrow.ipc
        except ImportError:
            raise DuckLakeError("Client.arrow needs pyarrow (pip install pyarrow); "
                                "Client.sql(...).df() needs nothing more") from None
        body: dict[str, Any] = {"sql": sql, "format": "arrow"}
        for field, value in (("snapshot", snapshot), ("as_of", as_of), ("limit", limit)):
            if value is not None:
                body[field] = value
        with self._http.request("POST", "/api/v1/query", json=body, stream=True) as response:
            response.raw.decode_content = True
            return pyarrow.ipc.open_stream(response.raw).read_all()

    def transaction(self, statements: Sequence[str], *, message: str | None = None, job: str | None = None,
                    timeout_ms: int | None = None) -> dict:
        """Runs write statements as one transaction: one snapshot, or nothing if any fails.

        >>> client.transaction(["ALTER TABLE sales.orders ADD COLUMN status VARCHAR",
        ...                     "UPDATE sales.orders SET status = 'open'"])["snapshot_id"]
        14
        """
        if isinstance(statements, str) or not statements:
            raise BadRequest("statements must be a non-empty list of SQL strings")
        body: dict[str, Any] = {"statements": list(statements)}
        for field, value in (("message", message), ("job", job), ("timeout_ms", timeout_ms)):
            if value is not None:
                body[field] = value
        return self._http.send_json("POST", "/api/v1/query", body)

    def pinned(self, snapshot: int | None = None) -> "PinnedClient":
        """A view of the lake fixed at one snapshot (the latest now, unless given), so several
        queries read the same data while others write.

        >>> lake = client.pinned()
        >>> orders = lake.sql("SELECT * FROM sales.orders").df()
        >>> items = lake.sql("SELECT * FROM sales.order_items").df()   # same snapshot
        """
        return PinnedClient(self, snapshot if snapshot is not None else self.latest_snapshot())

    def export(self, sql: str, volume: str, key: str, *, format: str = "parquet", snapshot: int | None = None,
               job: str | None = None) -> dict:
        """Writes a query's result into a volume object on the server (no bytes pass the client)."""
        body: dict[str, Any] = {"sql": sql, "format": format, "export": {"volume": volume, "key": key}}
        if snapshot is not None:
            body["snapshot"] = snapshot
        if job is not None:
            body["job"] = job
        return self._http.send_json("POST", "/api/v1/query", body)

    # --- namespaces ------------------------------------------------------------------------------

    def namespaces(self) -> list[dict]:
        """The namespaces the caller may read: ``[{"name", "table_count", "created_snapshot"}]``."""
        return self._http.get_json("/api/v1/namespaces")["namespaces"]

    def create_namespace(self, name: str) -> dict:
        """Creates a namespace; raises :class:`Conflict` if it exists.

        >>> client.create_namespace("sales")["snapshot_id"]
        2
        """
        return self._http.send_json("POST", "/api/v1/namespaces", {"name": _namespace_name(name)})

    def drop_namespace(self, name: str) -> None:
        """Drops an empty namespace (:class:`Conflict` while it has tables)."""
        self._http.request("DELETE", f"/api/v1/namespaces/{path_segment(_namespace_name(name))}")

    # --- tables ----------------------------------------------------------------------------------

    def tables(self, namespace: str) -> list[dict]:
        """The tables of a namespace, each as :meth:`table` describes it."""
        return self._http.get_json(f"/api/v1/namespaces/{path_segment(_namespace_name(namespace))}/tables")["tables"]

    def table(self, name: str) -> dict:
        """A table's description: columns (DuckLake types), row count, size, snapshot, comment, tags, lineage."""
        return self._http.get_json(self._table_path(name))

    def table_exists(self, name: str) -> bool:
        try:
            self.table(name)
            return True
        except NotFound:
            return False

    def create_table(self, name: str, columns: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict:
        """Creates an empty table with DuckDB SQL types.

        >>> client.create_table("sales.orders", {"id": "BIGINT", "amount": "DECIMAL(18,2)"})["name"]
        'orders'
        """
        namespace, table = split_table_name(name)
        pairs = list(columns.items()) if isinstance(columns, Mapping) else list(columns)
        if not pairs:
            raise BadRequest("a table needs at least one column")
        body = {"name": table, "columns": [{"name": n, "type": t} for n, t in pairs]}
        return self._http.send_json("POST", f"/api/v1/namespaces/{path_segment(namespace)}/tables", body)

    def drop_table(self, name: str) -> None:
        """Drops a table; older snapshots still see it."""
        self._http.request("DELETE", self._table_path(name))

    def read_table(self, name: str, snapshot: int | None = None, *, as_of: str | None = None,
                   limit: int | None = None) -> pd.DataFrame:
        """A whole table (or its first ``limit`` rows) as a DataFrame, at the latest snapshot or
        one in the past (time travel).

        >>> client.read_table("sales.orders", snapshot=5).shape
        (1000, 2)
        """
        namespace, table = split_table_name(name)
        return self.sql(f'SELECT * FROM "{namespace}"."{table}"', snapshot, as_of=as_of, limit=limit).df()

    def write_table(self, name: str, df: pd.DataFrame, mode: str = "append", *, job: str | None = None) -> dict:
        """Writes a DataFrame into a table, streamed: the frame is encoded a slice at a time while
        it is sent, so no copy of the whole frame is made.

        ``mode`` is ``"create"`` (a new table; :class:`Conflict` if it exists), ``"append"``
        (creates the table if missing) or ``"overwrite"`` (replaces the rows). Column types come
        from the dtypes (see :func:`ducklake.frames.sql_types`); into an existing table, columns
        are matched by name and cast to the table's types. Answers
        ``{"rows_written", "snapshot_id", "created_table"}``; one snapshot either way.

        >>> df = pd.DataFrame({"id": [1, 2], "amount": [Decimal("19.99"), Decimal("5.00")]})
        >>> client.write_table("sales.orders", df, mode="create")
        {'rows_written': 2, 'snapshot_id': 7, 'created_table': True}
        """
        namespace, table = split_table_name(name)
        if mode not in _MODES:
            raise BadRequest(f"mode must be one of {', '.join(_MODES)}, not {mode!r}")
        frame = frames.dataframe_or_raise(df)
        if frame.columns.empty:
            raise BadRequest("the DataFrame has no columns")
        types = frames.sql_types(frame)
        if len(frame) == 0:
            return self._write_empty(name, types, mode)
        marker = frames.null_marker(frame, types)
        params: dict[str, Any] = {"mode": mode, **frames.csv_options(types, marker)}
        if job is not None:
            params["job"] = job
        path = f"/api/v1/namespaces/{path_segment(namespace)}/tables/{path_segment(table)}/data"
        return self._http.send_json("POST", path, None, params=params, data=frames.csv_slices(frame, types, marker),
                                    headers={"Content-Type": "text/csv"})

    def _write_empty(self, name: str, types: dict[str, str], mode: str) -> dict:
        # An upload needs rows; an empty frame still makes (or empties) its table.
        namespace, table = split_table_name(name)
        exists = self.table_exists(name)
        if mode == "create" or not exists:
            described = self.create_table(name, types)
            return {"rows_written": 0, "snapshot_id": described["snapshot_id"], "created_table": True}
        if mode == "overwrite":
            written = self.sql(f'DELETE FROM "{namespace}"."{table}"').fetchone()
            return {"rows_written": 0, "snapshot_id": written[1], "created_table": False}
        return {"rows_written": 0, "snapshot_id": self.latest_snapshot(), "created_table": False}

    def ingest(self, name: str, volume: str, key: str, *, mode: str = "append", format: str | None = None,
               job: str | None = None, **options: Any) -> dict:
        """Loads an object already in a volume into a table, on the server (its bytes do not pass
        the client). ``options`` are the ingest options (``header``, ``delimiter``, …).

        >>> client.ingest("sales.orders", "raw", "2026/11/orders.csv")["rows_written"]
        1000
        """
        namespace, table = split_table_name(name)
        if mode not in _MODES:
            raise BadRequest(f"mode must be one of {', '.join(_MODES)}, not {mode!r}")
        params: dict[str, Any] = {"from": f"volumes/{volume}/objects/{key}", "mode": mode, **options}
        if format is not None:
            params["format"] = format
        if job is not None:
            params["job"] = job
        path = f"/api/v1/namespaces/{path_segment(namespace)}/tables/{path_segment(table)}/data"
        return self._http.send_json("POST", path, None, params=params)

    def history(self, name: str) -> pd.DataFrame:
        """The snapshots that changed a table, newest first: ``snapshot_id``, ``time``,
        ``operation`` (``create``, ``insert``, ``delete``, ``update``, …), ``rows_added``,
        ``rows_deleted``, ``author``, ``message``."""
        return _snapshot_frame(self._http.get_json(self._table_path(name) + "/snapshots")["snapshots"])

    def changes(self, name: str, start: int | None = None, end: int | None = None, *,
                limit: int | None = None) -> pd.DataFrame:
        """The rows a table gained and lost after snapshot ``start`` up to ``end`` (inclusive):
        ``snapshot_id``, ``change_type`` (``insert``, ``delete``, ``update_preimage``,
        ``update_postimage``) and the table's columns.

        >>> client.changes("sales.orders", 8, 10)[["snapshot_id", "change_type", "id"]]
           snapshot_id       change_type  id
        0            9  update_preimage   3
        1            9  update_postimage  3
        2           10           delete   1
        """
        return self.changes_result(name, start, end, limit=limit).df()

    def changes_result(self, name: str, start: int | None = None, end: int | None = None, *,
                       limit: int | None = None) -> SqlResult:
        """The change feed as a streamed :class:`SqlResult` (iterate it for a large range)."""
        params = {k: v for k, v in (("from", start), ("to", end), ("limit", limit), ("format", "json")) if v is not None}
        response = self._http.request("GET", self._table_path(name) + "/changes", params=params, stream=True)
        return SqlResult(response)

    def snapshots(self, limit: int = 100) -> pd.DataFrame:
        """The lake's latest snapshots, newest first."""
        return _snapshot_frame(self._http.get_json("/api/v1/snapshots", params={"limit": limit})["snapshots"])

    def latest_snapshot(self) -> int:
        """The id of the lake's latest snapshot."""
        snapshots = self._http.get_json("/api/v1/snapshots", params={"limit": 1})["snapshots"]
        return int(snapshots[0]["snapshot_id"]) if snapshots else 0

    def _table_path(self, name: str) -> str:
        namespace, table = split_table_name(name)
        return f"/api/v1/namespaces/{path_segment(namespace)}/tables/{path_segment(table)}"

    # --- volumes and objects ------------------------------------------------------------------------

    def volumes(self) -> list[dict]:
        """The volumes the caller may read."""
        return self._http.get_json("/api/v1/volumes")["volumes"]

    def volume(self, name: str) -> dict:
        """A volume with its ``object_count``, ``size_bytes`` and ``open_uploads``."""
        return self._http.get_json(f"/api/v1/volumes/{path_segment(name)}")

    def create_volume(self, name: str, *, description: str | None = None, owner: str | None = None,
                      tags: Mapping[str, str] | None = None, max_object_bytes: int | None = None) -> dict:
        """Creates a volume, a named folder of files (:class:`Conflict` if it exists).

        >>> client.create_volume("raw", description="Files as delivered by partners")["location"]
        'volumes/raw/'
        """
        body: dict[str, Any] = {"name": name}
        for field, value in (("description", description), ("owner", owner), ("tags", dict(tags) if tags else None),
                             ("max_object_bytes", max_object_bytes)):
            if value is not None:
                body[field] = value
        return self._http.send_json("POST", "/api/v1/volumes", body)

    def drop_volume(self, name: str, *, force: bool = False) -> None:
        """Drops a volume; with ``force=True`` also its objects and open uploads."""
        self._http.request("DELETE", f"/api/v1/volumes/{path_segment(name)}",
                           params={"force": "true"} if force else None)

    def list_objects(self, volume: str, prefix: str = "", *, delimiter: str | None = None) -> Iterator[dict]:
        """Objects whose keys start with ``prefix``, in key order, page after page. With a
        ``delimiter`` (``"/"``), folders come as ``{"folder": "2026/11/"}`` entries."""
        params: dict[str, Any] = {"prefix": prefix}
        if delimiter:
            params["delimiter"] = delimiter
        path = f"/api/v1/volumes/{path_segment(volume)}/objects"
        while True:
            page = self._http.get_json(path, params=params)
            for folder in page.get("folders", []):
                yield {"folder": folder}
            yield from page["objects"]
            if not page.get("next_cursor"):
                return
            params["cursor"] = page["next_cursor"]

    def stat_object(self, volume: str, key: str) -> dict:
        """An object's index entry: size, etag, content type, metadata, tags, sha256, times, lineage."""
        return self._http.get_json(transfers.object_path(volume, key), params={"metadata": "1"})

    def put_object(self, volume: str, key: str, source: Any, *, content_type: str | None = None,
                   metadata: Mapping[str, str] | None = None, progress: transfers.Progress | None = None,
                   checksum: bool = True, if_none_match: bool = False,
                   multipart_threshold: int = transfers.DEFAULT_MULTIPART_THRESHOLD,
                   part_size: int = transfers.DEFAULT_PART_BYTES, parallel: int = 4) -> dict:
        """Uploads ``source`` (a file path, bytes, or a binary file object) to ``volume``/``key``.

        Files larger than ``multipart_threshold`` go as a multipart upload of ``part_size`` parts,
        ``parallel`` at a time, each checked with Content-MD5; an interrupted or failed one is
        aborted, so nothing half-done stays. With ``checksum`` the server checks the SHA-256 of
        the whole object and keeps it. ``progress(done, total)`` is called as bytes go.

        >>> client.put_object("raw", "2026/11/orders.csv", "orders.csv")["size"]
        10485760
        """
        return transfers.upload(self._http, volume, key, source, content_type=content_type,
                                metadata=dict(metadata) if metadata else None, progress=progress,
                                multipart_threshold=multipart_threshold, part_size=part_size, parallel=parallel,
                                checksum=checksum, if_none_match=if_none_match)

    def get_object(self, volume: str, key: str, target: Any = None, *,
                   progress: transfers.Progress | None = None) -> bytes | int:
        """Downloads an object: its bytes (``target`` ``None``), or streamed into ``target`` (a
        path, written beside and renamed when whole, or a binary file object), answering the bytes
        written.

        >>> client.get_object("raw", "2026/11/orders.csv", "orders.csv", progress=print)
        """
        if target is None:
            return transfers.read_all(self._http, volume, key)
        return transfers.download(self._http, volume, key, target, progress)

    def read_range(self, volume: str, key: str, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` (exclusive) of an object."""
        if start < 0 or end < start:
            raise BadRequest(f"bad range {start}..{end}")
        if end == start:
            return b""
        return transfers.read_all(self._http, volume, key, (start, end - 1))

    def delete_object(self, volume: str, key: str) -> None:
        self._http.request("DELETE", transfers.object_path(volume, key))

    def copy_object(self, volume: str, key: str, to_key: str, *, to_volume: str | None = None,
                    move: bool = False, job: str | None = None) -> dict:
        """Copies (or moves) an object inside the store; its bytes do not pass the client."""
        params = {"move_to" if move else "copy_to": to_key}
        if to_volume:
            params["to_volume"] = to_volume
        if job:
            params["job"] = job
        return self._http.send_json("POST", transfers.object_path(volume, key), None, params=params)

    def set_object_tags(self, volume: str, key: str, tags: Mapping[str, str]) -> dict:
        return self._http.send_json("PATCH", transfers.object_path(volume, key), {"tags": dict(tags)})


class PinnedClient:
    """Queries against one snapshot of the lake (see :meth:`Client.pinned`)."""

    def __init__(self, client: Client, snapshot: int):
        self.client = client
        self.snapshot_id = snapshot

    def sql(self, sql: str, *, limit: int | None = None, timeout_ms: int | None = None) -> SqlResult:
        return self.client.sql(sql, self.snapshot_id, limit=limit, timeout_ms=timeout_ms)

    def read_table(self, name: str, *, limit: int | None = None) -> pd.DataFrame:
        return self.client.read_table(name, self.snapshot_id, limit=limit)

    def __enter__(self) -> "PinnedClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass
