"""Response shapes: item/collection/group JSON, write reports, paging and the `Link` header.

The shapes follow notes §1.1 and §2.3: `data` carries every field of the type ("" when empty),
`version` appears at top level and in `data`, write reports use string indexes and `{}` for empty
members, and Link URLs are absolute on the emulator's own base with sorted, non-default params.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from tests.zotero.emulator.store import BatchResult, Library, Store, StoredObject

WEB = "https://www.zotero.org"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# Query parameters the server knows and keeps in Link URLs, with their defaults (dropped when equal).
LINK_PARAMS = {
    "collectionKey": None,
    "direction": None,
    "format": "json",
    "include": None,
    "includeTrashed": None,
    "itemKey": None,
    "itemType": None,
    "limit": str(DEFAULT_LIMIT),
    "locale": "en-US",
    "q": None,
    "since": None,
    "sort": None,
    "style": None,
    "tag": None,
}
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
META_ORDER = ("tags", "collections", "relations", "dateAdded", "dateModified")


class Views:
    def __init__(self, store: Store, base_url: str) -> None:
        self.store = store
        self.base_url = base_url
        self._children: dict[str, tuple[int, Counter[str]]] = {}  # prefix -> (library version, counts)

    def library_json(self, lib: Library) -> dict[str, Any]:
        web = f"{WEB}/groups/{lib.id}" if lib.kind == "group" else f"{WEB}/{lib.name}"
        return {"type": lib.kind, "id": lib.id, "name": lib.name, "links": {"alternate": _link(web, "text/html")}}

    def _web(self, lib: Library) -> str:
        return f"{WEB}/groups/{lib.id}" if lib.kind == "group" else f"{WEB}/{lib.name}"

    def user_json(self, user_id: int) -> dict[str, Any]:
        name = self.store.users.get(user_id, f"user{user_id}")
        return {
            "id": user_id,
            "username": name,
            "name": "",
            "links": {"alternate": _link(f"{WEB}/{name}", "text/html")},
        }

    def item_json(self, lib: Library, obj: StoredObject) -> dict[str, Any]:
        data = self.item_data(obj)
        links = {
            "self": _link(f"{self.base_url}{lib.prefix}/items/{obj.key}", "application/json"),
            "alternate": _link(f"{self._web(lib)}/items/{obj.key}", "text/html"),
        }
        meta: dict[str, Any] = {}
        if lib.kind == "group":
            meta["createdByUser"] = self.user_json(obj.created_by)
            if obj.modified_by != obj.created_by:
                meta["lastModifiedByUser"] = self.user_json(obj.modified_by)
        if parent := obj.data.get("parentItem"):
            links["up"] = _link(f"{self.base_url}{lib.prefix}/items/{parent}", "application/json")
        if summary := creator_summary(self.store, obj.data):
            meta["creatorSummary"] = summary
        if parsed := parsed_date(obj.data.get("date", "")):
            meta["parsedDate"] = parsed
        if not obj.data.get("parentItem"):
            meta["numChildren"] = self.child_counts(lib)[obj.key]
        return {
            "key": obj.key,
            "version": obj.version,
            "library": self.library_json(lib),
            "links": links,
            "meta": meta,
            "data": data,
        }

    def child_counts(self, lib: Library) -> Counter[str]:
        """Live children per parent, computed once per library version (a page of 100 stays linear)."""
        cached = self._children.get(lib.prefix)
        if cached is None or cached[0] != lib.version:
            live = (o.data.get("parentItem") for o in lib.items.values() if not o.data.get("deleted"))
            cached = (lib.version, Counter(p for p in live if p))
            self._children[lib.prefix] = cached
        return cached[1]

    def item_data(self, obj: StoredObject) -> dict[str, Any]:
        """Ordered like the server: key, version, parentItem, itemType, fields (creators after the first)."""
        src = obj.data
        out: dict[str, Any] = {"key": obj.key, "version": obj.version}
        if "parentItem" in src:
            out["parentItem"] = src["parentItem"]
        out["itemType"] = src["itemType"]
        if "note" in src:
            out["note"] = src["note"]
        for i, name in enumerate(self.store.schema.fields[src["itemType"]]):
            out[name] = src.get(name, "")
            if i == 0 and "creators" in src:
                out["creators"] = src["creators"]
        for prop in META_ORDER:
            if prop in src:
                out[prop] = src[prop]
        for prop in ("deleted", "inPublications"):
            if prop in src:
                out[prop] = src[prop]
        return out

    def collection_json(self, lib: Library, obj: StoredObject) -> dict[str, Any]:
        data = {"key": obj.key, "version": obj.version, **obj.data}
        links = {
            "self": _link(f"{self.base_url}{lib.prefix}/collections/{obj.key}", "application/json"),
            "alternate": _link(f"{self._web(lib)}/collections/{obj.key}", "text/html"),
        }
        if parent := obj.data.get("parentCollection"):
            links["up"] = _link(f"{self.base_url}{lib.prefix}/collections/{parent}", "application/json")
        meta = {
            "numCollections": sum(
                1
                for c in lib.collections.values()
                if c.data.get("parentCollection") == obj.key and not c.data.get("deleted")
            ),
            "numItems": sum(
                1 for i in lib.items.values() if obj.key in i.data.get("collections", []) and not i.data.get("deleted")
            ),
        }
        return {
            "key": obj.key,
            "version": obj.version,
            "library": self.library_json(lib),
            "links": links,
            "meta": meta,
            "data": data,
        }

    def object_json(self, lib: Library, kind: str, obj: StoredObject) -> dict[str, Any]:
        return self.item_json(lib, obj) if kind == "items" else self.collection_json(lib, obj)

    def write_report(self, lib: Library, kind: str, result: BatchResult) -> dict[str, Any]:
        return {
            "successful": {i: self.object_json(lib, kind, o) for i, o in result.saved.items()},
            "success": {i: o.key for i, o in result.saved.items()},
            "unchanged": dict(result.unchanged),
            "failed": dict(result.failed),
        }

    def group_json(self, lib: Library) -> dict[str, Any]:
        data = {
            "id": lib.id,
            "version": 1,
            "name": lib.name,
            "owner": lib.owner,
            "type": "Private",
            "description": "",
            "url": "",
            "libraryEditing": "members",
            "libraryReading": "members",
            "fileEditing": "members",
            "members": sorted(uid for uid in self.store.users if uid != lib.owner),
        }
        return {
            "id": lib.id,
            "version": 1,
            "links": {
                "self": _link(f"{self.base_url}/groups/{lib.id}", "application/json"),
                "alternate": _link(f"{WEB}/groups/{lib.id}", "text/html"),
            },
            "meta": {
                "created": "2024-01-01T00:00:00Z",
                "lastModified": "2024-01-01T00:00:00Z",
                "numItems": len(lib.items),
            },
            "data": data,
        }

    def link_header(self, path: str, query: dict[str, str], start: int, limit: int, total: int, web: str) -> str:
        """first/prev/next/last as the server builds them, plus `alternate` (the web page)."""
        kept = {k: v for k, v in query.items() if k in LINK_PARAMS and v != LINK_PARAMS[k]}
        kept.pop("start", None)

        def url(at: int) -> str:
            params = dict(kept, **({"start": str(at)} if at else {}))
            qs = urlencode(sorted(params.items()))
            return f"{self.base_url}{path}" + (f"?{qs}" if qs else "")

        links = []
        last = ((total - 1) // limit) * limit if total else 0
        if start:
            links.append(f'<{url(0)}>; rel="first"')
            links.append(f'<{url(max(0, start - limit))}>; rel="prev"')
        if start + limit < total:
            links.append(f'<{url(start + limit)}>; rel="next"')
        if last != start and total:
            links.append(f'<{url(last)}>; rel="last"')
        links.append(f'<{web}>; rel="alternate"')
        return ", ".join(links)


def paging(query: dict[str, str], *, unlimited: bool = False) -> tuple[int, int | None]:
    """(start, limit): limit clamped to 100, ≤0 or junk means the default; versions/keys have none."""
    start = _int(query.get("start"), 0)
    given = _int(query.get("limit"), 0)
    if unlimited:
        return max(start, 0), given if given > 0 else None
    limit = DEFAULT_LIMIT if given <= 0 else min(given, MAX_LIMIT)
    return max(start, 0), limit


def creator_summary(store: Store, data: dict[str, Any]) -> str:
    creators = data.get("creators") or []
    primary = store.schema.primary_creator_type(data["itemType"])
    chosen = [c for c in creators if c["creatorType"] == primary] or creators
    names = [c.get("lastName") or c.get("name", "") for c in chosen]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def parsed_date(value: str) -> str:
    match = DATE_RE.match(value.strip())
    if not match:
        year = re.search(r"\b(\d{4})\b", value)
        return year.group(1) if year else ""
    return "-".join(p for p in match.groups() if p and p != "00")


def _link(href: str, kind: str) -> dict[str, str]:
    return {"href": href, "type": kind}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
