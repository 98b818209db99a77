"""Realistic, seeded, scalable test data for a DuckLake lake.

A web shop, delivered in weekly batches: ``customers``, ``products``, ``orders``,
``order_items`` and ``events`` tables, loaded through the API from files stored in a volume
(partner CSV drops and one JSON log per day), receipts (PDF, or PNG scans) linked to orders by
``receipt_key``, three tables derived by SQL on the server, and an OpenLineage run for every step,
so a fresh lake has a real lineage graph::

    import ducklake, ducklake.datagen

    with ducklake.Client(url="http://127.0.0.1:8080") as client:
        report = ducklake.datagen.generate(client, scale=1, seed=42, batches=3)
    print(report.summary())

or from a shell: ``python -m ducklake.datagen --url http://127.0.0.1:8080 --scale 1 --seed 42``.

What makes it realistic:

- skew: a power law picks who orders (a few loyal customers place many orders) and what sells
  (a few products sell most), and weekends and evenings are busier;
- NULLs in optional columns: phone (35 %), birth year (25 %), coupon (85 %), discount (90 %),
  product weight (10 %), a referrer for direct visits, the customer of anonymous events;
- late records: each batch from the 2nd on brings in-store orders of the previous week (2 % of
  its orders);
- duplicate records: each batch from the 2nd on re-sends the previous batch's last orders with
  the same ``order_id`` (1 % of its orders); their items are not sent again;
- schema drift: from batch 2 on, the orders drops carry ``channel`` and the event logs
  ``device``; the columns are added with ``ALTER TABLE`` first (an ingest refuses columns its
  table lacks), and rows of batch 1 read NULL there.

Determinism: every chunk of data comes from a generator seeded by ``seed`` and the chunk's
place (:func:`~ducklake.datagen.plan.rng_for`), never from the clock; the same ``seed``,
``scale`` and ``batches`` make byte-identical files and tables.

Scale: rows and bytes grow linearly with ``scale``; memory does not. Data is made a chunk of at
most 2,000 orders (with their items and events) or 5,000 customers or products at a time, and
each drop is streamed to the server while it is made. Measured with seed 0 and 3 batches, the
command line loading into a local server on 2 cores (files: drops, logs and receipts; memory:
the generator's peak resident set):

=====  =========  ========  =======  =========  =========  ======  ========  =======  =======
scale  customers  products  orders   items      events     files   bytes     seconds  memory
=====  =========  ========  =======  =========  =========  ======  ========  =======  =======
0.1    100        25        349      842        2,763      47      0.8 MB    1.2      79 MiB
1      1,000      250       3,130    7,602      25,131     103     6.9 MB    2.1      82 MiB
10     10,000     2,500     30,952   74,293     247,054    763     68 MB     6.0      99 MiB
150    150,000    37,500    460,003  1,096,542  3,665,831  10,583  1.02 GB   71       107 MiB
=====  =========  ========  =======  =========  =========  ======  ========  =======  =======

Order rows include the re-sent ones. ``--dry-run`` makes the same files without a server and
reports their size.
"""

from .generation import Expected, GenerationReport, dry_run, generate

__all__ = ["generate", "dry_run", "GenerationReport", "Expected"]
