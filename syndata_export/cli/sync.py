"""``sync``: make a Zotero (group) collection match the catalogue; the one networked command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from syndata_export.cli import _common
from syndata_export.errors import UsageError

HELP = "make a Zotero collection match the catalogue (never duplicates, never overwrites members' edits)"
LONG_RUN = 100  # objects; above this, progress goes to stderr


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", required=True, metavar="groups/ID|users/ID", help="the Zotero library")
    parser.add_argument("--collection", required=True, metavar="NAME", help="top-level collection to sync into")
    parser.add_argument("--dry-run", action="store_true", help="print the plan (stderr) and write nothing")
    parser.add_argument("--json", action="store_true", help="also print the plan and outcome as JSON on stdout")
    parser.add_argument("--overwrite", action="store_true", help="replace items that members edited in Zotero")
    parser.add_argument(
        "--prune", action="store_true", help="move synced items no longer in the catalogue to the trash"
    )
    parser.add_argument("--api-key-file", metavar="FILE", help="read the API key from FILE (default: $ZOTERO_API_KEY)")
    _common.add_prefer(parser)
    parser.epilog = "The API base URL comes from $ZOTERO_API_URL (default https://api.zotero.org)."


def run(args: argparse.Namespace) -> int:
    from syndata_export import csl
    from syndata_export.zotero import sync
    from syndata_export.zotero.client import KEY_VARIABLE, ZoteroClient

    if not args.collection.strip():
        raise UsageError("--collection must not be empty")
    items = csl.to_csl(_common.load(args), args.prefer)
    client = ZoteroClient(args.library, _api_key(args.api_key_file, KEY_VARIABLE))
    options = sync.Options(args.collection.strip(), args.overwrite, args.prune, args.dry_run)
    try:
        result = sync.sync(client, items, options, _progress)
    finally:
        client.close()
    sys.stderr.write(sync.table(result.plan, include_unchanged=args.dry_run))
    sys.stderr.write(sync.summary(result, client.library, options))
    if args.json:
        _common.emit(json.dumps(result.to_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n", None)
    return 1 if result.errors else 0


def _api_key(path: str | None, variable: str) -> str:
    """From --api-key-file, else the environment; the key itself is never echoed."""
    if path:
        try:
            key = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(f"cannot read --api-key-file {path}: {exc.strerror or exc}") from None
        if not key:
            raise UsageError(f"--api-key-file {path} is empty")
        return key
    key = os.environ.get(variable, "").strip()
    if not key:
        raise UsageError("no Zotero API key", f"set {variable} or pass --api-key-file FILE")
    return key


def _progress(stage: str, done: int, total: int) -> None:
    if total > LONG_RUN:
        verb = "read" if stage == "read" else "wrote"
        print(f"sync: {verb} {done}/{total} items", file=sys.stderr, flush=True)
