"""Fault injection and the request log: what tests use to make the emulator misbehave and to count calls.

The sync code must survive what api.zotero.org does under load (notes §3): a `Backoff` header on
any response, 429 and 503 with `Retry-After`, and connections that die after the server has
already applied a write. Rules are programmed from tests (or the CLI) and consumed in order.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

FAULT_KINDS = ("429", "503", "drop")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
MESSAGES = {
    "429": "Request rate limit exceeded",
    "503": "Service temporarily unavailable",
}


@dataclass
class FaultRule:
    """Apply `kind` to the next `times` requests whose method and path match.

    `kind` "429"/"503" refuses the request before it is processed; "drop" processes it (a write is
    applied) and then closes the socket without a response. `retry_after=None` sends no header.
    """

    kind: str
    method: str = "*"
    path: str = ""
    times: int = 1
    retry_after: int | None = 1
    after: int = 0  # matching requests served normally before the rule starts

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and re.search(self.path, path) is not None


@dataclass
class RandomFaults:
    """Seeded random faults: each matching request fails with probability `rate`."""

    seed: int
    rate: float = 0.2
    kinds: tuple[str, ...] = FAULT_KINDS
    method: str = "*"
    path: str = ""
    retry_after: int | None = 0
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


@dataclass
class Hook:
    """Run `action` once, just before the `nth` request (counted from now) whose method and path match."""

    action: Callable[[], None]
    nth: int
    method: str = "GET"
    path: str = ""
    seen: int = 0

    def due(self, method: str, path: str) -> bool:
        if self.method in ("*", method) and re.search(self.path, path):
            self.seen += 1
            return self.seen == self.nth
        return False


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: str
    status: int  # 0 when the connection was dropped without a response
    fault: str = ""


class FaultPlan:
    """The rules, the Backoff setting, and the request log; safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rules: list[FaultRule] = []
        self.random: RandomFaults | None = None
        self.backoff: int | None = None
        self.log: list[LoggedRequest] = []
        self.hooks: list[Hook] = []

    def add(self, rule: FaultRule) -> FaultRule:
        if rule.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {rule.kind!r}; known: {', '.join(FAULT_KINDS)}")
        with self._lock:
            self.rules.append(rule)
        return rule

    def add_hook(self, hook: Hook) -> Hook:
        with self._lock:
            self.hooks.append(hook)
        return hook

    def due_hooks(self, method: str, path: str) -> list[Hook]:
        """The hooks to run before this request (each runs once)."""
        with self._lock:
            due = [h for h in self.hooks if h.due(method, path)]
            self.hooks = [h for h in self.hooks if h not in due]
            return due

    def clear(self) -> None:
        with self._lock:
            self.hooks.clear()
            self.rules.clear()
            self.random = None
            self.backoff = None

    def pick(self, method: str, path: str) -> FaultRule | None:
        """The fault for this request, if any (consumes one use of a rule)."""
        with self._lock:
            for rule in self.rules:
                if rule.times > 0 and rule.matches(method, path):
                    if rule.after > 0:
                        rule.after -= 1
                        continue
                    rule.times -= 1
                    return rule
            chance = self.random
            hit = chance and chance.method in ("*", method) and re.search(chance.path, path)
            if chance and hit and chance.rng.random() < chance.rate:
                kind = chance.rng.choice(chance.kinds)
                if kind == "drop" and method not in WRITE_METHODS:
                    kind = "503"
                return FaultRule(kind, retry_after=chance.retry_after)
        return None

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.log.append(entry)

    def count(self, method: str | None = None, path: str = "", status: int | None = None) -> int:
        """How many logged requests match (method exact, path regex, status exact)."""
        with self._lock:
            return sum(
                1
                for e in self.log
                if (method is None or e.method == method)
                and re.search(path, e.path)
                and (status is None or e.status == status)
            )

    @property
    def reads(self) -> int:
        return self.count("GET")

    @property
    def writes(self) -> int:
        with self._lock:
            return sum(1 for e in self.log if e.method in WRITE_METHODS)
