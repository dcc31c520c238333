"""The Zotero tests' fixture: a fresh emulator per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.zotero.emulator.server import ZoteroEmulator


@pytest.fixture
def zotero_server() -> Iterator[ZoteroEmulator]:
    """A fresh emulator on an ephemeral port, serving in a thread; shut down after the test.

    Cheap to create: every instance shares the schema tables, built once per process.
    """
    emulator = ZoteroEmulator().start()
    try:
        yield emulator
    finally:
        emulator.stop()
