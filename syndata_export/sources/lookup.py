"""The live :class:`~syndata_export.sources.match.Lookup`: each question sent to the source that answers it.

A DOI is asked of Crossref, then of DataCite (which registers the DOIs Crossref does not: Zenodo,
arXiv's own); a title of Semantic Scholar, DBLP and Crossref together, since each indexes what the
others miss. The source modules share one :class:`Http` (cache, pacing, retries).
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from syndata_export.sources import Found, NotFound

SEARCH_ROWS = 5  # Crossref hits per title: the guard looks at each, and the right one comes first


def _source(name: str) -> ModuleType:
    # by name: the source modules and this one were written side by side, and each stays importable alone
    return import_module(f"syndata_export.sources.{name}")


class Live:
    """Questions to the public services (or to what ``SYNDATA_*_URL`` names), through one ``http``."""

    def __init__(self, http: Any) -> None:
        self.http = http

    def arxiv(self, ids: list[str]) -> dict[str, Found]:
        return _source("arxiv").fetch(self.http, ids)

    def doi(self, doi: str) -> Found:
        try:
            return _source("crossref").fetch(self.http, doi)
        except NotFound:
            return _source("datacite").fetch(self.http, doi)

    def anthology(self, anthology_id: str) -> Found:
        return _source("anthology").fetch(self.http, anthology_id)

    def s2_by_arxiv(self, arxiv_id: str) -> Found | None:
        return _source("semanticscholar").by_arxiv(self.http, arxiv_id)

    def dblp_by_arxiv(self, arxiv_id: str) -> list[Found]:
        return _source("dblp").by_arxiv(self.http, arxiv_id)

    def search(self, title: str) -> list[Found]:
        return [
            *_source("semanticscholar").search(self.http, title),
            *_source("dblp").search(self.http, title),
            *_source("crossref").search(self.http, title, rows=SEARCH_ROWS),
        ]


def live(*, offline: bool = False, refresh: bool = False, on_wait: Any = None) -> Live:
    """The sources, with the disk cache as ``--offline``/``--refresh`` ask."""
    return Live(_source("http").Http(offline=offline, refresh=refresh, on_wait=on_wait))
