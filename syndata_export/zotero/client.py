"""The only module that talks to pyzotero: credentials, endpoint, key check, paging and batched writes.

It keeps pyzotero's 1,600-line client behind a handful of calls the sync needs, hands it an
``httpx2.Client`` whose transport (transport.py) owns every wait and retry, and turns every
failure into a ``RemoteError`` whose text never contains the API key. Writes use pyzotero's
``create_items``/``create_collections``, which return the write report, so per-object ``failed``
entries reach the sync (``update_items`` would drop them).
"""

from __future__ import annotations

import contextlib
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
from syndata_export.zotero.transport import ResponseLost, RetryTransport

DEFAULT_ENDPOINT = "https://api.zotero.org"
ENDPOINT_VARIABLE = "ZOTERO_API_URL"
KEY_VARIABLE = "ZOTERO_API_KEY"
BATCH = 50  # the API's limit per write request (notes §1.2)
PAGE = 100  # the API's largest page
KEY_CHARS = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
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
    ) -> None:
        if not api_key or not api_key.strip():
            raise UsageError("no Zotero API key", f"set {KEY_VARIABLE} or use --api-key-file")
        self.library_type, self.library_id = parse_library(library)
        self.library = f"{self.library_type}s/{self.library_id}"
        self.endpoint = (endpoint or os.environ.get(ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT).rstrip("/")
        parts = urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise UsageError(f"{ENDPOINT_VARIABLE}={self.endpoint!r} is not a base URL", "e.g. https://api.zotero.org")
        self.__key = api_key.strip()
        transport = self._transport = RetryTransport(inner, clock=clock, sleep=sleep)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        self._http = httpx2.Client(transport=transport, timeout=120, follow_redirects=True, trust_env=not loopback)
        self._zot = zotero.Zotero(self.library_id, self.library_type, self.__key, client=self._http)
        self._zot.endpoint = self.endpoint
        self.schema_version: int | None = None  # the server's Zotero-Schema-Version, from the key check

    def __repr__(self) -> str:
        return f"ZoteroClient({self.library!r} at {self.endpoint!r})"

    def close(self) -> None:
        self._http.close()

    # -- the key ------------------------------------------------------------------------------

    def check_key(self, *, write: bool) -> None:
        """``GET /keys/current``: fail clearly, before any write, when the key cannot use the library."""
        with self._errors("checking the API key"):
            response = self._http.get(
                f"{self.endpoint}/keys/current",
                headers={"Zotero-API-Key": self.__key, "Zotero-API-Version": "3"},
            )
        if response.status_code in (401, 403):
            raise RemoteError(
                f"the Zotero API key was refused ({response.status_code} {self._clean(response.text.strip())})",
                f"check {KEY_VARIABLE}; keys are made at https://www.zotero.org/settings/keys",
            )
        if response.status_code != 200:
            raise RemoteError(f"checking the API key: HTTP {response.status_code} {self._clean(response.text[:200])}")
        schema = response.headers.get("Zotero-Schema-Version", "").strip()
        self.schema_version = int(schema) if schema.isdigit() else None
        info = response.json()
        access = info.get("access") or {}
        if self.library_type == "user":
            allowed = access.get("user") or {} if info.get("userID") == self.library_id else {}
        else:
            groups = access.get("groups") or {}
            allowed = groups.get(str(self.library_id)) or groups.get("all") or {}
        if not allowed.get("library"):
            raise RemoteError(f"the API key cannot read {self.library}", "give the key access to this library")
        if write and not allowed.get("write"):
            raise RemoteError(
                f"the API key cannot write to {self.library} (read-only access); nothing was written",
                "give the key write access to the library, or use --dry-run",
            )

    # -- reads -----------------------------------------------------------------------------------

    def items(self, progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
        """Every item's ``data`` in the library, trash included, oldest first, 100 per request."""
        return self._paged(self._zot.items, progress, includeTrashed=1, sort="dateAdded", direction="asc")

    def items_by_key(self, keys: list[str]) -> list[dict[str, Any]]:
        """Fresh copies of these items (trash included); missing keys are simply absent."""
        out: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH):
            chunk = ",".join(keys[start : start + BATCH])
            with self._errors("reading items"):
                out += [o["data"] for o in self._zot.items(itemKey=chunk, includeTrashed=1, limit=PAGE)]
        return out

    def deleted(self, since: int) -> dict[str, list[str]]:
        """The keys deleted (for good, not trashed) since library version ``since``, by kind."""
        with self._errors("reading the deletions"):
            body = self._zot.deleted(since=since)
        if not isinstance(body, dict):
            raise RemoteError(f"reading the deletions: unexpected response {self._clean(str(body)[:100])}")
        return {kind: [str(k) for k in body.get(kind) or []] for kind in ("items", "collections")}

    def pause(self, seconds: float) -> None:
        """Wait as the transport waits (on its clock, within the run's bounds)."""
        self._transport._wait(seconds)

    def collections(self) -> list[dict[str, Any]]:
        """Every collection's ``data`` (key, version, name, parentCollection, deleted?)."""
        return self._paged(self._zot.collections, None, sort="title", direction="asc")

    def _paged(self, call: Callable[..., Any], progress: Callable[[int, int], None] | None, **params: Any) -> list:
        out: list[dict[str, Any]] = []
        total = None
        while total is None or len(out) < total:
            with self._errors("reading the library"):
                page = call(start=len(out), limit=PAGE, **params)
                response = self._zot.request
                total = int(response.headers.get("Total-Results", len(page)) if response else len(page))
            out += [o["data"] for o in page]
            if progress:
                progress(len(out), total)
            if not page:
                break
        return out

    # -- writes ----------------------------------------------------------------------------------

    def write_items(self, batch: list[dict[str, Any]]) -> dict[str, Any]:
        """POST ≤ 50 items (each with ``key`` and ``version``; 0 creates); the write report."""
        if len(batch) > BATCH:
            raise ValueError(f"at most {BATCH} items per write, not {len(batch)}")
        with self._errors("writing items"):
            return _report(self._zot.create_items(batch))

    def write_collections(self, batch: list[dict[str, Any]]) -> dict[str, Any]:
        """POST ≤ 50 collections (each with a minted ``key`` and ``version: 0``); the write report."""
        with self._errors("creating collections"):
            return _report(self._zot.create_collections(batch))

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
                detail = f"HTTP {response.status_code} {response.text.strip()[:300]}"
            else:
                detail = f"{type(exc).__name__}: {exc}"
            raise RemoteError(self._clean(f"{what}: {detail}")) from None
        except httpx2.HTTPError as exc:
            raise RemoteError(self._clean(f"{what}: {type(exc).__name__}: {exc}")) from None
        except ValueError as exc:  # a body that is not the JSON the API promises
            raise RemoteError(self._clean(f"{what}: unexpected response ({exc})")) from None

    def _clean(self, text: str) -> str:
        return text.replace(self.__key, "[API key]") if self.__key else text


def _report(report: Any) -> dict[str, Any]:
    """The write report with its four members always present (the API sends ``{}`` when empty)."""
    if not isinstance(report, dict):
        raise RemoteError(f"unexpected write response: {str(report)[:200]}")
    return {name: report.get(name) or {} for name in ("successful", "success", "unchanged", "failed")}
