"""Options and plumbing that several commands share: the catalogue, -o, --prefer, --section, --allow."""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
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
    _never_over(path, getattr(args, "output", None))
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


def _never_over(catalogue: Path, output: str | None) -> None:
    """Refuse an -o that names the catalogue being read, by any path to it (a symlink, ``./x/../``)."""
    if not output or output == "-" or not os.path.exists(output) or not os.path.exists(catalogue):
        return
    if os.path.samefile(output, catalogue):
        raise OutputError(
            f"will not write {output}: it is the catalogue this command reads",
            "name another file; `import` is the command that adds to the catalogue",
        )


def export(args: argparse.Namespace, build: Callable[[list[dict]], str]) -> None:
    """``build`` the output from the CSL items for the options ``add_export`` added, then emit it."""
    from syndata_export import csl

    emit(build(csl.to_csl(load(args), args.prefer, args.section)), args.output)


def emit(text: str, output: str | None) -> None:
    """Data to stdout, or to FILE: a regular file through a temporary file renamed over it (never
    half-written; a symlink's target is replaced, the link stays); a device, a FIFO or an open file
    named by /proc (``/dev/stdout``) written through, as the shell would."""
    if not output or output == "-":
        _to_stdout(text)
        return
    if output.endswith(("/", os.sep)):
        raise OutputError(f"cannot write {output}: a file name cannot end in '/'", f"name the file: {output}refs.md")
    try:
        if _written_through(output):
            with open(output, "a", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        else:
            _replace(Path(os.path.realpath(output)), text)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None


def _to_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left: the CLI ends quietly
        raise
    except OSError as exc:
        # what stays buffered would fail again as Python exits, with a traceback; not on a test's capture
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _written_through(output: str) -> bool:
    """Whether ``output`` is written in place: anything but a regular file (a device, a FIFO), and
    an open file that /proc names (``/dev/stdout``, ``/dev/fd/1``: the shell chose how, e.g. ``>>``)."""
    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {output}: it is a folder", "name a file in it")
    return not stat.S_ISREG(mode) or _through_proc(output)


def _through_proc(path: str) -> bool:
    """Whether ``path`` or a symlink it leads through lies under /proc (``/dev/stdout`` →
    ``/proc/self/fd/1``): what ``os.path.realpath`` resolves past without saying."""
    for _ in range(40):  # the kernel's own limit on a chain of links
        folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
        if folder == "/proc" or folder.startswith("/proc/"):
            return True
        path = os.path.join(folder, os.path.basename(path))
        if not os.path.islink(path):
            return False
        path = os.path.join(folder, os.readlink(path))
    return False


def _replace(target: Path, text: str) -> None:
    """Write ``target`` through a temporary file beside it, renamed over it once whole; on any
    failure or interruption the old file stays as it was."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
