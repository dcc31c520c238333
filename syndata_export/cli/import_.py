"""``import``: read a Markdown paper list (an awesome-list README) into the catalogue, append-only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from syndata_export.cli import _common
from syndata_export.errors import SyndataError, plural

HELP = "add the papers of a Markdown paper list (README) to the catalogue; never changes existing records"
CATALOGUE_HELP = (
    "the catalogue to add to (default: catalogue.yaml here or in a parent folder up to the repository "
    "root, else a new ./catalogue.yaml; never the copy installed with the package)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("readme", metavar="README.md", help="the Markdown paper list to read")
    parser.add_argument(
        "--into",
        dest="catalogue",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the older name of --catalogue",
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would be added; write nothing")


def run(args: argparse.Namespace) -> int:
    from syndata_export import awesome, catalogue
    from syndata_export.catalogue import reader

    name = args.readme
    found = catalogue.find(args.catalogue)
    into = Path(catalogue.NAME) if found == catalogue.INSTALLED else found  # an import adds to a list of one's own
    old = reader.read_bytes(into) if into.exists() else None
    result = awesome.import_readme(_read_text(name), old, name, str(into))
    for problem in result.problems:
        print(problem, file=sys.stderr)
    plan = result.plan
    verb = "would add" if args.dry_run else "added"
    for line, fields in zip(plan.new_lines, plan.new, strict=True):
        print(f"{name}:{line}: {verb} {fields['key']} ({fields['section']})", file=sys.stderr)
    if result.text is not None and not args.dry_run:
        _common.emit(result.text, str(into))
    incomplete = sum(1 for f in plan.new if f.get("authors_incomplete"))
    print(
        f"{name}: {plural(result.items, 'item')}, {len(plan.new)} new, {len(plan.matched)} already in {into}, "
        f"{plural(len(plan.differences), 'difference')} reported, {result.skipped} skipped"
        + (f", {incomplete} with 'et al.' author lists (authors_incomplete: true)" if incomplete else "")
        + ("; nothing written (--dry-run)" if args.dry_run else f"; wrote {into}" if plan.new else "; unchanged"),
        file=sys.stderr,
    )
    return 1 if result.skipped else 0


def _read_text(path: str) -> str:
    """The README's text, never more than the reader takes (so /dev/zero or a FIFO ends too)."""
    from syndata_export.awesome.read import MAX_CHARS

    limit = 4 * MAX_CHARS  # bytes: UTF-8 spends at most four a character
    try:
        with open(path, "rb") as file:
            raw = file.read(limit + 1)
    except FileNotFoundError:
        raise SyndataError(f"cannot read {path}: no such file", "give the path of the Markdown list") from None
    except IsADirectoryError:
        raise SyndataError(f"cannot read {path}: it is a directory", "give the path of the Markdown list") from None
    except OSError as exc:
        raise SyndataError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise SyndataError(
            f"{path}: over {limit:,} bytes; a paper list is smaller", "split the list into smaller files"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SyndataError(f"{path}:{line}: invalid UTF-8 (byte 0x{raw[exc.start]:02x})", "save it as UTF-8") from None
