"""What a catalogue is once read: list metadata and paper records, each value with its position."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from syndata_export.errors import Problem


class Positions:
    """Where each value was written, as (line, col) from 1, and how each value that is not text (a
    number, true/false) was spelt; worked out on the first question only.

    Only a problem asks, so a valid catalogue never pays for the tables (10,000 papers: 60 MiB).
    """

    def __init__(self, build: Callable[[], tuple[dict[tuple, tuple[int, int]], dict[tuple, str]]]) -> None:
        self._build = build
        self._known: dict[tuple, tuple[int, int]] | None = None
        self._spelt: dict[tuple, str] = {}

    def locate(self, path: tuple) -> tuple[int, int]:
        """The value at ``path`` (keys and list indexes; ``"@", key`` for a key itself), else its
        closest parent; (1, 1) for the document."""
        known = self._tables()
        while path:
            if path in known:
                return known[path]
            path = path[:-1]
        return 1, 1

    def written(self, path: tuple) -> str:
        """The file's text of the number or boolean at ``path`` (``2406.18960``, not the float
        2406.1896), for a hint that quotes it; "" where the value is text or absent."""
        self._tables()
        return self._spelt.get(path, "")

    def _tables(self) -> dict[tuple, tuple[int, int]]:
        if self._known is None:
            self._known, self._spelt = self._build()
        return self._known


@dataclass
class Record:
    """One paper: its fields as plain values, and where each was written."""

    fields: dict[str, Any]
    index: int
    positions: Positions = field(repr=False)

    @property
    def key(self) -> str:
        key = self.fields.get("key")
        return key if isinstance(key, str) else ""

    @property
    def line(self) -> int:
        return self.where()[0]

    def where(self, *path: Any) -> tuple[int, int]:
        """Position of a field (or of the record itself), falling back to its closest parent."""
        return self.positions.locate(("papers", self.index, *path))

    def written(self, *path: Any) -> str:
        """How the file spells the number or boolean at a field (see :meth:`Positions.written`)."""
        return self.positions.written(("papers", self.index, *path))


@dataclass
class Catalogue:
    """The whole catalogue: list metadata and records, and where each value was written."""

    path: str
    data: dict[str, Any]
    records: list[Record]
    positions: Positions = field(repr=False)
    problems: list[Problem] = field(default_factory=list)  # found while reading, reported by validate

    @property
    def title(self) -> str:
        return _text(self.data.get("title"))

    @property
    def description(self) -> str:
        return _text(self.data.get("description"))

    @property
    def sections(self) -> list[str]:
        return _texts(self.data.get("sections"))

    @property
    def protected_terms(self) -> list[str]:
        return _texts(self.data.get("protected_terms"))

    def where(self, *path: Any) -> tuple[int, int]:
        return self.positions.locate(path)

    def written(self, *path: Any) -> str:
        return self.positions.written(path)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
