"""The pandoc engine: one bibliography in one pass of pandoc's citeproc; the only module that runs pandoc.

The CSL-JSON goes to pandoc in a temporary file, named with the style by ``--bibliography`` and
``--csl`` (options are taken literally; a path in the YAML metadata is read as Markdown, and a
name like ``_x1_`` loses its underscores to emphasis), with a document whose metadata says only
``nocite: '@*'`` (cite everything). Pandoc's HTML bibliography comes back and is read into
inline nodes.

The style goes to pandoc as the user gave it, but for one thing: pandoc's citeproc sorts without
the inheritable name options set on <style> (CSL 1.0.2, "Inheritable Name Options"), though it
prints with them. APA sets initialize-with there: printed, "Smith, Jane" and "Smith, John" are
both "Smith, J.", and the spec (and citeproc-js) sort them by date and title, pandoc by given
name, and letters their year suffixes in that order. :func:`sortable` hands pandoc a copy with
those options repeated on <citation> and <bibliography>, which means the same by the spec.

Pandoc is the binary that pypandoc-binary ships, run directly: pypandoc's own conversion first
imports its downloader and runs ``pandoc --version`` on every place pandoc might be, about 35 ms of
a 14-paper render. Its version is asked only where it matters: when pandoc fails (is it too
old?) and when a long list wants several bibliographies from one process (``render.long``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from syndata_export.errors import SyndataError
from syndata_export.render import inline
from syndata_export.styles import Style

MIN_VERSION = (2, 11)  # the first pandoc with --citeproc built in
ARGS = ["--citeproc", "--wrap=none"]
# GHC runtime options for pandoc's largest process, the ordering pass over a long list: collect the
# old generation in place instead of copying it (APA, 10,000 papers: 413 -> 353 MiB, 0.7 s more)
COMPACT = ["+RTS", "-c", "-RTS"]
# what CSL processors ignore anyway; pandoc need not parse it
DROP = ("custom",)
DOCUMENT = "---\nnocite: '@*'\n---\n"
CSL = "{http://purl.org/net/xbiblio/csl}"
# CSL 1.0.2 "Inheritable Name Options": set on <style>, <citation> or <bibliography>, the nearest wins
NAME_OPTIONS = (
    "and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min", "et-al-use-first", "et-al-use-last",
    "et-al-subsequent-min", "et-al-subsequent-use-first", "initialize", "initialize-with", "name-as-sort-order",
    "sort-separator", "name-form", "name-delimiter", "names-delimiter",
)  # fmt: skip

Formatted = list[tuple[str, inline.Inlines]]


@lru_cache(maxsize=1)
def executable() -> str:
    """The pandoc to run: ``$PYPANDOC_PANDOC`` (pypandoc's own setting), else pypandoc-binary's.

    The bundled pandoc is the one the goldens were made with, and is found without importing
    pypandoc; only where it is missing does pypandoc search (PATH and the usual places).
    """
    chosen = os.environ.get("PYPANDOC_PANDOC")
    if chosen:
        return chosen
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations:
        bundled = Path(
            next(iter(spec.submodule_search_locations)), "files", "pandoc.exe" if os.name == "nt" else "pandoc"
        )
        if bundled.is_file():
            return str(bundled)
    import pypandoc

    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:
        raise SyndataError("pandoc is not available", f"install pypandoc-binary or pandoc ({exc})") from None


@lru_cache(maxsize=1)
def version() -> tuple[int, ...]:
    """Pandoc's version, asked once; an absent or old pandoc is an error that says what to do."""
    try:
        done = subprocess.run([executable(), "--version"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SyndataError("pandoc is not available", f"install pypandoc-binary or pandoc ({exc})") from None
    words = (done.stdout.decode("utf-8", "replace").splitlines() or [""])[0].split()
    text = next((w for w in words if re.fullmatch(r"\d+(\.\d+)+", w)), "")
    found = tuple(int(p) for p in text.split(".") if p.isdigit())
    if done.returncode != 0 or not found:
        raise SyndataError("pandoc is not available", f"{executable()} --version did not say its version")
    if found < MIN_VERSION:
        raise SyndataError(f"pandoc {text} is too old", "the pandoc engine needs pandoc 2.11 or later")
    return found


@lru_cache(maxsize=1)
def takes_runtime_options() -> bool:
    """Whether this pandoc accepts GHC runtime options: pypandoc-binary's does, one linked without
    ``-rtsopts`` refuses to start with them."""
    try:
        done = subprocess.run([executable(), *COMPACT, "--version"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def arguments(style: Path, bibliography: Path) -> list[str]:
    """Pandoc's options for one bibliography; the paths never pass through Markdown."""
    return [*ARGS, f"--csl={style}", f"--bibliography={bibliography}"]


def bibliography(items: list[dict], style: Path, compact: bool = False) -> Formatted:
    """(key, reference) for every item, in the order pandoc's citeproc sorts them.

    ``style`` is the independent .csl file. ``compact`` trades some speed for memory where pandoc
    allows it (:data:`COMPACT`).
    """
    fd, tmp = tempfile.mkstemp(prefix="syndata-export-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write_items(handle, items)
        extra = COMPACT if compact and takes_runtime_options() else []
        out = to_html(style, DOCUMENT, arguments(style, Path(tmp)) + extra)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return entries(out)


@contextmanager
def sortable(style: Style) -> Iterator[Style]:
    """``style``, or where it sets name options on <style>, a copy that repeats them on <citation>
    and <bibliography> (a temporary file, removed after), so that pandoc sorts as it prints."""
    root = inherited_name_options(style.root)
    if root is None:
        yield style
        return
    fd, name = tempfile.mkstemp(prefix="syndata-export-style-", suffix=".csl")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(ET.tostring(root, encoding="utf-8", xml_declaration=True))  # prefixed names: pandoc reads them
        yield dataclasses.replace(style, path=Path(name), root=root)
    finally:
        Path(name).unlink(missing_ok=True)


def inherited_name_options(root: ET.Element) -> ET.Element | None:
    """``root`` with <citation> and <bibliography> carrying the name options they inherit from
    <style> (the same style by the spec), or None when there are none to carry.

    A new tree above those two elements only; everything below them is shared with ``root``
    (copying the whole of APA would cost 10 ms of a 14-paper render).
    """
    options = {name: root.get(name, "") for name in NAME_OPTIONS if name in root.attrib}
    if not options:
        return None
    carried = ET.Element(root.tag, root.attrib)
    carried.text, carried.tail = root.text, root.tail
    for child in root:
        if child.tag in (f"{CSL}citation", f"{CSL}bibliography"):
            child, shared = ET.Element(child.tag, {**options, **child.attrib}), child
            child.text, child.tail = shared.text, shared.tail
            child.extend(shared)
        carried.append(child)
    return carried


def write_items(handle: TextIO, items: list[dict]) -> None:
    """The items as pandoc reads them: CSL-JSON without what no CSL processor reads."""
    data = [{k: v for k, v in item.items() if k not in DROP} for item in items]
    handle.write(json.dumps(data, ensure_ascii=False))  # dumps uses the C encoder, dump does not


def to_html(style: Path, source: str | Path, args: list[str]) -> str:
    """Pandoc's HTML for a Markdown text or file; its failure becomes our error, with its first line."""
    text = source if isinstance(source, str) else None
    argv = [executable(), "--from=markdown", "--to=html", *args, *([] if text is not None else [str(source)])]
    try:
        done = subprocess.run(argv, input=(text or "").encode("utf-8"), capture_output=True)
    except OSError as exc:
        raise SyndataError("pandoc is not available", f"install pypandoc-binary or pandoc ({exc})") from None
    if done.returncode != 0:
        version()  # an old pandoc is the likeliest cause, and its own error would not say so
        message = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0][:300]
        raise SyndataError(f"pandoc could not format the bibliography with {style}", message)
    return done.stdout.decode("utf-8", "replace")


def entries(html: str) -> Formatted:
    """Pandoc's ``<div id="ref-KEY" class="csl-entry">`` elements as (KEY, inline nodes)."""
    found = []
    for element in inline.find_all(inline.parse(html), "csl-entry"):
        key = element.attrs.get("id", "")
        found.append((key[4:] if key.startswith("ref-") else key, inline.inlines(element)))
    return found
