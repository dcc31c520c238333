"""Options and plumbing that several commands share: the catalogue, -o, --prefer, --section."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from pathlib import Path

from syndata_export.catalogue import Catalogue
from syndata_export.errors import CatalogueError, OutputError


def add_catalogue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalogue",
        metavar="PATH",
        help="the catalogue to read (default: ./catalogue.yaml, else the copy installed with the package)",
    )


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


def add_export(parser: argparse.ArgumentParser) -> None:
    """The options every exporter of CSL items shares: which catalogue, which version, which sections, where."""
    add_catalogue(parser)
    add_prefer(parser)
    add_sections(parser)
    add_output(parser)


def items(args: argparse.Namespace) -> list[dict]:
    """The validated catalogue as CSL items, for the options ``add_export`` added."""
    from syndata_export import csl

    return csl.to_csl(load(args), args.prefer, args.section)


def load(args: argparse.Namespace) -> Catalogue:
    """Read and validate the catalogue; an invalid one stops the command before anything is written."""
    from syndata_export import catalogue, validate

    cat = catalogue.read(catalogue.find(getattr(args, "catalogue", None)))
    # The catalogue lives as long as the command. Frozen, it is no longer re-walked by every full
    # garbage collection that the outputs' many new values trigger (0.2 s on 10,000 papers).
    gc.freeze()
    problems = validate.validate(cat)
    if problems:
        raise CatalogueError(problems)
    return cat


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
