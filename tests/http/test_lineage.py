"""Lineage over HTTP: the OpenLineage events DuckLake emits for everything that moves data (checked
against the spec's schemas), column lineage, events other tools send, the graph in Marquez's shapes,
and delivery to an OpenLineage endpoint, a file and a volume, surviving kill -9."""

from __future__ import annotations

import signal
import urllib.parse
import uuid

import pytest

from httpsupport import (BACKEND, ServerProcess, assert_problem, expect_status, free_port, poll_until,
                         unique_name)
from openlineage import Receiver, events_by_run, read_events_file, validate_event

LAKE = "ducklake://default"
CSV = b"id,customer,amount\n1,ada,12.5\n2,bob,7.25\n3,cy,30\n"


def own_events(api, after: int = 0) -> list[dict]:
    """DuckLake's own events after event id `after`, oldest first, as {event_id, event}."""
    events = []
    while True:
        page = expect_status(api.get("/api/v1/lineage/events",
                                     params={"origin": "ducklake", "after": after, "limit": 1000}), 200).json()
        events += page["events"]
        if page["next_after"] is None:
            return events
        after = page["next_after"]


def last_event_id(api) -> int:
    events = own_events(api)
    return events[-1]["event_id"] if events else 0


def runs_of(events: list[dict]) -> dict[str, list[list[dict]]]:
    """job name -> its runs, oldest first, each the run's events in order."""
    runs: dict[str, dict[str, list[dict]]] = {}
    for item in events:
        event = item["event"]
        runs.setdefault(event["job"]["name"], {}).setdefault(event["run"]["runId"], []).append(event)
    return {name: list(by_id.values()) for name, by_id in runs.items()}


def facet(dataset: dict, name: str) -> dict:
    assert name in dataset.get("facets", {}), f"{dataset['name']} has no {name} facet: {list(dataset.get('facets', {}))}"
    return dataset["facets"][name]


def completed(jobs: dict, name: str, run: int = 0) -> dict:
    """The COMPLETE event of run `run` of job `name`, after checking that run said START, then COMPLETE."""
    assert name in jobs, f"no events for job {name}; jobs: {sorted(jobs)}"
    events = jobs[name][run]
    assert [e["eventType"] for e in events] == ["START", "COMPLETE"], [e["eventType"] for e in events]
    assert events[0]["eventTime"] <= events[1]["eventTime"]
    return events[1]


def output(event: dict, name: str) -> dict:
    matches = [d for d in event["outputs"] if d["name"] == name]
    assert matches, f"{name} is not an output of {event['job']['name']}: {[d['name'] for d in event['outputs']]}"
    return matches[0]


def obj(vol: str, key: str) -> str:
    return f"/api/v1/volumes/{vol}/objects/{urllib.parse.quote(key)}"


def object_namespace() -> str:
    return "s3://ducklake-http-tests" if BACKEND == "postgres-s3" else "file"


def test_every_kind_of_job_says_start_then_complete_in_valid_openlineage(api, ns):
    mark = last_event_id(api)
    vol = unique_name("v").replace("_", "-")
    expect_status(api.post("/api/v1/volumes", json={"name": vol}), 201)

    ingest = api.upload(ns, "orders", CSV)
    ctas = api.write(f"CREATE TABLE {ns}.big AS SELECT customer, amount * 2 AS doubled FROM {ns}.orders")
    api.write(f"INSERT INTO {ns}.big SELECT customer, amount FROM {ns}.orders WHERE amount > 10")
    api.write(f"DELETE FROM {ns}.big WHERE doubled < 20", count="rows_deleted")
    api.write(f"UPDATE {ns}.big SET doubled = doubled + 1 WHERE customer = 'cy'", count="rows_updated")
    api.write(f"ALTER TABLE {ns}.big ADD COLUMN note VARCHAR")
    overwrite = api.upload(ns, "orders", CSV, mode="overwrite")
    expect_status(api.request("PUT", obj(vol, "in/orders.csv"), data=CSV, headers={"Content-Type": "text/csv"}), 201)
    from_object = expect_status(api.post(f"/api/v1/namespaces/{ns}/tables/staged/data",
                                         params={"from": f"volumes/{vol}/objects/in/orders.csv"}), 201).json()
    [[big_rows]] = api.rows(f"SELECT count(*) FROM {ns}.big")
    exported_object = expect_status(api.post("/api/v1/query", json={
        "sql": f"SELECT customer, doubled FROM {ns}.big", "export": {"volume": vol, "key": "out/big.parquet"}}), 201).json()
    expect_status(api.post(obj(vol, "out/big.parquet"), params={"copy_to": "archive/big.parquet"}), 201)
    api.write(f"INSERT INTO {ns}.big (customer) VALUES ('dee')")
    flush = api.maintain("flush", namespace=ns, table="big")  # the rows kept in the catalog, into a file
    assert flush["tables"], flush
    compact = api.maintain("compact", namespace=ns, table="big")
    assert compact["tables"], compact
    api.create_table(ns, "rest", [("id", "BIGINT")])
    expect_status(api.patch(f"/api/v1/namespaces/{ns}/tables/rest", json={"name": "renamed"}), 200)
    expect_status(api.delete(f"/api/v1/namespaces/{ns}/tables/renamed"), 204)
    api.write(f"DROP TABLE {ns}.staged")

    events = own_events(api, mark)
    for item in events:
        validate_event(item["event"])
    jobs = runs_of(events)
    for name, runs in jobs.items():
        for run in runs:
            assert all(e["job"]["namespace"] == LAKE for e in run), name
            assert [e["eventType"] for e in run] == ["START", "COMPLETE"], (name, run)

    # An upload into a new table: it is created; its schema, snapshot, rows, location are stated.
    event = completed(jobs, f"ingest.{ns}.orders")
    assert event["inputs"] == []
    orders = output(event, f"{ns}.orders")
    assert orders["namespace"] == LAKE
    assert [f["name"] for f in facet(orders, "schema")["fields"]] == ["id", "customer", "amount"]
    assert facet(orders, "version")["datasetVersion"] == str(ingest["snapshot_id"])
    assert facet(orders, "lifecycleStateChange")["lifecycleStateChange"] == "CREATE"
    assert facet(orders, "storage") == {**facet(orders, "storage"), "storageLayer": "ducklake", "fileFormat": "parquet"}
    assert facet(orders, "dataSource")["uri"] == LAKE
    assert facet(orders, "symlinks")["identifiers"][0]["type"] == "LOCATION"
    assert orders["outputFacets"]["outputStatistics"]["rowCount"] == 3
    assert orders["outputFacets"]["outputStatistics"]["size"] > 0
    assert event["job"]["facets"]["jobType"]["jobType"] == "INGEST"
    assert event["run"]["facets"]["processing_engine"]["name"] == "DuckLake"

    # CREATE TABLE AS: reads orders (at the snapshot it read), creates big, says its SQL.
    event = completed(jobs, f"create_table_as.{ns}.big")
    assert [(d["namespace"], d["name"]) for d in event["inputs"]] == [(LAKE, f"{ns}.orders")]
    assert facet(event["inputs"][0], "version")["datasetVersion"] == str(ingest["snapshot_id"])
    big = output(event, f"{ns}.big")
    assert facet(big, "version")["datasetVersion"] == str(ctas["snapshot_id"])
    assert facet(big, "lifecycleStateChange")["lifecycleStateChange"] == "CREATE"
    assert "CREATE TABLE" in event["job"]["facets"]["sql"]["query"]
    assert big["outputFacets"]["outputStatistics"]["rowCount"] == 3

    # Plain writes: no lifecycle change; what they read is an input (the target too, for DELETE/UPDATE).
    for name, inputs in ((f"insert.{ns}.big", [f"{ns}.orders"]), (f"delete.{ns}.big", [f"{ns}.big"]),
                         (f"update.{ns}.big", [f"{ns}.big"])):
        event = completed(jobs, name)
        assert [d["name"] for d in event["inputs"]] == inputs, name
        assert "lifecycleStateChange" not in output(event, f"{ns}.big").get("facets", {})
    assert output(completed(jobs, f"delete.{ns}.big"), f"{ns}.big")["outputFacets"]["outputStatistics"]["rowCount"] == 0
    assert facet(output(completed(jobs, f"alter.{ns}.big"), f"{ns}.big"), "lifecycleStateChange")[
        "lifecycleStateChange"] == "ALTER"
    # The second upload into orders is a second run of the same job: an OVERWRITE.
    assert len(jobs[f"ingest.{ns}.orders"]) == 2
    replaced = output(completed(jobs, f"ingest.{ns}.orders", 1), f"{ns}.orders")
    assert facet(replaced, "lifecycleStateChange")["lifecycleStateChange"] == "OVERWRITE"
    assert facet(replaced, "version")["datasetVersion"] == str(overwrite["snapshot_id"])

    # Ingest from a volume object: the object is the input, named where it is stored.
    event = completed(jobs, f"ingest.{ns}.staged")
    [source] = event["inputs"]
    assert source["namespace"] == object_namespace()
    assert source["name"].endswith(f"volumes/{vol}/in/orders.csv")
    assert facet(output(event, f"{ns}.staged"), "version")["datasetVersion"] == str(from_object["snapshot_id"])
    lineage = facet(output(event, f"{ns}.staged"), "columnLineage")["fields"]
    assert lineage["customer"]["inputFields"][0]["field"] == "customer"

    # Export: from the table to the object; copy: from that object to another.
    event = completed(jobs, f"export.{vol}.out/big.parquet")
    assert [d["name"] for d in event["inputs"]] == [f"{ns}.big"]
    [exported] = event["outputs"]
    assert exported["namespace"] == object_namespace() and exported["name"].endswith(f"volumes/{vol}/out/big.parquet")
    assert facet(exported, "columnLineage")["fields"]["doubled"]["inputFields"][0]["field"] == "doubled"
    statistics = exported["outputFacets"]["outputStatistics"]
    assert (statistics["rowCount"], statistics["size"]) == (big_rows, exported_object["size"]) and big_rows > 0
    event = completed(jobs, f"copy.{vol}.archive/big.parquet")
    assert event["inputs"][0]["name"] == exported["name"]
    assert event["outputs"][0]["name"].endswith(f"volumes/{vol}/archive/big.parquet")

    assert len(jobs[f"insert.{ns}.big"]) == 2
    event = completed(jobs, f"compact.{ns}.big")
    assert event["job"]["facets"]["jobType"]["jobType"] == "COMPACTION"
    assert facet(output(event, f"{ns}.big"), "version")["datasetVersion"] == str(compact["tables"][0]["snapshot_id"])

    assert facet(output(completed(jobs, f"create_table.{ns}.rest"), f"{ns}.rest"), "lifecycleStateChange")[
        "lifecycleStateChange"] == "CREATE"
    renamed = facet(output(completed(jobs, f"alter.{ns}.rest"), f"{ns}.renamed"), "lifecycleStateChange")
    assert renamed == {**renamed, "lifecycleStateChange": "RENAME",
                       "previousIdentifier": {"namespace": LAKE, "name": f"{ns}.rest"}}
    for name, table in ((f"drop.{ns}.renamed", f"{ns}.renamed"), (f"drop.{ns}.staged", f"{ns}.staged")):
        assert facet(output(completed(jobs, name), table), "lifecycleStateChange")["lifecycleStateChange"] == "DROP"


def test_a_failing_job_says_fail_with_its_error_and_a_refused_one_says_nothing(api, ns):
    api.upload(ns, "t", CSV)
    mark = last_event_id(api)
    # Valid SQL that fails while it runs: START, then FAIL with the error.
    response = api.sql(f"INSERT INTO {ns}.t SELECT CAST('not a number' AS INTEGER), 'x', 1")
    assert_problem(response, 400)
    # An upload whose value does not fit: the same.
    assert_problem(api.upload_request(ns, "t", b"id,customer,amount\nx,y,z\n"), 400)
    # A file that cannot be read at all, into a new table; and an export whose query fails.
    assert_problem(api.upload_request(ns, "fresh", b"PAR1 this is no parquet file", fmt="parquet"), 400)
    expect_status(api.post("/api/v1/volumes", json={"name": f"{ns.replace('_', '-')}-out"}), 201)
    assert_problem(api.post("/api/v1/query", json={
        "sql": f"SELECT CAST(customer AS INTEGER) FROM {ns}.t",
        "export": {"volume": f"{ns.replace('_', '-')}-out", "key": "bad.parquet"}}), 400)
    events = [e["event"] for e in own_events(api, mark)]
    for event in events:
        validate_event(event)
    out = f"{ns.replace('_', '-')}-out"
    assert [(e["job"]["name"], e["eventType"]) for e in events] == [
        (f"insert.{ns}.t", "START"), (f"insert.{ns}.t", "FAIL"), (f"ingest.{ns}.t", "START"), (f"ingest.{ns}.t", "FAIL"),
        (f"ingest.{ns}.fresh", "START"), (f"ingest.{ns}.fresh", "FAIL"),
        (f"export.{out}.bad.parquet", "START"), (f"export.{out}.bad.parquet", "FAIL")]
    message = events[1]["run"]["facets"]["errorMessage"]
    assert "not a number" in message["message"] and message["programmingLanguage"] == "SQL"
    assert all(events[i]["run"]["facets"]["errorMessage"]["message"] for i in (3, 5, 7))
    assert not api.table_exists(ns, "fresh")
    # SQL that does not bind, or is not allowed, is refused before any job starts.
    mark = last_event_id(api)
    assert_problem(api.sql(f"INSERT INTO {ns}.t SELECT nope FROM {ns}.t"), 400)
    assert_problem(api.sql(f"INSERT INTO {ns}.t SELECT * FROM read_csv('/etc/passwd')"), 403)
    assert own_events(api, mark) == []


def test_column_lineage_of_sql_writes_comes_from_the_bound_plan(api, ns):
    api.upload(ns, "orders", CSV)
    api.upload(ns, "customers", b"name,region\nada,eu\nbob,us\ncy,eu\n")
    mark = last_event_id(api)
    api.write(f"""CREATE TABLE {ns}.report AS
        WITH eu AS (SELECT name FROM {ns}.customers WHERE region = 'eu')
        SELECT o.customer AS who, sum(o.amount) AS total, md5(o.customer) AS who_hash,
               (SELECT max(region) FROM {ns}.customers c WHERE c.name = o.customer) AS region
        FROM {ns}.orders o JOIN eu ON eu.name = o.customer GROUP BY o.customer""")
    [start, complete] = [e["event"] for e in own_events(api, mark)]
    report = output(complete, f"{ns}.report")
    fields = facet(report, "columnLineage")["fields"]

    def origins(column):
        return sorted((f["name"], f["field"], f["transformations"][0]["subtype"], f["transformations"][0]["masking"])
                      for f in fields[column]["inputFields"])

    assert origins("who") == [(f"{ns}.orders", "customer", "IDENTITY", False)]
    assert origins("total") == [(f"{ns}.orders", "amount", "AGGREGATION", False)]
    assert origins("who_hash") == [(f"{ns}.orders", "customer", "TRANSFORMATION", True)]
    assert (f"{ns}.customers", "region", "AGGREGATION", False) in origins("region")
    indirect = {(f["name"], f["field"], f["transformations"][0]["subtype"])
                for f in facet(report, "columnLineage")["dataset"]}
    assert (f"{ns}.customers", "region", "FILTER") in indirect
    assert (f"{ns}.orders", "customer", "JOIN") in indirect
    assert (f"{ns}.orders", "customer", "GROUP_BY") in indirect
    assert sorted(d["name"] for d in complete["inputs"]) == [f"{ns}.customers", f"{ns}.orders"]

    # The same lineage, served as Marquez's column-lineage graph.
    node = f"datasetField:{LAKE}:{ns}.report:total"
    graph = expect_status(api.get("/api/v1/column-lineage", params={"nodeId": node}), 200).json()["graph"]
    by_id = {n["id"]: n for n in graph}
    assert by_id[node]["data"]["inputFields"][0]["field"] == "amount"
    assert by_id[node]["inEdges"] == [{"origin": node, "destination": f"datasetField:{LAKE}:{ns}.orders:amount"}]
    assert by_id[f"datasetField:{LAKE}:{ns}.orders:amount"]["outEdges"] == [
        {"origin": f"datasetField:{LAKE}:{ns}.orders:amount", "destination": node}]
    # Downstream from an input column, on request.
    source = f"datasetField:{LAKE}:{ns}.orders:customer"
    down = expect_status(api.get("/api/v1/column-lineage", params={"nodeId": source, "withDownstream": "true"}),
                         200).json()["graph"]
    assert {f"datasetField:{LAKE}:{ns}.report:who", f"datasetField:{LAKE}:{ns}.report:who_hash"} <= {n["id"] for n in down}


def run_event(job: str, inputs: list, outputs: list, event_type: str = "COMPLETE", run_id: str | None = None) -> dict:
    return {"eventType": event_type, "eventTime": "2026-12-01T10:00:00.000Z",
            "producer": "https://example.com/airflow", "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json",
            "run": {"runId": run_id or str(uuid.uuid4())}, "job": {"namespace": "airflow", "name": job},
            "inputs": inputs, "outputs": outputs}


@pytest.mark.parametrize("broken, reason", [
    (lambda e: e.pop("eventTime"), "eventTime"),
    (lambda e: e.update(eventTime="yesterday"), "eventTime"),
    (lambda e: e["run"].update(runId="not-a-uuid"), "runId"),
    (lambda e: e.update(eventType="EXPLODED"), "eventType"),
    (lambda e: e["job"].pop("name"), "name"),
    (lambda e: e.update(inputs="orders"), "inputs"),
    (lambda e: e["outputs"].append({"namespace": "pg"}), "name"),
    (lambda e: e.update(producer=17), "producer"),
])
def test_events_from_other_tools_are_validated(api, broken, reason):
    event = run_event("load", [], [{"namespace": "pg", "name": "db.t"}])
    broken(event)
    body = assert_problem(api.post("/api/v1/lineage", json=event), 400)
    assert reason in body["detail"], body["detail"]
    for bad in (b"[1, 2]", b"{not json", b'"a string"'):
        assert_problem(api.post("/api/v1/lineage", data=bad, headers={"Content-Type": "application/json"}), 400)


def test_event_times_without_an_offset_are_utc(api):
    # The OpenLineage Python client serialises eventTime without an offset.
    job = unique_name("naive_time")
    for event_time in ("2021-11-03T10:53:52.427343", "2021-11-03T12:53:52.5+0200"):
        event = run_event(job, [], [{"namespace": "pg", "name": "db.t"}])
        event["eventTime"] = event_time
        expect_status(api.post("/api/v1/lineage", json=event), 201)
    def listed(after, before):
        events = expect_status(api.get("/marquez/api/v1/events/lineage",
                                        params={"after": after, "before": before, "limit": 100}), 200).json()["events"]
        return sorted(e["eventTime"] for e in events if e["job"]["name"] == job)
    assert listed("2021-11-03T10:53:52Z", "2021-11-03T10:53:53Z") == ["2021-11-03T10:53:52.427343",
                                                                      "2021-11-03T12:53:52.5+0200"]
    assert listed("2021-11-03T10:53:53Z", "2021-11-03T11:00:00Z") == []
    for not_a_time in ("2021-11-03T10:53:52 UTC", "2021-11-03T10:53:52+2", "2021-11-03", "10:53:52", ""):
        event = run_event(job, [], [])
        event["eventTime"] = not_a_time
        assert "eventTime" in assert_problem(api.post("/api/v1/lineage", json=event), 400)["detail"], not_a_time


def test_dataset_and_job_events_are_validated_on_both_routes(api):
    dataset_event = {"eventTime": "2026-12-01T10:00:06Z", "producer": "https://example.com/dbt",
                     "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
                     "dataset": {"namespace": "postgres://db:5432", "name": "db.t"}}
    job_event = {"eventTime": "2026-12-01T10:00:07Z", "producer": "https://example.com/dbt",
                 "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent",
                 "job": {"namespace": "dbt", "name": "model"}, "inputs": [], "outputs": []}
    broken = [({**dataset_event, "dataset": {"namespace": "pg"}}, "name"),
              ({**dataset_event, "eventTime": "soon"}, "eventTime"),
              ({**job_event, "job": {"name": "model"}}, "namespace"),
              ({**job_event, "outputs": [{"name": "x"}]}, "namespace"),
              ({**job_event, "producer": 5}, "producer")]
    mark = expect_status(api.post("/api/v1/lineage", json=dataset_event), 201).json()["event_id"]
    for path in ("/api/v1/lineage", "/marquez/api/v1/lineage"):
        for event, reason in broken:
            assert reason in assert_problem(api.post(path, json=event), 400)["detail"], (path, event)
    events = expect_status(api.get("/api/v1/lineage/events", params={"after": mark, "limit": 100}), 200).json()
    assert events["events"] == []


def test_column_lineage_is_served_under_marquez_too(api, ns):
    api.upload(ns, "orders", CSV)
    api.write(f"CREATE TABLE {ns}.totals AS SELECT customer, sum(amount) AS total FROM {ns}.orders GROUP BY customer")
    field = f"datasetField:{LAKE}:{ns}.totals:total"
    ours = expect_status(api.get("/api/v1/column-lineage", params={"nodeId": field}), 200).json()
    theirs = expect_status(api.get("/marquez/api/v1/column-lineage", params={"nodeId": field}), 200).json()
    assert ours == theirs
    nodes = {n["id"]: n for n in theirs["graph"]}
    # Marquez's shape: a field's inEdges go from it to the fields it derives from.
    assert {"origin": field, "destination": f"datasetField:{LAKE}:{ns}.orders:amount"} in nodes[field]["inEdges"]
    assert_problem(api.get("/marquez/api/v1/column-lineage", params={"nodeId": "field:x"}), 400)


def test_events_from_other_tools_build_the_graph_marquez_serves(api, ns):
    job_ns = unique_name("airflow")
    source, target = f"db.{unique_name('src')}", f"{ns}.orders"
    api.upload(ns, "orders", CSV)
    run_id = str(uuid.uuid4())
    start = run_event("extract", [{"namespace": "postgres://db:5432", "name": source}], [], "START", run_id)
    start["job"]["namespace"] = job_ns
    end = run_event("extract", [{"namespace": "postgres://db:5432", "name": source}],
                    [{"namespace": LAKE, "name": target,
                      "facets": {"schema": {"_producer": "https://example.com", "_schemaURL":
                                            "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
                                            "fields": [{"name": "id", "type": "BIGINT"}]}}}], "COMPLETE", run_id)
    end["job"]["namespace"] = job_ns
    end["eventTime"] = "2026-12-01T10:00:05.000Z"
    for event in (start, end):
        assert expect_status(api.post("/marquez/api/v1/lineage", json=event), 201).json()["event_id"] > 0
    dataset_event = {"eventTime": "2026-12-01T10:00:06Z", "producer": "https://example.com/dbt",
                     "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
                     "dataset": {"namespace": "postgres://db:5432", "name": source}}
    expect_status(api.post("/api/v1/lineage", json=dataset_event), 201)
    job_event = {"eventTime": "2026-12-01T10:00:07Z", "producer": "https://example.com/dbt",
                 "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent",
                 "job": {"namespace": job_ns, "name": "model"},
                 "inputs": [{"namespace": LAKE, "name": target}], "outputs": []}
    expect_status(api.post("/api/v1/lineage", json=job_event), 201)

    m = "/marquez/api/v1"
    quoted = urllib.parse.quote(job_ns, safe="")
    assert job_ns in [n["name"] for n in expect_status(api.get(f"{m}/namespaces"), 200).json()["namespaces"]]
    jobs = expect_status(api.get(f"{m}/namespaces/{quoted}/jobs"), 200).json()
    assert jobs["totalCount"] == 2 and sorted(j["name"] for j in jobs["jobs"]) == ["extract", "model"]
    job = expect_status(api.get(f"{m}/namespaces/{quoted}/jobs/extract"), 200).json()
    assert job["id"] == {"namespace": job_ns, "name": "extract"}
    assert job["inputs"] == [{"namespace": "postgres://db:5432", "name": source}]
    assert job["outputs"] == [{"namespace": LAKE, "name": target}]
    assert job["latestRun"]["state"] == "COMPLETED" and job["latestRun"]["durationMs"] == 5000
    runs = expect_status(api.get(f"{m}/namespaces/{quoted}/jobs/extract/runs"), 200).json()
    assert [r["id"] for r in runs["runs"]] == [run_id]
    assert runs["runs"][0]["outputDatasetVersions"][0]["datasetVersionId"]["name"] == target
    assert expect_status(api.get(f"{m}/jobs/runs/{run_id}"), 200).json()["state"] == "COMPLETED"

    lake = urllib.parse.quote(LAKE, safe="")
    dataset = expect_status(api.get(f"{m}/namespaces/{lake}/datasets/{target}"), 200).json()
    assert dataset["id"] == {"namespace": LAKE, "name": target} and dataset["fields"][0]["name"] == "id"
    versions = expect_status(api.get(f"{m}/namespaces/{lake}/datasets/{target}/versions"), 200).json()
    assert run_id in [v["createdByRun"]["id"] for v in versions["versions"] if v["createdByRun"]]
    assert target in [d["name"] for d in expect_status(api.get(f"{m}/namespaces/{lake}/datasets",
                                                               params={"limit": 1000}), 200).json()["datasets"]]

    # The graph from the lake table: the upload that made it, the external job that wrote to it, the
    # one that reads it, and the external source two hops up.
    node = f"dataset:{LAKE}:{target}"
    for path in ("/api/v1/lineage", f"{m}/lineage"):
        graph = {n["id"]: n for n in expect_status(api.get(path, params={"nodeId": node, "depth": 5}), 200).json()["graph"]}
        assert {f"job:{job_ns}:extract", f"job:{job_ns}:model", f"job:{LAKE}:ingest.{ns}.orders",
                f"dataset:postgres://db:5432:{source}"} <= set(graph)
        assert {e["origin"] for e in graph[node]["inEdges"]} == {f"job:{job_ns}:extract", f"job:{LAKE}:ingest.{ns}.orders"}
        assert [e["destination"] for e in graph[node]["outEdges"]] == [f"job:{job_ns}:model"]
        assert graph[f"job:{job_ns}:extract"]["type"] == "JOB" and graph[node]["type"] == "DATASET"
    # Depth counts job-to-job hops: at 0, the source's own job and what it touches, not the next job.
    upstream = f"dataset:postgres://db:5432:{source}"
    shallow = expect_status(api.get("/api/v1/lineage", params={"nodeId": upstream, "depth": 0}), 200).json()["graph"]
    assert {n["id"] for n in shallow} == {upstream, f"job:{job_ns}:extract", node}
    deeper = expect_status(api.get("/api/v1/lineage", params={"nodeId": upstream, "depth": 1}), 200).json()["graph"]
    assert f"job:{job_ns}:model" in {n["id"] for n in deeper}

    found = expect_status(api.get(f"{m}/search", params={"q": source[3:]}), 200).json()
    assert [(r["type"], r["nodeId"]) for r in found["results"]] == [("DATASET", f"dataset:postgres://db:5432:{source}")]
    # The table's description links to its lineage.
    link = api.describe(ns, "orders")["lineage"]
    assert link["node_id"] == node and link["upstream_jobs"] == 2 and link["downstream_jobs"] == 1

    # From a job node: its inputs and outputs, in the same shape.
    job_node = f"job:{job_ns}:extract"
    around = {n["id"]: n for n in expect_status(api.get("/api/v1/lineage", params={"nodeId": job_node, "depth": 0}),
                                               200).json()["graph"]}
    assert {upstream, node} <= set(around)
    assert [e["destination"] for e in around[job_node]["outEdges"]] == [node]
    assert [e["origin"] for e in around[job_node]["inEdges"]] == [upstream]
    # Lineage namespaces are the graph's, not the lake's: /api/v1/namespaces lists lake namespaces only.
    lake_namespaces = [n["name"] for n in expect_status(api.get("/api/v1/namespaces"), 200).json()["namespaces"]]
    assert ns in lake_namespaces and job_ns not in lake_namespaces and LAKE not in lake_namespaces

    for path, params in (("/api/v1/lineage", {}), ("/api/v1/lineage", {"nodeId": "table:x"}),
                         ("/api/v1/lineage", {"nodeId": node, "depth": "-1"}),
                         ("/api/v1/column-lineage", {"nodeId": node, "withDownstream": "maybe"})):
        assert_problem(api.get(path, params=params), 400)
    assert_problem(api.get("/api/v1/lineage", params={"nodeId": f"dataset:{LAKE}:{ns}.nothing"}), 404)
    assert_problem(api.get(f"{m}/namespaces/{quoted}/jobs/nothing"), 404)


def test_object_metadata_links_to_its_lineage(api, ns):
    vol = unique_name("v").replace("_", "-")
    expect_status(api.post("/api/v1/volumes", json={"name": vol}), 201)
    expect_status(api.request("PUT", obj(vol, "a.csv"), data=CSV, headers={"Content-Type": "text/csv"}), 201)
    expect_status(api.post(f"/api/v1/namespaces/{ns}/tables/t/data", params={"from": f"volumes/{vol}/objects/a.csv"}), 201)
    meta = expect_status(api.get(obj(vol, "a.csv"), params={"metadata": "1"}), 200).json()
    assert meta["key"] == "a.csv" and meta["volume"] == vol
    assert meta["lineage"]["downstream_jobs"] == 1 and meta["lineage"]["upstream_jobs"] == 0
    graph = expect_status(api.get("/api/v1/lineage", params={"nodeId": meta["lineage"]["node_id"]}), 200).json()
    assert f"job:{LAKE}:ingest.{ns}.t" in {n["id"] for n in graph["graph"]}


def test_jobs_can_be_named_by_the_caller(api, ns):
    api.upload(ns, "t", CSV, )
    mark = last_event_id(api)
    expect_status(api.post("/api/v1/query", json={"sql": f"INSERT INTO {ns}.t SELECT * FROM {ns}.t", "job": "nightly.copy"}), 200)
    expect_status(api.transaction([f"DELETE FROM {ns}.t WHERE id = 1", f"INSERT INTO {ns}.t VALUES (9, 'z', 1)"],
                                  job="nightly.fix"), 200)
    expect_status(api.post(f"/api/v1/namespaces/{ns}/tables/t/data", params={"format": "csv", "job": "partner.feed"},
                           data=CSV), 200)
    names = [e["event"]["job"]["name"] for e in own_events(api, mark)]
    assert names == ["nightly.copy"] * 2 + ["nightly.fix"] * 2 + ["partner.feed"] * 2
    assert_problem(api.post("/api/v1/query", json={"sql": f"INSERT INTO {ns}.t SELECT * FROM {ns}.t", "job": 7}), 400)
    assert_problem(api.post("/api/v1/query", json={"sql": f"INSERT INTO {ns}.t SELECT * FROM {ns}.t", "job": "a\nb"}), 400)


def test_a_transaction_is_one_run_with_every_table_it_touched(api, ns):
    api.upload(ns, "a", CSV)
    mark = last_event_id(api)
    expect_status(api.transaction([f"CREATE TABLE {ns}.b AS SELECT id, amount FROM {ns}.a",
                                   f"INSERT INTO {ns}.b SELECT id + 10, amount FROM {ns}.b",
                                   f"DELETE FROM {ns}.a WHERE id = 1"]), 200)
    [start, complete] = [e["event"] for e in own_events(api, mark)]
    validate_event(complete)
    assert complete["job"]["name"] == f"transaction.{ns}.b"
    assert sorted(d["name"] for d in complete["outputs"]) == [f"{ns}.a", f"{ns}.b"]
    assert sorted(d["name"] for d in complete["inputs"]) == [f"{ns}.a", f"{ns}.b"]  # b: read by the INSERT
    b = output(complete, f"{ns}.b")
    assert b["outputFacets"]["outputStatistics"]["rowCount"] == 6
    assert facet(b, "columnLineage")["fields"]["amount"]["inputFields"][0]["name"] == f"{ns}.a"


# --- delivery --------------------------------------------------------------------------------


def test_events_are_delivered_to_an_openlineage_endpoint_with_its_token(start_server, tmp_path):
    receiver = Receiver(free_port()).start()
    try:
        token_file = tmp_path / "token"
        token_file.write_text("s3cret-token\n")
        server = start_server("--lineage-url", receiver.url, "--lineage-token-file", str(token_file))
        api = server.api
        api.create_namespace("d")
        for i in range(3):
            api.upload("d", "t", CSV)
        events = poll_until(lambda: receiver.events() if len(receiver.events()) >= 6 else None, 60, "6 events")
        assert len(events) == 6
        assert list(events_by_run(events).values()) == [["START", "COMPLETE"]] * 3
        assert all(h.get("Authorization") == "Bearer s3cret-token" for h in receiver.headers())
        for event in events:
            validate_event(event)
        sinks = expect_status(api.get("/api/v1/lineage/sinks"), 200).json()["sinks"]
        assert sinks[0]["name"] == "http" and sinks[0]["pending"] == 0 and sinks[0]["delivered"] == 6
        assert "s3cret" not in server.log_text()
    finally:
        receiver.stop()


def test_the_sinks_take_their_settings_from_flags_and_the_environment(start_server, tmp_path):
    receiver = Receiver(free_port()).start()
    try:
        events_file = tmp_path / "flag.ndjson"
        server = start_server("--lineage-url", receiver.url, "--lineage-file", str(events_file),
                              env={"DUCKLAKE_LINEAGE_TOKEN": "from-the-env"})
        server.api.create_namespace("e")
        server.api.upload("e", "t", CSV)
        poll_until(lambda: len(receiver.events()) >= 2 and len(read_events_file(events_file)) >= 2, 60,
                   "2 events at both sinks")
        assert [(e["job"]["name"], e["eventType"]) for e in read_events_file(events_file)] == [
            ("ingest.e.t", "START"), ("ingest.e.t", "COMPLETE")]
        assert receiver.events() == read_events_file(events_file)
        assert all(h.get("Authorization") == "Bearer from-the-env" for h in receiver.headers())
        assert "from-the-env" not in server.log_text()
    finally:
        receiver.stop()


def test_an_endpoint_down_through_a_kill_9_loses_no_event(start_server, tmp_path):
    port = free_port()
    receiver = Receiver(port)  # not listening yet: the endpoint is down
    server = start_server("--lineage-url", receiver.url, "--lineage-retry-max-ms", "200")
    api = server.api
    api.create_namespace("k")
    writes = 5
    for i in range(writes):
        api.write(f"CREATE TABLE k.t{i} AS SELECT {i} AS v")
    sink = poll_until(lambda: [s for s in expect_status(api.get("/api/v1/lineage/sinks"), 200).json()["sinks"]
                               if s["last_error"]], 60, "a failed delivery attempt")[0]
    assert sink["pending"] == writes * 2 and sink["delivered"] == 0, sink
    assert "unreachable" in sink["last_error"], sink
    server.signal(signal.SIGKILL)
    assert server.wait_exit() == -signal.SIGKILL

    # Restarted while the endpoint is still down: it takes the outbox up again and keeps failing.
    restarted = ServerProcess(tmp_path / "restarted", server.args[1:], server.env, server.port, server.data_dir,
                              "restarted server", server.s3_prefix, server.backend_flags)
    try:
        restarted.wait_healthy()
        sink = poll_until(lambda: [s for s in expect_status(restarted.api.get("/api/v1/lineage/sinks"), 200).json()[
            "sinks"] if s["last_error"]], 60, "a failed delivery attempt after the restart")[0]
        assert sink["pending"] == writes * 2 and sink["delivered"] == 0, sink
        receiver.start()
        try:
            poll_until(lambda: expect_status(restarted.api.get("/api/v1/lineage/sinks"), 200).json()["sinks"][0]["pending"] == 0,
                       60, "the outbox to drain")
            jobs = receiver.events()
            assert len(jobs) == writes * 2, [(e["job"]["name"], e["eventType"]) for e in jobs]
            runs = events_by_run(jobs)
            assert len(runs) == writes and all(types == ["START", "COMPLETE"] for types in runs.values())
            assert [e["job"]["name"] for e in jobs if e["eventType"] == "COMPLETE"] == [
                f"create_table_as.k.t{i}" for i in range(writes)]
        finally:
            receiver.stop()
    finally:
        restarted.stop_cleanly()


def test_events_are_written_to_a_file_and_to_a_volume(start_server, tmp_path):
    events_file = tmp_path / "events.ndjson"
    probe = start_server()
    expect_status(probe.api.post("/api/v1/volumes", json={"name": "lineage-log"}), 201)
    probe.stop_cleanly()
    server = ServerProcess(tmp_path / "again", [*probe.args[1:], "--lineage-volume", "lineage-log"],
                           {**probe.env, "DUCKLAKE_LINEAGE_FILE": str(events_file)}, probe.port, probe.data_dir,
                           "server with sinks", probe.s3_prefix, probe.backend_flags)
    try:
        server.wait_healthy()
        api = server.api
        api.create_namespace("f")
        api.upload("f", "t", CSV)
        api.write("INSERT INTO f.t SELECT * FROM f.t")
        lines = poll_until(lambda: read_events_file(events_file) if len(read_events_file(events_file)) >= 4 else None,
                           60, "4 lines in the lineage file")
        assert [(e["job"]["name"], e["eventType"]) for e in lines] == [
            ("ingest.f.t", "START"), ("ingest.f.t", "COMPLETE"), ("insert.f.t", "START"), ("insert.f.t", "COMPLETE")]
        assert [e["event"] for e in own_events(api)] == lines

        def volume_events():
            listing = expect_status(api.get("/api/v1/volumes/lineage-log/objects", params={"prefix": "lineage/"}), 200).json()
            found = []
            for item in listing["objects"]:
                text = expect_status(api.get(obj("lineage-log", item["key"])), 200).text
                found += [line for line in text.splitlines() if line]
            return found if len(found) >= 4 else None

        assert len(poll_until(volume_events, 60, "4 events in the volume")) == 4
    finally:
        server.stop_cleanly()


def test_bad_lineage_flags_are_refused(tmp_path):
    from httpsupport import run_ducklake
    for flags, words in ((["--lineage-url", "ftp://x"], "lineage-url"),
                         (["--lineage-volume", "missing"], "volume"),
                         (["--lineage-retry-max-ms", "0"], "lineage-retry-max-ms")):
        result = run_ducklake(["serve", "--listen", f"127.0.0.1:{free_port()}", "--data-dir", str(tmp_path / "d"), *flags],
                              tmp_path)
        assert result.returncode != 0, result
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and words in lines[0], result.stderr


def test_job_names_follow_the_catalog_and_no_op_writes_keep_the_tables_version(api, ns):
    api.upload(ns, "Orders", CSV)
    mark = last_event_id(api)
    api.write(f"INSERT INTO {ns.upper()}.ORDERS SELECT * FROM {ns}.orders")  # any case names the same table
    nothing = api.write(f"DELETE FROM {ns}.orders WHERE id < 0", count="rows_deleted")
    jobs = runs_of(own_events(api, mark))
    assert sorted(jobs) == [f"delete.{ns}.Orders", f"insert.{ns}.Orders"]
    unchanged = output(completed(jobs, f"delete.{ns}.Orders"), f"{ns}.Orders")
    assert facet(unchanged, "version")["datasetVersion"] == str(nothing["snapshot_id"])
    assert unchanged["outputFacets"]["outputStatistics"]["rowCount"] == 0
    # Lineage is recorded for writes and exports; a query has none to name.
    assert_problem(api.post("/api/v1/query", json={"sql": f"SELECT * FROM {ns}.orders", "job": "x"}), 400)


def test_later_writes_replace_the_lineage_of_the_columns_they_write_only(api, ns):
    api.upload(ns, "src", CSV)
    api.write(f"CREATE TABLE {ns}.t AS SELECT id, customer, amount FROM {ns}.src")
    api.write(f"UPDATE {ns}.t SET amount = id * 2", count="rows_updated")
    api.write(f"DELETE FROM {ns}.t WHERE customer = 'ada'", count="rows_deleted")

    def inputs(column):
        node = f"datasetField:{LAKE}:{ns}.t:{column}"
        graph = {n["id"]: n for n in expect_status(api.get("/api/v1/column-lineage", params={"nodeId": node, "depth": 1}),
                                                   200).json()["graph"]}
        return sorted((f["dataset"], f["field"], f["transformationType"]) for f in graph[node]["data"]["inputFields"])

    assert inputs("customer") == [(f"{ns}.src", "customer", "IDENTITY")]
    assert inputs("amount") == [(f"{ns}.t", "id", "TRANSFORMATION")]


def test_search_counts_every_match(api):
    job_ns = unique_name("count")
    for i in range(3):
        event = run_event(f"match_{i}", [], [{"namespace": job_ns, "name": f"match_table_{i}"}])
        event["job"]["namespace"] = job_ns
        expect_status(api.post("/api/v1/lineage", json=event), 201)
    found = expect_status(api.get("/marquez/api/v1/search", params={"q": "match_", "limit": 2, "namespace": job_ns}),
                          200).json()
    assert found["totalCount"] == 6 and len(found["results"]) == 2
