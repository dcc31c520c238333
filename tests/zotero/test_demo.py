"""The README's Zotero demo works as written: start the emulator, sync, edit, conflict, overwrite, prune."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def block_after(marker: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)} -->\s*```\w*\n(.*?)```", text, re.S)
    assert match, f"README.md has no block after <!-- {marker} -->"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(shutil.which("curl") is None and not os.environ.get("CI"), reason="the demo uses curl")
def test_zotero_demo_runs_as_written(tmp_path):
    script = (
        block_after("demo:sync")
        .replace("8085", str(free_port()))
        .replace("/tmp/smaller.yaml", str(tmp_path / "s.yaml"))
    )
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("ZOTERO_API_KEY", None)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    out = result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "14 create; wrote: 14 created" in out
    assert "14 unchanged; nothing written" in out
    assert re.search(r"conflict +dong2024self .*\[title, volume\]", out)
    assert "1 update, 13 unchanged; wrote: 1 updated" in out
    assert "1 orphan; nothing written" in out and "wrote: 1 trashed" in out
    assert "RWKEY" not in out.replace("ZOTERO_API_KEY=RWKEY", ""), "the key is never printed"
