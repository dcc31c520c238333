"""render.long.plan alone (no pandoc): which styles may be cut, and the ordering pass's trimmed style."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from syndata_export import styles
from syndata_export.render.long import plan

NS = 'xmlns="http://purl.org/net/xbiblio/csl"'
CITE_NAMES = '<layout><names variable="author"><name form="short"/></names></layout>'
BIB = (
    '<bibliography{attrs}><sort><key variable="author"/></sort><layout><text variable="title"/></layout></bibliography>'
)


def _style(
    citation_attrs: str = "", cite_layout: str = CITE_NAMES, bib_attrs: str = "", cls: str = "in-text"
) -> ET.Element:
    return ET.fromstring(
        f'<style {NS} class="{cls}" version="1.0"><citation {citation_attrs}>{cite_layout}</citation>'
        + BIB.format(attrs=bib_attrs)
        + "</style>"
    )


@pytest.mark.parametrize(
    ("name", "heavy"),
    [
        pytest.param("apa", True, id="apa"),
        pytest.param("chicago-author-date", True, id="chicago"),
        pytest.param("acl", False, id="acl"),
    ],
)
def test_author_date_styles_are_cut_by_name_keys(name: str, heavy: bool) -> None:
    found = plan.plan(styles.resolve(name).root)
    assert (found.in_parts, found.keyed, found.heavy) == (True, True, heavy)


@pytest.mark.parametrize(
    ("root", "words"),
    [
        pytest.param(
            _style(
                'disambiguate-add-year-suffix="true"', cite_layout="<layout><text variable='citation-number'/></layout>"
            ),
            "citation-number",
            id="numbered",
        ),
        pytest.param(
            _style('disambiguate-add-year-suffix="true"', bib_attrs=' subsequent-author-substitute="---"'),
            "subsequent-author-substitute",
            id="author-substitute",
        ),
        pytest.param(
            _style('disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"'),
            "all-names",
            id="all-names",
        ),
        pytest.param(
            _style('disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names-with-initials"'),
            "all-names-with-initials",
            id="all-names-with-initials",
        ),
        pytest.param(
            _style('disambiguate-add-year-suffix="true"', cite_layout="<layout><text variable='title'/></layout>"),
            "prints no names",
            id="cite-without-names",
        ),
        pytest.param(_style('disambiguate-add-year-suffix="true"', cls="note"), "note", id="note-style"),
        pytest.param(
            _style('disambiguate-add-givenname="true" givenname-disambiguation-rule="shortest"'),
            "unknown",
            id="unknown-rule",
        ),
    ],
)
def test_styles_that_must_take_one_pass(root: ET.Element, words: str) -> None:
    found = plan.plan(root)
    assert not found.in_parts
    assert words in found.reason


def test_by_cite_is_keyed_and_no_disambiguation_is_free() -> None:
    assert plan.plan(_style('disambiguate-add-givenname="true"')).keyed  # by-cite is the default rule
    free = plan.plan(_style())
    assert free.in_parts and not free.keyed


def test_disambiguate_condition_alone_needs_keys() -> None:
    condition = '<choose><if disambiguate="true"><text variable="title"/></if></choose>'
    root = _style(cite_layout=f'<layout><names variable="author"/>{condition}</layout>')
    assert plan.plan(root).keyed


def test_ordering_style_keeps_sort_and_drops_disambiguation() -> None:
    root = styles.resolve("apa").root
    trimmed = ET.fromstring(plan.ordering_style(root))
    citation = trimmed.find(f"{plan.CSL}citation")
    assert not [a for a in citation.attrib if a.startswith("disambiguate")]
    bibliography = trimmed.find(f"{plan.CSL}bibliography")
    assert ET.tostring(bibliography.find(f"{plan.CSL}sort")) == ET.tostring(
        root.find(f"{plan.CSL}bibliography/{plan.CSL}sort")
    )
    assert bibliography.get("et-al-min") == "21"  # inherited name options shape the sort keys
    assert len(trimmed.findall(f"{plan.CSL}macro")) == len(root.findall(f"{plan.CSL}macro"))
