"""README writer: the paper list as the awesome-list README it began as; pure but for a CSL style's engine.

The page is the renderer's Markdown page (:func:`syndata_export.render.markdown.document`): the
list's title and description, ``###`` per section, one item per paper with its links below. Each
paper is written in GB/T 7714, the shape Google Scholar gives and the original list used, in
catalogue order; or, with a CSL style, as that style formats it, in the style's order.
"""

from __future__ import annotations

from syndata_export import render
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
    entries = [render.Entry(e.key, e.text.strip().replace("\n", "\n  ")) for e in entries]  # one list item each
    sections = render.group(entries, {item["id"]: item for item in items}, catalogue.sections, arxiv=True)
    return markdown.document(
        sections,
        catalogue.title,
        standalone=True,
        description=catalogue.description,
        level=SECTION_LEVEL,
        contents=toc,
    )
