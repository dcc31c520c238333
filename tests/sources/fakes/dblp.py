"""A fake of DBLP's publication search (``/search/publ/api``), from our papers' facts.

Each arXiv paper has its CoRR record (``ee`` one arXiv DOI link, as text); each published one also
has its venue's record (``ee`` a list: the publisher's pages and the arXiv abstract). The XML-born
JSON shapes are kept: string numbers, one author as an object, no ``hit`` key on zero hits, titles
ending with a period, homonym suffixes on common names. Search is DBLP's: every query word must
begin a word of the record (title, authors, venue, year, links).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from tests.sources.fakes import papers

# DBLP's venue abbreviations for our containers (never a container title; see sources/dblp.py)
VENUES = {
    "Proceedings of the 2024 Conference on Empirical Methods in Natural Language Processing": "EMNLP",
    "The Thirteenth International Conference on Learning Representations": "ICLR",
    "First Conference on Language Modeling": "COLM",
    "Findings of the Association for Computational Linguistics: ACL 2025": "ACL (Findings)",
    "Transactions on Machine Learning Research": "Trans. Mach. Learn. Res.",
    "Proceedings of the AAAI Conference on Artificial Intelligence": "AAAI",
    "Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)": (
        "ACL (1)"
    ),
    "Proceedings of the Workshop on Annotation Tools": "AnnoTools@LREC",
}
HOMONYMS = {"Wei Wang": "0010", "Yong Liu": "0002", "Li Dong": "0004", "Yue Huang": "0001"}
TYPES = {"paper-conference": "Conference and Workshop Papers", "article-journal": "Journal Articles"}


def handle(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
    if path != "/search/publ/api":
        return 404, "text/html", b"<html><body>Not Found</body></html>"
    if query.get("format") != "json":  # DBLP answers XML unless asked
        return 200, "application/xml", b'<?xml version="1.0"?><result><hits total="0"/></result>'
    words = re.findall(r"\w+", query.get("q", "").lower())
    found = [hit for hit in hits() if words and all(_begins_a_word(w, hit["info"]) for w in words)]
    found = found[: int(query.get("h", "30"))]
    result: dict[str, Any] = {"@total": str(len(found)), "@computed": str(len(found)), "@sent": str(len(found))}
    result["@first"] = "0"
    if found:
        result["hit"] = found
    body = {"result": {"query": query.get("q", ""), "status": {"@code": "200", "text": "OK"}, "hits": result}}
    return 200, "application/json", json.dumps(body).encode()


def hits() -> list[dict[str, Any]]:
    out = []
    for paper in papers.known():
        if paper.get("arxiv"):
            out.append(_hit(_corr(paper)))
        if paper.get("published"):
            out.append(_hit(_venue(paper)))
    return out


def _corr(paper: dict[str, Any]) -> dict[str, Any]:
    arxiv = paper["arxiv"]
    info = _common(paper["title"], paper["authors"], paper["date"][:4])
    info |= {"venue": "CoRR", "volume": f"abs/{arxiv}", "type": "Informal and Other Publications"}
    info |= {"key": f"journals/corr/abs-{arxiv.replace('.', '-')}", "doi": f"10.48550/ARXIV.{arxiv}"}
    info["ee"] = f"https://doi.org/10.48550/arXiv.{arxiv}"
    return info


def _venue(paper: dict[str, Any]) -> dict[str, Any]:
    pub = papers.version(paper)
    venue = VENUES[pub["container"]]
    info = _common(pub["title"], pub["authors"], pub["date"][:4])
    info |= {"venue": venue, "type": TYPES[pub["type"]]}
    short = re.sub(r"\W.*", "", venue).lower()
    info["key"] = f"conf/{short}/{paper['key']}"
    info |= {
        theirs: pub[ours]
        for ours, theirs in (("pages", "pages"), ("volume", "volume"), ("issue", "number"))
        if ours in pub
    }
    ee = []
    if pub.get("doi"):
        info["doi"] = pub["doi"].upper()
        ee.append(f"https://doi.org/{pub['doi']}")
    if pub.get("acl_anthology"):
        ee.append(f"https://aclanthology.org/{pub['acl_anthology']}")
    if pub.get("openreview"):
        ee.append(f"https://openreview.net/forum?id={pub['openreview']}")
    if paper.get("arxiv"):
        ee.append(f"https://arxiv.org/abs/{paper['arxiv']}")
    info["ee"] = ee[0] if len(ee) == 1 else ee
    return info


def _common(title: str, authors: list[str], year: str) -> dict[str, Any]:
    people = [{"@pid": f"00/{1000 + i}", "text": _homonym(papers.display(n))} for i, n in enumerate(authors)]
    return {"authors": {"author": people[0] if len(people) == 1 else people}, "title": f"{title}.", "year": year}


def _homonym(name: str) -> str:
    return f"{name} {HOMONYMS[name]}" if name in HOMONYMS else name


def _hit(info: dict[str, Any]) -> dict[str, Any]:
    number = str(int(hashlib.sha1(info["key"].encode()).hexdigest()[:6], 16))
    return {
        "@score": "1",
        "@id": number,
        "info": info | {"access": "open", "url": f"https://dblp.org/rec/{info['key']}"},
    }


def _begins_a_word(word: str, info: dict[str, Any]) -> bool:
    text = json.dumps({k: info[k] for k in ("title", "authors", "venue", "year", "ee", "volume") if k in info})
    return any(w.startswith(word) for w in re.findall(r"\w+", text.lower()))
