"""``published``: preprints followed to their peer-reviewed versions, proposed as a diff of the catalogue."""

from __future__ import annotations

import argparse
import sys

from syndata_export.cli import _sources
from syndata_export.errors import plural

HELP = "propose a published: block for each preprint without one (a diff on stdout); --apply writes them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--apply", action="store_true", help="write the proposals into the catalogue")
    _sources.add_network(parser)


def run(args: argparse.Namespace) -> int:
    from syndata_export.sources import workflow

    path, old = _sources.existing(args)
    out, proposals = _sources.asking(
        args, "published", lambda look, bar: workflow.published(old, look, name=str(path), progress=bar)
    )
    for line in out.report:
        print(f"published: {line}", file=sys.stderr)
    found = sum(1 for p in proposals if p.published)
    _sources.finish(old, out.text, path, write_it=args.apply)
    done = f"wrote {path}" if out.text is not None and args.apply else "nothing written"
    hint = " (--apply writes them)" if found and not args.apply else ""
    print(f"published: {plural(len(proposals), 'preprint')} looked up, {found} proposed{hint}; {done}", file=sys.stderr)
    return 0
