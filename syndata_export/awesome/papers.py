"""List items → papers: each item's citation read by its shape, its links read for identifiers; pure.

An item that cannot be read becomes a problem at its line and is skipped; every other item is
still a paper. A paper is catalogue fields without a key yet, and where each field was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from syndata_export.awesome import shapes
from syndata_export.awesome.read import LINK_KINDS, Document, Item, Link
from syndata_export.errors import Problem

# host → (pattern on the path, the identifier field it gives)
IDENTIFIER_LINKS = {
    "arxiv.org": (re.compile(r"^/(?:abs|pdf)/" + shapes.ARXIV_ID + r"(?:\.pdf)?/?$"), "arxiv"),
    "aclanthology.org": (re.compile(r"^/([A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+)(?:/|\.pdf)?$"), "acl_anthology"),
    "doi.org": (re.compile(r"^/(10\.\d{4,9}/\S+)$"), "doi"),
}


@dataclass
class Paper:
    """One paper read from the list: catalogue fields (no key yet), and where it was written."""

    line: int
    fields: dict[str, Any]
    where: dict[str, tuple[int, int]] = field(default_factory=dict)  # fields taken from links: the link's place
    key: str = ""  # the key the list gave it (its anchor), if any


def papers(doc: Document, name: str = "README.md") -> tuple[list[Paper], list[Problem]]:
    """Each readable item as a paper; each unreadable one as a problem at its line."""
    found, problems = [], []
    for item in doc.items:
        paper, item_problems = _paper(item, name)
        problems.extend(item_problems)
        if paper is not None:
            found.append(paper)
    return found, problems


def _paper(item: Item, name: str) -> tuple[Paper | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(message: str, hint: str = "", line: int = item.line, col: int = 1) -> None:
        problems.append(Problem(name, line, col, "", message, hint))

    if not item.section:
        problem("paper before the first section heading; skipped", "put it under a `###` heading")
        return None, problems
    try:
        cited = shapes.parse(item.text)
    except shapes.CitationError as exc:
        problem(f"{exc.message}; item skipped", exc.hint)
        return None, problems
    paper = Paper(item.line, {"section": item.section, **cited.fields}, key=item.key)
    if cited.authors_incomplete:
        paper.fields["authors_incomplete"] = True
    for link in item.links:
        kind = LINK_KINDS.get(link.label.casefold())
        if kind is None:
            problem(
                f"link {link.label!r} is not one I know; ignored", "use Paper, Code or Project", link.line, link.col
            )
            continue
        if not _is_url(link.url):
            problem(f"broken link [{link.label}]({link.url})", "a full http(s) address", link.line, link.col)
            continue
        before = set(paper.fields)
        _apply_link(paper.fields, kind, link, problem)
        paper.where.update(dict.fromkeys(set(paper.fields) - before, (link.line, link.col)))
    if not any(paper.fields.get(k) for k in ("arxiv", "doi", "url")):
        problem("no arXiv ID, DOI or Paper link; item skipped", "add [Paper](https://…) under the item")
        return None, problems
    return paper, problems


def _apply_link(fields: dict[str, Any], kind: str, link: Link, problem: Callable[..., None]) -> None:
    if kind in ("code", "project"):
        fields.setdefault(kind, link.url)
        return
    parts = urlsplit(link.url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("dx.")
    known = IDENTIFIER_LINKS.get(host)
    match = known[0].match(parts.path) if known else None
    identifier = ("openreview", parse_qs(parts.query).get("id", [""])[0]) if host == "openreview.net" else None
    if known and match:
        identifier = (known[1], match.group(1))
    if identifier and identifier[1]:
        field_name, value = identifier
        if fields.get(field_name) and fields[field_name] != value:
            problem(
                f"{field_name} {value!r} in the link differs from {fields[field_name]!r} in the text; kept the text's",
                "",
                link.line,
                link.col,
            )
        fields.setdefault(field_name, value)
    if kind == "paper":
        fields.setdefault("url", link.url)


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and "." in parts.netloc and not any(c.isspace() for c in value)
