"""Servers that lie or stall (tiny raw servers on 127.0.0.1): an answer that is not the JSON the API
promises is a clear error, never a traceback; a server that trickles or hangs is cut off at the request
deadline (retried once for a read, never for a write); the whole run has a bound too."""

from __future__ import annotations

import time

import pytest

from syndata_export import transport
from syndata_export.errors import RemoteError
from syndata_export.transport import ResponseLost, RetriesExhausted
from syndata_export.zotero.client import ZoteroClient
from tests.zotero.hostile import KEY_JSON, finishes_within, head, hostile
from tests.zotero.sync_helpers import FakeClock, cli

EMPTY = {"Total-Results": "0", "Last-Modified-Version": "7"}


def _library(items_page):
    """A server that is sound except for what it answers to GET …/items."""

    def script(exchange):
        if exchange.path == "/keys/current":
            exchange.answer(200, KEY_JSON)
        elif exchange.path.endswith("/collections"):
            exchange.answer(200, [], EMPTY)
        else:
            exchange.answer(200, items_page, {"Total-Results": "1", "Last-Modified-Version": "7"})

    return script


def _no_content_type(exchange):
    if exchange.path.endswith("/items"):
        exchange.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]")
    else:
        _library([])(exchange)


@pytest.mark.parametrize(
    ("script", "says"),
    [
        pytest.param(lambda e: e.answer(200, "<html>Sign in</html>", {"Content-Type": "text/html"}), "key", id="html"),
        pytest.param(lambda e: e.answer(200, [1, 2, 3]), "key", id="a-list"),
        pytest.param(lambda e: e.answer(200, {"key": "x", "userID": 1}), "key", id="no-access"),
        pytest.param(lambda e: e.answer(200, "{not json"), "key", id="broken-json"),
        pytest.param(_library([1, 2, 3]), "objects", id="items-numbers"),
        pytest.param(_library({"data": {"key": "ABCD2345"}}), "objects", id="items-an-object"),
        pytest.param(_library([{"data": "x"}]), "objects", id="items-data-not-a-dict"),
        pytest.param(_library([{"data": {"title": "no key"}}]), "objects", id="items-no-key"),
        pytest.param(_library([{"data": {"key": "\x1b[2J"}}]), "objects", id="items-key-an-escape"),
        pytest.param(_library("<html>oops</html>"), "objects", id="items-html-as-json"),
        pytest.param(_no_content_type, "objects", id="items-no-content-type"),
    ],
)
def test_an_answer_that_is_not_the_json_promised_is_a_clear_error_not_a_traceback(script, says):
    with hostile(script) as server:
        code, out, err = cli(server)
    assert code == 1 and out == "" and "Traceback" not in err
    assert ("checking the API key" if says == "key" else "reading the library: the answer is not") in err
    assert "\x1b" not in err
    assert "the answer is not" in err


def test_a_deleted_answer_of_the_wrong_shape_is_a_remote_error():
    with hostile(lambda e: e.answer(200, {"items": [1, 2]}, EMPTY)) as server:
        client = ZoteroClient("groups/1", server.api_key, endpoint=server.base_url)
        with pytest.raises(RemoteError, match="reading deletions: the answer is not lists of keys"):
            client.deleted(0)
        client.close()


# -- deadlines ----------------------------------------------------------------------------------


@pytest.fixture
def one_second(monkeypatch):
    monkeypatch.setattr(transport, "REQUEST_DEADLINE", 1.0)


BODY = b'{"key": "x", "userID": 1, "access": {}}' + b" " * 200
STALLS = {
    "trickled-headers": lambda e: e.trickle(head(200, {"Content-Length": str(len(BODY))}) + BODY),
    "trickled-body": lambda e: (e.send(head(200, {"Content-Length": str(len(BODY))})), e.trickle(BODY)),
    "hangs-after-headers": lambda e: (e.send(head(200, {"Content-Length": "100"})), e.hang()),
    "hangs-before-answering": lambda e: e.hang(),
}


@pytest.mark.parametrize("stall", STALLS.values(), ids=STALLS.keys())
def test_a_read_that_trickles_or_hangs_ends_at_the_deadline_and_is_retried_once(one_second, stall):
    clock = FakeClock()
    with hostile(stall) as server:
        client = ZoteroClient(
            "groups/1", server.api_key, endpoint=server.base_url, clock=clock.clock, sleep=clock.sleep
        )
        started = time.monotonic()
        error = finishes_within(8, lambda: client.check_key(write=False))
        elapsed = time.monotonic() - started
        client.close()
    assert isinstance(error, RetriesExhausted), error
    assert "sent no complete response within 1 s, twice" in str(error)
    assert "too slow or hangs" in str(error)
    assert len(server.exchanges) == 2  # the first try and one retry, no more
    assert 1.9 < elapsed < 4
    assert clock.sleeps == [2.0]


def test_a_write_that_hangs_ends_at_the_deadline_and_is_not_sent_again(one_second):
    with hostile(lambda e: (e.send(head(200, {"Content-Length": "100"})), e.hang())) as server:
        client = ZoteroClient("groups/1", server.api_key, endpoint=server.base_url)
        error = finishes_within(8, lambda: client.write_items([{"key": "ABCD2345", "version": 0}]))
        client.close()
    assert isinstance(error, ResponseLost), error
    assert "no complete response to POST" in str(error) and "within 1 s" in str(error)
    assert "it may have been applied" in str(error)
    assert len(server.exchanges) == 1


def test_a_per_object_failure_is_shown_without_the_key_and_inert():
    """The server's words in a write report reach stderr: cleaned by the client that holds the key."""

    def script(exchange):
        if exchange.method == "POST" and exchange.path.endswith("/collections"):
            created = {"0": "AAAA2222"}
            exchange.answer(200, {"successful": {"0": {}}, "success": created, "unchanged": {}, "failed": {}})
        elif exchange.method == "POST":
            echo = server.api_key.lower() + " \x1b[2J\u202e"
            failed = {str(i): {"code": 400, "message": echo} for i in range(14)}
            exchange.answer(200, {"successful": {}, "success": {}, "unchanged": {}, "failed": failed})
        elif exchange.path == "/keys/current":
            exchange.answer(200, KEY_JSON)
        elif exchange.path.endswith("/deleted"):
            exchange.answer(200, {"items": [], "collections": []}, EMPTY)
        else:
            exchange.answer(200, [], EMPTY)

    with hostile(script) as server:
        code, out, err = cli(server)
    assert code == 1 and err.count("error: ") == 14, err
    assert server.api_key.lower() not in err.lower() and server.api_key[:10].lower() not in err.lower()
    assert "\x1b" not in err and "\u202e" not in err and "[API key]" in err


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip-bomb"])
def test_an_answer_larger_than_the_bound_is_refused_unread(monkeypatch, gzipped):
    import gzip

    monkeypatch.setattr(transport, "MAX_BODY", 100_000)
    big = b"[" + b" " * 1_000_000 + b"]"
    body, headers = (gzip.compress(big), {"Content-Encoding": "gzip"}) if gzipped else (big, {})
    assert len(body) < 100_000 or not gzipped

    def script(exchange):
        if exchange.path == "/keys/current":
            exchange.answer(200, KEY_JSON)
        else:
            exchange.answer(200, body, {**EMPTY, **headers})

    with hostile(script) as server:
        code, out, err = cli(server)
    assert code == 1 and "Traceback" not in err
    assert "answered more than 100,000 bytes; the rest was not read" in err
