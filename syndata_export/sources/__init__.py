"""Papers from their sources: what every source client shares (the answer, the errors, the endpoints).

Each source module turns a service's answer into a :class:`Found`, in the catalogue's own field
names, so the commands compare and write one shape whatever the service.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol

from syndata_export.errors import RemoteError

DEFAULT_URLS = {
    "arxiv": "https://export.arxiv.org/api",
    "crossref": "https://api.crossref.org",
    "datacite": "https://api.datacite.org",
    "semanticscholar": "https://api.semanticscholar.org/graph/v1",
    "dblp": "https://dblp.org",
    "anthology": "https://aclanthology.org",
}


@dataclass
class Found:
    """What one source says about one paper: ``fields`` as a catalogue record, ``published`` as its
    ``published:`` block when the source knows a peer-reviewed version; only what the source says."""

    source: str
    fields: dict[str, Any]
    published: dict[str, Any] | None = None
    evidence: str = ""


class Getter(Protocol):
    """What a source module needs of the HTTP stack (``sources.http.Http``): one GET that returns
    only a 200 answer, raising :class:`NotFound` on 404 and :class:`SourceError` on any other failure."""

    def get(self, source: str, url: str, params: dict[str, Any] | None = None) -> Any: ...


class SourceError(RemoteError):
    """A source failed or answered something unreadable; the message starts with its name."""


class NotFound(SourceError):
    """The source has no such paper (HTTP 404)."""


def base_url(source: str) -> str:
    """The source's endpoint: ``SYNDATA_<SOURCE>_URL`` when set (tests, mirrors), else the public service."""
    return (os.environ.get(f"SYNDATA_{source.upper()}_URL") or DEFAULT_URLS[source]).rstrip("/")
