"""The one "same paper?" rule: two records name one paper when they share an identity; pure.

An identity is a ``(kind, value)`` pair, normalised so that the ways people write one identifier
compare equal: a DOI in any case or as a doi.org link, an arXiv id with or without its version
(and the arXiv DOI ``10.48550/arXiv.ID`` is that arXiv id too), an ACL Anthology or OpenReview
id, and the title with case, accents, punctuation and spacing removed. Validation (duplicates in
the catalogue), the README merge (papers already present) and the Zotero plan (member items that
are the paper) all ask this module, so they never disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from syndata_export import csl

Identity = tuple[str, str]  # (kind, normalised value)

KINDS = ("doi", "arxiv", "acl_anthology", "openreview", "title")
LABELS = {"doi": "DOI", "arxiv": "arXiv ID", "acl_anthology": "ACL Anthology ID", "openreview": "OpenReview ID"}
LABELS["title"] = "title"

_DOI_LINK = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)  # matched whole (fullmatch)
_ARXIV_VERSION = re.compile(r"v\d+\Z")
_NON_WORD = re.compile(r"\W+")


def doi(value: str) -> str:
    """``10.18653/V1/X``, ``https://doi.org/10.18653/v1/x`` → ``10.18653/v1/x`` (DOIs ignore case)."""
    return _DOI_LINK.sub("", value.strip()).lower()


def arxiv(value: str) -> str:
    """``2406.18966v2``, ``arXiv:2406.18966`` → ``2406.18966``: every version is the same paper."""
    value = value.strip()
    if value[:6].lower() == "arxiv:":
        value = value[6:]
    return _ARXIV_VERSION.sub("", value)


def title(value: str) -> str:
    """Letters and digits only, accents folded, case folded: ``Best Practices…`` = ``best-practices``.

    Decomposing first (NFKD) makes every Unicode normal form of a title the same title."""
    decomposed = unicodedata.normalize("NFKD", value)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub("", folded.casefold()).replace("_", "")


NORMALISE = {"doi": doi, "arxiv": arxiv, "acl_anthology": str.lower, "openreview": str.strip, "title": title}


def identity(kind: str, value: Any) -> Identity | None:
    """One identifier as an identity, or None when there is nothing to compare."""
    if not isinstance(value, str) or not value.strip():
        return None
    normal = NORMALISE[kind](value)
    if kind == "doi" and (match := _ARXIV_DOI.fullmatch(normal)):
        return "arxiv", arxiv(match.group(1))
    return (kind, normal) if normal else None


def located(fields: Mapping[str, Any]) -> Iterator[tuple[Identity, tuple[str, ...]]]:
    """Each identity of a catalogue record (its own fields, then its ``published`` version) and the
    field path it was written at; an identity met twice in one record is given once."""
    published = fields.get("published")
    versions: list[tuple[tuple[str, ...], Mapping[str, Any]]] = [((), fields)]
    if isinstance(published, Mapping):
        versions.append((("published",), published))
    seen: set[Identity] = set()
    for prefix, version in versions:
        for kind in KINDS:
            found = identity(kind, version.get(kind))
            if found and found not in seen:
                seen.add(found)
                yield found, (*prefix, kind)


def identities(fields: Mapping[str, Any]) -> set[Identity]:
    """Every identity of a catalogue record, its published version included."""
    return {found for found, _ in located(fields)}


def of_csl(item: Mapping[str, Any]) -> set[Identity]:
    """Every identity of a CSL item of ours: its DOI, arXiv id, Anthology/OpenReview ids, title."""
    custom = csl.custom(item)
    candidates = [
        ("doi", item.get("DOI")),
        ("arxiv", custom.get("arxiv")),
        ("acl_anthology", custom.get("acl_anthology")),
        ("openreview", custom.get("openreview")),
        ("title", custom.get("title_as_published")),
    ]
    return {found for kind, value in candidates if (found := identity(kind, value))}


def shared(left: set[Identity], right: set[Identity]) -> list[str]:
    """The kinds of identity two papers share, in :data:`KINDS` order; empty when they differ."""
    kinds = {kind for kind, _ in left & right}
    return [kind for kind in KINDS if kind in kinds]
