"""Keys: a read-only key fails clearly before any write, the API key never shows anywhere — stdout,
stderr, logs, exception text or reprs — whatever goes wrong (a canary key, over real HTTP), and it goes
only where it was sent: never after a redirect, never over plain http off this machine. What a server
says is shown cleaned: no part of the key, no terminal escapes."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from syndata_export.errors import RemoteError, UsageError
from syndata_export.zotero.client import ZoteroClient
from tests.zotero.emulator import ZoteroEmulator
from tests.zotero.hostile import KEY_JSON, hostile
from tests.zotero.sync_helpers import REPO, FakeClock, api_sync, cli, csl_items, live_items

CANARY = "CANARYk3y5ecret0000000000XYZ"


def test_a_read_only_key_fails_clearly_before_any_write(zotero_server):
    zotero_server.clear_log()
    code, out, err = cli(zotero_server, key=zotero_server.read_only_key)
    assert code == 1
    assert "cannot write to groups/4242 (read-only access); nothing was written" in err
    assert "Traceback" not in err and out == ""
    assert zotero_server.writes == 0
    assert [r.path for r in zotero_server.requests] == ["/keys/current"]  # checked first, then stopped
    assert live_items(zotero_server) == [] and zotero_server.collections() == []

    code, out, err = cli(zotero_server, "--dry-run", key=zotero_server.read_only_key)
    assert code == 0, err  # planning needs only read access
    assert "14 create" in err and zotero_server.writes == 0


@pytest.fixture
def canary_server():
    with ZoteroEmulator(api_key=CANARY, read_only_key=CANARY[::-1]) as server:
        yield server


def _run(server, *args, key=CANARY, env_extra=None):
    """The installed command in a real subprocess: what a user's terminal would show."""
    env = {**os.environ, "ZOTERO_API_URL": server.base_url, "ZOTERO_API_KEY": key, **(env_extra or {})}
    argv = [sys.executable, "-m", "syndata_export", "sync", "--library", f"groups/{server.group_id}"]
    done = subprocess.run(
        [*argv, "--collection", "SynData Papers", *args], capture_output=True, text=True, env=env, cwd=REPO
    )
    return done.returncode, done.stdout, done.stderr


def test_a_canary_key_never_appears_in_output_logs_or_exceptions(canary_server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    seen = []
    # success, JSON on stdout, a dry run, and a key from a file
    seen += _run(canary_server, "--json")
    seen += _run(canary_server, "--dry-run", "--json")
    key_file = tmp_path / "key"
    key_file.write_text(CANARY + "\n")
    seen += _run(canary_server, "--api-key-file", str(key_file), key="")
    # a refused key (unknown to the server), a read-only key, a key with a typo
    seen += _run(canary_server, key=CANARY + "0")
    seen += _run(canary_server, key=CANARY[::-1])
    # retries exhausted and a server error, through the API so the exception text can be read
    canary_server.fail_next(503, 100, method="GET", path=r"/items$", retry_after=1)
    with pytest.raises(RemoteError) as exhausted:
        api_sync(canary_server, csl_items(), FakeClock(), key=CANARY)
    canary_server.clear_faults()
    client = ZoteroClient(f"groups/{canary_server.group_id}", CANARY, endpoint=canary_server.base_url)
    with pytest.raises(RemoteError) as refused:
        ZoteroClient(f"groups/{canary_server.group_id}", CANARY + "0", endpoint=canary_server.base_url).check_key(
            write=True
        )
    codes = seen[0::3]
    assert codes == [0, 0, 0, 1, 1]
    texts = [*map(str, seen), str(exhausted.value), repr(exhausted.value), str(refused.value), repr(client)]
    texts += [caplog.text, str(vars(exhausted.value)), str(exhausted.value.__cause__), str(exhausted.value.__context__)]
    assert "refused" in str(refused.value) and "still answered 503" in str(exhausted.value)
    for text in texts:
        assert CANARY not in text and CANARY[::-1] not in text
    assert "[API key]" not in " ".join(texts)  # nothing even needed scrubbing
    assert all(CANARY not in r.query for r in canary_server.requests)  # the key travels in headers only


# -- the key goes only where it was sent --------------------------------------------------------------


def _recorder(exchange):
    exchange.answer(200, {**KEY_JSON, "key": "x"}, {"Total-Results": "0", "Last-Modified-Version": "1"})


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_the_key_never_reaches_its_target(status):
    with hostile(_recorder) as target:

        def redirect(exchange):
            exchange.answer(status, "", {"Location": f"{target.base_url}{exchange.path}?since=0"})

        with hostile(redirect) as server:
            client = ZoteroClient("groups/1", CANARY, endpoint=server.base_url)
            with pytest.raises(RemoteError) as checking:
                client.check_key(write=True)
            with pytest.raises(RemoteError) as reading:  # pyzotero's own requests go through the same client
                client.items()
            client.close()
    assert target.exchanges == []  # not even a request without the key
    message = str(checking.value)
    assert f"answered {status}, redirecting to {target.base_url}/keys/current;" in message
    assert "the API key was not sent there" in message and "since=0" not in message
    assert f"redirecting to {target.base_url}/groups/1/collections" in str(reading.value) or (
        f"redirecting to {target.base_url}/groups/1/items" in str(reading.value)
    )
    assert all(CANARY not in str(e.value) for e in (checking, reading))


@pytest.mark.parametrize(
    "endpoint",
    ["http://example.org", "http://10.0.0.7:8080", "http://[2001:db8::1]:80", f"http://{CANARY}@example.org"],
)
def test_plain_http_to_another_machine_is_refused_before_any_request(endpoint):
    with pytest.raises(UsageError) as caught:
        ZoteroClient("groups/1", CANARY, endpoint=endpoint)
    message = str(caught.value)
    assert CANARY not in message
    assert "plain http to another machine" in message or "is not a base URL" in message
    assert endpoint.replace(f"{CANARY}@", "") in message.replace("[API key]@", "") or "not a base URL" in message


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.2:9", "http://127.255.0.1", "http://localhost:9", "http://[::1]:9"]
)
def test_plain_http_stays_allowed_on_this_machine(endpoint):
    ZoteroClient("groups/1", CANARY, endpoint=endpoint).close()  # no request is made


def test_plain_http_refusal_reaches_the_cli_as_a_usage_error():
    with hostile(_recorder) as server:
        server.base_url = "http://192.0.2.1:9"  # TEST-NET: never reached
        code, out, err = cli(server, key=CANARY)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "http://192.0.2.1:9" in err and "plain http" in err and CANARY not in err


# -- what a server says is untrusted --------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("x" * 190 + CANARY, id="echo-at-190"),
        pytest.param("x" * 295 + CANARY, id="echo-across-the-cut"),
        pytest.param("denied: " + CANARY.lower(), id="lower-cased"),
        pytest.param("denied: " + CANARY.upper()[3:17], id="a-part-of-it"),
    ],
)
@pytest.mark.parametrize("status", [403, 500])
def test_a_key_echoed_by_the_server_is_removed_before_the_text_is_cut(body, status):
    with hostile(lambda exchange: exchange.answer(status, body, {"Content-Type": "text/plain"})) as server:
        client = ZoteroClient("groups/1", CANARY, endpoint=server.base_url)
        with pytest.raises(RemoteError) as caught:
            client.check_key(write=True)
        client.close()
    shown = str(caught.value).lower()
    key = CANARY.lower()
    assert not any(key[i : i + 10] in shown for i in range(len(key) - 9)), shown
    assert "[api" in shown  # the mark may itself be cut


def test_control_characters_and_terminal_escapes_from_a_server_are_not_printed_raw():
    body = "busy \x1b[2J\x1b]0;owned\x07 \u202egnp.exe\r\x00\x9b31m done"
    with hostile(lambda exchange: exchange.answer(500, body, {"Content-Type": "text/plain"})) as server:
        code, out, err = cli(server, key=CANARY)
    assert code == 1 and "Traceback" not in err
    assert not any(c in err for c in "\x1b\x07\u202e\r\x00\x9b")
    assert "busy \\x1b[2J\\x1b]0;owned\\x07 \\u202egnp.exe\\r\\x00\\x9b31m done" in err
