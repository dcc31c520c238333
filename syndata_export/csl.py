"""Records → CSL-JSON items: the hub every output is made from; pure.

Preprints look the way Zotero exports arXiv preprints (type ``article``, ``number`` ``arXiv:ID``,
``publisher`` arXiv, the arXiv DOI and URL, no ``genre``), so APA prints "(arXiv:ID). arXiv."
and every CSL style treats them as Zotero users see them. Published versions carry their own
type, container, pages and DOI. What CSL has no variable for (the section, the arXiv ID of a
published paper, code and project links) travels in ``custom``, which the CSL-JSON schema allows
and processors ignore.

An author list imported with "et al." (``custom.authors_incomplete``, exported only when the user
allows it) reaches CSL processors as the authors known followed by :data:`ET_AL`
(:func:`with_et_al`): the name pandoc's BibTeX reader makes of BibTeX's ``and others``, which
pandoc's citeproc prints as the style's "et al." (CSL itself has no way to say it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from syndata_export import casing
from syndata_export.errors import UsageError

if TYPE_CHECKING:  # records come in, items go out; the catalogue's own modules need this one
    from syndata_export.catalogue import Catalogue, Record

PREFER = ("published", "preprint")
ET_AL = {"literal": "others"}  # the last name of an incomplete author list, as CSL processors read it


class Custom(TypedDict, total=False):
    """What CSL has no variable for, carried in each item's ``custom``; every output reads it here."""

    section: str  # the catalogue section the paper is listed under
    version: Literal["published", "preprint"]  # which version of the paper the item cites
    title_as_published: str  # the title as written (CSL's ``title`` is sentence case): BibTeX braces this
    arxiv: str  # the preprint's arXiv id, kept on published items too
    arxiv_class: str
    arxiv_url: str
    acl_anthology: str  # of the version cited
    openreview: str  # of the version cited
    code: str  # link to the paper's code
    project: str  # link to the paper's project page
    authors_incomplete: bool  # an imported "et al." list that nobody has completed yet
    aliases: list[str]  # the paper's former keys, which every output keeps working where it can


def custom(item: Mapping[str, Any]) -> Custom:
    """The item's :class:`Custom` part (empty for an item that is not ours)."""
    return item.get("custom") or Custom()


def with_et_al(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` as a CSL processor should read it: an incomplete author list ends in :data:`ET_AL`."""
    if not custom(item).get("authors_incomplete") or not item.get("author"):
        return item
    return {**item, "author": [*item["author"], dict(ET_AL)]}


# catalogue field → CSL variable, for the fields that map one to one
DIRECT = {
    "container": "container-title",
    "volume": "volume",
    "issue": "issue",
    "publisher": "publisher",
    "place": "publisher-place",
    "note": "note",
}
# where a published version's URL comes from when it gives none itself
LANDING_PAGES = {
    "acl_anthology": "https://aclanthology.org/{}/",
    "openreview": "https://openreview.net/forum?id={}",
}


def parse_name(name: Any) -> dict[str, str]:
    """``"Family, Given"`` (or ``"Family, Jr., Given"``, or a mapping) → a CSL name."""
    if isinstance(name, dict):
        return {k: str(v) for k, v in name.items() if k in ("family", "given", "literal") and v}
    return dict(_name_parts(str(name)))  # a new dict each time: callers own their items


@lru_cache(maxsize=65536)  # a catalogue names the same people again and again
def _name_parts(name: str) -> dict[str, str]:
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 1:
        return {"literal": parts[0]}
    if len(parts) == 2:
        return {"family": parts[0], "given": parts[1]}
    return {"family": parts[0], "suffix": parts[1], "given": ", ".join(parts[2:])}


def date_parts(value: Any) -> dict[str, list[list[int]]]:
    """``2024``, ``"2024-02"`` or ``"2024-02-21"`` → CSL ``{"date-parts": [[…]]}``."""
    return {"date-parts": [[int(p) for p in str(value).split("-")]]}


def pages(value: Any) -> str:
    """Page ranges with a plain hyphen, as CSL-JSON expects (styles choose the dash)."""
    return re.sub(r"\s*(?:--|–|-)\s*", "-", str(value))


def to_csl(catalogue: Catalogue, prefer: str = "published", sections: list[str] | None = None) -> list[dict]:
    """One CSL item per paper, in catalogue order; the catalogue must already be valid."""
    if prefer not in PREFER:
        raise UsageError(f"unknown --prefer value {prefer!r}", "use published or preprint")
    wanted = {_same_text(s) for s in sections or ()}
    if wanted:
        known = {_same_text(s) for s in catalogue.sections}
        unknown = [s for s in sections or () if _same_text(s) not in known]
        if unknown:
            raise UsageError(f"unknown section {unknown[0]!r}", "sections are: " + ", ".join(catalogue.sections))
    terms = tuple(catalogue.protected_terms)
    return [
        record_to_csl(record, terms, prefer)
        for record in catalogue.records
        if not wanted or _same_text(str(record.fields.get("section"))) in wanted
    ]


def _same_text(name: str) -> str:
    """A section name as typed in a terminal (which may send decomposed accents) or in the file."""
    return unicodedata.normalize("NFC", name)


def record_to_csl(record: Record, terms: tuple[str, ...] = (), prefer: str = "published") -> dict[str, Any]:
    """One paper as a CSL item: its published version unless ``prefer`` is ``preprint``."""
    fields = record.fields
    published = fields.get("published") if prefer == "published" else None
    version = dict(fields, **published) if published else fields
    item: dict[str, Any] = {
        "id": record.key,
        "citation-key": record.key,
        "type": version["type"],
        "title": casing.csl_title(version["title"], terms),
        "author": [parse_name(a) for a in version["authors"]],
        "issued": date_parts(version["date"]),
    }
    if published:
        _published_fields(item, published)
    else:
        _own_fields(item, fields)
    if fields.get("tags"):
        item["keyword"] = ", ".join(fields["tags"])
    item["custom"] = _custom(fields, "published" if published else "preprint", version["title"])
    return item


def _own_fields(item: dict[str, Any], fields: dict[str, Any]) -> None:
    """The record as it stands: an arXiv preprint the way Zotero exports one, or any other type."""
    for name, variable in DIRECT.items():
        if fields.get(name) is not None:
            item[variable] = str(fields[name])
    if fields.get("pages"):
        item["page"] = pages(fields["pages"])
    if fields.get("arxiv") and fields["type"] == "article":
        item["number"] = f"arXiv:{fields['arxiv']}"
        item.setdefault("publisher", "arXiv")
    if fields.get("doi"):
        item["DOI"] = fields["doi"]
    url = fields.get("url") or (f"https://arxiv.org/abs/{fields['arxiv']}" if fields.get("arxiv") else None)
    if url:
        item["URL"] = url


def _published_fields(item: dict[str, Any], published: dict[str, Any]) -> None:
    """The peer-reviewed version: only what the published record itself says, nothing of the preprint."""
    for name, variable in DIRECT.items():
        if published.get(name) is not None:
            item[variable] = str(published[name])
    if published.get("pages"):
        item["page"] = pages(published["pages"])
    if published.get("doi"):
        item["DOI"] = published["doi"]
    url = published.get("url")
    for field, template in LANDING_PAGES.items():
        if not url and published.get(field):
            url = template.format(published[field])
    if url:
        item["URL"] = url


def _custom(fields: dict[str, Any], version: Literal["published", "preprint"], title: str) -> Custom:
    custom = Custom(section=fields["section"], version=version, title_as_published=title)
    custom.update({name: fields[name] for name in _CARRIED if fields.get(name)})  # type: ignore[typeddict-item]
    cited = (fields.get("published") or {}) if version == "published" else fields
    custom.update({name: cited[name] for name in _CITED if cited.get(name)})  # type: ignore[typeddict-item]
    if fields.get("arxiv"):
        custom["arxiv_url"] = f"https://arxiv.org/abs/{fields['arxiv']}"
    return custom


# from the record, whichever version
_CARRIED = ("arxiv", "arxiv_class", "code", "project", "authors_incomplete", "aliases")
_CITED = ("acl_anthology", "openreview")  # from the version cited
