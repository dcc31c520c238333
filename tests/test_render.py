"""render: the catalogue through both engines in every format (goldens), one pass, grouped by section."""

from __future__ import annotations

import json

import pytest

from syndata_export import render
from syndata_export.errors import SyndataError, UsageError
from syndata_export.render import Entry
from tests.conftest import need_shared
from tests.golden import check_golden
from tests.render_support import ENGINES, EXTENSIONS, FORMATS, STYLES, items, load_catalogue

CASES = [
    pytest.param(style, engine, fmt, id=f"{style}-{engine}-{fmt}")
    for style in STYLES
    for engine in ENGINES
    for fmt in FORMATS
]


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str, str], str]:
    cat = load_catalogue()
    out = {}
    for style in STYLES:
        for engine in ENGINES:
            for fmt in FORMATS:
                out[style, engine, fmt] = render.render(
                    items(), cat.sections, style, engine, fmt, standalone=True, title=cat.title
                )
    return out


@pytest.mark.parametrize(("style", "engine", "fmt"), CASES)
def test_catalogue_matches_golden(style, engine, fmt, rendered):
    check_golden(f"render/catalogue-{style}-{engine}.{EXTENSIONS[fmt]}", rendered[style, engine, fmt])


@pytest.mark.parametrize(("style", "engine", "fmt"), CASES)
def test_rendering_twice_is_byte_identical(style, engine, fmt, rendered):
    cat = load_catalogue()
    again = render.render(items(), cat.sections, style, engine, fmt, standalone=True, title=cat.title)
    assert again == rendered[style, engine, fmt]


@pytest.mark.parametrize("engine", ENGINES)
def test_sections_keep_catalogue_order_and_every_paper_appears_once(engine):
    cat = load_catalogue()
    text = render.render(items(), cat.sections, "apa", engine, "markdown")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == cat.sections
    entries = render.bibliography(items(), "apa", engine, "markdown")
    assert sorted(e.key for e in entries) == sorted(r.key for r in cat.records)
    for entry in entries:
        assert text.count(entry.text) == 1, entry.key


@pytest.mark.parametrize("engine", ENGINES)
def test_within_a_section_the_style_order_holds(engine):
    cat = load_catalogue()
    order = [e.key for e in render.bibliography(items(), "apa", engine)]
    section_of = {item["id"]: item["custom"]["section"] for item in items()}
    groups = render.group(render.bibliography(items(), "apa", engine), {i["id"]: i for i in items()}, cat.sections)
    for name, rows in groups:
        keys = [row.entry.key for row in rows]
        assert keys == [k for k in order if section_of[k] == name]


@pytest.mark.parametrize("engine", ENGINES)
def test_one_pass_gives_global_year_suffixes_across_sections(engine):
    # In the reference set, Guanting Dong's ACL paper and Qingxiu Dong's preprint both cite as
    # "Dong et al., 2024"; put them in different sections and they must still be 2024a and 2024b.
    data = json.loads(need_shared("reference", "acl-reference.json").read_text(encoding="utf-8"))
    for item in data:
        item["custom"] = {"section": "Preprints" if item["id"].endswith("-preprint") else "Published"}
    text = render.render(data, ["Published", "Preprints"], "acl", engine, "text")
    published, preprints = text.split("Preprints\n---------")
    assert "Jingren Zhou. 2024a. How abilities" in published
    assert "Furu Wei. 2024b. Self-boosting" in preprints


def test_bibliography_api_returns_frozen_entries_in_style_order():
    entries = render.bibliography(items(), style="apa", engine="pandoc", fmt="text")
    assert all(isinstance(e, Entry) for e in entries)
    assert entries[0].key == "bansal2024smaller" and entries[-1].key == "zhu2024fanno"
    with pytest.raises(AttributeError):
        entries[0].text = "changed"  # type: ignore[misc]


def test_empty_input_renders_nothing():
    assert render.bibliography([], "apa") == []
    assert render.render([], ["Survey Papers"], "apa", fmt="markdown") == "\n"


def test_paper_links_follow_the_original_list():
    by_key = {i["id"]: i for i in items()}
    assert render.links(by_key["tan2024large"]) == (
        ("Paper", "https://aclanthology.org/2024.emnlp-main.54/"),
        ("Project", "https://github.com/Zhen-Tan-dmml/LLM4Annotation"),
    )
    preprint = {i["id"]: i for i in items("preprint")}["yang2024synthetic"]
    assert render.links(preprint)[0] == ("Paper", "https://arxiv.org/abs/2409.07431")
    assert render.links(preprint)[1][0] == "Code"


BAD = [
    pytest.param({"engine": "citeproc"}, UsageError, "engines are: pandoc, citeproc-py", id="unknown_engine"),
    pytest.param({"fmt": "pdf"}, UsageError, "formats are: markdown, html, text", id="unknown_format"),
    pytest.param({"style": "apaa"}, UsageError, "did you mean: apa", id="unknown_style"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_names_are_usage_errors_naming_valid_ones(kwargs, error, message):
    with pytest.raises(error) as caught:
        render.bibliography(items(), **kwargs)
    assert message in str(caught.value)


def test_an_engine_that_loses_entries_is_an_error(monkeypatch):
    monkeypatch.setitem(render.ENGINES, "pandoc", lambda data, style: [])
    with pytest.raises(SyndataError, match="returned 0 entries for 14 papers"):
        render.bibliography(items(), "apa", "pandoc")


def test_cli_choices_are_the_registries():
    from syndata_export.cli import render as cli_render

    assert tuple(render.ENGINES) == cli_render.ENGINES
    assert tuple(render.FORMATS) == cli_render.FORMATS


def test_paths_that_look_like_markdown_emphasis_reach_pandoc_intact(tmp_path, monkeypatch):
    """A temporary file or style named like ``_x1_`` (1 in 1,369 random names) must not lose its underscores.

    Pandoc reads YAML metadata values as Markdown, where ``-_x1_.json`` is emphasis; CI once
    failed on such a temporary name. Paths go to pandoc as options, which it takes literally.
    """
    import shutil
    import tempfile

    from syndata_export import styles
    from syndata_export.render import pandoc

    temp, style_dir = tmp_path / "_t_", tmp_path / "_s_"
    temp.mkdir()
    style_dir.mkdir()
    style = style_dir / "_acl_.csl"
    shutil.copyfile(styles.resolve("acl").path, style)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    found = pandoc.bibliography(items(), style)
    assert sorted(key for key, _ in found) == sorted(item["id"] for item in items())
    assert list(temp.iterdir()) == []  # the temporary CSL-JSON is gone


def test_the_compact_runtime_option_changes_memory_not_output():
    from syndata_export import styles
    from syndata_export.render import pandoc

    pandoc.takes_runtime_options.cache_clear()
    assert pandoc.takes_runtime_options(), "pypandoc-binary's pandoc accepts GHC runtime options"
    path = styles.resolve("apa").path
    assert pandoc.bibliography(items(), path, compact=True) == pandoc.bibliography(items(), path)


def test_a_pandoc_without_runtime_options_still_renders(tmp_path, monkeypatch):
    """A pandoc linked without -rtsopts refuses to start with +RTS: the probe says so and none is passed."""
    import pypandoc

    from syndata_export import styles
    from syndata_export.render import pandoc

    real = pypandoc.get_pandoc_path()
    fake = tmp_path / "pandoc"
    fake.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do [ "$a" = "+RTS" ] && { echo "pandoc: Most RTS options are disabled." >&2; exit 1; }; done\n'
        f'exec "{real}" "$@"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setattr(pypandoc, "__pandoc_path", str(fake))
    pandoc.takes_runtime_options.cache_clear()
    try:
        assert not pandoc.takes_runtime_options()
        path = styles.resolve("acl").path
        assert pandoc.bibliography(items(), path, compact=True) == pandoc.bibliography(items(), path)
    finally:
        pandoc.takes_runtime_options.cache_clear()
