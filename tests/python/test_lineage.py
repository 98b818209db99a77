"""Lineage from Python: the graph and column lineage agree with the REST API; runs reported with
`client.lineage.run` join DuckLake's own jobs in the graph; events validate against the
OpenLineage 2-0-2 schema (the server checks every event it is sent, and so does this test)."""

from __future__ import annotations

import pandas as pd
import pytest

import ducklake
from openlineage import validate_event


def test_graph_and_edges_match_the_api(client, api, ns):
    client.write_table(f"{ns}.src", pd.DataFrame({"id": [1, 2], "v": [1.5, 2.5]}), mode="create")
    client.sql(f"CREATE TABLE {ns}.dst AS SELECT id, v * 2 AS w FROM {ns}.src")
    node = f"dataset:ducklake://default:{ns}.dst"
    assert client.lineage.node_id(f"{ns}.dst") == node
    assert client.lineage.graph(f"{ns}.dst", depth=2) == api.get("/api/v1/lineage", params={"nodeId": node,
                                                                                              "depth": 2}).json()
    edges = set(client.lineage.edges(f"{ns}.dst").itertuples(index=False, name=None))
    job = f"job:ducklake://default:create_table_as.{ns}.dst"
    assert (f"dataset:ducklake://default:{ns}.src", job, "DATASET", "JOB") in edges
    assert (job, node, "JOB", "DATASET") in edges
    columns = client.lineage.column_lineage_df(f"{ns}.dst")
    assert set(columns[["field", "input_field", "transformation"]].itertuples(index=False, name=None)) >= {
        ("id", "id", "DIRECT/IDENTITY"), ("w", "v", "DIRECT/TRANSFORMATION")}


def test_a_reported_run_joins_the_graph_and_validates(client, api, ns, volume):
    client.write_table(f"{ns}.raw", pd.DataFrame({"id": [1, 2, 2]}), mode="create")
    client.put_object(volume, "notes.txt", b"n")
    with client.lineage.run("notebooks.dedupe", inputs=[f"{ns}.raw", f"ducklake://{volume}/notes.txt",
                                                        {"namespace": "postgres://db:5432", "name": "shop.orders"}],
                            outputs=[f"{ns}.clean"]) as run:
        frame = client.read_table(f"{ns}.raw").drop_duplicates()
        client.write_table(f"{ns}.clean", frame, mode="create")
    events = [e["event"] for e in api.get("/api/v1/lineage/events", params={"run_id": run.run_id}).json()["events"]]
    assert [e["eventType"] for e in events] == ["START", "COMPLETE"]
    for event in events:
        validate_event(event)
    graph_jobs = {n["id"] for n in client.lineage.graph(f"{ns}.clean")["graph"] if n["type"] == "JOB"}
    assert "job:ducklake-python:notebooks.dedupe" in graph_jobs
    inputs = {(d["namespace"], d["name"]) for d in events[0]["inputs"]}
    assert ("ducklake://default", f"{ns}.raw") in inputs and ("postgres://db:5432", "shop.orders") in inputs
    assert any(name.endswith(f"volumes/{volume}/notes.txt") for _, name in inputs)
    runs = client.lineage.runs("notebooks.dedupe")
    assert runs.iloc[0]["id"] == run.run_id and runs.iloc[0]["state"] == "COMPLETED"


def test_a_failing_block_reports_fail_and_reraises(client, api, ns):
    client.write_table(f"{ns}.t", pd.DataFrame({"id": [1]}), mode="create")
    with pytest.raises(ZeroDivisionError):
        with client.lineage.run("notebooks.broken", inputs=[f"{ns}.t"]) as run:
            1 / 0
    events = [e["event"] for e in api.get("/api/v1/lineage/events", params={"run_id": run.run_id}).json()["events"]]
    assert [e["eventType"] for e in events] == ["START", "FAIL"]
    facet = events[1]["run"]["facets"]["errorMessage"]
    assert facet["message"] == "division by zero" and facet["programmingLanguage"] == "Python"
    validate_event(events[1])
    assert client.lineage.runs("notebooks.broken").iloc[0]["state"] == "FAILED"


def test_emit_and_bad_events(client):
    event_id = client.lineage.emit({
        "eventType": "COMPLETE", "eventTime": "2026-11-25T10:00:05Z", "producer": "https://example.com/etl",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "0d9f4d8e-3b7a-4f2c-9a51-6c1e2b3d4f5a"}, "job": {"namespace": "etl", "name": "load"}})
    assert event_id > 0
    with pytest.raises(ducklake.BadRequest, match="runId"):
        client.lineage.emit({"eventType": "COMPLETE", "eventTime": "2026-11-25T10:00:05Z",
                             "producer": "https://example.com/etl",
                             "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                             "run": {"runId": "not-a-uuid"}, "job": {"namespace": "etl", "name": "load"}})
    with pytest.raises(ducklake.BadRequest):
        with client.lineage.run(""):
            pass
