"""`syndata-export sync` against the Zotero emulator over real HTTP: create, re-sync, update, conflicts,
unmanaged matches, orphans and pruning, and Zotero's own CSL-JSON of what was synced."""

from __future__ import annotations

import json

import pytest

from syndata_export.zotero import mapping
from tests.zotero.sync_helpers import (
    COLLECTION,
    NEW_PAPER,
    SECTIONS,
    by_citation_key,
    cli,
    csl_items,
    edited_catalogue,
    live_items,
    paper,
)


def test_first_sync_makes_the_collection_tree_and_14_items_then_a_resync_writes_nothing(zotero_server):
    code, out, err = cli(zotero_server)
    assert code == 0, err
    assert out == ""  # data only on stdout, and there is none without --json
    collections = {c["key"]: c for c in zotero_server.collections()}
    roots = [c for c in collections.values() if c["name"] == COLLECTION and not c["parentCollection"]]
    assert len(roots) == 1
    subs = {c["name"]: c["key"] for c in collections.values() if c["parentCollection"] == roots[0]["key"]}
    assert sorted(subs) == sorted(SECTIONS)
    items = live_items(zotero_server)
    assert len(items) == 14
    wanted = {i["citation-key"]: i for i in csl_items()}
    assert {mapping.citation_key(d) for d in items} == set(wanted)
    for data in items:
        key = mapping.citation_key(data)
        assert data["collections"] == [subs[wanted[key]["custom"]["section"]]]
        assert mapping.marker(data, COLLECTION) == mapping.content_hash(mapping.content(data))
        assert {"tag": wanted[key]["custom"]["section"], "type": 1} in data["tags"]
    assert "14 created" in err and "created collections: SynData Papers" in err

    zotero_server.clear_log()
    code, out, err = cli(zotero_server)
    assert code == 0, err
    assert zotero_server.writes == 0
    assert "14 unchanged" in err
    assert zotero_server.reads <= 3  # key check, collections, one page of items


def _pages(pages: str):
    def edit(data):
        paper(data, "tan2024large")["published"]["pages"] = pages

    return edit


def test_a_changed_paper_updates_exactly_that_item_and_an_added_paper_creates_exactly_one(zotero_server, tmp_path):
    assert cli(zotero_server)[0] == 0
    before = {d["key"]: d for d in live_items(zotero_server)}

    changed = edited_catalogue(tmp_path, _pages("930-958"))
    zotero_server.clear_log()
    code, out, err = cli(zotero_server, "--json", catalogue_path=changed)
    assert code == 0, err
    report = json.loads(out)
    assert report["summary"]["update"] == 1 and report["summary"]["unchanged"] == 13
    (update,) = [a for a in report["actions"] if a["action"] == "update"]
    assert update["paper"] == "tan2024large" and update["fields"] == ["pages"]
    after = {d["key"]: d for d in live_items(zotero_server)}
    assert set(after) == set(before)
    moved = [k for k in after if after[k]["version"] != before[k]["version"]]
    assert moved == [update["item"]]
    assert after[update["item"]]["pages"] == "930-958"
    assert zotero_server.count("POST", r"/items$") == 1

    def add(data):
        _pages("930-958")(data)
        data["papers"].append(dict(NEW_PAPER))

    added = edited_catalogue(tmp_path, add)
    code, out, err = cli(zotero_server, "--json", catalogue_path=added)
    assert code == 0, err
    assert json.loads(out)["summary"]["create"] == 1
    items = by_citation_key(zotero_server)
    assert len(live_items(zotero_server)) == 15
    (new,) = items["doe2025added"]
    assert new["itemType"] == "preprint" and new["archiveID"] == "arXiv:2501.01234"
    assert {k for k in after} < {d["key"] for d in live_items(zotero_server)}


def test_an_item_edited_by_another_member_is_a_conflict_left_alone_until_overwrite(zotero_server):
    assert cli(zotero_server)[0] == 0
    (item,) = by_citation_key(zotero_server)["dong2024self"]
    zotero_server.edit_item(item["key"], {"title": "A title a member corrected", "volume": "7"})
    edited = zotero_server.get_item(item["key"])

    code, out, err = cli(zotero_server)
    assert code == 0, err
    row = next(line for line in err.splitlines() if line.startswith("conflict"))
    assert "dong2024self" in row and item["key"] in row and "[title, volume]" in row
    assert zotero_server.get_item(item["key"]) == edited  # untouched
    assert "--overwrite" in err

    code, out, err = cli(zotero_server, "--overwrite")
    assert code == 0, err
    replaced = zotero_server.get_item(item["key"])
    want = next(i for i in csl_items() if i["citation-key"] == "dong2024self")
    assert replaced["title"] == want["title"] and replaced["volume"] == ""
    assert "14 unchanged" in cli(zotero_server)[2]


def test_an_unmanaged_item_with_the_same_doi_is_reported_and_not_duplicated(zotero_server):
    doi = "10.18653/v1/2024.emnlp-main.54"  # tan2024large's published DOI
    theirs = zotero_server.add_item(
        {
            "itemType": "journalArticle",
            "title": "Someone's own copy",
            "DOI": doi.upper(),
            "creators": [{"creatorType": "author", "firstName": "Zhen", "lastName": "Tan"}],
        }
    )
    before = zotero_server.get_item(theirs)
    code, out, err = cli(zotero_server, "--json")
    assert code == 0, err
    (match,) = [a for a in json.loads(out)["actions"] if a["action"] == "unmanaged-match"]
    assert match["paper"] == "tan2024large" and match["item"] == theirs and "DOI" in match["reason"]
    assert len(live_items(zotero_server)) == 14  # 13 created + theirs
    assert "tan2024large" not in by_citation_key(zotero_server)
    assert zotero_server.get_item(theirs) == before
    zotero_server.clear_log()
    assert cli(zotero_server)[0] == 0 and zotero_server.writes == 0


@pytest.mark.parametrize(
    ("theirs", "reason"),
    [
        pytest.param({"url": "https://arxiv.org/pdf/2402.13446v3"}, "arXiv ID", id="arxiv_url"),
        pytest.param({"extra": "DOI: 10.48550/ARXIV.2402.13446"}, "arXiv ID", id="arxiv_doi_in_extra"),
        pytest.param(
            {"title": "Large language models for data annotation and synthesis: A SURVEY"}, "title", id="title"
        ),
    ],
)
def test_an_unmanaged_item_that_is_the_same_paper_by_the_identity_rule_is_not_duplicated(zotero_server, theirs, reason):
    theirs = zotero_server.add_item({"itemType": "preprint", "title": "Their copy", **theirs})
    code, out, err = cli(zotero_server, "--json")
    assert code == 0, err
    (match,) = [a for a in json.loads(out)["actions"] if a["action"] == "unmanaged-match"]
    assert match["paper"] == "tan2024large" and match["item"] == theirs and reason in match["reason"]
    assert "tan2024large" not in by_citation_key(zotero_server)


def test_an_orphan_is_reported_and_prune_moves_it_to_the_trash(zotero_server, tmp_path):
    assert cli(zotero_server)[0] == 0
    (gone,) = by_citation_key(zotero_server)["seddik2024bad"]

    def drop(data):
        data["papers"] = [p for p in data["papers"] if p["key"] != "seddik2024bad"]

    smaller = edited_catalogue(tmp_path, drop)
    zotero_server.clear_log()
    code, out, err = cli(zotero_server, catalogue_path=smaller)
    assert code == 0, err
    assert any(line.startswith("orphan") and gone["key"] in line for line in err.splitlines())
    assert "--prune" in err and zotero_server.writes == 0
    assert not zotero_server.get_item(gone["key"]).get("deleted")

    code, out, err = cli(zotero_server, "--prune", "--json", catalogue_path=smaller)
    assert code == 0, err
    assert json.loads(out)["done"]["trashed"] == 1
    trashed = zotero_server.get_item(gone["key"])
    assert trashed["deleted"] == 1  # in the trash, not deleted outright
    assert trashed["title"] == gone["title"]
    assert len(live_items(zotero_server)) == 13


def _year_month_day(date: dict) -> list[int]:
    return [int(p) for p in date["date-parts"][0]]


def _names(names: list[dict]) -> list[tuple[str, str]]:
    return [(n.get("family") or n.get("literal", ""), n.get("given", "")) for n in names]


@pytest.mark.parametrize("prefer", [pytest.param("published", id="published"), pytest.param("preprint", id="preprint")])
def test_zoteros_own_csljson_of_the_synced_items_matches_ours(zotero_server, prefer):
    import httpx2

    assert cli(zotero_server, "--prefer", prefer)[0] == 0
    ours = {i["citation-key"]: i for i in csl_items(prefer=prefer)}
    keys = {d["key"]: mapping.citation_key(d) for d in live_items(zotero_server)}
    response = httpx2.get(
        f"{zotero_server.base_url}{zotero_server.library_prefix}/items",
        params={"format": "csljson", "limit": 100},
        headers={"Zotero-API-Key": zotero_server.api_key},
        trust_env=False,
    )
    theirs = response.json()["items"]
    assert len(theirs) == 14
    for item in theirs:
        mine = ours[keys[item["id"].split("/")[1]]]
        for variable in ("title", "DOI", "container-title", "page", "type"):
            assert item.get(variable) == mine.get(variable), (mine["id"], variable)
        assert _names(item["author"]) == _names(mine["author"]), mine["id"]
        assert _year_month_day(item["issued"]) == _year_month_day(mine["issued"]), mine["id"]
