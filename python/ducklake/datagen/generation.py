"""A generation, batch after batch: each step makes its drops and hands them to a target, the
lake (:func:`generate`) or nowhere but a byte count (:func:`dry_run`).

Per batch, in the lake:

1. ``datagen.<ns>.customers`` drops ``drops/batch-NN/customers.csv``; the server ingests it into
   ``<ns>.customers`` (its job ``ingest.<ns>.customers``: object → table in the lineage graph).
2. ``datagen.<ns>.products`` drops the partner's catalog ``partner/catalog/batch-NN.csv`` → ``<ns>.products``.
3. From batch 2 on (:data:`~ducklake.datagen.plan.DRIFT_BATCH`) the drops carry new columns; an
   ingest refuses columns its table lacks (400), so ``ALTER TABLE … ADD COLUMN`` comes first
   (job ``alter.<ns>.<table>``, the commit message says why). Earlier rows read NULL there.
4. ``datagen.<ns>.orders`` drops ``drops/batch-NN/orders.csv`` (re-sent and late orders
   included) and ``order_items.csv`` → ``<ns>.orders``, ``<ns>.order_items``.
5. ``datagen.<ns>.receipts`` (input ``<ns>.orders``) stores ``receipts/<order_id>.pdf|png`` for
   the orders whose ``receipt_key`` names one.
6. ``datagen.<ns>.events`` drops a JSON log per day, ``logs/<yyyy-mm-dd>.ndjson`` → ``<ns>.events``.

After the last batch, SQL on the server derives ``<ns>.daily_revenue``, ``<ns>.customer_value``
and ``<ns>.product_performance`` (jobs ``create_table_as.…``, with the server's column lineage),
which ties every table into one lineage graph.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol

from ..errors import Conflict
from ..lineage import PRODUCER
from .files import CONTENT_TYPES, ChunkReader, Drop, receipt_lines, render_receipt
from .plan import DRIFT_BATCH, Plan, window_start
from .tables import (
    CUSTOMERS, EVENTS, ORDER_ITEMS, ORDERS, PRODUCTS, TABLES, customers_frames, days_with_events, events_frames,
    items_frames, new_orders, orders_frames, products_frames)

if TYPE_CHECKING:
    from ..client import Client
    from ..lineage import Run

Progress = Callable[[str], None]

DERIVED_TABLES = {
    "daily_revenue": """
        CREATE TABLE {ns}.daily_revenue AS
        WITH orders AS (
            SELECT DISTINCT order_id, CAST(order_ts AS DATE) AS day
            FROM {ns}.orders WHERE status NOT IN ('cancelled', 'returned'))
        SELECT o.day, count(DISTINCT o.order_id) AS orders, sum(i.quantity) AS units,
               CAST(sum(i.quantity * i.unit_price * (100 - coalesce(i.discount_pct, 0)) / 100) AS DECIMAL(14,2))
                   AS revenue
        FROM orders AS o JOIN {ns}.order_items AS i ON i.order_id = o.order_id
        GROUP BY o.day ORDER BY o.day""",
    "customer_value": """
        CREATE TABLE {ns}.customer_value AS
        WITH orders AS (
            SELECT DISTINCT order_id, customer_id, order_ts, total_amount
            FROM {ns}.orders WHERE status <> 'cancelled')
        SELECT c.customer_id, c.country, c.segment, count(o.order_id) AS orders,
               coalesce(sum(o.total_amount), 0) AS revenue, min(o.order_ts) AS first_order_ts
        FROM {ns}.customers AS c LEFT JOIN orders AS o ON o.customer_id = c.customer_id
        GROUP BY c.customer_id, c.country, c.segment""",
    "product_performance": """
        CREATE TABLE {ns}.product_performance AS
        WITH views AS (
            SELECT product_id, count(*) AS views FROM {ns}.events WHERE event_type = 'product_view'
            GROUP BY product_id),
        sales AS (
            SELECT product_id, sum(quantity) AS units, sum(quantity * unit_price) AS gross
            FROM {ns}.order_items GROUP BY product_id)
        SELECT p.product_id, p.name, p.category, coalesce(v.views, 0) AS views, coalesce(s.units, 0) AS units_sold,
               coalesce(s.gross, 0) AS gross_revenue
        FROM {ns}.products AS p
        LEFT JOIN views AS v ON v.product_id = p.product_id
        LEFT JOIN sales AS s ON s.product_id = p.product_id""",
}
RECEIPT_UPLOADS_IN_FLIGHT = 4


@dataclass
class Expected:
    """What the generator made, to check a lake against.

    Attributes:
        rows: rows made per table (``"shop.orders"`` → …); order rows include the re-sent ones.
        duplicate_orders: order rows sent again in a later batch, with an ``order_id`` already sent.
        late_orders: new orders whose ``order_ts`` lies in the window of the batch before the one
            they arrive in (``batch_id``); re-sent orders are not counted here.
        receipts: receipt files, one per order with a ``receipt_key``.
        drift: new column (``"shop.orders.channel"``) → the first batch whose drops carry it.
        batch_starts: when each batch's window begins (ISO 8601); a window is 7 days.
    """
    rows: dict[str, int] = field(default_factory=dict)
    duplicate_orders: int = 0
    late_orders: int = 0
    receipts: int = 0
    drift: dict[str, int] = field(default_factory=dict)
    batch_starts: list[str] = field(default_factory=list)


@dataclass
class GenerationReport:
    """What a generation did.

    Attributes:
        tables: rows loaded per table, as the server counted them (derived tables included).
        files: objects stored in the volume (drops, logs, receipts).
        bytes: bytes of those objects.
        runs: run ids of the generator's own lineage runs (jobs ``datagen.<namespace>.<step>``).
        seconds: how long it took.
        expected: what the generator made, for checks.
    """
    namespace: str
    volume: str
    scale: float
    seed: int
    batches: int
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    runs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    expected: Expected = field(default_factory=Expected)

    def summary(self) -> str:
        """A few lines for people.

        >>> print(report.summary())
        scale 1, seed 0, 3 batches into namespace shop, volume shop-files:
          shop.customers                1,000 rows
          …
          103 files, 6.9 MB, 15 lineage runs, 1.8 s
        """
        lines = [f"scale {self.scale:g}, seed {self.seed}, {self.batches} batches into namespace {self.namespace}, "
                 f"volume {self.volume}:"]
        width = max(map(len, self.tables), default=0)
        lines += [f"  {name:<{width}} {rows:>12,} rows" for name, rows in self.tables.items()]
        lines.append(f"  {self.files:,} files, {self.bytes / 1e6:,.1f} MB, {len(self.runs)} lineage runs, "
                     f"{self.seconds:,.1f} s")
        return "\n".join(lines)


class _Target(Protocol):
    """Where a generation's drops go."""

    def step(self, name: str, batch: int,
             inputs: Iterable[str] = ()) -> contextlib.AbstractContextManager["Run | None"]:
        ...

    def store(self, run: "Run | None", key: str, content: Iterable[bytes] | bytes, content_type: str) -> int:
        ...

    def ingest(self, drop: Drop, create: bool) -> int:
        ...

    def add_columns(self, table: str, columns: dict[str, str], batch: int) -> None:
        ...

    def derive(self, statement: str) -> int | None:
        ...


class _Lake:
    """The lake of a client: drops stored in a volume, ingested into a namespace, each step a
    lineage run."""

    def __init__(self, client: "Client", plan: Plan, namespace: str, volume: str, report: GenerationReport):
        self.client, self.plan, self.namespace, self.volume, self.report = client, plan, namespace, volume, report

    def prepare(self) -> None:
        """Makes the namespace and the volume if missing; refuses a namespace that already has
        one of the shop's tables (a generation never mixes with other rows)."""
        with contextlib.suppress(Conflict):
            self.client.create_namespace(self.namespace)
        taken = sorted({t["name"] for t in self.client.tables(self.namespace)}
                       & {*(t.name for t in TABLES), *DERIVED_TABLES})
        if taken:
            raise Conflict(f"namespace {self.namespace!r} already has table(s) {', '.join(taken)}: generate into "
                           f"another namespace, or drop them first")
        with contextlib.suppress(Conflict):
            self.client.create_volume(self.volume, description="Test data of ducklake.datagen: partner drops, "
                                                               "JSON logs and receipts")

    @contextlib.contextmanager
    def step(self, name: str, batch: int, inputs: Iterable[str] = ()) -> Iterator["Run"]:
        with self.client.lineage.run(f"datagen.{self.namespace}.{name}", inputs=list(inputs)) as run:
            run.run_facets["ducklake_datagen"] = {
                "_producer": PRODUCER, "_schemaURL": f"{PRODUCER}#DatagenRunFacet",
                "seed": self.plan.seed, "scale": self.plan.scale, "batch": batch, "batches": self.plan.batches}
            yield run
        self.report.runs.append(run.run_id)

    def store(self, run: "Run | None", key: str, content: Iterable[bytes] | bytes, content_type: str) -> int:
        body = content if isinstance(content, bytes) else ChunkReader(content)
        metadata = {"generator": "ducklake.datagen", "seed": str(self.plan.seed), "scale": f"{self.plan.scale:g}"}
        stored = self.client.put_object(self.volume, key, body, content_type=content_type, metadata=metadata)
        if run is not None:
            run.add_output(f"ducklake://{self.volume}/{key}")
        return int(stored["size"])

    def ingest(self, drop: Drop, create: bool) -> int:
        # Types are given, not detected: a chunk of all-NULL coupons must still be VARCHAR.
        options = {"columns": json.dumps(drop.columns)}
        if drop.spec.format == "csv":
            options["header"] = "true"
        answer = self.client.ingest(f"{self.namespace}.{drop.spec.name}", self.volume, drop.key,
                                    mode="create" if create else "append", format=drop.spec.format, **options)
        return int(answer["rows_written"])

    def add_columns(self, table: str, columns: dict[str, str], batch: int) -> None:
        for column, sql_type in columns.items():
            self.client.sql(f"ALTER TABLE {self.namespace}.{table} ADD COLUMN {column} {sql_type}",
                            message=f"ducklake.datagen: from batch {batch} on, the {table} drops carry {column}")

    def derive(self, statement: str) -> int | None:
        rows, _snapshot = self.client.sql(statement.format(ns=self.namespace)).fetchone()
        return int(rows)


class _DryRun:
    """No lake: drops are made, counted and dropped."""

    @contextlib.contextmanager
    def step(self, name: str, batch: int, inputs: Iterable[str] = ()) -> Iterator[None]:
        yield None

    def store(self, run: None, key: str, content: Iterable[bytes] | bytes, content_type: str) -> int:
        return len(content) if isinstance(content, bytes) else sum(map(len, content))

    def ingest(self, drop: Drop, create: bool) -> int:
        return drop.rows

    def add_columns(self, table: str, columns: dict[str, str], batch: int) -> None:
        pass

    def derive(self, statement: str) -> int | None:
        return None


def batch_drops(plan: Plan, batch: int) -> dict[str, list[Drop]]:
    """The drops of ``batch`` by the step that makes them, in the order they are made. Nothing is
    generated until a drop is encoded.

    >>> {step: [d.key for d in drops] for step, drops in batch_drops(Plan(1, 0, 3), 2).items()}["orders"]
    ['drops/batch-02/orders.csv', 'drops/batch-02/order_items.csv']
    """
    folder = f"drops/batch-{batch:02d}"
    return {
        "customers": [Drop(CUSTOMERS, batch, f"{folder}/customers.csv", customers_frames(plan, batch))],
        "products": [Drop(PRODUCTS, batch, f"partner/catalog/batch-{batch:02d}.csv", products_frames(plan, batch))],
        "orders": [Drop(ORDERS, batch, f"{folder}/orders.csv", orders_frames(plan, batch)),
                   Drop(ORDER_ITEMS, batch, f"{folder}/order_items.csv", items_frames(plan, batch))],
        "events": [Drop(EVENTS, batch, f"logs/{window_start(batch) + dt.timedelta(days=day):%Y-%m-%d}.ndjson",
                        events_frames(plan, batch, day)) for day in days_with_events(plan, batch)],
    }


class _Generation:
    def __init__(self, plan: Plan, target: _Target, report: GenerationReport, progress: Progress | None):
        self.plan, self.target, self.report = plan, target, report
        self.say = progress or (lambda line: None)
        self.created: set[str] = set()

    def table(self, name: str) -> str:
        return f"{self.report.namespace}.{name}"

    def run(self) -> None:
        self.report.expected.batch_starts = [window_start(b).isoformat() for b in range(1, self.plan.batches + 1)]
        for batch in range(1, self.plan.batches + 1):
            self.say(f"batch {batch}/{self.plan.batches}, week of {window_start(batch):%Y-%m-%d}")
            drops = batch_drops(self.plan, batch)
            self.deliver("customers", batch, drops["customers"])
            self.deliver("products", batch, drops["products"])
            if batch == DRIFT_BATCH:
                for spec in (ORDERS, EVENTS):
                    self.target.add_columns(spec.name, spec.drift, batch)
                    self.report.expected.drift.update({f"{self.table(spec.name)}.{c}": batch for c in spec.drift})
                    self.say(f"  {self.table(spec.name)}: added column(s) {', '.join(spec.drift)} (schema drift)")
            self.deliver("orders", batch, drops["orders"])
            self.store_receipts(batch)
            self.deliver("events", batch, drops["events"])
            duplicates = self.plan.duplicates[batch - 1]
            self.report.expected.duplicate_orders += duplicates.count if duplicates else 0
            self.report.expected.late_orders += sum(c.count for c in self.plan.order_chunks[batch - 1] if c.late)
        for name, statement in DERIVED_TABLES.items():
            rows = self.target.derive(statement)
            if rows is not None:
                self.report.tables[self.table(name)] = rows
                self.say(f"derived {self.table(name)}: {rows:,} rows")

    def deliver(self, step: str, batch: int, drops: list[Drop]) -> None:
        """Stores ``drops`` as one run of the step's job, then has the server ingest each."""
        with self.target.step(step, batch) as run:
            for drop in drops:
                self.count_file(self.target.store(run, drop.key, drop.encoded(), drop.content_type))
        for drop in drops:
            name = self.table(drop.spec.name)
            loaded = self.target.ingest(drop, create=name not in self.created)
            self.created.add(name)
            self.report.tables[name] = self.report.tables.get(name, 0) + loaded
            self.report.expected.rows[name] = self.report.expected.rows.get(name, 0) + drop.rows
            self.say(f"  {name}: {loaded:,} rows from {drop.key}")

    def store_receipts(self, batch: int) -> None:
        stored = 0
        with self.target.step("receipts", batch, inputs=[self.table(ORDERS.name)]) as run, \
                ThreadPoolExecutor(RECEIPT_UPLOADS_IN_FLIGHT) as pool:
            for made in new_orders(self.plan, batch):
                # One chunk's receipts at a time, so only those are ever held.
                uploads = [pool.submit(self.target.store, None, key, render_receipt(key, lines, order_id),
                                       CONTENT_TYPES[key.rsplit(".", 1)[1]])
                           for order_id, key, lines in receipt_lines(made, self.plan.seed)]
                for upload in uploads:
                    self.count_file(upload.result())
                stored += len(uploads)
            if run is not None:
                run.run_facets["ducklake_datagen"]["receipts"] = stored
        self.report.expected.receipts += stored
        self.say(f"  {stored:,} receipts under receipts/")

    def count_file(self, size: int) -> None:
        self.report.files += 1
        self.report.bytes += size


def generate(client: "Client", *, scale: float = 1, seed: int = 0, batches: int = 3, namespace: str = "shop",
             volume: str = "shop-files", progress: Progress | None = None) -> GenerationReport:
    """Makes a shop's data and loads it into the lake of ``client``: tables ``<namespace>.customers``,
    ``products``, ``orders``, ``order_items``, ``events`` (ingested from drops stored in
    ``volume``), receipts linked to orders, three derived tables, and lineage runs for every step.

    The same ``seed``, ``scale`` and ``batches`` make the same bytes. ``scale`` 1 is about 7 MB
    and 2 s; bytes and rows grow linearly (scale 150 is about 1 GB), memory does not.
    ``progress`` is called with a line of text per step. Raises :class:`ducklake.Conflict` if the
    namespace already has one of these tables, and any error of the server.

    >>> report = ducklake.datagen.generate(client, scale=1, seed=42)
    >>> report.tables["shop.orders"], report.expected.duplicate_orders, report.expected.late_orders
    (3038, 19, 39)
    >>> client.sql("SELECT count(*) - count(DISTINCT order_id) FROM shop.orders").fetchone()
    (19,)
    """
    started = time.monotonic()
    plan = Plan(scale, seed, batches)
    report = GenerationReport(namespace, volume, scale, seed, batches)
    lake = _Lake(client, plan, namespace, volume, report)
    lake.prepare()
    _Generation(plan, lake, report, progress).run()
    report.seconds = time.monotonic() - started
    return report


def dry_run(*, scale: float = 1, seed: int = 0, batches: int = 3, namespace: str = "shop",
            volume: str = "shop-files", progress: Progress | None = None) -> GenerationReport:
    """Makes everything :func:`generate` would, without a server: ``tables`` holds the rows
    made and ``bytes`` the bytes the files would have (no derived tables, no runs).

    >>> ducklake.datagen.dry_run(scale=150).bytes / 1e9
    1.021949403
    """
    started = time.monotonic()
    plan = Plan(scale, seed, batches)
    report = GenerationReport(namespace, volume, scale, seed, batches)
    _Generation(plan, _DryRun(), report, progress).run()
    report.seconds = time.monotonic() - started
    return report
