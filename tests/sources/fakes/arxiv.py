"""The fake arXiv API: ``/query`` with ``id_list`` or ``search_query=ti:"…"``, answered in Atom as arXiv does.

Quirks kept (metadata-apis.md §1, §8): entry ids are versioned http links; an unversioned id gets
the latest version, ``<published>`` is always v1's; titles are wrapped over lines; a malformed id
is a 400 whose body is one error entry; an unknown well-formed id is simply absent;
``max_results`` defaults to 10; entries come in an order of their own (reversed).
"""

from __future__ import annotations

import re
import textwrap
from xml.sax.saxutils import escape, quoteattr

from tests.sources.fakes.papers import Paper, by_arxiv, given_family, papers

ATOM = "application/atom+xml; charset=utf-8"
_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v(\d+))?")
_TITLE_QUERY = re.compile(r'ti:"(.+)"')


def handle(path: str, query: dict[str, str]) -> tuple[int, str, bytes]:
    if path != "/query":
        return 404, "text/plain", b"Not Found"
    ids = [i.strip() for i in query.get("id_list", "").split(",") if i.strip()]
    for wanted in ids:
        if not _ID.fullmatch(wanted):
            return 400, ATOM, _error(wanted)
    if ids:
        entries = [(p, _version(p, m.group(2))) for i in ids if (m := _ID.fullmatch(i)) and (p := by_arxiv(m.group(1)))]
    elif match := _TITLE_QUERY.fullmatch(query.get("search_query", "")):
        words = set(_words(match.group(1)))
        entries = [(p, p.versions) for p in papers() if words <= set(_words(str(p.record["title"])))]
    else:
        entries = []
    entries = entries[: int(query.get("max_results", "10"))]
    return 200, ATOM, _feed([_entry(p, v) for p, v in reversed(entries)])


def _version(paper: Paper, asked: str | None) -> int:
    return int(asked) if asked else paper.versions


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _feed(entries: list[str]) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
        ' xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        '  <title type="html">ArXiv Query</title>\n'
        f"  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
    )
    return (head + "".join(entries) + "</feed>\n").encode()


def _entry(paper: Paper, version: int) -> str:
    record, arxiv_id = paper.record, paper.arxiv
    title = "\n  ".join(
        textwrap.wrap(escape(str(record["title"])), 60, break_on_hyphens=False, break_long_words=False)
    )  # arXiv wraps long titles
    updated = paper.date if version == 1 else "2025-01-15"
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{arxiv_id}v{version}</id>",
        f"    <updated>{updated}T12:00:00Z</updated>",
        f"    <published>{paper.date}T{paper.time}Z</published>",
        f"    <title>{title}</title>",
        "    <summary>  The fake serves no abstract.\n</summary>",
        *(f"    <author>\n      <name>{escape(_name(a))}</name>\n    </author>" for a in record["authors"]),
        *([f"    <arxiv:doi>{escape(paper.arxiv_doi)}</arxiv:doi>"] if paper.arxiv_doi else []),
        *(
            [f'    <link title="doi" href="https://doi.org/{escape(paper.arxiv_doi)}" rel="related"/>']
            * bool(paper.arxiv_doi)
        ),
        *([f"    <arxiv:journal_ref>{escape(paper.journal_ref)}</arxiv:journal_ref>"] if paper.journal_ref else []),
        f'    <link href="http://arxiv.org/abs/{arxiv_id}v{version}" rel="alternate" type="text/html"/>',
        f'    <link title="pdf" href="http://arxiv.org/pdf/{arxiv_id}v{version}" rel="related"/>',
        f'    <arxiv:primary_category term={quoteattr(paper.arxiv_class)} scheme="http://arxiv.org/schemas/atom"/>',
        *(
            f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
            for c in (paper.arxiv_class, *paper.other_classes)
        ),
        "  </entry>\n",
    ]
    return "\n".join(lines)


def _doi(doi: str) -> list[str]:
    return [
        f"    <arxiv:doi>{escape(doi)}</arxiv:doi>",
        f'    <link title="doi" href="https://doi.org/{escape(doi)}" rel="related"/>',
    ]


def _name(author: str) -> str:
    given, family = given_family(author)
    return f"{given} {family}".strip()


def _error(wanted: str) -> bytes:
    entry = (
        "  <entry>\n"
        f"    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(wanted)}</id>\n"
        "    <title>Error</title>\n"
        f"    <summary>incorrect id format for {escape(wanted)}</summary>\n"
        "    <updated>2025-01-15T00:00:00-05:00</updated>\n"
        '    <link href="http://arxiv.org/api/errors#incorrect_id_format" rel="alternate" type="text/html"/>\n'
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
        "  </entry>\n"
    )
    return _feed([entry])
