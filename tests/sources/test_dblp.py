"""DBLP: a paper's CoRR and venue records found by their arXiv links, and the JSON's XML-born shapes."""

from __future__ import annotations

import json

import pytest

from syndata_export.sources import SourceError, dblp
from tests.sources.fakes import papers
from tests.sources.handlers_in_process import served

PUBLISHED = papers.published()
PREPRINTS = [p for p in papers.catalogue() if not p.get("published")]


@pytest.fixture
def http(monkeypatch):
    return served(monkeypatch)


@pytest.mark.parametrize("paper", PUBLISHED, ids=[p["key"] for p in PUBLISHED])
def test_by_arxiv_finds_the_venue_record(http, paper):
    found = dblp.by_arxiv(http, paper["arxiv"])
    venue = [f.published for f in found if f.published]
    assert len(found) == 2 and len(venue) == 1
    expected = papers.version(paper)
    got = venue[0]
    assert (got["title"], got["authors"], got["date"], got["type"]) == (
        expected["title"],
        expected["authors"],
        expected["date"],
        expected["type"],
    )
    for field in ("doi", "acl_anthology", "openreview", "pages", "volume", "issue"):
        assert got.get(field) == expected.get(field), field
    assert "container" not in got  # DBLP's venue is an abbreviation ("ACL (1)"), not a container title


def test_a_changed_title_is_followed_through_the_ee_link(http):
    (venue,) = [f for f in dblp.by_arxiv(http, "arXiv:2406.18966v1") if f.published]
    assert venue.published["title"].startswith("DataGen:")
    assert venue.published["openreview"] == "F5R0lG74Tu"
    assert http.log[0][1:] == ("/search/publ/api", {"q": "2406.18966", "format": "json", "h": "100", "c": "0"})


@pytest.mark.parametrize("paper", papers.catalogue(), ids=[p["key"] for p in papers.catalogue()])
def test_the_corr_record_gives_the_preprint(http, paper):
    (corr,) = [f for f in dblp.by_arxiv(http, paper["arxiv"]) if not f.published]
    assert corr.fields == {
        "title": paper["title"],
        "authors": paper["authors"],
        "date": paper["date"][:4],
        "type": "article",
        "arxiv": paper["arxiv"],
        "doi": paper["doi"],
        "url": paper["url"],
    }


def test_title_search_meets_the_decoy_but_by_arxiv_never_does(http):
    title = "Large Language Models for Data Annotation: A Survey"
    found = {f.fields["title"]: f for f in dblp.search(http, title)}
    assert found[papers.SEARCH_DECOY["title"]].fields["authors"] == ["Doe, Jane"]  # one author: an object, not a list
    assert papers.SEARCH_DECOY["title"] not in {f.fields["title"] for f in dblp.by_arxiv(http, "2402.13446")}


def hit(**info):
    return {"@score": "1", "info": {"title": "A Title.", "type": "Conference and Workshop Papers", **info}}


def answer(*hits):
    body = {"result": {"hits": {"@total": str(len(hits))} | ({"hit": list(hits)} if hits else {})}}
    return json.dumps(body).encode()


def test_zero_hits_has_no_hit_key():
    assert dblp.parse_search(answer()) == []


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        pytest.param(
            {"authors": {"author": {"@pid": "1", "text": "Yu Sun 0020"}}},
            {"authors": ["Sun, Yu"]},
            id="one_author_object_with_homonym_suffix",
        ),
        pytest.param(
            {"authors": {"author": [{"text": "Luciano Del Corro"}, {"text": "Wei Wang 0010"}]}},
            {"authors": ["Del Corro, Luciano", "Wang, Wei"]},
            id="author_list",
        ),
        pytest.param(
            {"title": "How Bad is Training on Synthetic Data?"},
            {"title": "How Bad is Training on Synthetic Data?"},
            id="question_mark_kept",
        ),
        pytest.param(
            {"doi": "10.1609/AAAI.V39I23.34602", "ee": "https://doi.org/10.1609/AAAI.V39I23.34602"},
            {"doi": "10.1609/aaai.v39i23.34602"},
            id="ee_as_text_and_upper_case_doi",
        ),
        pytest.param(
            {"ee": ["https://aclanthology.org/2024.acl-long.12", "https://openreview.net/forum?id=F5R0lG74Tu"]},
            {"acl_anthology": "2024.acl-long.12", "openreview": "F5R0lG74Tu"},
            id="ee_list",
        ),
        pytest.param(
            {"venue": ["ACL (1)", "ACL"], "year": "2024", "pages": "177-198"},
            {"date": "2024", "pages": "177-198"},
            id="venue_list_and_string_numbers",
        ),
    ],
)
def test_shapes(info, expected):
    (found,) = dblp.parse_search(answer(hit(**info)))
    got = {"title": found.published["title"]} | {k: found.published[k] for k in expected if k in found.published}
    assert got == {"title": "A Title"} | expected


def test_a_preprint_record_is_not_a_published_version():
    corr = hit(type="Informal and Other Publications", venue="CoRR", ee="https://arxiv.org/abs/2402.13446v3")
    (found,) = dblp.parse_search(answer(corr))
    assert found.published is None and found.fields["arxiv"] == "2402.13446"


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Too Many Requests</html>",
        b'{"result": {}}',
        json.dumps({"result": {"hits": {"hit": [{"info": {}}]}}}).encode(),
    ],
    ids=["html", "no_hits", "hit_without_title"],
)
def test_a_malformed_answer_names_the_source(body):
    with pytest.raises(SourceError, match=r"^dblp: malformed answer"):
        dblp.parse_search(body)
