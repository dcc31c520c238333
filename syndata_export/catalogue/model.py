"""What a catalogue is once read: list metadata and paper records, each value with its position."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from syndata_export.errors import Problem

Positions = dict[tuple, "tuple[int, int]"]  # value path → (line, col), 1-based


def locate(positions: Positions, path: tuple) -> tuple[int, int]:
    """Where the value at ``path`` was written, else its closest parent; (1, 1) for the document."""
    while path:
        if path in positions:
            return positions[path]
        path = path[:-1]
    return 1, 1


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
        return locate(self.positions, ("papers", self.index, *path))


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
        return locate(self.positions, path)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
