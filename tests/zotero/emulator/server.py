"""The emulator's HTTP server and its Python control surface for tests and demos.

`ZoteroEmulator` owns a stdlib ThreadingHTTPServer on 127.0.0.1 (port 0 = ephemeral), the store,
the fault plan and the request log. Tests drive it over real HTTP with unmodified pyzotero, and
reach behind it with the methods here: inject faults, count requests, and edit the library "as
another group member" to provoke conflicts.
"""

from __future__ import annotations

import contextlib
import copy
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.zotero.emulator.faults import MESSAGES, FaultPlan, FaultRule, Hook, LoggedRequest, RandomFaults
from tests.zotero.emulator.routes import Request, Response, Router
from tests.zotero.emulator.schema import ObjectError, at_version
from tests.zotero.emulator.store import ApiError, Library, Store, mint_key
from tests.zotero.emulator.views import Views

API_VERSION = "3"
OWNER_ID, OWNER_NAME = 1, "syncbot"
OTHER_ID, OTHER_NAME = 2, "other-member"


class ZoteroEmulator:
    """A Zotero Web API v3 server with one group library (plus each user's own library)."""

    def __init__(
        self,
        *,
        port: int = 0,
        group_id: int = 4242,
        api_key: str = "RWKEY0000000000000000000",
        read_only_key: str = "ROKEY0000000000000000000",
        group_name: str = "Emulated group",
        schema_version: int = 41,
    ) -> None:
        self.schema = at_version(schema_version)  # an older one: a server before Zotero 8's citationKey
        self.store = Store(self.schema)
        self.faults = FaultPlan()
        self.group_id, self.user_id = group_id, OWNER_ID
        self.api_key, self.read_only_key = api_key, read_only_key
        self.store.add_user(OWNER_ID, OWNER_NAME)
        self.store.add_user(OTHER_ID, OTHER_NAME)
        self.library: Library = self.store.add_group(group_id, group_name, OWNER_ID)
        self.store.add_key(api_key, OWNER_ID, groups={str(group_id): True})
        self.store.add_key(read_only_key, OTHER_ID, groups={str(group_id): False}, user_write=False)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.emulator = self  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.router = Router(self.store, Views(self.store, self.base_url))
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> ZoteroEmulator:
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> ZoteroEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def library_prefix(self) -> str:
        return self.library.prefix

    @property
    def library_version(self) -> int:
        return self.library.version

    # -- fault injection --------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        method: str = "*",
        path: str = "",
        retry_after: int | None = 1,
        after: int = 0,
    ) -> FaultRule:
        """Answer `times` matching requests (after the first `after`) with 429 or 503 (+ Retry-After unless None)."""
        return self.faults.add(FaultRule(str(status), method, path, times, retry_after, after))

    def drop_next(self, times: int = 1, *, method: str = "*", path: str = "") -> FaultRule:
        """Process the next matching requests (writes are applied), then close the socket unanswered."""
        return self.faults.add(FaultRule("drop", method, path, times, None))

    def set_backoff(self, seconds: int | None) -> None:
        """Send `Backoff: <seconds>` on every response from now on (None stops it)."""
        self.faults.backoff = seconds

    def random_faults(self, seed: int, rate: float = 0.2, **options: Any) -> None:
        """Seeded random 429/503/drops on matching requests (see faults.RandomFaults)."""
        self.faults.random = RandomFaults(seed, rate, **options)

    def before(self, nth: int, action: Callable[[], None], *, method: str = "GET", path: str = r"/items$") -> Hook:
        """Run ``action`` (say, another member's edit) just before the nth matching request from now."""
        return self.faults.add_hook(Hook(action, nth, method, path))

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- request log --------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        return list(self.faults.log)

    def count(self, method: str | None = None, path: str = "", status: int | None = None) -> int:
        return self.faults.count(method, path, status)

    @property
    def reads(self) -> int:
        return self.faults.reads

    @property
    def writes(self) -> int:
        return self.faults.writes

    def clear_log(self) -> None:
        self.faults.clear_log()

    # -- direct library access ("another member" edits, inspection) ---------------------------

    def add_item(self, data: dict[str, Any], *, key: str | None = None, as_user: int = OTHER_ID) -> str:
        """Create an item as another member (e.g. an unmanaged item); returns its key."""
        with self.store.lock:
            key = key or mint_key()
            valid = self.store.validate(self.library, "items", key, data, None, put=False)
            self.store.save(self.library, "items", key, valid, None, as_user)
            return key

    def edit_item(self, key: str, changes: dict[str, Any], *, as_user: int = OTHER_ID) -> int:
        """PATCH an item as another member (bumps its version); returns the new version."""
        with self.store.lock:
            existing = self.library.items[key]
            valid = self.store.validate(self.library, "items", key, changes, existing, put=False)
            return self.store.save(self.library, "items", key, valid, existing, as_user)[1].version

    def edit_collection(self, key: str, changes: dict[str, Any], *, as_user: int = OTHER_ID) -> int:
        """Rename/move/trash a collection as another member; returns the new version."""
        with self.store.lock:
            existing = self.library.collections[key]
            valid = self.store.validate(self.library, "collections", key, changes, existing, put=False)
            return self.store.save(self.library, "collections", key, valid, existing, as_user)[1].version

    def delete_item(self, key: str) -> None:
        """Delete permanently, as another member would (appears in /deleted)."""
        with self.store.lock:
            self.store.delete(self.library, "items", [key])

    def delete_collection(self, key: str) -> None:
        """Delete a collection (and its subcollections) permanently, as another member would."""
        with self.store.lock:
            self.store.delete(self.library, "collections", [key])

    def get_item(self, key: str) -> dict[str, Any]:
        """The item's `data` as the API would return it (key and version included)."""
        with self.store.lock:
            return copy.deepcopy(self.router.views.item_data(self.library.items[key]))

    def items(self, *, include_trashed: bool = True) -> list[dict[str, Any]]:
        with self.store.lock:
            objs = self.library.items.values()
            return [
                copy.deepcopy(self.router.views.item_data(o))
                for o in objs
                if include_trashed or not o.data.get("deleted")
            ]

    def collections(self) -> list[dict[str, Any]]:
        with self.store.lock:
            return [
                {"key": c.key, "version": c.version, **copy.deepcopy(c.data)} for c in self.library.collections.values()
            ]

    # -- one request ----------------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        try:
            return self.router.dispatch(req)
        except ApiError as err:
            return Response(err.status, err.message.encode("utf-8"), "text/plain; charset=utf-8", dict(err.headers))
        except ObjectError as err:  # a version/value problem outside a batch
            return Response(err.code, err.message.encode("utf-8"), "text/plain; charset=utf-8")
        except Exception:  # an emulator bug: answer 500 like the server would, keep the traceback visible
            traceback.print_exc()
            return Response(500, b"An error occurred", "text/plain; charset=utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ZoteroEmulator/1"
    # One send per response and no Nagle delay: otherwise each request costs ~40 ms of delayed ACK.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._serve("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._serve("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve("DELETE")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: the emulator keeps its own request log."""

    def _serve(self, method: str) -> None:
        emulator: ZoteroEmulator = self.server.emulator  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        for hook in emulator.faults.due_hooks(method, path):
            hook.action()
        fault = emulator.faults.pick(method, path)
        if fault and fault.kind in MESSAGES:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            response = Response(int(fault.kind), MESSAGES[fault.kind].encode(), "text/plain; charset=utf-8", extra)
        else:
            response = emulator.handle(Request(method, path, query, headers, body))
        if fault and fault.kind == "drop":
            emulator.faults.record(LoggedRequest(method, path, url.query, 0, "drop"))
            self._drop()
            return
        emulator.faults.record(LoggedRequest(method, path, url.query, response.status, fault.kind if fault else ""))
        self._send(response, emulator.faults.backoff, emulator.schema.version)

    def _send(self, response: Response, backoff: int | None, schema_version: int) -> None:
        self.send_response(response.status)
        self.send_header("Zotero-API-Version", API_VERSION)
        self.send_header("Zotero-Schema-Version", str(schema_version))
        if backoff is not None:
            self.send_header("Backoff", str(backoff))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status != 304 and response.status != 204:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.status not in (204, 304):
            self.wfile.write(response.body)
        self.wfile.flush()

    def _drop(self) -> None:
        """Close the connection without a byte of response, as a crash after commit would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def serve_forever(emulator: ZoteroEmulator) -> None:
    """Run in the foreground until Ctrl-C (used by `python -m tests.zotero.emulator`)."""
    print(f"Zotero emulator at {emulator.base_url} (group {emulator.group_id})", file=sys.stderr, flush=True)
    try:
        emulator.httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        emulator.httpd.server_close()
