"""awesome.import_readme and the `import`/`list` commands: a list into an empty and into the finished
catalogue, round trips list → import, malformed items with their lines, and the command line."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

from syndata_export import awesome, casing, catalogue, csl, identity, validate
from syndata_export.awesome import merge, read, shapes
from syndata_export.errors import CatalogueError, SyndataError
from tests.conftest import REPO, need_shared, run_cli

CATALOGUE = REPO / "catalogue.yaml"
FIXTURE = Path(__file__).parent / "papers-readme.md"
INCOMPLETE = "the author list is marked incomplete"


def import_text(text: str, into: str | None = None) -> awesome.ImportResult:
    return awesome.import_readme(text, into)


# ---------------------------------------------------------------- the fixture list into an empty catalogue


@pytest.fixture(scope="module")
def fixture_imported(tmp_path_factory):
    """The fixture list imported through the installed console script into a new catalogue file."""
    work = tmp_path_factory.mktemp("list")
    shutil.copyfile(FIXTURE, work / "README.md")
    return run_cli("import", "README.md", cwd=work), work / "catalogue.yaml"


def test_into_an_empty_catalogue_14_papers_in_3_sections_and_2_skipped(fixture_imported):
    result, path = fixture_imported
    assert result.returncode == 1, "two items could not be read"
    assert result.stdout == ""
    cat = catalogue.read(path)
    assert len(cat.records) == 14
    assert cat.sections == ["Survey Papers", "Research Papers", "Analysis Papers"]
    assert [sum(r.fields["section"] == s for r in cat.records) for s in cat.sections] == [1, 8, 5]
    assert cat.title == "Synthetic Data Papers" and cat.description.startswith("A reading list on language models")
    assert result.stderr.splitlines()[-1] == (
        "README.md: 16 items, 14 new, 0 already in catalogue.yaml, 0 differences reported, 2 skipped, "
        "11 with 'et al.' author lists (authors_incomplete: true); wrote catalogue.yaml"
    )
    assert "README.md:41:1: no year in this item; item skipped" in result.stderr
    assert "README.md:71:3: broken link '[Paper](https://aclanthology.org/2024.x'" in result.stderr


def test_identifiers_links_and_repaired_pages(fixture_imported):
    records = {r.key: r.fields for r in catalogue.read(fixture_imported[1]).records}
    assert records["zhu2025fanno"]["acl_anthology"] == "2025.findings-acl.906"
    assert records["zhu2025fanno"]["pages"] == "17633–17653" and records["zhu2025fanno"]["place"] == "Vienna, Austria"
    assert (
        records["zhu2025fanno"]["authors"][:2] == ["Zhu, He", "Ding, Yifan"]
        and "authors_incomplete" not in (records["zhu2025fanno"])
    )
    assert records["dong2025self"]["openreview"] == "7visV100Ms"
    assert records["dong2025self"]["container"] == "The Thirteenth International Conference on Learning Representations"
    assert records["jiang2025importance"]["doi"] == "10.1609/aaai.v39i23.34602"
    assert (records["jiang2025importance"]["volume"], records["jiang2025importance"]["issue"]) == ("39", "23")
    assert records["li2025synthetic"]["type"] == "article-journal"
    assert records["lupidi2024source2synth"]["arxiv"] == "2409.08239", "from the pdf link"
    assert records["yang2024synthetic"]["code"] == "https://github.com/ZitongYang/Synthetic_Continued_Pretraining"
    assert records["tan2024large"]["project"] == "https://github.com/zhen-tan-dmml/llm4annotation"
    assert records["seddik2024bad"]["authors"] == ["Seddik, M. E. A.", "Chen, S. W.", "Hayou, S."]
    assert records["mitra2024agentinstruct"]["authors"][1] == "Del Corro, L."


def test_et_al_flags_and_check(fixture_imported):
    cat = catalogue.read(fixture_imported[1])
    flagged = [r.key for r in cat.records if r.fields.get("authors_incomplete")]
    assert len(flagged) == 11
    assert not {"gan2024theoretical", "dong2024abilities", "zhu2025fanno"} & set(flagged)
    problems = validate.validate(cat)
    assert all(INCOMPLETE in p.message for p in problems) and len(problems) == 11, [str(p) for p in problems]


# ---------------------------------------------------------------- into the finished catalogue


def test_into_the_finished_catalogue_adds_and_changes_nothing(tmp_path):
    target = tmp_path / "catalogue.yaml"
    shutil.copyfile(CATALOGUE, target)
    shutil.copyfile(FIXTURE, tmp_path / "README.md")
    result = run_cli("import", "README.md", cwd=tmp_path)
    assert result.returncode == 1, "the two unreadable items"
    assert target.read_bytes() == CATALOGUE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "catalogue.yaml"], "no temporary files left"
    assert "0 new, 14 already in catalogue.yaml, 2 differences reported, 2 skipped; unchanged" in result.stderr
    assert [line for line in result.stderr.splitlines() if "catalogue " in line] == [
        "README.md:14:171: tan2024large: project: README 'https://github.com/zhen-tan-dmml/llm4annotation', catalogue "
        "'https://github.com/Zhen-Tan-dmml/LLM4Annotation' (they differ only in letter case)",
        "README.md:35:3: yang2024synthetic: code: README "
        "'https://github.com/ZitongYang/Synthetic_Continued_Pretraining', catalogue (none) "
        "(the catalogue has this address as project)",
    ]


def test_the_original_list_into_the_finished_catalogue(tmp_path):
    """The real list (../shared): all 14 papers already there, its two disagreements reported."""
    target = tmp_path / "catalogue.yaml"
    shutil.copyfile(CATALOGUE, target)
    result = run_cli("import", str(need_shared("reference", "SynData-Papers-README.md")), "--into", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == CATALOGUE.read_bytes()
    assert "0 new, 14 already in" in result.stderr and "2 differences reported" in result.stderr
    lines = [line.split("README.md:", 1)[1] for line in result.stderr.splitlines() if "catalogue " in line]
    assert lines == [
        "10:45: tan2024large: project: README 'https://github.com/zhen-tan-dmml/llm4annotation', catalogue "
        "'https://github.com/Zhen-Tan-dmml/LLM4Annotation' (they differ only in letter case)",
        "31:3: yang2024synthetic: project: README 'https://github.com/zitongyang/synthetic_continued_pretraining', "
        "catalogue 'https://github.com/ZitongYang/Synthetic_Continued_Pretraining' (they differ only in letter case)",
    ]


def test_the_original_list_in_our_preprint_look_item_for_item():
    """With --prefer preprint every item has the real list's shape, authors and arXiv ID (titles as catalogued)."""
    seed = read.read(need_shared("reference", "SynData-Papers-README.md").read_text(encoding="utf-8")).items
    cat = catalogue.read(CATALOGUE)
    ours = read.read(awesome.write_list(cat, csl.to_csl(cat, "preprint"))).items
    for mine, theirs in zip(ours, seed, strict=True):
        a, b = shapes.parse(mine.text).fields, shapes.parse(theirs.text).fields
        if b["type"] == "article":  # the real list's one ACL-style item cites the published paper
            assert a["authors"] == b["authors"] and a["arxiv"] == b["arxiv"] and a["date"] == b["date"]
            assert identity.title(a["title"]) == identity.title(b["title"])
        assert mine.section == theirs.section


# ---------------------------------------------------------------- round trip list → import


def _view(fields: dict, prefer: str) -> dict:
    published = fields.get("published")
    if prefer == "preprint" or not published:
        return fields
    keep = {k: v for k, v in fields.items() if k not in merge.VERSION_FIELDS}
    return keep | {k: fields[k] for k in ("type", "title", "authors")} | published


@pytest.mark.parametrize("prefer", ["published", "preprint"])
def test_round_trip_list_then_import_reproduces_every_field_the_list_carries(prefer):
    cat = catalogue.read(CATALOGUE)
    result = import_text(awesome.write_list(cat, csl.to_csl(cat, prefer)))
    assert result.problems == [] and len(result.plan.new) == 14
    new = catalogue.parse(result.text)
    assert new.sections == cat.sections and new.title == cat.title and new.description == cat.description
    assert all(INCOMPLETE in p.message for p in validate.validate(new))
    for record, got in zip(cat.records, new.records, strict=True):
        want = _view(record.fields, prefer)
        got = _view(got.fields, prefer)
        assert got["section"] == want["section"] and got["type"] == want["type"]
        assert got["title"] == casing.sentence_case(want["title"], cat.protected_terms)
        assert got["date"] == int(str(want["date"])[:4])
        assert got.get("authors_incomplete", False) is (len(want["authors"]) > 3)
        assert len(got["authors"]) == min(3, len(want["authors"]))
        for mine, theirs in zip(got["authors"], want["authors"], strict=False):
            assert merge._same_name(mine, theirs), (mine, theirs)
        for name in ("container", "volume", "issue", "publisher", "place", "doi", "acl_anthology", "openreview"):
            if not (name == "doi" and want["type"] == "article"):  # a preprint's arXiv DOI is not printed
                assert str(got.get(name)) == str(want.get(name)), (record.key, name)
        assert csl.pages(got.get("pages", "")) == csl.pages(want.get("pages", ""))
        for name in ("arxiv", "code", "project"):
            assert got.get(name) == record.fields.get(name), (record.key, name)


def test_round_trip_into_the_catalogue_itself_is_silent():
    cat = catalogue.read(CATALOGUE)
    for prefer in ("published", "preprint"):
        result = import_text(awesome.write_list(cat, csl.to_csl(cat, prefer)), CATALOGUE.read_text(encoding="utf-8"))
        assert (result.plan.new, result.plan.differences, result.problems, result.text) == ([], [], [], None)
        assert len(result.plan.matched) == 14


def test_imported_catalogue_lists_back_to_the_same_text(tmp_path):
    """list → import → list is a fixed point, "et al." flags included."""
    first = run_cli("list", "--catalogue", str(CATALOGUE), "--toc")
    (tmp_path / "README.md").write_text(first.stdout, encoding="utf-8")
    assert run_cli("import", "README.md", "--catalogue", "new.yaml", cwd=tmp_path).returncode == 0
    again = run_cli("list", "--catalogue", str(tmp_path / "new.yaml"), "--toc")
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


# ---------------------------------------------------------------- malformed items


GOOD_1 = "- Gan Z, Liu Y. Towards a theory[J]. arXiv preprint arXiv:2410.01720, 2024.\n\n  [Paper](https://arxiv.org/abs/2410.01720)\n"
GOOD_2 = "- Zhu H, Su J. FANNO[J]. arXiv preprint arXiv:2408.01323, 2024.\n"
MALFORMED = [
    pytest.param(
        "- Tan Z, Li D. A title[J]. arXiv preprint arXiv:2402.13446.\n", ["README.md:7:1: no year in this item"], 2,
        id="missing_year",
    ),
    pytest.param(
        "- Tan Z, Li D. [J]. arXiv preprint arXiv:2402.13446, 2024.\n",
        ["README.md:7:1: no title before the type mark"], 2, id="no_title",
    ),
    pytest.param(
        "- Ann Lee. 2024. A paper. In Proceedings of X, pages 1–2, Y. Z.\n\n  [Paper](https://aclanthology.org/2024.x\n",
        ["README.md:9:3: broken link '[Paper](https://aclanthology.org/2024.x'",
         "README.md:7:1: no arXiv ID, DOI or Paper link; item skipped"],
        2, id="broken_link_unclosed_and_nothing_else",
    ),
    pytest.param(
        "- Ann Lee. 2024. A paper. In Proceedings of X, pages 1–2, Y. Z.\n\n  [Paper](not a url)\n",
        ["README.md:9:3: broken link '[Paper](not a url)'", "README.md:7:1: no arXiv ID, DOI or Paper link"],
        2, id="broken_link_not_a_url",
    ),
    pytest.param(
        "- Tan Z, Li D. A title[J]. arXiv preprint arXiv:2402.13446, 2024.\n\n  [Paper]() [Code](https://github.com/a/b)\n",
        ["README.md:9:3: broken link [Paper]()"], 3, id="broken_empty_link_but_arxiv_in_text_still_imported",
    ),
    pytest.param(
        "- Tan Z, Li D. A title[J]. arXiv preprint arXiv:2402.13446, 2024.\n\n  [Slides](https://x.org/s.pdf)\n",
        ["README.md:9:3: link 'Slides' is not one I know; ignored"], 3, id="unknown_link_label",
    ),
    pytest.param("- Just some words about data, 2024\n", ["README.md:7:1: not a citation shape I can read"], 2,
                 id="not_a_citation"),
    pytest.param(
        "- Gan Z, Liu Y. Towards a theory[J]. arXiv preprint arXiv:2410.01720, 2024.\n",
        ["README.md:7:1: the same paper as line 5; skipped"], 2, id="listed_twice",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "messages", "imported"), MALFORMED)
def test_malformed_item_is_reported_with_its_line_and_the_rest_imported(bad, messages, imported):
    text = "# L\n\n## S\n\n" + GOOD_1.replace("\n\n  [Paper]", " [Paper]") + "\n" + bad + "\n" + GOOD_2
    result = import_text(text)
    shown = [str(p) for p in result.problems]
    for message in messages:
        assert any(line.startswith(message) for line in shown), (message, shown)
    assert len(result.plan.new) == imported
    assert {"2410.01720", "2408.01323"} <= {f.get("arxiv") for f in result.plan.new}
    assert all(INCOMPLETE in p.message for p in validate.validate(catalogue.parse(result.text)))


def test_item_before_any_section_is_reported():
    result = import_text("# L\n\n" + GOOD_2 + "\n## S\n\n" + GOOD_1)
    assert [str(p) for p in result.problems] == [
        "README.md:3:1: paper before the first section heading; skipped (put it under a `###` heading)"
    ]
    assert len(result.plan.new) == 1 and result.skipped == 1


def test_a_readme_without_items_and_an_invalid_catalogue_are_errors():
    with pytest.raises(SyndataError, match="no list items found"):
        import_text("# Only a title\n")
    with pytest.raises(CatalogueError, match="missing required field 'section'"):
        import_text(GOOD_2, "sections: [S]\npapers:\n  - key: x\n")


# ---------------------------------------------------------------- appended, never rewritten


NEWCOMER = (
    "# L\n\n### Research Papers\n\n"
    "- Dong Q, Li X. Self-taught things[J]. arXiv preprint arXiv:2412.00001, 2024.\n"
    "- Gan Z, Liu Y. Towards a theory[J]. arXiv preprint arXiv:2410.01720, 2024.\n\n"
    "### New Section\n\n- Ng A. Deep stuff[J]. arXiv preprint arXiv:2501.00002, 2025.\n"
)


def test_new_papers_are_appended_and_nothing_else_moves():
    old = CATALOGUE.read_text(encoding="utf-8")
    result = import_text(NEWCOMER, old)
    plan, merged = result.plan, result.text
    assert [f["key"] for f in plan.new] == ["dong2024selfb", "ng2025deep"], "dong2024self is taken"
    assert plan.new_sections == ["New Section"] and plan.matched == [(6, "gan2024theoretical")]
    ops = difflib.SequenceMatcher(None, old.splitlines(), merged.splitlines(), autojunk=False).get_opcodes()
    assert {op for op, *_ in ops} == {"equal", "insert"}, "only insertions: comments, order, quoting preserved"
    assert merged.startswith(
        old.split("papers:")[0].replace("  - Analysis Papers\n", "  - Analysis Papers\n  - New Section\n")
    )
    before, after = catalogue.parse(old), catalogue.parse(merged)
    assert [r.fields for r in after.records[:14]] == [r.fields for r in before.records]
    assert after.records[14].fields["arxiv"] == "2412.00001" and "\n\n  - key: dong2024selfb\n" in merged
    assert validate.validate(after) == []


# ---------------------------------------------------------------- the command line


def test_dry_run_writes_nothing(tmp_path):
    result = run_cli("import", str(FIXTURE), "--dry-run", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert list(tmp_path.iterdir()) == []
    assert "would add tan2024large (Survey Papers)" in result.stderr and "nothing written (--dry-run)" in result.stderr


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(["--catalogue", "mine.yaml"], id="catalogue_after"),
        pytest.param(["--into", "mine.yaml"], id="into_the_older_name"),
    ],
)
def test_the_catalogue_to_add_to(tmp_path, options):
    (tmp_path / "README.md").write_text("# L\n\n## S\n\n" + GOOD_2, encoding="utf-8")
    before = run_cli("--catalogue", "mine.yaml", "import", "README.md", "--dry-run", cwd=tmp_path)
    assert "0 already in mine.yaml" in before.stderr, "a global option before the command"
    result = run_cli("import", "README.md", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "mine.yaml"]


def test_from_a_subfolder_of_a_checkout_it_adds_to_the_checkouts_catalogue(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "notes").mkdir()
    for folder in (tmp_path, tmp_path / "notes"):
        (folder / "README.md").write_text("# L\n\n## S\n\n" + GOOD_2, encoding="utf-8")
    assert run_cli("import", "README.md", cwd=tmp_path).returncode == 0
    assert (
        run_cli("import", "README.md", cwd=tmp_path / "notes")
        .stderr.rstrip()
        .endswith("1 item, 0 new, 1 already in ../catalogue.yaml, 0 differences reported, 0 skipped; unchanged")
    ), "the import in the subfolder finds the checkout's catalogue, one folder up"
    assert not (tmp_path / "notes" / "catalogue.yaml").exists()


def test_malformed_items_exit_1_but_the_rest_is_written_to_catalogue_yaml_here(tmp_path):
    (tmp_path / "README.md").write_text(
        "# L\n\n## S\n\n" + GOOD_1 + "\n- Tan Z. No year[J]. arXiv preprint arXiv:2402.13446.\n\n" + GOOD_2
    )
    result = run_cli("import", "README.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "README.md:9:1: no year in this item; item skipped" in result.stderr
    assert len(catalogue.read(tmp_path / "catalogue.yaml").records) == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        pytest.param(None, "cannot read README.md: no such file", id="missing"),
        pytest.param("dir", "cannot read README.md: it is a directory", id="directory"),
        pytest.param(b"# L\n\n- caf\xe9\n", "README.md:3: invalid UTF-8 (byte 0xe9)", id="latin1"),
        pytest.param(b"# Only a title\n", "README.md: no list items found", id="no_items"),
    ],
)
def test_unreadable_readme_exits_1_with_a_message(tmp_path, setup, message):
    if setup == "dir":
        (tmp_path / "README.md").mkdir()
    elif setup is not None:
        (tmp_path / "README.md").write_bytes(setup)
    result = run_cli("import", "README.md", cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "catalogue.yaml").exists()


def test_a_section_validation_refuses_skips_its_papers_and_the_rest_is_imported():
    result = import_text("# L\n\n## Bell\x07 papers\n\n" + GOOD_1 + "\n## S\n\n" + GOOD_2)
    assert [(p.line, p.label) for p in result.problems] == [(5, "gan2024theory")]
    assert "section: control character" in result.problems[0].message and result.skipped == 1
    assert [f["key"] for f in result.plan.new] == ["zhu2024fanno"] and result.plan.new_sections == ["S"]


def test_a_readme_that_never_ends_is_refused(tmp_path):
    result = run_cli("import", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 1 and "/dev/zero: over 16,000,000 bytes; a paper list is smaller" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_import_refuses_an_invalid_catalogue(tmp_path):
    (tmp_path / "catalogue.yaml").write_text("sections: [A]\npapers:\n  - key: x\n")
    result = run_cli("import", str(FIXTURE), cwd=tmp_path)
    assert result.returncode == 1 and "missing required field" in result.stderr


def test_list_cli_writes_atomically_and_is_deterministic(tmp_path):
    out = tmp_path / "README-list.md"
    result = run_cli("list", "--catalogue", str(CATALOGUE), "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    stdout = run_cli("list", "--catalogue", str(CATALOGUE)).stdout
    assert out.read_text(encoding="utf-8") == stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README-list.md"]


def test_list_with_a_csl_style_keeps_sections_and_links():
    result = run_cli("list", "--catalogue", str(CATALOGUE), "--style", "apa")
    assert result.returncode == 0, result.stderr
    doc = read.read(result.stdout)
    assert doc.sections == ["Survey Papers", "Research Papers", "Analysis Papers"] and len(doc.items) == 14
    assert doc.items[0].text.startswith("Tan, Z., Li, D., Wang, S., Beigi, A.")
    assert [(link.label, link.url) for link in doc.items[0].links][0] == (
        "Paper",
        "https://aclanthology.org/2024.emnlp-main.54/",
    )


def test_list_unknown_style_is_a_usage_error():
    result = run_cli("list", "--catalogue", str(CATALOGUE), "--style", "no-such-style-xyz")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_acl_styled_list_imports_back_into_the_catalogue_without_differences(tmp_path):
    """The ACL shape is read too: the list written with --style acl matches all 14 papers, field for field."""
    listed = run_cli("list", "--catalogue", str(CATALOGUE), "--style", "acl")
    assert listed.returncode == 0, listed.stderr
    (tmp_path / "acl.md").write_text(listed.stdout, encoding="utf-8")
    shutil.copyfile(CATALOGUE, tmp_path / "catalogue.yaml")
    result = run_cli("import", "acl.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "14 items, 0 new, 14 already in catalogue.yaml, 0 differences reported, 0 skipped" in result.stderr
    assert (tmp_path / "catalogue.yaml").read_bytes() == CATALOGUE.read_bytes()


# ---------------------------------------------------------------- keys and versions through the README


def test_list_then_import_into_an_empty_catalogue_restores_every_key_and_version():
    """The anchors carry the keys; the [arXiv] link beside a published citation brings back the preprint."""
    cat = catalogue.read(CATALOGUE)
    new = catalogue.parse(import_text(awesome.write_list(cat, csl.to_csl(cat))).text)
    assert [r.key for r in new.records] == [r.key for r in cat.records]
    for old, got in zip(cat.records, new.records, strict=True):
        assert ("published" in got.fields) == ("published" in old.fields), old.key
        assert got.fields["type"] == old.fields["type"] == "article"
        assert got.fields["arxiv"] == old.fields["arxiv"] and got.fields["url"] == old.fields["url"]
        assert got.fields["date"] == int(str(old.fields["date"])[:4]), "the preprint's year, from its arXiv ID"
        if "published" in old.fields:
            mine, theirs = got.fields["published"], old.fields["published"]
            assert mine["type"] == theirs["type"] and mine["date"] == theirs["date"]
            for name in ("container", "doi", "acl_anthology", "openreview", "volume", "issue", "place", "publisher"):
                assert mine.get(name) == theirs.get(name), (old.key, name)
    assert [p.code for p in validate.validate(new)] == [validate.AUTHORS_INCOMPLETE] * 13


def test_keys_made_on_import_take_the_preprints_first_year():
    """Without an anchor, the key is the catalogue's rule on the preprint: its arXiv ID gives the year."""
    cat = catalogue.read(CATALOGUE)
    listed = awesome.write_list(cat, csl.to_csl(cat))
    anchorless = re.sub(r'<a id="[^"]*"></a>', "", listed)
    keys = [f["key"] for f in import_text(anchorless).plan.new]
    assert "dong2023abilities" in keys and "dong2024abilities" not in keys
    assert "yang2024synthetic" in keys and "bansal2024smaller" in keys
    assert "huang2024datagen" in keys, "the first author and title of the version the list cites"


def test_an_anchor_key_already_taken_or_different_is_reported():
    readme = "# L\n\n## Research Papers\n\n" + '- <a id="WU2024unigen"></a>Ng A. Deep stuff[J]. arXiv preprint '
    readme += 'arXiv:2501.00002, 2025.\n- <a id="gan2099other"></a>' + GOOD_1[2:]
    result = import_text(readme, CATALOGUE.read_text(encoding="utf-8"))
    assert [f["key"] for f in result.plan.new] == ["ng2025deep"]
    shown = [str(p) for p in result.problems]
    assert shown[0].startswith(
        "README.md:5:1: key 'WU2024unigen' in the anchor is taken by another paper; added as ng2025deep"
    )
    assert shown[1].startswith(
        "README.md:6:1: gan2024theoretical: key: README 'gan2099other', catalogue 'gan2024theoretical'"
    )


# ---------------------------------------------------------------- the catalogue's own bytes


def test_bom_comments_and_every_old_byte_are_kept(tmp_path):
    """New records go between the last record and the comment that ends the file; nothing else moves."""
    old = b"\xef\xbb\xbf" + CATALOGUE.read_bytes() + b"\n# end of the list: new papers go above this line\n"
    (tmp_path / "catalogue.yaml").write_bytes(old)
    (tmp_path / "README.md").write_text(NEWCOMER, encoding="utf-8")
    result = run_cli("import", "README.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    new = (tmp_path / "catalogue.yaml").read_bytes()
    cut = old.index(b"\n# end of the list")
    section = old.index(b"  - Analysis Papers\n") + len(b"  - Analysis Papers\n")
    assert new.startswith(old[:section] + b"  - New Section\n" + old[section:cut] + b"\n  - key: dong2024selfb\n")
    assert new.endswith(b'\n    arxiv: "2501.00002"\n' + old[cut:])
    assert [r.key for r in catalogue.read(tmp_path / "catalogue.yaml").records][-2:] == ["dong2024selfb", "ng2025deep"]


def test_an_item_validation_refuses_is_reported_at_its_line_and_the_rest_imported(tmp_path):
    bad = "- Ng A. Bell\x07 rings[J]. arXiv preprint arXiv:2501.00003, 2025.\n\n"
    (tmp_path / "README.md").write_text("# L\n\n## S\n\n" + GOOD_1 + "\n" + bad + GOOD_2, encoding="utf-8")
    result = run_cli("import", "README.md", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "bug" not in result.stderr
    assert re.search(r"README.md:9:1: ng2025bell: title: control character.*; item skipped", result.stderr)
    assert [r.key for r in catalogue.read(tmp_path / "catalogue.yaml").records] == ["gan2024theory", "zhu2024fanno"]
    assert result.stderr.rstrip().endswith(
        "3 items, 2 new, 0 already in catalogue.yaml, 0 differences reported, 1 skipped; wrote catalogue.yaml"
    )
