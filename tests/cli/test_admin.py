"""Against a server started with `--auth token --admin-token-file F`: login and profiles, tokens in
files and the environment, --verbose never showing a token, token/grant/group administration and
remote maintenance, each compared with what the REST API says."""

from __future__ import annotations

import json
import stat
import tomllib

import pytest

from clisupport import (Api, api_listing, assert_one_error, csv_rows, expect_status, unique_name)


def token_for(admin_api: Api, user: str) -> dict:
    return expect_status(admin_api.post("/api/v1/tokens", json={"user": user}), 201).json()


def as_user(server, token: str) -> Api:
    client = Api(server.base_url)
    client.http.headers["Authorization"] = f"Bearer {token}"
    return client


def fields(text: str) -> dict[str, str]:
    return {key: value for key, _, value in (line.partition(": ") for line in text.splitlines())}


# --- login and profiles ---------------------------------------------------------------------------


def test_login_saves_a_profile_that_names_the_token_file_never_the_token(auth_cli, auth_server, admin_api, tmp_path):
    token = token_for(admin_api, "rita")
    given = tmp_path / "given.token"
    given.write_text(token["token"] + "\n")
    cli = auth_cli.with_env(DUCKLAKE_URL=None)  # the profile alone must say where the server is
    run = cli.ok("login", "--profile", "p", "--url", auth_server.base_url, "--token-file", given)
    assert run.out == f"logged in to {auth_server.base_url} as rita (profile p, the default)\n"

    text = cli.config_file.read_text()
    assert token["token"] not in text
    config = tomllib.loads(text)
    assert config["default_profile"] == "p"
    profile = config["profiles"]["p"]
    assert profile["url"] == auth_server.base_url and "token" not in profile
    saved = profile["token_file"]
    assert saved.startswith(str(cli.config_home)) and saved != str(given)
    from pathlib import Path
    assert Path(saved).read_text().strip() == token["token"]
    assert stat.S_IMODE(Path(saved).stat().st_mode) == 0o600

    me = fields(cli.ok("whoami", "--profile", "p").out)
    assert (me["server"], me["profile"], me["user"], me["token"]) == (auth_server.base_url, "p", "rita", token["id"])
    assert cli.json("whoami", "--format", "json") == expect_status(as_user(auth_server, token["token"]).get("/api/v1/whoami"), 200).json()
    # The default profile is used without --profile; DUCKLAKE_PROFILE names one like --profile.
    assert fields(cli.ok("whoami").out)["user"] == "rita"
    assert fields(cli.ok("whoami", env={"DUCKLAKE_PROFILE": "p"}).out)["profile"] == "p"
    assert_one_error(cli("whoami", "--profile", "missing"), 2, "no profile 'missing'")
    assert_one_error(cli("whoami", env={"DUCKLAKE_PROFILE": "missing"}), 2, "no profile 'missing'")

    # A second profile, for the admin, through DUCKLAKE_TOKEN; the default stays p.
    run = cli.ok("login", "--profile", "adm", "--url", auth_server.base_url,
                 env={"DUCKLAKE_TOKEN": auth_server.admin_token})
    assert run.out == f"logged in to {auth_server.base_url} as admin (profile adm)\n"
    config = tomllib.loads(cli.config_file.read_text())
    assert set(config["profiles"]) == {"p", "adm"} and config["default_profile"] == "p"
    assert auth_server.admin_token not in cli.config_file.read_text()
    assert fields(cli.ok("whoami", "--profile", "adm").out)["user"] == "admin"


def test_login_to_a_server_without_authentication_keeps_no_token(cli, server):
    run = cli.ok("login", "--profile", "local", "--url", server.base_url, env={"DUCKLAKE_URL": None})
    assert run.out == f"logged in to {server.base_url} as anonymous (profile local, the default)\n"
    config = tomllib.loads(cli.config_file.read_text())
    assert config["profiles"]["local"] == {"url": server.base_url}
    assert not (cli.config_home / "ducklake" / "tokens").exists()
    me = fields(cli.ok("whoami", env={"DUCKLAKE_URL": None}).out)
    assert (me["server"], me["profile"], me["user"], me["authenticated"]) == (server.base_url, "local", "anonymous", "false")


def test_login_with_a_bad_token_saves_nothing(auth_cli, auth_server, tmp_path):
    wrong = tmp_path / "wrong.token"
    wrong.write_text("dl_" + "0" * 64)
    assert_one_error(auth_cli("login", "--profile", "bad", "--url", auth_server.base_url, "--token-file", wrong), 5)
    assert not auth_cli.config_file.exists()
    assert not (auth_cli.config_home / "ducklake" / "tokens" / "bad").exists()
    assert_one_error(auth_cli("login", "--profile", "bad name", "--token-file", wrong), 2, "profile name")


def test_which_server_and_token_a_command_uses(auth_cli, auth_server, admin_api, server, tmp_path):
    """docs/CLI.md: --profile (or DUCKLAKE_PROFILE) wins over the environment; the default profile
    yields to --url/DUCKLAKE_URL and DUCKLAKE_TOKEN."""
    rita, sam = token_for(admin_api, "rita"), token_for(admin_api, "sam")
    cli = auth_cli.with_env(DUCKLAKE_URL=None)
    cli.ok("login", "--profile", "lake", "--url", auth_server.base_url, env={"DUCKLAKE_TOKEN": rita["token"]})
    cli.ok("login", "--profile", "ci", "--url", auth_server.base_url, "--token-env", "CI_LAKE_TOKEN",
           env={"CI_LAKE_TOKEN": sam["token"]})
    config = tomllib.loads(cli.config_file.read_text())
    assert config["profiles"]["ci"] == {"url": auth_server.base_url, "token_env": "CI_LAKE_TOKEN"}
    assert sam["token"] not in cli.config_file.read_text() and config["default_profile"] == "lake"
    unreachable = "http://127.0.0.1:9"

    def user(*args, env=None):
        return fields(cli.ok(*args, "whoami", env=env).out)

    assert user()["user"] == "rita"                                            # the default profile
    assert user("--profile", "ci", env={"CI_LAKE_TOKEN": sam["token"]})["user"] == "sam"
    assert_one_error(cli("--profile", "ci", "whoami"), 2, "CI_LAKE_TOKEN")   # its variable is not set
    # A named profile ignores DUCKLAKE_URL and DUCKLAKE_TOKEN...
    assert user("--profile", "lake", env={"DUCKLAKE_URL": unreachable, "DUCKLAKE_TOKEN": sam["token"]})["user"] == "rita"
    assert user(env={"DUCKLAKE_PROFILE": "lake", "DUCKLAKE_TOKEN": sam["token"]})["user"] == "rita"
    # ...the default profile yields to them.
    assert user(env={"DUCKLAKE_TOKEN": sam["token"]})["user"] == "sam"
    other = fields(cli.ok("whoami", env={"DUCKLAKE_URL": server.base_url}).out)
    assert (other["server"], other["user"], other["profile"]) == (server.base_url, "anonymous", "(none)")
    assert fields(cli.ok("--url", server.base_url, "whoami").out)["server"] == server.base_url
    # --default moves the default.
    cli.ok("login", "--profile", "ci", "--default", "--token-env", "CI_LAKE_TOKEN", "--url", auth_server.base_url,
           env={"CI_LAKE_TOKEN": sam["token"]})
    assert tomllib.loads(cli.config_file.read_text())["default_profile"] == "ci"
    assert user(env={"CI_LAKE_TOKEN": sam["token"]})["user"] == "sam"


def test_the_token_comes_from_the_environment_or_a_file(auth_cli, auth_server, admin_api, tmp_path):
    token = token_for(admin_api, "sam")
    assert fields(auth_cli.ok("whoami", env={"DUCKLAKE_TOKEN": token["token"]}).out)["user"] == "sam"
    path = tmp_path / "sam.token"
    path.write_text(f"  {token['token']}  \n# ignored\n")
    assert fields(auth_cli.ok("--token-file", path, "whoami").out)["user"] == "sam"
    # ~ is the home directory.
    (auth_cli.home / "lake.token").write_text(token["token"])
    assert fields(auth_cli.ok("--token-file", "~/lake.token", "whoami").out)["user"] == "sam"
    # --token-file wins over DUCKLAKE_TOKEN.
    run = auth_cli.ok("--token-file", path, "whoami", env={"DUCKLAKE_TOKEN": auth_server.admin_token})
    assert fields(run.out)["user"] == "sam"


def test_verbose_shows_the_exchange_but_never_the_token(admin_cli, auth_server):
    run = admin_cli.ok("-v", "ns", "ls")
    assert "> GET /api/v1/namespaces HTTP/1.1" in run.err.splitlines()
    assert "> Authorization: Bearer ***" in run.err.splitlines()
    assert any(line.startswith("< HTTP/1.1 200") for line in run.err.splitlines())
    assert auth_server.admin_token not in run.err and auth_server.admin_token not in run.out
    assert auth_server.admin_token[3:20] not in run.err
    assert run.out.splitlines()[0].split() == ["name", "tables", "created_snapshot"]
    # Also for a failed request, and with the token from a file.
    failed = admin_cli("--verbose", "table", "describe", "main.nope")
    assert failed.rc == 3 and "> Authorization: Bearer ***" in failed.err
    assert auth_server.admin_token not in failed.err
    assert failed.err.splitlines()[-1].startswith("ducklake: ")


# --- tokens, grants, groups -----------------------------------------------------------------------


def test_token_create_ls_describe_rm_match_the_api(admin_cli, admin_api, auth_server, tmp_path):
    user = unique_name("u")
    run = admin_cli.ok("token", "create", "--user", user, "--description", "nightly job", "--expires-in", "3600")
    secret = run.out.strip()
    assert secret.startswith("dl_") and len(secret) == 67 and run.out == secret + "\n"
    assert run.err.startswith("token ") and secret not in run.err
    me = expect_status(as_user(auth_server, secret).get("/api/v1/whoami"), 200).json()
    assert me["user"] == user

    out = tmp_path / "tokens" / "etl.token"
    saved = admin_cli.json("token", "create", "--user", user, "--token-out", out, "--format", "json")
    assert "token" not in saved and saved["user"] == user
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert expect_status(as_user(auth_server, out.read_text().strip()).get("/api/v1/whoami"), 200).json()["token_id"] == saved["id"]

    listed = admin_cli.json("token", "ls", "--format", "json")
    assert listed == expect_status(admin_api.get("/api/v1/tokens"), 200).json()
    assert secret not in json.dumps(listed)
    mine = [t for t in listed["tokens"] if t["user"] == user]
    assert len(mine) == 2 and {t["description"] for t in mine} == {"nightly job", ""}
    as_csv = csv_rows(admin_cli.ok("token", "ls", "--format", "csv").out)
    assert as_csv[1:] == [[t["id"], t["user"], t["description"], t["created_at"], t["expires_at"] or "",
                           t["revoked_at"] or ""] for t in listed["tokens"]]
    described = admin_cli.json("token", "describe", saved["id"], "--format", "json")
    assert described == expect_status(admin_api.get(f"/api/v1/tokens/{saved['id']}"), 200).json()

    assert admin_cli.ok("token", "rm", saved["id"]).out == f"revoked token {saved['id']}\n"
    expect_status(as_user(auth_server, out.read_text().strip()).get("/api/v1/whoami"), 401)
    assert_one_error(admin_cli("--token-file", out, "whoami"), 5)
    assert_one_error(admin_cli("token", "describe", "0000000000000000"), 3)


def test_grants_and_groups_match_the_api_and_take_effect(admin_cli, admin_api, auth_server, tmp_path):
    ns, other, group, user = unique_name("gns"), unique_name("gns"), unique_name("grp"), unique_name("u")
    for name in (ns, other):
        admin_cli.ok("ns", "create", name)
        admin_cli.ok("sql", f"CREATE TABLE {name}.t AS SELECT 1 AS id")
    token_file = tmp_path / "user.token"
    admin_cli.ok("token", "create", "--user", user, "--token-out", token_file)
    as_them = admin_cli.with_env(DUCKLAKE_TOKEN=None)

    assert_one_error(as_them("--token-file", token_file, "sql", f"SELECT * FROM {ns}.t"), 5, user)
    granted = admin_cli.json("grant", "add", user, "reader", "--namespace", ns, "--format", "json")
    assert granted["principal"] == user and granted["role"] == "reader" and granted["namespace"] == ns
    assert as_them.ok("--token-file", token_file, "sql", f"SELECT * FROM {ns}.t").out == "id\n1\n"
    assert_one_error(as_them("--token-file", token_file, "sql", f"SELECT * FROM {other}.t"), 5, other)
    assert_one_error(as_them("--token-file", token_file, "sql", f"INSERT INTO {ns}.t VALUES (2)"), 5, "writer")

    # A writer grant to a group reaches its members.
    run = admin_cli.ok("group", "add", group, user)
    assert run.out == f"added {user} to group {group}\n"
    groups = admin_cli.json("group", "ls", "--format", "json")
    assert groups == expect_status(admin_api.get("/api/v1/groups"), 200).json()
    assert {"group": group, "members": [user]} in groups["groups"]
    me = as_them.json("--token-file", token_file, "whoami", "--format", "json")
    assert me["user"] == user and me["groups"] == [group]
    assert fields(as_them.ok("--token-file", token_file, "whoami").out)["groups"] == group
    line = admin_cli.ok("grant", "add", f"group:{group}", "writer", "--namespace", ns).out
    assert line.startswith(f"granted writer on namespace {ns} to group:{group} (grant ")
    as_them.ok("--token-file", token_file, "sql", f"INSERT INTO {ns}.t VALUES (2)")
    assert admin_api.rows(f"SELECT count(*) FROM {ns}.t") == [[2]]

    listed = admin_cli.json("grant", "ls", "--format", "json")
    assert listed == expect_status(admin_api.get("/api/v1/grants"), 200).json()
    only = admin_cli.json("grant", "ls", "--principal", user, "--format", "json")
    assert only == expect_status(admin_api.get("/api/v1/grants", params={"principal": user}), 200).json()
    assert [g["id"] for g in only["grants"]] == [granted["id"]]
    plain = [line.split() for line in admin_cli.ok("grant", "ls").out.splitlines()]
    assert [granted["id"], user, "reader", "namespace", ns] == plain[[row[0] for row in plain].index(granted["id"])][:5]

    assert admin_cli.ok("grant", "rm", granted["id"]).out == f"revoked grant {granted['id']}\n"
    admin_cli.ok("group", "rm", group, user)
    assert_one_error(as_them("--token-file", token_file, "sql", f"SELECT * FROM {ns}.t"), 5)
    assert granted["id"] not in [g["id"] for g in expect_status(admin_api.get("/api/v1/grants"), 200).json()["grants"]]
    assert_one_error(admin_cli("grant", "add", user, "owner", "--namespace", ns), 2)
    assert_one_error(admin_cli("grant", "rm", "0000000000000000"), 3)


# --- maintenance through the API --------------------------------------------------------------------


@pytest.fixture
def fragmented(admin_cli, admin_api):
    """A namespace with a table of three small files and one row kept in the catalog (compaction and
    flush have something to report)."""
    ns = unique_name("mns")
    admin_cli.ok("ns", "create", ns)
    admin_cli.ok("sql", f"CREATE TABLE {ns}.t AS SELECT range AS id FROM range(10)")
    for start in (10, 20):
        # More rows than a write keeps in the catalog: a file each.
        admin_cli.ok("sql", f"INSERT INTO {ns}.t SELECT range FROM range({start}, {start + 10}) UNION ALL SELECT -1")
    admin_cli.ok("sql", f"DELETE FROM {ns}.t WHERE id = -1")
    admin_cli.ok("sql", f"INSERT INTO {ns}.t VALUES (30)")
    return ns


def test_remote_maintenance_reports_what_the_api_reports(admin_cli, admin_api, fragmented):
    ns = fragmented
    expected = expect_status(admin_api.post("/api/v1/maintenance/compact", json={"namespace": ns, "dry_run": True}), 200).json()
    assert expected["tables"] == [{"namespace": ns, "table": "t", "files_before": 3, "files_after": 1, "snapshot_id": None}]
    # DUCKLAKE_URL alone (the client's environment) makes maintenance remote; --dry-run before or after.
    assert admin_cli.json("maintenance", "--dry-run", "compact", "--namespace", ns) == expected
    assert admin_cli.json("maintenance", "compact", "--namespace", ns, "--dry-run") == expected
    assert admin_cli.json("maintenance", "--remote", "compact", "--namespace", ns, "--dry-run") == expected
    assert admin_api.describe(ns, "t")["file_count"] == 3  # dry runs changed nothing
    done = admin_cli.json("maintenance", "compact", "--namespace", ns, "--table", "t")
    assert done["dry_run"] is False and done["tables"][0]["files_before"] == 3 and done["tables"][0]["snapshot_id"]
    assert admin_api.describe(ns, "t")["file_count"] == 1
    assert admin_api.rows(f"SELECT count(*), CAST(sum(id) AS BIGINT) FROM {ns}.t") == [[31, sum(range(31))]]
    expected = expect_status(admin_api.post("/api/v1/maintenance/flush", json={"namespace": ns, "dry_run": True}),
                             200).json()
    assert expected["flushed_rows"] == 1
    assert admin_cli.json("maintenance", "flush", "--namespace", ns, "--dry-run") == expected
    flushed = admin_cli.json("maintenance", "flush", "--remote", "--namespace", ns, "--table", "t")
    assert flushed["dry_run"] is False and flushed["tables"][0]["rows"] == 1 and flushed["tables"][0]["snapshot_id"]
    assert admin_api.describe(ns, "t")["file_count"] == 2
    assert admin_api.rows(f"SELECT count(*), CAST(sum(id) AS BIGINT) FROM {ns}.t") == [[31, sum(range(31))]]
    expired = admin_cli.json("maintenance", "expire", "--keep-last", "1000000", "--dry-run")
    assert expired == expect_status(admin_api.post("/api/v1/maintenance/expire",
                                                   json={"keep_last": 1000000, "dry_run": True}), 200).json()


def test_remote_reconcile_of_a_volume(admin_cli, admin_api, auth_server, tmp_path):
    volume = unique_name("rvol")
    admin_cli.ok("volume", "create", volume)
    source = tmp_path / "f.txt"
    source.write_text("x")
    for key in ("a.txt", "b/c.txt"):
        admin_cli.ok("cp", source, f"dl://{volume}/{key}")
    report = admin_cli.json("maintenance", "reconcile", "--volume", volume, "--dry-run")
    assert report == {"operation": "reconcile", "volume": volume, "dry_run": True, "added": 0, "updated": 0,
                      "removed": 0, "unchanged": 2, "stale_reservations": 0}
    assert admin_cli.json("maintenance", "reconcile", "--volume", volume)["unchanged"] == 2
    assert_one_error(admin_cli("maintenance", "reconcile", "--volume", unique_name("nope")), 3)
    assert [o["key"] for o in api_listing(admin_api, volume)["objects"]] == ["a.txt", "b/c.txt"]
    # Without a token the server refuses it: exit 5.
    assert_one_error(admin_cli("maintenance", "reconcile", "--volume", volume, env={"DUCKLAKE_TOKEN": None}), 5)


def test_maintenance_takes_url_and_profile_after_the_operation(admin_cli, admin_api, auth_server, fragmented):
    ns = fragmented
    cli = admin_cli.with_env(DUCKLAKE_URL=None)
    expected = expect_status(admin_api.post("/api/v1/maintenance/compact", json={"namespace": ns, "dry_run": True}), 200).json()
    assert cli.json("maintenance", "compact", "--url", auth_server.base_url, "--namespace", ns, "--dry-run") == expected
    volume = unique_name("rvol")
    admin_cli.ok("volume", "create", volume)
    report = cli.json("maintenance", "reconcile", "--volume", volume, "--url", auth_server.base_url)
    assert report["volume"] == volume and report["unchanged"] == 0
    cli.ok("login", "--profile", "ops", "--url", auth_server.base_url, env={"DUCKLAKE_TOKEN": auth_server.admin_token})
    assert cli.json("maintenance", "compact", "--profile", "ops", "--namespace", ns, "--dry-run") == expected
