"""Catalogue → every problem in it, each with its line and column; pure, no I/O.

The schema is data at the top (field name → checker); each checker returns a message and a hint,
or None. Problems are collected, never raised one at a time, so a person fixes a file in one go.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from syndata_export import identity
from syndata_export.errors import Problem, close_matches

if TYPE_CHECKING:  # the catalogue package calls this module; at run time it needs no name of it
    from syndata_export.catalogue import Catalogue, Record

Check = Callable[[Any], "tuple[str, str] | None"]

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
BIBTEX_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+/-]*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV_NEW = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}(v\d+)?$")
ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
ARXIV_CLASS = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")
ANTHOLOGY = re.compile(r"^([A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+)$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PAGES = re.compile(r"^[A-Za-z]?\d+(?:\s*(?:-|–|--)\s*[A-Za-z]?\d+)?$")
AUTHORS_INCOMPLETE = "authors-incomplete"  # the problem code `import` and `list` tolerate
URL = re.compile(r"(?i:https?)://[^\s/?#]*\.[^\s/?#]*(?:[/?#]\S*)?\Z")  # http(s), a dotted host, no spaces
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Mojibake of UTF-8 read as Latin-1 or Windows-1252 pairs a lead character (Â … ô, bytes C2-F4) with
# a character for a continuation byte (80-BF, read either way). Only texts holding such a pair go to
# ftfy, whose import alone (80 ms) costs more than reading and checking a short catalogue.
_CONTINUATION = bytes(range(0x80, 0xC0)).decode("latin-1") + bytes(range(0x80, 0xC0)).decode("cp1252", "ignore")
MOJIBAKE_SUSPECT = re.compile(f"[\u00c2-\u00f4][{re.escape(''.join(sorted(set(_CONTINUATION))))}]")
ET_AL = re.compile(r"\bet\.?\s*al\b|^others$|\.\.\.|…", re.IGNORECASE)


def _text(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str) or not value.strip():
        return "must be non-empty text", "write it as a string"
    return None


def _number(value: Any) -> tuple[str, str] | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        return "must be a number or short text", 'e.g. "39"'
    return None


def _pattern(regex: re.Pattern[str], what: str, example: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if not isinstance(value, str):
            return f"must be text, not {type(value).__name__}", f'quote it: "{value}"'
        if not regex.match(value):
            return f"{value!r} is not a valid {what}", f"e.g. {example}"
        return None

    return check


def _arxiv(value: Any) -> tuple[str, str] | None:
    problem = _pattern(ARXIV_NEW, "arXiv ID", '"2402.13446" (quoted, without "arXiv:")')(value)
    if problem and isinstance(value, str) and ARXIV_OLD.match(value):
        return None
    if problem:
        return problem
    match = ARXIV_NEW.match(value)
    if match and not 1 <= int(match.group(2)) <= 12:
        return f"{value!r} is not a valid arXiv ID (month {match.group(2)})", "YYMM.NNNNN, e.g. 2402.13446"
    return None


def _date(value: Any) -> tuple[str, str] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return f"{value!r} is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"
    return _date_text(value)


@lru_cache(maxsize=4096)  # papers share their dates (and years): check each text once
def _date_text(value: str) -> tuple[str, str] | None:
    if not (match := DATE.match(value)):
        return f"{value!r} is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"{value!r} is not a date on the calendar", "YYYY-MM-DD with a real month and day"
    return None


def _url(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return "must be a URL", "https://…"
    if not URL.match(value):
        return f"{value!r} is not a valid URL", "a full http(s) address without spaces"
    return None


def _list_of_text(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of text", "e.g. [synthesis, survey]"
    return None


def _bool(value: Any) -> tuple[str, str] | None:
    return None if isinstance(value, bool) else ("must be true or false", "")


def _type(value: Any) -> tuple[str, str] | None:
    if value not in CSL_TYPES:
        return f"unknown type {value!r}", "one of " + ", ".join(CSL_TYPES)
    return None


def _mapping(value: Any) -> tuple[str, str] | None:
    return None if isinstance(value, dict) else ("must be a mapping of fields", "type:, container:, date:, …")


def _list(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list", "one `- Family, Given` line per author"
    return None


COMMON = {
    "type": _type,
    "title": _text,
    "authors": _list,
    "date": _date,
    "doi": _pattern(DOI, "DOI", "10.18653/v1/2024.acl-long.12 (no https://doi.org/)"),
    "url": _url,
    "container": _text,
    "volume": _number,
    "issue": _number,
    "pages": _pattern(PAGES, "page range", '"177-198"'),
    "publisher": _text,
    "place": _text,
    "acl_anthology": _pattern(ANTHOLOGY, "ACL Anthology ID", "2024.acl-long.12"),
    "openreview": _pattern(re.compile(r"^[A-Za-z0-9_-]{6,20}$"), "OpenReview ID", "F5R0lG74Tu"),
    "note": _text,
}
RECORD_FIELDS: dict[str, Check] = {
    "key": _pattern(BIBTEX_KEY, "citation key", "wu2024unigen (letters, digits, and _.:+/- only)"),
    "section": _text,
    **COMMON,
    "arxiv": _arxiv,
    "arxiv_class": _pattern(ARXIV_CLASS, "arXiv category", "cs.CL"),
    "code": _url,
    "project": _url,
    "tags": _list_of_text,
    "authors_incomplete": _bool,
    "published": _mapping,
}
PUBLISHED_FIELDS: dict[str, Check] = dict(COMMON)
RECORD_REQUIRED = ("key", "section", "type", "title", "authors", "date")
PUBLISHED_REQUIRED = ("type", "date")
IDENTIFIERS = ("arxiv", "doi", "url")
TOP_FIELDS: dict[str, Check] = {
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
    _check_fields(report, catalogue.data, TOP_FIELDS, TOP_REQUIRED, "", catalogue.where, (), "catalogue")
    sections = catalogue.sections
    for name, count in _counts(sections).items():
        if count > 1:
            report.add(catalogue.where("sections"), "sections", f"section {name!r} is listed {count} times", "")
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


def _counts(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _check_fields(report, data, schema, required, label, where, prefix, what) -> None:
    """Unknown, missing and malformed fields of one mapping; mojibake in any text under it."""
    for name in data:
        if name not in schema:
            close = close_matches(name, schema)
            hint = f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(schema)
            report.add(where(*prefix, "@", name), label, f"unknown field {name!r} in {what}", hint)
    for name in required:
        if data.get(name) is None:
            report.add(where(*prefix), label, f"missing required field {name!r} in {what}", "")
    for name, check in schema.items():
        value = data.get(name)
        if value is not None and (problem := check(value)):
            report.add(where(*prefix, name), label, f"{name}: {problem[0]}", problem[1])
    skip = ("papers", "published")  # those are checked with their own record
    blob = "\n".join(_plain_strings([v for k, v in data.items() if k not in skip]))
    if not MOJIBAKE_SUSPECT.search(blob) and not CONTROL.search(blob):  # the common case: one look at it all
        return
    for path, text in _strings(data, (), skip=skip):  # paths are worked out only when a text looks wrong
        if repaired := mojibake(text):
            report.add(
                where(*prefix, *path),
                label,
                f"{'.'.join(map(str, path))}: mojibake in {text!r}",
                f"probably {repaired!r}",
            )
        elif CONTROL.search(text):
            report.add(where(*prefix, *path), label, f"{'.'.join(map(str, path))}: control character in text", "")


def mojibake(text: str) -> str | None:
    """The repair of a text that is mojibake (ftfy judges), else None."""
    if not MOJIBAKE_SUSPECT.search(text):
        return None
    import ftfy
    import ftfy.badness

    return ftfy.fix_text(text) if ftfy.badness.is_bad(text) else None


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


def _check_record(report: _Report, record: Record, sections: list[str]) -> None:
    label = record.key or f"paper at line {record.line}"
    if "_value" in record.fields:
        report.add(record.where(), label, "a paper must be a mapping of fields", "start it with `- key: …`")
        return
    fields = record.fields
    _check_fields(report, fields, RECORD_FIELDS, RECORD_REQUIRED, label, record.where, (), "a paper")
    if not any(fields.get(name) for name in IDENTIFIERS):
        report.add(record.where(), label, "no identifier", "give at least one of arxiv, doi, url")
    section = fields.get("section")
    if isinstance(section, str) and sections and section not in sections:
        close = close_matches(section, sections)
        hint = f"did you mean {close[0]!r}?" if close else "sections are: " + ", ".join(sections)
        report.add(record.where("section"), label, f"unknown section {section!r}", hint)
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
            report, published, PUBLISHED_FIELDS, PUBLISHED_REQUIRED, label, record.where, ("published",), "published"
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
    # with newlines, ET_AL finds whatever it finds in one author (``^others$`` needs no comma, so the
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
                    f"author {i + 1}: {author!r} is not a name",
                    "use `Family, Given`, or {family: …, given: …}, or {literal: …}",
                )
            continue
        if not isinstance(author, str) or not author.strip():
            report.add(record.where(*path), label, f"author {i + 1} must be text", "`Family, Given`")
        elif ET_AL.search(author):
            report.add(
                record.where(*path),
                label,
                f"author {i + 1}: {author!r} truncates the list",
                "'et al.' is not allowed: list every author in order",
            )
        elif "," not in author:
            report.add(
                record.where(*path),
                label,
                f"author {i + 1}: {author!r} has no comma",
                "write `Family, Given` (or {literal: …} for an organisation)",
            )


def _check_duplicates(report: _Report, records: list[Record]) -> None:
    """Keys used twice, and papers that are the same paper (:mod:`identity`) as an earlier one."""
    first: dict[tuple[str, str], Record] = {}  # positions are looked up only for a duplicate
    for record in records:
        if "_value" in record.fields:
            continue
        found = [(("key", record.key), ("key",))] if record.key else []
        for (kind, value), path in [*found, *identity.located(record.fields)]:
            if (kind, value) not in first:
                first[(kind, value)] = record
                continue
            written = record.fields.get(path[0]) if len(path) == 1 else record.fields["published"].get(path[1])
            label = record.key or f"paper at line {record.line}"
            hint = f"already used by the paper at line {first[(kind, value)].line}"
            what = {"key": "key", **identity.LABELS}[path[-1]]
            report.add(record.where(*path), label, f"duplicate {what} {written!r}", hint)
