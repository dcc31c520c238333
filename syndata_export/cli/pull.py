"""``pull``: members' new papers and edits in Zotero, proposed as a diff of the catalogue; ``--apply`` writes it."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TYPE_CHECKING, Any

from syndata_export.cli import _common, _sources
from syndata_export.cli import sync as _sync
from syndata_export.errors import SyndataError, UsageError, close_matches, plural

if TYPE_CHECKING:  # the zotero package (and pyzotero) is imported only when the command runs
    from syndata_export.catalogue import Catalogue
    from syndata_export.zotero.client import ZoteroClient
    from syndata_export.zotero.pull import Proposals

HELP = "propose members' new papers and edits in a Zotero collection as changes to the catalogue"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", required=True, metavar="groups/ID|users/ID", help="the Zotero library")
    parser.add_argument("--collection", required=True, metavar="NAME", help="the top-level collection the sync writes")
    parser.add_argument("--section", metavar="NAME", help="the section for new papers in the top collection itself")
    parser.add_argument("--apply", action="store_true", help="write the proposals (default: print the diff only)")
    parser.add_argument("--accept", nargs="+", metavar="KEY", help="with --apply, only these papers' proposals")
    parser.add_argument("--json", action="store_true", help="the proposals and outcome as JSON, not the diff")
    parser.add_argument("--api-key-file", metavar="FILE", help="read the API key from FILE (default: $ZOTERO_API_KEY)")
    _common.add_prefer(parser)
    parser.epilog = (
        "A read-only key is enough to propose and to --apply; with write access, --apply also marks the "
        "accepted items as in step with the catalogue, so the next sync neither rewrites them nor calls them "
        "conflicts. The API base URL comes from $ZOTERO_API_URL (default https://api.zotero.org)."
    )


def run(args: argparse.Namespace) -> int:
    from syndata_export.awesome.merge import make_key
    from syndata_export.zotero import pull
    from syndata_export.zotero.client import KEY_VARIABLE, ZoteroClient

    collection = args.collection.strip()
    if not collection:
        raise UsageError("--collection must not be empty")
    if args.accept and not args.apply:
        raise UsageError("--accept chooses what --apply writes", "add --apply")
    path = _sources.catalogue_path(args)
    cat = _common.load(args)
    if args.section and args.section not in cat.sections:
        close = close_matches(args.section, cat.sections)
        hint = f"did you mean {' or '.join(close)}?" if close else "sections are: " + ", ".join(cat.sections)
        raise UsageError(f"--section {args.section!r} is not a section of the catalogue", hint)
    client = ZoteroClient(args.library, _sync._api_key(args.api_key_file, KEY_VARIABLE), on_wait=_waiting)
    outcome: dict[str, Any] = {"library": client.library, "collection": collection, "applied": False}
    try:
        try:
            client.check_key(write=False)
            collections = client.collections()
            proposals = pull.propose(
                cat,
                client.items(),
                collections,
                collection,
                key_rule=make_key,
                prefer=args.prefer,
                section=args.section,
            )
        except SyndataError as exc:
            if args.json:
                _emit_json({**outcome, "failure": str(exc)})
            raise
        chosen = _chosen(proposals, args.accept)
        text = _sources.read(path) or ""
        new = _written(text, proposals, chosen, path.as_posix())
        outcome.update(proposals.to_json(), accepted=sorted(chosen), markers={})
        sys.stderr.write(report(proposals))
        if proposals.problems:
            outcome["failure"] = f"{plural(len(proposals.problems), 'item')} cannot be mapped; nothing written"
        elif args.apply and new != text:
            _sources.write(new, path)
            outcome["applied"] = True
            outcome["markers"] = _mark(client, proposals, chosen, _common.load(args), collection, args.prefer)
        if args.json:
            _emit_json({**outcome, "diff": _diff(text, new, path.as_posix())})
        else:
            _sources.show_diff(text, new, path)
    finally:
        client.close()
    sys.stderr.write(summary(outcome, args.apply))
    return 1 if proposals.problems else 0


def _chosen(proposals: Proposals, accept: list[str] | None) -> set[str]:
    """The papers whose proposals go in: all, or those ``--accept`` names (each must be proposed)."""
    keys = proposals.papers()
    if not accept:
        return set(keys)
    unknown = [key for key in dict.fromkeys(accept) if key not in keys]
    if unknown:
        close = [m for key in unknown for m in close_matches(key, keys)]
        hint = f"did you mean {' or '.join(close)}?" if close else "proposed: " + (", ".join(keys) or "nothing")
        raise UsageError(f"--accept: nothing is proposed for {', '.join(unknown)}", hint)
    return set(accept)


def _written(text: str, proposals: Proposals, chosen: set[str], name: str) -> str:
    """The catalogue with the chosen proposals, checked: what ``--apply`` would write."""
    from syndata_export import catalogue, validate
    from syndata_export.catalogue import writer

    values: dict[str, dict[str, Any]] = {}
    for edit in proposals.edits:
        if edit.paper in chosen:
            values.setdefault(edit.paper, {})[edit.path] = edit.new
    new = [n for n in proposals.new if n.key in chosen]
    sections = [s for s in proposals.new_sections if any(n.section == s for n in new)]
    out = writer.change(text, values) if values else text
    out = writer.append(out, [n.fields for n in new], sections) if new else out
    problems = [str(p) for p in validate.validate(catalogue.parse(out, name))]
    if problems:
        raise SyndataError(
            "the proposals would not pass check; nothing written:\n  " + "\n  ".join(problems),
            "edit the item in Zotero, or leave it out with --accept",
        )
    return out


def _mark(
    client: ZoteroClient, proposals: Proposals, chosen: set[str], cat: Catalogue, collection: str, prefer: str
) -> dict[str, str]:
    """Where the key can write: each accepted item marked as what the sync would write now; item → outcome."""
    from syndata_export import csl
    from syndata_export.zotero import marking
    from syndata_export.zotero.plan import papers

    if not client.writable:
        return dict.fromkeys(_accepted_items(proposals, chosen), "not marked: the key cannot write")
    wanted = {p.key: p for p in papers(csl.to_csl(cat, prefer), collection)}
    return marking.mark(client, proposals, chosen, wanted, collection)


def _accepted_items(proposals: Proposals, chosen: set[str]) -> list[str]:
    return [e.item for e in proposals.edits if e.paper in chosen] + [n.item for n in proposals.new if n.key in chosen]


def _diff(old: str, new: str, name: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{name}", f"b/{name}"))


def _emit_json(report: dict[str, Any]) -> None:
    _common.emit(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n", None)


def report(proposals: Proposals) -> str:
    """What was found, for stderr: each edit, each new paper, each item reported."""
    lines = [f"edit  {e.paper}  {e.path}: {e.old!r} → {e.new!r}  (item {e.item})" for e in proposals.edits]
    lines += [f"new   {n.key}  in {n.section!r}  (item {n.item})" for n in proposals.new]
    lines += [f"{'error' if n.kind == 'unmappable' else 'note'}: {n.text}" for n in proposals.notes]
    return "".join(line + "\n" for line in lines)


def summary(outcome: dict[str, Any], apply: bool) -> str:
    edits, new = len(outcome.get("edits", [])), len(outcome.get("new", []))
    found = f"pull from {outcome['library']} collection {outcome['collection']!r}: "
    found += f"{plural(edits, 'edit')}, {plural(new, 'new paper')}"
    if outcome.get("failure"):
        return f"{found}; {outcome['failure']}\n"
    if outcome["applied"]:
        marked = sum(1 for v in outcome["markers"].values() if v == "marked")
        papers = plural(len(outcome["accepted"]), "paper")
        return f"{found}; written to the catalogue ({papers}); {plural(marked, 'item')} marked\n"
    return f"{found}; " + ("nothing to write\n" if apply else "dry run, nothing written (add --apply)\n")


def _waiting(seconds: float, why: str) -> None:
    print(f"pull: waiting {math.ceil(seconds)} s ({why})", file=sys.stderr, flush=True)
