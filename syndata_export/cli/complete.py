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
    from syndata_export import catalogue
    from syndata_export.sources import workflow

    path = _sources.catalogue_path(args)
    old = _sources.read(path)
    if old is None:
        catalogue.read(path)  # the reader's own message for a missing file
        return 1
    bar = _sources.Bar("complete")
    try:
        out = workflow.complete(old, _sources.lookup(args, "complete"), name=str(path), progress=bar)
    finally:
        bar.close()
    for line in out.report:
        print(f"complete: {line}", file=sys.stderr)
    if out.text is not None and args.dry_run:
        _sources.show_diff(old, out.text, path)
    elif out.text is not None:
        _sources.write(out.text, path)
    done = "nothing to add" if out.text is None else "nothing written (--dry-run)" if args.dry_run else f"wrote {path}"
    print(f"complete: {done}", file=sys.stderr)
    return 0
