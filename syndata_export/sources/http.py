"""sources.http: the one door to the bibliographic services, paced, retried, bounded and cached on disk.

Each request goes through three layers, outermost first:

1. hishel's cache (hishel 2 speaks httpx2): a 200 answer is kept on disk for :data:`CACHE_TTL` in
   the user's cache folder (``SYNDATA_CACHE_DIR`` overrides), so a second run asks nothing.
   ``offline`` answers from it alone; ``refresh`` drops the entry and asks again.
2. the source's credentials (Semantic Scholar's ``x-api-key``), added *below* the cache, so the key
   is never written to disk with the stored request.
3. the project's :class:`~syndata_export.transport.RetryTransport`, the same one the Zotero
   sync uses: 429/503 retried after ``Retry-After`` or a doubling wait, a bounded number of times;
   a deadline for each request, body included; answers over 32 MiB refused; no redirect followed.
   It also keeps each service's pace (:data:`SOURCES`): the wait counts on the injectable clock and
   is announced through ``on_wait``.

Every failure leaves here as a :class:`SourceError` naming the source and the reason; messages
show scheme, host and path only, never the query (``mailto``) or a header (the API key).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import hishel
import httpx2
import platformdirs
from hishel.httpx2 import CacheTransport

from syndata_export import __version__
from syndata_export.errors import RemoteError, UsageError
from syndata_export.sources import NotFound, SourceError
from syndata_export.transport import OnWait, RetryTransport
from syndata_export.transport import _address as _address  # one key-free address rule

REQUEST_DEADLINE = 30.0  # seconds for one request, connect to last byte; the services answer in under 5
CACHE_TTL = 30 * 24 * 3600.0  # a month: a paper's metadata rarely changes, and --refresh asks again
API_KEY_VARIABLE = "SEMANTIC_SCHOLAR_API_KEY"
MAILTO_VARIABLE = "SYNDATA_MAILTO"
CACHE_VARIABLE = "SYNDATA_CACHE_DIR"


@dataclass(frozen=True)
class Source:
    url: str  # the public service; ``SYNDATA_<NAME>_URL`` overrides it
    interval: float  # seconds kept between two requests
    why: str  # the service's rule the interval keeps


SOURCES = {
    "arxiv": Source("https://export.arxiv.org/api", 3.0, "arXiv's terms: one request every 3 s"),
    "crossref": Source("https://api.crossref.org", 0.2, "Crossref's public pool: 5 requests/s, one at a time"),
    "datacite": Source("https://api.datacite.org", 0.6, "DataCite: 500 requests per 5 min without credentials"),
    # keys start at 1 request/s too (s2-folks#218), so the key buys reliability, not speed
    "semanticscholar": Source("https://api.semanticscholar.org/graph/v1", 1.0, "Semantic Scholar: 1 request/s"),
    "dblp": Source("https://dblp.org", 1.0, "DBLP publishes no limit; 1 s, as reffix keeps"),
    "anthology": Source("https://aclanthology.org", 2.0, "the ACL Anthology publishes no limit; 30 a minute"),
}


def url_variable(source: str) -> str:
    return f"SYNDATA_{source.upper()}_URL"


def base_url(source: str) -> str:
    """The service's base URL without a trailing slash; each source module appends its API's paths."""
    return (os.environ.get(url_variable(source)) or _source(source).url).rstrip("/")


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_VARIABLE) or platformdirs.user_cache_dir("syndata-export"))


class Http:
    """GET from a source: a 200 response (body read), :class:`NotFound` on 404, else :class:`SourceError`."""

    def __init__(
        self,
        *,
        offline: bool = False,
        refresh: bool = False,
        cache_dir: Path | str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: OnWait | None = None,
        deadline: float = REQUEST_DEADLINE,
    ) -> None:
        if offline and refresh:
            raise UsageError("--offline and --refresh contradict each other", "use one of them")
        self.offline, self.refresh = offline, refresh
        self.clock, self.sleep, self.on_wait, self.deadline = clock, sleep, on_wait, deadline
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.storage = hishel.SqliteStorage(database_path=self.cache_dir / "http.sqlite", default_ttl=CACHE_TTL)
        self._clients: dict[str, httpx2.Client] = {}

    def base_url(self, source: str) -> str:
        return base_url(source)

    def get(self, source: str, url: str, params: dict | None = None, headers: dict | None = None) -> httpx2.Response:
        client = self._client(source)
        request = client.build_request("GET", url, params=params, headers=headers)
        key = hashlib.sha256(f"{source} {request.url}".encode()).hexdigest()  # before mailto joins the query
        if source == "crossref" and (mailto := os.environ.get(MAILTO_VARIABLE)):
            request = client.build_request("GET", url, params={**(params or {}), "mailto": mailto}, headers=headers)
        request.extensions["caching"] = {"key": key}
        if self.refresh:
            for entry in self.storage.get_entries(key):
                self.storage.remove_entry(entry.id)
        where = _address(request.url)
        try:
            response = client.send(request)
        except _NotCached:
            raise SourceError(
                f"{source}: {where} is not in the cache (--offline)", "run once without --offline to fetch it"
            ) from None
        except RemoteError as exc:  # the transport's words, with our hint instead of Zotero's
            raise SourceError(f"{source}: {exc.message}", self._hint(source)) from None
        except httpx2.HTTPError as exc:
            raise SourceError(f"{source}: {where} failed ({type(exc).__name__})", self._hint(source)) from None
        if response.status_code == 200:
            return response
        if response.status_code == 404:
            raise NotFound(f"{source}: {where} not found (404)")
        raise SourceError(f"{source}: {where} answered {response.status_code}", self._hint(source))

    def close(self) -> None:
        for client in self._clients.values():
            client.close()  # closes the shared storage too, which is idempotent
        self._clients.clear()
        self.storage.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _client(self, source: str) -> httpx2.Client:
        """One client per source, so that each keeps its own pace and its own Backoff."""
        if source not in self._clients:
            rule = _source(source)
            network: httpx2.BaseTransport = _Offline()
            if not self.offline:
                network = RetryTransport(
                    clock=self.clock,
                    sleep=self.sleep,
                    on_wait=self.on_wait,
                    deadline=self.deadline,
                    interval=rule.interval,
                )
            if source == "semanticscholar" and (key := os.environ.get(API_KEY_VARIABLE)):
                network = _WithHeader(network, "x-api-key", key)
            self._clients[source] = httpx2.Client(
                transport=CacheTransport(next_transport=network, storage=self.storage),
                headers={"User-Agent": _user_agent()},
                timeout=self.deadline,
                follow_redirects=False,
            )
        return self._clients[source]

    def _hint(self, source: str) -> str:
        return f"try again later, or check {url_variable(source)} and the network"


class _NotCached(Exception):
    """Raised below the cache when ``offline`` would have to ask the network."""


class _Offline(httpx2.BaseTransport):
    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        raise _NotCached


class _WithHeader(httpx2.BaseTransport):
    """Adds a secret header to a copy of the request, so the one the cache stores never holds it."""

    def __init__(self, inner: httpx2.BaseTransport, name: str, value: str) -> None:
        self.inner, self.header = inner, (name.encode(), value.encode())

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        headers = [*request.headers.raw, self.header]
        return self.inner.handle_request(
            httpx2.Request(request.method, request.url, headers=headers, extensions=request.extensions)
        )

    def close(self) -> None:
        self.inner.close()


def _source(name: str) -> Source:
    if name not in SOURCES:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(SOURCES)}")
    return SOURCES[name]


def _user_agent() -> str:
    mailto = os.environ.get(MAILTO_VARIABLE)
    return f"syndata-export/{__version__}" + (f" (mailto:{mailto})" if mailto else "")
