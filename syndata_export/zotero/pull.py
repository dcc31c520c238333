"""Zotero → catalogue proposals: members' new papers and edits, for review; pure.

Two kinds of proposal come out of one read of the library:

- **edits**: an item the sync manages (its marker in Extra) whose content no longer hashes to the
  marker was edited in Zotero. Both the item and what the sync would write for the paper now are
  mapped back to catalogue fields, and every field where they differ is proposed at the place the
  catalogue keeps it (``pages`` or ``published.pages``: the version the sync writes, ``--prefer``).
  Comparing two mappings back, rather than a mapping back with the record, means only what the
  member changed is proposed. Fields the catalogue does not model are listed, not dropped.
- **new papers**: an item without the marker in the collection or a section subcollection,
  mapped to a new record in the section its subcollection names (in the top collection, the
  ``--section`` given, else reported as needing one). Notes, attachments and child items are no
  papers; an item that is a catalogue paper already (the one same-paper rule) is reported, not
  added. The key is the item's own citation key when it is free, else the catalogue's key rule.

Whatever cannot be mapped is reported with the item's key and the field; the rest is still proposed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from syndata_export import csl, identifiers, identity
from syndata_export.catalogue import Catalogue
from syndata_export.errors import SyndataError
from syndata_export.zotero import mapping
from syndata_export.zotero.plan import Paper, papers, synced_part
from syndata_export.zotero.reverse import Unmappable, catalogue_paths, to_record
from syndata_export.zotero.sync import find_collections

KeyRule = Callable[[dict[str, Any], set[str]], str]  # fields, keys taken (case-folded) → a new key
NOT_PAPERS = {"note", "attachment", "annotation"}  # item types that hold no record of their own
REQUIRED = ("type", "title", "authors", "date")


@dataclass
class Edit:
    """One field of one paper, changed in Zotero: ``new`` None removes it."""

    paper: str
    item: str
    path: str  # where the catalogue keeps it: "pages", "published.pages"
    old: Any
    new: Any


@dataclass
class NewPaper:
    item: str
    key: str
    section: str
    fields: dict[str, Any]  # the record, as the catalogue writes it


@dataclass
class Note:
    """An item reported, not proposed: ``kind`` is one of :data:`NOTE_KINDS`."""

    kind: str
    item: str
    paper: str | None
    text: str


NOTE_KINDS = ("same-paper", "needs-section", "not-modelled", "unmappable")


@dataclass
class Proposals:
    edits: list[Edit] = field(default_factory=list)
    new: list[NewPaper] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # item key → data, for the items proposed
    new_sections: list[str] = field(default_factory=list)  # subcollections the catalogue has no section for

    @property
    def problems(self) -> list[Note]:
        return [n for n in self.notes if n.kind == "unmappable"]

    def papers(self) -> list[str]:
        """Every key a proposal concerns, edited papers first, in order."""
        return list(dict.fromkeys([e.paper for e in self.edits] + [n.key for n in self.new]))

    def to_json(self) -> dict[str, Any]:
        return {
            "edits": [asdict(e) for e in self.edits],
            "new": [asdict(n) for n in self.new],
            "new_sections": self.new_sections,
            "notes": [asdict(n) for n in self.notes],
        }


def propose(
    cat: Catalogue,
    remote: list[dict[str, Any]],
    collections: list[dict[str, Any]],
    collection: str,
    *,
    key_rule: KeyRule,
    prefer: str = "published",
    section: str | None = None,
) -> Proposals:
    """Every proposal the library's items make for the catalogue ``cat`` (module docstring).

    ``remote``: every item's ``data``, trash included; ``collections``: every collection's data;
    ``section``: where new papers found in the top collection itself go; ``key_rule``: the
    catalogue's (``awesome.merge.make_key``, handed in by the command: outputs import no other output).
    """
    root, _ = find_collections(collections, collection, [])
    if root is None:
        raise SyndataError(
            f"no collection {collection!r} at the top of the library",
            "name a top-level collection the sync writes to (--collection)",
        )
    out = Proposals()
    wanted = {p.key: p for p in papers(csl.to_csl(cat, prefer), collection)}
    records = {r.key: r.fields for r in cat.records}
    for data in remote:
        if data.get("deleted") or data.get("parentItem") or data.get("itemType") in NOT_PAPERS:
            continue
        if mapping.marker(data, collection) is not None:
            paper = wanted.get(mapping.citation_key(data))
            if paper is not None:
                _edits(out, paper, records[paper.key], data, collection, prefer)
    subcollections = {
        c["key"]: c["name"] for c in collections if c.get("parentCollection") == root and not c.get("deleted")
    }
    _new_papers(out, cat, remote, root, subcollections, section, key_rule)
    return out


# -- members' edits ----------------------------------------------------------------------------


def _edits(
    out: Proposals, paper: Paper, record: dict[str, Any], data: dict[str, Any], collection: str, prefer: str
) -> None:
    judged = synced_part(data)
    if mapping.content_hash(mapping.content(judged)) == mapping.marker(data, collection):
        return
    try:
        theirs, their_rest = to_record(judged)
    except Unmappable as exc:
        out.notes.append(Note("unmappable", data["key"], paper.key, f"{exc} ({paper.key})"))
        return
    ours, our_rest = to_record(paper.data)
    paths = catalogue_paths(record, prefer)
    changed = sorted(n for n in set(theirs) | set(ours) if n != "key" and theirs.get(n) != ours.get(n))
    for name in changed:
        path = paths.get(name, name)
        out.edits.append(Edit(paper.key, data["key"], path, _at(record, path), theirs.get(name)))
    rest = [line for line in their_rest if line not in our_rest]
    if rest:
        text = f"{paper.key}: not modelled by the catalogue, kept in Zotero only: {'; '.join(rest)}"
        out.notes.append(Note("not-modelled", data["key"], paper.key, text))
    if changed:
        out.items[data["key"]] = data


def _at(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


# -- new papers ----------------------------------------------------------------------------------


def _new_papers(
    out: Proposals,
    cat: Catalogue,
    remote: list[dict[str, Any]],
    root: str,
    subcollections: dict[str, str],
    section: str | None,
    key_rule: KeyRule,
) -> None:
    known = [(r.key, identity.identities(r.fields) | _key_identity(r.key)) for r in cat.records]
    taken = {r.key.casefold() for r in cat.records}
    order = {name: i for i, name in enumerate(cat.sections)}
    for data in sorted(remote, key=lambda d: (str(d.get("dateAdded") or ""), d["key"])):
        if data.get("deleted") or data.get("parentItem") or data.get("itemType") in NOT_PAPERS or mapping.owners(data):
            continue
        places = [subcollections[c] for c in data.get("collections") or () if c in subcollections]
        if not places and root not in (data.get("collections") or ()):
            continue
        item = data["key"]
        ids = mapping.identities(data) | _key_identity(mapping.citation_key(data))
        same = next((key for key, theirs in known if ids & theirs), None)
        if same:
            out.notes.append(Note("same-paper", item, same, f"item {item} is {same}, already in the catalogue"))
            continue
        home = min(places, key=lambda s: (order.get(s, len(order)), s)) if places else section
        if home is None:
            text = f"item {item} is in the top collection: give it a section with --section NAME"
            out.notes.append(Note("needs-section", item, None, text))
            continue
        try:
            fields, rest = to_record(data)
            # a member's own Extra lines stay theirs, in Zotero (adoption keeps them above the marker):
            # listed, not copied into the catalogue's note, which the sync would write back a second time
            rest += [f"extra: {line}" for line in str(fields.pop("note", "")).splitlines() if line.strip()]
            _complete(fields, item)
        except Unmappable as exc:
            out.notes.append(Note("unmappable", item, None, str(exc)))
            continue
        own = str(fields.pop("key", "") or "")
        free = own and identifiers.BIBTEX_KEY.fullmatch(own) and own.casefold() not in taken
        key = own if free else key_rule(fields, taken)
        taken.add(key.casefold())
        known.append((key, ids))
        if home not in order and home not in out.new_sections:
            out.new_sections.append(home)
        out.new.append(NewPaper(item, key, home, {"key": key, "section": home, **fields}))
        out.items[item] = data
        if rest:
            text = f"{key}: not modelled by the catalogue, kept in Zotero only: {'; '.join(rest)}"
            out.notes.append(Note("not-modelled", item, key, text))


def _key_identity(key: str) -> set[identity.Identity]:
    return {("key", key.casefold())} if key else set()


def _complete(fields: dict[str, Any], item: str) -> None:
    """A new record needs what validation requires; say which field is missing."""
    for name in REQUIRED:
        if not fields.get(name):
            raise Unmappable(item, _ZOTERO_NAMES.get(name, name), "", "is missing, and a catalogue record needs it")
    if not any(fields.get(name) for name in ("arxiv", "doi", "url")):
        raise Unmappable(item, "DOI, url, arXiv id", "", "are all missing, and a catalogue record needs one")


_ZOTERO_NAMES = {"type": "itemType", "authors": "creators", "date": "date", "title": "title"}
