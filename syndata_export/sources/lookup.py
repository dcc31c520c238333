"""The live :class:`~syndata_export.sources.match.Lookup`: each question sent to the source that answers it.

A DOI is asked of Crossref, then of DataCite (which registers the DOIs Crossref does not: Zenodo,
arXiv's own); a title of Semantic Scholar, DBLP and Crossref together, since each indexes what the
others miss. The source modules share one :class:`Http` (cache, pacing, retries).
"""

from __future__ import annotations

from typing import Any

from syndata_export.sources import NotFound, anthology, arxiv, crossref, datacite, dblp, semanticscholar
from syndata_export.sources.found import Found
from syndata_export.sources.http import Http

SEARCH_ROWS = 5  # Crossref hits per title: the guard looks at each, and the right one comes first


class Live:
    """Questions to the public services (or to what ``SYNDATA_*_URL`` names), through one ``http``."""

    def __init__(self, http: Http) -> None:
        self.http = http
        self.arxiv_records: dict[str, Found] = {}  # arXiv asks for ids in batches: what one batch gave is kept

    def arxiv(self, ids: list[str]) -> dict[str, Found]:
        missing = [i for i in ids if i not in self.arxiv_records]
        if missing:
            self.arxiv_records.update(arxiv.fetch(self.http, missing))
        return {i: self.arxiv_records[i] for i in ids if i in self.arxiv_records}

    def doi(self, doi: str) -> Found:
        try:
            return crossref.fetch(self.http, doi)
        except NotFound:
            return datacite.fetch(self.http, doi)

    def anthology(self, anthology_id: str) -> Found:
        return anthology.fetch(self.http, anthology_id)

    def s2_by_arxiv(self, arxiv_id: str) -> Found | None:
        return semanticscholar.by_arxiv(self.http, arxiv_id)

    def dblp_by_arxiv(self, arxiv_id: str) -> list[Found]:
        return dblp.by_arxiv(self.http, arxiv_id)

    def search(self, title: str) -> list[Found]:
        return [
            *semanticscholar.search(self.http, title),
            *dblp.search(self.http, title),
            *crossref.search(self.http, title, rows=SEARCH_ROWS),
        ]


def live(*, offline: bool = False, refresh: bool = False, on_wait: Any = None) -> Live:
    """The sources, with the disk cache as ``--offline``/``--refresh`` ask."""
    return Live(Http(offline=offline, refresh=refresh, on_wait=on_wait))
