"""HTML writer: a fragment (sections and lists) or, standalone, a complete UTF-8 page; pure.

Every paper is a list item whose ``id`` is its citation key, so ``page.html#KEY`` links to it.
Every link is written by :func:`link`: only to the web, a mail address or a place on the page.
The page adds the list's description, a table of contents, and names each paper's links for a
screen reader's list of links ("Paper: DataGen", not fourteen times "Paper").
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape, unescape

from syndata_export.render.inline import Inlines, Node, entry_inlines, page_link, plain, web_link

_TAGS = {"em": "em", "strong": "strong", "sup": "sup", "sub": "sub"}
_STYLED = {"smallcaps": "font-variant:small-caps", "normal": "font-style:normal"}
_HREF = re.compile(r'<a href="([^"]*)"')  # the links this writer put in a reference

PAGE_CSS = """\
body{font-family:Georgia,'Times New Roman',serif;line-height:1.5;color:#222;
  max-width:46rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ddd}
ul.references{list-style:none;padding:0}
ul.references li{margin:0 0 .9rem;padding-left:1.5rem;text-indent:-1.5rem}
.links{margin-left:.4rem;white-space:nowrap}.links a{margin-right:.4rem}
a{color:#1a55a0;overflow-wrap:anywhere}li:target,section:target h2{background:#fff7d6}"""


def inline(nodes: Inlines) -> str:
    """A reference as HTML (text escaped, links kept)."""
    return "".join(escape(n, quote=False) if isinstance(n, str) else _node(n) for n in nodes)


def _node(node: Node) -> str:
    inner = inline(node.children)
    if node.kind == "a":
        return link(inner, node.href)
    if node.kind in _TAGS:
        return f"<{_TAGS[node.kind]}>{inner}</{_TAGS[node.kind]}>"
    if node.kind in _STYLED:
        return f'<span style="{_STYLED[node.kind]}">{inner}</span>'
    return inner


def link(content: str, href: str, name: str = "") -> str:
    """The one way a link is written: ``content`` (HTML) linked to ``href``, named ``name`` for
    assistive technology when given; a target not on the web, not mail and not on this page
    (``javascript:``, ``data:``, relative) leaves ``content`` as it is, unlinked."""
    if not (web_link(href) or page_link(href)):
        return content
    label = f' aria-label="{escape(name)}"' if name else ""
    return f'<a href="{escape(href)}"{label}>{content}</a>'


def slug(name: str) -> str:
    """A section heading as an anchor: ``Survey Papers`` → ``section-survey-papers``."""
    return "section-" + (re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-") or "untitled")


def fragment(sections: list, page: bool = False) -> str:
    """Sections, headings and references; for a ``page``, each paper's links carry its name and
    a link to an address its reference already shows is left out."""
    names = _names(sections) if page else {}
    out: list[str] = []
    for name, rows in sections:
        out.append(f'<section id="{escape(slug(name))}">')
        out.append(f"<h2>{escape(name, quote=False)}</h2>")
        out.append('<ul class="references">')
        for row in rows:
            shown = {unescape(href) for href in _HREF.findall(row.entry.text)} if page else set()
            links = " ".join(
                link(escape(label, quote=False), href, f"{label}: {names[row.entry.key]}" if page else "")
                for label, href in row.links
                if href not in shown
            )
            tail = f' <span class="links">{links}</span>' if links else ""
            former = "".join(f'<a id="{escape(alias)}"></a>' for alias in row.aliases)  # links to an old key still land
            out.append(f'<li id="{escape(row.entry.key)}" class="csl-entry">{former}{row.entry.text}{tail}</li>')
        out.append("</ul>")
        out.append("</section>")
    return "\n".join(out) + "\n"


def _names(sections: list) -> dict[str, str]:
    """Each paper's short title (before a subtitle), or its whole title where two would share one."""
    titles = {row.entry.key: plain(entry_inlines(row.title)) or row.entry.key for _, rows in sections for row in rows}
    short = {key: title.split(": ", 1)[0] for key, title in titles.items()}
    count = Counter(short.values())
    return {key: short[key] if count[short[key]] == 1 else titles[key] for key in titles}


def contents(sections: list) -> str:
    """The table of contents: a link to each section."""
    items = "".join(f"<li>{link(escape(name, quote=False), '#' + slug(name))}</li>\n" for name, _ in sections)
    return f'<nav aria-label="Contents">\n<h2>Contents</h2>\n<ul>\n{items}</ul>\n</nav>\n'


def document(sections: list, title: str = "", standalone: bool = False, description: str = "") -> str:
    """A fragment, or a complete page: its title, the description, a table of contents, the
    sections with their anchors, and a little CSS."""
    if not standalone:
        return fragment(sections)
    heading = escape(title or "Bibliography", quote=False)
    about = f'<p class="description">{escape(description, quote=False)}</p>\n' if description else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n<style>\n{PAGE_CSS}\n</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{heading}</h1>\n{about}{contents(sections)}{fragment(sections, page=True)}</main>\n</body>\n</html>\n"
    )
