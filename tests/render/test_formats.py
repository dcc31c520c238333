"""Formats: engine HTML → inline nodes → Markdown/HTML/text, checked by real readers (pandoc, html.parser)."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import pypandoc
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndata_export import render
from syndata_export.render import html as html_format
from syndata_export.render import inline, markdown
from syndata_export.render import text as text_format
from tests.render.support import ENGINES, items, load_catalogue

# -- the inline reader ---------------------------------------------------------------------------

READER = [
    pytest.param("<i>T</i> and <em>U</em>", "*T* and *U*", id="i_and_em_alike"),
    pytest.param('<span class="nocase">LLM</span>s', "LLMs", id="nocase_unwrapped"),
    pytest.param('<span style="font-variant:small-caps;">Doe</span>', "Doe", id="small_caps_kept_as_text"),
    pytest.param(
        '<div class="csl-left-margin">[1]</div><div class="csl-right-inline">A.</div>', "[1] A.", id="margins"
    ),
    pytest.param("  A \n\t B  ", "A B", id="ascii_space_collapsed"),
    pytest.param("A\u00a0B", "A\u00a0B", id="no_break_space_kept"),
    pytest.param("Q&amp;A &lt;x&gt;", "Q&A <x>", id="entities_decoded"),
    pytest.param("<b>B</b><strong>S</strong>", "**B****S**", id="bold"),
]


@pytest.mark.parametrize(("source", "expected"), READER)
def test_inline_reader(source, expected):
    nodes = inline.entry_inlines(source)
    rendered = "".join(n if isinstance(n, str) else _star(n) for n in nodes)
    assert rendered == expected


def _star(node: inline.Node) -> str:
    mark = {"em": "*", "strong": "**"}.get(node.kind, "")
    return mark + inline.plain(node.children) + mark


# -- Markdown ------------------------------------------------------------------------------------

MARKDOWN = [
    pytest.param('<a href="https://x.org/a_b">https://x.org/a_b</a>', "<https://x.org/a_b>", id="autolink"),
    pytest.param('<a href="https://x.org/(1)">here</a>', "[here](https://x.org/%281%29)", id="link_parens"),
    pytest.param("<em> Title </em>.", " *Title* .", id="spaces_outside_emphasis"),
    pytest.param("1. A * b _c_ [d] <e> `f` | ~g~ \\ &amp;x;", None, id="specials"),
    pytest.param("# Not a heading", "\\# Not a heading", id="heading_escaped"),
    pytest.param("2024. Untitled", "2024\\. Untitled", id="ordered_list_escaped"),
]


@pytest.mark.parametrize(("source", "expected"), MARKDOWN)
def test_markdown_writer(source, expected):
    out = markdown.inline(inline.entry_inlines(source))
    if expected is not None:
        assert out == expected
    assert _read_markdown([out]) == [_plain_of(source)]


def _plain_of(source: str) -> str:
    return " ".join(inline.plain(inline.entry_inlines(source)).split())


class _Items(HTMLParser):
    """Text of each <li>, as a browser would show it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.items.append("")
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "li":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.items[-1] += data


def _read_markdown(lines: list[str]) -> list[str]:
    """What GitHub-flavoured Markdown shows for each line, read by pandoc as list items."""
    doc = "\n".join(f"- {line}\n" for line in lines)
    out = pypandoc.convert_text(doc, "html", format="gfm", extra_args=["--wrap=none"])
    parser = _Items()
    parser.feed(out)
    return [" ".join(t.split()) for t in parser.items]


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).map(lambda s: " ".join(s.split()))


@settings(max_examples=25, deadline=None)
@given(st.lists(TEXT.filter(bool), min_size=1, max_size=20))
@example(["$0$", "costs $5 and $6", "a | b ~ c"])  # pandoc reads $…$ as TeX math unless escaped
def test_markdown_shows_any_text_exactly(texts):
    escaped = [markdown.inline((t,)) for t in texts]
    # pandoc reads its input in Unicode normal form C; that is the reader, not our escaping
    assert _read_markdown(escaped) == [unicodedata.normalize("NFC", t) for t in texts]


@pytest.mark.parametrize("engine", ENGINES)
def test_markdown_page_reads_back_as_the_text_page(engine):
    cat = load_catalogue()
    md = render.render(items(), cat.sections, "apa", engine, "markdown")
    txt_entries = render.bibliography(items(), "apa", engine, "text")
    shown = _read_markdown_doc(md)
    assert len(shown) == len(txt_entries) == 14
    for entry in txt_entries:
        assert sum(s.startswith(entry.text) for s in shown) == 1, entry.key
    out = pypandoc.convert_text(md, "html", format="gfm")
    assert out.count("<em>") >= 14, "every container or preprint title stays in italics"


def _read_markdown_doc(md: str) -> list[str]:
    out = pypandoc.convert_text(md, "html", format="gfm", extra_args=["--wrap=none"])
    parser = _Items()
    parser.feed(out)
    return [" ".join(t.split()) for t in parser.items]


# -- HTML ----------------------------------------------------------------------------------------


def test_html_fragment_is_not_a_page():
    cat = load_catalogue()
    fragment = render.render(items(), cat.sections, "apa", "pandoc", "html")
    assert fragment.startswith('<section id="section-survey-papers">') and "<html" not in fragment


def test_html_writer_escapes_text_and_attributes():
    nodes = inline.entry_inlines('<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">a &lt;b&gt;</a> &amp; c')
    assert html_format.inline(nodes) == '<a href="https://x.org/?a=1&amp;b=&quot;2&quot;">a &lt;b&gt;</a> &amp; c'


def test_text_writer_is_plain():
    nodes = inline.entry_inlines('A. <em>Title</em>. <a href="https://x.org">https://x.org</a>')
    assert text_format.inline(nodes) == "A. Title. https://x.org"
