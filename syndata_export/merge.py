"""Append-only merge of imported papers into catalogue YAML: match, compare, key, then add; pure.

An existing record is never changed or re-keyed: a paper already in the catalogue (same arXiv
ID, DOI, ACL Anthology or OpenReview ID, or normalised title) only has its differences
reported. New papers get keys by the catalogue's rule and are appended through ruamel.yaml's
round-trip mode, so comments, order, quoting and layout of the file stay as they were.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from syndata_export import citation, csl
from syndata_export.catalogue import Record
from syndata_export.errors import Problem, SyndataError
from syndata_export.listing import Imported

# words skipped when a key takes the title's first significant word (tan2024large, seddik2024bad)
STOPWORDS = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "from", "by", "via", "at", "into", "is",
     "are", "do", "does", "can", "how", "what", "why", "when", "where", "which", "who", "toward", "towards"}
)  # fmt: skip
# the order fields are written in a new record
FIELD_ORDER = (
    "key", "section", "type", "title", "authors", "authors_incomplete", "date", "arxiv", "doi", "url",
    "container", "volume", "issue", "pages", "publisher", "place", "acl_anthology", "openreview", "code", "project",
)  # fmt: skip
QUOTED = ("arxiv", "volume", "issue")  # would otherwise read back as numbers
# fields a published version replaces; the rest (arXiv ID, links) belong to the paper as a whole
VERSION_FIELDS = ("type", "title", "authors", "date", "doi", "url", "container", "volume", "issue", "pages",
                  "publisher", "place", "acl_anthology", "openreview")  # fmt: skip
# (indent of mappings, of sequences, offset of the dash): layouts tried until one reproduces the file
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 6, 2), (4, 4, 0), (2, 4, 0), (4, 4, 2), (3, 3, 0), (3, 5, 2))


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
    duplicates: list[Problem] = field(default_factory=list)


def normal_title(title: str) -> str:
    return re.sub(r"\W+", "", citation.ascii_fold(title).casefold())


def identities(fields: dict[str, Any]) -> set[tuple[str, str]]:
    """Everything that names the same paper: identifiers and titles, of the record and its published version."""
    out: set[tuple[str, str]] = set()
    for version in (fields, fields.get("published") or {}):
        if isinstance(version.get("arxiv"), str):
            out.add(("arxiv", re.sub(r"v\d+$", "", version["arxiv"])))
        for name in ("doi", "acl_anthology", "openreview"):
            if isinstance(version.get(name), str):
                out.add((name, version[name].lower()))
        if isinstance(version.get("title"), str) and normal_title(version["title"]):
            out.add(("title", normal_title(version["title"])))
    return out


def plan(records: list[Record], sections: list[str], papers: list[Imported], name: str = "README.md") -> Plan:
    """Sort imported papers into new ones (keyed) and ones already present (compared); no I/O."""
    result = Plan()
    index: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for record in records:
        for ident in identities(record.fields):
            index.setdefault(ident, (record.key, record.fields))
    taken = {record.key for record in records}
    seen: dict[tuple[str, str], int] = {}
    by_folded = {s.casefold(): s for s in sections}
    for paper in papers:
        idents = identities(paper.fields)
        again = next((seen[i] for i in sorted(idents) if i in seen), None)
        if again is not None:
            result.duplicates.append(
                Problem(name, paper.line, 1, "", f"the same paper as line {again}; skipped", "list each paper once")
            )
            continue
        seen.update(dict.fromkeys(idents, paper.line))
        hit = next((index[i] for i in sorted(idents) if i in index), None)
        if hit:
            key, existing = hit
            result.matched.append((paper.line, key))
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
        fields["key"] = make_key(fields, taken)
        taken.add(fields["key"])
        result.new.append({k: fields[k] for k in FIELD_ORDER if k in fields})
        result.new_lines.append(paper.line)
    return result


def make_key(fields: dict[str, Any], taken: set[str]) -> str:
    """``familyYEARword``, lower-case ASCII; a taken key gets b, c, … on the newcomer."""
    first = fields["authors"][0]
    family = first.get("literal", "") if isinstance(first, dict) else first.split(",")[0]
    family = re.sub(r"[^a-z0-9]", "", citation.ascii_fold(family).lower()) or "anon"
    words = re.findall(r"[a-z0-9]+", citation.ascii_fold(fields["title"]).lower())
    word = next((w for w in words if w not in STOPWORDS), "")
    base = f"{family}{str(fields['date'])[:4]}{word}"
    if base not in taken:
        return base
    for n in itertools.count(1):
        for letters in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=n):
            suffix = "".join(letters)
            if suffix != "a" and base + suffix not in taken:
                return base + suffix
    raise AssertionError("unreachable")  # pragma: no cover


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
                out.append((name, _names(value, readme.get("authors_incomplete")), _names(theirs), ""))
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
        return normal_title(text)
    if name == "date":
        return text[:4]
    if name == "pages":
        return csl.pages(text)
    if name in ("doi", "acl_anthology"):
        return text.lower()
    if name == "arxiv":
        return re.sub(r"v\d+$", "", text)
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
    fold = lambda s: citation.ascii_fold(s or "").casefold()  # noqa: E731
    if "literal" in mine or "literal" in theirs:
        return fold(mine.get("literal")) == fold(theirs.get("literal"))
    if fold(mine.get("family")) != fold(theirs.get("family")):
        return False
    given, other = mine.get("given", ""), theirs.get("given", "")
    if re.fullmatch(r"(?:[A-Z][a-z]?\.\s*)+", given):
        wanted, have = citation.initials(given), citation.initials(other)
        return wanted == have or (len(wanted) == 1 and have[:1] == wanted)
    return fold(given) == fold(other)


def _names(names: Any, incomplete: bool = False) -> str:
    if not isinstance(names, list):
        return "(none)"
    shown = "; ".join(n if isinstance(n, str) else str(n.get("literal", n)) for n in names)
    return repr(shown + ("; et al." if incomplete else ""))


# ---------------------------------------------------------------- writing YAML


def apply(text: str | None, result: Plan, title: str = "", description: str = "", source: str = "") -> str:
    """The catalogue text with the plan's papers and sections appended; ``None`` starts a new catalogue."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if text is None:
        yaml = _yaml(LAYOUTS[0])
        doc = CommentedMap()
        if title:
            doc["title"] = title
        if description:
            doc["description"] = description
        doc["sections"], doc["papers"] = CommentedSeq(), CommentedSeq()
        doc.yaml_set_start_comment(
            f"The paper list, imported from {source or 'a Markdown list'} by `syndata-export import`.\n"
            "Keys are pinned: never change a key once it has been written, people cite it."
        )
        if result.new:
            doc.yaml_set_comment_before_after_key("papers", before="\n")
    else:
        yaml, doc = _load_preserving(text)
    sections, papers = doc.setdefault("sections", CommentedSeq()), doc.setdefault("papers", CommentedSeq())
    for seq in (sections, papers):
        if not seq and hasattr(seq, "fa"):
            seq.fa.set_block_style()
    _extend_keeping_trailing_comment(sections, result.new_sections)
    for fields in result.new:
        papers.append(_commented(fields))
        if len(papers) > 1:
            papers.yaml_set_comment_before_after_key(len(papers) - 1, before="\n")
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _extend_keeping_trailing_comment(seq, values: list[str]) -> None:
    """Append to a sequence of scalars; the blank line and comments after its last item stay after the new last."""
    if not values:
        return
    tail = seq.ca.items.pop(len(seq) - 1, None) if seq else None
    seq.extend(values)
    if tail is not None:
        seq.ca.items[len(seq) - 1] = tail


def _yaml(layout: tuple[int, int, int]):
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip mode: comments, key order, quoting and flow style survive
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = 1 << 16
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return yaml


def _load_preserving(text: str):
    """The document and a dumper that writes it back byte for byte, or an error: never reformat a file."""
    for layout in LAYOUTS:
        yaml = _yaml(layout)
        doc = yaml.load(text)
        out = io.StringIO()
        yaml.dump(doc, out)
        if out.getvalue() == text:
            return yaml, doc
    raise SyndataError(
        "cannot add papers without reformatting the catalogue (its layout is not one ruamel.yaml reproduces)",
        "run with --dry-run and add the papers by hand, or re-indent the file with 2-space mappings",
    )


def _commented(fields: dict[str, Any]):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    record = CommentedMap()
    for name, value in fields.items():
        if name == "authors":
            authors = CommentedSeq()
            for author in value:
                if isinstance(author, dict):
                    author = CommentedMap(author)
                    author.fa.set_flow_style()
                authors.append(author)
            value = authors
        elif name in QUOTED:
            value = DoubleQuotedScalarString(str(value))
        record[name] = value
    return record
