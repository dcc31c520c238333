"""render.pandoc: one pass of pandoc's citeproc, the pandoc it runs, and what a short list never pays for."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from syndata_export import styles
from syndata_export.errors import SyndataError
from syndata_export.render import pandoc
from tests.conftest import REPO
from tests.render.support import items


@pytest.fixture
def fake_pandoc(tmp_path, monkeypatch):
    """Install a shell script as the pandoc to run (``$PYPANDOC_PANDOC``); ``body`` runs before the real one."""
    real = pandoc.executable()

    def install(body: str) -> Path:
        script = tmp_path / "pandoc"
        script.write_text(f'#!/bin/sh\n{body}\nexec "{real}" "$@"\n', encoding="utf-8")
        script.chmod(0o755)
        monkeypatch.setenv("PYPANDOC_PANDOC", str(script))
        for cached in (pandoc.executable, pandoc.version):
            cached.cache_clear()
        return script

    yield install
    for cached in (pandoc.executable, pandoc.version):
        cached.cache_clear()


def test_a_short_list_never_loads_the_long_path_or_pypandoc():
    """14 papers: one pandoc pass, with neither the long-list planner nor pypandoc's search imported."""
    code = (
        "import sys\n"
        "from syndata_export import render\n"
        "from tests.render.support import items\n"
        "assert len(render.bibliography(items(), 'apa')) == 14\n"
        "print(sorted(m for m in sys.modules if m.startswith(('syndata_export.render.long', 'pypandoc'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_paths_that_look_like_markdown_emphasis_reach_pandoc_intact(tmp_path, monkeypatch):
    """A temporary file or style named like ``_x1_`` (1 in 1,369 random names) must not lose its underscores.

    Pandoc reads YAML metadata values as Markdown, where ``-_x1_.json`` is emphasis; CI once
    failed on such a temporary name. Paths go to pandoc as options, which it takes literally.
    """
    temp, style_dir = tmp_path / "_t_", tmp_path / "_s_"
    temp.mkdir()
    style_dir.mkdir()
    style = style_dir / "_acl_.csl"
    shutil.copyfile(styles.resolve("acl").path, style)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    found = pandoc.bibliography(items(), style)
    assert sorted(key for key, _ in found) == sorted(item["id"] for item in items())
    assert list(temp.iterdir()) == []  # the temporary CSL-JSON is gone


def test_the_runtime_options_change_memory_not_output():
    """pypandoc-binary's pandoc takes GHC runtime options: the heap ceiling always, COMPACT when asked."""
    path = styles.resolve("apa").path
    assert pandoc.bibliography(items(), path, compact=True) == pandoc.bibliography(items(), path)
    assert pandoc.runtime_options(14, compact=True) == ["+RTS", "-M1027m", "-c", "-RTS"]


def test_a_pandoc_without_runtime_options_still_renders(fake_pandoc, tmp_path):
    """A pandoc linked without -rtsopts refuses to start with +RTS: learned from its first refusal
    (no probe on every run), after which none is passed."""
    fake_pandoc(
        f'for a in "$@"; do [ "$a" = "+RTS" ] && {{ echo refused >> "{tmp_path}/log";'
        ' echo "pandoc: Most RTS options are disabled." >&2; exit 1; }; done'
    )
    path = styles.resolve("acl").path
    assert pandoc.bibliography(items(), path, compact=True) == pandoc.bibliography(items(), path)
    assert pandoc.runtime_options(14) == []
    assert (tmp_path / "log").read_text() == "refused\n", "refused once, then never asked again"


def test_an_old_pandoc_is_named_as_the_cause(fake_pandoc):
    """Pandoc before 2.11 has no --citeproc; its own message would not say that the version is the problem."""
    fake_pandoc(
        '[ "$1" = "--version" ] && { echo "pandoc 2.9.2"; exit 0; }\necho "Unknown option --citeproc." >&2; exit 2'
    )
    with pytest.raises(SyndataError, match=r"pandoc 2\.9\.2 is too old") as caught:
        pandoc.bibliography(items(), styles.resolve("apa").path)
    assert "2.11 or later" in caught.value.hint


def test_a_failing_pandoc_says_what_it_said(fake_pandoc):
    fake_pandoc('[ "$1" = "--version" ] || { echo "pandoc: could not parse the style" >&2; exit 1; }')
    with pytest.raises(SyndataError, match="could not format the bibliography") as caught:
        pandoc.bibliography(items(), styles.resolve("apa").path)
    assert caught.value.hint == "pandoc: could not parse the style"


def test_a_missing_pandoc_is_an_error_that_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PYPANDOC_PANDOC", str(tmp_path / "no-pandoc"))
    pandoc.executable.cache_clear()
    try:
        with pytest.raises(SyndataError, match="pandoc is not available") as caught:
            pandoc.bibliography(items(), styles.resolve("apa").path)
        assert "pypandoc-binary" in caught.value.hint
    finally:
        pandoc.executable.cache_clear()


def test_name_options_of_the_style_element_reach_the_sort():
    """APA sets initialize-with on <style>; pandoc gets it on <citation> and <bibliography> too, once per run."""
    apa = styles.resolve("apa")
    assert apa.root.get("initialize-with") == ". "
    with pandoc.sortable(apa) as sortable:
        assert sortable.path != apa.path and sortable.path.is_file()
        assert sortable.root.find(f"{pandoc.CSL}bibliography").get("initialize-with") == ". "
        assert sortable.root.find(f"{pandoc.CSL}bibliography").get("et-al-min") == "21"  # its own value stays
        assert sortable.root.find(f"{pandoc.CSL}citation").get("names-delimiter") == ", "
    assert not sortable.path.exists()
    acl = styles.resolve("acl")  # no name options on <style>: read as it is
    with pandoc.sortable(acl) as sortable:
        assert sortable is acl
