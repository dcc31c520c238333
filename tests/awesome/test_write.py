"""awesome.write: the README `list` writes, through the renderer's Markdown page; goldens."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from syndata_export import catalogue, csl, render
from syndata_export.awesome import read, write
from syndata_export.render import markdown
from tests.conftest import REPO
from tests.golden import check_golden

CATALOGUE = REPO / "catalogue.yaml"


@pytest.mark.parametrize(
    ("prefer", "toc", "golden"),
    [
        pytest.param("published", False, "listing/default.md", id="published"),
        pytest.param("published", True, "listing/toc.md", id="with_toc"),
        pytest.param("preprint", False, "listing/preprint.md", id="preprints_like_the_original_list"),
    ],
)
def test_list_goldens(prefer, toc, golden):
    cat = catalogue.read(CATALOGUE)
    text = write.write_list(cat, csl.to_csl(cat, prefer), toc=toc)
    check_golden(golden, text)
    assert text == write.write_list(cat, csl.to_csl(cat, prefer), toc=toc), "deterministic"


def _one(**custom) -> catalogue.Catalogue:
    text = "title: L\nsections: [S & T]\npapers:\n  - key: ng2020learning\n    section: S & T\n"
    text += "    type: paper-conference\n    title: Learning\n    authors: ['Ng, A.']\n    date: 2020\n"
    return catalogue.parse(text + "".join(f"    {k}: {v}\n" for k, v in custom.items()))


LINKS = [
    pytest.param({"doi": "10.1/x"}, "[Paper](https://doi.org/10.1/x)", id="doi_only"),
    pytest.param(
        {"doi": "10.1/x", "arxiv": "'2001.00001'"},
        "[Paper](https://arxiv.org/abs/2001.00001)",
        id="the_arxiv_page_is_the_paper_no_arxiv_link_beside_it",
    ),
    pytest.param(
        {"url": "https://x.org/a_(b)", "code": "https://github.com/a/b"},
        "[Paper](https://x.org/a_%28b%29) [Code](https://github.com/a/b)",
        id="parentheses_in_an_address_are_escaped",
    ),
]


@pytest.mark.parametrize(("fields", "links"), LINKS)
def test_links_under_each_paper(fields, links):
    cat = _one(**fields)
    text = write.write_list(cat, csl.to_csl(cat))
    assert text.endswith(f"\n\n  {links}\n")
    assert "### S & T\n" in text


def test_table_of_contents_links_githubs_anchors():
    cat = _one(doi="10.1/x")
    assert "### Contents\n\n- [S & T](#s--t)\n" in write.write_list(cat, csl.to_csl(cat), toc=True)
    assert markdown.anchor("Analysis (LLM) Papers!") == "analysis-llm-papers"


# ---------------------------------------------------------------- hostile values stay text

HOSTILE = "<img src=x onerror=alert(1)>"


def _hostile() -> catalogue.Catalogue:
    text = f"""\
title: '{HOSTILE} list'
description: "<script>alert(1)</script> intro\\n# not a heading\\n\\n- not an item [x](javascript:alert(1))"
sections: ['<b>S</b> {HOSTILE}']
papers:
  - key: ng2020learning
    section: '<b>S</b> {HOSTILE}'
    type: paper-conference
    title: 'Learning {HOSTILE}'
    authors: ['Ng{HOSTILE}, A.']
    date: 2020
    container: '<i>Proc</i> {HOSTILE}'
    publisher: '{HOSTILE}'
    place: '<u>Here</u>'
    pages: 1-2
    doi: '10.1/<script>alert(1)</script>'
"""
    return catalogue.parse(text)


@pytest.mark.parametrize("toc", [False, True])
def test_every_value_the_list_writes_is_inert_text(toc):
    """Title, description, sections, every citation field and the GB/T DOI text come out escaped:
    a site generator that does not sanitise (markdown-it here, like pandoc or Jekyll) shows them as text."""
    cat = _hostile()
    text = write.write_list(cat, csl.to_csl(cat), toc=toc)
    page = MarkdownIt("commonmark").render(text)
    for tag in ("<img", "<script", "<b>", "<i>", "<u>", 'href="javascript'):
        assert tag not in page, (tag, page)
    assert page.count("<h1>") == 1 and page.count("<h3>") == 1 + toc, "no heading from the description"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, "the DOI is printed, as text"
    assert "10.1/\\<script\\>alert(1)\\</script\\>" in text
    doc = read.read(text)
    assert doc.title == f"{HOSTILE} list" and doc.sections == [f"<b>S</b> {HOSTILE}"]
    assert doc.description == cat.description, "the description reads back as the text it was"


# ---------------------------------------------------------------- keys and links


def test_each_paper_carries_its_key_as_an_anchor_the_reader_reads_back():
    cat = catalogue.read(CATALOGUE)
    for style in (None, "acl"):
        text = write.write_list(cat, csl.to_csl(cat), style=style)
        assert '\n- <a id="dong2023abilities"></a>' in text
        assert sorted(item.key for item in read.read(text).items) == sorted(r.key for r in cat.records)
    page = MarkdownIt("commonmark").render(text)
    assert '<li>\n<p><a id="tan2024large"></a>Zhen Tan' in page, "an empty anchor: GitHub keeps the id, shows nothing"


def test_the_paper_link_is_one_rule_for_render_and_list():
    """[Paper] is the version cited: its page, else its DOI, else its preprint; the list adds [arXiv] beside it."""
    cat = catalogue.read(CATALOGUE)
    for prefer in ("published", "preprint"):
        for item in csl.to_csl(cat, prefer):
            assert render.links(item)[0] == render.links(item, arxiv=True)[0], item["id"]
    jiang = {i["id"]: i for i in csl.to_csl(cat)}["jiang2024importance"]
    assert render.links(jiang, arxiv=True)[:2] == (
        ("Paper", "https://doi.org/10.1609/aaai.v39i23.34602"),
        ("arXiv", "https://arxiv.org/abs/2408.09849"),
    )
