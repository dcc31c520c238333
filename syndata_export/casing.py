"""Title case policy: which words keep their capitals, for CSL (nocase spans) and BibTeX (braces).

Titles are stored as published. One rule decides which parts must never be lower-cased: the
catalogue's protected terms, plus words that are plainly acronyms or names with inner capitals
(LLM, GPT-4, UniGen, Source2Synth). Every output asks this module, so CSL-JSON, the formatted
bibliographies and BibTeX agree on the same sentence-case title.

Sentence case follows what BibTeX's ``change.case$ "t"`` does (the ACL style's own rule): the
first character of the title and the first character after a colon and a space keep their case,
every other letter outside a protected part is lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_PART = re.compile(r"[^\W_]+(?:&[^\W_]+)*")  # runs of letters and digits (AT&T is one): the units we protect
# A capital that starts a new sentence after "?" or "!" ("Data? A Statistical Analysis"): BibTeX's
# "t" rule would lower it, but APA and every sentence-case style keep it, so it is protected too.
_SENTENCE_START = re.compile(r"(?<=[?!] )[^\W\d_]")


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=65536)  # titles share most of their words: decide each word once
def _plainly_protected(word: str) -> bool:
    """An acronym or a name with inner capitals or digits: LLM, UniGen, GPT, Source2Synth, T5."""
    rest = word[1:]
    if rest != rest.lower():  # a capital after the first letter
        return True
    return word[:1] != word[:1].lower() and _DIGIT.search(word) is not None  # a capital and a digit


@lru_cache(maxsize=64)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])")


def segments(title: str, terms: Iterable[str] = ()) -> tuple[tuple[str, bool], ...]:
    """Split a title into (text, protected) pieces; protected pieces keep their case everywhere."""
    return _segments(title, tuple(terms))


@lru_cache(maxsize=65536)  # every output asks for the same titles: split each once
def _segments(title: str, terms: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    # Each of the three searches below runs only when a cheap test says it can find something:
    # most titles hold no protected term, no acronym and no "? " or "! ".
    spans: list[tuple[int, int]] = []
    pattern = _terms_pattern(tuple(terms))
    if pattern is not None and any(term in title for term in terms):
        spans = [m.span() for m in pattern.finditer(title)]
    covered: set[int] = set()
    for start, end in spans:
        covered.update(range(start, end))
    if any(map(_plainly_protected, _PART.findall(title))):
        for m in _PART.finditer(title):
            if m.start() not in covered and _plainly_protected(m.group()):
                spans.append(m.span())
                covered.update(range(*m.span()))
    if "? " in title or "! " in title:
        for m in _SENTENCE_START.finditer(title):
            if m.start() not in covered and m.group().isupper():
                spans.append(m.span())
    spans.sort()
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        if start > at:
            pieces.append((title[at:start], False))
        pieces.append((title[start:end], True))
        at = end
    if at < len(title):
        pieces.append((title[at:], False))
    return tuple(pieces)


_KEEP_CASE = re.compile(r"(?<=: ).")  # the first character after a colon and a space


def _sentence_case_piece(text: str, offset: int, title: str) -> str:
    """Lower-case a piece, except the title's first character and the one after ': '."""
    keep = {m.start() - offset for m in _KEEP_CASE.finditer(title, offset, offset + len(text))}
    if offset == 0:
        keep.add(0)
    lowered = text.lower()
    for i in keep:
        lowered = lowered[:i] + text[i] + lowered[i + 1 :]
    return lowered


def sentence_case(title: str, terms: Iterable[str] = ()) -> str:
    """The title in sentence case, protected parts untouched."""
    out, at = [], 0
    for text, protected in segments(title, terms):
        out.append(text if protected else _sentence_case_piece(text, at, title))
        at += len(text)
    return "".join(out)


def csl_title(title: str, terms: Iterable[str] = ()) -> str:
    """Sentence case with protected parts in ``<span class="nocase">``, as CSL processors expect.

    Text is not HTML-escaped: pandoc and citeproc-js read ``&`` and ``<`` in CSL-JSON literally.
    """
    out, at = [], 0
    for text, protected in segments(title, terms):
        if protected:
            out.append(f'<span class="nocase">{text}</span>')
        else:
            out.append(_sentence_case_piece(text, at, title))
        at += len(text)
    return "".join(out)


def braced_title(title: str, terms: Iterable[str] = (), wrap=lambda s: s) -> str:
    """The title as published with exactly the protected parts in braces, for BibTeX.

    ``wrap`` escapes the unprotected text for LaTeX (the BibTeX writer passes its escaper).
    """
    return "".join("{" + wrap(text) + "}" if protected else wrap(text) for text, protected in segments(title, terms))
