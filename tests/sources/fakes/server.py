"""The fake bibliographic services: one threaded HTTP server on 127.0.0.1, routed by path prefix.

``/arxiv/…`` goes to :mod:`tests.sources.fakes.arxiv`'s ``handle(path, query)``, and so on for
each name in :data:`HANDLERS`; a handler is a plain function returning (status, content type,
body). Tests program faults (429/503 with or without Retry-After, 500, a hang, a malformed body,
a gzip bomb, a dropped connection) and read the request log, whose times come from ``clock`` (a
test's fake clock, so pacing is measured where the client keeps it).
"""

from __future__ import annotations

import contextlib
import gzip
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.sources.fakes import anthology, arxiv, crossref, datacite, dblp, semanticscholar

Handler = Callable[[str, dict[str, str]], tuple[int, str, bytes]]
HANDLERS: dict[str, Handler] = {
    "arxiv": arxiv.handle,
    "crossref": crossref.handle,
    "datacite": datacite.handle,
    "semanticscholar": semanticscholar.handle,
    "dblp": dblp.handle,
    "anthology": anthology.handle,
}
SOURCES = ("arxiv", "crossref", "datacite", "semanticscholar", "dblp", "anthology")
FAULTS = ("429", "500", "503", "hang", "malformed", "bomb", "drop")
BOMB = 40 * 2**20  # bytes of zeros, gzipped to about 40 KB: over the client's 32 MiB cap


@dataclass
class Fault:
    kind: str
    source: str = ""  # "" for every source
    times: int = 1
    retry_after: str | None = None


@dataclass(frozen=True)
class Logged:
    source: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    at: float  # on the server's clock


@dataclass
class FakeSources:
    clock: Callable[[], float] = time.monotonic
    faults: list[Fault] = field(default_factory=list)
    log: list[Logged] = field(default_factory=list)
    hang_seconds: float = 5.0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.fake = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    def url(self, source: str) -> str:
        return f"{self.base_url}/{source}"

    def fail(self, kind: str, source: str = "", *, times: int = 1, retry_after: str | None = None) -> None:
        assert kind in FAULTS, kind
        with self.lock:
            self.faults.append(Fault(kind, source, times, retry_after))

    def requests(self, source: str = "") -> list[Logged]:
        with self.lock:
            return [r for r in self.log if source in ("", r.source)]

    def start(self) -> FakeSources:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def _fault(self, source: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.source in ("", source) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet about connections a fault (or an impatient client) closed; anything else is printed."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        fake: FakeSources = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        source, _, rest = parts.path.lstrip("/").partition("/")
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        with fake.lock:
            fake.log.append(
                Logged(source, "/" + rest, query, {k.lower(): v for k, v in self.headers.items()}, fake.clock())
            )
        fault = fake._fault(source)
        if fault and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault and fault.kind == "hang":
            fake.stopping.wait(fake.hang_seconds)
        if fault and fault.kind in ("429", "500", "503"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            return self._send(int(fault.kind), "text/plain", b"Rate exceeded.", headers)
        handler = HANDLERS.get(source)
        if handler is None:
            return self._send(404, "text/plain", b"no such fake service")
        status, kind, body = handler("/" + rest, query)
        if fault and fault.kind == "malformed":
            body = body[: len(body) // 2] or b"<"
        if fault and fault.kind == "bomb":
            return self._send(200, kind, gzip.compress(b"\0" * BOMB, 1), {"Content-Encoding": "gzip"})
        self._send(status, kind, body)

    def _send(self, status: int, kind: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(ConnectionError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        """Quiet: the request log is the record."""


@pytest.fixture
def fake_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeSources]:
    """The fake services, started, with every ``SYNDATA_*_URL`` pointing at them and the cache in tmp_path."""
    fake = FakeSources().start()
    for source in SOURCES:
        monkeypatch.setenv(f"SYNDATA_{source.upper()}_URL", fake.url(source))
    monkeypatch.setenv("SYNDATA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SYNDATA_MAILTO", raising=False)
    monkeypatch.delenv("SEMANTIC_SCHOLAR_API_KEY", raising=False)
    try:
        yield fake
    finally:
        fake.stop()
