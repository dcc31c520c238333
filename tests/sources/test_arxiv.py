"""sources.arxiv: the Atom parser on fake-rendered feeds, and fetch against the fake arXiv."""

from __future__ import annotations

import pytest

from syndata_export.sources import SourceError, arxiv, names
from syndata_export.sources.http import Http
from tests.sources.fakes import arxiv as fake_arxiv
from tests.sources.fakes.papers import DECOY, by_arxiv, papers

SHIPPED = papers()[:-1]
COMPARED = ("title", "authors", "date", "arxiv", "doi", "url")


def test_all_fourteen_papers_in_one_request_equal_the_catalogue(fake_sources, clock):
    ids = [p.arxiv for p in SHIPPED]
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = arxiv.fetch(http, ids)
    assert len(fake_sources.requests("arxiv")) == 1
    assert fake_sources.requests("arxiv")[0].query["id_list"] == ",".join(ids)
    assert sorted(found) == sorted(ids)
    for paper in SHIPPED:
        fields = found[paper.arxiv].fields
        assert {k: fields[k] for k in COMPARED} == {
            k: str(paper.record[k]) if k != "authors" else paper.record[k] for k in COMPARED
        }
        assert fields["type"] == "article"
        if "arxiv_class" in paper.record:
            assert fields["arxiv_class"] == paper.record["arxiv_class"]


def test_ids_are_sent_in_batches_of_at_most_a_hundred(fake_sources, clock):
    ids = [f"2401.{n:05d}" for n in range(150)] + ["2402.13446"]
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = arxiv.fetch(http, ids)
    sent = [r.query["id_list"].split(",") for r in fake_sources.requests("arxiv")]
    assert [len(batch) for batch in sent] == [100, 51]
    assert [r.query["max_results"] for r in fake_sources.requests("arxiv")] == ["100", "51"]
    assert list(found) == ["2402.13446"]  # unknown ids are absent, not errors


def test_a_versioned_id_is_answered_under_the_id_asked_with_the_first_version_date(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = arxiv.fetch(http, ["2310.05492v2"])
    paper = found["2310.05492v2"]
    assert paper.fields["arxiv"] == "2310.05492" and paper.fields["date"] == "2023-10-09"
    assert paper.published == {
        "doi": "10.18653/v1/2024.acl-long.12",
        "note": "ACL 2024 (Volume 1: Long Papers), pages 177-198",
    }
    assert "2310.05492v2" in paper.evidence and "10.18653/v1/2024.acl-long.12" in paper.evidence


def test_the_decoy_is_its_own_paper(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http:
        found = arxiv.fetch(http, [DECOY.arxiv, "2407.03502"])
    assert found[DECOY.arxiv].fields["authors"] == DECOY.record["authors"]
    assert found[DECOY.arxiv].fields["title"] != found["2407.03502"].fields["title"]


def test_a_malformed_id_is_a_source_error_with_arxivs_reason(fake_sources, clock):
    with Http(clock=clock, sleep=clock.sleep) as http, pytest.raises(SourceError) as caught:
        arxiv.fetch(http, ["2402.13446", "abc"])
    assert str(caught.value).startswith("arxiv: ")
    assert "400" in str(caught.value)


# -- the parser alone ------------------------------------------------------------------------------


def test_wrapped_titles_and_names_are_joined():
    status, _, body = fake_arxiv.handle("/query", {"id_list": "2410.01720"})
    assert status == 200 and b"\n  " in body.split(b"<title>")[1].split(b"</title>")[0]  # the fake wraps it
    paper = arxiv.parse(body)["2410.01720"]
    assert paper.fields["title"] == by_arxiv("2410.01720").record["title"]


def test_an_error_entry_sent_with_200_is_still_an_error():
    _, _, body = fake_arxiv.handle("/query", {"id_list": "1234.123456"})
    with pytest.raises(SourceError, match=r"^arxiv: incorrect id format for 1234\.123456"):
        arxiv.parse(body)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<html><body>Rate exceeded.</body></html>", id="html"),
        pytest.param(b"Rate exceeded.", id="text"),
        pytest.param(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>', id="cut_off"),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>',
            id="entity_expansion",
        ),
        pytest.param(
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2402.13446v1</id>'
            b"<title>T</title></entry></feed>",
            id="entry_without_authors",
        ),
        pytest.param(
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:x</id></entry></feed>', id="foreign_id"
        ),
    ],
)
def test_a_malformed_feed_is_a_source_error(body):
    with pytest.raises(SourceError, match=r"^arxiv: malformed answer"):
        arxiv.parse(body)


def test_an_empty_feed_has_no_papers():
    _, _, body = fake_arxiv.handle("/query", {"id_list": "0000.00000"})
    assert arxiv.parse(body) == {}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Luciano Del Corro", "Del Corro, Luciano"),
        ("Mohamed El Amine Seddik", "Seddik, Mohamed El Amine"),
        ("Andrew M. Dai", "Dai, Andrew M."),
        ("Jane Dwivedi-Yu", "Dwivedi-Yu, Jane"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Emmanuel Candès", "Candès, Emmanuel"),
        ("Plato", "Plato"),
    ],
)
def test_family_names_are_split_off_with_their_particles(name, expected):
    assert names.catalogue_name(name) == expected
