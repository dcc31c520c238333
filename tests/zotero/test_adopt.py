"""Adoption: an item without the sync's marker that is a catalogue paper is reported with the hint
--adopt, and --adopt (all, or chosen keys) takes it into management instead of making a second copy,
keeping what members are free to keep (CLI, emulator)."""

from __future__ import annotations

import json

import httpx2

from syndata_export.zotero import mapping
from tests.zotero.sync_helpers import COLLECTION, by_citation_key, cli, csl_items, live_items

DOI = "10.18653/v1/2024.emnlp-main.54"  # tan2024large's published DOI


def _their_copy(server, *, added: str = "2023-05-01 10:00:00", **fields) -> str:
    """A member's own item for tan2024large: another type, a wrong title, an extra field."""
    data = {
        "itemType": "journalArticle",
        "title": "Someone's own copy",
        "DOI": DOI.upper(),
        "libraryCatalog": "DBLP",
        "creators": [{"creatorType": "author", "firstName": "Zhen", "lastName": "Tan"}],
        "dateAdded": added,
        **fields,
    }
    return server.add_item(data)


def _collection(server, name: str) -> str:
    """A member's own top-level collection; its key."""
    response = httpx2.post(
        f"{server.base_url}{server.library_prefix}/collections",
        json=[{"name": name}],
        headers={"Zotero-API-Key": server.api_key},
        trust_env=False,
    )
    return response.json()["success"]["0"]


def _rows(out: str, paper: str) -> list[dict]:
    return [a for a in json.loads(out)["actions"] if a["paper"] == paper]


def test_an_unmanaged_match_carries_the_adopt_hint(zotero_server):
    _their_copy(zotero_server)
    code, out, err = cli(zotero_server, "--json")
    assert code == 0, err
    (row,) = _rows(out, "tan2024large")
    assert row["action"] == "unmanaged-match" and "--adopt" in row["reason"]
    assert "rerun with --adopt [KEY…] to take them over" in err


def test_adopt_takes_the_item_over_keeping_what_members_keep_and_the_next_run_writes_nothing(zotero_server):
    other = zotero_server.add_item({"itemType": "book", "title": "Related"})
    theirs = _their_copy(
        zotero_server,
        extra="Original Date: 2023\nCitation Key: tanSurvey",
        tags=[{"tag": "to read"}],
        relations={"dc:relation": f"http://zotero.org/groups/{zotero_server.group_id}/items/{other}"},
    )
    reading = _collection(zotero_server, "Reading group")
    zotero_server.edit_item(theirs, {"collections": [reading]})
    note = zotero_server.add_item({"itemType": "note", "note": "<p>my notes</p>", "parentItem": theirs})
    note_before = zotero_server.get_item(note)

    zotero_server.clear_log()
    code, out, err = cli(zotero_server, "--adopt", "--dry-run", "--json")
    assert code == 0, err
    (row,) = _rows(out, "tan2024large")
    assert row["action"] == "adopt" and row["item"] == theirs
    assert {"itemType", "title", "libraryCatalog", "extra", "collections"} <= set(row["fields"])
    assert any(line.startswith("adopt") and theirs in line and "title" in line for line in err.splitlines())
    assert zotero_server.writes == 0

    code, out, err = cli(zotero_server, "--adopt", "--json")
    assert code == 0, err
    assert json.loads(out)["done"]["adopted"] == 1
    assert len(by_citation_key(zotero_server)["tan2024large"]) == 1  # no second copy
    assert len(live_items(zotero_server)) == 14 + 2  # the papers (one adopted), the book, the note
    adopted = zotero_server.get_item(theirs)
    want = next(i for i in csl_items() if i["citation-key"] == "tan2024large")
    assert adopted["itemType"] == "conferencePaper" and adopted["title"] == want["title"]
    assert adopted["libraryCatalog"] == ""  # the sync owns the fields once adopted
    assert mapping.citation_key(adopted) == "tan2024large"
    assert mapping.marker(adopted, COLLECTION) is not None
    assert "Original Date: 2023" in adopted["extra"] and "tanSurvey" not in adopted["extra"]
    assert {"tag": "to read"} in adopted["tags"]
    assert adopted["relations"] == {"dc:relation": f"http://zotero.org/groups/{zotero_server.group_id}/items/{other}"}
    survey = next(c["key"] for c in zotero_server.collections() if c["name"] == "Survey Papers")
    assert sorted(adopted["collections"]) == sorted([reading, survey])
    assert zotero_server.get_item(note) == note_before

    zotero_server.clear_log()
    code, out, err = cli(zotero_server, "--adopt", "--json")
    assert code == 0, err
    assert zotero_server.writes == 0
    assert _rows(out, "tan2024large")[0]["action"] == "unchanged"


def test_of_two_matching_items_the_oldest_is_adopted_and_the_other_reported_untouched(zotero_server):
    newer = _their_copy(zotero_server, added="2024-01-01 00:00:00")
    older = _their_copy(zotero_server, added="2022-01-01 00:00:00")
    newer_before = zotero_server.get_item(newer)
    code, out, err = cli(zotero_server, "--adopt", "--json")
    assert code == 0, err
    rows = {a["item"]: a for a in _rows(out, "tan2024large")}
    assert rows[older]["action"] == "adopt"
    assert rows[newer]["action"] == "unmanaged-match" and older in rows[newer]["reason"]
    assert zotero_server.get_item(newer) == newer_before
    assert mapping.marker(zotero_server.get_item(older), COLLECTION) is not None


def test_adopt_with_keys_takes_over_only_the_papers_chosen(zotero_server):
    tan = _their_copy(zotero_server)
    dong = zotero_server.add_item({"itemType": "preprint", "title": "Copy", "url": "https://arxiv.org/abs/2410.06961"})
    code, out, err = cli(zotero_server, "--adopt", "dong2024self", "--json")
    assert code == 0, err
    assert _rows(out, "dong2024self")[0]["action"] == "adopt"
    assert _rows(out, "tan2024large")[0]["action"] == "unmanaged-match"
    assert mapping.marker(zotero_server.get_item(dong), COLLECTION) is not None
    assert mapping.marker(zotero_server.get_item(tan), COLLECTION) is None


def test_an_item_another_collections_sync_owns_is_never_adopted(zotero_server):
    theirs = _their_copy(zotero_server, extra="syndata-export: 0123456789abcdef Other List")
    code, out, err = cli(zotero_server, "--adopt", "--json")
    assert code == 0, err
    (row,) = _rows(out, "tan2024large")
    assert row["action"] == "unmanaged-match" and "the sync of collection 'Other List' owns it" in row["reason"]
    assert zotero_server.get_item(theirs)["extra"] == "syndata-export: 0123456789abcdef Other List"
    assert "tan2024large" not in by_citation_key(zotero_server)
