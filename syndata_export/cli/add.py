"""``add``: papers by identifier (arXiv id, DOI, ACL Anthology id) appended to the catalogue as complete records."""

from __future__ import annotations

import argparse
import sys

from syndata_export.cli import _sources
from syndata_export.errors import plural

HELP = "add papers by arXiv id, DOI or ACL Anthology id, with every author and the published version"
CATALOGUE_HELP = (
    "the catalogue to add to (default: catalogue.yaml here or in a parent folder up to the repository "
    "root, else a new ./catalogue.yaml; never the copy installed with the package)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "ids", metavar="ID", nargs="+", help="2406.18966, arXiv:2406.18966v2, a DOI, 2024.acl-long.12, or their URLs"
    )
    parser.add_argument("--section", metavar="NAME", required=True, help="the section the papers go in")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the records it would add, as a diff of the catalogue; write nothing",
    )
    parser.add_argument("--partial", action="store_true", help="when some identifiers fail, add the others anyway")
    _sources.add_network(parser)


def run(args: argparse.Namespace) -> int:
    from syndata_export.sources import workflow

    idents = [_sources.parse_id(text) for text in args.ids]  # an unknown form: a usage error before any request
    path = _sources.catalogue_path(args, creating=True)
    old = _sources.read(path)
    out = _sources.asking(
        args,
        "add",
        lambda look, bar: workflow.add(
            old, idents, args.section, look, partial=args.partial, name=str(path), progress=bar
        ),
    )
    for line in out.report:
        print(f"add: {line}", file=sys.stderr)
    for line in out.failed:
        print(f"add: error: {line}", file=sys.stderr)
    _sources.finish(old, out.text, path, write_it=not args.dry_run)
    written = out.text is not None and not args.dry_run
    print(
        f"add: {_summary(out, args, written)}; " + (f"wrote {path}" if written else "nothing written"), file=sys.stderr
    )
    return 1 if out.failed else 0


def _summary(out, args: argparse.Namespace, written: bool) -> str:  # noqa: ANN001 - an Outcome
    failed = f", {plural(len(out.failed), 'identifier')} failed" if out.failed else ""
    held = " (--partial adds the others)" if out.failed and not args.partial and not written else ""
    return f"{plural(len(args.ids), 'identifier')}{failed}{held}"
