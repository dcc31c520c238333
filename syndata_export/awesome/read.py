"""README reader: an awesome-list's Markdown → title, description, sections and items, each with its lines.

markdown-it-py parses the CommonMark; its token maps give each block's source lines, and line
breaks inside a paragraph give each link's line. The reader keeps what a paper list is made of:
the first ``#`` heading is the title, the text before the first section the description, the
``#``/``##``/``###`` headings the sections, and each top-level list item a paper: its first
paragraph the citation, its links (in any paragraph, nested lists included) the Paper/Code links.

Reading is lenient the way python-bibtexparser is: mojibake is repaired (ftfy) and each repair
reported, and a ``[Paper]`` that did not become a link is reported at its line and column.

Only headings, the description and list items are parsed inline, with the rules that decide
where a link is (emphasis cannot, so it is off and ``*`` stays in the text, as the citation
shapes expect).

The work is bounded, because the README comes from outside. markdown-it-py is linear but pure
Python: a real list reads at some 0.18 ms a paper, while a megabyte of nothing but tiny list
items or unmatched ``[`` costs it 5 to 20 s. So the parser counts its steps, weighed by what
they cost (:data:`STEP_WEIGHTS`: then no Markdown costs more a step than a real list), and
stops at :data:`MAX_STEPS`, the work of some 5,800 papers: a 1 MB README built to be slow is
refused within some 1.2 s of CPU. Mojibake is looked for in one pass, and a README with more
than :data:`MAX_REPAIRED_LINES` lines of it, or over :data:`MAX_CHARS`, is refused at once.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import ftfy
from ftfy.badness import BADNESS_RE
from markdown_it import MarkdownIt
from markdown_it.ruler import RuleOptionsType
from markdown_it.token import Token

from syndata_export.errors import Problem, SyndataError

# link label (case-folded) → what it gives the record
LINK_KINDS = {
    "paper": "paper",
    "pdf": "paper",
    "arxiv": "arxiv",
    "code": "code",
    "github": "code",
    "project": "project",
    "project page": "project",
    "homepage": "project",
    "website": "project",
}
TOC_HEADINGS = {"contents", "table of contents"}
SECTION_LEVELS = 3  # `#`, `##` and `###` headings are sections; deeper ones are text inside a section
MAX_CHARS = 4_000_000  # a README this long is not a paper list (5,800 papers in the original's shape: 1.5 MB)
MAX_REPAIRED_LINES = 1000  # lines with mojibake: more is a whole file read in the wrong encoding
STEPS_A_PAPER = 52  # what reading a paper of the original list takes (its item, citation and two links)
MAX_STEPS = 300_000  # the work of reading some 5,800 papers
# steps weighed so that a step of any Markdown costs about what a real list's does (some 3.6 µs):
# each block tried, each inline token, each bracket or other markup a token starts with, each link
STEP_WEIGHTS = {"block": 5, "inline": 1, "markup": 2, "link": 4}
_LONGEST_LABEL = max(map(len, LINK_KINDS))
_BREAKS = {"softbreak": " ", "hardbreak": " "}
_ANCHOR = re.compile(r'<a id="([A-Za-z0-9][A-Za-z0-9_.:+/-]{0,99})">')  # as `list` writes it: a citation key
MAX_DIFF = 2000  # characters of one line that difflib compares to place each mojibake repair


@dataclass
class Link:
    label: str
    url: str
    line: int
    col: int


@dataclass
class Item:
    """One list item: the citation text (first paragraph, links removed), every link under it, and
    the key of its leading ``<a id="key"></a>`` anchor (as ``list`` writes it), if any."""

    line: int
    section: str
    text: str
    links: list[Link] = field(default_factory=list)
    key: str = ""


@dataclass
class Document:
    title: str = ""
    description: str = ""
    sections: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # repairs and broken links, all with line numbers


class _TooMuch(Exception):
    """The parser has taken :data:`MAX_STEPS` steps."""


class _Parser(MarkdownIt):
    """CommonMark, block structure only; inline parsing on demand (:meth:`inline_tokens`); every
    step counted (a first rule in each chain that only counts), up to :data:`MAX_STEPS`."""

    def __init__(self) -> None:
        super().__init__("commonmark")
        self.disable(["inline", "text_join", "emphasis"])  # text_join would merge escapes into text
        self.steps = 0
        ends: RuleOptionsType = {"alt": ["paragraph", "reference", "blockquote", "list"]}  # tried line by line
        self.block.ruler.before("table", "count", lambda *_: self.step(STEP_WEIGHTS["block"]), ends)
        self.inline.ruler.before("text", "count", lambda *_: self.step(STEP_WEIGHTS["inline"]))
        self.inline.ruler.before("link", "count markup", lambda *_: self.step(STEP_WEIGHTS["markup"]))

    def step(self, weight: int) -> bool:
        self.steps += weight
        if self.steps > MAX_STEPS:
            raise _TooMuch
        return False  # counted; the real rules follow

    def normalizeLink(self, url: str) -> str:
        return url  # the address as written: compared with the catalogue's, never opened

    def inline_tokens(self, content: str) -> list[Token]:
        tokens: list[Token] = []
        self.inline.parse(content, self, {}, tokens)
        return tokens


_PARSER = _Parser()


def read(text: str, name: str = "README.md") -> Document:
    """Markdown text → title, description, sections and items, repairing mojibake on the way.

    Raises :class:`~syndata_export.errors.SyndataError` for a README too large to be a paper list.
    """
    hint = "split the list into smaller files and import each"
    if len(text) > MAX_CHARS:
        raise SyndataError(f"{name}: {len(text):,} characters; a paper list has at most {MAX_CHARS:,}", hint)
    _PARSER.steps = 0
    try:
        return _read(text, name)
    except _TooMuch:
        papers = MAX_STEPS // STEPS_A_PAPER
        raise SyndataError(
            f"{name}: more Markdown than the reader takes (that of some {papers:,} papers)", hint
        ) from None


def _read(text: str, name: str) -> Document:
    doc = Document()
    lines = _repaired(_split(text), name, doc.problems)
    tokens = _PARSER.parse("\n".join(lines))
    section, in_toc = "", False
    description: list[str] = []
    i = 0
    while i < len(tokens):
        token, end = tokens[i], _end(tokens, i)
        if token.type == "heading_open":
            if int(token.tag[1:]) <= SECTION_LEVELS:  # deeper ones are text inside a section
                words = _words(_PARSER.inline_tokens(tokens[i + 1].content))
                section, in_toc = _heading(doc, words, token.tag == "h1", section)
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            if not in_toc:
                items = (
                    _item(tokens, j, _end(tokens, j), lines, section, name, doc.problems)
                    for j in _children(tokens, i, end)
                )
                doc.items += [item for item in items if not _only_anchors(item)]
        elif token.map and token.type not in ("fence", "code_block") and not (in_toc or doc.sections or doc.items):
            description += [_text(tokens[j].content) for j in range(i, end + 1) if tokens[j].type == "inline"]
        i = end + 1
    doc.description = "\n\n".join(p for p in description if p)
    return doc


def _heading(doc: Document, words: str, h1: bool, section: str) -> tuple[str, bool]:
    """The list's title (its first ``#``), a table of contents, or a section: the section and
    whether a table of contents starts."""
    if h1 and not (doc.title or doc.sections or doc.items):
        doc.title = words
        return section, False
    if words.casefold() in TOC_HEADINGS:
        return section, True
    if words not in doc.sections:
        doc.sections.append(words)
    return words, False


def _text(content: str) -> str:
    """A paragraph as the text a reader sees, line by line (the description is kept as plain text)."""
    return _plain(_PARSER.inline_tokens(content), "\n").strip()


def _words(tokens: list[Token]) -> str:
    """A heading's words, without the emphasis around them (``**Surveys**``: emphasis is not parsed)."""
    if tokens and tokens[0].type == "text":
        tokens[0].content = tokens[0].content.lstrip("*_ ")
    if tokens and tokens[-1].type == "text":
        tokens[-1].content = tokens[-1].content.rstrip("*_ ")
    return _plain(tokens).strip()


def _split(text: str) -> list[str]:
    """Lines as markdown-it counts them: only CR, LF and CRLF end one."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _end(tokens: list[Token], start: int) -> int:
    """Index of the token that closes the block opened at ``start`` (``start`` itself for a leaf)."""
    if tokens[start].nesting != 1:
        return start
    level, i = tokens[start].level, start + 1
    while not (tokens[i].nesting == -1 and tokens[i].level == level):
        i += 1
    return i


def _children(tokens: list[Token], start: int, end: int) -> Iterator[int]:
    """Where each block directly inside the one from ``start`` to ``end`` opens."""
    i = start + 1
    while i < end:
        yield i
        i = _end(tokens, i) + 1


def _item(
    tokens: list[Token], start: int, end: int, lines: list[str], section: str, name: str, problems: list[Problem]
) -> Item:
    """A list item: its first paragraph is the citation; links anywhere in it are its links."""
    item = Item(_line(tokens[start]) + 1, section, "")
    first = start + 2 if tokens[start + 1].type == "paragraph_open" else -1
    citation: list[str] = []
    for i in range(start + 1, end):
        if tokens[i].type == "inline":
            inline = _PARSER.inline_tokens(tokens[i].content)
            if i == first:
                item.key, inline = _anchor(inline)
            found = _links(inline, _line(tokens[i]), lines, i == first, name, problems)
            for text, links in found:
                item.links += links
                if i == first and text:
                    citation.append(text)
    item.text = " ".join(citation)
    return item


def _anchor(tokens: list[Token]) -> tuple[str, list[Token]]:
    """The key of a leading ``<a id="key"></a>``, and the tokens after it and after the anchors of
    the paper's former keys that ``list`` writes next to it."""
    keys = []
    while len(tokens) > 1 and tokens[0].type == tokens[1].type == "html_inline" and tokens[1].content == "</a>":
        if not (match := _ANCHOR.fullmatch(tokens[0].content)):
            break
        keys.append(match.group(1))
        tokens = tokens[2:]
    return (keys[0] if keys else ""), tokens


def _line(token: Token) -> int:
    """The 0-based line a block token starts on (every block token has a map)."""
    assert token.map is not None
    return token.map[0]


def _only_anchors(item: Item) -> bool:
    """A table-of-contents entry: nothing but links to anchors in the page."""
    return not item.text.strip(" -*") and bool(item.links) and all(link.url.startswith("#") for link in item.links)


def _links(
    tokens: list[Token], first_line: int, lines: list[str], citation: bool, name: str, problems: list[Problem]
) -> Iterator[tuple[str, list[Link]]]:
    """Each source line of one paragraph: its text without the links, and its links.

    In a citation, a link that is not a Paper/Code/Project link nor an anchor (a linked title,
    as CSL styles write it) is text: it keeps its words and loses only its address.
    """
    line, i = first_line, 0
    text: list[str] = []  # the line's pieces, joined once (a line may hold a megabyte)
    links: list[tuple[str, str, str]] = []
    while i <= len(tokens):
        token = tokens[i] if i < len(tokens) else None
        if token is None or token.type in _BREAKS:
            yield _line_text("".join(text), line, lines[line], name, problems), _placed(links, line, lines[line])
            line, text, links = line + 1, [], []
        elif token.type == "link_open":
            _PARSER.step(STEP_WEIGHTS["link"])
            close = next(j for j in range(i, len(tokens)) if tokens[j].type == "link_close")
            label, url = tokens[i + 1 : close], str(token.attrGet("href") or "")
            if token.markup == "autolink":
                text.append(f"<{url}>")
            elif citation and _plain(label).strip().casefold() not in LINK_KINDS and not url.startswith("#"):
                text.append(_source(label))
            else:
                links.append((_plain(label).strip(), url, _source(label)))
            line += sum(t.type in _BREAKS for t in label)  # a label written over two lines
            i = close
        else:
            text.append(_source([token]))
        i += 1


def _placed(links: list[tuple[str, str, str]], line: int, source: str) -> list[Link]:
    """Links with their columns: where each ``[label`` is written on the line, in order.

    markdown-it's inline tokens carry no columns, so each label is looked for after the one
    before; once one is not found (a code span written with extra spaces), the rest of the line
    gets the line's first column, so a line is scanned at most once more.
    """
    out, cursor, indent = [], 0, len(source) - len(source.lstrip())
    for label, url, label_source in links:
        at = source.find("[" + label_source, cursor) if cursor != -1 else -1
        out.append(Link(label, url, line + 1, (at if at != -1 else indent) + 1))
        cursor = at + 1 if at != -1 else -1
    return out


def _line_text(text: str, line: int, source: str, name: str, problems: list[Problem]) -> str:
    """The words of one line, with each ``[Paper]`` that did not become a link reported and removed."""
    kept, start, cursor = [], 0, 0
    for begin, end in _broken(text):
        fragment = text[begin:end].strip()
        at = source.find(fragment, cursor) if cursor != -1 else -1
        cursor = at + len(fragment) if at != -1 else -1
        problems.append(
            Problem(
                name, line + 1, at + 1 if at != -1 else 1, "", f"broken link {fragment!r}", "write [Label](https://…)"
            )
        )
        kept.append(text[start:begin])
        start = end
    kept.append(text[start:])
    return " ".join("".join(kept).split()).strip(" []")


def _broken(text: str) -> Iterator[tuple[int, int]]:
    """Where each ``[Label]`` or ``[Label](…`` whose label is a link kind stands in plain text."""
    start = text.find("[")
    while start != -1:
        close = text.find("]", start + 1, start + 2 + _LONGEST_LABEL)
        if close != -1 and text[start + 1 : close].strip().casefold() in LINK_KINDS:
            end = close + 1
            if text.startswith("(", end):
                paren = text.find(")", end)
                end = len(text) if paren == -1 else paren + 1
            yield start, end
            start = text.find("[", end)
        else:
            start = text.find("[", start + 1)


def _plain(tokens: list[Token], newline: str = " ") -> str:
    """What a reader sees: the text with escapes undone, code without its backticks, no images or HTML."""
    return "".join(
        t.content if t.type in ("text", "text_special", "code_inline") else newline if t.type in _BREAKS else ""
        for t in tokens
    )


def _source(tokens: list[Token]) -> str:
    """The text as written (escapes, entities, code spans and inline HTML as they were; no images)."""
    out = []
    for t in tokens:
        if t.type == "text_special":
            out.append(t.markup)
        elif t.type == "code_inline":
            out.append(f"{t.markup}{t.content}{t.markup}")
        elif t.type in ("text", "html_inline"):
            out.append(t.content)
        else:
            out.append(_BREAKS.get(t.type, ""))
    return "".join(out)


def _repaired(lines: list[str], name: str, problems: list[Problem]) -> list[str]:
    """The lines with mojibake repaired, each repair reported. ftfy changes only text its badness
    pattern matches, so one search of the whole text finds the lines to hand it; more than
    :data:`MAX_REPAIRED_LINES` of them is a file read in the wrong encoding, refused."""
    text = "\n".join(lines)
    if text.isascii():  # mojibake is made of non-ASCII characters
        return lines
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    bad = sorted({bisect.bisect_right(starts, m.start()) - 1 for m in BADNESS_RE.finditer(text)})
    if len(bad) > MAX_REPAIRED_LINES:
        raise SyndataError(
            f"{name}: mojibake on {len(bad):,} lines (first on line {bad[0] + 1})",
            "the file was saved in one encoding and read in another: save it as UTF-8 and import again",
        )
    for n in bad:
        fixed = ftfy.fix_encoding(lines[n])
        for col, old, new in _changes(lines[n], fixed):
            problems.append(Problem(name, n + 1, col, "", f"repaired mojibake {old!r} → {new!r}", "fix the source"))
        lines[n] = fixed
    return lines


def _changes(old: str, new: str) -> Iterator[tuple[int, str, str]]:
    """(column, old text, new text) of each change, found by difflib between the first and the last
    difference; a stretch longer than :data:`MAX_DIFF` (no README line is) is one change, since
    difflib's time grows with the square of what it compares."""
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_mid, new_mid = old[start : len(old) - end], new[start : len(new) - end]
    if not (old_mid or new_mid):
        return
    if max(len(old_mid), len(new_mid)) > MAX_DIFF:
        yield start + 1, old_mid[:20] + "…", new_mid[:20] + "…"
        return
    matcher = difflib.SequenceMatcher(None, old_mid, new_mid, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            yield start + a1 + 1, old_mid[a1:a2], new_mid[b1:b2]
