"""The Zotero emulator, driven over real HTTP by unmodified pyzotero 1.16 (and raw httpx2 where
pyzotero has no call). Each case checks a behaviour from ../shared/reference/zotero-api-notes.md."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading

import httpx2
import pytest
from pyzotero import zotero
from pyzotero import zotero_errors as ze

from tests.conftest import REPO


def preprint(title: str = "A paper", **extra: object) -> dict:
    item = {
        "itemType": "preprint",
        "title": title,
        "creators": [{"creatorType": "author", "firstName": "Ada", "lastName": "Lovelace"}],
        "date": "2024-05-01",
        "tags": [],
        "collections": [],
        "relations": {},
    }
    item.update(extra)
    return item


@pytest.fixture
def http() -> httpx2.Client:
    with httpx2.Client(trust_env=False, timeout=10) as client:
        yield client


@pytest.fixture
def zot(zotero_server, http):
    z = zotero.Zotero(zotero_server.group_id, "group", zotero_server.api_key, client=http)
    z.endpoint = zotero_server.base_url
    return z


@pytest.fixture
def raw(zotero_server, http):
    """Raw httpx2 calls against the group library with the read/write key."""

    def call(method: str, path: str, key: str | None = None, **kwargs) -> httpx2.Response:
        headers = {"Zotero-API-Key": key or zotero_server.api_key, **kwargs.pop("headers", {})}
        url = f"{zotero_server.base_url}{zotero_server.library_prefix}{path}"
        return http.request(method, url, headers=headers, **kwargs)

    return call


# -- reads, writes and versions through pyzotero ------------------------------------------------


def test_create_items_returns_the_v3_write_report(zot, zotero_server):
    report = zot.create_items([preprint("One"), preprint("Two")])
    assert set(report) == {"successful", "success", "unchanged", "failed"}
    assert list(report["success"]) == ["0", "1"]
    assert report["unchanged"] == {} and report["failed"] == {}
    saved = report["successful"]["0"]
    assert saved["key"] == report["success"]["0"] and saved["data"]["version"] == saved["version"]
    assert saved["data"]["repository"] == "" and saved["data"]["citationKey"] == ""  # every field of the type
    assert zot.request.headers["Last-Modified-Version"] == str(zotero_server.library_version)
    assert {i["data"]["title"] for i in zot.items()} == {"One", "Two"}


def test_batch_bumps_each_object_and_header_matches_a_later_read(zot):
    report = zot.create_items([preprint(f"P{i}") for i in range(3)])
    versions = [report["successful"][str(i)]["version"] for i in range(3)]
    assert versions == sorted(set(versions))
    header = int(zot.request.headers["Last-Modified-Version"])
    assert header == versions[-1] == zot.last_modified_version()


def test_update_item_patch_then_stale_version_is_412(zot, zotero_server):
    key = zot.create_items([preprint()])["success"]["0"]
    item = zot.item(key)
    item["data"]["title"] = "Renamed"
    assert zot.update_item(item) is True
    assert zotero_server.get_item(key)["title"] == "Renamed"
    assert zotero_server.get_item(key)["creators"][0]["lastName"] == "Lovelace"  # PATCH kept the rest
    item["data"]["title"] = "Stale write"
    with pytest.raises(ze.PreConditionFailedError, match="Item has been modified since specified version"):
        zot.update_item(item)


def test_another_members_edit_makes_our_update_412(zot, zotero_server):
    key = zot.create_items([preprint()])["success"]["0"]
    ours = zot.item(key)
    new_version = zotero_server.edit_item(key, {"title": "Edited in Zotero"})
    assert new_version > ours["version"]
    assert zot.item(key)["meta"]["lastModifiedByUser"]["username"] == "other-member"
    ours["data"]["title"] = "Ours"
    with pytest.raises(ze.PreConditionFailedError):
        zot.update_item(ours)


def test_update_items_posts_in_chunks_with_patch_semantics(zot, zotero_server):
    keys = list(zot.create_items([preprint(f"P{i}") for i in range(3)])["success"].values())
    items = [zot.item(k)["data"] for k in keys]
    for data in items:
        data["title"] += " (v2)"
    assert zot.update_items(items) is True
    assert sorted(zotero_server.get_item(k)["title"] for k in keys) == ["P0 (v2)", "P1 (v2)", "P2 (v2)"]


def test_unchanged_upload_is_reported_and_does_not_bump(zot, raw, zotero_server):
    key = zot.create_items([preprint()])["success"]["0"]
    data = zot.item(key)["data"]
    before = zotero_server.library_version
    report = raw("POST", "/items", json=[data]).json()
    assert report["unchanged"] == {"0": key} and report["successful"] == {}
    assert zotero_server.library_version == before


def test_library_precondition_rejects_whole_request(zot, zotero_server):
    zot.create_items([preprint()])
    with pytest.raises(ze.PreConditionFailedError, match=r"expected 0, found 1"):
        zot.create_items([preprint("late")], last_modified=0)
    assert len(zotero_server.items()) == 1


def test_concurrent_writes_with_same_library_version_one_wins(zotero_server, raw):
    statuses: list[int] = []

    def post(i: int) -> None:
        r = raw("POST", "/items", json=[preprint(f"race {i}")], headers={"If-Unmodified-Since-Version": "0"})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 412, 412, 412]


# -- object-level version rules (raw HTTP) --------------------------------------------------------

MINTED = "ABCD2345"


@pytest.mark.parametrize(
    ("first", "second", "code", "message"),
    [
        pytest.param({"version": 0}, {"version": 0}, 412, "expected 0, found 1", id="version_0_for_existing_key"),
        pytest.param(None, {"version": 5}, 404, "use 0 instead", id="positive_version_for_missing_key"),
        pytest.param({"version": 0}, {}, 428, "must be provided for 'key'-based writes", id="key_without_version"),
        pytest.param({"version": 0}, {"version": 7}, 412, "expected 7, found 1", id="stale_object_version"),
    ],
)
def test_object_version_failures(raw, first, second, code, message):
    if first is not None:
        assert raw("POST", "/items", json=[preprint(key=MINTED, **first)]).json()["success"] == {"0": MINTED}
    report = raw("POST", "/items", json=[preprint("again", key=MINTED, **second)]).json()
    assert report["failed"]["0"]["code"] == code
    assert message in report["failed"]["0"]["message"]
    assert report["failed"]["0"]["key"] == MINTED


def test_client_minted_key_makes_rerun_idempotent(raw, zotero_server):
    body = [preprint(key=MINTED, version=0)]
    assert raw("POST", "/items", json=body).json()["success"] == {"0": MINTED}
    assert raw("POST", "/items", json=body).json()["failed"]["0"]["code"] == 412
    assert [i["key"] for i in zotero_server.items()] == [MINTED]


@pytest.mark.parametrize(
    ("method", "headers", "body_version", "status", "message"),
    [
        pytest.param("PUT", {}, None, 428, "must be provided for key-based writes", id="put_without_version"),
        pytest.param("PATCH", {"If-Unmodified-Since-Version": "0"}, None, 412, "expected 0", id="patch_stale_header"),
        pytest.param("PATCH", {"If-Unmodified-Since-Version": "1"}, 2, 400, "does not match JSON", id="mismatch"),
        pytest.param("DELETE", {}, None, 428, "must be provided for delete requests", id="delete_without_header"),
    ],
)
def test_single_object_precondition_errors(raw, method, headers, body_version, status, message):
    raw("POST", "/items", json=[preprint(key=MINTED, version=0)])
    body = preprint("x") if method != "DELETE" else None
    if body is not None and body_version is not None:
        body["version"] = body_version
    r = raw(method, f"/items/{MINTED}", json=body, headers=headers)
    assert r.status_code == status
    assert message in r.text
    assert r.headers["Content-Type"].startswith("text/plain")


def test_put_replaces_and_returns_204_with_new_version(raw, zotero_server):
    raw("POST", "/items", json=[preprint(key=MINTED, version=0, abstractNote="gone after PUT")])
    r = raw("PUT", f"/items/{MINTED}", json=preprint("Replaced"), headers={"If-Unmodified-Since-Version": "1"})
    assert r.status_code == 204 and r.headers["Last-Modified-Version"] == "2"
    stored = zotero_server.get_item(MINTED)
    assert (stored["title"], stored["abstractNote"], stored["version"]) == ("Replaced", "", 2)


def test_412_on_single_write_keeps_object_version_header(raw):
    raw("POST", "/items", json=[preprint(key=MINTED, version=0)])
    r = raw("PATCH", f"/items/{MINTED}", json={"title": "t"}, headers={"If-Unmodified-Since-Version": "9"})
    assert r.status_code == 412 and r.headers["Last-Modified-Version"] == "1"


def test_more_than_50_objects_is_413_and_writes_nothing(raw, zotero_server):
    r = raw("POST", "/items", json=[preprint(f"P{i}") for i in range(51)])
    assert r.status_code == 413 and "Cannot add more than 50 items at a time" in r.text
    assert zotero_server.items() == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        pytest.param({"itemType": "book"}, 400, "Uploaded data must be a JSON array", id="object_not_array"),
        pytest.param("[{", 400, "JSON Error", id="malformed_json"),
    ],
)
def test_bad_batch_bodies(raw, body, status, message):
    kwargs = {"content": body} if isinstance(body, str) else {"json": body}
    r = raw("POST", "/items", **kwargs)
    assert r.status_code == status and message in r.text


# -- write tokens -----------------------------------------------------------------------------------


def test_write_token_replay_is_412(raw, zotero_server):
    headers = {"Zotero-Write-Token": "a" * 32}
    assert raw("POST", "/items", json=[preprint()], headers=headers).status_code == 200
    again = raw("POST", "/items", json=[preprint()], headers=headers)
    assert again.status_code == 412 and again.text == "Write token already used"
    assert len(zotero_server.items()) == 1


@pytest.mark.parametrize("token", [pytest.param("abcd", id="too_short"), pytest.param("x" * 33, id="too_long")])
def test_write_token_length_is_checked(raw, token):
    r = raw("POST", "/items", json=[preprint()], headers={"Zotero-Write-Token": token})
    assert r.status_code == 400 and "5-32 characters" in r.text


def test_failed_request_does_not_burn_the_token(raw):
    headers = {"Zotero-Write-Token": "tok-12345"}
    assert raw("POST", "/items", json={"not": "a list"}, headers=headers).status_code == 400
    assert raw("POST", "/items", json=[preprint()], headers=headers).status_code == 200


# -- schema validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "code", "message"),
    [
        pytest.param(
            preprint(publisher="arXiv"),
            400,
            "'publisher' is not a valid field for type 'preprint'",
            id="base_field_name_on_preprint",
        ),
        pytest.param(preprint(itemType="paper"), 400, "'paper' is not a valid itemType", id="unknown_item_type"),
        pytest.param(
            preprint(creators=[{"creatorType": "seriesEditor", "name": "X"}]),
            400,
            "'seriesEditor' is not a valid creator type for item type 'preprint'",
            id="bad_creator_type",
        ),
        pytest.param(preprint(foo="bar"), 400, "Invalid property 'foo'", id="unknown_property"),
        pytest.param(
            preprint(creators=[{"creatorType": "author", "firstName": "A"}]),
            400,
            "'lastName' creator field must be set if 'firstName' is set",
            id="half_a_name",
        ),
        pytest.param(preprint(collections=["QRST9876"]), 409, "Collection QRST9876 not found", id="unknown_collection"),
        pytest.param(preprint(tags=[{"tag": "x", "colour": 1}]), 400, "Invalid tag property 'colour'", id="bad_tag"),
        pytest.param(preprint(abstractNote="x" * 70000), 413, "too long", id="field_too_long"),
    ],
)
def test_schema_validation_failures(zot, item, code, message):
    report = zot.create_items([preprint("fine"), item])
    assert list(report["success"]) == ["0"]
    failed = report["failed"]["1"]
    assert failed["code"] == code and message in failed["message"]
    if code == 409:
        assert failed["data"] == {"collection": "QRST9876"}


def test_empty_value_for_foreign_field_is_accepted(zot, zotero_server):
    report = zot.create_items([preprint(publisher="", publicationTitle="")])
    assert report["failed"] == {}
    assert "publisher" not in zotero_server.get_item(report["success"]["0"])


def test_author_is_accepted_on_every_type(zot):
    item = {"itemType": "report", "title": "R", "creators": [{"creatorType": "author", "name": "ACME"}]}
    assert zot.create_items([item])["failed"] == {}


def test_schema_endpoints_serve_pyzotero(zot):
    fields = {f["field"] for f in zot.item_fields()}
    assert {"citationKey", "repository", "archiveID", "DOI"} <= fields
    template = zot.item_template("conferencePaper")
    assert template["proceedingsTitle"] == "" and template["creators"][0]["creatorType"] == "author"
    assert zot.check_items([preprint()])  # the fields pyzotero checks against come from /itemFields
    assert [c["creatorType"] for c in zot.item_creator_types("preprint")][0] == "author"
    assert "preprint" in {t["itemType"] for t in zot.item_types()}


# -- reads: paging, formats, incremental sync ------------------------------------------------------------


def _fill(zotero_server, n: int) -> list[str]:
    return [zotero_server.add_item(preprint(f"Paper {i:03d}"), as_user=1) for i in range(n)]


def test_paging_headers_and_links(zotero_server, raw):
    _fill(zotero_server, 30)
    r = raw("GET", "/items", params={"limit": 10, "start": 10, "locale": "en-US", "format": "json"})
    assert len(r.json()) == 10 and r.headers["Total-Results"] == "30"
    links = {m.group(2): m.group(1) for m in re.finditer(r'<([^>]+)>; rel="(\w+)"', r.headers["Link"])}
    base = f"{zotero_server.base_url}{zotero_server.library_prefix}/items"
    assert links["first"] == f"{base}?limit=10"
    assert links["prev"] == f"{base}?limit=10"
    assert links["next"] == f"{base}?limit=10&start=20"
    assert links["last"] == f"{base}?limit=10&start=20"
    assert links["alternate"].startswith("https://www.zotero.org/groups/")


def test_limit_above_100_is_clamped_and_everything_follows_links(zot, zotero_server, raw):
    keys = _fill(zotero_server, 130)
    r = raw("GET", "/items", params={"limit": 500})
    assert r.status_code == 200 and len(r.json()) == 100 and r.headers["Total-Results"] == "130"
    assert sorted(i["key"] for i in zot.everything(zot.items())) == sorted(keys)


def test_format_versions_keys_and_since(zot, zotero_server, raw):
    first = _fill(zotero_server, 2)
    mark = zotero_server.library_version
    later = _fill(zotero_server, 2)
    assert set(zot.item_versions()) == set(first + later)
    assert set(zot.item_versions(since=mark)) == set(later)
    r = raw("GET", "/items", params={"format": "keys"})
    assert r.headers["Content-Type"].startswith("text/plain") and set(r.text.split("\n")) == set(first + later)


def test_item_key_list_selects_objects(zot, zotero_server):
    keys = _fill(zotero_server, 5)
    assert {i["key"] for i in zot.items(itemKey=",".join(keys[:2]))} == set(keys[:2])


def test_if_modified_since_version_gives_304(zotero_server, raw):
    _fill(zotero_server, 1)
    v = str(zotero_server.library_version)
    assert raw("GET", "/items", headers={"If-Modified-Since-Version": v}).status_code == 304
    assert raw("GET", "/items", headers={"If-Modified-Since-Version": "0"}).status_code == 200


def test_csljson_has_server_quirks(zot, zotero_server):
    key = zotero_server.add_item(
        preprint(
            "Synthetic data",
            creators=[
                {"creatorType": "author", "firstName": "Ada", "lastName": "Lovelace"},
                {"creatorType": "author", "name": "ACME Consortium"},
                {"creatorType": "editor", "firstName": "E", "lastName": "Ditor"},
            ],
            repository="arXiv",
            archiveID="arXiv:2401.00001",
            shortTitle="Synth",
            extra="Citation Key: lovelace2024",
            accessDate="2019-05-23",
        )
    )
    body = zot.items(format="csljson")
    assert list(body) == ["items"]
    csl = body["items"][0]
    assert csl["id"].endswith(f"/{key}") and not csl["id"].startswith(str(zotero_server.group_id))
    assert csl["type"] == "article" and csl["publisher"] == "arXiv" and csl["number"] == "arXiv:2401.00001"
    assert csl["author"] == [{"family": "Lovelace", "given": "Ada"}, {"family": "ACME Consortium", "given": ""}]
    assert csl["editor"] == [{"family": "Ditor", "given": "E"}]
    assert csl["note"] == "Citation Key: lovelace2024"
    assert csl["shortTitle"] == csl["title-short"] == "Synth"
    assert csl["issued"] == {"date-parts": [["2024", 5, 1]]} and csl["accessed"] == {"date-parts": [[2019, 5, 23]]}


def test_unsupported_format_is_400(raw):
    assert raw("GET", "/items", params={"format": "bib"}).status_code == 400


# -- trash, deletion, children ---------------------------------------------------------------------------


def test_trash_via_patch_and_listing(zot, zotero_server, raw):
    key = zot.create_items([preprint()])["success"]["0"]
    item = zot.item(key)
    r = raw(
        "PATCH", f"/items/{key}", json={"deleted": 1}, headers={"If-Unmodified-Since-Version": str(item["version"])}
    )
    assert r.status_code == 204
    assert zot.items() == [] and [i["key"] for i in zot.trash()] == [key]
    assert zot.trash()[0]["data"]["deleted"] == 1
    assert [i["key"] for i in zot.items(includeTrashed=1)] == [key]


def test_delete_single_and_multiple_appear_in_deleted(zot, zotero_server):
    keys = list(zot.create_items([preprint(f"P{i}") for i in range(3)])["success"].values())
    mark = zotero_server.library_version
    assert zot.delete_item(zot.item(keys[0])) is True
    assert zot.delete_item([zot.item(k) for k in keys[1:]], last_modified=zotero_server.library_version) is True
    assert zot.items() == []
    assert sorted(zot.deleted(since=mark)["items"]) == sorted(keys)
    assert zot.deleted(since=zotero_server.library_version)["items"] == []


def test_deleted_without_since_is_400(raw):
    r = raw("GET", "/deleted")
    assert r.status_code == 400 and r.text == "'since' parameter must be provided"


def test_child_notes_and_num_children(zot):
    parent = zot.create_items([preprint()])["success"]["0"]
    note = zot.create_items([{"itemType": "note", "note": "<p>hi</p>", "tags": []}], parentid=parent)
    assert note["failed"] == {}
    assert [c["data"]["note"] for c in zot.children(parent)] == ["<p>hi</p>"]
    assert zot.item(parent)["meta"]["numChildren"] == 1
    assert [i["key"] for i in zot.top()] == [parent]


# -- collections -------------------------------------------------------------------------------------------


def test_collections_subcollections_and_membership(zot, zotero_server):
    top = zot.create_collections([{"name": "Synthetic data"}])["success"]["0"]
    sub = zot.create_collections([{"name": "Surveys", "parentCollection": top}])["success"]["0"]
    assert [c["key"] for c in zot.collections_top()] == [top]
    assert [c["key"] for c in zot.collections_sub(top)] == [sub]
    assert zot.collection(top)["meta"]["numCollections"] == 1
    key = zot.create_items([preprint(collections=[sub])])["success"]["0"]
    assert zot.addto_collection(top, zot.item(key)) is True
    assert set(zotero_server.get_item(key)["collections"]) == {top, sub}
    assert [i["key"] for i in zot.collection_items(top)] == [key]
    assert {c["key"] for c in zot.all_collections()} == {top, sub}


def test_update_collection_and_conflict_with_other_member(zot, zotero_server):
    key = zot.create_collections([{"name": "Old"}])["success"]["0"]
    coll = zot.collection(key)
    coll["data"]["name"] = "New"
    assert zot.update_collection(coll) is True  # pyzotero PUTs the full API object; the server unwraps `data`
    ours = zot.collection(key)
    assert ours["data"]["name"] == "New"
    zotero_server.edit_collection(key, {"name": "Theirs"})
    ours["data"]["name"] = "Ours"
    with pytest.raises(ze.PreConditionFailedError, match="Collection has been modified since specified version"):
        zot.update_collection(ours)


def test_missing_parent_collection_is_409(zot):
    report = zot.create_collections([{"name": "Orphan", "parentCollection": "QRST9876"}])
    assert (
        report["failed"]["0"]["code"] == 409
        and "Parent collection QRST9876 not found" in report["failed"]["0"]["message"]
    )


def test_legacy_collection_items_post_and_collection_delete(zot, zotero_server, raw):
    coll = zot.create_collections([{"name": "C"}])["success"]["0"]
    keys = _fill(zotero_server, 2)
    assert raw("POST", f"/collections/{coll}/items", content=" ".join(keys)).status_code == 204
    assert zot.collection(coll)["meta"]["numItems"] == 2
    zot.delete_collection(zot.collection(coll))
    assert all(zotero_server.get_item(k)["collections"] == [] for k in keys)
    assert zot.deleted(since=0)["collections"] == [coll]


# -- keys and permissions ---------------------------------------------------------------------------------


def test_key_info_lists_group_access(zot, zotero_server):
    info = zot.key_info()
    assert info["key"] == zotero_server.api_key and info["userID"] == zotero_server.user_id
    assert info["access"]["groups"][str(zotero_server.group_id)] == {"library": True, "write": True}


def test_read_only_key_reads_but_write_is_denied(zotero_server, http):
    ro = zotero.Zotero(zotero_server.group_id, "group", zotero_server.read_only_key, client=http)
    ro.endpoint = zotero_server.base_url
    assert ro.items() == []
    with pytest.raises(ze.UserNotAuthorisedError, match="Write access denied"):
        ro.create_items([preprint()])
    assert ro.key_info()["access"]["groups"][str(zotero_server.group_id)]["write"] is False


@pytest.mark.parametrize(
    ("key", "method", "message"),
    [
        pytest.param("WRONGKEY", "GET", "Invalid key", id="invalid_key"),
        pytest.param("", "POST", "An API key is required for write requests.", id="write_without_key"),
    ],
)
def test_auth_failures_are_403(zotero_server, http, key, method, message):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    url = f"{zotero_server.base_url}{zotero_server.library_prefix}/items"
    r = http.request(method, url, headers=headers, json=[preprint()] if method == "POST" else None)
    assert r.status_code == 403 and r.text == message


def test_every_response_carries_api_and_schema_versions(raw):
    for r in (raw("GET", "/items"), raw("GET", "/nope"), raw("POST", "/items", json=[preprint()])):
        assert r.headers["Zotero-API-Version"] == "3" and r.headers["Zotero-Schema-Version"] == "41"


# -- fault injection and the request log -----------------------------------------------------------------


@pytest.mark.parametrize("status", [pytest.param(429, id="rate_limited"), pytest.param(503, id="unavailable")])
def test_injected_status_carries_retry_after(zotero_server, raw, status):
    zotero_server.fail_next(status, method="POST", path=r"/items$", retry_after=7)
    r = raw("POST", "/items", json=[preprint()])
    assert r.status_code == status and r.headers["Retry-After"] == "7"
    assert zotero_server.items() == []  # refused before processing
    assert raw("POST", "/items", json=[preprint()]).status_code == 200


def test_429_without_retry_after_is_possible(zotero_server, raw):
    zotero_server.fail_next(429, retry_after=None)
    r = raw("GET", "/items")
    assert r.status_code == 429 and "Retry-After" not in r.headers and r.text == "Request rate limit exceeded"


def test_pyzotero_read_retries_after_429(zot, zotero_server):
    zotero_server.add_item(preprint(), as_user=1)
    zotero_server.fail_next(429, method="GET", path="/items", retry_after=0)
    assert len(zot.items()) == 1
    assert zotero_server.count("GET", "/items$", status=429) == 1
    assert zotero_server.count("GET", "/items$", status=200) == 1


def test_backoff_header_on_every_response(zotero_server, raw):
    zotero_server.set_backoff(30)
    assert raw("GET", "/items").headers["Backoff"] == "30"
    zotero_server.set_backoff(None)
    assert "Backoff" not in raw("GET", "/items").headers


def test_dropped_connection_still_applies_the_write(zotero_server, raw):
    zotero_server.drop_next(method="POST", path=r"/items$")
    with pytest.raises(httpx2.RemoteProtocolError):
        raw("POST", "/items", json=[preprint(key=MINTED, version=0)])
    assert [i["key"] for i in zotero_server.items()] == [MINTED]
    rerun = raw("POST", "/items", json=[preprint(key=MINTED, version=0)]).json()
    assert rerun["failed"]["0"]["code"] == 412  # a rerun with the minted key cannot duplicate
    assert zotero_server.count("POST", status=0) == 1


def test_random_faults_are_reproducible_from_the_seed(zotero_server, raw):
    def run() -> list[int]:
        zotero_server.random_faults(seed=7, rate=0.5, kinds=("429", "503"), method="GET")
        return [raw("GET", "/items").status_code for _ in range(12)]

    first, second = run(), run()
    assert first == second and {429, 503} & set(first) and 200 in first


def test_request_log_counts_reads_and_writes(zot, zotero_server):
    zotero_server.clear_log()
    zot.create_items([preprint()])
    zot.items()
    assert (zotero_server.writes, zotero_server.reads) == (1, 1)
    entry = zotero_server.requests[-1]
    assert (entry.method, entry.path, entry.status) == ("GET", "/groups/4242/items", 200)
    assert "limit=100" in entry.query


# -- routing, user library, CLI ----------------------------------------------------------------------------


def test_unknown_routes_and_methods(raw, zotero_server, http):
    assert raw("GET", "/nope").status_code == 404
    assert http.get(f"{zotero_server.base_url}/groups/999/items").status_code == 404
    r = raw("PUT", "/items/top")
    assert r.status_code == 405 and r.headers["Allow"] == "GET"


def test_user_library_is_served_too(zotero_server, http):
    me = zotero.Zotero(zotero_server.user_id, "user", zotero_server.api_key, client=http)
    me.endpoint = zotero_server.base_url
    assert me.create_items([preprint()])["failed"] == {}
    assert len(me.items()) == 1 and me.items()[0]["library"]["type"] == "user"
    assert [g["id"] for g in me.groups()] == [zotero_server.group_id]


def test_cli_prints_base_url_and_serves(http):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "tests.zotero.emulator", "--port", "0", "--group", "77", "--key", "DEMOKEY"]
    proc = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stderr.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        r = http.get(f"{base}/groups/77/items", headers={"Zotero-API-Key": "DEMOKEY"})
        assert r.status_code == 200 and r.json() == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)
