"""OpenLineage from Python: read DuckLake's lineage graph, and report your own jobs into it.

DuckLake records its own jobs (ingests, SQL writes, exports, copies). Work done in Python — a
notebook that reads two tables and writes a third through pandas, a script that fetches files —
shows up in the same graph when it is reported as a run::

    with client.lineage.run("notebooks.daily_report", inputs=["sales.orders"], outputs=["reports.daily"]):
        df = client.read_table("sales.orders")
        client.write_table("reports.daily", summarise(df), mode="overwrite")

The run sends ``START`` when the block begins and ``COMPLETE`` when it ends, or ``FAIL`` with the
exception's message (and re-raises it).
"""

from __future__ import annotations

import datetime as dt
import traceback
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping
from urllib.parse import quote

import pandas as pd

from . import __version__
from .errors import BadRequest, NotFound

if TYPE_CHECKING:
    from .client import Client

SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
PRODUCER = f"urn:ducklake:python:{__version__}"
DEFAULT_JOB_NAMESPACE = "ducklake-python"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# The facet schemas of OpenLineage 2-0-2 that DuckLake's events use too.
_FACET_SCHEMAS = {"JobTypeJobFacet": "2-0-4", "ErrorMessageRunFacet": "1-0-1"}


def _facet(fields: Mapping[str, Any], name: str) -> dict:
    url = f"https://openlineage.io/spec/facets/{_FACET_SCHEMAS[name]}/{name}.json#/$defs/{name}"
    return {"_producer": PRODUCER, "_schemaURL": url, **fields}


def _split_node(node_id: str) -> tuple[str, str]:
    # dataset:<namespace>:<name>; the namespace may hold ':' (ducklake://default), the name may too.
    body = node_id.split(":", 1)[1]
    if body.startswith(("ducklake://", "s3://")):
        scheme, rest = body.split("://", 1)
        authority, name = rest.split(":", 1)
        return f"{scheme}://{authority}", name
    namespace, name = body.split(":", 1)
    return namespace, name


class Run:
    """A run being reported (see :meth:`Lineage.run`): add facets or datasets before it ends."""

    def __init__(self, lineage: "Lineage", job: str, namespace: str, inputs: list[dict], outputs: list[dict]):
        self.lineage, self.job, self.namespace = lineage, job, namespace
        self.run_id = str(uuid.uuid4())
        self.inputs, self.outputs = inputs, outputs
        self.run_facets: dict[str, Any] = {}

    def add_output(self, dataset: str | Mapping[str, str]) -> None:
        """Adds an output found out during the run (sent with ``COMPLETE``)."""
        self.outputs.append(self.lineage.dataset(dataset))

    def add_input(self, dataset: str | Mapping[str, str]) -> None:
        self.inputs.append(self.lineage.dataset(dataset))

    def event(self, event_type: str, extra_run_facets: Mapping[str, Any] | None = None) -> dict:
        return {
            "eventType": event_type, "eventTime": _now(), "producer": PRODUCER, "schemaURL": SCHEMA_URL,
            "run": {"runId": self.run_id, "facets": {**self.run_facets, **(extra_run_facets or {})}},
            "job": {"namespace": self.namespace, "name": self.job,
                    "facets": {"jobType": _facet({"processingType": "BATCH", "integration": "DUCKLAKE_PYTHON",
                                                  "jobType": "JOB"}, "JobTypeJobFacet")}},
            "inputs": self.inputs, "outputs": self.outputs,
        }


class Lineage:
    """The lineage routes of a :class:`~ducklake.Client` (``client.lineage``)."""

    def __init__(self, client: "Client"):
        self._client = client
        self._instance_namespace: str | None = None

    # --- reading ----------------------------------------------------------------------------------

    def node_id(self, ref: str | Mapping[str, str]) -> str:
        """The graph's node id of a table (``"sales.orders"``), an object (``"ducklake://raw/a.csv"``),
        a ``{"namespace", "name"}`` dataset, or an id already (``"dataset:…"``, ``"job:…"``)."""
        if isinstance(ref, str) and ref.startswith(("dataset:", "job:", "datasetField:")):
            return ref
        dataset = self.dataset(ref)
        return f"dataset:{dataset['namespace']}:{dataset['name']}"

    def graph(self, ref: str | Mapping[str, str], depth: int = 20) -> dict:
        """The lineage graph around a table, object, dataset or job, as the API answers it:
        ``{"graph": [{"id", "type", "data", "inEdges", "outEdges"}]}``.

        >>> [n["id"] for n in client.lineage.graph("sales.orders", depth=1)["graph"]]
        ['dataset:ducklake://default:sales.orders', 'job:ducklake://default:ingest.sales.orders', …]
        """
        return self._client._http.get_json("/api/v1/lineage", params={"nodeId": self.node_id(ref), "depth": depth})

    def edges(self, ref: str | Mapping[str, str], depth: int = 20) -> pd.DataFrame:
        """The graph's edges as a DataFrame: ``origin``, ``destination``, ``origin_type``,
        ``destination_type`` (data flows from origin to destination)."""
        nodes = self.graph(ref, depth)["graph"]
        types = {n["id"]: n["type"] for n in nodes}
        rows = {(e["origin"], e["destination"]) for n in nodes for e in n["inEdges"] + n["outEdges"]}
        frame = pd.DataFrame(sorted(rows), columns=["origin", "destination"])
        frame["origin_type"] = frame["origin"].map(types)
        frame["destination_type"] = frame["destination"].map(types)
        return frame

    def column_lineage(self, ref: str | Mapping[str, str], depth: int = 20, with_downstream: bool = False) -> dict:
        """Column lineage around a field (``"datasetField:…"``), a table or a job, as the API answers it."""
        params = {"nodeId": self.node_id(ref), "depth": depth, "withDownstream": str(with_downstream).lower()}
        return self._client._http.get_json("/api/v1/column-lineage", params=params)

    def column_lineage_df(self, ref: str | Mapping[str, str], depth: int = 20,
                          with_downstream: bool = False) -> pd.DataFrame:
        """Column lineage as rows: ``dataset``, ``field``, ``input_dataset``, ``input_field``,
        ``transformation`` (``DIRECT/IDENTITY``, ``DIRECT/AGGREGATION``, …)."""
        rows = []
        for node in self.column_lineage(ref, depth, with_downstream)["graph"]:
            data = node["data"]
            for source in data.get("inputFields", []):
                kinds = ", ".join(f"{t.get('type')}/{t.get('subtype')}" for t in source.get("transformations", []))
                rows.append({"dataset": data["dataset"], "field": data["field"], "input_dataset": source["dataset"],
                             "input_field": source["field"], "transformation": kinds})
        return pd.DataFrame(rows, columns=["dataset", "field", "input_dataset", "input_field", "transformation"])

    def events(self, *, after: int = 0, limit: int = 100, run_id: str | None = None,
               origin: str | None = None) -> dict:
        """One page of the event log: ``{"events": [...], "next_after"}``."""
        params: dict[str, Any] = {"after": after, "limit": limit}
        if run_id:
            params["run_id"] = run_id
        if origin:
            params["origin"] = origin
        return self._client._http.get_json("/api/v1/lineage/events", params=params)

    def runs(self, job: str, namespace: str = DEFAULT_JOB_NAMESPACE, limit: int = 100) -> pd.DataFrame:
        """A job's runs, newest first: ``id``, ``state``, ``startedAt``, ``endedAt``, ``durationMs``."""
        path = f"/marquez/api/v1/namespaces/{quote(namespace, safe='')}/jobs/{quote(job, safe='')}/runs"
        runs = self._client._http.get_json(path, params={"limit": limit})["runs"]
        columns = ["id", "state", "startedAt", "endedAt", "durationMs"]
        return pd.DataFrame([{c: r.get(c) for c in columns} for r in runs], columns=columns)

    # --- writing ----------------------------------------------------------------------------------

    def emit(self, event: Mapping[str, Any]) -> int:
        """Sends one OpenLineage event (RunEvent, DatasetEvent or JobEvent); answers its id in the
        log. The server validates it against the OpenLineage 2-0-2 schema (:class:`BadRequest`)."""
        return int(self._client._http.send_json("POST", "/api/v1/lineage", dict(event))["event_id"])

    def dataset(self, ref: str | Mapping[str, str]) -> dict:
        """An OpenLineage dataset ``{"namespace", "name"}`` for a table (``"sales.orders"``), a
        volume object (``"ducklake://raw/2026/orders.csv"`` or ``"dl://…"``), or a dataset given as
        such (another system's: ``{"namespace": "postgres://db:5432", "name": "shop.orders"}``).
        Tables and objects are named as DuckLake names them, so the graph joins them with its own."""
        if isinstance(ref, Mapping):
            if not ref.get("namespace") or not ref.get("name"):
                raise BadRequest("a dataset needs 'namespace' and 'name'")
            return {"namespace": str(ref["namespace"]), "name": str(ref["name"])}
        if not isinstance(ref, str):
            raise BadRequest(f"not a dataset: {ref!r}")
        for scheme in ("ducklake://", "dl://"):
            if ref.startswith(scheme):
                volume, _, key = ref[len(scheme):].partition("/")
                node = self._client.stat_object(volume, key)["lineage"]["node_id"]
                namespace, name = _split_node(node)
                return {"namespace": namespace, "name": name}
        from .client import split_table_name
        namespace, table = split_table_name(ref)
        try:
            node = self._client.table(ref)["lineage"]["node_id"]
            ns, name = _split_node(node)
            return {"namespace": ns, "name": name}
        except NotFound:
            # A table the run is about to create: named in the lake's lineage namespace.
            return {"namespace": self.instance_namespace(), "name": f"{namespace}.{table}"}

    def instance_namespace(self) -> str:
        """The lake's OpenLineage namespace, ``ducklake://<instance>``."""
        if self._instance_namespace is None:
            found = None
            for table_ns in self._client.namespaces():
                for table in self._client.tables(table_ns["name"])[:1]:
                    found = _split_node(table["lineage"]["node_id"])[0] if "lineage" in table else None
                    if found is None:
                        detail = self._client.table(f"{table_ns['name']}.{table['name']}")
                        found = _split_node(detail["lineage"]["node_id"])[0]
                if found:
                    break
            self._instance_namespace = found or "ducklake://default"
        return self._instance_namespace

    @contextmanager
    def run(self, job: str, *, inputs: Iterable[str | Mapping[str, str]] = (),
            outputs: Iterable[str | Mapping[str, str]] = (), namespace: str = DEFAULT_JOB_NAMESPACE) -> Iterator[Run]:
        """Reports the block as a run of ``job``: ``START`` now, then ``COMPLETE``, or ``FAIL``
        with the exception (which is re-raised).

        >>> with client.lineage.run("notebooks.clean_orders", inputs=["raw.orders"], outputs=["sales.orders"]) as run:
        ...     client.write_table("sales.orders", clean(client.read_table("raw.orders")), mode="overwrite")
        """
        if not job or not isinstance(job, str):
            raise BadRequest("a run needs a job name")
        current = Run(self, job, namespace, [self.dataset(d) for d in inputs], [self.dataset(d) for d in outputs])
        self.emit(current.event("START"))
        try:
            yield current
        except BaseException as error:
            message = str(error) or type(error).__name__
            facet = _facet({"message": message, "programmingLanguage": "Python",
                            "stackTrace": "".join(traceback.format_exception(error))[-8000:]}, "ErrorMessageRunFacet")
            self.emit(current.event("FAIL", {"errorMessage": facet}))
            raise
        self.emit(current.event("COMPLETE"))
