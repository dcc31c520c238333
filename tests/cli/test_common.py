"""cli._common: an export is never written from a bad catalogue, and its problems win over a traceback."""

from __future__ import annotations

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
