"""One string from outside → what is wrong with it as text: mojibake, or a character that changes
what a page shows without showing itself; pure.

Validation asks it of every value in the catalogue. A line break in a section name becomes a
heading in Markdown; bidi controls show text in another order than it is stored; zero-width
characters make equal-looking keys, names and titles differ. Most strings hold none of these, so
:func:`suspect` looks at many strings in one pass before anything is asked one string at a time.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"  # C0 (tab and line feed too), DEL, C1, line/paragraph separators
BIDI = r"\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates
INVISIBLE = r"\u200b-\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner; word joiner; BOM
HIDDEN = re.compile(f"[{CONTROL}{BIDI}{INVISIBLE}]")
_CONTROL, _BIDI = re.compile(f"[{CONTROL}]"), re.compile(f"[{BIDI}]")
JOINERS = "\u200c\u200d"  # Persian, Arabic and Indic words and emoji need them inside a word, nowhere else
SHOWN = 100  # characters of a value quoted in a message
# Mojibake of UTF-8 read as Latin-1 or Windows-1252 pairs a lead character (Â … ô, bytes C2-F4) with
# a character for a continuation byte (80-BF, read either way). Only texts holding such a pair go to
# ftfy, whose import alone (80 ms) costs more than reading and checking a short catalogue.
_CONTINUATION = bytes(range(0x80, 0xC0)).decode("latin-1") + bytes(range(0x80, 0xC0)).decode("cp1252", "ignore")
MOJIBAKE_SUSPECT = re.compile(f"[\u00c2-\u00f4][{re.escape(''.join(sorted(set(_CONTINUATION))))}]")


def suspect(strings: list[str], longest: int) -> bool:
    """Whether any of ``strings`` is longer than ``longest``, or may be mojibake or hold a hidden
    character: one pass over them all, so that only a suspect record is looked at string by string."""
    if max(map(len, strings), default=0) > longest:
        return True
    blob = " ".join(strings)  # a space pairs with nothing either pattern looks for
    return bool(HIDDEN.search(blob) or MOJIBAKE_SUSPECT.search(blob))


def mojibake(text: str) -> str | None:
    """The repair of a text that is mojibake (ftfy judges), else None."""
    if not MOJIBAKE_SUSPECT.search(text):
        return None
    import ftfy
    import ftfy.badness

    return ftfy.fix_text(text) if ftfy.badness.is_bad(text) else None


def hidden(text: str, line_feeds: bool = False) -> tuple[int, str, str] | None:
    """The first character of ``text`` that changes what it shows without showing itself, as (its
    index, what it is, what to do); a zero-width joiner inside a word passes, and line feeds where
    ``line_feeds`` allows paragraphs."""
    for match in HIDDEN.finditer(text):
        i = match.start()
        if not (text[i] in JOINERS and _inside_word(text, i) or line_feeds and text[i] == "\n"):
            return i, *describe(text[i])
    return None


def _inside_word(text: str, i: int) -> bool:
    """Whether the character at ``i`` stands between two letters, marks or symbols (emoji)."""
    return 0 < i < len(text) - 1 and all(unicodedata.category(c)[0] in "LMS" for c in (text[i - 1], text[i + 1]))


def odd_character(text: str, forbidden: re.Pattern[str]) -> int | None:
    """Where the first character is that is not printable or is ``forbidden`` (in an identifier, a
    URL), else None."""
    if text.isprintable() and not forbidden.search(text):
        return None
    return next(i for i, c in enumerate(text) if not c.isprintable() or forbidden.match(c))


def describe(char: str) -> tuple[str, str]:
    """A character that does not belong where it is, named for a message, and what to do about it."""
    code = f"U+{ord(char):04X}"
    named = f"{code} ({name})" if (name := unicodedata.name(char, "")) else code
    if _CONTROL.fullmatch(char):
        return f"control character {code}", "write the value on one line" if char == "\n" else "remove it"
    if _BIDI.fullmatch(char):
        return f"bidirectional control {named}", "it shows the text in another order than it is stored: remove it"
    if char == " ":
        return "a space", ""
    if char.isspace():
        return f"space character {named}", ""
    if char.isprintable():
        return repr(char), ""
    return f"invisible character {named}", "it makes text that looks the same differ: remove it"


def shown(value: Any) -> str:
    """A value quoted for a message, cut short: a 20 MB value must not make a 20 MB message."""
    if isinstance(value, str) and len(value) > SHOWN:
        return repr(value[:SHOWN] + "…")
    text = repr(value)
    return text if len(text) <= 2 * SHOWN else text[:SHOWN] + "…"
