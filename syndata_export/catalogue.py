"""Read catalogue.yaml into records that remember where each value was written; the only YAML reader.

Reading is strict about the file itself (size, encoding, YAML syntax, anchors) and lenient about
its content: whatever the YAML holds comes back as plain values plus positions, and
``validate.py`` decides what is wrong with it, so every problem can be reported at once.

Two parsers, one job each: yaml-rs (Rust) reads the values, ten times faster than PyYAML, and
PyYAML's node tree gives line:col positions, built only when a position is first asked for,
i.e. when there is a problem to report. A file yaml-rs refuses (syntax, duplicate fields,
anchors) is read by PyYAML alone, whose errors carry positions. Values follow YAML 1.2 as yaml-rs
reads them (``yes`` is text, not true); dates stay the text that was written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    import yaml_rs
except ImportError:  # pragma: no cover - PyYAML alone reads every catalogue, only slower
    yaml_rs = None

from syndata_export.errors import CatalogueError, Problem
from syndata_export.installed import data_file

try:  # libyaml is about ten times faster; positions are the same
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader with each plain scalar's tag remembered: a catalogue repeats its values.

    Without path resolvers (the safe loader has none), a scalar's tag depends on its text alone,
    so the cache returns exactly what PyYAML's resolver would; it saves a regex scan per value.
    """

    _tags: dict[str, str] = {}

    def resolve(self, kind, value, implicit):  # noqa: ANN001, ANN201 - PyYAML's signature
        if kind is not yaml.ScalarNode or not implicit[0] or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        tag = self._tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) < 100_000:
                self._tags[value] = tag
        return tag


MAX_BYTES = 32 * 1024 * 1024  # a 10,000-paper catalogue is about 8 MB
MAX_NODES = 2_000_000  # no honest catalogue comes near; a YAML bomb does


Locate = Callable[[tuple], "tuple[int, int]"]


@dataclass
class Record:
    """One paper: its fields as plain values, and where each was written (1-based line, col)."""

    fields: dict[str, Any]
    index: int
    locate: Locate

    @property
    def key(self) -> str:
        key = self.fields.get("key")
        return key if isinstance(key, str) else ""

    @property
    def line(self) -> int:
        return self.where()[0]

    def where(self, *path: Any) -> tuple[int, int]:
        """Position of a field (or of the record itself), falling back to its closest parent."""
        return self.locate(("papers", self.index, *path))


@dataclass
class Catalogue:
    """The whole catalogue: list metadata and records, and where each value was written."""

    path: str
    data: dict[str, Any]
    records: list[Record]
    locate: Locate
    problems: list[Problem] = field(default_factory=list)  # found while reading, reported by validate

    @property
    def title(self) -> str:
        return _str(self.data.get("title"))

    @property
    def description(self) -> str:
        return _str(self.data.get("description"))

    @property
    def sections(self) -> list[str]:
        sections = self.data.get("sections")
        return [s for s in sections if isinstance(s, str)] if isinstance(sections, list) else []

    @property
    def protected_terms(self) -> list[str]:
        terms = self.data.get("protected_terms")
        return [t for t in terms if isinstance(t, str)] if isinstance(terms, list) else []

    def where(self, *path: Any) -> tuple[int, int]:
        return self.locate(path)


class _Positions:
    """path → (line, col), from PyYAML's node tree, built on the first question only."""

    def __init__(self, text: str, name: str, known: dict[tuple, tuple[int, int]] | None = None) -> None:
        self.text, self.name, self.known = text, name, known

    def __call__(self, path: tuple) -> tuple[int, int]:
        if self.known is None:
            try:
                node = yaml.compose(self.text, Loader=_Loader)
                plain = _Plain(self.name)
                plain(node, ())
                self.known = plain.positions
            except (yaml.YAMLError, CatalogueError):  # yaml-rs read what PyYAML will not: no positions
                self.known = {}
        while path:
            if path in self.known:
                return self.known[path]
            path = path[:-1]
        return 1, 1


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def find(explicit: str | None = None) -> Path:
    """The catalogue to use: ``--catalogue PATH``, else ./catalogue.yaml, else the installed copy."""
    if explicit:
        return Path(explicit)
    local = Path("catalogue.yaml")
    if local.exists():
        return local
    return data_file("catalogue.yaml")


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
    data = _fast_values(text)
    if data is not None:
        return _catalogue(name, data, _Positions(text, name), [])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise _fail(name, f"YAML syntax error: {what}", "fix the YAML at this position", line, col) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise _fail(name, f"not valid YAML: {exc}") from None
    if node is None:
        raise _fail(name, "the file holds no YAML document", "a catalogue needs `papers:`")
    plain = _Plain(name)
    data = plain(node, ())
    if not isinstance(data, dict):
        raise _fail(name, "the catalogue must be a mapping", "start with `title:`, `sections:` and `papers:`", 1, 1)
    return _catalogue(name, data, _Positions(text, name, plain.positions), plain.problems)


def _fast_values(text: str) -> dict[str, Any] | None:
    """The document's values through yaml-rs, or None when PyYAML must read (and explain) it."""
    if yaml_rs is None or yaml.reader.Reader.NON_PRINTABLE.search(text):  # PyYAML refuses these: let it say where
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES)
    except Exception:  # noqa: BLE001 - any refusal: PyYAML reads it again and says where
        return None
    return data if isinstance(data, dict) and all(isinstance(k, str) for k in data) else None


_NO_ALIASES = yaml_rs.AliasLimits(max_total_replayed_events=0, max_alias_expansions_per_anchor=0) if yaml_rs else None


def _catalogue(name: str, data: dict[str, Any], locate: Locate, problems: list[Problem]) -> Catalogue:
    papers = data.get("papers")
    records = []
    if isinstance(papers, list):
        for i, paper in enumerate(papers):
            fields = paper if isinstance(paper, dict) else {"_value": paper}
            records.append(Record(fields, i, locate))
    return Catalogue(name, data, records, locate, problems)


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


# YAML 1.2 core schema for plain scalars, as yaml-rs reads them, so both readers give the same
# values: `yes` and `on` are text, dates are the text that was written
_CORE = [
    (re.compile(r"~|null|Null|NULL|"), lambda v: None),
    (re.compile(r"true|True|TRUE|false|False|FALSE"), lambda v: v.lower() == "true"),
    (re.compile(r"[-+]?[0-9]+"), int),
    (re.compile(r"0o[0-7]+|0x[0-9a-fA-F]+"), lambda v: int(v, 0)),
    (re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"), float),
    (re.compile(r"[-+]?\.(inf|Inf|INF)"), lambda v: float(v.replace(".", ""))),
    (re.compile(r"\.(nan|NaN|NAN)"), lambda v: float("nan")),
]


def _core_scalar(text: str) -> Any:
    for pattern, convert in _CORE:
        if pattern.fullmatch(text):
            return convert(text)
    return text


class _Plain:
    """Turn a composed node tree into plain values, recording positions; aliases are refused.

    YAML aliases are the only way a small file becomes a huge document (a "billion laughs");
    a catalogue never needs them, so the first node met twice stops the read.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions: dict[tuple, tuple[int, int]] = {}
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
            raise _fail(
                self.name,
                f"more than {MAX_NODES:,} YAML values",
                "check that this is the right file",
            )
        self.positions[path] = (line, col)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self(item, path + (i,)) for i, item in enumerate(node.value)]
        return _core_scalar(node.value) if not node.style else node.value  # style "" or None: plain

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            self.positions[path + ("@", key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                self.problems.append(
                    Problem(
                        self.name,
                        line,
                        col,
                        key,
                        "this field is given twice in one mapping",
                        "keep one of them",
                    )
                )
                continue
            out[key] = self(value_node, path + (key,))
        return out
