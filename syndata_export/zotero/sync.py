"""Plan → apply: make a Zotero collection match the catalogue, safely and idempotently.

Steps: check the key (before any write), find or create the collection and one subcollection
per section, read every item of the library (trash included), plan (plan.py), then write in
batches of at most 50 with each object's version as its precondition. New items and collections
get client-minted keys with ``version: 0``, so sending them twice can never make two. When an
item's precondition fails (412/404), or a batch's response is lost (it may have been applied),
those items are read again and planned again, a bounded number of times. Orphans are trashed
(``deleted: 1``) only with ``prune``, never deleted outright. ``dry_run`` stops after planning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from syndata_export.errors import RemoteError
from syndata_export.zotero import mapping
from syndata_export.zotero.client import BATCH, ZoteroClient, mint_key
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
from syndata_export.zotero.transport import ResponseLost

REPLAN_ROUNDS = 3
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
    adopt: Selection = False


@dataclass
class Result:
    plan: Plan
    sections: dict[str, str | None]
    new_collections: list[str] = field(default_factory=list)  # names created (or to create, in a dry run)
    done: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_DONE.values(), 0) | {"restored": 0})
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.plan.to_json(),
            "collections_created": self.new_collections,
            "done": self.done,
            "errors": self.errors,
        }


def sync(
    client: ZoteroClient, items: list[dict[str, Any]], options: Options, progress: Progress | None = None
) -> Result:
    """Run one sync of CSL ``items`` into ``options.collection``; see the module docstring."""
    say = progress or (lambda stage, done, total: None)
    client.check_key(write=not options.dry_run)
    wanted = papers(items, options.collection)
    section_names = list(dict.fromkeys(p.section for p in wanted))
    collections = client.collections()
    root, sections = find_collections(collections, options.collection, section_names)
    missing = ([options.collection] if root is None else []) + [s for s, k in sections.items() if k is None]
    remote = client.items(lambda done, total: say("read", done, total))
    plan = make_plan(wanted, remote, options.collection, sections, overwrite=options.overwrite, adopt=options.adopt)
    result = Result(plan, sections, missing)
    if options.dry_run:
        return result
    if missing:
        root, sections = ensure_collections(client, options.collection, section_names, collections)
        result.sections = sections
    _apply(client, result, options, say)
    return result


# -- collections ---------------------------------------------------------------------------------


def find_collections(
    collections: list[dict[str, Any]], name: str, section_names: list[str]
) -> tuple[str | None, dict[str, str | None]]:
    """The top-level collection called ``name`` and its subcollection per section (None if missing).

    If a name is taken twice the oldest-keyed one wins, so every run picks the same one.
    """
    live = sorted((c for c in collections if not c.get("deleted")), key=lambda c: (c.get("version", 0), c["key"]))
    root = next((c["key"] for c in live if c["name"] == name and not c.get("parentCollection")), None)
    sections: dict[str, str | None] = dict.fromkeys(section_names)
    for c in live:
        if root and c.get("parentCollection") == root and c["name"] in sections and sections[c["name"]] is None:
            sections[c["name"]] = c["key"]
    return root, sections


def ensure_collections(
    client: ZoteroClient, name: str, section_names: list[str], known: list[dict[str, Any]] | None = None
) -> tuple[str, dict[str, str | None]]:
    """Create what is missing (root first, then the sections in one request); safe to repeat."""
    for _ in range(REPLAN_ROUNDS):
        root, sections = find_collections(known if known is not None else client.collections(), name, section_names)
        known = None  # after a lost response, read again
        try:
            if root is None:
                root = _create_collections(client, [{"name": name, "parentCollection": False}])[0]
            todo = [{"name": s, "parentCollection": root} for s, k in sections.items() if k is None]
            made = _create_collections(client, todo) if todo else []
            for spec, key in zip(todo, made, strict=True):
                sections[spec["name"]] = key
            return root, sections
        except ResponseLost:
            continue  # it may have been created: read again and create only what is still missing
    raise RemoteError(f"could not create the collections of {name!r}: the server kept dropping the response")


def _create_collections(client: ZoteroClient, specs: list[dict[str, Any]]) -> list[str]:
    batch = [{**spec, "key": mint_key(), "version": 0} for spec in specs]
    report = client.write_collections(batch)
    if report["failed"]:
        index, failure = sorted(report["failed"].items())[0]
        raise RemoteError(f"cannot create collection {batch[int(index)]['name']!r}: {_failure(failure)}")
    return [c["key"] for c in batch]


# -- items -----------------------------------------------------------------------------------------


def _apply(client: ZoteroClient, result: Result, options: Options, say: Progress) -> None:
    plan = result.plan
    pending = [a for a in plan.actions if a.kind in _WRITES or (a.kind == "orphan" and options.prune)]
    total = len(pending)
    written = 0
    for round_ in range(REPLAN_ROUNDS + 1):
        retry: list[Action] = []
        for start in range(0, len(pending), BATCH):
            chunk = pending[start : start + BATCH]
            retry += _write_batch(client, result, chunk)
            written += len(chunk)
            say("write", min(written, total), total)
        if not retry:
            return
        if round_ == REPLAN_ROUNDS:
            result.errors += [f"{_label(a)}: still changing in Zotero after {REPLAN_ROUNDS} re-reads" for a in retry]
            return
        pending = _replan(client, result, retry, options)
        total += len(pending)


def _write_batch(client: ZoteroClient, result: Result, chunk: list[Action]) -> list[Action]:
    """Send one batch; returns the actions to re-read and re-plan."""
    payload = [_payload(result, a) for a in chunk]
    for action, body in zip(chunk, payload, strict=True):
        action.item = body["key"]
    try:
        report = client.write_items(payload)
    except ResponseLost:
        return list(chunk)
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
    return retry


def _payload(result: Result, action: Action) -> dict[str, Any]:
    """The JSON object to POST for one action; its ``version`` is the precondition."""
    plan = result.plan
    if action.kind == "orphan":
        extra = extra_when_trashed(plan.remote[action.item or ""], plan.collection)
        return {"key": action.item, "version": action.version, "deleted": 1, "extra": extra}
    paper = plan.papers[action.paper or ""]
    section_key = result.sections.get(paper.section)
    if action.kind == "create":
        return {**paper.data, "key": action.item or mint_key(), "version": 0, "collections": [section_key]}
    remote = plan.remote[action.item or ""]
    ours = {k for k in result.sections.values() if k}
    body: dict[str, Any] = {
        k: "" for k, v in remote.items() if k not in _NOT_FIELDS and str(v or "") and k not in paper.data
    }
    body.update(paper.data, extra=extra_to_write(remote, paper.data, adopting=action.kind == "adopt"))
    manual = [t for t in remote.get("tags") or [] if t.get("type") != mapping.AUTOMATIC_TAG]
    body["tags"] = paper.data["tags"] + [t for t in manual if t["tag"] not in {x["tag"] for x in paper.data["tags"]}]
    body["collections"] = member_collections(list(remote.get("collections") or []), section_key, ours)
    body.update(key=action.item, version=action.version)
    if action.restore:
        body["deleted"] = 0
    return body


def _replan(client: ZoteroClient, result: Result, actions: list[Action], options: Options) -> list[Action]:
    """Read these items again, plan them again, and return what still needs writing.

    An item the re-read shows already as planned was written by the request whose response was
    lost: it counts as done. A create planned again keeps its minted key, so it can never land twice.
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
            result.done[_done(old)] += 1
            continue
        if new.kind == "create" and old.kind == "create":
            new.item = old.item
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
