"""A group library: syncs started together, deletions made in Zotero, and runs that stop half-way.

Every test drives the real client over HTTP against the emulator and looks at what the library
holds afterwards.
"""

from __future__ import annotations

import copy
import json
import threading

import pytest

from syndata_export.zotero import mapping
from syndata_export.zotero import sync as zsync
from syndata_export.zotero.client import ZoteroClient
from tests.zotero.sync_helpers import (
    COLLECTION,
    SECTIONS,
    FakeClock,
    api_sync,
    by_citation_key,
    cli,
    csl_items,
    live_items,
)


def many_items(n: int) -> list[dict]:
    """``n`` distinct papers made from the shipped ones: new keys, titles and DOIs."""
    base = csl_items()
    out = []
    for i in range(n):
        item = copy.deepcopy(base[i % len(base)])
        item["id"] = item["citation-key"] = f"paper{i:05d}"
        item["title"] = f"Generated paper number {i}"
        item["DOI"] = f"10.5555/generated.{i}"
        item.pop("URL", None)
        out.append(item)
    return out


def assert_one_of_each(server, items) -> None:
    """Each paper once, each collection once, every item in its section."""
    groups = by_citation_key(server)
    assert {k: len(v) for k, v in groups.items() if len(v) != 1} == {}
    assert set(groups) == {i["citation-key"] for i in items}
    names = [(c["name"], bool(c["parentCollection"])) for c in server.collections()]
    assert sorted(names) == sorted([(COLLECTION, False), *((s, True) for s in SECTIONS)])


def run_together(server, items, runs: int) -> list[zsync.Result]:
    """``runs`` syncs of ``items``, each with a client of its own, that all finish reading the
    library before any of them writes: every one plans from the same library, then they race."""
    read = threading.Barrier(runs, timeout=30)
    results: list = [None] * runs

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "read" and done == total:
            read.wait()

    def one(i: int) -> None:
        client = ZoteroClient(f"groups/{server.group_id}", server.api_key, endpoint=server.base_url)
        try:
            results[i] = zsync.sync(client, items, zsync.Options(COLLECTION), progress)
        finally:
            client.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.parametrize(("runs", "papers"), [(2, 14), (3, 14), (2, 250), (3, 250)])
def test_syncs_started_together_make_each_paper_and_collection_once(zotero_server, runs, papers):
    items = csl_items() if papers == 14 else many_items(papers)
    results = run_together(zotero_server, items, runs)
    assert all(r is not None for r in results)
    assert [(r.failure, r.errors) for r in results] == [("", [])] * runs, "every run ends well"
    assert_one_of_each(zotero_server, items)
    created = sum(r.done["created"] for r in results)
    assert created == papers, "each paper was created by exactly one of the runs"
    assert [r.plan.counts()["create"] for r in results] == [papers] * runs, "all planned from the empty library"
    assert sum(r.elsewhere for r in results) == (runs - 1) * papers, "the others found each paper written"
    zotero_server.clear_log()
    again = api_sync(zotero_server, items)
    assert zotero_server.writes == 0 and again.plan.counts()["unchanged"] == papers


def test_derived_keys_are_stable_and_differ_by_library_and_collection():
    one = zsync.DerivedKeys("groups/1", "A")
    assert one.item("tan2024large") == zsync.DerivedKeys("groups/1", "A").item("tan2024large")
    others = {
        zsync.DerivedKeys("groups/2", "A").item("tan2024large"),
        zsync.DerivedKeys("groups/1", "B").item("tan2024large"),
    }
    assert one.item("tan2024large") not in others and len(others) == 2
    assert len({one.item(f"k{i}") for i in range(10_000)}) == 10_000
    assert all(len(k) == 8 and set(k) <= set("23456789ABCDEFGHIJKLMNPQRSTUVWXYZ") for k in (one.root(), one.item("x")))


# -- deletions made in Zotero --------------------------------------------------------------------


def _key_of(server, citation_key: str) -> str:
    return next(d["key"] for d in live_items(server) if mapping.citation_key(d) == citation_key)


@pytest.mark.parametrize("trashed_first", [False, True], ids=["deleted", "trashed-then-emptied"])
def test_an_item_deleted_in_zotero_is_a_conflict_until_restore(zotero_server, trashed_first):
    assert cli(zotero_server)[0] == 0
    key = _key_of(zotero_server, "zhu2024fanno")
    if trashed_first:
        zotero_server.edit_item(key, {"deleted": 1})
        code, _, err = cli(zotero_server)
        assert "moved to the trash by a member" in err
    zotero_server.delete_item(key)

    code, out, err = cli(zotero_server, "--json")
    assert code == 0, err
    report = json.loads(out)
    (conflict,) = [a for a in report["actions"] if a["action"] == "conflict"]
    assert conflict["paper"] == "zhu2024fanno" and "deleted in Zotero" in conflict["reason"]
    assert "rerun with --restore" in err
    assert "zhu2024fanno" not in by_citation_key(zotero_server), "not made again behind the group's back"

    code, _, err = cli(zotero_server, "--restore")
    assert code == 0 and "1 created" in err
    assert _key_of(zotero_server, "zhu2024fanno") == key, "back under its own key"
    assert len(live_items(zotero_server)) == 14


def test_a_section_deleted_in_zotero_is_not_made_again_until_restore(zotero_server):
    assert cli(zotero_server)[0] == 0
    section = next(c for c in zotero_server.collections() if c["name"] == "Analysis Papers")
    zotero_server.delete_collection(section["key"])
    code, out, err = cli(zotero_server, "--json")
    report = json.loads(out)
    conflicts = [a for a in report["actions"] if a["action"] == "conflict"]
    analysis = [i["citation-key"] for i in csl_items() if i["custom"]["section"] == "Analysis Papers"]
    assert sorted(a["paper"] for a in conflicts) == sorted(analysis) and all(
        "'Analysis Papers' was deleted in Zotero" in a["reason"] for a in conflicts
    )
    assert report["collections_created"] == []
    assert "Analysis Papers" not in [c["name"] for c in zotero_server.collections()]

    assert cli(zotero_server, "--restore")[0] == 0
    assert_one_of_each(zotero_server, csl_items())


def test_the_whole_collection_deleted_in_zotero_is_not_made_again_until_restore(zotero_server):
    assert cli(zotero_server)[0] == 0
    root = next(c for c in zotero_server.collections() if c["name"] == COLLECTION)
    zotero_server.delete_collection(root["key"])
    zotero_server.clear_log()
    code, out, err = cli(zotero_server)
    assert code == 0 and zotero_server.writes == 0
    assert f"the collection {COLLECTION!r} was deleted in Zotero" in err
    assert cli(zotero_server, "--restore")[0] == 0
    assert_one_of_each(zotero_server, csl_items())


# -- runs that stop half-way, and what they say -----------------------------------------------------


def test_a_run_that_fails_half_way_says_what_it_wrote(zotero_server):
    zotero_server.fail_next(503, 100, method="POST", path=r"/items$", retry_after=0, after=2)
    result = api_sync(zotero_server, many_items(250))
    assert "still answered 503" in result.failure
    assert result.done["created"] == 100 == len(live_items(zotero_server)), "two batches landed, and it says so"
    zotero_server.clear_faults()
    again = api_sync(zotero_server, many_items(250))
    assert not again.failure and again.done["created"] == 150
    assert_one_of_each(zotero_server, many_items(250))


def test_the_json_is_printed_whatever_the_outcome(zotero_server):
    zotero_server.fail_next(503, 100, method="POST", path=r"/items$", retry_after=0)
    code, out, err = cli(zotero_server, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["library"] == f"groups/{zotero_server.group_id}" and report["collection"] == COLLECTION
    assert report["dry_run"] is False and report["rerun_safe"] is True
    assert "still answered 503" in report["failure"] and report["done"]["created"] == 0
    assert report["collections_created"] == list((COLLECTION, *SECTIONS))
    assert "stopped:" in err and "a rerun reads the library again" in err and "what was written stays" in err

    code, out, err = cli(zotero_server, "--json", key="NOPE0000000000000000000X")
    assert code == 1 and "refused" in err
    report = json.loads(out)
    assert "API key was refused" in report["failure"] and report["done"] == {}
    assert "NOPE0000000000000000000X" not in out + err

    zotero_server.clear_faults()
    code, out, _ = cli(zotero_server, "--json")
    assert code == 0 and json.loads(out)["failure"] is None
    assert_one_of_each(zotero_server, csl_items())


def test_progress_counts_what_the_server_holds(zotero_server, capsys):
    items = many_items(150)
    zotero_server.drop_next(1, method="POST", path=r"/items$")  # the first batch lands unseen
    lines: list[tuple[int, int]] = []
    clock = FakeClock()
    client = ZoteroClient(
        f"groups/{zotero_server.group_id}",
        zotero_server.api_key,
        endpoint=zotero_server.base_url,
        clock=clock.clock,
        sleep=clock.sleep,
    )
    result = zsync.sync(
        client, items, zsync.Options(COLLECTION), lambda stage, d, t: stage == "write" and lines.append((d, t))
    )
    client.close()
    assert not result.failure and result.done["created"] == 150
    assert lines[:3] == [(0, 150), (50, 150), (100, 150)], "the lost batch is not counted until read back"
    assert lines[-1] == (150, 150)
    assert clock.sleeps == [zsync.READ_BACK_PAUSE], "a pause before reading back"


def test_collections_whose_create_responses_keep_getting_lost_are_found_by_reading_back(zotero_server):
    zotero_server.drop_next(2, method="POST", path=r"/collections$")  # each create lands, no answer comes
    clock = FakeClock()
    result = api_sync(zotero_server, csl_items(), clock)
    assert not result.failure and not result.errors
    assert_one_of_each(zotero_server, csl_items())
    assert zotero_server.count("POST", r"/collections$") == 2, "root, then the sections: each sent once"
    assert clock.sleeps == [zsync.READ_BACK_PAUSE, zsync.READ_BACK_PAUSE * 2], "a pause before each reading back"
