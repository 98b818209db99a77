"""`ducklake completion bash|zsh`: the script parses, and bash's completion function, called as bash
calls it, offers the commands, subcommands, flags and dl:// paths the binary and the server have."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from clisupport import BINARY, api_listing, expect_status


@pytest.fixture
def script(cli, tmp_path):
    text = cli.ok("completion", "bash").out
    path = tmp_path / "ducklake.bash"
    path.write_text(text)
    return path


def complete(cli, script, line: str, tmp_path) -> list[str]:
    """What `_ducklake` puts in COMPREPLY for the command line `line` (cursor at its end), with
    COMP_WORDS split as bash splits them (COMP_WORDBREAKS has ':')."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if not (bin_dir / "ducklake").exists():
        (bin_dir / "ducklake").symlink_to(BINARY)  # the script calls `ducklake __complete`
    words = re.findall(r"[^\s:]+|:", line) + ([""] if line.endswith(" ") else [])
    program = (f"source {shlex.quote(str(script))}\n"
               f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
               f"COMP_CWORD={len(words) - 1}\nCOMP_LINE={shlex.quote(line)}\nCOMP_POINT=${{#COMP_LINE}}\n"
               "_ducklake\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    env = cli.environment()
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], env=env, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    return [word for word in done.stdout.split("\n") if word]


def test_the_bash_script_parses(cli, script):
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    text = script.read_text()
    assert "complete -o default -F _ducklake ducklake" in text
    assert "__complete" in text and '"ducklake table") path="ducklake table" ;;' in text


def test_the_zsh_script_loads_bash_completion(cli, tmp_path):
    text = cli.ok("completion", "zsh").out
    assert text.startswith("#compdef ducklake\nautoload -U +X bashcompinit && bashcompinit\n")
    assert text.endswith(cli.ok("completion", "bash").out)


def test_commands_subcommands_and_flags_complete(cli, script, tmp_path):
    assert complete(cli, script, "ducklake tab", tmp_path) == ["table"]
    table = complete(cli, script, "ducklake table ", tmp_path)
    assert {"ls", "describe", "rm", "history", "changes", "preview"} <= set(table)
    assert complete(cli, script, "ducklake table pre", tmp_path) == ["preview"]
    assert set(complete(cli, script, "ducklake m", tmp_path)) == {"maintenance", "mirror", "mv"}
    assert set(complete(cli, script, "ducklake maintenance c", tmp_path)) == {"compact", "cleanup"}
    assert set(complete(cli, script, "ducklake sql --f", tmp_path)) == {"--file", "--format"}
    assert "--multipart-threshold" in complete(cli, script, "ducklake cp --m", tmp_path)
    # Flags before the command do not lose the path.
    assert set(complete(cli, script, "ducklake -v table ", tmp_path)) == set(table)
    # Every command `ducklake --help` lists is offered, and the hidden one is not.
    listed = set(re.findall(r"^  ([a-z]+)\s{2,}", cli.ok("--help").out, re.MULTILINE))
    offered = set(complete(cli, script, "ducklake ", tmp_path))
    assert {"sql", "cp", "mirror", "lineage", "completion", "serve"} <= listed
    assert listed <= offered and "__complete" not in offered


def test_lake_paths_complete_from_the_server(cli, api, volume, script, tmp_path):
    for key in ("2026/11/a.csv", "2026/12/b.csv", "2026/readme.txt", "top.bin"):
        expect_status(api.request("PUT", f"/api/v1/volumes/{volume}/objects/{key}", data=b"x"), 201)
    # bash splits at ':', so what is offered is the word after 'dl:'.
    root = complete(cli, script, f"ducklake ls dl://{volume}/", tmp_path)
    reference = api_listing(api, volume, "", delimiter="/")
    assert root == [f"//{volume}/{f}" for f in reference["folders"]] + [f"//{volume}/{o['key']}" for o in reference["objects"]]
    assert complete(cli, script, f"ducklake cp dl://{volume}/2026/", tmp_path) == [
        f"//{volume}/2026/11/", f"//{volume}/2026/12/", f"//{volume}/2026/readme.txt"]
    assert cli.ok("__complete", f"dl://{volume}/2026/1").out == f"dl://{volume}/2026/11/\ndl://{volume}/2026/12/\n"


def test_volume_names_complete(cli, api, volume, script, tmp_path):
    names = [v["name"] for v in expect_status(api.get("/api/v1/volumes"), 200).json()["volumes"]]
    assert cli.ok("__complete", "dl://").out.splitlines() == [f"dl://{n}/" for n in names]
    assert complete(cli, script, f"ducklake ls dl://{volume[:-3]}", tmp_path) == [f"//{volume}/"]
