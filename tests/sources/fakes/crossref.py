"""The fake Crossref REST API: ``/works/{doi}`` and ``/works?query.bibliographic=``, in Crossref's JSON.

It holds the versions of record our catalogue names with a publisher DOI, and the decoy's. Kept
from the real service (metadata-apis.md §2, §8): titles and container titles are lists, volume,
issue and page are strings, ``issued.date-parts``, ``author[].affiliation`` and ``relation``
always present, an unknown DOI (arXiv's 10.48550 ones too) is a plain-text 404, a bad ``rows`` a 400
``validation-failure``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from tests.sources.fakes.papers import Paper, given_family, published_dois

JSON = "application/json"
TYPES = {"paper-conference": "proceedings-article", "article-journal": "journal-article"}


def handle(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
    if path.startswith("/works/"):
        paper = published_dois().get(unquote(path[len("/works/") :]).lower())
        if paper is None:
            return 404, "text/plain", b"Resource not found."
        return (
            200,
            JSON,
            _json({"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": work(paper)}),
        )
    if path == "/works":
        rows = query.get("rows", "20")
        if not rows.isdigit() or not 0 <= int(rows) <= 1000:
            failure = [
                {"type": "integer-not-valid", "value": rows, "message": "Integer specified as rows is not valid"}
            ]
            return 400, JSON, _json({"status": "failed", "message-type": "validation-failure", "message": failure})
        ranked = _search(query.get("query.bibliographic", ""))[: int(rows)]
        message = {"facets": {}, "total-results": len(ranked), "items": ranked, "items-per-page": int(rows)}
        return (
            200,
            JSON,
            _json({"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}),
        )
    return 404, "text/plain", b"Resource not found."


def work(paper: Paper) -> dict[str, Any]:
    record, published = paper.record, paper.record["published"]
    year, *rest = (int(n) for n in str(published["date"]).split("-"))
    message: dict[str, Any] = {
        "DOI": published["doi"],
        "type": TYPES[published["type"]],
        "title": [published.get("title", record["title"])],
        "subtitle": [],
        "author": [
            {"given": g, "family": f, "sequence": "first" if i == 0 else "additional", "affiliation": []}
            for i, (g, f) in enumerate(given_family(a) for a in published.get("authors", record["authors"]))
        ],
        "container-title": [published["container"]],
        "issued": {"date-parts": [[year, *rest]]},
        "relation": {},
        "URL": f"https://doi.org/{published['doi']}",
        "prefix": published["doi"].split("/")[0],
        "member": "1",
        "score": 1.0,
    }
    for ours, theirs in (("pages", "page"), ("volume", "volume"), ("issue", "issue"), ("publisher", "publisher")):
        if ours in published:
            message[theirs] = str(published[ours])
    if "place" in published:
        message["event"] = {"name": published["container"], "location": published["place"]}
    return message


def _search(text: str) -> list[dict[str, Any]]:
    words = set(re.findall(r"\w+", text.lower()))
    scored = []
    for paper in published_dois().values():
        item = work(paper)
        overlap = len(words & set(re.findall(r"\w+", item["title"][0].lower())))
        if overlap:
            scored.append((-overlap, item["DOI"], {**item, "score": float(overlap)}))
    return [item for *_, item in sorted(scored)]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()
