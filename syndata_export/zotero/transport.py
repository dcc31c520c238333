"""The one place that honours Backoff and Retry-After: an HTTP transport handed to pyzotero's ``client=``.

pyzotero 1.16 does not retry writes, raises a JSON error on a 429 create, skips a 429 chunk of
``update_items`` silently and ignores a 503's Retry-After (notes §6). So every request goes
through this transport instead: before sending it waits out any Backoff the server asked for;
on 429 or 503 it waits ``Retry-After`` (or an exponential default) and sends the same request
again, a bounded number of times; then it gives up with ``RetriesExhausted``. Both headers are
removed from what pyzotero sees, so pyzotero never sleeps on its own clock.

A dropped connection is retried only where that is safe: when the request never reached the
server (connect errors), or for reads. A write whose response was lost may have been applied;
that raises ``ResponseLost`` and the sync re-reads before deciding anything (sync.py).
The clock and sleep are injectable so tests of long waits run instantly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx2

from syndata_export.errors import RemoteError

RETRY_STATUSES = (429, 503)
MAX_RETRIES = 6
CONNECT_RETRIES = 2  # few: an unreachable server is usually a wrong URL
DEFAULT_WAIT = 2.0  # seconds, doubled on each retry, when the server names no wait
MAX_WAIT = 300.0  # the longest single wait honoured, whatever the server asks
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# failures where the request cannot have reached the server: always safe to send again
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
# failures after the request may have been processed: only safe for reads
LOST = (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.ReadTimeout, httpx2.WriteError, httpx2.WriteTimeout)


class RetriesExhausted(RemoteError):
    """The server kept answering 429/503 (or kept dropping a read) after every retry."""


class ResponseLost(RemoteError):
    """A write was sent but its response never came: it may or may not have been applied."""


class RetryTransport(httpx2.BaseTransport):
    """Wraps a real transport; see the module docstring for the rules."""

    def __init__(
        self,
        inner: httpx2.BaseTransport | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner or httpx2.HTTPTransport()
        self.clock = clock
        self.sleep = sleep
        self.not_before = 0.0  # clock time before which no request may be sent (Backoff)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        safe = request.method in SAFE_METHODS
        for attempt in range(MAX_RETRIES + 1):
            self._respect_backoff()
            last = attempt == MAX_RETRIES
            try:
                response = self.inner.handle_request(request)
            except NOT_SENT as exc:
                if last or attempt >= CONNECT_RETRIES:
                    raise RetriesExhausted(
                        f"cannot reach {_where(request)}: {_reason(exc)}", "check ZOTERO_API_URL and the network"
                    ) from None
                self._wait(self._default(attempt))
                continue
            except LOST as exc:
                if not safe:
                    raise ResponseLost(
                        f"no response to {request.method} {_where(request)} ({_reason(exc)}); it may have been applied"
                    ) from None
                if last:
                    message = f"{_where(request)} keeps dropping the connection ({_reason(exc)})"
                    raise RetriesExhausted(message) from None
                self._wait(self._default(attempt))
                continue
            backoff = _seconds(response.headers.get("Backoff"))
            if backoff is not None:
                self.not_before = max(self.not_before, self.clock() + min(backoff, MAX_WAIT))
            if response.status_code not in RETRY_STATUSES:
                return _without_wait_headers(response)
            response.read()
            response.close()
            if last:
                raise RetriesExhausted(
                    f"{request.method} {_where(request)} still answered {response.status_code} "
                    f"after {MAX_RETRIES} retries",
                    "the Zotero server is busy or rate-limiting; try again later",
                )
            retry_after = _seconds(response.headers.get("Retry-After"))
            wait = self._default(attempt) if retry_after is None else min(retry_after, MAX_WAIT)
            self._wait(wait)
        raise AssertionError("unreachable")  # the loop returns or raises

    def close(self) -> None:
        self.inner.close()

    def _default(self, attempt: int) -> float:
        return min(DEFAULT_WAIT * 2**attempt, MAX_WAIT)

    def _wait(self, seconds: float) -> None:
        self.not_before = max(self.not_before, self.clock() + seconds)
        self._respect_backoff()

    def _respect_backoff(self) -> None:
        remaining = self.not_before - self.clock()
        if remaining > 0:
            self.sleep(remaining)


def _seconds(value: str | None) -> float | None:
    """``Retry-After``/``Backoff`` in seconds (the API sends integers; an HTTP date is not used)."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _without_wait_headers(response: httpx2.Response) -> httpx2.Response:
    """Hide Backoff/Retry-After from pyzotero, which would otherwise sleep on them a second time."""
    for name in ("Backoff", "Retry-After"):
        if name in response.headers:
            del response.headers[name]
    return response


def _where(request: httpx2.Request) -> str:
    """Scheme, host and path only: never the query (a key could be passed there)."""
    url = request.url
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path}"


def _reason(exc: Exception) -> str:
    return type(exc).__name__
