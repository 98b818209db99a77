"""/api/v1/namespaces: create, list, get, delete, and name validation."""

import pytest

from httpsupport import assert_problem, expect_status, unique_name


def namespace_names(api) -> list[str]:
    body = expect_status(api.get("/api/v1/namespaces"), 200).json()
    assert set(body) == {"namespaces"}, body
    return [item["name"] for item in body["namespaces"]]


def test_create_namespace_returns_201_with_location(api):
    name = unique_name("sales")
    response = expect_status(api.post("/api/v1/namespaces", json={"name": name}), 201)
    body = response.json()
    assert set(body) == {"name", "table_count", "created_snapshot", "snapshot_id"}, body
    assert body["name"] == name
    assert body["table_count"] == 0
    assert isinstance(body["snapshot_id"], int) and isinstance(body["created_snapshot"], int)
    assert body["created_snapshot"] == body["snapshot_id"]
    assert response.headers["Location"] == f"/api/v1/namespaces/{name}"


def test_created_namespace_is_listed_and_readable(api, ns):
    assert ns in namespace_names(api)
    body = expect_status(api.get(f"/api/v1/namespaces/{ns}"), 200).json()
    assert body["name"] == ns
    assert body["table_count"] == 0
    assert isinstance(body["created_snapshot"], int)


def test_table_count_follows_tables(api, ns):
    api.create_table(ns, "a", [("id", "BIGINT")])
    api.create_table(ns, "b", [("id", "BIGINT")])
    assert expect_status(api.get(f"/api/v1/namespaces/{ns}"), 200).json()["table_count"] == 2
    listed = {item["name"]: item for item in expect_status(api.get("/api/v1/namespaces"), 200).json()["namespaces"]}
    assert listed[ns]["table_count"] == 2


def test_duplicate_namespace_is_409(api, ns):
    assert_problem(api.post("/api/v1/namespaces", json={"name": ns}), 409)
    assert namespace_names(api).count(ns) == 1


@pytest.mark.parametrize(
    "name",
    ["", "1abc", "a-b", "a b", "x" * 64, "main", "temp", "information_schema", "MAIN"],
    ids=["empty", "leading-digit", "dash", "space", "64-chars", "main", "temp", "information_schema", "MAIN"],
)
def test_invalid_namespace_name_is_400(api, name):
    before = namespace_names(api)
    assert_problem(api.post("/api/v1/namespaces", json={"name": name}), 400)
    assert namespace_names(api) == before


def test_longest_valid_namespace_name_is_accepted(api):
    name = unique_name("n").ljust(63, "x")
    expect_status(api.post("/api/v1/namespaces", json={"name": name}), 201)
    assert name in namespace_names(api)


@pytest.mark.parametrize("body", [{}, {"name": 5}, {"name": None}], ids=["missing", "number", "null"])
def test_namespace_name_must_be_a_string(api, body):
    assert_problem(api.post("/api/v1/namespaces", json=body), 400)


def test_get_missing_namespace_is_404(api):
    assert_problem(api.get(f"/api/v1/namespaces/{unique_name('missing')}"), 404)


def test_delete_namespace_returns_204_and_removes_it(api, ns):
    response = expect_status(api.delete(f"/api/v1/namespaces/{ns}"), 204)
    assert response.content == b""
    assert_problem(api.get(f"/api/v1/namespaces/{ns}"), 404)
    assert ns not in namespace_names(api)


def test_delete_namespace_with_tables_is_409(api, ns):
    api.create_table(ns, "t", [("id", "BIGINT")])
    assert_problem(api.delete(f"/api/v1/namespaces/{ns}"), 409)
    assert api.table_exists(ns, "t")


def test_delete_missing_namespace_is_404(api):
    assert_problem(api.delete(f"/api/v1/namespaces/{unique_name('missing')}"), 404)


def test_namespace_can_be_deleted_after_its_tables(api, ns):
    api.create_table(ns, "t", [("id", "BIGINT")])
    expect_status(api.delete(f"/api/v1/namespaces/{ns}/tables/t"), 204)
    expect_status(api.delete(f"/api/v1/namespaces/{ns}"), 204)
    assert ns not in namespace_names(api)
