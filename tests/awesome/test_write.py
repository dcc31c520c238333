"""awesome.write: the README `list` writes, through the renderer's Markdown page; goldens."""

from __future__ import annotations

import pytest

from syndata_export import catalogue, csl
from syndata_export.awesome import write
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
