"""awesome.read: a paper list's Markdown structure with source lines, broken links, mojibake, linear time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from syndata_export.awesome import merge, papers, read
from syndata_export.errors import SyndataError

FIXTURE = Path(__file__).parent / "papers-readme.md"
ITEM = "Gan Z. X[J]. arXiv preprint arXiv:2410.01720, 2024."


def test_the_fixture_list():
    doc = read.read(FIXTURE.read_text(encoding="utf-8"), "README.md")
    assert doc.title == "Synthetic Data Papers"
    assert doc.description.splitlines() == [
        "A reading list on language models that write their own training data.",
        "Each entry gives the citation, then its links.",
    ]
    assert doc.sections == ["Survey Papers", "Research Papers", "Analysis Papers"], "the contents are not a section"
    assert [i.line for i in doc.items] == [14, 18, 22, 28, 32, 37, 41, 43, 47, 51, 57, 61, 65, 69, 73, 77]
    assert [(link.label, link.line, link.col) for link in doc.items[0].links] == [
        ("Paper", 14, 129),
        ("Project", 14, 171),
    ]
    assert [(link.label, link.line, link.col) for link in doc.items[4].links] == [("Paper", 34, 3), ("Code", 35, 3)]
    assert doc.items[2].text.endswith("Representations. 2025."), "the note after the links is not the citation"
    assert "pages 17633–17653, Vienna" in doc.items[8].text
    assert [str(p) for p in doc.problems] == [
        "README.md:47:267: repaired mojibake 'â€“' → '–' (fix the source)",
        "README.md:71:3: broken link '[Paper](https://aclanthology.org/2024.x' (write [Label](https://…))",
    ]


STRUCTURES = [
    pytest.param(
        f"# T\n\nIntro one.\nIntro two.\n\n## A\n\n* {ITEM}\n",
        {"title": "T", "description": "Intro one.\nIntro two.", "sections": ["A"], "items": 1},
        id="star_bullets_and_two_line_description",
    ),
    pytest.param(
        f"# T\n\n## Contents\n\n- [A](#a)\n- [B](#b)\n\n## A\n\n- {ITEM}\n\n## B\n",
        {"sections": ["A", "B"], "items": 1},
        id="table_of_contents_is_not_papers",
    ),
    pytest.param(f"# T\n\n## A\n\n```\n- {ITEM}\n```\n", {"sections": ["A"], "items": 0}, id="code_blocks_are_ignored"),
    pytest.param(
        "# T\n\n## A\n\n1. Gan Z. X[J]. arXiv preprint\n   arXiv:2410.01720, 2024.\n\n   A note.\n",
        {"items": 1, "text": ITEM},
        id="numbered_item_on_two_lines_then_a_note",
    ),
    pytest.param(
        f"# T\n\n## A\n#### Deeper\n- {ITEM} [[Paper](https://x.org/1)]\n",
        {"sections": ["A"], "items": 1, "text": ITEM, "links": [("Paper", "https://x.org/1", 5)]},
        id="deep_heading_stays_in_section_and_inline_link",
    ),
    pytest.param(
        f"# T\n\n## A\n\n- {ITEM}\n  - [Paper](https://x.org/1)\n  - [Code](https://x.org/2)\n",
        {"items": 1, "text": ITEM, "links": [("Paper", "https://x.org/1", 6), ("Code", "https://x.org/2", 7)]},
        id="links_in_a_nested_list_belong_to_the_item",
    ),
    pytest.param(
        "# T\n\n### Q\\&A \\*papers\\*\n\n- Ann Lee. 2024. [A linked title](https://x.org/t). <https://doi.org/10.1/x>"
        ' ![badge](https://x.org/b.svg) [Paper](https://x.org/p "title")\n',
        {
            "sections": ["Q&A *papers*"],
            "text": "Ann Lee. 2024. A linked title. <https://doi.org/10.1/x>",
            "links": [("Paper", "https://x.org/p", 5)],
        },
        id="escaped_heading_linked_title_autolink_and_image",
    ),
    pytest.param(
        f"# T\n\n> ## Quoted\n> - {ITEM}\n\n## A\n\n- {ITEM}\n",
        {"description": f"Quoted\n\n{ITEM}", "sections": ["A"], "items": 1},
        id="a_block_quote_is_description_not_structure",
    ),
    pytest.param(
        "# T\n\nA \\*b\\* [c](https://x.org) <img src=x onerror=alert(1)> &amp;\nd\n\n<script>x</script>\n\n## A\n",
        {"description": "A *b* c  &\nd", "sections": ["A"]},
        id="the_description_is_the_text_a_reader_sees",
    ),
]


@pytest.mark.parametrize(("text", "expected"), STRUCTURES)
def test_markdown_structure(text, expected):
    doc = read.read(text)
    got = {"title": doc.title, "description": doc.description, "sections": doc.sections, "items": len(doc.items)}
    if doc.items:
        got["text"] = doc.items[0].text
        got["links"] = [(link.label, link.url, link.line) for link in doc.items[0].links]
    assert {k: got[k] for k in expected} == expected


BROKEN = [
    pytest.param("  [Paper](https://x.org/1", "README.md:2:3: broken link '[Paper](https://x.org/1'", id="unclosed"),
    pytest.param("  [Paper](not a url)", "README.md:2:3: broken link '[Paper](not a url)'", id="spaces_in_the_address"),
    pytest.param("  x [Code] y", "README.md:2:5: broken link '[Code]'", id="no_address"),
]


@pytest.mark.parametrize(("line", "message"), BROKEN)
def test_a_link_that_did_not_become_one_is_reported_where_it_is(line, message):
    doc = read.read(f"- {ITEM}\n{line}\n")
    assert [str(p).split(" (")[0] for p in doc.problems] == [message]
    assert doc.items[0].text == ITEM + (" x y" if "y" in line else ""), "the broken link is not in the citation"


# ---------------------------------------------------------------- bounded in time

MB = 1_000_000
HEAD = "# L\n\n## S\n\n"


def _fill(unit: str, size: int = MB) -> str:
    return (unit * (size // len(unit) + 1))[:size]


FLOODS = [
    pytest.param(_fill("- a\n"), id="tiny_items"),
    pytest.param(_fill("1. a\n"), id="tiny_numbered_items"),
    pytest.param(HEAD + "- " + _fill("["), id="brackets_in_an_item"),
    pytest.param(HEAD + "- " + _fill("!["), id="image_openers_in_an_item"),
    pytest.param(HEAD + "- " + _fill("[a]("), id="unclosed_links_in_an_item"),
    pytest.param(HEAD + "- x\n\n  " + _fill("[Paper](https://a.b/c) "), id="a_megabyte_of_links_under_one_paper"),
    pytest.param(HEAD + "- " + _fill("`a``"), id="code_span_openers"),
    pytest.param(HEAD + "- " + _fill("\\["), id="escapes"),
    pytest.param(HEAD + "- " + _fill('<a id="x">'), id="inline_html"),
    pytest.param(_fill("## a\n"), id="headings"),
    pytest.param(_fill("a\n=\n"), id="setext_headings"),
    pytest.param("# T\n\n" + _fill("[") + "\n\n## S\n\n- a\n", id="brackets_in_the_description"),
    pytest.param(_fill("## a\n", 400_000) + _fill("\n", 600_000) + "## S\n\n- a\n", id="headings_then_blank_lines"),
    pytest.param(HEAD + _fill("- - a\n"), id="nested_lists"),
    pytest.param(HEAD + "- A B. 2024. T. In X" + _fill(", a"), id="acl_venue_of_commas"),
    pytest.param(HEAD + "- A B. T[J]. " + _fill("2024, 1("), id="gbt_years_and_open_issues"),
    pytest.param(HEAD + "".join(f"- Tan Z. A b[J]. arXiv preprint arXiv:2402.{n:05d}, 2024.\n" for n in range(5000)),
                 id="five_thousand_papers_with_one_key"),
    pytest.param(HEAD + _fill("- â€“ â€“ caf\u00e9\n"), id="mojibake_on_every_line"),
    pytest.param(" \t \n" * (MB // 4), id="whitespace"),
    pytest.param("> " * (MB // 2), id="nested_quotes"),
]  # fmt: skip


@pytest.mark.parametrize("text", FLOODS)
def test_a_megabyte_built_to_be_slow_is_read_or_refused_in_under_two_seconds(text):
    """Everything that reads the README (Markdown, citation shapes, keys) within 2 s of CPU; what would
    take longer is refused with a message (more Markdown than some 5,800 papers make)."""
    start = time.process_time()
    try:
        found, _ = papers.papers(read.read(text))
        merge.plan([], [], found)
    except SyndataError as exc:
        assert "split the list" in str(exc) or "save it as UTF-8" in str(exc), exc
    assert time.process_time() - start < 2


def test_what_is_refused_and_why():
    with pytest.raises(SyndataError, match=r"more Markdown than the reader takes \(that of some 5,769 papers\)"):
        read.read("- a\n" * 100_000, "big.md")
    with pytest.raises(SyndataError, match="big.md: 4,000,001 characters; a paper list has at most 4,000,000"):
        read.read(" " * 4_000_001, "big.md")
    with pytest.raises(SyndataError, match=r"mojibake on 1,001 lines \(first on line 2\).*save it as UTF-8"):
        read.read("x\n" + "- â€“\n" * 1001)
    assert len(read.read(HEAD + f"- {ITEM}\n" * 4000).items) == 4000, "a list of 4,000 papers reads"


def _seconds(text: str) -> float:
    """CPU seconds, best of three: other processes on a busy machine (CI, parallel jobs) do not count."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        read.read(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param("- a\n", id="tiny_items"),
        pytest.param("- " + "[" * 60 + "\n", id="items_of_brackets"),
        pytest.param("[Paper](u) ", id="links_in_one_item"),
        pytest.param("[", id="brackets_in_one_item"),
    ],
)
def test_reading_time_grows_linearly(unit):
    """markdown-it-py is linear, not fast, on these (4-8 µs a block or a bracket): twice the text, twice the time."""
    size = 25_000 // len(unit)
    small, large = ("- " + unit * n if unit[0] != "-" else unit * n for n in (size, 2 * size))
    assert _seconds(large) < 3 * _seconds(small) + 0.05
