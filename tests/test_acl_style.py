"""The house ACL style (styles/acl.csl): valid CSL 1.0.2, and prints what acl_natbib.bst prints.

Self-contained: renders ../shared/reference/acl-reference.json with pandoc (through pypandoc) and
compares each entry with acl-reference.txt (the real .bbl, LaTeX removed, \\emph{} as *…*).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED, need_shared

STYLE = REPO / "styles" / "acl.csl"
REFERENCE_TXT = SHARED / "reference" / "acl-reference.txt"
MISSING = "reference-missing"


def read_expected(path: Path) -> dict[str, str]:
    """Key -> entry text, in the .bbl's order (paragraphs: key line, then the entry)."""
    entries: dict[str, str] = {}
    for para in path.read_text(encoding="utf-8").strip().split("\n\n"):
        key, text = para.strip().split("\n", 1)
        entries[key.strip()] = " ".join(text.split())
    return entries


def expected_keys() -> list[str]:
    # Collected before any test runs; when the reference is absent one placeholder test
    # reports it (skip outside CI, fail under CI) through need_shared.
    if not REFERENCE_TXT.exists():
        return [MISSING]
    return list(read_expected(REFERENCE_TXT))


def render_with_pandoc(bibliography: Path, style: Path) -> dict[str, str]:
    """Key -> rendered entry as text with emphasis as *…*, in pandoc's bibliography order."""
    import pypandoc

    args = ["--citeproc", "--wrap=none", f"--bibliography={bibliography}", f"--csl={style}"]
    out = pypandoc.convert_text("---\nnocite: '@*'\n---\n", "html", format="markdown", extra_args=args)
    entries: dict[str, str] = {}
    for m in re.finditer(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>', out, re.S):
        body = m.group(2).replace("<em>", "*").replace("</em>", "*")
        body = html.unescape(re.sub(r"<[^>]+>", "", body))
        entries[m.group(1)] = " ".join(body.split())
    return entries


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    return read_expected(need_shared("reference", "acl-reference.txt"))


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return render_with_pandoc(need_shared("reference", "acl-reference.json"), STYLE)


def test_style_validates_against_csl_1_0_2_schema():
    schema = need_shared("schemas", "csl-style", "csl.rnc")
    jing = shutil.which("jing")
    if jing is None:
        if os.environ.get("CI"):
            pytest.fail("jing is not on PATH under CI")
        pytest.skip("jing is not on PATH (outside CI)")
    proc = subprocess.run([jing, "-c", str(schema), str(STYLE)], capture_output=True, text=True, check=False)
    errors = [
        line for line in (proc.stdout + proc.stderr).splitlines() if line.strip() and not line.startswith("[warning]")
    ]
    assert proc.returncode == 0 and not errors, "\n".join(errors)


@pytest.mark.parametrize("key", expected_keys())
def test_entry_matches_acl_natbib(key: str, expected: dict[str, str], rendered: dict[str, str]):
    if key == MISSING:  # pragma: no cover - need_shared has already skipped or failed
        pytest.fail("reference text missing")
    assert key in rendered, f"{key} is not in pandoc's bibliography"
    assert rendered[key] == expected[key]


def test_entries_in_acl_natbib_order(expected: dict[str, str], rendered: dict[str, str]):
    # Sorted as the bst: authors name by name, then year, then title; this order also fixes
    # which entry gets 2024a and which 2024b.
    assert list(rendered) == list(expected)
