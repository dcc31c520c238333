"""Headless Chromium for the page tests: open a file, read what the browser reports, take a screenshot.

Chromium is driven through its DevTools protocol over a pipe (``--remote-debugging-pipe``: JSON
messages ending in a NUL byte, commands on the child's fd 3, answers and events on its fd 4), so
no port is opened and no client library is needed. Missing Chromium skips the test outside CI
and fails it under CI, as the TeX tests do.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, REPO

# Debian's package; the flags keep a root, offline, headless start quiet and quick
NAMES = ("chromium", "chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
WAIT = 60.0  # seconds for any one answer: a cold start on a busy 2-core machine takes a few
ARTIFACTS = REPO / "tests-artifacts"  # screenshots kept under CI (ignored by git)


def need_chromium() -> str:
    """Chromium's path; skip (outside CI) or fail (under CI) when it is not installed."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    if IN_CI:
        pytest.fail("chromium not installed (CI must run the browser test: .ci/run installs it)")
    pytest.skip("chromium not installed (outside CI; .ci/run installs it)")


class ProtocolError(Exception):
    """Chromium answered a command with an error."""


class Browser:
    """One headless Chromium with one tab, for the length of a ``with`` block."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_child, self._commands = os.pipe()
        self._answers, from_child = os.pipe()

        def wire() -> None:  # in the child: our pipe ends become its fds 3 and 4, kept across exec
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)
            os.set_inheritable(3, True)  # dup2 onto itself (a pipe end that already is 3) keeps close-on-exec
            os.set_inheritable(4, True)

        # close_fds=False: only 0-2 and the two dup2'd ends are inheritable (PEP 446)
        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire,  # noqa: PLW1509 - no threads of ours run yet
        )
        os.close(to_child)
        os.close(from_child)
        self._next = 0
        self._inbox: queue.Queue[dict | None] = queue.Queue()
        self.events: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT)
        os.close(self._commands)

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._answers, "rb", buffering=0) as answers:
            while chunk := answers.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for message in messages:
                    self._inbox.put(json.loads(message))
        self._inbox.put(None)

    def _receive(self) -> dict:
        try:
            message = self._inbox.get(timeout=WAIT)
        except queue.Empty:
            raise TimeoutError(f"Chromium said nothing for {WAIT:.0f} s") from None
        if message is None:
            raise ProtocolError("Chromium closed its pipe")
        return message

    def send(self, method: str, session: bool = False, **params: Any) -> dict:
        """Send a command (to the tab when ``session``) and return its result; events are kept."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") != self._next:
                self.events.append(answer)
                continue
            if "error" in answer:
                raise ProtocolError(f"{method}: {answer['error']}")
            return answer.get("result", {})

    def tab(self, method: str, **params: Any) -> dict:
        return self.send(method, session=True, **params)

    def wait_for(self, event: str) -> dict:
        """The first event ``event`` from the tab not yet waited for."""
        for n, seen in enumerate(self.events):
            if seen.get("method") == event:
                return self.events.pop(n)
        while True:
            message = self._receive()
            if message.get("method") == event:
                return message
            self.events.append(message)

    def open(self, path: Path) -> None:
        """Load a file in the tab, with console and log messages recorded from the start."""
        for domain in ("Page", "Runtime", "Log"):
            self.tab(f"{domain}.enable")
        self.tab("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """A JavaScript expression's value (JSON-serialisable), or its exception as a failure."""
        result = self.tab("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise ProtocolError(f"{expression[:60]}…: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and error-level log entries (failed loads) so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(arg.get("value", arg.get("description"))) for arg in params["args"]))
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found

    def links(self) -> list[tuple[str, str]]:
        """(role, accessible name) of every link in the accessibility tree, as a screen reader lists them."""
        nodes = self.tab("Accessibility.getFullAXTree")["nodes"]
        return [
            ("link", str(node.get("name", {}).get("value", "")))
            for node in nodes
            if not node.get("ignored") and node.get("role", {}).get("value") == "link"
        ]

    def screenshot(self, path: Path, width: int = 1000) -> Path:
        """The whole page as a PNG at ``path``."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.tab("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        data = self.tab("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def keep(path: Path) -> None:
    """Under CI, a copy of an artifact in tests-artifacts/, where CI can collect it."""
    if IN_CI:
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(path, ARTIFACTS / path.name)
