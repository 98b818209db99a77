"""/api/v1/namespaces/{ns}/tables: create, describe, list, rename, drop, preview."""

import uuid

import pytest

from httpsupport import assert_problem, column_types, expect_status, unique_name

DESCRIBE_FIELDS = {"namespace", "name", "columns", "row_count", "size_bytes", "file_count", "snapshot_id",
                   "created_snapshot", "uuid", "comment", "tags"}

MIXED_COLUMNS = [
    ("id", "BIGINT"),
    ("tags", "VARCHAR[]"),
    ("p", "STRUCT(a INTEGER, b VARCHAR)"),
    ("amount", "DECIMAL(18,2)"),
]


def table_path(ns: str, table: str = "") -> str:
    return f"/api/v1/namespaces/{ns}/tables" + (f"/{table}" if table else "")


def test_create_table_returns_201_describe(api, ns):
    response = expect_status(api.create_table_request(ns, "t", MIXED_COLUMNS), 201)
    body = response.json()
    assert set(body) == DESCRIBE_FIELDS, body
    assert response.headers["Location"] == f"/api/v1/namespaces/{ns}/tables/t"
    assert (body["namespace"], body["name"]) == (ns, "t")
    assert (body["row_count"], body["size_bytes"], body["file_count"]) == (0, 0, 0)
    assert body["created_snapshot"] == body["snapshot_id"]
    uuid.UUID(body["uuid"])
    assert column_types(body) == [("id", "int64"), ("tags", "list"), ("p", "struct"), ("amount", "decimal(18,2)")]
    tags, p = body["columns"][1], body["columns"][2]
    assert [child["type"] for child in tags["children"]] == ["varchar"]
    assert [(child["name"], child["type"]) for child in p["children"]] == [("a", "int32"), ("b", "varchar")]
    assert "children" not in body["columns"][0]


def test_column_ids_are_unique_and_columns_nullable(api, ns):
    body = api.create_table(ns, "t", MIXED_COLUMNS)

    def walk(columns):
        for column in columns:
            yield column
            yield from walk(column.get("children", []))

    columns = list(walk(body["columns"]))
    ids = [column["id"] for column in columns]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == len(ids), ids
    assert all(column["nullable"] is True for column in columns)


@pytest.mark.parametrize(
    "sql_type, lake_type",
    [("BIGINT", "int64"), ("INTEGER", "int32"), ("DOUBLE", "float64"), ("VARCHAR", "varchar"),
     ("TIMESTAMP", "timestamp"), ("BOOLEAN", "boolean"), ("DATE", "date"), ("DECIMAL(10,3)", "decimal(10,3)")],
)
def test_sql_types_map_to_ducklake_type_names(api, ns, sql_type, lake_type):
    assert column_types(api.create_table(ns, "t", [("c", sql_type)])) == [("c", lake_type)]


def test_get_table_matches_create(api, ns):
    created = api.create_table(ns, "t", MIXED_COLUMNS)
    described = api.describe(ns, "t")
    for field in ("namespace", "name", "columns", "uuid", "created_snapshot", "row_count"):
        assert described[field] == created[field], field


@pytest.mark.parametrize(
    "columns",
    [
        [("id", "NOT_A_TYPE")],
        [("id", "BIGINT"), ("ID", "VARCHAR")],
        [("s", "STRUCT(a INTEGER, A VARCHAR)")],
        [],
        [("", "BIGINT")],
    ],
    ids=["unknown-type", "duplicate-column", "duplicate-struct-field", "no-columns", "empty-column-name"],
)
def test_invalid_table_definition_is_400(api, ns, columns):
    assert_problem(api.create_table_request(ns, "t", columns), 400)
    assert not api.table_exists(ns, "t")


@pytest.mark.parametrize("name", ["1t", "a-b", "x" * 64, ""], ids=["leading-digit", "dash", "64-chars", "empty"])
def test_invalid_table_name_is_400(api, ns, name):
    assert_problem(api.create_table_request(ns, name, [("id", "BIGINT")]), 400)
    assert expect_status(api.get(table_path(ns)), 200).json() == {"tables": []}


def test_create_existing_table_is_409(api, ns):
    created = api.create_table(ns, "t", [("id", "BIGINT")])
    assert_problem(api.create_table_request(ns, "t", [("other", "VARCHAR")]), 409)
    assert api.describe(ns, "t")["uuid"] == created["uuid"]


def test_create_table_in_missing_namespace_is_404(api):
    assert_problem(api.create_table_request(unique_name("missing"), "t", [("id", "BIGINT")]), 404)


def test_list_tables(api, ns):
    api.create_table(ns, "a", [("id", "BIGINT")])
    api.create_table(ns, "b", [("name", "VARCHAR")])
    body = expect_status(api.get(table_path(ns)), 200).json()
    assert set(body) == {"tables"}
    assert sorted(table["name"] for table in body["tables"]) == ["a", "b"]


def test_list_tables_of_missing_namespace_is_404(api):
    assert_problem(api.get(table_path(unique_name("missing"))), 404)


def test_get_missing_table_is_404(api, ns):
    assert_problem(api.get(table_path(ns, "nope")), 404)


def test_rename_table_keeps_its_data(api, ns):
    api.upload(ns, "old", "id,name\n1,a\n2,b\n")
    before = api.describe(ns, "old")
    renamed = expect_status(api.patch(table_path(ns, "old"), json={"name": "new"}), 200).json()
    assert set(renamed) == DESCRIBE_FIELDS and (renamed["namespace"], renamed["name"]) == (ns, "new")
    assert_problem(api.get(table_path(ns, "old")), 404)
    after = api.describe(ns, "new")
    assert (after["uuid"], after["row_count"]) == (before["uuid"], 2)
    assert api.rows(f"SELECT id, name FROM {ns}.new ORDER BY id") == [[1, "a"], [2, "b"]]
    old_name_query = api.sql(f"SELECT * FROM {ns}.old")
    assert old_name_query.status_code in (400, 404), old_name_query.text


def test_comments_and_tags_describe_a_table_and_are_found_by_search(api, ns):
    api.upload(ns, "orders", "id,amount\n1,10\n")
    marker = unique_name("qz").lower()
    before = api.latest_snapshot()
    body = expect_status(api.patch(table_path(ns, "orders"), json={
        "comment": f"Orders of the {marker} shop", "tags": {"owner": "finance", "pii": "no"},
        "columns": {"amount": {"comment": "gross, in EUR"}}}), 200).json()
    assert body["comment"] == f"Orders of the {marker} shop" and body["tags"] == {"owner": "finance", "pii": "no"}
    assert [c["comment"] for c in body["columns"]] == [None, "gross, in EUR"]
    assert body["snapshot_id"] == before + 1 and body["row_count"] == 1
    assert api.describe(ns, "orders")["comment"] == body["comment"]
    # Search finds the table by its comment, a tag value and a column comment; and by tag.
    for text in (marker, "finance", "EUR"):
        hits = expect_status(api.get("/api/v1/search", params={"q": text, "kind": "table"}), 200).json()["results"]
        assert (ns, "orders") in {(h["namespace"], h["name"]) for h in hits}, text
    tagged = expect_status(api.get("/api/v1/search", params={"tag": "owner=finance", "kind": "table"}), 200).json()
    assert (ns, "orders") in {(h["namespace"], h["name"]) for h in tagged["results"]}
    # Tags are replaced as a whole; null clears a comment; a rename keeps them.
    body = expect_status(api.patch(table_path(ns, "orders"), json={"tags": {"owner": "ops"}, "comment": None,
                                                                    "columns": {"amount": {"comment": None}}}), 200).json()
    assert (body["comment"], body["tags"], body["columns"][1]["comment"]) == (None, {"owner": "ops"}, None)
    expect_status(api.patch(table_path(ns, "orders"), json={"name": "sales"}), 200)
    assert api.describe(ns, "sales")["tags"] == {"owner": "ops"}
    history = [entry[0] for entry in api.history(ns, "sales")]
    assert history.count("alter") >= 2, history
    # Bad input changes nothing.
    latest = api.latest_snapshot()
    for bad in ({"tags": {"comment": "x"}}, {"tags": ["a"]}, {"tags": {"a": 1}}, {"comment": 5},
                {"columns": {"nope": {"comment": "x"}}}, {"columns": {"amount": "x"}},
                {"columns": {"amount": {"comment": "x", "other": 1}}}, {"name": "x", "comment": "y"}, {},
                {"comment": "x" * 5000}, {"tags": {str(i): "v" for i in range(51)}}):
        assert_problem(api.patch(table_path(ns, "sales"), json=bad), 400)
    assert api.latest_snapshot() == latest
    assert_problem(api.patch(table_path(ns, "missing"), json={"comment": "x"}), 404)


def test_rename_to_existing_table_is_409(api, ns):
    api.create_table(ns, "a", [("id", "BIGINT")])
    api.create_table(ns, "b", [("id", "BIGINT")])
    assert_problem(api.patch(table_path(ns, "a"), json={"name": "b"}), 409)
    assert api.table_exists(ns, "a")


def test_rename_missing_table_is_404(api, ns):
    assert_problem(api.patch(table_path(ns, "nope"), json={"name": "other"}), 404)


def test_rename_to_invalid_name_is_400(api, ns):
    api.create_table(ns, "a", [("id", "BIGINT")])
    assert_problem(api.patch(table_path(ns, "a"), json={"name": "bad-name"}), 400)
    assert api.table_exists(ns, "a")


def test_delete_table_returns_204(api, ns):
    api.upload(ns, "t", "id\n1\n")
    response = expect_status(api.delete(table_path(ns, "t")), 204)
    assert response.content == b""
    assert_problem(api.get(table_path(ns, "t")), 404)
    assert expect_status(api.get(table_path(ns)), 200).json() == {"tables": []}


def test_delete_missing_table_is_404(api, ns):
    assert_problem(api.delete(table_path(ns, "nope")), 404)


def test_dropped_table_name_can_be_reused(api, ns):
    api.upload(ns, "t", "id\n1\n2\n")
    expect_status(api.delete(table_path(ns, "t")), 204)
    api.upload(ns, "t", "name\nz\n")
    assert column_types(api.describe(ns, "t")) == [("name", "varchar")]
    assert api.rows(f"SELECT * FROM {ns}.t") == [["z"]]


# --- preview -------------------------------------------------------------------------------------


def test_preview_returns_at_most_limit_rows(api, ns):
    api.upload(ns, "t", "id,name\n" + "".join(f"{i},n{i}\n" for i in range(5)))
    body = expect_status(api.get(table_path(ns, "t") + "/preview", params={"limit": 2}), 200).json()
    assert set(body) == {"columns", "rows"}
    assert [column["name"] for column in body["columns"]] == ["id", "name"]
    assert len(body["rows"]) == 2
    assert all(row in [[i, f"n{i}"] for i in range(5)] for row in body["rows"])


def test_preview_without_limit_returns_small_table_whole(api, ns):
    api.upload(ns, "t", "id\n1\n2\n3\n")
    body = expect_status(api.get(table_path(ns, "t") + "/preview"), 200).json()
    assert sorted(body["rows"]) == [[1], [2], [3]]


@pytest.mark.parametrize("limit", ["abc", "-1", "1x", "", "99999999999999999999"])
def test_preview_with_bad_limit_is_400(api, ns, limit):
    api.upload(ns, "t", "id\n1\n")
    assert_problem(api.get(table_path(ns, "t") + "/preview", params={"limit": limit}), 400)


def test_preview_of_missing_table_is_404(api, ns):
    assert_problem(api.get(table_path(ns, "nope") + "/preview"), 404)
