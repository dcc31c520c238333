"""CSL item → Zotero item JSON, and the canonical content that ownership and conflicts are judged on; pure.

The tables follow Zotero's own CSL mappings (schema.json v41, key ``csl``: ``types``,
``fields.text`` resolved through each type's base fields, ``names``), written out here for the
CSL types the catalogue allows; ``tests/zotero/test_mapping.py`` checks them against the schema.
A CSL variable the Zotero type has no field for goes into Extra as ``variable: value``, the
convention Zotero reads back (notes §4.1).

The citation key goes into the native ``citationKey`` field where the server's schema has it for
the item type (its ``Zotero-Schema-Version``: preprints since schema 14, the other types since 33,
the schema of Zotero 8), with no ``Citation Key:`` line in Extra. Where the schema lacks the field,
when its version is unknown, and with ``--citation-key extra`` (for groups with Zotero 7 members,
whose client rejects fields its schema lacks; notes §4) the key goes into Extra as
``Citation Key: KEY``, the line Better BibTeX reads and Zotero 8 migrates into the field. Keys are
read from either place, and a key already in the native field stays there (``with_native_key``).

Ownership needs no local state: the sync appends a marker line to Extra,
``syndata-export: <hash> <collection>``, where the hash covers the item's canonical content as
written. An item whose content no longer hashes to its marker was edited in Zotero. Canonical
content leaves out what members may change freely: collections, relations, manual tags (the sync
writes its tags as automatic ones, type 1), and where the citation key lives (Extra line or the
native field, so neither Better BibTeX's migration nor a change of ``--citation-key`` is an edit).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from syndata_export import csl, identity

# CSL type → Zotero item type (schema csl.types, first entry)
ITEM_TYPES = {
    "article": "preprint",
    "article-journal": "journalArticle",
    "paper-conference": "conferencePaper",
    "book": "book",
    "chapter": "bookSection",
    "report": "report",
    "thesis": "thesis",
    "webpage": "webpage",
}
# Zotero item type → CSL variable → that type's own field (base fields resolved; schema v41)
_COMMON = {
    "title": "title",
    "abstract": "abstractNote",
    "DOI": "DOI",
    "URL": "url",
    "language": "language",
    "title-short": "shortTitle",
    "publisher-place": "place",
}
FIELDS: dict[str, dict[str, str]] = {
    "preprint": {
        **_COMMON,
        "publisher": "repository",
        "number": "archiveID",
        "genre": "genre",
        "collection-title": "series",
        "collection-number": "seriesNumber",
    },
    "journalArticle": {
        **_COMMON,
        "container-title": "publicationTitle",
        "volume": "volume",
        "issue": "issue",
        "page": "pages",
        "publisher": "publisher",
        "collection-title": "seriesTitle",
        "ISSN": "ISSN",
    },
    "conferencePaper": {
        **_COMMON,
        "container-title": "proceedingsTitle",
        "event-title": "conferenceName",
        "event-place": "eventPlace",
        "volume": "volume",
        "issue": "issue",
        "page": "pages",
        "publisher": "publisher",
        "collection-title": "series",
        "collection-number": "seriesNumber",
        "ISBN": "ISBN",
        "ISSN": "ISSN",
    },
    "book": {
        **_COMMON,
        "publisher": "publisher",
        "volume": "volume",
        "edition": "edition",
        "number-of-pages": "numPages",
        "collection-title": "series",
        "collection-number": "seriesNumber",
        "ISBN": "ISBN",
        "ISSN": "ISSN",
    },
    "bookSection": {
        **_COMMON,
        "container-title": "bookTitle",
        "publisher": "publisher",
        "volume": "volume",
        "edition": "edition",
        "page": "pages",
        "collection-title": "series",
        "collection-number": "seriesNumber",
        "ISBN": "ISBN",
        "ISSN": "ISSN",
    },
    "report": {
        **_COMMON,
        "publisher": "institution",
        "number": "reportNumber",
        "genre": "reportType",
        "page": "pages",
        "collection-title": "seriesTitle",
        "collection-number": "seriesNumber",
        "ISBN": "ISBN",
        "ISSN": "ISSN",
    },
    "thesis": {
        **_COMMON,
        "publisher": "university",
        "genre": "thesisType",
        "number-of-pages": "numPages",
        "collection-title": "series",
        "collection-number": "seriesNumber",
        "ISBN": "ISBN",
        "ISSN": "ISSN",
    },
    "webpage": {**_COMMON, "container-title": "websiteTitle", "publisher": "publisher", "genre": "websiteType"},
}
# CSL name variable → Zotero creator type (schema csl.names, inverted)
CREATOR_TYPES = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "contributor": "contributor",
    "reviewed-author": "reviewedAuthor",
    "collection-editor": "seriesEditor",
    "container-author": "bookAuthor",
}
# CSL variables that never become a field or an Extra line (handled elsewhere or not Zotero data)
_NOT_FIELDS = {"id", "type", "citation-key", "issued", "keyword", "custom", "note", *CREATOR_TYPES}

CITATION_KEY_LABEL = "Citation Key"
MARKER_PREFIX = "syndata-export:"
# Better BibTeX keeps a paper's other citation keys in Extra as ``tex.ids: a, b`` and exports them as
# biblatex's ids; the sync writes a paper's former keys (``aliases``) the same way
ALIASES_LABEL = "tex.ids"
_MARKER_RE = re.compile(r"^syndata-export: ([0-9a-f]{16}) (.+)$")
_CITATION_KEY_RE = re.compile(r"^citation[ _-]?key:\s*(\S.*?)\s*$", re.IGNORECASE)
AUTOMATIC_TAG = 1


# Zotero item type → the schema version that gave it the native citationKey field, where not
# NATIVE_KEY_SINCE (notes §4: zotero-schema history, commits 1873057 and 55a1312)
NATIVE_KEY_SINCE_FOR = {"preprint": 14}
NATIVE_KEY_SINCE = 33


def has_native_citation_key(item_type: str, schema_version: int | None) -> bool:
    """Whether a server at ``schema_version`` has ``citationKey`` for ``item_type``.

    An unknown version (no ``Zotero-Schema-Version`` header) counts as without: the Extra line is
    safe for every client, the native field is not for a Zotero 7 member.
    """
    since = NATIVE_KEY_SINCE_FOR.get(item_type, NATIVE_KEY_SINCE)
    return schema_version is not None and schema_version >= since


def to_zotero(item: dict[str, Any], collection: str, schema_version: int | None = None) -> dict[str, Any]:
    """One CSL item as Zotero item ``data`` (no key, version or collections), marker included.

    ``schema_version`` is the server's schema when the key may go into the native field
    (``--citation-key native``); None keeps it in Extra.
    """
    data = _unmarked(item)
    if has_native_citation_key(data["itemType"], schema_version):
        data = with_native_key(data)
    return with_marker(data, collection)


def with_native_key(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with its citation key in ``citationKey`` and no ``Citation Key:`` line in Extra.

    The canonical content, and so the marker's hash, stays the same (see ``content``).
    """
    lines = _extra_lines(data)
    line = _first_key_line(lines)
    if line is not None:
        del lines[line]
    return dict(data, citationKey=citation_key(data), extra="\n".join(lines))


def with_marker(data: dict[str, Any], collection: str) -> dict[str, Any]:
    """``data`` with its Extra ending in the marker line for ``collection`` (any old markers removed)."""
    lines = [line for line in _extra_lines(data) if not line.startswith(MARKER_PREFIX)]
    lines.append(f"{MARKER_PREFIX} {content_hash(content(data))} {collection}")
    return dict(data, extra="\n".join(lines))


def _unmarked(item: dict[str, Any]) -> dict[str, Any]:
    item_type = ITEM_TYPES[item["type"]]
    fields = FIELDS[item_type]
    data: dict[str, Any] = {"itemType": item_type}
    extra = [f"{CITATION_KEY_LABEL}: {item['citation-key']}"]
    if aliases := csl.custom(item).get("aliases"):
        extra.append(f"{ALIASES_LABEL}: {', '.join(aliases)}")
    arxiv = csl.custom(item).get("arxiv")
    if arxiv and item_type != "preprint":
        extra.append(f"arXiv: {arxiv}")
    for variable in sorted(item):
        value = item[variable]
        if variable in _NOT_FIELDS or not isinstance(value, (str, int, float)) or str(value).strip() == "":
            continue
        if variable in fields:
            data[fields[variable]] = str(value).strip()
        else:
            extra.append(f"{variable}: {str(value).strip()}")
    if item.get("issued"):
        data["date"] = zotero_date(item["issued"])
    data["creators"] = [
        _creator(CREATOR_TYPES[variable], name) for variable in CREATOR_TYPES for name in item.get(variable) or []
    ]
    if item.get("note"):
        extra.append(str(item["note"]).strip())
    data["extra"] = "\n".join(extra)
    data["tags"] = [{"tag": tag, "type": AUTOMATIC_TAG} for tag in _tags(item)]
    return data


def _tags(item: dict[str, Any]) -> list[str]:
    """The section (one tag per section) and the paper's own keywords, without repeats."""
    section = csl.custom(item).get("section")
    keywords = [k.strip() for k in str(item.get("keyword") or "").split(",")]
    return list(dict.fromkeys(t for t in [section, *keywords] if t))


def _creator(creator_type: str, name: dict[str, Any]) -> dict[str, str]:
    if name.get("literal"):
        return {"creatorType": creator_type, "name": str(name["literal"])}
    family = " ".join(str(name[p]) for p in ("non-dropping-particle", "family") if name.get(p))
    given = " ".join(str(name[p]) for p in ("given", "dropping-particle") if name.get(p))
    if name.get("suffix"):
        given = f"{given}, {name['suffix']}" if given else str(name["suffix"])
    if not given:
        return {"creatorType": creator_type, "name": family}
    return {"creatorType": creator_type, "firstName": given, "lastName": family}


def zotero_date(issued: dict[str, Any]) -> str:
    """CSL ``{"date-parts": [[2024, 2, 21]]}`` → ``2024-02-21`` (what Zotero parses unambiguously)."""
    if "literal" in issued:
        return str(issued["literal"])
    parts = [int(p) for p in issued["date-parts"][0]]
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


# -- canonical content, hashing, markers ---------------------------------------------------------

# properties of item data that are not content: server-managed, or free for members to change
_NOT_CONTENT = {"key", "version", "dateAdded", "dateModified", "collections", "relations", "deleted", "tags"}
_NOT_CONTENT |= {"creators", "extra", "citationKey", "parentItem", "inPublications"}


def content(data: dict[str, Any]) -> dict[str, Any]:
    """What the ownership hash and the conflict report compare: a plain, order-stable dict."""
    out: dict[str, Any] = {
        k: str(v).strip() for k, v in data.items() if k not in _NOT_CONTENT and str(v or "").strip() != ""
    }
    out["creators"] = [
        {k: str(c[k]).strip() for k in ("creatorType", "name", "firstName", "lastName") if k in c}
        for c in data.get("creators") or []
    ]
    out["tags"] = sorted({str(t["tag"]).strip() for t in data.get("tags") or [] if t.get("type") == AUTOMATIC_TAG})
    lines = [line.rstrip() for line in _extra_lines(data) if not line.startswith(MARKER_PREFIX)]
    key = str(data.get("citationKey") or "").strip()
    line = _first_key_line(lines)
    if line is not None:
        key = key or str(key_line(lines.pop(line)))
    out["citationKey"] = key
    out["extra"] = "\n".join(line for line in lines if line.strip())
    return out


def content_hash(canonical: dict[str, Any]) -> str:
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def differing_fields(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """Names of the canonical properties where two contents differ, sorted."""
    return sorted(k for k in set(left) | set(right) if left.get(k, "") != right.get(k, ""))


def owners(data: dict[str, Any]) -> list[str]:
    """The collections whose sync owns the item (one marker line each)."""
    return [m.group(2) for line in _extra_lines(data) if (m := _MARKER_RE.match(line.rstrip()))]


def marker(data: dict[str, Any], collection: str) -> str | None:
    """The hash in this collection's marker line, or None when the sync does not own the item."""
    for line in _extra_lines(data):
        match = _MARKER_RE.match(line.rstrip())
        if match and match.group(2) == collection:
            return match.group(1)
    return None


def citation_key(data: dict[str, Any]) -> str:
    """The native field, else the first ``Citation Key:`` line of Extra (as ``content`` reads it)."""
    key = str(data.get("citationKey") or "").strip()
    return key or next((found for line in _extra_lines(data) if (found := key_line(line))), "")


def _first_key_line(lines: list[str]) -> int | None:
    """Where the ``Citation Key:`` line that counts (the first) is; the one the native field replaces."""
    return next((i for i, text in enumerate(lines) if key_line(text)), None)


def key_line(line: str) -> str | None:
    """The key a ``Citation Key: KEY`` line of Extra carries (None for any other line)."""
    match = _CITATION_KEY_RE.match(line.rstrip())
    return match.group(1) if match else None


def _extra_lines(data: dict[str, Any]) -> list[str]:
    return str(data.get("extra") or "").splitlines()


# -- what an unmanaged item may share with a paper (the one rule: identity.py) ---------------------

_ARXIV_RE = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arXiv[:. ]\s*|10\.48550/arXiv\.)(\d{4}\.\d{4,5})", re.IGNORECASE)
_DOI_LINE = re.compile(r"^DOI:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
MARKUP = re.compile(r"<[^>]+>")  # Zotero's rich-text title markup, e.g. <span class="nocase">


def identities(data: dict[str, Any]) -> set[identity.Identity]:
    """The DOIs, arXiv ids (in URL, archive id, number or Extra) and title an item carries."""
    text = " ".join(str(data.get(f) or "") for f in ("url", "archiveID", "DOI", "extra", "number"))
    found = [("doi", data.get("DOI")), *(("doi", d) for d in _DOI_LINE.findall(str(data.get("extra") or "")))]
    found += [("arxiv", a) for a in _ARXIV_RE.findall(text)]
    found.append(("title", MARKUP.sub("", str(data.get("title") or ""))))
    return {ident for kind, value in found if (ident := identity.identity(kind, value))}
