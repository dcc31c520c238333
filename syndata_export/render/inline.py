"""The formatted reference between engine and format: a small tree of inline markup; pure.

Both engines print HTML (pandoc's and citeproc-py's own HTML writers), each in its own dialect
(``<em>`` or ``<i>``, ``<span class="nocase">``, margin ``<div>``s). This module reads that HTML
into a few kinds of node, the same for both engines, so every output format is written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# HTML tag → our node kind; tags not listed are unwrapped (their text kept)
TAGS = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "a": "a", "sup": "sup", "sub": "sub"}
# inline CSS a processor uses for what HTML has no tag for
STYLES = {"small-caps": "smallcaps", "font-style:normal": "normal", "font-weight:normal": "normal"}
BLOCKS = {"div", "p", "br", "li"}  # become a space between their neighbours
VOID = {"br", "hr", "img", "meta", "link", "input", "wbr"}

_SPACE = re.compile(r"[ \t\r\n]+")  # ASCII only: a no-break space is part of the reference


@dataclass
class Element:
    """An HTML element as parsed: tag, attributes, children (text or elements)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


@dataclass(frozen=True)
class Node:
    """A normalised inline node: ``kind`` is one of TAGS'/STYLES' values; ``href`` for links."""

    kind: str
    children: tuple[Node | str, ...]
    href: str = ""


Inlines = tuple["Node | str", ...]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """HTML text → an element tree (entities decoded)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def find_all(element: Element, cls: str) -> list[Element]:
    """Elements carrying class ``cls``, in document order (not looking inside a match)."""
    found = []
    for child in element.children:
        if isinstance(child, Element):
            if cls in child.classes():
                found.append(child)
            else:
                found.extend(find_all(child, cls))
    return found


def inlines(element: Element) -> Inlines:
    """An element's content as normalised inline nodes, whitespace collapsed and trimmed."""
    return _trim(_merge(_convert(element.children)))


def entry_inlines(html: str) -> Inlines:
    """One formatted reference given as an HTML fragment."""
    return inlines(parse(html))


def _convert(children: list[Element | str]) -> list[Node | str]:
    out: list[Node | str] = []
    for child in children:
        if isinstance(child, str):
            out.append(_SPACE.sub(" ", child))
            continue
        inner = _convert(child.children)
        kind = TAGS.get(child.tag) or _style_kind(child)
        if child.tag in BLOCKS:
            out.extend([" ", *inner, " "])
        elif kind:
            out.append(Node(kind, tuple(_merge(inner)), child.attrs.get("href", "") if kind == "a" else ""))
        else:
            out.extend(inner)
    return out


def _style_kind(element: Element) -> str:
    style = element.attrs.get("style", "").replace(" ", "").rstrip(";").lower()
    for needle, kind in STYLES.items():
        if needle in style:
            return kind
    return ""


def _merge(nodes: list[Node | str]) -> list[Node | str]:
    """Join neighbouring text and collapse the spaces where pieces meet."""
    out: list[Node | str] = []
    for node in nodes:
        if isinstance(node, str) and out and isinstance(out[-1], str):
            out[-1] = _SPACE.sub(" ", out[-1] + node)
        elif node != "":
            out.append(node)
    return out


def _trim(nodes: list[Node | str]) -> Inlines:
    if nodes and isinstance(nodes[0], str):
        nodes[0] = nodes[0].lstrip(" ")
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] = nodes[-1].rstrip(" ")
    return tuple(n for n in nodes if n != "")


def plain(nodes: Inlines) -> str:
    """Only the text."""
    return "".join(n if isinstance(n, str) else plain(n.children) for n in nodes)
