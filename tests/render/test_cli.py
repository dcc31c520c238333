"""The render and styles commands through the installed console script: the goldens, exit codes, -o, warnings."""

from __future__ import annotations

import pytest

from syndata_export import cli
from syndata_export.render import long
from syndata_export.render.long import cut
from tests.conftest import run_cli
from tests.golden import check_golden
from tests.render.support import CATALOGUE, ENGINES, EXTENSIONS, FORMATS, STYLES

CAT = ("--catalogue", str(CATALOGUE))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("style", STYLES)
def test_the_catalogue_matches_its_golden(style, engine, fmt):
    """The whole way: options, catalogue, CSL-JSON, one engine pass, grouping, the writer, stdout."""
    result = run_cli("--style", style, "--engine", engine, "--format", fmt, "--standalone", *CAT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check_golden(f"render/catalogue-{style}-{engine}.{EXTENSIONS[fmt]}", result.stdout)


def test_default_command_with_acl_is_the_grouped_bibliography():
    result = run_cli("--style", "acl", *CAT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    standalone = run_cli("--style", "acl", "--standalone", *CAT).stdout
    assert standalone == "# SynData-Papers\n\n" + result.stdout, "standalone adds only the list's title"
    assert result.stdout.count("\n- ") + result.stdout.startswith("- ") == 14


def test_defaults_are_apa_pandoc_markdown_and_the_installed_catalogue(tmp_path):
    result = run_cli(cwd=tmp_path)  # no ./catalogue.yaml there: the installed copy
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout == run_cli("render", "--style", "apa", "--engine", "pandoc", "--format", "markdown", *CAT).stdout
    )
    assert "(arXiv:2409.08239). arXiv. <https://doi.org/10.48550/arXiv.2409.08239>" in result.stdout


def test_output_file_and_section_filter(tmp_path):
    out = tmp_path / "refs.md"
    result = run_cli("--style", "apa", "--section", "Analysis Papers", "Survey Papers", "-o", str(out), *CAT)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    text = out.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("## ")] == ["## Survey Papers", "## Analysis Papers"]
    assert text.count("\n- ") + text.startswith("- ") == 6


def test_preprint_versions():
    result = run_cli("--style", "acl", "--prefer", "preprint", "--format", "text", *CAT)
    assert result.returncode == 0, result.stderr
    assert "Preprint, arXiv:2402.13446." in result.stdout


BAD = [
    pytest.param(("--style", "apaa"), 2, "unknown style 'apaa' (did you mean: apa", id="unknown_style"),
    pytest.param(("--style", "missing.csl"), 2, "style file missing.csl does not exist", id="missing_csl"),
    pytest.param(("--engine", "citeproc"), 2, "choose from 'pandoc', 'citeproc-py'", id="unknown_engine"),
    pytest.param(("--format", "pdf"), 2, "choose from 'markdown', 'html', 'text'", id="unknown_format"),
    pytest.param(("--section", "Nope"), 2, "sections are: Survey Papers, Research", id="section"),
    pytest.param(("--style", "{bad}"), 1, "not a well-formed CSL style", id="invalid_csl"),
    pytest.param(("--style", "{nobib}"), 1, "has no <bibliography>", id="csl_without_bibliography"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD)
def test_bad_input_exits_with_a_message_and_writes_nothing(tmp_path, args, code, message):
    (tmp_path / "bad.csl").write_text("<style", encoding="utf-8")
    (tmp_path / "nobib.csl").write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl"><info/><citation/></style>', encoding="utf-8"
    )
    args = tuple(a.format(bad=tmp_path / "bad.csl", nobib=tmp_path / "nobib.csl") for a in args)
    out = tmp_path / "refs.md"
    result = run_cli(*args, "-o", str(out), *CAT, cwd=tmp_path)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".refs")] == [], "no temporary file left"


def test_existing_output_is_left_alone_on_error(tmp_path):
    out = tmp_path / "refs.md"
    out.write_text("previous\n", encoding="utf-8")
    result = run_cli("--style", "apaa", "-o", str(out), *CAT)
    assert result.returncode == 2 and out.read_text(encoding="utf-8") == "previous\n"


def test_citeproc_py_warns_on_stderr_where_the_style_asks_too_much(tmp_path):
    style = tmp_path / "sub.csl"
    style.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>S</title></info>'
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography subsequent-author-substitute="---"><layout><names variable="author"/>'
        '<text variable="title" prefix=". "/></layout></bibliography></style>',
        encoding="utf-8",
    )
    result = run_cli("--style", str(style), "--engine", "citeproc-py", "--format", "text", *CAT)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("warning:") == 1
    assert "citeproc-py ignores subsequent-author-substitute" in result.stderr
    assert "warning" not in result.stdout
    assert run_cli("--style", str(style), "--format", "text", *CAT).stderr == "", "pandoc does it"


def test_the_long_path_falling_back_is_said_on_stderr(monkeypatch, capsys):
    """Parts that disagree with the whole list's order: one pass instead, the same output, and a warning."""
    monkeypatch.setattr("syndata_export.render.LONG_LIST", 10)  # the 14 papers take the long path
    monkeypatch.setattr(long, "PART_SIZE_HEAVY", 5)  # in several parts (APA adds names)
    assert cli.main(["--style", "apa", "--format", "text", *CAT]) == 0
    expected = capsys.readouterr()
    assert expected.err == ""

    def disagree(order, parts):
        raise cut.OrderMismatch("forced")

    monkeypatch.setattr(cut, "merge", disagree)
    assert cli.main(["--style", "apa", "--format", "text", *CAT]) == 0
    fallen = capsys.readouterr()
    assert fallen.out == expected.out
    assert fallen.err == (
        "syndata-export: warning: the parts disagreed with the whole list's order; rendered in one pass\n"
    )


def test_styles_lists_and_searches():
    result = run_cli("styles", "no-such-style-zzq")
    assert result.returncode == 1 and "no style matches" in result.stderr
    result = run_cli("styles", "acl_natbib")
    assert result.returncode == 0
    assert result.stdout.split()[:2] == ["acl", "house"]
    everything = run_cli("styles").stdout.splitlines()
    assert len(everything) > 10_000 and everything[0].startswith("acl ")


def test_help_mentions_every_render_option():
    result = run_cli("render", "--help")
    for option in (
        "--style",
        "--format",
        "--engine",
        "--prefer",
        "--section",
        "--standalone",
        "--output",
        "--catalogue",
    ):
        assert option in result.stdout
