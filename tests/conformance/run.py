#!/usr/bin/env python3
"""Starts a fresh `ducklake serve` (on DUCKLAKE_TEST_BACKEND, as the HTTP suite does) and runs the
conformance suite against it: ducklake_conformance with the arguments given here, after --url.

    tests/conformance/run.py --bin build/ducklake_conformance -- --corpus tests/conformance/corpus --seed 7 --queries 500

With --lake-reader the official DuckLake extension (../shared/ducklake-extension, when it is there)
reads the server's catalog too: the server keeps its lake data in its data directory (on
postgres-s3, PostgreSQL with local data, since the extension cannot reach the S3 server here), and
the suite is told where its catalog and data are.

The server's own log is printed when the suite fails. Exit code: the suite's (0 when nothing failed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "http"))

from httpsupport import BACKEND, serving  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="the ducklake_conformance binary")
    parser.add_argument("--lake-reader", action="store_true", help="compare with the official DuckLake extension")
    parser.add_argument("suite_args", nargs=argparse.REMAINDER, help="arguments of ducklake_conformance, after --")
    args = parser.parse_args()
    suite_args = args.suite_args[1:] if args.suite_args[:1] == ["--"] else args.suite_args
    with tempfile.TemporaryDirectory(prefix="ducklake-conformance-") as root:
        backend = "postgres-local" if args.lake_reader and BACKEND == "postgres-s3" else BACKEND
        with serving(Path(root), name=f"conformance server ({backend})", backend=backend) as server:
            print(f"conformance: {backend} backend, server {server.base_url}", flush=True)
            if args.lake_reader:
                metadata = server.backend_flags[1] if server.backend_flags else f"sqlite:{server.data_dir}/metadata.sqlite"
                suite_args = ["--lake-reader", "auto", "--catalog", metadata,
                              "--data-path", f"{server.data_dir.resolve()}/objects/warehouse/", *suite_args]
            done = subprocess.run([args.bin, "--url", server.base_url, "--scratch", root, *suite_args])
            if done.returncode != 0:
                # Requests are logged at info; what went wrong is logged at warn or error.
                notable = [line for line in server.log_text().splitlines() if " info " not in line]
                print(f"--- server log ({server.log_path}), warnings and errors, last 100 ---")
                print("\n".join(notable[-100:]))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
