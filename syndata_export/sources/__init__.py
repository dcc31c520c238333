"""Papers from their sources: what every source client shares (the answer and the errors).

Each source module turns a service's answer into a :class:`Found`, in the catalogue's own field
names, so the commands compare and write one shape whatever the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syndata_export.errors import RemoteError


@dataclass
class Found:
    """What one source says about one paper: ``fields`` as a catalogue record, ``published`` as its
    ``published:`` block when the source knows a peer-reviewed version; only what the source says."""

    source: str
    fields: dict[str, Any]
    published: dict[str, Any] | None = None
    evidence: str = ""


class SourceError(RemoteError):
    """A source failed or answered something unreadable; the message starts with its name."""


class NotFound(SourceError):
    """The source has no such paper (HTTP 404)."""
