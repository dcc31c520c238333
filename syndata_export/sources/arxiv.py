"""sources.arxiv: papers from the arXiv API (Atom), many ids in one request.

arXiv asks for one request every 3 s and ids batched into one ``id_list`` (its API terms), so
:func:`fetch` sends at most :data:`BATCH` ids a request. The feed is untrusted XML: defusedxml
refuses DTDs and entity expansion. What an entry gives: every author, the title (whitespace
normalised: arXiv wraps long titles), the date of version 1 (``<published>``; ``<updated>`` is the
version returned), the primary class, and, when the authors supplied them, the DOI and journal
reference of the published version (``arxiv:doi``, ``arxiv:journal_ref``), kept as hints.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXml
from defusedxml import DefusedXmlException

from syndata_export.sources import SourceError, malformed
from syndata_export.sources.found import Found
from syndata_export.sources.names import catalogue_name

if TYPE_CHECKING:
    from syndata_export.sources.http import Http

SOURCE = "arxiv"
BATCH = 100  # ids a request: arxiv.py's page size, far under the API's 2,000
NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
_ENTRY_ID = re.compile(r"https?://arxiv\.org/abs/(.+?)(v\d+)?")


def fetch(http: Http, ids: list[str]) -> dict[str, Found]:
    """Each requested id (as given) → its paper; an id arXiv does not know is absent from the answer."""
    found: dict[str, Found] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        response = http.get(
            SOURCE, f"{http.base_url(SOURCE)}/query", params={"id_list": ",".join(batch), "max_results": len(batch)}
        )
        papers = parse(response.content)
        for wanted in batch:
            if paper := papers.get(_unversioned(wanted)):
                found[wanted] = paper
    return found


def parse(body: bytes) -> dict[str, Found]:
    """An Atom feed → its papers by arXiv id without version; an API error entry is a SourceError."""
    try:
        feed = SafeXml.fromstring(body)
    except (SafeXml.ParseError, DefusedXmlException):
        raise malformed(SOURCE, "not well-formed XML, or XML with a DTD or entities") from None
    if feed.tag != f"{{{NS['atom']}}}feed":
        raise malformed(SOURCE, "not an Atom feed")
    papers: dict[str, Found] = {}
    for entry in feed.findall("atom:entry", NS):
        entry_id = _text(entry, "atom:id")
        if "api/errors" in entry_id:  # sent with 400, and sometimes with 200
            raise SourceError(f"{SOURCE}: {_text(entry, 'atom:summary') or 'the API refused the request'}")
        paper = _paper(entry, entry_id)
        papers.setdefault(paper.fields["arxiv"], paper)  # an old API repeated entries
    return papers


def _paper(entry: Element, entry_id: str) -> Found:
    match = _ENTRY_ID.fullmatch(entry_id)
    if not match:
        raise malformed(SOURCE, f"an entry's id is not an arXiv abstract link: {entry_id[:80]!r}")
    arxiv_id, version = match.group(1), match.group(2) or ""
    names = [" ".join((a.findtext("atom:name", "", NS)).split()) for a in entry.findall("atom:author", NS)]
    published, title = _text(entry, "atom:published"), _text(entry, "atom:title")
    if not (title and names and all(names) and re.match(r"\d{4}-\d\d-\d\d", published)):
        raise malformed(SOURCE, f"the entry for {arxiv_id} lacks a title, an author or its date")
    fields = {
        "type": "article",
        "title": title,
        "authors": [catalogue_name(name) for name in names],
        "date": published[:10],
        "arxiv": arxiv_id,
    }
    primary = entry.find("arxiv:primary_category", NS)
    if primary is not None and primary.get("term"):
        fields["arxiv_class"] = primary.get("term")
    fields["doi"] = f"10.48550/arXiv.{arxiv_id}"  # arXiv registers this DataCite DOI for every paper
    fields["url"] = f"https://arxiv.org/abs/{arxiv_id}"
    hints = {"doi": _text(entry, "arxiv:doi"), "note": _text(entry, "arxiv:journal_ref")}
    hints = {name: value for name, value in hints.items() if value}
    said = "; ".join(f"{'DOI' if name == 'doi' else 'journal reference'} {value}" for name, value in hints.items())
    evidence = f"arXiv {arxiv_id}{version}" + (f": the authors give {said}" if said else "")
    return Found(SOURCE, fields, hints or None, evidence)


def _text(entry: Element, path: str) -> str:
    return " ".join(entry.findtext(path, "", NS).split())


def _unversioned(arxiv_id: str) -> str:
    return re.sub(r"v\d+\Z", "", arxiv_id.strip())
