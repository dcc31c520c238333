"""``check --since HEAD~1`` on generated catalogues in a throw-away git repository, beside plain ``check``.

    .venv/bin/python -m benchmarks.since              # 10,000 papers (target: under 3 s whole process)
    .venv/bin/python -m benchmarks.since 1000 10000 --repeat 5

The second commit renames one key (declaring the old one as an alias) and adds a paper, so the
comparison does the work a pull request makes it do. Whole process, the median of ``--repeat``
runs, through the installed console script.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate

CLI = Path(sys.executable).parent / "syndata-export"
GIT_ENV = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b"}
GIT_ENV |= {"GIT_COMMITTER_EMAIL": "b@example.org"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def history(repo: Path, n: int) -> None:
    """Two commits: the generated catalogue, then one key renamed (with its alias) and one paper added."""
    text = generate(n + 1, seed=1)
    papers = text.split("\n- key: ")
    first, last = papers[1], papers[-1]
    before = "\n- key: ".join(papers[:-1]) + "\n"
    git(repo, "init", "-q")
    (repo / "catalogue.yaml").write_text(before, encoding="utf-8")
    git(repo, "add", "catalogue.yaml")
    git(repo, "commit", "-q", "-m", "list")
    old_key, rest = first.split("\n", 1)
    renamed = f"{old_key}x\n  aliases: [{old_key}]\n{rest}"
    after = before.replace("\n- key: " + first, "\n- key: " + renamed, 1) + "- key: " + last
    (repo / "catalogue.yaml").write_text(after, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "rename one key, add one paper")


def seconds(repo: Path, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(CLI), "check", *args], cwd=repo, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"check {' '.join(args)} failed: {done.stderr[:500]}")
    return took


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown")
    args = parser.parse_args(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    print(f"{'papers':>7} {'check':>8} {'check --since HEAD~1':>21}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp)
            history(repo, n)
            plain = statistics.median(seconds(repo) for _ in range(args.repeat))
            since = statistics.median(seconds(repo, "--since", "HEAD~1") for _ in range(args.repeat))
            print(f"{n:>7} {plain:>7.2f}s {since:>20.2f}s", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
