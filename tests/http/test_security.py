"""Identity and access over HTTP: bearer tokens (hashed, expiring, revocable), the bootstrap admin,
roles granted on the lake, namespaces and volumes to users and groups, SQL checked table by table,
presigned URLs that carry their creator's rights, the audit log and its hash chain, and TLS."""

from __future__ import annotations

import sqlite3
import stat
import subprocess

import pytest
import requests

from httpsupport import (BACKEND, Api, ServerProcess, assert_problem, expect_status, free_port, poll_until,
                         run_ducklake)

CSV = "id,amount\n1,10\n2,20\n"


def authorized(server: ServerProcess, token: str) -> Api:
    api = Api(server.base_url)
    api.http.headers["Authorization"] = f"Bearer {token}"
    return api


@pytest.fixture
def secured(start_server, tmp_path):
    """A server that needs tokens, with its admin's token in a file it made, and the admin's client."""
    token_file = tmp_path / "admin.token"
    server = start_server("--auth", "token", "--admin-token-file", str(token_file))
    token = token_file.read_text().strip()
    return server, authorized(server, token), token_file


def new_token(admin: Api, user: str, **fields) -> dict:
    return expect_status(admin.post("/api/v1/tokens", json={"user": user, **fields}), 201).json()


def grant(admin: Api, principal: str, role: str, **scope) -> dict:
    return expect_status(admin.post("/api/v1/grants", json={"principal": principal, "role": role, **scope}), 201).json()


def test_the_admin_token_file_is_made_once_and_kept_to_the_owner(secured, tmp_path):
    server, admin, token_file = secured
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert token_file.read_text().strip().startswith("dl_") and len(token_file.read_text().strip()) == 67
    me = expect_status(admin.get("/api/v1/whoami"), 200).json()
    assert me["user"] == "admin" and me["authenticated"]
    # The token is not in the log, and (on SQLite) not in the metadata database: only its hash is.
    token = token_file.read_text().strip()
    assert token not in server.log_text()
    if BACKEND == "embedded":
        database = sqlite3.connect(server.data_dir / "metadata.sqlite")
        rows = database.execute("SELECT token_hash FROM dl_token").fetchall()
        database.close()
        assert rows and all(token not in row[0] for row in rows)
        assert (server.data_dir / "metadata.sqlite").read_bytes().find(token.encode()) == -1


def test_the_first_start_shows_the_admin_token_once(start_server, tmp_path):
    server = start_server("--auth", "token")
    # The line is on stdout (which the test harness sends to the log file): once, never via the logger.
    lines = [line for line in server.log_text().splitlines() if "admin token" in line]
    assert len(lines) == 1 and lines[0].startswith("DuckLake admin token"), lines
    token = lines[0].rsplit(" ", 1)[-1]
    assert expect_status(authorized(server, token).get("/api/v1/whoami"), 200).json()["user"] == "admin"
    server.stop_cleanly()
    again = ServerProcess(tmp_path / "again", server.args[1:], server.env, server.port, server.data_dir,
                          "restarted", server.s3_prefix, server.backend_flags)
    try:
        again.wait_healthy()
        assert "admin token" not in again.log_text()
        expect_status(authorized(again, token).get("/api/v1/whoami"), 200)
    finally:
        again.stop_cleanly()


def test_requests_without_a_good_token_are_401(secured):
    server, admin, _ = secured
    anonymous = Api(server.base_url)
    for path in ("/api/v1/namespaces", "/api/v1/volumes", "/api/v1/tokens", "/api/v1/audit", "/api/v1/lineage?nodeId=x"):
        response = anonymous.get(path)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for header in ("Bearer", "Bearer dl_short", "Basic YWRtaW46eA==", "Bearer dl_" + "0" * 64, "bearer"):
        assert_problem(anonymous.get("/api/v1/namespaces", headers={"Authorization": header}), 401)
    # Health, metrics and the API document stay open.
    for path in ("/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"):
        expect_status(anonymous.get(path), 200)


def test_tokens_expire_and_can_be_revoked_and_are_listed_without_secrets(secured):
    server, admin, _ = secured
    rita = new_token(admin, "rita", expires_in=3600, description="notebook")
    assert rita["token"].startswith("dl_") and rita["user"] == "rita" and rita["expires_at"]
    listed = expect_status(admin.get("/api/v1/tokens"), 200).json()["tokens"]
    assert rita["id"] in [t["id"] for t in listed]
    assert all("token" not in t and "hash" not in str(t) for t in listed)
    as_rita = authorized(server, rita["token"])
    assert expect_status(as_rita.get("/api/v1/whoami"), 200).json()["user"] == "rita"
    # Her own tokens only; not the admin's.
    assert [t["user"] for t in expect_status(as_rita.get("/api/v1/tokens"), 200).json()["tokens"]] == ["rita"]
    assert_problem(as_rita.get("/api/v1/tokens", params={"user": "admin"}), 403)
    assert_problem(as_rita.post("/api/v1/tokens", json={"user": "admin"}), 403)
    expect_status(admin.delete(f"/api/v1/tokens/{rita['id']}"), 204)
    assert_problem(as_rita.get("/api/v1/whoami"), 401)

    short = new_token(admin, "sam", expires_in=1)
    as_sam = authorized(server, short["token"])
    poll_until(lambda: as_sam.get("/api/v1/whoami").status_code == 401, 10, "the token to expire")
    body = assert_problem(as_sam.get("/api/v1/whoami"), 401)
    assert "expired" in body["detail"] and short["token"] not in body["detail"]
    for bad in ({"user": "bad name"}, {"user": "rita", "expires_in": 0}, {"user": "rita", "expires_in": "1h"},
                {"user": 7}, {"user": "rita", "extra": 1}):
        assert_problem(admin.post("/api/v1/tokens", json=bad), 400)
    assert_problem(admin.delete("/api/v1/tokens/nope"), 404)


@pytest.fixture
def lake_with_two_namespaces(secured):
    server, admin, token_file = secured
    for ns in ("fin", "hr"):
        expect_status(admin.post("/api/v1/namespaces", json={"name": ns}), 201)
        expect_status(admin.post(f"/api/v1/namespaces/{ns}/tables/t/data", params={"format": "csv"}, data=CSV), 201)
    rita = authorized(server, new_token(admin, "rita")["token"])
    return server, admin, rita


def test_a_reader_reads_her_namespace_and_nothing_else_however_the_sql_is_written(lake_with_two_namespaces):
    server, admin, rita = lake_with_two_namespaces
    assert_problem(rita.get("/api/v1/namespaces/fin/tables/t"), 403)
    grant(admin, "rita", "reader", namespace="fin")
    assert expect_status(rita.get("/api/v1/namespaces/fin/tables/t"), 200).json()["row_count"] == 2
    assert [n["name"] for n in expect_status(rita.get("/api/v1/namespaces"), 200).json()["namespaces"]] == ["fin"]
    assert rita.rows("SELECT CAST(sum(amount) AS BIGINT) FROM fin.t") == [[30]]
    for sql in ("SELECT * FROM hr.t",
                "SELECT * FROM fin.t JOIN hr.t USING (id)",
                "SELECT * FROM fin.t WHERE id IN (SELECT id FROM hr.t)",
                "WITH x AS (SELECT * FROM HR.T) SELECT * FROM x",
                "SELECT (SELECT max(amount) FROM hr.t) AS m",
                "SELECT * FROM hr.t AT (VERSION => 1)",
                "SELECT * FROM fin.t UNION ALL SELECT * FROM hr.t",
                "SELECT * FROM ducklake_table_changes('lake', 'hr', 't', 0, 2)"):
        body = assert_problem(rita.sql(sql), 403)
        assert "hr" in body["detail"].lower(), (sql, body)
    # A reader does not write, by any route.
    assert_problem(rita.sql("INSERT INTO fin.t VALUES (3, 30)"), 403)
    assert_problem(rita.sql("DELETE FROM fin.t"), 403)
    assert_problem(rita.sql("CREATE TABLE fin.copy AS SELECT * FROM fin.t"), 403)
    assert_problem(rita.transaction(["INSERT INTO fin.t VALUES (3, 30)"]), 403)
    assert_problem(rita.post("/api/v1/namespaces/fin/tables/t/data", params={"format": "csv"}, data=CSV), 403)
    assert_problem(rita.delete("/api/v1/namespaces/fin/tables/t"), 403)
    assert_problem(rita.post("/api/v1/maintenance/compact", json={}), 403)
    assert expect_status(admin.get("/api/v1/namespaces/fin/tables/t"), 200).json()["row_count"] == 2
    # DuckDB's catalog functions, and the information_schema and pg_catalog views over them, show
    # her only the namespaces she may read; an admin sees both.
    catalog_queries = {
        "SELECT schema_name, table_name FROM duckdb_tables()": [["fin", "t"]],
        "SELECT table_schema, table_name, table_type FROM information_schema.tables": [["fin", "t", "BASE TABLE"]],
        "SELECT DISTINCT schema_name, table_name FROM duckdb_columns()": [["fin", "t"]],
        "SELECT DISTINCT table_schema, table_name FROM information_schema.columns": [["fin", "t"]],
        "SELECT schema_name FROM information_schema.schemata": [["fin"]],
        "SELECT schema_name FROM duckdb_schemas()": [["fin"]],
        "SELECT schemaname, tablename FROM pg_catalog.pg_tables": [["fin", "t"]],
        "SELECT count(*) FROM pg_catalog.pg_class": [[1]],
        "SELECT table_name, file_count FROM ducklake_table_info('lake')": [["t", 1]],
    }
    for sql, expected in catalog_queries.items():
        assert rita.rows(sql + " ORDER BY ALL") == expected, sql
    assert admin.rows("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL") == [["fin", "t"], ["hr", "t"]]
    assert rita.rows("SELECT column_name, data_type FROM information_schema.columns ORDER BY ordinal_position") == [
        ["id", "BIGINT"], ["amount", "BIGINT"]]
    # Even where the function stands inside a subquery, a CTE or a join with a lake table.
    assert rita.rows("WITH c AS (SELECT * FROM duckdb_tables()) SELECT count(*) FROM c "
                     "JOIN fin.t ON true WHERE c.schema_name IN (SELECT schema_name FROM duckdb_schemas())") == [[2]]
    # What the lake does not have stays refused, as do DuckDB's other introspection functions.
    for sql in ("SELECT * FROM duckdb_constraints()", "SELECT * FROM duckdb_settings()",
                "SELECT * FROM duckdb_dependencies()", "SELECT * FROM information_schema.table_constraints"):
        assert_problem(rita.sql(sql), 403)
    # Search finds only what she may read.
    found = expect_status(rita.get("/api/v1/search", params={"q": "t"}), 200).json()["results"]
    assert {r["namespace"] for r in found if r["kind"] == "table"} == {"fin"}


def test_writers_write_groups_grant_and_admins_of_a_namespace_grant_on_it(lake_with_two_namespaces):
    server, admin, rita = lake_with_two_namespaces
    grant(admin, "group:finance", "writer", namespace="fin")
    assert_problem(rita.sql("INSERT INTO fin.t VALUES (3, 30)"), 403)
    expect_status(admin.request("PUT", "/api/v1/groups/finance/members/rita"), 204)
    assert rita.write("INSERT INTO fin.t VALUES (3, 30)")["rows_written"] == 1
    snapshots = expect_status(admin.get("/api/v1/snapshots", params={"limit": 1}), 200).json()["snapshots"]
    assert snapshots[0]["author"] == "rita"
    assert_problem(rita.sql("INSERT INTO hr.t SELECT * FROM fin.t"), 403)
    # Granting on a namespace takes admin there.
    assert_problem(rita.post("/api/v1/grants", json={"principal": "sam", "role": "reader", "namespace": "fin"}), 403)
    grant(admin, "rita", "admin", namespace="fin")
    grant(rita, "sam", "reader", namespace="fin")
    assert_problem(rita.post("/api/v1/grants", json={"principal": "sam", "role": "reader", "namespace": "hr"}), 403)
    assert_problem(rita.post("/api/v1/grants", json={"principal": "sam", "role": "reader"}), 403)
    mine = expect_status(rita.get("/api/v1/grants"), 200).json()["grants"]
    assert {(g["principal"], g["role"]) for g in mine} == {("rita", "admin"), ("group:finance", "writer")}
    for bad in ({"principal": "x", "role": "owner", "namespace": "fin"}, {"principal": "x", "role": "reader",
                                                                          "namespace": "fin", "volume": "v"},
                {"principal": "x y", "role": "reader"}, {"role": "reader"}):
        assert_problem(admin.post("/api/v1/grants", json=bad), 400)
    assert_problem(admin.post("/api/v1/grants", json={"principal": "x", "role": "reader", "namespace": "none"}), 404)
    # Revoking the group's grant takes the right away again.
    writer_grant = [g for g in expect_status(admin.get("/api/v1/grants"), 200).json()["grants"]
                    if g["principal"] == "group:finance"][0]
    expect_status(admin.delete(f"/api/v1/grants/{writer_grant['id']}"), 204)
    grant(admin, "rita", "reader", namespace="fin")  # replaces her admin role there
    assert_problem(rita.sql("INSERT INTO fin.t VALUES (4, 40)"), 403)


def test_volumes_and_presigned_urls_carry_their_creators_rights(secured):
    server, admin, _ = secured
    expect_status(admin.post("/api/v1/volumes", json={"name": "docs"}), 201)
    expect_status(admin.request("PUT", "/api/v1/volumes/docs/objects/a.txt", data=b"secret report"), 201)
    token = new_token(admin, "rita")
    rita = authorized(server, token["token"])
    assert_problem(rita.get("/api/v1/volumes/docs/objects/a.txt"), 403)
    assert expect_status(rita.get("/api/v1/volumes"), 200).json()["volumes"] == []
    grant(admin, "rita", "reader", volume="docs")
    assert expect_status(rita.get("/api/v1/volumes/docs/objects/a.txt"), 200).content == b"secret report"
    assert_problem(rita.request("PUT", "/api/v1/volumes/docs/objects/b.txt", data=b"x"), 403)
    assert_problem(rita.post("/api/v1/volumes/docs/presign", json={"key": "a.txt", "method": "PUT"}), 403)
    url = expect_status(rita.post("/api/v1/volumes/docs/presign", json={"key": "a.txt"}), 200).json()["url"]
    if BACKEND == "embedded":
        assert requests.get(url, timeout=30).content == b"secret report"  # no token needed
        # The URL cannot be passed off as another token's, nor used for another method or object.
        assert requests.get(url.replace(f"Signer={token['id']}", "Signer=0000000000000000"), timeout=30).status_code == 403
        assert requests.delete(url, timeout=30).status_code in (401, 403)
        # Revoking her token revokes what she signed.
        expect_status(admin.delete(f"/api/v1/tokens/{token['id']}"), 204)
        assert requests.get(url, timeout=30).status_code == 403


def test_the_audit_log_records_who_did_what_and_breaks_if_changed(secured):
    server, admin, _ = secured
    expect_status(admin.post("/api/v1/namespaces", json={"name": "au"}), 201)
    rita = authorized(server, new_token(admin, "rita")["token"])
    assert_problem(rita.delete("/api/v1/namespaces/au"), 403)
    assert_problem(Api(server.base_url).post("/api/v1/namespaces", json={"name": "x"}), 401)
    entries = expect_status(admin.get("/api/v1/audit"), 200).json()["entries"]
    actions = [(e["principal"], e["action"], e["allowed"], e["status"]) for e in entries]
    assert ("admin", "POST /api/v1/namespaces", True, 201) in actions
    assert ("rita", "DELETE /api/v1/namespaces/{ns}", False, 403) in actions
    assert ("-", "POST /api/v1/namespaces", False, 401) in actions
    refused = [e for e in entries if e["principal"] == "rita"][0]
    assert refused["target"] == "ns=au" and refused["remote"] == "127.0.0.1" and "admin" in refused["detail"]
    assert all("dl_" not in str(e) for e in entries)
    assert expect_status(admin.get("/api/v1/audit", params={"allowed": "false"}), 200).json()["entries"][0]["allowed"] is False
    assert_problem(rita.get("/api/v1/audit"), 403)
    verify = expect_status(admin.get("/api/v1/audit/verify"), 200).json()
    assert verify["intact"] and verify["checked"] >= 3
    if BACKEND == "embedded":
        database = sqlite3.connect(server.data_dir / "metadata.sqlite")
        database.execute("UPDATE dl_audit SET principal = 'someone else' WHERE audit_id = 2")
        database.commit()
        database.close()
        verify = expect_status(admin.get("/api/v1/audit/verify"), 200).json()
        assert not verify["intact"] and verify["first_broken"] == 2


def test_auth_none_is_refused_off_loopback_and_bad_auth_flags(tmp_path):
    for flags, words in ((["--listen", f"0.0.0.0:{free_port()}", "--auth", "none"], "loopback"),
                         (["--listen", f"127.0.0.1:{free_port()}", "--auth", "maybe"], "--auth"),
                         (["--listen", f"127.0.0.1:{free_port()}", "--tls-cert", "/nonexistent"], "tls")):
        result = run_ducklake(["serve", "--data-dir", str(tmp_path / "d"), *flags], tmp_path)
        assert result.returncode == 2, result
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and words in lines[0].lower(), result.stderr


def test_https_with_a_self_signed_certificate(start_server, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    server = start_server("--tls-cert", str(cert), "--tls-key", str(key), wait=False)
    url = f"https://127.0.0.1:{server.port}"
    poll_until(lambda: _https_ok(url, cert), 30, "the HTTPS server")
    assert requests.get(url + "/api/v1/namespaces", verify=str(cert), timeout=10).status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url + "/healthz", timeout=10)  # an unknown certificate is not trusted
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{server.port}/healthz", timeout=10)  # no plain HTTP on that port


def _https_ok(url, cert):
    try:
        return requests.get(url + "/healthz", verify=str(cert), timeout=2).status_code == 200
    except requests.exceptions.RequestException:
        return False


def test_a_token_cannot_outlive_the_token_that_makes_it(secured):
    server, admin, _ = secured
    rita = authorized(server, new_token(admin, "rita", expires_in=600)["token"])
    # Without expires_in hers ends with the token that made it; asking for longer is refused.
    own = expect_status(rita.post("/api/v1/tokens", json={}), 201).json()
    parent = [t for t in expect_status(admin.get("/api/v1/tokens", params={"user": "rita"}), 200).json()["tokens"]
              if t["id"] != own["id"]][0]
    assert own["expires_at"] is not None and own["expires_at"] <= parent["expires_at"]
    # Exactly with it: the cap is the parent's expiry itself, not "now + what is left" read twice.
    assert own["expires_at"] == parent["expires_at"]
    assert "outlive" in assert_problem(rita.post("/api/v1/tokens", json={"expires_in": 3600}), 403)["detail"]
    expect_status(rita.post("/api/v1/tokens", json={"expires_in": 60}), 201)
    # Someone else's token is neither hers to read nor to revoke.
    sam = new_token(admin, "sam")
    assert_problem(rita.get(f"/api/v1/tokens/{sam['id']}"), 403)
    assert_problem(rita.delete(f"/api/v1/tokens/{sam['id']}"), 403)
    expect_status(authorized(server, sam["token"]).get("/api/v1/whoami"), 200)
    # A lake admin's tokens are not held to their own token's expiry.
    expect_status(admin.post("/api/v1/tokens", json={"user": "ops", "expires_in": 86400 * 300}), 201)


def test_a_lake_wide_grant_counts_on_every_namespace_and_volume(lake_with_two_namespaces):
    server, admin, rita = lake_with_two_namespaces
    expect_status(admin.post("/api/v1/volumes", json={"name": "shared"}), 201)
    grant(admin, "rita", "reader")  # no scope: the whole lake
    assert rita.rows("SELECT count(*) FROM fin.t JOIN hr.t USING (id)") == [[2]]
    assert {n["name"] for n in expect_status(rita.get("/api/v1/namespaces"), 200).json()["namespaces"]} >= {"fin", "hr"}
    expect_status(rita.get("/api/v1/volumes/shared/objects"), 200)
    assert_problem(rita.sql("INSERT INTO hr.t VALUES (9, 9)"), 403)
    assert_problem(rita.request("PUT", "/api/v1/volumes/shared/objects/x", data=b"x"), 403)
    assert_problem(rita.get("/api/v1/audit"), 403)


def test_a_writer_cannot_read_another_namespace_through_a_write(lake_with_two_namespaces):
    server, admin, rita = lake_with_two_namespaces
    grant(admin, "rita", "writer", namespace="fin")
    expect_status(admin.post("/api/v1/volumes", json={"name": "out"}), 201)
    grant(admin, "rita", "writer", volume="out")
    for sql in ("CREATE TABLE fin.stolen AS SELECT * FROM hr.t",
                "INSERT INTO fin.t SELECT * FROM hr.t",
                "DELETE FROM fin.t WHERE id IN (SELECT id FROM hr.t)",
                "UPDATE fin.t SET amount = (SELECT max(amount) FROM hr.t)",
                "INSERT INTO fin.t WITH h AS (SELECT * FROM hr.t) SELECT * FROM h"):
        assert "hr" in assert_problem(rita.sql(sql), 403)["detail"].lower(), sql
    assert_problem(rita.transaction(["INSERT INTO fin.t VALUES (5, 5)", "INSERT INTO fin.t SELECT * FROM hr.t"]), 403)
    export = {"sql": "SELECT * FROM hr.t", "export": {"volume": "out", "key": "hr.parquet"}}
    assert_problem(rita.post("/api/v1/query", json=export), 403)
    # Nothing of it happened.
    assert admin.rows("SELECT count(*) FROM fin.t") == [[2]]
    assert not admin.table_exists("fin", "stolen")
    assert expect_status(admin.get("/api/v1/volumes/out/objects"), 200).json()["objects"] == []


def test_every_route_refuses_a_caller_without_grants(lake_with_two_namespaces):
    """Walks the API document: with a valid token and no grant, each operation outside the few open to
    any caller answers 403 (never 2xx, never 401), and changes nothing."""
    server, admin, rita = lake_with_two_namespaces
    expect_status(admin.post("/api/v1/volumes", json={"name": "v1"}), 201)
    expect_status(admin.request("PUT", "/api/v1/volumes/v1/objects/a.txt", data=b"a"), 201)
    upload = expect_status(admin.post("/api/v1/volumes/v1/uploads", json={"key": "big"}), 201).json()["upload_id"]
    values = {"ns": "fin", "table": "t", "vol": "v1", "key": "a.txt", "upload": upload, "part": "1", "id": "x",
              "group": "g", "user": "u", "job": "j", "ds": "d", "run": "r"}
    # Open to every valid token: they narrow what they show to the caller's own (tested elsewhere).
    open_to_all = {("get", "/api/v1/whoami"), ("get", "/api/v1/namespaces"), ("get", "/api/v1/volumes"),
                   ("get", "/api/v1/search"), ("post", "/api/v1/query"), ("post", "/api/v1/tokens"),
                   ("get", "/api/v1/tokens"), ("get", "/api/v1/tokens/{id}"), ("delete", "/api/v1/tokens/{id}"),
                   ("post", "/api/v1/grants"), ("get", "/api/v1/grants"), ("delete", "/api/v1/grants/{id}")}
    document = expect_status(admin.get("/api/v1/openapi.json"), 200).json()
    before = expect_status(admin.get("/api/v1/snapshots", params={"limit": 1}), 200).json()
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("parameters", "head") or operation.get("security") == [] or (method, path) in open_to_all:
                continue
            url = path
            for name, value in values.items():
                url = url.replace("{" + name + "}", value)
            body = {"data": b"{}", "headers": {"Content-Type": "application/json"}} if method in ("post", "put", "patch") else {}
            response = rita.request(method.upper(), url, **body)
            assert response.status_code == 403, (method, path, response.status_code, response.text[:200])
            checked += 1
    assert checked >= 50
    assert expect_status(admin.get("/api/v1/snapshots", params={"limit": 1}), 200).json() == before
    assert expect_status(admin.get("/api/v1/volumes/v1/objects/a.txt"), 200).content == b"a"


def test_dropping_a_namespace_or_volume_drops_the_grants_on_it(secured):
    server, admin, _ = secured
    rita = authorized(server, new_token(admin, "rita")["token"])
    expect_status(admin.post("/api/v1/namespaces", json={"name": "tmp"}), 201)
    expect_status(admin.post("/api/v1/volumes", json={"name": "tmpvol"}), 201)
    grant(admin, "rita", "reader", namespace="tmp")
    grant(admin, "rita", "reader", volume="tmpvol")
    expect_status(admin.delete("/api/v1/namespaces/tmp"), 204)
    expect_status(admin.delete("/api/v1/volumes/tmpvol"), 204)
    assert expect_status(admin.get("/api/v1/grants", params={"principal": "rita"}), 200).json()["grants"] == []
    # Whoever makes a namespace or volume of that name later does not hand it to the old grantees.
    expect_status(admin.post("/api/v1/namespaces", json={"name": "tmp"}), 201)
    expect_status(admin.post("/api/v1/volumes", json={"name": "tmpvol"}), 201)
    assert_problem(rita.get("/api/v1/namespaces/tmp"), 403)
    assert_problem(rita.get("/api/v1/volumes/tmpvol"), 403)


def test_grants_go_with_their_namespace_or_volume_while_the_lake_is_served_without_tokens(secured, tmp_path):
    server, admin, _ = secured
    rita = new_token(admin, "rita")["token"]
    expect_status(admin.post("/api/v1/namespaces", json={"name": "tmp"}), 201)
    expect_status(admin.post("/api/v1/volumes", json={"name": "tmpvol"}), 201)
    grant(admin, "rita", "reader", namespace="tmp")
    grant(admin, "rita", "reader", volume="tmpvol")
    server.stop_cleanly()

    def serve_the_same_lake(name: str, args: list[str]) -> ServerProcess:
        again = ServerProcess(tmp_path / name, args, server.env, server.port, server.data_dir, name,
                              server.s3_prefix, server.backend_flags)
        again.wait_healthy()
        return again

    auth_flags = server.args.index("--auth")
    without_tokens = serve_the_same_lake("open", server.args[1:auth_flags])
    try:
        expect_status(without_tokens.api.delete("/api/v1/namespaces/tmp"), 204)
        expect_status(without_tokens.api.delete("/api/v1/volumes/tmpvol"), 204)
        expect_status(without_tokens.api.post("/api/v1/namespaces", json={"name": "tmp"}), 201)
        expect_status(without_tokens.api.post("/api/v1/volumes", json={"name": "tmpvol"}), 201)
    finally:
        without_tokens.stop_cleanly()
    with_tokens = serve_the_same_lake("secured-again", server.args[1:])
    try:
        admin_again = authorized(with_tokens, admin.http.headers["Authorization"].split(" ", 1)[1])
        grants = expect_status(admin_again.get("/api/v1/grants", params={"principal": "rita"}), 200).json()["grants"]
        assert grants == []
        assert_problem(authorized(with_tokens, rita).get("/api/v1/namespaces/tmp"), 403)
        assert_problem(authorized(with_tokens, rita).get("/api/v1/volumes/tmpvol"), 403)
    finally:
        with_tokens.stop_cleanly()


def test_presigned_urls_stop_working_when_their_creator_loses_the_grant(secured):
    server, admin, _ = secured
    expect_status(admin.post("/api/v1/volumes", json={"name": "reports"}), 201)
    expect_status(admin.request("PUT", "/api/v1/volumes/reports/objects/q.txt", data=b"q3"), 201)
    rita = authorized(server, new_token(admin, "rita")["token"])
    reader = grant(admin, "rita", "reader", volume="reports")
    url = expect_status(rita.post("/api/v1/volumes/reports/presign", json={"key": "q.txt"}), 200).json()["url"]
    if BACKEND != "embedded":
        return  # an S3 URL is S3's own: valid until it expires (docs/API.md says so)
    assert requests.get(url, timeout=30).content == b"q3"
    expect_status(admin.delete(f"/api/v1/grants/{reader['id']}"), 204)
    assert requests.get(url, timeout=30).status_code == 403


def test_auth_settings_come_from_the_environment_too(start_server, tmp_path):
    token_file = tmp_path / "from-env.token"
    server = start_server(env={"DUCKLAKE_AUTH": "token", "DUCKLAKE_ADMIN_TOKEN_FILE": str(token_file)})
    assert_problem(Api(server.base_url).get("/api/v1/namespaces"), 401)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = token_file.read_text().strip()
    assert expect_status(authorized(server, token).get("/api/v1/whoami"), 200).json()["user"] == "admin"
    # An existing file's content is the admin token.
    given = tmp_path / "given.token"
    given.write_text("dl_" + "7e" * 32 + "\n")
    other = start_server(env={"DUCKLAKE_AUTH": "token", "DUCKLAKE_ADMIN_TOKEN_FILE": str(given)})
    expect_status(authorized(other, "dl_" + "7e" * 32).get("/api/v1/whoami"), 200)


def test_the_audit_log_names_what_sql_acted_on_and_a_removed_entry_breaks_the_chain(secured):
    server, admin, _ = secured
    expect_status(admin.post("/api/v1/namespaces", json={"name": "sq"}), 201)
    admin.write("CREATE TABLE sq.t AS SELECT 1 AS id")
    expect_status(admin.transaction(["INSERT INTO sq.t VALUES (2)", "DELETE FROM sq.t WHERE id = 1"]), 200)
    expect_status(admin.sql("SELECT * FROM sq.t"), 200)
    assert_problem(admin.sql("COPY sq.t TO '/tmp/x.csv'"), 403)
    targets = [e["target"] for e in expect_status(admin.get("/api/v1/audit"), 200).json()["entries"]
               if e["action"] == "POST /api/v1/query"]
    assert "CREATE TABLE AS sq.t" in targets
    assert "INSERT sq.t; DELETE sq.t" in targets
    assert "query" in targets and "refused or malformed SQL" in targets
    if BACKEND == "embedded":
        database = sqlite3.connect(server.data_dir / "metadata.sqlite")
        database.execute("DELETE FROM dl_audit WHERE audit_id = 3")
        database.commit()
        database.close()
        verify = expect_status(admin.get("/api/v1/audit/verify"), 200).json()
        assert not verify["intact"] and verify["first_broken"] == 4


def test_refused_requests_are_rate_limited_per_address(start_server, tmp_path):
    token_file = tmp_path / "t"
    server = start_server("--auth", "token", "--admin-token-file", str(token_file), "--rate-limit", "5",
                          "--rate-burst", "5")
    guesser = Api(server.base_url)
    answers = [guesser.get("/api/v1/namespaces", headers={"Authorization": "Bearer dl_" + f"{i:064x}"})
               for i in range(15)]
    statuses = [a.status_code for a in answers]
    assert statuses[0] == 401 and 429 in statuses, statuses
    assert all(a.headers["Retry-After"].isdigit() for a in answers if a.status_code == 429)
    # A caller with a good token is not held up by someone else's guessing from the same address.
    admin = authorized(server, token_file.read_text().strip())
    expect_status(admin.get("/api/v1/whoami"), 200)
