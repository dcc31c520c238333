"""Markdown writer: references with italics and links kept, special characters escaped; pure.

The page looks like the original paper list: ``##`` per section, one list item per paper, the
reference then its links on their own line (``[Paper](…) [Project](…)``). Every link, in a
reference, below it or in the table of contents, is written by :func:`link`: only to the web, a
mail address or a heading of the page, and in a form no Markdown reader can end early.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from syndata_export.render.inline import Inlines, Node, page_link, plain, web_link

# ASCII punctuation that starts or ends Markdown constructs anywhere in a line (CommonMark, and the
# $math$ of pandoc and GitHub)
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~$])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" in text would print as "&"
# at the start of a line these begin a block: heading, list, quote, thematic break, ordered list
_LINE_START = re.compile(r"^([#+\-=>]|\d+(?=[.)]))")
# what a link destination cannot hold as it is: ASCII that ends it, escapes in it or may end it for a
# reader that is not CommonMark; beyond ASCII, spaces and controls (bidi marks, zero-width too)
_URL_UNSAFE = re.compile(r'[\x00-\x20\x7f()<>\[\]\\`"]|[^\x00-\x7f]')

_MARKERS = {"em": ("*", "*"), "strong": ("**", "**"), "sup": ("<sup>", "</sup>"), "sub": ("<sub>", "</sub>")}


def escape(text: str) -> str:
    """Text that Markdown shows exactly as given (inside a paragraph)."""
    return _ENTITY.sub(r"\\&", _ALWAYS.sub(r"\\\1", text))


def url(href: str) -> str:
    """``href`` as a link destination: what could end or change it as UTF-8 percent-escapes (the
    same address, RFC 3986), and an ``&`` that would start an entity as ``&amp;``."""
    return _ENTITY.sub("&amp;", _URL_UNSAFE.sub(_percent, href))


def _percent(match: re.Match) -> str:
    char = match.group()
    if char > "\x7f" and unicodedata.category(char)[0] not in "CZ":
        return char  # a letter or sign of another script stays as written (an IRI)
    return quote(char.encode("utf-8", "surrogatepass"), safe="")


def link(label: str | Inlines, href: str) -> str:
    """The one way a link is written: ``[label](href)``, or ``<href>`` when it shows its own address.

    Only http(s), mailto and a heading of the page (``#…``) are link targets; any other ``href``
    leaves the label as text. A link inside the label is its text: links do not nest.
    """
    nodes = (label,) if isinstance(label, str) else label
    text = _inlines(nodes, in_link=True)
    if not (web_link(href) or page_link(href)):
        return text
    target = url(href)
    if plain(nodes) == href == target and web_link(href):
        return f"<{href}>"
    return f"[{text}]({target})"


def inline(nodes: Inlines) -> str:
    """A reference as Markdown."""
    return _line_start_safe(_inlines(nodes))


def _inlines(nodes: Inlines, in_link: bool = False) -> str:
    out = ""
    for node in nodes:
        piece = escape(node) if isinstance(node, str) else _node(node, in_link)
        if piece.startswith("[") and out.endswith("!"):  # "![" would start an image
            out = out[:-1] + "\\!"
        out += piece
    return out


def _node(node: Node, in_link: bool) -> str:
    if node.kind == "a":
        return _inlines(node.children, in_link) if in_link else link(node.children, node.href)
    inner = _inlines(node.children, in_link)
    if node.kind not in _MARKERS:  # small caps, upright text: Markdown has no mark for them
        return inner
    start, end = _MARKERS[node.kind]
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{start}{stripped}{end}{trail}"


def _line_start_safe(line: str) -> str:
    """A reference that happens to begin like a heading or a list must not become one."""
    match = _LINE_START.match(line)
    if not match:
        return line
    if match.group(1)[0].isdigit():
        return line[: match.end()] + "\\" + line[match.end() :]
    return "\\" + line


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def document(
    sections: list,
    title: str = "",
    standalone: bool = False,
    *,
    description: str = "",
    level: int = 2,
    contents: bool = False,
) -> str:
    """The grouped bibliography: ``# title`` and ``description`` (Markdown as given) when
    standalone, a table of contents when asked, a ``level`` heading per section, one item per paper."""
    out: list[str] = []
    if standalone and title:
        out += [f"# {escape(title)}", ""]
    if standalone and description:
        out += [description, ""]
    mark = "#" * level
    if contents:
        out += [f"{mark} Contents", ""] + [f"- {link(name, '#' + anchor(name))}" for name, _ in sections] + [""]
    for name, rows in sections:
        out += [f"{mark} {escape(name)}", ""]
        for row in rows:
            out += [f"- {row.entry.text}", ""]
            if row.links:
                out += ["  " + " ".join(link(label, href) for label, href in row.links), ""]
    return "\n".join(out).rstrip("\n") + "\n"
