"""Named invalid catalogues: each problem reported with its text and its line:col."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndata_export import catalogue, textcheck, validate
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
        "    type: poster\n    title: 'UniGen",
        "cat.yaml:22:11: wu2024unigen: type: unknown type 'poster' (one of article,",
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
    # Text that changes what a page shows: line breaks (new Markdown headings), bidi controls, invisible characters
    pytest.param(
        "  - Research\n",
        '  - "Research\\n# Injected"\n',
        "cat.yaml:5:5: sections.1: control character U+000A at character 9 (write the value on one line)",
        id="section_name_with_newline",
    ),
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        '    title: "UniGen:\\n# Injected"',
        "cat.yaml:23:12: wu2024unigen: title: control character U+000A at character 8",
        id="title_with_newline",
    ),
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        '    title: "UniGen:\\tA"',
        "cat.yaml:23:12: wu2024unigen: title: control character U+0009 at character 8",
        id="title_with_tab",
    ),
    pytest.param(
        "description: A small list for tests.",
        'description: "A small list.\\r\\n\\tIndented"',
        "cat.yaml:2:14: description: control character U+000D at character 14",
        id="description_with_carriage_return",
    ),
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        '    title: "UniGen\\u202e: A"',
        "cat.yaml:23:12: wu2024unigen: title: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at character 7"
        " (it shows the text in another order than it is stored: remove it)",
        id="title_with_bidi_override",
    ),
    pytest.param(
        "      - Wu, Siyuan",
        '      - "Wu, \\u2067Siyuan"',
        "cat.yaml:25:9: wu2024unigen: authors.0: bidirectional control U+2067 (RIGHT-TO-LEFT ISOLATE) at character 5",
        id="author_with_bidi_isolate",
    ),
    pytest.param(
        "    section: Research",
        '    section: "Re\\u200bsearch"',
        "cat.yaml:21:14: wu2024unigen: section: invisible character U+200B (ZERO WIDTH SPACE) at character 3"
        " (it makes text that looks the same differ: remove it)",
        id="section_with_zero_width_space",
    ),
    pytest.param(
        "key: wu2024unigen",
        'key: "wu2024\\u202eunigen"',
        "cat.yaml:20:10: wu2024\\u202eunigen: key: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) at character 7",
        id="key_with_bidi_override_is_printed_escaped",
    ),
    pytest.param(
        "url: https://arxiv.org/abs/2402.13446",
        'url: "https://arxiv.org/abs/2402.13446\\u200b"',
        "cat.yaml:18:10: tan2024large: url: invisible character U+200B (ZERO WIDTH SPACE) at character 33",
        id="url_with_zero_width_space",
    ),
    pytest.param(
        "doi: 10.48550/arXiv.2402.13446",
        'doi: "10.48550/arXiv.2402.13446\\ufeff"',
        "cat.yaml:17:10: tan2024large: doi: invisible character U+FEFF (ZERO WIDTH NO-BREAK SPACE) at character 26",
        id="doi_with_byte_order_mark",
    ),
    # Identifiers: as written, by their real schemes, whole
    pytest.param(
        'arxiv: "2406.18966"',
        "arxiv: 2406.18960",
        'cat.yaml:27:12: wu2024unigen: arxiv: must be text, not float (quote it: "2406.18960")',
        id="arxiv_unquoted_hint_keeps_the_text_as_written",
    ),
    pytest.param(
        "key: wu2024unigen",
        "key: 0123",
        'cat.yaml:20:10: paper at line 20: key: must be text, not int (quote it: "0123")',
        id="key_unquoted_number_hint_keeps_the_text_as_written",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "2406.1896"',
        "cat.yaml:27:12: wu2024unigen: arxiv: '2406.1896' is not a valid arXiv ID (5 digits after the dot from 2015 on)",
        id="arxiv_four_digits_from_2015",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "1412.69801"',
        "cat.yaml:27:12: wu2024unigen: arxiv: '1412.69801' is not a valid arXiv ID (4 digits after the dot until 2014)",
        id="arxiv_five_digits_before_2015",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "0703.1234"',
        "cat.yaml:27:12: wu2024unigen: arxiv: '0703.1234' is not a valid arXiv ID (IDs of this form begin in April 2007)",
        id="arxiv_new_form_before_april_2007",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "2406.18966v0"',
        "cat.yaml:27:12: wu2024unigen: arxiv: '2406.18966v0' is not a valid arXiv ID (versions start at v1)",
        id="arxiv_version_zero",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "foo-ph/9901001"',
        "cat.yaml:27:12: wu2024unigen: arxiv: 'foo-ph/9901001' is not a valid arXiv ID (no arXiv archive 'foo-ph')",
        id="arxiv_old_form_unknown_archive",
    ),
    pytest.param(
        'arxiv: "2406.18966"',
        'arxiv: "hep-th/0801001"',
        "cat.yaml:27:12: wu2024unigen: arxiv: 'hep-th/0801001' is not a valid arXiv ID"
        " (IDs of this form run from 9108 to 0703)",
        id="arxiv_old_form_after_march_2007",
    ),
    pytest.param(
        "      pages: 10-20",
        "      pages: 957-930",
        "cat.yaml:32:14: wu2024unigen: pages: '957-930' ends before it starts",
        id="pages_reversed",
    ),
    pytest.param(
        "key: wu2024unigen",
        "key: Tan2024large",
        "cat.yaml:20:10: Tan2024large: key 'Tan2024large' differs only in case from 'tan2024large'"
        " (the key of the paper at line 8: BibTeX and biber take them for one key)",
        id="key_duplicate_in_another_case",
    ),
    pytest.param(
        "key: wu2024unigen",
        'key: "wu2024unigen\\n"',
        "cat.yaml:20:10: wu2024unigen\\n: key: control character U+000A at character 13",
        id="key_with_trailing_newline",
    ),
    pytest.param(
        "date: 2024-06-27",
        'date: "2024-06-27\\n"',
        "cat.yaml:26:11: wu2024unigen: date: control character U+000A at character 11",
        id="date_with_trailing_newline",
    ),
    pytest.param(
        "doi: 10.1234/abcd.5678",
        'doi: "10.1234/abcd.5678\\n"',
        "cat.yaml:33:12: wu2024unigen: doi: control character U+000A at character 18",
        id="doi_with_trailing_newline",
    ),
    pytest.param(
        "url: https://arxiv.org/abs/2402.13446",
        "url: https://arxiv.org/abs/2402.13446\u00ad",
        "cat.yaml:18:10: tan2024large: url: 'https://arxiv.org/abs/2402.13446\\xad' is not a valid URL:"
        " invisible character U+00AD (SOFT HYPHEN) at character 33",
        id="url_with_soft_hyphen",
    ),
    pytest.param(
        "url: https://arxiv.org/abs/2402.13446",
        'url: "https://a.b/)[Mirror](javascript:alert(1))<b>"',
        "cat.yaml:18:10: tan2024large: url: 'https://a.b/)[Mirror](javascript:alert(1))<b>' is not a valid URL:"
        " '<' at character 43",
        id="url_with_angle_bracket",
    ),
    pytest.param(
        "date: 2024-06-27",
        "date: \u0662\u0660\u0662\u0664",
        "cat.yaml:26:11: wu2024unigen: date: '\u0662\u0660\u0662\u0664' is not a date",
        id="date_in_other_digits",
    ),
    pytest.param(
        "doi: 10.1234/abcd.5678",
        "doi: '10.1234/<script>'",
        "cat.yaml:33:12: wu2024unigen: doi: '10.1234/<script>' is not a valid DOI: '<' at character 9"
        ' (a DOI holds no spaces, control or invisible characters, nor < > " { } \\)',
        id="doi_with_angle_bracket",
    ),
    pytest.param(
        "doi: 10.1234/abcd.5678",
        "doi: '10.1234/a{b}'",
        "cat.yaml:33:12: wu2024unigen: doi: '10.1234/a{b}' is not a valid DOI: '{' at character 10",
        id="doi_with_brace",
    ),
    # Lengths no real catalogue reaches
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        "    title: " + "x" * 1001,
        "cat.yaml:23:12: wu2024unigen: title: 1,001 characters, over the limit of 1,000",
        id="title_too_long",
    ),
    pytest.param(
        "      - Wu, Siyuan",
        "      - Wu, " + "S" * 300,
        "cat.yaml:25:9: wu2024unigen: authors.0: 304 characters, over the limit of 300",
        id="author_name_too_long",
    ),
    pytest.param(
        "      - Wu, Siyuan",
        "\n".join(["      - Wu, Siyuan"] * 20_001),
        "cat.yaml:25:7: wu2024unigen: authors: 20,001 authors, over the limit of 20,000",
        id="too_many_authors",
    ),
    pytest.param(
        "code: https://github.com/example/code",
        "code: https://github.com/" + "a" * 2000,
        "cat.yaml:19:11: tan2024large: code: 2,019 characters, over the limit of 2,000",
        id="url_too_long",
    ),
    # Hints for the first day's mistakes
    pytest.param(
        "    type: article\n    title: 'UniGen",
        "    type: preprint\n    title: 'UniGen",
        "cat.yaml:22:11: wu2024unigen: type: unknown type 'preprint' (arXiv preprints are `article` in CSL)",
        id="type_preprint_hint",
    ),
    pytest.param(
        "    type: article\n    title: 'UniGen",
        "    type: inproceedings\n    title: 'UniGen",
        "cat.yaml:22:11: wu2024unigen: type: unknown type 'inproceedings' (BibTeX's inproceedings is"
        " `paper-conference` in CSL)",
        id="type_bibtex_name_hint",
    ),
    pytest.param(
        "      - Beigi, Alimohammad",
        "      - Alimohammad Beigi",
        "cat.yaml:14:9: tan2024large: author 2: 'Alimohammad Beigi' has no comma"
        " (family name first: 'Beigi, Alimohammad'; or {literal: …} for an organisation)",
        id="author_without_comma_hint_writes_it_family_first",
    ),
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        "    title: UniGen: A Unified Framework",
        "cat.yaml:23:12: title: YAML syntax error: ': ' in an unquoted value"
        " (quote it: title: 'UniGen: A Unified Framework')",
        id="title_with_unquoted_colon",
    ),
    pytest.param(
        "      container: The Thirteenth International Conference on Learning Representations",
        "      container: Findings of ACL: EMNLP 2024 # the venue",
        "cat.yaml:30:18: container: YAML syntax error: ': ' in an unquoted value"
        " (quote it: container: 'Findings of ACL: EMNLP 2024')",
        id="container_with_unquoted_colon",
    ),
    pytest.param(
        "    title: 'UniGen: A Unified Framework'",
        "    title:\n      UniGen: A Unified Framework",
        "cat.yaml:24:7: wu2024unigen: title: must be non-empty text"
        " (YAML read it as a mapping: quote it: 'UniGen: A Unified Framework')",
        id="title_read_as_mapping",
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
    assert textcheck.MOJIBAKE_SUSPECT.search(garbled) or not ftfy.badness.is_bad(garbled)


@pytest.mark.parametrize("text", ["Candès, Emmanuel", "Łukasz Kaiser", "Zhang 张", "naïve — “quoted”", "ﬁne ¿qué?"])
def test_honest_text_never_reaches_ftfy(text):
    assert not textcheck.MOJIBAKE_SUSPECT.search(text)
    assert textcheck.mojibake(text) is None


@pytest.mark.parametrize(
    "arxiv", ["0704.0001", "1412.6980v2", "1501.00001", "2406.18966v12", "hep-th/9901001v2", "math.GT/0309136"]
)
def test_real_arxiv_ids_of_every_period_pass(arxiv):
    assert problems(VALID.replace('arxiv: "2406.18966"', f'arxiv: "{arxiv}"')) == []


def test_a_section_in_another_unicode_normal_form_is_named_as_such():
    text = VALID.replace("  - Research\n", "  - Caf\u00e9\n").replace("section: Research", 'section: "Cafe\\u0301"')
    assert problems(text) == [
        "cat.yaml:21:14: wu2024unigen: section 'Cafe\u0301' differs from 'Caf\u00e9' in sections only in Unicode"
        " normal form (they look alike but are stored differently (é as one character, or e and a combining"
        " accent): retype one so both match)"
    ]


def test_a_section_listed_twice_in_two_normal_forms_is_listed_twice():
    text = VALID.replace("  - Research\n", '  - Research\n  - "Research"\n  - Caf\u00e9\n  - "Cafe\\u0301"\n')
    assert problems(text) == [
        "cat.yaml:4:3: sections: section 'Research' is listed 2 times",
        "cat.yaml:4:3: sections: section 'Café' is listed 2 times (the spellings differ only in Unicode normal form)",
    ]


@pytest.mark.parametrize(
    "title",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: a zero-width non-joiner between two letters
        "\u0915\u094d\u200d\u0937",  # Devanagari: a zero-width joiner after a virama (a mark)
        "Coding with \U0001f469\u200d\U0001f4bb",  # an emoji sequence
    ],
)
def test_zero_width_joiners_inside_words_pass(title):
    assert problems(VALID.replace("'UniGen: A Unified Framework'", f'"{title}"')) == []


def test_a_zero_width_joiner_outside_a_word_is_refused():
    found = problems(VALID.replace("'UniGen: A Unified Framework'", '"UniGen \\u200d"'))
    assert found == [
        "cat.yaml:23:12: wu2024unigen: title: invisible character U+200D (ZERO WIDTH JOINER) at character 8"
        " (it makes text that looks the same differ: remove it)"
    ]


def test_huge_values_are_shortened_in_messages():
    found = problems(VALID.replace("date: 2024-06-27", "date: " + "9" * 5_000_000))
    assert found and all(len(p) < 300 for p in found), [p[:400] for p in found]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("key", "wu2024unigen"),
        ("doi", "10.1234/abcd.5678"),
        ("date", "2024-06-27"),
        ("arxiv", "2406.18966"),
        ("pages", "10-20"),
        ("acl_anthology", "2024.acl-long.12"),
        ("openreview", "F5R0lG74Tu"),
        ("arxiv_class", "cs.CL"),
        ("url", "https://arxiv.org/abs/2406.18966"),
    ],
)
def test_patterns_match_whole_values_never_a_trailing_newline(field, value):
    """Text checks report a line break first; the field's own checker refuses it too, on its own."""
    check = validate.RECORD_FIELDS[field]
    assert check(value) is None
    assert check(value + "\n") is not None


def test_the_description_and_a_note_may_hold_paragraphs():
    text = VALID.replace("description: A small list for tests.", 'description: "A small list.\\n\\nFor tests."')
    assert problems(text.replace("    code: https://", '    note: "First.\\nSecond."\n    code: https://')) == []
