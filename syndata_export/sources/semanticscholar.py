"""Semantic Scholar's Graph API: a preprint's record by its arXiv id, with the published version S2 merged in.

S2 clusters the arXiv, DBLP and publisher records of one paper, so ``paper/ARXIV:ID`` can name the
peer-reviewed version (its DOI, ACL Anthology id, venue and date) even when the title changed on
publication. Parsers are pure (bytes → :class:`Found`); the fetchers only build the request.
"""

from __future__ import annotations

import json
from typing import Any

from syndata_export import identity
from syndata_export.sources import NotFound, SourceError
from syndata_export.sources.found import Found
from syndata_export.sources.http import Http, base_url
from syndata_export.sources.names import catalogue_name

SOURCE = "semanticscholar"
# The default answer is only paperId and title; these are the documented fields a match needs.
FIELDS = "externalIds,title,authors,year,venue,publicationVenue,journal,publicationTypes,publicationDate"
SEARCH_LIMIT = 10
# publicationVenue.type, else publicationTypes, → the catalogue's (CSL) type
VENUE_TYPES = {"conference": "paper-conference", "journal": "article-journal"}
PUBLICATION_TYPES = {"Conference": "paper-conference", "JournalArticle": "article-journal"}
ARXIV_VENUES = {"", "arxiv", "arxiv.org"}  # how S2 names arXiv itself (compared case-folded)


def by_arxiv(http: Http, arxiv_id: str) -> Found | None:
    """S2's record for an arXiv paper (any version: S2 knows the paper, not the version), or None."""
    url = f"{base_url(SOURCE)}/paper/ARXIV:{identity.arxiv(arxiv_id)}"
    try:
        response = http.get(SOURCE, url, {"fields": FIELDS})
    except NotFound:
        return None
    return parse_paper(response.content)


def search(http: Http, title: str) -> list[Found]:
    """Papers whose title is like ``title``; S2 checks no authors, so callers must (see the match guard)."""
    params = {"query": title, "fields": FIELDS, "limit": str(SEARCH_LIMIT)}
    return parse_search(http.get(SOURCE, f"{base_url(SOURCE)}/paper/search", params).content)


def parse_paper(body: bytes) -> Found:
    """One ``/paper/{id}`` answer → a :class:`Found`."""
    record = _json(body)
    if not isinstance(record, dict) or not isinstance(record.get("title"), str):
        raise SourceError(f"{SOURCE}: malformed answer: a paper without a title")
    return _found(record)


def parse_search(body: bytes) -> list[Found]:
    """One ``/paper/search`` answer (``{total, offset, data}``) → its papers, in S2's order."""
    answer = _json(body)
    data = answer.get("data", []) if isinstance(answer, dict) else None  # no hits: no "data"
    if not isinstance(data, list) or not all(isinstance(r, dict) and isinstance(r.get("title"), str) for r in data):
        raise SourceError(f"{SOURCE}: malformed answer: search results are not a list of papers")
    return [_found(record) for record in data]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as error:  # UnicodeDecodeError is a ValueError too
        raise SourceError(f"{SOURCE}: malformed answer: not JSON ({error})") from None


def _found(record: dict[str, Any]) -> Found:
    ids = _dict(record.get("externalIds"))
    fields: dict[str, Any] = {"title": " ".join(record["title"].split())}
    if authors := _authors(record.get("authors")):
        fields["authors"] = authors
    if isinstance(ids.get("ArXiv"), str):
        fields["arxiv"] = ids["ArXiv"]
    published = _published(record, ids, fields)
    if published is None and (date := _date(record)):
        fields["date"] = date  # an arXiv-only record's date is the preprint's
    links = ", ".join(f"{name} {ids[name]}" for name in ("ArXiv", "DOI", "ACL", "DBLP") if ids.get(name))
    venue = record.get("venue") or "no venue"
    evidence = f"{SOURCE} {record.get('paperId', '?')}: {links or 'no external ids'}; {venue}"
    return Found(SOURCE, fields, published, evidence)


def _published(record: dict[str, Any], ids: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any] | None:
    """The peer-reviewed version, when the record names one: a publisher DOI, an Anthology id or a
    venue that is not arXiv. S2 adds no arXiv DOIs itself, but one can arrive through DBLP."""
    doi = ids.get("DOI") if isinstance(ids.get("DOI"), str) else None
    if doi and identity.identity("doi", doi) == identity.identity("arxiv", fields.get("arxiv")):
        doi = None
    venue = _dict(record.get("publicationVenue"))
    container = venue.get("name") or record.get("venue") or ""
    if not isinstance(container, str) or container.casefold() in ARXIV_VENUES:
        container = ""
    acl = ids.get("ACL") if isinstance(ids.get("ACL"), str) else None
    if not (doi or acl or container):
        return None
    published: dict[str, Any] = {}
    types = record.get("publicationTypes") or []
    kind = VENUE_TYPES.get(venue.get("type", "")) or next(
        (PUBLICATION_TYPES[t] for t in types if t in PUBLICATION_TYPES), None
    )
    if kind:
        published["type"] = kind
    published.update({k: v for k, v in fields.items() if k in ("title", "authors")})
    if container:
        published["container"] = container
    if date := _date(record):
        published["date"] = date
    journal = _dict(record.get("journal"))
    if str(journal.get("name", "")).casefold() in ARXIV_VENUES - {""}:
        journal = {}  # arXiv's own "volume" (abs/ID) is no venue's
    for ours, theirs in (("volume", "volume"), ("pages", "pages")):
        if isinstance(journal.get(theirs), str) and journal[theirs].strip():
            published[ours] = journal[theirs].strip()
    if doi:
        published["doi"] = doi.lower()  # S2 upper-cases DOIs; DOIs ignore case and ours are written lower
    if acl:
        published["acl_anthology"] = acl
    return published


def _authors(authors: Any) -> list[str]:
    if not isinstance(authors, list):
        return []
    return [catalogue_name(a["name"]) for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]


def _date(record: dict[str, Any]) -> str | None:
    """``publicationDate`` (``YYYY-MM-DD``), which may be null while ``year`` is set."""
    if isinstance(record.get("publicationDate"), str):
        return str(record["publicationDate"])
    year = record.get("year")
    return str(year) if isinstance(year, int) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
