"""DBLP's publication search (JSON): a paper's records, the CoRR preprint and the venue's, by their links.

DBLP keeps the arXiv (CoRR) record and the venue's record apart, each with its own key; a record
that lists the arXiv abstract page or the arXiv DOI among its electronic editions (``ee``) is the
same paper whatever its title became. The JSON keeps XML's shapes: one author is an object and not
a list, ``ee`` and ``venue`` may be either, every number is text, no hits means no ``hit`` key,
titles end with a period, and homonyms carry a four-digit suffix ("Yu Sun 0020"). Venue names are
DBLP's abbreviations ("ACL (1)"), so they go to the evidence, never to a container.
"""

from __future__ import annotations

import json
import re
from typing import Any

from syndata_export import identity
from syndata_export.sources import SourceError
from syndata_export.sources.found import Found
from syndata_export.sources.http import Http, base_url
from syndata_export.sources.names import catalogue_name

SOURCE = "dblp"
HITS = 100
HOMONYM = re.compile(r"\s+\d{4}\Z")
ARXIV_PAGE = re.compile(r"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?\Z", re.IGNORECASE)
DOI_PAGE = re.compile(r"https?://(?:dx\.)?doi\.org/(10\..+)\Z", re.IGNORECASE)
ANTHOLOGY_PAGE = re.compile(r"https?://(?:www\.)?aclanthology\.org/([^/]+?)/?\Z", re.IGNORECASE)
OPENREVIEW_PAGE = re.compile(r"https?://openreview\.net/(?:forum|pdf)\?id=([A-Za-z0-9_-]+)\Z")
TYPES = {"Conference and Workshop Papers": "paper-conference", "Journal Articles": "article-journal"}
PREPRINT = "Informal and Other Publications"  # CoRR's records (and other informal ones)


def by_arxiv(http: Http, arxiv_id: str) -> list[Found]:
    """Every record that lists this arXiv paper among its electronic editions (CoRR's and a venue's)."""
    wanted = identity.arxiv(arxiv_id)
    return [found for found, ee in _search(http, wanted) if wanted in _arxiv_links(ee)]


def search(http: Http, title: str) -> list[Found]:
    """Records whose title is like ``title``, in DBLP's order; the caller checks the authors."""
    return [found for found, _ in _search(http, title)]


def parse_search(body: bytes) -> list[Found]:
    """One search answer → its records, in DBLP's order."""
    return [found for found, _ in _parse(body)]


def _search(http: Http, query: str) -> list[tuple[Found, list[str]]]:
    params = {"q": query, "format": "json", "h": str(HITS), "c": "0"}
    return _parse(http.get(SOURCE, f"{base_url(SOURCE)}/search/publ/api", params).content)


def _parse(body: bytes) -> list[tuple[Found, list[str]]]:
    try:
        hits = json.loads(body)["result"]["hits"]
    except (ValueError, KeyError, TypeError) as error:
        raise SourceError(f"{SOURCE}: malformed answer: not a search result ({error!r})") from None
    found = []
    for hit in _listed(hits.get("hit") if isinstance(hits, dict) else None):
        info = hit.get("info") if isinstance(hit, dict) else None
        if not isinstance(info, dict) or not isinstance(info.get("title"), str):
            raise SourceError(f"{SOURCE}: malformed answer: a hit without a title")
        ee = [e for e in _listed(info.get("ee")) if isinstance(e, str)]
        found.append((_found(info, ee), ee))
    return found


def _found(info: dict[str, Any], ee: list[str]) -> Found:
    fields: dict[str, Any] = {"title": _title(info["title"])}
    if authors := _authors(info.get("authors")):
        fields["authors"] = authors
    if isinstance(info.get("year"), str):
        fields["date"] = info["year"]
    venue = ", ".join(v for v in _listed(info.get("venue")) if isinstance(v, str))
    evidence = f"{SOURCE} {info.get('key', '?')}: {venue or 'no venue'} {info.get('year', '')}".rstrip()
    if info.get("type") == PREPRINT:
        return Found(SOURCE, fields | _preprint(info, ee), None, evidence)
    return Found(SOURCE, fields, _published(info, ee, fields), evidence)


def _preprint(info: dict[str, Any], ee: list[str]) -> dict[str, Any]:
    """A CoRR record: the arXiv id from its links (the arXiv DOI written as the catalogue writes it)."""
    ids = _arxiv_links(ee + [f"https://doi.org/{d}" for d in _listed(info.get("doi")) if isinstance(d, str)])
    if not ids:
        return {"type": "article"}
    arxiv = ids[0]
    return {
        "type": "article",
        "arxiv": arxiv,
        "doi": f"10.48550/arXiv.{arxiv}",
        "url": f"https://arxiv.org/abs/{arxiv}",
    }


def _published(info: dict[str, Any], ee: list[str], fields: dict[str, Any]) -> dict[str, Any]:
    published: dict[str, Any] = {}
    if kind := TYPES.get(str(info.get("type"))):
        published["type"] = kind
    published.update(fields)
    for ours, theirs in (("volume", "volume"), ("issue", "number"), ("pages", "pages")):
        if isinstance(info.get(theirs), str):
            published[ours] = info[theirs]
    if isinstance(info.get("doi"), str):
        published["doi"] = info["doi"].lower()  # DBLP upper-cases DOIs; DOIs ignore case, ours are lower
    for link in ee:
        if match := ANTHOLOGY_PAGE.match(link):
            published.setdefault("acl_anthology", match.group(1))
        elif match := OPENREVIEW_PAGE.match(link):
            published.setdefault("openreview", match.group(1))
    return published


def _arxiv_links(ee: list[str]) -> list[str]:
    """The arXiv ids (without version) an ``ee`` list names, by abstract/PDF page or arXiv DOI."""
    ids = []
    for link in ee:
        page, doi = ARXIV_PAGE.match(link), DOI_PAGE.match(link)
        found = (
            identity.identity("arxiv", page.group(1))
            if page
            else identity.identity("doi", doi.group(1))
            if doi
            else None
        )
        if found and found[0] == "arxiv" and found[1] not in ids:
            ids.append(found[1])
    return ids


def _title(title: str) -> str:
    """DBLP ends every title with a period, which is not part of it (a "?" or "!" is kept)."""
    title = " ".join(title.split())
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _authors(authors: Any) -> list[str]:
    people = _listed(authors.get("author")) if isinstance(authors, dict) else []
    names = [p.get("text") if isinstance(p, dict) else p for p in people]
    return [catalogue_name(HOMONYM.sub("", n)) for n in names if isinstance(n, str) and n.strip()]


def _listed(value: Any) -> list[Any]:
    """DBLP writes one of a kind as the value itself and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
