"""The 14-paper render against one bare pandoc run: whole-process medians and their ratio (target: at most 2).

    .venv/bin/python -m benchmarks.small            # medians of 7
    .venv/bin/python -m benchmarks.small --runs 21

Times ``syndata-export --style apa --format text`` on the shipped catalogue, and ``pandoc
--citeproc`` on the same CSL-JSON with the same style, each a fresh process timed from outside.
The two alternate, so a busy machine slows both alike. Also shown, for where the rest goes:
``syndata-export check`` (reading and validating the catalogue) and ``python -c pass``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.render import CLI, bare_pandoc, measure

TARGET = 2.0


def figures(runs: int) -> dict[str, float]:
    """Median seconds of each command over ``runs`` alternating runs."""
    from syndata_export import styles
    from syndata_export.installed import data_file

    catalogue = str(data_file("catalogue.yaml"))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        data = tmp / "items.json"
        subprocess.run([str(CLI), "csl-json", "--catalogue", catalogue, "-o", str(data)], check=True)
        items = [{k: v for k, v in item.items() if k != "custom"} for item in json.loads(data.read_text("utf-8"))]
        data.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        commands = {
            "syndata-export --style apa --format text": [
                str(CLI), "--style", "apa", "--format", "text", "--catalogue", catalogue
            ],
            "bare pandoc --citeproc": bare_pandoc(data, styles.resolve("apa").path, tmp),
            "syndata-export check": [str(CLI), "check", "--catalogue", catalogue],
            "python -c pass": [sys.executable, "-c", "pass"],
        }  # fmt: skip
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(runs):
            for label, argv in commands.items():
                times[label].append(measure(argv)[0])
    return {label: statistics.median(seconds) for label, seconds in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    found = figures(args.runs)
    for label, seconds in found.items():
        print(f"{label:<44} {seconds:>6.3f} s (median of {args.runs})")
    ratio = found["syndata-export --style apa --format text"] / found["bare pandoc --citeproc"]
    print(f"ratio: {ratio:.2f}x one bare pandoc run (target: at most {TARGET:.0f}x)")


if __name__ == "__main__":
    main()
