"""--allow incomplete-authors: an imported "et al." list is exported, with the authors known, then
"et al." in every output and a warning per paper; without it, nothing is written."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

# what `import` writes for README entries cut with "et al." (authors_incomplete), beside a whole one
IMPORTED = """\
title: Imported
description: A list imported from a README.
sections: [Research Papers]
papers:
  - key: chen2024first
    section: Research Papers
    type: article
    title: A first paper on synthetic data
    authors:
      - Chen, Wei
      - Li, Ming
    authors_incomplete: true
    date: 2024-03-01
    arxiv: "2403.00001"
  - key: smith2023whole
    section: Research Papers
    type: article-journal
    title: A paper with every author
    authors:
      - Smith, Ann
    date: 2023
    container: Journal of Data
    doi: 10.1234/whole
  - key: zhao2022alone
    section: Research Papers
    type: article
    title: A paper known by one author
    authors:
      - Zhao, Yu
    authors_incomplete: true
    date: 2022-05-02
    arxiv: "2205.00002"
"""
WARNINGS = [
    "syndata-export: warning: cat.yaml:12:25: chen2024first: the author list is incomplete; "
    'exported with the authors known, then "et al."',
    "syndata-export: warning: cat.yaml:30:25: zhao2022alone: the author list is incomplete; "
    'exported with the authors known, then "et al."',
]
COMMANDS = [["render"], ["render", "--engine", "citeproc-py"], ["csl-json"], ["bibtex"], ["bibtex", "--biblatex"]]


@pytest.fixture
def imported(tmp_path):
    (tmp_path / "cat.yaml").write_text(IMPORTED, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_by_default_an_incomplete_list_writes_nothing(imported, command):
    (imported / "out").write_text("keep me", encoding="utf-8")
    result = run_cli(*command, "--catalogue", "cat.yaml", "-o", "out", cwd=imported)
    assert result.returncode == 1 and "2 problems in the catalogue; nothing written" in result.stderr
    assert (imported / "out").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_allowed_it_is_written_with_a_warning_per_paper(imported, command):
    result = run_cli(*command, "--catalogue", "cat.yaml", "--allow", "incomplete-authors", cwd=imported)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == WARNINGS
    assert "smith2023whole" in result.stdout or "Smith, A." in result.stdout


@pytest.mark.parametrize("engine", ["pandoc", "citeproc-py"])
@pytest.mark.parametrize(
    ("style", "first", "alone"),
    [
        pytest.param("apa", "Chen, W., Li, M., et al. (2024).", "Zhao, Y. et al. (2022).", id="apa"),
        # as acl_natbib.bst prints BibTeX's "and others": "A, B, et al." and "A et al."
        pytest.param("acl", "Wei Chen, Ming Li, et al. 2024.", "Yu Zhao et al. 2022.", id="acl"),
    ],
)
def test_render_prints_the_authors_known_then_et_al(imported, engine, style, first, alone):
    result = run_cli(
        "--style", style, "--engine", engine, "--format", "text", "--catalogue", "cat.yaml",
        "--allow", "incomplete-authors", cwd=imported,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(first) for line in lines), result.stdout
    assert any(line.startswith(alone) for line in lines), result.stdout


def test_csl_json_ends_the_list_in_others_and_keeps_the_flag(imported):
    result = run_cli("csl-json", "--catalogue", "cat.yaml", "--allow", "incomplete-authors", cwd=imported)
    items = {item["id"]: item for item in json.loads(result.stdout)}
    assert items["chen2024first"]["author"] == [
        {"family": "Chen", "given": "Wei"},
        {"family": "Li", "given": "Ming"},
        {"literal": "others"},
    ]
    assert items["chen2024first"]["custom"]["authors_incomplete"] is True
    assert items["smith2023whole"]["author"] == [{"family": "Smith", "given": "Ann"}]


@pytest.mark.parametrize("dialect", [[], ["--biblatex"]])
def test_bibtex_ends_the_list_in_and_others(imported, dialect):
    result = run_cli("bibtex", *dialect, "--catalogue", "cat.yaml", "--allow", "incomplete-authors", cwd=imported)
    assert "  author = {Chen, Wei and Li, Ming and others}," in result.stdout
    assert "  author = {Zhao, Yu and others}," in result.stdout
    assert "  author = {Smith, Ann}," in result.stdout


def test_an_unknown_allowance_is_a_usage_error(imported):
    result = run_cli("--catalogue", "cat.yaml", "--allow", "everything", cwd=imported)
    assert result.returncode == 2 and "choose from 'incomplete-authors'" in result.stderr


def test_check_still_reports_the_lists(imported):
    result = run_cli("check", "--catalogue", "cat.yaml", cwd=imported)
    assert result.returncode == 1 and result.stderr.count("the author list is marked incomplete") == 2


def test_the_warnings_concern_only_the_sections_exported(imported):
    text = IMPORTED.replace("sections: [Research Papers]", "sections: [Research Papers, Surveys]")
    text = text.replace(
        "    section: Research Papers\n    type: article\n    title: A paper known",
        "    section: Surveys\n    type: article\n    title: A paper known",
    )
    (imported / "cat.yaml").write_text(text, encoding="utf-8")
    result = run_cli(
        "--section", "Research Papers", "--catalogue", "cat.yaml", "--allow", "incomplete-authors", cwd=imported
    )
    assert result.returncode == 0 and result.stderr.splitlines() == WARNINGS[:1], result.stderr


def test_each_allowance_names_a_real_validation_code():
    from syndata_export import validate
    from syndata_export.cli import _common

    assert _common.ALLOW == {"incomplete-authors": validate.AUTHORS_INCOMPLETE}
