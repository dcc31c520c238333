"""identity: the one "same paper?" rule, as validation, the README merge and the Zotero plan ask it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndata_export import identity


@pytest.mark.parametrize(
    ("kind", "left", "right"),
    [
        pytest.param("doi", "10.18653/V1/2024.ACL-LONG.12", "https://doi.org/10.18653/v1/2024.acl-long.12", id="doi"),
        pytest.param("doi", "doi:10.1/x", "10.1/X", id="doi_prefix"),
        pytest.param("arxiv", "2406.18966v2", "arXiv:2406.18966", id="arxiv_versions"),
        pytest.param("doi", "10.48550/arXiv.2406.18966", "2406.18966", id="arxiv_doi_is_the_arxiv_id"),
        pytest.param("title", "Best Practices and Lessons Learned", "best-practices AND lessons, learned!", id="title"),
        pytest.param("title", "Candès on Résumés", "Candes on resumes", id="title_accents"),
    ],
)
def test_ways_of_writing_one_identifier_compare_equal(kind, left, right):
    other = "arxiv" if kind == "doi" and right[0].isdigit() and "/" not in right else kind
    assert identity.identity(kind, left) == identity.identity(other, right)


def test_titles_in_other_scripts_are_kept_not_folded_away():
    assert identity.title("合成数据") == "合成数据" != identity.title("合成資料")


def test_a_record_and_its_published_version_are_one_paper():
    record = {
        "title": "UniGen: A unified framework",
        "arxiv": "2406.18966",
        "published": {"title": "DataGen: Unified Synthetic Dataset Generation", "doi": "10.1/ICLR"},
    }
    found = dict(identity.located(record))
    assert found[("arxiv", "2406.18966")] == ("arxiv",)
    assert found[("doi", "10.1/iclr")] == ("published", "doi")
    assert ("title", identity.title("DataGen: Unified Synthetic Dataset Generation")) in found
    assert identity.shared(identity.identities(record), {("title", "datagenunifiedsyntheticdatasetgeneration")}) == [
        "title"
    ]


def test_papers_that_share_nothing_are_different():
    assert (
        identity.shared(identity.identities({"title": "A", "doi": "10.1/a"}), identity.identities({"title": "B"})) == []
    )


def test_a_csl_item_has_the_identities_of_its_record():
    item = {"DOI": "10.1/A", "custom": {"arxiv": "2402.13446", "title_as_published": "Large Language Models"}}
    assert identity.of_csl(item) == {("doi", "10.1/a"), ("arxiv", "2402.13446"), ("title", "largelanguagemodels")}


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=12), st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_a_title_in_any_unicode_normal_form_is_the_same_title(text, form):
    """The title rule decomposes first, so 'Café' typed either way (é, or e and an accent) is one title."""
    assert identity.title(unicodedata.normalize(form, text)) == identity.title(text)
