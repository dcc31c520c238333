"""found: what one source says about one paper, in the catalogue's own field names and shapes.

``fields`` holds a record's fields (type, title, authors as "Family, Given", date as YYYY-MM-DD or
YYYY, arxiv, arxiv_class, doi, url, container, pages, …); ``published`` the fields of a record's
``published:`` block when the source names a peer-reviewed version; ``evidence`` one line saying
where the values came from, for reports. Only what the source says: nothing is guessed or filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Found:
    source: str
    fields: dict[str, Any] = field(default_factory=dict)
    published: dict[str, Any] | None = None
    evidence: str = ""
