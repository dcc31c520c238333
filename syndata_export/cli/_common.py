"""Options and plumbing that several commands share: the catalogue, -o, --prefer, --section."""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
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


def export(args: argparse.Namespace, build: Callable[[list[dict]], str]) -> None:
    """``build`` the output from the CSL items for the options ``add_export`` added, then emit it.

    The output is built while the catalogue is validated (:func:`checked`); it is written only
    once the catalogue is known to be valid.
    """
    from syndata_export import csl

    with checked(args) as cat:
        text = build(csl.to_csl(cat, args.prefer, args.section))
    emit(text, args.output)


def load(args: argparse.Namespace) -> Catalogue:
    """Read and validate the catalogue; an invalid one stops the command before anything is written."""
    from syndata_export import validate

    cat = _read(args)
    problems = validate.validate(cat)
    if problems:
        raise CatalogueError(problems)
    return cat


@contextlib.contextmanager
def checked(args: argparse.Namespace) -> Iterator[Catalogue]:
    """The catalogue for a block that only computes, validated meanwhile on another core.

    Validation is a quarter of a 10,000-paper export and needs nothing the export makes, so a
    forked child parses the same bytes and validates them while the block builds. (Sharing one
    parsed catalogue with the child costs more than parsing twice: every reference count the
    block touches would copy a page.) Leaving the block waits for the verdict. Problems raise
    :class:`CatalogueError`, also when the block failed first: its failure is then a symptom of
    the bad input, and the problems are what a person can act on. The block must not write
    anything: nothing is known valid inside it.
    """
    from syndata_export import catalogue

    path = catalogue.find(getattr(args, "catalogue", None))
    raw = catalogue.read_bytes(path)
    verdict = _in_background(_problems, raw, str(path))
    cat = _frozen(catalogue.parse(raw, str(path)))
    try:
        yield cat
    except Exception:
        if problems := verdict():
            raise CatalogueError(problems) from None
        raise
    if problems := verdict():
        raise CatalogueError(problems)


def _read(args: argparse.Namespace) -> Catalogue:
    from syndata_export import catalogue

    return _frozen(catalogue.read(catalogue.find(getattr(args, "catalogue", None))))


def _frozen(cat: Catalogue) -> Catalogue:
    # The catalogue lives through the command's work. Frozen, it is no longer re-walked by every full
    # garbage collection that the outputs' many new values trigger (0.2 s on 10,000 papers).
    gc.freeze()
    return cat


def _problems(raw: bytes, name: str) -> list:
    from syndata_export import catalogue, validate

    return validate.validate(catalogue.parse(raw, name))


def _in_background(work: Callable[..., list], *args: object) -> Callable[[], list]:
    """Start ``work(*args)`` in a forked process; the returned function waits for its result.

    Where fork is unsafe (threads are running, as under a test server) or missing (Windows), the
    work runs here and now. Should the child end without a result (the work raised, or the child
    was killed), the work runs again here, so the outcome is always exactly that of ``work(*args)``.
    """
    import multiprocessing

    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        result = work(*args)
        return lambda: result
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    sys.stdout.flush()  # the child flushes inherited buffers when it ends: leave it none to repeat
    sys.stderr.flush()
    child = context.Process(target=_send_result, args=(send, work, args), daemon=True)
    child.start()
    send.close()

    def wait() -> list:
        try:
            result = receive.recv()
        except EOFError:
            result = work(*args)
        finally:
            receive.close()
            child.join()
        return result

    return functools.cache(wait)


def _send_result(send, work: Callable[..., list], args: tuple) -> None:
    """In the child: the work's result down the pipe, or nothing (the parent then does the work)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report; it ends this child
    with send, contextlib.suppress(Exception):
        send.send(work(*args))


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
