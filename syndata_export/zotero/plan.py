"""Desired items vs the library's items → a plan: every paper and owned item in exactly one action; pure.

Actions: ``create`` (no item yet), ``update`` (owned, unedited since the last sync, content or
collections differ; or ``--overwrite`` of an edited one; or back from the trash the sync put it
in), ``unchanged``, ``conflict`` (owned but edited in Zotero since the sync wrote it, or trashed by
a member: left alone), ``unmanaged-match`` (no owned item, but an item without the marker shares
the paper's citation key, DOI or arXiv ID: reported, never duplicated or changed), ``adopt`` (such
an item, taken over with ``--adopt``) and ``orphan`` (owned, no longer in the catalogue; trashed
with ``--prune``). Whether an item was edited is read from its marker hash alone (see mapping.py),
so the plan needs no state besides the library itself.

Two more marker-prefixed Extra lines (never content, so never in the hash) carry what the library
must remember: ``syndata-export: trashed <collection>``, written with the sync's own trash write,
so a pruned paper that returns is restored without ``--overwrite`` while a member's trash stays
theirs; and ``syndata-export: not synced above this line``, under the Extra lines an adopted item
already had, which the sync keeps and never judges.

``overwrite`` and ``adopt`` are a :data:`Selection`: ``True`` for every paper, or the chosen keys.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from syndata_export import csl, identity
from syndata_export.zotero import mapping

KINDS = ("create", "update", "unchanged", "conflict", "unmanaged-match", "adopt", "orphan")
TRASHED = f"{mapping.MARKER_PREFIX} trashed"  # + " <collection>"
KEPT_ABOVE = f"{mapping.MARKER_PREFIX} not synced above this line"
# items that hold no bibliographic record of their own, so never a paper's match
_NOT_PAPERS = {"note", "attachment", "annotation"}

Selection = bool | frozenset[str]  # True: every paper; else the citation keys chosen


def chosen(selection: Selection, key: str | None) -> bool:
    return selection is True or (not isinstance(selection, bool) and key in selection)


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
    restore: bool = False  # the owned item is in the trash and this write brings it back

    def to_json(self) -> dict[str, Any]:
        out = {"action": self.kind, "paper": self.paper, "item": self.item, "section": self.section}
        return {**out, "fields": self.fields, "reason": self.reason}


@dataclass
class Plan:
    actions: list[Action]
    papers: dict[str, Paper]
    remote: dict[str, dict[str, Any]]  # item key → item data, as read
    collection: str = ""

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
    overwrite: Selection = False,
    adopt: Selection = False,
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
        elif not data.get("deleted") and not data.get("parentItem") and data.get("itemType") not in _NOT_PAPERS:
            unmanaged.append(data)
    ours = {k for k in sections.values() if k}
    actions = []
    adopted: dict[str, str] = {}  # item key → the paper that takes it over
    for paper in wanted:
        mine = owned.pop(paper.key, [])
        live = [d for d in mine if not d.get("deleted")]
        force = chosen(overwrite, paper.key)
        if live:
            actions.append(_owned(paper, live[0], collection, sections, ours, force))
            actions += [_orphan(d, f"duplicate of {live[0]['key']}") for d in live[1:]]
        elif mine:
            actions.append(_trashed(paper, mine[0], collection, sections, ours, force))
        else:
            actions += _unowned(paper, unmanaged, adopted, chosen(adopt, paper.key), sections, ours)
    for key in sorted(owned):
        actions += [_orphan(d, "not in the catalogue") for d in owned[key] if not d.get("deleted")]
    return Plan(actions, {p.key: p for p in wanted}, by_key, collection)


def member_collections(current: list[str], section_key: str | None, ours: set[str]) -> list[str]:
    """The item's collections after the sync: members' own kept, exactly one of ours (its section)."""
    kept = [c for c in current if c not in ours]
    return [*kept, section_key] if section_key else kept


def synced_part(data: dict[str, Any]) -> dict[str, Any]:
    """The item as the sync judges it: without the Extra lines above :data:`KEPT_ABOVE` (members' own)."""
    lines = _extra_lines(data)
    if KEPT_ABOVE not in lines:
        return data
    return dict(data, extra="\n".join(lines[lines.index(KEPT_ABOVE) + 1 :]))


def extra_to_write(remote: dict[str, Any], wanted: dict[str, Any], *, adopting: bool = False) -> str:
    """``wanted``'s Extra, under the lines of ``remote`` that are the members' own (kept, never judged).

    Adopting, those are every line the sync would not write itself (no other citation key, no
    sync line); after that, the lines above :data:`KEPT_ABOVE`.
    """
    lines = _extra_lines(remote)
    if adopting:
        ours = set(_extra_lines(wanted))
        own = [
            line
            for line in lines
            if line.strip()
            and line not in ours
            and not line.startswith(mapping.MARKER_PREFIX)
            and not mapping.citation_key({"extra": line})
        ]
    else:
        own = lines[: lines.index(KEPT_ABOVE)] if KEPT_ABOVE in lines else []
    return "\n".join([*own, KEPT_ABOVE, wanted["extra"]]) if own else str(wanted["extra"])


def extra_when_trashed(data: dict[str, Any], collection: str) -> str:
    """The Extra of an orphan the sync trashes: what it was, plus the line that says who trashed it."""
    line = f"{TRASHED} {collection}"
    return "\n".join([*(x for x in _extra_lines(data) if x != line), line])


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
    remote = mapping.content(synced_part(data))
    remote_hash = mapping.content_hash(remote)
    want = paper.content
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
    elif _trashed_by(data, collection):
        # a member took it out of the sync's trash: the note would make a later trash look like ours
        act.kind, act.reason, act.fields = "update", "trash note cleared (restored in Zotero)", ["extra"]
    if not _placed(data, section_key, ours):
        act.kind = "update"
        act.fields = [*act.fields, "collections"]
        act.reason = act.reason or f"not in its section's subcollection ({paper.section})"
    return act


def _trashed(
    paper: Paper,
    data: dict[str, Any],
    collection: str,
    sections: dict[str, str | None],
    ours: set[str],
    overwrite: bool,
) -> Action:
    """An owned item in the trash: the sync's own trash is restored under the usual rules, a member's is theirs."""
    act = _owned(paper, data, collection, sections, ours, overwrite)
    act.fields = ["deleted", *act.fields]
    if act.kind == "conflict":
        act.reason = "in the Zotero trash, and edited in Zotero since the last sync (or use --overwrite)"
    elif _trashed_by(data, collection):
        act.kind, act.restore, act.reason = "update", True, "restored from the trash the sync had moved it to"
    elif overwrite:
        act.kind, act.restore, act.reason = "update", True, "restored from the trash (--overwrite)"
    else:
        act.kind, act.reason = "conflict", "moved to the trash by a member (restore it in Zotero, or use --overwrite)"
    return act


def _unowned(
    paper: Paper,
    unmanaged: list[dict[str, Any]],
    adopted: dict[str, str],
    adopt: bool,
    sections: dict[str, str | None],
    ours: set[str],
) -> list[Action]:
    """``create``, or the items without the marker that are this paper: the oldest reported, or adopted.

    An item is adopted for one paper at most; a second item that is the same paper is reported.
    """
    matches = {d["key"]: d for d in unmanaged if _shared(paper, d)}
    if not matches:
        return [Action("create", paper.key, None, 0, paper.section, [], "not in the library")]
    free = [key for key in matches if key not in adopted and not mapping.owners(matches[key])]
    if not (adopt and free):
        key = free[0] if free else next(iter(matches))
        if free:
            note = " (take it over with --adopt)"
        elif key in adopted:
            note = f"; it is adopted for {adopted[key]}"
        else:  # another collection's sync owns it: taking it would make that sync create it again
            note = f"; the sync of collection {mapping.owners(matches[key])[0]!r} owns it"
        return [_match(paper, matches[key], note)]
    taker, *others = free
    adopted[taker] = paper.key
    act = _match(paper, matches[taker])
    act.kind, act.reason = "adopt", "taken over: " + act.reason.replace("an item", "the item", 1)
    act.fields = _adopt_fields(paper, matches[taker], sections, ours)
    return [act, *(_match(paper, matches[key], f"; {taker} is adopted instead") for key in others)]


def _match(paper: Paper, data: dict[str, Any], note: str = "") -> Action:
    reason = f"an item without the sync's marker has the same {', '.join(_shared(paper, data))}{note}"
    return Action("unmanaged-match", paper.key, data["key"], data.get("version"), paper.section, [], reason)


def _shared(paper: Paper, data: dict[str, Any]) -> list[str]:
    same_key = ["citation key"] if mapping.citation_key(data) == paper.key else []
    return same_key + [identity.LABELS[kind] for kind in identity.shared(paper.ids, mapping.identities(data))]


def _adopt_fields(paper: Paper, data: dict[str, Any], sections: dict[str, str | None], ours: set[str]) -> list[str]:
    """What adoption changes: the fields, Extra (the marker at least) and the item's collections."""
    taken = dict(data, extra=extra_to_write(data, paper.data, adopting=True))
    fields = {*mapping.differing_fields(mapping.content(synced_part(taken)), paper.content), "extra"}
    if not _placed(data, sections.get(paper.section), ours):
        fields.add("collections")
    return sorted(fields)


def _orphan(data: dict[str, Any], reason: str) -> Action:
    return Action("orphan", mapping.citation_key(data) or None, data["key"], data.get("version"), None, [], reason)


def _placed(data: dict[str, Any], section_key: str | None, ours: set[str]) -> bool:
    """In its section's subcollection and no other of ours."""
    current = list(data.get("collections") or [])
    return section_key is not None and set(member_collections(current, section_key, ours)) == set(current)


def _trashed_by(data: dict[str, Any], collection: str) -> bool:
    """Whether the sync's own trash write left its note on the item."""
    return f"{TRASHED} {collection}" in _extra_lines(data)


def _extra_lines(data: dict[str, Any]) -> list[str]:
    return str(data.get("extra") or "").splitlines()


def _age(data: dict[str, Any]) -> tuple[str, str]:
    """Oldest first, so the original wins over a later duplicate."""
    return (str(data.get("dateAdded") or ""), str(data["key"]))
