"""catalogue.yaml agrees, field by field, with the verified seed metadata."""

from __future__ import annotations

import yaml

from syndata_export import catalogue, csl, validate
from tests.conftest import REPO, need_shared

CATALOGUE = catalogue.read(REPO / "catalogue.yaml")
RECORDS = {r.fields["arxiv"]: r.fields for r in CATALOGUE.records}
SEED_ORDER = [
    "2402.13446",
    "2406.18966",
    "2410.06961",
    "2409.08239",
    "2409.07431",
    "2404.07503",
    "2407.03502",
    "2408.01323",
    "2402.13064",
    "2410.01720",
    "2408.09849",
    "2310.05492",
    "2408.16737",
    "2404.05090",
]


def seed() -> dict[str, dict]:
    data = yaml.safe_load(need_shared("reference", "seed-metadata.yaml").read_text(encoding="utf-8"))
    return {paper["arxiv"]: paper for paper in data}


def names(authors: list) -> list[str]:
    return [f"{a['family']}, {a['given']}" for a in authors]


def test_catalogue_is_valid_and_complete():
    assert validate.validate(CATALOGUE) == []
    assert [r.fields["arxiv"] for r in CATALOGUE.records] == SEED_ORDER, "papers in the list's order"
    assert CATALOGUE.sections == ["Survey Papers", "Research Papers", "Analysis Papers"]
    sections = [r.fields["section"] for r in CATALOGUE.records]
    assert sections == ["Survey Papers"] + ["Research Papers"] * 8 + ["Analysis Papers"] * 5


def every_paper(check) -> None:  # noqa: ANN001 - a function of (seed paper, record)
    """Run ``check`` on every paper and report every failure at once: one test per comparison with
    ../shared, so a clone without it skips two tests, not twenty-eight."""
    papers = seed()
    failures = []
    for arxiv in SEED_ORDER:
        try:
            check(papers[arxiv], RECORDS[arxiv])
        except AssertionError as exc:
            failures.append(f"{arxiv}: {exc}")
    assert not failures, "\n".join(failures)


def test_preprint_fields_match_seed():
    every_paper(preprint_matches)


def test_published_versions_match_seed():
    every_paper(published_matches)


def preprint_matches(paper: dict, record: dict) -> None:
    arxiv = paper["arxiv"]
    assert record["title"] == paper["title"]
    assert record["authors"] == names(paper["authors"]), "full author list, in order"
    assert str(record["date"]) == paper["first_version_date"]
    assert record["doi"] == paper["doi"]
    assert record["url"] == f"https://arxiv.org/abs/{arxiv}"
    link = record.get("code") or record.get("project")
    assert link == paper["code_url"]


def published_matches(paper: dict, record: dict) -> None:
    arxiv = paper["arxiv"]
    published = record.get("published")
    if not paper["venue"]:
        assert published is None, "no venue was verified, so none is claimed"
        return
    assert published, f"{arxiv} has a verified venue: {paper['venue']}"
    assert str(published["date"]) == str(paper["venue_year"])
    assert published.get("title", record["title"]) == (paper["venue_title"] or paper["title"])
    expected_authors = names(paper["venue_authors"]) if paper["venue_authors"] else record["authors"]
    assert published.get("authors", record["authors"]) == expected_authors
    unverified = set(paper["unverified"])
    expected_pages = None if "pages" in unverified or not paper["pages"] else paper["pages"]
    assert published.get("pages") == expected_pages, "unverified pages stay out"
    expected_doi = None if "venue_doi" in unverified else paper["venue_doi"]
    assert published.get("doi") == expected_doi
    assert published.get("acl_anthology") == paper["acl_anthology"]
    assert published.get("openreview") == paper["openreview_id"]
    venue_words = {
        "ICLR": "Learning Representations",
        "COLM": "Conference on Language Modeling",
        "EMNLP": "Empirical Methods",
        "ACL 2024": "62nd Annual Meeting",
        "AAAI": "AAAI Conference",
        "Findings": "Findings of the Association",
        "TMLR": "Transactions on Machine Learning Research",
    }
    expected = [words for short, words in venue_words.items() if short in paper["venue"]]
    assert expected and expected[0] in published["container"]


def test_csl_cites_published_by_default_and_preprint_on_request():
    published = {i["id"]: i for i in csl.to_csl(CATALOGUE)}
    preprint = {i["id"]: i for i in csl.to_csl(CATALOGUE, "preprint")}
    assert published["wu2024unigen"]["title"].startswith('<span class="nocase">DataGen</span>')
    assert published["wu2024unigen"]["author"][0] == {"family": "Huang", "given": "Yue"}
    assert preprint["wu2024unigen"]["author"][0] == {"family": "Wu", "given": "Siyuan"}
    assert published["dong2023abilities"]["DOI"] == "10.18653/v1/2024.acl-long.12"
    assert published["dong2023abilities"]["page"] == "177-198"
    assert published["mitra2024agentinstruct"]["type"] == "article", "never published: stays a preprint"
