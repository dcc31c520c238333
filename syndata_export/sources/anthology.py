"""The ACL Anthology: a paper's own BibTeX (``{id}.bib``), the authority on its container, pages and DOI.

The Anthology has no search API; S2's ``externalIds.ACL`` and DBLP's links lead here. Its BibTeX
is read with bibtexparser (the version pyzotero already needs) and its LaTeX (``Vuli{\\'c}``,
``{E}nglish``, ``{``}…{''}``) decoded to text with pylatexenc. Identifiers, URLs and page numbers
are not LaTeX and are never decoded (``%`` in a URL is not a comment).
"""

from __future__ import annotations

import calendar
import re
from typing import Any

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import InvalidName, splitname
from pylatexenc.latex2text import LatexNodes2Text

from syndata_export.sources import SourceError
from syndata_export.sources.found import Found
from syndata_export.sources.http import Http, base_url

SOURCE = "anthology"
TYPES = {"inproceedings": "paper-conference", "article": "article-journal", "proceedings": "book", "book": "book"}
TEXT_FIELDS = {"title": "title", "container": "booktitle", "publisher": "publisher", "place": "address"}
PLAIN_FIELDS = {"volume": "volume", "issue": "number", "doi": "doi", "url": "url"}
MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
AND = re.compile(r"\s+and\s+")


def fetch(http: Http, anthology_id: str) -> Found:
    """The Anthology's record of one paper; :class:`NotFound` when it has none."""
    response = http.get(SOURCE, f"{base_url(SOURCE)}/{anthology_id}.bib")
    return parse_bibtex(response.content, anthology_id)


def parse_bibtex(body: bytes, anthology_id: str) -> Found:
    """One paper's ``.bib`` → a :class:`Found` whose fields and published block are that paper."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"{SOURCE}: malformed answer for {anthology_id}: not UTF-8 text") from None
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)  # month = nov → November
    entries = bibtexparser.loads(text, parser).entries
    if len(entries) != 1 or not entries[0].get("title"):
        raise SourceError(f"{SOURCE}: malformed answer for {anthology_id}: not one BibTeX entry with a title")
    try:
        version = _version(entries[0], anthology_id)
    except InvalidName as error:
        raise SourceError(f"{SOURCE}: malformed answer for {anthology_id}: {error}") from None
    evidence = f"{SOURCE} {anthology_id}: @{entries[0]['ENTRYTYPE']}{{{entries[0]['ID']}}}"
    return Found(SOURCE, version, dict(version), evidence)


def _version(entry: dict[str, str], anthology_id: str) -> dict[str, Any]:
    version: dict[str, Any] = {}
    if kind := TYPES.get(entry["ENTRYTYPE"].lower()):
        version["type"] = kind
    if entry.get("journal"):
        entry = {**entry, "booktitle": entry["journal"]}
    for ours, theirs in TEXT_FIELDS.items():
        if entry.get(theirs):
            version[ours] = _text(entry[theirs])
    if entry.get("author"):
        version["authors"] = [_person(name) for name in AND.split(entry["author"].strip())]
    if date := _date(entry):
        version["date"] = date
    if entry.get("pages"):
        version["pages"] = re.sub(r"\s*-+\s*", "-", entry["pages"].strip())  # BibTeX's "930--957"
    for ours, theirs in PLAIN_FIELDS.items():
        if entry.get(theirs):
            version[ours] = entry[theirs].strip()
    version["acl_anthology"] = anthology_id
    return version


def _person(name: str) -> str:
    """``Vuli{\\'c}, Ivan`` → ``Vulić, Ivan``: split by BibTeX's rules first, then decoded."""
    parts = splitname(name)
    family = _text(" ".join(parts["von"] + parts["last"]))
    given = _text(" ".join(parts["first"]))
    jr = _text(" ".join(parts["jr"]))
    return ", ".join(p for p in (family, jr, given) if p)


def _date(entry: dict[str, str]) -> str | None:
    year = entry.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return None
    month = MONTHS.get(entry.get("month", "").strip().casefold())
    return f"{year}-{month:02d}" if month else year


def _text(latex: str) -> str:
    return " ".join(LatexNodes2Text().latex_to_text(latex).split())
