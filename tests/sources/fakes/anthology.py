"""A fake of the ACL Anthology's per-paper BibTeX (``/{id}.bib``), from our papers' facts.

Laid out as the Anthology writes it: four-space fields, ``"…"`` values, authors joined by
``  and`` and a newline, ``month`` as a bare macro, capitals braced, non-ASCII LaTeX-encoded, empty
fields left out, ``pages`` with ``--``. An unknown id is a 404 HTML page.
"""

from __future__ import annotations

import re
from typing import Any

from pylatexenc.latexencode import unicode_to_latex

from tests.sources.fakes import papers

# the month each volume appeared (the Anthology writes one for every paper; our catalogue keeps the year)
MONTHS = {"2024.emnlp": "nov", "2024.acl": "aug", "2025.findings": "jul"}
NOT_FOUND = b"<!DOCTYPE html><html><head><title>Page Not Found</title></head><body>404</body></html>"


def handle(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
    anthology_id = path.strip("/").removesuffix(".bib")
    for paper in papers.catalogue():
        pub = paper.get("published") or {}
        if pub.get("acl_anthology") == anthology_id and path.endswith(".bib"):
            return 200, "text/x-bibtex; charset=utf-8", bibtex(papers.version(paper)).encode()
    return 404, "text/html", NOT_FOUND


def bibtex(pub: dict[str, Any]) -> str:
    anthology_id = pub["acl_anthology"]
    family = re.sub(r"\W", "", pub["authors"][0].split(",")[0]).lower()
    key = f"{family}-etal-{pub['date'][:4]}-{re.sub(r'[^a-z]', '', pub['title'].split()[0].lower())}"
    authors = "  and\n      ".join(_latex(name) for name in pub["authors"])
    fields = [
        ("title", _braced(_latex(pub["title"]))),
        ("author", authors),
        ("booktitle", _latex(pub["container"])),
        ("month", MONTHS[anthology_id.split("-")[0]]),
        ("year", pub["date"][:4]),
        ("address", _latex(pub.get("place", ""))),
        ("publisher", _latex(pub.get("publisher", ""))),
        ("url", f"https://aclanthology.org/{anthology_id}/"),
        ("doi", pub.get("doi", "")),
        ("pages", pub.get("pages", "").replace("-", "--")),
    ]
    lines = [
        f"    {name} = {value}," if name == "month" else f'    {name} = "{value}",' for name, value in fields if value
    ]
    return "@inproceedings{" + key + ",\n" + "\n".join(lines) + "\n}\n"


def _latex(text: str) -> str:
    return unicode_to_latex(text, non_ascii_only=True)


def _braced(text: str) -> str:
    """Capitals kept from BibTeX's lowercasing: ``{D}ata``, ``{FANNO}`` (not the title's first letter)."""
    return re.sub(r"[A-Z]+", lambda m: m.group(0) if m.span() == (0, 1) else "{" + m.group(0) + "}", text)
