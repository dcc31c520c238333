"""LaTeX text back to Unicode for the round-trip tests: what a reader of the PDF would see.

pylatexenc's decoder plus the text commands our writer uses for LaTeX's special characters
(its defaults drop ``\\textbraceleft`` and turn ``\\textasciicircum`` into a modifier letter).
"""

from __future__ import annotations

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

_TEXT_COMMANDS = {
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textbackslash": "\\",
}


def _decoder() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    db.add_context_category(
        "syndata-bibtex", prepend=True, macros=[MacroTextSpec(name, text) for name, text in _TEXT_COMMANDS.items()]
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)


_DECODER = _decoder()


def latex_to_text(latex: str) -> str:
    """Braces dropped, escapes and accents decoded, runs of spaces as one."""
    return " ".join(_DECODER.latex_to_text(latex).split())
