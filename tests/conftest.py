"""Shared test fixtures: where ../shared is, and the Zotero emulator."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = bool(os.environ.get("CI"))


def need_shared(*parts: str) -> Path:
    """Path under ../shared; skip outside CI where it is absent, fail under CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing under CI")
        pytest.skip(f"{path} is absent (outside CI)")
    return path


@pytest.fixture
def shared() -> Path:
    return need_shared()


with contextlib.suppress(ImportError):  # the emulator's fixtures: zotero_server, …
    from tests.zotero_emulator.fixtures import *  # noqa: F403
