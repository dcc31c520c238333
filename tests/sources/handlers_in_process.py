"""The HTTP contract served in-process by the fake handlers: parser tests without a socket or a server.

``get(source, url, params)`` answers as ``sources.http.Http`` does: a 200 response, ``NotFound``
on 404, ``SourceError`` on anything else. Every request is logged as (source, path, params).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx2

from syndata_export.sources import NotFound, SourceError
from tests.sources.fakes import anthology, dblp, semanticscholar

HANDLERS = {"semanticscholar": semanticscholar.handle, "dblp": dblp.handle, "anthology": anthology.handle}
HOST = "http://fake.invalid"


class StandIn:
    def __init__(self) -> None:
        self.log: list[tuple[str, str, dict[str, str]]] = []
        self.override: dict[str, tuple[int, str, bytes]] = {}  # source → the answer to give instead

    def get(self, source: str, url: str, params: dict[str, Any] | None = None) -> httpx2.Response:
        path = urlsplit(url).path.removeprefix(f"/{source}")
        query = {k: str(v) for k, v in (params or {}).items()}
        self.log.append((source, path, query))
        status, content_type, body = self.override.get(source) or HANDLERS[source](path, query)
        if status == 404:
            raise NotFound(f"{source}: not found: {url}")
        if status != 200:
            raise SourceError(f"{source}: HTTP {status}")
        return httpx2.Response(status, content=body, headers={"content-type": content_type})


def served(monkeypatch: Any) -> StandIn:
    """A stand-in, with every graph source's base URL pointed at it."""
    for source in HANDLERS:
        monkeypatch.setenv(f"SYNDATA_{source.upper()}_URL", f"{HOST}/{source}")
    return StandIn()
