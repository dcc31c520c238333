"""The Zotero tests' fixture: a fresh emulator per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.zotero.emulator.schema import DEFAULT_SCHEMA_PATH
from tests.zotero.emulator.server import ZoteroEmulator


@pytest.fixture
def zotero_server() -> Iterator[ZoteroEmulator]:
    """A fresh emulator on an ephemeral port, serving in a thread; shut down after the test.

    Cheap to create (the schema is parsed once per process). Skips when ../shared is absent
    outside CI, like every other test that needs the shared schema.
    """
    from tests.conftest import need_shared

    need_shared("schemas", DEFAULT_SCHEMA_PATH.name)
    emulator = ZoteroEmulator().start()
    try:
        yield emulator
    finally:
        emulator.stop()
