"""The pandoc engine: the only module that runs pandoc (through pypandoc), with its citeproc.

The CSL-JSON goes to pandoc in a temporary file, named with the style by ``--bibliography`` and
``--csl`` (options are taken literally; a path in the YAML metadata is read as Markdown, and a
name like ``_x1_`` loses its underscores to emphasis), with a document whose metadata says only
``nocite: '@*'`` (cite everything). Pandoc's HTML bibliography comes back and is read into
inline nodes. Pandoc's version is probed once per process.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from syndata_export.errors import SyndataError
from syndata_export.render import inline

MIN_VERSION = (2, 11)  # the first pandoc with --citeproc built in
MANY_VERSION = (2, 19, 1)  # the first with pandoc.utils.citeproc, which bibliographies() needs
MANY_FILTER = Path(__file__).with_name("bibliographies.lua")
MANY_MARKER = "<!-- syndata-export batch -->"  # what the filter prints before each bibliography
ARGS = ["--citeproc", "--wrap=none"]
# GHC runtime options for pandoc's largest process, the ordering pass over a long list: collect the
# old generation in place instead of copying it (APA, 10,000 papers: 413 -> 353 MiB, 0.7 s more)
COMPACT = ["+RTS", "-c", "-RTS"]
# what CSL processors ignore anyway; pandoc need not parse it
DROP = ("custom",)


@lru_cache(maxsize=1)
def version() -> tuple[int, ...]:
    """Pandoc's version, asked once; an absent or old pandoc is an error that says what to do."""
    import pypandoc

    try:
        text = pypandoc.get_pandoc_version()
    except OSError as exc:
        raise SyndataError("pandoc is not available", f"install pypandoc-binary or pandoc ({exc})") from None
    found = tuple(int(p) for p in text.split(".") if p.isdigit())
    if found < MIN_VERSION:
        raise SyndataError(f"pandoc {text} is too old", "the pandoc engine needs pandoc 2.11 or later")
    return found


@lru_cache(maxsize=1)
def takes_runtime_options() -> bool:
    """Whether this pandoc accepts GHC runtime options: pypandoc-binary's does, one linked without
    ``-rtsopts`` refuses to start with them."""
    import subprocess

    import pypandoc

    try:
        done = subprocess.run([pypandoc.get_pandoc_path(), *COMPACT, "--version"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


DOCUMENT = "---\nnocite: '@*'\n---\n"


def arguments(style: Path, bibliography: Path) -> list[str]:
    """Pandoc's options for one bibliography; the paths never pass through Markdown."""
    return [*ARGS, f"--csl={style}", f"--bibliography={bibliography}"]


def bibliography(items: list[dict], style: Path, compact: bool = False) -> list[tuple[str, inline.Inlines]]:
    """(key, reference) for every item, in the order pandoc's citeproc sorts them.

    ``compact`` trades some speed for memory where pandoc allows it (:data:`COMPACT`).
    """
    version()
    fd, tmp = tempfile.mkstemp(prefix="syndata-export-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            _write_items(handle, items)
        extra = COMPACT if compact and takes_runtime_options() else []
        out = _html(style, DOCUMENT, arguments(style, Path(tmp)) + extra)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return entries(out)


def bibliographies(batches: list[list[dict]], style: Path) -> list[list[tuple[str, inline.Inlines]]]:
    """One bibliography per batch, each exactly as :func:`bibliography` renders it, from one pandoc.

    A Lua filter hands each batch to pandoc's own citeproc in a document of its own, so one
    process pays pandoc's start-up and its parsing of the style and locale once, not per batch
    (about 0.1 s each). Pandoc older than 2.19.1 gets one process per batch.
    """
    if len(batches) < 2 or version() < MANY_VERSION:
        return [bibliography(batch, style) for batch in batches]
    with tempfile.TemporaryDirectory(prefix="syndata-export-") as folder:
        for n, batch in enumerate(batches, start=1):
            with open(os.path.join(folder, f"{n}.json"), "w", encoding="utf-8") as handle:
                _write_items(handle, batch)
        source = Path(folder, "batches.md")  # the filter finds the batches beside its input file
        source.write_text(DOCUMENT.replace("---\n", f"---\nsyndata-batches: {len(batches)}\n", 1), encoding="utf-8")
        args = ["--wrap=none", f"--csl={style}", f"--lua-filter={MANY_FILTER}"]
        out = _html(style, source, args)
    found = out.split(MANY_MARKER)[1:]
    if len(found) != len(batches):
        raise SyndataError(f"pandoc returned {len(found)} bibliographies for {len(batches)} batches")
    return [entries(html) for html in found]


def _write_items(handle, items: list[dict]) -> None:
    data = [{k: v for k, v in item.items() if k not in DROP} for item in items]
    handle.write(json.dumps(data, ensure_ascii=False))  # dumps uses the C encoder, dump does not


def _html(style: Path, source: str | Path, args: list[str]) -> str:
    """Pandoc's HTML for a Markdown text or file; its failure becomes our error, with its first line."""
    import pypandoc

    try:
        if isinstance(source, Path):
            return pypandoc.convert_file(str(source), "html", format="markdown", extra_args=args, verify_format=False)
        return pypandoc.convert_text(source, "html", format="markdown", extra_args=args, verify_format=False)
    except RuntimeError as exc:
        raise SyndataError(f"pandoc could not format the bibliography with {style}", _first_line(exc)) from None


def entries(html: str) -> list[tuple[str, inline.Inlines]]:
    """Pandoc's ``<div id="ref-KEY" class="csl-entry">`` elements as (KEY, inline nodes)."""
    found = []
    for element in inline.find_all(inline.parse(html), "csl-entry"):
        key = element.attrs.get("id", "")
        found.append((key[4:] if key.startswith("ref-") else key, inline.inlines(element)))
    return found


def _first_line(exc: Exception) -> str:
    text = re.sub(r'^Pandoc died with exitcode "\d+" during conversion:\s*', "", str(exc).strip())
    return (text.splitlines() or ["no message"])[0][:300]
