"""`ducklake ns | table | volume | lineage | runs`: each answer compared with the REST API's."""

from __future__ import annotations

import json
from urllib.parse import quote


from clisupport import csv_rows, expect_status, unique_name

WORDS = ["alpha", "beta", "gamma", "δέλτα", "日本", "ünï", "with,comma", 'q"uote', "x"]


def plain_table(text: str) -> list[list[str]]:
    """A table printed for a script (stdout not a terminal): whitespace-separated cells."""
    return [line.split() for line in text.splitlines() if line.strip()]


def plain_fields(text: str) -> dict[str, str]:
    """`key: value` lines (describe, stat) up to the first blank line."""
    fields = {}
    for line in text.split("\n\n")[0].splitlines():
        key, _, value = line.partition(": ")
        fields[key.rstrip(":")] = value
    return fields


def fill_table(api, ns: str, table: str, rng, rows: int) -> list[list]:
    """A table (id BIGINT, word VARCHAR, amount BIGINT) of `rows` random rows; returns them."""
    data = [[i, rng.choice(WORDS), rng.randint(-10**9, 10**9)] for i in range(rows)]
    api.write(f"CREATE TABLE {ns}.{table} (id BIGINT, word VARCHAR, amount BIGINT)")
    for start in range(0, rows, 500):
        values = ", ".join(f"({i}, '{w.replace(chr(39), chr(39) * 2)}', {a})" for i, w, a in data[start:start + 500])
        api.write(f"INSERT INTO {ns}.{table} VALUES {values}")
    return data


# --- namespaces -----------------------------------------------------------------------------------


def test_ns_create_ls_describe_rm_match_the_api(cli, api):
    name = unique_name("ns")
    created = cli.json("ns", "create", name, "--format", "json")
    described = expect_status(api.get(f"/api/v1/namespaces/{name}"), 200).json()
    assert created["name"] == name and created["snapshot_id"] == api.latest_snapshot()
    assert {k: v for k, v in created.items() if k != "snapshot_id"} == described

    assert cli.json("ns", "ls", "--format", "json") == expect_status(api.get("/api/v1/namespaces"), 200).json()
    listed = plain_table(cli.ok("ns", "ls").out)
    assert listed[0] == ["name", "tables", "created_snapshot"]
    reference = expect_status(api.get("/api/v1/namespaces"), 200).json()["namespaces"]
    assert listed[1:] == [[n["name"], str(n["table_count"]), str(n["created_snapshot"])] for n in reference]
    as_csv = csv_rows(cli.ok("ns", "ls", "--format", "csv").out)
    assert as_csv[1:] == [[n["name"], str(n["table_count"]), str(n["created_snapshot"])] for n in reference]

    api.write(f"CREATE TABLE {name}.t1 AS SELECT 1 AS id")
    shown = cli.json("ns", "describe", name, "--format", "json")
    reference = {**expect_status(api.get(f"/api/v1/namespaces/{name}"), 200).json(),
                 "tables": expect_status(api.get(f"/api/v1/namespaces/{name}/tables"), 200).json()["tables"]}
    assert shown == reference and shown["table_count"] == 1
    assert plain_fields(cli.ok("ns", "describe", name).out) == {
        "namespace": name, "tables": "1", "created at snapshot": str(created["snapshot_id"])}

    api.write(f"DROP TABLE {name}.t1")
    run = cli.ok("ns", "rm", name)
    assert run.out == f"dropped namespace {name}\n"
    assert api.get(f"/api/v1/namespaces/{name}").status_code == 404


# --- tables ---------------------------------------------------------------------------------------


def test_table_ls_and_describe_json_match_the_api(cli, api, ns, rng):
    fill_table(api, ns, "orders", rng, 40)
    fill_table(api, ns, "users", rng, 3)
    reference = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables"), 200).json()
    assert cli.json("table", "ls", ns, "--format", "json") == reference
    as_csv = csv_rows(cli.ok("table", "ls", ns, "--format", "csv").out)
    assert as_csv[0] == ["name", "rows", "size", "files", "snapshot", "comment"]
    assert as_csv[1:] == [[t["name"], str(t["row_count"]), str(t["size_bytes"]), str(t["file_count"]),
                           str(t["snapshot_id"]), t["comment"] or ""] for t in reference["tables"]]
    assert plain_table(cli.ok("table", "ls", ns).out)[1:] == [
        [t["name"], str(t["row_count"]), str(t["size_bytes"]), str(t["file_count"]), str(t["snapshot_id"])]
        for t in reference["tables"]]
    assert cli.json("table", "describe", f"{ns}.orders", "--format", "json") == api.describe(ns, "orders")
    columns = csv_rows(cli.ok("table", "describe", f"{ns}.orders", "--format", "csv").out)
    assert columns == [["column", "type", "nullable", "comment"]] + [
        [c["name"], c["type"], json.dumps(c["nullable"]), c["comment"] or ""] for c in api.describe(ns, "orders")["columns"]]


def test_table_describe_for_scripts_prints_exact_values(cli, api, ns):
    api.write(f"CREATE TABLE {ns}.big AS SELECT range AS id, repeat('x', 20) AS pad FROM range(1500)")
    info = api.describe(ns, "big")
    fields = plain_fields(cli.ok("table", "describe", f"{ns}.big").out)
    assert fields["table"] == f"{ns}.big" and fields["uuid"] == info["uuid"]
    assert fields["files"] == str(info["file_count"]) and fields["snapshot"] == str(info["snapshot_id"])
    assert fields["rows"] == str(info["row_count"]) == "1500"
    assert fields["size"] == str(info["size_bytes"])


def test_table_history_changes_and_preview_match_the_api(cli, api, ns, rng):
    data = fill_table(api, ns, "t", rng, 30)
    doomed = sorted(rng.sample(range(30), 5))
    api.write(f"DELETE FROM {ns}.t WHERE id IN ({', '.join(map(str, doomed))})", count="rows_deleted")
    api.write(f"UPDATE {ns}.t SET amount = amount + 1 WHERE id = {rng.choice([i for i in range(30) if i not in doomed])}",
              count="rows_updated")

    history = cli.json("table", "history", f"{ns}.t", "--format", "json")
    reference = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/snapshots"), 200).json()
    assert history == reference
    assert [op for op, _, _ in api.history(ns, "t")] == ["create", "insert", "delete", "update"]
    plain = plain_table(cli.ok("table", "history", f"{ns}.t").out)
    assert plain[0][:3] == ["snapshot", "time", "author"]
    assert [row[:3] for row in plain[1:]] == [[str(s["snapshot_id"]), s["time"], s["author"]] for s in reference["snapshots"]]

    # Rows of one snapshot come in no particular order: compared as sets of rows.
    def same_feed(a: dict, b: dict) -> bool:
        return a["columns"] == b["columns"] and sorted(map(json.dumps, a["rows"])) == sorted(map(json.dumps, b["rows"]))

    changes = cli.json("table", "changes", f"{ns}.t", "--format", "json")
    reference = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/changes", params={"format": "json"}), 200).json()
    assert same_feed(changes, reference)
    assert [row[0] for row in changes["rows"]] == sorted(row[0] for row in changes["rows"])  # by snapshot
    kinds = sorted({row[1] for row in reference["rows"]})
    assert kinds == ["delete", "insert", "update_postimage", "update_preimage"], kinds
    api_csv = expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/changes", params={"format": "csv"}), 200).content.decode()
    as_csv, api_rows = csv_rows(cli.ok("table", "changes", f"{ns}.t", "--format", "csv").out), csv_rows(api_csv)
    assert as_csv[0] == api_rows[0] and sorted(as_csv[1:]) == sorted(api_rows[1:]) and len(as_csv) == 1 + len(reference["rows"])
    # --from/--to select the same window as the API's from/to.
    snapshots = sorted({row[0] for row in reference["rows"]})
    window = cli.json("table", "changes", f"{ns}.t", "--from", snapshots[0], "--to", snapshots[-2], "--format", "json")
    assert same_feed(window, expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/changes",
                                                   params={"from": snapshots[0], "to": snapshots[-2], "format": "json"}), 200).json())
    assert {row[1] for row in window["rows"]} == {"delete"}
    # On a pipe, a table of the change feed is the whole feed, exact values, one row per line.
    table = cli.ok("table", "changes", f"{ns}.t", "--limit", "0").out.splitlines()
    assert table[0].split() == ["snapshot_id", "change_type", "id", "word", "amount"]
    assert len(table) == 1 + len(reference["rows"])

    preview = cli.json("table", "preview", f"{ns}.t", "--limit", "7", "--format", "json")
    assert preview == expect_status(api.get(f"/api/v1/namespaces/{ns}/tables/t/preview", params={"limit": 7}), 200).json()
    assert len(preview["rows"]) == 7
    survivors = {i for i, _, _ in data} - set(doomed)
    assert {row[0] for row in preview["rows"]} <= survivors
    as_csv = csv_rows(cli.ok("table", "preview", f"{ns}.t", "--limit", "7", "--format", "csv").out)
    assert as_csv == [["id", "word", "amount"]] + [[str(c) for c in row] for row in preview["rows"]]


def test_table_rm_drops_the_table_and_old_snapshots_still_see_it(cli, api, ns):
    api.write(f"CREATE TABLE {ns}.gone AS SELECT range AS id FROM range(3)")
    before = api.latest_snapshot()
    assert cli.ok("table", "rm", f"{ns}.gone").out == f"dropped table {ns}.gone\n"
    assert not api.table_exists(ns, "gone")
    assert cli.json("table", "ls", ns, "--format", "json") == {"tables": []}
    assert api.rows(f"SELECT count(*) FROM {ns}.gone", snapshot=before) == [[3]]


# --- volumes --------------------------------------------------------------------------------------


def test_volume_create_ls_describe_rm_match_the_api(cli, api):
    name = unique_name("vol")
    created = cli.json("volume", "create", name, "--description", "landing zone ü", "--max-object-bytes", "1048576",
                       "--format", "json")
    reference = expect_status(api.get(f"/api/v1/volumes/{name}"), 200).json()
    assert created["description"] == "landing zone ü" and created["max_object_bytes"] == 1048576
    assert {k: v for k, v in reference.items() if k not in ("object_count", "size_bytes", "open_uploads")} == created

    listed = cli.json("volume", "ls", "--format", "json")
    assert listed == expect_status(api.get("/api/v1/volumes"), 200).json()
    assert name in [v["name"] for v in listed["volumes"]]
    as_csv = csv_rows(cli.ok("volume", "ls", "--format", "csv").out)
    assert [name, "landing zone ü", reference["owner"], reference["created_at"]] in as_csv

    expect_status(api.request("PUT", f"/api/v1/volumes/{name}/objects/a.txt", data=b"abc"), 201)
    described = cli.json("volume", "describe", name, "--format", "json")
    assert described == expect_status(api.get(f"/api/v1/volumes/{name}"), 200).json()
    assert described["object_count"] == 1 and described["size_bytes"] == 3
    fields = plain_fields(cli.ok("volume", "describe", name).out)
    assert fields["name"] == name and fields["object_count"] == "1" and fields["description"] == "landing zone ü"
    assert fields["size_bytes"] == "3" and fields["owner"] == reference["owner"]

    assert cli.ok("volume", "rm", name, "--force").out == f"deleted volume {name}\n"
    assert api.get(f"/api/v1/volumes/{name}").status_code == 404


def test_volume_describe_for_scripts_prints_exact_values(cli, api, volume):
    expect_status(api.patch(f"/api/v1/volumes/{volume}", json={"max_object_bytes": 1048576}), 200)
    fields = plain_fields(cli.ok("volume", "describe", volume).out)
    assert fields["max_object_bytes"] == "1048576"


# --- lineage and runs -----------------------------------------------------------------------------


def test_lineage_shows_the_ingest_job_and_the_upstream_table_as_the_api_does(cli, api, ns, volume, rng):
    rows = [[i, rng.choice(["oslo", "paris", "rome"]), rng.randint(1, 1000)] for i in range(50)]
    csv_text = "id,city,amount\n" + "".join(f"{i},{c},{a}\n" for i, c, a in rows)
    key = "landing/orders.csv"
    expect_status(api.request("PUT", f"/api/v1/volumes/{volume}/objects/{key}", data=csv_text.encode()), 201)
    job = unique_name("job.nightly")
    ingested = cli.ok("ingest", f"dl://{volume}/{key}", f"{ns}.raw", "--job", job)
    assert ingested.out.startswith(f"created table, added 50 rows into {ns}.raw"), ingested.out
    cli.ok("sql", f"CREATE TABLE {ns}.derived AS SELECT city, sum(amount) AS total FROM {ns}.raw GROUP BY city")
    assert sorted(api.rows(f"SELECT city, CAST(total AS BIGINT) FROM {ns}.derived")) == sorted(
        [[c, sum(a for _, cc, a in rows if cc == c)] for c in {c for _, c, _ in rows}])

    tree = cli.ok("lineage", f"{ns}.derived").out
    lines = tree.splitlines()
    assert lines[0] == f"{ns}.derived"
    upstream = tree.split("▼")[0]
    assert f"job create_table_as.{ns}.derived  [COMPLETED]" in upstream
    assert f"── {ns}.raw" in upstream and f"job {job}  [COMPLETED]" in upstream
    # The ingest job sits under the table it wrote, deeper than it.
    assert upstream.index(f"{ns}.raw") < upstream.index(f"job {job}")

    node = api.describe(ns, "derived")["lineage"]["node_id"]
    reference = expect_status(api.get("/api/v1/lineage", params={"nodeId": node, "depth": 20}), 200).json()
    assert cli.json("lineage", f"{ns}.derived", "--format", "json") == reference
    shallow = expect_status(api.get("/api/v1/lineage", params={"nodeId": node, "depth": 0}), 200).json()
    assert cli.json("lineage", f"{ns}.derived", "--depth", "0", "--format", "json") == shallow
    edges = csv_rows(cli.ok("lineage", f"{ns}.derived", "--format", "csv").out)
    assert edges[0] == ["origin", "destination"]
    assert sorted(edges[1:]) == sorted([[item["id"], edge["destination"]] for item in reference["graph"]
                                        for edge in item["outEdges"]])
    # The object's lineage, asked by its dl:// path, is the API's for the object's node.
    object_node = expect_status(api.get(f"/api/v1/volumes/{volume}/objects/{key}", params={"metadata": "1"}), 200).json()
    object_graph = expect_status(api.get("/api/v1/lineage", params={"nodeId": object_node["lineage"]["node_id"],
                                                                    "depth": 20}), 200).json()
    assert cli.json("lineage", f"dl://{volume}/{key}", "--format", "json") == object_graph

    # runs: the latest run of every job has the ingest job; --job lists that job's runs.
    latest = cli.json("runs", "--format", "json", "--limit", "0")
    assert job in [run["job"] for run in latest]
    cli.ok("ingest", f"dl://{volume}/{key}", f"{ns}.raw", "--job", job, "--mode", "append")
    runs = cli.json("runs", "--job", job, "--format", "json")
    marquez = expect_status(api.get(f"/marquez/api/v1/namespaces/{quote('ducklake://default', safe='')}/jobs/"
                                    f"{quote(job, safe='')}/runs"), 200).json()["runs"]
    assert len(runs) == 2 == len(marquez)
    assert [(r["run"], r["state"], r["started"]) for r in runs] == [(r["id"], r["state"], r["startedAt"]) for r in marquez]
    assert {r["job"] for r in runs} == {job} and {r["state"] for r in runs} == {"COMPLETED"}
    plain = plain_table(cli.ok("runs", "--job", job).out)
    assert plain[0] == ["job", "state", "started", "duration_ms", "run"]  # exact milliseconds for scripts
    assert plain[1:] == [[job, r["state"], r["startedAt"], str(r["durationMs"]), r["id"]] for r in marquez]
