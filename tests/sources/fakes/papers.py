"""What the fake services know: the shipped catalogue's papers (our verified facts) and one decoy.

The fakes render these facts in each service's own format; a test that recovers a record through
a fake therefore recovers the catalogue's own values. The decoy has a near-identical title by
other authors and no arXiv id, so only a title search can meet it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from tests.conftest import REPO

DECOY: dict[str, Any] = {
    "key": "doe2024large",
    "title": "Large Language Models for Data Annotation: A Short Survey",
    "authors": ["Doe, Jane"],
    "date": "2024",
    "published": {
        "type": "paper-conference",
        "container": "Proceedings of the Workshop on Annotation Tools",
        "date": "2024",
        "pages": "1-9",
    },
}


@lru_cache(maxsize=1)
def catalogue() -> list[dict[str, Any]]:
    """The shipped records, dates as text (YAML reads ``2024-02-21`` as a date)."""
    papers = yaml.safe_load((REPO / "catalogue.yaml").read_text(encoding="utf-8"))["papers"]
    return [_texts(paper) for paper in papers]


def known() -> list[dict[str, Any]]:
    """Every paper a fake serves: the catalogue's and the decoy."""
    return [*catalogue(), DECOY]


def published() -> list[dict[str, Any]]:
    """The catalogue's papers that record a published version."""
    return [paper for paper in catalogue() if paper.get("published")]


def version(paper: dict[str, Any]) -> dict[str, Any]:
    """The published version with the preprint's title and authors where it keeps them."""
    out = dict(paper.get("published") or {})
    out.setdefault("title", paper["title"])
    out.setdefault("authors", paper["authors"])
    return out


def display(name: str) -> str:
    """``"Del Corro, Luciano"`` → ``"Luciano Del Corro"``, the way services print people."""
    family, _, given = name.partition(", ")
    return f"{given} {family}" if given else family


def _texts(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _texts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v) for v in value]
    return value if isinstance(value, str) else str(value)
