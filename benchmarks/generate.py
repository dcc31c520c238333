"""Generated catalogues for benchmarks: ``generate(n, seed)`` → valid catalogue.yaml text.

Shaped like the real list, so processors do real work: author names drawn from a limited pool
(shared surnames, so CSL name disambiguation and 2024a/2024b suffixes happen), accented names,
protected terms in titles, preprints of which about half were later published at a conference or
in a journal, and code/project links. Deterministic for a given (n, seed).

    .venv/bin/python -m benchmarks.generate 1000 > /tmp/catalogue-1000.yaml
"""

from __future__ import annotations

import random
import sys
import unicodedata

import yaml

SECTIONS = ["Survey Papers", "Research Papers", "Analysis Papers"]
PROTECTED = ["LLM", "LLMs", "GPT-4", "DataGen", "AgentInstruct"]
FAMILIES = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Luo",
    "Gao",
    "Smith",
    "Johnson",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Martinez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Lee",
    "Kim",
    "Park",
    "Choi",
    "Nguyen",
    "Tran",
    "Pham",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Candès",
    "Dubois",
    "Lefèvre",
    "Rossi",
    "Russo",
    "Ferrari",
    "Kowalski",
    "Nowak",
    "Ivanov",
    "Petrov",
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Singh",
    "Kumar",
    "Sharma",
    "Patel",
    "Gupta",
    "Khan",
    "Ali",
    "Hassan",
    "Silva",
    "Santos",
    "Oliveira",
    "Costa",
    "Pereira",
    "Del-Corro",
    "Dwivedi-Yu",
    "O'Brien",
]
GIVENS = [
    "Wei",
    "Jing",
    "Yue",
    "Lei",
    "Hao",
    "Min",
    "Xin",
    "Yu",
    "Jun",
    "Tao",
    "Anna",
    "Maria",
    "John",
    "David",
    "Michael",
    "Sarah",
    "Emma",
    "Lucas",
    "Noah",
    "Olivia",
    "Chi-min",
    "Wei-ge",
    "Seyed",
    "Mehran",
    "Hritik",
    "Alisia",
    "Zeyu",
    "Siyuan",
    "Ruibo",
    "Qingxiu",
    "Guanting",
    "Yifan",
    "Emmanuel",
    "Zitong",
]
WORDS = [
    "synthetic",
    "data",
    "generation",
    "instruction",
    "tuning",
    "preference",
    "alignment",
    "distillation",
    "agent",
    "reasoning",
    "curation",
    "annotation",
    "evaluation",
    "benchmark",
    "pretraining",
    "retrieval",
    "feedback",
    "reward",
    "model",
    "collapse",
    "scaling",
    "bootstrapping",
    "self-improvement",
    "augmentation",
    "filtering",
    "quality",
    "diversity",
]
VENUES = [
    ("paper-conference", "Proceedings of the 2024 Conference on Empirical Methods in Natural Language Processing"),
    ("paper-conference", "The Thirteenth International Conference on Learning Representations"),
    ("paper-conference", "Findings of the Association for Computational Linguistics: ACL 2025"),
    ("article-journal", "Transactions on Machine Learning Research"),
    ("article-journal", "Journal of Machine Learning Research"),
]


def generate(n: int, seed: int = 1) -> str:
    """A valid catalogue of ``n`` papers as YAML text."""
    rng = random.Random(seed)
    papers = [_paper(i, rng) for i in range(n)]
    data = {
        "title": f"Generated list ({n} papers)",
        "description": "A generated catalogue for benchmarks.",
        "sections": SECTIONS,
        "protected_terms": PROTECTED,
        "papers": papers,
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _paper(i: int, rng: random.Random) -> dict:
    year = rng.choice((2023, 2024, 2024, 2025))
    arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{i:05d}"
    authors = [f"{rng.choice(FAMILIES)}, {rng.choice(GIVENS)}" for _ in range(rng.choice((1, 2, 3, 4, 6, 8, 12)))]
    words = rng.sample(WORDS, 5)
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(PROTECTED))
    title = " ".join(w.capitalize() for w in words) + f": Study {i}"
    first = unicodedata.normalize("NFKD", authors[0].split(",")[0]).encode("ascii", "ignore").decode().lower()
    first = "".join(c for c in first if c.isalnum())
    paper = {
        "key": f"{first}{year}{words[0].lower()}{i}",
        "section": SECTIONS[rng.randrange(3)],
        "type": "article",
        "title": title,
        "authors": authors,
        "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "arxiv": arxiv,
        "arxiv_class": "cs.CL",
        "doi": f"10.48550/arXiv.{arxiv}",
        "url": f"https://arxiv.org/abs/{arxiv}",
    }
    if rng.random() < 0.3:
        paper["code"] = f"https://github.com/example/project-{i}"
    if rng.random() < 0.5:
        kind, venue = rng.choice(VENUES)
        start = rng.randint(1, 9000)
        paper["published"] = {
            "type": kind,
            "container": venue,
            "date": year + 1 if year < 2025 else year,
            "pages": f"{start}-{start + rng.randint(5, 20)}",
            "doi": f"10.5555/bench.{i}",
        }
        if kind == "article-journal":
            paper["published"]["volume"] = str(rng.randint(1, 30))
    return paper


if __name__ == "__main__":
    size, seed = (int(a) for a in ([*sys.argv[1:], "100", "1"][:2]))
    sys.stdout.write(generate(size, seed))
