"""Adding to catalogue.yaml: the one place the catalogue is written; append-only, comments and layout kept.

Existing text is never reformatted: a file is touched only when ruamel.yaml's round-trip mode
can write it back byte for byte (one of :data:`LAYOUTS`), which also gives the layout new records
are written in; otherwise the caller gets an error instead of a reformatted file. New sections go
at the end of ``sections:`` (ruamel.yaml, which keeps comments, order, quoting and flow style);
new records are inserted as text after the last record, before the blank lines and comments that
follow it (an end-of-file comment stays at the end), so every other byte stays where it was.
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
        if sections:
            text = _dump(yaml, _with_sections(doc, sections))
            sections = ()
            if papers:
                yaml, doc = _load_preserving(text)
        if not papers:
            return text
        old = doc.get("papers")
        if isinstance(old, CommentedSeq) and old and not old.fa.flow_style():
            return _insert_records(text, doc, yaml, papers)
    old_papers = _with_sections(doc, sections).setdefault("papers", CommentedSeq())
    if not old_papers and hasattr(old_papers, "fa"):
        old_papers.fa.set_block_style()
    for fields in papers:
        old_papers.append(_record(fields))
        if len(old_papers) > 1:
            old_papers.yaml_set_comment_before_after_key(len(old_papers) - 1, before="\n")
    return _dump(yaml, doc)


def _dump(yaml: YAML, doc: Any) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _with_sections(doc: CommentedMap, sections: Sequence[str]) -> CommentedMap:
    seq = doc.setdefault("sections", CommentedSeq())
    if not seq and hasattr(seq, "fa"):
        seq.fa.set_block_style()
    _extend_keeping_trailing_comment(seq, list(sections))
    return doc


def _insert_records(text: str, doc: CommentedMap, yaml: YAML, papers: Sequence[Mapping[str, Any]]) -> str:
    """``text`` with the records written after its last record's last line (``doc`` is ``text`` loaded)."""
    seq, keys, lines = doc["papers"], list(doc), text.splitlines(keepends=True)
    following = keys[keys.index("papers") + 1 :]
    end = doc.lc.key(following[0])[0] if following else len(lines)
    last = seq.lc.data[len(seq) - 1][0]
    while end > last + 1 and _after_records(lines[end - 1], seq.lc.col):
        end -= 1
    new = CommentedSeq(_record(fields) for fields in papers)
    for i in range(1, len(new)):
        new.yaml_set_comment_before_after_key(i, before="\n")
    records = _dump(yaml, {"papers": new}).split("\n", 1)[1]  # the items, in the file's layout
    head = "".join(lines[:end])
    return head + ("" if head.endswith("\n") else "\n") + "\n" + records + "".join(lines[end:])


def _after_records(line: str, dash: int) -> bool:
    """A blank line, or a comment no deeper than the records' dashes: it belongs after them, not in the last one."""
    stripped = line.lstrip(" ")
    return not stripped.strip() or (stripped.startswith("#") and len(line) - len(stripped) <= dash)


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
        elif name == "published":
            value = _record(value)  # the published version: the same order and quoting
        elif name in QUOTED:
            value = DoubleQuotedScalarString(str(value))
        record[name] = value
    return record
