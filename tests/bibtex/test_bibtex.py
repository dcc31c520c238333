"""bibtex.py without TeX: entry types, one arXiv form, casing braces, escaping, names, goldens."""

from __future__ import annotations

import re

import pytest

from syndata_export import bibtex, catalogue, csl
from syndata_export.errors import OutputError, UsageError
from tests.conftest import need_shared
from tests.golden import check_golden

CATALOGUE = catalogue.read(catalogue.find(None))
DIALECTS = ("bibtex", "biblatex")
PREFER = ("published", "preprint")
COMBOS = [
    pytest.param(d, p, a, id=f"{d}-{p}-{'ascii' if a else 'utf8'}")
    for d in DIALECTS
    for p in PREFER
    for a in (False, True)
]
ENTRY = re.compile(r"^@(\w+)\{([^,{}\s]+),\n(.*?)^\}$", re.M | re.S)  # entries, not the @preamble
FIELD = re.compile(r"^  (\w+) = \{(.*)\},$", re.M)


def entries(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Our own output read back: key → (entry type, fields); one field per line is our format."""
    return {key: (kind, dict(FIELD.findall(body))) for kind, key, body in ENTRY.findall(text)}


def items(prefer: str = "published") -> list[dict]:
    return csl.to_csl(CATALOGUE, prefer)


def with_published_case(prefer: str) -> list[dict]:
    """The items as they will be once the hub carries ``custom.title_as_published`` (see report)."""
    out = items(prefer)
    records = {r.key: r.fields for r in CATALOGUE.records}
    for item in out:
        fields = records[item["id"]]
        version = dict(fields, **fields["published"]) if item["custom"]["version"] == "published" else fields
        item["custom"].setdefault("title_as_published", version["title"])
    return out


def one(item: dict, dialect: str = "bibtex", ascii: bool = False) -> dict[str, str]:
    (_, fields) = entries(bibtex.to_bib([item], dialect, ascii))[item["id"]]
    return fields


BASE = {
    "id": "k",
    "type": "paper-conference",
    "title": "A title",
    "author": [{"family": "Doe", "given": "Jane"}],
    "issued": {"date-parts": [[2024, 2, 5]]},
}


# ── goldens: the whole catalogue, both dialects × both versions × both encodings ──────────────


@pytest.mark.parametrize(("dialect", "prefer", "ascii"), COMBOS)
def test_catalogue_matches_golden(dialect, prefer, ascii):
    text = bibtex.to_bib(items(prefer), dialect, ascii)
    check_golden(f"bibtex/{dialect}-{prefer}-{'ascii' if ascii else 'utf8'}.bib", text)


@pytest.mark.parametrize(("dialect", "prefer", "ascii"), COMBOS)
def test_every_paper_once_in_catalogue_order(dialect, prefer, ascii):
    text = bibtex.to_bib(items(prefer), dialect, ascii)
    assert list(entries(text)) == [r.key for r in CATALOGUE.records]
    assert text == bibtex.to_bib(items(prefer), dialect, ascii)
    assert text.endswith("}\n") and "\r" not in text


@pytest.mark.parametrize(("dialect", "prefer", "ascii"), COMBOS)
def test_ascii_output_is_ascii(dialect, prefer, ascii):
    text = bibtex.to_bib(items(prefer), dialect, ascii)
    assert text.isascii() is ascii  # the catalogue has Candès, so UTF-8 output is not pure ASCII


# ── entry types and the one arXiv representation ─────────────────────────────────────────────

EXPECTED_TYPES = {
    ("bibtex", "paper-conference"): "inproceedings",
    ("bibtex", "article-journal"): "article",
    ("bibtex", "article"): "misc",
    ("biblatex", "paper-conference"): "inproceedings",
    ("biblatex", "article-journal"): "article",
    ("biblatex", "article"): "misc",
}


@pytest.mark.parametrize(("dialect", "prefer", "ascii"), COMBOS)
def test_entry_types_and_container_fields(dialect, prefer, ascii):
    got = entries(bibtex.to_bib(items(prefer), dialect, ascii))
    container = {"inproceedings": "booktitle", "article": "journal" if dialect == "bibtex" else "journaltitle"}
    for item in items(prefer):
        kind, fields = got[item["id"]]
        assert kind == EXPECTED_TYPES[dialect, item["type"]], item["id"]
        if kind in container:
            assert fields[container[kind]], item["id"]


@pytest.mark.parametrize(("dialect", "prefer", "ascii"), COMBOS)
def test_exactly_one_arxiv_representation(dialect, prefer, ascii):
    eprint_fields = {
        "bibtex": ("archivePrefix", "arXiv", "primaryClass"),
        "biblatex": ("eprinttype", "arxiv", "eprintclass"),
    }
    prefix, prefix_value, class_field = eprint_fields[dialect]
    for item in items(prefer):
        fields = entries(bibtex.to_bib([item], dialect, ascii))[item["id"]][1]
        arxiv = item["custom"]["arxiv"]
        assert fields["eprint"] == arxiv and fields[prefix] == prefix_value, item["id"]
        assert fields.get(class_field) == item["custom"].get("arxiv_class"), item["id"]
        # a preprint's number (arXiv:ID) and publisher (arXiv) are for pandoc: no .bst or biblatex
        # style prints them in a @misc (tests/bibtex/test_tex.py counts what the PDF shows)
        unprinted = ("number", "publisher") if item["type"] == "article" else ()
        kept = ("eprint", prefix, "doi", "url", *unprinted)
        echoes = [f for f, v in fields.items() if f not in kept and "arxiv" in v.lower()]
        assert echoes == [], f"{item['id']}: arXiv repeated in {echoes}"


def test_published_entries_keep_their_arxiv_id():
    fields = one(next(i for i in items() if i["id"] == "tan2024large"))
    assert (fields["eprint"], fields["archivePrefix"], fields["primaryClass"]) == ("2402.13446", "arXiv", "cs.CL")
    assert fields["doi"] == "10.18653/v1/2024.emnlp-main.54"


def test_zotero_style_preprint_keeps_number_and_publisher_for_pandoc_but_no_arxiv_journal():
    item = dict(BASE, type="article", number="arXiv:2401.00001", publisher="arXiv", custom={"arxiv": "2401.00001"})
    item["container-title"] = "arXiv preprint arXiv:2401.00001"  # a howpublished LaTeX would print
    for dialect in DIALECTS:
        fields = one(item, dialect)
        assert (fields["number"], fields["publisher"], fields["eprint"]) == ("arXiv:2401.00001", "arXiv", "2401.00001")
        assert "howpublished" not in fields
        # a proceedings paper prints its number (as a series) and publisher: there they would repeat the eprint
        published = one(dict(item, type="paper-conference"), dialect)
        assert "number" not in published and "publisher" not in published


def test_non_arxiv_number_and_publisher_kept():
    item = dict(BASE, type="report", number="TR-7", publisher="ACME Labs")
    assert one(item)["number"] == "TR-7" and one(item)["institution"] == "ACME Labs"


@pytest.mark.parametrize(
    ("csl_type", "issue_field"),
    [pytest.param("article-journal", "number", id="journal-issue-is-number"),
     pytest.param("paper-conference", "issue", id="proceedings-issue-is-issue")],
)  # fmt: skip
def test_issue_field_by_entry_type(csl_type, issue_field):
    item = dict(BASE, type=csl_type, volume="39", issue="23", **{"container-title": "C"})
    for dialect in DIALECTS:
        fields = one(item, dialect)
        assert fields["volume"] == "39" and fields[issue_field] == "23"


def test_unknown_csl_type_falls_back_to_misc():
    assert entries(bibtex.to_bib([dict(BASE, type="map")]))["k"][0] == "misc"


@pytest.mark.parametrize("key", ["a b", "a,b", "a{b", "", "a%b"])
def test_key_bibtex_cannot_read_is_an_error(key):
    with pytest.raises(OutputError, match="cannot be a BibTeX key"):
        bibtex.to_bib([dict(BASE, id=key)])


def test_unknown_dialect_names_the_known_ones():
    with pytest.raises(UsageError, match="biblatex, bibtex"):
        bibtex.to_bib(items(), "amsrefs")


# ── fields: pages, dates ──────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("page", "expected"),
    [pytest.param("930-957", "930--957", id="hyphen"), pytest.param("930–957", "930--957", id="en-dash"),
     pytest.param("930 -- 957", "930--957", id="double-hyphen-spaced"), pytest.param("e12", "e12", id="single")],
)  # fmt: skip
def test_pages_use_double_hyphen(page, expected):
    assert one(dict(BASE, page=page))["pages"] == expected


@pytest.mark.parametrize(
    ("parts", "year", "date"),
    [pytest.param([2024, 2, 5], "2024", "2024-02-05", id="day"), pytest.param([2024, 2], "2024", "2024-02", id="month"),
     pytest.param([2024], "2024", "2024", id="year")],
)  # fmt: skip
def test_dates(parts, year, date):
    item = dict(BASE, issued={"date-parts": [parts]})
    assert one(item, "bibtex")["year"] == year and "month" not in one(item, "bibtex")
    assert one(item, "biblatex")["date"] == date


# ── titles: braces around exactly the protected parts ─────────────────────────────────────────

TOP_BRACES = re.compile(r"(?<!\\)\{([^{}\\][^{}]*)\}")  # {Word} groups, not {\&} escapes


@pytest.mark.parametrize("prefer", PREFER)
def test_braces_are_exactly_the_nocase_spans(prefer):
    for source in (items(prefer), with_published_case(prefer)):
        for item in source:
            braced = TOP_BRACES.findall(one(item)["title"])
            assert braced == re.findall(r'<span class="nocase">(.*?)</span>', item["title"]), item["id"]


@pytest.mark.parametrize("prefer", PREFER)
def test_titles_as_published_match_the_acl_reference_bib(prefer):
    """Once the hub carries the title as published, BibTeX titles are what ACL authors write."""
    reference = entries(need_shared("reference", "acl-reference.bib").read_text(encoding="utf-8"))
    for item in with_published_case(prefer):
        published = item["custom"]["version"] == "published"
        ref_key = item["id"] if published else f"{item['id']}-preprint"
        # one deliberate difference: the capital after "?" is braced, so the bst keeps it (see casing.py)
        assert one(item)["title"].replace("? {A}", "? A") == reference[ref_key][1]["title"], item["id"]


def test_stale_published_title_falls_back_to_the_csl_title():
    item = dict(BASE, title='<span class="nocase">UniGen</span>: A framework', custom={"title_as_published": "Other"})
    assert one(item)["title"] == "{UniGen}: A framework"


def test_capitalised_words_are_not_braced():
    item = dict(BASE, title='Large language models for <span class="nocase">LLM</span> data: A survey')
    item["custom"] = {"title_as_published": "Large Language Models for LLM Data: A Survey"}
    assert one(item)["title"] == "Large Language Models for {LLM} Data: A Survey"


# ── characters ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "utf8", "ascii"),
    [
        pytest.param("R&D", r"R{\&}D", r"R{\&}D", id="ampersand"),
        pytest.param("50%", r"50{\%}", r"50{\%}", id="percent"),
        pytest.param("$5", r"{\$}5", r"{\$}5", id="dollar"),
        pytest.param("#1", r"{\#}1", r"{\#}1", id="hash"),
        pytest.param("a_b", r"a{\_}b", r"a{\_}b", id="underscore"),
        pytest.param("{x}", r"{\textbraceleft}x{\textbraceright}", r"{\textbraceleft}x{\textbraceright}", id="braces"),
        pytest.param("~", r"{\textasciitilde}", r"{\textasciitilde}", id="tilde"),
        pytest.param("x^2", r"x{\textasciicircum}2", r"x{\textasciicircum}2", id="caret"),
        pytest.param("a\\b", r"a{\textbackslash}b", r"a{\textbackslash}b", id="backslash"),
        pytest.param("Candès", "Candès", r"Cand{\`e}s", id="accent"),
        pytest.param("Łódź", "Łódź", r"{\L}{\'o}d{\'z}", id="polish"),
        pytest.param("a – b", "a – b", r"a {\textendash} b", id="en-dash"),
        pytest.param("a\n  b", "a b", "a b", id="folded-whitespace"),
    ],
)
def test_note_escaping(text, utf8, ascii):
    item = dict(BASE, note=text)
    assert one(item)["note"] == utf8
    assert one(item, ascii=True)["note"] == ascii


@pytest.mark.parametrize(
    ("field", "variable", "value", "expected"),
    [
        pytest.param("url", "URL", "https://ex.org/a_b%20c#x~y&z=1", "https://ex.org/a_b%20c#x~y&z=1", id="url"),
        pytest.param("url", "URL", "https://ex.org/{x}\\y", "https://ex.org/%7Bx%7D%5Cy", id="url-braces"),
        pytest.param("doi", "DOI", "10.1002/(SICI)1097-4571_x#y", "10.1002/(SICI)1097-4571_x#y", id="doi"),
    ],
)
def test_identifiers_are_not_escaped(field, variable, value, expected):
    for ascii in (False, True):
        assert one(dict(BASE, **{variable: value}), ascii=ascii)[field] == expected


def test_character_without_latex_form_under_ascii_is_an_error_naming_the_paper():
    with pytest.raises(OutputError, match="k: .*U\\+4E2D"):
        bibtex.to_bib([dict(BASE, title="中文")], ascii=True)
    assert "中文" in bibtex.to_bib([dict(BASE, title="中文")])


# ── names ─────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param({"family": "Doe", "given": "Jane"}, "Doe, Jane", id="family-given"),
        pytest.param({"family": "Del Corro", "given": "Luciano"}, "Del Corro, Luciano", id="two-word-family"),
        pytest.param({"family": "King", "given": "Martin", "suffix": "Jr."}, "King, Jr., Martin", id="suffix"),
        pytest.param({"literal": "OpenAI"}, "{OpenAI}", id="organisation"),
        pytest.param({"literal": "R&D Team, Inc."}, r"{R{\&}D Team, Inc.}", id="organisation-escaped"),
        pytest.param({"family": "Smith and Sons", "given": "Bob"}, "{Smith and Sons}, Bob", id="and-in-family"),
        pytest.param({"family": "Plato"}, "{Plato}", id="family-only"),
        pytest.param({"family": "Cruz", "given": "Juan", "non-dropping-particle": "de la"}, "de la Cruz, Juan",
                     id="particle"),
    ],
)  # fmt: skip
def test_names(name, expected):
    fields = one(dict(BASE, author=[name, {"family": "Roe", "given": "Rick"}]))
    assert fields["author"] == f"{expected} and Roe, Rick"


@pytest.mark.parametrize(
    ("name", "bibtex_form", "biblatex_form"),
    [
        pytest.param({"family": "{Fam", "given": "~Giv"}, r"{\textbraceleft}Fam, {\textasciitilde}Giv",
                     r"\textbraceleft{}Fam, \textasciitilde{}Giv", id="specials"),
        pytest.param({"family": "_Fam", "given": "x\\y"}, r"{\_}Fam, x{\textbackslash}y",
                     r"\textunderscore{}Fam, x\textbackslash{}y", id="underscore-backslash"),
        pytest.param({"family": "&Fam", "given": "Giv"}, r"{\&}Fam, Giv", r"{\&}Fam, Giv", id="no-command"),
        pytest.param({"family": "Smith given=Jo", "given": "Ann"}, "Smith given{=}Jo, Ann",
                     "Smith given{=}Jo, Ann", id="equals"),
        pytest.param({"literal": "useprefix=true"}, "{useprefix{=}true}", "{useprefix{=}true}", id="equals-literal"),
    ],
)  # fmt: skip
def test_names_biber_reads_as_written(name, bibtex_form, biblatex_form):
    """biber's initials skip letter-named commands written ``\\cmd{}`` (BibTeX keeps its own ``{\\cmd}``
    special character), and a braced "=" is no extended-name syntax."""
    assert one(dict(BASE, author=[name]))["author"] == bibtex_form
    assert one(dict(BASE, author=[name]), "biblatex")["author"] == biblatex_form


def test_macron_under_ascii_keeps_its_equals_sign():
    assert one(dict(BASE, author=[{"family": "Āda=x", "given": "Jo"}]), "biblatex", ascii=True)["author"] == (
        r"{\={A}}da{=}x, Jo"
    )


@pytest.mark.parametrize("variable", ["URL", "DOI"])
def test_a_preamble_prints_specials_in_identifiers_without_the_url_package(variable):
    """Only a BibTeX file whose URLs or DOIs hold LaTeX's specials carries it; biblatex loads url itself."""
    plain = bibtex.to_bib([dict(BASE, **{variable: "10.1000/abc"})])
    special = bibtex.to_bib([dict(BASE, **{variable: "10.1000/a_b"})])
    assert "@preamble" not in plain and "@preamble" not in bibtex.to_bib([dict(BASE, title="a_b")])
    assert special.count("@preamble{{") == 1 and r"\providecommand\doi{doi: \syndataverbatim}" in special
    assert "@preamble" not in bibtex.to_bib([dict(BASE, **{variable: "10.1000/a_b"})], "biblatex")
    assert "@preamble" in bibtex.to_bib([dict(BASE, **{variable: "10.1000/a}b"})])  # %7D
