"""The sync under a misbehaving server (the emulator's fault injection, over real HTTP): 429/503 with
Retry-After and Backoff on reads and writes, waits on an injected clock, and dropped connections after
a write was applied, at seeded random points: reruns converge to exactly the catalogue."""

from __future__ import annotations

import httpx2
import pytest

from syndata_export import transport
from syndata_export.errors import RemoteError
from syndata_export.zotero import mapping, sync
from syndata_export.zotero.client import ZoteroClient
from tests.zotero.sync_helpers import COLLECTION, SECTIONS, FakeClock, api_sync, by_citation_key, cli, csl_items


@pytest.fixture(autouse=True)
def pyzotero_never_sleeps(monkeypatch):
    """Every wait must go through our transport's injected clock, never pyzotero's own time.sleep."""

    def refuse(seconds):
        raise AssertionError(f"pyzotero slept {seconds}s on its own")

    monkeypatch.setattr("pyzotero._client.time.sleep", refuse)


def assert_exactly_the_catalogue(server) -> None:
    groups = by_citation_key(server)
    assert sorted(groups) == sorted(i["citation-key"] for i in csl_items())
    assert all(len(v) == 1 for v in groups.values()), {k: len(v) for k, v in groups.items() if len(v) > 1}
    live = [c for c in server.collections() if not c.get("deleted")]
    roots = [c for c in live if c["name"] == COLLECTION and not c["parentCollection"]]
    assert len(roots) == 1
    assert sorted(c["name"] for c in live if c["parentCollection"] == roots[0]["key"]) == sorted(SECTIONS)
    for (data,) in groups.values():
        assert mapping.marker(data, COLLECTION) == mapping.content_hash(mapping.content(data))


@pytest.mark.parametrize(
    ("status", "method", "path", "times"),
    [
        pytest.param(429, "POST", r"/items$", 2, id="429-item-writes"),
        pytest.param(503, "POST", r"/items$", 2, id="503-item-writes"),
        pytest.param(429, "POST", r"/collections$", 1, id="429-collection-writes"),
        pytest.param(429, "GET", r"/items$", 2, id="429-item-reads"),
        pytest.param(503, "GET", r"/collections$", 3, id="503-collection-reads"),
        pytest.param(503, "GET", r"/keys/current$", 1, id="503-key-check"),
    ],
)
def test_429_and_503_with_retry_after_are_waited_out_and_the_sync_completes(zotero_server, status, method, path, times):
    zotero_server.fail_next(status, times, method=method, path=path, retry_after=30)
    clock = FakeClock()
    result = api_sync(zotero_server, csl_items(), clock)
    assert not result.errors
    assert result.done["created"] == 14
    assert zotero_server.count(method, path, status) == times
    assert clock.sleeps.count(30) == times  # exactly Retry-After, once per refusal
    assert_exactly_the_catalogue(zotero_server)


def test_a_429_without_retry_after_backs_off_exponentially(zotero_server):
    zotero_server.fail_next(429, 3, method="POST", path=r"/items$", retry_after=None)
    clock = FakeClock()
    result = api_sync(zotero_server, csl_items(), clock)
    assert not result.errors
    assert clock.sleeps == [2.0, 4.0, 8.0]
    assert_exactly_the_catalogue(zotero_server)


def test_backoff_on_every_response_spaces_out_every_later_request(zotero_server):
    zotero_server.set_backoff(7)
    clock = FakeClock()
    zotero_server.clear_log()
    result = api_sync(zotero_server, csl_items(), clock)
    assert not result.errors
    requests = len(zotero_server.requests)
    assert requests >= 5
    assert clock.sleeps == [7.0] * (requests - 1)  # nothing is sent before the Backoff has passed
    assert_exactly_the_catalogue(zotero_server)


def test_retries_are_bounded_and_exhaustion_is_a_clear_error(zotero_server):
    zotero_server.fail_next(503, 100, method="POST", path=r"/items$", retry_after=60)
    clock = FakeClock()
    result = api_sync(zotero_server, csl_items(), clock)
    message = result.failure
    assert set(result.done.values()) == {0}, "the run ends with what it did: nothing"
    assert "writing items" in message and "still answered 503 after 6 retries" in message
    assert "try again later" in message
    assert zotero_server.count("POST", r"/items$", 503) == 7
    assert clock.sleeps == [60.0] * 6
    assert len(by_citation_key(zotero_server)) == 0


def test_a_write_whose_response_is_lost_is_reread_and_not_sent_twice(zotero_server):
    zotero_server.drop_next(1, method="POST", path=r"/items$")
    result = api_sync(zotero_server, csl_items())
    assert not result.errors
    assert result.done["created"] == 14  # the re-read confirmed the lost batch was applied
    assert zotero_server.count("POST", r"/items$") == 1
    assert_exactly_the_catalogue(zotero_server)


def test_a_lost_collection_create_is_found_by_reading_again(zotero_server):
    zotero_server.drop_next(1, method="POST", path=r"/collections$")
    result = api_sync(zotero_server, csl_items())
    assert not result.errors
    assert_exactly_the_catalogue(zotero_server)


@pytest.mark.parametrize(
    ("seed", "kinds", "rate"),
    [pytest.param(seed, ("drop",), 0.5, id=f"drops-seed{seed}") for seed in (1, 2, 3, 4, 6)]
    + [pytest.param(seed, ("429", "503", "drop"), 0.35, id=f"mixed-seed{seed}") for seed in (11, 12, 13)],
)
def test_reruns_converge_to_exactly_the_catalogue_under_seeded_random_faults(zotero_server, seed, kinds, rate):
    method = "POST" if kinds == ("drop",) else "*"  # drops after a write was applied, or anything anywhere
    zotero_server.random_faults(seed, rate, kinds=kinds, method=method, retry_after=1)
    items = csl_items()
    for _ in range(12):
        try:
            result = api_sync(zotero_server, items)
        except RemoteError:
            continue  # a run may give up; the next one picks up from what the library holds
        if not result.errors and not result.plan.of("create", "update"):
            break
    else:
        pytest.fail("no clean run after 12 attempts")
    injected = {e.fault for e in zotero_server.requests if e.fault}
    assert injected <= {*kinds, "503"}  # the emulator turns a drop on a read into a 503
    assert "drop" in injected if kinds == ("drop",) else injected  # the faults really happened
    zotero_server.clear_faults()
    zotero_server.clear_log()
    result = api_sync(zotero_server, items)
    assert zotero_server.writes == 0 and len(result.plan.of("unchanged")) == 14
    assert_exactly_the_catalogue(zotero_server)


class _EditBeforeFirstWrite(httpx2.HTTPTransport):
    """A member edits an item after the sync read the library and before its write arrives."""

    def __init__(self, server, key: str) -> None:
        super().__init__()
        self.server, self.key, self.done = server, key, False

    def handle_request(self, request):
        if request.method == "POST" and request.url.path.endswith("/items") and not self.done:
            self.done = True
            self.server.edit_item(self.key, {"title": "Edited at the last moment"})
        return super().handle_request(request)


def test_an_item_edited_between_read_and_write_fails_its_precondition_and_is_replanned(zotero_server):
    items = csl_items()
    assert not api_sync(zotero_server, items).errors
    (target,) = by_citation_key(zotero_server)["tan2024large"]
    changed = [dict(i, page="930-958") if i["citation-key"] == "tan2024large" else i for i in items]
    client = ZoteroClient(
        f"groups/{zotero_server.group_id}",
        zotero_server.api_key,
        endpoint=zotero_server.base_url,
        inner=_EditBeforeFirstWrite(zotero_server, target["key"]),
    )
    zotero_server.clear_log()
    result = sync.sync(client, changed, sync.Options(COLLECTION))
    client.close()
    assert not result.errors
    rereads = [r for r in zotero_server.requests if r.method == "GET" and f"itemKey={target['key']}" in r.query]
    assert len(rereads) == 1  # the item whose precondition failed was read again, then planned again
    (action,) = [a for a in result.plan.actions if a.paper == "tan2024large"]
    assert action.kind == "conflict" and action.fields == ["pages", "title"]
    assert zotero_server.get_item(target["key"])["title"] == "Edited at the last moment"
    assert zotero_server.count("POST", r"/items$") == 1  # the 412 was per object: nothing else resent


def test_every_wait_is_announced_with_its_length_and_reason(zotero_server):
    zotero_server.fail_next(429, 1, method="POST", path=r"/items$", retry_after=30)
    zotero_server.fail_next(503, 1, method="GET", path=r"/collections$", retry_after=None)
    zotero_server.drop_next(1, method="POST", path=r"/collections$")  # a write: re-read, not waited on
    heard = []
    clock = FakeClock()
    client = ZoteroClient(
        f"groups/{zotero_server.group_id}",
        zotero_server.api_key,
        endpoint=zotero_server.base_url,
        clock=clock.clock,
        sleep=clock.sleep,
        on_wait=lambda seconds, why: heard.append((seconds, why)),
    )
    zotero_server.set_backoff(5)
    try:
        client.check_key(write=True)
        zotero_server.set_backoff(None)
        result = sync.sync(client, csl_items(), sync.Options(COLLECTION))
    finally:
        client.close()
    assert not result.errors
    assert heard[0] == (5.0, "the server asked: Backoff")
    assert (2.0, "the server answered 503 without Retry-After") in heard
    assert (30.0, "the server asked: Retry-After on 429") in heard
    assert [seconds for seconds, _ in heard] == clock.sleeps  # nothing slept unannounced


def test_the_cli_says_on_stderr_when_and_why_it_waits(zotero_server):
    zotero_server.fail_next(503, 1, method="GET", path=r"/items$", retry_after=1)
    code, _, err = cli(zotero_server)
    assert code == 0, err
    assert "sync: waiting 1 s (the server asked: Retry-After on 503)\n" in err


def test_the_run_has_a_time_limit_and_a_wait_past_it_is_not_begun(zotero_server, monkeypatch):
    monkeypatch.setattr(transport, "RUN_DEADLINE", 1000.0)
    zotero_server.fail_next(503, 100, method="GET", path=r"/items$", retry_after=300)
    clock = FakeClock()
    with pytest.raises(RemoteError) as caught:
        api_sync(zotero_server, csl_items(), clock)
    assert "the time limit of the run is reached (17 min)" in str(caught.value)
    assert "it would have waited 300 s (the server asked: Retry-After on 503)" in str(caught.value)
    assert "rerun to continue" in str(caught.value)
    assert clock.sleeps == [300.0, 300.0, 300.0]  # the fourth would have ended past the limit
    assert zotero_server.writes == 0
