"""HTTP between the client and the server: one keep-alive session, bearer auth, retries of what
is safe to retry, and every error answer turned into its typed exception.

Thread-safety: a :class:`Transport` may be shared by threads (``requests.Session`` is, for
requests that do not change the session), which the parallel multipart upload relies on.
"""

from __future__ import annotations

import random
import re
import time
from typing import Any, Mapping
from urllib.parse import quote

import requests

from . import __version__
from .errors import ConnectionFailed, DuckLakeError, error_class

# Statuses that mean "not now": retried after Retry-After, a few times.
_RETRY_STATUSES = (429, 503)
_IDEMPOTENT = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")


def path_segment(text: str) -> str:
    """One path segment, every reserved character escaped."""
    return quote(text, safe="")


def key_path(key: str) -> str:
    """An object key in a URL path: slashes stay, everything else reserved is escaped."""
    return quote(key, safe="/")


def raise_for_problem(response: requests.Response) -> None:
    """Raises the typed error for an error answer; returns for 1xx-3xx."""
    if response.status_code < 400:
        return
    problem: dict[str, Any] = {}
    if "json" in response.headers.get("Content-Type", ""):
        try:
            body = response.json()
            if isinstance(body, dict):
                problem = body
        except ValueError:
            pass
    detail = problem.get("detail") or (response.text or "").strip()[:500] or response.reason or "error"
    raise error_class(response.status_code)(
        str(detail), status=response.status_code, title=problem.get("title") or response.reason,
        problem=problem, request_id=response.headers.get("X-Request-Id"))


class Transport:
    """Sends requests to one DuckLake server.

    Args:
        url: the server's base URL, without a trailing slash.
        token: a bearer token, or ``None``.
        timeout: seconds to wait for the connection and for each read of the answer.
        retries: how often a 429 or 503 answer, or a broken connection of an idempotent request
            whose body can be sent again, is retried (with Retry-After or a growing pause).
    """

    def __init__(self, url: str, token: str | None, timeout: float = 300.0, retries: int = 4):
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"ducklake-python/{__version__}"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        # A parallel multipart upload keeps a connection per worker.
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, data: Any = None, headers: Mapping[str, str] | None = None,
                stream: bool = False, timeout: float | None = None, raise_errors: bool = True) -> requests.Response:
        """Sends one request and returns its answer; raises the typed error for a 4xx or 5xx.

        ``path`` starts with ``/`` and is already escaped. ``data`` may be bytes, a file or an
        iterator of bytes (sent chunked); only bytes (and no body) are sent again on a retry."""
        replayable = data is None or isinstance(data, (bytes, bytearray, memoryview))
        attempt = 0
        while True:
            try:
                response = self.session.request(method, self.url + path, params=params, json=json, data=data,
                                                headers=headers, stream=stream,
                                                timeout=(min(30.0, timeout or self.timeout), timeout or self.timeout))
            except requests.ConnectionError as error:
                if replayable and method in _IDEMPOTENT and attempt < self.retries:
                    attempt += 1
                    time.sleep(self._pause(attempt, None))
                    continue
                raise ConnectionFailed(f"cannot reach {self.url}: {_reason(error)}") from None
            except requests.Timeout:
                raise ConnectionFailed(f"{self.url} did not answer within {timeout or self.timeout:g} s") from None
            except requests.RequestException as error:
                raise DuckLakeError(f"request to {self.url} failed: {_reason(error)}") from None
            if response.status_code in _RETRY_STATUSES and replayable and attempt < self.retries:
                attempt += 1
                pause = self._pause(attempt, response.headers.get("Retry-After"))
                response.close()
                time.sleep(pause)
                continue
            if raise_errors:
                try:
                    raise_for_problem(response)
                finally:
                    if response.status_code >= 400:
                        response.close()
            return response

    def get_json(self, path: str, **kwargs) -> Any:
        response = self.request("GET", path, **kwargs)
        return response.json() if response.content else None

    def send_json(self, method: str, path: str, body: Any = None, **kwargs) -> Any:
        response = self.request(method, path, json=body, **kwargs)
        return response.json() if response.content else None

    @staticmethod
    def _pause(attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(30.0, max(0.0, float(retry_after)))
            except ValueError:
                pass
        return min(5.0, 0.1 * 2 ** attempt) * (0.5 + random.random() / 2)


def _reason(error: Exception) -> str:
    # requests wraps the socket's error in several layers of reprs; its "[Errno N] reason" is
    # the part a person needs ("Connection refused", "Name or service not known").
    text = str(error)
    found = re.search(r"\[Errno -?\d+\] ([^'\"\)\]]+)", text)
    return found.group(1).strip() if found else text
