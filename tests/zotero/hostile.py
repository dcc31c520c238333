"""Tiny hostile HTTP servers on 127.0.0.1: each request is answered by a script that may lie, stall or trickle.

Raw sockets, not http.server, so a script can send anything byte by byte. ``group_id``, ``base_url``
and ``api_key`` make one usable with sync_helpers.cli like the emulator.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from typing import Any

KEY_JSON = {"key": "", "userID": 1, "access": {"groups": {"all": {"library": True, "write": True}}}}
Script = Callable[["Exchange"], None]


class Exchange:
    """One request as received (method, path, lower-case headers) and the socket to answer on."""

    def __init__(self, sock: socket.socket, head: bytes, stop: threading.Event) -> None:
        self.sock, self.stop = sock, stop
        lines = head.decode("latin-1").split("\r\n")
        self.method, target, _ = lines[0].split(" ", 2)
        self.path = target.split("?", 1)[0]
        self.headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}

    def send(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            self.sock.sendall(data)

    def answer(self, status: int, body: bytes | str | Any = b"", headers: dict[str, str] | None = None) -> None:
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        data = body.encode() if isinstance(body, str) else body
        self.send(head(status, {"Content-Length": str(len(data)), **(headers or {})}) + data)

    def trickle(self, data: bytes, every: float = 0.2) -> None:
        """One byte at a time, until done or the server stops."""
        for i in range(len(data)):
            if self.stop.wait(every):
                return
            self.send(data[i : i + 1])

    def hang(self) -> None:
        self.stop.wait(60)


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class HostileServer:
    """Serves ``script`` on an ephemeral port; ``exchanges`` records every request received."""

    group_id = 1
    api_key = "HOSTILEKEY00000000000000"

    def __init__(self, script: Script) -> None:
        self.script, self.stop = script, threading.Event()
        self.exchanges: list[Exchange] = []
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                owner._serve(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _serve(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # the client may reset the connection (it read enough)
            self._exchanges(sock)

    def _exchanges(self, sock: socket.socket) -> None:
        buffer = b""
        while not self.stop.is_set():
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            raw, _, buffer = buffer.partition(b"\r\n\r\n")
            exchange = Exchange(sock, raw, self.stop)
            length = int(exchange.headers.get("content-length", 0))
            while len(buffer) < length:
                buffer += sock.recv(65536)
            buffer = buffer[length:]
            self.exchanges.append(exchange)
            self.script(exchange)

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def hostile(script: Script) -> Iterator[HostileServer]:
    with HostileServer(script) as server:
        yield server


def finishes_within(seconds: float, call: Callable[[], Any]) -> BaseException | Any:
    """Run ``call`` in a thread; its result or exception, or fail if it is still running after ``seconds``."""
    box: list[Any] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # noqa: BLE001 (handed back to the test)
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return box[0]
