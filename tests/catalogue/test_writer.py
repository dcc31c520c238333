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


# ---------------------------------------------------------------- amend: adding to records already there

IMPORTED = """# a list someone keeps
sections:
  - Research Papers  # the only one

papers:
  - key: wu2024unigen   # pinned
    section: Research Papers
    type: article
    title: 'UniGen: A Unified Framework'
    authors:
      - Wu, Siyuan
      - Huang, Yue
    authors_incomplete: true
    date: 2024
    arxiv: "2406.18966"  # from the README

  - key: dong2024self
    section: Research Papers
    type: article
    title: Self-Boosting Large Language Models with Synthetic Preference Data
    authors: ['Dong, Qingxiu']
    date: 2024
    url: https://arxiv.org/abs/2410.06961
    published:
      type: paper-conference
      date: 2025
# the end
"""


def _lost(old: str, new: str) -> list[str]:
    """Lines of ``old`` missing from ``new`` (by multiset): what amend must never produce."""
    remaining = new.splitlines()
    lost = []
    for line in old.splitlines():
        if line in remaining:
            remaining.remove(line)
        else:
            lost.append(line)
    return lost


def test_amend_adds_in_place_and_keeps_every_other_line():
    change = writer.Change(
        fields={"arxiv_class": "cs.CL", "doi": "10.48550/arXiv.2406.18966"},
        authors=["Gao, Chujie", "Chen, Dongping"],
        drop=("authors_incomplete",),
    )
    published = writer.Change(
        published={"container": "ICLR", "openreview": "7visV100Ms"}, fields={"arxiv": "2410.06961"}
    )
    new = writer.amend(IMPORTED, {"wu2024unigen": change, "dong2024self": published})
    assert _lost(IMPORTED, new) == ["    authors_incomplete: true"]
    assert "      - Huang, Yue\n      - Gao, Chujie\n      - Chen, Dongping\n    date: 2024\n" in new
    assert (
        '    arxiv: "2406.18966"  # from the README\n    arxiv_class: cs.CL\n    doi: 10.48550/arXiv.2406.18966\n\n'
        in new
    )
    assert (
        '    date: 2024\n    arxiv: "2410.06961"\n    url: https://arxiv.org/abs/2410.06961\n' in new
    )  # catalogue order
    assert new.endswith(
        "    published:\n      type: paper-conference\n      container: ICLR\n      date: 2025\n"
        "      openreview: 7visV100Ms\n# the end\n"
    )
    cat = catalogue.parse(new)
    assert cat.records[0].fields["authors"] == ["Wu, Siyuan", "Huang, Yue", "Gao, Chujie", "Chen, Dongping"]
    assert "authors_incomplete" not in cat.records[0].fields
    assert validate.validate(cat) == []


def test_a_new_published_block_goes_before_the_blank_line_that_ends_the_record():
    new = writer.amend(IMPORTED, {"wu2024unigen": writer.Change(published={"type": "paper-conference", "date": 2025})})
    assert "  # from the README\n    published:\n      type: paper-conference\n      date: 2025\n\n  - key: dong" in new
    assert _lost(IMPORTED, new) == []


def test_amend_on_the_shipped_catalogue_keeps_its_comments():
    old = CATALOGUE.read_text(encoding="utf-8")
    new = writer.amend(old, {"yang2024synthetic": writer.Change(fields={"arxiv_class": "cs.CL"})})
    assert _lost(old, new) == []
    assert len(new.splitlines()) == len(old.splitlines()) + 1


@pytest.mark.parametrize(
    ("key", "change", "message"),
    [
        pytest.param("nobody2024x", writer.Change(fields={"note": "x"}), "no such record", id="unknown_key"),
        pytest.param("dong2024self", writer.Change(fields={"date": 2023}), "already there", id="field_written"),
        pytest.param("dong2024self", writer.Change(published={"date": 2023}), "already there", id="published_written"),
    ],
)
def test_amend_never_changes_a_value(key, change, message):
    with pytest.raises(SyndataError, match=message):
        writer.amend(IMPORTED, {key: change})


def _diff(old: str, new: str) -> list[str]:
    import difflib

    return [line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in "+-"]


def test_change_sets_and_removes_values_in_place_and_keeps_every_other_line():
    old = CATALOGUE.read_text(encoding="utf-8")
    values = {
        "tan2024large": {"published.pages": "930-958", "published.title": "A New: Title", "arxiv_class": None},
        "wu2024unigen": {"published.authors": ["Huang, Yue", "Wu, S."]},
        "dong2024self": {"published.openreview": "abcdEFGH12"},  # the record's last line, before the blank one
    }
    new = writer.change(old, values)
    assert _diff(old, new) == [
        "-     arxiv_class: cs.CL",
        "-       title: 'Large Language Models for Data Annotation and Synthesis: A Survey'",
        "+       title: 'A New: Title'",
        "-       pages: 930-957",
        "+       pages: 930-958",
        "-         - Wu, Siyuan",
        "+         - Wu, S.",
        "-         - Gao, Chujie",
        "-         - Chen, Dongping",
        "-         - Zhang, Qihui",
        "-         - Wan, Yao",
        "-         - Zhou, Tianyi",
        "-         - Xiao, Chaowei",
        "-         - Gao, Jianfeng",
        "-         - Sun, Lichao",
        "-         - Zhang, Xiangliang",
        "-       openreview: 7visV100Ms",
        "+       openreview: abcdEFGH12",
    ]
    cat = catalogue.parse(new)
    tan = next(r for r in cat.records if r.key == "tan2024large").fields
    assert tan["published"]["pages"] == "930-958" and "arxiv_class" not in tan
    assert not validate.validate(cat)


def test_change_adds_a_field_the_record_lacks_in_its_place():
    old = CATALOGUE.read_text(encoding="utf-8")
    new = writer.change(old, {"wu2024unigen": {"pages": "1-9"}})
    assert _diff(old, new) == ["+     pages: 1-9"]
    assert new.index("pages: 1-9") < new.index("code: https://github.com/HowieHwong/UniGen")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        pytest.param({"nobody2024x": {"title": "T"}}, "nobody2024x: no such record", id="unknown_record"),
        pytest.param({"dong2024self": {"key": "dong2024other"}}, "keys are pinned", id="a_key_never_changes"),
    ],
)
def test_change_refuses(values, message):
    with pytest.raises(SyndataError, match=message):
        writer.change(CATALOGUE.read_text(encoding="utf-8"), values)
