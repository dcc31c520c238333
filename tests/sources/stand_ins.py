"""Stand-ins for the sources, answering from the shipped catalogue's own facts (in process, no HTTP).

Each record of catalogue.yaml is what arXiv says of its preprint; its ``published:`` block is what
Semantic Scholar's ``ARXIV:`` record names (with the version's title and authors, as S2 gives
them), and, for a DOI or Anthology id, what the venue's own record holds. One decoy has a
near-identical title by other people. The end-to-end tests through the fake servers are separate.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

from syndata_export import catalogue
from syndata_export.errors import UsageError
from syndata_export.sources import NotFound, SourceError
from syndata_export.sources.found import Found
from tests.conftest import REPO

SHIPPED = catalogue.load(REPO / "catalogue.yaml")
RECORDS = {r.key: copy.deepcopy(r.fields) for r in SHIPPED.records}
DECOY = Found(
    "semanticscholar",
    {
        "type": "paper-conference",
        "title": "UniGen: a unified framework for textual dataset generation with large language models",
        "authors": ["Moreau, Claire", "Okafor, Ngozi", "Lindqvist, Erik"],
        "date": "2025",
    },
    {"type": "paper-conference", "container": "Workshop on Data Generation", "date": "2025", "doi": "10.9999/decoy.1"},
    "decoy",
)


def preprint(fields: dict) -> Found:
    """What arXiv says of a record's preprint: the record's own fields, nothing about versions."""
    names = ("type", "title", "authors", "date", "arxiv", "arxiv_class")
    return Found("arxiv", {k: str(fields[k]) if k == "date" else fields[k] for k in names if k in fields})


def version(fields: dict) -> dict:
    """The published version with its title and authors spelt out, as an index reports it."""
    block = dict(fields["published"])
    block.setdefault("title", fields["title"])
    block.setdefault("authors", fields["authors"])
    return {k: str(v) if k == "date" else v for k, v in block.items()}


class Sources:
    """A :class:`~syndata_export.sources.match.Lookup` over ``RECORDS``; ``fail`` makes a source raise."""

    def __init__(self, records: dict | None = None, fail: dict | None = None, search: list | None = None) -> None:
        self.records = RECORDS if records is None else records
        self.fail = fail or {}
        self.searched = search
        self.asked: list[tuple[str, str]] = []

    def _ask(self, source: str, what: str) -> None:
        self.asked.append((source, what))
        if source in self.fail:
            raise self.fail[source]

    def arxiv(self, ids: list[str]) -> dict[str, Found]:
        self._ask("arxiv", ",".join(ids))
        by_id = {f.get("arxiv"): f for f in self.records.values()}
        return {i: preprint(by_id[i]) for i in ids if i in by_id}

    def _published(self, name: str, value: str) -> dict:
        for fields in self.records.values():
            block = fields.get("published") or {}
            if str(block.get(name, "")).lower() == value.lower():
                return fields
        raise NotFound(f"{'crossref' if name == 'doi' else 'anthology'}: no paper {value}")

    def doi(self, doi: str) -> Found:
        self._ask("crossref", doi)
        fields = self._published("doi", doi)
        return Found("crossref", version(fields))

    def anthology(self, anthology_id: str) -> Found:
        self._ask("anthology", anthology_id)
        fields = self._published("acl_anthology", anthology_id)
        return Found("anthology", version(fields))

    def s2_by_arxiv(self, arxiv_id: str) -> Found | None:
        self._ask("semanticscholar", arxiv_id)
        fields = next((f for f in self.records.values() if f.get("arxiv") == arxiv_id), None)
        if fields is None:
            return None
        known = version(fields) if "published" in fields else None
        if known:  # S2 names the venue and the version's ids, not the venue's pages or place
            known = {k: v for k, v in known.items() if k not in ("pages", "publisher", "place", "volume", "issue")}
        return Found("semanticscholar", preprint(fields).fields, known, f"paperId s2-{arxiv_id}")

    def dblp_by_arxiv(self, arxiv_id: str) -> list[Found]:
        self._ask("dblp", arxiv_id)
        return []

    def search(self, title: str) -> list[Found]:
        self._ask("search", title)
        if self.searched is not None:
            return self.searched
        hits = [DECOY]
        for fields in self.records.values():
            if fields["title"].lower()[:20] == title.lower()[:20]:
                hits.append(
                    Found(
                        "semanticscholar", preprint(fields).fields, version(fields) if "published" in fields else None
                    )
                )
        return hits


def parse_id(text: str) -> SimpleNamespace:
    """The few forms these tests paste; the real reader is syndata_export.sources.ids."""
    text = text.strip()
    for prefix, kind in (("arXiv:", "arxiv"), ("doi:", "doi"), ("acl:", "anthology")):
        if text.startswith(prefix):
            return SimpleNamespace(kind=kind, value=text[len(prefix) :])
    if text[:4].isdigit() and "." in text and "-" not in text:
        return SimpleNamespace(kind="arxiv", value=text)
    if text.startswith("10."):
        return SimpleNamespace(kind="doi", value=text)
    raise UsageError(f"{text!r} is no identifier we know", "an arXiv id (2406.18966), a DOI (10.…) or an Anthology id")


def down(source: str) -> dict:
    return {source: SourceError(f"{source}: cannot connect (connection refused)")}
