"""Zotero item data → catalogue-shaped fields: the sync's tables read backwards, for ``pull``; pure.

:func:`to_record` inverts ``mapping.ITEM_TYPES``, ``mapping.FIELDS`` and ``mapping.CREATOR_TYPES``
and ``csl.DIRECT``, and undoes what ``csl.py`` and ``mapping.py`` derive (the arXiv ID written as a
preprint's ``archiveID`` ``arXiv:ID`` or an ``arXiv: ID`` line of Extra, the ``arXiv`` repository of
a preprint, the citation key in ``citationKey`` or Extra, a URL made from an ACL Anthology or
OpenReview ID), so that an item the sync wrote reads back as the version of the paper it wrote.
What the catalogue does not model (other creators, abstracts, ISBNs…) comes back listed, never
dropped silently.

Extra is read the way Zotero reads it (notes §4.1): a ``Label: value`` line whose label, normalised,
names a CSL variable or a Zotero field of the tables fills that field when the item leaves it empty
(the first such line wins); the lines left over are the free note, which is Zotero's own CSL
mapping (``extra`` ↔ ``note``) and where the sync writes the catalogue's ``note``.

Titles come back as Zotero holds them without rich-text markup: the sync writes them in sentence
case (``casing.csl_title``), which cannot be undone, so a title matches its catalogue spelling up to
case. Dates come back as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` from the forms Zotero's date
parser reads (``_DATE_FORMS``); a date that says something else, or a numeric date whose day and
month could be either, is :class:`Unmappable` rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from syndata_export import csl, identifiers, validate
from syndata_export.errors import SyndataError, UsageError
from syndata_export.zotero import mapping


class Unmappable(SyndataError):
    """A Zotero item whose data the catalogue cannot hold: names the item, the field and its value."""

    def __init__(self, key: str, field: str, value: Any, why: str, hint: str = "") -> None:
        shown = f" {str(value)!r}" if value not in ("", None) else ""
        super().__init__(f"item {key or '(no key)'}: {field}{shown} {why}", hint)
        self.key, self.field, self.value = key, field, value


# Zotero item type → catalogue (CSL) type
TYPES = {item_type: csl_type for csl_type, item_type in mapping.ITEM_TYPES.items()}
# CSL variable → catalogue field: csl.DIRECT inverted, plus the variables csl.py writes by hand
VARIABLES = {variable: name for name, variable in csl.DIRECT.items() if variable != "note"}
VARIABLES |= {"title": "title", "page": "pages", "DOI": "doi", "URL": "url"}
# Zotero item type → its own field → catalogue field
_FIELDS = {
    item_type: {field: VARIABLES[variable] for variable, field in fields.items() if variable in VARIABLES}
    for item_type, fields in mapping.FIELDS.items()
}
# the CSL name variable of each Zotero creator type; the catalogue models ``author`` only
_NAMES = {creator_type: variable for variable, creator_type in mapping.CREATOR_TYPES.items()}
# fields a record gets from the paper itself, whichever version the sync writes (see catalogue_paths)
RECORD_ONLY = ("key", "aliases", "arxiv", "arxiv_class", "tags")
# item properties that are not bibliographic fields, and the fields read apart from the table
_NOT_FIELDS = {"key", "version", "itemType", "dateAdded", "dateModified", "collections", "relations", "deleted"}
_NOT_FIELDS |= {"parentItem", "inPublications", "tags", "creators", "extra", "citationKey", "title", "date"}
SHOWN = 80  # characters of an unmodelled value that the list shows


def _label(text: str) -> str:
    """A field label as Zotero matches Extra lines: camelCase and spaces to kebab-case, lower case."""
    return re.sub(r"[\s_]+", "-", re.sub(r"([a-z])([A-Z])", r"\1-\2", text.strip())).lower()


# Extra line label → CSL variable, for every variable and Zotero field the tables name
_EXTRA_LABELS = {_label(field): v for fields in mapping.FIELDS.values() for v, field in fields.items()}
_EXTRA_LABELS |= {_label(v): v for fields in mapping.FIELDS.values() for v in fields}
_EXTRA_LABELS |= {_label(v): v for v in VARIABLES}
_FIELD_LINE = re.compile(r"([A-Za-z][A-Za-z _-]*):\s*(\S.*?)\s*")
_ARXIV_ID = rf"(?P<id>{identifiers.ARXIV_NEW.pattern}|{identifiers.ARXIV_OLD.pattern})"
_ARXIV_LINE = re.compile(rf"(?i:arxiv):\s*{_ARXIV_ID}(?:\s*\[(?P<cls>[^\]\s]+)\])?\s*")  # archiveID or Extra
_ARXIV_URL = re.compile(rf"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/{_ARXIV_ID}(?:\.pdf)?/?", re.IGNORECASE)
_ARXIV_DOI = re.compile(rf"10\.48550/arXiv\.{_ARXIV_ID}", re.IGNORECASE)
ARXIV_REPOSITORY = "arXiv"  # what csl.py writes as a preprint's publisher when it names none


def to_record(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A Zotero item's ``data`` → (catalogue-shaped fields, what the catalogue does not model).

    The fields are those of :func:`catalogue_paths`; the list reads ``"field: value"`` (values cut to
    :data:`SHOWN` characters) for fields, other creators (``"editor: Smith, Jane"``) and Extra lines
    of fields the catalogue lacks (``"extra: ISBN: …"``). Raises :class:`Unmappable` for an item type
    the catalogue has no type for or a date that is not one.
    """
    key = str(data.get("key") or "")
    item_type = data.get("itemType")
    if item_type not in TYPES:
        raise Unmappable(key, "itemType", item_type, "is not a type the catalogue maps", "one of " + ", ".join(TYPES))
    record: dict[str, Any] = {"type": TYPES[item_type]}
    unmodelled: list[str] = []
    title = _text(data.get("title"))
    if plain := mapping.MARKUP.sub("", title).strip():
        record["title"] = plain
        if any(not _NOCASE.fullmatch(tag) for tag in mapping.MARKUP.findall(title)):
            unmodelled.append(_listed("title", title))  # italics, sub/superscripts: the catalogue has none
    authors = _creators(data, unmodelled)
    if authors:
        record["authors"] = authors
    if when := _text(data.get("date")):
        record["date"] = normalised_date(when, key)
    arxiv = _arxiv(data)
    own = _FIELDS[item_type]
    for name, value in data.items():
        text = _text(value)
        if not text or name in _NOT_FIELDS or (name == "archiveID" and _ARXIV_LINE.fullmatch(text)):
            continue
        if name in own:
            record[own[name]] = text
        else:
            unmodelled.append(_listed(name, text))
    note = _read_extra(data, record, unmodelled)
    if record.get("type") == "article" and arxiv and record.get("publisher") == ARXIV_REPOSITORY:
        del record["publisher"]
    record.update(arxiv)
    record.update(_landing_page(record.get("url")))
    if cited := mapping.citation_key(data):
        record["key"] = cited
    if note:
        record["note"] = note
    tags = [str(t.get("tag") or "").strip() for t in data.get("tags") or []]
    if tags := list(dict.fromkeys(t for t in tags if t)):
        record["tags"] = tags
    return record, unmodelled


def catalogue_paths(record: Mapping[str, Any], prefer: str = "published") -> dict[str, str]:
    """Where each field :func:`to_record` gives belongs in ``record``, for the version the sync writes.

    With a ``published`` block and ``prefer`` published, the sync writes the published version, so an
    edit of its title belongs at ``published.title`` even while the block inherits the preprint's
    (the preprint is another version, which the member did not see). The paper's own fields
    (:data:`RECORD_ONLY`) live at the top whichever version is written.
    """
    if prefer not in csl.PREFER:
        raise UsageError(f"unknown --prefer value {prefer!r}", "use " + " or ".join(csl.PREFER))
    published = prefer == "published" and isinstance(record.get("published"), Mapping)
    paths = {name: f"published.{name}" if published else name for name in validate.PUBLISHED_FIELDS}
    return paths | {name: name for name in RECORD_ONLY}


# -- creators ------------------------------------------------------------------------------------

_NOCASE = re.compile(r'</?span(?: class="nocase")?>')  # the markup csl_title writes, and its end


def _creators(data: Mapping[str, Any], unmodelled: list[str]) -> list[Any]:
    authors: list[Any] = []
    for creator in data.get("creators") or []:
        name = _name(creator)
        if name is None:
            continue
        creator_type = str(creator.get("creatorType") or "author")
        if _NAMES.get(creator_type) == "author":
            authors.append(name)
        else:
            shown = name if isinstance(name, str) else ", ".join(name.values())
            unmodelled.append(_listed(creator_type, shown))
    return authors


def _name(creator: Mapping[str, Any]) -> str | dict[str, str] | None:
    """A creator as the catalogue writes an author: ``"Family, Given"``, or ``{literal: …}`` when single-field.

    The sync writes a suffix after the given name (``"Jane, Jr."``): that comes back as the
    catalogue's ``"Family, Jr., Given"``. A name the text form would split differently than Zotero
    does (a comma inside it) comes back as a mapping, which the catalogue takes as it is.
    """
    single = _text(creator.get("name"))
    family, given = _text(creator.get("lastName")), _text(creator.get("firstName"))
    if single or not (family and given):
        whole = single or family or given
        return {"literal": whole} if whole else None  # an organisation, or one name: the catalogue's literal
    if "," in family:
        return {"family": family, "given": given}
    if "," not in given:
        return f"{family}, {given}"
    parts = [part.strip() for part in given.split(",")]
    if all(parts) and ", ".join(parts) == given:
        return f"{family}, {parts[-1]}, {', '.join(parts[:-1])}"
    return {"family": family, "given": given}


# -- Extra, arXiv, landing pages ------------------------------------------------------------------


def _read_extra(data: Mapping[str, Any], record: dict[str, Any], unmodelled: list[str]) -> str:
    """Fill empty fields from Extra's field lines; list the unmodelled ones; give back the free note."""
    note: list[str] = []
    for line in str(data.get("extra") or "").splitlines():
        if line.startswith(mapping.MARKER_PREFIX) or mapping.key_line(line) or _ARXIV_LINE.fullmatch(line.strip()):
            continue
        if line.startswith(f"{mapping.ALIASES_LABEL}:"):
            record["aliases"] = [a.strip() for a in line.split(":", 1)[1].split(",") if a.strip()]
            continue
        match = _FIELD_LINE.fullmatch(line)
        variable = _EXTRA_LABELS.get(_label(match.group(1))) if match else None
        if match and variable in VARIABLES:
            record.setdefault(VARIABLES[variable], match.group(2))
        elif match and variable:
            unmodelled.append(_listed("extra", line.strip()))
        else:
            note.append(line)
    return "\n".join(note).strip()


def _arxiv(data: Mapping[str, Any]) -> dict[str, str]:
    """The arXiv ID (and class, when given) from archiveID, Extra, the URL or the DOI: first found wins."""
    texts = [_text(data.get("archiveID")), *(line.strip() for line in str(data.get("extra") or "").splitlines())]
    for pattern, text in [
        *((_ARXIV_LINE, t) for t in texts),
        (_ARXIV_URL, _text(data.get("url"))),
        (_ARXIV_DOI, _text(data.get("DOI"))),
    ]:
        if match := pattern.fullmatch(text):
            found = {"arxiv": match.group("id")}
            if (cls := match.groupdict().get("cls")) and identifiers.ARXIV_CLASS.fullmatch(cls):
                found["arxiv_class"] = cls
            return found
    return {}


def _landing_page(url: Any) -> dict[str, str]:
    """The ACL Anthology or OpenReview ID a URL is the landing page of (csl.LANDING_PAGES read back)."""
    for name, template in csl.LANDING_PAGES.items():
        before, _, after = template.partition("{}")
        if (
            isinstance(url, str)
            and (match := re.fullmatch(re.escape(before) + "(.+)" + re.escape(after), url))
            and validate.COMMON[name](match.group(1)) is None
        ):
            return {name: match.group(1)}
    return {}


# -- dates -----------------------------------------------------------------------------------------

_MONTHS = "january february march april may june july august september october november december".split()  # noqa: SIM905
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# The forms Zotero's date parser (zotero/utilities date.js, strToDate) reads without a locale's
# help: year first with - / . (SQL and ISO 8601, a time of day after it ignored), English month
# names before or after the day, and day and month as numbers before the year, whose order Zotero
# takes from the user's locale: read here only when the numbers themselves decide it.
_DATE_FORMS = [
    re.compile(rf"(?P<y>\d{{4}})(?:[-/.](?P<m>\d{{1,2}})(?:[-/.](?P<d>\d{{1,2}}){_TIME})?)?"),
    re.compile(r"(?P<mn>[A-Za-z]+)\.?,? (?:(?P<d>\d{1,2})(?:st|nd|rd|th)?,? )?(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\.? (?P<mn>[A-Za-z]+)\.?,? (?P<y>\d{4})"),
    re.compile(r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})"),
]
_DATE_HINT = "write it as YYYY-MM-DD, YYYY-MM or YYYY"


def normalised_date(text: str, key: str = "") -> str:
    """A Zotero ``date`` as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; :class:`Unmappable` when it is none."""
    plain = " ".join(text.split())
    for form in _DATE_FORMS:
        if match := form.fullmatch(plain):
            parts = match.groupdict()
            break
    else:
        raise Unmappable(key, "date", text, "is not a date the catalogue can hold", _DATE_HINT)
    year, month, day = int(parts["y"]), int(parts.get("m") or 0), int(parts.get("d") or 0)
    if parts.get("mn"):
        month = _month(parts["mn"], key, text)
    if parts.get("a"):
        month, day = _month_and_day(int(parts["a"]), int(parts["b"]), key, text)
    try:
        date(year, month or 1, day or 1)
    except ValueError as error:
        raise Unmappable(key, "date", text, f"is not a date ({error})", _DATE_HINT) from None
    return "-".join([f"{year:04d}", *(f"{p:02d}" for p in (month, day) if p)])


def _month(name: str, key: str, text: str) -> int:
    found = [i for i, month in enumerate(_MONTHS, 1) if len(name) >= 3 and month.startswith(name.lower())]
    if len(found) != 1:
        raise Unmappable(key, "date", text, f"names no month ({name!r})", _DATE_HINT)
    return found[0]


def _month_and_day(first: int, second: int, key: str, text: str) -> tuple[int, int]:
    """``2/21/2024`` is February 21 and ``21.02.2024`` too; ``2/3/2024`` could be either month."""
    if first == second or second > 12 >= first or min(first, second) > 12:  # the last: no date at all
        return first, second
    if first > 12 >= second:
        return second, first
    raise Unmappable(key, "date", text, "could be read day-first or month-first", _DATE_HINT)


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _listed(name: str, value: str) -> str:
    flat = " ".join(value.split())
    return f"{name}: {flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + '…'}"
