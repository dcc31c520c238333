"""URL routing and request handling for the emulator: auth, reads, writes, schema helpers.

One function per route family. Each takes a parsed `Request` and returns a `Response`; HTTP
plumbing (sockets, faults, common headers) stays in server.py. Routes are served at the root path
because pyzotero joins `Link` paths onto its endpoint (notes §6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.zotero.emulator.csl import item_to_csl
from tests.zotero.emulator.schema import ObjectError
from tests.zotero.emulator.store import ApiError, ApiKey, Library, Store, StoredObject
from tests.zotero.emulator.views import WEB, Views, paging

MAX_WRITE_OBJECTS = 50
MAX_KEYS_PARAM = 100
CSL_CONTENT_TYPE = "application/vnd.citationstyles.csl+json"
FORMATS = {"items": ("json", "keys", "versions", "csljson"), "collections": ("json", "keys", "versions")}
CREATOR_FIELDS = [
    {"field": "firstName", "localized": "First"},
    {"field": "lastName", "localized": "Last"},
    {"field": "name", "localized": "Name"},
]
LIB_RE = re.compile(r"^/(groups|users)/(\d+)(/.*)?$")
SORTS: dict[str, Callable[[StoredObject], Any]] = {
    "dateModified": lambda o: (o.data.get("dateModified", ""), o.version),
    "dateAdded": lambda o: (o.data.get("dateAdded", ""), o.version),
    "title": lambda o: (o.data.get("title") or o.data.get("name") or "").lower(),
    "itemType": lambda o: o.data.get("itemType", ""),
    "date": lambda o: o.data.get("date", ""),
}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    api_key: ApiKey | None = None


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(value: Any, status: int = 200, content_type: str = "application/json", **headers: str) -> Response:
    body = json.dumps(value, ensure_ascii=False, indent=None).encode("utf-8")
    return Response(status, body, content_type, {k.replace("_", "-"): v for k, v in headers.items()})


class Router:
    def __init__(self, store: Store, views: Views) -> None:
        self.store = store
        self.views = views
        self.schema = store.schema

    def dispatch(self, req: Request) -> Response:
        with self.store.lock:
            req.api_key = self._authenticate(req)
            token = req.headers.get("zotero-write-token") if req.method != "GET" else None
            if token is not None:
                self._check_write_token(req, token)
            response = self._route(req)
            if token is not None and response.status < 300:
                self.store.used_tokens.add((req.api_key.key, token))
            return response

    def _check_write_token(self, req: Request, token: str) -> None:
        """Notes §2.4: 5-32 chars, needs a key, remembered per key after a successful request."""
        if req.api_key is None:
            raise ApiError(400, "Write token cannot be used without an API key")
        if not 5 <= len(token) <= 32:
            raise ApiError(400, "Write token must be 5-32 characters in length")
        if (req.api_key.key, token) in self.store.used_tokens:
            raise ApiError(412, "Write token already used")

    def _route(self, req: Request) -> Response:
        if req.path in SCHEMA_ROUTES or req.path == "/items/new":
            return self._only(req, "GET") or self.schema_route(req)
        if req.path.startswith("/keys/"):
            return self._only(req, "GET") or self.key_route(req)
        match = LIB_RE.match(req.path)
        if not match:
            raise ApiError(404, "Not found")
        kind, lib_id, rest = match.group(1), int(match.group(2)), (match.group(3) or "")
        if kind == "users" and rest == "/groups":
            return self._only(req, "GET") or self.user_groups(req, lib_id)
        lib = self.store.libraries.get(f"/{kind}/{lib_id}")
        if lib is None:
            raise ApiError(404, "Not found")
        write = req.method != "GET"
        self._authorize(req, lib, write)
        if rest == "" and kind == "groups":
            return self._only(req, "GET") or json_response(self.views.group_json(lib), Last_Modified_Version="1")
        try:
            return self.library_route(req, lib, rest.split("/")[1:])
        except ObjectError as err:
            raise ApiError(err.code, err.message) from None

    # -- auth -------------------------------------------------------------------------------

    def _authenticate(self, req: Request) -> ApiKey | None:
        auth = req.headers.get("authorization", "")
        key = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        key = key or req.headers.get("zotero-api-key") or req.query.get("key")
        if not key:
            return None
        if key not in self.store.keys:
            raise ApiError(403, "Invalid key")
        return self.store.keys[key]

    def _authorize(self, req: Request, lib: Library, write: bool) -> None:
        if req.api_key is None:
            raise ApiError(403, "An API key is required for write requests." if write else "Forbidden")
        if not req.api_key.can(lib, write=False):
            raise ApiError(403, "Forbidden")
        if write and not req.api_key.can(lib, write=True):
            raise ApiError(403, "Write access denied")

    @staticmethod
    def _only(req: Request, *methods: str) -> Response | None:
        if req.method in methods:
            return None
        raise ApiError(405, "Method not allowed", {"Allow": ", ".join(methods)})

    # -- non-library routes -----------------------------------------------------------------

    def schema_route(self, req: Request) -> Response:
        labels = self.schema.labels
        if req.path == "/itemTypes":
            return json_response([{"itemType": t, "localized": labels["itemTypes"][t]} for t in self.schema.fields])
        if req.path == "/itemFields":
            names = sorted(self.schema.all_fields)
            return json_response([{"field": f, "localized": labels["fields"][f]} for f in names])
        if req.path == "/creatorFields":
            return json_response(CREATOR_FIELDS)
        item_type = req.query.get("itemType")
        if not item_type:
            raise ApiError(400, "'itemType' not provided")
        if not self.schema.is_type(item_type):
            raise ApiError(400, f"Invalid item type '{item_type}'")
        if req.path == "/itemTypeFields":
            fields = self.schema.fields[item_type]
            return json_response([{"field": f, "localized": labels["fields"][f]} for f in fields])
        if req.path == "/itemTypeCreatorTypes":
            ctypes = self.schema.creator_types[item_type]
            return json_response([{"creatorType": c, "localized": labels["creatorTypes"][c]} for c in ctypes])
        return json_response(self.schema.template(item_type))

    def key_route(self, req: Request) -> Response:
        name = req.path.split("/", 2)[2]
        if name == "current":
            if req.api_key is None:
                raise ApiError(403, "Forbidden")
            key = req.api_key
        elif name in self.store.keys:
            key = self.store.keys[name]
        else:
            raise ApiError(404, f"Key '{name}' not found")
        username = self.store.users.get(key.user_id, "")
        return json_response(
            {
                "key": key.key,
                "userID": key.user_id,
                "username": username,
                "displayName": "",
                "access": {
                    "user": {"library": True, "files": True, "notes": True, "write": key.user_write},
                    "groups": {gid: {"library": True, "write": w} for gid, w in key.groups.items()},
                },
            }
        )

    def user_groups(self, req: Request, user_id: int) -> Response:
        user_lib = self.store.libraries.get(f"/users/{user_id}")
        if user_lib is None:
            raise ApiError(404, "Not found")
        self._authorize(req, user_lib, write=False)
        groups = [lib for lib in self.store.libraries.values() if lib.kind == "group"]
        if req.query.get("format") == "versions":
            return json_response({str(g.id): 1 for g in groups})
        return json_response([self.views.group_json(g) for g in groups], Total_Results=str(len(groups)))

    # -- library routes ---------------------------------------------------------------------

    def library_route(self, req: Request, lib: Library, parts: list[str]) -> Response:
        head = parts[0] if parts else ""
        if head == "deleted" and len(parts) == 1:
            return self._only(req, "GET") or self.deleted(req, lib)
        if head in ("searches", "tags", "settings") and len(parts) == 1 and req.method == "GET":
            return self.multi(req, lib, "items", [])  # not modelled: always empty
        if head not in ("items", "collections"):
            raise ApiError(404, "Not found")
        rest = parts[1:]
        if not rest:
            if req.method == "POST":
                return self.post_batch(req, lib, head)
            if req.method == "DELETE":
                return self.delete_many(req, lib, head)
            return self._only(req, "GET", "POST", "DELETE") or self.multi(req, lib, head, self.select(req, lib, head))
        if rest in (["top"], ["trash"]) and (head == "items" or rest == ["top"]):
            return self._only(req, "GET") or self.multi(req, lib, head, self.select(req, lib, head, rest[0]))
        key = rest[0]
        obj = lib.objects(head).get(key)
        if len(rest) == 1:
            if req.method in ("PUT", "PATCH"):
                return self.put_single(req, lib, head, key)
            if req.method == "DELETE":
                return self.delete_one(req, lib, head, key)
            self._only(req, "GET", "PUT", "PATCH", "DELETE")
            if obj is None:
                raise ApiError(404, f"{head[:-1].capitalize()} not found")
            return self.single(req, lib, head, obj)
        if obj is None:
            raise ApiError(404, f"{head[:-1].capitalize()} not found")
        return self.sub_route(req, lib, head, key, rest[1:])

    def sub_route(self, req: Request, lib: Library, head: str, key: str, rest: list[str]) -> Response:
        if head == "items" and rest == ["children"]:
            return self._only(req, "GET") or self.multi(
                req, lib, "items", self.select(req, lib, "items", "children", key)
            )
        if head == "collections" and rest == ["collections"]:
            self._only(req, "GET")
            return self.multi(req, lib, "collections", self.select(req, lib, "collections", "children", key))
        if head == "collections" and rest in (["items"], ["items", "top"]):
            if req.method == "POST" and rest == ["items"]:
                self.store.add_to_collection(lib, key, req.body.decode().split(), req.api_key.user_id)
                return Response(204, headers={"Last-Modified-Version": str(lib.version)})
            self._only(req, "GET", "POST")
            scope = "collection-top" if rest[-1] == "top" else "collection"
            return self.multi(req, lib, "items", self.select(req, lib, "items", scope, key))
        if head == "collections" and len(rest) == 2 and rest[0] == "items":
            self._only(req, "DELETE")
            self.store.remove_from_collection(lib, key, rest[1], req.api_key.user_id)
            return Response(204, headers={"Last-Modified-Version": str(lib.version)})
        raise ApiError(404, "Not found")

    # -- reads --------------------------------------------------------------------------------

    def select(self, req: Request, lib: Library, kind: str, scope: str = "all", key: str = "") -> list[StoredObject]:
        """The objects a multi-object GET covers, before paging (notes §1.1 table)."""
        q = req.query
        objs = list(lib.objects(kind).values())
        trashed = q.get("includeTrashed") in ("1", "true")
        if scope == "trash":
            objs = [o for o in objs if o.data.get("deleted")]
        elif not trashed:
            objs = [o for o in objs if not o.data.get("deleted")]
        if kind == "items":
            if scope in ("top", "collection-top"):
                objs = [o for o in objs if not o.data.get("parentItem")]
            if scope == "children":
                objs = [o for o in objs if o.data.get("parentItem") == key]
            if scope.startswith("collection"):
                objs = [o for o in objs if key in o.data.get("collections", [])]
            if item_type := q.get("itemType"):
                objs = [o for o in objs if _type_matches(o.data["itemType"], item_type)]
        else:
            if scope == "top":
                objs = [o for o in objs if not o.data.get("parentCollection")]
            if scope == "children":
                objs = [o for o in objs if o.data.get("parentCollection") == key]
        if "since" in q:
            since = _version_param(q["since"], "since")
            objs = [o for o in objs if o.version > since]
        keys_param = q.get("itemKey" if kind == "items" else "collectionKey")
        if keys_param is not None:
            wanted = set(keys_param.split(","))
            objs = [o for o in objs if o.key in wanted]
        default = "dateModified" if kind == "items" else "title"
        sort = q.get("sort", default)
        reverse = q.get("direction", "desc" if sort in ("dateModified", "dateAdded") else "asc") == "desc"
        return sorted(objs, key=SORTS.get(sort, SORTS[default]), reverse=reverse)

    def multi(self, req: Request, lib: Library, kind: str, objs: list[StoredObject]) -> Response:
        fmt = req.query.get("format", "json")
        if fmt not in FORMATS[kind]:
            raise ApiError(400, f"Invalid 'format' value '{fmt}'")
        since_header = req.headers.get("if-modified-since-version")
        if since_header is not None and lib.version <= _version_param(since_header, "If-Modified-Since-Version"):
            return Response(304, headers={"Last-Modified-Version": str(lib.version)})
        total = len(objs)
        keyed = "itemKey" in req.query or "collectionKey" in req.query
        start, limit = paging(req.query, unlimited=fmt in ("keys", "versions"))
        if keyed and fmt not in ("keys", "versions"):
            limit = MAX_KEYS_PARAM  # the server forces limit=100 when keys are given
        page = objs[start : start + limit] if limit else objs[start:]
        headers = {"Last-Modified-Version": str(lib.version), "Total-Results": str(total)}
        if fmt == "versions":
            return json_response({o.key: o.version for o in page}, **_h(headers))
        if fmt == "keys":
            return Response(200, "\n".join(o.key for o in page).encode(), "text/plain", headers)
        web = f"{WEB}/groups/{lib.id}/{kind}" if lib.kind == "group" else f"{WEB}/{lib.name}/{kind}"
        headers["Link"] = self.views.link_header(req.path, req.query, start, limit or total or 1, total, web)
        if fmt == "csljson":
            items = [item_to_csl(self.schema, o.data, f"{lib.internal_id}/{o.key}") for o in page]
            return json_response({"items": items}, 200, CSL_CONTENT_TYPE, **_h(headers))
        return json_response([self.views.object_json(lib, kind, o) for o in page], **_h(headers))

    def single(self, req: Request, lib: Library, kind: str, obj: StoredObject) -> Response:
        fmt = req.query.get("format", "json")
        headers = {"Last-Modified-Version": str(obj.version)}
        if kind == "items" and fmt == "csljson":
            item = item_to_csl(self.schema, obj.data, f"{lib.internal_id}/{obj.key}")
            return json_response({"items": [item]}, 200, CSL_CONTENT_TYPE, **_h(headers))
        if fmt != "json":
            raise ApiError(400, f"Invalid 'format' value '{fmt}'")
        return json_response(self.views.object_json(lib, kind, obj), **_h(headers))

    def deleted(self, req: Request, lib: Library) -> Response:
        if "since" not in req.query:
            raise ApiError(400, "'since' parameter must be provided")
        since = _version_param(req.query["since"], "since")
        body = {kind: [k for k, v in log.items() if v > since] for kind, log in lib.deleted.items()}
        return json_response(body, Last_Modified_Version=str(lib.version))

    # -- writes -------------------------------------------------------------------------------

    def post_batch(self, req: Request, lib: Library, kind: str) -> Response:
        objects = _json_body(req)
        if not isinstance(objects, list):
            raise ApiError(400, "Uploaded data must be a JSON array")
        if len(objects) > MAX_WRITE_OBJECTS:
            raise ApiError(413, f"Cannot add more than {MAX_WRITE_OBJECTS} {kind} at a time")
        header = self._check_library_version(req, lib)
        result = self.store.write_batch(lib, kind, objects, req.api_key.user_id, header)
        report = self.views.write_report(lib, kind, result)
        return json_response(report, Last_Modified_Version=str(lib.version))

    def put_single(self, req: Request, lib: Library, kind: str, key: str) -> Response:
        body = _json_body(req)
        header = _header_version(req)
        stored = self.store.write_single(lib, kind, key, body, req.method, header, req.api_key.user_id)
        return Response(204, headers={"Last-Modified-Version": str(stored.version)})

    def delete_one(self, req: Request, lib: Library, kind: str, key: str) -> Response:
        self.store.delete_single(lib, kind, key, _header_version(req))
        return Response(204, headers={"Last-Modified-Version": str(lib.version)})

    def delete_many(self, req: Request, lib: Library, kind: str) -> Response:
        param = "itemKey" if kind == "items" else "collectionKey"
        if param not in req.query:
            raise ApiError(400, f"'{param}' parameter must be provided")  # never delete a whole library
        self._check_library_version(req, lib)
        self.store.delete(lib, kind, [k for k in req.query[param].split(",") if k])
        return Response(204, headers={"Last-Modified-Version": str(lib.version)})

    @staticmethod
    def _check_library_version(req: Request, lib: Library) -> int | None:
        header = _header_version(req)
        if header is not None and lib.version > header:
            raise ApiError(
                412, f"Library has been modified since specified version (expected {header}, found {lib.version})"
            )
        return header


SCHEMA_ROUTES = ("/itemTypes", "/itemFields", "/itemTypeFields", "/itemTypeCreatorTypes", "/creatorFields")


def _json_body(req: Request) -> Any:
    try:
        return json.loads(req.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "JSON Error: Syntax error, malformed JSON") from None


def _header_version(req: Request) -> int | None:
    value = req.headers.get("if-unmodified-since-version")
    return None if value is None else _version_param(value, "If-Unmodified-Since-Version")


def _version_param(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ApiError(400, f"Invalid '{name}' value '{value}'") from None


def _type_matches(item_type: str, expr: str) -> bool:
    """`itemType=book || journalArticle` or `itemType=-attachment`."""
    if expr.startswith("-"):
        return item_type != expr[1:]
    return item_type in [t.strip() for t in expr.split("||")]


def _h(headers: dict[str, str]) -> dict[str, str]:
    """Header names as keyword arguments for json_response (which turns '_' back into '-')."""
    return {k.replace("-", "_"): v for k, v in headers.items()}
