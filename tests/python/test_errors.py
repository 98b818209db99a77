"""Every failure is a typed exception carrying the server's problem document; connection settings
come from arguments, the environment or the CLI's profiles; tokens never show."""

from __future__ import annotations

import pytest

import ducklake
from ducklake.config import resolve_endpoint
from httpsupport import free_port


@pytest.mark.parametrize("call, error, detail", [
    (lambda c, ns: c.sql("SELEC 1"), ducklake.BadRequest, "syntax error"),
    (lambda c, ns: c.sql(f"SELECT * FROM {ns}.missing"), ducklake.NotFound, "missing"),
    (lambda c, ns: c.sql("SELECT * FROM read_csv('/etc/passwd')"), ducklake.Forbidden, ""),
    (lambda c, ns: c.create_namespace(ns), ducklake.Conflict, "exists"),
    (lambda c, ns: c.table(f"{ns}.missing"), ducklake.NotFound, "missing"),
    (lambda c, ns: c.sql("SELECT 1", snapshot=10 ** 9), ducklake.NotFound, "snapshot"),
    (lambda c, ns: c.changes(f"{ns}.missing"), ducklake.NotFound, "missing"),
    (lambda c, ns: c.volume("no-such-volume"), ducklake.NotFound, "no-such-volume"),
    (lambda c, ns: c.lineage.graph("dataset:nowhere:nothing"), ducklake.NotFound, ""),
    (lambda c, ns: c.lineage.emit({"eventType": "START"}), ducklake.BadRequest, ""),
])
def test_server_errors_raise_their_type_with_the_problem(client, ns, call, error, detail):
    with pytest.raises(error) as raised:
        call(client, ns)
    problem = raised.value.problem
    assert raised.value.status == problem["status"] and problem["title"] and problem["instance"].startswith("/")
    assert isinstance(raised.value, ducklake.DuckLakeError) and raised.value.request_id
    assert detail.lower() in raised.value.detail.lower()
    assert str(raised.value).startswith(f"{problem['status']} ")


@pytest.mark.parametrize("call", [
    lambda c: c.sql(""),
    lambda c: c.sql("SELECT 1", snapshot=-1).fetchall(),
    lambda c: c.table("a.b.c"),
    lambda c: c.create_namespace("1bad"),
    lambda c: c.transaction([]),
    lambda c: c.transaction("INSERT INTO a.b VALUES (1)"),
    lambda c: c.read_range("v", "k", 5, 1),
    lambda c: c.lineage.dataset({"name": "no namespace"}),
])
def test_bad_arguments_are_bad_requests(client, call):
    with pytest.raises(ducklake.BadRequest) as raised:
        call(client)
    assert isinstance(raised.value, ValueError)


def test_unreachable_server_is_connection_failed():
    with ducklake.Client(url=f"http://127.0.0.1:{free_port()}", retries=1) as client:
        with pytest.raises(ducklake.ConnectionFailed, match="^cannot reach http://127.0.0.1:[0-9]+: Connection refused$"):
            client.namespaces()


def test_tokens_are_checked_and_never_shown(auth_server, admin_client):
    assert admin_client.whoami()["authenticated"] is True
    with ducklake.Client(url=auth_server.base_url) as anonymous:
        with pytest.raises(ducklake.Unauthorized):
            anonymous.namespaces()
    wrong = "dl_" + "0" * 64
    with ducklake.Client(url=auth_server.base_url, token=wrong) as client:
        with pytest.raises(ducklake.Unauthorized) as raised:
            client.sql("SELECT 1")
        assert wrong not in str(raised.value) and wrong not in repr(raised.value.problem)
        assert wrong not in repr(client) and wrong not in repr(client.endpoint)
    reader_token = admin_client._http.send_json("POST", "/api/v1/tokens", {"user": "rita"})["token"]
    admin_client.create_namespace("hr")
    with ducklake.Client(url=auth_server.base_url, token=reader_token) as rita:
        with pytest.raises(ducklake.Forbidden, match="rita"):
            rita.sql("CREATE TABLE hr.t (i INTEGER)")


def test_endpoint_resolution_follows_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in ("DUCKLAKE_URL", "DUCKLAKE_TOKEN", "DUCKLAKE_PROFILE", "PROD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert resolve_endpoint() == ducklake.config.Endpoint("http://127.0.0.1:8080", None)
    monkeypatch.setenv("DUCKLAKE_URL", "http://env:1/")
    monkeypatch.setenv("DUCKLAKE_TOKEN", "dl_env")
    assert resolve_endpoint() == ducklake.config.Endpoint("http://env:1", "dl_env")
    assert resolve_endpoint(url="https://arg:2", token="dl_arg") == ducklake.config.Endpoint("https://arg:2", "dl_arg")
    config = tmp_path / "ducklake"
    (config / "tokens").mkdir(parents=True)
    (config / "tokens" / "prod").write_text("dl_file\n")
    (config / "config.toml").write_text(
        'default_profile = "prod"\n[profiles.prod]\nurl = "https://prod:3"\ntoken_file = "'
        + str(config / "tokens" / "prod") + '"\n[profiles.ci]\nurl = "http://ci:4"\ntoken_env = "PROD_TOKEN"\n')
    # DUCKLAKE_URL set: no profile unless one is named
    assert resolve_endpoint().url == "http://env:1"
    monkeypatch.delenv("DUCKLAKE_URL")
    # the default profile yields its token to DUCKLAKE_TOKEN; a named one does not
    assert resolve_endpoint() == ducklake.config.Endpoint("https://prod:3", "dl_env")
    monkeypatch.delenv("DUCKLAKE_TOKEN")
    assert resolve_endpoint() == ducklake.config.Endpoint("https://prod:3", "dl_file")
    with pytest.raises(ducklake.BadRequest, match="PROD_TOKEN"):
        resolve_endpoint(profile="ci")
    monkeypatch.setenv("PROD_TOKEN", "dl_ci")
    monkeypatch.setenv("DUCKLAKE_PROFILE", "ci")
    assert resolve_endpoint() == ducklake.config.Endpoint("http://ci:4", "dl_ci")
    with pytest.raises(ducklake.BadRequest, match="no profile 'nope'"):
        resolve_endpoint(profile="nope")
    with pytest.raises(ducklake.BadRequest, match="http:// or https://"):
        resolve_endpoint(url="localhost:8080")
    (config / "config.toml").write_text("this is = = not toml")
    with pytest.raises(ducklake.BadRequest, match="config.toml"):
        resolve_endpoint()


def test_client_reads_a_profile_written_by_the_cli(server, tmp_path, monkeypatch):
    import subprocess
    from pysupport import BINARY
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("DUCKLAKE_URL", "DUCKLAKE_TOKEN", "DUCKLAKE_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    out = subprocess.run([str(BINARY), "login", "--url", server.base_url, "--profile", "lab"],
                         input="", capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    with ducklake.Client(profile="lab") as client:
        assert client.url == server.base_url and client.sql("SELECT 42").fetchone() == (42,)
