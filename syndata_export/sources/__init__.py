"""sources: papers from the services that publish them: arXiv, Crossref, DataCite, Semantic Scholar, DBLP, ACL.

One module per source, each with pure parsers (bytes → :class:`~syndata_export.sources.found.Found`)
and thin fetchers that take an :class:`~syndata_export.sources.http.Http`, the one door to the
network (pacing, retries, deadlines, the disk cache, ``--offline``). :mod:`ids` reads the
identifiers people paste. Every failure a user can meet is a :class:`SourceError` whose message
starts with the source's name, so "crossref: …" says at once who failed.
"""

from __future__ import annotations

import json
from typing import Any

from syndata_export.errors import RemoteError


class SourceError(RemoteError):
    """A source failed or answered something we cannot read; the message starts with its name."""


class NotFound(SourceError):
    """The source answered that it has no such paper (HTTP 404, or an empty result for an id)."""


def load_json(source: str, body: bytes) -> Any:
    """A JSON answer, or a SourceError saying it is not one (a proxy's HTML page, a cut-off body)."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise SourceError(
            f"{source}: the answer is not valid JSON", "the service may be failing; try again later"
        ) from None


def malformed(source: str, what: str) -> SourceError:
    """The one wording for an answer whose shape is not the API's."""
    return SourceError(f"{source}: malformed answer ({what})", "the service may have changed or be failing")
