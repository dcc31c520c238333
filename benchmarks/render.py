"""Render benchmark: seconds, papers/s and peak memory for both engines, beside bare pandoc.

    .venv/bin/python -m benchmarks.render              # 100 and 1,000 papers, APA
    .venv/bin/python -m benchmarks.render 100 --style acl

Each run is a separate process (the installed console script, or pandoc itself), timed from
outside; peak memory is the largest resident set of that process tree (``os.wait4``'s rusage,
which includes the pandoc child). Also timed: ``syndata-export csl-json`` (the hub alone) and
``syndata-export --help`` (target: under 0.3 s, so heavy modules must be imported lazily).
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

CLI = Path(sys.executable).parent / "syndata-export"


def measure(argv: list[str], stdout_path: str = os.devnull) -> tuple[float, float]:
    """(seconds, peak MiB) of one process and its children."""
    with open(stdout_path, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.read().decode()[:500]}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def bare_pandoc(csl_json: Path, style: Path, tmp: Path) -> list[str]:
    """pandoc --citeproc on the same CSL-JSON, without our code around it (the pandoc ours runs)."""
    from syndata_export.render import pandoc

    doc = tmp / "doc.md"
    doc.write_text(pandoc.DOCUMENT, encoding="utf-8")
    paths = [f"--bibliography={csl_json}", f"--csl={style}"]
    return [pandoc.executable(), "--citeproc", "--wrap=none", *paths, "-t", "html", str(doc)]


def row(label: str, n: int, seconds: float, mib: float) -> str:
    return f"{label:<36} {n:>6} {seconds:>9.2f} {n / seconds:>10.1f} {mib:>9.1f}"


def run(sizes: list[int], style: str) -> None:
    from syndata_export import styles

    style_path = styles.resolve(style).path
    print(f"style {style} ({style_path.name}); generated catalogues, seed 1", flush=True)
    print(f"{'what':<36} {'papers':>6} {'seconds':>9} {'papers/s':>10} {'peak MiB':>9}", flush=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for n in sizes:
            cat = tmp / f"catalogue-{n}.yaml"
            cat.write_text(generate(n, 1), encoding="utf-8")
            data = tmp / f"items-{n}.json"
            print(row("syndata-export csl-json", n, *measure([str(CLI), "csl-json", "--catalogue", str(cat)])))
            subprocess.run([str(CLI), "csl-json", "--catalogue", str(cat), "-o", str(data)], check=True)
            items = json.loads(data.read_text(encoding="utf-8"))
            for item in items:
                item.pop("custom", None)
            data.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
            print(row("bare pandoc --citeproc", n, *measure(bare_pandoc(data, style_path, tmp))), flush=True)
            for engine in ("pandoc", "citeproc-py"):
                argv = [str(CLI), "--style", style, "--engine", engine, "--catalogue", str(cat)]
                print(row(f"syndata-export --engine {engine}", n, *measure(argv)), flush=True)
    helps = [measure([str(CLI), "--help"])[0] for _ in range(7)]
    print(f"syndata-export --help: median {statistics.median(helps):.3f} s, max {max(helps):.3f} s (target < 0.3 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--style", default="apa")
    args = parser.parse_args()
    run(args.sizes, args.style)


if __name__ == "__main__":
    main()
