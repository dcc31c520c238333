"""``styles``: list the styles ``--style`` accepts, or search them by name and title."""

from __future__ import annotations

import argparse
import sys

HELP = "list or search the CSL styles --style accepts (house styles first)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", default="", metavar="TEXT", help="only styles whose id or title holds TEXT")


def run(args: argparse.Namespace) -> int:
    from syndata_export import styles
    from syndata_export.cli import _common

    found = styles.list_styles(args.text)
    if not found:
        print(f"syndata-export: no style matches {args.text!r}", file=sys.stderr)
        return 1
    width = max(len(s.name) for s in found)
    lines = [f"{s.name:<{width}}  {s.source:<10}  {s.title}".rstrip() for s in found]
    _common.emit("\n".join(lines) + "\n", None)
    return 0
