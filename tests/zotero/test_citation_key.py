"""Zotero 8 citation keys: ``--citation-key native|extra`` against the emulator over real HTTP.

native (the default) writes the ``citationKey`` field where the server's schema (its
``Zotero-Schema-Version``) has it for the type, and no ``Citation Key:`` line; extra writes the
line and never the field. Better BibTeX's migration of the line into the field, and a change of
mode, are not edits; an update never blanks a key that sits in the native field.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from syndata_export.zotero import mapping
from tests.zotero.emulator.server import ZoteroEmulator
from tests.zotero.sync_helpers import COLLECTION, cli, csl_items, edited_catalogue, live_items, paper


def _key_lines(data: dict) -> list[str]:
    return [line for line in str(data.get("extra") or "").splitlines() if line.startswith("Citation Key:")]


def _by_key(server: ZoteroEmulator) -> dict[str, dict]:
    items = {mapping.citation_key(d): d for d in live_items(server)}
    assert len(items) == len(live_items(server))
    return items


def _migrate(server: ZoteroEmulator, data: dict) -> None:
    """What Zotero 8 / Better BibTeX 8 does to a pinned key: the Extra line moves into the native field."""
    (line,) = _key_lines(data)
    extra = "\n".join(x for x in data["extra"].splitlines() if x != line)
    server.edit_item(data["key"], {"citationKey": line.split(":", 1)[1].strip(), "extra": extra})


@pytest.fixture
def zotero7_server() -> Iterator[ZoteroEmulator]:
    """A server whose schema (32) predates citationKey on every type but preprint."""
    emulator = ZoteroEmulator(schema_version=32).start()
    try:
        yield emulator
    finally:
        emulator.stop()


def test_native_mode_writes_the_field_and_no_extra_line(zotero_server):
    code, _, err = cli(zotero_server)
    assert code == 0, err
    items = _by_key(zotero_server)
    assert set(items) == {i["citation-key"] for i in csl_items()}
    for key, data in items.items():
        assert data["citationKey"] == key
        assert _key_lines(data) == []
        assert mapping.marker(data, COLLECTION) == mapping.content_hash(mapping.content(data))
    # Zotero's own CSL map reads the field
    url = f"{zotero_server.base_url}{zotero_server.library_prefix}/items?format=csljson&limit=100"
    request = urllib.request.Request(url, headers={"Zotero-API-Key": zotero_server.api_key})
    with urllib.request.urlopen(request) as response:
        csl = json.load(response)["items"]
    assert sorted(i["citation-key"] for i in csl) == sorted(items)


def test_extra_mode_writes_the_line_and_never_the_field(zotero_server):
    code, _, err = cli(zotero_server, "--citation-key", "extra")
    assert code == 0, err
    for key, data in _by_key(zotero_server).items():
        assert data["citationKey"] == ""
        assert _key_lines(data) == [f"Citation Key: {key}"]


@pytest.mark.parametrize("mode", ["native", "extra"])
def test_better_bibtex_migration_and_a_change_of_mode_resync_with_no_write(zotero_server, mode):
    assert cli(zotero_server, "--citation-key", "extra")[0] == 0
    items = _by_key(zotero_server)
    for data in list(items.values())[:5]:
        _migrate(zotero_server, data)
    before = {d["key"]: d for d in live_items(zotero_server)}

    zotero_server.clear_log()
    code, _, err = cli(zotero_server, "--citation-key", mode)
    assert code == 0, err
    assert zotero_server.writes == 0
    assert f"{len(items)} unchanged" in err
    assert {d["key"]: d for d in live_items(zotero_server)} == before


def test_switching_from_native_to_extra_is_not_an_edit(zotero_server):
    assert cli(zotero_server)[0] == 0
    zotero_server.clear_log()
    code, _, err = cli(zotero_server, "--citation-key", "extra")
    assert code == 0, err
    assert zotero_server.writes == 0
    assert all(d["citationKey"] for d in live_items(zotero_server))


@pytest.mark.parametrize("mode", ["native", "extra"])
def test_an_update_keeps_a_key_that_sits_in_the_native_field(zotero_server, tmp_path, mode):
    assert cli(zotero_server, "--citation-key", "extra")[0] == 0
    _migrate(zotero_server, _by_key(zotero_server)["tan2024large"])

    def pages(data):
        paper(data, "tan2024large")["published"]["pages"] = "930-958"

    changed = edited_catalogue(tmp_path, pages)
    code, out, err = cli(zotero_server, "--citation-key", mode, "--json", catalogue_path=changed)
    assert code == 0, err
    assert json.loads(out)["done"]["updated"] == 1
    data = _by_key(zotero_server)["tan2024large"]
    assert data["pages"] == "930-958"
    assert data["citationKey"] == "tan2024large"
    assert _key_lines(data) == []
    zotero_server.clear_log()
    assert cli(zotero_server, "--citation-key", mode, catalogue_path=changed)[0] == 0
    assert zotero_server.writes == 0


def test_a_server_before_schema_33_gets_the_line_for_conference_papers_and_the_field_for_preprints(zotero7_server):
    code, _, err = cli(zotero7_server)
    assert code == 0, err
    types = {mapping.ITEM_TYPES[i["type"]] for i in csl_items()}
    assert {"preprint", "conferencePaper", "journalArticle"} <= types
    for key, data in _by_key(zotero7_server).items():
        if data["itemType"] == "preprint":
            assert (data["citationKey"], _key_lines(data)) == (key, [])
        else:
            assert "citationKey" not in data
            assert _key_lines(data) == [f"Citation Key: {key}"]
    zotero7_server.clear_log()
    assert cli(zotero7_server)[0] == 0
    assert zotero7_server.writes == 0


def test_the_older_emulator_refuses_the_field_its_schema_lacks_and_says_its_version(zotero7_server):
    base = f"{zotero7_server.base_url}{zotero7_server.library_prefix}/items"
    body = json.dumps(
        [
            {"itemType": "conferencePaper", "title": "A", "citationKey": "a2024"},
            {"itemType": "preprint", "title": "B", "citationKey": "b2024"},
        ]
    ).encode()
    headers = {"Zotero-API-Key": zotero7_server.api_key, "Content-Type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(base, body, headers, method="POST")) as response:
        assert response.headers["Zotero-Schema-Version"] == "32"
        report = json.load(response)
    assert report["failed"]["0"]["message"] == "'citationKey' is not a valid field for type 'conferencePaper'"
    assert list(report["successful"]) == ["1"]


def test_the_native_field_follows_the_schema_version_and_never_moves_the_hash():
    assert mapping.has_native_citation_key("preprint", 14)
    assert not mapping.has_native_citation_key("preprint", 13)
    assert not mapping.has_native_citation_key("conferencePaper", 32)
    assert mapping.has_native_citation_key("conferencePaper", 33)
    assert not mapping.has_native_citation_key("preprint", None)  # no Zotero-Schema-Version: Extra
    for item in csl_items():
        native, extra = (mapping.to_zotero(item, COLLECTION, v) for v in (41, None))
        assert native["citationKey"] == item["citation-key"] and "citationKey" not in extra
        assert mapping.marker(native, COLLECTION) == mapping.marker(extra, COLLECTION)
        assert mapping.with_native_key(extra) == native
