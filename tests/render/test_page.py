"""The standalone HTML page: the list's description, a table of contents, every paper once with
each address once, and a distinct name for every link; read by ``html.parser`` and shown by
headless Chromium (its console, its accessibility tree, a screenshot kept as an artifact)."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from syndata_export import render
from syndata_export.render import Entry, Row
from syndata_export.render import html as html_format
from tests.render import chromium
from tests.render.support import ENGINES, STYLES, items, load_catalogue


def page(style: str, engine: str) -> str:
    cat = load_catalogue()
    return render.render(
        items(), cat.sections, style, engine, "html", standalone=True, title=cat.title, description=cat.description
    )


class _Page(HTMLParser):
    """What the page holds: ids, each <li>'s links, every link's name, headings, the description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype = self.charset = self.title = self.description = ""
        self.ids: list[str] = []
        self.h2: list[str] = []
        self.contents: list[str] = []  # the table of contents' targets
        self.links: list[dict] = []  # href, name (aria-label, else the text), the paper it is in
        self._in: list[tuple[str, dict]] = []
        self._li = ""

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "li" and "id" in a:
            self._li = a["id"]
        if tag == "meta" and "charset" in a:
            self.charset = a["charset"]
        if tag == "a":
            in_nav = any(t == "nav" for t, _ in self._in)
            self.links.append({"href": a.get("href", ""), "label": a.get("aria-label"), "text": "", "li": self._li})
            if in_nav:
                self.contents.append(a.get("href", ""))
        if tag not in ("meta", "br"):
            self._in.append((tag, a))

    def handle_endtag(self, tag):
        while self._in and self._in.pop()[0] != tag:
            pass
        if tag == "li":
            self._li = ""

    def handle_data(self, data):
        tags = [t for t, _ in self._in]
        if tags[-1:] == ["title"]:
            self.title += data
        elif tags[-1:] == ["h2"]:
            self.h2.append(data)
        elif self._in and self._in[-1][1].get("class") == "description":
            self.description += data
        if "a" in tags:
            self.links[-1]["text"] += data

    def names(self) -> list[str]:
        return [link["label"] if link["label"] is not None else " ".join(link["text"].split()) for link in self.links]


def read(text: str) -> _Page:
    parser = _Page()
    parser.feed(text)
    return parser


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("engine", ENGINES)
def test_the_page_has_every_paper_once_and_only_valid_links(style, engine):
    cat = load_catalogue()
    parsed = read(page(style, engine))
    assert parsed.doctype.lower() == "doctype html"
    assert parsed.charset.lower() == "utf-8" and parsed.title == cat.title
    assert parsed.h2 == ["Contents", *cat.sections]
    papers = [link_id for link_id in parsed.ids if not link_id.startswith("section-")]
    assert sorted(papers) == sorted(r.key for r in cat.records), "every paper once"
    assert len(parsed.ids) == len(set(parsed.ids)), "anchors are unique"
    for link in parsed.links:
        if link["href"].startswith("#"):
            continue
        parts = urlsplit(link["href"])
        assert parts.scheme in ("http", "https") and parts.netloc and " " not in link["href"], link


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("engine", ENGINES)
def test_the_page_shows_the_description_and_its_contents(style, engine):
    cat = load_catalogue()
    parsed = read(page(style, engine))
    assert parsed.description == cat.description
    assert parsed.contents == [f"#{html_format.slug(name)}" for name in cat.sections]
    assert all(target[1:] in parsed.ids for target in parsed.contents)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("engine", ENGINES)
def test_every_link_has_its_own_name_and_each_address_shows_once_per_paper(style, engine):
    parsed = read(page(style, engine))
    names = parsed.names()
    assert all(names) and len(names) == len(set(names)), Counter(names).most_common(3)
    per_paper = Counter((link["li"], link["href"]) for link in parsed.links if link["li"])
    assert max(per_paper.values()) == 1, per_paper.most_common(3)
    for link in parsed.links:  # the list's own links say whose they are; the reference's show it
        if link["label"] is not None:
            label, title = link["label"].split(": ", 1)
            assert label == link["text"] and title, link


def test_a_link_is_named_after_its_paper_and_shared_short_titles_use_the_whole_title():
    rows = [
        Row(Entry("a", "A."), (("Paper", "https://x.org/a"),), "DataGen: Unified generation"),
        Row(Entry("b", "B."), (("Paper", "https://x.org/b"), ("Code", "https://c.org/b")), "UniGen: One"),
        Row(Entry("c", "C."), (("Paper", "https://x.org/c"),), 'UniGen: <span class="nocase">Two</span>'),
    ]
    names = read(html_format.document([("S", rows)], standalone=True)).names()
    assert names == ["S", "Paper: DataGen", "Paper: UniGen: One", "Code: UniGen: One", "Paper: UniGen: Two"]


def test_an_address_the_reference_shows_is_not_repeated_below_it():
    text = '<a href="https://x.org/a?b=1&amp;c=2">T</a>.'
    rows = [Row(Entry("a", text), (("Paper", "https://x.org/a?b=1&c=2"), ("Code", "https://c.org/")), "T")]
    assert read(html_format.document([("S", rows)], standalone=True)).names() == ["S", "T", "Code: T"]
    assert "Paper" in html_format.document([("S", rows)]), "the fragment is unchanged"


def test_the_description_is_text():
    out = html_format.document([], title="L", standalone=True, description="<script>alert(1)</script> & more")
    assert '<p class="description">&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>' in out


# -- in a browser ----------------------------------------------------------------------------------

CHECKS = """(() => {
  const toc = [...document.querySelectorAll('nav a')].map(a => {
    a.click();
    const target = document.querySelector(':target');
    return [a.getAttribute('href'), target ? target.id : null, target ? target.tagName : null];
  });
  const d = document.querySelector('.description');
  const box = d && d.getBoundingClientRect();
  return {
    toc,
    description: d ? d.innerText : null,
    descriptionShown: !!d && box.width > 0 && box.height > 0 && getComputedStyle(d).visibility === 'visible',
    papers: [...document.querySelectorAll('li.csl-entry')].map(li => [li.id, li.innerText]),
    body: document.body.innerText,
    sections: [...document.querySelectorAll('section')].map(s => s.id),
  };
})()"""


@pytest.mark.parametrize("style", STYLES)
def test_the_page_in_chromium(tmp_path, style):
    executable = chromium.need_chromium()
    cat = load_catalogue()
    path = tmp_path / f"page-{style}.html"
    path.write_text(page(style, "pandoc"), encoding="utf-8")
    with chromium.Browser(executable, tmp_path / "profile") as browser:
        browser.open(path)
        shot = browser.screenshot(tmp_path / f"page-{style}.png")
        chromium.keep(shot)
        found = browser.evaluate(CHECKS)
        links = browser.links()
        problems = browser.problems()
    assert problems == [], problems
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
    assert found["description"] == cat.description and found["descriptionShown"]
    assert found["toc"] == [[f"#{html_format.slug(s)}", html_format.slug(s), "SECTION"] for s in cat.sections]
    keys = [key for key, _ in found["papers"]]
    assert sorted(keys) == sorted(r.key for r in cat.records), "every paper once"
    for key, text in found["papers"]:
        assert found["body"].count(text) == 1, key
    names = [name for _, name in links]
    assert len(names) == len(read(path.read_text(encoding="utf-8")).links), "every link is in the tree"
    assert all(names) and len(names) == len(set(names)), json.dumps(Counter(names).most_common(3))
    assert sum(bool(re.fullmatch(r"(Paper|arXiv|Project|Code): .+", name)) for name in names) >= 10
