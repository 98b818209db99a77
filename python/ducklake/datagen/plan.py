"""What a generation makes, decided up front and small: how many customers, products and orders
each batch brings, how the orders are cut into chunks, and which order ids each chunk holds.

Everything else is derived from the plan chunk by chunk, each chunk from a random generator of
its own (:func:`rng_for`), so any chunk can be made again, alone, byte for byte: the orders
drop, the order-items drop, the day's event log and the receipts each regenerate the orders they
need instead of keeping them in memory.

>>> plan = Plan(scale=1, seed=7, batches=3)
>>> plan.customers[0], plan.products[0]       # id ranges of batch 1
(range(1, 801), range(1, 201))
>>> sum(c.count for c in plan.order_chunks[1]), plan.duplicates[1].count   # batch 2: new, re-sent orders
(1056, 10)
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

import numpy as np

from ..errors import BadRequest

START = dt.datetime(2026, 1, 5)  # a Monday: batch 1's window starts here
WINDOW_DAYS = 7                  # each batch is one week of the shop
DRIFT_BATCH = 2                  # from this batch on, drops carry orders.channel and events.device

# Scale 1: about 7 MB of files, made and loaded in 2 s; rows and bytes grow linearly with the scale.
CUSTOMERS_PER_SCALE = 1_000
PRODUCTS_PER_SCALE = 250
ORDERS_PER_SCALE = 3_000

# Of the customers, this share has signed up before batch 1 (the shop's existing base).
EXISTING_CUSTOMER_SHARE = 0.7
# Of the products, this share is in batch 1's catalog; later batches add the rest.
FIRST_CATALOG_SHARE = 0.8
# Orders a batch brings late (their time in the previous week) and re-sends (the previous
# batch's last orders again), as shares of its regular orders.
LATE_SHARE = 0.02
DUPLICATE_SHARE = 0.01

# Bounded memory: a chunk holds at most this many orders (with their ~2.4 items and ~8 events
# each) or this many customers or products; this bounds the generator's memory at any scale.
ORDERS_PER_CHUNK = 2_000
ROWS_PER_CHUNK = 5_000

# Busier at the weekend; a little growth from week to week.
WEEKDAY_WEIGHTS = np.array([1.0, 0.95, 0.95, 1.0, 1.1, 1.3, 1.2])
WEEKLY_GROWTH = 0.03


class Stream(enum.IntEnum):
    """Which generator a chunk's randomness comes from: one stream per kind of data, so making
    one kind never shifts another's numbers."""
    PLAN = 0
    CUSTOMERS = 1
    ORDERS = 2
    ITEMS = 3
    EVENTS = 4


def rng_for(seed: int, stream: Stream, *key: int) -> np.random.Generator:
    """The generator of one chunk: ``seed`` and the chunk's key (its stream, batch, day, part)
    make it, and nothing else does.

    >>> rng_for(0, Stream.ORDERS, 1, 0, 0).integers(100) == rng_for(0, Stream.ORDERS, 1, 0, 0).integers(100)
    True
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(stream), *key)))


@dataclass(frozen=True)
class OrderChunk:
    """Orders ``first_id`` … ``first_id + count - 1``, arriving in ``batch``.

    Regular orders happen on ``day`` of the batch's window; the chunk is slice ``part`` of
    ``parts`` of that day's timeline, so order ids rise with time. Late orders (``day`` -1)
    happened in the previous batch's window: in-store sales synced a week late.
    """
    batch: int
    day: int
    part: int
    parts: int
    first_id: int
    count: int

    @property
    def late(self) -> bool:
        return self.day < 0

    @property
    def key(self) -> tuple[int, int, int, int]:
        """The chunk's key for :func:`rng_for`."""
        return self.batch, int(self.late), max(self.day, 0), self.part


@dataclass(frozen=True)
class DuplicateOrders:
    """The last ``count`` orders of ``source``, sent again in a later batch (same order ids)."""
    source: OrderChunk
    count: int


def window_start(batch: int) -> dt.datetime:
    """When batch ``batch`` (1-based) begins."""
    return START + dt.timedelta(days=WINDOW_DAYS * (batch - 1))


def split_evenly(total: int, size: int) -> list[int]:
    """``total`` cut into as few near-equal parts of at most ``size`` as can be."""
    parts = max(1, math.ceil(total / size))
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class Plan:
    """The counts of one generation: ``scale`` (> 0; 1 is about 7 MB of files), ``seed`` (≥ 0)
    and ``batches`` (≥ 1) decide them all.

    Attributes:
        customers: per batch, the customer ids it brings (batch 1: the existing base and the
            week's sign-ups).
        existing_customers: how many of batch 1's customers signed up before it.
        products: per batch, the product ids its catalog drop brings.
        order_chunks: per batch, its orders: the regular ones by day and part, then the late ones.
        duplicates: per batch, the orders it sends again (``None`` for batch 1).
    """

    def __init__(self, scale: float, seed: int, batches: int):
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 < scale <= 100_000:
            raise BadRequest(f"scale must be a number above 0 and at most 100000, not {scale!r}")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise BadRequest(f"seed must be an integer from 0 to 2**63-1, not {seed!r}")
        if isinstance(batches, bool) or not isinstance(batches, int) or not 1 <= batches <= 520:
            raise BadRequest(f"batches must be an integer from 1 to 520, not {batches!r}")
        self.scale, self.seed, self.batches = scale, seed, batches
        total_customers = max(batches + 10, round(CUSTOMERS_PER_SCALE * scale))
        total_products = max(batches + 10, round(PRODUCTS_PER_SCALE * scale))
        self.existing_customers = round(total_customers * EXISTING_CUSTOMER_SHARE)
        signups = self._shares(total_customers - self.existing_customers, batches)
        self.customers = self._ranges([self.existing_customers + signups[0], *signups[1:]])
        first_catalog = round(total_products * FIRST_CATALOG_SHARE) if batches > 1 else total_products
        self.products = self._ranges([first_catalog, *self._shares(total_products - first_catalog, batches - 1)])
        self.order_chunks, self.duplicates = self._orders(max(10 * batches, round(ORDERS_PER_SCALE * scale)))

    @staticmethod
    def _shares(total: int, parts: int) -> list[int]:
        # Each batch brings at least one, so every batch has a drop of each table.
        return [max(1, total // parts + (1 if i < total % parts else 0)) for i in range(parts)]

    @staticmethod
    def _ranges(counts: list[int]) -> list[range]:
        ends = np.cumsum(counts).tolist()
        return [range(end - count + 1, end + 1) for count, end in zip(counts, ends)]

    def _orders(self, total: int) -> tuple[list[list[OrderChunk]], list[DuplicateOrders | None]]:
        rng = rng_for(self.seed, Stream.PLAN)
        weekdays = np.tile(WEEKDAY_WEIGHTS, self.batches) * np.repeat(
            (1 + WEEKLY_GROWTH) ** np.arange(self.batches), WINDOW_DAYS)
        daily = rng.poisson(total * weekdays / weekdays.sum()).reshape(self.batches, WINDOW_DAYS)
        chunks: list[list[OrderChunk]] = []
        duplicates: list[DuplicateOrders | None] = []
        next_id = 1
        for index, days in enumerate(daily):
            batch = index + 1
            if days.sum() == 0:
                days[0] = 1  # a batch without orders would have no orders drop
            batch_chunks: list[OrderChunk] = []
            for day, count in enumerate(days):
                sizes = split_evenly(int(count), ORDERS_PER_CHUNK) if count else []
                for part, size in enumerate(sizes):
                    batch_chunks.append(OrderChunk(batch, day, part, len(sizes), next_id, size))
                    next_id += size
            regular = int(days.sum())
            if batch > 1:
                sizes = split_evenly(max(1, round(LATE_SHARE * regular)), ORDERS_PER_CHUNK)
                for part, size in enumerate(sizes):
                    batch_chunks.append(OrderChunk(batch, -1, part, len(sizes), next_id, size))
                    next_id += size
                last_regular = [c for c in chunks[-1] if not c.late][-1]
                wanted = max(1, round(DUPLICATE_SHARE * regular))
                duplicates.append(DuplicateOrders(last_regular, min(wanted, last_regular.count)))
            else:
                duplicates.append(None)
            chunks.append(batch_chunks)
        return chunks, duplicates

    def customers_before(self, batch: int, day: int) -> int:
        """How many customers had signed up when day ``day`` of ``batch`` began (ids 1 … that):
        sign-ups are spread evenly over each window, in id order."""
        ids = self.customers[batch - 1]
        signups = len(ids) - (self.existing_customers if batch == 1 else 0)
        return ids.stop - 1 - signups + signups * day // WINDOW_DAYS

    def products_by(self, batch: int) -> int:
        """How many products the catalog has once ``batch``'s drop is in (ids 1 … that)."""
        return self.products[batch - 1].stop - 1
