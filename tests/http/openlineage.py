"""OpenLineage for the HTTP suite: validating events against the spec's own JSON schemas (the copy in
src/lineage/spec), and a real OpenLineage HTTP endpoint that records what it is sent."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from jsonschema import Draft202012Validator, RefResolver

from httpsupport import REPO_ROOT

SPEC_DIR = REPO_ROOT / "src" / "lineage" / "spec"


def _load_schemas() -> tuple[dict, dict[str, dict]]:
    core = json.loads((SPEC_DIR / "OpenLineage.json").read_text())
    store = {core["$id"]: core}
    for path in sorted((SPEC_DIR / "facets").glob("*.json")):
        schema = json.loads(path.read_text())
        store[schema["$id"]] = schema
    return core, store


_CORE, _STORE = _load_schemas()
_RESOLVER = RefResolver.from_schema(_CORE, store=_STORE)
_CORE_VALIDATOR = Draft202012Validator(_CORE, resolver=_RESOLVER)


def _facet_schema(schema_url: str) -> dict:
    """The definition a facet's _schemaURL names, e.g. .../facets/1-2-0/SchemaDatasetFacet.json#/$defs/X."""
    document, _, pointer = schema_url.partition("#")
    assert document in _STORE, f"facet schema {document} is not part of spec 2-0-2's facets"
    name = pointer.rsplit("/", 1)[-1]
    return {"$ref": f"{document}#/$defs/{name}"}


def _facets_of(event: dict):
    """(where, name, facet) for every facet of an event."""
    yield from (("run", name, facet) for name, facet in event.get("run", {}).get("facets", {}).items())
    yield from (("job", name, facet) for name, facet in event.get("job", {}).get("facets", {}).items())
    for side in ("inputs", "outputs"):
        for dataset in event.get(side, []):
            for group in ("facets", "inputFacets", "outputFacets"):
                for name, facet in dataset.get(group, {}).items():
                    yield f"{side}[{dataset['name']}].{group}", name, facet
    if "dataset" in event:
        yield from (("dataset", name, facet) for name, facet in event["dataset"].get("facets", {}).items())


def validate_event(event: dict) -> None:
    """Raises unless `event` is a valid OpenLineage 2-0-2 event whose every facet is valid against the
    standard facet schema its _schemaURL names."""
    _CORE_VALIDATOR.validate(event)
    for where, name, facet in _facets_of(event):
        schema = _facet_schema(facet["_schemaURL"])
        try:
            Draft202012Validator(schema, resolver=_RESOLVER).validate(facet)
        except Exception as error:
            raise AssertionError(f"{where} facet {name!r} is invalid: {error}") from error


class Receiver:
    """An OpenLineage HTTP endpoint on 127.0.0.1:`port`: records each POST /api/v1/lineage (its headers
    and JSON body) and answers 201 (or `status`, when set)."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.lock = threading.Lock()
        self.received: list[tuple[dict, dict]] = []
        self.status = 201
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/api/v1/lineage" and receiver.status < 300:
                    with receiver.lock:
                        receiver.received.append((dict(self.headers), json.loads(body)))
                self.send_response(receiver.status if self.path == "/api/v1/lineage" else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def events(self) -> list[dict]:
        with self.lock:
            return [body for _, body in self.received]

    def headers(self) -> list[dict]:
        with self.lock:
            return [headers for headers, _ in self.received]


def events_by_run(events: list[dict]) -> dict[str, list[str]]:
    """runId -> the event types of that run, in the order given."""
    runs: dict[str, list[str]] = {}
    for event in events:
        runs.setdefault(event["run"]["runId"], []).append(event["eventType"])
    return runs


def read_events_file(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
