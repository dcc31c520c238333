"""Identifiers and other formatted values → why one is malformed, or None; pure.

arXiv IDs by arXiv's own scheme, DOIs, URLs, dates, page ranges, citation keys: each checker
takes a value as the catalogue reader gives it and returns (message, hint) or None, as the schema
in :mod:`validate` expects. Patterns match whole values (``fullmatch``): a trailing newline is never
part of an identifier. A URL or a DOI holds nothing that would break the markup it is written
into (``<``, ``"``, a space) or that does not show (an invisible character).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from syndata_export import textcheck
from syndata_export.textcheck import shown

Check = Callable[[Any], "tuple[str, str] | None"]

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
# http(s), a dotted host (its first label holds no dot, so a long host is read in one pass), no spaces
URL = re.compile(r"(?i:https?)://[^\s/?#.]*\.[^\s/?#]*(?:[/?#]\S*)?")
URL_FORBIDDEN = re.compile(r'[\s<>"{}\\`]')
QUOTE_IT = "quote it"  # a checker's hint for a number where text belongs; the file's spelling is added


def not_text(value: Any) -> tuple[str, str]:
    return f"must be text, not {type(value).__name__}", QUOTE_IT


def pattern(regex: re.Pattern[str], what: str, example: str) -> Check:
    def check(value: Any) -> tuple[str, str] | None:
        if not isinstance(value, str):
            return not_text(value)
        if not regex.fullmatch(value):
            return f"{shown(value)} is not a valid {what}", f"e.g. {example}"
        return None

    return check


def arxiv(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return not_text(value)
    if new := ARXIV_NEW.fullmatch(value):
        yy, mm, number, version = new.groups()
        problem = _arxiv_new(int(yy), int(mm), number)
    elif old := ARXIV_OLD.fullmatch(value):
        archive, yy, mm, version = old.groups()
        problem = _arxiv_old(archive, int(yy), int(mm))
    else:
        return f"{shown(value)} is not a valid arXiv ID", ARXIV_EXAMPLE
    if not problem and version is not None and int(version) == 0:
        problem = "versions start at v1", ARXIV_EXAMPLE
    return (f"{shown(value)} is not a valid arXiv ID ({problem[0]})", problem[1]) if problem else None


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


def doi(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return not_text(value)
    if (i := textcheck.odd_character(value, DOI_FORBIDDEN)) is not None:
        what = textcheck.describe(value[i])[0]
        return f"{shown(value)} is not a valid DOI: {what} at character {i + 1}", (
            'a DOI holds no spaces, control or invisible characters, nor < > " { } \\'
        )
    if not DOI.fullmatch(value):
        return f"{shown(value)} is not a valid DOI", "e.g. 10.18653/v1/2024.acl-long.12 (no https://doi.org/)"
    return None


def pages(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return not_text(value)
    if not (match := PAGES.fullmatch(value)):
        return f"{shown(value)} is not a valid page range", 'e.g. "177-198"'
    first_prefix, first, last_prefix, last = match.groups()
    if last is not None and first_prefix == last_prefix and _page_order(last) < _page_order(first):
        return f"{shown(value)} ends before it starts", 'first page first, both in full, e.g. "930-957"'
    return None


def _page_order(digits: str) -> tuple[int, str]:
    """A page number's place in order, read from its digits (int() refuses over 4,300 of them)."""
    digits = digits.lstrip("0")
    return len(digits), digits


def date(value: Any) -> tuple[str, str] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return f"{shown(value)} is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"
    return _date_text(value)


@lru_cache(maxsize=4096)  # papers share their dates (and years): check each text once
def _date_text(value: str) -> tuple[str, str] | None:
    if not (match := DATE.fullmatch(value)):
        return f"{shown(value)} is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"{value!r} is not a date on the calendar", "YYYY-MM-DD with a real month and day"
    return None


def url(value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return "must be a URL", "https://…"
    if (i := textcheck.odd_character(value, URL_FORBIDDEN)) is not None:
        return f"{shown(value)} is not a valid URL: {textcheck.describe(value[i])[0]} at character {i + 1}", (
            'a URL holds no spaces, control or invisible characters, nor < > " { } \\ `: percent-encode them'
        )
    if not URL.fullmatch(value):
        return f"{shown(value)} is not a valid URL", "a full http(s) address without spaces"
    return None
