"""sources.match: identifier links first, the venue's record for metadata, title search only under the guard."""

from __future__ import annotations

import copy

import pytest

from syndata_export.sources import match
from syndata_export.sources.found import Found
from tests.sources.stand_ins import DECOY, RECORDS, Sources, preprint, version


def without_published(key: str) -> dict:
    fields = copy.deepcopy(RECORDS[key])
    fields.pop("published", None)
    return fields


@pytest.mark.parametrize("key", [k for k, f in RECORDS.items() if "published" in f])
def test_every_published_version_the_catalogue_records_is_recovered(key):
    proposal = match.propose(without_published(key), Sources())
    assert proposal.via == "identifier"
    assert proposal.published == {k: v for k, v in RECORDS[key]["published"].items()}
    assert proposal.rejected == []


def test_a_title_changed_on_publication_is_found_through_the_identifier_link():
    proposal = match.propose(without_published("wu2024unigen"), Sources())
    assert proposal.published["title"].startswith("DataGen:")
    assert proposal.published["openreview"] == "F5R0lG74Tu"
    assert "ARXIV:2406.18966" in proposal.evidence[0]


def test_the_venue_record_supplies_pages_publisher_and_place():
    sources = Sources()
    proposal = match.propose(without_published("dong2023abilities"), sources)
    assert ("anthology", "2024.acl-long.12") in sources.asked
    assert (proposal.published["pages"], proposal.published["place"]) == ("177-198", "Bangkok, Thailand")
    assert "metadata from the ACL Anthology's BibTeX for 2024.acl-long.12" in proposal.evidence


@pytest.mark.parametrize("key", ["lupidi2024source2synth", "mitra2024agentinstruct"])
def test_a_preprint_no_source_links_and_only_a_decoy_resembles_gets_nothing(key):
    fields = without_published("wu2024unigen") | {"key": key, "arxiv": "2499.00001"}
    proposal = match.propose(fields, Sources(search=[DECOY]))
    assert proposal.published is None
    assert len(proposal.rejected) == 1 and "not the same paper" in proposal.rejected[0]
    assert "authors shared 0%" in proposal.rejected[0]


def test_title_search_applies_a_hit_whose_title_and_authors_agree():
    fields = without_published("dong2024self") | {"arxiv": "2499.00002"}  # no link leads anywhere
    real = Found("dblp", preprint(RECORDS["dong2024self"]).fields, version(RECORDS["dong2024self"]))
    proposal = match.propose(fields, Sources(search=[DECOY, real]))
    assert proposal.via == "title"
    assert proposal.published == RECORDS["dong2024self"]["published"] | {"date": 2025}
    assert proposal.evidence[0].startswith("title search, dblp:")


def test_two_links_that_name_different_versions_are_ambiguous_and_not_applied():
    fields = without_published("jiang2024importance")
    other = Found("dblp", {}, {"type": "paper-conference", "container": "Elsewhere", "date": "2025", "doi": "10.1/x"})
    sources = Sources()
    sources.dblp_by_arxiv = lambda arxiv_id: [other]  # type: ignore[method-assign]
    proposal = match.propose(fields, sources)
    assert proposal.published is None
    assert [r.split(":")[0] for r in proposal.rejected] == ["ambiguous", "ambiguous"]
    assert any("doi 10.1609/aaai.v39i23.34602" in r for r in proposal.rejected)


def test_an_arxiv_doi_is_never_a_published_version():
    arxiv_only = Found(
        "dblp", {}, {"type": "article-journal", "container": "CoRR", "date": "2024", "doi": "10.48550/arXiv.2409.08239"}
    )
    sources = Sources()
    sources.dblp_by_arxiv = lambda arxiv_id: [arxiv_only]  # type: ignore[method-assign]
    assert match.propose(without_published("lupidi2024source2synth"), sources).published is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("Deep Learning", "Deep learning for recommender systems", False, id="title_grew"),
        pytest.param("An image is worth 16x16 words", "An image is worth 32x32 words", False, id="numbers_differ"),
        pytest.param("Self-Boosting LLMs: a study", "Self Boosting LLMs - A Study.", True, id="punctuation_case"),
    ],
)
def test_title_similarity(a, b, same):
    assert (match.title_similarity(a, b) >= match.TITLE_SIMILARITY) is same


@pytest.mark.parametrize(
    ("mine", "theirs", "counts"),
    [
        pytest.param(["Tan, Z.", "Beigi, A."], RECORDS["tan2024large"]["authors"], True, id="et_al_initials"),
        pytest.param(["Tan, Zhen"], ["Moreau, Claire", "Tan, Zhen", "Okafor, Ngozi"], False, id="one_shared_not_first"),
        pytest.param([], ["Tan, Zhen"], False, id="empty_fails_closed"),
        pytest.param(["Candès, Emmanuel", "Yang, Zitong"], ["Candes, E.", "Yang, Z."], True, id="accents_folded"),
    ],
)
def test_author_overlap(mine, theirs, counts):
    assert match.author_overlap(mine, theirs)[1] is counts
