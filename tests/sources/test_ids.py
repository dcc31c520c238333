"""sources.ids: every form people paste is read; anything else is a usage error listing the forms."""

from __future__ import annotations

import pytest

from syndata_export.errors import UsageError
from syndata_export.sources.ids import Identifier, parse

READ = [
    pytest.param("2406.18966", "arxiv", "2406.18966", id="arxiv_bare"),
    pytest.param("arXiv:2406.18966v2", "arxiv", "2406.18966", id="arxiv_prefix_version"),
    pytest.param(" arxiv: 2406.18966 ", "arxiv", "2406.18966", id="arxiv_prefix_spaced"),
    pytest.param("https://arxiv.org/abs/2406.18966v3", "arxiv", "2406.18966", id="arxiv_abs_link"),
    pytest.param("http://export.arxiv.org/abs/2406.18966", "arxiv", "2406.18966", id="arxiv_export_link"),
    pytest.param("https://arxiv.org/pdf/2406.18966v1.pdf", "arxiv", "2406.18966", id="arxiv_pdf_link"),
    pytest.param("arxiv.org/pdf/2406.18966", "arxiv", "2406.18966", id="arxiv_link_without_scheme"),
    pytest.param("1412.6980", "arxiv", "1412.6980", id="arxiv_four_digits"),
    pytest.param("hep-th/9901001", "arxiv", "hep-th/9901001", id="arxiv_old"),
    pytest.param("math.GT/0309136v2", "arxiv", "math.GT/0309136", id="arxiv_old_subject_version"),
    pytest.param("https://arxiv.org/abs/hep-th/9901001", "arxiv", "hep-th/9901001", id="arxiv_old_link"),
    pytest.param("10.18653/v1/2024.acl-long.12", "doi", "10.18653/v1/2024.acl-long.12", id="doi_bare"),
    pytest.param("doi:10.1609/aaai.v39i23.34602", "doi", "10.1609/aaai.v39i23.34602", id="doi_prefix"),
    pytest.param("https://doi.org/10.48550/arXiv.2402.13446", "doi", "10.48550/arXiv.2402.13446", id="doi_link"),
    pytest.param("http://dx.doi.org/10.1609%2Faaai.v39i23.34602", "doi", "10.1609/aaai.v39i23.34602", id="doi_encoded"),
    pytest.param("2024.acl-long.12", "anthology", "2024.acl-long.12", id="anthology_new"),
    pytest.param("P19-1001", "anthology", "P19-1001", id="anthology_old"),
    pytest.param("2024.tacl-1.5", "anthology", "2024.tacl-1.5", id="anthology_digit_volume"),
    pytest.param(
        "https://aclanthology.org/2025.findings-acl.906/", "anthology", "2025.findings-acl.906", id="anth_link"
    ),
    pytest.param("https://aclanthology.org/2024.emnlp-main.54.pdf", "anthology", "2024.emnlp-main.54", id="anth_pdf"),
    pytest.param("https://www.aclweb.org/anthology/P19-1001", "anthology", "P19-1001", id="anthology_aclweb"),
]


@pytest.mark.parametrize(("text", "kind", "value"), READ)
def test_every_pasted_form_is_read(text, kind, value):
    assert parse(text) == Identifier(kind, value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("abc", id="word"),
        pytest.param("2406.1896", id="arxiv_too_short"),
        pytest.param("2413.18966", id="arxiv_month_13"),
        pytest.param("arXiv:banana", id="arxiv_prefix_junk"),
        pytest.param("xx-yy/9901001", id="arxiv_unknown_archive"),
        pytest.param("10.1/x", id="doi_short_registrant"),
        pytest.param("doi:10.1000/a b", id="doi_with_space"),
        pytest.param("https://example.org/paper", id="other_link"),
        pytest.param("https://aclanthology.org/people/x", id="anthology_non_paper_link"),
    ],
)
def test_anything_else_is_a_usage_error_listing_the_forms(text):
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert caught.value.exit_code == 2
    assert repr(text) in str(caught.value)
    for form in ("arXiv id", "DOI", "ACL Anthology id", "hep-th/9901001", "doi.org"):
        assert form in str(caught.value)
