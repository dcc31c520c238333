"""Adding to catalogue.yaml: the one place the catalogue is written; append-only, comments and layout kept.

Existing text is never reformatted: a file is touched only when ruamel.yaml's round-trip mode
can write it back byte for byte (one of :data:`LAYOUTS`), which also gives the layout new records
are written in; otherwise the caller gets an error instead of a reformatted file. New sections go
at the end of ``sections:`` (ruamel.yaml, which keeps comments, order, quoting and flow style);
new records are inserted as text after the last record, before the blank lines and comments that
follow it (an end-of-file comment stays at the end), so every other byte stays where it was.

:func:`amend` adds to records already there (a missing field, a ``published:`` block, the rest of
an "et al." author list) and may drop a flag line; it never changes a value or a key, and checks
that every other line of the file is still there, in order, byte for byte. :func:`change` sets or
removes values a review accepted (``pull``), with the same check; keys are never among them.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from syndata_export.errors import SyndataError

# the order fields are written in a new record; others follow in the order given
FIELD_ORDER = (
    "key", "section", "type", "title", "authors", "authors_incomplete", "date", "arxiv", "arxiv_class", "doi", "url",
    "container", "volume", "issue", "pages", "publisher", "place", "acl_anthology", "openreview", "code", "project",
)  # fmt: skip
# the order of a published block's fields, as the catalogue writes them (tan2024large, jiang2024importance)
PUBLISHED_ORDER = ("type", "title", "authors", "container", "date", "volume", "issue", "pages", "publisher", "place",
                   "doi", "url", "acl_anthology", "openreview")  # fmt: skip
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


def _record(fields: Mapping[str, Any], order: tuple[str, ...] = FIELD_ORDER) -> CommentedMap:
    """One record in ``order``; authors one per line (a literal as a flow mapping), IDs quoted."""
    record = CommentedMap()
    for name in sorted(fields, key=lambda n: order.index(n) if n in order else len(order)):
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


@dataclass
class Change:
    """What :func:`amend` adds to one record: only new things, so nothing a person wrote can change."""

    fields: dict[str, Any] = field(default_factory=dict)  # fields the record lacks
    published: dict[str, Any] = field(default_factory=dict)  # fields its published block lacks (made if missing)
    authors: list[Any] = field(default_factory=list)  # authors after the ones listed
    drop: tuple[str, ...] = ()  # flags whose line goes (authors_incomplete, once the list is whole)


def amend(text: str, changes: Mapping[str, Change]) -> str:
    """``text`` with each record named by key in ``changes`` added to; every other line kept.

    New fields take their place in :data:`FIELD_ORDER` among the record's own (``published``
    last); the blank line and comments after a record stay after it. Raises SyndataError for a
    key not in the catalogue, a field the record already has, or a result that would lose a line.
    """
    yaml, doc = _load_preserving(text)
    records = {r.get("key"): r for r in doc.get("papers") or () if isinstance(r, CommentedMap)}
    for key, change in changes.items():
        record = records.get(key)
        if record is None:
            raise SyndataError(f"{key}: no such record in the catalogue", _WRITER_BUG)
        for name in change.drop:
            _drop(record, name)
        if change.authors:
            _extend(record["authors"], change.authors)
        _add(record, change.fields, FIELD_ORDER)
        if change.published and "published" in record:
            _add(record["published"], change.published, PUBLISHED_ORDER)
        elif change.published:
            _add(record, {"published": change.published}, FIELD_ORDER)
    new = _dump(yaml, doc)
    _kept(text, new, {name for change in changes.values() for name in change.drop})
    return new


_WRITER_BUG = "this is a bug in syndata-export; please report it"


def _add(record: CommentedMap, fields: Mapping[str, Any], order: tuple[str, ...]) -> None:
    def place(name: str) -> int:
        return order.index(name) if name in order else len(order) + (name == "published")

    for name, value in fields.items():
        if name in record:
            raise SyndataError(
                f"{record.get('key', 'published')}: {name} is already there; amend never changes a value"
            )
        value = _record(value, PUBLISHED_ORDER) if name == "published" else _record({name: value})[name]
        after = [i for i, old in enumerate(record) if place(old) <= place(name)]
        at = after[-1] + 1 if after else 0
        if at == len(record):
            tail = _take_tail(record)
            record.insert(at, name, value)
            _give_tail(record, tail)
        else:
            record.insert(at, name, value)


def _extend(seq: CommentedSeq, values: list[Any]) -> None:
    tail = _take_tail(seq)
    seq.extend(_record({"authors": values})["authors"])
    _give_tail(seq, tail)


def _drop(record: CommentedMap, name: str) -> None:
    last = list(record)[-1] == name
    tail = _take_tail(record) if last else None
    del record[name]
    record.ca.items.pop(name, None)
    if last:
        _give_tail(record, tail)


def _deepest_last(node: Any) -> tuple[Any, Any] | None:
    """(container, key or index) of the entry a node's text ends with, where its trailing comment lives."""
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        last = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        if not isinstance(node[last], (CommentedMap, CommentedSeq)) or not len(node[last]):
            return node, last
        node = node[last]
    return None


def _slot(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0  # where ruamel keeps an entry's end-of-line comment


def _take_tail(node: Any) -> CommentToken | None:
    """Take the blank lines and comments that follow ``node``'s last line; its own end-of-line comment stays."""
    spot = _deepest_last(node)
    if spot is None:
        return None
    container, key = spot
    entry = container.ca.items.get(key)
    token = entry[_slot(container)] if entry else None
    if not isinstance(token, CommentToken) or "\n" not in token.value:
        return None
    own, rest = token.value.split("\n", 1)
    if not rest:
        return None
    entry[_slot(container)] = CommentToken(own + "\n", token.start_mark) if own else None
    return CommentToken("\n" + rest, token.start_mark)


def _give_tail(node: Any, tail: CommentToken | None) -> None:
    spot = _deepest_last(node)
    if tail is None or spot is None:
        return
    container, key = spot
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    entry[_slot(container)] = tail


def _kept(old: str, new: str, dropped: set[str], changed: Sequence[range] = ()) -> None:
    """Every line of ``old`` is in ``new``, in order, but the lines of ``dropped`` flags and those
    ``changed`` spans (0-based line numbers); else a bug, raised."""
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    free = {n for span in changed for n in span}
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        lost = [] if op in ("equal", "insert") else [(n, before[n]) for n in range(i1, i2) if n not in free]
        if any(line.strip().split(":", 1)[0] not in dropped for _, line in lost):
            raise SyndataError("amending the catalogue would change lines already there; nothing written", _WRITER_BUG)


def change(text: str, values: Mapping[str, Mapping[str, Any]]) -> str:
    """``text`` with, per record key, each field path (``pages``, ``published.pages``) set to its
    value, or removed for None; every line outside the changed values kept, byte for byte.

    A path into a ``published:`` block the record lacks creates it. Raises SyndataError for a key
    not in the catalogue, a change of a key, or a result that would lose another line.
    """
    yaml, doc = _load_preserving(text)
    records = {r.get("key"): r for r in doc.get("papers") or () if isinstance(r, CommentedMap)}
    spans: list[range] = []
    for key, fields in values.items():
        record = records.get(key)
        if record is None:
            raise SyndataError(f"{key}: no such record in the catalogue", _WRITER_BUG)
        for path, value in fields.items():
            *parents, name = path.split(".")
            if name == "key" and not parents:
                raise SyndataError(f"{key}: keys are pinned; a change would break every citation", _WRITER_BUG)
            holder: CommentedMap = record
            order: tuple[str, ...] = FIELD_ORDER
            for parent in parents:
                if parent not in holder:
                    _add(holder, {parent: {}}, order)
                holder, order = holder[parent], PUBLISHED_ORDER
            if name in holder:
                spans.append(_span(holder, name))
                _set(holder, name, value)
            elif value is not None:
                _add(holder, {name: value}, order)
    new = _dump(yaml, doc)
    _kept(text, new, set(), spans)
    return new


def _set(holder: CommentedMap, name: str, value: Any) -> None:
    """Replace (or drop, for None) one value; the comments and blank lines after it stay after it."""
    if value is None:
        _drop(holder, name)
        return
    last = list(holder)[-1] == name
    nested = isinstance(holder[name], (CommentedMap, CommentedSeq))
    spot = holder if last else holder[name] if nested else None
    tail = _take_tail(spot) if spot is not None else None
    holder[name] = _record({name: value}, FIELD_ORDER)[name]
    _give_tail(holder if last else holder[name], tail)


def _span(holder: CommentedMap, name: str) -> range:
    """The 0-based lines the value of ``name`` takes in the text it was loaded from."""
    start = holder.lc.key(name)[0]
    node, end = holder[name], start
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        last = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        end = node.lc.key(last)[0] if isinstance(node, CommentedMap) else node.lc.data[last][0]
        node = node[last]
    return range(start, end + 1)
