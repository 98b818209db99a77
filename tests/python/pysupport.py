"""Shared helpers of the Python client suite.

The package under test is imported from python/ in this checkout (no install needed); servers
are started with tests/http/httpsupport.py, and what the client reports is checked against the
REST API read with plain `requests` (httpsupport.Api) or against the server's files directly.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT / "python", ROOT / "tests" / "http"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from httpsupport import BACKEND, BINARY, SEED, Api, expect_status, poll_until, rng_for, unique_name  # noqa: E402

__all__ = ["ROOT", "BACKEND", "BINARY", "Api", "SEED", "expect_status", "poll_until", "rng_for", "unique_name"]
