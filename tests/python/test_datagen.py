"""The test-data generator, ducklake.datagen, against a real server: one small generation whose
row counts, foreign keys, re-sent and late records, schema drift, receipts and lineage edges are
checked; determinism (same seed, same data); bounded memory of the command line at two scales;
and its answers to bad arguments and server errors.
"""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import threading
import zlib

import pytest

from pysupport import ROOT, unique_name  # first: it puts python/ on sys.path
from httpsupport import free_port

import ducklake
from ducklake import datagen
from ducklake.datagen.__main__ import main as datagen_main
from ducklake.datagen.files import receipt_pdf, receipt_png
from ducklake.datagen.generation import batch_drops
from ducklake.datagen.plan import WINDOW_DAYS, Plan
from ducklake.datagen.tables import TABLES
from ducklake.lineage import DEFAULT_JOB_NAMESPACE

SCALE, SEED, BATCHES = 0.5, 11, 3
STEPS = ("customers", "products", "orders", "receipts", "events")
DERIVED = ("daily_revenue", "customer_value", "product_performance")


@pytest.fixture(scope="module")
def shop(client):
    """One generation at a small scale, shared by the checks below."""
    namespace, volume = unique_name("shop"), unique_name("files")
    lines: list[str] = []
    report = datagen.generate(client, scale=SCALE, seed=SEED, batches=BATCHES, namespace=namespace, volume=volume,
                              progress=lines.append)
    assert lines, "progress was never called"
    return report


def one(client, sql: str):
    return client.sql(sql).fetchone()[0]


def test_row_counts_match_the_report_the_generator_and_the_plan(client, shop):
    ns = shop.namespace
    plan = Plan(SCALE, SEED, BATCHES)
    planned_orders = sum(c.count for chunks in plan.order_chunks for c in chunks)
    assert shop.expected.rows[f"{ns}.customers"] == plan.customers[-1].stop - 1
    assert shop.expected.rows[f"{ns}.products"] == plan.products[-1].stop - 1
    assert shop.expected.rows[f"{ns}.orders"] == planned_orders + shop.expected.duplicate_orders
    for table in TABLES:
        name = f"{ns}.{table.name}"
        counted = one(client, f"SELECT count(*) FROM {name}")
        assert counted == shop.tables[name] == shop.expected.rows[name] > 0, name
    for table in DERIVED:
        assert one(client, f"SELECT count(*) FROM {ns}.{table}") == shop.tables[f"{ns}.{table}"] > 0
    drops = sum(len(d) for b in range(1, BATCHES + 1) for d in batch_drops(plan, b).values())
    assert shop.files == drops + shop.expected.receipts
    assert shop.bytes == sum(o["size"] for o in client.list_objects(shop.volume))
    assert len(shop.runs) == BATCHES * len(STEPS) and shop.seconds > 0


@pytest.mark.parametrize("child, key, parent, parent_key", [
    ("orders", "customer_id", "customers", "customer_id"),
    ("order_items", "order_id", "orders", "order_id"),
    ("order_items", "product_id", "products", "product_id"),
    ("events", "customer_id", "customers", "customer_id"),
    ("events", "product_id", "products", "product_id"),
    ("events", "order_id", "orders", "order_id"),
    ("orders", "order_id", "order_items", "order_id"),  # every order has items
])
def test_foreign_keys_hold(client, shop, child, key, parent, parent_key):
    ns = shop.namespace
    orphans = one(client, f"SELECT count(*) FROM {ns}.{child} AS c WHERE c.{key} IS NOT NULL AND NOT EXISTS "
                          f"(SELECT 1 FROM {ns}.{parent} AS p WHERE p.{parent_key} = c.{key})")
    assert orphans == 0
    assert one(client, f"SELECT count({key}) FROM {ns}.{child}") > 0


def test_resent_orders_are_exact_duplicates_counted_as_reported(client, shop):
    ns = shop.namespace
    assert shop.expected.duplicate_orders > 0
    assert one(client, f"SELECT count(*) - count(DISTINCT order_id) FROM {ns}.orders") == \
        shop.expected.duplicate_orders
    # Each re-sent order came again one batch later with the same content (apart from its batch
    # and the drift column, which batch 1 did not have).
    differing = one(client, f"""
        SELECT count(*) FROM {ns}.orders AS a
        JOIN {ns}.orders AS b ON a.order_id = b.order_id AND a.batch_id < b.batch_id
        WHERE b.batch_id <> a.batch_id + 1 OR a.customer_id <> b.customer_id OR a.order_ts <> b.order_ts
           OR a.total_amount <> b.total_amount OR a.receipt_key IS DISTINCT FROM b.receipt_key""")
    assert differing == 0
    items_twice = one(client, f"SELECT count(*) - count(DISTINCT (order_id, line_no)) FROM {ns}.order_items")
    assert items_twice == 0


def test_late_orders_arrive_a_batch_after_their_week(client, shop):
    ns, starts = shop.namespace, shop.expected.batch_starts
    arrived_late = f"order_ts < TIMESTAMP '{starts[0]}' + INTERVAL {WINDOW_DAYS} DAY * (batch_id - 1)"
    assert shop.expected.late_orders > 0
    late_new = one(client, f"""
        SELECT count(*) FROM {ns}.orders WHERE {arrived_late}
          AND order_id IN (SELECT order_id FROM {ns}.orders GROUP BY order_id HAVING count(*) = 1)""")
    assert late_new == shop.expected.late_orders
    assert one(client, f"SELECT count(*) FROM {ns}.orders WHERE {arrived_late}") == \
        shop.expected.late_orders + shop.expected.duplicate_orders
    # … and not earlier than the week before.
    assert one(client, f"SELECT count(*) FROM {ns}.orders WHERE order_ts < TIMESTAMP '{starts[0]}' + "
                       f"INTERVAL {WINDOW_DAYS} DAY * (batch_id - 2)") == 0


def test_schema_drift_adds_columns_that_earlier_batches_leave_null(client, shop):
    ns, second_week = shop.namespace, shop.expected.batch_starts[1]
    assert shop.expected.drift == {f"{ns}.orders.channel": 2, f"{ns}.events.device": 2}
    assert [c["name"] for c in client.table(f"{ns}.orders")["columns"]][-1] == "channel"
    assert [c["name"] for c in client.table(f"{ns}.events")["columns"]][-1] == "device"
    assert one(client, f"SELECT count(channel) FROM {ns}.orders WHERE batch_id = 1") == 0
    assert one(client, f"SELECT count(*) FROM {ns}.orders WHERE batch_id >= 2 AND channel IS NULL") == 0
    # A day's log holds a session that began before midnight: an hour's leeway at the border.
    assert one(client, f"SELECT count(device) FROM {ns}.events "
                       f"WHERE event_ts < TIMESTAMP '{second_week}' - INTERVAL 1 HOUR") == 0
    assert one(client, f"SELECT count(*) FROM {ns}.events "
                       f"WHERE event_ts >= TIMESTAMP '{second_week}' + INTERVAL 1 HOUR AND device IS NULL") == 0
    alters = client.history(f"{ns}.orders").query("operation == 'alter'")
    assert len(alters) == 1 and "channel" in alters["message"].iloc[0]


def test_distributions_are_skewed_and_optional_columns_have_nulls(client, shop):
    ns = shop.namespace
    customers = one(client, f"SELECT count(*) FROM {ns}.customers")
    top_customers_share = one(client, f"""
        SELECT sum(n) / (SELECT count(*) FROM {ns}.orders) FROM (
            SELECT count(*) AS n FROM {ns}.orders GROUP BY customer_id ORDER BY n DESC LIMIT {customers // 10})""")
    assert top_customers_share > 0.3  # a tenth of the customers, far more than a tenth of the orders
    products = one(client, f"SELECT count(*) FROM {ns}.products")
    top_products_share = one(client, f"""
        SELECT sum(n) / (SELECT sum(quantity) FROM {ns}.order_items) FROM (
            SELECT sum(quantity) AS n FROM {ns}.order_items GROUP BY product_id
            ORDER BY n DESC LIMIT {products // 10})""")
    assert top_products_share > 0.5
    for table, column, low, high in [("customers", "phone", 0.25, 0.45), ("customers", "birth_year", 0.15, 0.35),
                                     ("orders", "coupon_code", 0.75, 0.93), ("order_items", "discount_pct", 0.85, 0.95),
                                     ("events", "referrer", 0.35, 0.55)]:
        null_share = one(client, f"SELECT 1 - count({column}) / count(*) FROM {ns}.{table}")
        assert low < null_share < high, (table, column, null_share)


def test_every_receipt_named_by_an_order_is_in_the_volume(client, api, shop):
    keys = [row[0] for row in client.sql(f"SELECT DISTINCT receipt_key FROM {shop.namespace}.orders "
                                         "WHERE receipt_key IS NOT NULL ORDER BY 1").fetchall()]
    assert len(keys) == shop.expected.receipts > 0
    kinds = {key.rsplit(".", 1)[1] for key in keys}
    assert kinds == {"pdf", "png"}
    for key in keys:
        stored = client.stat_object(shop.volume, key)
        assert stored["size"] > 0
        assert stored["content_type"] == ("application/pdf" if key.endswith(".pdf") else "image/png")
    assert len(list(client.list_objects(shop.volume, "receipts/"))) == len(keys)
    scan = next(key for key in keys if key.endswith(".png"))
    preview = api.get(f"/api/v1/volumes/{shop.volume}/objects/{scan}", params={"preview": "1"}).json()
    assert preview["kind"] == "image" and preview["format"] == "png" and "thumbnail" in preview
    receipt = client.get_object(shop.volume, next(key for key in keys if key.endswith(".pdf")))
    assert receipt.startswith(b"%PDF-1.4") and b"DUCKLAKE SHOP" in receipt


def test_lineage_links_drops_ingests_tables_and_derived_tables(client, shop):
    ns, volume = shop.namespace, shop.volume
    edges = client.lineage.edges(f"{ns}.orders")
    pairs = set(zip(edges["origin"], edges["destination"]))

    def job(name: str) -> str:
        found = {node for pair in pairs for node in pair if node.startswith("job:") and node.endswith(f":{name}")}
        assert len(found) == 1, (name, found)
        return found.pop()

    node = client.lineage.node_id
    last = f"batch-{BATCHES:02d}"
    for table in ("orders", "order_items", "customers"):
        drop = node(f"ducklake://{volume}/drops/{last}/{table}.csv")
        step = "customers" if table == "customers" else "orders"
        assert (f"job:{DEFAULT_JOB_NAMESPACE}:datagen.{ns}.{step}", drop) in pairs
        ingest = job(f"ingest.{ns}.{table}")
        assert (drop, ingest) in pairs and (ingest, node(f"{ns}.{table}")) in pairs
    daily = job(f"create_table_as.{ns}.daily_revenue")
    assert {(node(f"{ns}.orders"), daily), (node(f"{ns}.order_items"), daily),
            (daily, node(f"{ns}.daily_revenue"))} <= pairs
    assert (node(f"{ns}.orders"), job(f"datagen.{ns}.receipts")) in pairs
    assert (job(f"alter.{ns}.orders"), node(f"{ns}.orders")) in pairs
    # The derived tables tie every table into the one graph.
    tables = {node(f"{ns}.{t.name}") for t in TABLES} | {node(f"{ns}.{t}") for t in DERIVED}
    assert tables <= {n for pair in pairs for n in pair}
    revenue = client.lineage.column_lineage_df(f"{ns}.daily_revenue")
    sources = set(zip(revenue.query("field == 'revenue'")["input_dataset"],
                      revenue.query("field == 'revenue'")["input_field"]))
    assert {(f"{ns}.order_items", "quantity"), (f"{ns}.order_items", "unit_price")} <= sources
    runs = set()
    for step in STEPS:
        history = client.lineage.runs(f"datagen.{ns}.{step}")
        assert len(history) == BATCHES and set(history["state"]) == {"COMPLETED"}, step
        runs |= set(history["id"])
    assert set(shop.runs) == runs


def _fingerprint(client, namespace: str, volume: str) -> dict[str, str]:
    digests = {}
    for table in (*(t.name for t in TABLES), *DERIVED):
        rows = client.sql(f"SELECT * FROM {namespace}.{table} ORDER BY ALL").fetchall()
        digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    for stored in client.list_objects(volume):
        digests[stored["key"]] = hashlib.sha256(client.get_object(volume, stored["key"])).hexdigest()
    return digests


def test_same_seed_makes_the_same_data(client):
    made = []
    for _ in range(2):
        namespace, volume = unique_name("same"), unique_name("same")
        datagen.generate(client, scale=0.1, seed=5, batches=2, namespace=namespace, volume=volume)
        made.append(_fingerprint(client, namespace, volume))
    assert made[0] == made[1]


def _drop_bytes(scale: float, seed: int, batches: int) -> str:
    """A digest of every drop the generator would make (no server)."""
    plan, digest = Plan(scale, seed, batches), hashlib.sha256()
    for batch in range(1, batches + 1):
        for drops in batch_drops(plan, batch).values():
            for drop in drops:
                for piece in drop.encoded():
                    digest.update(piece)
    return digest.hexdigest()


def test_the_seed_the_scale_and_the_batches_decide_the_bytes():
    made = _drop_bytes(0.2, 1, 2)
    assert _drop_bytes(0.2, 1, 2) == made
    assert len({made, _drop_bytes(0.2, 2, 2), _drop_bytes(0.3, 1, 2), _drop_bytes(0.2, 1, 3)}) == 4


def test_receipts_are_well_formed_files():
    pdf = receipt_pdf(["DUCKLAKE SHOP", "Receipt for order 7 (paid)", "back\\slash"])
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref:].startswith(b"xref\n0 6\n") and pdf.endswith(b"%%EOF\n")
    entries = pdf[xref:].split(b"\n")[3:8]
    for number, entry in enumerate(entries, start=1):
        assert pdf[int(entry[:10]):].startswith(b"%d 0 obj" % number)
    assert b"(Receipt for order 7 \\(paid\\)) Tj" in pdf
    length = int(pdf.split(b"/Length ")[1].split(b" ")[0])
    assert pdf.split(b"stream\n", 1)[1][length:].startswith(b"\nendstream")

    png = receipt_png(["DUCKLAKE SHOP", "x"], 12345)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    position, chunks = 8, {}
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        data = png[position + 8:position + 8 + length]
        assert struct.unpack(">I", png[position + 8 + length:position + 12 + length])[0] == zlib.crc32(kind + data)
        chunks[kind] = data
        position += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert list(chunks) == [b"IHDR", b"IDAT", b"IEND"]
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (width + 1)


# --- the command line -----------------------------------------------------------------------------


def run_cli(*args: str, timeout_s: float = 240) -> tuple[int, str, str, int]:
    """Runs ``python -m ducklake.datagen``; answers its exit code, stdout, stderr and peak
    memory (KiB, from the kernel's accounting of this one child)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "python")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-m", "ducklake.datagen", *args], stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, env=env)
        watchdog = threading.Timer(timeout_s, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return process.returncode, out.read().decode(), err.read().decode(), usage.ru_maxrss


def test_cli_memory_does_not_grow_with_the_scale(server):
    # With one batch both scales cut a day into chunks of ~1,700 orders; the larger moves 3x the bytes.
    peaks, sizes = {}, {}
    for scale in (4, 12):
        code, out, err, peak = run_cli("--url", server.base_url, "--scale", str(scale), "--batches", "1",
                                       "--namespace", unique_name("mem"), "--volume", unique_name("mem"), "--quiet")
        assert code == 0 and err == "", err
        assert f"scale {scale}, seed 0, 1 batches" in out
        peaks[scale] = peak
        sizes[scale] = float(out.rsplit(" files, ", 1)[1].split(" MB")[0].replace(",", ""))
    print(f"peak RSS {peaks} KiB for {sizes} MB")
    assert sizes[12] > sizes[4] + 40
    assert peaks[12] - peaks[4] < 20 * 1024, f"memory grew from {peaks[4]} to {peaks[12]} KiB"


@pytest.mark.parametrize("args, complaint", [
    (["--scale", "0"], "argument --scale: '0' is not a number above 0"),
    (["--scale", "much"], "argument --scale: 'much' is not a number above 0"),
    (["--scale", "nan"], "argument --scale: 'nan' is not a number above 0"),
    (["--seed", "-1"], "argument --seed: '-1' is not an integer from 0"),
    (["--batches", "0"], "argument --batches: '0' is not an integer from 1 to 520"),
    (["--colour", "blue"], "unrecognized arguments: --colour blue"),
])
def test_cli_refuses_bad_arguments_in_one_line(capsys, args, complaint):
    with pytest.raises(SystemExit) as exit_info:
        datagen_main(args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"ducklake.datagen: {complaint}") and captured.err.count("\n") == 1


def test_cli_bad_argument_exit_code_from_a_shell():
    code, out, err, _ = run_cli("--batches", "many")
    assert code == 2 and out == ""
    assert err == "ducklake.datagen: argument --batches: 'many' is not an integer from 1 to 520 (see --help)\n"


def test_cli_server_errors_are_one_line_and_exit_1(server, shop):
    code, out, err, _ = run_cli("--url", f"http://127.0.0.1:{free_port()}", "--quiet")
    assert code == 1 and out == ""
    assert err.startswith("ducklake.datagen: cannot reach http://127.0.0.1:") and err.count("\n") == 1
    code, out, err, _ = run_cli("--url", server.base_url, "--namespace", shop.namespace, "--volume", shop.volume)
    assert code == 1 and out == ""
    assert err == (f"ducklake.datagen: namespace '{shop.namespace}' already has table(s) customer_value, customers, "
                   "daily_revenue, events, order_items, orders, product_performance, products: generate into another "
                   "namespace, or drop them first\n")


def test_generate_refuses_bad_arguments_before_touching_the_lake(client):
    namespace = unique_name("never")
    for bad in (dict(scale=0), dict(scale=True), dict(seed=-1), dict(seed=1.5), dict(batches=0)):
        with pytest.raises(ducklake.BadRequest):
            datagen.generate(client, namespace=namespace, **bad)
    assert namespace not in {n["name"] for n in client.namespaces()}


def test_dry_run_makes_the_same_files_without_a_server(shop):
    dry = datagen.dry_run(scale=SCALE, seed=SEED, batches=BATCHES, namespace=shop.namespace, volume=shop.volume)
    assert (dry.files, dry.bytes, dry.expected.rows, dry.runs) == (shop.files, shop.bytes, shop.expected.rows, [])
    assert dry.expected.receipts == shop.expected.receipts
