"""Links: only http(s) and mailto targets are ever written, by both engines, in every format, and a
written link cannot be closed early, turned into two, or into an image.

Everything is read back by real readers: markdown-it-py (CommonMark) and pandoc (GitHub Markdown)
for Markdown, ``html.parser`` for HTML. The readers are told to keep every link they find, so a
``javascript:`` target would show.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pypandoc
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from syndata_export import render
from syndata_export.render import Entry, Row, inline, markdown
from syndata_export.render import html as html_format
from tests.conftest import run_cli
from tests.render.support import ENGINES

WEB = ("http", "https", "mailto")

# -- readers -------------------------------------------------------------------------------------


class _Links(HTMLParser):
    """Every <a href> with its text, as a browser would see them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.images: list[str] = []
        self._open: list[int] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append((a["href"] or "", ""))
            self._open.append(len(self.links) - 1)
        if tag == "img":
            self.images.append(a.get("src") or "")

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data):
        for n in self._open:
            self.links[n] = (self.links[n][0], self.links[n][1] + data)


def html_links(page: str) -> _Links:
    parser = _Links()
    parser.feed(page)
    return parser


def pandoc_links(md: str) -> _Links:
    """Links in Markdown as pandoc's GitHub Markdown reader finds them (bare URLs become links too)."""
    return html_links(pypandoc.convert_text(md, "html", format="gfm", extra_args=["--wrap=none"]))


class _Reader(MarkdownIt):
    """CommonMark that keeps every link as written: no target refused, none re-encoded."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        return True

    def normalizeLink(self, url: str) -> str:  # noqa: N802 - markdown-it's name
        return url


_READER = _Reader("commonmark")


def commonmark_links(md: str) -> tuple[list[tuple[str, str]], int]:
    """(href, text) of every link markdown-it-py reads, and how many images."""
    links: list[tuple[str, str]] = []
    images = 0
    for token in _READER.parse(md):
        depth = 0
        for child in token.children or []:
            if child.type == "link_open":
                links.append((str(child.attrs["href"]), ""))
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "image":
                images += 1
            elif depth and child.type in ("text", "code_inline"):
                links[-1] = (links[-1][0], links[-1][1] + child.content)
    return links, images


def scheme(href: str) -> str:
    """The scheme a browser takes from ``href`` (urlsplit strips what the URL standard strips)."""
    return urlsplit(href).scheme.lower()


def safe(href: str) -> bool:
    """A target on the web, a mail address, or a place on this page (a table of contents)."""
    return scheme(href) in WEB or re.fullmatch(r"#[\w-]+", href) is not None


# -- the reader of engine HTML: one filter for both engines ----------------------------------------

HOSTILE = [
    pytest.param("javascript:alert(1)", id="javascript"),
    pytest.param("JaVaScRiPt:alert(1)", id="mixed_case"),
    pytest.param(" javascript:alert(1)", id="leading_space"),
    pytest.param("\x01javascript:alert(1)", id="leading_control"),
    pytest.param("java\tscript:alert(1)", id="tab_inside"),
    pytest.param("java&#x0A;script:alert(1)", id="newline_entity"),
    pytest.param("jav&#x61;script:alert(1)", id="hex_entity"),
    pytest.param("&#106;avascript&colon;alert(1)", id="decimal_and_named_entity"),
    pytest.param("javascript&amp;#58;alert(1)", id="double_encoded"),
    pytest.param("data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;", id="data"),
    pytest.param("vbscript:msgbox(1)", id="vbscript"),
    pytest.param("file:///etc/passwd", id="file"),
    pytest.param("ftp://example.org/x", id="ftp"),
    pytest.param("//evil.example/x", id="scheme_relative"),
    pytest.param("/local/page", id="path"),
    pytest.param("page.html", id="relative"),
    pytest.param("#top", id="fragment"),
    pytest.param("https:evil.example", id="https_without_slashes"),
    pytest.param("https:///evil", id="https_without_host"),
    pytest.param("http\u017f://evil.example", id="long_s_is_no_s"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("href", HOSTILE)
def test_the_reader_keeps_a_link_only_to_the_web_or_mail(href):
    nodes = inline.entry_inlines(f'A <a href="{href}">click</a> here')
    assert nodes == ("A click here",)


@pytest.mark.parametrize("href", ["https://x.org/a", "HTTP://X.ORG", "mailto:a@x.org"])
def test_the_reader_keeps_web_and_mail_links(href):
    nodes = inline.entry_inlines(f'A <a href="{href}">click</a>')
    assert nodes == ("A ", inline.Node("a", ("click",), href))


@pytest.mark.parametrize("href", ["javascript:alert(1)", " javascript:alert(1)", "data:,x", "//evil.example", "x.html"])
def test_writers_refuse_a_link_the_reader_would_have_refused(href):
    # defence in depth: a node that reached a writer some other way is written as its text
    nodes = ("A ", inline.Node("a", ("click",), href), " here")
    assert markdown.inline(nodes) == "A click here"
    assert html_format.inline(nodes) == "A click here"
    page = html_format.document([("S", [Row(Entry("k", "A."), (("Paper", href),))])])
    assert html_links(page).links == []
    md = markdown.document([("S", [Row(Entry("k", "A."), (("Paper", href),))])])
    assert commonmark_links(md) == ([], 0) and "Paper" in md


# -- the one Markdown link writer --------------------------------------------------------------------

# what a written destination keeps as it is: printable ASCII but for what ends, escapes or confuses
# a link destination, and beyond ASCII all but spaces and controls; the rest goes as UTF-8
# percent-escapes (RFC 3986)
KEPT = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in ' ()<>[]\\`"')


def destination(url: str) -> str:
    """``url`` as a reader must read it back from what the writer wrote."""
    return "".join(c if c in KEPT or (c > "\x7f" and unicodedata.category(c)[0] not in "CZ") else quote(c) for c in url)


def valid(url: str) -> bool:
    """What the writer must write as a link: http(s) with a host, mailto, or a heading of the page."""
    if re.fullmatch(r"#[\w-]+", url):
        return True
    low = url[:8].lower()
    if low.startswith("mailto:"):
        return len(url) > 7 and url[7] > " " and url[7] != "\x7f"
    for start in ("http://", "https://"):
        if low.startswith(start):
            rest = url[len(start) :]
            return bool(rest) and rest[0] not in "/?#\\\x7f" and rest[0] > " "
    return False


STARTS = st.sampled_from(
    ["https://", "http://", "HTTPS://", "mailto:", "javascript:", "JavaScript:", " javascript:", "java\tscript:"]
    + ["data:text/html,", "vbscript:", "//", "/", "#", "", "ftp://", "https:", "https:///"]
)
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
URLS = st.builds(str.__add__, STARTS, ANY_TEXT) | ANY_TEXT
LABELS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20
).map(lambda s: " ".join(s.split()))


@settings(max_examples=300, deadline=None)
@given(st.one_of(LABELS, st.just("")), URLS, LABELS.filter(bool))
@example("Paper", "https://a.b/)[Mirror](javascript:alert(1))", "x")
@example("Paper", "https://a.b/\\)[Mirror](javascript:alert(1))", "x")
@example("Paper", "https://a.b/?q=&lt;&amp;&#41;", "x")
@example("Paper", 'https://a.b/x "title"', "x")
@example("Paper", "https://a.b/`x`<y>", "x")
@example("https://a.b/&amp;", "https://a.b/&amp;", "x")
@example("Paper", "https://a.b/\u202ex\u200b\u00a0y", "x")
@example("Paper", "https://a.b/x", "Wow!")
def test_a_markdown_link_is_one_link_to_the_web_or_none(label, url, before):
    written = markdown.inline((before, inline.Node("a", (label,) if label else (), url)))
    links, images = commonmark_links(written)
    assert images == 0, written
    assert all(safe(href) for href, _ in links), written
    if valid(url):
        assert links == [(destination(url), label)], written
        assert unquote(links[0][0]) == unquote(url)
    else:
        assert links == [], written
        assert written == markdown.inline((before + label,))


def test_pandoc_reads_each_hostile_link_as_written():
    cases = [
        ("https://a.b/)[Mirror](javascript:alert(1))", "https://a.b/%29%5BMirror%5D%28javascript:alert%281%29%29"),
        ("https://a.b/\\)[M](javascript:x)", "https://a.b/%5C%29%5BM%5D%28javascript:x%29"),
        ("https://a.b/?q=&lt;&amp;", "https://a.b/?q=&lt;&amp;"),
        ('https://a.b/x "t"', "https://a.b/x%20%22t%22"),
        ("https://a.b/<x>", "https://a.b/%3Cx%3E"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
    ]
    md = markdown.document([("S", [Row(Entry(f"k{n}", "A."), (("Paper", url),)) for n, (url, _) in enumerate(cases)])])
    read = pandoc_links(md)
    assert read.links == [(href, "Paper") for _, href in cases if href], md
    assert not read.images


def test_document_links_go_through_the_one_writer():
    row = Row(Entry("k", "A."), (("Paper", "https://a.b/)[Mirror](javascript:alert(1))"), ("Code", "javascript:x")))
    md = markdown.document([("S", [row])], contents=True)
    assert commonmark_links(md)[0] == [
        ("#s", "S"),
        ("https://a.b/%29%5BMirror%5D%28javascript:alert%281%29%29", "Paper"),
    ]


# -- a title holding a link, through the console script ----------------------------------------------------

TITLES = [
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(2)">click</a>',
    '<a href=" javascript:alert(3)">click</a>',
    '<a href="jav&#x61;script:alert(4)">click</a>',
    '<a href="data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;">click</a>',
    "<a href='vbscript:msgbox(6)'>click</a>",
    '<a href="//evil.example/7">click</a>',
]


def _hostile_catalogue(folder: Path) -> Path:
    papers = "".join(
        f"  - key: doe2024click{n}\n    section: Tests\n    type: article-journal\n"
        f"    title: {_yaml_quote(f'Title {n} {title} here')}\n    authors: ['Doe, Jane']\n"
        f"    date: 2024\n    container: Journal\n    url: https://example.org/{n}\n"
        for n, title in enumerate(TITLES)
    )
    path = folder / "hostile.yaml"
    path.write_text(f"title: Hostile\ndescription: A test.\nsections: [Tests]\npapers:\n{papers}", encoding="utf-8")
    return path


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_a_link_in_a_title_is_text_in_every_output(tmp_path, engine, fmt):
    cat = _hostile_catalogue(tmp_path)
    result = run_cli("--catalogue", str(cat), "--engine", engine, "--format", fmt, "--standalone")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    if fmt == "markdown":
        found = pandoc_links(out).links + commonmark_links(out)[0]
        shown = pypandoc.convert_text(out, "plain", format="gfm", extra_args=["--wrap=none"])
    elif fmt == "html":
        found, shown = html_links(out).links, html.unescape(re.sub(r"<[^>]*>", "", out))
    else:
        found, shown = [(href, "") for href in re.findall(r"\S+://\S+", out)], out
    assert found and all(safe(href) for href, _ in found), found
    assert not re.search(r"(?i)java\s*script|vbscript|data:text", " ".join(href for href, _ in found))
    for n in range(len(TITLES)):  # as text: citeproc-py's reader drops the tag, pandoc prints it
        assert re.search(rf"Title {n} (click|<a .*>click</a>) here", shown), "the text of each link is kept"


def test_a_hostile_url_in_the_list_is_one_link(tmp_path):
    cat = tmp_path / "list.yaml"
    cat.write_text(
        "title: L\nsections: [S]\npapers:\n  - key: ng2020learning\n    section: S\n    type: article-journal\n"
        "    title: Learning\n    authors: ['Ng, A.']\n    date: 2020\n    container: J\n"
        "    url: 'https://a.b/)[Mirror](javascript:alert(1))'\n",
        encoding="utf-8",
    )
    result = run_cli("list", "--catalogue", str(cat))
    assert result.returncode == 0, result.stderr
    hrefs = [href for href, _ in pandoc_links(result.stdout).links + commonmark_links(result.stdout)[0]]
    assert hrefs and all(scheme(href) in WEB for href in hrefs), hrefs
    assert "Mirror" not in [text for _, text in pandoc_links(result.stdout).links]


def test_render_page_of_a_hostile_url_is_one_link():
    item = {
        "id": "k",
        "type": "article-journal",
        "title": "T",
        "author": [{"family": "Doe", "given": "J."}],
        "issued": {"date-parts": [[2020]]},
        "URL": "https://a.b/)[Mirror](javascript:alert(1))",
        "custom": {"section": "S", "code": "javascript:alert(2)"},
    }
    md = render.render([item], ["S"], "apa", "pandoc", "markdown")
    assert all(safe(href) for href, _ in pandoc_links(md).links)
    assert [text for _, text in pandoc_links(md).links if text == "Mirror"] == []
    page = render.render([item], ["S"], "apa", "pandoc", "html", standalone=True)
    assert all(safe(href) for href, _ in html_links(page).links)
