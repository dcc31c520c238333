"""The pandoc engine for long lists: exact parts rendered in parallel, merged in the style's order.

Pandoc's citeproc spends most of a long APA list on name disambiguation, which grows much faster
than the list. ``partition.plan`` says from the style whether the list may be cut and along which
lines; the parts are packed into batches, each batch is rendered by pandoc's citeproc as a
bibliography of its own (several to a pandoc process, ``pandoc.bibliographies``), and one more
pass with a trimmed copy of the style (its sort keys only) gives the global order to merge in.
Where the planner cannot prove a cut exact, or a batch comes back in an order the whole list does
not have, the list is rendered in one pass as before: speed never buys a different bibliography.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from syndata_export.render import inline, pandoc, partition

# items per batch where names are added for disambiguation: pandoc's cost per paper grows with a
# batch's size, and with several batches to a process a batch costs next to nothing of its own
# (APA, 1,000 papers in one process, seconds: batches of 300 4.8, 150 2.3, 75 2.0, 40 1.6-2.2,
# 20 1.8-2.1); other styles cost the same per paper at any size, so their batches only need to
# keep every core busy. A group larger than this stays whole.
BATCH_HEAVY = 40
BATCHES_PER_WORKER = 2  # for cheap styles, when a caller asks for parts anyway
# from this many items the ordering pass runs before the batches, not beside them (memory, see _parts)
ORDER_ALONE_MIN_ITEMS = 4000
# batches go to pandoc in this many processes per worker, several batches each: one process per
# batch would pay pandoc's start-up every time; a few per worker still even out their lengths
CHUNKS_PER_WORKER = 2
# below this many items one pass is as fast as any split
MIN_ITEMS = 300
# styles with cheap disambiguation (ACL: year suffixes only) gain from parts only on long lists;
# measured on 2 cores, ACL: 1,000 papers one pass 1.4 s; 10,000 papers one pass 12.4 s, 4 parts 8.3 s
CHEAP_MIN_ITEMS = 3000

Formatted = list[tuple[str, inline.Inlines]]


@dataclass(frozen=True)
class Report:
    """How a bibliography was rendered: for tests and benchmarks, which must see the fallbacks."""

    path: str  # "parts" or "one pass"
    reason: str
    groups: int = 0
    batches: int = 0
    largest_batch: int = 0


def bibliography(items: list[dict], style: Path) -> Formatted:
    """(key, reference) for every item, as ``pandoc.bibliography`` gives them: the engine hook."""
    return render(items, style)[0]


def render(
    items: list[dict], style: Path, batch_size: int | None = None, workers: int | None = None
) -> tuple[Formatted, Report]:
    """The bibliography and how it was made; ``batch_size``/``workers`` override the defaults."""
    from syndata_export import styles

    chosen = partition.plan(styles.check(style))
    if not chosen.partition:
        return pandoc.bibliography(items, style), Report("one pass", chosen.reason)
    if batch_size is None and not chosen.heavy and len(items) < CHEAP_MIN_ITEMS:
        return pandoc.bibliography(items, style), Report("one pass", "cheap disambiguation: cutting would not pay")
    if len(items) < MIN_ITEMS and batch_size is None:
        return pandoc.bibliography(items, style), Report("one pass", f"fewer than {MIN_ITEMS} papers")
    parts = partition.groups(items, chosen.keyed)
    if parts is None:
        return pandoc.bibliography(items, style), Report("one pass", "a paper without names: cites cannot be keyed")
    workers = workers or _cores()
    size = batch_size or (BATCH_HEAVY if chosen.heavy else -(-len(items) // (workers * BATCHES_PER_WORKER)))
    batches = partition.batches(parts, size)
    if len(batches) == 1:
        return pandoc.bibliography(items, style), Report("one pass", "one batch holds every paper", len(parts), 1)
    formatted = _parts(items, style, batches, workers)
    report = Report("parts", chosen.reason, len(parts), len(batches), max(len(b) for b in batches))
    if formatted is None:
        warnings.warn(
            "the parts disagreed with the whole list's order; rendered in one pass", RuntimeWarning, stacklevel=2
        )
        return pandoc.bibliography(items, style), Report("one pass", "parts disagreed with the global order")
    return formatted, report


def _parts(items: list[dict], style: Path, batches: list[list[int]], workers: int) -> Formatted | None:
    """Run the ordering pass and every batch in parallel, then merge; None if the orders disagree.

    The ordering pass holds the whole list and is pandoc's largest process. On long lists it runs
    alone and compact (``pandoc.COMPACT``), so it never sits beside a batch process (APA, 10,000
    papers: the process tree peaks at about 480 MiB instead of 620 MiB, for about 1 s); on shorter
    ones the time matters more (APA, 1,000 papers: 0.5 s more alone, a tree of 310 MiB either way).
    """
    from syndata_export import styles

    pandoc.version()  # probe once, before the threads
    root = styles.check(style)
    wanted = partition.ordering_variables(root)
    fd, name = tempfile.mkstemp(prefix="syndata-export-order-", suffix=".csl")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(partition.ordering_style(root))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # the ordering pass is the longest single job: start it first, on items cut down
            # to what its sort reads (ACL, 10,000 papers: a third less JSON for pandoc to parse)
            order_items = [{k: v for k, v in item.items() if k in wanted} for item in items]
            alone = len(items) >= ORDER_ALONE_MIN_ITEMS
            order_job = pool.submit(pandoc.bibliography, order_items, Path(name), alone)
            if alone:  # and compact: its time is on the critical path anyway, its memory the peak
                order_job.result()
            jobs = [
                pool.submit(pandoc.bibliographies, [[items[i] for i in batch] for batch in chunk], style)
                for chunk in partition.deal(batches, workers * CHUNKS_PER_WORKER)
            ]
            order = [key for key, _ in order_job.result()]
            results = [part for job in jobs for part in job.result()]
    finally:
        Path(name).unlink(missing_ok=True)
    try:
        return partition.merge(order, results)  # type: ignore[return-value]
    except partition.OrderMismatch:
        return None


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
