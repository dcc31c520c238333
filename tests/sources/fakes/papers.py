"""The papers the fake services serve: the shipped catalogue's 14 records, plus the facts it does not hold.

Titles, authors, dates and published versions come from our own ``catalogue.yaml`` (which follows
seed-metadata.yaml). What the catalogue does not record, and a real service would answer, is in
:data:`EXTRA`: the primary class where the catalogue has none (chosen for the fake, marked so),
the number of arXiv versions, the submission time, and the DOI / journal reference that some
authors give arXiv (assumed present for two papers, so the hints have something to carry).
:data:`DECOY` has a near-identical title to AgentInstruct by other authors, published in a journal:
the trap that a title-only match falls into. :data:`SEARCH_DECOY` is the graph fakes' own trap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import yaml

from tests.conftest import REPO


@dataclass(frozen=True)
class Paper:
    record: dict[str, Any]  # as the catalogue writes it: authors "Family, Given", published: {...}
    arxiv_class: str
    versions: int = 1
    time: str = "17:59:59"  # UTC time of v1 on its date
    arxiv_doi: str = ""  # the DOI the authors gave arXiv, if any
    journal_ref: str = ""
    other_classes: tuple[str, ...] = field(default=())

    @property
    def arxiv(self) -> str:
        return str(self.record["arxiv"])

    @property
    def date(self) -> str:
        return str(self.record["date"])


# arXiv id → facts beyond the catalogue; classes after "#" are the fake's choice (the catalogue has none)
EXTRA: dict[str, dict[str, Any]] = {
    "2402.13446": {"arxiv_class": "cs.CL", "versions": 3, "time": "18:23:52"},
    "2406.18966": {"arxiv_class": "cs.CL", "versions": 5},  # fake's choice
    "2410.06961": {"arxiv_class": "cs.CL", "versions": 2},  # fake's choice
    "2409.08239": {"arxiv_class": "cs.CL", "versions": 2, "time": "17:39:00", "other_classes": ("cs.AI",)},
    "2409.07431": {"arxiv_class": "cs.LG", "versions": 2},  # fake's choice
    "2404.07503": {"arxiv_class": "cs.CL", "versions": 2},
    "2407.03502": {"arxiv_class": "cs.AI", "other_classes": ("cs.CL", "cs.LG")},  # the order arXiv lists
    "2408.01323": {"arxiv_class": "cs.CL", "versions": 2},  # fake's choice
    "2402.13064": {"arxiv_class": "cs.CL"},  # fake's choice
    "2410.01720": {"arxiv_class": "cs.LG", "versions": 3, "time": "16:32:00"},  # fake's choice
    "2408.09849": {"arxiv_class": "cs.CL", "versions": 2, "journal_ref": "AAAI 2025"},  # fake's choice
    "2310.05492": {
        "arxiv_class": "cs.CL",  # fake's choice
        "versions": 4,
        "arxiv_doi": "10.18653/v1/2024.acl-long.12",
        "journal_ref": "ACL 2024 (Volume 1: Long Papers), pages 177-198",
    },
    "2408.16737": {"arxiv_class": "cs.CL", "versions": 2},  # fake's choice
    "2404.05090": {"arxiv_class": "cs.LG"},  # fake's choice
}

DECOY_RECORD: dict[str, Any] = {
    "key": "decoy2025agentinstruct",
    "type": "article",
    "title": "AgentInstruct: Towards Generative Teaching with Agentic Flows",
    "authors": ["Okafor, Chidi", "Lindqvist, Maja", "Ferreira, Tomás"],
    "date": "2025-01-14",
    "arxiv": "2501.08123",
    "doi": "10.48550/arXiv.2501.08123",
    "url": "https://arxiv.org/abs/2501.08123",
    "published": {
        "type": "article-journal",
        "container": "Journal of Instructional Technology",
        "date": "2025-06",
        "volume": "12",
        "issue": "3",
        "pages": "45-61",
        "publisher": "Example Academic Press",
        "doi": "10.5555/decoy.2025.agentinstruct",  # 10.5555: Crossref's prefix for examples
    },
}
DECOY = Paper(DECOY_RECORD, "cs.CY")


@cache
def papers() -> tuple[Paper, ...]:
    """The 14 shipped papers in catalogue order, then the decoy."""
    catalogue = yaml.safe_load((REPO / "catalogue.yaml").read_text(encoding="utf-8"))
    shipped = tuple(Paper(_plain(r), **EXTRA[str(r["arxiv"])]) for r in catalogue["papers"])
    return (*shipped, DECOY)


def by_arxiv(arxiv_id: str) -> Paper | None:
    return next((p for p in papers() if p.arxiv == arxiv_id), None)


def published_dois() -> dict[str, Paper]:
    """Publisher DOI (lower case) → paper, for the versions of record Crossref holds."""
    return {str(p.record["published"]["doi"]).lower(): p for p in papers() if p.record.get("published", {}).get("doi")}


def given_family(author: str) -> tuple[str, str]:
    """``Del Corro, Luciano`` → (``Luciano``, ``Del Corro``)."""
    family, _, given = author.partition(", ")
    return given, family


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """Dates as text, the way the catalogue means them (YAML reads 2024-02-21 as a date)."""
    out = {k: (str(v) if k == "date" else v) for k, v in record.items()}
    if isinstance(out.get("published"), dict):
        out["published"] = {k: (str(v) if k == "date" else v) for k, v in out["published"].items()}
    return out


# -- the catalogue as the identifier-graph fakes (Semantic Scholar, DBLP, Anthology) read it ----------
# SEARCH_DECOY: a near-identical title to tan2024large by another author, with no arXiv id, so only
# a title search can meet it.

SEARCH_DECOY: dict[str, Any] = {
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
    return [*catalogue(), SEARCH_DECOY]


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
