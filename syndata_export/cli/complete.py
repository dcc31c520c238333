"""``complete``: what the catalogue's records lack (an "et al." author list above all), filled from their sources."""

from __future__ import annotations

import argparse
import sys

from syndata_export.cli import _sources

HELP = "fill every record's missing fields and truncated author lists from its arXiv id, DOI or Anthology id"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="print what it would add, as a diff of the catalogue; write nothing"
    )
    _sources.add_network(parser)


def run(args: argparse.Namespace) -> int:
    from syndata_export.sources import workflow

    path, old = _sources.existing(args)
    out = _sources.asking(
        args, "complete", lambda look, bar: workflow.complete(old, look, name=str(path), progress=bar)
    )
    for line in out.report:
        print(f"complete: {line}", file=sys.stderr)
    _sources.finish(old, out.text, path, write_it=not args.dry_run)
    done = "nothing to add" if out.text is None else "nothing written (--dry-run)" if args.dry_run else f"wrote {path}"
    print(f"complete: {done}", file=sys.stderr)
    return 0
