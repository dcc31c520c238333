"""The fast path prints exactly what one whole pandoc pass prints: same entries, text and order.

Every case renders the same seeded items twice, through ``fast.render`` (parts in parallel, merged)
and through ``pandoc.bibliography`` (one whole pass, the reference), and compares the entries and
the Markdown and HTML documents built from them. Small batch sizes force many parts, so merging
is exercised even on short lists. A control case shows the stress items do relate papers across
any naive cut, so agreement is not an accident of easy data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate
from syndata_export import catalogue, csl, render, styles
from syndata_export.render import fast, pandoc, partition
from tests.conftest import IN_CI
from tests.fast_render_support import stress_items

SECTIONS = ["Survey Papers", "Research Papers", "Analysis Papers"]


def _both(items: list[dict], style_name: str, batch_size: int) -> tuple[list, list, fast.Report]:
    style = styles.resolve(style_name).path
    parts, report = fast.render(items, style, batch_size=batch_size)
    return parts, pandoc.bibliography(items, style), report


def _documents(items: list[dict], style: str, monkeypatch: pytest.MonkeyPatch, fast_path: bool) -> list[str]:
    engine = fast.bibliography if fast_path else render.ENGINES["pandoc"]
    with monkeypatch.context() as patch:
        patch.setitem(render.ENGINES, "pandoc", engine)
        return [render.render(items, SECTIONS, style=style, fmt=fmt) for fmt in ("markdown", "html")]


@pytest.mark.parametrize(
    ("style", "n", "seed", "batch_size"),
    [
        pytest.param("apa", 100, 1, 20, id="apa-100"),
        pytest.param("apa", 300, 2, 40, id="apa-300"),
        pytest.param("acl", 1000, 3, 100, id="acl-1000"),
        pytest.param("chicago-author-date", 300, 4, 40, id="chicago-author-date-300"),
        pytest.param("ieee", 1000, 5, 100, id="ieee-1000-falls-back"),
    ],
)
def test_stress_items_match_one_whole_pass(style: str, n: int, seed: int, batch_size: int) -> None:
    items = stress_items(n, seed)
    parts, whole, report = _both(items, style, batch_size)
    assert [key for key, _ in parts] == [key for key, _ in whole]
    assert parts == whole
    if style == "ieee":
        assert report.path == "one pass" and "citation-number" in report.reason
    else:
        assert report.path == "parts" and report.batches > 2


@pytest.mark.parametrize("style", ["apa", "acl"])
def test_generated_catalogue_documents_are_byte_identical(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real hub: catalogue YAML → CSL items → grouped Markdown and HTML documents."""
    items = csl.to_csl(catalogue.parse(generate(400, 7), "generated.yaml"))
    fast_docs = _documents(items, style, monkeypatch, fast_path=True)
    assert fast_docs == _documents(items, style, monkeypatch, fast_path=False)
    # APA's name disambiguation is what cutting pays for; ACL's year suffixes alone are cheaper in one pass
    assert fast.render(items, styles.resolve(style).path)[1].path == ("parts" if style == "apa" else "one pass")


@pytest.mark.skipif(not IN_CI, reason="about a minute of whole-pass pandoc; runs under CI")
def test_apa_thousand_stress_items_match_one_whole_pass() -> None:
    parts, whole, report = _both(stress_items(1000, 11), "apa", 150)
    assert report.path == "parts"
    assert parts == whole


@pytest.mark.parametrize("style", ["apa", "acl", "chicago-author-date"])
def test_control_a_cut_that_ignores_names_changes_the_bibliography(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the name keys the same cut prints other entries: the stress data has teeth."""
    items = stress_items(200, 1)
    keyed = partition.groups
    monkeypatch.setattr(partition, "groups", lambda found, _keyed: keyed(found, False))
    parts, whole, report = _both(items, style, 50)
    assert report.path == "parts"
    assert parts != whole


def test_parts_out_of_order_fall_back_to_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a part ever disagrees with the global order, the whole list is rendered in one pass."""
    items = stress_items(120, 6)

    def disagree(order, results):
        raise partition.OrderMismatch("forced")

    monkeypatch.setattr(partition, "merge", disagree)
    with pytest.warns(RuntimeWarning, match="one pass"):
        parts, whole, report = _both(items, "apa", 30)
    assert report.path == "one pass"
    assert parts == whole


@pytest.mark.parametrize(
    ("style", "reason"),
    [
        pytest.param("ieee", "citation-number", id="numeric"),
        pytest.param("american-anthropological-association", "subsequent-author-substitute", id="author-substitute"),
    ],
)
def test_fast_path_not_used_where_its_conditions_fail(style: str, reason: str) -> None:
    items = stress_items(400, 8)
    parts, whole, report = _both(items, style, 50)
    assert report.path == "one pass" and reason in report.reason
    assert parts == whole


def test_all_names_rule_falls_back(tmp_path) -> None:
    """APA with givenname-disambiguation-rule="all-names": names relate across every cite."""
    source = styles.resolve("apa").path.read_text(encoding="utf-8")
    changed = source.replace(
        'givenname-disambiguation-rule="primary-name-with-initials"', 'givenname-disambiguation-rule="all-names"'
    )
    assert changed != source
    path = tmp_path / "apa-all-names.csl"
    path.write_text(changed, encoding="utf-8")
    items = stress_items(150, 9)
    parts, report = fast.render(items, path, batch_size=30)
    assert report.path == "one pass" and "all-names" in report.reason
    assert parts == pandoc.bibliography(items, path)


def test_short_lists_take_one_pass() -> None:
    items = stress_items(50, 10)
    parts, report = fast.render(items, styles.resolve("apa").path)
    assert report.path == "one pass" and "fewer than" in report.reason
    assert parts == pandoc.bibliography(items, styles.resolve("apa").path)


def _order(items: list[dict], ordering: Path) -> list[str]:
    return [key for key, _ in pandoc.bibliography(items, ordering)]


@pytest.mark.parametrize("style", ["apa", "acl", "chicago-author-date", "harvard-cite-them-right", "nature"])
def test_the_ordering_pass_sorts_the_same_on_the_variables_it_reads(style: str, tmp_path: Path) -> None:
    """Items cut down to ``ordering_variables`` sort exactly as whole items do."""
    root = styles.check(styles.resolve(style).path)
    ordering = tmp_path / "order.csl"
    ordering.write_bytes(partition.ordering_style(root))
    wanted = partition.ordering_variables(root)
    generated = csl.to_csl(catalogue.parse(generate(200, 12), "generated.yaml"))
    for items in (stress_items(300, 12), generated):
        cut = [{k: v for k, v in item.items() if k in wanted} for item in items]
        if style in ("acl", "nature"):  # sorts on a few variables: the cut leaves fields out
            assert sum(map(len, cut)) < sum(map(len, items))
        assert _order(cut, ordering) == _order(items, ordering)


def test_the_ordering_pass_needs_the_variables_it_keeps(tmp_path: Path) -> None:
    """Control: without one variable the ACL sort reads (the title), the order changes."""
    root = styles.check(styles.resolve("acl").path)
    ordering = tmp_path / "order.csl"
    ordering.write_bytes(partition.ordering_style(root))
    assert {"author", "issued", "title"} <= partition.ordering_variables(root)
    items = stress_items(300, 12)
    assert _order([{k: v for k, v in i.items() if k != "title"} for i in items], ordering) != _order(items, ordering)


@pytest.mark.parametrize("style", ["apa", "acl"])
def test_one_pandoc_renders_several_bibliographies_as_separate_passes_do(style: str, monkeypatch, tmp_path) -> None:
    """``bibliographies`` (one process, a Lua filter) prints what one ``bibliography`` per batch prints."""
    items = stress_items(240, 13)
    batches = [items[:100], items[100:101], items[101:]]
    path = styles.resolve(style).path
    separate = [pandoc.bibliography(batch, path) for batch in batches]
    assert pandoc.bibliographies(batches, path) == separate
    monkeypatch.setattr(pandoc, "version", lambda: (2, 19, 0))  # before pandoc.utils.citeproc: one pass each
    assert pandoc.bibliographies(batches, path) == separate


def test_several_bibliographies_reach_pandoc_whatever_the_paths(tmp_path, monkeypatch) -> None:
    """Batch files, the style and the temporary folder named like Markdown emphasis stay intact."""
    import shutil
    import tempfile

    temp = tmp_path / "_t_"
    temp.mkdir()
    style = tmp_path / "_acl_.csl"
    shutil.copyfile(styles.resolve("acl").path, style)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    items = stress_items(30, 14)
    found = pandoc.bibliographies([items[:10], items[10:]], style)
    assert [len(part) for part in found] == [10, 20]
    assert list(temp.iterdir()) == []  # the batch folder is gone


@pytest.mark.parametrize("alone", [True, False])
def test_on_long_lists_the_ordering_pass_runs_alone(alone: bool, monkeypatch) -> None:
    """Its process is the largest: from ORDER_ALONE_MIN_ITEMS on, no batch process starts before it ends."""
    import threading

    events: list[str] = []
    batch_started = threading.Event()
    order, batches = pandoc.bibliography, pandoc.bibliographies

    def ordering(*args):
        if not alone:  # beside the batches: a batch process must start while this pass runs
            assert batch_started.wait(timeout=30), "no batch started while the ordering pass ran"
        result = order(*args)
        events.append("order end")
        return result

    def batch(*args):
        events.append("batch start")
        batch_started.set()
        return batches(*args)

    monkeypatch.setattr(fast, "ORDER_ALONE_MIN_ITEMS", 300 if alone else 10**9)
    monkeypatch.setattr(pandoc, "bibliography", ordering)
    monkeypatch.setattr(pandoc, "bibliographies", batch)
    items = stress_items(300, 15)
    parts, report = fast.render(items, styles.resolve("apa").path, batch_size=40, workers=2)
    assert report.path == "parts" and "order end" in events and "batch start" in events
    assert (events.index("order end") < events.index("batch start")) is alone
