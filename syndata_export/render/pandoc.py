"""The pandoc engine: one bibliography in one pass of pandoc's citeproc; the only module that runs pandoc.

The CSL-JSON goes to pandoc in a temporary file, named with the style by ``--bibliography`` and
``--csl`` (options are taken literally; a path in the YAML metadata is read as Markdown, and a
name like ``_x1_`` loses its underscores to emphasis), with a document whose metadata says only
``nocite: '@*'`` (cite everything). Pandoc's HTML bibliography comes back and is read into
inline nodes.

The style goes to pandoc as the user gave it, but for one thing: pandoc's citeproc sorts without
the inheritable name options set on <style> (CSL 1.0.2, "Inheritable Name Options"), though it
prints with them. APA sets initialize-with there: printed, "Smith, Jane" and "Smith, John" are
both "Smith, J.", and the spec (and citeproc-js) sort them by date and title, pandoc by given
name, and letters their year suffixes in that order. :func:`sortable` hands pandoc a copy with
those options repeated on <citation> and <bibliography>, which means the same by the spec.

Pandoc is the binary that pypandoc-binary ships, run directly: pypandoc's own conversion first
imports its downloader and runs ``pandoc --version`` on every place pandoc might be, about 35 ms of
a 14-paper render. Its version is asked only where it matters: when pandoc fails (is it too
old?) and when a long list wants several bibliographies from one process (``render.long``).

A style may come from anywhere, so pandoc runs with a heap ceiling (GHC's ``-M``) and a time
limit, both growing with the list, and every pandoc this process runs is known, so that an
interruption (Ctrl-C, SIGTERM) can end them all (:func:`stop_all`).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from syndata_export.errors import SyndataError
from syndata_export.render import inline
from syndata_export.styles import Style

MIN_VERSION = (2, 11)  # the first pandoc with --citeproc built in
ARGS = ["--citeproc", "--wrap=none"]
# GHC runtime option for pandoc's largest process, the ordering pass over a long list: collect the
# old generation in place instead of copying it (APA, 10,000 papers: 413 -> 353 MiB, 0.7 s more)
COMPACT = "-c"
# what GHC prints when a pandoc linked without -rtsopts is given runtime options (it then does nothing)
REFUSED = b"RTS options are disabled"
# what CSL processors ignore anyway; pandoc need not parse it
DROP = ("custom",)
DOCUMENT = "---\nnocite: '@*'\n---\n"
CSL = "{http://purl.org/net/xbiblio/csl}"
# CSL 1.0.2 "Inheritable Name Options": set on <style>, <citation> or <bibliography>, the nearest wins
NAME_OPTIONS = (
    "and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min", "et-al-use-first", "et-al-use-last",
    "et-al-subsequent-min", "et-al-subsequent-use-first", "initialize", "initialize-with", "name-as-sort-order",
    "sort-separator", "name-form", "name-delimiter", "names-delimiter",
)  # fmt: skip

Formatted = list[tuple[str, inline.Inlines]]

_running: set[subprocess.Popen] = set()  # every pandoc started and not yet reaped, for stop_all()
_lock = threading.Lock()
# pandocs (by path) linked without -rtsopts: learned from the first refusal, never probed (a probe costs a start)
_refusing_runtime_options: set[str] = set()


def memory_limit(items: int) -> int:
    """Pandoc's heap ceiling in MiB: 1 GiB, and 256 KiB more per item. Pandoc peaks at 175 MiB on
    14 papers in APA, 413 MiB on the ordering pass of 10,000; a recursive macro took 12.5 GB in 70 s."""
    return 1024 + items // 4


def time_limit(items: int) -> float:
    """Seconds pandoc may take: a minute, plus a term that grows as its name disambiguation does
    (quadratically: APA in one pass took 16-30 s for 1,000 papers on a busy machine; here 104 s)."""
    return 60 + (items / 150) ** 2


@lru_cache(maxsize=1)
def executable() -> str:
    """The pandoc to run: ``$PYPANDOC_PANDOC`` (pypandoc's own setting), else pypandoc-binary's.

    The bundled pandoc is the one the goldens were made with, and is found without importing
    pypandoc; only where it is missing does pypandoc search (PATH and the usual places).
    """
    chosen = os.environ.get("PYPANDOC_PANDOC")
    if chosen:
        return chosen
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations:
        bundled = Path(
            next(iter(spec.submodule_search_locations)), "files", "pandoc.exe" if os.name == "nt" else "pandoc"
        )
        if bundled.is_file():
            return str(bundled)
    import pypandoc

    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:
        raise SyndataError("pandoc is not available", f"install pypandoc-binary or pandoc ({exc})") from None


@lru_cache(maxsize=1)
def version() -> tuple[int, ...]:
    """Pandoc's version, asked once; an absent or old pandoc is an error that says what to do."""
    try:
        returncode, out, _ = _run([executable(), "--version"], b"", 60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SyndataError("pandoc is not available", f"install pypandoc-binary or pandoc ({exc})") from None
    words = (out.decode("utf-8", "replace").splitlines() or [""])[0].split()
    text = next((w for w in words if re.fullmatch(r"\d+(\.\d+)+", w)), "")
    found = tuple(int(p) for p in text.split(".") if p.isdigit())
    if returncode != 0 or not found:
        raise SyndataError("pandoc is not available", f"{executable()} --version did not say its version")
    if found < MIN_VERSION:
        raise SyndataError(f"pandoc {text} is too old", "the pandoc engine needs pandoc 2.11 or later")
    return found


def arguments(style: Path, bibliography: Path) -> list[str]:
    """Pandoc's options for one bibliography; the paths never pass through Markdown."""
    return [*ARGS, f"--csl={style}", f"--bibliography={bibliography}"]


def bibliography(items: list[dict], style: Path, compact: bool = False) -> Formatted:
    """(key, reference) for every item, in the order pandoc's citeproc sorts them.

    ``style`` is the independent .csl file. ``compact`` trades some speed for memory where pandoc
    allows it (:data:`COMPACT`).
    """
    fd, tmp = tempfile.mkstemp(prefix="syndata-export-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write_items(handle, items)
        out = to_html(style, DOCUMENT, arguments(style, Path(tmp)), len(items), compact)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return entries(out)


@contextmanager
def sortable(style: Style) -> Iterator[Style]:
    """``style``, or where it sets name options on <style>, a copy that repeats them on <citation>
    and <bibliography> (a temporary file, removed after), so that pandoc sorts as it prints."""
    root = inherited_name_options(style.root)
    if root is None:
        yield style
        return
    fd, name = tempfile.mkstemp(prefix="syndata-export-style-", suffix=".csl")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(ET.tostring(root, encoding="utf-8", xml_declaration=True))  # prefixed names: pandoc reads them
        yield dataclasses.replace(style, path=Path(name), root=root)
    finally:
        Path(name).unlink(missing_ok=True)


def inherited_name_options(root: ET.Element) -> ET.Element | None:
    """``root`` with <citation> and <bibliography> carrying the name options they inherit from
    <style> (the same style by the spec), or None when there are none to carry.

    A new tree above those two elements only; everything below them is shared with ``root``
    (copying the whole of APA would cost 10 ms of a 14-paper render).
    """
    options = {name: root.get(name, "") for name in NAME_OPTIONS if name in root.attrib}
    if not options:
        return None
    carried = ET.Element(root.tag, root.attrib)
    carried.text, carried.tail = root.text, root.tail
    for child in root:
        if child.tag in (f"{CSL}citation", f"{CSL}bibliography"):
            child, shared = ET.Element(child.tag, {**options, **child.attrib}), child
            child.text, child.tail = shared.text, shared.tail
            child.extend(shared)
        carried.append(child)
    return carried


def write_items(handle: TextIO, items: list[dict]) -> None:
    """The items as pandoc reads them: CSL-JSON without what no CSL processor reads."""
    data = [{k: v for k, v in item.items() if k not in DROP} for item in items]
    handle.write(json.dumps(data, ensure_ascii=False))  # dumps uses the C encoder, dump does not


def to_html(style: Path, source: str | Path, args: list[str], items: int, compact: bool = False) -> str:
    """Pandoc's HTML for a Markdown text or file on ``items`` items, within :func:`memory_limit` and
    :func:`time_limit`; its failure becomes our error, with its first line."""
    text = source if isinstance(source, str) else None
    argv = ["--from=markdown", "--to=html", *args, *([] if text is not None else [str(source)])]
    data, seconds = (text or "").encode("utf-8"), time_limit(items)
    try:
        runtime = runtime_options(items, compact)
        returncode, out, err = _run([executable(), *runtime, *argv], data, seconds)
        if runtime and returncode != 0 and REFUSED in err:  # it renders all the same, without a ceiling
            _refusing_runtime_options.add(executable())
            returncode, out, err = _run([executable(), *argv], data, seconds)
    except OSError as exc:
        raise SyndataError("pandoc is not available", f"install pypandoc-binary or pandoc ({exc})") from None
    except subprocess.TimeoutExpired:
        raise SyndataError(
            f"pandoc took more than {seconds:.0f} s to format the bibliography with {style}, and was stopped",
            "a style may make it loop; render fewer papers (--section), or try --engine citeproc-py",
        ) from None
    if returncode != 0:
        raise _failure(style, returncode, err, items)
    return out.decode("utf-8", "replace")


def _failure(style: Path, returncode: int, err: bytes, items: int) -> SyndataError:
    """Why pandoc failed, in words: its memory ceiling, a signal, an old pandoc, or its own first line."""
    if b"Heap exhausted" in err:
        return SyndataError(
            f"pandoc ran out of memory formatting the bibliography with {style}, "
            f"and stopped at its ceiling of {memory_limit(items)} MiB",
            "a style that calls itself or is very large does this; check the style",
        )
    if returncode < 0:
        return SyndataError(f"pandoc was stopped by signal {-returncode} formatting the bibliography with {style}")
    version()  # an old pandoc is the likeliest cause, and its own error would not say so
    message = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0][:300]
    return SyndataError(f"pandoc could not format the bibliography with {style}", message)


def runtime_options(items: int, compact: bool = False) -> list[str]:
    """GHC runtime options for pandoc on ``items`` items: its heap ceiling, and :data:`COMPACT` if
    asked; none for a pandoc that refuses them."""
    if executable() in _refusing_runtime_options:
        return []
    return ["+RTS", f"-M{memory_limit(items)}m", *([COMPACT] if compact else []), "-RTS"]


def _run(argv: list[str], data: bytes, seconds: float) -> tuple[int, bytes, bytes]:
    """Run pandoc on ``data``: (exit status, stdout, stderr); pandoc never outlives the call.

    Ctrl-C and SIGTERM (which the CLI raises as an exception) reach the main thread alone, at any
    bytecode, even inside Popen between the fork and the moment the pid is kept, where the child
    would be lost. So the main thread runs pandoc from a thread of its own, started while those
    signals wait, and when interrupted, kills what that thread runs until it has ended.
    """
    if threading.current_thread() is not threading.main_thread():
        return _communicate(argv, data, seconds)
    outcome: list = []
    ended = threading.Event()  # waited on, not join(): Python 3.11 takes an interrupted join() for the thread's end

    def work() -> None:
        _restore(held)  # the mask pandoc inherits, from this thread
        try:
            outcome.append(_communicate(argv, data, seconds))
        except BaseException as exc:  # a timeout, or pandoc missing: raised in the main thread below
            outcome.append(exc)
        finally:
            ended.set()

    worker = threading.Thread(target=work, name="pandoc", daemon=True)
    try:
        held = _block()
        try:
            worker.start()
        finally:
            _restore(held)
        ended.wait()
    except BaseException:
        stop_until(worker)
        raise
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _communicate(argv: list[str], data: bytes, seconds: float) -> tuple[int, bytes, bytes]:
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        with _lock:
            _running.add(process)
        try:
            out, err = process.communicate(data, timeout=seconds)
        except BaseException:
            process.kill()  # and leaving the with block reaps it
            raise
        finally:
            with _lock:
                _running.discard(process)
    return process.returncode, out, err


def stop_all() -> None:
    """Kill every pandoc this process is running, whichever thread waits for it."""
    with _lock:
        for process in _running:
            process.kill()


def stop_until(thread: threading.Thread) -> None:
    """Kill every pandoc this process runs, again and again until ``thread`` has ended: a thread
    may start one after a kill."""
    while thread.is_alive():
        stop_all()
        time.sleep(0.02)


INTERRUPTIONS = {signal.SIGINT, signal.SIGTERM}


def _block() -> set:
    """Hold Ctrl-C and SIGTERM in this thread (and threads it starts); the mask it had before."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS) if hasattr(signal, "pthread_sigmask") else set()


def _restore(mask: set) -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def entries(html: str) -> Formatted:
    """Pandoc's ``<div id="ref-KEY" class="csl-entry">`` elements as (KEY, inline nodes)."""
    found = []
    for element in inline.find_all(inline.parse(html), "csl-entry"):
        key = element.attrs.get("id", "")
        found.append((key[4:] if key.startswith("ref-") else key, inline.inlines(element)))
    return found
