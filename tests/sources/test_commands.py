"""add, complete and published from the command line, on stand-in sources: what they write, print and exit with."""

from __future__ import annotations

import io
import re
import shutil
import sys

import pytest

from syndata_export import cli
from syndata_export.cli import _sources
from tests.conftest import REPO
from tests.sources import stand_ins
from tests.sources.stand_ins import RECORDS, Sources

SEED_README = REPO / "tests" / "awesome" / "papers-readme.md"
AAAI = "10.1609/aaai.v39i23.34602"


@pytest.fixture
def sources(monkeypatch):
    """The stand-ins the commands ask, swapped in for the live sources and the identifier reader."""
    box = {"sources": Sources()}
    monkeypatch.setattr(_sources, "lookup", lambda args, command: box["sources"])
    monkeypatch.setattr(_sources, "parse_id", stand_ins.parse_id)
    return box


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shipped_without_published(tmp_path):
    """The shipped catalogue with every published: block cut out, by its lines."""
    text = (REPO / "catalogue.yaml").read_text(encoding="utf-8")
    cut = re.sub(r"    published:\n(?:      .*\n)+", "", text)
    path = tmp_path / "catalogue.yaml"
    path.write_text(cut, encoding="utf-8")
    return path, text


# ---------------------------------------------------------------- add


def test_add_into_no_catalogue_makes_one_that_passes_check(tmp_path, capsys, sources, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ids = ["arXiv:2406.18966", "2402.13446v2", "doi:10.48550/arXiv.2410.01720"]
    code, out, err = run(capsys, "add", *ids, "--section", "Research Papers")
    assert (code, out) == (0, "")
    assert "add: arXiv:2406.18966: wu2024unigen (Research Papers)" in err
    assert ("arxiv", "2402.13446,2406.18966,2410.01720") in sources["sources"].asked  # one batch
    assert run(capsys, "check")[2] == "catalogue.yaml: 3 papers in 1 section, no problems\n"
    text = (tmp_path / "catalogue.yaml").read_text()
    assert "  - key: gan2024theoretical\n" in text and "    date: 2024-10-02\n" in text


def test_add_a_paper_already_there_reports_it_and_writes_nothing(tmp_path, capsys, sources):
    path = tmp_path / "c.yaml"
    shutil.copy(REPO / "catalogue.yaml", path)
    before = path.read_bytes()
    code, out, err = run(
        capsys, "add", "doi:10.18653/v1/2024.acl-long.12", "--section", "Analysis Papers", "--catalogue", str(path)
    )
    assert code == 0
    assert "already in the catalogue as dong2023abilities; not added" in err
    assert path.read_bytes() == before


def test_add_dry_run_prints_the_new_record_as_a_diff(tmp_path, capsys, sources):
    path, _ = shipped_without_published(tmp_path)
    records = dict(RECORDS)
    records["new2025paper"] = {**RECORDS["lupidi2024source2synth"], "arxiv": "2501.00001", "title": "Fresh Ideas"}
    sources["sources"] = Sources(records)
    before = path.read_bytes()
    code, out, err = run(
        capsys, "add", "2501.00001", "--section", "Research Papers", "--catalogue", str(path), "--dry-run"
    )
    assert code == 0 and path.read_bytes() == before
    assert out.startswith(f"--- a/{path.as_posix()}\n+++ b/{path.as_posix()}\n")
    assert "+  - key: lupidi2025fresh\n" in out
    assert "add: 1 identifier; nothing written" in err


@pytest.mark.parametrize(
    ("argv", "fail", "code", "message"),
    [
        pytest.param(["add", "hello"], None, 2, "'hello' is no identifier we know", id="unknown_form"),
        pytest.param(
            ["add", "2499.99999"], None, 1, "add: error: arXiv:2499.99999: arxiv: no paper 2499.99999", id="not_found"
        ),
        pytest.param(
            ["add", "doi:10.1/none"],
            None,
            1,
            "add: error: doi:10.1/none: crossref: no paper 10.1/none",
            id="doi_not_found",
        ),
        pytest.param(["add", "2406.18966"], "arxiv", 1, "arXiv:2406.18966: arxiv: cannot connect", id="network_down"),
        pytest.param(
            ["add", "2499.99999", "doi:10.1609/aaai.v39i23.34602"],
            None,
            1,
            "(--partial adds the others)",
            id="some_fail",
        ),
        pytest.param(
            ["add", "2406.18966", "--section", "Reserch Papers"],
            None,
            2,
            "did you mean 'Research Papers'",
            id="section_typo",
        ),
    ],
)
def test_add_failures_leave_the_catalogue_untouched(tmp_path, capsys, sources, argv, fail, code, message):
    path, _ = shipped_without_published(tmp_path)
    sources["sources"] = Sources(
        {k: v for k, v in RECORDS.items() if k != "wu2024unigen"}, stand_ins.down(fail) if fail else None
    )
    before = path.read_bytes()
    if "--section" not in argv:
        argv = [*argv, "--section", "Research Papers"]
    got, out, err = run(capsys, *argv, "--catalogue", str(path))
    assert (got, out) == (code, "")
    assert message in err
    assert path.read_bytes() == before


def test_add_partial_writes_the_good_ones_and_still_fails(tmp_path, capsys, sources):
    path = tmp_path / "catalogue.yaml"
    sources["sources"] = Sources({"jiang": {**RECORDS["jiang2024importance"]}})
    code, _, err = run(
        capsys, "add", "2499.99999", "2408.09849", "--section", "Analysis Papers", "--catalogue", str(path), "--partial"
    )
    assert code == 1
    assert "add: arXiv:2408.09849: jiang2024importance (Analysis Papers)" in err
    assert "wrote" in err and "key: jiang2024importance" in path.read_text()


def test_add_refuses_a_result_that_would_not_pass_check(tmp_path, capsys, sources):
    path, _ = shipped_without_published(tmp_path)
    before = path.read_bytes()
    bad = {
        "x": {**RECORDS["lupidi2024source2synth"], "arxiv": "2501.00001", "title": "New", "arxiv_class": "not a class"}
    }
    sources["sources"] = Sources(bad)
    code, _, err = run(capsys, "add", "2501.00001", "--section", "Research Papers", "--catalogue", str(path))
    assert code == 1
    assert "the result would not pass check; nothing written" in err and "arxiv_class" in err
    assert path.read_bytes() == before


# ---------------------------------------------------------------- complete


def test_an_imported_et_al_list_completed_passes_check(tmp_path, capsys, sources, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "import", str(SEED_README))[0] == 1  # two items of the README are not papers
    assert run(capsys, "check")[0] == 1  # eleven "et al." lists
    imported = (tmp_path / "catalogue.yaml").read_text()
    code, out, err = run(capsys, "complete")
    assert (code, out) == (0, "")
    assert "complete: tan2024large: added arxiv_class, doi; 7 more authors; author list complete (from arxiv)" in err
    assert "complete: dong2025self: found by title on semanticscholar" in err
    assert run(capsys, "check")[2] == "catalogue.yaml: 14 papers in 3 sections, no problems\n"
    completed = (tmp_path / "catalogue.yaml").read_text()
    lost = [line for line in imported.splitlines() if line not in completed.splitlines()]
    assert set(lost) == {"    authors_incomplete: true"}  # every line a person or import wrote stays
    code, out, _ = run(capsys, "csl-json")
    assert code == 0 and out.count('"family"') > 100


def test_complete_dry_run_and_a_source_down(tmp_path, capsys, sources, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run(capsys, "import", str(SEED_README))
    before = (tmp_path / "catalogue.yaml").read_bytes()
    code, out, _ = run(capsys, "complete", "--dry-run")
    assert code == 0 and "+      - Li, Jundong\n" in out
    sources["sources"] = Sources(fail=stand_ins.down("arxiv"))
    code, out, err = run(capsys, "complete")
    assert (code, out) == (1, "")
    assert "syndata-export: error: arxiv: cannot connect (connection refused)" in err
    assert (tmp_path / "catalogue.yaml").read_bytes() == before


# ---------------------------------------------------------------- published


def test_published_proposes_a_diff_and_apply_gives_back_the_shipped_catalogue(tmp_path, capsys, sources):
    path, shipped = shipped_without_published(tmp_path)
    cut = path.read_bytes()
    code, out, err = run(capsys, "published", "--catalogue", str(path))
    assert code == 0 and path.read_bytes() == cut
    assert "+      title: 'DataGen: Unified Synthetic Dataset Generation via Large Language Models'\n" in out
    assert "published: 14 preprints looked up, 12 proposed (--apply writes them); nothing written" in err
    assert run(capsys, "published", "--catalogue", str(path), "--apply")[0] == 0
    assert path.read_text(encoding="utf-8") == shipped  # comments, order and layout: byte for byte


def test_published_never_applies_a_decoy(tmp_path, capsys, sources):
    path, _ = shipped_without_published(tmp_path)
    only = {k: v for k, v in RECORDS.items() if k == "wu2024unigen"}
    sources["sources"] = Sources({}, search=[stand_ins.DECOY])  # no link leads anywhere: title search only
    sources["sources"].s2_by_arxiv = lambda arxiv_id: None
    code, out, err = run(capsys, "published", "--catalogue", str(path), "--apply")
    assert (code, out) == (0, "")
    assert "wu2024unigen: not applied: not the same paper: semanticscholar" in err
    assert "published: 14 preprints looked up, 0 proposed; nothing written" in err
    assert only  # the decoy's title is near-identical to this paper's


def test_published_with_a_source_down_fails_and_writes_nothing(tmp_path, capsys, sources):
    path, _ = shipped_without_published(tmp_path)
    before = path.read_bytes()
    sources["sources"] = Sources(fail=stand_ins.down("semanticscholar"))
    code, out, err = run(capsys, "published", "--catalogue", str(path), "--apply")
    assert (code, out) == (1, "")
    assert "syndata-export: error: semanticscholar: cannot connect" in err
    assert path.read_bytes() == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "log"])
def test_progress_is_a_bar_on_a_terminal_only(tmp_path, capsys, sources, monkeypatch, terminal):
    path, _ = shipped_without_published(tmp_path)
    err = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["published", "--catalogue", str(path)]) == 0
    bars = re.findall(r"\r\x1b\[Kpublished: \[[#-]{30}\] (\d+)/14 ", err.getvalue())
    assert bars == ([str(n) for n in range(1, 15)] if terminal else [])
    assert capsys.readouterr().out.startswith("--- a/")  # stdout stays the diff either way
