"""sources.datacite and sources.crossref: records against the fakes, and their parsers' guards."""

from __future__ import annotations

import json

import pytest

from syndata_export.sources import NotFound, SourceError, crossref, datacite
from syndata_export.sources.http import Http
from tests.sources.fakes.papers import DECOY, papers, published_dois

SHIPPED = papers()[:-1]


@pytest.mark.parametrize("paper", SHIPPED, ids=lambda p: p.record["key"])
def test_datacite_gives_each_arxiv_doi_with_names_apart(fake_sources, clock, paper):
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = datacite.fetch(http, paper.record["doi"])
    record = paper.record
    assert found.fields == {
        "type": "article",
        "title": record["title"],
        "authors": record["authors"],
        "date": record["date"],
        "arxiv": record["arxiv"],
        "doi": record["doi"],
        "url": record["url"],
    }


def test_datacite_keeps_a_link_to_the_published_version_as_a_hint(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = datacite.fetch(http, "10.48550/ARXIV.2310.05492")  # DOIs ignore case
    assert found.published == {"doi": "10.18653/v1/2024.acl-long.12"}


def test_an_unknown_doi_is_not_found(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http:
        with pytest.raises(NotFound, match=r"^datacite: .*/dois/10\.48550/arXiv\.2401\.00001 not found"):
            datacite.fetch(http, "10.48550/arXiv.2401.00001")
        with pytest.raises(NotFound, match=r"^crossref: "):
            crossref.fetch(http, "10.48550/arXiv.2402.13446")  # arXiv's DOIs are DataCite's


@pytest.mark.parametrize("doi", sorted(published_dois()))
def test_crossref_gives_the_version_of_record_the_catalogue_names(fake_sources, clock, doi):
    paper = published_dois()[doi]
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = crossref.fetch(http, doi)
    published, record = paper.record["published"], paper.record
    expected = {k: str(v) for k, v in published.items() if k not in ("title", "authors", "acl_anthology")}
    expected |= {
        "title": published.get("title", record["title"]),
        "authors": published.get("authors", record["authors"]),
    }
    assert found.fields == expected
    assert found.evidence == f"Crossref {published['doi']}"


def test_crossref_search_proposes_candidates_by_title(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = crossref.search(http, "AgentInstruct: Toward Generative Teaching with Agentic Flows", rows=2)
    assert [f.fields["doi"] for f in found][0] == DECOY.record["published"]["doi"]
    assert fake_sources.requests("crossref")[0].query["rows"] == "2"


@pytest.mark.parametrize(
    ("parse", "body"),
    [
        pytest.param(datacite.parse, b"<html>busy</html>", id="datacite_html"),
        pytest.param(datacite.parse, b'{"data": {"attributes": {}}}', id="datacite_no_doi"),
        pytest.param(datacite.parse, b"[1, 2]", id="datacite_list"),
        pytest.param(lambda b: crossref.work(json.loads(b)), b'{"title": ["x"]}', id="crossref_no_doi"),
    ],
)
def test_a_malformed_record_is_a_source_error(parse, body):
    with pytest.raises(SourceError, match=r"^(datacite|crossref): (malformed answer|the answer is not valid JSON)"):
        parse(body)


def test_crossref_reads_only_what_the_work_says():
    found = crossref.work(
        {"DOI": "10.1/x", "type": "peer-review", "title": [], "page": "1 – 9", "issued": {"date-parts": [[2020, 3]]}}
    )
    assert found.fields == {"pages": "1-9", "date": "2020-03", "doi": "10.1/x"}
