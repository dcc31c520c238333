"""Agreement benchmark: the pandoc engine's bibliography against one whole pandoc pass, entry for entry.

    .venv/bin/python -m benchmarks.agree                      # 1,000 and 10,000 papers; apa, acl
    .venv/bin/python -m benchmarks.agree 1000 --style apa

On a generated catalogue (seed 1), the engine as ``render`` runs it (long lists through
``render.long``, cut into parts where the planner proves it exact) is compared with one whole pass
of pandoc's citeproc over the same items and the same style as pandoc is handed it
(``pandoc.sortable``: the name options of <style> repeated where pandoc's sort reads them, so its
order and year suffixes follow the bibliography's order as CSL 1.0.2 sorts it). Printed: entries
equal, whether the order is equal, how many entries carry a year suffix, and both times. One-pass
runs known to take far beyond 10 minutes are skipped and marked so (``scale.HOPELESS``).
"""

from __future__ import annotations

import argparse
import re
import time

from benchmarks.generate import generate
from benchmarks.scale import HOPELESS
from syndata_export import catalogue, csl, render, styles
from syndata_export.render import pandoc, text

YEAR_SUFFIX = re.compile(r"\b(?:19|20)\d\d[a-z]{1,2}\b")


def compare(n: int, style_name: str) -> str:
    """One line: the engine's entries against one whole pass over the same items."""
    items = csl.to_csl(catalogue.parse(generate(n, 1), f"generated-{n}.yaml"))
    style = styles.resolve(style_name)
    started = time.perf_counter()
    engine = render.ENGINES["pandoc"](items, style)
    engine_seconds = time.perf_counter() - started
    label = f"{n:>7} {style_name:<6}"
    if n >= HOPELESS.get(style_name, 10**9):
        return f"{label} engine {engine_seconds:>6.1f} s; one pass skipped: far beyond 10 minutes"
    started = time.perf_counter()
    with pandoc.sortable(style) as sortable:
        whole = pandoc.bibliography(items, sortable.path)
    whole_seconds = time.perf_counter() - started
    equal = sum(a == b for a, b in zip(sorted(engine), sorted(whole), strict=True))
    suffixed = sum(bool(YEAR_SUFFIX.search(text.inline(nodes))) for _, nodes in whole)
    same_order = [key for key, _ in engine] == [key for key, _ in whole]
    return (
        f"{label} {equal:>6} of {len(whole)} equal, order {'equal' if same_order else 'DIFFERS'}, "
        f"{suffixed} with a year suffix; engine {engine_seconds:.1f} s, one pass {whole_seconds:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--style", action="append", help="apa and acl unless given (repeatable)")
    args = parser.parse_args()
    for n in args.sizes:
        for style in args.style or ["apa", "acl"]:
            print(compare(n, style), flush=True)


if __name__ == "__main__":
    main()
