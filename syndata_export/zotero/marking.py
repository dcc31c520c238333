"""After ``pull --apply``: each accepted item marked as in step with the catalogue, so the next sync leaves it be.

An edited item gets its marker refreshed (a write of Extra alone): the hash now covers the item
as the member left it, which is what the sync writes from the updated catalogue, so the next sync
finds it unchanged, not a conflict. Where the two still differ (a field the catalogue does not
model), the marker stays and the sync reports the conflict, as before the pull.

A new paper's item is taken over as ``sync --adopt`` would (the member's own Extra lines kept
above the line that says so), but with the item's fields left as they are: its marker covers them,
so the next sync sees an item of its own that the catalogue changed and rewrites it in the
catalogue's form (tags, title case, its section's subcollection), never a second copy.

Every write carries the version the pull read as its precondition; an item changed since (412)
is left to the next sync.
"""

from __future__ import annotations

from typing import Any

from syndata_export.errors import RemoteError
from syndata_export.zotero import mapping
from syndata_export.zotero.client import BATCH, ZoteroClient
from syndata_export.zotero.plan import KEPT_ABOVE, Paper, synced_part
from syndata_export.zotero.pull import Proposals

MARKED = "marked"


def writes(
    proposals: Proposals, chosen: set[str], wanted: dict[str, Paper], collection: str
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The payloads to send, and the outcome of each accepted item that gets none; pure."""
    payloads: list[dict[str, Any]] = []
    outcomes: dict[str, str] = {}
    for item in dict.fromkeys(e.item for e in proposals.edits if e.paper in chosen):
        data = proposals.items[item]
        paper = wanted[mapping.citation_key(data)]
        differ = mapping.differing_fields(mapping.content(synced_part(data)), paper.content)
        if differ:
            outcomes[item] = f"not marked: the catalogue does not hold its {', '.join(differ)}; sync reports a conflict"
            continue
        payloads.append({"key": item, "version": data["version"], "extra": _refreshed(data, paper, collection)})
    for new in proposals.new:
        if new.key in chosen:
            payloads.append(_adopted(proposals.items[new.item], new.key, collection))
    return payloads, outcomes


def _refreshed(data: dict[str, Any], paper: Paper, collection: str) -> str:
    """Extra with this collection's marker line hashing the item as it is (the paper's content)."""
    line = f"{mapping.MARKER_PREFIX} {mapping.content_hash(paper.content)} {collection}"
    lines = str(data.get("extra") or "").splitlines()
    return "\n".join(line if mapping.marker({"extra": old}, collection) else old for old in lines)


def _adopted(data: dict[str, Any], key: str, collection: str) -> dict[str, Any]:
    lines = str(data.get("extra") or "").splitlines()
    own = [x for x in lines if x.strip() and not x.startswith(mapping.MARKER_PREFIX) and not _key_line(x)]
    body: dict[str, Any] = {"key": data["key"], "version": data["version"]}
    if data.get("citationKey"):
        body["citationKey"] = key  # the native field is read first: it must name the paper
    ours = [] if data.get("citationKey") else [f"{mapping.CITATION_KEY_LABEL}: {key}"]
    extra = [*own, KEPT_ABOVE, *ours] if own else ours
    taken = synced_part(dict(data, **body, extra="\n".join(extra)))
    extra.append(f"{mapping.MARKER_PREFIX} {mapping.content_hash(mapping.content(taken))} {collection}")
    return {**body, "extra": "\n".join(extra)}


def _key_line(line: str) -> bool:
    return bool(mapping.citation_key({"extra": line}))


def mark(
    client: ZoteroClient, proposals: Proposals, chosen: set[str], wanted: dict[str, Paper], collection: str
) -> dict[str, str]:
    """Send the writes in batches; item key → ``marked`` or why not."""
    payloads, outcomes = writes(proposals, chosen, wanted, collection)
    for start in range(0, len(payloads), BATCH):
        batch = payloads[start : start + BATCH]
        try:
            report = client.write_items(batch)
        except RemoteError as exc:
            outcomes.update({p["key"]: f"not marked: {exc}" for p in batch})
            continue
        for index, body in enumerate(batch):
            failure = report["failed"].get(str(index))
            if failure is None:
                outcomes[body["key"]] = MARKED
            elif failure.get("code") == 412:
                outcomes[body["key"]] = "not marked: changed in Zotero meanwhile; the next sync judges it"
            else:
                outcomes[body["key"]] = f"not marked: {failure.get('code')} {failure.get('message', '')}".strip()
    return outcomes
