"""SIGTERM (and SIGINT sent to our process alone) end a render as Ctrl-C does: no pandoc left
running, no temporary file left behind, and an exit status that says so."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate
from tests.conftest import CLI
from tests.render.support import CATALOGUE

CODES = [
    pytest.param(signal.SIGTERM, 143, "terminated", id="SIGTERM"),
    pytest.param(signal.SIGINT, 130, "interrupted", id="SIGINT"),
]


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def children(pid: int) -> list[int]:
    """The running processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # gone meanwhile, or not a process
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def mentioning(text: str) -> list[int]:
    """Processes whose command line holds ``text`` (a pandoc reading our temporary files)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if text.encode() in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                found.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return found


class Runs:
    """Console-script runs and the children seen; :meth:`end` leaves nothing of them running."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []
        self.children: list[int] = []

    def start(self, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(
            [str(CLI), *args],
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started.append(process)
        return process

    def interrupt_when(self, process: subprocess.Popen, ready, number: int) -> list[int]:
        """Send signal ``number`` once ``ready(children)`` holds; the children seen then."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            seen = children(process.pid)
            self.children += seen
            if ready(seen):
                process.send_signal(number)
                return seen
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        pytest.fail("the render never started its pandoc processes")

    def end(self) -> None:
        for process in self.started:
            self.children += children(process.pid)
            if process.poll() is None:
                process.kill()
                process.communicate()
        for pid in self.children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def runs():
    """Whatever a test's outcome, nothing it started outlives it (a failure here leaves orphans)."""
    found = Runs()
    yield found
    found.end()


def assert_all_gone(pids: list[int], tmp: Path) -> None:
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in pids if alive(pid)] == [], "a child survived the signal"
    assert mentioning(str(tmp)) == [], "a process still reads the temporary folder"
    assert sorted(p.name for p in tmp.iterdir()) == [], "a temporary file was left behind"


@pytest.mark.parametrize(("number", "code", "word"), CODES)
def test_a_signal_during_a_long_render_ends_every_pandoc_and_temporary_file(tmp_path, runs, number, code, word):
    """2,000 APA papers take the long path: pandoc processes in threads, parts queued behind them."""
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(generate(2000, 3), encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "refs.md"
    process = runs.start(["--style", "apa", "--catalogue", str(catalogue), "-o", str(out)], {"TMPDIR": str(tmp)})
    at_once = min(2, len(os.sched_getaffinity(0)))  # pandoc processes side by side: one per core
    seen = runs.interrupt_when(process, lambda found: len(found) >= at_once, number)
    _, err = process.communicate(timeout=60)
    assert_all_gone(seen, tmp)
    assert process.returncode == code, err
    assert err.endswith(f"syndata-export: {word}\n") and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.yaml", "tmp"], "no output, no temporary file"


@pytest.mark.parametrize(("number", "code", "word"), CODES)
def test_a_signal_during_a_short_render_ends_pandoc_and_removes_the_items_file(tmp_path, runs, number, code, word):
    """The 14 papers in one pandoc, made to hang: the signal ends it, and its temporary files go
    (the CSL-JSON, and APA's copy of the style with its name options carried down)."""
    script = tmp_path / "pandoc"
    script.write_text("#!/bin/sh\nexec sleep 300\n", encoding="utf-8")
    script.chmod(0o755)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    process = runs.start(["--catalogue", str(CATALOGUE)], {"TMPDIR": str(tmp), "PYPANDOC_PANDOC": str(script)})
    seen = runs.interrupt_when(process, lambda found: len(found) == 1 and len(list(tmp.iterdir())) == 2, number)
    out, err = process.communicate(timeout=60)
    assert_all_gone(seen, tmp)
    assert process.returncode == code, err
    assert err == f"syndata-export: {word}\n" and out == ""
