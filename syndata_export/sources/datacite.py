"""sources.datacite: a DOI's record from DataCite (JSON:API), where arXiv registers its ``10.48550`` DOIs.

DataCite gives what arXiv's Atom does not: each creator's family and given names apart. A record's
``relatedIdentifiers`` may link a preprint to its published version (``IsVersionOf``,
``IsPreprintOf``); such a DOI is kept as a hint in ``published``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from syndata_export.sources import load_json, malformed
from syndata_export.sources.found import Found
from syndata_export.validate import CSL_TYPES

if TYPE_CHECKING:
    from syndata_export.sources.http import Http

SOURCE = "datacite"
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.I)
PUBLISHED_RELATIONS = ("IsVersionOf", "IsPreprintOf")
DATE_TYPES = ("Submitted", "Issued", "Available", "Created")  # the first the record has is the paper's date


def fetch(http: Http, doi: str) -> Found:
    response = http.get(SOURCE, f"{http.base_url(SOURCE)}/dois/{quote(doi, safe='/')}")
    return parse(response.content)


def parse(body: bytes) -> Found:
    """A ``/dois/{doi}`` answer → the paper it describes."""
    data = load_json(SOURCE, body)
    attributes = data.get("data", {}).get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict) or not isinstance(attributes.get("doi"), str):
        raise malformed(SOURCE, "no data.attributes.doi")
    doi = attributes["doi"]
    arxiv = _ARXIV_DOI.fullmatch(doi)
    fields: dict[str, Any] = {}
    kind = (attributes.get("types") or {}).get("citeproc")
    if kind in CSL_TYPES:
        fields["type"] = kind
    titles = [t.get("title") for t in attributes.get("titles") or [] if isinstance(t, dict)]
    if titles and isinstance(titles[0], str):
        fields["title"] = " ".join(titles[0].split())
    authors = [_name(c) for c in attributes.get("creators") or [] if isinstance(c, dict)]
    if authors and all(authors):
        fields["authors"] = authors
    if date := _date(attributes):
        fields["date"] = date
    if arxiv:
        fields["arxiv"] = arxiv.group(1)
        doi = f"10.48550/arXiv.{arxiv.group(1)}"  # arXiv's own spelling; DataCite answers in lower case
    elif isinstance(publisher := attributes.get("publisher"), str) and publisher:
        fields["publisher"] = publisher
    fields["doi"] = doi
    if isinstance(url := attributes.get("url"), str) and url.startswith(("https://", "http://")):
        fields["url"] = url
    later = [
        r["relatedIdentifier"]
        for r in attributes.get("relatedIdentifiers") or []
        if isinstance(r, dict) and r.get("relationType") in PUBLISHED_RELATIONS
        if r.get("relatedIdentifierType") == "DOI" and isinstance(r.get("relatedIdentifier"), str)
    ]
    evidence = f"DataCite {doi}" + (f": a version of {later[0]}" if later else "")
    return Found(SOURCE, fields, {"doi": later[0]} if later else None, evidence)


def _name(creator: dict) -> str:
    family, given = creator.get("familyName"), creator.get("givenName")
    if isinstance(family, str) and family:
        return f"{family}, {given}" if isinstance(given, str) and given else family
    name = creator.get("name")
    return name if isinstance(name, str) else ""


def _date(attributes: dict) -> str | None:
    dates = {d.get("dateType"): d.get("date") for d in attributes.get("dates") or [] if isinstance(d, dict)}
    for kind in DATE_TYPES:
        if isinstance(value := dates.get(kind), str) and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value[:10]):
            return value[:10]
    year = attributes.get("publicationYear")
    return str(year) if isinstance(year, (int, str)) and re.fullmatch(r"\d{4}", str(year)) else None
