import marimo

__generated_with = "0.9.14"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    return (mo,)


@app.cell
def _():
    import ducklake
    import ducklake.datagen
    import ducklake.explore
    return (ducklake,)


@app.cell
def _(ducklake, mo):
    client = ducklake.Client()
    mo.md(
        f"""
        # Test data for the lake at {client.url}

        `ducklake.datagen` makes a web shop's data, one week per batch: partner drops and event
        logs stored in a volume and ingested into the namespace's tables (customers, products,
        orders, order items, events), receipts linked to orders, three derived tables, and a
        lineage run for every step. It has what real data has: skew, NULLs, late and duplicate
        records, a schema that drifts. The same parameters make the same bytes; the namespace
        must not have the shop's tables yet.
        """
    )
    return (client,)


@app.cell
def _(mo):
    # Defaults can be given on the command line:
    # `marimo edit notebooks/datagen.py -- --scale 0.1 --namespace demo --volume demo-files`
    _asked = mo.cli_args()
    scale = mo.ui.number(
        start=0.01, stop=100_000, step=0.01, value=_asked.get("scale", 1), label="Scale (1 is about 7 MB; 150 about 1 GB)"
    )
    seed = mo.ui.number(start=0, stop=2**31 - 1, step=1, value=_asked.get("seed", 0), label="Seed")
    batches = mo.ui.slider(start=1, stop=52, step=1, value=_asked.get("batches", 3), label="Batches (weeks)")
    namespace = mo.ui.text(value=str(_asked.get("namespace", "shop")), label="Namespace")
    volume = mo.ui.text(value=str(_asked.get("volume", "shop-files")), label="Volume")
    generate_button = mo.ui.run_button(label="Generate")
    mo.vstack([mo.hstack([scale, seed, batches]), mo.hstack([namespace, volume]), generate_button])
    return batches, generate_button, namespace, scale, seed, volume


@app.cell
def _(batches, client, ducklake, generate_button, mo, namespace, scale, seed, volume):
    mo.stop(not generate_button.value, mo.md("Set the parameters, then press **Generate**."))
    report = ducklake.datagen.generate(
        client,
        scale=scale.value,
        seed=int(seed.value),
        batches=int(batches.value),
        namespace=namespace.value,
        volume=volume.value,
        progress=None,
    )
    mo.md(
        f"Made {sum(report.tables.values()):,} rows in {len(report.tables)} tables and "
        f"{report.files:,} files ({report.bytes:,} bytes) in {report.seconds:.1f} s, "
        f"as {len(report.runs)} lineage runs."
    )
    return (report,)


@app.cell
def _(client, ducklake, mo, namespace, report):
    _overview = ducklake.explore.lake_overview(client)
    generated = _overview[_overview["namespace"] == namespace.value]
    mo.vstack(
        [
            mo.ui.table([{"table": _name, "rows": _rows} for _name, _rows in report.tables.items()],
                        selection=None, label="Rows each table got"),
            mo.ui.table(generated, selection=None, label=f"The tables of {namespace.value} now"),
            mo.md("`notebooks/explore.py` and `notebooks/quality.py` take it from here."),
        ]
    )
    return (generated,)


if __name__ == "__main__":
    app.run()
