"""sources.crossref: a DOI's own record from Crossref, and a title search that proposes candidates.

The work's record is the venue's word on container, pages, publisher, place, volume, issue and
date; the fields keep the catalogue's names. Search answers are candidates only: whether one is
the paper is decided by a guarded match elsewhere, never here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from syndata_export.sources import load_json, malformed
from syndata_export.sources.found import Found

if TYPE_CHECKING:
    from syndata_export.sources.http import Http

SOURCE = "crossref"
TYPES = {  # Crossref's work types → CSL, as Crossref's own CSL output maps them
    "proceedings-article": "paper-conference",
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "posted-content": "article",
    "report": "report",
    "dissertation": "thesis",
    "dataset": "dataset",
}
DATES = ("issued", "published", "published-print", "published-online")  # the first the work has
SEARCH_FIELDS = "DOI,title,author,issued,type,container-title,page,volume,issue,publisher,event"


def fetch(http: Http, doi: str) -> Found:
    response = http.get(SOURCE, f"{http.base_url(SOURCE)}/works/{quote(doi, safe='/:;()')}")
    message = load_json(SOURCE, response.content)
    if not isinstance(message, dict) or not isinstance(message.get("message"), dict):
        raise malformed(SOURCE, "no message")
    return work(message["message"])


def search(http: Http, title: str, rows: int = 5) -> list[Found]:
    response = http.get(
        SOURCE,
        f"{http.base_url(SOURCE)}/works",
        params={"query.bibliographic": title, "rows": rows, "select": SEARCH_FIELDS},
    )
    answer = load_json(SOURCE, response.content)
    items = answer.get("message", {}).get("items") if isinstance(answer, dict) else None
    if not isinstance(items, list):
        raise malformed(SOURCE, "no message.items")
    return [work(item) for item in items if isinstance(item, dict)]


def work(message: dict) -> Found:
    """One Crossref work (the ``message`` of ``/works/{doi}``, or a search item) → its fields."""
    doi = message.get("DOI")
    if not isinstance(doi, str):
        raise malformed(SOURCE, "a work without a DOI")
    fields: dict[str, Any] = {}
    if kind := TYPES.get(str(message.get("type"))):
        fields["type"] = kind
    if title := _first(message.get("title")):
        fields["title"] = title
    authors = [_name(a) for a in message.get("author") or [] if isinstance(a, dict)]
    if authors and all(authors):
        fields["authors"] = authors
    if date := _date(message):
        fields["date"] = date
    if container := _first(message.get("container-title")):
        fields["container"] = container
    for name, key in (("pages", "page"), ("volume", "volume"), ("issue", "issue"), ("publisher", "publisher")):
        if isinstance(value := message.get(key), str) and value.strip():
            fields[name] = re.sub(r"\s*[-–—]+\s*", "-", value.strip()) if name == "pages" else value.strip()
    event = message.get("event")
    place = (event.get("location") if isinstance(event, dict) else None) or message.get("publisher-location")
    if isinstance(place, str) and place.strip():
        fields["place"] = place.strip()
    fields["doi"] = doi
    return Found(SOURCE, fields, None, f"Crossref {doi}")


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str) and values[0].strip():
        return " ".join(values[0].split())
    return None


def _name(author: dict) -> str:
    family, given = author.get("family"), author.get("given")
    if isinstance(family, str) and family:
        return f"{family}, {given}" if isinstance(given, str) and given else family
    name = author.get("name")  # an organisation
    return name if isinstance(name, str) else ""


def _date(message: dict) -> str | None:
    for key in DATES:
        parts = (message.get(key) or {}).get("date-parts") if isinstance(message.get(key), dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            numbers = parts[0][:3]
            if all(isinstance(n, int) for n in numbers) and 1000 <= numbers[0] <= 9999:
                return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])
    return None
