"""``list``: write the paper list back as Markdown, the way the list's own README looks."""

from __future__ import annotations

import argparse

from syndata_export.cli import _common

HELP = "write the paper list as a Markdown README (GB/T 7714 like the original list, or any CSL style)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--style", metavar="S", help="format each paper with this CSL style (default: the list's own GB/T 7714 look)"
    )
    parser.add_argument("--toc", action="store_true", help="start with a table of contents")
    _common.add_prefer(parser)
    _common.add_output(parser)


def run(args: argparse.Namespace) -> int:
    from syndata_export import csl, listing, validate

    cat = _common.load(args, tolerate=(validate.AUTHORS_INCOMPLETE,))  # listing prints "et al." again
    items = csl.to_csl(cat, args.prefer)
    texts = _styled(items, args.style) if args.style else None
    _common.emit(listing.write(cat.title, cat.description, cat.sections, items, texts, args.toc), args.output)
    return 0


def _styled(items: list[dict], style: str) -> dict[str, str]:
    from syndata_export import render

    return {entry.key: entry.text for entry in render.bibliography(items, style=style, engine="pandoc", fmt="markdown")}
