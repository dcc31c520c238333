"""The formatted reference between engine and format: a small tree of inline markup; pure.

Both engines print HTML (pandoc's and citeproc-py's own HTML writers), each in its own dialect
(``<em>`` or ``<i>``, ``<span class="nocase">``, margin ``<div>``s). This module reads that HTML
into a few kinds of node, the same for both engines, so every output format is written once.
A link survives only when its target is on the web or a mail address (:func:`web_link`): a title
holding ``<a href="javascript:…">`` keeps its text and loses its link, in every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# HTML tag → our node kind; tags not listed are unwrapped (their text kept)
TAGS = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "a": "a", "sup": "sup", "sub": "sub"}
# inline CSS a processor uses for what HTML has no tag for
STYLES = {"small-caps": "smallcaps", "font-style:normal": "normal", "font-weight:normal": "normal"}
BLOCKS = {"div", "p", "br", "li"}  # become a space between their neighbours

_SPACE = re.compile(r"[ \t\r\n]+")  # ASCII only: a no-break space is part of the reference
# the only link targets ever written: http(s) with a host, or mailto; ASCII-only case folding, or
# "ſ" would pass for "s"; anything before the scheme (a space, a control) makes it no link at all
_WEB_LINK = re.compile(r"(?:https?://[^/?#\\\x00-\x20\x7f]|mailto:[^\x00-\x20\x7f])", re.IGNORECASE | re.ASCII)
_PAGE_LINK = re.compile(r"#[\w\-]+")  # an anchor of the page itself, as a table of contents has them


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


def parse(html: str) -> Element:
    """HTML text → an element tree (entities decoded); libxml2's HTML parser through lxml, since a
    long list is long HTML (lxml.etree alone: lxml.html's own classes cost a 14-paper run 3 ms)."""
    from lxml import etree

    if not html.strip():
        return Element("")
    wrapper = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser()).find("body/div")
    root = _element(wrapper)
    root.tag, root.attrs = "", {}
    return root


def _element(node) -> Element:  # noqa: ANN001 - an lxml element
    element = Element(str(node.tag), {k: v or "" for k, v in node.attrib.items()})
    if node.text:
        element.children.append(node.text)
    for child in node:
        if isinstance(child.tag, str):  # comments and processing instructions are not references
            element.children.append(_element(child))
        if child.tail:
            element.children.append(child.tail)
    return element


def web_link(href: str) -> bool:
    """Whether ``href`` may be a link's target: http(s) or mailto; ``javascript:``, ``data:``,
    relative and every other target is written as plain text."""
    return _WEB_LINK.match(href) is not None


def page_link(href: str) -> bool:
    """Whether ``href`` is a place on the same page (``#section-…``): the writers' own tables of
    contents link there; a reference never does."""
    return _PAGE_LINK.fullmatch(href) is not None


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
        elif kind == "a" and not web_link(child.attrs.get("href", "")):
            out.extend(inner)
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
