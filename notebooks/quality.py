import marimo

__generated_with = "0.9.14"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    return (mo,)


@app.cell
def _():
    from datetime import timedelta

    import ducklake
    import ducklake.explore
    import ducklake.quality
    return ducklake, timedelta


@app.cell
def _(ducklake, mo):
    client = ducklake.Client()
    mo.md(
        f"""
        # Data quality on {client.url}

        Pick a table and its checks: **unique** values, **no NULLs**, and **freshness** (the newest
        date or timestamp is recent enough). The server computes every check in one query over one
        snapshot; the results can be appended to a results table, as a run of the job
        `quality.<table>` in the lineage graph.
        """
    )
    return (client,)


@app.cell
def _(client, ducklake, mo):
    # `marimo edit notebooks/quality.py -- --table sales.orders` opens a table of your choice.
    _tables = list(ducklake.explore.lake_overview(client)["table"])
    mo.stop(not _tables, mo.md("The lake has no tables yet: `notebooks/datagen.py` makes some."))
    _asked = mo.cli_args().get("table")
    table_picker = mo.ui.dropdown(
        options=_tables, value=_asked if _asked in _tables else _tables[0], label="Table to check"
    )
    table_picker
    return (table_picker,)


@app.cell
def _(client, ducklake, mo, table_picker):
    profile = ducklake.quality.null_profile(client, table_picker.value)
    suggested = ducklake.quality.suggest_checks(client, table_picker.value)
    mo.vstack([mo.md(f"## {table_picker.value}\n\nNULLs per column now:"), mo.ui.table(profile, selection=None)])
    return profile, suggested


@app.cell
def _(mo, profile, suggested, table_picker):
    _columns = list(profile["column"])
    unique_columns = mo.ui.multiselect(options=_columns, value=suggested["unique"], label="Unique")
    not_null_columns = mo.ui.multiselect(options=_columns, value=suggested["not_null"], label="Not NULL")
    freshness_column = mo.ui.dropdown(
        options=_columns,
        value=suggested["freshness"][0] if suggested["freshness"] else None,
        allow_select_none=True,
        label="Freshness of",
    )
    max_age_hours = mo.ui.number(start=1, stop=24 * 366, step=1, value=24, label="at most this many hours old")
    results_table = mo.ui.text(
        value=f"{table_picker.value.split('.')[0]}.quality_results", label="Results table"
    )
    mo.vstack(
        [
            mo.md("The checks (suggested from the table as it is now):"),
            unique_columns,
            not_null_columns,
            mo.hstack([freshness_column, max_age_hours]),
            results_table,
        ]
    )
    return freshness_column, max_age_hours, not_null_columns, results_table, unique_columns


@app.cell
def _(
    client,
    ducklake,
    freshness_column,
    max_age_hours,
    mo,
    not_null_columns,
    table_picker,
    timedelta,
    unique_columns,
):
    mo.stop(
        not (unique_columns.value or not_null_columns.value or freshness_column.value),
        mo.md("Choose at least one check."),
    )
    results = ducklake.quality.check_table(
        client,
        table_picker.value,
        unique=unique_columns.value,
        not_null=not_null_columns.value,
        freshness=(
            (freshness_column.value, timedelta(hours=max_age_hours.value)) if freshness_column.value else None
        ),
    )
    write_button = mo.ui.run_button(label="Append these results to the results table")
    mo.vstack(
        [
            mo.md(
                f"**{int(results['passed'].sum())} of {len(results)} checks passed** "
                f"at snapshot {results['snapshot_id'].iloc[0]}."
            ),
            mo.ui.table(results, selection=None),
            write_button,
        ]
    )
    return results, write_button


@app.cell
def _(client, ducklake, mo, results, results_table, write_button):
    mo.stop(not write_button.value, mo.md("Nothing written yet."))
    written = ducklake.quality.write_results(client, results, results_table.value)
    mo.md(
        f"Appended {written['rows_written']} rows to `{results_table.value}` at snapshot "
        f"{written['snapshot_id']}."
    )
    return (written,)


@app.cell
def _(client, ducklake, mo, results_table, table_picker, written):
    past = ducklake.quality.read_results(client, results_table.value, table_picker.value)
    checks_lineage = client.lineage.edges(results_table.value, depth=1)
    mo.vstack(
        [
            mo.md(f"The latest results of {table_picker.value} in `{results_table.value}` "
                  f"(last written at snapshot {written['snapshot_id']}):"),
            mo.ui.table(past, selection=None),
            mo.md(f"`{results_table.value}` in the lineage graph, written by the quality job:"),
            mo.ui.table(checks_lineage, selection=None),
        ]
    )
    return checks_lineage, past


if __name__ == "__main__":
    app.run()
