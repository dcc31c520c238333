"""Several parts rendered by one pandoc process, each exactly as a pass of its own renders it.

A Lua filter (``bibliographies.lua``) hands each part to pandoc's own citeproc in a document of
its own, so one process pays pandoc's start-up and its parsing of the style and locale once, not
per part (about 0.1 s each). Pandoc itself is run by ``render.pandoc``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from syndata_export.errors import SyndataError
from syndata_export.render import pandoc

MIN_VERSION = (2, 19, 1)  # the first with pandoc.utils.citeproc; older pandoc gets one process per part
FILTER = Path(__file__).with_name("bibliographies.lua")
MARKER = "<!-- syndata-export part -->"  # what the filter prints before each bibliography


def bibliographies(parts: list[list[dict]], style: Path) -> list[pandoc.Formatted]:
    """One bibliography per part, each exactly as ``pandoc.bibliography`` renders it, from one pandoc."""
    if len(parts) < 2 or pandoc.version() < MIN_VERSION:
        return [pandoc.bibliography(part, style) for part in parts]
    with tempfile.TemporaryDirectory(prefix="syndata-export-") as folder:
        for n, part in enumerate(parts, start=1):
            with open(os.path.join(folder, f"{n}.json"), "w", encoding="utf-8") as handle:
                pandoc.write_items(handle, part)
        source = Path(folder, "parts.md")  # the filter finds the parts beside its input file
        header = pandoc.DOCUMENT.replace("---\n", f"---\nsyndata-parts: {len(parts)}\n", 1)
        source.write_text(header, encoding="utf-8")
        args = ["--wrap=none", f"--csl={style}", f"--lua-filter={FILTER}"]
        out = pandoc.to_html(style, source, args, sum(map(len, parts)))
    found = out.split(MARKER)[1:]
    if len(found) != len(parts):
        raise SyndataError(f"pandoc returned {len(found)} bibliographies for {len(parts)} parts")
    return [pandoc.entries(html) for html in found]
