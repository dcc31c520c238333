"""catalogue.writer: papers and sections appended, every byte of the file before them kept."""

from __future__ import annotations

import pytest

from syndata_export import catalogue, validate
from syndata_export.catalogue import writer
from syndata_export.errors import SyndataError
from tests.conftest import REPO

CATALOGUE = REPO / "catalogue.yaml"
PAPER = {
    "project": "https://x.org/p",  # given out of order: written in the catalogue's order
    "key": "ng2025deep",
    "section": "New Section",
    "type": "article",
    "title": "Deep stuff: a study",
    "authors": ["Ng, A.", {"literal": "The Team"}],
    "authors_incomplete": True,
    "date": 2025,
    "arxiv": "2501.00002",
}


def test_appended_after_the_file_as_it_was():
    old = CATALOGUE.read_text(encoding="utf-8")
    new = writer.append(old, [PAPER], ["New Section"])
    head, tail = old.split("papers:\n", 1)
    assert new.startswith(head.replace("  - Analysis Papers\n", "  - Analysis Papers\n  - New Section\n") + "papers:\n")
    assert new.endswith(
        tail + "\n  - key: ng2025deep\n    section: New Section\n    type: article\n    title: 'Deep stuff: a study'\n"
        "    authors:\n      - Ng, A.\n      - {literal: The Team}\n    authors_incomplete: true\n    date: 2025\n"
        '    arxiv: "2501.00002"\n    project: https://x.org/p\n'
    )
    cat = catalogue.parse(new)
    assert cat.records[-1].fields == PAPER | {"authors": ["Ng, A.", {"literal": "The Team"}]}
    assert [p.code for p in validate.validate(cat)] == [validate.AUTHORS_INCOMPLETE]


def test_a_new_catalogue_says_where_it_came_from():
    new = writer.append(None, [PAPER], ["New Section"], title="L", description="D", source="README.md")
    assert new.startswith("# The paper list, imported from README.md by `syndata-export import`.\n")
    cat = catalogue.parse(new)
    assert (cat.title, cat.description, cat.sections, len(cat.records)) == ("L", "D", ["New Section"], 1)


def test_a_layout_ruamel_cannot_reproduce_is_refused():
    odd = "sections:\n  - Research Papers\npapers:\n    -   key: a2024b\n        section: Research Papers\n"
    odd += "        type: article\n        title: B\n        authors: [A, B]\n        date: 2024\n        url: https://x.org\n"
    with pytest.raises(SyndataError, match="without reformatting"):
        writer.append(odd, [PAPER])
