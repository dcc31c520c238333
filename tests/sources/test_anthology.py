"""The ACL Anthology: a paper's own BibTeX read into its published version, LaTeX decoded."""

from __future__ import annotations

import pytest

from syndata_export.sources import NotFound, SourceError, anthology
from tests.sources.fakes import papers
from tests.sources.handlers_in_process import served

ACL = [p for p in papers.published() if p["published"].get("acl_anthology")]


@pytest.fixture
def http(monkeypatch):
    return served(monkeypatch)


def test_the_catalogue_has_anthology_papers():
    assert [p["key"] for p in ACL] == ["tan2024large", "zhu2024fanno", "dong2023abilities"]


@pytest.mark.parametrize("paper", ACL, ids=[p["key"] for p in ACL])
def test_fetch_recovers_the_published_version(http, paper):
    expected = papers.version(paper)
    found = anthology.fetch(http, expected["acl_anthology"])
    got = found.published
    for field in ("type", "title", "authors", "container", "pages", "publisher", "place", "doi", "acl_anthology"):
        assert got.get(field) == expected.get(field), field
    assert got["date"][:4] == expected["date"] and len(got["date"]) == 7  # the Anthology adds the month
    assert got["url"] == f"https://aclanthology.org/{expected['acl_anthology']}/"
    assert http.log == [("anthology", f"/{expected['acl_anthology']}.bib", {})]


def test_an_unknown_id_is_not_found(http):
    with pytest.raises(NotFound):
        anthology.fetch(http, "2024.acl-long.9999")


LATEX = rb"""@inproceedings{vulic-etal-2020-probing,
    title = "Probing Pretrained Language Models for Lexical Semantics in {E}nglish: {``}Words{''} {\&} {GDTB}",
    author = "Vuli{\'c}, Ivan  and
      Ponti, Edoardo Maria  and
      van der Berg, Jan",
    month = nov,
    year = "2020",
    url = "https://aclanthology.org/2020.emnlp-main.586",
    pages = "7222--7240",
}
"""

JOURNAL = b"""@article{lo-etal-2020,
    title = "A Journal Paper",
    author = "Lo, Kyle",
    journal = "Transactions of the Association for Computational Linguistics",
    volume = "8",
    number = "2",
    year = "2020",
}
"""


def test_latex_is_decoded_and_bibtex_conventions_read():
    found = anthology.parse_bibtex(LATEX, "2020.emnlp-main.586")
    assert (
        found.fields["title"]
        == "Probing Pretrained Language Models for Lexical Semantics in English: \u201cWords\u201d & GDTB"
    )
    assert found.fields["authors"] == ["Vuli\u0107, Ivan", "Ponti, Edoardo Maria", "van der Berg, Jan"]
    assert (found.fields["date"], found.fields["pages"]) == ("2020-11", "7222-7240")
    assert found.fields["url"] == "https://aclanthology.org/2020.emnlp-main.586"  # older copies: no trailing /
    assert "doi" not in found.fields  # empty fields are left out, and nothing is guessed


def test_a_journal_volume_is_an_article_with_volume_and_issue():
    found = anthology.parse_bibtex(JOURNAL, "2020.tacl-1.2")
    assert found.published == {
        "type": "article-journal",
        "title": "A Journal Paper",
        "container": "Transactions of the Association for Computational Linguistics",
        "authors": ["Lo, Kyle"],
        "date": "2020",
        "volume": "8",
        "issue": "2",
        "acl_anthology": "2020.tacl-1.2",
    }


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><body>Not found</body></html>",
        b'@inproceedings{x,\n author = "A, B"}',
        b"\xff\xfe@",
        LATEX + JOURNAL,
    ],
    ids=["html", "no_title", "not_utf8", "two_entries"],
)
def test_a_malformed_answer_names_the_source(body):
    with pytest.raises(SourceError, match=r"^anthology: malformed answer for 2024\.acl-long\.12"):
        anthology.parse_bibtex(body, "2024.acl-long.12")
