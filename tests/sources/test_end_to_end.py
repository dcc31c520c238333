"""add, complete and published through the real clients and HTTP stack, against the fake services
on 127.0.0.1 (each API's own format, the 14 papers' facts, decoys), the catalogue checked after."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from syndata_export import cli, transport
from syndata_export.sources import http
from tests.conftest import REPO

SHIPPED = yaml.safe_load((REPO / "catalogue.yaml").read_text(encoding="utf-8"))["papers"]
SEED_README = REPO / "tests" / "awesome" / "papers-readme.md"


@pytest.fixture(autouse=True)
def unpaced(monkeypatch):
    """The fakes keep no public service's rules: no pause between requests (pacing is tested in test_http)."""
    for name, rule in list(http.SOURCES.items()):
        monkeypatch.setitem(http.SOURCES, name, type(rule)(rule.url, 0.0, rule.why))


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_adding_the_14_seed_papers_from_arxiv_reproduces_the_shipped_records(tmp_path, capsys, fake_sources):
    path = tmp_path / "catalogue.yaml"
    ids = [str(p["arxiv"]) for p in SHIPPED]
    for section in dict.fromkeys(p["section"] for p in SHIPPED):
        mine = [str(p["arxiv"]) for p in SHIPPED if p["section"] == section]
        code, out, err = run(capsys, "add", *mine, "--section", section, "--catalogue", str(path))
        assert (code, out) == (0, ""), err
    assert len(fake_sources.requests("arxiv")) == 3, "one arXiv query per command, all its ids in it"
    made = {p["key"]: p for p in yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]}
    assert sorted(str(p["arxiv"]) for p in made.values()) == sorted(ids)
    for shipped in SHIPPED:
        record = next(p for p in made.values() if str(p["arxiv"]) == str(shipped["arxiv"]))
        for name in ("authors", "title", "date", "doi", "url", "section"):
            assert record[name] == shipped[name], (shipped["key"], name)
        if "arxiv_class" in shipped:
            assert record["arxiv_class"] == shipped["arxiv_class"]
    assert run(capsys, "check", "--catalogue", str(path))[2].endswith("14 papers in 3 sections, no problems\n")


def test_published_recovers_every_published_version_and_never_the_decoys(tmp_path, capsys, fake_sources):
    text = (REPO / "catalogue.yaml").read_text(encoding="utf-8")
    path = tmp_path / "catalogue.yaml"
    path.write_text(re.sub(r"    published:\n(?:      .*\n)+", "", text), encoding="utf-8")
    code, out, err = run(capsys, "published", "--catalogue", str(path))
    assert code == 0, err
    assert out.startswith("--- ") and "+    published:\n" in out, "a diff of the catalogue"
    assert "AgentInstruct: Towards" not in out and "Short Survey" not in out, "no decoy proposed"
    code, _, err = run(capsys, "published", "--apply", "--catalogue", str(path))
    assert code == 0, err
    got = {p["key"]: p for p in yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]}
    for shipped in SHIPPED:
        want = shipped.get("published")
        if not want:
            assert "published" not in got[shipped["key"]], shipped["key"]
            continue
        have = got[shipped["key"]].get("published") or {}
        for name in ("type", "doi", "acl_anthology", "openreview", "container", "pages"):
            if name in want:
                assert str(have.get(name)) == str(want[name]), (shipped["key"], name, have)
    assert run(capsys, "check", "--catalogue", str(path))[0] == 0


def test_an_imported_readme_completed_passes_check_and_renders(tmp_path, capsys, fake_sources):
    path = tmp_path / "catalogue.yaml"
    code, _, err = run(capsys, "import", str(SEED_README), "--catalogue", str(path))
    assert "authors_incomplete" in path.read_text(encoding="utf-8")
    assert run(capsys, "check", "--catalogue", str(path))[0] == 1, "et al. lists are incomplete"
    code, _, err = run(capsys, "complete", "--catalogue", str(path))
    assert code == 0, err
    code, _, err = run(capsys, "check", "--catalogue", str(path))
    assert code == 0, err
    code, out, err = run(capsys, "--style", "apa", "--format", "text", "--catalogue", str(path))
    assert code == 0 and "Tan, Z." in out and "Seddik, M." in out, err
    assert "authors_incomplete" not in path.read_text(encoding="utf-8"), "every et al. list made whole"


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("500", "arxiv: "),
        ("malformed", "arxiv: "),
        ("drop", "arxiv: "),
    ],
)
def test_a_source_failing_is_exit_1_naming_it_and_the_catalogue_untouched(
    tmp_path, capsys, fake_sources, fault, says, monkeypatch
):
    monkeypatch.setattr(transport, "DEFAULT_WAIT", 0.01)  # the back-off between retries, shortened
    path = tmp_path / "catalogue.yaml"
    shutil.copy(REPO / "catalogue.yaml", path)
    before = path.read_bytes()
    fake_sources.fail(fault, "arxiv", times=20)
    code, out, err = run(capsys, "add", "2501.00002", "--section", "Research Papers", "--catalogue", str(path))
    assert code == 1 and says in err and "Traceback" not in err, err
    assert path.read_bytes() == before


def test_network_down_is_exit_1_naming_the_source(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(transport, "DEFAULT_WAIT", 0.01)
    monkeypatch.setenv("SYNDATA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SYNDATA_ARXIV_URL", "http://127.0.0.1:9")  # nothing listens there
    code, out, err = run(capsys, "add", "2406.18966", "--section", "S", "--catalogue", str(tmp_path / "c.yaml"))
    assert code == 1 and "arxiv: cannot reach http://127.0.0.1:9/query" in err and out == "", err
    assert not (tmp_path / "c.yaml").exists()


def test_offline_answers_from_the_cache_only(tmp_path, capsys, fake_sources):
    path = tmp_path / "catalogue.yaml"
    assert run(capsys, "add", "2406.18966", "--section", "S", "--catalogue", str(path), "--dry-run")[0] == 0
    asked = len(fake_sources.requests())
    code, out, _ = run(capsys, "add", "2406.18966", "--section", "S", "--catalogue", str(path), "--offline")
    assert code == 0 and len(fake_sources.requests()) == asked, "the cache answered"
    code, _, err = run(capsys, "add", "2409.08239", "--section", "S", "--catalogue", str(path), "--offline")
    assert code == 1 and "not in the cache (--offline)" in err


def test_a_published_paper_added_by_its_own_identifier_is_that_version_without_a_second_copy(
    tmp_path, capsys, fake_sources
):
    path = tmp_path / "catalogue.yaml"
    ids = ["2025.findings-acl.906", "https://doi.org/10.18653/v1/2024.acl-long.12"]
    code, _, err = run(capsys, "add", *ids, "--section", "S", "--catalogue", str(path))
    assert code == 0, err
    made = yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]
    assert [p["type"] for p in made] == ["paper-conference", "paper-conference"]
    assert [p.get("published") for p in made] == [None, None], "the record is the version; no published block"
    assert made[0]["acl_anthology"] == "2025.findings-acl.906" and made[1]["pages"] == "177-198"


def test_a_byte_order_mark_and_every_old_byte_stay(tmp_path, capsys, fake_sources):
    path = tmp_path / "catalogue.yaml"
    text = (REPO / "catalogue.yaml").read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + re.sub(r"    published:\n(?:      .*\n)+", "", text, count=1).encode())
    before = path.read_bytes()
    code, _, err = run(capsys, "published", "--apply", "--catalogue", str(path))
    assert code == 0, err
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and len(after) > len(before)
    kept = [line for line in before.splitlines() if line in set(after.splitlines())]
    assert kept == before.splitlines(), "every old line is still there"
