"""The awesome-list README: read one into papers with line numbers, write one from CSL items; pure.

Reading is lenient the way python-bibtexparser is: an item that cannot be read becomes a
problem with its line number, and every other item is still imported. Mojibake is repaired
(ftfy) and each repair is reported, so the person can fix the source too.

The Markdown is read line by line rather than through a Markdown library: an awesome list is
headings, paragraphs and one-level list items with links, and every item and link must keep its
line number, which neither pandoc's AST nor the standard library gives.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import ftfy

from syndata_export import citation
from syndata_export.errors import Problem

# link label (case-folded) → what it gives the record
LINK_KINDS = {
    "paper": "paper",
    "pdf": "paper",
    "arxiv": "arxiv",
    "code": "code",
    "github": "code",
    "project": "project",
    "project page": "project",
    "homepage": "project",
    "website": "project",
}
# host → (pattern on the path, the identifier field it gives)
IDENTIFIER_LINKS = {
    "arxiv.org": (re.compile(r"^/(?:abs|pdf)/" + citation.ARXIV_ID + r"(?:\.pdf)?/?$"), "arxiv"),
    "aclanthology.org": (re.compile(r"^/([A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+)(?:/|\.pdf)?$"), "acl_anthology"),
    "doi.org": (re.compile(r"^/(10\.\d{4,9}/\S+)$"), "doi"),
}
TOC_HEADINGS = {"contents", "table of contents"}
SECTION_LEVELS = 3  # `#`, `##` and `###` headings are sections; deeper ones are text inside a section
LINK_ORDER = ("Paper", "arXiv", "Project", "Code")  # the seed list has Paper, then Project

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_ITEM = re.compile(r"^( {0,3})(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_BROKEN = re.compile(r"\[([^\[\]]+)\](?:\(\s*([^)]*?)\s*(?:\)|$)|(?!\())")


@dataclass
class Link:
    label: str
    url: str
    line: int
    col: int


@dataclass
class Item:
    """One list item: the citation text (first paragraph, links removed) and every link under it."""

    line: int
    section: str
    text: str
    links: list[Link] = field(default_factory=list)


@dataclass
class Document:
    title: str = ""
    description: str = ""
    sections: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # repairs and broken links, all with line numbers


@dataclass
class Imported:
    """One paper read from the list: catalogue fields (no key yet), and where it was written."""

    line: int
    fields: dict[str, Any]
    where: dict[str, tuple[int, int]] = field(default_factory=dict)  # fields taken from links: the link's place


# ---------------------------------------------------------------- reading the Markdown


def read(text: str, name: str = "README.md") -> Document:
    """Markdown text → title, description, sections and items, repairing mojibake on the way."""
    doc = Document()
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        lines[number - 1] = _repair(line, number, name, doc.problems)
    section, in_toc, fenced, item, blank_before = "", False, False, None, False
    description: list[str] = []
    for number, line in enumerate(lines, 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = _HEADING.match(line)
        bullet = _ITEM.match(line)
        outdented = blank_before and line.strip() and not line[0].isspace()
        blank_before = not line.strip()
        if heading or bullet or outdented:
            item = _close(item, doc)
        if heading:
            level, words = len(heading.group(1)), _strip_markup(heading.group(2))
            if level == 1 and not doc.title and not doc.sections and not doc.items:
                doc.title = words
            elif level <= SECTION_LEVELS:
                in_toc = words.casefold() in TOC_HEADINGS
                if not in_toc:
                    section = words
                    if section not in doc.sections:
                        doc.sections.append(section)
            continue
        if bullet and not in_toc:
            item = Item(number, section, "")
            item.links, rest = _links(bullet.group(2), number, bullet.start(2) + 1, name, doc.problems, True)
            item.text = rest
            continue
        if item is not None and line.strip():
            in_citation = not _paragraph_ended(item, lines, number)
            links, rest = _links(line, number, 1, name, doc.problems, in_citation)
            item.links.extend(links)
            if rest.strip() and in_citation:
                item.text += " " + rest.strip()
            continue
        if line.strip() and not doc.sections and not doc.items and not in_toc and item is None:
            description.append(line.strip())
        elif not line.strip() and description and description[-1]:
            description.append("")
    _close(item, doc)
    doc.description = "\n".join(description).strip()
    return doc


def _close(item: Item | None, doc: Document) -> None:
    if item is not None and not _only_anchors(item):
        doc.items.append(item)
    return None


def _only_anchors(item: Item) -> bool:
    """A table-of-contents entry: nothing but links to anchors in the page."""
    return not item.text.strip(" -*") and bool(item.links) and all(link.url.startswith("#") for link in item.links)


def _paragraph_ended(item: Item, lines: list[str], number: int) -> bool:
    """Text after a blank line inside an item is a new paragraph (a note), not part of the citation."""
    return any(not lines[n - 1].strip() for n in range(item.line + 1, number))


def _repair(line: str, number: int, name: str, problems: list[Problem]) -> str:
    fixed = ftfy.fix_encoding(line)
    if fixed != line:
        matcher = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op != "equal":
                problems.append(
                    Problem(
                        name,
                        number,
                        a1 + 1,
                        "",
                        f"repaired mojibake {line[a1:a2]!r} → {fixed[b1:b2]!r}",
                        "fix the source",
                    )
                )
    return fixed


def _strip_markup(text: str) -> str:
    return _LINK.sub(r"\1", text).strip("*_ ").strip()


def _links(
    text: str, line: int, col: int, name: str, problems: list[Problem], in_citation: bool = False
) -> tuple[list[Link], str]:
    """Every well-formed ``[label](url)`` in a line, the line without them, and a problem per broken one.

    In the citation's own text a link that is not a Paper/Code/Project link (a linked title, as
    CSL styles write it) keeps its words and loses only its address.
    """

    def inline(m: re.Match[str]) -> bool:
        return in_citation and m.group(1).strip().casefold() not in LINK_KINDS and not m.group(2).startswith("#")

    links = [Link(m.group(1).strip(), m.group(2), line, col + m.start()) for m in _LINK.finditer(text) if not inline(m)]
    rest = _LINK.sub(lambda m: m.group(1) if inline(m) else "", text)
    for m in _BROKEN.finditer(rest):
        label = m.group(1).strip()
        if label.casefold() in LINK_KINDS:
            where = col + text.find(m.group(0)) if m.group(0) in text else col
            problems.append(
                Problem(name, line, where, "", f"broken link {m.group(0).strip()!r}", "write [Label](https://…)")
            )
            rest = rest.replace(m.group(0), "", 1)
    return links, " ".join(rest.split()).strip(" []")


# ---------------------------------------------------------------- items → catalogue fields


def to_papers(doc: Document, name: str = "README.md") -> tuple[list[Imported], list[Problem]]:
    """Each readable item as catalogue fields; each unreadable one as a problem at its line."""
    papers, problems = [], []
    for item in doc.items:
        fields, item_problems = _item_fields(item, name)
        problems.extend(item_problems)
        if fields is not None:
            where = fields.pop("_where")
            papers.append(Imported(item.line, fields, where))
    return papers, problems


def _item_fields(item: Item, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(message: str, hint: str = "", line: int = item.line, col: int = 1) -> None:
        problems.append(Problem(name, line, col, "", message, hint))

    if not item.section:
        problem("paper before the first section heading; skipped", "put it under a `###` heading")
        return None, problems
    try:
        cited = citation.parse(item.text)
    except citation.CitationError as exc:
        problem(f"{exc.message}; item skipped", exc.hint)
        return None, problems
    fields: dict[str, Any] = {"section": item.section, **cited.fields}
    where: dict[str, tuple[int, int]] = {}
    if cited.authors_incomplete:
        fields["authors_incomplete"] = True
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
        before = set(fields)
        _apply_link(fields, kind, link, problem)
        where.update(dict.fromkeys(set(fields) - before, (link.line, link.col)))
    if not any(fields.get(k) for k in ("arxiv", "doi", "url")):
        problem("no arXiv ID, DOI or Paper link; item skipped", "add [Paper](https://…) under the item")
        return None, problems
    fields["_where"] = where
    return fields, problems


def _apply_link(fields: dict[str, Any], kind: str, link: Link, problem: Callable[..., None]) -> None:
    if kind in ("code", "project"):
        fields.setdefault(kind, link.url)
        return
    parts = urlsplit(link.url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("dx.")
    known = IDENTIFIER_LINKS.get(host)
    match = known[0].match(parts.path) if known else None
    identifier = ("openreview", parse_qs(parts.query).get("id", [""])[0]) if host == "openreview.net" else None
    if match:
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


# ---------------------------------------------------------------- writing


def write(
    title: str,
    description: str,
    sections: list[str],
    items: list[dict[str, Any]],
    texts: dict[str, str] | None = None,
    toc: bool = False,
) -> str:
    """The list as Markdown: sections in order, one item per paper with its links; deterministic.

    ``texts`` maps citation keys to formatted citations in the order to print them (a CSL style's
    order); without it each paper is written in GB/T 7714 shape, in catalogue order.
    """
    by_key = {item["id"]: item for item in items}
    order = list(texts) if texts is not None else list(by_key)
    if texts is None:
        texts = {
            key: citation.format_gbt(item, item.get("custom", {}).get("authors_incomplete", False))
            for key, item in by_key.items()
        }
    out = [f"# {title}", ""] if title else []
    if description:
        out += [description, ""]
    used = [s for s in sections if any(by_key[k].get("custom", {}).get("section") == s for k in order)]
    if toc:
        out += ["### Contents", ""] + [f"- [{s}](#{anchor(s)})" for s in used] + [""]
    for section in used:
        out += [f"### {section}", ""]
        for key in order:
            item = by_key[key]
            if item.get("custom", {}).get("section") != section:
                continue
            out += ["- " + texts[key].strip().replace("\n", "\n  "), ""]
            links = item_links(item)
            if links:
                out += ["  " + " ".join(f"[{label}]({url})" for label, url in links), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def item_links(item: dict[str, Any]) -> list[tuple[str, str]]:
    """Paper (the version cited), arXiv (when the paper cited is not the preprint), Project, Code."""
    custom = item.get("custom", {})
    paper = item.get("URL") or (f"https://doi.org/{item['DOI']}" if item.get("DOI") else "")
    arxiv = custom.get("arxiv_url", "")
    links = {"Paper": paper, "arXiv": arxiv if arxiv and arxiv != paper else "", "Code": custom.get("code", "")}
    links["Project"] = custom.get("project", "")
    return [(label, links[label]) for label in LINK_ORDER if links[label]]


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
