"""Golden files: long expected outputs, reviewed in diffs, never written by the code under test.

A golden is (re)written only when the environment says so explicitly:
``REGENERATE_GOLDENS=1 python -m pytest …``; review the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDENS = Path(__file__).parent / "goldens"
REGENERATE = os.environ.get("REGENERATE_GOLDENS") == "1"


def check_golden(name: str, actual: str) -> None:
    """Assert ``actual`` equals the golden file ``tests/goldens/<name>``, showing a diff if not."""
    path = GOLDENS / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.exists():
        pytest.fail(f"golden {name} is missing; create it with REGENERATE_GOLDENS=1 and review it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"golden/{name}", "actual"
            )
        )
        pytest.fail(f"output differs from golden {name}:\n{diff[:6000]}")
