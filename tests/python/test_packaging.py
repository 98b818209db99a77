"""`pip install ./python` works offline with Debian's packages, and the installed package is what
users get: importable anywhere, the fsspec protocol found through its entry point without
`import ducklake`, the generator's command installed."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from pysupport import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtual environment (seeing Debian's pandas, requests and fsspec) with the package installed."""
    root = tmp_path_factory.mktemp("pip")
    source = root / "source"
    shutil.copytree(ROOT / "python", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    out = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--no-build-isolation",
                          str(source)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return venv


def test_installed_package_reads_through_fsspec_without_importing_it(installed, server, client, volume, tmp_path):
    client.put_object(volume, "a.csv", b"id,city\n1,Oslo\n")
    script = ("import sys, fsspec, pandas as pd\n"
              f"frame = pd.read_csv('ducklake://{volume}/a.csv', storage_options={{'url': '{server.base_url}'}})\n"
              "print(frame.to_dict('records'), fsspec.get_filesystem_class('ducklake').__module__)\n")
    out = subprocess.run([str(installed / "bin" / "python"), "-c", script], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[{'id': 1, 'city': 'Oslo'}] ducklake.fs"
    location = subprocess.run([str(installed / "bin" / "python"), "-c", "import ducklake; print(ducklake.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path, timeout=60).stdout
    assert str(installed) in location


def test_installed_generator_command(installed, tmp_path):
    out = subprocess.run([str(installed / "bin" / "ducklake-datagen"), "--help"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 0 and "--scale" in out.stdout
