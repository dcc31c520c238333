"""The sync's own trash is its own: a pruned paper that returns is restored without --overwrite, a
member's trash stays theirs, and --overwrite KEY… replaces only the papers chosen (CLI, emulator)."""

from __future__ import annotations

import json

import pytest

from syndata_export.zotero import mapping
from tests.zotero.sync_helpers import COLLECTION, by_citation_key, cli, edited_catalogue, live_items

GONE = "seddik2024bad"
TRASH_NOTE = f"syndata-export: trashed {COLLECTION}"


def _without(tmp_path, key=GONE):
    def drop(data):
        data["papers"] = [p for p in data["papers"] if p["key"] != key]

    return edited_catalogue(tmp_path, drop)


def _pruned(server, tmp_path) -> str:
    """First sync, then GONE leaves the catalogue and --prune trashes it; its item key."""
    assert cli(server)[0] == 0
    (item,) = by_citation_key(server)[GONE]
    code, _, err = cli(server, "--prune", catalogue_path=_without(tmp_path))
    assert code == 0, err
    return item["key"]


def test_pruning_notes_in_the_same_write_that_the_sync_trashed_the_item_and_the_note_is_not_an_edit(
    zotero_server, tmp_path
):
    assert cli(zotero_server)[0] == 0
    (item,) = by_citation_key(zotero_server)[GONE]
    zotero_server.clear_log()
    assert cli(zotero_server, "--prune", catalogue_path=_without(tmp_path))[0] == 0
    assert zotero_server.count("POST", r"/items$") == 1
    trashed = zotero_server.get_item(item["key"])
    assert trashed["deleted"] == 1
    assert trashed["extra"].splitlines()[-1] == TRASH_NOTE
    assert mapping.marker(trashed, COLLECTION) == mapping.content_hash(mapping.content(trashed))


def test_a_pruned_paper_back_in_the_catalogue_is_restored_from_the_trash_without_overwrite(zotero_server, tmp_path):
    key = _pruned(zotero_server, tmp_path)
    code, out, err = cli(zotero_server, "--json")
    assert code == 0, err
    report = json.loads(out)
    (row,) = [a for a in report["actions"] if a["paper"] == GONE]
    assert row["action"] == "update" and row["item"] == key and "deleted" in row["fields"]
    assert report["summary"]["conflict"] == 0 and report["done"]["restored"] == 1
    restored = zotero_server.get_item(key)
    assert not restored.get("deleted")
    assert TRASH_NOTE not in restored["extra"]
    assert mapping.marker(restored, COLLECTION) == mapping.content_hash(mapping.content(restored))
    assert len(live_items(zotero_server)) == 14 and len(by_citation_key(zotero_server)[GONE]) == 1

    zotero_server.clear_log()
    code, _, err = cli(zotero_server)
    assert code == 0 and "14 unchanged" in err and zotero_server.writes == 0


def test_a_pruned_item_a_member_edited_in_the_trash_is_a_conflict(zotero_server, tmp_path):
    key = _pruned(zotero_server, tmp_path)
    zotero_server.edit_item(key, {"title": "Fixed in the trash"})
    code, out, err = cli(zotero_server, "--json")
    assert code == 0, err
    (row,) = [a for a in json.loads(out)["actions"] if a["paper"] == GONE]
    assert row["action"] == "conflict" and "trash" in row["reason"]
    assert zotero_server.get_item(key)["deleted"] == 1


def test_an_item_a_member_trashed_stays_a_conflict_until_overwrite_names_it(zotero_server):
    assert cli(zotero_server)[0] == 0
    (item,) = by_citation_key(zotero_server)["dong2024self"]
    zotero_server.edit_item(item["key"], {"deleted": 1})

    code, out, err = cli(zotero_server, "--overwrite", "tan2024large")
    assert code == 0, err
    row = next(line for line in err.splitlines() if line.startswith("conflict"))
    assert "dong2024self" in row and "by a member" in row
    assert zotero_server.get_item(item["key"])["deleted"] == 1

    code, out, err = cli(zotero_server, "--overwrite", "dong2024self", "--json")
    assert code == 0, err
    assert json.loads(out)["done"]["restored"] == 1
    assert not zotero_server.get_item(item["key"]).get("deleted")


def test_a_member_who_restores_a_pruned_item_clears_the_trash_note_so_a_later_trash_is_theirs(zotero_server, tmp_path):
    key = _pruned(zotero_server, tmp_path)
    zotero_server.edit_item(key, {"deleted": 0})  # restored in Zotero, the note still there
    code, out, err = cli(zotero_server, "--json")
    assert code == 0, err
    (row,) = [a for a in json.loads(out)["actions"] if a["paper"] == GONE]
    assert row["action"] == "update" and row["fields"] == ["extra"]
    assert TRASH_NOTE not in zotero_server.get_item(key)["extra"]

    zotero_server.edit_item(key, {"deleted": 1})
    code, out, err = cli(zotero_server, "--json")
    (row,) = [a for a in json.loads(out)["actions"] if a["paper"] == GONE]
    assert row["action"] == "conflict" and zotero_server.get_item(key)["deleted"] == 1


def test_overwrite_with_keys_replaces_only_the_papers_chosen(zotero_server):
    assert cli(zotero_server)[0] == 0
    items = by_citation_key(zotero_server)
    chosen, other = items["dong2024self"][0]["key"], items["tan2024large"][0]["key"]
    zotero_server.edit_item(chosen, {"volume": "7"})
    zotero_server.edit_item(other, {"volume": "8"})

    code, out, err = cli(zotero_server, "--overwrite", "dong2024self", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["summary"]["update"] == 1 and report["summary"]["conflict"] == 1
    assert zotero_server.get_item(chosen)["volume"] == ""
    assert zotero_server.get_item(other)["volume"] == "8"

    code, out, err = cli(zotero_server, "--overwrite")  # bare: every paper, as before
    assert code == 0, err
    assert zotero_server.get_item(other)["volume"] == ""


@pytest.mark.parametrize("option", ["--overwrite", "--adopt"])
def test_an_unknown_key_given_to_a_selection_is_a_usage_error_naming_it(zotero_server, option):
    code, out, err = cli(zotero_server, option, "dong2024self", "dong2024selff", "nobody1999")
    assert code == 2 and out == ""
    assert "dong2024selff" in err and "nobody1999" in err and "did you mean dong2024self" in err
    assert zotero_server.writes == 0
