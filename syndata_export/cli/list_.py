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
    from syndata_export import awesome, csl

    cat = _common.load(args, tolerate=awesome.TOLERATE)  # the list prints "et al." again
    return _common.deliver(awesome.write_list(cat, csl.to_csl(cat, args.prefer), args.style, args.toc), args)
