"""Reads the sync plans from: one version of the library however it moves between pages, deletions
since a version, and the schema version the server speaks (over real HTTP, against the emulator)."""

from __future__ import annotations

import pytest

from syndata_export.errors import RemoteError
from syndata_export.zotero.client import ZoteroClient
from tests.zotero.sync_helpers import api_sync, by_citation_key, csl_items

FILLERS = 95  # unmanaged items added first, so the 14 papers straddle the first and second page


def _client(server) -> ZoteroClient:
    return ZoteroClient(f"groups/{server.group_id}", server.api_key, endpoint=server.base_url)


def _filler(server, n: int) -> str:
    return server.add_item({"itemType": "book", "title": f"A member's book {n}"})


@pytest.fixture
def straddling(zotero_server):
    """95 members' books, then the catalogue's 14 papers: item 100 (a paper) opens the second page."""
    fillers = [_filler(zotero_server, n) for n in range(FILLERS)]
    assert api_sync(zotero_server, csl_items()).done["created"] == 14
    return zotero_server, fillers


def test_an_item_deleted_and_one_added_between_pages_are_read_again_not_lost(straddling):
    server, fillers = straddling

    def another_member() -> None:  # as the sync reads the second page: the first page shifts by one
        server.delete_item(fillers[0])
        _filler(server, FILLERS)

    server.before(2, another_member)
    server.clear_log()
    result = api_sync(server, csl_items())
    assert not result.errors
    assert not result.plan.of("create") and len(result.plan.of("unchanged")) == 14
    papers = {key: copies for key, copies in by_citation_key(server).items() if key}  # members' books have none
    assert sorted(papers) == sorted(i["citation-key"] for i in csl_items())
    assert all(len(copies) == 1 for copies in papers.values())
    assert server.count("GET", r"/items$") == 4  # two pages, torn; two pages again
    assert server.writes == 0


def test_a_consistent_read_sees_every_item_once_and_reports_its_version(straddling):
    server, fillers = straddling
    server.before(2, lambda: server.delete_item(fillers[1]))
    client = _client(server)
    try:
        items = client.items()
    finally:
        client.close()
    keys = [d["key"] for d in items]
    assert len(keys) == len(set(keys)) == FILLERS - 1 + 14
    assert client.library_version == server.library_version


def test_a_library_that_keeps_changing_is_a_clear_error_after_four_reads(straddling):
    server, fillers = straddling
    for n in (2, 4, 6, 8):  # the second page of every round
        server.before(n, lambda n=n: server.delete_item(fillers[n]))
    client = _client(server)
    server.clear_log()
    with pytest.raises(RemoteError) as caught:
        client.items()
    client.close()
    assert "the library kept changing while it was read (4 times); run again" in str(caught.value)
    assert server.count("GET", r"/items$") == 8


def test_deleted_lists_what_went_since_a_version(zotero_server):
    kept, gone = _filler(zotero_server, 1), _filler(zotero_server, 2)
    since = zotero_server.library_version
    zotero_server.delete_item(gone)
    client = _client(zotero_server)
    try:
        deleted = client.deleted(since)
        assert client.deleted(zotero_server.library_version)["items"] == []
    finally:
        client.close()
    assert deleted["items"] == [gone] and kept not in deleted["items"]
    assert deleted["collections"] == []


def test_the_schema_version_comes_with_the_key_check(zotero_server):
    client = _client(zotero_server)
    assert client.schema_version is None
    zotero_server.clear_log()
    client.check_key(write=True)
    client.close()
    assert client.schema_version == zotero_server.schema.version == 41
    assert len(zotero_server.requests) == 1  # no request of its own
