"""DuckLake for Python: SQL, tables, files and lineage of a DuckLake server.

>>> import ducklake
>>> client = ducklake.Client(url="http://127.0.0.1:8080")
>>> client.sql("SELECT 42 AS answer").df()
   answer
0      42

Files are also reachable through fsspec as ``ducklake://VOLUME/KEY``::

    pd.read_csv("ducklake://drops/2026/orders.csv", storage_options={"url": "http://127.0.0.1:8080"})
"""

__version__ = "0.6.0"

from .client import Client, PinnedClient  # noqa: E402
from .errors import (  # noqa: E402
    BadRequest, Conflict, ConnectionFailed, DuckLakeError, Forbidden, NotFound, PayloadTooLarge, PreconditionFailed,
    QueryTimeout, ResultIncomplete, ServerError, TooManyRequests, Unauthorized)
from .result import Column, SqlResult  # noqa: E402
from . import fs as _fs  # noqa: E402  (registers the "ducklake" fsspec protocol)

__all__ = [
    "Client", "PinnedClient", "SqlResult", "Column", "DuckLakeError", "BadRequest", "Unauthorized", "Forbidden",
    "NotFound", "Conflict", "PreconditionFailed", "PayloadTooLarge", "TooManyRequests", "QueryTimeout",
    "ServerError", "ConnectionFailed", "ResultIncomplete", "__version__",
]
del _fs
