"""Seeded CSL items built to stress disambiguation, and the one-pass reference they are checked against.

Few family names (so first authors collide), given names that share initials, particles written
both ways ("van Dijk" as family, or "Dijk" with the particle apart), literal names that print
like family names, author lists around the et-al thresholds of APA (3), Chicago (3, 7) and ACL,
two years plus missing and partial dates, a small pool of titles (identical titles), and several
item types (chapters with editors, so second name lists reach the cites too).
"""

from __future__ import annotations

import random

FIRST_NAMES: list[dict] = [
    {"family": "Smith"},
    {"family": "Smith-Jones"},
    {"family": "Jones"},
    {"family": "Dijk", "non-dropping-particle": "van"},
    {"family": "van Dijk"},
    {"family": "Dijk"},
    {"family": "Beethoven", "dropping-particle": "van"},
    {"family": "Müller"},
    {"family": "Muller"},
    {"family": "O'Brien"},
    {"family": "Wang"},
    {"family": "Li"},
    {"literal": "Smith"},
    {"literal": "OpenAI"},
] + [{"family": f} for f in ("Zhang", "Chen", "Liu", "Kim", "Park", "Garcia", "Rossi", "Nguyen", "Tanaka", "Singh")]
EDITORS = ["Lee", "Taylor", "Brown", "Walker", "Hall", "Young"]
CO_AUTHORS = ["Lee", "Kim", "Brown", "Smith", "Wang", "Taylor", "Zhang"]
GIVENS = ["John", "Jane", "J.", "James", "Wei", "Wen", "W.", "Ann", "Anna", "A. B.", "Jean-Paul", None]
TITLES = [
    "Synthetic data for instruction tuning",
    "Self-instruct: Aligning language models with self-generated instructions",
    "A survey of synthetic data",
    "On the diversity of generated data",
    "Model collapse revisited",
    "Textbooks are all you need",
    "Data generation at scale",
    "Preference data from AI feedback",
]
TYPES = ["article-journal", "paper-conference", "article", "article", "paper-conference", "chapter", "book", "report"]
CONTAINERS = ["Transactions on Machine Learning Research", "Proceedings of ACL", "NeurIPS"]


def _name(rng: random.Random, first: bool = False) -> dict:
    base = dict(rng.choice(FIRST_NAMES)) if first or rng.random() < 0.5 else {"family": rng.choice(CO_AUTHORS)}
    given = rng.choice(GIVENS)
    if given and "literal" not in base:
        base["given"] = given
    return base


def _date(rng: random.Random) -> dict | None:
    roll = rng.random()
    if roll < 0.1:
        return None  # missing date
    year = rng.choice([2020, 2021])
    if roll < 0.5:
        return {"date-parts": [[year]]}
    if roll < 0.8:
        return {"date-parts": [[year, rng.randint(1, 12)]]}
    return {"date-parts": [[year, rng.randint(1, 12), rng.randint(1, 28)]]}


def stress_items(n: int, seed: int) -> list[dict]:
    """``n`` CSL items, the same for the same (n, seed)."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        kind = rng.choice(TYPES)
        count = rng.choice([1, 1, 2, 2, 3, 3, 4, 6, 8])
        authors = [_name(rng, first=True)] + [_name(rng) for _ in range(count - 1)]
        earlier = items[rng.randrange(len(items))] if items else None
        roll = rng.random()
        if earlier and roll < 0.15:  # the same authors as an earlier paper: only the year can tell them apart
            authors = [dict(a) for a in earlier["author"]]
        elif earlier and count > 1 and roll < 0.4:  # the same first author, other co-authors
            authors[0] = dict(earlier["author"][0])
        item: dict = {"id": f"item{i:04d}", "type": kind, "author": authors, "title": rng.choice(TITLES)}
        date = _date(rng)
        if date:
            item["issued"] = date
        if kind in ("article-journal", "paper-conference", "chapter"):
            item["container-title"] = rng.choice(CONTAINERS)
            start = rng.randint(1, 500)
            item["page"] = f"{start}-{start + rng.randint(1, 30)}"
        if kind == "chapter" and rng.random() < 0.3:
            item["editor"] = [{"family": rng.choice(EDITORS), "given": rng.choice(GIVENS[:4])}]
        if kind == "article":
            item["number"] = f"arXiv:2101.{i:05d}"
            item["publisher"] = "arXiv"
        if rng.random() < 0.3:
            item["DOI"] = f"10.5555/stress.{i}"
        items.append(item)
    rng.shuffle(items)
    return items
