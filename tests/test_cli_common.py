"""cli._common: exports are built while a forked child validates, and never written from a bad catalogue."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO, run_cli

CATALOGUE = REPO / "catalogue.yaml"


@pytest.mark.parametrize("command", ["render", "csl-json", "bibtex"])
def test_a_build_that_fails_on_bad_input_reports_the_problems(tmp_path, command):
    """``published: 7`` breaks the CSL mapping before validation is heard: the problem wins, not a traceback."""
    text = CATALOGUE.read_text(encoding="utf-8")
    at = text.index("    published:\n")
    bad = tmp_path / "cat.yaml"
    bad.write_text(text[:at] + "    published: 7\n    ignored:\n" + text[at + 15 :], encoding="utf-8")
    line = text[:at].count("\n") + 1
    out = tmp_path / "out"
    out.write_text("keep me")
    result = run_cli(command, "--catalogue", str(bad), "-o", str(out))
    assert result.returncode == 1, result.stderr
    assert f"{bad}:{line}:16:" in result.stderr and "published: must be a mapping" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert out.read_text() == "keep me"


def _script(body: str) -> subprocess.CompletedProcess:
    """Run ``body`` in a fresh interpreter: no test-server threads, so fork is allowed there."""
    code = "import os\nfrom syndata_export.cli._common import _in_background\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)


def test_background_work_runs_in_another_process_and_returns_its_result():
    done = _script("""
        verdict = _in_background(lambda a, b: [os.getpid(), a + b], 2, 3)
        pid, total = verdict()
        assert verdict() == [pid, total], "asked twice, answered once"
        print(pid != os.getpid(), total)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "5"]


def test_a_child_that_dies_is_replaced_by_the_work_here():
    done = _script("""
        parent = os.getpid()
        def work():
            if os.getpid() != parent:
                os._exit(3)  # as if killed: no answer on the pipe
            return ["here"]
        print(_in_background(work)())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['here']" and done.stderr == ""


def test_work_that_raises_raises_here_once_without_the_child_printing():
    done = _script("""
        def work():
            raise ValueError("bad input")
        try:
            _in_background(work)()
        except ValueError as exc:
            print("raised:", exc)
    """)
    assert done.returncode == 0
    assert done.stdout.strip() == "raised: bad input" and done.stderr == ""


def test_with_threads_running_the_work_runs_here():
    done = _script("""
        import threading
        stop = threading.Event()
        threading.Thread(target=stop.wait).start()
        print(_in_background(lambda: [os.getpid()])() == [os.getpid()])
        stop.set()
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
