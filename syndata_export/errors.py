"""One exception root: every error a user can cause, with where it happened and what to do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_SHOWN = 100  # problems a CatalogueError prints; the rest are counted


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as ``file:line:col: label: message (hint)``."""

    path: str
    line: int
    col: int
    label: str
    message: str
    hint: str = ""
    code: str = ""  # a stable name for problems that commands treat specially, e.g. "authors-incomplete"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}: " if self.line else f"{self.path}: "
        label = f"{self.label}: " if self.label else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{label}{self.message}{hint}"


class SyndataError(Exception):
    """Root of every error the CLI reports without a traceback; ``exit_code`` says how it ends."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(SyndataError):
    """The command line asked for something that does not exist (exit 2)."""

    exit_code = 2


class CatalogueError(SyndataError):
    """The catalogue cannot be read or is invalid; carries every problem found at once.

    Printed, it shows the first :data:`MAX_SHOWN` problems and counts the rest: a broken
    10,000-paper file can hold tens of thousands, and nobody reads past the first screens.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{plural(len(problems), 'problem')} in the catalogue")

    def __str__(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            shown.append(f"… and {plural(len(self.problems) - MAX_SHOWN, 'more problem')}")
        return "\n".join(shown)


class OutputError(SyndataError):
    """A result could not be written where the user asked."""


class RemoteError(SyndataError):
    """A remote service (Zotero) refused or failed, after any retries."""


def plural(count: int, noun: str) -> str:
    """``1 paper``, ``3 papers``, ``74,564 problems``: a count and its noun, for every message."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def yaml_quoted(text: str) -> str:
    """``text`` as a single-quoted YAML value, for every "quote it" hint."""
    return "'" + text.replace("'", "''") + "'"


def close_matches(word: str, known: Iterable[str], n: int = 1) -> list[str]:
    """The ``n`` known names closest to a mistyped one, for every "did you mean" hint.

    difflib is imported only when a hint is needed, which is never on a run that succeeds.
    """
    import difflib

    return difflib.get_close_matches(word, list(known), n=n, cutoff=0.6)
