"""A paper's former keys (``aliases:``) keep working in every output whose format can say so."""

from __future__ import annotations

import json

import pytest

from syndata_export import bibtex, catalogue, csl, render
from syndata_export.awesome import read, write
from syndata_export.render import html
from syndata_export.zotero import mapping, reverse
from tests.bibtex.test_bibtex import entries
from tests.bibtex.tex.toolchain import compile_bib, need_tools

TEXT = """\
title: L
sections: [S]
papers:
  - key: huang2025datagen
    aliases: [wu2024unigen, wu2024Unified]
    section: S
    type: article
    title: 'UniGen: A Unified Framework'
    authors: ['Wu, Siyuan']
    date: 2024-06-27
    arxiv: "2406.18966"
  - key: tan2024large
    section: S
    type: article
    title: Large language models for annotation
    authors: ['Tan, Zhen']
    date: 2024-02-21
    arxiv: "2402.13446"
"""
CAT = catalogue.checked(catalogue.parse(TEXT, "cat.yaml"))
ITEMS = csl.to_csl(CAT)
FORMER = ["wu2024unigen", "wu2024Unified"]


def test_the_hub_carries_them_in_custom():
    assert csl.custom(ITEMS[0])["aliases"] == FORMER
    assert "aliases" not in csl.custom(ITEMS[1])
    assert json.loads(json.dumps(ITEMS))[0]["custom"]["aliases"] == FORMER


def test_biblatex_lists_them_in_ids():
    found = entries(bibtex.to_bib(ITEMS, "biblatex"))
    assert found["huang2025datagen"][1]["ids"] == "wu2024unigen,wu2024Unified"
    assert list(found) == ["huang2025datagen", "tan2024large"] and "ids" not in found["tan2024large"][1]


def test_bibtex_writes_the_entry_again_under_each_former_key():
    text = bibtex.to_bib(ITEMS, "bibtex")
    found = entries(text)
    assert list(found) == ["huang2025datagen", "wu2024unigen", "wu2024Unified", "tan2024large"]
    assert found["wu2024unigen"] == found["wu2024Unified"] == found["huang2025datagen"]
    assert "% wu2024unigen: the former key of huang2025datagen\n@misc{wu2024unigen," in text
    assert "ids" not in found["huang2025datagen"][1]


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_a_document_citing_a_former_key_compiles_without_warnings(tmp_path, dialect):
    need_tools(dialect)
    build = compile_bib(tmp_path, bibtex.to_bib(ITEMS, dialect), ["wu2024unigen", "tan2024large"], dialect)
    assert build.unresolved() == []
    tool = "biber" if dialect == "biblatex" else "bibtex"
    assert build.blg_problems(tool) == []
    assert "UniGen" in build.pdf_text()


def test_the_list_writes_an_anchor_for_each_and_import_reads_the_key_back():
    text = write.write_list(CAT, ITEMS)
    assert '- <a id="huang2025datagen"></a><a id="wu2024unigen"></a><a id="wu2024Unified"></a>' in text
    doc = read.read(text)
    assert [item.key for item in doc.items] == ["huang2025datagen", "tan2024large"]
    assert doc.items[0].text.startswith("Wu S. UniGen"), doc.items[0].text


def test_the_html_page_keeps_an_anchor_for_each():
    rows = render.group([render.Entry(i["id"], i["id"]) for i in ITEMS], {i["id"]: i for i in ITEMS}, ["S"])
    page = html.fragment(rows)
    former = '<a id="wu2024unigen"></a><a id="wu2024Unified"></a>'
    assert f'<li id="huang2025datagen" class="csl-entry">{former}huang2025datagen' in page
    assert '<li id="tan2024large" class="csl-entry">tan2024large' in page


def test_zotero_extra_says_them_as_better_bibtex_does_and_pull_reads_them_back():
    data = mapping.to_zotero(ITEMS[0], "L")
    assert "tex.ids: wu2024unigen, wu2024Unified" in data["extra"].splitlines()
    record, unmodelled = reverse.to_record(data)
    assert record["aliases"] == FORMER and "note" not in record and unmodelled == []
    assert "tex.ids" not in mapping.to_zotero(ITEMS[1], "L")["extra"]
