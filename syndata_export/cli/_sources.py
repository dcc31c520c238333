"""Options and plumbing the source commands share (add, complete, published): the network, progress, the write."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from syndata_export.cli import _common
from syndata_export.errors import OutputError

if TYPE_CHECKING:  # the sources are imported when a command that asks them runs, not at start-up
    from syndata_export.sources.match import Lookup

BAR_WIDTH = 30


def add_network(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offline", action="store_true", help="answer from the disk cache only; a miss is an error")
    parser.add_argument("--refresh", action="store_true", help="ignore the disk cache; ask every source again")


def parse_id(text: str) -> Any:
    """An identifier as :func:`syndata_export.sources.ids.parse` reads it (UsageError for a form it does not know)."""
    from syndata_export.sources import ids

    return ids.parse(text)


def lookup(args: argparse.Namespace, command: str) -> Lookup:
    """The live sources for ``args`` (tests replace this function with stand-ins)."""
    from syndata_export.sources import lookup as live

    def waiting(seconds: float, why: str) -> None:
        print(f"{command}: waiting {math.ceil(seconds)} s ({why})", file=sys.stderr, flush=True)

    return live.live(offline=args.offline, refresh=args.refresh, on_wait=waiting)


def catalogue_path(args: argparse.Namespace, creating: bool = False) -> Path:
    """The catalogue to change. ``creating`` (``add``): without one here, a new ./catalogue.yaml, as
    ``import`` does; otherwise never the copy installed with the package, which no edit should reach."""
    from syndata_export import catalogue

    found = catalogue.find(args.catalogue)
    if found != catalogue.INSTALLED:
        return found
    if creating:
        return Path(catalogue.NAME)
    raise OutputError(
        f"no {catalogue.NAME} here or up to the repository root",
        "run it where your catalogue is, or name it with --catalogue",
    )


def read(path: Path) -> str | None:
    """The catalogue's text, or None when there is none yet."""
    from syndata_export.catalogue import reader

    return reader.read_bytes(path).decode("utf-8-sig") if path.exists() else None


def existing(args: argparse.Namespace) -> tuple[Path, str]:
    """The catalogue to change and its text (``complete``, ``published``: there must be one)."""
    from syndata_export import catalogue

    path = catalogue_path(args)
    old = read(path)
    if old is None:
        catalogue.read(path)  # the reader's own message for a missing file
        raise OutputError(f"{path}: no such file")
    return path, old


T = TypeVar("T")


def asking(args: argparse.Namespace, command: str, work: Callable[[Lookup, Any], T]) -> T:
    """``work(sources, progress)`` with the live sources and a progress bar that is closed whatever happens."""
    bar = Bar(command)
    try:
        return work(lookup(args, command), bar)
    finally:
        bar.close()


def finish(old: str | None, new: str | None, path: Path, *, write_it: bool) -> None:
    """The new catalogue written, or shown as a diff; nothing when there is no change."""
    if new is None:
        return
    if write_it:
        write(new, path)
    else:
        show_diff(old, new, path)


def write(text: str, path: Path) -> None:
    """The catalogue replaced atomically (a temporary file renamed over it), never half-written; a
    byte-order mark the file began with stays (some Windows editors write one)."""
    from syndata_export.catalogue import reader

    bom = path.exists() and reader.read_bytes(path).startswith(b"\xef\xbb\xbf")
    _common.emit(("\ufeff" if bom else "") + text, str(path))


def show_diff(old: str | None, new: str, path: Path) -> None:
    """The change as a unified diff of the catalogue on stdout: data a person reads, or ``git apply`` takes."""
    import difflib

    before = old.splitlines(keepends=True) if old is not None else []
    name = path.as_posix()
    _common.emit("".join(difflib.unified_diff(before, new.splitlines(keepends=True), f"a/{name}", f"b/{name}")), None)


class Bar:
    """Progress on stderr, drawn only where stderr is a terminal: stdout stays data, logs stay clean."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.shown = sys.stderr.isatty()

    def __call__(self, done: int, total: int, label: str) -> None:
        if self.shown and total > 1:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            sys.stderr.write(f"\r\x1b[K{self.command}: [{bar}] {done}/{total} {label[:40]}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
