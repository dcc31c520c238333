"""Zotero sync benchmark: requests and seconds for a first sync and a no-op re-sync against the emulator.

    .venv/bin/python -m benchmarks.sync            # 1,000 and 10,000 papers
    .venv/bin/python -m benchmarks.sync 500 2000   # other sizes

Generated catalogues come from benchmarks/generate.py when it exists (``generate(n, seed)``),
otherwise from the small generator below. The emulator runs in-process on 127.0.0.1 and counts
every request; targets (issue 5): first sync ≤ ⌈N/50⌉ writes + ⌈N/100⌉ reads + 5 requests,
no-op re-sync ≤ ⌈N/100⌉ + 3 requests; a ``pull`` after them (issue 14) ≤ ⌈N/100⌉ + 3.
"""

from __future__ import annotations

import math
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

from syndata_export import catalogue, csl, validate
from syndata_export.zotero import sync
from syndata_export.zotero.client import ZoteroClient
from tests.zotero.emulator import ZoteroEmulator

SECTIONS = ["Survey Papers", "Research Papers", "Analysis Papers"]
WORDS = [
    "synthetic",
    "data",
    "language",
    "model",
    "instruction",
    "tuning",
    "preference",
    "distillation",
    "agent",
    "reasoning",
]


def _fallback(n: int, seed: int) -> str:
    """A valid catalogue of ``n`` papers: preprints, conference and journal papers in three sections."""
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        arxiv = f"24{i // 90000 + 1:02d}.{i % 90000 + 10000:05d}"
        title = " ".join(rng.choice(WORDS).capitalize() for _ in range(5)) + f" Number {i}"
        paper = {
            "key": f"author{i}2024{rng.choice(WORDS)}",
            "section": SECTIONS[i % 3],
            "type": "article",
            "title": title,
            "authors": [f"Author{j}, Given{i}" for j in range(rng.randint(1, 6))],
            "date": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            "arxiv": arxiv,
            "doi": f"10.48550/arXiv.{arxiv}",
            "url": f"https://arxiv.org/abs/{arxiv}",
        }
        if i % 2:
            paper["published"] = {
                "type": "paper-conference" if i % 4 == 1 else "article-journal",
                "container": "Proceedings of a Conference" if i % 4 == 1 else "A Journal",
                "date": 2025,
                "pages": f"{i % 900 + 1}-{i % 900 + 12}",
                "doi": f"10.1234/bench.{i}",
            }
        papers.append(paper)
    data = {"title": "Benchmark", "description": "generated", "sections": SECTIONS, "papers": papers}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def generated(n: int, seed: int = 1) -> str:
    try:
        from benchmarks.generate import generate
    except ImportError:
        return _fallback(n, seed)
    return generate(n, seed)


def items_for(n: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.yaml"
        path.write_text(generated(n), encoding="utf-8")
        cat = catalogue.read(path)
    problems = validate.validate(cat)
    if problems:
        raise SystemExit(f"generated catalogue is invalid: {problems[0]}")
    return csl.to_csl(cat)


def run(server: ZoteroEmulator, items: list[dict]) -> tuple[int, int, float, sync.Result]:
    server.clear_log()
    client = ZoteroClient(f"groups/{server.group_id}", server.api_key, endpoint=server.base_url)
    started = time.perf_counter()
    try:
        result = sync.sync(client, items, sync.Options("Benchmark"))
    finally:
        client.close()
    return server.writes, server.reads, time.perf_counter() - started, result


def pull(server: ZoteroEmulator, text: str) -> tuple[int, int, float, int]:
    """``syndata-export pull`` after the syncs: requests, seconds and exit status (it should propose nothing)."""
    import contextlib
    import io
    import os

    from syndata_export.cli import main as cli

    server.clear_log()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.yaml"
        path.write_text(text, encoding="utf-8")
        os.environ.update(ZOTERO_API_URL=server.base_url, ZOTERO_API_KEY=server.api_key)
        argv = ["pull", "--library", f"groups/{server.group_id}", "--collection", "Benchmark", "--catalogue", str(path)]
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli(argv)
        return server.writes, server.reads, time.perf_counter() - started, code


def main(sizes: list[int]) -> None:
    print(f"{'papers':>7}  {'run':<8} {'writes':>6} {'reads':>6} {'requests':>8} {'target':>7} {'seconds':>8}")
    for n in sizes:
        items = items_for(n)
        with ZoteroEmulator() as server:
            for label, target in (
                ("first", math.ceil(n / 50) + math.ceil(n / 100) + 5),
                ("no-op", math.ceil(n / 100) + 3),
            ):
                writes, reads, seconds, result = run(server, items)
                assert not result.errors, result.errors[:3]
                ok = "ok" if writes + reads <= target else "OVER"
                line = f"{n:>7}  {label:<8} {writes:>6} {reads:>6} {writes + reads:>8} {'≤' + str(target):>7}"
                print(f"{line} {seconds:>8.2f}  {ok}", flush=True)
            live = [d for d in server.items() if not d.get("deleted")]
            assert len(live) == n, (len(live), n)
            writes, reads, seconds, code = pull(server, generated(n))
            target = math.ceil(n / 100) + 3
            ok = "ok" if writes + reads <= target and code == 0 else "OVER"
            line = f"{n:>7}  {'pull':<8} {writes:>6} {reads:>6} {writes + reads:>8} {'≤' + str(target):>7}"
            print(f"{line} {seconds:>8.2f}  {ok}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
