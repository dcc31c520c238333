"""The planner alone (no pandoc): which styles may be cut, which references stay together, merging."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndata_export import styles
from syndata_export.render import partition

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
    found = partition.plan(styles.check(styles.resolve(name).path))
    assert (found.partition, found.keyed, found.heavy) == (True, True, heavy)


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
    found = partition.plan(root)
    assert not found.partition
    assert words in found.reason


def test_by_cite_is_keyed_and_no_disambiguation_is_free() -> None:
    assert partition.plan(_style('disambiguate-add-givenname="true"')).keyed  # by-cite is the default rule
    free = partition.plan(_style())
    assert free.partition and not free.keyed


def test_disambiguate_condition_alone_needs_keys() -> None:
    condition = '<choose><if disambiguate="true"><text variable="title"/></if></choose>'
    root = _style(cite_layout=f'<layout><names variable="author"/>{condition}</layout>')
    assert partition.plan(root).keyed


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param({"family": "van Dijk"}, {"family": "Dijk", "non-dropping-particle": "van"}, id="particle-apart"),
        pytest.param({"literal": "Smith"}, {"family": "Smith", "given": "J."}, id="literal"),
        pytest.param({"family": "SMITH"}, {"family": "smith"}, id="case"),
        pytest.param({"family": "Smith-Jones"}, {"family": "Jones"}, id="compound"),
        pytest.param({"given": "Plato"}, {"family": "Plato"}, id="mononym"),
    ],
)
def test_names_that_can_print_alike_share_a_group(a: dict, b: dict) -> None:
    items = [
        {"id": "a", "author": [a, {"family": "Other"}]},
        {"id": "b", "author": [b]},
        {"id": "c", "author": [{"family": "Unrelated"}]},
    ]
    assert partition.groups(items, keyed=True) == [[0, 1], [2]]


def test_every_name_list_counts_and_items_without_names_stop_the_cut() -> None:
    items = [
        {"id": "a", "author": [{"family": "Lee"}]},
        {"id": "b", "author": [{"family": "Kim"}], "editor": [{"family": "Lee"}]},
    ]
    assert partition.groups(items, keyed=True) == [[0, 1]]
    assert partition.groups([*items, {"id": "c", "title": "Anonymous"}], keyed=True) is None


@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30), st.integers(min_value=1, max_value=120)
)
def test_batches_keep_groups_whole_and_input_order(sizes: list[int], size: int) -> None:
    indices = iter(range(sum(sizes)))
    groups = [[next(indices) for _ in range(k)] for k in sizes]
    packed = partition.batches(groups, size)
    assert sorted(i for b in packed for i in b) == list(range(sum(sizes)))
    assert all(b == sorted(b) for b in packed)
    where = {i: n for n, b in enumerate(packed) for i in b}
    assert all(len({where[i] for i in g}) == 1 for g in groups)


def test_merge_follows_the_global_order_and_refuses_disagreement() -> None:
    order = ["c", "a", "d", "b"]
    assert partition.merge(order, [[("c", 1), ("d", 3)], [("a", 2), ("b", 4)]]) == [
        ("c", 1),
        ("a", 2),
        ("d", 3),
        ("b", 4),
    ]
    with pytest.raises(partition.OrderMismatch):
        partition.merge(order, [[("d", 3), ("c", 1)], [("a", 2), ("b", 4)]])
    with pytest.raises(partition.OrderMismatch):
        partition.merge(order, [[("c", 1), ("d", 3)], [("a", 2)]])


def test_ordering_style_keeps_sort_and_drops_disambiguation() -> None:
    root = styles.check(styles.resolve("apa").path)
    trimmed = ET.fromstring(partition.ordering_style(root))
    citation = trimmed.find(f"{partition.CSL}citation")
    assert not [a for a in citation.attrib if a.startswith("disambiguate")]
    bibliography = trimmed.find(f"{partition.CSL}bibliography")
    assert ET.tostring(bibliography.find(f"{partition.CSL}sort")) == ET.tostring(
        root.find(f"{partition.CSL}bibliography/{partition.CSL}sort")
    )
    assert bibliography.get("et-al-min") == "21"  # inherited name options shape the sort keys
    assert len(trimmed.findall(f"{partition.CSL}macro")) == len(root.findall(f"{partition.CSL}macro"))


@pytest.mark.parametrize(("sizes", "hands"), [([150] * 7, 4), ([5, 90, 40, 40, 10], 2), ([3], 4), ([1] * 67, 4)])
def test_batches_are_dealt_into_even_hands(sizes: list[int], hands: int) -> None:
    batches = [list(range(sum(sizes[:n]), sum(sizes[: n + 1]))) for n in range(len(sizes))]
    dealt = partition.deal(batches, hands)
    assert len(dealt) == min(hands, len(batches)) and all(dealt)
    assert sorted(b for hand in dealt for b in hand) == sorted(batches)  # each batch once
    loads = [sum(map(len, hand)) for hand in dealt]
    assert loads == sorted(loads, reverse=True) and loads[0] - loads[-1] <= max(sizes)
