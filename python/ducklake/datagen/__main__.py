"""The command line of the generator:
``python -m ducklake.datagen --url URL --scale N --seed S [--batches B]`` (also ``ducklake-datagen``).

Progress goes to stderr (``--quiet`` stops it), the summary to stdout. Bad arguments exit with 2
and a line on stderr; an error of the server exits with 1 and the line ``ducklake.datagen: <error>``.

Example::

    $ python -m ducklake.datagen --url http://127.0.0.1:8080 --scale 1 --seed 42 --quiet
    scale 1, seed 42, 3 batches into namespace shop, volume shop-files:
      shop.customers              1,000 rows
      …
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, Sequence

from ..client import Client
from ..errors import DuckLakeError
from .generation import dry_run, generate

PROG = "ducklake.datagen"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: scripts log it, people read it.
        self.exit(2, f"{PROG}: {message} (see --help)\n")


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 100_000:  # NaN fails this too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number above 0 and at most 100000")
    return value


def _integer(low: int, high: int, high_text: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer from {low} to {high_text}")
        return value
    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=f"python -m {PROG}", description=(
        "Makes realistic, seeded test data for a DuckLake lake: customers, products, orders, order items and "
        "events, with skew, NULLs, late and re-sent records and schema drift, plus partner CSV drops, JSON logs "
        "and receipts in a volume. Loads it through the API and reports each step as an OpenLineage run."))
    parser.add_argument("--url", help="the server (default: the CLI's profile, DUCKLAKE_URL, http://127.0.0.1:8080)")
    parser.add_argument("--token", help="a bearer token (default: DUCKLAKE_TOKEN or the profile's)")
    parser.add_argument("--scale", type=_scale, default=1.0,
                        help="how much data: 1 is about 7 MB, 150 about 1 GB (default 1)")
    parser.add_argument("--seed", type=_integer(0, 2**63 - 1, "2**63-1"), default=0,
                        help="the same seed, scale and batches make the same data (default 0)")
    parser.add_argument("--batches", type=_integer(1, 520, "520"), default=3,
                        help="weekly deliveries; from the 2nd on, drops carry new columns (default 3)")
    parser.add_argument("--namespace", default="shop", help="the lake namespace of the tables (default shop)")
    parser.add_argument("--volume", default="shop-files", help="the volume of the files (default shop-files)")
    parser.add_argument("--dry-run", action="store_true", help="make everything but load nothing; no server needed")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; answers the exit code."""
    args = _parser().parse_args(argv)
    progress = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    options = dict(scale=args.scale, seed=args.seed, batches=args.batches, namespace=args.namespace,
                   volume=args.volume, progress=progress)
    try:
        if args.dry_run:
            report = dry_run(**options)
        else:
            with Client(url=args.url, token=args.token) as client:
                report = generate(client, **options)
    except DuckLakeError as error:
        print(f"{PROG}: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
