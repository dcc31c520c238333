"""``check``: validate the catalogue and report every problem at once; with ``--since``, its keys too."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from syndata_export.cli import _common
from syndata_export.errors import CatalogueError, plural

if TYPE_CHECKING:
    from syndata_export.catalogue import Catalogue

HELP = "validate the catalogue; print every problem as file:line:col (exit 1 if any)"
SINCE_HELP = (
    "also check that every key (and alias) of the catalogue at git revision REV still names the same paper, "
    "e.g. --since origin/main"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_error_format(parser)
    parser.add_argument("--since", metavar="REV", help=SINCE_HELP)


def run(args: argparse.Namespace) -> int:
    cat = _common.load(args)
    sections = {r.fields.get("section") for r in cat.records}
    counts = f"{plural(len(cat.records), 'paper')} in {plural(len(sections), 'section')}"
    if args.since:
        counts += "; " + _since(cat, args.since)
    print(f"{cat.path}: {counts}, no problems", file=sys.stderr)
    _common.report([], args.error_format)  # GitLab's report is there, empty, when all is well
    return 0


def _since(cat: Catalogue, rev: str) -> str:
    """Compare keys with the catalogue at ``rev``; what was compared, or CatalogueError."""
    from syndata_export import registry
    from syndata_export.catalogue import history

    before = history.at(cat.path, rev)
    if before is None:
        return f"no catalogue at {rev}, no keys to compare"
    if problems := registry.compare(before, cat, rev):
        raise CatalogueError(problems)
    kept = sum(1 for record in before.records for _ in registry.names(record))
    return f"{plural(kept, 'key')} of {rev} kept"
