"""Plan → apply: make a Zotero collection match the catalogue, safely and idempotently.

Steps: check the key (before any write), find or create the collection and one subcollection
per section, read every item of the library (trash included), plan (plan.py), then write in
batches of at most 50 with each object's version as its precondition. ``dry_run`` stops after
planning. Orphans are trashed (``deleted: 1``) only with ``prune``, never deleted outright.

New items and collections get keys *derived* from the library, the collection's name and the
citation key (or section), sent with ``version: 0``. Two runs at once (a maintainer and CI) send
the same key for the same paper: the server takes the first and refuses the second with a
per-object 412, which re-reads the item and finds it there. So concurrent runs, reruns after a
crash and lost responses all converge to one copy, with no lock and no local state. The same
derivation makes deletions attributable: a key of ours in the library's delete log
(``/deleted``) is a paper someone deleted in Zotero, reported rather than silently recreated.

When an item's precondition fails (412/404), or a batch's response is lost (it may have been
applied), those items are read back (by key) after a pause and planned again, a bounded number of
times. A failure after planning ends the run with what was done so far in the ``Result``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from syndata_export.errors import RemoteError
from syndata_export.transport import ResponseLost
from syndata_export.zotero import mapping
from syndata_export.zotero.client import BATCH, KEY_CHARS, ZoteroClient
from syndata_export.zotero.plan import (
    Action,
    Plan,
    Selection,
    extra_to_write,
    extra_when_trashed,
    make_plan,
    member_collections,
    papers,
)

REPLAN_ROUNDS = 3
READ_BACK_PAUSE = 2.0  # seconds before reading back a write whose response was lost (doubled each round)
RETRYABLE_FAILURES = (404, 412, 428)  # the item changed or vanished under us: re-read, re-plan
# properties of item data that are not fields, so never cleared when a field leaves the catalogue
_NOT_FIELDS = {"key", "version", "itemType", "creators", "tags", "collections", "relations", "deleted"}
_NOT_FIELDS |= {"dateAdded", "dateModified", "parentItem", "inPublications", "note", "extra"}

Progress = Callable[[str, int, int], None]


@dataclass
class Options:
    collection: str
    overwrite: Selection = False  # True: every paper; or the citation keys chosen
    prune: bool = False
    dry_run: bool = False
    restore: bool = False  # create again what was deleted in Zotero
    citation_key: str = "native"  # or "extra": the Extra line only, for groups with Zotero 7 members
    adopt: Selection = False


@dataclass
class Result:
    plan: Plan
    sections: dict[str, str | None]
    new_collections: list[str] = field(default_factory=list)  # names created (or to create, in a dry run)
    done: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_DONE.values(), 0) | {"restored": 0})
    errors: list[str] = field(default_factory=list)
    elsewhere: int = 0  # items another client wrote as planned while this run was writing them
    failure: str = ""  # why the run stopped early, after planning ("" when it ran to the end)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.plan.to_json(),
            "collections_created": self.new_collections,
            "done": self.done,
            "written_by_another_client": self.elsewhere,
            "errors": self.errors,
            "failure": self.failure or None,
        }


class DerivedKeys:
    """The keys of the objects this sync creates in one library for one collection (module docstring)."""

    def __init__(self, library: str, collection: str) -> None:
        self.library, self.collection = library, collection

    def root(self) -> str:
        return _derive(self.library, "collection", self.collection)

    def section(self, root: str, name: str) -> str:
        return _derive(self.library, "section", root, name)

    def item(self, citation_key: str) -> str:
        return _derive(self.library, "item", self.collection, citation_key)


def _derive(*parts: str) -> str:
    """Eight of Zotero's 33 key characters from a hash (collisions: 1 in 33^8 = 1.4e12 per pair)."""
    number = int.from_bytes(hashlib.sha256("\0".join(parts).encode("utf-8")).digest()[:8], "big")
    out = []
    for _ in range(8):
        number, digit = divmod(number, len(KEY_CHARS))
        out.append(KEY_CHARS[digit])
    return "".join(out)


def sync(
    client: ZoteroClient, items: list[dict[str, Any]], options: Options, progress: Progress | None = None
) -> Result:
    """Run one sync of CSL ``items`` into ``options.collection``; see the module docstring."""
    say = progress or (lambda stage, done, total: None)
    client.check_key(write=not options.dry_run)
    keys = DerivedKeys(client.library, options.collection)
    native = client.schema_version if options.citation_key == "native" else None
    wanted = papers(items, options.collection, native)
    section_names = list(dict.fromkeys(p.section for p in wanted))
    collections = client.collections()
    root, sections = find_collections(collections, options.collection, section_names, keys)
    remote = client.items(lambda done, total: say("read", done, total))
    plan = make_plan(wanted, remote, options.collection, sections, overwrite=options.overwrite, adopt=options.adopt)
    for action in plan.of("create"):
        action.item = keys.item(action.paper or "")
    missing = ([options.collection] if root is None else []) + [s for s, k in sections.items() if k is None]
    result = Result(plan, sections, missing)
    if missing or plan.of("create"):  # only then can something of ours have been deleted
        report_deletions(result, client.deleted(since=0), keys, root, options)
    if options.dry_run:
        return result
    try:
        if result.new_collections:
            kept = [s for s in section_names if sections[s] or s in result.new_collections]  # not those deleted
            _root, made = ensure_collections(client, options.collection, kept, keys, collections)
            result.sections.update(made)
        _apply(client, result, options, say)
    except RemoteError as exc:
        result.failure = str(exc)
    return result


def report_deletions(
    result: Result, deleted: dict[str, list[str]], keys: DerivedKeys, root: str | None, options: Options
) -> None:
    """Turn what would recreate an object someone deleted in Zotero into a conflict, unless ``restore``.

    Only objects with derived keys can be recognised in the delete log; items the sync made with
    random keys (before keys were derived) are created again as before.
    """
    gone_items, gone_collections = set(deleted.get("items") or ()), set(deleted.get("collections") or ())
    hint = "--restore creates it again"
    gone_sections: dict[str, str] = {}
    if root is None and keys.root() in gone_collections:
        gone_sections = dict.fromkeys(result.sections, f"the collection {options.collection!r} was deleted in Zotero")
    elif root is not None:
        for name, key in result.sections.items():
            if key is None and keys.section(root, name) in gone_collections:
                gone_sections[name] = f"its subcollection {name!r} was deleted in Zotero"
    if options.restore:
        for action in result.plan.of("create"):
            if action.item in gone_items:
                action.reason = "deleted in Zotero; created again (--restore)"
        return
    if root is None and gone_sections:
        result.new_collections = []  # the whole tree was deleted: nothing is made again
    else:
        result.new_collections = [n for n in result.new_collections if n not in gone_sections]
    for action in result.plan.actions:
        if action.kind in ("create", "update") and action.section in gone_sections:
            action.kind, action.reason = "conflict", f"{gone_sections[action.section]} ({hint})"
        elif action.kind == "create" and action.item in gone_items:
            action.kind, action.reason = "conflict", f"deleted in Zotero since the sync created it ({hint})"


# -- collections ---------------------------------------------------------------------------------


def find_collections(
    collections: list[dict[str, Any]], name: str, section_names: list[str], keys: DerivedKeys | None = None
) -> tuple[str | None, dict[str, str | None]]:
    """The top-level collection called ``name`` and its subcollection per section (None if missing).

    If a name is taken twice, the one with the derived key wins, else the oldest, so every run
    picks the same one.
    """
    live = [c for c in collections if not c.get("deleted")]
    roots = [c for c in live if c["name"] == name and not c.get("parentCollection")]
    root = _first(roots, keys.root() if keys else "")
    sections: dict[str, str | None] = dict.fromkeys(section_names)
    for section in sections if root else ():
        subs = [c for c in live if c.get("parentCollection") == root and c["name"] == section]
        sections[section] = _first(subs, keys.section(root or "", section) if keys else "")
    return root, sections


def _first(candidates: list[dict[str, Any]], derived: str) -> str | None:
    ranked = sorted(candidates, key=lambda c: (c["key"] != derived, c.get("version", 0), c["key"]))
    return ranked[0]["key"] if ranked else None


def ensure_collections(
    client: ZoteroClient,
    name: str,
    section_names: list[str],
    keys: DerivedKeys,
    known: list[dict[str, Any]] | None = None,
) -> tuple[str, dict[str, str | None]]:
    """Create what is missing (root first, then the sections in one request); safe to repeat.

    A create refused because its key exists (another run made it first) or whose response was
    lost is settled by reading the collections again.
    """
    for round_ in range(REPLAN_ROUNDS + 1):
        if known is None:
            known = client.collections()
        root, sections = find_collections(known, name, section_names, keys)
        known = None
        try:
            if root is None:
                if not _created(client, [{"name": name, "parentCollection": False, "key": keys.root()}]):
                    continue
                root = keys.root()
            todo = [{"name": s, "parentCollection": root, "key": keys.section(root, s)} for s, k in sections.items()]
            todo = [spec for spec in todo if sections[spec["name"]] is None]
            if todo and not _created(client, todo):
                continue
            sections.update({spec["name"]: spec["key"] for spec in todo})
            return root, sections
        except ResponseLost:
            client.pause(READ_BACK_PAUSE * 2**round_)
    raise RemoteError(
        f"could not create the collections of {name!r}: still missing after {REPLAN_ROUNDS + 1} attempts",
        "another client keeps changing them; run again",
    )


def _created(client: ZoteroClient, specs: list[dict[str, Any]]) -> bool:
    """Send the creates; False when one was refused because its derived key exists (made meanwhile)."""
    batch = [{**spec, "version": 0} for spec in specs]
    report = client.write_collections(batch)
    for index, failure in sorted(report["failed"].items()):
        if failure.get("code") != 412:
            raise RemoteError(f"cannot create collection {batch[int(index)]['name']!r}: {_failure(failure)}")
    return not report["failed"]


# -- items -----------------------------------------------------------------------------------------


def _apply(client: ZoteroClient, result: Result, options: Options, say: Progress) -> None:
    plan = result.plan
    pending = [a for a in plan.actions if a.kind in _WRITES or (a.kind == "orphan" and options.prune)]
    total = len(pending)
    for round_ in range(REPLAN_ROUNDS + 1):
        retry: list[Action] = []
        lost: set[int] = set()  # ids of actions whose write may have been applied unseen
        for start in range(0, len(pending), BATCH):
            chunk = pending[start : start + BATCH]
            again, unseen = _write_batch(client, result, chunk)
            retry += again
            lost |= {id(a) for a in again} if unseen else set()
            say("write", min(_settled(result), total), total)  # what the server confirmed, not what was sent
        if not retry:
            return
        if round_ == REPLAN_ROUNDS:
            result.errors += [f"{_label(a)}: still changing in Zotero after {REPLAN_ROUNDS} re-reads" for a in retry]
            return
        if lost:
            client.pause(READ_BACK_PAUSE * 2**round_)  # let a write still in flight land before reading back
        pending = _replan(client, result, retry, options, lost)
        say("write", min(_settled(result), total), total)


def _settled(result: Result) -> int:
    return sum(result.done.values()) + result.elsewhere


def _write_batch(client: ZoteroClient, result: Result, chunk: list[Action]) -> tuple[list[Action], bool]:
    """Send one batch; the actions to read back and plan again, and whether the response was lost."""
    payload = [_payload(result, a) for a in chunk]
    for action, body in zip(chunk, payload, strict=True):
        action.item = body["key"]
    try:
        report = client.write_items(payload)
    except ResponseLost:
        return list(chunk), True
    retry = []
    for index, action in enumerate(chunk):
        i = str(index)
        if i in report["failed"]:
            failure = report["failed"][i]
            if failure.get("code") in RETRYABLE_FAILURES:
                retry.append(action)
            else:
                result.errors.append(f"{_label(action)}: {_failure(failure)}")
        elif i in report["successful"] or i in report["success"] or i in report["unchanged"]:
            result.done[_done(action)] += 1
    return retry, False


def _payload(result: Result, action: Action) -> dict[str, Any]:
    """The JSON object to POST for one action; its ``version`` is the precondition."""
    plan = result.plan
    if action.kind == "orphan":
        extra = extra_when_trashed(plan.remote[action.item or ""], plan.collection)
        return {"key": action.item, "version": action.version, "deleted": 1, "extra": extra}
    paper = plan.papers[action.paper or ""]
    section_key = result.sections.get(paper.section)
    if action.kind == "create":
        return {**paper.data, "key": action.item, "version": 0, "collections": [section_key]}
    remote = plan.remote[action.item or ""]
    ours = {k for k in result.sections.values() if k}
    body: dict[str, Any] = {
        k: "" for k, v in remote.items() if k not in _NOT_FIELDS and str(v or "") and k not in paper.data
    }
    body.update(paper.data, extra=extra_to_write(remote, paper.data, adopting=action.kind == "adopt"))
    if remote.get("citationKey"):  # a key in the native field stays there: never blanked, no Extra line back
        body = mapping.with_native_key(body)
    manual = [t for t in remote.get("tags") or [] if t.get("type") != mapping.AUTOMATIC_TAG]
    body["tags"] = paper.data["tags"] + [t for t in manual if t["tag"] not in {x["tag"] for x in paper.data["tags"]}]
    body["collections"] = member_collections(list(remote.get("collections") or []), section_key, ours)
    body.update(key=action.item, version=action.version)
    if action.restore:
        body["deleted"] = 0
    return body


def _replan(
    client: ZoteroClient, result: Result, actions: list[Action], options: Options, lost: set[int]
) -> list[Action]:
    """Read these items back, plan them again, and return what still needs writing.

    An item the read shows already as planned was written either by this run (a request whose
    response was lost: done) or by another client (a create refused because the derived key
    existed: counted apart). A create planned again keeps its derived key, so it never lands twice.
    """
    plan = result.plan
    keys = sorted({a.item for a in actions if a.item})
    fresh = {d["key"]: d for d in client.items_by_key(keys)}
    for key in keys:
        if key in fresh:
            plan.remote[key] = fresh[key]
        else:
            plan.remote.pop(key, None)
    again = make_plan(
        [plan.papers[a.paper] for a in actions if a.kind != "orphan" and a.paper in plan.papers],
        list(plan.remote.values()),
        options.collection,
        result.sections,
        overwrite=options.overwrite,
        adopt=options.adopt,
    )
    # a paper's first row is the one that writes (an adoption's other matches follow it): first wins
    new_by = {_ident(a): a for a in reversed(again.actions)}
    position = {_ident(a): i for i, a in reversed(list(enumerate(plan.actions)))}
    pending = []
    for old in actions:
        new = new_by.get(_ident(old))
        if new is None or new.kind == "unchanged":
            if id(old) in lost:
                result.done[_done(old)] += 1
            else:
                result.elsewhere += 1
            continue
        if new.kind == "create":
            new.item = DerivedKeys(client.library, options.collection).item(new.paper or "")
        plan.actions[position[_ident(old)]] = new
        if new.kind in _WRITES or (new.kind == "orphan" and options.prune):
            pending.append(new)
    return pending


_DONE: dict[str, str] = {"create": "created", "update": "updated", "adopt": "adopted", "orphan": "trashed"}
_WRITES = ("create", "update", "adopt")


def _done(action: Action) -> str:
    return "restored" if action.restore else _DONE[action.kind]


def _ident(action: Action) -> tuple[str, str | None]:
    return ("orphan", action.item) if action.kind == "orphan" else ("paper", action.paper)


def _label(action: Action) -> str:
    return action.paper or f"item {action.item}"


def _failure(failure: dict[str, Any]) -> str:
    return f"{failure.get('code')} {failure.get('message', '')}".strip()
