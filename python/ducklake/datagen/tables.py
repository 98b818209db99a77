"""The shop's tables, made a chunk at a time as pandas DataFrames in the form they are written to
the drops: timestamps as ISO text, money as floats of whole cents, NULLs as ``None``/``<NA>``.

Skew is a power law: a few customers place many orders and a few products sell most (low ids
are the shop's oldest customers and first catalog entries). A product's name, category and price
are functions of its id (and the seed), so an order item knows its price without the catalog.

>>> plan = Plan(scale=0.1, seed=1, batches=2)
>>> chunk = make_orders(plan, plan.order_chunks[0][0])
>>> list(chunk.orders.columns)[:4]
['order_id', 'customer_id', 'order_ts', 'status']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pandas as pd

from .plan import (
    DRIFT_BATCH, ROWS_PER_CHUNK, WINDOW_DAYS, DuplicateOrders, OrderChunk, Plan, Stream, rng_for, split_evenly,
    window_start)


@dataclass(frozen=True)
class TableSpec:
    """A table of the shop: its drops' format and columns (DuckDB SQL types, in file order).
    ``drift`` columns appear in the drops from :data:`~ducklake.datagen.plan.DRIFT_BATCH` on."""
    name: str
    format: str
    columns: dict[str, str]
    drift: dict[str, str]

    def file_columns(self, batch: int) -> dict[str, str]:
        """The columns of ``batch``'s drops."""
        return {**self.columns, **self.drift} if batch >= DRIFT_BATCH else dict(self.columns)


CUSTOMERS = TableSpec("customers", "csv", {
    "customer_id": "BIGINT", "first_name": "VARCHAR", "last_name": "VARCHAR", "email": "VARCHAR",
    "phone": "VARCHAR", "country": "VARCHAR", "city": "VARCHAR", "segment": "VARCHAR", "birth_year": "INTEGER",
    "marketing_opt_in": "BOOLEAN", "signup_ts": "TIMESTAMP", "batch_id": "INTEGER"}, {})
PRODUCTS = TableSpec("products", "csv", {
    "product_id": "BIGINT", "sku": "VARCHAR", "name": "VARCHAR", "category": "VARCHAR", "supplier": "VARCHAR",
    "price": "DECIMAL(10,2)", "weight_grams": "INTEGER", "added_ts": "TIMESTAMP", "batch_id": "INTEGER"}, {})
ORDERS = TableSpec("orders", "csv", {
    "order_id": "BIGINT", "customer_id": "BIGINT", "order_ts": "TIMESTAMP", "status": "VARCHAR",
    "coupon_code": "VARCHAR", "line_count": "INTEGER", "shipping": "DECIMAL(10,2)", "total_amount": "DECIMAL(12,2)",
    "receipt_key": "VARCHAR", "batch_id": "INTEGER"}, {"channel": "VARCHAR"})
ORDER_ITEMS = TableSpec("order_items", "csv", {
    "order_id": "BIGINT", "line_no": "INTEGER", "product_id": "BIGINT", "quantity": "INTEGER",
    "unit_price": "DECIMAL(10,2)", "discount_pct": "INTEGER", "batch_id": "INTEGER"}, {})
EVENTS = TableSpec("events", "ndjson", {
    "event_id": "UUID", "event_ts": "TIMESTAMP", "event_type": "VARCHAR", "session_id": "VARCHAR",
    "customer_id": "BIGINT", "product_id": "BIGINT", "order_id": "BIGINT", "page": "VARCHAR",
    "referrer": "VARCHAR"}, {"device": "VARCHAR"})
TABLES = (CUSTOMERS, PRODUCTS, ORDERS, ORDER_ITEMS, EVENTS)

# --- vocabulary -----------------------------------------------------------------------------------

FIRST_NAMES = np.array(["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Katrin",
                        "Lena", "Marco", "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Ugo", "Vera",
                        "Wim", "Xenia", "Yara", "Zoe", "Lukas", "Sofia", "Mila", "Noah"])
LAST_NAMES = np.array(["Müller", "Schmidt", "Dubois", "Martin", "de Vries", "Jansen", "Smith", "Jones", "García",
                       "López", "Rossi", "Bianchi", "Nowak", "Kowalski", "Andersson", "Nilsson", "Gruber", "Huber",
                       "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz", "Bernard", "Petit",
                       "Bakker", "Visser", "Brown"])
EMAIL_DOMAINS = np.array(["gmail.com", "outlook.com", "icloud.com", "yahoo.com", "web.de", "proton.me", "gmx.net"])
EMAIL_DOMAIN_WEIGHTS = np.array([0.36, 0.16, 0.12, 0.1, 0.1, 0.06, 0.1])
COUNTRIES = np.array(["DE", "FR", "NL", "GB", "US", "ES", "IT", "PL", "SE", "AT"])
COUNTRY_WEIGHTS = np.array([0.3, 0.15, 0.1, 0.1, 0.08, 0.07, 0.07, 0.05, 0.04, 0.04])
CALLING_CODES = np.array(["49", "33", "31", "44", "1", "34", "39", "48", "46", "43"])
CITIES = np.array([["Berlin", "Hamburg", "Leipzig"], ["Paris", "Lyon", "Lille"], ["Amsterdam", "Utrecht", "Delft"],
                   ["London", "Leeds", "Bristol"], ["New York", "Austin", "Portland"],
                   ["Madrid", "Valencia", "Bilbao"], ["Milan", "Rome", "Turin"], ["Warsaw", "Kraków", "Gdańsk"],
                   ["Stockholm", "Malmö", "Uppsala"], ["Vienna", "Graz", "Linz"]])
CITY_WEIGHTS = np.array([0.6, 0.25, 0.15])

CATEGORIES = np.array(["home", "kitchen", "office", "garden", "outdoor", "electronics", "toys"])
CATEGORY_WEIGHTS = np.array([0.24, 0.2, 0.15, 0.12, 0.12, 0.1, 0.07])
CATEGORY_BASE_PRICE = np.array([35.0, 25.0, 30.0, 40.0, 60.0, 80.0, 20.0])
NOUNS = np.array([["Blanket", "Cushion", "Vase", "Candle", "Rug"],  # one row per category
                  ["Mug", "Kettle", "Pan", "Knife", "Teapot"],
                  ["Notebook", "Lamp", "Chair", "Pen Set", "Desk Mat"],
                  ["Planter", "Hose", "Shears", "Lantern", "Bench"],
                  ["Backpack", "Tent", "Bottle", "Jacket", "Headlamp"],
                  ["Headphones", "Speaker", "Charger", "Keyboard", "Webcam"],
                  ["Puzzle", "Kite", "Robot", "Blocks", "Yo-yo"]])
ADJECTIVES = np.array(["Classic", "Compact", "Deluxe", "Eco", "Nordic", "Urban", "Vintage", "Smart", "Rustic",
                       "Essential"])
MATERIALS = np.array(["Oak", "Steel", "Linen", "Bamboo", "Ceramic", "Copper", "Wool", "Glass", "Slate", "Amber"])
SUPPLIERS = np.array(["Acme Supply", "Nordwind Trading", "Blue Harbor", "Kestrel & Co", "Sunfield Goods"])
SUPPLIER_WEIGHTS = np.array([0.4, 0.25, 0.15, 0.12, 0.08])

ORDER_STATUSES = np.array(["placed", "paid", "shipped", "delivered", "cancelled", "returned"])
ORDER_STATUS_WEIGHTS = np.array([0.04, 0.1, 0.2, 0.56, 0.06, 0.04])
CHANNELS = np.array(["web", "app", "phone"])
CHANNEL_WEIGHTS = np.array([0.55, 0.4, 0.05])
COUPONS = np.array(["WELCOME10", "SPRING15", "FREESHIP", "VIP20"])
COUPON_WEIGHTS = np.array([0.45, 0.25, 0.2, 0.1])
COUPON_PERCENT = np.array([10, 15, 0, 20])
COUPON_SHARE = 0.15
DISCOUNTS = np.array([5, 10, 15, 20, 25])
FREE_SHIPPING_FROM_CENTS = 5_000
SHIPPING_CENTS = 495
PDF_RECEIPT_SHARE = 0.02    # web, app and phone orders with a PDF receipt
SCANNED_RECEIPT_SHARE = 0.3  # late in-store orders with a scanned (PNG) receipt

REFERRERS = np.array(["google", "newsletter", "instagram", "partner-a.example", "bing"])
REFERRER_WEIGHTS = np.array([0.45, 0.2, 0.18, 0.1, 0.07])
DIRECT_SHARE = 0.45
SEARCH_WORDS = np.array(["mug", "lamp", "gift", "tent", "oak", "sale", "blanket", "charger", "kite", "vase"])

# Orders per hour of the day: quiet at night, busy at lunch and in the evening.
HOURLY_WEIGHTS = np.array([1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4.5, 5, 5.5, 5, 4.5, 4.5, 5, 5.5, 6.5, 7, 6.5, 5,
                           3.5, 2], dtype=float)
_HOUR_CDF = np.concatenate([[0.0], np.cumsum(HOURLY_WEIGHTS) / HOURLY_WEIGHTS.sum()])

# --- helpers --------------------------------------------------------------------------------------

_MASK64 = (1 << 64) - 1


def unit_hash(ids: np.ndarray, seed: int, attribute: int) -> np.ndarray:
    """A number in [0, 1) for each id, the same for the same seed, attribute and id
    (SplitMix64), so an entity's fixed traits need no table to look them up in."""
    salt = np.uint64((seed * 0x9E3779B97F4A7C15 + (attribute + 1) * 0xD1B54A32D192ED03) & _MASK64)
    x = np.asarray(ids, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + salt
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def pick(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Indexes into ``weights`` for uniform numbers ``u`` (inverse CDF)."""
    return np.minimum(np.searchsorted(np.cumsum(weights) / weights.sum(), u, side="right"), len(weights) - 1)


def power_law_ids(rng: np.random.Generator, size: int, count: int, exponent: float) -> np.ndarray:
    """``size`` ids from 1 … ``count``, id k drawn with weight ~ k**-exponent (exponent ≠ 1)."""
    top = (count + 1.0) ** (1.0 - exponent)
    ranks = (1.0 + rng.random(size) * (top - 1.0)) ** (1.0 / (1.0 - exponent))
    return np.clip(ranks.astype(np.int64), 1, count)


def iso(times: np.ndarray, unit: str = "s") -> np.ndarray:
    return np.datetime_as_string(times, unit=unit)


def nullable(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    """Integers with NULL where ``missing``."""
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), np.asarray(missing, dtype=bool))


def strings_or_null(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    out = values.astype(object)
    out[missing] = None
    return out


def uuid4_strings(rng: np.random.Generator, size: int) -> list[str]:
    """Random (version 4) UUIDs as text."""
    bits = rng.integers(0, 2**64, (2, size), dtype=np.uint64)
    high = bits[0] & np.uint64(0xFFFF_FFFF_FFFF_0FFF) | np.uint64(0x4000)      # version 4
    low = bits[1] & np.uint64(0x3FFF_FFFF_FFFF_FFFF) | np.uint64(0x8000_0000_0000_0000)  # RFC 4122 variant
    texts = [f"{h:016x}{lo:016x}" for h, lo in zip(high.tolist(), low.tolist())]
    return [f"{t[:8]}-{t[8:12]}-{t[12:16]}-{t[16:20]}-{t[20:]}" for t in texts]


def seconds_of_day(u: np.ndarray) -> np.ndarray:
    """Seconds after midnight for uniform numbers ``u``, following :data:`HOURLY_WEIGHTS`."""
    return np.interp(u, _HOUR_CDF, np.arange(25) * 3600.0).astype(np.int64)


def in_slice(rng: np.random.Generator, size: int, part: int, parts: int) -> np.ndarray:
    """Sorted uniform numbers in slice ``part`` of ``parts`` of [0, 1)."""
    return np.sort((part + rng.random(size)) / parts)


# --- products: a function of the id ---------------------------------------------------------------


@dataclass(frozen=True)
class ProductTraits:
    category: np.ndarray
    name: np.ndarray
    price_cents: np.ndarray
    supplier: np.ndarray
    weight_grams: np.ndarray
    weight_missing: np.ndarray


def product_traits(ids: np.ndarray, seed: int) -> ProductTraits:
    """What the catalog says about products ``ids``; the same wherever it is asked.

    >>> product_traits(np.array([1]), 0).price_cents[0] % 100
    99
    """
    category = pick(unit_hash(ids, seed, 0), CATEGORY_WEIGHTS)
    noun = NOUNS[category, (unit_hash(ids, seed, 1) * NOUNS.shape[1]).astype(int)]
    adjective = ADJECTIVES[(unit_hash(ids, seed, 2) * len(ADJECTIVES)).astype(int)]
    material = MATERIALS[(unit_hash(ids, seed, 3) * len(MATERIALS)).astype(int)]
    name = np.array([f"{a} {m} {n}" for a, m, n in zip(adjective, material, noun)])
    # Roughly log-normal around the category's price, ending in .99.
    spread = unit_hash(ids, seed, 4) + unit_hash(ids, seed, 5) + unit_hash(ids, seed, 6) - 1.5
    euros = np.maximum(1, np.floor(CATEGORY_BASE_PRICE[category] * np.exp(0.9 * spread)))
    weight = unit_hash(ids, seed, 8)
    return ProductTraits(CATEGORIES[category], name, (euros * 100 + 99).astype(np.int64),
                         SUPPLIERS[pick(unit_hash(ids, seed, 7), SUPPLIER_WEIGHTS)],
                         (50 + 4_000 * weight ** 2).astype(np.int64), unit_hash(ids, seed, 9) < 0.1)


def products_frames(plan: Plan, batch: int) -> Iterator[pd.DataFrame]:
    """The catalog entries ``batch`` brings, a chunk at a time."""
    ids_of_batch = plan.products[batch - 1]
    first = ids_of_batch.start
    for size in split_evenly(len(ids_of_batch), ROWS_PER_CHUNK):
        ids = np.arange(first, first + size)
        first += size
        traits = product_traits(ids, plan.seed)
        yield pd.DataFrame({
            "product_id": ids, "sku": [f"SKU-{i:07d}" for i in ids], "name": traits.name,
            "category": traits.category, "supplier": traits.supplier, "price": traits.price_cents / 100,
            "weight_grams": nullable(traits.weight_grams, traits.weight_missing),
            "added_ts": iso(np.datetime64(window_start(batch), "s")), "batch_id": batch})


# --- customers ------------------------------------------------------------------------------------


def customers_frames(plan: Plan, batch: int) -> Iterator[pd.DataFrame]:
    """The customers ``batch`` brings, a chunk at a time; ids rise with sign-up time."""
    ids_of_batch = plan.customers[batch - 1]
    existing = plan.existing_customers if batch == 1 else 0
    signups = len(ids_of_batch) - existing
    first = ids_of_batch.start
    for part, size in enumerate(split_evenly(len(ids_of_batch), ROWS_PER_CHUNK)):
        rng = rng_for(plan.seed, Stream.CUSTOMERS, batch, part)
        ids = np.arange(first, first + size)
        first += size
        rank = ids - ids_of_batch.start  # 0-based position in the batch
        # The existing base signed up over the year before batch 1; the others over their week,
        # evenly in id order (Plan.customers_before relies on it).
        base_start = np.datetime64(window_start(1), "s") - np.timedelta64(365, "D")
        base_seconds = ((rank + rng.random(size)) * (365 * 86_400 / max(existing, 1))).astype(np.int64)
        week_seconds = ((rank - existing + rng.random(size)) * (WINDOW_DAYS * 86_400 / max(signups, 1))).astype(
            np.int64)
        signup = np.where(rank < existing, base_start + base_seconds.astype("timedelta64[s]"),
                          np.datetime64(window_start(batch), "s") + week_seconds.astype("timedelta64[s]"))
        country = pick(rng.random(size), COUNTRY_WEIGHTS)
        first_names = FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), size)]
        last_names = LAST_NAMES[rng.integers(0, len(LAST_NAMES), size)]
        domains = EMAIL_DOMAINS[pick(rng.random(size), EMAIL_DOMAIN_WEIGHTS)]
        # Some partners' systems keep e-mail addresses as typed: a few come in mixed case.
        as_typed = rng.random(size) < 0.03
        emails = [(f"{f}.{s}{i}@{d}" if typed else f"{f}.{s}{i}@{d}".lower()).replace(" ", "")
                  for f, s, i, d, typed in zip(first_names, last_names, ids.tolist(), domains, as_typed)]
        phones = np.array([f"+{CALLING_CODES[c]} {n}" for c, n in
                           zip(country, rng.integers(100_000_000, 9_999_999_999, size).tolist())], dtype=object)
        birth_years = np.clip(rng.normal(1985, 13, size), 1935, 2008).astype(np.int64)
        yield pd.DataFrame({
            "customer_id": ids, "first_name": first_names, "last_name": last_names, "email": emails,
            "phone": strings_or_null(phones, rng.random(size) < 0.35),
            "country": COUNTRIES[country], "city": CITIES[country, pick(rng.random(size), CITY_WEIGHTS)],
            "segment": np.where(rng.random(size) < 0.15, "business", "consumer"),
            "birth_year": nullable(birth_years, rng.random(size) < 0.25),
            "marketing_opt_in": rng.random(size) < 0.4, "signup_ts": iso(signup), "batch_id": batch})


# --- orders and their items -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrdersChunk:
    """The orders of one :class:`OrderChunk` and their items, in drop form (without
    ``batch_id``, which is the batch they arrive in), plus what events and receipts need."""
    orders: pd.DataFrame
    items: pd.DataFrame
    times: np.ndarray        # order_ts as datetime64[s]
    first_line: np.ndarray   # index in ``items`` of each order's first line


def make_orders(plan: Plan, chunk: OrderChunk) -> OrdersChunk:
    """The orders of ``chunk``, the same every time it is asked for."""
    rng = rng_for(plan.seed, Stream.ORDERS, *chunk.key)
    size = chunk.count
    ids = np.arange(chunk.first_id, chunk.first_id + size)
    if chunk.late:
        # In-store sales of the previous week, synced late: during opening hours, 9:00 to 20:00.
        position = in_slice(rng, size, chunk.part, chunk.parts) * WINDOW_DAYS
        seconds = (np.floor(position) * 86_400 + 9 * 3600 + (position % 1) * 11 * 3600).astype(np.int64)
        start = np.datetime64(window_start(chunk.batch - 1), "s")
        customers = plan.customers_before(chunk.batch - 1, 0)
        products = plan.products_by(chunk.batch - 1)
        status = np.where(rng.random(size) < 0.08, "returned", "delivered")
        channel = np.full(size, "store")
        receipt = np.where(rng.random(size) < SCANNED_RECEIPT_SHARE, ".png", "")
    else:
        seconds = chunk.day * 86_400 + seconds_of_day(in_slice(rng, size, chunk.part, chunk.parts))
        start = np.datetime64(window_start(chunk.batch), "s")
        customers = plan.customers_before(chunk.batch, chunk.day)
        products = plan.products_by(chunk.batch)
        status = ORDER_STATUSES[pick(rng.random(size), ORDER_STATUS_WEIGHTS)]
        channel = CHANNELS[pick(rng.random(size), CHANNEL_WEIGHTS)]
        receipt = np.where(rng.random(size) < PDF_RECEIPT_SHARE, ".pdf", "")
    times = start + seconds.astype("timedelta64[s]")
    customer_ids = power_law_ids(rng, size, customers, 0.7)
    has_coupon = rng.random(size) < (COUPON_SHARE if not chunk.late else COUPON_SHARE / 3)
    coupon = pick(rng.random(size), COUPON_WEIGHTS)

    items_rng = rng_for(plan.seed, Stream.ITEMS, *chunk.key)
    lines = 1 + np.minimum(items_rng.poisson(1.4, size), 11)
    first_line = np.concatenate([[0], np.cumsum(lines)[:-1]])
    line_count = int(lines.sum())
    product_ids = power_law_ids(items_rng, line_count, products, 1.1)
    quantity = np.minimum(items_rng.geometric(0.65, line_count), 10)
    unit_price = product_traits(product_ids, plan.seed).price_cents
    discounted = items_rng.random(line_count) < 0.1
    discount = np.where(discounted, DISCOUNTS[items_rng.integers(0, len(DISCOUNTS), line_count)], 0)
    line_cents = (quantity * unit_price * (100 - discount) + 50) // 100
    subtotal = np.add.reduceat(line_cents, first_line)
    coupon_percent = np.where(has_coupon, COUPON_PERCENT[coupon], 0)
    free_shipping = (subtotal >= FREE_SHIPPING_FROM_CENTS) | chunk.late | (has_coupon & (COUPONS[coupon] == "FREESHIP"))
    shipping = np.where(free_shipping, 0, SHIPPING_CENTS)
    total = (subtotal * (100 - coupon_percent) + 50) // 100 + shipping
    receipt_keys = np.array([f"receipts/{i}{suffix}" if suffix else None for i, suffix in zip(ids.tolist(), receipt)],
                            dtype=object)
    orders = pd.DataFrame({
        "order_id": ids, "customer_id": customer_ids, "order_ts": iso(times), "status": status,
        "coupon_code": strings_or_null(COUPONS[coupon], ~has_coupon), "line_count": lines,
        "shipping": shipping / 100, "total_amount": total / 100, "receipt_key": receipt_keys, "channel": channel})
    items = pd.DataFrame({
        "order_id": np.repeat(ids, lines), "line_no": np.arange(line_count) - np.repeat(first_line, lines) + 1,
        "product_id": product_ids, "quantity": quantity, "unit_price": unit_price / 100,
        "discount_pct": nullable(discount, ~discounted)})
    return OrdersChunk(orders, items, times, first_line)


def new_orders(plan: Plan, batch: int) -> Iterator[OrdersChunk]:
    """The orders ``batch`` brings for the first time, a chunk at a time: the week's, then the
    late ones."""
    for chunk in plan.order_chunks[batch - 1]:
        yield make_orders(plan, chunk)


def orders_frames(plan: Plan, batch: int) -> Iterator[pd.DataFrame]:
    """``batch``'s orders drop: first the previous batch's last orders again (the partner
    re-sends its tail), then the new orders."""
    duplicates: DuplicateOrders | None = plan.duplicates[batch - 1]
    if duplicates is not None:
        yield make_orders(plan, duplicates.source).orders.tail(duplicates.count).assign(batch_id=batch)
    for made in new_orders(plan, batch):
        yield made.orders.assign(batch_id=batch)


def items_frames(plan: Plan, batch: int) -> Iterator[pd.DataFrame]:
    """The items of ``batch``'s new orders (re-sent orders bring no items again)."""
    for made in new_orders(plan, batch):
        yield made.items.assign(batch_id=batch)


# --- events ---------------------------------------------------------------------------------------


def _session_devices(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    web = np.where(rng.random(len(channel)) < 0.6, "desktop", "mobile-web")
    app = np.where(rng.random(len(channel)) < 0.55, "ios", "android")
    return np.select([channel == "app", channel == "phone"], [app, "call-center"], web)


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sessions with ``counts`` events each: every event's session and its position in it."""
    session = np.repeat(np.arange(len(counts)), counts)
    return session, np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def events_frame(plan: Plan, chunk: OrderChunk) -> pd.DataFrame:
    """The clickstream behind ``chunk``'s orders, plus as many browsing sessions that buy
    nothing (often anonymous), sorted by time."""
    made = make_orders(plan, chunk)
    rng = rng_for(plan.seed, Stream.EVENTS, *chunk.key)
    orders, items = made.orders, made.items
    size = len(orders)
    channel = orders["channel"].to_numpy()
    online = channel != "phone"
    lines = orders["line_count"].to_numpy()

    # Buying sessions: product views, one add_to_cart per line, checkout, purchase; an order by
    # phone leaves just its purchase.
    views = np.where(online, 1 + rng.poisson(1.0, size), 0)
    counts = np.where(online, views + lines + 2, 1)
    session, position = _expand(counts)
    kind = np.select([position < views[session], position < (views + lines)[session],
                      position == counts[session] - 2], ["product_view", "add_to_cart", "checkout"], "purchase")
    line_index = made.first_line[session] + position - views[session]
    browsed = power_law_ids(rng, len(session), plan.products_by(chunk.batch), 1.1)
    product = np.where(kind == "add_to_cart", items["product_id"].to_numpy()[np.clip(line_index, 0, len(items) - 1)],
                       browsed)
    product_missing = (kind == "checkout") | (kind == "purchase")
    duration_ms = rng.integers(60_000, 1_800_000, size)
    steps_before_end = (counts[session] - 1 - position) / np.maximum(counts[session] - 1, 1)
    times = made.times.astype("datetime64[ms]")[session] - (duration_ms[session] * steps_before_end).astype(
        "timedelta64[ms]")
    order_ids = orders["order_id"].to_numpy()
    buying = pd.DataFrame({
        "event_ts": times, "event_type": kind, "session": session,
        "customer_id": nullable(orders["customer_id"].to_numpy()[session], np.zeros(len(session), bool)),
        "product_id": nullable(product, product_missing),
        "order_id": nullable(order_ids[session], kind != "purchase")})
    buying_device = _session_devices(rng, channel)

    # Browsing sessions: land on the home page, then search and look at products.
    browsers = rng.poisson(0.8 * size)
    browse_counts = 1 + rng.poisson(1.5, browsers)
    b_session, b_position = _expand(browse_counts)
    b_kind = np.where(b_position == 0, "page_view", np.where(rng.random(len(b_session)) < 0.3, "search",
                                                             "product_view"))
    day_start = np.datetime64(window_start(chunk.batch), "ms") + np.timedelta64(chunk.day, "D")
    session_start = day_start + (seconds_of_day(in_slice(rng, browsers, chunk.part, chunk.parts)) * 1000).astype(
        "timedelta64[ms]")
    # Each page a few seconds to two minutes after the one before.
    elapsed = np.cumsum(rng.integers(5_000, 120_000, len(b_session)))
    elapsed -= elapsed[np.arange(len(b_session)) - b_position]  # from the session's first page
    b_times = session_start[b_session] + elapsed.astype("timedelta64[ms]")
    anonymous = rng.random(browsers) < 0.6
    visitor = power_law_ids(rng, browsers, plan.customers_before(chunk.batch, chunk.day), 0.7)
    browsing = pd.DataFrame({
        "event_ts": b_times, "event_type": b_kind, "session": b_session + size,
        "customer_id": nullable(visitor[b_session], anonymous[b_session]),
        "product_id": nullable(power_law_ids(rng, len(b_session), plan.products_by(chunk.batch), 1.1),
                               b_kind != "product_view"),
        "order_id": nullable(np.zeros(len(b_session), np.int64), np.ones(len(b_session), bool))})
    browsing_device = np.where(rng.random(browsers) < 0.55, "mobile-web", "desktop")

    events = pd.concat([buying, browsing], ignore_index=True)
    sessions = size + browsers
    session_ids = np.array([f"{s:016x}" for s in rng.integers(0, 2**63, sessions).tolist()])
    direct = rng.random(sessions) < DIRECT_SHARE
    referrer = strings_or_null(REFERRERS[pick(rng.random(sessions), REFERRER_WEIGHTS)], direct)
    device = np.concatenate([buying_device, browsing_device])
    kinds = events["event_type"].to_numpy()
    words = SEARCH_WORDS[rng.integers(0, len(SEARCH_WORDS), len(events))]
    pages = np.select(
        [kinds == "page_view", kinds == "search", kinds == "checkout", kinds == "purchase"],
        ["/", np.char.add("/search?q=", words), "/checkout",
         np.char.add(np.char.add("/order/", events["order_id"].astype(str).to_numpy(str)), "/confirmation")],
        np.char.add("/product/", events["product_id"].astype(str).to_numpy(str)))
    session = events["session"].to_numpy()
    times = events["event_ts"].to_numpy()
    events = events.assign(
        event_id=uuid4_strings(rng, len(events)), event_ts=iso(times, "ms"),
        session_id=session_ids[session], page=pages, referrer=referrer[session], device=device[session])
    by_time = np.argsort(times, kind="stable")
    return events.iloc[by_time][list(EVENTS.columns) + list(EVENTS.drift)].reset_index(drop=True)


def events_frames(plan: Plan, batch: int, day: int) -> Iterator[pd.DataFrame]:
    """The event log of one day of ``batch``, a chunk at a time."""
    for chunk in plan.order_chunks[batch - 1]:
        if chunk.day == day:
            yield events_frame(plan, chunk)


def days_with_events(plan: Plan, batch: int) -> list[int]:
    return sorted({chunk.day for chunk in plan.order_chunks[batch - 1] if not chunk.late})
