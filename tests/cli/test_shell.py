"""The interactive SQL shell (`ducklake sql` on a terminal), driven through tmux as a person would,
and colour on a terminal (under `script`)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import time
import uuid

import pytest

from clisupport import BINARY, SLOW_SELECT, poll_until, queries_running, unvis, wait_queries_idle

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PROMPT = "ducklake> "
SCREEN_TIMEOUT_S = 15.0


class Shell:
    """One `ducklake sql` in a detached tmux session on a server of its own (-L socket)."""

    def __init__(self, cli, *args: str, env: dict | None = None, command: str = "sql"):
        self.socket = f"ducklake-cli-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.name = "shell"
        environment = cli.environment({"TERM": "xterm-256color", **(env or {})})
        keep = ("PATH", "HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "DUCKLAKE_URL", "DUCKLAKE_TOKEN", "TERM", "LANG",
                "LC_ALL", "NO_COLOR", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")
        assignments = [f"{k}={v}" for k, v in environment.items() if k in keep]
        line = shlex.join(["env", "-i", *assignments, str(BINARY), *command.split(), *args])
        # The exit code stays on the screen after the shell ends.
        self.tmux("new-session", "-d", "-s", self.name, "-x", "200", "-y", "50",
                  f"{line}; echo __EXIT=$?; sleep 600")

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10)
        assert done.returncode == 0, f"tmux {args}: {done.stderr}"
        return done.stdout

    def send(self, text: str) -> None:
        """Types `text` literally. (tmux takes an argument that ends in ';' as a command separator.)"""
        if text.endswith(";"):
            text = text[:-1] + "\\;"
        if text:
            self.tmux("send-keys", "-t", self.name, "-l", text)

    def line(self, text: str = "") -> None:
        self.send(text)
        self.tmux("send-keys", "-t", self.name, "Enter")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        """The whole pane, scrollback included, wrapped lines joined."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.name)

    def wait_for(self, pattern: str, timeout_s: float = SCREEN_TIMEOUT_S, count: int = 1) -> re.Match:
        regex = re.compile(pattern, re.MULTILINE)
        try:
            return poll_until(lambda: (lambda m: m[count - 1] if len(m) >= count else None)(list(regex.finditer(self.screen()))),
                              timeout_s, f"{pattern!r} on the screen")
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- screen ---\n{self.screen()}") from None

    def prompts(self) -> int:
        return len(re.findall(r"^ducklake> ", self.screen(), re.MULTILINE))

    def wait_prompt(self, count: int) -> None:
        self.wait_for(r"^ducklake> ", count=count)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def shell(cli):
    shells = []

    def start(*args: str, env: dict | None = None) -> Shell:
        started = Shell(cli, *args, env=env)
        shells.append(started)
        started.wait_for(r"^DuckLake SQL on http://127\.0\.0\.1:\d+\. End statements with ';'")
        started.wait_prompt(1)
        return started

    yield start
    for started in shells:
        started.close()


def test_a_statement_over_several_lines_runs_when_it_ends(shell, api, rng):
    a, b = rng.randint(1000, 9999), rng.choice(["oslo", "paris", "rome"])
    sh = shell()
    sh.line(f"SELECT {a} AS a,")
    sh.wait_for(r"^     \.\.\.> ")
    sh.line(f"'{b}' AS b;")
    sh.wait_for(rf"^\s*a\s+b\s*\n{a}\s+{b}\s*\n1 row")
    sh.wait_prompt(2)
    # Two statements on one line: two results.
    sh.line("SELECT 1 AS one; SELECT 2 AS two;")
    sh.wait_for(r"^\s*two\s*\n\s*2\s*\n1 row")
    assert re.search(r"^\s*one\s*\n\s*1\s*\n1 row", sh.screen(), re.MULTILINE)


def test_non_ascii_input_reaches_the_server(shell, api):
    sh = shell()
    sh.line("SELECT 'zürich 日本' AS city;")
    sh.wait_for(r"^\s*city\s*\n\s*zürich 日本\s*\n1 row", timeout_s=5)


def test_dot_tables_and_schema_show_what_the_api_has(shell, api, ns):
    api.write(f"CREATE TABLE {ns}.orders (id BIGINT, amount DECIMAL(18,2), note VARCHAR, tags VARCHAR[])")
    api.write(f"CREATE TABLE {ns}.users (id INTEGER)")
    sh = shell()
    sh.line(f".tables {ns}")
    sh.wait_for(rf"^namespace\s+table\s*\n{ns}\s+orders\s*\n{ns}\s+users\s*\n2 rows")
    sh.line(f".schema {ns}.orders")
    columns = api.rows(f"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '{ns}' "
                       f"AND table_name = 'orders' ORDER BY ordinal_position")
    expected = f"CREATE TABLE {ns}.orders (\n" + ",\n".join(f"  {n} {t}" for n, t in columns) + "\n);"
    sh.wait_for(re.escape(expected))
    assert columns[1] == ["amount", "DECIMAL(18,2)"]
    sh.line(".tables")
    sh.wait_for(rf"^{ns}\s+users\s*$", count=2)
    assert len(re.findall(rf"^{ns}\s+orders\s*$", sh.screen(), re.MULTILINE)) == 2


def test_timer_and_modes(shell, api):
    sh = shell()
    sh.line(".timer on")
    sh.line("SELECT 5 AS five;")
    match = sh.wait_for(r"^(\d+ ms|[\d.]+ s) · snapshot (\d+)$")
    assert int(match.group(2)) == api.latest_snapshot()
    sh.line(".mode csv")
    sh.line("SELECT 7 AS seven, 'x,y' AS s;")
    sh.wait_for(r'^seven,s\n7,"x,y"\n(\d+ ms|[\d.]+ s) · snapshot \d+$')
    sh.line(".mode json")
    sh.line(".timer off")
    sh.line("SELECT 8 AS eight;")
    # The server's JSON result as it is: each row on a line of its own.
    sh.wait_for(r'^\{"columns":\[\{"name":"eight","type":"INTEGER"\}\],"rows":\[\n\[8\]\n\]\}')
    sh.line(".mode table")
    sh.line("SELECT 9 AS nine;")
    sh.wait_for(r"^\s*nine\s*\n\s*9\s*\n1 row\s*\nducklake> ")
    assert len(re.findall(r"· snapshot", sh.screen())) == 2  # none after .timer off


def test_snapshot_maxrows_and_help(shell, api, ns):
    api.write(f"CREATE TABLE {ns}.s AS SELECT range AS id FROM range(3)")
    before = api.latest_snapshot()
    api.write(f"INSERT INTO {ns}.s SELECT range FROM range(3, 30)")
    sh = shell()
    sh.line(f".snapshot {before}")
    sh.line(f"SELECT count(*) AS n FROM {ns}.s;")
    sh.wait_for(r"^\s*n\s*\n\s*3\s*\n1 row")
    sh.line(".snapshot latest")
    sh.line(".maxrows 4")
    sh.line(f"SELECT id FROM {ns}.s ORDER BY id;")
    sh.wait_for(r"^\s*id\s*\n\s*0\s*\n\s*1\s*\n\s*…\s*\n\s*28\s*\n\s*29\s*\n30 rows \(4 shown\)")
    sh.line(".snapshot x")
    sh.wait_for(r"^Error: \.snapshot takes a snapshot id or latest")
    sh.line(".help")
    sh.wait_for(r"^\.quit +leave \(also \.exit\)")
    sh.line(".exit")
    sh.wait_for(r"^__EXIT=0$")


def test_errors_keep_the_shell_alive(shell, api):
    sh = shell()
    sh.line("SELEC nonsense;")
    detail = api.sql("SELEC nonsense").json()["detail"]
    sh.wait_for(r"^Error: " + re.escape(detail))
    sh.line(".schema nodot")
    sh.wait_for(r"^Error: name a table as NAMESPACE\.TABLE, not 'nodot'")
    sh.line(".schema main.no_such_table")
    sh.wait_for(r"^Error: table 'main\.no_such_table' not found")
    sh.line(".frobnicate")
    sh.wait_for(r"^Error: unknown command \.frobnicate")
    sh.line(".mode xml")
    sh.wait_for(r"^Error: \.mode takes table, csv, json or ndjson")
    sh.line("SELECT 42 AS still_here;")
    sh.wait_for(r"^\s*still_here\s*\n\s*42\s*\n1 row")


def test_ctrl_c_cancels_a_running_statement_and_the_prompt_comes_back(shell, api):
    wait_queries_idle(api)
    sh = shell()
    sh.line(SLOW_SELECT + ";")
    poll_until(lambda: queries_running(api) >= 1, 10, "the query to run on the server")
    time.sleep(0.5)
    prompts = sh.prompts()
    sh.keys("C-c")
    sh.wait_for(r"^\^?C?cancelled\s*$")
    sh.wait_prompt(prompts + 1)
    wait_queries_idle(api, timeout_s=5)
    sh.line("SELECT 'after' AS status;")
    sh.wait_for(r"^status\s*\nafter\s*\n1 row")


def test_ctrl_c_drops_a_half_typed_statement(shell):
    sh = shell()
    sh.keys("C-c")  # at an empty prompt: the shell stays
    sh.wait_prompt(2)
    sh.line("SELECT 1 AS a,")
    sh.wait_for(r"^     \.\.\.> ")
    sh.keys("C-c")
    sh.wait_prompt(3)
    sh.line("SELECT 99 AS z;")
    sh.wait_for(r"^\s*z\s*\n\s*99\s*\n1 row")
    assert "Error" not in sh.screen()


def test_history_is_saved_and_recalled(shell, cli, rng):
    marker = rng.randint(100000, 999999)
    sh = shell()
    sh.line(f"SELECT {marker} AS marker,")
    sh.line("'two lines' AS t;")
    sh.wait_for(rf"^marker\s+t\s*\n{marker}\s+two lines")
    sh.line(".timer on")
    sh.line(".quit")
    sh.wait_for(r"^__EXIT=0$")
    history = cli.history_file
    assert history.is_file(), f"no history at {history}"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    entries = [unvis(line) for line in history.read_text().splitlines()]
    assert f"SELECT {marker} AS marker,\n'two lines' AS t;" in entries, entries
    assert ".timer on" in entries
    # A new shell recalls it with the up arrow.
    again = shell()
    again.keys("Up")  # .quit
    again.keys("Up")  # .timer on
    again.keys("Up")  # the statement
    again.wait_for(r"'two lines' AS t;")
    again.keys("Enter")
    again.wait_for(rf"^{marker}\s+two lines", timeout_s=SCREEN_TIMEOUT_S)


def test_ctrl_d_leaves(shell, cli):
    sh = shell()
    sh.keys("C-d")
    sh.wait_for(r"^__EXIT=0$")


def test_login_asks_for_the_token_without_echoing_it(auth_cli, auth_server):
    session = Shell(auth_cli, "--profile", "tty", "--url", auth_server.base_url, command="login")
    try:
        session.wait_for(rf"Token for {re.escape(auth_server.base_url)} \(empty for a server without authentication\): ")
        session.line(auth_server.admin_token)
        session.wait_for(rf"^logged in to {re.escape(auth_server.base_url)} as admin \(profile tty, the default\)$")
        session.wait_for(r"^__EXIT=0$")
        assert auth_server.admin_token not in session.screen()
        assert auth_server.admin_token[:12] not in session.screen()
    finally:
        session.close()
    saved = auth_cli.config_home / "ducklake" / "tokens" / "tty"
    assert saved.read_text().strip() == auth_server.admin_token
    assert auth_server.admin_token not in auth_cli.config_file.read_text()


# --- colour on a terminal -------------------------------------------------------------------------


def on_a_tty(cli, *args: str, env: dict | None = None) -> str:
    """Runs the CLI with stdout on a pseudo-terminal (`script`); returns what the terminal got."""
    command = shlex.join([str(BINARY), *args])
    done = subprocess.run(["script", "-qec", command, "/dev/null"], env=cli.environment(env), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done
    return done.stdout.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.skipif(shutil.which("script") is None, reason="script (util-linux) is not installed")
def test_colour_and_readable_sizes_on_a_terminal_only(cli, api, volume, rng):
    data = rng.randbytes(1500)
    api.request("PUT", f"/api/v1/volumes/{volume}/objects/x.bin", data=data)
    shown = on_a_tty(cli, "ns", "ls", env={"TERM": "xterm"})
    assert re.search(r"^\x1b\[1mname +tables  created_snapshot\x1b\[0m$", shown, re.MULTILINE), repr(shown)
    plain = on_a_tty(cli, "ns", "ls", env={"TERM": "xterm", "NO_COLOR": "1"})
    assert "\x1b[" not in plain and plain.splitlines()[0].split() == ["name", "tables", "created_snapshot"]
    assert "\x1b[" not in on_a_tty(cli, "ns", "ls", env={"TERM": "dumb"})
    # Not a terminal: no colour whatever TERM says.
    assert "\x1b[" not in cli.ok("ns", "ls", env={"TERM": "xterm"}).out
    # Sizes are for people on a terminal, exact for scripts.
    assert re.search(r"^size: +1\.46 KiB \(1,500 bytes\)$", on_a_tty(cli, "stat", f"dl://{volume}/x.bin",
                                                                   env={"NO_COLOR": "1"}), re.MULTILINE)
    assert "size: 1500\n" in cli.ok("stat", f"dl://{volume}/x.bin").out
