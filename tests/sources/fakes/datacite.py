"""The fake DataCite REST API: ``/dois/10.48550/arXiv.{id}`` in JSON:API, as arXiv's DOIs are registered.

Kept from the real service (metadata-apis.md §3, §8): the DOI is matched case-insensitively and
answered in lower case; creators carry family and given names apart; array fields are always
present; an unknown DOI is a 404 with a JSON ``errors`` list.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from tests.sources.fakes.papers import Paper, by_arxiv, given_family

JSON = "application/vnd.api+json"
PREFIX = "10.48550/arxiv."


def handle(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
    doi = unquote(path[len("/dois/") :]).lower() if path.startswith("/dois/") else ""
    paper = by_arxiv(doi[len(PREFIX) :]) if doi.startswith(PREFIX) else None
    if paper is None:
        missing = {"errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]}
        return 404, JSON, json.dumps(missing).encode()
    return 200, JSON, json.dumps({"data": record(paper)}, ensure_ascii=False).encode()


def record(paper: Paper) -> dict[str, Any]:
    doi = PREFIX + paper.arxiv
    published_doi = paper.arxiv_doi or ""
    related = [{"relatedIdentifier": published_doi, "relatedIdentifierType": "DOI", "relationType": "IsVersionOf"}]
    attributes = {
        "doi": doi,
        "identifiers": [],
        "creators": [
            {
                "name": f"{family}, {given}",
                "nameType": "Personal",
                "givenName": given,
                "familyName": family,
                "affiliation": [],
                "nameIdentifiers": [],
            }
            for given, family in map(given_family, paper.record["authors"])
        ],
        "titles": [{"title": paper.record["title"]}],
        "publisher": "arXiv",
        "publicationYear": int(paper.date[:4]),
        "dates": [{"date": paper.date, "dateType": "Submitted"}, {"date": paper.date[:4], "dateType": "Issued"}],
        "types": {"resourceTypeGeneral": "Preprint", "citeproc": "article", "bibtex": "misc", "ris": "GEN"},
        "relatedIdentifiers": related if published_doi else [],
        "subjects": [],
        "descriptions": [],
        "url": f"https://arxiv.org/abs/{paper.arxiv}",
    }
    return {
        "id": doi,
        "type": "dois",
        "attributes": attributes,
        "relationships": {"client": {"data": {"id": "arxiv.content"}}},
    }
