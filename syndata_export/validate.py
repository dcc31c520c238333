"""Catalogue → every problem in it, each with its line and column; pure, no I/O.

The schema is data at the top (field name → checker); each checker returns a message and a hint,
or None. Problems are collected, never raised one at a time, so a person fixes a file in one go.
Every string is also checked as text, before its field's checker: a length no real value reaches,
mojibake, and characters that change what a page shows without showing themselves (line breaks,
bidi controls, zero-width characters). Patterns match whole values (``fullmatch``): a trailing
newline is never part of an identifier.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from syndata_export import identity
from syndata_export.errors import Problem, close_matches, plural, yaml_quoted

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
BIBTEX_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+/-]*")
DOI = re.compile(r"10\.\d{4,9}/\S+", re.ASCII)
DOI_FORBIDDEN = re.compile(r'[\s<>"{}\\]')
# arXiv IDs (https://info.arxiv.org/help/arxiv_identifier.html): YYMM.NNNN from April 2007,
# YYMM.NNNNN from January 2015, and before them archive(.SUBJECT)/YYMMNNN from August 1991
ARXIV_NEW = re.compile(r"(\d\d)(\d\d)\.(\d{4,5})(?:v(\d+))?", re.ASCII)
ARXIV_OLD = re.compile(r"([a-z-]+)(?:\.[A-Z]{2})?/(\d\d)(\d\d)\d{3}(?:v(\d+))?", re.ASCII)
_OLD_ARCHIVES = (  # the archives of old-style IDs, as arXiv's taxonomy lists them
    "acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas cond-mat cs "
    "dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph mtrl-th nlin nucl-ex nucl-th patt-sol "
    "physics plasm-ph q-alg q-bio quant-ph solv-int supr-con"
)
ARXIV_ARCHIVES = frozenset(_OLD_ARCHIVES.split())
ARXIV_EXAMPLE = 'e.g. "2402.13446" (quoted, without "arXiv:")'
ARXIV_CLASS = re.compile(r"[a-z-]+(\.[A-Za-z-]+)?")
ANTHOLOGY = re.compile(r"[A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+", re.ASCII)
OPENREVIEW = re.compile(r"[A-Za-z0-9_-]{6,20}")
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
PAGES = re.compile(r"([A-Za-z]?)(\d+)(?:\s*(?:-|–|--)\s*([A-Za-z]?)(\d+))?", re.ASCII)
AUTHORS_INCOMPLETE = "authors-incomplete"  # the problem code `import` and `list` tolerate
# http(s), a dotted host (its first label holds no dot, so a long host is read in one pass), no spaces
URL = re.compile(r"(?i:https?)://[^\s/?#.]*\.[^\s/?#]*(?:[/?#]\S*)?")
URL_FORBIDDEN = re.compile(r'[\s<>"{}\\`]')
# Characters that change what a page shows without showing themselves. Every field is one line
# (a line break in a section name becomes a heading in Markdown) but the prose fields, which may
# hold paragraphs. Bidi controls show text in another order than it is stored; zero-width
# characters make equal-looking keys, names and titles differ.
CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"  # C0 (tab and line feed too), DEL, C1, line/paragraph separators
BIDI = r"\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates
INVISIBLE = r"\u200b-\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner; word joiner; BOM
HIDDEN = re.compile(f"[{CONTROL}{BIDI}{INVISIBLE}]")
_CONTROL, _BIDI = re.compile(f"[{CONTROL}]"), re.compile(f"[{BIDI}]")
PROSE = ("description", "note")  # may hold line feeds, as a README's description does
JOINERS = "\u200c\u200d"  # Persian, Arabic and Indic words and emoji need them inside a word, nowhere else
# The longest text a field may hold (in characters), and the longest lists: far above any real
# value (a long paper title has 300 characters; the longest author list on record, about 15,000
# names), so only a pasted file or an attack meets them, and every output stays fast below them
# (a 20 MB title took `bibtex` 25 s and 2 GB).
MAX_CHARS = {"title": 1_000, "container": 1_000, "publisher": 1_000, "place": 1_000, "description": 10_000}
MAX_CHARS |= {"note": 10_000, "url": 2_000, "code": 2_000, "project": 2_000}
MAX_SHORT = 300  # every other text: keys, identifiers, dates, author names, sections, tags
MAX_AUTHORS = 20_000
MAX_ITEMS = 1_000  # sections, protected terms, tags
SHOWN = 100  # characters of a value quoted in a message
# Mojibake of UTF-8 read as Latin-1 or Windows-1252 pairs a lead character (Â … ô, bytes C2-F4) with
# a character for a continuation byte (80-BF, read either way). Only texts holding such a pair go to
# ftfy, whose import alone (80 ms) costs more than reading and checking a short catalogue.
_CONTINUATION = bytes(range(0x80, 0xC0)).decode("latin-1") + bytes(range(0x80, 0xC0)).decode("cp1252", "ignore")
MOJIBAKE_SUSPECT = re.compile(f"[\u00c2-\u00f4][{re.escape(''.join(sorted(set(_CONTINUATION))))}]")
ET_AL = re.compile(r"\bet\.?\s*al\b|^others\Z|\.\.\.|…", re.IGNORECASE)
QUOTE_IT = "quote it"  # a checker's hint for a number where text belongs; the file's spelling is added


def _shown(value: Any) -> str:
    """A value quoted for a message, cut short: a 20 MB value must not make a 20 MB message."""
    if isinstance(value, str) and len(value) > SHOWN:
        return repr(value[:SHOWN] + "…")
    text = repr(value)
    return text if len(text) <= 2 * SHOWN else text[:SHOWN] + "…"


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


def _not_text(value: Any) -> tuple[str, str]:
    return f"must be text, not {type(value).__name__}", QUOTE_IT


def _pattern(regex: re.Pattern[str], what: str, example: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if not isinstance(value, str):
            return _not_text(value)
        if not regex.fullmatch(value):
            return f"{_shown(value)} is not a valid {what}", f"e.g. {example}"
        return None

    return check


def _arxiv(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return _not_text(value)
    if new := ARXIV_NEW.fullmatch(value):
        yy, mm, number, version = new.groups()
        problem = _arxiv_new(int(yy), int(mm), number)
    elif old := ARXIV_OLD.fullmatch(value):
        archive, yy, mm, version = old.groups()
        problem = _arxiv_old(archive, int(yy), int(mm))
    else:
        return f"{_shown(value)} is not a valid arXiv ID", ARXIV_EXAMPLE
    if not problem and version is not None and int(version) == 0:
        problem = "versions start at v1", ARXIV_EXAMPLE
    return (f"{_shown(value)} is not a valid arXiv ID ({problem[0]})", problem[1]) if problem else None


def _arxiv_new(yy: int, mm: int, number: str) -> tuple[str, str] | None:
    if not 1 <= mm <= 12:
        return f"month {mm:02d}", "YYMM.NNNNN, e.g. 2402.13446"
    if (yy, mm) < (7, 4):
        return "IDs of this form begin in April 2007", "older IDs are archive/YYMMNNN, e.g. hep-th/9901001"
    if yy < 15 and len(number) != 4:
        return "4 digits after the dot until 2014", "YYMM.NNNN, e.g. 1412.6980"
    if yy >= 15 and len(number) != 5:
        return "5 digits after the dot from 2015 on", "YYMM.NNNNN, e.g. 2402.13446"
    return None


def _arxiv_old(archive: str, yy: int, mm: int) -> tuple[str, str] | None:
    hint = "archive/YYMMNNN, e.g. hep-th/9901001"
    if archive not in ARXIV_ARCHIVES:
        return f"no arXiv archive {archive!r}", hint
    if not 1 <= mm <= 12:
        return f"month {mm:02d}", hint
    if not (1991, 8) <= (yy + (1900 if yy >= 91 else 2000), mm) <= (2007, 3):
        return "IDs of this form run from 9108 to 0703", "newer IDs are YYMM.NNNNN, e.g. 2402.13446"
    return None


def _doi(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return _not_text(value)
    if (i := _odd_character(value, DOI_FORBIDDEN)) is not None:
        what = _describe(value[i])[0]
        return f"{_shown(value)} is not a valid DOI: {what} at character {i + 1}", (
            'a DOI holds no spaces, control or invisible characters, nor < > " { } \\'
        )
    if not DOI.fullmatch(value):
        return f"{_shown(value)} is not a valid DOI", "e.g. 10.18653/v1/2024.acl-long.12 (no https://doi.org/)"
    return None


def _pages(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return _not_text(value)
    if not (match := PAGES.fullmatch(value)):
        return f"{_shown(value)} is not a valid page range", 'e.g. "177-198"'
    first_prefix, first, last_prefix, last = match.groups()
    if last is not None and first_prefix == last_prefix and _page_order(last) < _page_order(first):
        return f"{_shown(value)} ends before it starts", 'first page first, both in full, e.g. "930-957"'
    return None


def _page_order(digits: str) -> tuple[int, str]:
    """A page number's place in order, read from its digits (int() refuses over 4,300 of them)."""
    digits = digits.lstrip("0")
    return len(digits), digits


def _date(value: Any) -> tuple[str, str] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return f"{_shown(value)} is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"
    return _date_text(value)


@lru_cache(maxsize=4096)  # papers share their dates (and years): check each text once
def _date_text(value: str) -> tuple[str, str] | None:
    if not (match := DATE.fullmatch(value)):
        return f"{_shown(value)} is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"{value!r} is not a date on the calendar", "YYYY-MM-DD with a real month and day"
    return None


def _url(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return "must be a URL", "https://…"
    if (i := _odd_character(value, URL_FORBIDDEN)) is not None:
        return f"{_shown(value)} is not a valid URL: {_describe(value[i])[0]} at character {i + 1}", (
            'a URL holds no spaces, control or invisible characters, nor < > " { } \\ `: percent-encode them'
        )
    if not URL.fullmatch(value):
        return f"{_shown(value)} is not a valid URL", "a full http(s) address without spaces"
    return None


def _odd_character(text: str, forbidden: re.Pattern[str]) -> int | None:
    """Where the first character is that an identifier or a URL cannot hold, else None."""
    if text.isprintable() and not forbidden.search(text):
        return None
    return next(i for i, c in enumerate(text) if not c.isprintable() or forbidden.match(c))


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
        return f"unknown type {_shown(value)}", hint or "one of " + ", ".join(CSL_TYPES)
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
    "date": _date,
    "doi": _doi,
    "url": _url,
    "container": _text,
    "volume": _number,
    "issue": _number,
    "pages": _pages,
    "publisher": _text,
    "place": _text,
    "acl_anthology": _pattern(ANTHOLOGY, "ACL Anthology ID", "2024.acl-long.12"),
    "openreview": _pattern(OPENREVIEW, "OpenReview ID", "F5R0lG74Tu"),
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
    _check_fields(report, catalogue.data, TOP_FIELDS, TOP_REQUIRED, "", catalogue, (), "catalogue")
    sections = _Sections(catalogue.sections)
    for spellings in sections.repeated():
        hint = "" if len(set(spellings)) == 1 else "the spellings differ only in Unicode normal form"
        message = f"section {_shown(spellings[0])} is listed {len(spellings)} times"
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
        return f"unknown section {_shown(section)}", f"did you mean {close[0]!r}?" if close else (
            "sections are: " + ", ".join(some)
        )


def _label(record: Record) -> str:
    """A record's name in messages: its key, escaped where it holds what a terminal would act on."""
    key = record.key
    if not key:
        return f"paper at line {record.line}"
    return key if key.isprintable() and len(key) <= SHOWN else _shown(key)[1:-1]


def _check_fields(report, data, schema, required, label, source, prefix, what) -> None:
    """Unknown, missing and malformed fields of one mapping, and every text under it (``source``, a
    Record or the Catalogue, says where a field was written and how a number was spelt)."""
    for name in data:
        if name not in schema:
            close = close_matches(name, schema)
            hint = f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(schema)
            report.add(source.where(*prefix, "@", name), label, f"unknown field {_shown(name)} in {what}", hint)
    for name in required:
        if data.get(name) is None:
            report.add(source.where(*prefix), label, f"missing required field {name!r} in {what}", "")
    wrong_text = _check_text(report, data, label, source, prefix)
    for name, check in schema.items():
        value = data.get(name)
        if value is not None and name not in wrong_text and (problem := check(value)):
            message, hint = problem
            if hint == QUOTE_IT:  # the file's spelling, not Python's number: 2406.18960, not 2406.1896
                spelt = source.written(*prefix, name)
                hint = f'quote it: "{spelt}"' if spelt else "write it as text"
            report.add(source.where(*prefix, name), label, f"{name}: {message}", hint)


def _check_text(report, data, label, source, prefix) -> set[str]:
    """Overlong text, mojibake and hidden characters in every string under ``data``; returns the
    fields whose own text is wrong, whose checkers would only say it again less clearly."""
    skip = ("papers", "published")  # those are checked with their own record
    strings = _plain_strings([v for k, v in data.items() if k not in skip])
    blob = " ".join(strings)
    if max(map(len, strings), default=0) <= MAX_SHORT and not HIDDEN.search(blob) and not MOJIBAKE_SUSPECT.search(blob):
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
    if repaired := mojibake(text):
        return f"mojibake in {_shown(text)}", f"probably {_shown(repaired)}"
    for match in HIDDEN.finditer(text):
        i = match.start()
        if not (text[i] in JOINERS and _inside_word(text, i) or text[i] == "\n" and field in PROSE):
            description, hint = _describe(text[i])
            return f"{description} at character {i + 1}", hint
    return None


def _inside_word(text: str, i: int) -> bool:
    """Whether the character at ``i`` stands between two letters, marks or symbols (emoji)."""
    return 0 < i < len(text) - 1 and all(unicodedata.category(c)[0] in "LMS" for c in (text[i - 1], text[i + 1]))


def _describe(char: str) -> tuple[str, str]:
    """A character that does not belong where it is, named for a message, and what to do about it."""
    code = f"U+{ord(char):04X}"
    named = f"{code} ({name})" if (name := unicodedata.name(char, "")) else code
    if _CONTROL.fullmatch(char):
        return f"control character {code}", "every field but the description and a note is one line: remove it"
    if _BIDI.fullmatch(char):
        return f"bidirectional control {named}", "it shows the text in another order than it is stored: remove it"
    if char == " ":
        return "a space", ""
    if char.isspace():
        return f"space character {named}", ""
    if char.isprintable():
        return repr(char), ""
    return f"invisible character {named}", "it makes text that looks the same differ: remove it"


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
                    f"author {i + 1}: {_shown(author)} is not a name",
                    "use `Family, Given`, or {family: …, given: …}, or {literal: …}",
                )
            continue
        if not isinstance(author, str) or not author.strip():
            report.add(record.where(*path), label, f"author {i + 1} must be text", "`Family, Given`")
        elif ET_AL.search(author):
            report.add(
                record.where(*path),
                label,
                f"author {i + 1}: {_shown(author)} truncates the list",
                "'et al.' is not allowed: list every author in order",
            )
        elif "," not in author:
            words = author.split()
            example = _shown(f"{words[-1]}, {' '.join(words[:-1])}") if len(words) > 1 else "`Family, Given`"
            report.add(
                record.where(*path),
                label,
                f"author {i + 1}: {_shown(author)} has no comma",
                f"family name first: {example}; or {{literal: …}} for an organisation",
            )


def _check_duplicates(report: _Report, records: list[Record]) -> None:
    """Keys used twice (BibTeX ignores case in keys), and papers that are the same paper
    (:mod:`identity`) as an earlier one."""
    first: dict[tuple[str, str], Record] = {}  # positions are looked up only for a duplicate
    for record in records:
        if "_value" in record.fields:
            continue
        found = [(("key", record.key.lower()), ("key",))] if record.key else []
        for (kind, value), path in [*found, *identity.located(record.fields)]:
            earlier = first.setdefault((kind, value), record)
            if earlier is record:
                continue
            written = record.fields.get(path[0]) if len(path) == 1 else record.fields["published"].get(path[1])
            if path == ("key",) and written != earlier.key:
                message = f"key {_shown(written)} differs only in case from {_shown(earlier.key)}"
                hint = f"the key of the paper at line {earlier.line}: BibTeX and biber take them for one key"
            else:
                message = f"duplicate {({'key': 'key', **identity.LABELS})[path[-1]]} {_shown(written)}"
                hint = f"already used by the paper at line {earlier.line}"
            report.add(record.where(*path), _label(record), message, hint)
