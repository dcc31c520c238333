"""Desired items vs the library's items → a plan: every paper and owned item in exactly one action; pure.

Actions: ``create`` (no item yet), ``update`` (owned, unedited since the last sync, content or
collections differ; or ``--overwrite`` of an edited one), ``unchanged``, ``conflict`` (owned but
edited in Zotero since the sync wrote it: left alone), ``unmanaged-match`` (no owned item, but an
item without the marker shares the paper's citation key, DOI or arXiv ID: reported, never
duplicated or changed) and ``orphan`` (owned, no longer in the catalogue; trashed with ``--prune``).
Whether an item was edited is read from its marker hash alone (see mapping.py), so the plan needs
no state besides the library itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from syndata_export import csl, identity
from syndata_export.zotero import mapping

KINDS = ("create", "update", "unchanged", "conflict", "unmanaged-match", "orphan")


@dataclass(frozen=True)
class Paper:
    """One catalogue paper as the sync wants it in Zotero."""

    key: str
    section: str
    data: dict[str, Any]  # Zotero item data with the marker; no key, version or collections
    ids: set[identity.Identity]

    @functools.cached_property
    def content(self) -> dict[str, Any]:
        return mapping.content(self.data)


@dataclass
class Action:
    kind: str
    paper: str | None  # citation key; None for an orphan without one
    item: str | None = None  # the Zotero item key, when there is an item
    version: int | None = None
    section: str | None = None
    fields: list[str] = field(default_factory=list)
    reason: str = ""
    restore: bool = False  # the owned item is in the trash and --overwrite brings it back

    def to_json(self) -> dict[str, Any]:
        out = {"action": self.kind, "paper": self.paper, "item": self.item, "section": self.section}
        return {**out, "fields": self.fields, "reason": self.reason}


@dataclass
class Plan:
    actions: list[Action]
    papers: dict[str, Paper]
    remote: dict[str, dict[str, Any]]  # item key → item data, as read

    def of(self, *kinds: str) -> list[Action]:
        return [a for a in self.actions if a.kind in kinds]

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of(kind)) for kind in KINDS}

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.counts(), "actions": [a.to_json() for a in self.actions]}


def papers(items: list[dict[str, Any]], collection: str, schema_version: int | None = None) -> list[Paper]:
    """CSL items → the papers the sync wants, in catalogue order.

    ``schema_version``: the server's, when citation keys may use the native field (mapping.to_zotero).
    """
    return [
        Paper(
            i["citation-key"],
            csl.custom(i)["section"],
            mapping.to_zotero(i, collection, schema_version),
            identity.of_csl(i),
        )
        for i in items
    ]


def make_plan(
    wanted: list[Paper],
    remote: list[dict[str, Any]],
    collection: str,
    sections: dict[str, str | None],
    *,
    overwrite: bool = False,
) -> Plan:
    """Sort every paper and every owned item into one action.

    ``remote`` is every item's ``data`` in the library (trash included, with ``deleted``);
    ``sections`` maps each section to its subcollection key, None when it does not exist yet.
    """
    by_key = {d["key"]: d for d in remote}
    owned: dict[str, list[dict[str, Any]]] = {}
    unmanaged: list[dict[str, Any]] = []
    for data in sorted(remote, key=_age):
        if mapping.marker(data, collection) is not None:
            owned.setdefault(mapping.citation_key(data), []).append(data)
        elif not data.get("deleted"):
            unmanaged.append(data)
    ours = {k for k in sections.values() if k}
    actions = []
    for paper in wanted:
        mine = owned.pop(paper.key, [])
        live = [d for d in mine if not d.get("deleted")]
        if live:
            actions.append(_owned(paper, live[0], collection, sections, ours, overwrite))
            actions += [_orphan(d, f"duplicate of {live[0]['key']}") for d in live[1:]]
        elif mine:
            actions.append(_trashed(paper, mine[0], overwrite))
        else:
            actions.append(_unowned(paper, unmanaged))
    for key in sorted(owned):
        actions += [_orphan(d, "not in the catalogue") for d in owned[key] if not d.get("deleted")]
    return Plan(actions, {p.key: p for p in wanted}, by_key)


def member_collections(current: list[str], section_key: str | None, ours: set[str]) -> list[str]:
    """The item's collections after the sync: members' own kept, exactly one of ours (its section)."""
    kept = [c for c in current if c not in ours]
    return [*kept, section_key] if section_key else kept


def _owned(
    paper: Paper,
    data: dict[str, Any],
    collection: str,
    sections: dict[str, str | None],
    ours: set[str],
    overwrite: bool,
) -> Action:
    section_key = sections.get(paper.section)
    act = Action("unchanged", paper.key, data["key"], data.get("version"), paper.section)
    remote = mapping.content(data)
    remote_hash = mapping.content_hash(remote)
    want = paper.content
    current = list(data.get("collections") or [])
    placed = section_key is not None and set(member_collections(current, section_key, ours)) == set(current)
    act.fields = mapping.differing_fields(remote, want)
    if remote_hash != mapping.marker(data, collection) and act.fields:
        act.kind = "update" if overwrite else "conflict"
        act.reason = "edited in Zotero since the last sync"
        if overwrite:
            act.reason = "edited in Zotero; --overwrite replaces it"
        return act
    if act.fields:
        act.kind, act.reason = "update", "changed in the catalogue"
    elif remote_hash != mapping.marker(data, collection):
        act.kind, act.reason, act.fields = "update", "marker refreshed (content already matches)", ["extra"]
    if not placed:
        act.kind = "update"
        act.fields = [*act.fields, "collections"]
        act.reason = act.reason or f"not in its section's subcollection ({paper.section})"
    return act


def _trashed(paper: Paper, data: dict[str, Any], overwrite: bool) -> Action:
    act = Action("conflict", paper.key, data["key"], data.get("version"), paper.section, ["deleted"])
    act.reason = "in the Zotero trash (restore it there, or use --overwrite)"
    if overwrite:
        act.kind, act.restore, act.reason = "update", True, "restored from the trash (--overwrite)"
        act.fields = ["deleted", *mapping.differing_fields(mapping.content(data), paper.content)]
    return act


def _unowned(paper: Paper, unmanaged: list[dict[str, Any]]) -> Action:
    for data in unmanaged:
        same_key = ["citation key"] if mapping.citation_key(data) == paper.key else []
        shared = same_key + [identity.LABELS[kind] for kind in identity.shared(paper.ids, mapping.identities(data))]
        if shared:
            reason = "an item without the sync's marker has the same " + ", ".join(shared)
            return Action("unmanaged-match", paper.key, data["key"], data.get("version"), paper.section, [], reason)
    return Action("create", paper.key, None, 0, paper.section, [], "not in the library")


def _orphan(data: dict[str, Any], reason: str) -> Action:
    return Action("orphan", mapping.citation_key(data) or None, data["key"], data.get("version"), None, [], reason)


def _age(data: dict[str, Any]) -> tuple[str, str]:
    """Oldest first, so the original wins over a later duplicate."""
    return (str(data.get("dateAdded") or ""), str(data["key"]))
