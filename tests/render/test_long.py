"""render.long prints exactly what one whole pandoc pass prints: same entries, text and order.

Every case renders the same seeded items twice, through ``long.render`` (parts in parallel, merged)
and through ``pandoc.bibliography`` (one whole pass, the reference), and compares the entries and
the Markdown and HTML documents built from them. Small part sizes force many parts, so merging
is exercised even on short lists. A control case shows the stress items do relate papers across
any naive cut, so agreement is not an accident of easy data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate
from syndata_export import catalogue, csl, render, styles
from syndata_export.render import EngineWarning, long, pandoc
from syndata_export.render.long import cut, many, plan
from tests.render.stress import stress_items

SECTIONS = ["Survey Papers", "Research Papers", "Analysis Papers"]


def _both(items: list[dict], style_name: str, part_size: int) -> tuple[list, list, long.Report]:
    style = styles.resolve(style_name)
    parts, report = long.render(items, style, part_size=part_size)
    return parts, pandoc.bibliography(items, style.path), report


def _documents(items: list[dict], style: str, monkeypatch: pytest.MonkeyPatch, long_path: bool) -> list[str]:
    """The Markdown and HTML pages, with the long path for any length, or one pandoc pass always."""
    with monkeypatch.context() as patch:
        patch.setattr(render, "LONG_LIST", 0 if long_path else 10**9)
        return [render.render(items, SECTIONS, style=style, fmt=fmt) for fmt in ("markdown", "html")]


@pytest.mark.parametrize(
    ("style", "n", "seed", "part_size"),
    [
        pytest.param("apa", 100, 1, 20, id="apa-100"),
        pytest.param("apa", 300, 2, 40, id="apa-300"),
        pytest.param("acl", 1000, 3, 100, id="acl-1000"),
        pytest.param("chicago-author-date", 300, 4, 40, id="chicago-author-date-300"),
        pytest.param("ieee", 1000, 5, 100, id="ieee-1000-falls-back"),
    ],
)
def test_stress_items_match_one_whole_pass(style: str, n: int, seed: int, part_size: int) -> None:
    items = stress_items(n, seed)
    parts, whole, report = _both(items, style, part_size)
    assert [key for key, _ in parts] == [key for key, _ in whole]
    assert parts == whole
    if style == "ieee":
        assert report.path == "one pass" and "citation-number" in report.reason
    else:
        assert report.path == "parts" and report.parts > 2


@pytest.mark.parametrize("style", ["apa", "acl"])
def test_generated_catalogue_documents_are_byte_identical(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real hub: catalogue YAML → CSL items → grouped Markdown and HTML documents."""
    items = csl.to_csl(catalogue.parse(generate(400, 7), "generated.yaml"))
    long_docs = _documents(items, style, monkeypatch, long_path=True)
    assert long_docs == _documents(items, style, monkeypatch, long_path=False)
    # APA's name disambiguation is what cutting pays for; ACL's year suffixes alone are cheaper in one pass
    assert long.render(items, styles.resolve(style))[1].path == ("parts" if style == "apa" else "one pass")


def test_apa_thousand_stress_items_match_one_whole_pass() -> None:
    """A thousand APA stress items (about 4 s both ways): cut and merged, they print one whole pass."""
    parts, whole, report = _both(stress_items(1000, 11), "apa", 150)
    assert report.path == "parts"
    assert parts == whole


@pytest.mark.parametrize("style", ["apa", "acl", "chicago-author-date"])
def test_control_a_cut_that_ignores_names_changes_the_bibliography(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the name keys the same cut prints other entries: the stress data has teeth."""
    items = stress_items(200, 1)
    keyed = cut.groups
    monkeypatch.setattr(cut, "groups", lambda found, _keyed: keyed(found, False))
    parts, whole, report = _both(items, style, 50)
    assert report.path == "parts"
    assert parts != whole


def test_parts_out_of_order_fall_back_to_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a part ever disagrees with the global order, the whole list is rendered in one pass."""
    items = stress_items(120, 6)

    def disagree(order, results):
        raise cut.OrderMismatch("forced")

    monkeypatch.setattr(cut, "merge", disagree)
    with pytest.warns(EngineWarning, match="one pass"):
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
def test_parts_not_used_where_their_conditions_fail(style: str, reason: str) -> None:
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
    parts, report = long.render(items, styles.resolve(str(path)), part_size=30)
    assert report.path == "one pass" and "all-names" in report.reason
    assert parts == pandoc.bibliography(items, path)


def test_short_lists_never_reach_the_long_path(monkeypatch) -> None:
    """Below render.LONG_LIST the pandoc engine renders in one pass, without asking the planner."""
    items = stress_items(render.LONG_LIST - 1, 10)
    monkeypatch.setattr(long, "render", lambda *args, **kwargs: pytest.fail("the long path was taken"))
    assert len(render.bibliography(items, "acl")) == len(items)


def _order(items: list[dict], ordering: Path) -> list[str]:
    return [key for key, _ in pandoc.bibliography(items, ordering)]


@pytest.mark.parametrize("style", ["apa", "acl", "chicago-author-date", "harvard-cite-them-right", "nature"])
def test_the_ordering_pass_sorts_the_same_on_the_variables_it_reads(style: str, tmp_path: Path) -> None:
    """Items cut down to ``ordering_variables`` sort exactly as whole items do."""
    root = styles.resolve(style).root
    ordering = tmp_path / "order.csl"
    ordering.write_bytes(plan.ordering_style(root))
    wanted = plan.ordering_variables(root)
    generated = csl.to_csl(catalogue.parse(generate(200, 12), "generated.yaml"))
    for items in (stress_items(300, 12), generated):
        cut = [{k: v for k, v in item.items() if k in wanted} for item in items]
        if style in ("acl", "nature"):  # sorts on a few variables: the cut leaves fields out
            assert sum(map(len, cut)) < sum(map(len, items))
        assert _order(cut, ordering) == _order(items, ordering)


def test_the_ordering_pass_needs_the_variables_it_keeps(tmp_path: Path) -> None:
    """Control: without one variable the ACL sort reads (the title), the order changes."""
    root = styles.resolve("acl").root
    ordering = tmp_path / "order.csl"
    ordering.write_bytes(plan.ordering_style(root))
    assert {"author", "issued", "title"} <= plan.ordering_variables(root)
    items = stress_items(300, 12)
    assert _order([{k: v for k, v in i.items() if k != "title"} for i in items], ordering) != _order(items, ordering)


@pytest.mark.parametrize("style", ["apa", "acl"])
def test_one_pandoc_renders_several_bibliographies_as_separate_passes_do(style: str, monkeypatch, tmp_path) -> None:
    """``many.bibliographies`` (one process, a Lua filter) prints what one ``bibliography`` per part prints."""
    items = stress_items(240, 13)
    parts = [items[:100], items[100:101], items[101:]]
    path = styles.resolve(style).path
    separate = [pandoc.bibliography(part, path) for part in parts]
    assert many.bibliographies(parts, path) == separate
    monkeypatch.setattr(pandoc, "version", lambda: (2, 19, 0))  # before pandoc.utils.citeproc: one pass each
    assert many.bibliographies(parts, path) == separate


def test_several_bibliographies_reach_pandoc_whatever_the_paths(tmp_path, monkeypatch) -> None:
    """Part files, the style and the temporary folder named like Markdown emphasis stay intact."""
    import shutil
    import tempfile

    temp = tmp_path / "_t_"
    temp.mkdir()
    style = tmp_path / "_acl_.csl"
    shutil.copyfile(styles.resolve("acl").path, style)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    items = stress_items(30, 14)
    found = many.bibliographies([items[:10], items[10:]], style)
    assert [len(part) for part in found] == [10, 20]
    assert list(temp.iterdir()) == []  # the folder of parts is gone


@pytest.mark.parametrize("alone", [True, False])
def test_on_long_lists_the_ordering_pass_runs_alone(alone: bool, monkeypatch) -> None:
    """Its process is the largest: from ORDER_ALONE_MIN_ITEMS on, no process of parts starts before it ends."""
    import threading

    events: list[str] = []
    parts_started = threading.Event()
    order, several = pandoc.bibliography, many.bibliographies

    def ordering(*args):
        if not alone:  # beside the parts: a process of parts must start while this pass runs
            assert parts_started.wait(timeout=30), "no process of parts started while the ordering pass ran"
        result = order(*args)
        events.append("order end")
        return result

    def parts(*args):
        events.append("parts start")
        parts_started.set()
        return several(*args)

    monkeypatch.setattr(long, "ORDER_ALONE_MIN_ITEMS", 300 if alone else 10**9)
    monkeypatch.setattr(pandoc, "bibliography", ordering)
    monkeypatch.setattr(many, "bibliographies", parts)
    items = stress_items(300, 15)
    _, report = long.render(items, styles.resolve("apa"), part_size=40, workers=2)
    assert report.path == "parts" and "order end" in events and "parts start" in events
    assert (events.index("order end") < events.index("parts start")) is alone


@pytest.mark.parametrize("style", ["apa", "acl"])
def test_year_suffixes_and_order_on_the_long_path_are_citeproc_js_s(style: str, monkeypatch) -> None:
    """The three papers of test_render's citeproc-js case, among others that put them in a part of their own."""
    from tests.render.test_render import CITEPROC_JS, SAME_INITIALS

    others = [
        dict(SAME_INITIALS[0], id=f"other{n}", author=[{"family": f"Other{n}", "given": "Ann"}]) for n in range(90)
    ]
    reports: list[long.Report] = []
    whole = long.render

    def recorded(*args, **kwargs):
        formatted, report = whole(*args, **kwargs)
        reports.append(report)
        return formatted, report

    monkeypatch.setattr(render, "LONG_LIST", 0)
    monkeypatch.setattr(long, "CHEAP_MIN_ITEMS", 0)  # ACL too is cut
    monkeypatch.setattr(long, "render", recorded)
    entries = render.bibliography(others + SAME_INITIALS, style, "pandoc", "text")
    assert [r.path for r in reports] == ["parts"], reports
    assert [(e.key, e.text) for e in entries if not e.key.startswith("other")] == CITEPROC_JS[style, "same initials"]
