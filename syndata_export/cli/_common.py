"""Options and plumbing that several commands share: the catalogue, -o, --prefer, --section, --allow."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path

from syndata_export.catalogue import Catalogue
from syndata_export.errors import OutputError

GLOBAL_OPTIONS = ("--catalogue",)  # accepted before or after the command
# --allow NAME → the validation problem it lets through (validate.AUTHORS_INCOMPLETE); each paper
# that falls under one is exported as it stands, with a warning
ALLOW = {"incomplete-authors": "authors-incomplete"}
ALLOW_HELP = (
    'export anyway what validation would refuse, with a warning per paper: incomplete-authors (an "et al." '
    "list from `import`: the authors known, then et al. / BibTeX's and others)"
)


CATALOGUE_HELP = (
    "the catalogue to read (default: catalogue.yaml here or in a parent folder up to the "
    "repository root, else the copy installed with the package)"
)


def add_global(parser: argparse.ArgumentParser, default: object = None, catalogue_help: str = CATALOGUE_HELP) -> None:
    parser.add_argument("--catalogue", metavar="PATH", default=default, help=catalogue_help)


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def add_prefer(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prefer",
        choices=("published", "preprint"),
        default="published",
        help="cite the peer-reviewed version where there is one (default), or the preprint",
    )


def add_sections(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--section", metavar="NAME", nargs="+", help="only these sections (default: all)")


def add_allow(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow", metavar="NAME", action="append", choices=tuple(ALLOW), default=[], help=ALLOW_HELP)


def add_export(parser: argparse.ArgumentParser) -> None:
    """The options every exporter of CSL items shares: which version, which sections, what to allow, where."""
    add_prefer(parser)
    add_sections(parser)
    add_allow(parser)
    add_output(parser)


def load(args: argparse.Namespace, tolerate: Collection[str] = ()) -> Catalogue:
    """The catalogue the options name (:func:`catalogue.find`), read and validated; saying so
    on stderr when it is the copy installed with the package, which a checkout's edits never reach.

    What ``--allow`` names passes validation too, with a warning per paper it concerns (of the
    ``--section``s exported, where the command has the option).
    """
    from syndata_export import catalogue

    path = catalogue.find(args.catalogue)
    if path == catalogue.INSTALLED:
        print(
            f"syndata-export: no {catalogue.NAME} here or up to the repository root; "
            f"using the copy installed with the package ({path})",
            file=sys.stderr,
        )
    allowed = [ALLOW[name] for name in getattr(args, "allow", None) or []]
    cat = catalogue.load(path, [*tolerate, *allowed])
    sections = getattr(args, "section", None)
    if ALLOW["incomplete-authors"] in allowed:
        for record in cat.records:
            if record.fields.get("authors_incomplete") and (not sections or record.fields.get("section") in sections):
                line, col = record.where("authors_incomplete")
                print(
                    f"syndata-export: warning: {cat.path}:{line}:{col}: {record.key}: the author list is incomplete; "
                    'exported with the authors known, then "et al."',
                    file=sys.stderr,
                )
    return cat


def export(args: argparse.Namespace, build: Callable[[list[dict]], str]) -> None:
    """``build`` the output from the CSL items for the options ``add_export`` added, then emit it."""
    from syndata_export import csl

    emit(build(csl.to_csl(load(args), args.prefer, args.section)), args.output)


def emit(text: str, output: str | None) -> None:
    """Data to stdout, or to FILE through a temporary file renamed over it: never half-written."""
    if not output or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(output)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
