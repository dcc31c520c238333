"""What a source says, as the catalogue keeps it: a new record, or what an existing record lacks; pure.

A new record gets its key by the catalogue's one rule (:func:`syndata_export.awesome.merge.make_key`:
first author's family name, the year of the first version, the title's first significant word),
never one already taken in any letter case. An existing record is only added to: a field it
lacks, and the rest of an author list that ``import`` cut at "et al."; a value a person wrote
stays, and where the source disagrees with it the difference is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from syndata_export import csl, identity, validate
from syndata_export.awesome.merge import make_key
from syndata_export.sources.found import Found
from syndata_export.sources.match import families

# fields a source fills in a record; key, section, code/project links and notes are people's
FILLABLE = ("type", "title", "date", "arxiv", "arxiv_class", "doi", "url", "container", "volume", "issue",
            "pages", "publisher", "place", "acl_anthology", "openreview")  # fmt: skip
# fields of the paper whatever version a record describes; the rest describe one version only
PAPER_WIDE = ("arxiv", "arxiv_class")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def with_arxiv_links(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A preprint's fields with the DOI and page every arXiv paper has (``10.48550/arXiv.ID``,
    ``https://arxiv.org/abs/ID``) where the source left them out, as the catalogue records them."""
    out = dict(fields)
    arxiv = out.get("arxiv")
    if isinstance(arxiv, str) and arxiv and out.get("type", "article") == "article":
        out["arxiv"] = arxiv = identity.arxiv(arxiv)
        out.setdefault("doi", f"10.48550/arXiv.{arxiv}")
        out.setdefault("url", f"https://arxiv.org/abs/{arxiv}")
    return out


def new_record(found: Found, section: str, taken: set[str], published: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record for a paper no record holds, keyed so that no key in ``taken`` (case-folded) is
    reused; ``taken`` gets the new key. ``published`` is its ``published:`` block, if known."""
    fields = {k: v for k, v in with_arxiv_links(found.fields).items() if k in validate.RECORD_FIELDS}
    fields.pop("authors_incomplete", None)
    fields.pop("published", None)
    fields = {"section": section, "type": "article", **{k: v for k, v in fields.items() if k not in ("key", "section")}}
    key = make_key(fields, taken)
    taken.add(key.casefold())
    record = {"key": key, **written(fields)}
    if published:
        record["published"] = written(published)
    return record


def written(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Dates as the catalogue writes them: a day unquoted (``2024-06-27``), a year as a number."""
    out = dict(fields)
    date = out.get("date")
    if isinstance(date, str) and _DAY.match(date):
        out["date"] = dt.date.fromisoformat(date)
    elif isinstance(date, str) and date.isdigit():
        out["date"] = int(date)
    return out


@dataclass
class Completion:
    """What a record lacks that a source gives, and where they disagree."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)  # fields the record lacks
    authors: list[Any] = field(default_factory=list)  # the authors after those listed
    whole: bool = False  # the "et al." list is complete now: its flag goes
    differences: list[str] = field(default_factory=list)  # "field: catalogue X, source Y"

    def __bool__(self) -> bool:
        return bool(self.fields or self.authors or self.whole)


def complete(record: Mapping[str, Any], found: Found) -> Completion:
    """What ``found`` adds to ``record``: the fields it lacks (of the version it describes; the
    arXiv id and class of any), the rest of an "et al." list whose known names ``found`` starts
    with; every disagreement with a written value as a difference."""
    source = with_arxiv_links(found.fields)
    result = Completion(str(record.get("key", "")))
    same_version = record.get("type") == source.get("type", "article")
    for name in FILLABLE:
        if name not in source or not (same_version or name in PAPER_WIDE):
            continue
        if name not in record:
            result.fields[name] = source[name]
        elif not _agree(name, record[name], source[name]):
            result.differences.append(
                f"{name}: catalogue {_shown(record[name])}, {found.source} {_shown(source[name])}"
            )
    mine, theirs = record.get("authors"), source.get("authors")
    if isinstance(mine, list) and isinstance(theirs, list) and theirs:
        if record.get("authors_incomplete") and _starts(theirs, mine):
            result.authors, result.whole = list(theirs[len(mine) :]), True
        elif record.get("authors_incomplete") or families(mine) != families(theirs):
            result.differences.append(f"authors: catalogue {_names(mine)}, {found.source} {_names(theirs)}")
    result.fields = written(result.fields)
    return result


def _starts(whole: list[Any], known: list[Any]) -> bool:
    """Whether the known names (perhaps initials) begin the whole list, by family name."""
    return len(whole) >= len(known) and families(whole[: len(known)]) == families(known)


def _agree(name: str, mine: Any, theirs: Any) -> bool:
    """A written value and a source's say the same: titles without case or punctuation, identifiers
    normalised, a date by the precision written (``2024`` agrees with ``2024-06-27``), pages by dash."""
    a, b = str(mine).strip(), str(theirs).strip()
    if name == "title":
        return identity.title(a) == identity.title(b)
    if name in ("doi", "arxiv"):
        return identity.identity(name, a) == identity.identity(name, b)
    if name == "date":
        return b.startswith(a) or a.startswith(b)
    if name == "pages":
        return csl.pages(a) == csl.pages(b)
    if name in ("acl_anthology", "url"):
        return a.rstrip("/").casefold() == b.rstrip("/").casefold()
    return a == b


def _shown(value: Any) -> str:
    return repr(str(value))


def _names(authors: list[Any]) -> str:
    return repr("; ".join(a if isinstance(a, str) else str(a) for a in authors))
