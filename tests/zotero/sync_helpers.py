"""Helpers for the Zotero sync tests: run the real CLI against the emulator, edit catalogues, inspect."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from syndata_export import catalogue, csl
from syndata_export.cli import main
from syndata_export.zotero import sync as zsync
from syndata_export.zotero.client import ZoteroClient
from tests.conftest import REPO

CATALOGUE = REPO / "catalogue.yaml"
COLLECTION = "SynData Papers"
SECTIONS = ("Survey Papers", "Research Papers", "Analysis Papers")
NEW_PAPER = {
    "key": "doe2025added",
    "section": "Analysis Papers",
    "type": "article",
    "title": "A Test Paper Added Later",
    "authors": ["Doe, Jane"],
    "date": "2025-01-15",
    "arxiv": "2501.01234",
    "doi": "10.48550/arXiv.2501.01234",
    "url": "https://arxiv.org/abs/2501.01234",
}


@contextlib.contextmanager
def _env(**values: str | None) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cli(
    server: Any, *args: str, key: str | None = None, catalogue_path: Path | None = None, command: str = "sync"
) -> tuple[int, str, str]:
    """``syndata-export COMMAND --library groups/ID --collection … ARGS`` in-process; (exit, stdout, stderr)."""
    argv = [command, "--library", f"groups/{server.group_id}", "--collection", COLLECTION, *args]
    if catalogue_path:
        argv += ["--catalogue", str(catalogue_path)]
    out, err = io.StringIO(), io.StringIO()
    env = _env(ZOTERO_API_URL=server.base_url, ZOTERO_API_KEY=key or server.api_key)
    with env, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def pull(server: Any, *args: str, **options: Any) -> tuple[int, str, str]:
    """``syndata-export pull --library groups/ID --collection … ARGS`` in-process; (exit, stdout, stderr)."""
    return cli(server, *args, command="pull", **options)


def edited_catalogue(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the repository's catalogue with ``edit`` applied to its parsed YAML."""
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def paper(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(p for p in data["papers"] if p["key"] == key)


def csl_items(path: Path = CATALOGUE, prefer: str = "published") -> list[dict[str, Any]]:
    return csl.to_csl(catalogue.read(path), prefer)


def live_items(server: Any) -> list[dict[str, Any]]:
    return [d for d in server.items() if not d.get("deleted")]


def by_citation_key(server: Any) -> dict[str, list[dict[str, Any]]]:
    """Live items grouped by the citation key in their Extra."""
    from syndata_export.zotero import mapping

    out: dict[str, list[dict[str, Any]]] = {}
    for data in live_items(server):
        out.setdefault(mapping.citation_key(data), []).append(data)
    return out


class FakeClock:
    """A clock that only moves when the code under test sleeps: long waits take no time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def api_sync(
    server: Any, items: list[dict[str, Any]], clock: FakeClock | None = None, *, key: str | None = None, **options: Any
) -> zsync.Result:
    """One sync through the API (not the CLI), with an injectable clock."""
    clock = clock or FakeClock()
    client = ZoteroClient(
        f"groups/{server.group_id}",
        key or server.api_key,
        endpoint=server.base_url,
        clock=clock.clock,
        sleep=clock.sleep,
    )
    try:
        return zsync.sync(client, items, zsync.Options(COLLECTION, **options))
    finally:
        client.close()
