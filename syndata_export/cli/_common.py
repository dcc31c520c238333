"""Options and plumbing that several commands share: the catalogue, -o and --check, --prefer, --section, --allow."""

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
from syndata_export.cli import _report
from syndata_export.errors import CatalogueError, OutputError, Problem

GLOBAL_OPTIONS = ("--catalogue",)  # accepted before or after the command
# --allow NAME → the validation problem it lets through (validate.AUTHORS_INCOMPLETE); each paper
# that falls under one is exported as it stands, with a warning
ALLOW = {"incomplete-authors": "authors-incomplete"}
ALLOW_HELP = (
    'export anyway what validation would refuse, with a warning per paper: incomplete-authors (an "et al." '
    "list from `import`: the authors known, then et al. / BibTeX's and others)"
)


OUT_OF_DATE = "out-of-date"  # the problem code of a file --check finds not as the catalogue generates it

CATALOGUE_HELP = (
    "the catalogue to read (default: catalogue.yaml here or in a parent folder up to the "
    "repository root, else the copy installed with the package)"
)


def add_global(parser: argparse.ArgumentParser, default: object = None, catalogue_help: str = CATALOGUE_HELP) -> None:
    parser.add_argument("--catalogue", metavar="PATH", default=default, help=catalogue_help)


def add_output(parser: argparse.ArgumentParser) -> None:
    """-o, and --check to compare with it instead: every command that writes a file has both."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing: compare what would be written with -o FILE; exit 1 with a unified diff when it "
        "differs or is missing",
    )
    add_error_format(parser)


def add_error_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--error-format",
        choices=_report.FORMATS,
        default="default",
        help="how problems are reported: file:line:col: message on stderr (default), GitHub workflow "
        "annotations (github) or a GitLab Code Quality JSON report (gitlab) on stdout",
    )


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


def export(args: argparse.Namespace, build: Callable[[list[dict]], str]) -> int:
    """``build`` the output from the CSL items for the options ``add_export`` added, then deliver it."""
    from syndata_export import csl

    return deliver(build(csl.to_csl(load(args), args.prefer, args.section)), args)


def deliver(text: str, args: argparse.Namespace) -> int:
    """A writer's result, as the options ``add_output`` added ask: emitted, or with ``--check``
    compared with the file -o names, which stays untouched. The exit code: 1 when it differs.

    The diff goes to stdout, or to stderr when stdout carries GitLab's report.
    """
    if not args.check:
        emit(text, args.output)
        return 0
    problem, diff = compare(text, args.output)
    problems = [problem] if problem else []
    if diff:
        print(diff, end="", file=sys.stderr if args.error_format == "gitlab" else sys.stdout)
    report(problems, args.error_format)
    return 1 if problems else 0


def report(problems: list[Problem], error_format: str) -> None:
    """Problems in the ``--error-format`` asked: ``file:line:col: message`` lines on stderr (as many
    as a :class:`CatalogueError` prints), or a CI's format on stdout (GitLab's report even when empty)."""
    if error_format != "default":
        _to_stdout(_report.FORMATTERS[error_format](problems))
    elif problems:
        print(CatalogueError(problems), file=sys.stderr)


def compare(text: str, output: str) -> tuple[Problem | None, str]:
    """``--check``: ``text`` against the file ``output`` as ``emit`` would leave it, byte for byte,
    reading only. A difference is a problem at its first differing line, and a unified diff."""
    try:
        mode = os.stat(output).st_mode
        if stat.S_ISDIR(mode):
            raise OutputError(f"cannot check {output}: it is a folder", "name a file in it")
        if not stat.S_ISREG(mode):
            raise OutputError(f"cannot check {output}: not a regular file", "name a file the command would write")
        on_disk = Path(output).read_bytes()
    except FileNotFoundError:
        on_disk = None
    except OSError as exc:
        raise OutputError(f"cannot read {output}: {exc.strerror or exc}") from None
    if on_disk == text.encode("utf-8"):
        return None, ""
    hint = "run the command without --check to write it"
    new = text.splitlines(keepends=True)
    if on_disk is None:
        problem = Problem(output, 0, 0, "", "missing: the catalogue generates it", hint, OUT_OF_DATE)
        return problem, _unified([], new, f"{output} (missing)", f"{output} (from the catalogue)")
    old = on_disk.decode("utf-8", errors="replace").splitlines(keepends=True)
    line, col = _first_difference(old, new)
    problem = Problem(output, line, col, "", "differs from what the catalogue generates", hint, OUT_OF_DATE)
    return problem, _unified(old, new, f"{output} (on disk)", f"{output} (from the catalogue)")


def _first_difference(old: list[str], new: list[str]) -> tuple[int, int]:
    """Line and column (1-based) in ``old`` where ``new`` first departs from it; at its end when
    one is the other cut short."""
    for number, (a, b) in enumerate(zip(old, new, strict=False), 1):
        if a != b:
            return number, len(os.path.commonprefix([a, b])) + 1
    return max(1, min(len(old), len(new) + 1)), 1


def _unified(old: list[str], new: list[str], before: str, after: str) -> str:
    """A unified diff, with diff's own note where a side does not end in a newline."""
    import difflib

    lines = difflib.unified_diff(old, new, before, after)
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines)


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
