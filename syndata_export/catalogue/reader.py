"""catalogue.yaml → a Catalogue whose values remember where they were written; the one YAML reader.

Reading is strict about the file itself (size, encoding, YAML syntax, anchors) and lenient about
its content: whatever the YAML holds comes back as plain values plus positions, and
``validate.py`` decides what is wrong with it, so every problem can be reported at once.

PyYAML's C loader composes the node tree (values with line:col); one walk turns it into plain
values and positions. Plain scalars follow the YAML 1.2 core schema, set on the loader as its
implicit resolvers: ``yes`` and ``on`` are text, not booleans, and dates stay the text written;
how a number was spelt (``2406.18960``) is kept with the positions, for hints that quote it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from syndata_export.catalogue.model import Catalogue, Positions, Record
from syndata_export.errors import CatalogueError, Problem, yaml_quoted

try:  # libyaml is about ten times faster; positions are the same
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_BYTES = 32 * 1024 * 1024  # a 10,000-paper catalogue is about 5 MB
MAX_NODES = 2_000_000  # no honest catalogue comes near; a YAML bomb does

STR, NULL, BOOL, INT, FLOAT = (f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float"))

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution): tag, pattern, first
# characters ("" for the empty value)
CORE_SCHEMA = (
    (NULL, r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    (BOOL, r"true|True|TRUE|false|False|FALSE", "tTfF"),
    (INT, r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        FLOAT,
        r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)",
        "-+.0123456789",
    ),
)


def _integer(text: str) -> int:
    return int(text[2:], 8) if text.startswith("0o") else int(text, 16 if text.startswith("0x") else 10)


CONSTRUCT = {
    NULL: lambda text: None,
    BOOL: lambda text: text.lower() == "true",
    INT: _integer,
    FLOAT: lambda text: float(text.replace(".", "", 1) if "inf" in text.lower() or "nan" in text.lower() else text),
}


class _Loader(_BaseLoader):
    """The safe loader with the YAML 1.2 core schema, and each plain scalar's tag remembered.

    A scalar's tag depends on its text alone (there are no path resolvers), and a catalogue
    repeats its values, so the cache saves a regex scan per value.
    """

    yaml_implicit_resolvers: dict[str, list] = {}
    _tags: dict[str, str] = {}

    def resolve(self, kind, value, implicit):  # noqa: ANN001, ANN201 - PyYAML's signature
        if kind is not yaml.ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        tag = self._tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) < 100_000:
                self._tags[value] = tag
        return tag


for _tag, _pattern, _first in CORE_SCHEMA:
    _Loader.add_implicit_resolver(_tag, re.compile(rf"(?:{_pattern})\Z"), list(_first))


def read(path: str | os.PathLike[str]) -> Catalogue:
    """Read and parse a catalogue file; raises CatalogueError for anything wrong with the file."""
    return parse(read_bytes(path), str(path))


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The catalogue file's bytes; CatalogueError if it is missing, unreadable or too large."""
    name = str(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise _fail(
                name,
                f"file is {size / 2**20:.0f} MiB, over the {MAX_BYTES >> 20} MiB limit",
                "split the list, or check that this is the right file",
            )
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise _fail(name, "no such file", "pass --catalogue PATH, or run where catalogue.yaml is") from None
    except IsADirectoryError:
        raise _fail(name, "is a directory, not a file", "pass the path of catalogue.yaml") from None
    except PermissionError:
        raise _fail(name, "permission denied", "check the file's read permission") from None
    except OSError as exc:
        raise _fail(name, f"cannot read: {exc.strerror or exc}") from None
    return raw


def parse(raw: bytes | str, name: str = "catalogue.yaml") -> Catalogue:
    """Parse catalogue text (bytes are decoded as UTF-8) into a Catalogue with positions."""
    text = _decode(raw, name) if isinstance(raw, bytes) else raw
    if not text.strip():
        raise _fail(name, "the file is empty", "a catalogue needs at least `sections:` and `papers:`")
    with _collector_paused():
        return _parse_text(text, name)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading makes only new, live objects (two per YAML value, with their marks); the cyclic
    garbage collector would re-walk them again and again for nothing (10,000 papers: 1.8 s -> 0.7 s)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_text(text: str, name: str) -> Catalogue:
    plain = _Plain(name)
    data = plain(_compose(text, name), ())
    if not isinstance(data, dict):
        raise _fail(name, "the catalogue must be a mapping", "start with `title:`, `sections:` and `papers:`", 1, 1)
    positions = Positions(lambda: _positions(text, name))
    papers = data.get("papers")
    records = []
    if isinstance(papers, list):
        for i, paper in enumerate(papers):
            fields = paper if isinstance(paper, dict) else {"_value": paper}
            records.append(Record(fields, i, positions))
    return Catalogue(name, data, records, positions, plain.problems)


def _positions(text: str, name: str) -> tuple[dict[tuple, tuple[int, int]], dict[tuple, str]]:
    """Every value's position, and the spelling of every value that is not text: the text read
    again, when a problem first asks where it is."""
    with _collector_paused():
        plain = _Plain(name, positions={})
        plain(_compose(text, name), ())
        return plain.positions or {}, plain.spelt


def _compose(text: str, name: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        colon = "mapping values are not allowed" in (exc.problem or "")
        if mark and colon and (unquoted := _unquoted_colon(text, name, mark.line, mark.column)):
            raise CatalogueError([unquoted]) from None
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise _fail(name, f"YAML syntax error: {what}", "fix the YAML at this position", line, col) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise _fail(name, f"not valid YAML: {exc}") from None
    if node is None:
        raise _fail(name, "the file holds no YAML document", "a catalogue needs `papers:`")
    return node


# `field: ` at the start of a line, after an optional `- `, as a person writes it
_FIELD_START = re.compile(r"[ \t]*(?:-[ \t]+)?([\w-]+):[ \t]+")
_COMMENT = re.compile(r"[ \t]#")  # one blank before, so a long run of blanks costs one pass
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # where YAML starts a new line


def _unquoted_colon(text: str, name: str, line: int, col: int) -> Problem | None:
    """`title: UniGen: A Framework` (YAML would read a mapping in the value) as a problem at the
    value, with the line to write instead; None when the error is something else."""
    lines = _LINE_BREAK.split(text, maxsplit=line + 1)
    start = _FIELD_START.match(lines[line]) if line < len(lines) else None
    if not start or col < start.end():
        return None
    value = lines[line][start.end() :]
    if comment := _COMMENT.search(value):
        value = value[: comment.start()]
    field, value = start.group(1), value.rstrip()
    hint = f"quote it: {field}: {yaml_quoted(value)}" if len(value) <= 1000 else "put it in '…'"
    return Problem(name, line + 1, start.end() + 1, field, "YAML syntax error: ': ' in an unquoted value", hint)


def _decode(raw: bytes, name: str) -> str:
    if b"\0" in raw[:8192]:
        raise _fail(name, "this is a binary file, not YAML text", "pass the path of catalogue.yaml")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _fail(name, f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", "save the file as UTF-8", line, col) from None


def _fail(name: str, message: str, hint: str = "", line: int = 0, col: int = 0) -> CatalogueError:
    """An error about the file as a whole (line 0) or about one place in it."""
    return CatalogueError([Problem(name, line, col, "", message, hint)])


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value by its tag; text for every other tag, and for an explicit tag it does not fit."""
    construct = CONSTRUCT.get(node.tag)
    if construct is None:
        return node.value
    try:
        return construct(node.value)
    except ValueError:  # `!!int abc`: the text, for validation to judge
        return node.value


class _Plain:
    """Turn a composed node tree into plain values, and positions when asked to; aliases are refused.

    YAML aliases are the only way a small file becomes a huge document (a "billion laughs");
    a catalogue never needs them, so the first node met twice stops the read.
    """

    def __init__(self, name: str, positions: dict[tuple, tuple[int, int]] | None = None) -> None:
        self.name = name
        self.positions = positions
        self.spelt: dict[tuple, str] = {}  # filled with the positions: the text of each non-text scalar
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def __call__(self, node: yaml.Node, path: tuple) -> Any:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if id(node) in self.seen:
            raise _fail(
                self.name,
                "YAML anchors and aliases (&name, *name) are not supported",
                "write each value out in full",
                line,
                col,
            )
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise _fail(self.name, f"more than {MAX_NODES:,} YAML values", "check that this is the right file")
        if self.positions is not None:
            self.positions[path] = (line, col)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        value = _scalar(node)
        if self.positions is not None and not isinstance(value, str):
            self.spelt[path] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if self.positions is not None:
                self.positions[path + ("@", key)] = where
            if key in out:
                label = key if key.isprintable() else repr(key)[1:-1]
                self.problems.append(
                    Problem(self.name, *where, label, "this field is given twice in one mapping", "keep one of them")
                )
                continue
            out[key] = self(value_node, path + (key,))
        return out
