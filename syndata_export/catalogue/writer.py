"""Adding to catalogue.yaml: the one place the catalogue is written; append-only, comments and layout kept.

Existing text is never reformatted: ruamel.yaml's round-trip mode keeps comments, key order,
quoting and flow style, and a file is touched only when ruamel.yaml can write it back byte for
byte (one of :data:`LAYOUTS`); otherwise the caller gets an error instead of a reformatted file.
New records and sections go at the end of their lists.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from syndata_export.errors import SyndataError

# the order fields are written in a new record; others follow in the order given
FIELD_ORDER = (
    "key", "section", "type", "title", "authors", "authors_incomplete", "date", "arxiv", "doi", "url",
    "container", "volume", "issue", "pages", "publisher", "place", "acl_anthology", "openreview", "code", "project",
)  # fmt: skip
QUOTED = ("arxiv", "volume", "issue")  # would otherwise read back as numbers
# (indent of mappings, of sequences, offset of the dash): layouts tried until one reproduces the file
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 6, 2), (4, 4, 0), (2, 4, 0), (4, 4, 2), (3, 3, 0), (3, 5, 2))


def append(
    text: str | None,
    papers: Sequence[Mapping[str, Any]],
    sections: Sequence[str] = (),
    *,
    title: str = "",
    description: str = "",
    source: str = "",
) -> str:
    """``text`` with ``papers`` appended to ``papers:`` and ``sections`` to ``sections:``.

    ``text`` None starts a new catalogue (with ``title``, ``description`` and a comment naming
    ``source``, where the papers came from).
    """
    if text is None:
        yaml, doc = _yaml(LAYOUTS[0]), _new(title, description, source, bool(papers))
    else:
        yaml, doc = _load_preserving(text)
    old_sections, old_papers = doc.setdefault("sections", CommentedSeq()), doc.setdefault("papers", CommentedSeq())
    for seq in (old_sections, old_papers):
        if not seq and hasattr(seq, "fa"):
            seq.fa.set_block_style()
    _extend_keeping_trailing_comment(old_sections, list(sections))
    for fields in papers:
        old_papers.append(_record(fields))
        if len(old_papers) > 1:
            old_papers.yaml_set_comment_before_after_key(len(old_papers) - 1, before="\n")
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _new(title: str, description: str, source: str, papers: bool) -> CommentedMap:
    doc = CommentedMap()
    if title:
        doc["title"] = title
    if description:
        doc["description"] = description
    doc["sections"], doc["papers"] = CommentedSeq(), CommentedSeq()
    doc.yaml_set_start_comment(
        f"The paper list, imported from {source or 'a Markdown list'} by `syndata-export import`.\n"
        "Keys are pinned: never change a key once it has been written, people cite it."
    )
    if papers:
        doc.yaml_set_comment_before_after_key("papers", before="\n")
    return doc


def _extend_keeping_trailing_comment(seq: CommentedSeq, values: list[str]) -> None:
    """Append to a sequence of scalars; the blank line and comments after its last item stay after the new last."""
    if not values:
        return
    tail = seq.ca.items.pop(len(seq) - 1, None) if seq else None
    seq.extend(values)
    if tail is not None:
        seq.ca.items[len(seq) - 1] = tail


def _yaml(layout: tuple[int, int, int]) -> YAML:
    yaml = YAML()  # round-trip mode: comments, key order, quoting and flow style survive
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = 1 << 16
    yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return yaml


def _load_preserving(text: str) -> tuple[YAML, Any]:
    """The document and a dumper that writes it back byte for byte, or an error: never reformat a file."""
    for layout in LAYOUTS:
        yaml = _yaml(layout)
        doc = yaml.load(text)
        out = io.StringIO()
        yaml.dump(doc, out)
        if out.getvalue() == text:
            return yaml, doc
    raise SyndataError(
        "cannot add papers without reformatting the catalogue (its layout is not one ruamel.yaml reproduces)",
        "run with --dry-run and add the papers by hand, or re-indent the file with 2-space mappings",
    )


def _record(fields: Mapping[str, Any]) -> CommentedMap:
    """One record in :data:`FIELD_ORDER`; authors one per line (a literal as a flow mapping), IDs quoted."""
    record = CommentedMap()
    for name in sorted(fields, key=lambda n: FIELD_ORDER.index(n) if n in FIELD_ORDER else len(FIELD_ORDER)):
        value = fields[name]
        if name == "authors":
            authors = CommentedSeq()
            for author in value:
                if isinstance(author, dict):
                    author = CommentedMap(author)
                    author.fa.set_flow_style()
                authors.append(author)
            value = authors
        elif name in QUOTED:
            value = DoubleQuotedScalarString(str(value))
        record[name] = value
    return record
