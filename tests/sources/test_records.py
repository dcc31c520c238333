"""sources.records: a new record keyed by the catalogue's rule; an existing one only added to."""

from __future__ import annotations

import pytest

from syndata_export.sources import records
from syndata_export.sources.found import Found
from tests.sources.stand_ins import RECORDS, preprint

PEOPLES = ("code", "project", "published")  # what no source gives: a person added it


@pytest.mark.parametrize("key", list(RECORDS))
def test_a_new_record_from_arxiv_is_the_shipped_record_with_its_key(key):
    fields = RECORDS[key]
    record = records.new_record(preprint(fields), fields["section"], set())
    assert {k: str(v) if k == "date" else v for k, v in record.items()} == {
        k: v for k, v in fields.items() if k not in PEOPLES
    }


def test_a_new_key_never_takes_one_already_there_in_any_case():
    taken = {"wu2024unigen", "wu2024unigenb".upper().casefold()}
    record = records.new_record(preprint(RECORDS["wu2024unigen"]), "Research Papers", taken)
    assert record["key"] == "wu2024unigenc"
    assert "wu2024unigenc" in taken


def test_completion_appends_the_rest_of_an_et_al_list_and_keeps_what_a_person_wrote():
    imported = {
        "key": "wu2024unigen",
        "type": "article",
        "title": "UniGen: a unified framework for textual dataset generation using LLMs",  # written by hand
        "authors": ["Wu, S.", "Huang, Y.", "Gao, C."],
        "authors_incomplete": True,
        "date": 2024,
        "arxiv": "2406.18966",
    }
    done = records.complete(imported, preprint(RECORDS["wu2024unigen"]))
    assert done.authors == RECORDS["wu2024unigen"]["authors"][3:]
    assert done.whole
    assert set(done.fields) == {"doi", "url"}  # the date and title were written: they stay
    assert done.differences == [
        "title: catalogue 'UniGen: a unified framework for textual dataset generation using LLMs', arxiv "
        "'UniGen: A Unified Framework for Textual Dataset Generation Using Large Language Models'"
    ]


def test_an_et_al_list_the_source_does_not_begin_with_is_reported_not_filled():
    imported = {"key": "x", "type": "article", "title": "T", "authors": ["Huang, Y."], "authors_incomplete": True}
    found = Found("arxiv", {"type": "article", "title": "T", "authors": ["Wu, Siyuan", "Huang, Yue"]})
    done = records.complete(imported, found)
    assert (done.authors, done.whole) == ([], False)
    assert done.differences == ["authors: catalogue 'Huang, Y.', arxiv 'Wu, Siyuan; Huang, Yue'"]


def test_a_different_version_lends_only_what_belongs_to_the_paper():
    conference = {"key": "x", "type": "paper-conference", "title": "T", "authors": ["Wu, S."], "date": 2025}
    found = Found("arxiv", {"type": "article", "title": "T", "authors": ["Wu, Siyuan"], "date": "2024-06-27",
                            "arxiv": "2406.18966", "arxiv_class": "cs.CL"})  # fmt: skip
    done = records.complete(conference, found)
    assert done.fields == {"arxiv": "2406.18966", "arxiv_class": "cs.CL"}
    assert done.differences == []  # the preprint's date is not the conference paper's
