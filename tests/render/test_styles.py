"""styles: names, aliases, house before repository, paths, and broken .csl files as clear errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from syndata_export import styles
from syndata_export.errors import UsageError
from syndata_export.styles import StyleError
from tests.conftest import REPO

CSL = "http://purl.org/net/xbiblio/csl"
MINIMAL = (
    f'<style xmlns="{CSL}" version="1.0"><info><title>Tiny</title></info>'
    '<citation><layout><text variable="title"/></layout></citation>'
    '<bibliography><layout><text variable="title"/></layout></bibliography></style>'
)


@pytest.mark.parametrize(
    ("name", "source", "file"),
    [
        pytest.param("apa", "repository", "apa.csl", id="apa_alias"),
        pytest.param("APA", "repository", "apa.csl", id="case_insensitive"),
        pytest.param("acl", "house", "acl.csl", id="acl_house"),
        pytest.param("ieee", "repository", "ieee.csl", id="repository_id"),
        pytest.param("chicago-author-date", "repository", "chicago-author-date.csl", id="repository_id_2"),
        pytest.param("2d-materials", "repository", "institute-of-physics-numeric.csl", id="dependent_to_parent"),
    ],
)
def test_names_resolve(name, source, file):
    style = styles.resolve(name)
    assert style.source == source
    assert style.path.name == file and style.path.is_file()


def test_a_resolved_style_carries_the_parsed_independent_style():
    """Parsed once, at resolution: a dependent style brings its parent's file and tree, and its own title."""
    style = styles.resolve("2d-materials")
    assert style.path.name == "institute-of-physics-numeric.csl"
    assert ET.tostring(style.root) == ET.tostring(ET.parse(style.path).getroot())
    assert style.root.find(f"{{{CSL}}}bibliography") is not None
    assert style.title == "2D Materials"


def test_acl_alias_is_our_file_not_the_repository_style():
    assert styles.resolve("acl").path.resolve() == (REPO / "styles" / "acl.csl").resolve()


def test_house_style_wins_over_repository_style_of_the_same_name(tmp_path, monkeypatch):
    (tmp_path / "ieee.csl").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr(styles, "_house_dir", lambda: tmp_path)
    style = styles.resolve("ieee")
    assert (style.source, style.path, style.title) == ("house", tmp_path / "ieee.csl", "Tiny")
    listed = [s for s in styles.list_styles("ieee") if s.name == "ieee"]
    assert [s.source for s in listed] == ["house"]


def test_a_path_is_read_as_a_file(tmp_path):
    path = tmp_path / "tiny.csl"
    path.write_text(MINIMAL, encoding="utf-8")
    style = styles.resolve(str(path))
    assert (style.source, style.path, style.title) == ("file", path, "Tiny")


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        pytest.param("apaa", "apa", id="typo"),
        pytest.param("chicago", "chicago-author-date", id="prefix"),
        pytest.param("natur", "nature", id="missing_letter"),
    ],
)
def test_unknown_style_names_close_matches(name, suggestion):
    with pytest.raises(UsageError) as caught:
        styles.resolve(name)
    assert f"unknown style {name!r}" in str(caught.value)
    assert suggestion in caught.value.hint.split("?")[0]


def test_missing_file_is_a_usage_error():
    with pytest.raises(UsageError, match="does not exist"):
        styles.resolve("no/such/style.csl")


BROKEN = [
    pytest.param(b"<style", "not a well-formed CSL style", id="not_xml"),
    pytest.param(b"\xff\xfe\x00garbage", "not a well-formed CSL style", id="binary"),
    pytest.param(b"<html><body/></html>", "the root element is <html>", id="wrong_root"),
    pytest.param(f'<style xmlns="{CSL}"><info/><citation/></style>'.encode(), "has no <bibliography>", id="no_bib"),
    pytest.param(f'<style xmlns="{CSL}"><info/><bibliography/></style>'.encode(), "has no <citation>", id="no_cite"),
    pytest.param(
        f'<style xmlns="{CSL}"><info><link href="http://www.zotero.org/styles/nope-x" rel="independent-parent"/>'
        "</info></style>".encode(),
        "depends on style 'nope-x', which is not installed",
        id="dependent_without_parent",
    ),
]


@pytest.mark.parametrize(("content", "message"), BROKEN)
def test_broken_style_files_are_data_errors(tmp_path, content, message):
    path = tmp_path / "broken.csl"
    path.write_bytes(content)
    with pytest.raises(StyleError) as caught:
        styles.resolve(str(path))
    assert caught.value.exit_code == 1
    assert message in str(caught.value)


def test_unreadable_style_file(tmp_path, monkeypatch):
    """Root (as in CI) reads any file, so the permission error is simulated."""
    path = tmp_path / "locked.csl"
    path.write_text(MINIMAL, encoding="utf-8")

    def denied(name, flags, *args):
        raise PermissionError(13, "Permission denied", str(name))

    monkeypatch.setattr(styles.os, "open", denied)
    with pytest.raises(StyleError, match="cannot read style .*: Permission denied"):
        styles.resolve(str(path))


def test_list_styles_searches_names_and_titles():
    found = styles.list_styles("computational linguistics")
    names = [s.name for s in found]
    assert names[0] == "acl", "house styles first"
    assert "association-for-computational-linguistics" in names
    assert all("computational linguistics" in (s.name + s.title).lower().replace("-", " ") for s in found)


def test_list_styles_without_text_lists_everything_resolvable():
    found = styles.list_styles()
    assert len(found) > 10_000
    assert {s.name for s in found} >= {"apa", "acl", "ieee", "nature"}
    assert set(styles.available_names()) == {s.name for s in found}


def test_every_house_style_resolves():
    for path in sorted(Path(styles._house_dir()).glob("*.csl")):
        assert styles.resolve(path.stem).source == "house"
