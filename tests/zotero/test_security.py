"""Keys: a read-only key fails clearly before any write, and the API key never shows anywhere — stdout,
stderr, logs, exception text or reprs — whatever goes wrong (a canary key, over real HTTP)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from syndata_export.errors import RemoteError
from syndata_export.zotero.client import ZoteroClient
from tests.zotero.emulator import ZoteroEmulator
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
