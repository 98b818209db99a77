"""The SQL sandbox: statements that reach outside the lake must be refused and leave no trace."""

import pytest

from httpsupport import assert_problem, assert_refused, expect_status, tree

# {data}: the server's data dir; {ns}.{table}: a lake table with data; {out}: a path that must not
# come to exist. Each statement must be refused with 400 or 403.
REFUSED = {
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_csv_auto": "SELECT * FROM read_csv_auto('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/hostname')",
    "read_blob": "SELECT * FROM read_blob('/etc/hostname')",
    "bare-file-path": "SELECT * FROM '/etc/passwd'",
    "copy-to": "COPY (SELECT 1) TO '{out}'",
    "copy-table-to": "COPY {ns}.{table} TO '{out}'",
    "attach": "ATTACH 'x.db'",
    "attach-metadata": "ATTACH '{data}/metadata.sqlite' AS m (TYPE sqlite)",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET threads = 1",
    "pragma": "PRAGMA threads = 1",
    "getenv": "SELECT getenv('HOME')",
    "glob": "SELECT * FROM glob('{data}/*')",
    "read-lake-files": "SELECT * FROM read_parquet('{data}/objects/warehouse/{ns}/{table}/*.parquet')",
    "parquet-metadata": "SELECT * FROM parquet_metadata('{data}/objects/warehouse/{ns}/{table}/*.parquet')",
    "sqlite_scan": "SELECT * FROM sqlite_scan('{data}/metadata.sqlite', 'ducklake_snapshot')",
    "create-local-table": "CREATE TABLE local_t AS SELECT 1 AS x",
    "create-temp-table": "CREATE TEMP TABLE tmp_t AS SELECT 1 AS x",
    "create-view": "CREATE VIEW v AS SELECT 1 AS x",
    "create-namespaced-view": "CREATE VIEW {ns}.v AS SELECT 1 AS x",
    "create-macro": "CREATE MACRO m(x) AS x",
    "create-secret": "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')",
    "multiple-statements": "SELECT 1; SELECT 2",
    "export-database": "EXPORT DATABASE '{out}'",
    "query-function": "SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')",
    "insert-from-file": "INSERT INTO {ns}.{table} SELECT 1, content FROM read_text('/etc/hostname')",
    "create-table-from-file": "CREATE TABLE {ns}.leak AS SELECT * FROM read_csv('/etc/passwd')",
    "create-table-from-lake-files":
        "CREATE TABLE {ns}.leak AS SELECT * FROM read_parquet('{data}/objects/warehouse/{ns}/{table}/*.parquet')",
    "query_table": "SELECT * FROM query_table('/etc/passwd')",
}


@pytest.fixture
def lake_table(api, ns):
    api.upload(ns, "t", "id,name\n1,a\n2,b\n")
    return ns, "t"


def lake_state(api, server):
    """Everything a refused statement could have changed that we can see from outside."""
    namespaces = expect_status(api.get("/api/v1/namespaces"), 200).json()
    return namespaces, tree(server.data_dir, exclude={"staging"}), tree(server.workdir)


@pytest.mark.parametrize("statement", REFUSED)
def test_statement_is_refused_and_leaves_no_trace(api, server, lake_table, tmp_path, statement):
    ns, table = lake_table
    out = tmp_path / "out"
    sql = REFUSED[statement].format(data=server.data_dir, ns=ns, table=table, out=out)
    before = lake_state(api, server)
    rows_before = api.rows(f"SELECT id, name FROM {ns}.{table} ORDER BY id")

    problem = assert_refused(api.sql(sql))

    assert lake_state(api, server) == before
    assert not out.exists(), f"{out} was written"
    assert api.rows(f"SELECT id, name FROM {ns}.{table} ORDER BY id") == rows_before
    assert "root:" not in problem["detail"], "the refusal leaked file contents"


def test_multiple_statements_are_400(api):
    assert_problem(api.sql("SELECT 1; SELECT 2"), 400)


@pytest.mark.parametrize("sql", ["SELECT * FROM {ns}.{table}", "SELECT count(*) FROM range(10)",
                                 "SELECT * FROM generate_series(1, 3)", "SELECT unnest([1, 2, 3])"])
def test_allowed_reads_still_work(api, lake_table, sql):
    ns, table = lake_table
    expect_status(api.sql(sql.format(ns=ns, table=table)), 200)
