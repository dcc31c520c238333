"""README writer: the paper list as the awesome-list README it began as; pure but for a CSL style's engine.

The page is the renderer's Markdown page (:func:`syndata_export.render.markdown.document`): the
list's title and description, ``###`` per section, one item per paper with its links below. Each
paper is written in GB/T 7714, the shape Google Scholar gives and the original list used, in
catalogue order; or, with a CSL style, as that style formats it, in the style's order.

Everything written is text from the catalogue, so everything goes through the Markdown escaper:
a value shows as written on any site, never as HTML or a link. Each item starts with an empty
anchor holding the paper's key (``<a id="key"></a>``: GitHub keeps the id and shows nothing), so
``#key`` links to the paper and ``import`` gives the paper back its key.
"""

from __future__ import annotations

import html
import re

from syndata_export import csl, render
from syndata_export.awesome import shapes
from syndata_export.catalogue import Catalogue
from syndata_export.render import markdown

SECTION_LEVEL = 3  # the original list's `###` sections


def write_list(catalogue: Catalogue, items: list[dict], style: str | None = None, toc: bool = False) -> str:
    """The README for ``items`` (CSL items of ``catalogue``); deterministic."""
    if style:
        entries = render.bibliography(items, style=style, engine="pandoc", fmt="markdown")
    else:
        entries = [render.Entry(item["id"], shapes.format_gbt(item)) for item in items]
    former = {item["id"]: csl.custom(item).get("aliases", ()) for item in items}
    entries = [
        render.Entry(e.key, "".join(map(anchor, [e.key, *former[e.key]])) + e.text.strip().replace("\n", "\n  "))
        for e in entries
    ]
    sections = render.group(entries, {item["id"]: item for item in items}, catalogue.sections, arxiv=True)
    return markdown.document(
        sections,
        catalogue.title,
        standalone=True,
        description=description(catalogue.description),
        level=SECTION_LEVEL,
        contents=toc,
    )


def anchor(key: str) -> str:
    """The paper's key as an empty HTML anchor, the one piece of HTML the list writes."""
    return f'<a id="{html.escape(key)}"></a>'


def description(text: str) -> str:
    """The catalogue's description (plain text) as Markdown paragraphs that show exactly that text."""
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(
        "\n".join(markdown.inline((line.strip(),)) for line in p.splitlines() if line.strip()) for p in paragraphs if p
    )
