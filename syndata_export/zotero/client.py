"""The only module that talks to pyzotero: credentials, endpoint, key check, paging and batched writes.

It keeps pyzotero's 1,600-line client behind a handful of calls the sync needs, hands it an
``httpx2.Client`` whose transport (transport.py) owns every wait, retry and deadline, and turns
every failure into a ``RemoteError`` whose text never contains the API key. Writes use pyzotero's
``create_items``/``create_collections``, which return the write report, so per-object ``failed``
entries reach the sync (``update_items`` would drop them).

The key goes only where it was sent: no redirect is followed, and plain http is refused outside
this machine. What a server says is untrusted: its answers are checked for the shape the API
promises (notes §1.1), and its text is cleaned (key removed, control characters shown as escapes)
before it is cut to length and shown. A paged read is one version of the library: when
``Last-Modified-Version`` moves between pages, the read starts again (notes §2.1).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx2
from pyzotero import errors as zotero_errors
from pyzotero import zotero

from syndata_export.errors import RemoteError, UsageError
from syndata_export.transport import OnWait, ResponseLost, RetryTransport

DEFAULT_ENDPOINT = "https://api.zotero.org"
ENDPOINT_VARIABLE = "ZOTERO_API_URL"
KEY_VARIABLE = "ZOTERO_API_KEY"
BATCH = 50  # the API's limit per write request (notes §1.2)
PAGE = 100  # the API's largest page
KEY_CHARS = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
READ_ROUNDS = 4  # full reads of a library that keeps changing before giving up
KEY_ECHO = 10  # this many characters of the API key in a row, anywhere in server text, are removed
SHOWN = 300  # characters of server text shown in a message
_OBJECT_KEY_RE = re.compile(f"^[{KEY_CHARS}]{{8}}$")
# C0 but newline and tab, DEL, C1, and the bidirectional controls that reorder what a terminal shows
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LIBRARY_RE = re.compile(r"^(groups|users)/(\d+)$")
_LIBRARY_TYPES = {"groups": "group", "users": "user"}


def parse_library(text: str) -> tuple[str, int]:
    """``groups/4242`` → ("group", 4242); anything else is a usage error."""
    match = _LIBRARY_RE.match(text.strip().strip("/"))
    if not match:
        raise UsageError(f"--library {text!r} is not groups/ID or users/ID", "e.g. --library groups/4242")
    return _LIBRARY_TYPES[match.group(1)], int(match.group(2))


def mint_key() -> str:
    """A new object key (8 of Zotero's 33 key characters), chosen by the client so a retry is idempotent."""
    return "".join(secrets.choice(KEY_CHARS) for _ in range(8))


class ZoteroClient:
    """One library, one key. ``repr`` and every message leave the key out."""

    def __init__(
        self,
        library: str,
        api_key: str,
        *,
        endpoint: str | None = None,
        inner: httpx2.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_wait: OnWait | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise UsageError("no Zotero API key", f"set {KEY_VARIABLE} or use --api-key-file")
        self.__key = api_key.strip()
        self.__echo = _echo_pattern(self.__key)
        self.library_type, self.library_id = parse_library(library)
        self.library = f"{self.library_type}s/{self.library_id}"
        self.endpoint = self._checked_endpoint(endpoint or os.environ.get(ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT)
        self.library_version: int | None = None  # the version the last consistent read of the items saw
        self.schema_version: int | None = None  # Zotero-Schema-Version, from the key check
        self.writable = False  # whether the key check found write access (pull writes only then)
        transport = self._transport = RetryTransport(inner, clock=clock, sleep=sleep, on_wait=on_wait)
        local = _loopback(urlsplit(self.endpoint).hostname)
        self._http = httpx2.Client(transport=transport, timeout=120, follow_redirects=False, trust_env=not local)
        self._zot = zotero.Zotero(self.library_id, self.library_type, self.__key, client=self._http)
        self._zot.endpoint = self.endpoint

    def _checked_endpoint(self, endpoint: str) -> str:
        """A base URL, over https unless it stays on this machine (the key travels in a header)."""
        endpoint = endpoint.rstrip("/")
        parts = urlsplit(endpoint)
        base = parts.scheme in ("http", "https") and parts.hostname and parts.path in ("", "/")
        if not base or parts.query or parts.fragment or parts.username or parts.password:
            raise UsageError(
                f"{ENDPOINT_VARIABLE}={self._clean(endpoint)!r} is not a base URL", "e.g. https://api.zotero.org"
            )
        if parts.scheme == "http" and not _loopback(parts.hostname):
            raise UsageError(
                f"{ENDPOINT_VARIABLE}={self._clean(endpoint)!r} is plain http to another machine; "
                "the API key would travel unencrypted, so nothing was sent",
                "use https://, or http:// only to this machine (127.0.0.0/8, ::1, localhost)",
            )
        return endpoint

    def __repr__(self) -> str:
        return f"ZoteroClient({self.library!r} at {self.endpoint!r})"

    def close(self) -> None:
        self._http.close()

    # -- the key ------------------------------------------------------------------------------

    def check_key(self, *, write: bool) -> None:
        """``GET /keys/current``: fail clearly, before any write, when the key cannot use the library."""
        what = "checking the API key"
        with self._errors(what):
            response = self._http.get(
                f"{self.endpoint}/keys/current",
                headers={"Zotero-API-Key": self.__key, "Zotero-API-Version": "3"},
            )
        self.schema_version = _integer(response.headers.get("Zotero-Schema-Version"))
        if response.status_code in (401, 403):
            raise RemoteError(
                f"the Zotero API key was refused ({response.status_code} {self._shown(response.text.strip())})",
                f"check {KEY_VARIABLE}; keys are made at https://www.zotero.org/settings/keys",
            )
        if response.status_code != 200:
            raise RemoteError(f"{what}: HTTP {response.status_code} {self._shown(response.text)}")
        try:
            info = response.json()
        except ValueError:
            info = None
        info = info if isinstance(info, dict) else {}
        access = info.get("access")
        if not isinstance(access, dict):
            raise RemoteError(f"{what}: the answer is not a key description: {self._shown(response.text)}")
        allowed: Any
        if self.library_type == "user":
            allowed = access.get("user") if info.get("userID") == self.library_id else {}
        else:
            groups = access.get("groups")
            groups = groups if isinstance(groups, dict) else {}
            allowed = groups.get(str(self.library_id)) or groups.get("all")
        allowed = allowed if isinstance(allowed, dict) else {}
        if allowed.get("library") is not True:
            raise RemoteError(f"the API key cannot read {self.library}", "give the key access to this library")
        self.writable = allowed.get("write") is True
        if write and not self.writable:
            raise RemoteError(
                f"the API key cannot write to {self.library} (read-only access); nothing was written",
                "give the key write access to the library, or use --dry-run",
            )

    # -- reads -----------------------------------------------------------------------------------

    def items(self, progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
        """Every item's ``data`` in the library, trash included, oldest first, 100 per request, one version."""
        params = {"includeTrashed": 1, "sort": "dateAdded", "direction": "asc"}
        data, self.library_version = self._consistent(self._zot.items, progress, params)
        return data

    def items_by_key(self, keys: list[str]) -> list[dict[str, Any]]:
        """Fresh copies of these items (trash included); missing keys are simply absent.

        Safe to call after a write whose response was lost: it is a read, retried like any read.
        """
        keys = list(dict.fromkeys(keys))
        out: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH):
            chunk = ",".join(keys[start : start + BATCH])
            out += self._page(self._zot.items, "reading items", itemKey=chunk, includeTrashed=1, limit=PAGE)[0]
        return out

    def pause(self, seconds: float) -> None:
        """Wait as the transport waits (on its clock, within the run's bounds)."""
        self._transport.pause(seconds, "before reading back a write whose answer was lost")

    def collections(self) -> list[dict[str, Any]]:
        """Every collection's ``data`` (key, version, name, parentCollection, deleted?), one version."""
        return self._consistent(self._zot.collections, None, {"sort": "title", "direction": "asc"})[0]

    def deleted(self, since: int) -> dict[str, list[str]]:
        """What was deleted for good after library version ``since``: ``{"items": [keys], "collections": …}``."""
        what = "reading deletions"
        with self._errors(what):
            body = self._zot.deleted(since=since)
        if not isinstance(body, dict) or not all(
            isinstance(keys, list) and all(isinstance(k, str) for k in keys) for keys in body.values()
        ):
            raise RemoteError(f"{what}: the answer is not lists of keys: {self._shown(str(body))}")
        return {str(kind): keys for kind, keys in body.items()}

    def _consistent(
        self, call: Callable[..., Any], progress: Callable[[int, int], None] | None, params: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Every page, all at one ``Last-Modified-Version``: a change between pages means reading again."""
        for _ in range(READ_ROUNDS):
            read = self._read_once(call, progress, params)
            if read is not None:
                return read
        raise RemoteError(
            f"the library kept changing while it was read ({READ_ROUNDS} times); run again",
            "another member or sync is writing to it; nothing was written",
        )

    def _read_once(
        self, call: Callable[..., Any], progress: Callable[[int, int], None] | None, params: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], int | None] | None:
        """Every page and the library version they share, or None when it moved between pages."""
        out: list[dict[str, Any]] = []
        page, total, first = self._page(call, "reading the library", start=0, limit=PAGE, **params)
        while True:
            out += page
            if progress:
                progress(len(out), total)
            if not page or len(out) >= total:
                return out, first
            page, total, version = self._page(call, "reading the library", start=len(out), limit=PAGE, **params)
            if version != first:
                return None

    def _page(self, call: Callable[..., Any], what: str, **params: Any) -> tuple[list[dict[str, Any]], int, int | None]:
        """One page's objects' ``data``, the ``Total-Results`` and the ``Last-Modified-Version``."""
        with self._errors(what):
            page = call(**params)
        if not isinstance(page, list) or not all(_is_object(o) for o in page):
            raise RemoteError(f"{what}: the answer is not a list of Zotero objects: {self._shown(str(page))}")
        headers = self._zot.request.headers if self._zot.request is not None else {}
        total = _integer(headers.get("Total-Results"))
        return (
            [o["data"] for o in page],
            len(page) if total is None else total,
            _integer(headers.get("Last-Modified-Version")),
        )

    # -- writes ----------------------------------------------------------------------------------

    def write_items(self, batch: list[dict[str, Any]]) -> dict[str, Any]:
        """POST ≤ 50 items (each with ``key`` and ``version``; 0 creates); the write report."""
        if len(batch) > BATCH:
            raise ValueError(f"at most {BATCH} items per write, not {len(batch)}")
        with self._errors("writing items"):
            return self._report(self._zot.create_items(batch))

    def write_collections(self, batch: list[dict[str, Any]]) -> dict[str, Any]:
        """POST ≤ 50 collections (each with a minted ``key`` and ``version: 0``); the write report."""
        with self._errors("creating collections"):
            return self._report(self._zot.create_collections(batch))

    # -- failures --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Every failure as our error, with the key scrubbed from its text."""
        try:
            yield
        except ResponseLost as exc:
            raise ResponseLost(self._clean(str(exc))) from None
        except RemoteError as exc:
            raise type(exc)(self._clean(f"{what}: {exc.message}"), exc.hint) from None
        except zotero_errors.PyZoteroError as exc:
            response = self._zot.request
            if response is not None and response.status_code >= 400:
                detail = f"HTTP {response.status_code} {self._shown(response.text.strip())}"
            else:
                detail = f"{type(exc).__name__}: {self._shown(str(exc))}"
            raise RemoteError(self._clean(f"{what}: {detail}")) from None
        except httpx2.HTTPError as exc:
            raise RemoteError(self._clean(f"{what}: {type(exc).__name__}: {exc}")) from None
        except (ValueError, KeyError) as exc:  # not the JSON the API promises, or no Content-Type (pyzotero)
            raise RemoteError(f"{what}: the answer is not the JSON expected ({self._shown(str(exc))})") from None

    def _report(self, report: Any) -> dict[str, Any]:
        """The write report with its four members always present (the API sends ``{}`` when empty)."""
        parts = ("successful", "success", "unchanged", "failed")
        if not isinstance(report, dict) or not all(isinstance(report.get(name) or {}, dict) for name in parts):
            raise RemoteError(f"unexpected write response: {self._shown(str(report))}")
        out = {name: report.get(name) or {} for name in parts}
        out["failed"] = {  # the server's words reach the terminal: without the key, inert, cut
            str(index): {
                "code": failure.get("code") if isinstance(failure, dict) else None,
                "message": self._shown(str(failure.get("message", "") if isinstance(failure, dict) else failure)),
            }
            for index, failure in out["failed"].items()
        }
        return out

    def _clean(self, text: str) -> str:
        """Without the key (any ``KEY_ECHO`` of its characters in a row, in any case), and printable."""
        return printable(self.__echo.sub("[API key]", text))

    def _shown(self, text: str) -> str:
        """Server text for a message: cleaned first, then cut, so no cut can leave part of the key."""
        text = self._clean(text)
        return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def printable(text: str) -> str:
    """Control characters (terminal escapes, bidirectional overrides) as visible escapes like ``\\x1b``."""
    return _CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _echo_pattern(key: str) -> re.Pattern[str]:
    """Every run of ``KEY_ECHO`` or more characters of the key (all of it when shorter), any case."""
    size = min(KEY_ECHO, len(key))
    runs = {key[i:j] for i in range(len(key)) for j in range(i + size, len(key) + 1)}
    return re.compile("|".join(re.escape(r) for r in sorted(runs, key=len, reverse=True)), re.IGNORECASE)


def _loopback(host: str | None) -> bool:
    """This machine: ``localhost``, 127.0.0.0/8 or ::1."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _integer(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _is_object(value: Any) -> bool:
    """An API object: ``{"data": {"key": <8 key characters>, …}, …}``."""
    data = value.get("data") if isinstance(value, dict) else None
    return isinstance(data, dict) and isinstance(data.get("key"), str) and bool(_OBJECT_KEY_RE.match(data["key"]))
