"""HTTP for every service (Zotero, and the papers' sources): the one place that honours Backoff and
Retry-After, keeps deadlines and bounds answers; handed to pyzotero's ``client=`` and to sources.http.

pyzotero 1.16 does not retry writes, raises a JSON error on a 429 create, skips a 429 chunk of
``update_items`` silently and ignores a 503's Retry-After (notes §6). So every request goes
through this transport instead: before sending it waits out any Backoff the server asked for;
on 429 or 503 it waits ``Retry-After`` (or an exponential default) and sends the same request
again, a bounded number of times; then it gives up with ``RetriesExhausted``. Both headers are
removed from what pyzotero sees, so pyzotero never sleeps on its own clock. Every wait is told to
``on_wait`` first, so a user watching the run knows why it is quiet.

A dropped connection is retried only where that is safe: when the request never reached the
server (connect errors), or for reads. A write whose response was lost may have been applied;
that raises ``ResponseLost`` and the sync re-reads before deciding anything (sync.py).

Bounds, so that no server can hold a run for ever: a redirect is never followed (the key would go
with it, notes §1 "Authentication"); each request, body included, must be over within
``REQUEST_DEADLINE`` seconds, however slowly the bytes trickle in (every socket operation gets only
the time left); and the whole run within ``RUN_DEADLINE``. The clock and sleep for waits are
injectable so tests of long waits run instantly; the request deadline is real time.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpcore2
import httpx2

from syndata_export.errors import RemoteError

RETRY_STATUSES = (429, 503)
MAX_RETRIES = 6
CONNECT_RETRIES = 2  # few: an unreachable server is usually a wrong URL
DEFAULT_WAIT = 2.0  # seconds, doubled on each retry, when the server names no wait
MAX_WAIT = 300.0  # the longest single wait honoured, whatever the server asks
REQUEST_DEADLINE = 60.0  # seconds for one request from connect to the last byte of its body
RUN_DEADLINE = 30 * 60.0  # seconds for a whole run, waits included
MAX_BODY = 32 * 2**20  # bytes of one answer, decompressed; a page of 100 full items is well under 1 MiB
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# failures where the request cannot have reached the server: always safe to send again
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
# failures after the request may have been processed: only safe for reads
LOST = (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.ReadTimeout, httpx2.WriteError, httpx2.WriteTimeout)

OnWait = Callable[[float, str], None]


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
        on_wait: OnWait | None = None,
        deadline: float | None = None,
        run_deadline: float | None = None,
        interval: float = 0.0,
    ) -> None:
        self.inner = inner or deadline_transport()
        self.clock = clock
        self.sleep = sleep
        self.on_wait = on_wait
        self.deadline = REQUEST_DEADLINE if deadline is None else deadline
        self.run_deadline = RUN_DEADLINE if run_deadline is None else run_deadline
        self.run_ends = clock() + self.run_deadline
        self.not_before = 0.0  # clock time before which no request may be sent (Backoff)
        self.why = "the server asked: Backoff"  # what set ``not_before``
        self.interval = interval  # seconds kept between the end of one exchange and the next (a polite rate)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        safe = request.method in SAFE_METHODS
        overrun = False  # a deadline overrun is retried once, never more
        for attempt in range(MAX_RETRIES + 1):
            self._respect_backoff()
            last = attempt == MAX_RETRIES
            try:
                response = self._exchange(request)
            except (*NOT_SENT, *LOST) as exc:
                late = bool(getattr(_deadline, "overrun", False))
                if isinstance(exc, LOST) and not safe:
                    raise ResponseLost(
                        f"no {'complete ' if late else ''}response to {request.method} {_where(request)} "
                        f"({self._failure(exc, late)}); it may have been applied"
                    ) from None
                connect_bound = isinstance(exc, NOT_SENT) and not late and attempt >= CONNECT_RETRIES
                if last or (late and overrun) or connect_bound:
                    raise self._gave_up(request, exc, late) from None
                overrun = overrun or late
                self._wait(self._default(attempt), f"reconnecting after {self._failure(exc, late)}")
                continue
            if 300 <= response.status_code < 400 and response.status_code != 304:
                raise RemoteError(
                    f"{_where(request)} answered {response.status_code}, redirecting to "
                    f"{_target(request, response)}; it was not followed and the API key was not sent there",
                    "if that address is the Zotero API you mean, set ZOTERO_API_URL to it",
                )
            backoff = _seconds(response.headers.get("Backoff"))
            if backoff is not None:
                self._later(min(backoff, MAX_WAIT), "the server asked: Backoff")
            if response.status_code not in RETRY_STATUSES:
                return _without_wait_headers(response)
            if last:
                raise RetriesExhausted(
                    f"{request.method} {_where(request)} still answered {response.status_code} "
                    f"after {MAX_RETRIES} retries",
                    "the Zotero server is busy or rate-limiting; try again later",
                )
            retry_after = _seconds(response.headers.get("Retry-After"))
            if retry_after is None:
                self._wait(self._default(attempt), f"the server answered {response.status_code} without Retry-After")
            else:
                self._wait(min(retry_after, MAX_WAIT), f"the server asked: Retry-After on {response.status_code}")
        raise AssertionError("unreachable")  # the loop returns or raises

    def close(self) -> None:
        self.inner.close()

    def _exchange(self, request: httpx2.Request) -> httpx2.Response:
        """Send and read the whole body within the deadline (seen by every socket operation)."""
        _deadline.ends, _deadline.overrun = time.monotonic() + self.deadline, False
        try:
            response = self.inner.handle_request(request)
            try:
                _read_bounded(response, request)
            finally:
                response.close()
            return response
        finally:
            _deadline.ends = None
            if self.interval:  # retries and the next request alike keep the service's pace
                self._later(self.interval, f"at most one request every {self.interval:g} s")

    def _failure(self, exc: Exception, late: bool) -> str:
        return f"nothing complete within {self.deadline:g} s" if late else _reason(exc)

    def _gave_up(self, request: httpx2.Request, exc: Exception, late: bool) -> RetriesExhausted:
        if late:
            return RetriesExhausted(
                f"{_where(request)} sent no complete response within {self.deadline:g} s, twice",
                "the server is too slow or hangs; try again later",
            )
        if isinstance(exc, NOT_SENT):
            return RetriesExhausted(
                f"cannot reach {_where(request)}: {_reason(exc)}", "check ZOTERO_API_URL and the network"
            )
        return RetriesExhausted(f"{_where(request)} keeps dropping the connection ({_reason(exc)})")

    def _default(self, attempt: int) -> float:
        return min(DEFAULT_WAIT * 2**attempt, MAX_WAIT)

    def pause(self, seconds: float, why: str) -> None:
        """A wait the sync asks for (before reading back a lost write), announced and bounded like ours."""
        self._wait(seconds, why)

    def _wait(self, seconds: float, why: str) -> None:
        self._later(seconds, why)
        self._respect_backoff()

    def _later(self, seconds: float, why: str) -> None:
        """No request before ``seconds`` from now; the longest wait asked for wins, with its reason."""
        if self.clock() + seconds > self.not_before:
            self.not_before, self.why = self.clock() + seconds, why

    def _respect_backoff(self) -> None:
        now = self.clock()
        remaining = max(0.0, self.not_before - now)
        if now + remaining >= self.run_ends:
            minutes = f"{self.run_deadline / 60:.0f} min"
            left = f"; it would have waited {math.ceil(remaining)} s ({self.why})" if remaining else ""
            raise RemoteError(f"the time limit of the run is reached ({minutes}){left}", "rerun to continue")
        if remaining > 0:
            if self.on_wait:
                self.on_wait(remaining, self.why)
            self.sleep(remaining)


# -- the request deadline, seen by every socket operation -----------------------------------------

_deadline = threading.local()  # ``ends``: when this thread's request must be over; ``overrun``: it was not


@contextlib.contextmanager
def _time_left(timeout: float | None, late: type[Exception]) -> Iterator[float | None]:
    """The operation's own timeout cut to what is left of the request's deadline; an overrun is noted."""
    ends = getattr(_deadline, "ends", None)
    if ends is None:
        yield timeout
        return
    left = ends - time.monotonic()
    if left <= 0:
        _deadline.overrun = True
        raise late("the request's deadline has passed")
    try:
        yield left if timeout is None else min(timeout, left)
    except httpcore2.TimeoutException:
        _deadline.overrun = timeout is None or left <= timeout
        raise


class _DeadlineStream(httpcore2.NetworkStream):
    """A socket whose every read and write gets at most the time left: a trickle cannot outlast it."""

    def __init__(self, stream: httpcore2.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _time_left(timeout, httpcore2.ReadTimeout) as left:
            return self.stream.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _time_left(timeout, httpcore2.WriteTimeout) as left:
            self.stream.write(buffer, left)

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore2.NetworkStream:
        with _time_left(timeout, httpcore2.ConnectTimeout) as left:
            return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class _DeadlineBackend(httpcore2.NetworkBackend):
    def __init__(self, backend: httpcore2.NetworkBackend) -> None:
        self.backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore2.NetworkStream:
        with _time_left(timeout, httpcore2.ConnectTimeout) as left:
            return _DeadlineStream(self.backend.connect_tcp(host, port, left, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore2.NetworkStream:
        with _time_left(timeout, httpcore2.ConnectTimeout) as left:
            return _DeadlineStream(self.backend.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


def deadline_transport() -> httpx2.HTTPTransport:
    """httpx's own transport on sockets that honour the request deadline.

    httpx has no door for a network backend, so the pool's is wrapped in place; the deadline tests
    (tests/zotero/test_hostile.py) fail loudly if a new httpx moves it.
    """
    transport = httpx2.HTTPTransport()
    pool: Any = transport._pool
    pool._network_backend = _DeadlineBackend(pool._network_backend)
    return transport


# -- small helpers ----------------------------------------------------------------------------------


def _read_bounded(response: httpx2.Response, request: httpx2.Request) -> None:
    """The whole body into ``response`` (as ``read()`` would), refusing more than ``MAX_BODY``
    bytes after decompression, so neither a huge answer nor a gzip bomb can fill the memory."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY:
            raise RemoteError(
                f"{_where(request)} answered more than {MAX_BODY:,} bytes; the rest was not read",
                "this is not what the Zotero API sends; check ZOTERO_API_URL",
            )
        chunks.append(chunk)
    response._content = b"".join(chunks)  # where read() keeps the body; httpx has no public way to bound it


def _seconds(value: str | None) -> float | None:
    """``Retry-After``/``Backoff`` in seconds (the API sends integers; an HTTP date is not used)."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _without_wait_headers(response: httpx2.Response) -> httpx2.Response:
    """Hide Backoff/Retry-After from pyzotero, which would otherwise sleep on them a second time."""
    for name in ("Backoff", "Retry-After"):
        if name in response.headers:
            del response.headers[name]
    return response


def _where(request: httpx2.Request) -> str:
    """Scheme, host and path only: never the query (a key could be passed there)."""
    return _address(request.url)


def _target(request: httpx2.Request, response: httpx2.Response) -> str:
    """Where a redirect points, in the same key-free form (or that it points nowhere)."""
    location = response.headers.get("Location")
    if not location:
        return "no address (no Location header)"
    try:
        return _address(request.url.join(location))
    except httpx2.InvalidURL:
        return "an address that is not a URL"


def _address(url: httpx2.URL) -> str:
    """Scheme, host, port and path: no user, password, query or fragment."""
    port = f":{url.port}" if url.port else ""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}{port}{url.path}"


def _reason(exc: Exception) -> str:
    return type(exc).__name__
