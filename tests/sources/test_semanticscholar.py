"""Semantic Scholar: published versions recovered through ``paper/ARXIV:ID``, and the parser's quirks."""

from __future__ import annotations

import json

import pytest

from syndata_export import identity
from syndata_export.sources import SourceError, semanticscholar
from tests.sources.fakes import papers
from tests.sources.handlers_in_process import served

PUBLISHED = papers.published()
PREPRINTS = [p for p in papers.catalogue() if not p.get("published")]


@pytest.fixture
def http(monkeypatch):
    return served(monkeypatch)


@pytest.mark.parametrize("paper", PUBLISHED, ids=[p["key"] for p in PUBLISHED])
def test_by_arxiv_recovers_the_published_version(http, paper):
    found = semanticscholar.by_arxiv(http, f"arXiv:{paper['arxiv']}v2")
    expected = papers.version(paper)
    assert found is not None and found.published is not None
    got = found.published
    assert (got["title"], got["authors"]) == (expected["title"], expected["authors"])
    assert (got["container"], got["date"], got["type"]) == (expected["container"], expected["date"], expected["type"])
    for field in ("doi", "acl_anthology", "pages", "volume"):
        assert got.get(field) == expected.get(field), field
    assert found.fields["arxiv"] == paper["arxiv"]


def test_a_changed_title_is_followed_through_the_identifier(http):
    found = semanticscholar.by_arxiv(http, "2406.18966")
    assert found.published["title"].startswith("DataGen:")
    assert http.log == [("semanticscholar", "/paper/ARXIV:2406.18966", {"fields": semanticscholar.FIELDS})]


@pytest.mark.parametrize("paper", PREPRINTS, ids=[p["key"] for p in PREPRINTS])
def test_an_arxiv_only_record_has_no_published_version(http, paper):
    found = semanticscholar.by_arxiv(http, paper["arxiv"])
    assert found.published is None
    assert (found.fields["title"], found.fields["authors"], found.fields["date"]) == (
        paper["title"],
        paper["authors"],
        paper["date"],
    )


def test_an_unknown_paper_is_none(http):
    assert semanticscholar.by_arxiv(http, "2401.00001") is None


def test_title_search_finds_the_decoy_too_with_its_own_authors(http):
    found = semanticscholar.search(http, "Large Language Models for Data Annotation: A Survey")
    by_title = {f.fields["title"]: f for f in found}
    assert papers.SEARCH_DECOY["title"] in by_title
    assert by_title[papers.SEARCH_DECOY["title"]].fields["authors"] == ["Doe, Jane"]
    assert http.log[0][2]["query"] == "Large Language Models for Data Annotation: A Survey"


def record(**fields):
    return json.dumps({"paperId": "x", "title": "T", **fields}).encode()


@pytest.mark.parametrize(
    ("body", "published"),
    [
        pytest.param(
            record(externalIds={"ArXiv": "2401.00001", "DOI": "10.48550/arXiv.2401.00001"}),
            None,
            id="arxiv_doi_is_not_a_publisher_doi",
        ),
        pytest.param(
            record(venue="arXiv.org", journal={"name": "ArXiv", "volume": "abs/2401.00001"}),
            None,
            id="arxiv_venue_is_no_venue",
        ),
        pytest.param(
            record(externalIds={"DOI": "10.18653/V1/2020.ACL-MAIN.447"}),
            {"title": "T", "doi": "10.18653/v1/2020.acl-main.447"},
            id="upper_case_doi_lowered",
        ),
        pytest.param(
            record(venue="ACL", year=2020, publicationDate=None, publicationTypes=["JournalArticle", "Review"]),
            {"type": "article-journal", "title": "T", "container": "ACL", "date": "2020"},
            id="null_date_falls_back_to_year",
        ),
        pytest.param(
            record(
                publicationVenue={"name": "TACL", "type": "journal"},
                journal={"name": "TACL", "volume": "8", "pages": "433-460"},
            ),
            {"type": "article-journal", "title": "T", "container": "TACL", "volume": "8", "pages": "433-460"},
            id="journal_volume_and_pages",
        ),
    ],
)
def test_parser_quirks(body, published):
    assert semanticscholar.parse_paper(body).published == published


def test_names_are_split_into_family_and_given():
    found = semanticscholar.parse_paper(record(authors=[{"name": "Luciano Del Corro"}, {"name": "Andrew M. Dai"}]))
    assert found.fields["authors"] == ["Del Corro, Luciano", "Dai, Andrew M."]


@pytest.mark.parametrize(
    "body",
    [b"<html>502</html>", b"[]", b'{"paperId": "x"}', b"\xff\xfe", b'{"data": [1]}'],
    ids=["html", "list", "no_title", "not_utf8", "search_item_not_a_paper"],
)
def test_a_malformed_answer_names_the_source(body):
    parse = semanticscholar.parse_search if b"data" in body else semanticscholar.parse_paper
    with pytest.raises(SourceError, match=r"^semanticscholar: malformed answer"):
        parse(body)


def test_a_search_without_hits_is_empty():
    assert semanticscholar.parse_search(b'{"total": 0, "offset": 0}') == []


def test_doi_identity_matches_the_catalogue():
    """S2's DOIs, lowered, are the catalogue's (the one "same paper" rule agrees)."""
    found = semanticscholar.parse_paper(record(externalIds={"DOI": "10.1609/AAAI.V39I23.34602"}))
    assert identity.identity("doi", found.published["doi"]) == ("doi", "10.1609/aaai.v39i23.34602")
