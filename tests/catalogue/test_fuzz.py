"""Whatever YAML (or bytes) a person feeds the loader, the answer is a result or a CatalogueError."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndata_export import catalogue, csl, validate
from syndata_export.errors import CatalogueError

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["2024-02-21", "2402.13446", "10.1/x", "https://a.b/c", "Tan, Zhen", "article", "et al."]),
)
field_names = st.sampled_from(
    ["key", "section", "type", "title", "authors", "date", "arxiv", "doi", "url", "published", "pages", "x"]
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(field_names, inner, max_size=6)),
    max_leaves=20,
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "title": values,
        "sections": st.one_of(values, st.lists(st.sampled_from(["A", "B"]), max_size=3)),
        "protected_terms": values,
        "papers": st.lists(st.dictionaries(field_names, values, max_size=10), max_size=4) | values,
        "other": values,
    },
)


def load_all(raw: bytes) -> None:
    try:
        cat = catalogue.parse(raw, "fuzz.yaml")
    except CatalogueError as exc:
        assert exc.problems and all(str(p).startswith("fuzz.yaml") for p in exc.problems)
        return
    problems = validate.validate(cat)
    if not problems:
        for prefer in csl.PREFER:
            csl.to_csl(cat, prefer)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_yaml_documents_never_raise_anything_else(doc):
    load_all(yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise_anything_else(raw):
    load_all(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="-:[]{}&*!|>'\"%@` \n\tabc#,?01", max_size=80))
def test_random_yaml_punctuation_never_raises_anything_else(text):
    load_all(text.encode("utf-8"))
