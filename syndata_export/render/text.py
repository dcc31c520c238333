"""Plain-text writer: the references as text, each followed by its links; pure."""

from __future__ import annotations

from syndata_export.render.inline import Inlines, plain


def inline(nodes: Inlines) -> str:
    """A reference as plain text (no emphasis, link targets as printed)."""
    return plain(nodes)


def document(sections: list, title: str = "", standalone: bool = False) -> str:
    """Section headings underlined, a blank line between references, links indented below each."""
    out: list[str] = []
    if standalone and title:
        out += [title, "=" * len(title), ""]
    for name, rows in sections:
        out += [name, "-" * len(name), ""]
        for row in rows:
            out.append(row.entry.text)
            if row.links:
                out.append("  " + "  ".join(f"{label}: {href}" for label, href in row.links))
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
