"""awesome.shapes: the GB/T 7714 and ACL citation shapes read, the GB/T shape written and read back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndata_export import csl
from syndata_export.awesome import shapes

CITATIONS = [
    pytest.param(
        "Tan Z, Beigi A, Wang S, et al. Large language models for data annotation: A survey[J]. "
        "arXiv preprint arXiv:2402.13446, 2024.",
        {
            "type": "article",
            "title": "Large language models for data annotation: A survey",
            "authors": ["Tan, Z.", "Beigi, A.", "Wang, S."],
            "date": 2024,
            "arxiv": "2402.13446",
        },
        True,
        id="gbt_preprint_et_al",
    ),
    pytest.param(
        "Gan Z, Liu Y. Towards a Theoretical Understanding[J]. arXiv preprint arXiv:2410.01720, 2024.",
        {"type": "article", "title": "Towards a Theoretical Understanding", "authors": ["Gan, Z.", "Liu, Y."]}
        | {"date": 2024, "arxiv": "2410.01720"},
        False,
        id="gbt_preprint_two_authors",
    ),
    pytest.param(
        "Seddik M E A, Chen S W, Hayou S, et al. How bad is training? a statistical analysis[J]. "
        "arXiv preprint arXiv:2404.05090, 2024.",
        {
            "authors": ["Seddik, M. E. A.", "Chen, S. W.", "Hayou, S."],
            "title": "How bad is training? a statistical analysis",
        },
        True,
        id="gbt_several_initials_and_question_mark",
    ),
    pytest.param(
        "Mitra A, Del Corro L, Zheng G, et al. Agentinstruct[J]. arXiv preprint arXiv:2407.03502, 2024.",
        {"authors": ["Mitra, A.", "Del Corro, L.", "Zheng, G."]},
        True,
        id="gbt_two_word_family_name",
    ),
    pytest.param(
        "Dong G, Yuan H, Lu K, et al. How abilities are affected[C]//Proceedings of the 62nd Annual Meeting "
        "(Volume 1: Long Papers). Bangkok, Thailand: Association for Computational Linguistics, 2024: 177-198. "
        "DOI:10.18653/v1/2024.acl-long.12.",
        {
            "type": "paper-conference",
            "container": "Proceedings of the 62nd Annual Meeting (Volume 1: Long Papers)",
            "place": "Bangkok, Thailand",
            "publisher": "Association for Computational Linguistics",
            "date": 2024,
            "pages": "177-198",
            "doi": "10.18653/v1/2024.acl-long.12",
        },
        True,
        id="gbt_conference_full_imprint",
    ),
    pytest.param(
        "Jiang C, Chan C M. Importance weighting[C]//Proceedings of the AAAI Conference on Artificial Intelligence. "
        "2025, 39(23). DOI:10.1609/aaai.v39i23.34602.",
        {"container": "Proceedings of the AAAI Conference on Artificial Intelligence", "volume": "39", "issue": "23"}
        | {"doi": "10.1609/aaai.v39i23.34602", "authors": ["Jiang, C.", "Chan, C. M."]},
        False,
        id="gbt_conference_volume_issue_no_imprint",
    ),
    pytest.param(
        "Li H, Dong Q. Synthetic data (almost) from scratch[J]. Transactions on Machine Learning Research, 2025.",
        {"type": "article-journal", "container": "Transactions on Machine Learning Research", "date": 2025},
        False,
        id="gbt_journal",
    ),
    pytest.param(
        "Li H. A title[C]//Some Workshop. [S.l.]: Example Press, 2023: 1-9.",
        {"container": "Some Workshop", "publisher": "Example Press", "pages": "1-9"},
        False,
        id="gbt_unknown_place_marker",
    ),
    pytest.param(
        "Guanting Dong, Hongyi Yuan, and Jingren Zhou. 2024. How Abilities in Large Language Models are Affected. "
        "In Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics "
        "(Volume 1: Long Papers), pages 177–198, Bangkok, Thailand. Association for Computational Linguistics.",
        {
            "type": "paper-conference",
            "title": "How Abilities in Large Language Models are Affected",
            "authors": ["Dong, Guanting", "Yuan, Hongyi", "Zhou, Jingren"],
            "date": 2024,
            "container": "Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics "
            "(Volume 1: Long Papers)",
            "pages": "177–198",
            "place": "Bangkok, Thailand",
            "publisher": "Association for Computational Linguistics",
        },
        False,
        id="acl_proceedings",
    ),
    pytest.param(
        "Luciano Del Corro and Jane van der Berg. 2024. Is it? A preprint. arXiv preprint arXiv:2401.00001.",
        {"type": "article", "title": "Is it? A preprint", "arxiv": "2401.00001"}
        | {"authors": ["Del Corro, Luciano", "van der Berg, Jane"]},
        False,
        id="acl_preprint_with_particles",
    ),
    pytest.param(
        "Arindam Mitra and Luciano Del Corro. 2024. [AgentInstruct: Toward generative teaching](https://doi.org/10.48550/"
        "arXiv.2407.03502). *Preprint*, arXiv:2407.03502.",
        {"type": "article", "title": "AgentInstruct: Toward generative teaching", "arxiv": "2407.03502"},
        False,
        id="acl_2023_preprint_shape_as_pandoc_writes_it",
    ),
    pytest.param(
        "Chunyang Jiang and Yike Guo. 2025. Importance weighting. In *Proceedings of the AAAI Conference*, volume 39.",
        {"type": "paper-conference", "container": "Proceedings of the AAAI Conference", "volume": "39"},
        False,
        id="acl_proceedings_with_volume_in_italics",
    ),
    pytest.param(
        "Ann Lee et al. 2023. A journal paper. Journal of Things, 12(3):45–67.",
        {"type": "article-journal", "container": "Journal of Things", "volume": "12", "issue": "3", "pages": "45–67"}
        | {"authors": ["Lee, Ann"]},
        True,
        id="acl_journal_et_al",
    ),
]


@pytest.mark.parametrize(("text", "expected", "incomplete"), CITATIONS)
def test_citation_shapes(text, expected, incomplete):
    cited = shapes.parse(text)
    assert {k: cited.fields.get(k) for k in expected} == expected
    assert cited.authors_incomplete is incomplete


BAD_CITATIONS = [
    pytest.param("Tan Z, Li D. A title[J]. arXiv preprint arXiv:2402.13446.", "no year", id="gbt_missing_year"),
    pytest.param("Tan Z, Li D. [J]. arXiv preprint arXiv:2402.13446, 2024.", "no title", id="gbt_no_title"),
    pytest.param("Tan Z, Li D. A title[C]//Proceedings of Something.", "no year", id="gbt_conference_no_year"),
    pytest.param("Guanting Dong. 2024. . In Proceedings, pages 1–2, X. Y.", "no title", id="acl_no_title"),
    pytest.param("A nice paper about data", "no year", id="plain_words"),
    pytest.param("A nice paper about data, 2024", "not a citation shape", id="plain_words_with_year"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CITATIONS)
def test_citations_that_cannot_be_read(text, message):
    with pytest.raises(shapes.CitationError, match=message):
        shapes.parse(text)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("Zhen", ["Z"], id="one"),
        pytest.param("Mohamed El Amine", ["M", "E", "A"], id="three"),
        pytest.param("Suei-Wen", ["S", "W"], id="hyphen_capital"),
        pytest.param("Chi-min", ["C"], id="hyphen_lower"),
        pytest.param("Andrew M.", ["A", "M"], id="with_stop"),
    ],
)
def test_initials_follow_scholar(given, expected):
    assert shapes.initials(given) == expected


# ---------------------------------------------------------------- GB/T writer ↔ reader


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=10)
_TITLE_PUNCT = st.sampled_from(
    [" ", ": ", " - ", "? ", " (", ") ", " *", "_ ", " [J] ", ", ", " & ", " > ", " | ", "~", " &amp; ", " `"]
)
_title = st.lists(st.tuples(_WORD, _TITLE_PUNCT), min_size=1, max_size=8).map(
    lambda parts: " ".join(" ".join("".join(p) for p in parts).split())
)
_family = st.from_regex(r"[A-Z][a-z]{1,8}(-[A-Z][a-z]{1,6})?( [A-Z][a-z]{1,8})?", fullmatch=True)
_given = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?", fullmatch=True)
_name = st.builds(lambda f, g: {"family": f, "given": g}, _family, _given)
_imprint = st.from_regex(
    r"[A-Z][A-Za-z]{1,10}(,? [A-Za-z][a-z]{0,10}){0,4}", fullmatch=True
)  # no ": " (GB/T's divider)
_container = st.from_regex(
    r"[A-Z][A-Za-z]{1,10}( [A-Za-z][a-z]{0,10}){0,6}( \(Volume 1: Long Papers\))?", fullmatch=True
)


@st.composite
def gbt_items(draw):
    kind = draw(st.sampled_from(["preprint", "paper-conference", "article-journal"]))
    item = {
        "id": "x",
        "title": draw(_title),
        "author": draw(st.lists(_name, min_size=1, max_size=6)),
        "issued": {"date-parts": [[draw(st.integers(1990, 2030))]]},
        "custom": {"section": "S"},
    }
    if kind == "preprint":
        item["type"] = "article"
        item["custom"]["arxiv"] = (
            f"{draw(st.integers(10, 29))}{draw(st.integers(1, 12)):02d}.{draw(st.integers(0, 99999)):05d}"
        )
        return item
    item["type"] = kind
    item["container-title"] = draw(_container)
    for variable, strategy in {
        "publisher-place": _imprint,
        "publisher": _imprint,
        "volume": st.integers(1, 99).map(str),
        "issue": st.integers(1, 12).map(str),
        "page": st.tuples(st.integers(1, 500), st.integers(1, 99)).map(lambda p: f"{p[0]}-{p[0] + p[1]}"),
        "DOI": st.from_regex(r"10\.\d{4,5}/[a-z0-9.-]{1,12}[a-z0-9]", fullmatch=True),
    }.items():
        if draw(st.booleans()):
            item[variable] = draw(strategy)
    if kind == "paper-conference":
        item.pop("issue", None) if "volume" not in item else None
    return item


@settings(max_examples=200, deadline=None)
@given(gbt_items())
def test_gbt_written_then_read_gives_the_fields_back(item):
    text = shapes.format_gbt(item)
    cited = shapes.parse(text)
    names = item["author"]
    assert cited.authors_incomplete is (len(names) > shapes.MAX_AUTHORS)
    shown = names[: shapes.MAX_AUTHORS]
    assert [csl.parse_name(a)["family"] for a in cited.fields["authors"]] == [n["family"] for n in shown]
    assert cited.fields["title"] == item["title"]
    assert cited.fields["date"] == item["issued"]["date-parts"][0][0]
    if item["type"] == "article":
        assert cited.fields["arxiv"] == item["custom"]["arxiv"] and cited.fields["type"] == "article"
        return
    assert cited.fields["type"] == item["type"]
    pairs = {"container": "container-title", "place": "publisher-place", "publisher": "publisher"}
    pairs |= {"volume": "volume", "issue": "issue", "pages": "page", "doi": "DOI"}
    for name, variable in pairs.items():
        if variable == "issue" and "volume" not in item:
            continue  # GB/T prints an issue only after a volume
        if name in ("place", "publisher") and item["type"] == "article-journal":
            continue  # nor a journal's publisher
        assert cited.fields.get(name) == item.get(variable), name


def test_markdown_specials_in_titles_are_escaped():
    item = {"id": "k", "type": "article", "title": "Learning *fast* with <tags> and [brackets]"}
    item |= {"author": [{"family": "Ng", "given": "A"}], "issued": {"date-parts": [[2020]]}}
    item["custom"] = {"arxiv": "2001.00001", "section": "S"}
    text = shapes.format_gbt(item)
    assert r"Learning \*fast\* with \<tags\> and \[brackets\][J]." in text, "the renderer's escaper"
    assert shapes.parse(text).fields["title"] == item["title"]


def test_an_incomplete_author_list_is_written_with_et_al():
    """An imported "et al." list stays "et al." however few names it has."""
    item = {"id": "k", "type": "article", "title": "T", "issued": {"date-parts": [[2024]]}}
    item |= {"author": [{"family": "Gan", "given": "Zeyu"}], "custom": {"arxiv": "2410.01720"}}
    assert shapes.format_gbt(item) == "Gan Z. T[J]. arXiv preprint arXiv:2410.01720, 2024."
    item["custom"]["authors_incomplete"] = True
    assert shapes.format_gbt(item) == "Gan Z, et al. T[J]. arXiv preprint arXiv:2410.01720, 2024."
    assert shapes.parse(shapes.format_gbt(item)).authors_incomplete
