"""``check`` (and every command that validates first): its one-line summary, and a bounded report."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli

PAPER = """\
  - key: paper{n}
    section: Only
    type: article
    title: Paper {n}
    authors: ["Tan, Zhen"]
    date: 2024
    arxiv: "2402.{n:05d}"
"""


def catalogue(papers: int, extra: str = "") -> str:
    return "sections: [Only]\npapers:\n" + "".join(PAPER.format(n=n) + extra for n in range(1, papers + 1))


def test_one_paper_in_one_section_is_said_in_the_singular(tmp_path):
    (tmp_path / "cat.yaml").write_text(catalogue(1))
    result = run_cli("check", "--catalogue", "cat.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "cat.yaml: 1 paper in 1 section, no problems\n")


@pytest.mark.parametrize("command", ["check", "csl-json"])
def test_at_most_100_problems_are_printed_then_a_count(tmp_path, command):
    (tmp_path / "cat.yaml").write_text(catalogue(250, "    venue: x\n"))
    result = run_cli(command, "--catalogue", "cat.yaml", cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and result.stdout == ""
    assert len(lines) == 102, lines[-3:]
    assert lines[0].startswith("cat.yaml:10:5: paper1: unknown field 'venue' in a paper")
    assert lines[99].startswith("cat.yaml:802:5: paper100: unknown field 'venue'")
    assert lines[100:] == ["… and 150 more problems", "syndata-export: 250 problems in the catalogue; nothing written"]
