"""`ducklake serve` start-up: command-line errors, environment variables, log format."""

import json
from urllib.parse import urlsplit

import pytest

from httpsupport import assert_problem, expect_status, free_port, poll_until, run_ducklake, table_files

USAGE_ERROR = 2


@pytest.mark.parametrize(
    "flags, named",
    [
        (["--nope"], "--nope"),
        (["--threads", "abc"], "--threads"),
        (["--threads", "0"], "--threads"),
        (["--log-format", "xml"], "--log-format"),
        (["--listen", "nonsense"], "--listen"),
        (["--listen", "127.0.0.1:99999"], "--listen"),
        (["--max-body-bytes", "-5"], "--max-body-bytes"),
    ],
    ids=["unknown-flag", "threads-not-a-number", "threads-zero", "log-format-xml", "listen-nonsense",
         "listen-port-out-of-range", "max-body-negative"],
)
def test_bad_command_line_exits_2_with_one_readable_line(tmp_path, flags, named):
    done = run_ducklake(["serve", "--data-dir", str(tmp_path / "data"), *flags], cwd=tmp_path)
    assert done.returncode == USAGE_ERROR, f"exit code {done.returncode}; stderr: {done.stderr}"
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{done.stderr}"
    assert named in lines[0], f"the message does not name {named}: {lines[0]}"


def test_unknown_subcommand_exits_2(tmp_path):
    done = run_ducklake(["serv"], cwd=tmp_path)
    assert done.returncode == USAGE_ERROR, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_listen_address_and_data_dir_from_environment(start_server, tmp_path):
    data_dir = tmp_path / "from-env"
    # The embedded default is the point here, whatever backend the suite runs on.
    server = start_server(listen_flag=False, data_dir_flag=False, backend="embedded",
                          env={"DUCKLAKE_LISTEN": f"127.0.0.1:{free_port()}", "DUCKLAKE_DATA_DIR": str(data_dir)})
    api = server.api
    api.create_namespace("envns")
    api.upload("envns", "t", "id\n1\n")
    assert (data_dir / "metadata.sqlite").is_file()
    assert table_files(data_dir, "envns", "t"), f"no data files under {data_dir}"
    assert api.rows("SELECT id FROM envns.t") == [[1]]


def test_json_log_lines_are_json_objects_with_request_ids(start_server):
    server = start_server("--log-format", "json")
    expect_status(server.api.get("/healthz", headers={"X-Request-Id": "json-log-ok"}), 200)
    assert_problem(server.api.get("/api/v1/nope", headers={"X-Request-Id": "json-log-404"}), 404)

    def records():
        lines = [line for line in server.log_text().splitlines() if line.strip()]
        parsed = []
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                raise AssertionError(f"log line is not JSON: {line!r}")
            assert isinstance(record, dict), f"log line is not a JSON object: {line!r}"
            parsed.append(record)
        return parsed

    def logged_request_ids():
        ids = {record.get("request_id") for record in records()}
        return {"json-log-ok", "json-log-404"} <= ids

    # A request is logged just after its response is sent.
    poll_until(logged_request_ids, 10, "request log lines with the client's request ids")
    request_lines = [record for record in records() if "path" in record]
    assert all(record.get("request_id") for record in request_lines), request_lines
    server.stop()
    records()  # the shutdown lines too


def test_a_port_in_use_is_an_error(server, tmp_path):
    # Not a second server quietly sharing the port and half of its connections.
    port = urlsplit(server.api.base_url).port
    done = run_ducklake(["serve", "--data-dir", str(tmp_path / "data"), "--listen", f"127.0.0.1:{port}"], cwd=tmp_path)
    assert done.returncode == 1, f"exit code {done.returncode}; stderr: {done.stderr}"
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    expect_status(server.api.get("/healthz"), 200)
