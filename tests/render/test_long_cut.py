"""render.long.cut alone (no pandoc): which references form a group, packing groups into parts, merging."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndata_export.render.long import cut


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
    assert cut.groups(items, keyed=True) == [[0, 1], [2]]


def test_every_name_list_counts_and_items_without_names_stop_the_cut() -> None:
    items = [
        {"id": "a", "author": [{"family": "Lee"}]},
        {"id": "b", "author": [{"family": "Kim"}], "editor": [{"family": "Lee"}]},
    ]
    assert cut.groups(items, keyed=True) == [[0, 1]]
    assert cut.groups([*items, {"id": "c", "title": "Anonymous"}], keyed=True) is None


@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30), st.integers(min_value=1, max_value=120)
)
def test_parts_keep_groups_whole_and_input_order(sizes: list[int], size: int) -> None:
    indices = iter(range(sum(sizes)))
    groups = [[next(indices) for _ in range(k)] for k in sizes]
    packed = cut.parts(groups, size)
    assert sorted(i for b in packed for i in b) == list(range(sum(sizes)))
    assert all(b == sorted(b) for b in packed)
    where = {i: n for n, b in enumerate(packed) for i in b}
    assert all(len({where[i] for i in g}) == 1 for g in groups)


def test_merge_follows_the_global_order_and_refuses_disagreement() -> None:
    order = ["c", "a", "d", "b"]
    assert cut.merge(order, [[("c", 1), ("d", 3)], [("a", 2), ("b", 4)]]) == [
        ("c", 1),
        ("a", 2),
        ("d", 3),
        ("b", 4),
    ]
    with pytest.raises(cut.OrderMismatch):
        cut.merge(order, [[("d", 3), ("c", 1)], [("a", 2), ("b", 4)]])
    with pytest.raises(cut.OrderMismatch):
        cut.merge(order, [[("c", 1), ("d", 3)], [("a", 2)]])


@pytest.mark.parametrize(("sizes", "processes"), [([150] * 7, 4), ([5, 90, 40, 40, 10], 2), ([3], 4), ([1] * 67, 4)])
def test_parts_are_dealt_evenly_among_processes(sizes: list[int], processes: int) -> None:
    parts = [list(range(sum(sizes[:n]), sum(sizes[: n + 1]))) for n in range(len(sizes))]
    dealt = cut.deal(parts, processes)
    assert len(dealt) == min(processes, len(parts)) and all(dealt)
    assert sorted(p for share in dealt for p in share) == sorted(parts)  # each part once
    loads = [sum(map(len, share)) for share in dealt]
    assert loads == sorted(loads, reverse=True) and loads[0] - loads[-1] <= max(sizes)
