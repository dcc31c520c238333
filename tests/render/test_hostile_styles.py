"""Styles from a path are untrusted: bounded in size, time and memory, and refused with a message.

A recursive macro made pandoc grow without limit and citeproc-py raise RecursionError; a missing
macro made citeproc-py raise IndexError; a 200 MB style took pandoc to the OOM killer; and
``--style /dev/zero`` (or a FIFO) read forever. Each is now a clear error, exit 1, in seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import xml.etree.ElementTree as ET

import pytest

from syndata_export import styles
from syndata_export.errors import SyndataError
from syndata_export.render import citeproc, pandoc
from syndata_export.styles import StyleError
from tests.conftest import CLI
from tests.render.support import CATALOGUE, ENGINES, items

CSL = "http://purl.org/net/xbiblio/csl"


def style_text(macros: str, layout: str = '<text macro="a"/>') -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="{CSL}" class="in-text" version="1.0">'
        "<info><title>Hostile</title><id>hostile</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
        f'{macros}<citation><layout><text variable="title"/></layout></citation>'
        f"<bibliography><layout>{layout}</layout></bibliography></style>\n"
    )


RECURSIVE = style_text(
    '<macro name="a"><text macro="b"/></macro>'
    '<macro name="b"><group><text variable="title"/><text macro="a"/></group></macro>'
)
SELF = style_text('<macro name="a"><group><text variable="title"/><text macro="a"/></group></macro>')
MISSING = style_text('<macro name="a"><group><text variable="title"/><text macro="nope"/></group></macro>')
LONG_CYCLE = style_text(
    '<macro name="a"><text macro="b"/></macro><macro name="b"><text macro="c"/></macro>'
    '<macro name="c"><text variable="title"/><text macro="b"/></macro>'
)
# a cycle no layout reaches is a broken style too
UNREACHED = style_text(
    '<macro name="a"><text variable="title"/></macro><macro name="x"><text macro="x"/></macro>', '<text macro="a"/>'
)

MACRO_STYLES = [
    pytest.param(RECURSIVE, "macro 'a' calls itself through 'b'", id="recursive_macro"),
    pytest.param(SELF, "macro 'a' calls itself", id="self_calling_macro"),
    pytest.param(LONG_CYCLE, "macro 'b' calls itself through 'c'", id="cycle_below_the_layout"),
    pytest.param(UNREACHED, "macro 'x' calls itself", id="cycle_no_layout_reaches"),
    pytest.param(MISSING, "calls macro 'nope', which the style does not define", id="missing_macro"),
]


def hostile_file(kind: str, tmp_path):
    """A path to a hostile style of ``kind``; a big file is sparse, so the test writes next to nothing."""
    path = tmp_path / f"{kind}.csl"
    if kind == "huge":  # 200 MB: a valid head, a hole, a valid tail
        head = style_text("").split("<citation>")[0].encode()
        with path.open("wb") as handle:
            handle.write(head + b"<!--")
            handle.seek(200 * 2**20)
            handle.write(b"-->" + style_text("").split("</info>")[1].encode())
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        return "/dev/zero"
    elif kind == "folder":
        path.mkdir()
    return str(path)


FILES = [
    pytest.param("huge", "200 MiB, over the 4 MiB limit", id="200_MB_style"),
    pytest.param("zero", "/dev/zero: not a regular file", id="dev_zero"),
    pytest.param("fifo", "fifo.csl: not a regular file", id="fifo"),
    pytest.param("folder", "folder.csl: Is a directory", id="folder"),
]


def run_bounded(*args: str, seconds: float = 60) -> subprocess.CompletedProcess:
    """The console script, which must answer well within ``seconds`` (these runs take 0.3 s).

    Should it regress, nothing it started outlives the test: it runs in a session of its own,
    killed whole at the deadline, and pandoc's heap is capped from the environment too.
    """
    process = subprocess.Popen(
        [str(CLI), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "GHCRTS": "-M2g"},
    )
    try:
        out, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"no answer in {seconds} s")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("text", "message"), MACRO_STYLES)
def test_macro_cycles_and_missing_macros_stop_before_any_engine(tmp_path, engine, text, message):
    style = tmp_path / "hostile.csl"
    style.write_text(text, encoding="utf-8")
    out = tmp_path / "refs.md"
    done = run_bounded("--style", str(style), "--engine", engine, "-o", str(out), "--catalogue", str(CATALOGUE))
    assert done.returncode == 1, done.stderr
    assert f"syndata-export: error: {style}: {message}" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == "" and not out.exists()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("kind", "message"), FILES)
def test_style_files_that_are_huge_or_not_files_are_refused_unread(tmp_path, engine, kind, message):
    style = hostile_file(kind, tmp_path)
    try:
        done = run_bounded("--style", style, "--engine", engine, "--catalogue", str(CATALOGUE))
    finally:
        if kind == "huge":
            os.unlink(style)  # no 200 MB file left in the temporary folder
    assert done.returncode == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.parametrize(("text", "message"), MACRO_STYLES)
def test_resolving_reports_the_macro(tmp_path, text, message):
    style = tmp_path / "hostile.csl"
    style.write_text(text, encoding="utf-8")
    with pytest.raises(StyleError, match=message):
        styles.resolve(str(style))


def test_every_independent_style_of_the_repository_and_ours_passes_the_macro_check():
    """The check refuses only broken styles: none of the CSL repository's 2,800 independent styles."""
    files = sorted(styles._repository_dirs()[0].glob("*.csl")) + sorted(styles._house_dir().glob("*.csl"))
    assert len(files) > 2000
    assert [
        (f.name, styles.macro_problem(ET.parse(f).getroot()))
        for f in files
        if styles.macro_problem(ET.parse(f).getroot())[0]
    ] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(RECURSIVE, "macro 'a' calls itself through 'b'", id="RecursionError"),
        pytest.param(MISSING, "calls macro 'nope', which the style does not define", id="IndexError"),
    ],
)
def test_citeproc_py_failures_on_a_style_become_clear_errors(tmp_path, text, message):
    """Past ``styles.resolve`` (a library caller with a path): still our error, not citeproc-py's."""
    style = tmp_path / "hostile.csl"
    style.write_text(text, encoding="utf-8")
    with pytest.raises(StyleError, match=message):
        citeproc.bibliography(items(), style)


def test_pandoc_stops_at_its_memory_ceiling(tmp_path, monkeypatch):
    """A style that makes pandoc grow (here a recursive macro, handed past the check) ends at the ceiling."""
    style = tmp_path / "hostile.csl"
    style.write_text(RECURSIVE, encoding="utf-8")
    monkeypatch.setattr(pandoc, "memory_limit", lambda n: 128)
    with pytest.raises(SyndataError, match="pandoc ran out of memory .* its ceiling of 128 MiB"):
        pandoc.bibliography(items(), style)


def test_pandoc_stops_at_its_time_limit(tmp_path, monkeypatch):
    """A pandoc that never ends is killed at the time limit: an error, and no process left."""
    script = tmp_path / "pandoc"
    script.write_text(f'#!/bin/sh\necho $$ > "{tmp_path}/pid"\nexec sleep 300\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PYPANDOC_PANDOC", str(script))
    pandoc.executable.cache_clear()
    monkeypatch.setattr(pandoc, "time_limit", lambda n: 1.0)
    try:
        with pytest.raises(SyndataError, match="pandoc took more than 1 s"):
            pandoc.bibliography(items(), styles.resolve("apa").path)
    finally:
        pandoc.executable.cache_clear()
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_limits_grow_with_the_list():
    """Legitimate long lists keep room: pandoc's citeproc grows about quadratically in time on APA."""
    assert pandoc.memory_limit(14) >= 1024 and pandoc.memory_limit(10_000) >= 3 * 1024
    assert pandoc.time_limit(14) >= 60 and pandoc.time_limit(10_000) >= 3600


def test_a_chain_of_macros_too_deep_for_citeproc_py_is_a_clear_error(tmp_path):
    """1,000 macros, each calling the next: no cycle, so the style is valid and pandoc renders it;
    citeproc-py recurses past Python's limit, which is now an error that names the way out."""
    chain = "".join(f'<macro name="m{n}"><text macro="m{n + 1}"/></macro>' for n in range(1000))
    style = tmp_path / "chain.csl"
    style.write_text(style_text(chain + '<macro name="m1000"><text variable="title"/></macro>', '<text macro="m0"/>'))
    done = run_bounded("--style", str(style), "--engine", "citeproc-py", "--catalogue", str(CATALOGUE))
    assert done.returncode == 1
    assert done.stderr == (
        f"syndata-export: error: citeproc-py cannot format with {style}: it nests too deep (try --engine pandoc)\n"
    )
    assert run_bounded("--style", str(style), "--catalogue", str(CATALOGUE)).returncode == 0
