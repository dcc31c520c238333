"""Long lists through pandoc: exact parts rendered in parallel, merged in the style's order.

Pandoc's citeproc spends most of a long APA list on name disambiguation, which grows much faster
than the list. Lists of ``render.LONG_LIST`` papers or more come here (shorter ones take one pass
and never import this package). ``plan`` says from the parsed style whether the list may be cut
and along which lines; ``cut`` forms the groups that must stay together and packs them into
parts; the parts are rendered by pandoc's citeproc as bibliographies of their own, several to a
pandoc process (``many``), and one more pass with a trimmed copy of the style (its sort keys
only) gives the global order to merge in. Where the planner cannot prove a cut exact, or a part comes
back in an order the whole list does not have, the list is rendered in one pass as before: speed
never buys a different bibliography.
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from syndata_export.render import EngineWarning, pandoc
from syndata_export.render.long import cut, many, plan
from syndata_export.styles import Style

# items per part where names are added for disambiguation: pandoc's cost per paper grows with a
# part's size, and with several parts to a process a part costs next to nothing of its own
# (APA, 1,000 papers in one process, seconds: parts of 300 4.8, 150 2.3, 75 2.0, 40 1.6-2.2,
# 20 1.8-2.1); other styles cost the same per paper at any size, so their parts only need to
# keep every core busy. A group larger than this stays whole.
PART_SIZE_HEAVY = 40
PARTS_PER_WORKER = 2  # for cheap styles, when a caller asks for parts anyway
# styles with cheap disambiguation (ACL: year suffixes only) gain from parts only on long lists;
# measured on 2 cores, ACL: 1,000 papers one pass 1.4 s; 10,000 papers one pass 12.4 s, 4 parts 8.3 s
CHEAP_MIN_ITEMS = 3000
# from this many items the ordering pass runs before the parts, not beside them (memory, see _in_parts)
ORDER_ALONE_MIN_ITEMS = 4000
# parts go to pandoc in this many processes per worker, several parts each: one process per
# part would pay pandoc's start-up every time; a few per worker still even out their lengths
PROCESSES_PER_WORKER = 2


@dataclass(frozen=True)
class Report:
    """How a bibliography was rendered: for tests, which must see the fallbacks."""

    path: str  # "parts" or "one pass"
    reason: str
    groups: int = 0
    parts: int = 0


def bibliography(items: list[dict], style: Style) -> pandoc.Formatted:
    """(key, reference) for every item, as one pass of ``pandoc.bibliography`` gives them."""
    return render(items, style)[0]


def render(
    items: list[dict], style: Style, part_size: int | None = None, workers: int | None = None
) -> tuple[pandoc.Formatted, Report]:
    """The bibliography and how it was made; ``part_size``/``workers`` override the defaults."""
    chosen = plan.plan(style.root)
    if not chosen.in_parts:
        return _one_pass(items, style, chosen.reason)
    if part_size is None and not chosen.heavy and len(items) < CHEAP_MIN_ITEMS:
        return _one_pass(items, style, "cheap disambiguation: cutting would not pay")
    groups = cut.groups(items, chosen.keyed)
    if groups is None:
        return _one_pass(items, style, "a paper without names: cites cannot be keyed")
    workers = workers or _cores()
    size = part_size or (PART_SIZE_HEAVY if chosen.heavy else -(-len(items) // (workers * PARTS_PER_WORKER)))
    parts = cut.parts(groups, size)
    if len(parts) == 1:
        return _one_pass(items, style, "one part holds every paper")
    formatted = _in_parts(items, style, parts, workers)
    if formatted is None:
        warnings.warn("the parts disagreed with the whole list's order; rendered in one pass", EngineWarning, 2)
        return _one_pass(items, style, "parts disagreed with the global order")
    return formatted, Report("parts", chosen.reason, len(groups), len(parts))


def _one_pass(items: list[dict], style: Style, reason: str) -> tuple[pandoc.Formatted, Report]:
    return pandoc.bibliography(items, style.path), Report("one pass", reason)


def _in_parts(items: list[dict], style: Style, parts: list[list[int]], workers: int) -> pandoc.Formatted | None:
    """Run the ordering pass and every part in parallel, then merge; None if the orders disagree.

    The ordering pass holds the whole list and is pandoc's largest process. On long lists it runs
    alone and compact (``pandoc.COMPACT``), so it never sits beside a process of parts (APA, 10,000
    papers: the process tree peaks at about 480 MiB instead of 620 MiB, for about 1 s); on shorter
    ones the time matters more (APA, 1,000 papers: 0.5 s more alone, a tree of 310 MiB either way).
    """
    pandoc.version()  # asked once, before the threads
    wanted = plan.ordering_variables(style.root)
    fd, name = tempfile.mkstemp(prefix="syndata-export-order-", suffix=".csl")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(plan.ordering_style(style.root))
        with _Pool(max_workers=workers) as pool:
            # the ordering pass is the longest single job: start it first, on items cut down
            # to what its sort reads (ACL, 10,000 papers: a third less JSON for pandoc to parse)
            order_items = [{k: v for k, v in item.items() if k in wanted} for item in items]
            alone = len(items) >= ORDER_ALONE_MIN_ITEMS
            order_job = pool.submit(pandoc.bibliography, order_items, Path(name), alone)
            if alone:  # and compact: its time is on the critical path anyway, its memory the peak
                order_job.result()
            jobs = [
                pool.submit(many.bibliographies, [[items[i] for i in part] for part in share], style.path)
                for share in cut.deal(parts, workers * PROCESSES_PER_WORKER)
            ]
            order = [key for key, _ in order_job.result()]
            results = [part for job in jobs for part in job.result()]
    finally:
        Path(name).unlink(missing_ok=True)
    try:
        return cut.merge(order, results)  # type: ignore[return-value]
    except cut.OrderMismatch:
        return None


class _Pool(ThreadPoolExecutor):
    """Threads for pandoc jobs. When the block that uses them fails or is interrupted (Ctrl-C,
    SIGTERM: an exception in the main thread), no queued job starts, and the pandoc processes of
    running ones are killed until they have ended, rather than waited for."""

    def __exit__(self, kind, value, traceback):  # noqa: ANN001 - as ThreadPoolExecutor's
        if kind is not None:
            self.shutdown(wait=False, cancel_futures=True)
            waiter = threading.Thread(target=self.shutdown, name="pandoc jobs")  # ends with the last job
            waiter.start()
            pandoc.stop_until(waiter)
        return super().__exit__(kind, value, traceback)


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
