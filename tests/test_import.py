"""import (and merge.py): the seed README into an empty and into the finished catalogue, the round trip
list → import, malformed items with their line numbers, append-only YAML, and the CLI."""

from __future__ import annotations

import difflib
import shutil

import pytest

from syndata_export import casing, catalogue, citation, csl, listing, merge, validate
from tests.conftest import REPO, need_shared, run_cli

CATALOGUE = REPO / "catalogue.yaml"
INCOMPLETE = "the author list is marked incomplete"


def seed_path():
    return need_shared("reference", "SynData-Papers-README.md")


def import_text(text: str, into_text: str | None = None, name: str = "README.md"):
    """Pure path: README text (+ catalogue text) → (plan, merged text or None, reading problems)."""
    doc = listing.read(text, name)
    papers, problems = listing.to_papers(doc, name)
    existing = catalogue.parse(into_text) if into_text is not None else None
    result = merge.plan(existing.records if existing else [], existing.sections if existing else [], papers, name)
    merged = merge.apply(into_text, result, doc.title, doc.description, name) if result.new else None
    return result, merged, doc.problems + problems


def by_arxiv(cat: catalogue.Catalogue) -> dict[str, dict]:
    return {r.fields["arxiv"]: r.fields for r in cat.records if r.fields.get("arxiv")}


# ---------------------------------------------------------------- the seed README into an empty catalogue


@pytest.fixture(scope="module")
def seed_imported(tmp_path_factory):
    """The seed imported through the installed console script into a new catalogue file."""
    work = tmp_path_factory.mktemp("seed")
    result = run_cli("import", str(seed_path()), "--into", "new.yaml", cwd=work)
    return result, work / "new.yaml"


def test_seed_into_empty_catalogue_gives_14_records_in_3_sections(seed_imported):
    result, path = seed_imported
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    cat = catalogue.read(path)
    assert len(cat.records) == 14
    assert cat.sections == ["Survey Papers", "Research Papers", "Analysis Papers"]
    assert [sum(r.fields["section"] == s for r in cat.records) for s in cat.sections] == [1, 8, 5]
    assert cat.title == "SynData-Papers" and cat.description == "Paper list of synthesizing data for LLM."


def test_seed_identifiers_links_and_repaired_pages(seed_imported):
    cat = catalogue.read(seed_imported[1])
    assert sorted(by_arxiv(cat)) == sorted(
        ["2402.13446", "2406.18966", "2410.06961", "2409.08239", "2409.07431", "2404.07503", "2407.03502"]
        + ["2408.01323", "2402.13064", "2410.01720", "2408.09849", "2408.16737", "2404.05090"]
    )
    acl = next(r.fields for r in cat.records if not r.fields.get("arxiv"))
    assert acl["acl_anthology"] == "2024.acl-long.12"
    assert acl["url"] == "https://aclanthology.org/2024.acl-long.12/"
    assert acl["pages"] == "177–198"
    assert acl["type"] == "paper-conference" and acl["place"] == "Bangkok, Thailand"
    assert acl["authors"][0] == "Dong, Guanting" and len(acl["authors"]) == 10
    projects = {r.fields["arxiv"]: r.fields["project"] for r in cat.records if r.fields.get("project")}
    assert projects == {
        "2402.13446": "https://github.com/zhen-tan-dmml/llm4annotation",
        "2409.07431": "https://github.com/zitongyang/synthetic_continued_pretraining",
    }
    assert by_arxiv(cat)["2404.05090"]["authors"] == ["Seddik, M. E. A.", "Chen, S. W.", "Hayou, S."]


def test_seed_et_al_flags_and_check(seed_imported):
    """Twelve flags: the issue says 13, but of the 13 GB/T items "Gan Z, Liu Y." lists both of its authors."""
    result, path = seed_imported
    cat = catalogue.read(path)
    flagged = [r.key for r in cat.records if r.fields.get("authors_incomplete")]
    assert len(flagged) == 12
    assert "gan2024theoretical" not in flagged and "dong2024abilities" not in flagged
    problems = validate.validate(cat)
    assert all(INCOMPLETE in p.message for p in problems), [str(p) for p in problems]
    assert len(problems) == 12
    assert "61:363: repaired mojibake 'â€“' → '–'" in result.stderr
    assert "12 with 'et al.' author lists" in result.stderr


# ---------------------------------------------------------------- the seed README into the finished catalogue


def test_seed_into_finished_catalogue_adds_and_changes_nothing(tmp_path):
    target = tmp_path / "catalogue.yaml"
    shutil.copyfile(CATALOGUE, target)
    before = target.read_bytes()
    result = run_cli("import", str(seed_path()), "--into", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.yaml"], "no temporary files left"
    assert "0 new, 14 already in" in result.stderr and "2 differences reported" in result.stderr
    lines = [line.split("README.md:", 1)[1] for line in result.stderr.splitlines() if "catalogue " in line]
    assert lines == [
        "10:45: tan2024large: project: README 'https://github.com/zhen-tan-dmml/llm4annotation', catalogue "
        "'https://github.com/Zhen-Tan-dmml/LLM4Annotation' (they differ only in letter case)",
        "31:3: yang2024synthetic: project: README 'https://github.com/zitongyang/synthetic_continued_pretraining', "
        "catalogue (none) (the catalogue has this address as code)",
    ]


DIFFERENCES = [
    pytest.param(
        "Large language models for data annotation: A survey", "title", None, id="title_case_is_not_a_difference"
    ),
    pytest.param("Large language models for data labelling: A survey", "title", "title", id="title_words_differ"),
    pytest.param("Tan Z, Beigi A, Wang S", "authors", None, id="initials_match_given_names"),
    pytest.param("Tan Z, Beigi B, Wang S", "authors", "authors", id="wrong_initial"),
    pytest.param("2024", "date", None, id="year_matches_full_date"),
    pytest.param("2023", "date", "date", id="year_differs"),
]


@pytest.mark.parametrize(("value", "field", "reported"), DIFFERENCES)
def test_what_counts_as_a_difference(value, field, reported):
    readme = {"type": "article", "title": "Large Language Models for Data Annotation: A Survey", "date": 2024}
    readme["authors"] = ["Tan, Z.", "Beigi, A.", "Wang, S."]
    readme["authors_incomplete"] = True
    if field == "authors":
        readme["authors"] = [citation._gbt_name(n) for n in value.split(", ")]
    else:
        readme[field] = int(value) if field == "date" else value
    record = catalogue.read(CATALOGUE).records[0].fields
    got = [d[0] for d in merge.compare(readme, record)]
    assert got == ([reported] if reported else [])


def test_published_citation_is_compared_with_the_published_version():
    """The seed's ACL item cites the ACL 2024 paper: year 2024, pages with an en dash, all agree."""
    text = seed_path().read_text(encoding="utf-8")
    papers, _ = listing.to_papers(listing.read(text))
    acl = next(p for p in papers if p.fields.get("acl_anthology"))
    record = next(r for r in catalogue.read(CATALOGUE).records if r.key == "dong2023abilities")
    assert merge.compare(acl.fields, record.fields) == []
    changed = dict(acl.fields, pages="177–199", place="Vienna, Austria")
    assert [d[0] for d in merge.compare(changed, record.fields)] == ["pages", "place"]


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
    text = listing.write(cat.title, cat.description, cat.sections, csl.to_csl(cat, prefer))
    result, merged, problems = import_text(text)
    assert problems == [] and len(result.new) == 14
    new = catalogue.parse(merged)
    assert new.sections == cat.sections and new.title == cat.title and new.description == cat.description
    assert all(INCOMPLETE in p.message for p in validate.validate(new))
    for record, got in zip(cat.records, new.records, strict=True):
        want = _view(record.fields, prefer)
        got = got.fields
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
        text = listing.write(cat.title, cat.description, cat.sections, csl.to_csl(cat, prefer))
        result, merged, problems = import_text(text, CATALOGUE.read_text(encoding="utf-8"))
        assert (result.new, result.differences, problems, merged) == ([], [], [], None)
        assert len(result.matched) == 14


def test_imported_catalogue_lists_back_to_the_same_text(tmp_path):
    """list → import → list is a fixed point, "et al." flags included."""
    first = run_cli("list", "--catalogue", str(CATALOGUE), "--toc")
    (tmp_path / "README.md").write_text(first.stdout, encoding="utf-8")
    assert run_cli("import", "README.md", "--into", "new.yaml", cwd=tmp_path).returncode == 0
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
    result, merged, problems = import_text(text)
    shown = [str(p) for p in problems + result.duplicates]
    for message in messages:
        assert any(line.startswith(message) for line in shown), (message, shown)
    assert len(result.new) == imported
    assert {"2410.01720", "2408.01323"} <= {f.get("arxiv") for f in result.new}
    assert all(INCOMPLETE in p.message for p in validate.validate(catalogue.parse(merged)))


def test_item_before_any_section_is_reported():
    result, _, problems = import_text("# L\n\n" + GOOD_2 + "\n## S\n\n" + GOOD_1)
    assert [str(p) for p in problems] == [
        "README.md:3:1: paper before the first section heading; skipped (put it under a `###` heading)"
    ]
    assert len(result.new) == 1


# ---------------------------------------------------------------- append-only YAML


NEWCOMER = (
    "# L\n\n### Research Papers\n\n"
    "- Dong Q, Li X. Self-taught things[J]. arXiv preprint arXiv:2501.00001, 2024.\n"
    "- Gan Z, Liu Y. Towards a theory[J]. arXiv preprint arXiv:2410.01720, 2024.\n\n"
    "### New Section\n\n- Ng A. Deep stuff[J]. arXiv preprint arXiv:2501.00002, 2025.\n"
)


def test_new_papers_are_appended_and_nothing_else_moves():
    old = CATALOGUE.read_text(encoding="utf-8")
    result, merged, _ = import_text(NEWCOMER, old)
    assert [f["key"] for f in result.new] == ["dong2024selfb", "ng2025deep"], "dong2024self is taken"
    assert result.new_sections == ["New Section"] and result.matched == [(6, "gan2024theoretical")]
    ops = difflib.SequenceMatcher(None, old.splitlines(), merged.splitlines(), autojunk=False).get_opcodes()
    assert {op for op, *_ in ops} == {"equal", "insert"}, "only insertions: comments, order, quoting preserved"
    assert merged.startswith(
        old.split("papers:")[0].replace("  - Analysis Papers\n", "  - Analysis Papers\n  - New Section\n")
    )
    before, after = catalogue.parse(old), catalogue.parse(merged)
    assert [r.fields for r in after.records[:14]] == [r.fields for r in before.records]
    assert after.records[14].fields["arxiv"] == "2501.00001" and "\n\n  - key: dong2024selfb\n" in merged
    assert validate.validate(after) == []


@pytest.mark.parametrize(
    ("title", "taken", "key"),
    [
        pytest.param("Self-Boosting again", set(), "dong2024self", id="free"),
        pytest.param("Self-Boosting again", {"dong2024self"}, "dong2024selfb", id="collision_suffixes_newcomer"),
        pytest.param("Self-Boosting again", {"dong2024self", "dong2024selfb"}, "dong2024selfc", id="second_collision"),
        pytest.param("How the Candès Effect Works", set(), "dong2024candes", id="stopwords_and_ascii"),
    ],
)
def test_key_rule(title, taken, key):
    assert merge.make_key({"authors": ["Dong, Qingxiu"], "date": 2024, "title": title}, taken) == key


def test_key_rule_gives_every_catalogue_key():
    for record in catalogue.read(CATALOGUE).records:
        assert merge.make_key(record.fields, set()) == record.key


def test_a_layout_ruamel_cannot_reproduce_is_refused():
    odd = "sections:\n  - Research Papers\npapers:\n    -   key: a2024b\n        section: Research Papers\n"
    odd += "        type: article\n        title: B\n        authors: [A, B]\n        date: 2024\n        url: https://x.org\n"
    with pytest.raises(merge.SyndataError, match="without reformatting"):
        import_text(NEWCOMER, odd)


# ---------------------------------------------------------------- the command line


def test_dry_run_writes_nothing(tmp_path):
    result = run_cli("import", str(seed_path()), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
    assert "would add tan2024large (Survey Papers)" in result.stderr and "nothing written (--dry-run)" in result.stderr


def test_malformed_items_exit_1_but_the_rest_is_written(tmp_path):
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


def test_import_refuses_an_invalid_catalogue(tmp_path):
    (tmp_path / "catalogue.yaml").write_text("sections: [A]\npapers:\n  - key: x\n")
    result = run_cli("import", str(seed_path()), cwd=tmp_path)
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
    doc = listing.read(result.stdout)
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
