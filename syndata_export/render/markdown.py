"""Markdown writer: references with italics and links kept, special characters escaped; pure.

The page looks like the original paper list: ``##`` per section, one list item per paper, the
reference then its links on their own line (``[Paper](…) [Project](…)``).
"""

from __future__ import annotations

import re

from syndata_export.render.inline import Inlines, Node, plain

# ASCII punctuation that starts or ends Markdown constructs anywhere in a line (CommonMark, and the
# $math$ of pandoc and GitHub)
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~$])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" in text would print as "&"
# at the start of a line these begin a block: heading, list, quote, thematic break, ordered list
_LINE_START = re.compile(r"^([#+\-=>]|\d+(?=[.)]))")
# characters a link destination cannot hold as they are
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}
_URL_ESCAPES = str.maketrans(_URL_UNSAFE)

_MARKERS = {"em": ("*", "*"), "strong": ("**", "**"), "sup": ("<sup>", "</sup>"), "sub": ("<sub>", "</sub>")}


def escape(text: str) -> str:
    """Text that Markdown shows exactly as given (inside a paragraph)."""
    return _ENTITY.sub(r"\\&", _ALWAYS.sub(r"\\\1", text))


def url(href: str) -> str:
    return href.translate(_URL_ESCAPES)


def inline(nodes: Inlines) -> str:
    """A reference as Markdown."""
    return _line_start_safe(_inlines(nodes))


def _inlines(nodes: Inlines) -> str:
    return "".join(escape(n) if isinstance(n, str) else _node(n) for n in nodes)


def _node(node: Node) -> str:
    if node.kind == "a":
        text = plain(node.children)
        if text == node.href and not set(node.href) & set(_URL_UNSAFE):
            return f"<{node.href}>"
        return f"[{_inlines(node.children)}]({url(node.href)})"
    inner = _inlines(node.children)
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
        out += [f"{mark} Contents", ""] + [f"- [{escape(name)}](#{anchor(name)})" for name, _ in sections] + [""]
    for name, rows in sections:
        out += [f"{mark} {escape(name)}", ""]
        for row in rows:
            out += [f"- {row.entry.text}", ""]
            if row.links:
                out += ["  " + " ".join(f"[{label}]({url(href)})" for label, href in row.links), ""]
    return "\n".join(out).rstrip("\n") + "\n"
