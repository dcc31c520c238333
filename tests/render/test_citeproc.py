"""The citeproc-py engine's own repairs: keys kept as given, year suffixes, links, inner capitals."""

from __future__ import annotations

import warnings

import pytest

from syndata_export import render
from syndata_export.render import EngineWarning, citeproc

CSL = "http://purl.org/net/xbiblio/csl"


def item(key: str, family: str, year: int, title: str, **extra) -> dict:
    return {
        "id": key,
        "type": "article-journal",
        "title": title,
        "author": [
            {"family": family, "given": "Ann"},
            {"family": "Other", "given": "Bo"},
            {"family": "Third", "given": "C"},
        ],
        "issued": {"date-parts": [[year]]},
        "custom": {"section": "S"},
        **extra,
    }


@pytest.mark.parametrize("engine", ["pandoc", "citeproc-py"])
def test_keys_that_differ_only_in_case_come_back_as_given(engine):
    data = [item("Smith2024", "Smith", 2024, "One"), item("smith2024", "Smyth", 2023, "Two")]
    entries = render.bibliography(data, "apa", engine, "text")
    assert {e.key for e in entries} == {"Smith2024", "smith2024"}
    assert {e.key: e.text.split(".")[0] for e in entries} == {"Smith2024": "Smith, A", "smith2024": "Smyth, A"}


@pytest.mark.parametrize(("n", "letters"), [(0, "a"), (1, "b"), (25, "z"), (26, "aa"), (27, "ab"), (701, "zz")])
def test_suffix_letters(n, letters):
    assert citeproc._letters(n) == letters


@pytest.mark.parametrize("engine", ["pandoc", "citeproc-py"])
def test_year_suffixes_follow_bibliography_order(engine):
    data = [item("b", "Lee", 2024, "Beta"), item("a", "Lee", 2024, "Alpha"), item("c", "Lee", 2023, "Gamma")]
    texts = {e.key: e.text for e in render.bibliography(data, "apa", engine, "text")}
    assert "(2024a). Alpha" in texts["a"] and "(2024b). Beta" in texts["b"] and "(2023). Gamma" in texts["c"]


def test_implicit_year_suffix_goes_after_the_year(tmp_path):
    # No <text variable="year-suffix"/>: CSL puts the suffix after the first rendered year.
    style = tmp_path / "implicit.csl"
    style.write_text(
        f'<style xmlns="{CSL}" version="1.0" class="in-text"><info><title>I</title></info>'
        '<citation disambiguate-add-year-suffix="true"><layout><names variable="author"><name form="short"/></names>'
        '<date variable="issued"><date-part name="year"/></date></layout></citation>'
        '<bibliography><sort><key variable="title"/></sort><layout suffix="."><group delimiter=". ">'
        '<names variable="author"><name form="short"/></names>'
        '<date variable="issued"><date-part name="year"/></date><text variable="title"/></group></layout>'
        "</bibliography></style>",
        encoding="utf-8",
    )
    data = [item("b", "Lee", 2024, "Beta"), item("a", "Lee", 2024, "Alpha")]
    for engine in ("pandoc", "citeproc-py"):
        texts = [e.text for e in render.bibliography(data, str(style), engine, "text")]
        assert texts == ["Lee, Other, Third. 2024a. Alpha.", "Lee, Other, Third. 2024b. Beta."], engine


def test_urls_become_links_and_arxiv_keeps_its_case():
    data = [
        item(
            "k",
            "Lee",
            2024,
            "T",
            type="article",
            number="arXiv:2401.00001",
            publisher="arXiv",
            DOI="10.48550/arXiv.2401.00001",
        )
    ]
    (entry,) = render.bibliography(data, "apa", "citeproc-py", "html")
    assert "(arXiv:2401.00001). arXiv." in entry.text
    assert '<a href="https://doi.org/10.48550/arXiv.2401.00001">https://doi.org/10.48550/arXiv.2401.00001</a>' in (
        entry.text
    )


def test_title_links_to_the_doi_when_the_style_prints_no_url():
    data = [item("k", "Lee", 2024, "A title", DOI="10.1/x", **{"container-title": "J"})]
    for engine in ("pandoc", "citeproc-py"):
        (entry,) = render.bibliography(data, "acl", engine, "html")
        assert '<a href="https://doi.org/10.1/x">A title</a>' in entry.text, engine


def test_unsupported_features_are_warned_once_each(tmp_path):
    style = tmp_path / "s.csl"
    style.write_text(
        f'<style xmlns="{CSL}" version="1.0"><info><title>S</title></info>'
        '<citation><layout><text variable="title"/></layout></citation>'
        '<bibliography second-field-align="flush" subsequent-author-substitute="—"><layout>'
        '<text variable="title" display="block"/><text variable="title" display="block"/></layout></bibliography>'
        "</style>",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render.bibliography([item("k", "Lee", 2024, "T")], str(style), "citeproc-py")
    messages = sorted(str(w.message).split(" in this")[0] for w in caught if w.category is EngineWarning)
    assert messages == [
        "citeproc-py ignores display=…",
        "citeproc-py ignores second-field-align=…",
        "citeproc-py ignores subsequent-author-substitute=…",
    ]


def test_prepare_keeps_only_csl_variables_and_protects_inner_capitals():
    prepared = citeproc.prepare(item("Key", "Lee", 2024, "T", publisher="arXiv", URL="https://x.org/arXiv"), "item1")
    assert prepared["id"] == "item1" and "custom" not in prepared
    assert prepared["publisher"] == '<span class="nocase">arXiv</span>'
    assert prepared["URL"] == "https://x.org/arXiv"


def person(key: str, family: str, given: str, title: str = "T", year: int = 2024) -> dict:
    return {
        "id": key,
        "type": "article-journal",
        "title": title,
        "author": [{"family": family, "given": given}],
        "issued": {"date-parts": [[year]]},
        "custom": {"section": "S"},
    }


# what pandoc 3 prints (APA initialises every given name): a hyphenated part in lower case has no
# initial of its own, where citeproc-py 0.11 gave "W.-. ge ." and "J.-. ping L."
INITIALS = [
    pytest.param("Wei-ge", "Chen, W.", id="lower_case_second_part"),
    pytest.param("Chi-min", "Chen, C.", id="lower_case_second_part_2"),
    pytest.param("Ji-ping Li", "Chen, J. L.", id="then_another_name"),
    pytest.param("Ángel-éric", "Chen, Á.", id="accented"),
    pytest.param("Jean-Pierre", "Chen, J.-P.", id="upper_case_second_part"),
]


@pytest.mark.parametrize(("given", "expected"), INITIALS)
@pytest.mark.parametrize("engine", ["pandoc", "citeproc-py"])
def test_hyphenated_given_names_get_pandocs_initials(engine, given, expected):
    (entry,) = render.bibliography([person("k", "Chen", given)], "apa", engine, "text")
    assert entry.text.startswith(f"{expected} (2024)."), entry.text


def test_full_given_names_keep_their_hyphenated_parts():
    (entry,) = render.bibliography([person("k", "Chen", "Wei-ge")], "acl", "citeproc-py", "text")
    assert entry.text.startswith("Wei-ge Chen. 2024.")


def test_an_entry_under_a_known_difference_is_warned_by_key():
    """citeproc-py compares sort keys character by character: "Vinh Q. Tran" sorts before "Vinh Tran"
    (tests/goldens/render/citeproc-py-known-differences.json, the ACL reference's order)."""
    data = [person("short", "Tran", "Vinh"), person("long", "Tran", "Vinh Q."), person("lee", "Lee", "Ann")]
    for entry in data[:2]:
        entry["author"].append({"family": "Kazemi", "given": "Mehran"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render.bibliography(data, "acl", "citeproc-py", "text")
    messages = [str(w.message) for w in caught if w.category is EngineWarning]
    assert len(messages) == 1 and "may sort long, short differently" in messages[0], messages
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render.bibliography(data[:1] + data[2:], "acl", "citeproc-py", "text")
    assert not [w for w in caught if w.category is EngineWarning]
