"""``syndata-export bibtex`` through the installed console script: data on stdout, exit codes, -o."""

from __future__ import annotations

import pytest

from tests.conftest import REPO, run_cli
from tests.golden import GOLDENS

CATALOGUE = REPO / "catalogue.yaml"


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        pytest.param([], "bibtex-published-utf8.bib", id="default"),
        pytest.param(["--biblatex"], "biblatex-published-utf8.bib", id="biblatex"),
        pytest.param(["--ascii", "--prefer", "preprint"], "bibtex-preprint-ascii.bib", id="ascii-preprint"),
        pytest.param(["--biblatex", "--ascii", "--prefer", "preprint"], "biblatex-preprint-ascii.bib", id="all-flags"),
    ],
)
def test_stdout_is_the_bib_and_nothing_else(args, golden):
    result = run_cli("bibtex", *args, "--catalogue", str(CATALOGUE))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (GOLDENS / "bibtex" / golden).read_text(encoding="utf-8")
    assert result.stdout == run_cli("bibtex", *args, "--catalogue", str(CATALOGUE)).stdout, "byte-identical rerun"


def test_section_filter():
    result = run_cli("bibtex", "--section", "Survey Papers", "--catalogue", str(CATALOGUE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n@") == 1 and "@inproceedings{tan2024large," in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--section", "Nope"], "unknown section 'Nope'", id="unknown-section"),
        pytest.param(["--prefer", "newest"], "invalid choice: 'newest'", id="bad-prefer"),
        pytest.param(["--dialect", "x"], "unrecognized arguments", id="unknown-option"),
    ],
)
def test_usage_errors_exit_2_without_output(args, message):
    result = run_cli("bibtex", *args, "--catalogue", str(CATALOGUE))
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_output_file_written_whole(tmp_path):
    target = tmp_path / "syndata.bib"
    result = run_cli("bibtex", "--biblatex", "-o", str(target), "--catalogue", str(CATALOGUE))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == (GOLDENS / "bibtex" / "biblatex-published-utf8.bib").read_text(
        encoding="utf-8"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["syndata.bib"], "no temporary file left behind"


@pytest.mark.parametrize(
    ("edit", "args", "message"),
    [
        pytest.param(("title: Synthetic continued pretraining", "title: 合成 continued pretraining"), ["--ascii"],
                     "yang2024synthetic: No known latex representation for character: U+5408", id="ascii-unencodable"),
        pytest.param(("section: Survey Papers", "section: Nowhere"), [], "unknown section", id="invalid-catalogue"),
    ],
)  # fmt: skip
def test_failure_leaves_the_existing_file_alone(tmp_path, edit, args, message):
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(CATALOGUE.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    target = tmp_path / "syndata.bib"
    target.write_text("% the old file\n", encoding="utf-8")
    result = run_cli("bibtex", *args, "-o", str(target), "--catalogue", str(catalogue))
    assert result.returncode == 1
    assert result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "% the old file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.yaml", "syndata.bib"]


def test_unwritable_output_is_an_error_not_a_traceback(tmp_path):
    result = run_cli("bibtex", "-o", str(tmp_path / "missing" / "syndata.bib"), "--catalogue", str(CATALOGUE))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_help_names_every_option():
    result = run_cli("bibtex", "--help")
    assert result.returncode == 0
    for option in ("--biblatex", "--ascii", "--prefer", "--section", "-o", "--catalogue"):
        assert option in result.stdout
    assert "bibtex" in run_cli("--help").stdout
