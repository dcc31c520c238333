"""Named invalid catalogues: each problem reported with its text and its line:col."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndata_export import catalogue, validate
from syndata_export.errors import CatalogueError

VALID = """\
title: Test list
description: A small list for tests.
sections:
  - Surveys
  - Research
protected_terms: [LLM, UniGen]
papers:
  - key: tan2024large
    section: Surveys
    type: article
    title: 'Large Language Models for Data Annotation: A Survey'
    authors:
      - Tan, Zhen
      - Beigi, Alimohammad
    date: 2024-02-21
    arxiv: "2402.13446"
    doi: 10.48550/arXiv.2402.13446
    url: https://arxiv.org/abs/2402.13446
    code: https://github.com/example/code
  - key: wu2024unigen
    section: Research
    type: article
    title: 'UniGen: A Unified Framework'
    authors:
      - Wu, Siyuan
    date: 2024-06-27
    arxiv: "2406.18966"
    published:
      type: paper-conference
      container: The Thirteenth International Conference on Learning Representations
      date: 2025
      pages: 10-20
      doi: 10.1234/abcd.5678
"""


def problems(text: str) -> list[str]:
    try:
        cat = catalogue.parse(text.encode("utf-8"), "cat.yaml")
    except CatalogueError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in validate.validate(cat)]


def test_valid_catalogue_has_no_problems():
    assert problems(VALID) == []


CASES = [
    pytest.param("title: Test list", "title: [Test", "cat.yaml:2:12: YAML syntax error", id="yaml_syntax_error"),
    pytest.param(
        "  - key: wu2024unigen",
        "  - key: wu2024unigen\n    titel: x",
        "cat.yaml:21:5: wu2024unigen: unknown field 'titel' in a paper (did you mean 'title'?)",
        id="unknown_field_with_suggestion",
    ),
    pytest.param(
        "    type: article\n    title: 'UniGen",
        "    title: 'UniGen",
        "cat.yaml:20:5: wu2024unigen: missing required field 'type' in a paper",
        id="missing_type",
    ),
    pytest.param(
        "    date: 2024-06-27\n",
        "",
        "cat.yaml:20:5: wu2024unigen: missing required field 'date' in a paper",
        id="missing_date",
    ),
    pytest.param(
        "    authors:\n      - Wu, Siyuan",
        "    authors: []",
        "cat.yaml:24:14: wu2024unigen: authors: must be a non-empty list",
        id="empty_author_list",
    ),
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        "    title: 42",
        "cat.yaml:23:12: wu2024unigen: title: must be non-empty text",
        id="title_wrong_type",
    ),
    pytest.param(
        "key: wu2024unigen",
        "key: tan2024large",
        "cat.yaml:20:10: tan2024large: duplicate key 'tan2024large' (already used by the paper at line 8)",
        id="duplicate_key",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "2402.13446"',
        "cat.yaml:27:12: wu2024unigen: duplicate arXiv ID '2402.13446' (already used by the paper at line 8)",
        id="duplicate_arxiv",
    ),
    pytest.param(
        "'UniGen: A Unified Framework'",
        "'Large language models for data annotation - a survey'",
        "cat.yaml:23:12: wu2024unigen: duplicate title",
        id="duplicate_title_normalised",
    ),
    pytest.param(
        "doi: 10.1234/abcd.5678",
        "doi: 10.48550/ARXIV.2402.13446",
        "cat.yaml:33:12: wu2024unigen: duplicate DOI '10.48550/ARXIV.2402.13446' (already used by the paper at line 8)",
        id="duplicate_doi_case_insensitive",
    ),
    pytest.param(
        "date: 2024-06-27",
        "date: 2024-13-01",
        "cat.yaml:26:11: wu2024unigen: date: '2024-13-01' is not a date on the calendar",
        id="date_bad_month",
    ),
    pytest.param(
        "date: 2024-06-27",
        "date: June 2024",
        "cat.yaml:26:11: wu2024unigen: date: 'June 2024' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
        id="date_free_text",
    ),
    pytest.param(
        "doi: 10.48550/arXiv.2402.13446",
        "doi: https://doi.org/10.48550/arXiv.2402.13446",
        "cat.yaml:17:10: tan2024large: doi: 'https://doi.org/10.48550/arXiv.2402.13446' is not a valid DOI",
        id="doi_with_resolver",
    ),
    pytest.param(
        'arxiv: "2402.13446"',
        'arxiv: "arXiv:2402.13446"',
        "cat.yaml:16:12: tan2024large: arxiv: 'arXiv:2402.13446' is not a valid arXiv ID",
        id="arxiv_with_prefix",
    ),
    pytest.param(
        'arxiv: "2402.13446"',
        "arxiv: 2402.13446",
        "cat.yaml:16:12: tan2024large: arxiv: must be text, not float",
        id="arxiv_unquoted_number",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "2413.18966"',
        "cat.yaml:27:12: wu2024unigen: arxiv: '2413.18966' is not a valid arXiv ID (month 13)",
        id="arxiv_month_13",
    ),
    pytest.param(
        "url: https://arxiv.org/abs/2402.13446",
        "url: arxiv.org/abs/2402.13446",
        "cat.yaml:18:10: tan2024large: url: 'arxiv.org/abs/2402.13446' is not a valid URL",
        id="url_without_scheme",
    ),
    pytest.param(
        "code: https://github.com/example/code",
        "code: https://github.com/example code",
        "cat.yaml:19:11: tan2024large: code: 'https://github.com/example code' is not a valid URL",
        id="url_with_space",
    ),
    pytest.param(
        "section: Research",
        "section: Reserch",
        "cat.yaml:21:14: wu2024unigen: unknown section 'Reserch' (did you mean 'Research'?)",
        id="unknown_section",
    ),
    pytest.param(
        "      - Beigi, Alimohammad",
        "      - Beigi A, et al.",
        "cat.yaml:14:9: tan2024large: author 2: 'Beigi A, et al.' truncates the list",
        id="et_al_in_authors",
    ),
    pytest.param(
        "      - Beigi, Alimohammad",
        "      - others",
        "cat.yaml:14:9: tan2024large: author 2: 'others' truncates the list",
        id="others_in_authors",
    ),
    pytest.param(
        "      - Beigi, Alimohammad",
        "      - Alimohammad Beigi",
        "cat.yaml:14:9: tan2024large: author 2: 'Alimohammad Beigi' has no comma",
        id="author_without_comma",
    ),
    pytest.param(
        "    code: https://github.com/example/code",
        "    code: https://github.com/example/code\n    authors_incomplete: true",
        "cat.yaml:20:25: tan2024large: the author list is marked incomplete (et al.)",
        id="authors_marked_incomplete",
    ),
    pytest.param(
        "Data Annotation: A Survey",
        "Data Annotation â€“ A Survey",
        "cat.yaml:11:12: tan2024large: title: mojibake in",
        id="mojibake_en_dash",
    ),
    pytest.param(
        "      - Tan, Zhen",
        "      - Tan, ZhÃ©n",
        "cat.yaml:13:9: tan2024large: authors.0: mojibake in 'Tan, ZhÃ©n' (probably 'Tan, Zhén')",
        id="mojibake_in_author",
    ),
    pytest.param(
        "key: wu2024unigen",
        "key: wu 2024 unigen",
        "cat.yaml:20:10: wu 2024 unigen: key: 'wu 2024 unigen' is not a valid citation key",
        id="key_with_spaces",
    ),
    pytest.param(
        "key: wu2024unigen",
        "key: wu{2024}",
        "cat.yaml:20:10: wu{2024}: key: 'wu{2024}' is not a valid citation key",
        id="key_with_braces",
    ),
    pytest.param(
        "    type: article\n    title: 'UniGen",
        "    type: preprint\n    title: 'UniGen",
        "cat.yaml:22:11: wu2024unigen: type: unknown type 'preprint' (one of article,",
        id="unknown_type",
    ),
    pytest.param(
        "      pages: 10-20",
        "      pages: ten to twenty",
        "cat.yaml:32:14: wu2024unigen: pages: 'ten to twenty' is not a valid page range",
        id="bad_pages",
    ),
    pytest.param(
        "      type: paper-conference\n",
        "",
        "cat.yaml:29:7: wu2024unigen: missing required field 'type' in published",
        id="published_missing_type",
    ),
    pytest.param(
        "      date: 2025",
        "      date: 2025\n      venue: ICLR",
        "cat.yaml:32:7: wu2024unigen: unknown field 'venue' in published",
        id="published_unknown_field",
    ),
    pytest.param(
        "    published:\n      type: paper-conference\n      container: The Thirteenth International Conference on Learning Representations\n      date: 2025\n      pages: 10-20\n      doi: 10.1234/abcd.5678\n",
        "    published: ICLR 2025\n",
        "cat.yaml:28:16: wu2024unigen: published: must be a mapping of fields",
        id="published_not_mapping",
    ),
    pytest.param(
        '    arxiv: "2406.18966"\n',
        "",
        "cat.yaml:20:5: wu2024unigen: no identifier (give at least one of arxiv, doi, url)",
        id="no_identifier",
    ),
    pytest.param(
        "  - Research\n",
        "  - Research\n  - Surveys\n",
        "cat.yaml:4:3: sections: section 'Surveys' is listed 2 times",
        id="duplicate_section",
    ),
    pytest.param(
        "sections:",
        "sectons:",
        "cat.yaml:3:1: unknown field 'sectons' in catalogue (did you mean 'sections'?)",
        id="unknown_top_level_field",
    ),
    pytest.param(
        "    date: 2024-02-21",
        "    date: 2024-02-21\n    date: 2024-02-22",
        "cat.yaml:16:5: date: this field is given twice in one mapping",
        id="field_given_twice",
    ),
    pytest.param(
        "  - key: tan2024large",
        "  - just a string\n  - key: tan2024large",
        "cat.yaml:8:5: paper at line 8: a paper must be a mapping of fields",
        id="paper_not_mapping",
    ),
    pytest.param(
        "protected_terms: [LLM, UniGen]",
        "protected_terms: LLM",
        "cat.yaml:6:18: protected_terms: must be a list of text",
        id="protected_terms_not_list",
    ),
    pytest.param(
        "title: Test list\n",
        "title: Test list\nx: &a [1, 2]\ny: *a\n",
        "cat.yaml:2:4: YAML anchors and aliases (&name, *name) are not supported",
        id="yaml_alias",
    ),
    pytest.param("title: Test list", "title: Test\tlist\x07", "cat.yaml: not valid YAML", id="control_character"),
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        '    title: ""',
        "cat.yaml:23:12: wu2024unigen: title: must be non-empty text",
        id="empty_title",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_invalid_catalogue_is_reported_with_position(old, new, expected):
    assert old in VALID, "the case no longer applies to VALID"
    found = problems(VALID.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), "\n".join(found)


def test_every_problem_is_reported_at_once():
    broken = (
        VALID.replace("date: 2024-06-27", "date: 2024-02-30")
        .replace("section: Research", "section: Nope")
        .replace("      - Beigi, Alimohammad", "      - et al.")
    )
    found = problems(broken)
    assert len(found) == 3, found
    assert [p.split(":")[1] for p in found] == ["14", "21", "26"], "problems are sorted by line"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=20).filter(lambda t: not t.isascii()), st.sampled_from(["latin-1", "cp1252"]))
def test_mojibake_of_any_text_is_suspected_before_ftfy_is_asked(text, codec):
    """The cheap pre-check never hides what ftfy finds in UTF-8 read as Latin-1/Windows-1252."""
    import ftfy.badness

    garbled = text.encode("utf-8").decode(codec, errors="ignore")
    assert validate.MOJIBAKE_SUSPECT.search(garbled) or not ftfy.badness.is_bad(garbled)


@pytest.mark.parametrize("text", ["Candès, Emmanuel", "Łukasz Kaiser", "Zhang 张", "naïve — “quoted”", "ﬁne ¿qué?"])
def test_honest_text_never_reaches_ftfy(text):
    assert not validate.MOJIBAKE_SUSPECT.search(text)
    assert validate.mojibake(text) is None
