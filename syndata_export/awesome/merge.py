"""Merge: imported papers sorted into new, already present and listed twice; keys for the new; pure.

An existing record is never changed or re-keyed: a paper already in the catalogue (the same
paper by :mod:`syndata_export.identity`, the one rule: arXiv ID, DOI, ACL Anthology or OpenReview
ID, or normalised title) only has its differences reported. A new paper keeps the key its anchor
gives (as ``list`` writes it) or gets one by the catalogue's rule, and becomes a record the way
the catalogue keeps papers: a published citation whose preprint is linked is the preprint with a
``published:`` version. :mod:`syndata_export.catalogue.writer` appends them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from syndata_export import csl, identity
from syndata_export.awesome import shapes
from syndata_export.awesome.papers import Paper
from syndata_export.catalogue import Record
from syndata_export.errors import Problem

# words skipped when a key takes the title's first significant word (tan2024large, seddik2024bad)
STOPWORDS = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "from", "by", "via", "at", "into", "is",
     "are", "do", "does", "can", "how", "what", "why", "when", "where", "which", "who", "toward", "towards"}
)  # fmt: skip
# fields a published version replaces; the rest (arXiv ID, links) belong to the paper as a whole
VERSION_FIELDS = ("type", "title", "authors", "date", "doi", "url", "container", "volume", "issue", "pages",
                  "publisher", "place", "acl_anthology", "openreview")  # fmt: skip
_ARXIV_YEAR = re.compile(r"^(?:[a-z-]+(?:\.[A-Z]{2})?/)?(\d{2})(?:\d{2})")  # 2310.05492 → 23; hep-th/9901001 → 99


@dataclass
class Difference:
    line: int
    col: int
    key: str
    field: str
    readme: str
    catalogue: str
    hint: str = ""

    def problem(self, name: str) -> Problem:
        return Problem(
            name,
            self.line,
            self.col,
            self.key,
            f"{self.field}: README {self.readme}, catalogue {self.catalogue}",
            self.hint,
        )


@dataclass
class Plan:
    """What an import would do: records to add, sections to add, and what disagrees."""

    new: list[dict[str, Any]] = field(default_factory=list)
    new_lines: list[int] = field(default_factory=list)
    matched: list[tuple[int, str]] = field(default_factory=list)  # (README line, existing key)
    new_sections: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # papers listed twice, anchors whose key is taken


def plan(records: list[Record], sections: list[str], papers: list[Paper], name: str = "README.md") -> Plan:
    """Sort imported papers into new ones (keyed) and ones already present (compared); no I/O."""
    result = Plan()
    index: dict[identity.Identity, tuple[str, dict[str, Any]]] = {}
    for record in records:
        for ident in identity.identities(record.fields):
            index.setdefault(ident, (record.key, record.fields))
    taken = {record.key.casefold() for record in records}  # BibTeX keeps one of `Key` and `key`
    tried: dict[str, int] = {}
    seen: dict[identity.Identity, int] = {}
    by_folded = {s.casefold(): s for s in sections}
    for paper in papers:
        idents = identity.identities(paper.fields)
        again = next((seen[i] for i in sorted(idents) if i in seen), None)
        if again is not None:
            result.problems.append(
                Problem(name, paper.line, 1, "", f"the same paper as line {again}; skipped", "list each paper once")
            )
            continue
        seen.update(dict.fromkeys(idents, paper.line))
        hit = next((index[i] for i in sorted(idents) if i in index), None)
        if hit:
            key, existing = hit
            result.matched.append((paper.line, key))
            if paper.key and paper.key != key:
                result.differences.append(Difference(paper.line, 1, key, "key", repr(paper.key), repr(key)))
            result.differences += [
                Difference(*paper.where.get(d[0], (paper.line, 1)), key, *d) for d in compare(paper.fields, existing)
            ]
            continue
        fields = dict(paper.fields)
        section = by_folded.get(fields["section"].casefold())
        if section is None:
            section = fields["section"]
            by_folded[section.casefold()] = section
            result.new_sections.append(section)
        fields["section"] = section
        key = paper.key if _free(paper.key, taken) else make_key(fields, taken, tried)
        if paper.key and key != paper.key:
            message = f"key {paper.key!r} in the anchor is taken by another paper; added as {key}"
            result.problems.append(Problem(name, paper.line, 1, "", message, "keys are never reused"))
        taken.add(key.casefold())
        result.new.append({"key": key, **as_record(fields)})
        result.new_lines.append(paper.line)
    return result


def _free(key: str, taken: set[str]) -> bool:
    return bool(key) and key.casefold() not in taken


def as_record(fields: dict[str, Any]) -> dict[str, Any]:
    """A paper read from a list as the catalogue keeps it: the preprint (its arXiv ID, the year of
    its first version, its page), with the version the list cites as ``published:`` when that is
    not the preprint. Title and authors, which the list gives once, stay with the paper."""
    year = preprint_year(fields.get("arxiv", ""))
    if fields["type"] == "article" or year is None:
        return fields
    published = {name: fields[name] for name in VERSION_FIELDS if name in fields and name not in ("title", "authors")}
    own = {name: value for name, value in fields.items() if name not in published}
    return (
        own
        | {"type": "article", "date": year, "url": f"https://arxiv.org/abs/{fields['arxiv']}"}
        | {"published": published}
    )


def preprint_year(arxiv: str) -> int | None:
    """The year of an arXiv ID's first version (its YYMM), the year the catalogue's keys carry."""
    match = _ARXIV_YEAR.match(arxiv)
    if not match:
        return None
    year = int(match.group(1))
    return 1900 + year if year >= 91 else 2000 + year  # arXiv began in 1991


def make_key(fields: dict[str, Any], taken: set[str], tried: dict[str, int] | None = None) -> str:
    """``familyYEARword``, lower-case ASCII, YEAR the preprint's first (else the year cited); a
    taken key (``taken`` is case-folded) gets b, c, … on the newcomer. ``tried`` remembers, per
    base, how far the suffixes went, so a thousand papers with one base cost a thousand steps."""
    first = fields["authors"][0]
    family = first.get("literal", "") if isinstance(first, dict) else first.split(",")[0]
    family = re.sub(r"[^a-z0-9]", "", _ascii(family).lower()) or "anon"
    words = re.findall(r"[a-z0-9]+", _ascii(fields["title"]).lower())
    word = next((w for w in words if w not in STOPWORDS), "")
    base = f"{family}{preprint_year(fields.get('arxiv', '')) or str(fields['date'])[:4]}{word}"
    if base not in taken:
        return base
    tried = {} if tried is None else tried
    n = tried.get(base, 2)  # b is the second letter: "a" would read as the first paper's key
    while base + _letters(n) in taken:
        n += 1
    tried[base] = n + 1
    return base + _letters(n)


def _letters(n: int) -> str:
    """1 → a, 2 → b, …, 26 → z, 27 → aa: the suffixes BibTeX users know."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _ascii(text: str) -> str:
    """ "Candès" → "Candes": keys are plain ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# ---------------------------------------------------------------- comparing


def compare(readme: dict[str, Any], record: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(field, README value, catalogue value, hint) for each field the README gives differently.

    The README's citation is compared with the version it cites: a preprint with the record
    itself, a published paper with the record's ``published`` version. Titles are compared without
    case (lists print them in sentence case), pages without dash style, dates by year.
    """
    published = record.get("published") if isinstance(record.get("published"), dict) else None
    view = dict(record)
    if readme.get("type") != "article" and published:
        view = {k: v for k, v in record.items() if k not in VERSION_FIELDS} | {
            k: record[k] for k in ("type", "title", "authors") if k in record
        }
        view |= published
    out = []
    for name, value in readme.items():
        if name in ("url", "authors_incomplete", "key"):
            continue  # url carries the identifiers compared below; the flag is checked with the authors
        theirs = view.get(name)
        if name == "authors":
            if not _same_authors(value, theirs, readme.get("authors_incomplete", False)):
                out.append((name, _names(value, readme.get("authors_incomplete", False)), _names(theirs), ""))
        elif _normal(name, value) != _normal(name, theirs):
            hint = ""
            if theirs is not None and str(value).casefold() == str(theirs).casefold():
                hint = "they differ only in letter case"
            elif name in ("code", "project") and theirs is None:
                other = "project" if name == "code" else "code"
                if str(value).casefold() == str(view.get(other, "")).casefold():
                    hint = f"the catalogue has this address as {other}"
            out.append((name, repr(str(value)), "(none)" if theirs is None else repr(str(theirs)), hint))
    return out


def _normal(name: str, value: Any) -> Any:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if name == "title":
        return identity.title(text)
    if name == "date":
        return text[:4]
    if name == "pages":
        return csl.pages(text)
    if name == "doi":
        return identity.doi(text)
    if name == "acl_anthology":
        return text.lower()
    if name == "arxiv":
        return identity.arxiv(text)
    return text


def _same_authors(readme: list[Any], catalogue: Any, incomplete: bool) -> bool:
    if not isinstance(catalogue, list) or len(readme) > len(catalogue):
        return False
    if not incomplete and len(readme) != len(catalogue):
        return False
    return all(_same_name(a, b) for a, b in zip(readme, catalogue, strict=False))


def _same_name(readme: Any, catalogue: Any) -> bool:
    """Same family name; given names equal, or initials that fit (Scholar may drop middle ones)."""
    mine, theirs = csl.parse_name(readme), csl.parse_name(catalogue)
    fold = lambda s: identity.title(s or "")  # noqa: E731 - the same letters, as titles are compared
    if "literal" in mine or "literal" in theirs:
        return fold(mine.get("literal")) == fold(theirs.get("literal"))
    if fold(mine.get("family")) != fold(theirs.get("family")):
        return False
    given, other = mine.get("given", ""), theirs.get("given", "")
    if re.fullmatch(r"(?:[A-Z][a-z]?\.\s*)+", given):
        wanted, have = shapes.initials(given), shapes.initials(other)
        return wanted == have or (len(wanted) == 1 and have[:1] == wanted)
    return fold(given) == fold(other)


def _names(names: Any, incomplete: bool = False) -> str:
    if not isinstance(names, list):
        return "(none)"
    shown = "; ".join(n if isinstance(n, str) else str(n.get("literal", n)) for n in names)
    return repr(shown + ("; et al." if incomplete else ""))
