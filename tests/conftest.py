"""Shared test fixtures: where ../shared is, and how to run the installed CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = bool(os.environ.get("CI"))

# Under CI the property tests draw the same examples on every run, so a commit is judged on its
# code and not on a lucky draw; elsewhere they keep exploring (and replay failures from .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if IN_CI:
    settings.load_profile("ci")


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


CLI = Path(sys.executable).parent / "syndata-export"  # the installed console script


def run_cli(*args: str, cwd: Path | str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``syndata-export`` console script, capturing text output."""
    return subprocess.run(
        [str(CLI), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )
