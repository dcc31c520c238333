"""awesome.merge: what is the same paper (identity.py's rule), what counts as a difference, new keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndata_export import catalogue
from syndata_export.awesome import merge, papers, read, shapes
from tests.conftest import REPO

CATALOGUE = REPO / "catalogue.yaml"
FIXTURE = Path(__file__).parent / "papers-readme.md"


def records() -> list[catalogue.Record]:
    return catalogue.read(CATALOGUE).records


def paper(line: int = 1, **fields) -> papers.Paper:
    base = {
        "section": "Research Papers",
        "type": "article",
        "title": "A new paper",
        "authors": ["Ng, A."],
        "date": 2025,
    }
    return papers.Paper(line, base | fields)


DIFFERENCES = [
    pytest.param(
        "Large language models for data annotation: A survey", "title", None, id="title_case_is_not_a_difference"
    ),
    pytest.param("Large language models for data labelling: A survey", "title", "title", id="title_words_differ"),
    pytest.param("Tan Z, Beigi A, Wang S", "authors", None, id="initials_match_given_names"),
    pytest.param("Tan Z, Beigi B, Wang S", "authors", "authors", id="wrong_initial"),
    pytest.param("2024", "date", None, id="year_matches_full_date"),
    pytest.param("2023", "date", "date", id="year_differs"),
    pytest.param("10.48550/ARXIV.2402.13446", "doi", None, id="doi_case_is_not_a_difference"),
    pytest.param("2402.13446v3", "arxiv", None, id="arxiv_version_is_not_a_difference"),
]


@pytest.mark.parametrize(("value", "field", "reported"), DIFFERENCES)
def test_what_counts_as_a_difference(value, field, reported):
    readme = {"type": "article", "title": "Large Language Models for Data Annotation: A Survey", "date": 2024}
    readme["authors"] = ["Tan, Z.", "Beigi, A.", "Wang, S."]
    readme["authors_incomplete"] = True
    if field == "authors":
        readme["authors"] = [shapes._gbt_name(n) for n in value.split(", ")]
    else:
        readme[field] = int(value) if field == "date" else value
    got = [d[0] for d in merge.compare(readme, records()[0].fields)]
    assert got == ([reported] if reported else [])


def test_a_published_citation_is_compared_with_the_published_version():
    """The fixture's ACL item cites the ACL 2024 paper: year 2024, pages with an en dash, all agree."""
    found, _ = papers.papers(read.read(FIXTURE.read_text(encoding="utf-8")))
    acl = next(p for p in found if p.fields.get("acl_anthology") == "2024.acl-long.12")
    record = next(r for r in records() if r.key == "dong2023abilities")
    assert merge.compare(acl.fields, record.fields) == []
    changed = dict(acl.fields, pages="177–199", place="Vienna, Austria")
    assert [d[0] for d in merge.compare(changed, record.fields)] == ["pages", "place"]


SAME_PAPER = [
    pytest.param({"arxiv": "2410.01720v2"}, id="arxiv_id_with_a_version"),
    pytest.param({"doi": "10.48550/arXiv.2410.01720"}, id="the_arxiv_doi_is_the_arxiv_id"),
    pytest.param({"openreview": "UxkznlcnHf"}, id="openreview_id_of_the_published_version"),
    pytest.param({"title": "Towards a theoretical understanding of synthetic data in LLM post-training: "
                           "a reverse-bottleneck perspective"}, id="title_in_sentence_case"),
]  # fmt: skip


@pytest.mark.parametrize("fields", SAME_PAPER)
def test_a_paper_already_in_the_catalogue_is_matched_not_added(fields):
    result = merge.plan(records(), ["Research Papers"], [paper(7, **fields)])
    assert result.new == [] and result.matched == [(7, "gan2024theoretical")]


def test_a_paper_listed_twice_is_skipped_the_second_time():
    result = merge.plan([], [], [paper(3, arxiv="2501.00001"), paper(9, doi="10.48550/arXiv.2501.00001v2")])
    assert [f["arxiv"] for f in result.new] == ["2501.00001"]
    assert [str(p) for p in result.problems] == [
        "README.md:9:1: the same paper as line 3; skipped (list each paper once)"
    ]


def test_new_sections_keep_the_catalogues_spelling_or_are_added_once():
    found = [paper(n, arxiv=f"2501.0000{n}", title=f"Paper {n}", section=s) for n, s in
             enumerate(["research papers", "New", "new"], 1)]  # fmt: skip
    result = merge.plan([], ["Research Papers"], found)
    assert [f["section"] for f in result.new] == ["Research Papers", "New", "New"]
    assert result.new_sections == ["New"]


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
    for record in records():
        assert merge.make_key(record.fields, set()) == record.key
