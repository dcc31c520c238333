"""A Zotero Web API v3 emulator for tests and demos (stdlib HTTP on 127.0.0.1).

Follows ../shared/reference/zotero-api-notes.md: versions and Last-Modified-Version, preconditions
(412/428), write reports, the 50-object limit, write tokens, paging, csljson, key permissions,
schema validation, and fault injection. Modules: schema_v41 (our record of Zotero's item schema
for the types it serves), schema (validation), store (library model and write rules), views
(response shapes), routes (URLs), csl (csljson), faults (fault plan and request log), server
(HTTP and the Python control surface). Runs from the repository alone.
"""

from tests.zotero.emulator.server import ZoteroEmulator

__all__ = ["ZoteroEmulator"]
