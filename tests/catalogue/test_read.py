"""catalogue.read: values by the YAML 1.2 core schema, positions of every value, one loader for all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from syndata_export import catalogue
from syndata_export.errors import CatalogueError

PLAIN = st.sampled_from(
    ["yes", "no", "on", "off", "NO", "true", "False", "TRUE", "~", "null", "Null", "", "017", "0o17", "0x1F",
     "12", "-3", "+4", "1.5", "1e3", ".5", "-.inf", ".NaN", "2402.13446", "10.1/x", "Tan, Zhen", "a b", "x:y", "2025"]
)  # fmt: skip


def values(text: str) -> dict:
    return catalogue.parse(text, "t.yaml").data


def ruamel_values(text: str) -> dict:
    """An independent YAML 1.2 reader, as the oracle for plain scalars."""
    return dict(YAML(typ="safe", pure=True).load(text))


def same(left: object, right: object) -> bool:
    return left == right or (left != left and right != right)  # NaN is NaN


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", "title", "date"]), PLAIN, min_size=1, max_size=5))
def test_plain_scalars_read_as_yaml_1_2(mapping):
    text = "".join(f"{k}: {v}\n" for k, v in mapping.items())
    ours, oracle = values(text), ruamel_values(text)
    assert ours.keys() == oracle.keys()
    assert all(same(ours[k], oracle[k]) and type(ours[k]) is type(oracle[k]) for k in ours), (ours, oracle)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("a: yes\n", "yes", id="yes_is_text"),
        pytest.param("a: on\n", "on", id="on_is_text"),
        pytest.param("a: 2024-02-21\n", "2024-02-21", id="date_is_text"),
        pytest.param("a: 2025\n", 2025, id="year_is_int"),
        pytest.param('a: "2025"\n', "2025", id="quoted_year_is_text"),
        pytest.param("a: 017\n", 17, id="leading_zero_is_decimal"),
        pytest.param("a: 0o17\n", 15, id="octal"),
        pytest.param("a: ~\n", None, id="tilde_is_null"),
        pytest.param("a: true\n", True, id="true"),
        pytest.param("a: !!int abc\n", "abc", id="explicit_tag_that_does_not_fit_is_text"),
        pytest.param("a: !!python/object:os.system x\n", "x", id="unknown_tag_is_text"),
    ],
)
def test_yaml_1_2_values(text, value):
    assert values(text)["a"] == value


def test_every_value_knows_where_it_was_written():
    cat = catalogue.parse(b"title: L\npapers:\n  - key: a\n    title: T\n    authors: [X, Y]\n", "t.yaml")
    record = cat.records[0]
    assert record.where("title") == (4, 12)
    assert record.where("authors", 1) == (5, 18)
    assert record.where("@", "title") == (4, 5), "the field name itself"
    assert record.where("nonexistent") == (3, 5), "a missing field points at its record"
    assert cat.where("title") == (1, 8)


def test_a_field_given_twice_is_a_problem_not_a_silent_overwrite():
    cat = catalogue.parse("papers:\n  - key: a\n    key: b\n", "t.yaml")
    assert cat.records[0].key == "a"
    assert [str(p) for p in cat.problems] == [
        "t.yaml:3:5: key: this field is given twice in one mapping (keep one of them)"
    ]


def test_syntax_errors_carry_their_position():
    with pytest.raises(CatalogueError, match=r"t.yaml:3:1: YAML syntax error"):
        catalogue.parse(b"a: 1\nb: [\n", "t.yaml")


def test_load_validates_and_tolerates_only_named_codes(tmp_path):
    from syndata_export import validate
    from tests.conftest import REPO

    text = (REPO / "catalogue.yaml").read_text(encoding="utf-8")
    path = tmp_path / "cat.yaml"
    path.write_text(text.replace("    authors:\n", "    authors_incomplete: true\n    authors:\n", 1), encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        catalogue.load(path)
    assert [p.code for p in raised.value.problems] == [validate.AUTHORS_INCOMPLETE]
    assert len(catalogue.load(path, tolerate=[validate.AUTHORS_INCOMPLETE]).records) == 14
