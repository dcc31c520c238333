"""BibTeX benchmark: export time for generated catalogues, then real TeX compile times and warnings.

    .venv/bin/python -m benchmarks.bibtex                 # export 1,000 and 10,000 papers; compile 1,000
    .venv/bin/python -m benchmarks.bibtex 100 --compile 100

Export is timed through the installed console script (one process per run, best of three).
Compiling cites every key from one document: pdflatex + bibtex + natbib (plainnat) and
pdflatex + biber + biblatex (authoryear), UTF-8 and --ascii; it reports the seconds per tool,
the BibTeX/biber warnings and errors in the .blg, and LaTeX's unresolved-citation warnings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate

CLI = Path(sys.executable).parent / "syndata-export"
REPO = Path(__file__).resolve().parent.parent


def export(catalogue: Path, *flags: str) -> tuple[float, str]:
    """Best-of-three seconds for one export, and its text."""
    best, text = float("inf"), ""
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(
            [str(CLI), "bibtex", *flags, "--catalogue", str(catalogue)], capture_output=True, text=True
        )
        best = min(best, time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"bibtex {' '.join(flags)} failed: {done.stderr[:500]}")
        text = done.stdout
    return best, text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000], help="catalogue sizes to export")
    parser.add_argument("--compile", type=int, default=1000, metavar="N", help="compile the N-paper file (0: skip)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from tests.bibtex.tex.toolchain import compile_bib

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        print(f"{'export':<28} {'papers':>7} {'seconds':>8} {'papers/s':>9} {'bytes':>9}")
        files: dict[tuple[int, str], str] = {}
        for n in sorted(set(args.sizes) | ({args.compile} - {0})):
            catalogue = tmp_path / f"catalogue-{n}.yaml"
            catalogue.write_text(generate(n, seed=1), encoding="utf-8")
            for label, flags in (("bibtex", ()), ("biblatex", ("--biblatex",)), ("bibtex --ascii", ("--ascii",))):
                seconds, text = export(catalogue, *flags)
                files[n, label] = text
                if n in args.sizes:
                    print(f"{label:<28} {n:>7} {seconds:>8.2f} {n / seconds:>9.0f} {len(text.encode()):>9}")
        if not args.compile:
            return
        n = args.compile
        print(f"\ncompile, {n} papers cited     pdflatex×3  bib tool  blg warnings  unresolved")
        for label in ("bibtex", "bibtex --ascii", "biblatex"):
            text = files.get((n, label)) or export(tmp_path / f"catalogue-{n}.yaml", "--biblatex")[1]
            keys = [line[line.index("{") + 1 : -1] for line in text.splitlines() if line.startswith("@")]
            dialect = "biblatex" if label == "biblatex" else "bibtex"
            tool = "biber" if dialect == "biblatex" else "bibtex"
            build = compile_bib(tmp_path / label.replace(" ", ""), text, keys, dialect)
            print(
                f"{label:<28} {build.seconds['pdflatex']:>10.2f} {build.seconds[tool]:>9.2f}"
                f" {len(build.blg_problems(tool)):>13} {len(build.unresolved()):>11}"
            )
            for problem in build.blg_problems(tool)[:5]:
                print(f"    {problem}")


if __name__ == "__main__":
    main()
