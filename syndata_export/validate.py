"""Catalogue → every problem in it, each with its line and column; pure, no I/O.

The schema is data at the top (field name → checker); each checker returns a message and a hint,
or None. Problems are collected, never raised one at a time, so a person fixes a file in one go.
Identifiers have their own checkers (:mod:`identifiers`). Every string is also checked as text
(:mod:`textcheck`) before its field's checker: a length no real value reaches, mojibake, and
characters that change what a page shows without showing themselves.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from syndata_export import identifiers, identity, textcheck
from syndata_export.errors import Problem, close_matches, plural, yaml_quoted
from syndata_export.textcheck import shown

if TYPE_CHECKING:  # the catalogue package calls this module; at run time it needs no name of it
    from syndata_export.catalogue import Catalogue, Record

CSL_TYPES = (
    "article",
    "article-journal",
    "paper-conference",
    "book",
    "chapter",
    "report",
    "thesis",
    "webpage",
    "dataset",
    "software",
    "manuscript",
)
# Types people bring from arXiv and BibTeX, and the CSL type they mean
_BIBTEX_TYPES = {
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "unpublished": "manuscript",
}
TYPE_HINTS = {"preprint": "arXiv preprints are `article` in CSL"} | {
    name: f"BibTeX's {name} is `{csl_type}` in CSL" for name, csl_type in _BIBTEX_TYPES.items()
}
AUTHORS_INCOMPLETE = "authors-incomplete"  # the problem code `import` and `list` tolerate
PROSE = ("description", "note")  # every field is one line but these, which may hold paragraphs
# The longest text a field may hold (in characters), and the longest lists: far above any real
# value (a long paper title has 300 characters; the longest author list on record, about 15,000
# names), so only a pasted file or an attack meets them, and every output stays fast below them
# (a 20 MB title took `bibtex` 25 s and 2 GB).
MAX_CHARS = {"title": 1_000, "container": 1_000, "publisher": 1_000, "place": 1_000, "description": 10_000}
MAX_CHARS |= {"note": 10_000, "url": 2_000, "code": 2_000, "project": 2_000}
MAX_SHORT = 300  # every other text: keys, identifiers, dates, author names, sections, tags
MAX_AUTHORS = 20_000
MAX_ITEMS = 1_000  # sections, protected terms, tags
ET_AL = re.compile(r"\bet\.?\s*al\b|^others\Z|\.\.\.|…", re.IGNORECASE)


def _text(value: Any) -> tuple[str, str] | None:
    if isinstance(value, dict) and len(value) == 1:  # `title:`, then `UniGen: A…` on the next line
        ((key, rest),) = value.items()
        if isinstance(rest, str) and len(quoted := yaml_quoted(f"{key}: {rest}")) <= MAX_CHARS["title"]:
            return "must be non-empty text", f"YAML read it as a mapping: quote it: {quoted}"
    if not isinstance(value, str) or not value.strip():
        return "must be non-empty text", "write it as a string"
    return None


def _number(value: Any) -> tuple[str, str] | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        return "must be a number or short text", 'e.g. "39"'
    return None


def _list_of_text(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of text", "e.g. [synthesis, survey]"
    if len(value) > MAX_ITEMS:
        return f"{plural(len(value), 'item')}, over the limit of {MAX_ITEMS:,}", "check what was pasted here"
    return None


def _bool(value: Any) -> tuple[str, str] | None:
    return None if isinstance(value, bool) else ("must be true or false", "")


def _type(value: Any) -> tuple[str, str] | None:
    if value not in CSL_TYPES:
        hint = TYPE_HINTS.get(value.lower(), "") if isinstance(value, str) else ""
        return f"unknown type {shown(value)}", hint or "one of " + ", ".join(CSL_TYPES)
    return None


def _mapping(value: Any) -> tuple[str, str] | None:
    return None if isinstance(value, dict) else ("must be a mapping of fields", "type:, container:, date:, …")


def _authors(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list", "one `- Family, Given` line per author"
    if len(value) > MAX_AUTHORS:
        return f"{plural(len(value), 'author')}, over the limit of {MAX_AUTHORS:,}", "check what was pasted here"
    return None


COMMON = {
    "type": _type,
    "title": _text,
    "authors": _authors,
    "date": identifiers.date,
    "doi": identifiers.doi,
    "url": identifiers.url,
    "container": _text,
    "volume": _number,
    "issue": _number,
    "pages": identifiers.pages,
    "publisher": _text,
    "place": _text,
    "acl_anthology": identifiers.pattern(identifiers.ANTHOLOGY, "ACL Anthology ID", "2024.acl-long.12"),
    "openreview": identifiers.pattern(identifiers.OPENREVIEW, "OpenReview ID", "F5R0lG74Tu"),
    "note": _text,
}
_KEY = identifiers.pattern(identifiers.BIBTEX_KEY, "citation key", "wu2024unigen (letters, digits, and _.:+/- only)")


def _aliases(value: Any) -> tuple[str, str] | None:
    """Former keys of the paper (``aliases: [oldkey]``): a list of citation keys."""
    if not isinstance(value, list) or not value:
        return "must be a list of the paper's former keys", "e.g. aliases: [wu2024unigen]"
    return next((problem for key in value if (problem := _KEY(key))), None)


RECORD_FIELDS: dict[str, identifiers.Check] = {
    "key": _KEY,
    "aliases": _aliases,
    "section": _text,
    **COMMON,
    "arxiv": identifiers.arxiv,
    "arxiv_class": identifiers.pattern(identifiers.ARXIV_CLASS, "arXiv category", "cs.CL"),
    "code": identifiers.url,
    "project": identifiers.url,
    "tags": _list_of_text,
    "authors_incomplete": _bool,
    "published": _mapping,
}
PUBLISHED_FIELDS: dict[str, identifiers.Check] = dict(COMMON)
RECORD_REQUIRED = ("key", "section", "type", "title", "authors", "date")
PUBLISHED_REQUIRED = ("type", "date")
IDENTIFIERS = ("arxiv", "doi", "url")
TOP_FIELDS: dict[str, identifiers.Check] = {
    "title": _text,
    "description": _text,
    "sections": _list_of_text,
    "protected_terms": _list_of_text,
    "papers": lambda v: None if isinstance(v, list) else ("must be a list of papers", "`papers:` then `- key: …`"),
}
TOP_REQUIRED = ("sections", "papers")


def validate(catalogue: Catalogue) -> list[Problem]:
    """Every problem in the catalogue, in file order."""
    report = _Report(catalogue.path)
    report.problems.extend(catalogue.problems)
    _check_fields(report, catalogue.data, TOP_FIELDS, TOP_REQUIRED, "", catalogue, (), "catalogue")
    sections = _Sections(catalogue.sections)
    for spellings in sections.repeated():
        hint = "" if len(set(spellings)) == 1 else "the spellings differ only in Unicode normal form"
        message = f"section {shown(spellings[0])} is listed {len(spellings)} times"
        report.add(catalogue.where("sections"), "sections", message, hint)
    for record in catalogue.records:
        _check_record(report, record, sections)
    _check_duplicates(report, catalogue.records)
    return sorted(report.problems, key=lambda p: (p.line, p.col))


class _Report:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, where: tuple[int, int], label: str, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(self.path, where[0], where[1], label, message, hint, code))


class _Sections:
    """The sections listed, as written and by their NFC form: 'café' typed as é or as e and an
    accent looks the same, is stored differently, and must be one section or be reported."""

    def __init__(self, listed: list[str]) -> None:
        self.names = listed
        self.listed = set(listed)
        self.by_form: dict[str, list[str]] = {}
        for name in listed:
            self.by_form.setdefault(unicodedata.normalize("NFC", name), []).append(name)

    def repeated(self) -> list[list[str]]:
        return [spellings for spellings in self.by_form.values() if len(spellings) > 1]

    def problem(self, section: str) -> tuple[str, str] | None:
        """Why a paper's section is none of the listed ones, with a hint; None when it is one."""
        if not self.listed or section in self.listed:
            return None
        if same := self.by_form.get(unicodedata.normalize("NFC", section)):
            return f"section {section!r} differs from {same[0]!r} in sections only in Unicode normal form", (
                "they look alike but are stored differently (é as one character, or e and a combining accent):"
                " retype one so both match"
            )
        close = close_matches(section, self.names)
        some = self.names[:10] + (["…"] if len(self.names) > 10 else [])
        return f"unknown section {shown(section)}", f"did you mean {close[0]!r}?" if close else (
            "sections are: " + ", ".join(some)
        )


def _label(record: Record) -> str:
    """A record's name in messages: its key, escaped where it holds what a terminal would act on."""
    key = record.key
    if not key:
        return f"paper at line {record.line}"
    return key if key.isprintable() and len(key) <= textcheck.SHOWN else shown(key)[1:-1]


def _check_fields(report, data, schema, required, label, source, prefix, what) -> None:
    """Unknown, missing and malformed fields of one mapping, and every text under it (``source``, a
    Record or the Catalogue, says where a field was written and how a number was spelt)."""
    for name in data:
        if name not in schema:
            close = close_matches(name, schema)
            hint = f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(schema)
            report.add(source.where(*prefix, "@", name), label, f"unknown field {shown(name)} in {what}", hint)
    for name in required:
        if data.get(name) is None:
            report.add(source.where(*prefix), label, f"missing required field {name!r} in {what}", "")
    wrong_text = _check_text(report, data, label, source, prefix)
    for name, check in schema.items():
        value = data.get(name)
        if value is not None and name not in wrong_text and (problem := check(value)):
            message, hint = problem
            if hint == identifiers.QUOTE_IT:  # the file's spelling, not Python's number: 2406.18960, not 2406.1896
                spelt = source.written(*prefix, name)
                hint = f'quote it: "{spelt}"' if spelt else "write it as text"
            report.add(source.where(*prefix, name), label, f"{name}: {message}", hint)


def _check_text(report, data, label, source, prefix) -> set[str]:
    """Overlong text, mojibake and hidden characters in every string under ``data``; returns the
    fields whose own text is wrong, whose checkers would only say it again less clearly."""
    skip = ("papers", "published")  # those are checked with their own record
    if not textcheck.suspect(_plain_strings([v for k, v in data.items() if k not in skip]), MAX_SHORT):
        return set()  # the common case: one look at it all
    wrong = set()
    for path, text in _strings(data, (), skip=skip):  # paths are worked out only when a text looks wrong
        if problem := _text_problem(path[0], text):
            report.add(source.where(*prefix, *path), label, f"{'.'.join(map(str, path))}: {problem[0]}", problem[1])
            if len(path) == 1:
                wrong.add(path[0])
    return wrong


def _text_problem(field: str, text: str) -> tuple[str, str] | None:
    if len(text) > (most := MAX_CHARS.get(field, MAX_SHORT)):
        return f"{plural(len(text), 'character')}, over the limit of {most:,}", "check what was pasted here"
    if repaired := textcheck.mojibake(text):
        return f"mojibake in {shown(text)}", f"probably {shown(repaired)}"
    if found := textcheck.hidden(text, line_feeds=field in PROSE):
        i, what, hint = found
        return f"{what} at character {i + 1}", hint
    return None


def _plain_strings(values: list) -> list[str]:
    """Every string under ``values``, without paths, in any order: all the fast check needs."""
    out: list[str] = []
    while values:
        value = values.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            values.extend(value.values())
        elif isinstance(value, list):
            values.extend(value)
    return out


def _strings(value: Any, path: tuple, skip: tuple = ()):
    """(path, text) of every string under ``value``; top-level keys in ``skip`` are not entered at all."""
    if skip and isinstance(value, dict):
        for k, v in value.items():
            if k not in skip:
                yield from _strings(v, (k,))
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))


def _check_record(report: _Report, record: Record, sections: _Sections) -> None:
    label = _label(record)
    if "_value" in record.fields:
        report.add(record.where(), label, "a paper must be a mapping of fields", "start it with `- key: …`")
        return
    fields = record.fields
    _check_fields(report, fields, RECORD_FIELDS, RECORD_REQUIRED, label, record, (), "a paper")
    if not any(fields.get(name) for name in IDENTIFIERS):
        report.add(record.where(), label, "no identifier", "give at least one of arxiv, doi, url")
    section = fields.get("section")
    if isinstance(section, str) and (problem := sections.problem(section)):
        report.add(record.where("section"), label, *problem)
    _check_authors(report, record, label, ())
    if fields.get("authors_incomplete"):
        report.add(
            record.where("authors_incomplete"),
            label,
            "the author list is marked incomplete (et al.)",
            "add every author in order, then remove authors_incomplete",
            code=AUTHORS_INCOMPLETE,
        )
    published = fields.get("published")
    if isinstance(published, dict):
        _check_fields(
            report, published, PUBLISHED_FIELDS, PUBLISHED_REQUIRED, label, record, ("published",), "published"
        )
        _check_authors(report, record, label, ("published",))


def _check_authors(report: _Report, record: Record, label: str, prefix: tuple) -> None:
    holder = record.fields
    for part in prefix:
        holder = holder.get(part, {}) if isinstance(holder, dict) else {}
    authors = holder.get("authors") if isinstance(holder, dict) else None
    if not isinstance(authors, list):
        return
    # The common case in one look: every author is "Family, Given" text and none says "et al.". Joined
    # with newlines, ET_AL finds whatever it finds in one author (``^others\Z`` needs no comma, so the
    # first test already sends that to the loop); a match across two authors only costs the loop.
    if all(isinstance(a, str) and "," in a for a in authors) and not ET_AL.search("\n".join(authors)):
        return
    for i, author in enumerate(authors):
        path = (*prefix, "authors", i)  # looked up only for a problem: positions cost a second parse
        if isinstance(author, dict):
            if not (author.get("family") or author.get("literal")) or set(author) - {"family", "given", "literal"}:
                report.add(
                    record.where(*path),
                    label,
                    f"author {i + 1}: {shown(author)} is not a name",
                    "use `Family, Given`, or {family: …, given: …}, or {literal: …}",
                )
            continue
        if not isinstance(author, str) or not author.strip():
            report.add(record.where(*path), label, f"author {i + 1} must be text", "`Family, Given`")
        elif ET_AL.search(author):
            report.add(
                record.where(*path),
                label,
                f"author {i + 1}: {shown(author)} truncates the list",
                "'et al.' is not allowed: list every author in order",
            )
        elif "," not in author:
            words = author.split()
            example = shown(f"{words[-1]}, {' '.join(words[:-1])}") if len(words) > 1 else "`Family, Given`"
            report.add(
                record.where(*path),
                label,
                f"author {i + 1}: {shown(author)} has no comma",
                f"family name first: {example}; or {{literal: …}} for an organisation",
            )


def _check_duplicates(report: _Report, records: list[Record]) -> None:
    """Keys and aliases used twice (BibTeX ignores case in keys: one name for one paper), and papers
    that are the same paper (:mod:`identity`) as an earlier one."""
    first: dict[tuple[str, str], Record] = {}  # positions are looked up only for a duplicate
    for record in records:
        if "_value" in record.fields:
            continue
        for (kind, value), path in [*_keys(record), *identity.located(record.fields)]:
            earlier = first.get((kind, value))
            if earlier is None:
                first[kind, value] = record
                continue
            written = _at(record.fields, path)
            if earlier is record:  # an alias met again in its own paper (as its key, or listed twice)
                message, hint = f"alias {shown(written)} names this paper already", "list each former key once"
            elif kind == "key":
                message, hint = _key_taken(path, written, earlier)
            else:
                message = f"duplicate {identity.LABELS[path[-1]]} {shown(written)}"
                hint = f"already used by the paper at line {earlier.line}"
            report.add(record.where(*path), _label(record), message, hint)


def _keys(record: Record) -> list[tuple[tuple[str, str], tuple]]:
    """A record's key and aliases as identities of kind "key" (without case), with their paths."""
    found: list[tuple[tuple[str, str], tuple]] = [(("key", record.key.lower()), ("key",))] if record.key else []
    aliases = record.fields.get("aliases")
    if isinstance(aliases, list):
        found += [(("key", a.lower()), ("aliases", i)) for i, a in enumerate(aliases) if isinstance(a, str) and a]
    return found


def _at(fields: dict[str, Any], path: tuple) -> Any:
    for part in path:
        fields = fields[part]
    return fields


def _key_taken(path: tuple, written: str, earlier: Record) -> tuple[str, str]:
    """The message and hint for a key or alias that another paper's key or alias already is."""
    what = "alias" if path[0] == "aliases" else "key"
    names = [earlier.key, *(a for a in earlier.fields.get("aliases") or () if isinstance(a, str))]
    same = next(n for n in names if n.lower() == written.lower())
    taken = f"the {'key' if same == earlier.key else 'alias'} of the paper at line {earlier.line}"
    if same != written:
        return f"{what} {shown(written)} differs only in case from {shown(same)}", (
            f"{taken}: BibTeX and biber take them for one key"
        )
    if what == "key" and same == earlier.key:
        return f"duplicate key {shown(written)}", f"already used by the paper at line {earlier.line}"
    return f"duplicate {what} {shown(written)}", f"already {taken}"
