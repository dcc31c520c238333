"""Zotero's item schema for the emulator: item types, fields, creator types, and item validation.

The facts come from schema_v41.py, our own record of what Zotero's schema.json (version 41) says
about the item types the emulator serves, so that what it accepts and rejects is what
api.zotero.org accepts and rejects, message for message where the notes (§2.3, §4) quote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from tests.zotero.emulator import schema_v41

KEY_CHARS = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
KEY_RE = re.compile(f"^[{KEY_CHARS}]{{8}}$")

CHILD_TYPES = ("note", "attachment")
# Item types whose data the emulator does not model (files); writes are refused.
UNSUPPORTED_TYPES = ("attachment",)
RELATION_PREDICATES = ("owl:sameAs", "dc:replaces", "dc:relation")
RELATION_URI_RE = re.compile(r"^http://zotero\.org/(users|groups)/\d+/items/[" + KEY_CHARS + "]{8}$")
DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})?)?$")
MAX_FIELD_BYTES = 65535
MAX_NAME_CHARS = 255
CREATOR_PROPS = ("creatorType", "firstName", "lastName", "name")


class ObjectError(Exception):
    """A per-object failure: becomes `failed[i]` in a write report, or the status of a single write."""

    def __init__(self, code: int, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


@dataclass
class Schema:
    """Lookup tables built once from schema_v41.py."""

    version: int
    fields: dict[str, list[str]]  # item type -> its field names, schema order
    base: dict[tuple[str, str], str]  # (type, field) -> base field (itself when none)
    creator_types: dict[str, list[str]]  # item type -> creator types, primary first
    csl_types: dict[str, str]  # item type -> CSL type
    csl_text: dict[str, list[str]]  # CSL variable -> base fields, first present wins
    csl_dates: dict[str, str]  # CSL date variable -> field
    csl_names: dict[str, str]  # creator type -> CSL name variable
    labels: dict[str, dict[str, str]]  # en-US: itemTypes / fields / creatorTypes -> label
    all_fields: set[str] = field(default_factory=set)
    all_creator_types: set[str] = field(default_factory=set)

    def is_type(self, item_type: Any) -> bool:
        return isinstance(item_type, str) and item_type in self.fields

    def primary_creator_type(self, item_type: str) -> str | None:
        types = self.creator_types.get(item_type) or []
        return types[0] if types else None

    def field_for_base(self, item_type: str, base: str) -> str | None:
        """The type's own field that is `base` or maps to it (e.g. preprint: publisher -> repository)."""
        for name in self.fields.get(item_type, []):
            if name == base or self.base[(item_type, name)] == base:
                return name
        return None

    def template(self, item_type: str) -> dict[str, Any]:
        """What `/items/new?itemType=` returns: every field empty, one empty primary creator."""
        out: dict[str, Any] = {"itemType": item_type}
        names = self.fields[item_type]
        if item_type == "note":
            out["note"] = ""
        for i, name in enumerate(names):
            out[name] = ""
            if i == 0 and self.primary_creator_type(item_type):
                out["creators"] = [
                    {"creatorType": self.primary_creator_type(item_type), "firstName": "", "lastName": ""}
                ]
        out.update({"tags": [], "collections": [], "relations": {}})
        return out


def _build() -> Schema:
    fields: dict[str, list[str]] = {}
    base: dict[tuple[str, str], str] = {}
    for item_type, names in schema_v41.FIELDS.items():
        pairs = [name.partition(":")[::2] for name in names.split()]
        fields[item_type] = [own for own, _ in pairs]
        base.update({(item_type, own): of or own for own, of in pairs})
    creators = {item_type: names.split() for item_type, names in schema_v41.CREATOR_TYPES.items()}
    schema = Schema(
        version=schema_v41.VERSION,
        fields=fields,
        base=base,
        creator_types=creators,
        csl_types=schema_v41.CSL_TYPES,
        csl_text={variable: bases.split() for variable, bases in schema_v41.CSL_TEXT.items()},
        csl_dates=schema_v41.CSL_DATES,
        csl_names=schema_v41.CSL_NAMES,
        labels={
            "itemTypes": schema_v41.ITEM_TYPE_LABELS,
            "fields": schema_v41.FIELD_LABELS,
            "creatorTypes": schema_v41.CREATOR_TYPE_LABELS,
        },
    )
    schema.all_fields = {f for names in fields.values() for f in names} | set(base.values())
    schema.all_creator_types = {c for names in creators.values() for c in names}
    return schema


SCHEMA = _build()  # every emulator instance shares it; nothing writes to it

# The schema version that gave each served item type its citationKey field (zotero-schema's history,
# notes §4): preprints 14, every other type 33. Only this field's age is recorded, as the sync
# decides on it alone; the other fields that came with 33 and 39 (DOI on book, eventPlace, …) an
# older emulator still accepts.
CITATION_KEY_SINCE = {"preprint": 14}
CITATION_KEY_SINCE_OTHERS = 33


def at_version(version: int) -> Schema:
    """The schema a server at an older ``version`` enforces and announces (``Zotero-Schema-Version``)."""
    if version >= SCHEMA.version:
        return SCHEMA
    fields = {
        item_type: [
            name
            for name in names
            if name != "citationKey" or version >= CITATION_KEY_SINCE.get(item_type, CITATION_KEY_SINCE_OTHERS)
        ]
        for item_type, names in SCHEMA.fields.items()
    }
    older = replace(SCHEMA, version=version, fields=fields)
    older.all_fields = {f for t, names in fields.items() for n in names for f in (n, SCHEMA.base[(t, n)])}
    return older


def validate_item(schema: Schema, obj: dict[str, Any], existing: dict[str, Any] | None, *, put: bool) -> dict[str, Any]:
    """Check one uploaded item and return its new `data` (without key/version).

    POST and PATCH merge into `existing` (absent properties untouched); PUT replaces it. Raises
    ObjectError with the server's code and message on the first problem.
    """
    item_type = obj.get("itemType", existing["itemType"] if existing else None)
    if item_type is None:
        raise ObjectError(400, "'itemType' property not provided")
    if not schema.is_type(item_type):
        raise ObjectError(400, f"'{item_type}' is not a valid itemType")
    if item_type in UNSUPPORTED_TYPES:
        raise ObjectError(400, f"'{item_type}' items are not supported by the emulator")
    is_child = bool(obj.get("parentItem", existing.get("parentItem") if existing else None))
    if put and existing is not None:
        required = ("itemType", "tags", "relations") + (() if is_child else ("collections",))
        for prop in required:
            if prop not in obj:
                raise ObjectError(400, f"'{prop}' property not provided")
    if is_child and item_type not in CHILD_TYPES:
        raise ObjectError(400, "Child item must be note or attachment")
    start = existing if existing is not None and not put else None
    data = _blank(schema, item_type, start, is_child)
    for prop, value in obj.items():
        if prop in ("key", "version", "itemType"):
            continue
        _set_prop(schema, data, item_type, prop, value, is_new=existing is None, existing=existing)
    data["itemType"] = item_type
    return data


def _blank(schema: Schema, item_type: str, start: dict[str, Any] | None, is_child: bool) -> dict[str, Any]:
    """Fresh data for the type, carrying over what `start` has that the type still allows."""
    data: dict[str, Any] = {"itemType": item_type}
    if item_type == "note":
        data["note"] = ""
    for name in schema.fields[item_type]:
        data[name] = ""
    if item_type != "note":
        data["creators"] = []
    data.update({"tags": [], "relations": {}})
    if not is_child:
        data["collections"] = []
    for prop, value in (start or {}).items():
        if prop in data or prop in ("parentItem", "deleted", "dateAdded", "dateModified"):
            data[prop] = value
    return data


def _set_prop(
    schema: Schema,
    data: dict[str, Any],
    item_type: str,
    prop: str,
    value: Any,
    *,
    is_new: bool,
    existing: dict[str, Any] | None,
) -> None:
    if prop == "creators":
        data["creators"] = _check_creators(schema, item_type, value, is_new)
    elif prop == "tags":
        data["tags"] = _check_tags(value)
    elif prop == "collections":
        if not isinstance(value, list):
            raise ObjectError(400, "'collections' property must be an array")
        for key in value:
            if not isinstance(key, str) or not KEY_RE.match(key):
                raise ObjectError(400, f"'{key}' is not a valid collection key")
        data["collections"] = list(dict.fromkeys(value))
    elif prop == "relations":
        data["relations"] = _check_relations(value)
    elif prop == "parentItem":
        if value in (False, None, ""):
            data.pop("parentItem", None)
        elif not isinstance(value, str) or not KEY_RE.match(value):
            raise ObjectError(400, f"'{value}' is not a valid item key")
        else:
            data["parentItem"] = value
    elif prop == "deleted":
        if value in (True, 1, "1", "true"):
            data["deleted"] = 1
        else:
            data.pop("deleted", None)
    elif prop in ("dateAdded", "dateModified"):
        if not isinstance(value, str) or not DATE_TIME_RE.match(value):
            raise ObjectError(400, f"'{prop}' must be in ISO 8601 or UTC 'YYYY-MM-DD[ hh-mm-dd]' format")
        if prop == "dateAdded" and existing is not None and value != existing.get("dateAdded"):
            raise ObjectError(400, "'dateAdded' cannot be modified for existing items")
        if prop == "dateAdded":
            data[prop] = value
    elif prop == "note":
        if item_type not in ("note", "attachment"):
            raise ObjectError(400, "'note' property is valid only for note and attachment items")
        data["note"] = str(value)
    elif prop == "inPublications":
        data["inPublications"] = bool(value)
    else:
        _set_field(schema, data, item_type, prop, value)


def _set_field(schema: Schema, data: dict[str, Any], item_type: str, prop: str, value: Any) -> None:
    if prop not in schema.all_fields:
        raise ObjectError(400, f"Invalid property '{prop}'")
    if isinstance(value, (list, dict)):
        raise ObjectError(400, f"Unexpected array for property '{prop}'")
    text = "" if value is None else str(value)
    if prop not in schema.fields[item_type]:
        if text == "":  # the server treats "" as unset before checking validity (notes §2.3)
            return
        raise ObjectError(400, f"'{prop}' is not a valid field for type '{item_type}'")
    if len(text.encode("utf-8")) > MAX_FIELD_BYTES:
        raise ObjectError(413, f"Value for '{prop}' too long", {"field": prop, "value": text[:50]})
    data[prop] = text


def _check_creators(schema: Schema, item_type: str, value: Any, is_new: bool) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ObjectError(400, "'creators' property must be an array")
    out = []
    for creator in value:
        if not isinstance(creator, dict):
            raise ObjectError(400, "Creator object is empty")
        if "creatorType" not in creator:
            raise ObjectError(400, "creator object must contain 'creatorType'")
        names = [str(creator.get(k) or "").strip() for k in ("name", "firstName", "lastName")]
        if not any(names):
            if len(value) == 1 and is_new:  # the template's empty creator
                continue
            raise ObjectError(400, "creator object must contain 'firstName'/'lastName' or 'name'")
        ctype = creator["creatorType"]
        if ctype not in schema.all_creator_types:
            raise ObjectError(400, f"'{ctype}' is not a valid creator type")
        if ctype not in schema.creator_types[item_type] and ctype != "author":
            raise ObjectError(400, f"'{ctype}' is not a valid creator type for item type '{item_type}'")
        for prop in creator:
            if prop not in CREATOR_PROPS:
                raise ObjectError(400, f"Invalid creator property '{prop}'")
        if "name" in creator and ("firstName" in creator or "lastName" in creator):
            other = "firstName" if "firstName" in creator else "lastName"
            raise ObjectError(400, f"'{other}' and 'name' creator fields are mutually exclusive")
        if ("firstName" in creator) != ("lastName" in creator):
            have, need = ("firstName", "lastName") if "firstName" in creator else ("lastName", "firstName")
            raise ObjectError(400, f"'{need}' creator field must be set if '{have}' is set")
        for prop in ("name", "firstName", "lastName"):
            if len(str(creator.get(prop, ""))) > MAX_NAME_CHARS:
                raise ObjectError(413, f"Creator {prop} too long")
        out.append({k: (v if k == "creatorType" else str(v)) for k, v in creator.items()})
    return out


def _check_tags(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ObjectError(400, "'tags' property must be an array")
    out = []
    for tag in value:
        if not isinstance(tag, dict) or not tag:
            raise ObjectError(400, "Tag object is empty")
        for prop in tag:
            if prop not in ("tag", "type"):
                raise ObjectError(400, f"Invalid tag property '{prop}'")
        name = tag.get("tag")
        if not isinstance(name, (str, int, float)) or str(name).strip() == "":
            raise ObjectError(400, "Invalid tag name")
        if len(str(name)) > MAX_NAME_CHARS:
            raise ObjectError(413, f"Tag '{str(name)[:50]}…' too long", {"tag": str(name)})
        kind = int(tag.get("type", 0) or 0)
        out.append({"tag": str(name).strip(), "type": kind} if kind else {"tag": str(name).strip()})
    return out


def _check_relations(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ObjectError(400, "'relations' property must be an object")
    out: dict[str, Any] = {}
    for predicate, uris in value.items():
        if predicate not in RELATION_PREDICATES:
            raise ObjectError(400, f"Unsupported predicate '{predicate}'")
        listed = uris if isinstance(uris, list) else [uris]
        for uri in listed:
            if not isinstance(uri, str) or not RELATION_URI_RE.match(uri):
                raise ObjectError(400, f"'{predicate}' value '{uri}' is not a valid Zotero item URI")
        out[predicate] = uris
    return out
