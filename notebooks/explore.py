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
    import ducklake.explore
    return (ducklake,)


@app.cell
def _(ducklake, mo):
    client = ducklake.Client()
    mo.md(
        f"""
        # Exploring the lake at {client.url}

        The server and token come from `DUCKLAKE_URL` and `DUCKLAKE_TOKEN`, or from a profile
        of `ducklake login`. Every statistic below is computed by the server; only results travel.
        """
    )
    return (client,)


@app.cell
def _(client, ducklake, mo):
    overview = ducklake.explore.lake_overview(client)
    mo.stop(overview.empty, mo.md("The lake has no tables yet: `notebooks/datagen.py` makes some."))
    mo.vstack(
        [
            mo.md(f"## {len(overview)} tables in {overview['namespace'].nunique()} namespaces"),
            mo.ui.table(overview, selection=None),
        ]
    )
    return (overview,)


@app.cell
def _(mo, overview):
    # `marimo edit notebooks/explore.py -- --table sales.orders` opens a table of your choice.
    _asked = mo.cli_args().get("table")
    table_picker = mo.ui.dropdown(
        options=list(overview["table"]),
        value=_asked if _asked in set(overview["table"]) else overview["table"].iloc[0],
        label="Table",
    )
    table_picker
    return (table_picker,)


@app.cell
def _(client, ducklake, mo, table_picker):
    profile = ducklake.explore.table_profile(client, table_picker.value)
    history = client.history(table_picker.value)
    mo.vstack(
        [
            mo.md(f"## {table_picker.value}\n\nWhat each column holds:"),
            mo.ui.table(profile, selection=None),
            mo.md("The snapshots that changed it, newest first:"),
            mo.ui.table(history, selection=None),
        ]
    )
    return history, profile


@app.cell
def _(client, mo, table_picker):
    lineage = client.lineage.edges(table_picker.value, depth=2)
    mo.vstack([mo.md("Its lineage, two steps each way (data flows from origin to destination):"),
               mo.ui.table(lineage, selection=None)])
    return (lineage,)


@app.cell
def _(mo, table_picker):
    query = mo.ui.text_area(
        value=f"SELECT *\nFROM {table_picker.value}\nLIMIT 1000",
        label="SQL, run on the server (DuckDB's dialect; `AT (VERSION => n)` reads an older snapshot)",
        full_width=True,
    )
    query
    return (query,)


@app.cell
def _(client, mo, query):
    result = client.sql(query.value).df()
    mo.vstack([mo.md(f"{len(result):,} rows"), mo.ui.table(result, selection=None)])
    return (result,)


@app.cell
def _(ducklake, mo, result):
    _x, _y = ducklake.explore.chart_axes(result)
    _names = [str(_c) for _c in result.columns]
    x_axis = mo.ui.dropdown(options=_names, value=_x, label="x")
    y_axes = mo.ui.multiselect(options=_names, value=_y, label="y")
    mo.hstack([x_axis, y_axes])
    return x_axis, y_axes


@app.cell
def _(ducklake, mo, result, x_axis, y_axes):
    mo.stop(not y_axes.value, mo.md("Choose a numeric column for y to draw a chart."))
    ducklake.explore.chart(result, x=x_axis.value, y=y_axes.value)
    return


if __name__ == "__main__":
    app.run()
