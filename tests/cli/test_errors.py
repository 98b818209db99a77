"""Bad input everywhere. Each failure must keep the CLI's contract: the documented exit code, nothing
on stdout, exactly one line on stderr starting with 'ducklake: ', and nothing half-done."""

from __future__ import annotations

import pytest

from clisupport import (api_listing, assert_one_error, expect_status, object_exists, open_uploads, quote_key,
                        unique_name)

MIB = 1 << 20


@pytest.fixture
def local_file(tmp_path, rng):
    path = tmp_path / "payload.bin"
    path.write_bytes(rng.randbytes(2048))
    return path


# --- not found (3) --------------------------------------------------------------------------------


def test_unknown_volume_is_3(cli, api, local_file):
    missing = unique_name("novol")
    for args in (["ls", f"dl://{missing}/"], ["ls", "-r", f"dl://{missing}/a/"], ["stat", f"dl://{missing}/x"],
                 ["cat", f"dl://{missing}/x"], ["volume", "describe", missing], ["cp", local_file, f"dl://{missing}/x"],
                 ["mirror", local_file.parent, f"dl://{missing}/p/"], ["rm", "-r", f"dl://{missing}/p/"]):
        assert_one_error(cli(*args), 3, f"volume '{missing}'")
    assert api.get(f"/api/v1/volumes/{missing}").status_code == 404


def test_unknown_volume_as_json_or_csv_prints_nothing_on_stdout(cli):
    missing = unique_name("novol")
    assert_one_error(cli("ls", f"dl://{missing}/", "--format", "json"), 3, f"volume '{missing}'")
    assert_one_error(cli("ls", f"dl://{missing}/", "--format", "csv"), 3, f"volume '{missing}'")


def test_unknown_table_or_namespace_is_3(cli, ns):
    for args in (["table", "describe", f"{ns}.nope"], ["table", "preview", f"{ns}.nope"],
                 ["table", "history", f"{ns}.nope"], ["table", "changes", f"{ns}.nope"], ["table", "rm", f"{ns}.nope"],
                 ["lineage", f"{ns}.nope"], ["table", "ls", "no_such_ns"], ["ns", "describe", "no_such_ns"],
                 ["ns", "rm", "no_such_ns"]):
        assert_one_error(cli(*args), 3)
    assert_one_error(cli("table", "describe", f"{ns}.nope"), 3, f"table '{ns}.nope' not found")
    assert_one_error(cli("sql", f"SELECT * FROM {ns}.nope"), 3, "nope")
    assert_one_error(cli("ingest", __file__, "no_such_ns.t", "--format", "csv"), 3, "no_such_ns")


def test_missing_objects_and_jobs_are_3_and_leave_no_file(cli, volume, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert_one_error(cli("cp", f"dl://{volume}/missing.bin", out / "x.bin"), 3, "not found")
    assert_one_error(cli("cp", "-r", f"dl://{volume}/nothing/", out / "tree"), 3, "no objects under")
    assert_one_error(cli("stat", f"dl://{volume}/missing.bin"), 3)
    assert_one_error(cli("rm", f"dl://{volume}/missing.bin"), 3)
    assert_one_error(cli("runs", "--job", unique_name("no.such.job")), 3, "no runs of job")
    assert list(out.iterdir()) == []


def test_missing_local_sources_are_3_and_upload_nothing(cli, api, volume, tmp_path):
    missing = tmp_path / "not here.csv"
    assert_one_error(cli("cp", missing, f"dl://{volume}/x.csv"), 3, str(missing))
    assert_one_error(cli("mv", missing, f"dl://{volume}/x.csv"), 3, str(missing))
    assert_one_error(cli("mirror", tmp_path / "no dir", f"dl://{volume}/p/"), 3, "no dir")
    assert_one_error(cli("ingest", missing, "main.t"), 3, str(missing))
    assert_one_error(cli("sql", "-f", missing), 3, str(missing))
    assert_one_error(cli("ls", missing), 3, str(missing))
    # One missing source among good ones: the copy does not start at all.
    good = tmp_path / "good.txt"
    good.write_text("good")
    assert_one_error(cli("cp", good, missing, f"dl://{volume}/dir/"), 3, str(missing))
    assert api_listing(api, volume)["objects"] == []


# --- usage (2) ------------------------------------------------------------------------------------


def test_bad_sql_is_2_with_the_servers_detail(cli, api):
    checked = 0
    for sql in ("SELEC 1", "SELECT 1 +", "SELECT nope", "SELECT 1 FROM range(2) GROUP BY ALL HAVING"):
        response = api.sql(sql)
        assert response.status_code == 400, response.text
        detail = response.json()["detail"]
        if "\n" in detail:
            continue  # see test_a_multi_line_server_detail_is_still_one_line
        assert assert_one_error(cli("sql", sql), 2) == detail, sql
        checked += 1
    assert checked >= 3
    # The statements are split on the client: the bad one stops the run, the good one before it ran.
    run = cli("sql", "SELECT 1 AS ok; SELEC 2")
    assert run.rc == 2 and run.out == "ok\n1\n" and run.err.startswith("ducklake: Parser Error")


def test_a_multi_line_server_detail_is_still_one_line(cli, api):
    sql = "SELECT 'a' + 1"
    detail = api.sql(sql).json()["detail"]
    assert "\n" in detail  # DuckDB lists the candidate functions on lines of their own
    message = assert_one_error(cli("sql", sql), 2, "Could not choose a best candidate function")
    assert "+(INTEGER, INTEGER) -> INTEGER" in message


def test_malformed_table_names_are_2(cli):
    for name in ("nodot", "a.b.c", ".t", "ns.", ""):
        assert_one_error(cli("table", "describe", name), 2, "NAMESPACE.TABLE")
    assert_one_error(cli("ingest", __file__, "nodot", "--format", "csv"), 2, "NAMESPACE.TABLE")
    assert_one_error(cli("lineage", "nodot"), 2, "NAMESPACE.TABLE")


def test_malformed_lake_paths_are_2(cli, api, volume, local_file):
    assert_one_error(cli("cp", local_file, "dl:///x"), 2, "name the volume")
    assert_one_error(cli("cat", f"dl://{volume}/folder/"), 2, "is a folder")
    assert_one_error(cli("stat", f"dl://{volume}/folder/"), 2, "is a folder")
    assert_one_error(cli("rm", f"dl://{volume}/folder/"), 2, "remove it with -r")
    assert_one_error(cli("cp", f"dl://{volume}/folder/", "out"), 2, "copy it with -r")
    assert_one_error(cli("cp", local_file.parent, f"dl://{volume}/x/"), 2, "copy it with -r")
    assert_one_error(cli("cp", local_file, f"dl://{volume}/a//b"), 2, "segment")
    assert_one_error(cli("cp", local_file, f"dl://{volume}/bad\\key"), 2)
    assert_one_error(cli("mirror", local_file.parent, local_file.parent), 2, "dl://VOLUME/PREFIX")
    assert_one_error(cli("cp", local_file, "elsewhere"), 2, "local")
    assert api_listing(api, volume)["objects"] == []


def test_dot_segments_in_a_key_are_a_usage_error(cli, api, volume, local_file):
    assert_one_error(cli("cp", local_file, f"dl://{volume}/../x"), 2)
    assert_one_error(cli("cp", local_file, f"dl://{volume}/a/./x"), 2)
    assert api_listing(api, volume)["objects"] == []


def test_dot_segments_in_a_key_never_reach_another_route(cli, api, volume):
    victim = unique_name("victim")
    api.create_namespace(victim)
    run = cli("rm", f"dl://{volume}/../../../namespaces/{victim}")
    assert expect_status(api.get(f"/api/v1/namespaces/{victim}"), 200).json()["name"] == victim
    assert_one_error(run, 2)


def test_bad_flags_and_values_are_2(cli, tmp_path, local_file, volume):
    cases = [
        (["ns"], "A subcommand is required"),
        (["ns", "ls", "--bogus"], "--bogus"),
        (["nosuchcommand"], ""),
        (["sql", "SELECT 1", "--format", "xml"], "xml"),
        (["ns", "ls", "--format", "xml"], "xml"),
        (["cp", local_file, f"dl://{volume}/x", "--multipart-threshold", "1000"], "multipart-threshold"),
        (["cp", local_file, f"dl://{volume}/x", "--part-size", "1"], "part-size"),
        (["cp", local_file, f"dl://{volume}/x", "-j", "0"], "parallel"),
        (["table", "preview", "a.b", "--limit", "10001"], "limit"),
        (["ingest", local_file, "main.t"], "cannot tell the format"),
        (["ingest", local_file, "main.t", "--mode", "replace"], "replace"),
        (["sql", "SELECT 1", "-f", local_file], "not both"),
        (["sql"], "no SQL statement given"),
        (["sql", "  -- only a comment\n"], "no SQL statement given"),
        (["--url", "ftp://host", "ns", "ls"], "http://"),
        (["--token-file", tmp_path / "no-token-file", "ns", "ls"], "token file"),
        (["--profile", "missing", "ns", "ls"], "no profile 'missing'"),
        (["completion", "fish"], "fish"),
        (["token", "ls"], "without authentication"),
        (["ns", "create", "bad name"], "bad name"),
    ]
    for args, text in cases:
        assert_one_error(cli(*args), 2, text)


def test_output_files_are_never_left_half_written(cli, tmp_path):
    out = tmp_path / "out.csv"
    assert_one_error(cli("sql", "SELECT 1; SELECT 2", "-o", out), 2, "-o")
    assert_one_error(cli("sql", "SELEC oops", "-o", tmp_path / "r.parquet"), 2, "syntax error")
    assert_one_error(cli("sql", "SELECT 1", "--format", "table", "-o", out), 2, "terminal")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client"]  # no output, no partial file


def test_a_script_stops_at_its_first_error(cli, api, ns, tmp_path):
    script = tmp_path / "steps.sql"
    script.write_text(f"CREATE TABLE {ns}.first AS SELECT 1 AS id;\nSELEC oops;\nCREATE TABLE {ns}.third AS SELECT 3 AS id;\n")
    run = cli("sql", "-f", script)
    assert run.rc == 2 and run.out == f"rows_written,snapshot_id\n1,{api.latest_snapshot()}\n", run.describe()
    assert run.err.count("\n") == 1 and run.err.startswith("ducklake: Parser Error: syntax error")
    assert api.table_exists(ns, "first") and not api.table_exists(ns, "third")


# --- conflicts (4) --------------------------------------------------------------------------------


def test_existing_namespace_volume_and_non_empty_ones_are_4(cli, api, ns, volume):
    snapshot = api.latest_snapshot()
    assert_one_error(cli("ns", "create", ns), 4, "already exists")
    assert api.latest_snapshot() == snapshot
    assert_one_error(cli("volume", "create", volume), 4, "already exists")
    api.write(f"CREATE TABLE {ns}.keep AS SELECT 1 AS id")
    assert_one_error(cli("ns", "rm", ns), 4)
    assert api.table_exists(ns, "keep")
    expect_status(api.request("PUT", f"/api/v1/volumes/{volume}/objects/keep.txt", data=b"k"), 201)
    assert_one_error(cli("volume", "rm", volume), 4, "not empty")
    assert object_exists(api, volume, "keep.txt")


def test_ingest_create_on_an_existing_table_is_4_and_changes_nothing(cli, api, server, ns, tmp_path):
    from httpsupport import table_state
    path = tmp_path / "rows.csv"
    path.write_text("id,v\n1,a\n2,b\n")
    cli.ok("ingest", path, f"{ns}.t", "--mode", "create")
    before = table_state(api, server, ns, "t")
    snapshot = api.latest_snapshot()
    assert_one_error(cli("ingest", path, f"{ns}.t", "--mode", "create"), 4, "already exists")
    assert table_state(api, server, ns, "t") == before and api.latest_snapshot() == snapshot
    assert api.rows(f"SELECT * FROM {ns}.t ORDER BY id") == [[1, "a"], [2, "b"]]


# --- refused uploads leave nothing ------------------------------------------------------------------


def test_uploads_over_the_volumes_limit_store_nothing(cli, api, rng, tmp_path):
    name = unique_name("small")
    expect_status(api.post("/api/v1/volumes", json={"name": name, "max_object_bytes": 8 * MIB}), 201)
    try:
        big = tmp_path / "12MiB.bin"
        big.write_bytes(rng.randbytes(12 * MIB))
        assert_one_error(cli("cp", big, f"dl://{name}/one-put.bin"), 2, "at most 8388608 bytes")
        assert_one_error(cli("cp", big, f"dl://{name}/parts.bin", "--multipart-threshold", 5 * MIB, "--part-size",
                             5 * MIB, "-j", "2"), 2, "at most 8388608 bytes")
        assert api_listing(api, name)["objects"] == [] and open_uploads(api, name) == []
        # The same with an object already at the key: it stays as it was.
        expect_status(api.request("PUT", f"/api/v1/volumes/{name}/objects/{quote_key('kept.bin')}", data=b"old"), 201)
        assert_one_error(cli("cp", big, f"dl://{name}/kept.bin"), 2)
        assert api.get(f"/api/v1/volumes/{name}/objects/kept.bin").content == b"old"
    finally:
        api.delete(f"/api/v1/volumes/{name}", params={"force": "true"})


def test_a_failed_move_removes_no_source(cli, api, rng, tmp_path):
    name = unique_name("small")
    expect_status(api.post("/api/v1/volumes", json={"name": name, "max_object_bytes": MIB}), 201)
    try:
        small, big = tmp_path / "small.txt", tmp_path / "big.bin"
        small.write_bytes(b"fits")
        big.write_bytes(rng.randbytes(2 * MIB))
        assert_one_error(cli("mv", small, big, f"dl://{name}/in/"), 2, "at most 1048576 bytes")
        assert small.read_bytes() == b"fits" and big.stat().st_size == 2 * MIB
        assert not object_exists(api, name, "in/big.bin")
    finally:
        api.delete(f"/api/v1/volumes/{name}", params={"force": "true"})


def test_ingest_of_a_missing_object_or_bad_rows_writes_nothing(cli, api, ns, volume, tmp_path):
    assert_one_error(cli("ingest", f"dl://{volume}/missing.csv", f"{ns}.t"), 3, "not found")
    assert not api.table_exists(ns, "t")
    good = tmp_path / "good.csv"
    good.write_text("id,amount\n1,10\n2,20\n")
    cli.ok("ingest", good, f"{ns}.t")
    snapshot = api.latest_snapshot()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,amount\n3,thirty\n")
    assert_one_error(cli("ingest", bad, f"{ns}.t", "--mode", "append"), 2)
    assert api.rows(f"SELECT * FROM {ns}.t ORDER BY id") == [[1, 10], [2, 20]] and api.latest_snapshot() == snapshot


def test_a_query_over_its_timeout_is_1_and_stops(cli, api):
    from clisupport import SLOW_SELECT, wait_queries_idle
    assert_one_error(cli("sql", SLOW_SELECT, "--timeout-ms", "300"), 1, "timeout")
    wait_queries_idle(api)


# --- server, network and auth (1, 5) ----------------------------------------------------------------


def test_an_unreachable_server_is_1(cli, server):
    # (A URL with a trailing slash is the same server.)
    assert cli.ok("--url", server.base_url + "/", "ns", "ls", "--format", "json", env={"DUCKLAKE_URL": None}).json()
    from httpsupport import free_port
    url = f"http://127.0.0.1:{free_port()}"
    assert_one_error(cli("--url", url, "ns", "ls"), 1, f"cannot reach {url}")
    assert_one_error(cli("ns", "ls", env={"DUCKLAKE_URL": url}), 1, "cannot reach")


def test_a_busy_server_is_retried_then_given_up_on(admin_cli, admin_api, auth_server):
    """429 (the token's one query slot is taken) is retried after Retry-After, up to three times."""
    from clisupport import SLOW_SELECT, poll_until, queries_running, wait_queries_idle
    import signal
    import time
    wait_queries_idle(admin_api)
    log_start = auth_server.log_size()
    blocker = admin_cli.popen("sql", SLOW_SELECT)
    try:
        poll_until(lambda: queries_running(admin_api) >= 1, 10, "the blocking query to run")
        waiting = admin_cli.popen("sql", "SELECT 1 AS one")
        time.sleep(1.3)  # the first try was refused; the slot frees before the retries run out
        blocker.send_signal(signal.SIGINT)
        out, err = waiting.communicate(timeout=30)
        assert (waiting.returncode, out.decode(), err.decode()) == (0, "one\n1\n", "")
        assert "status=429" in auth_server.log_text(log_start), "the first try was not refused"
        blocker.communicate(timeout=10)
        wait_queries_idle(admin_api)
        # Busy for longer than the retries last: exit 1, one line.
        blocker = admin_cli.popen("sql", SLOW_SELECT)
        poll_until(lambda: queries_running(admin_api) >= 1, 10, "the blocking query to run")
        started = time.monotonic()
        assert_one_error(admin_cli("sql", "SELECT 1"), 1, "more than 1 queries at once with this token")
        assert 2.5 < time.monotonic() - started < 15, "three retries take about three seconds"
    finally:
        if blocker.poll() is None:
            blocker.send_signal(signal.SIGINT)
            blocker.communicate(timeout=10)
    wait_queries_idle(admin_api)


def test_no_token_or_a_wrong_token_is_5(auth_cli, auth_server, tmp_path):
    assert_one_error(auth_cli("ns", "ls"), 5, "bearer token")
    assert_one_error(auth_cli("whoami"), 5)
    assert_one_error(auth_cli("ns", "ls", env={"DUCKLAKE_TOKEN": "dl_" + "0" * 64}), 5)
    assert_one_error(auth_cli("ns", "ls", env={"DUCKLAKE_TOKEN": "not-a-token"}), 5, "malformed")
    wrong = tmp_path / "wrong.token"
    wrong.write_text("dl_" + "1" * 64 + "\n")
    assert_one_error(auth_cli("--token-file", wrong, "sql", "SELECT 1"), 5)
    assert_one_error(auth_cli("--token-file", wrong, "cp", __file__, "dl://any/x"), 5)
