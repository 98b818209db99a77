#!/usr/bin/env python3
"""Benchmarks of the CLI's file transfers (`ducklake cp`), driven by bench/run-cli.sh.

On the embedded lake (SQLite + local directory), each against baselines measured in the same run:
  1. one large file of random bytes (1 GiB) up and down with `ducklake cp` (default flags, -j 8),
     against one curl PUT / GET of the same bytes through the same API and against cp on local
     disk; with the peak RSS of every process (the CLI's memory must not grow with the file);
  2. a tree of many small files (10,000 of 1-16 KiB in 100 folders) up and down with
     `ducklake cp -r` (-j 4, -j 16), against ONE curl process moving every file through the API
     (-K config, --parallel --parallel-max 4 / 16, keep-alive) and against cp -r on local disk.
Every transfer is checked (sizes, SHA-256, object counts). Progress goes to stderr, the result
tables to stdout. `--cleanup SCRATCH` only removes what an interrupted run left behind (the server)
and exits.
"""

import argparse
import hashlib
import os
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchlib import (QUIET_S, RSS_INTERVAL_S, CompilerWatch, Resources, RssPeak, Server, cpu_seconds, log, mb,
                      record_figure, record_series, table)

FOLDERS = 100
# The plot of transfer rates: the run of each section that stands for each way of moving the files
# (up, down): ducklake cp with its default -j 4, curl with the same parallelism, cp on local disk.
PLOTTED = {
    "big file": {"ducklake cp -j 4": ("ducklake cp", "ducklake cp"),
                 "curl (one process, --parallel-max 4)": ("curl -T, one PUT", "curl -o, one GET"),
                 "cp on local disk": ("cp on local disk", "cp of the stored object")},
    "small files": {"ducklake cp -j 4": ("ducklake cp -r -j 4",) * 2,
                    "curl (one process, --parallel-max 4)": ("curl --parallel-max 4",) * 2,
                    "cp on local disk": ("cp -r on local disk",) * 2},
}
ATTEMPTS = 3  # a transfer a compiler overlapped is done again, at most this many times in all
# Processes of a build that load the machine (names as in /proc/PID/comm): compilers and linkers.
BUILD_PROCESSES = {"cc1plus", "cc1", "ld", "ld.gold", "ld.lld", "lld", "mold"}


# --- watching the machine ----------------------------------------------------------------------

class BuildWatch(CompilerWatch):
    """benchlib's CompilerWatch, also watching linkers, and waiting at most `budget_s` seconds in
    all for a build to go quiet: past that, transfers start anyway and the notes say so."""

    def __init__(self, budget_s, quiet_s=QUIET_S):
        self.budget_s = budget_s
        self.waited_s = 0.0
        self.gave_up = False
        super().__init__(quiet_s)

    def _run(self):
        while not self._stop.is_set():
            if any(name in BUILD_PROCESSES for name in process_names()):
                self.last_seen = time.monotonic()
            self._stop.wait(1)

    def wait(self, phase):
        begun = time.monotonic()
        gave_up = False
        while time.monotonic() - max(self.started, self.last_seen or 0) < self.quiet_s:
            if self.last_seen is not None and self.waited_s + time.monotonic() - begun >= self.budget_s:
                gave_up = True
                break
            time.sleep(0.5)
        waited = time.monotonic() - begun
        if self.last_seen is not None and self.last_seen >= begun - self.quiet_s:
            self.waited_s += waited
            if gave_up and not self.gave_up:
                self.gave_up = True
                self.note(f"a compiler or linker was still running before {phase}: waited {waited:.0f} s, then stopped "
                          f"waiting ({self.budget_s:.0f} s of waits in all); later figures may be skewed (marked *)")
            elif waited >= 1 and not self.gave_up:
                self.note(f"waited {waited:.0f} s for a compiler or linker to finish before {phase}")
        return time.monotonic()

    def clean(self, since, phase, redo=False):
        """As benchlib's; once the waiting budget is spent, overlaps are only marked (*), not noted."""
        if self.last_seen is not None and self.last_seen >= since:
            if self.gave_up:
                return False
            self.note(f"a compiler or linker ran during {phase}: " + (
                "that transfer was discarded and done again" if redo else "that figure may be skewed"))
            return False
        return True

    def note(self, text):
        self.notes.append(text)
        log(text)


def process_names():
    names = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/comm") as comm:
                    names.append(comm.read().strip())
            except OSError:
                pass
    return names


def listen_overflows():
    """The kernel's count of connections dropped because a listen queue was full (all sockets)."""
    with open("/proc/net/netstat") as netstat:
        lines = netstat.read().splitlines()
    for header, values in zip(lines[::2], lines[1::2]):
        if header.startswith("TcpExt:"):
            return int(dict(zip(header.split()[1:], values.split()[1:])).get("ListenOverflows", 0))
    return 0


# --- processes ---------------------------------------------------------------------------------

class CommandFailed(RuntimeError):
    """A transfer's process exited with an error (as opposed to a transfer that gave wrong bytes,
    which ends the run)."""


class HwmPeak(RssPeak):
    """benchlib's RssPeak, also reading VmHWM (the kernel's high-water mark of the RSS) at every
    sample: exact up to the last 20 ms of the process. (wait4's ru_maxrss is no use here: it keeps
    the RSS of the Python process forked before the exec.)"""

    def _run(self):
        while True:
            try:
                with open(f"/proc/{self.pid}/status") as status:
                    for line in status:
                        if line.startswith(("VmRSS:", "VmHWM:")):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            except OSError:
                return
            if self._stop.wait(RSS_INTERVAL_S):
                return


def timed(ctx, phase, command, env=None, redo=False):
    """Runs `command` to its end on a quiet machine, after a sync (so earlier writes do not land
    in this measurement). Returns its wall seconds, peak RSS (VmRSS and VmHWM sampled every 20 ms),
    CPU seconds (its own and the server's), the connections the kernel dropped meanwhile because a
    listen queue was full, stdout, and whether no compiler ran meanwhile. Raises if it fails."""
    out_path, err_path = ctx.scratch / "command.out", ctx.scratch / "command.err"
    os.sync()
    since = ctx.watch.wait(phase)
    server_cpu0 = cpu_seconds(ctx.server.pid)
    overflows0 = listen_overflows()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        begun = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                   env=env if env is not None else os.environ)
        with HwmPeak(process.pid) as peak:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - begun
    process.returncode = os.waitstatus_to_exitcode(status)
    server_cpu = cpu_seconds(ctx.server.pid) - server_cpu0
    overflows = listen_overflows() - overflows0
    no_redo = ctx.watch.gave_up  # the machine stays busy: doing it again would not help
    clean = ctx.watch.clean(since, phase, redo=redo and not no_redo)
    if process.returncode != 0:
        raise CommandFailed(f"`{shown(command, ctx)}` exited with {process.returncode} after {seconds:.2f} s: "
                            f"{err_path.read_text(errors='replace')[-2000:].strip()}")
    return {"s": seconds, "rss_mb": peak.peak_kb * 1024 / 1e6, "cpu": usage.ru_utime + usage.ru_stime,
            "server_cpu": server_cpu, "overflows": overflows, "clean": clean, "no_redo": no_redo,
            "stdout": out_path.read_text(errors="replace"), "stderr": err_path.read_text(errors="replace")}


def attempts(ctx, what, step):
    """step(attempt, redo) prepares (untimed), times and checks one transfer; done again when a
    compiler overlapped it or its process failed, at most ATTEMPTS times in all (an overlapped last
    one is kept and marked; a failed last one ends the run). Failures are kept for the report."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result = step(attempt, attempt < ATTEMPTS)
        except CommandFailed as error:
            ctx.failures.setdefault(what, []).append(str(error))
            log(f"  FAILED: {what}, attempt {attempt}: {error}" + ("; doing it again" if attempt < ATTEMPTS else ""))
            if attempt == ATTEMPTS:
                raise
            continue
        if result["clean"] or result["no_redo"]:
            return result
    return result


def cli_env(server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUCKLAKE_")}
    env["DUCKLAKE_URL"] = server.url
    return env


def curl_codes(result, expected, count):
    codes = result["stdout"].split()
    bad = [code for code in codes if code not in expected]
    if len(codes) != count or bad:
        raise RuntimeError(f"curl answered {len(codes)} transfers (of {count}), {len(bad)} not {'/'.join(expected)}: "
                           f"{sorted(set(bad))[:5]}")


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def unlink(path):
    Path(path).unlink(missing_ok=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def list_objects(server, volume, prefix):
    """Every object under `prefix`, paging through the listing: {key without the prefix: (size, sha256)}."""
    found, cursor = {}, None
    while True:
        params = {"prefix": prefix, "limit": 1000}
        if cursor:
            params["cursor"] = cursor
        page = server.call("GET", f"/api/v1/volumes/{volume}/objects", params=params).json()
        for item in page["objects"]:
            found[item["key"][len(prefix):]] = (item["size"], item.get("sha256"))
        cursor = page.get("next_cursor")
        if not cursor:
            return found


# --- 1. one large file -------------------------------------------------------------------------

def big_bench(ctx):
    """Up and down of ctx.big, each way by every tool, best of ctx.runs runs."""
    server, size = ctx.server, ctx.big_bytes
    source_sha = ctx.big_sha
    server.call("POST", "/api/v1/volumes", json={"name": "big"})
    stored = ctx.data / "objects/volumes/big"
    out = ctx.scratch / "big-out.bin"
    url = f"{server.url}/api/v1/volumes/big/objects/"
    env = cli_env(server)
    cli = [str(ctx.binary), "cp"]
    curl = ["curl", "-sS", "--noproxy", "*", "-w", "%{http_code}\n"]
    one_put = ["--multipart-threshold", str(size + 1)]
    uploads = [  # (label, key, command, env)
        ("ducklake cp", "cli.bin", cli + [ctx.big, "dl://big/cli.bin"], env),
        ("ducklake cp -j 8", "cli-j8.bin", cli + ["-j", "8", ctx.big, "dl://big/cli-j8.bin"], env),
        ("ducklake cp, one PUT", "cli-put.bin", cli + [*one_put, ctx.big, "dl://big/cli-put.bin"], env),
        ("curl -T, one PUT", "curl.bin", curl + ["-T", ctx.big, "-o", "/dev/null", url + "curl.bin"], None),
        ("cp on local disk", "cp.bin", ["cp", ctx.big, ctx.scratch / "cp.bin"], None),
        ("cp, then sync of the copy", "cp-sync.bin",
         ["sh", "-c", f"cp {shlex.quote(str(ctx.big))} {shlex.quote(str(ctx.scratch / 'cp-sync.bin'))} && "
                      f"sync {shlex.quote(str(ctx.scratch / 'cp-sync.bin'))}"], None),
    ]
    downloads = [
        ("ducklake cp", cli + ["dl://big/cli.bin", out], env),
        ("ducklake cp -j 8", cli + ["-j", "8", "dl://big/cli-j8.bin", out], env),
        ("curl -o, one GET", curl + ["-o", out, url + "curl.bin"], None),
        ("cp of the stored object", ["cp", stored / "curl.bin", out], None),
    ]
    ctx.commands["big"] = [("up, " + label, command) for label, _, command, _ in uploads] + \
                          [("down, " + label, command) for label, command, _ in downloads]
    results = {("up", label): [] for label, *_ in uploads}
    results.update({("down", label): [] for label, *_ in downloads})

    def check_upload(label, key):
        if key.startswith("cp"):
            target = ctx.scratch / key
            got_size, got_sha = target.stat().st_size, sha256_file(target)
            unlink(target)
        else:
            meta = server.call("GET", f"/api/v1/volumes/big/objects/{key}", params={"metadata": "1"}).json()
            got_size, got_sha = meta["size"], meta.get("sha256")
            if (stored / key).stat().st_size != size:
                raise RuntimeError(f"{label}: the stored file has {(stored / key).stat().st_size} bytes, not {size}")
            if got_sha is None:  # curl sent no checksum: hash what the server stored
                got_sha = sha256_file(stored / key)
        if got_size != size or got_sha != source_sha:
            raise RuntimeError(f"{label} upload: {got_size} bytes, SHA-256 {got_sha}; expected {size}, {source_sha}")

    def check_download(label):
        got_size, got_sha = out.stat().st_size, sha256_file(out)
        if got_size != size or got_sha != source_sha:
            raise RuntimeError(f"{label} download: {got_size} bytes, SHA-256 {got_sha}; expected {size}, {source_sha}")
        leftovers = [p.name for p in out.parent.iterdir() if ".ducklake-partial-" in p.name]
        if leftovers:
            raise RuntimeError(f"{label} download left partial files: {leftovers}")
        unlink(out)

    for run in range(1, ctx.runs + 1):
        line = []
        for label, key, command, command_env in uploads:
            def up(attempt, redo, label=label, key=key, command=command, command_env=command_env):
                if key.startswith("cp"):
                    unlink(ctx.scratch / key)
                else:
                    server.call("DELETE", f"/api/v1/volumes/big/objects/{key}", expect=(204, 404))
                result = timed(ctx, f"big file: {label} upload, run {run}", command, command_env, redo)
                if label.startswith("curl"):
                    curl_codes(result, ("200", "201"), 1)
                check_upload(label, key)
                return result
            results[("up", label)].append(attempts(ctx, f"big file, up, {label}", up))
            line.append(f"{label} {results[('up', label)][-1]['s']:.2f} s")
        for label, command, command_env in downloads:
            def down(attempt, redo, label=label, command=command, command_env=command_env):
                unlink(out)
                result = timed(ctx, f"big file: {label} download, run {run}", command, command_env, redo)
                if label.startswith("curl"):
                    curl_codes(result, ("200",), 1)
                check_download(label)
                return result
            results[("down", label)].append(attempts(ctx, f"big file, down, {label}", down))
            line.append(f"{label} {results[('down', label)][-1]['s']:.2f} s")
        log(f"  big file, run {run}: up: " + "; ".join(line[:len(uploads)]) + " | down: "
            + "; ".join(line[len(uploads):]))
    server.call("DELETE", "/api/v1/volumes/big?force=true")
    return results


# --- 2. many small files -----------------------------------------------------------------------

def small_key(n):
    return f"d{n % FOLDERS:03d}/f{n:05d}.bin"


def make_small_tree(root, count):
    """`count` files of 1-16 KiB random bytes in FOLDERS folders; returns {relative: (size, sha256)}."""
    sizes = random.Random(20261207)
    manifest = {}
    for folder in range(min(FOLDERS, count)):
        (root / f"d{folder:03d}").mkdir(parents=True, exist_ok=True)
    for n in range(count):
        payload = os.urandom(sizes.randint(1024, 16 * 1024))
        (root / small_key(n)).write_bytes(payload)
        manifest[small_key(n)] = (len(payload), hashlib.sha256(payload).hexdigest())
    return manifest


def walk_tree(root):
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as source:
                payload = source.read()
            found[os.path.relpath(path, root)] = (len(payload), hashlib.sha256(payload).hexdigest())
    return found


def compare(label, found, manifest):
    if found == manifest:
        return
    missing = sorted(set(manifest) - set(found))
    extra = sorted(set(found) - set(manifest))
    differ = sorted(k for k in set(found) & set(manifest) if found[k] != manifest[k])
    raise RuntimeError(f"{label}: {len(found)} files (expected {len(manifest)}); missing {len(missing)} "
                       f"{missing[:3]}, extra {len(extra)} {extra[:3]}, different {len(differ)} {differ[:3]}")


def small_bench(ctx):
    server, count, manifest = ctx.server, ctx.small_count, ctx.manifest
    source = ctx.small_src
    out = ctx.scratch / "small-out"
    stored = ctx.data / "objects/volumes/small"
    env = cli_env(server)
    cli = [str(ctx.binary), "cp", "-r"]
    base_url = f"{server.url}/api/v1/volumes/small/objects/"
    curl = ["curl", "-sS", "--noproxy", "*", "-H", "Expect:", "-w", "%{http_code}\n", "--parallel"]

    def curl_config(name, direction, prefix):
        path = ctx.scratch / f"curl-{name}.conf"
        with open(path, "w") as conf:
            for n in range(count):
                key = small_key(n)
                if direction == "up":
                    conf.write(f'url = "{base_url}{prefix}{key}"\nupload-file = "{source / key}"\noutput = "/dev/null"\n')
                else:
                    conf.write(f'url = "{base_url}{prefix}{key}"\noutput = "{out / key}"\n')
        return path

    tools = []  # (label, prefix, upload command, download command, env, which curl pairs with it)
    for j in (4, 16):
        tools.append((f"ducklake cp -r -j {j}", f"cli{j}/",
                      cli + ["-j", str(j), source, f"dl://small/cli{j}/"], cli + ["-j", str(j), f"dl://small/cli{j}/", out],
                      env, f"curl --parallel-max {j}"))
    for j in (4, 16):
        tools.append((f"curl --parallel-max {j}", f"curl{j}/",
                      curl + ["--parallel-max", str(j), "-K", curl_config(f"up{j}", "up", f"curl{j}/")],
                      curl + ["--parallel-max", str(j), "--create-dirs", "-K", curl_config(f"down{j}", "down", f"curl{j}/")],
                      None, None))
    tools.append(("cp -r on local disk", None, ["cp", "-r", source, ctx.scratch / "small-cp"],
                  ["cp", "-r", stored / "cli4", out], None, None))
    ctx.commands["small"] = tools
    results = {}

    def check_upload(label, prefix):
        if prefix is None:
            compare(f"{label} upload", walk_tree(ctx.scratch / "small-cp"), manifest)
            shutil.rmtree(ctx.scratch / "small-cp")
            return
        listed = list_objects(server, "small", prefix)
        if {k: v[0] for k, v in listed.items()} != {k: v[0] for k, v in manifest.items()}:
            compare(f"{label} upload (sizes in the listing)", {k: (v[0], None) for k, v in listed.items()},
                    {k: (v[0], None) for k, v in manifest.items()})
        recorded = {k: v[1] for k, v in listed.items() if v[1] is not None}
        if recorded:  # the CLI sends every file's SHA-256; the server verified and kept it
            if len(recorded) != count or any(recorded[k] != manifest[k][1] for k in recorded):
                raise RuntimeError(f"{label} upload: the recorded SHA-256 of {len(recorded)} objects do not all match")
        else:  # curl sent none: hash what the server stored
            compare(f"{label} upload (stored files)", walk_tree(stored / prefix.rstrip("/")), manifest)
        if label.startswith("ducklake"):
            listing = subprocess.run([str(ctx.binary), "ls", "-r", "--format", "csv", f"dl://small/{prefix}"], env=env,
                                     capture_output=True, text=True, check=True).stdout.splitlines()
            if len(listing) - 1 != count:
                raise RuntimeError(f"{label} upload: `ducklake ls -r` lists {len(listing) - 1} objects, not {count}")

    for run in range(1, ctx.runs + 1):
        server.call("POST", "/api/v1/volumes", json={"name": "small"})
        line = []
        for label, prefix, up_command, down_command, command_env, _ in tools:
            def up(attempt, redo, label=label, prefix=prefix, command=up_command, command_env=command_env):
                if prefix is None:
                    shutil.rmtree(ctx.scratch / "small-cp", ignore_errors=True)
                elif attempt > 1:  # a redo uploads anew, not over what the attempt before left
                    for key in list_objects(server, "small", prefix):
                        server.call("DELETE", f"/api/v1/volumes/small/objects/{prefix}{key}", expect=(204, 404))
                result = timed(ctx, f"small files: {label} upload, run {run}", command, command_env, redo)
                if label.startswith("curl"):
                    curl_codes(result, ("200", "201"), count)
                check_upload(label, prefix)
                return result

            def down(attempt, redo, label=label, command=down_command, command_env=command_env):
                shutil.rmtree(out, ignore_errors=True)
                result = timed(ctx, f"small files: {label} download, run {run}", command, command_env, redo)
                if label.startswith("curl"):
                    curl_codes(result, ("200",), count)
                compare(f"{label} download", walk_tree(out), manifest)
                shutil.rmtree(out)
                return result

            results.setdefault(("up", label), []).append(attempts(ctx, f"small files, up, {label}", up))
            results.setdefault(("down", label), []).append(attempts(ctx, f"small files, down, {label}", down))
            line.append(f"{label} {count / results[('up', label)][-1]['s']:,.0f} / "
                        f"{count / results[('down', label)][-1]['s']:,.0f}")
        log(f"  small files, run {run} (files/s up / down): " + "; ".join(line))
        begun = time.perf_counter()
        server.call("DELETE", "/api/v1/volumes/small?force=true")
        ctx.volume_delete_s.append(time.perf_counter() - begun)
        log(f"  (removing the volume, {len(tools) - 1} x {count:,} objects, took {ctx.volume_delete_s[-1]:.1f} s)")
    return results


# --- the run -----------------------------------------------------------------------------------

class Context:
    def __init__(self, args):
        self.scratch = Path(args.scratch)
        self.build_binary = Path(args.binary)
        self.smoke = args.smoke
        self.only = set(args.only.split(",")) if args.only else {"big", "small"}
        # A smoke run checks that every transfer works and is recorded; its figures mean nothing.
        self.runs = 1 if args.smoke else 3
        self.big_bytes = (16 << 20) if args.smoke else (1 << 30)
        self.small_count = 200 if args.smoke else 10_000
        self.watch = BuildWatch(600, quiet_s=0 if args.smoke else QUIET_S)
        self.resources = Resources(self.scratch)
        self.big = self.scratch / "big.bin"
        self.small_src = self.scratch / "small-src"
        self.data = self.scratch / "lake"
        self.commands = {}
        self.failures = {}  # what -> the errors of its failed attempts
        self.volume_delete_s = []
        self.server = None
        self.binary, self.binary_mtime = self.snapshot()

    def snapshot(self):
        """A copy of the binary, so that a rebuild meanwhile changes nothing in this run; taken again
        if the binary changed while it was copied or the copy does not run (caught mid-link)."""
        target = self.scratch / "bin/ducklake"
        target.parent.mkdir(exist_ok=True)
        for _ in range(30):
            before = os.stat(self.build_binary).st_mtime
            shutil.copy2(self.build_binary, target)
            works = subprocess.run([str(target), "cp", "--help"], capture_output=True).returncode == 0
            if works and os.stat(self.build_binary).st_mtime == before:
                return target, before
            log(f"{self.build_binary} is changing (being rebuilt?): copying it again in 5 s")
            time.sleep(5)
        raise RuntimeError(f"could not take a working copy of {self.build_binary}")

    def check_binary(self, notes):
        if os.stat(self.build_binary).st_mtime != self.binary_mtime and not any("rebuilt" in n for n in notes):
            note = (f"{self.build_binary} was rebuilt during the run (now from "
                    f"{time.strftime('%H:%M:%S', time.gmtime(os.stat(self.build_binary).st_mtime))} UTC); this run "
                    f"used the copy taken at its start throughout")
            notes.append(note)
            log(note)


def best(runs):
    """The fastest run not overlapped by a compiler (else the fastest of all, flagged)."""
    clean = [r for r in runs if r["clean"]]
    return min(clean or runs, key=lambda r: r["s"]), bool(clean)


def fmt_runs(runs):
    return ", ".join(f"{r['s']:.2f}" + ("" if r["clean"] else "*")
                     + (f" ({r['overflows']} dropped)" if r["overflows"] else "") for r in runs)


def shown(command, ctx):
    """The command as a shell would take it, scratch paths relative, the server as $DUCKLAKE_URL."""
    text = shlex.join(str(part).replace("\n", "\\n") for part in command)
    return text.replace(str(ctx.binary), "ducklake").replace(str(ctx.scratch) + "/", "").replace(
        ctx.server.url, "$DUCKLAKE_URL")


def report(ctx, big, small, notes):
    if big:
        size = ctx.big_bytes
        big_name = "1 GiB" if size == 1 << 30 else f"{size >> 20} MiB"
        print(f"\n## 1. One {big_name} file of random bytes, up and down (best of {ctx.runs} runs each)\n")
        rows = []
        for direction, curl_label, cp_label in (("up", "curl -T, one PUT", "cp on local disk"),
                                                ("down", "curl -o, one GET", "cp of the stored object")):
            curl_s = best(big[(direction, curl_label)])[0]["s"]
            cp_s = best(big[(direction, cp_label)])[0]["s"]
            for (d, label), runs in big.items():
                if d != direction:
                    continue
                r, clean = best(runs)
                rows.append([direction, label + ("" if clean else " (compiler ran)"), f"{r['s']:.2f}",
                             f"{mb(size) / r['s']:.0f}", f"**{curl_s / r['s']:.2f}**" if label.startswith("ducklake")
                             else f"{curl_s / r['s']:.2f}", f"{cp_s / r['s']:.2f}",
                             f"**{max(x['rss_mb'] for x in runs):.1f} MB**" if label.startswith("ducklake")
                             else f"{max(x['rss_mb'] for x in runs):.1f} MB",
                             f"{r['cpu']:.2f} / {r['server_cpu']:.2f} s"])
        print(table(["way", "tool", "seconds", "MB/s", "vs curl", "vs cp", "peak RSS", "CPU: process / server"], rows))
        print("\nvs curl, vs cp = throughput / the throughput of curl (one PUT or GET through the same API) or of cp "
              "on local disk, in the same run. Seconds: wall time of the whole process (start to exit). Peak RSS: "
              "the process's VmHWM (the kernel's high-water mark of its RSS) read every 20 ms, the largest over the "
              "runs. CPU: user + system seconds of the process and of the server during "
              "the best run. MB = 10^6 bytes. The source file and the downloads sit in the page cache as they come "
              "(nothing is dropped); a sync runs before every transfer, none inside one.")
        print("\nWhat each row runs (`$DUCKLAKE_URL` is the embedded server):")
        for label, command in ctx.commands["big"]:
            print(f"- {label}: `{shown(command, ctx)}`")
        print("\nRuns (seconds; * a compiler or linker ran during it; dropped: connections the server's full listen "
              "queue dropped meanwhile), and peak RSS:")
        for (direction, label), runs in big.items():
            rss = ", ".join(f"{x['rss_mb']:.1f}" for x in runs)
            print(f"- {direction}, {label}: {fmt_runs(runs)}; peak RSS {rss} MB")
        cli_peak = max(x["rss_mb"] for (_, label), runs in big.items() if label.startswith("ducklake") for x in runs)
        print(f"- the CLI's peak RSS over every {big_name} transfer: **{cli_peak:.1f} MB** for a {mb(size):,.0f} MB "
              f"file ({'bounded: met' if cli_peak < 100 else 'NOT bounded'}, the line being 100 MB)")
        print("- fsync: the server fsyncs what it stores (each part of a multipart upload, then the joined object; "
              "a single PUT's file once); the downloads (ducklake cp, curl) and cp do not fsync. The `cp, then sync` "
              "row is what a synced local copy costs.")

    if small:
        count, total = ctx.small_count, sum(size for size, _ in ctx.manifest.values())
        print(f"\n## 2. {count:,} small files (1-16 KiB, {FOLDERS} folders, {mb(total):.1f} MB), up and down "
              f"(best of {ctx.runs} runs each)\n")
        rows = []
        labels = [tool[0] for tool in ctx.commands["small"]]
        pairs = {tool[0]: tool[5] for tool in ctx.commands["small"]}
        for direction in ("up", "down"):
            cp_s = best(small[(direction, "cp -r on local disk")])[0]["s"]
            for label in labels:
                runs = small[(direction, label)]
                r, clean = best(runs)
                vs_curl = ""
                if pairs[label]:
                    vs_curl = f"**{best(small[(direction, pairs[label])])[0]['s'] / r['s']:.2f}**"
                elif label.startswith("curl"):
                    vs_curl = "1.00"
                rows.append([direction, label + ("" if clean else " (compiler ran)"), f"{r['s']:.2f}",
                             f"{count / r['s']:,.0f}", f"{mb(total) / r['s']:.1f}", vs_curl,
                             f"{cp_s / r['s']:.2f}", f"{max(x['rss_mb'] for x in runs):.1f} MB",
                             f"{r['cpu']:.2f} / {r['server_cpu']:.2f} s"])
        print(table(["way", "tool", "seconds", "files/s", "MB/s", "vs curl", "vs cp -r", "peak RSS",
                     "CPU: process / server"], rows))
        print("\nvs curl = files/s / the files/s of one curl process with the same parallelism (ducklake -j 4 against "
              "--parallel-max 4, -j 16 against 16); vs cp -r = files/s / the files/s of cp -r on local disk (down: cp -r "
              "of the tree the server stored). curl runs every transfer from one -K config, with keep-alive and without "
              "`Expect: 100-continue`; it sends no checksum, while ducklake hashes every file and the server verifies it.")
        print("\nWhat each row runs:")
        for label, _, up, down, _, _ in ctx.commands["small"]:
            print(f"- {label}: up `{shown(up, ctx)}`; down `{shown(down, ctx)}`")
        print("\nRuns (seconds; * a compiler or linker ran during it; dropped: connections the server's full listen "
              "queue dropped meanwhile, each retried by the client's kernel after 1 s or more):")
        for (direction, label), runs in small.items():
            print(f"- {direction}, {label}: {fmt_runs(runs)}")

    for what, errors in ctx.failures.items():
        notes = notes + [f"**{what}: {len(errors)} attempt(s) failed** and were done again (not counted in the "
                         f"figures): " + "; ".join(errors)]
    if ctx.volume_delete_s:
        notes = notes + [f"untimed, between runs: `DELETE /api/v1/volumes/small?force=true` with "
                         f"{4 * ctx.small_count:,} objects took " + ", ".join(f"{s:.1f}" for s in ctx.volume_delete_s)
                         + " s"]
    dropped = sum(r["overflows"] for section in (big, small) for runs in section.values() for r in runs)
    if dropped:
        notes = notes + [
            f"the server listens with a backlog of {ctx.backlog} (`ss -ltn`: Send-Q of its socket): a client opening more "
            f"connections at once overflows it. {dropped} connections were dropped during the measured transfers "
            f"(kernel counter TcpExt ListenOverflows, counted over the whole machine); each stalls its transfer for the "
            f"1 s SYN retransmission timeout (or longer if dropped again)."]
    if notes:
        print("\n## Notes\n")
        for note in notes:
            print(f"- {note}")


def record(ctx, big, small):
    """The figures for bench/suite.py: each ducklake transfer's ratio to curl (with the same
    parallelism for small files) and its rate, the CLI's peak RSS, and the plot of transfer rates."""
    sections = []  # (name, results, bytes moved per transfer)
    if big:
        size = ctx.big_bytes
        sections.append(("big file", big, size))
        for direction, curl_label in (("up", "curl -T, one PUT"), ("down", "curl -o, one GET")):
            curl_s = best(big[(direction, curl_label)])[0]["s"]
            for (d, label), runs in big.items():
                if d == direction and label.startswith("ducklake"):
                    seconds = best(runs)[0]["s"]
                    name = f"big file {direction}, {label}"
                    record_figure("cli", name, curl_s / seconds, "ratio", ducklake_s=seconds, curl_s=curl_s, bytes=size)
                    record_figure("cli", f"{name}: rate", mb(size) / seconds, "MB/s")
        record_figure("cli", "big file: CLI peak RSS", max(
            x["rss_mb"] for (_, label), runs in big.items() if label.startswith("ducklake") for x in runs), "MB")
    if small:
        count, total = ctx.small_count, sum(size for size, _ in ctx.manifest.values())
        sections.append(("small files", small, total))
        for direction in ("up", "down"):
            for label, *_, curl_label in ctx.commands["small"]:
                if curl_label:
                    seconds = best(small[(direction, label)])[0]["s"]
                    curl_s = best(small[(direction, curl_label)])[0]["s"]
                    name = f"small files {direction}, {label}"
                    record_figure("cli", name, curl_s / seconds, "ratio", ducklake_s=seconds, curl_s=curl_s, files=count)
                    record_figure("cli", f"{name}: rate", count / seconds, "files/s")
    for way in PLOTTED["big file"]:
        x, y = [], []
        for section, results, moved in sections:
            for direction, label in zip(("up", "down"), PLOTTED[section][way]):
                x.append(f"{section} {direction}")
                y.append(mb(moved) / best(results[(direction, label)])[0]["s"])
        record_series("cli", way, "MB/s", x, y, "cli-transfer-rates", "transfer", "MB/s")


def run(ctx):
    notes = []
    big, small = {}, {}
    if "big" in ctx.only:
        log(f"making {ctx.big_bytes:,} bytes of random data")
        with open(ctx.big, "wb") as out:
            subprocess.run(["head", "-c", str(ctx.big_bytes), "/dev/urandom"], stdout=out, check=True)
        ctx.big_sha = sha256_file(ctx.big)
    if "small" in ctx.only:
        log(f"making {ctx.small_count:,} small files")
        ctx.manifest = make_small_tree(ctx.small_src, ctx.small_count)

    log("# embedded (SQLite + local directory)")
    max_upload = max(2 * ctx.big_bytes, 1 << 30)
    port = free_port()
    ctx.server = Server(str(ctx.binary), port, ["--data-dir", str(ctx.data), "--max-upload-bytes", str(max_upload)],
                        {}, ctx.scratch / "server.log", ctx.resources, "embedded")
    listening = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout.split()
    ctx.backlog = listening[2] if len(listening) > 2 else "unknown"
    try:
        if "big" in ctx.only:
            big = big_bench(ctx)
        ctx.check_binary(notes)
        if "small" in ctx.only:
            small = small_bench(ctx)
        ctx.check_binary(notes)
    except BaseException:
        log(ctx.server.describe())
        raise
    finally:
        ctx.server.stop()
    report(ctx, big, small, notes + ctx.watch.notes)
    record(ctx, big, small)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary")
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--smoke", action="store_true", help="16 MiB and 200 files, one run each: seconds")
    parser.add_argument("--only", help="comma-separated sections to run: big, small (default: both)")
    parser.add_argument("--cleanup", action="store_true", help="only remove what an interrupted run left")
    args = parser.parse_args()
    if args.cleanup:
        Resources(args.scratch).cleanup()
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ctx = Context(args)
    mode = " (smoke: 16 MiB, 200 files, one run)" if ctx.smoke else ""
    print(f"# DuckLake CLI transfers (ducklake cp), {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, "
          f"{os.cpu_count()} cores{mode}")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"], capture_output=True,
                           text=True).stdout.strip()
    curl_version = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[1]
    print(f"binary {args.binary} (run from a copy), built {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(ctx.binary_mtime))}"
          f" UTC, tree at {head or 'unknown'}" + (" with uncommitted changes under src/" if dirty else "")
          + f"; embedded lake (SQLite + local directory) on the same disk as the files; curl {curl_version}")
    try:
        run(ctx)
    finally:
        ctx.watch.stop()
        log("cleaning up (the server)")
        ctx.resources.cleanup()


if __name__ == "__main__":
    main()
