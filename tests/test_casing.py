"""Sentence case and protected terms: one policy for CSL and BibTeX, checked against acl_natbib.bst."""

from __future__ import annotations

import json

import pytest
import yaml

from syndata_export import casing
from tests.conftest import need_shared

TERMS = ("LLM", "LLMs", "UniGen", "DataGen", "FANNO", "AgentInstruct", "Source2Synth")


def reference_pairs():
    """(title as published, title as acl_natbib.bst prints it) for every reference entry."""
    bib_titles = {}
    for paper in yaml.safe_load(need_shared("reference", "seed-metadata.yaml").read_text(encoding="utf-8")):
        bib_titles[paper["arxiv"]] = paper["title"]
        if paper.get("venue_title"):
            bib_titles[paper["arxiv"] + "v"] = paper["venue_title"]
    printed = {}
    for item in json.loads(need_shared("reference", "acl-reference.json").read_text(encoding="utf-8")):
        printed[item["title"].casefold()] = item["title"]
    return [(t, printed[casing.sentence_case(t, TERMS).casefold()]) for t in bib_titles.values()]


def test_a_capital_after_a_question_mark_is_protected():
    title = "How Bad is Training on Synthetic Data? A Statistical Analysis"
    assert casing.braced_title(title) == "How Bad is Training on Synthetic Data? {A} Statistical Analysis"
    assert casing.sentence_case("Is it? yes") == "Is it? yes", "a lower-case word stays lower-case"
    assert casing.braced_title("AT&T Labs") == "{AT&T} Labs", "an ampersand inside an acronym keeps it whole"


def test_sentence_case_matches_what_the_bst_prints():
    """Except one deliberate difference: a sentence after "?" keeps its capital (APA 7, and any
    sentence-case style, want "Data? A statistical analysis"; the bst's rule lowers it)."""
    pairs = reference_pairs()
    assert len(pairs) == 19
    for published, printed in pairs:
        assert casing.sentence_case(published, TERMS) == printed.replace("? a ", "? A ")
    assert any("? a " in printed for _, printed in pairs), "the deliberate difference is still exercised"


@pytest.mark.parametrize(
    ("title", "braced"),
    [
        pytest.param("UniGen: A Unified Framework", "{UniGen}: A Unified Framework", id="term"),
        pytest.param("Open-Sourced LLMs Only", "Open-Sourced {LLMs} Only", id="plural_term_not_split"),
        pytest.param("GPT-4 Is Here", "{GPT}-4 Is Here", id="plain_acronym"),
        pytest.param("Training T5 and Source2Synth", "Training {T5} and {Source2Synth}", id="digits_with_capitals"),
        pytest.param("Self-Boosting Large Models", "Self-Boosting Large Models", id="ordinary_capitals_unbraced"),
    ],
)
def test_braces_exactly_the_protected_parts(title, braced):
    assert casing.braced_title(title, TERMS) == braced


def test_multi_word_terms_and_nocase_spans():
    title = "Syncing with Zotero Web API Clients"
    assert casing.sentence_case(title, ("Zotero Web",)) == "Syncing with Zotero Web API clients"
    assert casing.csl_title(title, ("Zotero Web",)) == (
        'Syncing with <span class="nocase">Zotero Web</span> <span class="nocase">API</span> clients'
    )
