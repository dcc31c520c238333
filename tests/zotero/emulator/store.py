"""The emulator's library model: libraries, objects, versions, keys, and the write rules.

Everything here runs under `Store.lock` (one lock for the whole store, so concurrent requests see
the atomic behaviour the real server guarantees, e.g. "exactly one of four concurrent writes with
the same If-Unmodified-Since-Version wins"). HTTP lives in server.py/routes.py; this module knows
only objects, versions and the messages the server sends (notes §1.2, §2).
"""

from __future__ import annotations

import copy
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tests.zotero.emulator.schema import KEY_CHARS, KEY_RE, ObjectError, Schema, validate_item

KINDS = ("items", "collections")
DELETE_LOG_KINDS = ("collections", "items", "searches", "tags", "settings")
COLLECTION_PROPS = ("key", "version", "name", "parentCollection", "relations", "deleted")
NOUN = {"items": "Item", "collections": "Collection"}


class ApiError(Exception):
    """A whole-request failure: status, plain-text message, and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class StoredObject:
    key: str
    version: int
    data: dict[str, Any]  # the object's `data` without key and version
    created_by: int
    modified_by: int


@dataclass
class Library:
    kind: str  # "group" | "user"
    id: int
    name: str
    internal_id: int  # the server's own library ID, seen only in csljson `id`
    owner: int
    version: int = 0
    items: dict[str, StoredObject] = field(default_factory=dict)
    collections: dict[str, StoredObject] = field(default_factory=dict)
    deleted: dict[str, dict[str, int]] = field(default_factory=lambda: {k: {} for k in DELETE_LOG_KINDS})

    @property
    def prefix(self) -> str:
        return f"/{self.kind}s/{self.id}"

    def objects(self, kind: str) -> dict[str, StoredObject]:
        return self.items if kind == "items" else self.collections


@dataclass
class ApiKey:
    """A key's permissions: its user's own library and groups by ID (or "all")."""

    key: str
    user_id: int
    user_write: bool = True
    groups: dict[str, bool] = field(default_factory=dict)  # group ID or "all" -> write allowed

    def can(self, lib: Library, write: bool) -> bool:
        if lib.kind == "user":
            return lib.id == self.user_id and (self.user_write or not write)
        allowed = self.groups.get(str(lib.id), self.groups.get("all"))
        return allowed is not None and (allowed or not write)


@dataclass
class BatchResult:
    saved: dict[str, StoredObject] = field(default_factory=dict)
    unchanged: dict[str, str] = field(default_factory=dict)
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def mint_key() -> str:
    return "".join(secrets.choice(KEY_CHARS) for _ in range(8))


class Store:
    def __init__(self, schema: Schema) -> None:
        self.lock = threading.RLock()
        self.schema = schema
        self.libraries: dict[str, Library] = {}
        self.users: dict[int, str] = {}
        self.keys: dict[str, ApiKey] = {}
        self.used_tokens: set[tuple[str, str]] = set()

    # -- setup ------------------------------------------------------------------------------

    def add_user(self, user_id: int, username: str) -> Library:
        self.users[user_id] = username
        return self._add_library(Library("user", user_id, username, 100000 + len(self.libraries), user_id))

    def add_group(self, group_id: int, name: str, owner: int) -> Library:
        return self._add_library(Library("group", group_id, name, 100000 + len(self.libraries), owner))

    def _add_library(self, lib: Library) -> Library:
        self.libraries[lib.prefix] = lib
        return lib

    def add_key(self, key: str, user_id: int, *, groups: dict[str, bool], user_write: bool = True) -> ApiKey:
        self.keys[key] = ApiKey(key, user_id, user_write, groups)
        return self.keys[key]

    # -- multi-object writes ----------------------------------------------------------------

    def write_batch(
        self, lib: Library, kind: str, objects: list[Any], user_id: int, header_version: int | None
    ) -> BatchResult:
        """POST <prefix>/items|collections: per-object results, one version bump per saved object."""
        result = BatchResult()
        for index, obj in enumerate(objects):
            i = str(index)
            try:
                if not isinstance(obj, dict):
                    noun = NOUN[kind].lower()
                    raise ObjectError(400, f"Invalid value for index {i} in uploaded data; expected JSON {noun} object")
                saved, stored = self._write_one(lib, kind, obj, user_id, header_version is not None)
            except ObjectError as err:
                entry: dict[str, Any] = {"code": err.code, "message": err.message}
                key = obj.get("key") if isinstance(obj, dict) else None
                if isinstance(obj, dict) and isinstance(obj.get("data"), dict):
                    key = obj["data"].get("key", key)
                if key:
                    entry = {"key": key, **entry}
                if err.data:
                    entry["data"] = err.data
                result.failed[i] = entry
                continue
            if saved:
                result.saved[i] = stored
            else:
                result.unchanged[i] = stored.key
        return result

    def _write_one(
        self, lib: Library, kind: str, obj: dict[str, Any], user_id: int, header_given: bool
    ) -> tuple[bool, StoredObject]:
        obj = obj["data"] if isinstance(obj.get("data"), dict) else obj  # a full API object is accepted
        noun = NOUN[kind]
        key, version = obj.get("key"), obj.get("version")
        existing = None
        if key is not None:
            if not isinstance(key, str) or not KEY_RE.match(key):
                raise ObjectError(400, f"'{key}' is not a valid {noun.lower()} key")
            existing = lib.objects(kind).get(key)
            if version is not None:
                version = _as_version(version)
                if existing is None and version != 0:
                    raise ObjectError(404, f"{noun} doesn't exist (expected version {version}; use 0 instead)")
                if existing is not None and existing.version != version:
                    raise ObjectError(
                        412,
                        f"{noun} has been modified since specified version "
                        f"(expected {version}, found {existing.version})",
                    )
            elif not header_given:
                raise ObjectError(
                    428,
                    "Either If-Unmodified-Since-Version or 'version' property must be provided for 'key'-based writes",
                )
        else:
            key = mint_key()
        data = self.validate(lib, kind, key, obj, existing, put=False)
        return self.save(lib, kind, key, data, existing, user_id)

    def validate(
        self, lib: Library, kind: str, key: str, obj: dict[str, Any], existing: StoredObject | None, *, put: bool
    ) -> dict[str, Any]:
        """Schema validation plus the checks that need the library (collections, parents)."""
        old = existing.data if existing else None
        if kind == "collections":
            return self._validate_collection(lib, key, obj, old, put=put)
        data = validate_item(self.schema, obj, old, put=put)
        for ckey in data.get("collections", []):
            if ckey not in lib.collections:
                raise ObjectError(409, f"Collection {ckey} not found", {"collection": ckey})
        parent = data.get("parentItem")
        if parent and (parent == key or parent not in lib.items):
            raise ObjectError(409, f"Parent item {parent} not found", {"parentItem": parent})
        if parent:
            data.pop("collections", None)
        return data

    def _validate_collection(
        self, lib: Library, key: str, obj: dict[str, Any], old: dict[str, Any] | None, *, put: bool
    ) -> dict[str, Any]:
        for prop in obj:
            if prop not in COLLECTION_PROPS:
                raise ObjectError(400, f"Invalid property '{prop}'")
        data = {"name": "", "parentCollection": False, "relations": {}} if put or old is None else dict(old)
        if "name" in obj or old is None or put:
            name = obj.get("name")
            if name is None:
                raise ObjectError(400, "'name' property not provided")
            if not isinstance(name, str) or not name.strip():
                raise ObjectError(400, "Collection name cannot be empty")
            if len(name) > 255:
                raise ObjectError(413, f"Collection name '{name[:50]}…' too long")
            data["name"] = name
        if "parentCollection" in obj:
            parent = obj["parentCollection"]
            if parent in (False, None, ""):
                data["parentCollection"] = False
            elif not isinstance(parent, str) or not KEY_RE.match(parent):
                raise ObjectError(400, f"'{parent}' is not a valid collection key")
            elif parent == key or parent not in lib.collections:
                raise ObjectError(409, f"Parent collection {parent} not found", {"collection": parent})
            else:
                data["parentCollection"] = parent
        if "relations" in obj:
            if not isinstance(obj["relations"], dict):
                raise ObjectError(400, "'relations' property must be an object")
            data["relations"] = obj["relations"]
        if "deleted" in obj:
            if obj["deleted"] in (True, 1, "1", "true"):
                data["deleted"] = True
            else:
                data.pop("deleted", None)
        return data

    def save(
        self, lib: Library, kind: str, key: str, data: dict[str, Any], existing: StoredObject | None, user_id: int
    ) -> tuple[bool, StoredObject]:
        """Store `data` under `key`, bumping the library version; (False, existing) if nothing changed."""
        stamp = now_iso()
        if kind == "items":
            data.setdefault("dateAdded", existing.data["dateAdded"] if existing else stamp)
        if existing is not None and _comparable(existing.data) == _comparable(data):
            return False, existing
        lib.version += 1
        if kind == "items":
            data["dateModified"] = stamp
        created_by = existing.created_by if existing else user_id
        stored = StoredObject(key, lib.version, data, created_by, user_id)
        lib.objects(kind)[key] = stored
        lib.deleted[kind].pop(key, None)
        return True, stored

    # -- single-object writes ---------------------------------------------------------------

    def write_single(
        self,
        lib: Library,
        kind: str,
        key: str,
        body: Any,
        method: str,
        header_version: int | None,
        user_id: int,
    ) -> StoredObject:
        """PUT/PATCH <prefix>/items/<key>: 428/412/404/400 rules of notes §2.2; returns the stored object."""
        if not isinstance(body, dict):
            raise ApiError(400, "Uploaded data must be a JSON object")
        body = body["data"] if isinstance(body.get("data"), dict) else body
        noun = NOUN[kind]
        json_version = _as_version(body["version"]) if body.get("version") is not None else None
        if header_version is not None and json_version is not None and header_version != json_version:
            raise ApiError(
                400,
                "If-Unmodified-Since-Version value does not match JSON 'version' property "
                f"({header_version} != {json_version})",
            )
        version = header_version if header_version is not None else json_version
        existing = lib.objects(kind).get(key)
        self._check_single_version(noun, existing, version, method)
        try:
            data = self.validate(lib, kind, key, body, existing, put=method == "PUT")
        except ObjectError as err:
            raise ApiError(err.code, err.message) from None
        return self.save(lib, kind, key, data, existing, user_id)[1]

    @staticmethod
    def _check_single_version(noun: str, existing: StoredObject | None, version: int | None, method: str) -> None:
        if existing is None:
            if version:
                raise ApiError(412, f"{noun} not found (expected version {version})")
            if version is None and method in ("PATCH", "DELETE"):
                hint = (
                    ""
                    if method == "DELETE"
                    else (" (to create, use If-Unmodified-Since-Version: 0, JSON 'version' 0, or PUT method)")
                )
                raise ApiError(404, f"{noun} not found{hint}")
            if method == "DELETE":
                raise ApiError(404, f"{noun} not found")
            return
        if version is None:
            if method == "DELETE":
                raise ApiError(428, "If-Unmodified-Since-Version must be provided for delete requests")
            raise ApiError(
                428,
                "Either If-Unmodified-Since-Version or object version property must be provided for key-based writes",
            )
        if existing.version != version:
            raise ApiError(
                412,
                f"{noun} has been modified since specified version (expected {version}, found {existing.version})",
                {"Last-Modified-Version": str(existing.version)},
            )

    # -- deletions ----------------------------------------------------------------------------

    def delete_single(self, lib: Library, kind: str, key: str, header_version: int | None) -> None:
        if header_version is None and key in lib.objects(kind):
            raise ApiError(428, "If-Unmodified-Since-Version must be provided for delete requests")
        self._check_single_version(NOUN[kind], lib.objects(kind).get(key), header_version, "DELETE")
        self.delete(lib, kind, [key])

    def delete(self, lib: Library, kind: str, keys: list[str]) -> None:
        """Permanent deletion (not the trash); one version bump; unknown keys are ignored."""
        present = [k for k in keys if k in lib.objects(kind)]
        if not present:
            return
        lib.version += 1
        if kind == "items":
            doomed = set(present) | {k for k, o in lib.items.items() if o.data.get("parentItem") in present}
        else:
            doomed = self._with_descendants(lib, present)
        for key in doomed:
            del lib.objects(kind)[key]
            lib.deleted[kind][key] = lib.version
        if kind == "collections":
            for item in lib.items.values():
                kept = [c for c in item.data.get("collections", []) if c not in doomed]
                if kept != item.data.get("collections", kept):
                    item.data["collections"] = kept
                    item.version = lib.version

    @staticmethod
    def _with_descendants(lib: Library, keys: list[str]) -> set[str]:
        found, frontier = set(keys), list(keys)
        while frontier:
            parent = frontier.pop()
            for key, coll in lib.collections.items():
                if coll.data.get("parentCollection") == parent and key not in found:
                    found.add(key)
                    frontier.append(key)
        return found

    def add_to_collection(self, lib: Library, collection: str, item_keys: list[str], user_id: int) -> None:
        """Legacy `POST <prefix>/collections/<key>/items` ("K1 K2"): membership via each item's `collections`."""
        if collection not in lib.collections:
            raise ApiError(404, "Collection not found")
        for key in item_keys:
            item = lib.items.get(key)
            if item is None:
                raise ApiError(400, f"Item {key} not found")
            if collection not in item.data.get("collections", []):
                data = copy.deepcopy(item.data)
                data["collections"] = [*data.get("collections", []), collection]
                self.save(lib, "items", key, data, item, user_id)

    def remove_from_collection(self, lib: Library, collection: str, key: str, user_id: int) -> None:
        item = lib.items.get(key)
        if collection not in lib.collections or item is None:
            raise ApiError(404, "Not found")
        data = copy.deepcopy(item.data)
        data["collections"] = [c for c in data.get("collections", []) if c != collection]
        self.save(lib, "items", key, data, item, user_id)


def _as_version(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ObjectError(400, f"Invalid version '{value}'") from None


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "dateModified"}
