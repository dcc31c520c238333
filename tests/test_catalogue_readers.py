"""The two YAML readers agree: yaml-rs gives the values, PyYAML the positions and the errors."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from syndata_export import catalogue

PLAIN = st.sampled_from(
    ["yes", "no", "on", "off", "NO", "true", "False", "~", "null", "", "017", "0o17", "0x1F", "12", "-3", "+4",
     "1.5", "1e3", ".5", ".inf", "2024-02-21", "2402.13446", "10.1/x", "Tan, Zhen", "a: b", "#x", "2025"]
)  # fmt: skip


def both(text: str) -> tuple[object, object]:
    fast = catalogue._fast_values(text)
    node = yaml.compose(text, Loader=catalogue._Loader)
    slow = catalogue._Plain("t.yaml")(node, ())
    return fast, slow


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", "title", "date"]), PLAIN, min_size=1, max_size=5))
def test_plain_scalars_read_the_same_by_both(mapping):
    text = "".join(
        f"{k}: {yaml.safe_dump(v, default_style=None).strip() if ':' in v or v.startswith('#') or v == '' else v}\n"
        for k, v in mapping.items()
    )
    fast, slow = both(text)
    assert fast == slow


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("a: yes\n", "yes", id="yes_is_text"),
        pytest.param("a: 2024-02-21\n", "2024-02-21", id="date_is_text"),
        pytest.param("a: 2025\n", 2025, id="year_is_int"),
        pytest.param('a: "2025"\n', "2025", id="quoted_year_is_text"),
        pytest.param("a: 017\n", 17, id="leading_zero_is_decimal"),
        pytest.param("a: ~\n", None, id="tilde_is_null"),
    ],
)
def test_yaml_1_2_values(text, value):
    fast, slow = both(text)
    assert fast["a"] == slow["a"] == value


def test_positions_are_built_only_when_asked():
    cat = catalogue.parse(b"papers:\n  - key: a\n    title: T\n", "t.yaml")
    assert cat.locate.known is None, "a valid catalogue never pays for positions"
    assert cat.records[0].where("title") == (3, 12)
    assert cat.locate.known is not None


def test_a_file_yaml_rs_refuses_is_explained_by_pyyaml():
    with pytest.raises(catalogue.CatalogueError, match=r"t.yaml:3:1: YAML syntax error"):
        catalogue.parse(b"a: 1\nb: [\n", "t.yaml")
