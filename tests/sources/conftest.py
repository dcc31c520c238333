"""The sources' tests: the fake services as a fixture, and a clock that moves only when slept on."""

from __future__ import annotations

import pytest

from tests.sources.fakes.server import fake_sources  # noqa: F401 (a fixture)


class FakeClock:
    """Monotonic time that advances only by ``sleep``: waits cost nothing and are measured exactly."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
