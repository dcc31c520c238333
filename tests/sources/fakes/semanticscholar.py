"""A fake of Semantic Scholar's Graph API (``/paper/{id}``, ``/paper/search``), from our papers' facts.

Shapes as documented: records merged with their published version (publisher DOI upper-cased,
``publicationDate`` null while ``year`` is set), arXiv-only records (venue ``arXiv.org``, a venue
without ``type``, journal ``ArXiv`` ``abs/ID``), id prefixes in any case, ``fields`` filtering with
400 for an unknown field, 404 ``{"error": …}``.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from syndata_export import identity
from tests.sources.fakes import papers

KNOWN_FIELDS = {"paperId", "externalIds", "title", "authors", "year", "venue", "publicationVenue", "journal"}
KNOWN_FIELDS |= {"publicationTypes", "publicationDate", "url", "corpusId"}
ARXIV_VENUE = {"id": "1901e811-ee72-4b20-8f7e-de08cd395a10", "name": "arXiv.org", "alternate_names": ["ArXiv"]}
ARXIV_VENUE |= {"issn": "2331-8422", "url": "https://arxiv.org"}
JSON = "application/json"


def handle(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
    fields = [f for f in query.get("fields", "title").split(",") if f]
    if unknown := [f for f in fields if f not in KNOWN_FIELDS]:
        return _answer(400, {"error": f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"})
    if path == "/paper/search":
        found = _search(query.get("query", ""))[: int(query.get("limit", "100"))]
        return _answer(200, {"total": len(found), "offset": 0, "data": [_only(r, fields) for r in found]})
    if path.startswith("/paper/") and (record := _lookup(path[len("/paper/") :])):
        return _answer(200, _only(record, fields))
    return _answer(404, {"error": f"Paper with id {path.rsplit('/', 1)[-1]} not found"})


def record(paper: dict[str, Any]) -> dict[str, Any]:
    """One paper as S2 holds it: the preprint merged with its published version, when there is one."""
    key = paper["key"]
    ids: dict[str, Any] = {"DBLP": _dblp_key(paper)}
    if paper.get("arxiv"):
        ids["ArXiv"] = paper["arxiv"]
    out: dict[str, Any] = {"paperId": hashlib.sha1(key.encode()).hexdigest(), "externalIds": ids}
    pub = paper.get("published")
    current = papers.version(paper) if pub else paper
    out["title"] = current["title"]
    out["authors"] = [{"authorId": str(1000 + i), "name": papers.display(n)} for i, n in enumerate(current["authors"])]
    if pub:
        kind = "journal" if pub["type"] == "article-journal" else "conference"
        out |= {"venue": pub["container"], "year": int(pub["date"][:4]), "publicationDate": None}
        out["publicationVenue"] = {"id": hashlib.md5(pub["container"].encode()).hexdigest(), "name": pub["container"]}
        out["publicationVenue"]["type"] = kind
        out["publicationTypes"] = ["JournalArticle" if kind == "journal" else "Conference"]
        out["journal"] = {"name": pub["container"]} | {k: pub[k] for k in ("volume", "pages") if k in pub}
        if pub.get("doi"):
            ids["DOI"] = pub["doi"].upper()
        if pub.get("acl_anthology"):
            ids["ACL"] = pub["acl_anthology"]
    else:
        out |= {"venue": "arXiv.org", "year": int(paper["date"][:4]), "publicationDate": paper["date"]}
        out |= {"publicationVenue": ARXIV_VENUE, "publicationTypes": ["JournalArticle"]}
        out["journal"] = {"name": "ArXiv", "volume": f"abs/{paper['arxiv']}"}
    ids["CorpusId"] = int(out["paperId"][:7], 16)
    return out


def _lookup(paper_id: str) -> dict[str, Any] | None:
    kind, _, value = paper_id.partition(":")
    for paper in papers.known():
        rec = record(paper)
        ids = rec["externalIds"]
        wanted = {
            "arxiv": identity.arxiv(value) == ids.get("ArXiv"),
            "doi": identity.doi(value) == identity.doi(ids.get("DOI", "")),
            "acl": value == ids.get("ACL"),
        }
        if wanted.get(kind.lower()) or paper_id == rec["paperId"]:
            return rec
    return None


def _search(text: str) -> list[dict[str, Any]]:
    """Relevance as a share of the query's words in the title; half of them is enough to be listed."""
    words = set(re.findall(r"\w+", text.lower()))
    scored = []
    for paper in papers.known():
        rec = record(paper)
        share = len(words & set(re.findall(r"\w+", rec["title"].lower()))) / max(len(words), 1)
        if share >= 0.5:
            scored.append((-share, rec["title"], rec))
    return [rec for *_, rec in sorted(scored, key=lambda s: s[:2])]


def _dblp_key(paper: dict[str, Any]) -> str:
    return f"journals/corr/abs-{paper['arxiv'].replace('.', '-')}" if paper.get("arxiv") else f"conf/x/{paper['key']}"


def _only(rec: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {"paperId": rec["paperId"]} | {f: rec[f] for f in fields if f in rec}


def _answer(status: int, body: Any) -> tuple[int, str, bytes]:
    return status, JSON, json.dumps(body).encode()
