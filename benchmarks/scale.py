"""Scale benchmark: whole-process seconds, papers/s and peak memory, fast path against one pass.

    .venv/bin/python -m benchmarks.scale                       # 100, 1,000, 10,000 papers; apa, acl
    .venv/bin/python -m benchmarks.scale 1000 --style acl --repeat 3

Each run is a fresh process rendering a generated catalogue (seed 1) to Markdown, as
``syndata-export --style S`` does. "fast" runs the command as it is (the pandoc engine hands long
lists to ``render.long``, which cuts where the planner proves it exact); "one-pass" swaps in
``render.pandoc.bibliography``, one whole pandoc pass, the reference. Memory: the Python process's
own peak and the largest pandoc child's (``RUSAGE_CHILDREN``), read inside the process, and the
peak of the whole process tree (Python, the validating child and every pandoc running at once),
summed PSS sampled every 20 ms from /proc (Linux). One-pass runs known to take far beyond 10
minutes (APA over 2,000 papers: its disambiguation grows with about the cube of the list) are
skipped and marked so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate

# one-pass runs that do not finish in 10 minutes on a 2-core machine (measured: APA 2,000 papers 197 s)
HOPELESS = {"apa": 2000}

DRIVER = """
import json, resource, sys
from syndata_export import render
from syndata_export.cli import main
if sys.argv[1] == "one-pass":
    from syndata_export.render import pandoc
    render.ENGINES["pandoc"] = lambda items, style: pandoc.bibliography(items, style.path)
code = main(sys.argv[2:])
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"self": own / 1024, "children": children / 1024}), file=sys.stderr)
raise SystemExit(code)
"""


def measure(path: str, style: str, catalogue: Path, sample: bool = False) -> tuple[float, float, float, float]:
    """(seconds, Python peak MiB, largest child peak MiB, process tree peak MiB) of one whole process.

    Sampling the tree costs the kernel a page-table walk per process every 20 ms, enough to slow
    a 2-core machine: the tree is sampled only when asked (0 otherwise), in a run of its own.
    """
    argv = [sys.executable, "-c", DRIVER, path, "--style", style, "--catalogue", str(catalogue), "-o", os.devnull]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, text=True)
        tree = 0.0
        while proc.poll() is None:
            tree = max(tree, tree_pss(proc.pid)) if sample else 0.0
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{path} {style} failed: {stderr[-800:]}")
    memory = json.loads(stderr.strip().splitlines()[-1])
    return elapsed, memory["self"], memory["children"], tree


def tree_pss(root: int) -> float:
    """MiB of proportional set size of ``root`` and all its descendants now (0 where /proc is absent)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next((int(line.split()[1]) for line in handle if line.startswith("Pss:")), 0)
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--style", action="append", help="apa and acl unless given (repeatable)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; the median is shown")
    parser.add_argument("--fast-only", action="store_true", help="skip every one-pass run")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    header = f"{'papers':>7} {'style':<6} {'path':<9} {'seconds':>8} {'papers/s':>9}"
    print(f"{header} {'python MiB':>11} {'child MiB':>10} {'tree MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            catalogue = Path(tmp) / f"catalogue-{n}.yaml"
            catalogue.write_text(generate(n, 1), encoding="utf-8")
            for style in args.style or ["apa", "acl"]:
                for path in ("fast", "one-pass"):
                    label = f"{n:>7} {style:<6} {path:<9}"
                    if path == "one-pass" and (args.fast_only or n >= HOPELESS.get(style, 10**9)):
                        why = "skipped" if args.fast_only else "skipped: far beyond 10 minutes"
                        print(f"{label} {why}", flush=True)
                        continue
                    runs = [measure(path, style, catalogue) for _ in range(args.repeat)]
                    seconds = statistics.median(r[0] for r in runs)
                    own, child = max(r[1] for r in runs), max(r[2] for r in runs)
                    tree = measure(path, style, catalogue, sample=True)[3]
                    figures = f"{seconds:>8.2f} {n / seconds:>9.1f} {own:>11.1f} {child:>10.1f} {tree:>9.1f}"
                    print(f"{label} {figures}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
