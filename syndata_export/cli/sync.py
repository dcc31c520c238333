"""``sync``: make a Zotero (group) collection match the catalogue; the one networked command."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from syndata_export.cli import _common
from syndata_export.errors import SyndataError, UsageError, close_matches, plural

if TYPE_CHECKING:  # the zotero package (and pyzotero) is imported only when the command runs
    from syndata_export.zotero.plan import Action, Plan
    from syndata_export.zotero.sync import Options, Result

HELP = "make a Zotero collection match the catalogue (never duplicates, never overwrites members' edits)"
LONG_RUN = 100  # objects; above this, progress goes to stderr


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", required=True, metavar="groups/ID|users/ID", help="the Zotero library")
    parser.add_argument("--collection", required=True, metavar="NAME", help="top-level collection to sync into")
    parser.add_argument("--dry-run", action="store_true", help="print the plan (stderr) and write nothing")
    parser.add_argument("--json", action="store_true", help="also print the plan and outcome as JSON on stdout")
    parser.add_argument(
        "--overwrite",
        nargs="*",
        metavar="KEY",
        help="replace items that members edited (or trashed) in Zotero: all, or only these papers",
    )
    parser.add_argument(
        "--adopt",
        nargs="*",
        metavar="KEY",
        help="take over items without the sync's marker that match a paper: all, or only these papers",
    )
    parser.add_argument(
        "--prune", action="store_true", help="move synced items no longer in the catalogue to the trash"
    )
    parser.add_argument(
        "--restore", action="store_true", help="create again the items and collections deleted in Zotero"
    )
    parser.add_argument(
        "--citation-key",
        choices=("native", "extra"),
        default="native",
        help="where keys go: Zotero's citationKey field where the server's schema has it (default), "
        "or an Extra line only (for groups with Zotero 7 members)",
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
    keys = [i["citation-key"] for i in items]
    overwrite, adopt = _selection("--overwrite", args.overwrite, keys), _selection("--adopt", args.adopt, keys)
    client = ZoteroClient(args.library, _api_key(args.api_key_file, KEY_VARIABLE), on_wait=_waiting)
    options = sync.Options(
        args.collection.strip(), overwrite, args.prune, args.dry_run, args.restore, args.citation_key, adopt
    )
    outcome = {"library": client.library, "collection": options.collection, "dry_run": options.dry_run}
    try:
        result = sync.sync(client, items, options, _progress)
    except SyndataError as exc:  # before anything was planned: nothing was written
        if args.json:
            _emit_json({**outcome, "failure": str(exc), "done": {}, "rerun_safe": True})
        raise
    finally:
        client.close()
    sys.stderr.write(table(result.plan, include_unchanged=args.dry_run))
    sys.stderr.write(summary(result, client.library, options))
    if args.json:
        _emit_json({**outcome, **result.to_json(), "rerun_safe": True})
    return 1 if result.errors or result.failure else 0


def _emit_json(report: dict) -> None:
    """The run as JSON on stdout, whatever its outcome. Every write carries a derived key and a
    version, so a rerun never duplicates or clobbers: it reads again and does what is left."""
    _common.emit(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n", None)


# -- what the run prints on stderr ---------------------------------------------------------------

HEADERS = ("ACTION", "PAPER", "ITEM", "SECTION", "DETAILS")


def table(plan: Plan, *, include_unchanged: bool = True) -> str:
    """The plan as an aligned text table (for stderr)."""
    rows = [
        (a.kind, a.paper or "-", a.item or "-", a.section or "-", _details(a))
        for a in plan.actions
        if include_unchanged or a.kind != "unchanged"
    ]
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS) - 1)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)), r[-1]]) for r in [HEADERS, *rows]]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _details(action: Action) -> str:
    fields = f" [{', '.join(action.fields)}]" if action.fields else ""
    return f"{action.reason}{fields}"


def summary(result: Result, library: str, options: Options) -> str:
    """One paragraph for the end of a run."""
    counts = result.plan.counts()
    target = f"{library} collection {options.collection!r}"
    parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "nothing to do"
    if options.dry_run:
        made = f"; would create collections: {', '.join(result.new_collections)}" if result.new_collections else ""
        return f"dry run, nothing written: plan for {target}: {parts}{made}\n"
    wrote = ", ".join(f"{n} {what}" for what, n in result.done.items() if n)
    text = f"synced {plural(len(result.plan.papers), 'paper')} to {target}: {parts}; " + (
        f"wrote: {wrote}" if wrote else "nothing written"
    )
    if result.new_collections:
        text += f"; created collections: {', '.join(result.new_collections)}"
    if result.elsewhere:
        text += f"; {plural(result.elsewhere, 'item')} written meanwhile by another client as planned"
    deleted = [a for a in result.plan.of("conflict") if "--restore" in a.reason]
    if len(deleted) < counts["conflict"]:
        text += "\nconflicts are left alone: edit them in Zotero, or rerun with --overwrite [KEY…] to replace them"
    if deleted:
        text += "\nwhat was deleted in Zotero is not made again: rerun with --restore to create it"
    adopted = {a.item for a in result.plan.of("adopt")} | {a.paper for a in result.plan.of("adopt")}
    if any(a.item not in adopted and a.paper not in adopted for a in result.plan.of("unmanaged-match")):
        text += "\nitems without the sync's marker match papers: rerun with --adopt [KEY…] to take them over"
    if counts["orphan"] and not options.prune:
        text += "\norphans are kept: rerun with --prune to move them to the Zotero trash"
    if result.errors:
        text += "\n" + "\n".join(f"error: {e}" for e in result.errors)
    if result.failure:
        text += f"\nstopped: {result.failure}"
        text += "\nwhat was written stays; a rerun reads the library again and does the rest"
    return text + "\n"


def _selection(option: str, given: list[str] | None, keys: list[str]) -> bool | frozenset[str]:
    """``--overwrite``/``--adopt``: absent (False), bare (True: every paper) or the papers named."""
    if given is None or not given:
        return given is not None
    unknown = [key for key in dict.fromkeys(given) if key not in keys]
    if unknown:
        close = [m for key in unknown for m in close_matches(key, keys)]
        hint = f"did you mean {' or '.join(close)}?" if close else "give citation keys from the catalogue"
        raise UsageError(f"{option}: no paper with the key {', '.join(unknown)} in the catalogue", hint)
    return frozenset(given)


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


def _waiting(seconds: float, why: str) -> None:
    print(f"sync: waiting {math.ceil(seconds)} s ({why})", file=sys.stderr, flush=True)


def _progress(stage: str, done: int, total: int) -> None:
    if total > LONG_RUN:
        verb = "read" if stage == "read" else "wrote"
        print(f"sync: {verb} {done}/{total} items", file=sys.stderr, flush=True)
