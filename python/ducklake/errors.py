"""The exceptions of the DuckLake client.

Every error the client raises is a :class:`DuckLakeError`. An error the server answered carries
its RFC 9457 problem document (``problem``) and the request id to look the request up in the
server's log; the subclass says which status it was. Errors the client finds before sending
anything (a malformed table name, a bad ``mode``) are :class:`BadRequest` too, with ``status``
``None``, and also :class:`ValueError`, so code that catches either works.

Example:
    >>> import ducklake
    >>> client = ducklake.Client()
    >>> try:
    ...     client.sql("SELECT * FROM sales.nothing_here")
    ... except ducklake.NotFound as error:
    ...     print(error.status, error.detail)
    404 table 'sales.nothing_here' not found
"""

from __future__ import annotations

from typing import Any, Mapping


class DuckLakeError(Exception):
    """Base class of every error of the client.

    Attributes:
        status: the HTTP status the server answered, or ``None`` for an error found by the client.
        title: the status's reason phrase (``"Not Found"``).
        detail: what went wrong, in the server's words.
        problem: the whole problem document as the server sent it (``{}`` without one).
        request_id: the ``X-Request-Id`` of the request, if one was sent.
    """

    def __init__(self, detail: str, *, status: int | None = None, title: str | None = None,
                 problem: Mapping[str, Any] | None = None, request_id: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.title = title
        self.problem: dict[str, Any] = dict(problem or {})
        self.request_id = request_id

    def __str__(self) -> str:
        if self.status is None:
            return self.detail
        return f"{self.status} {self.title or ''}: {self.detail}".replace("  ", " ")


class BadRequest(DuckLakeError, ValueError):
    """400: the request is invalid (SQL that does not parse or bind, a bad name or option), or the
    client refused an argument before sending anything."""


class Unauthorized(DuckLakeError):
    """401: no token, or an unknown, expired or revoked one."""


class Forbidden(DuckLakeError):
    """403: the caller lacks the role, or the SQL sandbox refused the statement."""


class NotFound(DuckLakeError):
    """404: no such namespace, table, snapshot, volume, object, upload or lineage node."""


class Conflict(DuckLakeError):
    """409: the thing exists already, is not empty, or a concurrent change got in the way. Nothing
    was changed; the request can be retried."""


class PreconditionFailed(DuckLakeError):
    """412: a condition (``If-Match``, ``If-None-Match``) does not hold. Nothing was changed."""


class PayloadTooLarge(DuckLakeError):
    """413: a body or a result over the server's or the volume's limit."""


class TooManyRequests(DuckLakeError):
    """429: still refused after the client's retries (rate limit or concurrent queries)."""


class QueryTimeout(DuckLakeError):
    """504: the query ran longer than its timeout. Nothing was written."""


class ServerError(DuckLakeError):
    """5xx other than 504, also after the client's retries for 503. The server's log has the
    details under :attr:`request_id`."""


class ConnectionFailed(DuckLakeError):
    """The server could not be reached, or the connection broke before an answer arrived."""


class ResultIncomplete(DuckLakeError):
    """A streamed result ended before its end: the server stopped while sending it (a limit, a
    crash, the network). The rows read so far are not the whole result."""


_BY_STATUS: dict[int, type[DuckLakeError]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict,
    412: PreconditionFailed, 413: PayloadTooLarge, 429: TooManyRequests, 504: QueryTimeout,
}


def error_class(status: int) -> type[DuckLakeError]:
    """The exception class for an HTTP error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    if status == 416:
        return BadRequest
    return DuckLakeError
