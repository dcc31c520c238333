"""render: one pass through either engine, grouped by section; registries, links, and the resolved style.

The catalogue's goldens (every style, engine and format) are checked through the console script,
in ``test_cli.py``.
"""

from __future__ import annotations

import pytest

from syndata_export import render, styles
from syndata_export.errors import SyndataError, UsageError
from syndata_export.render import Entry
from tests.render.support import ENGINES, items, load_catalogue


@pytest.mark.parametrize("engine", ENGINES)
def test_sections_keep_catalogue_order_and_every_paper_appears_once(engine):
    cat = load_catalogue()
    text = render.render(items(), cat.sections, "apa", engine, "markdown")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == cat.sections
    entries = render.bibliography(items(), "apa", engine, "markdown")
    assert sorted(e.key for e in entries) == sorted(r.key for r in cat.records)
    for entry in entries:
        assert text.count(entry.text) == 1, entry.key


@pytest.mark.parametrize("engine", ENGINES)
def test_within_a_section_the_style_order_holds(engine):
    cat = load_catalogue()
    order = [e.key for e in render.bibliography(items(), "apa", engine)]
    section_of = {item["id"]: item["custom"]["section"] for item in items()}
    groups = render.group(render.bibliography(items(), "apa", engine), {i["id"]: i for i in items()}, cat.sections)
    for name, rows in groups:
        keys = [row.entry.key for row in rows]
        assert keys == [k for k in order if section_of[k] == name]


def _dong(key: str, given: str, title: str, section: str) -> dict:
    return {
        "id": key,
        "type": "article-journal",
        "title": title,
        "container-title": "J",
        "author": [
            {"family": "Dong", "given": given},
            {"family": "Other", "given": "Bo"},
            {"family": "Third", "given": "C"},
        ],
        "issued": {"date-parts": [[2024]]},
        "custom": {"section": section},
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_one_pass_gives_global_year_suffixes_across_sections(engine):
    # Both cite as "Dong et al., 2024"; in different sections they must still be 2024a and 2024b.
    data = [_dong("q", "Qing", "Self-boosting", "Preprints"), _dong("g", "Guan", "How abilities", "Published")]
    text = render.render(data, ["Published", "Preprints"], "acl", engine, "text")
    published, preprints = text.split("Preprints\n---------")
    assert "Guan Dong, Bo Other, and C Third. 2024a. How abilities." in published
    assert "Qing Dong, Bo Other, and C Third. 2024b. Self-boosting." in preprints


def test_bibliography_api_returns_frozen_entries_in_style_order():
    entries = render.bibliography(items(), style="apa", engine="pandoc", fmt="text")
    assert all(isinstance(e, Entry) for e in entries)
    assert entries[0].key == "bansal2024smaller" and entries[-1].key == "zhu2024fanno"
    with pytest.raises(AttributeError):
        entries[0].text = "changed"  # type: ignore[misc]


def test_empty_input_renders_nothing():
    assert render.bibliography([], "apa") == []
    assert render.render([], ["Survey Papers"], "apa", fmt="markdown") == "\n"


def test_paper_links_follow_the_original_list():
    by_key = {i["id"]: i for i in items()}
    assert render.links(by_key["tan2024large"]) == (
        ("Paper", "https://aclanthology.org/2024.emnlp-main.54/"),
        ("Project", "https://github.com/Zhen-Tan-dmml/LLM4Annotation"),
    )
    preprint = {i["id"]: i for i in items("preprint")}["yang2024synthetic"]
    assert render.links(preprint)[0] == ("Paper", "https://arxiv.org/abs/2409.07431")
    assert render.links(preprint)[1][0] == "Project", "the label the original list gives it"


BAD = [
    pytest.param({"engine": "citeproc"}, UsageError, "engines are: pandoc, citeproc-py", id="unknown_engine"),
    pytest.param({"fmt": "pdf"}, UsageError, "formats are: markdown, html, text", id="unknown_format"),
    pytest.param({"style": "apaa"}, UsageError, "did you mean: apa", id="unknown_style"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_names_are_usage_errors_naming_valid_ones(kwargs, error, message):
    with pytest.raises(error) as caught:
        render.bibliography(items(), **kwargs)
    assert message in str(caught.value)


def test_an_engine_that_loses_entries_is_an_error(monkeypatch):
    monkeypatch.setitem(render.ENGINES, "pandoc", lambda data, style: [])
    with pytest.raises(SyndataError, match="returned 0 entries for 14 papers"):
        render.bibliography(items(), "apa", "pandoc")


def test_cli_choices_are_the_registries():
    from syndata_export.cli import render as cli_render

    assert tuple(render.ENGINES) == cli_render.ENGINES
    assert tuple(render.FORMATS) == cli_render.FORMATS


def test_a_resolved_style_is_used_as_given(monkeypatch):
    """The CLI resolves the style once; render parses nothing again."""
    style = styles.resolve("apa")
    monkeypatch.setattr(styles, "resolve", lambda name: pytest.fail(f"resolved again: {name}"))
    assert [e.key for e in render.bibliography(items(), style)][0] == "bansal2024smaller"


def smith(key: str, given: str, title: str) -> dict:
    return {
        "id": key,
        "type": "article-journal",
        "title": title,
        "author": [{"family": "Smith", "given": given}],
        "issued": {"date-parts": [[2020]]},
        "container-title": "Journal of data",
        "custom": {"section": "Research Papers"},
    }


# Three papers that cite alike ("Smith, 2020", and still alike with initials added: "J. Smith"),
# in a catalogue order their titles sort against. Year suffixes follow the bibliography's order
# (CSL 1.0.2, "Disambiguation": year-suffix). APA sorts on its author macro as printed, "Smith, J."
# for all three (initialize-with is set on <style> and inherited: "Inheritable Name Options"),
# then on the date and the title; ACL sorts on the author variable, full names first.
SAME_INITIALS = [smith("scalable", "Jane", "Scalable reward synthesis"), smith("alpha", "John", "Alpha robust data")]
SAME_INITIALS.append(smith("middle", "J.", "Middle ground"))
SAME_NAME = [smith(item["id"], "Jane", item["title"]) for item in SAME_INITIALS]
# what citeproc-js prints for them (Zotero's CSL processor: npm citeproc 2.4.63, citeproc-js 1.4.63,
# with the same apa.csl and styles/acl.csl, text output), in its order
CITEPROC_JS = {
    ("apa", "same initials"): [
        ("alpha", "Smith, J. (2020a). Alpha robust data. Journal of Data."),
        ("middle", "Smith, J. (2020b). Middle ground. Journal of Data."),
        ("scalable", "Smith, J. (2020c). Scalable reward synthesis. Journal of Data."),
    ],
    ("acl", "same initials"): [
        ("middle", "J. Smith. 2020a. Middle ground. Journal of data."),
        ("scalable", "Jane Smith. 2020b. Scalable reward synthesis. Journal of data."),
        ("alpha", "John Smith. 2020c. Alpha robust data. Journal of data."),
    ],
    ("apa", "same name"): [
        ("alpha", "Smith, J. (2020a). Alpha robust data. Journal of Data."),
        ("middle", "Smith, J. (2020b). Middle ground. Journal of Data."),
        ("scalable", "Smith, J. (2020c). Scalable reward synthesis. Journal of Data."),
    ],
    ("acl", "same name"): [
        ("alpha", "Jane Smith. 2020a. Alpha robust data. Journal of data."),
        ("middle", "Jane Smith. 2020b. Middle ground. Journal of data."),
        ("scalable", "Jane Smith. 2020c. Scalable reward synthesis. Journal of data."),
    ],
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("style", "case"), list(CITEPROC_JS))
def test_year_suffixes_and_order_are_citeproc_js_s(engine, style, case):
    data = SAME_INITIALS if case == "same initials" else SAME_NAME
    got = [(e.key, e.text) for e in render.bibliography(data, style, engine, "text")]
    assert got == CITEPROC_JS[style, case]
